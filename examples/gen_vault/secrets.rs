//! The secret catalogue: KV v2, KV v1 and database-credential secrets, each
//! with its fields, current version and group, and the paths they live at.

use std::collections::HashSet;

use crate::catalogue::{APP_SUFFIXES, DB_FIELDS, ENVS, KEY_TYPES, TEAMS, group, pick_env};
use crate::json::hmac;
use crate::mounts::{M_DB, M_KV, M_SECRET};
use crate::rng::{Rng, key};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    KvV2,
    KvV1,
    Db,
}

impl SecretKind {
    /// Index into per-kind tables (`World::pools`, `World::groups`).
    pub fn slot(self) -> usize {
        match self {
            SecretKind::KvV2 => 0,
            SecretKind::KvV1 => 1,
            SecretKind::Db => 2,
        }
    }

    pub fn mount(self) -> usize {
        match self {
            SecretKind::KvV2 => M_SECRET,
            SecretKind::KvV1 => M_KV,
            SecretKind::Db => M_DB,
        }
    }

    /// What comes before `Secret::rel` in the path of a value read or write.
    pub fn value_prefix(self) -> &'static str {
        match self {
            SecretKind::KvV2 => "secret/data/",
            SecretKind::KvV1 => "kv/",
            SecretKind::Db => "database/creds/",
        }
    }
}

pub struct Secret {
    pub kind: SecretKind,
    /// Path below the mount: `production/payments/app/db-password`, or the
    /// role name for `database/creds/`.
    pub rel: String,
    pub fields: &'static [&'static str],
    pub version: u64,
    /// `null` or a map of HMAC'd custom metadata.
    pub custom_metadata: String,
    pub list_keys: u64,
    pub group: usize,
    pub key: u64,
}

impl Secret {
    pub fn full_path(&self) -> String {
        format!("{}{}", self.kind.value_prefix(), self.rel)
    }
    /// The folder holding it, as listed by `vault kv list`.
    pub fn folder(&self) -> &str {
        &self.rel[..=self.rel.rfind('/').unwrap_or(0)]
    }
    /// Key of the HMAC'd `created_time` of a KV v2 version.
    pub fn created_key(&self, version: u64) -> u64 {
        key(&[self.key, version, 0xC7])
    }
}

pub fn new_secret(
    rng: &mut Rng,
    salt: u64,
    kind: SecretKind,
    rel: String,
    fields: &'static [&'static str],
    group: usize,
) -> Secret {
    let custom_metadata = if kind == SecretKind::KvV2 && rng.chance(0.2) {
        format!(
            "{{\"owner\":\"{}\",\"ticket\":\"{}\"}}",
            hmac(salt, rng.next_u64()),
            hmac(salt, rng.next_u64())
        )
    } else {
        "null".to_string()
    };
    Secret {
        kind,
        rel,
        fields,
        version: 1
            + rng.below(6) as u64
            + if rng.chance(0.1) {
                rng.below(20) as u64
            } else {
                0
            },
        custom_metadata,
        list_keys: rng.range(2, 7),
        group,
        key: rng.next_u64(),
    }
}

/// ~5,000 random secrets; the planted ones are added by the caller.
pub fn build_secrets(rng: &mut Rng, salt: u64, secrets: &mut Vec<Secret>) {
    let mut seen: HashSet<String> = secrets.iter().map(|s| s.full_path()).collect();
    let mut add = |rng: &mut Rng, kind, rel: String, fields, group| {
        let s = new_secret(rng, salt, kind, rel, fields, group);
        if seen.insert(s.full_path()) {
            secrets.push(s);
            true
        } else {
            false
        }
    };
    for (kind, count) in [
        (SecretKind::KvV2, 3500),
        (SecretKind::KvV1, 1300),
        (SecretKind::Db, 200),
    ] {
        let mut made = 0;
        while made < count {
            let (env, team) = (pick_env(rng), rng.below(TEAMS.len()));
            let app = format!("{}-{}", TEAMS[team], rng.pick(&APP_SUFFIXES));
            let (name, fields) = *rng.pick(KEY_TYPES);
            let e = ENVS[env];
            let rel = match kind {
                SecretKind::KvV2 => format!("{e}/{}/{app}/{name}", TEAMS[team]),
                SecretKind::KvV1 => format!("{e}/{app}/{name}"),
                SecretKind::Db if env == 0 => format!("{app}-{}", rng.pick(&["ro", "rw"])),
                SecretKind::Db => format!("{e}-{app}-{}", rng.pick(&["ro", "rw"])),
            };
            let fields = if kind == SecretKind::Db {
                DB_FIELDS
            } else {
                fields
            };
            if add(rng, kind, rel, fields, group(env, team)) {
                made += 1;
            }
        }
    }
}
