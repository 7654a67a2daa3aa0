//! Time parsing: the `--since`/`--until` bounds a user types, and the
//! timestamps logs carry. Everything becomes a UTC [`Timestamp`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::event::Timestamp;

/// Parses a window bound: RFC 3339 with any offset, a bare date (midnight
/// UTC), or a span back from `now` (`90s`, `90m`, `6h`, `7d`, `2w`).
pub(crate) fn parse_bound(text: &str, now: DateTime<Utc>) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Timestamp::from_datetime(dt.with_timezone(&Utc))
            .ok_or_else(|| format!("{text:?} is outside the years 1677–2262"));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let dt = date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc();
        return Timestamp::from_datetime(dt)
            .ok_or_else(|| format!("{text:?} is outside the years 1677–2262"));
    }
    if let Some(span) = parse_span(text) {
        let back = now
            .checked_sub_signed(span)
            .ok_or_else(|| format!("{text:?} reaches too far back"))?;
        return Timestamp::from_datetime(back)
            .ok_or_else(|| format!("{text:?} reaches too far back"));
    }
    Err(format!(
        "{text:?} is not a time: use RFC 3339 (2025-03-15T02:00:00Z, \
         2025-03-15T02:00:00+01:00), a date (2025-03-15, midnight UTC) \
         or a span back from now (90m, 6h, 7d)"
    ))
}

pub(crate) fn parse_span(text: &str) -> Option<chrono::TimeDelta> {
    let unit_at = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(unit_at);
    let n: i64 = digits.parse().ok()?;
    let seconds_per_unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    chrono::TimeDelta::try_seconds(n.checked_mul(seconds_per_unit)?)
}

/// Parses a log timestamp (RFC 3339, any number of fractional digits, any
/// offset), keeping how many fractional digits it has. `None` when it is not
/// one.
pub fn parse_log_time(text: &str) -> Option<Timestamp> {
    let dt = DateTime::parse_from_rfc3339(text).ok()?;
    let nanos = dt.with_timezone(&Utc).timestamp_nanos_opt()?;
    Some(Timestamp::logged(nanos, fraction_digits(text)))
}

/// Parses a log timestamp of a source whose times are always UTC: RFC 3339
/// as [`parse_log_time`], or the same without a zone
/// (`2024-10-17 21:48:45.000000000`, `2024-10-17T21:48:45`), as security
/// data lakes flatten CloudTrail's `eventTime`. Not for other sources: a
/// time without a zone elsewhere may be local time.
pub(crate) fn parse_utc_log_time(text: &str) -> Option<Timestamp> {
    parse_log_time(text).or_else(|| {
        let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())?;
        let nanos = naive.and_utc().timestamp_nanos_opt()?;
        Some(Timestamp::logged(nanos, fraction_digits(text)))
    })
}

/// How many fractional digits a time is written with: those after its `.`
/// (a valid time has at most one, after the seconds).
fn fraction_digits(text: &str) -> u8 {
    let Some(dot) = text.find('.') else {
        return 0;
    };
    let digits = text[dot + 1..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    digits.min(9) as u8
}

/// The half-open window `since <= t < until`; either side may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Window {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

impl Window {
    pub(crate) fn contains(&self, t: Timestamp) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2025-03-15T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn ts(s: &str) -> Timestamp {
        parse_log_time(s).unwrap()
    }

    #[test]
    fn rfc3339_offsets_become_utc() {
        let t = parse_bound("2025-03-15T02:00:00+01:00", now()).unwrap();
        assert_eq!(t, ts("2025-03-15T01:00:00Z"));
    }

    #[test]
    fn a_date_is_midnight_utc() {
        let t = parse_bound("2025-03-15", now()).unwrap();
        assert_eq!(t, ts("2025-03-15T00:00:00Z"));
    }

    #[test]
    fn spans_count_back_from_now() {
        assert_eq!(
            parse_bound("90m", now()).unwrap(),
            ts("2025-03-15T10:30:00Z")
        );
        assert_eq!(
            parse_bound("6h", now()).unwrap(),
            ts("2025-03-15T06:00:00Z")
        );
        assert_eq!(
            parse_bound("7d", now()).unwrap(),
            ts("2025-03-08T12:00:00Z")
        );
    }

    #[test]
    fn nonsense_is_rejected_with_a_hint() {
        for bad in [
            "yesterday",
            "7",
            "7y",
            "",
            "2025-13-01",
            "99999999999999999999d",
        ] {
            let err = parse_bound(bad, now()).unwrap_err();
            assert!(
                err.contains("RFC 3339") || err.contains("far back"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn log_times_keep_nanoseconds() {
        let a = ts("2025-03-15T02:34:12.847123456Z");
        let b = ts("2025-03-15T02:34:12.847123457Z");
        assert!(a < b);
        assert_eq!(ts("2017-12-12T08:12:38Z").rfc3339(), "2017-12-12T08:12:38Z");
    }

    #[test]
    fn zone_less_times_are_utc_only_where_asked() {
        let flat = "2024-10-17 21:48:45.000000000";
        assert_eq!(parse_log_time(flat), None, "a zone-less time may be local");
        let t = parse_utc_log_time(flat).unwrap();
        assert_eq!(t, ts("2024-10-17T21:48:45Z"));
        assert_eq!(t.rfc3339(), "2024-10-17T21:48:45.000000000Z");
        let t = parse_utc_log_time("2024-10-17T21:48:45").unwrap();
        assert_eq!(t.rfc3339(), "2024-10-17T21:48:45Z");
        let t = parse_utc_log_time("2024-10-17 21:48:45.123").unwrap();
        assert_eq!(t.rfc3339(), "2024-10-17T21:48:45.123Z");
        // Times with a zone read as everywhere else.
        let t = parse_utc_log_time("2024-10-17T23:48:45.5+02:00").unwrap();
        assert_eq!(t.rfc3339(), "2024-10-17T21:48:45.5Z");
        for bad in [
            "",
            "2024-10-17",
            "2024-10-17 25:00:00",
            "yesterday",
            "2024-10-17 21:48:45 PM",
        ] {
            assert_eq!(parse_utc_log_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn window_bounds_are_computed_times() {
        let t = parse_bound("2025-03-15T02:00:00.5000000Z", now()).unwrap();
        assert_eq!(t.digits(), None);
        assert_eq!(t.rfc3339(), "2025-03-15T02:00:00.500Z");
    }

    #[test]
    fn window_is_half_open() {
        let w = Window {
            since: Some(ts("2025-03-15T02:00:00Z")),
            until: Some(ts("2025-03-15T03:00:00Z")),
        };
        assert!(w.contains(ts("2025-03-15T02:00:00Z")));
        assert!(w.contains(ts("2025-03-15T02:59:59.999999999Z")));
        assert!(!w.contains(ts("2025-03-15T03:00:00Z")));
        assert!(!w.contains(ts("2025-03-15T01:59:59.999999999Z")));
        assert!(Window::default().contains(ts("1999-01-01T00:00:00Z")));
    }
}
