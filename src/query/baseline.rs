//! What normal looks like: per identity, which secrets and environments it
//! reads, from which networks, at which hours, how fast. Learned from
//! successful reads of values only (a denial is not normal behaviour), and
//! written as the `whosaw.baseline.v1` JSON document `suspicious` compares
//! newer logs against.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::environment::Environments;
use crate::event::Event;
use crate::event::{Outcome, Provider, Timestamp};
use crate::net::{Cidr, network_of, parse_address};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub(crate) const BASELINE_SCHEMA: &str = "whosaw.baseline.v1";

const NANOS_PER_HOUR: i64 = 3_600_000_000_000;
const MINUTE: i64 = 60_000_000_000;
pub(crate) const FIVE_MINUTES: i64 = 5 * MINUTE;
pub(crate) const TEN_MINUTES: i64 = 10 * MINUTE;
pub(crate) const FIFTEEN_MINUTES: i64 = 15 * MINUTE;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Baseline {
    pub schema: String,
    /// The whosaw that learned it.
    pub generated_by: String,
    /// The window asked for (RFC 3339, UTC), and the reads actually seen.
    pub since: Option<String>,
    pub until: Option<String>,
    pub first_read: Option<String>,
    pub last_read: Option<String>,
    /// Successful reads learned from.
    pub reads: u64,
    pub identities: Vec<IdentityBaseline>,
    pub environments: Vec<EnvironmentBaseline>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct IdentityBaseline {
    /// Where the identity lives (`vault`, `aws`, `azure`, `gcp`, `k8s`).
    pub provider: String,
    pub id: String,
    pub label: String,
    pub reads: u64,
    pub first_read: String,
    pub last_read: String,
    /// Secret names as queries use them (Vault KV v2 without `data/`).
    pub secrets: Vec<String>,
    /// Reads per environment of the secrets read (`none`: unclassified).
    pub environments: BTreeMap<String, u64>,
    /// Source networks: /24 for IPv4, /64 for IPv6.
    pub networks: Vec<String>,
    /// Reads per hour of the day, UTC (index 0 is 00:00–00:59).
    pub hours: Vec<u64>,
    /// Most reads in one clock hour, and in any 5 minutes.
    pub peak_reads_per_hour: u64,
    pub peak_reads_per_5m: u64,
    /// Most different secrets read in any 10 minutes.
    pub peak_distinct_secrets_per_10m: u64,
    /// Denied reads, and the most in any 15 minutes.
    pub denials: u64,
    pub peak_denials_per_15m: u64,
    /// The second half of its reads named no secret, or came from no
    /// network, that the first half had not: a settled routine, whose new
    /// secrets and networks mean something.
    pub settled_secrets: bool,
    pub settled_networks: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct EnvironmentBaseline {
    pub name: String,
    pub reads: u64,
    pub identities: u64,
    pub hours: Vec<u64>,
}

/// The environment name under which unclassified secrets are counted.
pub(crate) const NO_ENVIRONMENT: &str = "none";

/// An identity's key across stores: `alice` in Vault is not `alice` in Kubernetes.
pub(crate) fn identity_key(a: &Event) -> (Provider, &str) {
    (a.identity.provider, a.identity.id.as_str())
}

/// Hour of the day (0–23, UTC) of `t`.
pub(crate) fn hour_of_day(t: Timestamp) -> usize {
    (t.nanos().rem_euclid(24 * NANOS_PER_HOUR) / NANOS_PER_HOUR) as usize
}

/// Reads, identities and hours of one environment, while learning.
type EnvironmentTotals = (u64, u64, Vec<u64>);

/// Learns from the reads among `accesses`: successful ones make the
/// routine, denied ones only their rate.
pub(crate) fn learn(
    accesses: &[Event],
    environments: &Environments,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> Baseline {
    let mut all: Vec<&Event> = accesses.iter().filter(|a| a.kind.is_some()).collect();
    all.sort_by_key(|a| (a.time, a.origin));
    let reads: Vec<&Event> = all
        .iter()
        .copied()
        .filter(|a| a.outcome == Outcome::Success)
        .collect();
    let mut by_identity: FxHashMap<(Provider, &str), Vec<&Event>> = FxHashMap::default();
    let mut denied: FxHashMap<(Provider, &str), (&str, Vec<Timestamp>)> = FxHashMap::default();
    for a in &all {
        match a.outcome {
            Outcome::Success => by_identity.entry(identity_key(a)).or_default().push(a),
            Outcome::Denied => denied
                .entry(identity_key(a))
                .or_insert_with(|| (&a.identity.label, Vec::new()))
                .1
                .push(a.time),
            _ => {}
        }
    }
    for key in denied.keys() {
        by_identity.entry(*key).or_default();
    }
    // Secrets are shared strings: each is classified once.
    // Keyed by address (as a number: shared across threads).
    let mut env_of: FxHashMap<usize, &str> = FxHashMap::default();
    for a in &reads {
        let name = a.secret_key();
        env_of
            .entry(name.as_ptr() as usize)
            .or_insert_with(|| environments.classify(name).unwrap_or(NO_ENVIRONMENT));
    }
    let environment = |name: &std::sync::Arc<str>| -> &str {
        env_of
            .get(&(name.as_ptr() as usize))
            .copied()
            .unwrap_or(NO_ENVIRONMENT)
    };
    // Each identity is learned on its own, in parallel; environments' totals
    // are summed from theirs.
    let by_identity: Vec<_> = by_identity.into_iter().collect();
    let learned: Vec<(IdentityBaseline, BTreeMap<&str, Vec<u64>>)> = by_identity
        .into_par_iter()
        .map(|(key, list)| {
            let mut env_hours: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
            let mut secrets: BTreeSet<&str> = BTreeSet::new();
            let mut envs: BTreeMap<&str, u64> = BTreeMap::new();
            let mut networks: BTreeSet<Cidr> = BTreeSet::new();
            let mut hours = vec![0u64; 24];
            let mut per_hour: FxHashMap<i64, u64> = FxHashMap::default();
            let half = list.len().div_ceil(2);
            let (mut settled_secrets, mut settled_networks) = (true, true);
            for (i, a) in list.iter().enumerate() {
                let name = a.secret_key();
                settled_secrets &= !secrets.insert(name) || i < half;
                let env = environment(name);
                *envs.entry(env).or_default() += 1;
                env_hours.entry(env).or_insert_with(|| vec![0; 24])[hour_of_day(a.time)] += 1;
                if let Some(ip) = a.source_address.as_deref().and_then(parse_address) {
                    settled_networks &= !networks.insert(network_of(ip)) || i < half;
                }
                hours[hour_of_day(a.time)] += 1;
                *per_hour
                    .entry(a.time.nanos().div_euclid(NANOS_PER_HOUR))
                    .or_default() += 1;
            }
            let times: Vec<Timestamp> = list.iter().map(|a| a.time).collect();
            let denials = denied.get(&key).map_or(&[][..], |d| d.1.as_slice());
            let label = match (list.first(), denied.get(&key)) {
                (Some(a), _) => a.identity.label.clone(),
                (None, Some((label, _))) => label.to_string(),
                (None, None) => String::new(),
            };
            let identity = IdentityBaseline {
                provider: key.0.as_str().to_string(),
                id: key.1.to_string(),
                label,
                reads: list.len() as u64,
                first_read: times.first().map(|t| t.rfc3339()).unwrap_or_default(),
                last_read: times.last().map(|t| t.rfc3339()).unwrap_or_default(),
                secrets: secrets.into_iter().map(str::to_string).collect(),
                environments: envs.into_iter().map(|(e, n)| (e.to_string(), n)).collect(),
                networks: networks.iter().map(Cidr::to_string).collect(),
                hours,
                peak_reads_per_hour: per_hour.values().copied().max().unwrap_or(0),
                peak_reads_per_5m: peak_in_window(&times, FIVE_MINUTES),
                peak_distinct_secrets_per_10m: peak_distinct(&list, TEN_MINUTES),
                denials: denials.len() as u64,
                peak_denials_per_15m: peak_in_window(denials, FIFTEEN_MINUTES),
                settled_secrets,
                settled_networks,
            };
            (identity, env_hours)
        })
        .collect();
    let mut env_totals: BTreeMap<&str, EnvironmentTotals> = BTreeMap::new();
    let mut identities = Vec::with_capacity(learned.len());
    for (identity, env_hours) in learned {
        for (env, hours) in env_hours {
            let total = env_totals.entry(env).or_insert_with(|| (0, 0, vec![0; 24]));
            total.0 += hours.iter().sum::<u64>();
            total.1 += 1;
            for (t, h) in total.2.iter_mut().zip(hours) {
                *t += h;
            }
        }
        identities.push(identity);
    }
    identities.sort_by(|a, b| (&a.provider, &a.id).cmp(&(&b.provider, &b.id)));
    Baseline {
        schema: BASELINE_SCHEMA.to_string(),
        generated_by: format!("whosaw {}", env!("CARGO_PKG_VERSION")),
        since: since.map(Timestamp::rfc3339),
        until: until.map(Timestamp::rfc3339),
        first_read: reads.first().map(|a| a.time.rfc3339()),
        last_read: reads.last().map(|a| a.time.rfc3339()),
        reads: reads.len() as u64,
        identities,
        environments: env_totals
            .into_iter()
            .map(|(name, (reads, ids, hours))| EnvironmentBaseline {
                name: name.to_string(),
                reads,
                identities: ids,
                hours,
            })
            .collect(),
    }
}

/// Most of `times` (sorted) within any span shorter than `window`.
pub(crate) fn peak_in_window(times: &[Timestamp], window: i64) -> u64 {
    let mut peak = 0;
    let mut left = 0;
    for (right, t) in times.iter().enumerate() {
        while t.nanos() - times[left].nanos() >= window {
            left += 1;
        }
        peak = peak.max(right - left + 1);
    }
    peak as u64
}

/// Most different secrets among `reads` (sorted) within any span shorter
/// than `window`.
fn peak_distinct(reads: &[&Event], window: i64) -> u64 {
    let mut secrets = WindowSecrets::default();
    let mut peak = 0;
    let mut left = 0;
    for right in 0..reads.len() {
        secrets.enter(reads[right]);
        while reads[right].time.nanos() - reads[left].time.nanos() >= window {
            secrets.leave(reads[left]);
            left += 1;
        }
        peak = peak.max(secrets.distinct());
    }
    peak
}

/// The different secrets read in a sliding window of reads, kept as reads
/// enter and leave it: counting them afresh at every step is quadratic in
/// a busy identity's reads per window.
#[derive(Default)]
pub(crate) struct WindowSecrets<'a> {
    reads_of: FxHashMap<&'a str, u32>,
}

impl<'a> WindowSecrets<'a> {
    pub(crate) fn enter(&mut self, read: &'a Event) {
        *self.reads_of.entry(read.secret_key()).or_default() += 1;
    }

    pub(crate) fn leave(&mut self, read: &'a Event) {
        let name: &str = read.secret_key();
        if let Some(n) = self.reads_of.get_mut(name) {
            *n -= 1;
            if *n == 0 {
                self.reads_of.remove(name);
            }
        }
    }

    pub(crate) fn distinct(&self) -> u64 {
        self.reads_of.len() as u64
    }
}

/// Scales a peak learned over `learned` to a rule's `window`, rounding up.
pub(crate) fn scaled(peak: u64, learned: i64, window: i64) -> u64 {
    if window == learned || peak == 0 {
        return peak;
    }
    let scaled = (peak as i128 * window as i128 + learned as i128 - 1) / learned as i128;
    scaled.clamp(0, u64::MAX as i128) as u64
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BaselineError {
    #[error("cannot read the baseline {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a whosaw baseline: {reason}")]
    Invalid { path: String, reason: String },
}

impl Baseline {
    pub(crate) fn load(path: &std::path::Path) -> Result<Baseline, BaselineError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: name.clone(),
            source,
        })?;
        let invalid = |reason: String| BaselineError::Invalid {
            path: name.clone(),
            reason,
        };
        let mut baseline: Baseline =
            serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        // Looked up by binary search; a file edited by hand may be unsorted.
        baseline
            .identities
            .sort_by(|a, b| (&a.provider, &a.id).cmp(&(&b.provider, &b.id)));
        if baseline.schema != BASELINE_SCHEMA {
            return Err(invalid(format!(
                "schema {:?}, expected {BASELINE_SCHEMA:?}",
                baseline.schema
            )));
        }
        if let Some(bad) = baseline.identities.iter().find(|i| i.hours.len() != 24) {
            return Err(invalid(format!(
                "identity {:?} has {} hours, expected 24",
                bad.id,
                bad.hours.len()
            )));
        }
        Ok(baseline)
    }

    /// Nanoseconds from its first read to its last.
    pub(crate) fn span(&self) -> i64 {
        let time = |t: &Option<String>| t.as_deref().and_then(crate::time::parse_log_time);
        match (time(&self.first_read), time(&self.last_read)) {
            (Some(first), Some(last)) => last.nanos() - first.nanos(),
            _ => 0,
        }
    }

    /// The identity's baseline, if it was seen.
    pub(crate) fn identity(&self, provider: Provider, id: &str) -> Option<&IdentityBaseline> {
        let provider = provider.as_str();
        self.identities
            .binary_search_by(|i| (i.provider.as_str(), i.id.as_str()).cmp(&(provider, id)))
            .ok()
            .map(|at| &self.identities[at])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_utc_and_peaks_use_open_windows() {
        let t = |s: &str| crate::time::parse_log_time(s).unwrap();
        assert_eq!(hour_of_day(t("2025-03-15T02:34:12Z")), 2);
        assert_eq!(hour_of_day(t("1969-12-31T23:59:59Z")), 23);
        let times: Vec<Timestamp> = [
            "2025-03-15T02:00:00Z",
            "2025-03-15T02:04:59Z",
            "2025-03-15T02:05:00Z",
        ]
        .iter()
        .map(|s| t(s))
        .collect();
        // 02:00 and 02:05 are 5 minutes apart: not within one 5-minute span.
        assert_eq!(peak_in_window(&times, FIVE_MINUTES), 2);
    }
}
