//! Identities: a spec made into a client of Vault, with its token, accessor,
//! entity, source addresses, login data and `auth/token/lookup-self` answer.

use crate::json::{base64, hmac, json_list, json_map, json_str, quoted_hmac, uuid};
use crate::mounts::{M_APPROLE, M_K8S, M_LDAP, M_OIDC, M_TOKEN, M_USERPASS};
use crate::rng::{Rng, key};
use crate::specs::{Entity, Kind, Spec};
use crate::timestamp::time_string;
use crate::{SEC, START_NS};

/// A client of Vault. Everything that is stable per identity is rendered
/// once here, so emitting a line is mostly copying bytes.
pub struct Identity {
    pub kind: Kind,
    /// The `auth` object, `{...}`.
    pub auth: String,
    /// `"client_token":...,"client_token_accessor":...` for the request block.
    pub token_fields: String,
    pub client_id: String,
    pub ips: Vec<String>,
    pub user_agent: String,
    pub login_mount: usize,
    pub login_path: String,
    /// Request data of a login, `{...}`.
    pub login_data: String,
    /// `auth/token/lookup-self` response data, split around the remaining ttl.
    pub lookup_head: String,
    pub lookup_tail: String,
    pub ttl: u64,
    /// Group (environment x team) whose secrets it mostly touches.
    pub home: usize,
}

/// Turn a spec into an identity: make up its token, accessor, entity,
/// addresses, and render the JSON fragments it contributes to each line.
pub fn finish_identity(rng: &mut Rng, salt: u64, spec: Spec) -> Identity {
    let client_token = hmac(salt, rng.next_u64());
    // Batch tokens have no accessor.
    let accessor = (spec.kind != Kind::BatchToken).then(|| hmac(salt, rng.next_u64()));
    let entity_id = match spec.entity {
        Entity::Id => Some(uuid(rng)),
        Entity::Empty => Some(String::new()),
        Entity::Absent => None,
    };
    let issued = START_NS / SEC - rng.range(3_600, 40 * 86_400) as i64;
    let mut policies = spec.token_policies.clone();
    policies.extend(spec.identity_policies.iter().cloned());
    let token_type = if spec.kind == Kind::BatchToken {
        "batch"
    } else {
        "service"
    };

    // The auth object, in Go struct order with omitempty.
    let mut auth = format!("{{\"client_token\":\"{client_token}\"");
    if let Some(a) = &accessor {
        auth += &format!(",\"accessor\":\"{a}\"");
    }
    auth += &format!(",\"display_name\":{}", json_str(&spec.display));
    auth += &format!(",\"policies\":{}", json_list(&policies));
    auth += &format!(",\"token_policies\":{}", json_list(&spec.token_policies));
    if !spec.identity_policies.is_empty() {
        auth += &format!(
            ",\"identity_policies\":{}",
            json_list(&spec.identity_policies)
        );
    }
    if !spec.metadata.is_empty() {
        auth += &format!(",\"metadata\":{}", json_map(&spec.metadata));
    }
    if let Some(e) = &entity_id {
        auth += &format!(",\"entity_id\":\"{e}\"");
    }
    auth += &format!(",\"token_type\":\"{token_type}\"");
    if spec.ttl > 0 {
        auth += &format!(",\"token_ttl\":{}", spec.ttl);
    }
    auth += &format!(",\"token_issue_time\":\"{}\"}}", time_string(issued * SEC));

    let mut token_fields = format!("\"client_token\":\"{client_token}\"");
    if let Some(a) = &accessor {
        token_fields += &format!(",\"client_token_accessor\":\"{a}\"");
    }
    let client_id = match &entity_id {
        Some(e) if !e.is_empty() => e.clone(),
        _ => base64(
            &(0..4)
                .flat_map(|_| rng.next_u64().to_le_bytes())
                .collect::<Vec<u8>>(),
        ),
    };
    let (login_mount, login_data) = match spec.kind {
        Kind::AppRole => (M_APPROLE, [("role_id", 1), ("secret_id", 2)].as_slice()),
        Kind::Kubernetes => (M_K8S, [("jwt", 1), ("role", 2)].as_slice()),
        Kind::Userpass => (M_USERPASS, [("password", 1)].as_slice()),
        Kind::Ldap => (M_LDAP, [("password", 1)].as_slice()),
        Kind::Oidc => (M_OIDC, [("code", 1), ("state", 2)].as_slice()),
        _ => (M_TOKEN, [].as_slice()),
    };
    let base = rng.next_u64();
    let login_data: Vec<String> = login_data
        .iter()
        .map(|(k, i)| format!("\"{k}\":\"{}\"", hmac(salt, key(&[base, *i]))))
        .collect();
    let (lookup_head, lookup_tail) = lookup_self_parts(rng, salt, &spec, issued, &policies);
    Identity {
        kind: spec.kind,
        auth,
        token_fields,
        client_id,
        ips: addresses(rng, spec.kind),
        user_agent: hmac(salt, rng.next_u64()),
        login_mount,
        login_path: json_str(&spec.login_path).trim_matches('"').to_string(),
        login_data: format!("{{{}}}", login_data.join(",")),
        lookup_head,
        lookup_tail,
        ttl: spec.ttl,
        home: spec.home,
    }
}

/// Response data of `auth/token/lookup-self`; every string is HMAC'd.
fn lookup_self_parts(
    rng: &mut Rng,
    salt: u64,
    spec: &Spec,
    issued: i64,
    policies: &[String],
) -> (String, String) {
    let mut h = || quoted_hmac(salt, rng.next_u64());
    let expire = if spec.ttl == 0 {
        "null".to_string()
    } else {
        h()
    };
    let entity = if spec.entity == Entity::Id {
        h()
    } else {
        quoted_hmac(salt, 0)
    };
    let meta = if spec.metadata.is_empty() {
        "null".to_string()
    } else {
        let mut keys: Vec<&String> = spec.metadata.iter().map(|(k, _)| k).collect();
        keys.sort();
        let fields: Vec<String> = keys
            .iter()
            .map(|k| format!("{}:{}", json_str(k), h()))
            .collect();
        format!("{{{}}}", fields.join(","))
    };
    let policies: Vec<String> = policies.iter().map(|_| h()).collect();
    let head = format!(
        "{{\"accessor\":{},\"creation_time\":{issued},\"creation_ttl\":{},\"display_name\":{},\
         \"entity_id\":{entity},\"expire_time\":{expire},\"explicit_max_ttl\":0,\"id\":{},\
         \"issue_time\":{},\"meta\":{meta},\"num_uses\":0,\"orphan\":true,\"path\":{},\
         \"policies\":[{}],\"renewable\":{},\"ttl\":",
        h(),
        spec.ttl,
        h(),
        h(),
        h(),
        h(),
        policies.join(","),
        spec.ttl > 0
    );
    (head, format!(",\"type\":{}}}", h()))
}

/// A few stable source addresses: pod IPs for Kubernetes, VPN for people,
/// and now and then an IPv6 client.
fn addresses(rng: &mut Rng, kind: Kind) -> Vec<String> {
    let n = 1 + rng.below(3);
    (0..n)
        .map(|_| {
            if rng.chance(0.01) {
                return format!("2001:db8::{:x}", rng.range(1, 0xffff));
            }
            let (a, b) = match kind {
                Kind::Kubernetes => (244, rng.below(64)),
                k if k.is_human() => (200, rng.below(16)),
                _ => (1 + rng.below(40), rng.below(256)),
            };
            format!("10.{a}.{b}.{}", rng.range(2, 254))
        })
        .collect()
}
