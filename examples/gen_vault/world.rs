//! The simulated Vault, assembled: mounts, identities, secrets, the planted
//! cast, and who is likely to send which kind of request.

use crate::catalogue::{ENVS, TEAMS};
use crate::identity::{Identity, finish_identity};
use crate::json::{hmac, quoted_hmac};
use crate::mounts::{self, M_SYS, M_TOKEN, Mount};
use crate::population;
use crate::rng::{Rng, mix64};
use crate::scenario::{self, Cast};
use crate::secrets::{self, Secret, SecretKind};
use crate::specs::Kind;
use crate::traffic::{Op, Pair};

/// Weighted choice of identities, by cumulative weights.
pub struct Picker {
    ids: Vec<usize>,
    cumulative: Vec<f64>,
}

impl Picker {
    /// Zipf-like popularity: the identity at rank r gets weight 1/(r+1)^s.
    fn zipf(ids: Vec<usize>, s: f64) -> Picker {
        let mut total = 0.0;
        let cumulative = (0..ids.len())
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Picker { ids, cumulative }
    }
    pub fn pick(&self, rng: &mut Rng) -> usize {
        let x = rng.f64() * self.cumulative.last().copied().unwrap_or(0.0);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.ids[i.min(self.ids.len() - 1)]
    }
}

pub struct World {
    pub salt: u64,
    pub mounts: Vec<Mount>,
    pub ids: Vec<Identity>,
    pub secrets: Vec<Secret>,
    /// Per group (environment x team): secrets open to random traffic.
    pub groups: Vec<[Vec<usize>; 3]>,
    /// All secrets open to random traffic, by kind.
    pub pools: [Vec<usize>; 3],
    /// The same, per environment: where machines stray to. A service's
    /// policies keep it in its environment; people browse everywhere.
    pub env_pools: Vec<[Vec<usize>; 3]>,
    pub any: Picker,
    pub humans: Picker,
    pub logins: Picker,
    pub cast: Cast,
    pub hot: usize,
    pub sibling: usize,
    pub stripe: usize,
    pub ui_kv2: String,
    pub ui_kv1: String,
}

impl World {
    pub fn build(rng: &mut Rng, seed: u64) -> World {
        // The audit device's HMAC salt: a different seed is a different Vault.
        let salt = mix64(seed ^ 0x0053_414c_5400);
        let mounts = mounts::build_mounts(rng);
        let (specs, cast) = population::build_specs(rng);
        let ids: Vec<Identity> = specs
            .into_iter()
            .map(|s| finish_identity(rng, salt, s))
            .collect();

        let mut secrets = scenario::planted_secrets(rng, salt);
        let (hot, sibling, stripe, planted) = (0, 1, 2, secrets.len());
        secrets::build_secrets(rng, salt, &mut secrets);

        // Planted secrets stay out of random traffic, so their counts are exact.
        let mut groups = vec![[Vec::new(), Vec::new(), Vec::new()]; ENVS.len() * TEAMS.len()];
        let mut pools = [Vec::new(), Vec::new(), Vec::new()];
        let mut env_pools = vec![[Vec::new(), Vec::new(), Vec::new()]; ENVS.len()];
        for (i, s) in secrets.iter().enumerate().skip(planted) {
            groups[s.group][s.kind.slot()].push(i);
            pools[s.kind.slot()].push(i);
            env_pools[s.group / TEAMS.len()][s.kind.slot()].push(i);
        }

        let (any, humans, logins) = build_pickers(rng, &ids, &cast);
        let ui = |rng: &mut Rng, options: &str| {
            let mut h = || quoted_hmac(salt, rng.next_u64());
            format!(
                "{{\"accessor\":{},\"config\":{{\"default_lease_ttl\":0,\"force_no_cache\":false,\"max_lease_ttl\":0}},\
                 \"description\":{},\"external_entropy_access\":false,\"local\":false,\"options\":{options},\
                 \"path\":{},\"seal_wrap\":false,\"type\":{},\"uuid\":{}}}",
                h(),
                h(),
                h(),
                h(),
                h()
            )
        };
        let ui_kv2 = ui(rng, &format!("{{\"version\":\"{}\"}}", hmac(salt, 2)));
        let ui_kv1 = ui(rng, "null");
        World {
            salt,
            mounts,
            ids,
            secrets,
            groups,
            pools,
            env_pools,
            any,
            humans,
            logins,
            cast,
            hot,
            sibling,
            stripe,
            ui_kv2,
            ui_kv1,
        }
    }

    /// A secret of `kind`, usually from the identity's own team and env.
    pub fn secret_near(&self, rng: &mut Rng, ident: usize, kind: SecretKind) -> usize {
        let id = &self.ids[ident];
        let local = &self.groups[id.home][kind.slot()];
        let env_pool = &self.env_pools[id.home / TEAMS.len()][kind.slot()];
        if !local.is_empty() && rng.chance(0.85) {
            *rng.pick(local)
        } else if matches!(id.kind, Kind::AppRole | Kind::Kubernetes) && !env_pool.is_empty() {
            *rng.pick(env_pool)
        } else {
            *rng.pick(&self.pools[kind.slot()])
        }
    }

    /// The name whosaw gives a KV v2 secret: its logical `secret/<rel>`.
    pub fn secret_name(&self, s: usize) -> String {
        format!("secret/{}", self.secrets[s].rel)
    }

    pub fn mount_of(&self, p: &Pair) -> usize {
        match p.op {
            Op::Read | Op::Write | Op::MetaRead | Op::List => self.secrets[p.secret].kind.mount(),
            Op::UiMounts | Op::Renew => M_SYS,
            Op::Login => self.ids[p.ident].login_mount,
            Op::LookupSelf => M_TOKEN,
        }
    }
}

/// Popularity: machines first (a few bots do most of the traffic), people in
/// the long tail; `payments-api` among the very busiest, root the quietest.
fn build_pickers(rng: &mut Rng, ids: &[Identity], cast: &Cast) -> (Picker, Picker, Picker) {
    let root = ids
        .iter()
        .position(|i| i.kind == Kind::Root)
        .expect("root exists");
    let machine = |i: &usize| matches!(ids[*i].kind, Kind::AppRole | Kind::Kubernetes);
    let mut all: Vec<usize> = (0..ids.len())
        .filter(|&i| i != root && i != cast.payments_api)
        .collect();
    rng.shuffle(&mut all);
    all.sort_by_key(|i| !machine(i)); // stable: machines first, shuffled within
    all.insert(2, cast.payments_api);
    all.push(root);
    let logins: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| ids[i].kind.can_login())
        .collect();
    let mut humans: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].kind.is_human()).collect();
    rng.shuffle(&mut humans);
    (
        Picker::zipf(all, 1.1),
        Picker::zipf(humans, 0.8),
        Picker::zipf(logins, 0.6),
    )
}
