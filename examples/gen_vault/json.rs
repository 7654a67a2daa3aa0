//! Byte writers for Go `encoding/json` output: numbers, hex, fake HMACs,
//! UUIDs, escaped strings, sorted maps, base64.
//!
//! The hot path appends to a reused `Vec<u8>` (`put*`); the `String`-returning
//! forms are for fragments rendered once, when the world is built.

use crate::rng::{Rng, mix64};

#[allow(dead_code)] // each generator uses a part of it
#[path = "../common/bytes.rs"]
mod bytes;

pub use bytes::{put, put_hex, put_u64, string_of};

/// `hmac-sha256:` plus 64 hex digits derived from `k` and the audit salt.
pub fn put_hmac(b: &mut Vec<u8>, salt: u64, k: u64) {
    put(b, "hmac-sha256:");
    for i in 0..4u64 {
        put_hex(
            b,
            mix64(salt ^ k ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            16,
        );
    }
}

/// `"name":"hmac-sha256:..."`.
pub fn put_hmac_field(b: &mut Vec<u8>, salt: u64, name: &str, k: u64) {
    put(b, "\"");
    put(b, name);
    put(b, "\":\"");
    put_hmac(b, salt, k);
    put(b, "\"");
}

pub fn hmac(salt: u64, k: u64) -> String {
    string_of(76, |b| put_hmac(b, salt, k))
}

/// An HMAC as a JSON string literal, quotes included.
pub fn quoted_hmac(salt: u64, k: u64) -> String {
    format!("\"{}\"", hmac(salt, k))
}

/// A random (version 4) UUID, as Vault uses for request and entity ids.
pub fn put_uuid(b: &mut Vec<u8>, hi: u64, lo: u64) {
    let hi = (hi & !0xf000) | 0x4000;
    let lo = (lo & !(0xc << 60)) | (0x8 << 60);
    put_hex(b, hi >> 32, 8);
    b.push(b'-');
    put_hex(b, hi >> 16, 4);
    b.push(b'-');
    put_hex(b, hi, 4);
    b.push(b'-');
    put_hex(b, lo >> 48, 4);
    b.push(b'-');
    put_hex(b, lo, 12);
}

pub fn uuid(rng: &mut Rng) -> String {
    let (hi, lo) = (rng.next_u64(), rng.next_u64());
    string_of(36, |b| put_uuid(b, hi, lo))
}

/// A JSON string literal exactly as Go's encoding/json writes it: HTML-safe
/// escaping of `<`, `>`, `&`, plus U+2028/U+2029; non-ASCII stays raw UTF-8.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn json_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| json_str(s)).collect();
    format!("[{}]", quoted.join(","))
}

/// A `map[string]string`: Go sorts map keys.
pub fn json_map(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort();
    let fields: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{}:{}", json_str(k), json_str(v)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// Standard base64 with padding: Vault's client_id for tokens without an
/// entity is a base64 SHA-256 of the token's policies.
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | (c as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
