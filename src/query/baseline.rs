//! What normal looks like: per identity, which secrets and environments it
//! reads, from which networks, at which hours, how fast. Learned from
//! successful reads of values only (a denial is not normal behaviour), and
//! written as the `whosaw.baseline.v1` JSON document `suspicious` compares
//! newer logs against.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::access::Access;
use crate::environment::Environments;
use crate::event::{Outcome, Provider, Timestamp};
use crate::net::{network_of, parse_address};

pub const BASELINE_SCHEMA: &str = "whosaw.baseline.v1";

const NANOS_PER_HOUR: i64 = 3_600_000_000_000;
const FIVE_MINUTES: i64 = 300_000_000_000;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
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
pub struct IdentityBaseline {
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
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EnvironmentBaseline {
    pub name: String,
    pub reads: u64,
    pub identities: u64,
    pub hours: Vec<u64>,
}

/// The environment name under which unclassified secrets are counted.
pub const NO_ENVIRONMENT: &str = "none";

/// An identity's key across stores: `alice` in Vault is not `alice` in Kubernetes.
pub fn identity_key(a: &Access) -> (Provider, &str) {
    (a.identity.provider, a.identity.id.as_str())
}

/// Hour of the day (0–23, UTC) of `t`.
pub fn hour_of_day(t: Timestamp) -> usize {
    (t.0.rem_euclid(24 * NANOS_PER_HOUR) / NANOS_PER_HOUR) as usize
}

/// Reads, identities and hours of one environment, while learning.
type EnvironmentTotals<'a> = (u64, BTreeSet<(Provider, &'a str)>, Vec<u64>);

/// Learns from the successful reads among `accesses`.
pub fn learn(
    accesses: &[Access],
    environments: &Environments,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> Baseline {
    let mut reads: Vec<&Access> = accesses
        .iter()
        .filter(|a| a.kind.is_some() && a.outcome == Outcome::Success)
        .collect();
    reads.sort_by_key(|a| (a.time, a.origin));
    let mut by_identity: HashMap<(Provider, &str), Vec<&Access>> = HashMap::new();
    for a in &reads {
        by_identity.entry(identity_key(a)).or_default().push(a);
    }
    let mut env_totals: BTreeMap<String, EnvironmentTotals<'_>> = BTreeMap::new();
    let mut identities: Vec<IdentityBaseline> = by_identity
        .into_iter()
        .map(|(key, list)| {
            let mut secrets = BTreeSet::new();
            let mut envs: BTreeMap<String, u64> = BTreeMap::new();
            let mut networks = BTreeSet::new();
            let mut hours = vec![0u64; 24];
            let mut per_hour: HashMap<i64, u64> = HashMap::new();
            for a in &list {
                let name = a.secret_key();
                secrets.insert(name.to_string());
                let env = environments.classify(name).unwrap_or(NO_ENVIRONMENT);
                *envs.entry(env.to_string()).or_default() += 1;
                let total = env_totals
                    .entry(env.to_string())
                    .or_insert_with(|| (0, BTreeSet::new(), vec![0; 24]));
                total.0 += 1;
                total.1.insert(key);
                total.2[hour_of_day(a.time)] += 1;
                if let Some(ip) = a.source_address.as_deref().and_then(parse_address) {
                    networks.insert(network_of(ip).to_string());
                }
                hours[hour_of_day(a.time)] += 1;
                *per_hour
                    .entry(a.time.0.div_euclid(NANOS_PER_HOUR))
                    .or_default() += 1;
            }
            let times: Vec<Timestamp> = list.iter().map(|a| a.time).collect();
            IdentityBaseline {
                provider: key.0.as_str().to_string(),
                id: key.1.to_string(),
                label: list[0].identity.label.clone(),
                reads: list.len() as u64,
                first_read: times[0].rfc3339(),
                last_read: times[times.len() - 1].rfc3339(),
                secrets: secrets.into_iter().collect(),
                environments: envs,
                networks: networks.into_iter().collect(),
                hours,
                peak_reads_per_hour: per_hour.values().copied().max().unwrap_or(0),
                peak_reads_per_5m: peak_in_window(&times, FIVE_MINUTES),
            }
        })
        .collect();
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
                name,
                reads,
                identities: ids.len() as u64,
                hours,
            })
            .collect(),
    }
}

/// Most of `times` (sorted) within any span shorter than `window`.
pub fn peak_in_window(times: &[Timestamp], window: i64) -> u64 {
    let mut peak = 0;
    let mut left = 0;
    for (right, t) in times.iter().enumerate() {
        while t.0 - times[left].0 >= window {
            left += 1;
        }
        peak = peak.max(right - left + 1);
    }
    peak as u64
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
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
    pub fn load(path: &std::path::Path) -> Result<Baseline, BaselineError> {
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

    /// The identity's baseline, if it was seen.
    pub fn identity(&self, provider: Provider, id: &str) -> Option<&IdentityBaseline> {
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
