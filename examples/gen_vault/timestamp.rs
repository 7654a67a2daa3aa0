//! Timestamps as Go's `time.RFC3339Nano` writes them, in UTC.

use crate::SEC;
use crate::json::{put_u64, string_of};

fn put_2(b: &mut Vec<u8>, n: u32) {
    b.push(b'0' + (n / 10) as u8);
    b.push(b'0' + (n % 10) as u8);
}

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Go's RFC3339Nano: trailing zeros of the fraction trimmed, and no fraction
/// at all on a whole second (`.8471Z`, `.847123456Z`, `:05Z`).
pub fn put_time(b: &mut Vec<u8>, ns: i64) {
    let secs = ns.div_euclid(SEC);
    let frac = ns.rem_euclid(SEC) as u64;
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400) as u32;
    put_u64(b, y as u64);
    b.push(b'-');
    put_2(b, mo);
    b.push(b'-');
    put_2(b, d);
    b.push(b'T');
    put_2(b, sod / 3600);
    b.push(b':');
    put_2(b, sod / 60 % 60);
    b.push(b':');
    put_2(b, sod % 60);
    if frac != 0 {
        let mut digits = [0u8; 9];
        let mut f = frac;
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + (f % 10) as u8;
            f /= 10;
        }
        let len = 9 - digits.iter().rev().take_while(|&&c| c == b'0').count();
        b.push(b'.');
        b.extend_from_slice(&digits[..len]);
    }
    b.push(b'Z');
}

/// `ns` since the epoch, as a `String`.
pub fn time_string(ns: i64) -> String {
    string_of(32, |b| put_time(b, ns))
}
