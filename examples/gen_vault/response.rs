//! The response block of an audit entry: mount fields, the new token of a
//! login, error data, and each operation's payload with every string HMAC'd.

use crate::json::{put, put_hmac, put_hmac_field, put_u64};
use crate::render::put_fields;
use crate::rng::{Rng, key};
use crate::secrets::{Secret, SecretKind};
use crate::traffic::{Op, Outcome, Pair};
use crate::world::World;

// Keys of constant HMAC'd strings: Vault HMACs the response error text too.
const K_DENIED: u64 = 0xDE41ED;
const K_INTERNAL: u64 = 0x1E7E42;
const K_EMPTY: u64 = 0;

pub fn response_block(b: &mut Vec<u8>, w: &World, p: &Pair) {
    if p.op == Op::Login && p.outcome == Outcome::Ok {
        put(b, "\"auth\":");
        put(b, &w.ids[p.ident].auth);
        put(b, ",");
    }
    put(b, &w.mounts[w.mount_of(p)].resp);
    match p.outcome {
        Outcome::Denied | Outcome::Failed => {
            put(b, ",\"data\":{\"error\":\"");
            put_hmac(
                b,
                w.salt,
                if p.outcome == Outcome::Denied {
                    K_DENIED
                } else {
                    K_INTERNAL
                },
            );
            put(b, "\"}");
        }
        _ => response_payload(b, w, p),
    }
}

/// `database/creds/<role>/<24 random characters>`, like Vault's lease ids.
fn put_lease(b: &mut Vec<u8>, s: &Secret, nonce: u64) {
    const ABC: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    put(b, ",\"secret\":{\"lease_id\":\"database/creds/");
    put(b, &s.rel);
    b.push(b'/');
    let mut r = Rng::new(nonce);
    for _ in 0..24 {
        b.push(ABC[r.below(62)]);
    }
    put(b, "\"}");
}

fn response_payload(b: &mut Vec<u8>, w: &World, p: &Pair) {
    let s = &w.secrets[p.secret];
    let salt = w.salt;
    match (p.op, s.kind) {
        (Op::Read, SecretKind::KvV2) => {
            put(b, ",\"data\":{\"data\":{");
            put_fields(b, salt, s, s.version);
            put(b, "},\"metadata\":{");
            put_version_meta(b, salt, s);
            put(b, "}}");
        }
        (Op::Read, SecretKind::KvV1) => {
            put(b, ",\"data\":{");
            put_fields(b, salt, s, s.version);
            put(b, "}");
        }
        (Op::Read, SecretKind::Db) => {
            // Fresh credentials on every read.
            put_lease(b, s, p.nonce);
            put(b, ",\"data\":{");
            put_hmac_field(b, salt, "password", key(&[p.nonce, 1]));
            put(b, ",");
            put_hmac_field(b, salt, "username", key(&[p.nonce, 2]));
            put(b, "}");
        }
        (Op::MetaRead, _) => metadata_payload(b, w, s),
        (Op::List, _) => {
            put(b, ",\"data\":{\"keys\":[");
            for i in 0..s.list_keys {
                if i > 0 {
                    b.push(b',');
                }
                b.push(b'"');
                put_hmac(b, salt, key(&[s.key, i, 0x11]));
                b.push(b'"');
            }
            put(b, "]}");
        }
        (Op::UiMounts, kind) => {
            put(b, ",\"data\":");
            put(
                b,
                if kind == SecretKind::KvV2 {
                    &w.ui_kv2
                } else {
                    &w.ui_kv1
                },
            );
        }
        (Op::Write, SecretKind::KvV2) => {
            put(b, ",\"data\":{");
            put_version_meta(b, salt, s);
            put(b, "}");
        }
        (Op::Write, _) => {} // KV v1 writes answer 204 No Content.
        (Op::LookupSelf, _) => {
            let id = &w.ids[p.ident];
            put(b, ",\"data\":");
            put(b, &id.lookup_head);
            put_u64(b, if id.ttl == 0 { 0 } else { p.nonce % id.ttl });
            put(b, &id.lookup_tail);
        }
        (Op::Renew, _) => put_lease(b, s, p.nonce),
        (Op::Login, _) => {} // The token is in response.auth.
    }
}

/// KV v2 metadata: the last (up to) three versions are kept (max_versions 3).
fn metadata_payload(b: &mut Vec<u8>, w: &World, s: &Secret) {
    let salt = w.salt;
    let oldest = s.version.saturating_sub(2).max(1);
    put(b, ",\"data\":{\"cas_required\":false,");
    put_hmac_field(b, salt, "created_time", s.created_key(1));
    put(b, ",\"current_version\":");
    put_u64(b, s.version);
    put(b, ",\"custom_metadata\":");
    put(b, &s.custom_metadata);
    put(b, ",");
    put_hmac_field(b, salt, "delete_version_after", 0x05);
    put(b, ",\"max_versions\":3,\"oldest_version\":");
    put_u64(b, oldest);
    put(b, ",");
    put_hmac_field(b, salt, "updated_time", s.created_key(s.version));
    put(b, ",\"versions\":{");
    // Go sorts map keys as strings: "10" < "8" < "9".
    let mut versions: Vec<String> = (oldest..=s.version).map(|v| v.to_string()).collect();
    versions.sort();
    for (i, v) in versions.iter().enumerate() {
        if i > 0 {
            b.push(b',');
        }
        put(b, "\"");
        put(b, v);
        put(b, "\":{");
        put_hmac_field(
            b,
            salt,
            "created_time",
            s.created_key(v.parse().unwrap_or(0)),
        );
        put(b, ",");
        put_hmac_field(b, salt, "deletion_time", K_EMPTY);
        put(b, ",\"destroyed\":false}");
    }
    put(b, "}}");
}

/// The metadata of a secret's current KV v2 version, as both value reads and
/// writes answer it.
fn put_version_meta(b: &mut Vec<u8>, salt: u64, s: &Secret) {
    put_hmac_field(b, salt, "created_time", s.created_key(s.version));
    put(b, ",\"custom_metadata\":");
    put(b, &s.custom_metadata);
    put(b, ",");
    put_hmac_field(b, salt, "deletion_time", K_EMPTY);
    put(b, ",\"destroyed\":false,\"version\":");
    put_u64(b, s.version);
}
