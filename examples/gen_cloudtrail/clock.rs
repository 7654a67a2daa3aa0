//! Time as CloudTrail writes it: `eventTime` in whole seconds UTC, the
//! `YYYYMMDDTHHmmZ` stamp and `YYYY/MM/DD` folders of delivered files, and
//! the US-style expiration strings of STS credentials.

use crate::json::put_u64;

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

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

fn civil(secs: i64) -> Civil {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400) as u32;
    Civil {
        year,
        month,
        day,
        hour: sod / 3600,
        minute: sod / 60 % 60,
        second: sod % 60,
    }
}

fn put_2(b: &mut Vec<u8>, n: u32) {
    b.push(b'0' + (n / 10) as u8);
    b.push(b'0' + (n % 10) as u8);
}

/// `2025-03-15T02:31:07Z`: CloudTrail has no fractions of a second.
pub fn put_time(b: &mut Vec<u8>, secs: i64) {
    let c = civil(secs);
    put_u64(b, c.year as u64);
    b.push(b'-');
    put_2(b, c.month);
    b.push(b'-');
    put_2(b, c.day);
    b.push(b'T');
    put_2(b, c.hour);
    b.push(b':');
    put_2(b, c.minute);
    b.push(b':');
    put_2(b, c.second);
    b.push(b'Z');
}

pub fn time_string(secs: i64) -> String {
    crate::json::string_of(20, |b| put_time(b, secs))
}

/// `20250315T0235Z`, the delivery time in a log file's name.
pub fn file_stamp(secs: i64) -> String {
    let c = civil(secs);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute
    )
}

/// `2025/03/15`, the folder of a log file delivered at `secs`.
pub fn date_dir(secs: i64) -> String {
    let c = civil(secs);
    format!("{:04}/{:02}/{:02}", c.year, c.month, c.day)
}

/// `Mar 15, 2025, 7:01:26 AM`: STS logs credential expirations in this
/// Java-locale form, not ISO 8601.
pub fn put_expiration(b: &mut Vec<u8>, secs: i64) {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = civil(secs);
    b.extend_from_slice(MONTHS[c.month as usize - 1].as_bytes());
    b.push(b' ');
    put_u64(b, u64::from(c.day));
    b.extend_from_slice(b", ");
    put_u64(b, c.year as u64);
    b.extend_from_slice(b", ");
    let h12 = match c.hour % 12 {
        0 => 12,
        h => h,
    };
    put_u64(b, u64::from(h12));
    b.push(b':');
    put_2(b, c.minute);
    b.push(b':');
    put_2(b, c.second);
    b.extend_from_slice(if c.hour < 12 { b" AM" } else { b" PM" });
}
