//! [`Timestamp`]: an instant in UTC that prints as precisely as its log wrote it.

use std::fmt::{self, Write as _};

use chrono::{DateTime, SecondsFormat, Utc};

/// A point in time, UTC, and how it is written. The instant is kept as
/// nanoseconds since the Unix epoch (1677–2262, which is every audit log
/// there will ever be), so sorting and window checks are cheap and
/// fractional seconds are never rounded away. A time read from a log also
/// keeps how many fractional digits the log wrote (0–9: Azure's 7, Vault's
/// 6 or 9, CloudTrail's 0), so it prints as precise as its source, no more,
/// no less.
///
/// Equality, order and hashing look at the instant only: `…:12.5Z` and
/// `…:12.500Z` are the same time.
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    nanos: i64,
    /// Fractional digits as logged (0–9), or [`Timestamp::COMPUTED`].
    digits: u8,
}

impl Timestamp {
    /// The digit count of a time whosaw computed itself (a window bound):
    /// printed with as many digits as needed (0, 3, 6 or 9).
    const COMPUTED: u8 = u8::MAX;

    /// A time whosaw computed itself (`--since 6h`, a window bound).
    pub const fn from_nanos(nanos: i64) -> Self {
        Timestamp {
            nanos,
            digits: Self::COMPUTED,
        }
    }

    /// A time as a log wrote it, with `digits` fractional digits (more than
    /// 9 are kept as 9: the instant has no more).
    pub const fn logged(nanos: i64, digits: u8) -> Self {
        Timestamp {
            nanos,
            digits: if digits > 9 { 9 } else { digits },
        }
    }

    /// The instant and the digit count exactly as kept, for storing (see
    /// `from_raw_parts`).
    pub(crate) const fn raw_parts(self) -> (i64, u8) {
        (self.nanos, self.digits)
    }

    /// A time stored with `raw_parts`.
    pub(crate) const fn from_raw_parts(nanos: i64, digits: u8) -> Self {
        match digits {
            0..=9 => Timestamp { nanos, digits },
            _ => Timestamp::from_nanos(nanos),
        }
    }

    /// A time whosaw computed; `None` outside 1677–2262.
    pub fn from_datetime(dt: DateTime<Utc>) -> Option<Self> {
        dt.timestamp_nanos_opt().map(Self::from_nanos)
    }

    /// Nanoseconds since the Unix epoch.
    pub const fn nanos(self) -> i64 {
        self.nanos
    }

    /// The fractional digits the log wrote; `None` for a computed time.
    pub fn digits(self) -> Option<u8> {
        (self.digits != Self::COMPUTED).then_some(self.digits)
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(self.nanos)
    }

    /// RFC 3339 in UTC with `Z`: a logged time with exactly the fractional
    /// digits its log wrote (`.2681600Z` stays `.2681600Z`), a computed one
    /// with as many as needed (0, 3, 6 or 9).
    pub fn rfc3339(self) -> String {
        let dt = self.to_datetime();
        let Some(digits) = self.digits() else {
            return dt.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        };
        let mut text = dt.to_rfc3339_opts(SecondsFormat::Secs, true);
        if digits > 0 {
            // The instant's nanoseconds cut to the logged digits (those
            // beyond them are zero: the log did not write them).
            text.pop(); // the `Z`
            let nanos = self.nanos.rem_euclid(1_000_000_000);
            let fraction = nanos / 10_i64.pow(9 - u32::from(digits));
            let width = usize::from(digits);
            let _ = write!(text, ".{fraction:0width$}Z");
        }
        text
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.nanos.hash(state);
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// As its RFC 3339 text (see [`Timestamp::rfc3339`]).
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn timestamps_keep_their_fraction() {
        let t = crate::time::parse_log_time("2025-03-15T02:34:12.847Z").unwrap();
        assert_eq!(t.rfc3339(), "2025-03-15T02:34:12.847Z");
        let t = crate::time::parse_log_time("2018-04-09T21:04:29.6406536Z").unwrap();
        assert_eq!(t.rfc3339(), "2018-04-09T21:04:29.6406536Z");
    }

    #[test]
    fn logged_times_print_with_their_own_digit_count() {
        // One case per digit count, 0 to 9, trailing zeros included.
        for (text, digits) in [
            ("2024-04-02T08:20:49Z", 0),
            ("2024-04-02T08:20:49.2Z", 1),
            ("2024-04-02T08:20:49.20Z", 2),
            ("2024-04-02T08:20:49.268Z", 3),
            ("2024-04-02T08:20:49.2680Z", 4),
            ("2024-04-02T08:20:49.26816Z", 5),
            ("2024-04-02T08:20:49.000000Z", 6),
            ("2024-04-02T08:20:49.2681600Z", 7),
            ("2024-04-02T08:20:49.26816001Z", 8),
            ("2024-04-02T08:20:49.000000000Z", 9),
        ] {
            let t = crate::time::parse_log_time(text).unwrap();
            assert_eq!(t.digits(), Some(digits), "{text}");
            assert_eq!(t.rfc3339(), text, "{text}");
            assert_eq!(t.to_string(), text, "{text}");
        }
        // Offsets become UTC; the digits stay.
        let t = crate::time::parse_log_time("2024-04-02T10:20:49.2681600+02:00").unwrap();
        assert_eq!(t.rfc3339(), "2024-04-02T08:20:49.2681600Z");
        // Before 1970 the fraction still counts forward from the second.
        let t = crate::time::parse_log_time("1969-12-31T23:59:59.25Z").unwrap();
        assert_eq!(t.rfc3339(), "1969-12-31T23:59:59.25Z");
        // More than 9 digits: the instant holds nanoseconds, printed as 9.
        let t = crate::time::parse_log_time("2024-04-02T08:20:49.1234567891Z").unwrap();
        assert_eq!(t.rfc3339(), "2024-04-02T08:20:49.123456789Z");
        // `logged` clamps its digits the same way.
        assert_eq!(Timestamp::logged(5, 12).digits(), Some(9));
    }

    #[test]
    fn computed_times_print_as_many_digits_as_needed() {
        let at = |s: &str| crate::time::parse_log_time(s).unwrap().nanos();
        for (text, printed) in [
            ("2025-03-15T02:00:00.000Z", "2025-03-15T02:00:00Z"),
            ("2025-03-15T02:00:00.5Z", "2025-03-15T02:00:00.500Z"),
            (
                "2025-03-15T02:00:00.1234567Z",
                "2025-03-15T02:00:00.123456700Z",
            ),
        ] {
            let t = Timestamp::from_nanos(at(text));
            assert_eq!(t.digits(), None);
            assert_eq!(t.rfc3339(), printed);
        }
    }

    #[test]
    fn timestamps_compare_and_hash_by_instant_only() {
        use std::collections::HashSet;
        let short = crate::time::parse_log_time("2025-03-15T02:34:12.5Z").unwrap();
        let long = crate::time::parse_log_time("2025-03-15T02:34:12.500000000Z").unwrap();
        let computed = Timestamp::from_nanos(long.nanos());
        assert_eq!(short, long);
        assert_eq!(short, computed);
        assert_eq!(short.cmp(&long), std::cmp::Ordering::Equal);
        assert_ne!(short.rfc3339(), long.rfc3339());
        let set: HashSet<Timestamp> = [short, long, computed].into_iter().collect();
        assert_eq!(set.len(), 1);
        // Whole seconds sort before the same second with a fraction, whatever
        // the text says (`Z` sorts after `.` as a byte).
        let whole = crate::time::parse_log_time("2025-03-15T02:34:12Z").unwrap();
        assert!(whole < short);
        assert!(whole.rfc3339() > short.rfc3339());
    }
}
