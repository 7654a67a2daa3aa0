//! What the rules of `suspicious` are set to: each rule's switch and
//! thresholds, and how well a baseline must know an identity before it is
//! compared with one. The configuration file (`file.rs`) sets them; the
//! defaults here are what `whosaw config example` prints.

/// Which identities a baseline knows well enough to judge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BaselineRule {
    /// Identities with fewer successful reads in the baseline are not
    /// judged by the rules that compare with it.
    pub min_reads: u64,
}

impl Default for BaselineRule {
    fn default() -> Self {
        BaselineRule { min_reads: 20 }
    }
}

/// A length of time, in nanoseconds (as `Timestamp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span(i64);

impl Span {
    pub(crate) const fn minutes(n: i64) -> Span {
        Span(n * 60 * 1_000_000_000)
    }

    pub(crate) fn as_nanos(self) -> i64 {
        self.0
    }

    /// `90s`, `10m`, `1h`: digits and one unit.
    pub(super) fn parse(text: &str) -> Option<Span> {
        let text = text.trim();
        let unit = text.chars().last()?;
        let n: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
        let seconds = match unit {
            's' => n,
            'm' => n.checked_mul(60)?,
            'h' => n.checked_mul(3600)?,
            _ => return None,
        };
        (seconds > 0).then_some(Span(seconds.checked_mul(1_000_000_000)?))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rules {
    pub burst: BurstRule,
    pub denied_burst: DeniedBurstRule,
    pub new_source: Toggle,
    pub env_drift: Toggle,
    pub env_mismatch: Toggle,
    pub off_hours: OffHoursRule,
    pub first_access: Toggle,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Toggle {
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BurstRule {
    pub enabled: bool,
    pub distinct_secrets: u64,
    pub distinct_window: Span,
    pub same_secret_reads: u64,
    pub same_secret_window: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DeniedBurstRule {
    pub enabled: bool,
    pub denials: u64,
    pub window: Span,
    pub then_allowed_denials: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OffHoursRule {
    pub enabled: bool,
    pub slack_hours: u64,
    /// Only identities whose baseline reads fall in at most this many hours
    /// of the day have working hours; one busy around the clock has none.
    pub max_usual_hours: u64,
}

impl Default for Rules {
    fn default() -> Self {
        let on = Toggle { enabled: true };
        Rules {
            burst: BurstRule {
                enabled: true,
                distinct_secrets: 20,
                distinct_window: Span::minutes(10),
                same_secret_reads: 30,
                same_secret_window: Span::minutes(5),
            },
            denied_burst: DeniedBurstRule {
                enabled: true,
                denials: 10,
                window: Span::minutes(15),
                then_allowed_denials: 3,
            },
            new_source: on.clone(),
            env_drift: on.clone(),
            env_mismatch: on.clone(),
            off_hours: OffHoursRule {
                enabled: true,
                slack_hours: 1,
                max_usual_hours: 8,
            },
            first_access: on,
        }
    }
}
