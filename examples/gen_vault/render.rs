//! One audit entry: the line skeleton (`time`, `type`, `auth`, `request`,
//! `response`, `error`) and the request block. The response block is in
//! `response.rs`.

use crate::json::{put, put_hmac, put_hmac_field, put_u64, put_uuid};
use crate::response::response_block;
use crate::rng::key;
use crate::secrets::{Secret, SecretKind};
use crate::timestamp::put_time;
use crate::traffic::{Op, Outcome, Pair};
use crate::world::World;

const ERR_DENIED_REQ: &str = ",\"error\":\"permission denied\"";
const ERR_DENIED_RESP: &str = ",\"error\":\"1 error occurred:\\n\\t* permission denied\\n\\n\"";
const ERR_INTERNAL_RESP: &str = ",\"error\":\"1 error occurred:\\n\\t* internal error\\n\\n\"";

pub fn render_entry(b: &mut Vec<u8>, w: &World, p: &Pair, t: i64, response: bool) {
    let id = &w.ids[p.ident];
    put(b, "{\"time\":\"");
    put_time(b, t);
    put(
        b,
        if response {
            "\",\"type\":\"response\",\"auth\":"
        } else {
            "\",\"type\":\"request\",\"auth\":"
        },
    );
    // A login request arrives without a token; its response carries the new one.
    if p.op == Op::Login && !response {
        put(b, "{\"token_type\":\"default\"}");
    } else {
        put(b, &id.auth);
    }
    put(b, ",\"request\":{");
    request_block(b, w, p);
    put(b, "}");
    if response {
        put(b, ",\"response\":{");
        response_block(b, w, p);
        put(b, "}");
    }
    match (p.outcome, response) {
        (Outcome::Denied, false) => put(b, ERR_DENIED_REQ),
        (Outcome::Denied, true) => put(b, ERR_DENIED_RESP),
        (Outcome::Failed, true) => put(b, ERR_INTERNAL_RESP),
        _ => {}
    }
    put(b, "}\n");
}

fn request_block(b: &mut Vec<u8>, w: &World, p: &Pair) {
    let id = &w.ids[p.ident];
    let login = p.op == Op::Login;
    put(b, "\"id\":\"");
    put_uuid(b, p.req_id.0, p.req_id.1);
    if !login {
        put(b, "\",\"client_id\":\"");
        put(b, &id.client_id);
    }
    put(b, "\",\"operation\":\"");
    put(b, p.operation(w));
    put(b, "\",");
    put(b, &w.mounts[w.mount_of(p)].req);
    if !login {
        put(b, ",");
        put(b, &id.token_fields);
    }
    put(b, ",\"namespace\":{\"id\":\"root\"},\"path\":\"");
    put_path(b, w, p);
    put(b, "\"");
    request_data(b, w, p);
    put(b, ",\"remote_address\":\"");
    put(b, &id.ips[p.ip]);
    put(b, "\",\"remote_port\":");
    put_u64(b, p.port);
    put(b, ",\"headers\":{\"user-agent\":[\"");
    put(b, &id.user_agent);
    put(b, "\"]}");
}

fn put_path(b: &mut Vec<u8>, w: &World, p: &Pair) {
    let s = &w.secrets[p.secret];
    match p.op {
        Op::Read | Op::Write => {
            put(b, s.kind.value_prefix());
            put(b, &s.rel);
        }
        Op::MetaRead => {
            put(b, "secret/metadata/");
            put(b, &s.rel);
        }
        Op::List => {
            put(b, "secret/metadata/");
            put(b, s.folder());
        }
        Op::UiMounts => {
            put(b, "sys/internal/ui/mounts/");
            put(
                b,
                match (s.kind, p.ui_full) {
                    (SecretKind::KvV2, true) => "secret/data/",
                    (SecretKind::KvV2, false) => "secret/",
                    _ => "kv/",
                },
            );
            put(b, &s.rel);
        }
        Op::Login => put(b, &w.ids[p.ident].login_path),
        Op::LookupSelf => put(b, "auth/token/lookup-self"),
        Op::Renew => put(b, "sys/leases/renew"),
    }
}

/// `"k":"hmac",...` for a secret's fields at a version.
pub fn put_fields(b: &mut Vec<u8>, salt: u64, s: &Secret, version: u64) {
    for (i, f) in s.fields.iter().enumerate() {
        if i > 0 {
            b.push(b',');
        }
        put_hmac_field(b, salt, f, key(&[s.key, version, i as u64]));
    }
}

fn request_data(b: &mut Vec<u8>, w: &World, p: &Pair) {
    let s = &w.secrets[p.secret];
    match p.op {
        Op::Write => {
            // The version bump is applied before rendering; a denied write
            // carries the value that would have become the next version.
            let version = if p.outcome == Outcome::Denied {
                s.version + 1
            } else {
                s.version
            };
            // KV v2 wraps the fields in a `data` object of their own.
            let kv2 = s.kind == SecretKind::KvV2;
            put(
                b,
                if kv2 {
                    ",\"data\":{\"data\":{"
                } else {
                    ",\"data\":{"
                },
            );
            put_fields(b, w.salt, s, version);
            put(b, if kv2 { "}}" } else { "}" });
        }
        Op::Login => {
            put(b, ",\"data\":");
            put(b, &w.ids[p.ident].login_data);
        }
        Op::Renew => {
            put(b, ",\"data\":{\"lease_id\":\"");
            put_hmac(b, w.salt, p.nonce);
            put(b, "\"}");
        }
        _ => {}
    }
}
