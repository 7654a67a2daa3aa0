//! Byte writers shared by the benchmark generators (`gen_vault`,
//! `gen_cloudtrail`), included by each with `#[path]`.

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Runs a byte writer into a fresh `String`; every writer here emits UTF-8.
pub fn string_of(capacity: usize, write: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut b = Vec::with_capacity(capacity);
    write(&mut b);
    String::from_utf8(b).expect("writers emit UTF-8")
}

pub fn put(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(s.as_bytes());
}

pub fn put_u64(b: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(&digits[i..]);
}

pub fn put_hex(b: &mut Vec<u8>, v: u64, digits: u32) {
    for i in (0..digits).rev() {
        b.push(HEX[((v >> (i * 4)) & 0xf) as usize]);
    }
}
