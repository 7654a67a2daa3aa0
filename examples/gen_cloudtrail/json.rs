//! Byte writers for CloudTrail's JSON: numbers, hex, UUIDs, AWS-style ids
//! and escaped strings.
//!
//! The hot path appends to a reused `Vec<u8>` (`put*`); the `String`-returning
//! forms are for fragments rendered once, when the world is built.

use crate::rng::Rng;

#[allow(dead_code)] // each generator uses a part of it
#[path = "../common/bytes.rs"]
mod bytes;

pub use bytes::{put, put_hex, put_u64, string_of};

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
/// Secrets Manager's ARN suffixes and S3 object keys: mixed-case alphanumerics.
pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// IAM unique ids and access key ids use upper case and the digits 2-7.
pub const AWS_ID: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `n` random lower-case hex digits (instance ids, task ids, hashes).
pub fn put_rand_hex(b: &mut Vec<u8>, rng: &mut Rng, n: usize) {
    let mut left = n;
    while left > 0 {
        let take = left.min(16);
        put_hex(b, rng.next_u64(), take as u32);
        left -= take;
    }
}

/// S3's request ids: 16 upper-case hex digits.
pub fn put_s3_request_id(b: &mut Vec<u8>, rng: &mut Rng) {
    let v = rng.next_u64();
    for i in (0..16).rev() {
        b.push(HEX_UPPER[((v >> (i * 4)) & 0xf) as usize]);
    }
}

/// `n` characters drawn from `alphabet` (at most 64 letters: 6 bits each,
/// ten characters per random word).
pub fn put_chars(b: &mut Vec<u8>, rng: &mut Rng, alphabet: &[u8], n: usize) {
    let mut word = 0u64;
    let mut bits = 0;
    for _ in 0..n {
        if bits < 6 {
            word = rng.next_u64();
            bits = 60;
        }
        // Multiply-shift of 6 bits onto the alphabet: uniform enough.
        let i = ((word & 63) as usize * alphabet.len()) >> 6;
        b.push(alphabet[i]);
        word >>= 6;
        bits -= 6;
    }
}

pub fn chars(rng: &mut Rng, alphabet: &[u8], n: usize) -> String {
    string_of(n, |b| put_chars(b, rng, alphabet, n))
}

/// A random (version 4) UUID, as AWS uses for eventID and most requestIDs.
pub fn put_uuid(b: &mut Vec<u8>, rng: &mut Rng) {
    let hi = (rng.next_u64() & !0xf000) | 0x4000;
    let lo = (rng.next_u64() & !(0xc << 60)) | (0x8 << 60);
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
    string_of(36, |b| put_uuid(b, rng))
}

/// A JSON string literal, quotes included. CloudTrail (Java) escapes `"`,
/// `\` and control characters and leaves `/` and non-ASCII alone.
pub fn put_str(b: &mut Vec<u8>, s: &str) {
    b.push(b'"');
    for &c in s.as_bytes() {
        match c {
            b'"' => b.extend_from_slice(b"\\\""),
            b'\\' => b.extend_from_slice(b"\\\\"),
            b'\n' => b.extend_from_slice(b"\\n"),
            b'\t' => b.extend_from_slice(b"\\t"),
            c if c < 0x20 => {
                b.extend_from_slice(b"\\u00");
                put_hex(b, u64::from(c), 2);
            }
            c => b.push(c),
        }
    }
    b.push(b'"');
}

pub fn json_str(s: &str) -> String {
    string_of(s.len() + 2, |b| put_str(b, s))
}
