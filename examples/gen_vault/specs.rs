//! What an identity is, before its tokens and addresses are made up: its
//! auth method, display name, metadata, policies and home group, with one
//! constructor per auth method, and the list that keeps names unique.

use std::collections::HashSet;

use crate::catalogue::{ENVS, TEAMS, group};
use crate::json::uuid;
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    AppRole,
    Kubernetes,
    Userpass,
    Ldap,
    Oidc,
    Token,
    BatchToken,
    Root,
}

impl Kind {
    pub fn is_human(self) -> bool {
        matches!(self, Kind::Userpass | Kind::Ldap | Kind::Oidc)
    }
    pub fn can_login(self) -> bool {
        !matches!(self, Kind::Token | Kind::BatchToken | Kind::Root)
    }
}

/// How the token's `entity_id` appears. Older Vaults wrote `"entity_id":""`
/// for tokens without an entity, newer ones omit it; real archives mix both.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Id,
    Empty,
    Absent,
}

/// What an identity is, before its tokens and addresses are made up.
pub struct Spec {
    pub kind: Kind,
    pub display: String,
    pub metadata: Vec<(String, String)>,
    pub token_policies: Vec<String>,
    pub identity_policies: Vec<String>,
    pub entity: Entity,
    pub ttl: u64,
    pub home: usize,
    pub login_path: String,
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

pub fn approle_spec(rng: &mut Rng, role: &str, team: usize, env: usize) -> Spec {
    let (t, e) = (TEAMS[team], ENVS[env]);
    let mut policies = vec!["default".to_string(), format!("{t}-{e}-read")];
    if rng.chance(0.5) {
        policies.push(format!("{t}-db-creds"));
    }
    if rng.chance(0.3) {
        policies.push(format!("{t}-{e}-write"));
    }
    Spec {
        kind: Kind::AppRole,
        display: "approle".into(),
        metadata: vec![("role_name".into(), role.into())],
        token_policies: sorted(policies),
        identity_policies: vec![],
        entity: Entity::Id,
        ttl: *rng.pick(&[1200, 3600, 3600, 14400]),
        home: group(env, team),
        login_path: "auth/approle/login".into(),
    }
}

pub fn k8s_spec(rng: &mut Rng, ns: &str, sa: &str, team: usize, env: usize) -> Spec {
    let (t, e) = (TEAMS[team], ENVS[env]);
    let mut policies = vec![
        "default".to_string(),
        format!("k8s-{ns}"),
        format!("{t}-{e}-read"),
    ];
    if rng.chance(0.4) {
        policies.push(format!("{t}-db-creds"));
    }
    Spec {
        kind: Kind::Kubernetes,
        display: format!("kubernetes-{ns}-{sa}"),
        metadata: vec![
            ("role".into(), sa.into()),
            ("service_account_name".into(), sa.into()),
            ("service_account_namespace".into(), ns.into()),
            ("service_account_secret_name".into(), String::new()),
            ("service_account_uid".into(), uuid(rng)),
        ],
        token_policies: sorted(policies),
        identity_policies: vec![],
        entity: Entity::Id,
        ttl: 3600,
        home: group(env, team),
        login_path: "auth/kubernetes/login".into(),
    }
}

/// A person, logging in through userpass, LDAP or OIDC (`user` is an email
/// for OIDC). Group policies come from identity groups, as in real setups.
pub fn human_spec(rng: &mut Rng, kind: Kind, user: &str, team: usize) -> Spec {
    let t = TEAMS[team];
    let (display, metadata, login_path) = match kind {
        Kind::Userpass => (
            format!("userpass-{user}"),
            vec![("username".to_string(), user.to_string())],
            format!("auth/userpass/login/{user}"),
        ),
        Kind::Ldap => (
            format!("ldap-{user}"),
            vec![("username".to_string(), user.to_string())],
            format!("auth/ldap/login/{user}"),
        ),
        _ => (
            format!("oidc-{user}"),
            vec![("role".to_string(), "engineering".to_string())],
            "auth/oidc/oidc/callback".to_string(),
        ),
    };
    let mut token_policies = vec!["default".to_string()];
    if rng.chance(0.5) {
        token_policies.push(format!("{t}-dev"));
    }
    let mut identity_policies = vec![];
    if kind != Kind::Userpass {
        identity_policies.push("engineering".to_string());
        identity_policies.push(format!("{t}-developers"));
        if rng.chance(0.3) {
            identity_policies.push(format!("oncall-{t}"));
        }
    }
    Spec {
        kind,
        display,
        metadata,
        token_policies: sorted(token_policies),
        identity_policies: sorted(identity_policies),
        entity: Entity::Id,
        ttl: *rng.pick(&[28_800, 28_800, 2_764_800]),
        home: group(rng.below(ENVS.len()), team),
        login_path,
    }
}

pub fn token_spec(rng: &mut Rng, name: &str, purpose: Option<&str>, entity: Entity) -> Spec {
    let base = name.split(['-', '&', '<']).next().unwrap_or(name);
    let policy = if base.is_empty() {
        "legacy".to_string()
    } else {
        format!("{base}-token")
    };
    Spec {
        kind: Kind::Token,
        display: format!("token-{name}"),
        metadata: purpose
            .map(|p| vec![("purpose".to_string(), p.to_string())])
            .unwrap_or_default(),
        token_policies: sorted(vec!["default".into(), policy]),
        identity_policies: vec![],
        entity,
        ttl: *rng.pick(&[86_400, 2_764_800]),
        home: group(rng.below(ENVS.len()), rng.below(TEAMS.len())),
        login_path: String::new(),
    }
}

pub fn root_spec() -> Spec {
    Spec {
        kind: Kind::Root,
        display: "root".into(),
        metadata: vec![],
        token_policies: vec!["root".into()],
        identity_policies: vec![],
        entity: Entity::Empty,
        ttl: 0,
        home: group(0, 0),
        login_path: String::new(),
    }
}

/// Specs in the order they become identities, each name used once.
#[derive(Default)]
pub struct SpecList {
    pub specs: Vec<Spec>,
    taken: HashSet<String>,
}

impl SpecList {
    /// Adds a spec unless an identical name exists; returns its index.
    pub fn add(&mut self, spec: Spec) -> Option<usize> {
        let name = format!(
            "{}:{}",
            spec.display,
            spec.metadata.first().map(|m| m.1.as_str()).unwrap_or("")
        );
        self.taken.insert(name).then(|| {
            self.specs.push(spec);
            self.specs.len() - 1
        })
    }

    /// Adds specs made by `make` until `target` of them were new.
    pub fn add_many(
        &mut self,
        rng: &mut Rng,
        target: usize,
        mut make: impl FnMut(&mut Rng) -> Spec,
    ) {
        let mut n = 0;
        while n < target {
            if self.add(make(rng)).is_some() {
                n += 1;
            }
        }
    }
}
