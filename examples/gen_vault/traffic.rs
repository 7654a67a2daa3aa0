//! Traffic: what one request/response pair is (operation, identity, secret,
//! outcome), and the random operation mix of a busy cluster.

use crate::rng::Rng;
use crate::scenario::HOT_POLL_P;
use crate::secrets::SecretKind;
use crate::specs::Kind;
use crate::world::World;

/// Share of value reads (KV and dynamic credentials) that are denied.
const DENY_P: f64 = 0.03;
/// Share of requests whose response never gets logged (Vault died mid-request).
const LOST_P: f64 = 0.002;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// KV v2/v1 value read, or dynamic database credentials.
    Read,
    /// KV v2 `secret/metadata/...` read: metadata only, not the value.
    MetaRead,
    /// KV v2 `list` of a folder.
    List,
    /// `sys/internal/ui/mounts/...`: the CLI and UI asking which mount a path is on.
    UiMounts,
    Write,
    Login,
    LookupSelf,
    /// `sys/leases/renew` of database credentials.
    Renew,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
    /// Served but failed (internal error).
    Failed,
    /// The response was never logged.
    Lost,
}

#[derive(Clone)]
pub struct Pair {
    pub op: Op,
    pub ident: usize,
    pub secret: usize,
    pub outcome: Outcome,
    /// Writes: `create` rather than `update`.
    pub create: bool,
    /// UiMounts: the web UI form with `data/` in the path (the CLI omits it).
    pub ui_full: bool,
    pub req_id: (u64, u64),
    pub ip: usize,
    pub port: u64,
    /// Per-request randomness: lease ids, generated credentials.
    pub nonce: u64,
}

impl Pair {
    pub fn new(w: &World, rng: &mut Rng, op: Op, ident: usize, secret: usize) -> Pair {
        Pair {
            op,
            ident,
            secret,
            outcome: Outcome::Ok,
            create: false,
            ui_full: false,
            req_id: (rng.next_u64(), rng.next_u64()),
            ip: rng.below(w.ids[ident].ips.len()),
            port: rng.range(32_768, 61_000),
            nonce: rng.next_u64(),
        }
    }

    pub fn with(mut self, outcome: Outcome) -> Pair {
        self.outcome = outcome;
        self
    }

    pub fn operation(&self, w: &World) -> &'static str {
        match self.op {
            Op::List => "list",
            Op::Write if self.create => "create",
            Op::Write | Op::Renew => "update",
            // The OIDC callback is a GET.
            Op::Login if w.ids[self.ident].kind == Kind::Oidc => "read",
            Op::Login => "update",
            Op::Read | Op::MetaRead | Op::UiMounts | Op::LookupSelf => "read",
        }
    }
}

/// One random pair following the operation mix of a busy cluster.
pub fn random_pair(w: &World, rng: &mut Rng) -> Pair {
    // The payments-api bot polls the hot secret (~0.05% of all pairs).
    if rng.chance(HOT_POLL_P) {
        let p = Pair::new(w, rng, Op::Read, w.cast.payments_api, w.hot);
        return if rng.chance(LOST_P) {
            p.with(Outcome::Lost)
        } else {
            p
        };
    }
    let r = rng.f64();
    // People browse (metadata, lists, UI lookups); machines read and renew.
    let browser = |rng: &mut Rng| {
        if rng.chance(0.7) {
            w.humans.pick(rng)
        } else {
            w.any.pick(rng)
        }
    };
    let kv_kind = |rng: &mut Rng| {
        if rng.chance(0.75) {
            SecretKind::KvV2
        } else {
            SecretKind::KvV1
        }
    };
    let (op, ident) = match r {
        r if r < 0.50 => (Op::Read, w.any.pick(rng)),
        r if r < 0.56 => (Op::MetaRead, browser(rng)),
        r if r < 0.60 => (Op::List, browser(rng)),
        r if r < 0.68 => (Op::UiMounts, browser(rng)),
        r if r < 0.76 => (Op::Write, w.any.pick(rng)),
        r if r < 0.81 => (Op::Login, w.logins.pick(rng)),
        r if r < 0.86 => (Op::LookupSelf, w.any.pick(rng)),
        _ => (Op::Renew, w.any.pick(rng)),
    };
    let kind = match op {
        // 45% KV value reads and 5% dynamic credentials, of all pairs.
        Op::Read if r < 0.45 => Some(kv_kind(rng)),
        Op::Read | Op::Renew => Some(SecretKind::Db),
        Op::MetaRead | Op::List => Some(SecretKind::KvV2),
        Op::UiMounts | Op::Write => Some(kv_kind(rng)),
        Op::Login | Op::LookupSelf => None,
    };
    let secret = kind.map_or(0, |kind| w.secret_near(rng, ident, kind));
    let mut p = Pair::new(w, rng, op, ident, secret);
    p.create = op == Op::Write && rng.chance(0.25);
    if (op == Op::Read && rng.chance(DENY_P)) || (op == Op::Write && rng.chance(0.01)) {
        p.outcome = Outcome::Denied;
    }
    if rng.chance(LOST_P) {
        p.outcome = Outcome::Lost;
    }
    p
}
