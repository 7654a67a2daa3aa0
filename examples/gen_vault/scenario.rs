//! The planted scenario: the known answer every log holds, for every seed
//! and size. This module owns its cast, its secrets and its schedule.
//!
//! * `secret/data/production/payments/db-password` (KV v2, mount `secret/`) is
//!   read successfully by exactly **12** distinct identities, spread over the
//!   whole time range. One of them, the approle `payments-api`, polls it in
//!   about 0.05% of all pairs. One read by `ldap-bob` never gets a response,
//!   one read by approle `payments-batch` fails with an internal error.
//! * 3 more identities (approle `analytics-etl`, `kubernetes-default-debug-shell`,
//!   `userpass-mallory`) are only ever denied on it.
//! * Traps that must NOT count as value reads of it: `metadata/` reads, a
//!   `list` of its folder, `sys/internal/ui/mounts/...` lookups (some of whose
//!   paths contain the secret's path as a substring), `update` writes of it,
//!   and reads of the sibling `secret/data/production/payments/db-password-replica`
//!   (same prefix).
//! * KV v1 `kv/production/payments/stripe-token` is read by 4 identities and
//!   denied to 1.
//!
//! Random traffic never touches these planted paths (except the polls by
//! `payments-api`, see `traffic::random_pair`), so the counts are exact.

use crate::MIB;
use crate::catalogue::{DB_FIELDS, KEY_TYPES, group};
use crate::rng::Rng;
use crate::secrets::{Secret, SecretKind, new_secret};
use crate::specs::{
    Entity, Kind, Spec, SpecList, approle_spec, human_spec, k8s_spec, root_spec, token_spec,
};
use crate::traffic::{Op, Outcome, Pair};
use crate::world::World;

const HOT_REL: &str = "production/payments/db-password";
const SIBLING_REL: &str = "production/payments/db-password-replica";
const STRIPE_REL: &str = "production/payments/stripe-token";

/// Share of pairs that are polls of the hot secret by `payments-api`.
pub const HOT_POLL_P: f64 = 0.0005;

/// The named identities of the planted scenario.
pub struct Cast {
    pub payments_api: usize,
    pub payments_batch: usize,
    pub ci_deployer: usize,
    pub alice: usize,
    pub bob: usize,
    pub carol: usize,
    pub mallory: usize,
    /// (identity, base number of successful reads of the hot secret)
    pub hot_readers: Vec<(usize, u32)>,
    pub hot_denied: Vec<(usize, u32)>,
    pub stripe_readers: Vec<(usize, u32)>,
    pub sibling_readers: Vec<(usize, u32)>,
}

/// Adds the named identities of the scenario to `list`, first of all.
pub fn cast(rng: &mut Rng, list: &mut SpecList) -> Cast {
    let mut cast_add = |spec: Spec| list.add(spec).expect("cast names are unique");
    let (payments, prod) = (0, 0);

    // The 12 successful readers of the hot secret.
    let payments_api = cast_add(approle_spec(rng, "payments-api", payments, prod));
    let payments_batch = cast_add(approle_spec(rng, "payments-batch", payments, prod));
    let worker = cast_add(k8s_spec(rng, "payments", "payments-worker", payments, prod));
    let ledger = cast_add(k8s_spec(rng, "payments", "ledger-sync", 3, prod));
    let vso = cast_add(k8s_spec(
        rng,
        "vault-secrets-operator",
        "vault-secrets-operator-controller-manager",
        17,
        prod,
    ));
    let ci_deployer = cast_add(approle_spec(rng, "ci-deployer", 17, prod));
    let alice = cast_add(human_spec(rng, Kind::Userpass, "alice", payments));
    let bob = cast_add(human_spec(rng, Kind::Ldap, "bob", payments));
    let carol = cast_add(human_spec(
        rng,
        Kind::Oidc,
        "carol.diaz@example.com",
        payments,
    ));
    let sre_bot = cast_add(token_spec(
        rng,
        "ops&sre-bot",
        Some("on-call automation"),
        Entity::Empty,
    ));
    let root = cast_add(root_spec());
    let zoe = cast_add(human_spec(rng, Kind::Userpass, "zoë", 18));
    // Denied, and only ever denied, on the hot secret.
    let etl = cast_add(approle_spec(rng, "analytics-etl", 13, prod));
    let debug = cast_add(k8s_spec(rng, "default", "debug-shell", 17, 2));
    let mallory = cast_add(human_spec(rng, Kind::Userpass, "mallory", 6));
    // Readers of the KV v1 stripe token and of the look-alike sibling.
    let checkout = cast_add(approle_spec(rng, "checkout-api", 1, prod));
    let invoice = cast_add(k8s_spec(rng, "billing", "invoice-worker", 2, prod));
    let replica = cast_add(approle_spec(rng, "reporting-replica", 13, prod));

    Cast {
        payments_api,
        payments_batch,
        ci_deployer,
        alice,
        bob,
        carol,
        mallory,
        hot_readers: vec![
            (payments_api, 20),
            (payments_batch, 8),
            (worker, 12),
            (ledger, 6),
            (vso, 10),
            (ci_deployer, 4),
            (alice, 3),
            (bob, 3),
            (carol, 2),
            (sre_bot, 2),
            (root, 1),
            (zoe, 1),
        ],
        hot_denied: vec![(etl, 4), (debug, 2), (mallory, 3)],
        stripe_readers: vec![(checkout, 5), (invoice, 3), (payments_api, 2), (bob, 2)],
        sibling_readers: vec![(replica, 4), (payments_batch, 2)],
    }
}

/// The planted secrets, in the order of `World::hot`, `World::sibling` and
/// `World::stripe`: the first secrets of the catalogue.
pub fn planted_secrets(rng: &mut Rng, salt: u64) -> Vec<Secret> {
    let pay = group(0, 0);
    let mut secrets = vec![
        new_secret(rng, salt, SecretKind::KvV2, HOT_REL.into(), DB_FIELDS, pay),
        new_secret(
            rng,
            salt,
            SecretKind::KvV2,
            SIBLING_REL.into(),
            &["host", "password", "username"],
            pay,
        ),
        new_secret(
            rng,
            salt,
            SecretKind::KvV1,
            STRIPE_REL.into(),
            KEY_TYPES[4].1, // stripe-token's fields
            pay,
        ),
    ];
    secrets[0].version = 7;
    secrets[0].custom_metadata = "null".into();
    secrets
}

/// A planted pair, due once the output reaches byte offset `at`.
pub struct Planted {
    pub at: u64,
    pub pair: Pair,
}

/// The known answer (see the module docs). Each event is placed at a
/// fraction of the output size, so it lands in the same part of the time
/// range whatever the size. Counts shrink for small files, but never to zero.
pub fn plan(w: &World, rng: &mut Rng, size: u64) -> Vec<Planted> {
    let scale = (size as f64 / (256 * MIB) as f64).min(1.0);
    let mut events: Vec<(f64, Pair)> = Vec::new();
    let mut plant = |rng: &mut Rng, base: u32, make: &dyn Fn(&mut Rng) -> Pair| {
        let n = ((f64::from(base) * scale).round() as u32).max(1);
        for i in 0..n {
            // Stratified over [1%, 97%]: spread through the whole time range.
            let frac = 0.01 + 0.96 * (f64::from(i) + rng.f64()) / f64::from(n);
            events.push((frac, make(rng)));
        }
    };
    let c = &w.cast;
    let hot = w.hot;
    let read = |id: usize, s: usize| move |rng: &mut Rng| Pair::new(w, rng, Op::Read, id, s);
    for &(id, base) in &c.hot_readers {
        plant(rng, base, &read(id, hot));
    }
    for &(id, base) in &c.hot_denied {
        plant(rng, base, &|rng| read(id, hot)(rng).with(Outcome::Denied));
    }
    plant(rng, 1, &|rng| read(c.bob, hot)(rng).with(Outcome::Lost));
    plant(rng, 1, &|rng| {
        read(c.payments_batch, hot)(rng).with(Outcome::Failed)
    });
    // Traps: touch the hot secret's paths without reading its value.
    let op_on = |op: Op, id: usize| move |rng: &mut Rng| Pair::new(w, rng, op, id, hot);
    plant(rng, 2, &op_on(Op::MetaRead, c.alice));
    plant(rng, 1, &op_on(Op::MetaRead, c.ci_deployer));
    plant(rng, 1, &op_on(Op::List, c.alice));
    plant(rng, 1, &op_on(Op::List, c.bob));
    plant(rng, 2, &op_on(Op::Write, c.ci_deployer));
    plant(rng, 3, &op_on(Op::UiMounts, c.alice));
    plant(rng, 2, &|rng| {
        let mut p = op_on(Op::UiMounts, c.carol)(rng);
        p.ui_full = true; // path contains "secret/data/production/payments/db-password"
        p
    });
    plant(rng, 2, &|rng| {
        read(c.mallory, w.stripe)(rng).with(Outcome::Denied)
    });
    for &(id, base) in &c.stripe_readers {
        plant(rng, base, &read(id, w.stripe));
    }
    for &(id, base) in &c.sibling_readers {
        plant(rng, base, &read(id, w.sibling));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    events
        .into_iter()
        .map(|(frac, pair)| Planted {
            at: (frac * size as f64) as u64,
            pair,
        })
        .collect()
}
