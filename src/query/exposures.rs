//! `exposures`: what the logs themselves leak. Every secret or credential
//! whose value a record holds in clear (a `log_raw` Vault device, an
//! accessor not HMAC'd, a Kubernetes Secret in a request or response body),
//! by name and kind, never by value: whoever can read these logs has it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use super::report::{Place, Stats};
use crate::event::{Event, Provider, RequestKey, Timestamp};
use crate::source::store::{Exposure, ExposureKind};
use crate::source::store_of;
use crate::time::Window;

pub(crate) const EXPOSURES_SCHEMA: &str = "whosaw.exposures.v1";

/// One secret or credential in clear, of one kind.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ExposureOut {
    /// The secret, path or identity it belongs to (never its value).
    pub secret: String,
    /// The path as logged, when `secret` is another name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub provider: Provider,
    pub kind: ExposureKind,
    /// `high`, or `low` for an accessor (it can revoke its token, not use it).
    pub severity: &'static str,
    /// Requests whose records hold it (a request and its response that
    /// both hold it count once).
    pub count: u64,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// The identities whose requests wrote it to the log.
    pub identities: Vec<String>,
    pub evidence: Vec<Place>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ExposuresReport {
    pub schema: &'static str,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub exposures: Vec<ExposureOut>,
    pub stats: Stats,
}

/// The secrets' own values (not their callers' credentials) that the
/// records of `entries` held in clear, grouped as `exposures` groups them:
/// what `blast-radius` adds to the secrets it lists.
pub(crate) fn of_secrets(entries: &[Event], window: &Window, files: &[String]) -> Vec<ExposureOut> {
    let exposed: Vec<Vec<Exposure>> = entries
        .iter()
        .map(|e| match e.values_in_clear {
            false => Vec::new(),
            true => {
                let mut x = store_of(e.provider).exposed(&e.into());
                x.retain(|x| x.of_secret);
                x
            }
        })
        .collect();
    exposures(entries, &exposed, window, files)
}

/// The exposures of `entries` (each with what its record holds in clear)
/// inside `window`, grouped by secret and kind: the severe first, then the
/// most often logged.
pub(crate) fn exposures(
    entries: &[Event],
    exposed: &[Vec<Exposure>],
    window: &Window,
    files: &[String],
) -> Vec<ExposureOut> {
    let mut groups: BTreeMap<(Provider, ExposureKind, &str), ExposureOut> = BTreeMap::new();
    let mut identities: BTreeMap<(Provider, ExposureKind, &str), BTreeSet<&str>> = BTreeMap::new();
    let mut counted: HashSet<(Provider, ExposureKind, &str, &RequestKey)> = HashSet::new();
    for (e, list) in entries.iter().zip(exposed) {
        if !window.contains(e.time) {
            continue;
        }
        for x in list {
            let key = (e.provider, x.kind, x.name.as_str());
            if !counted.insert((e.provider, x.kind, x.name.as_str(), &e.key)) {
                continue;
            }
            let group = groups.entry(key).or_insert_with(|| ExposureOut {
                secret: x.name.clone(),
                path: x.path.clone(),
                provider: e.provider,
                kind: x.kind,
                severity: x.kind.severity(),
                count: 0,
                first_seen: e.time,
                last_seen: e.time,
                identities: Vec::new(),
                evidence: Vec::new(),
            });
            group.count += 1;
            group.first_seen = group.first_seen.min(e.time);
            group.last_seen = group.last_seen.max(e.time);
            group.evidence.push(Place::of(e, files));
            identities.entry(key).or_default().insert(&e.identity.id);
        }
    }
    let mut out: Vec<ExposureOut> = groups
        .into_iter()
        .map(|(key, mut group)| {
            group.identities = identities
                .remove(&key)
                .unwrap_or_default()
                .into_iter()
                .map(str::to_string)
                .collect();
            group
        })
        .collect();
    out.sort_by(|a, b| {
        (a.severity != "high")
            .cmp(&(b.severity != "high"))
            .then(b.count.cmp(&a.count))
            .then(a.secret.cmp(&b.secret))
            .then(a.kind.cmp(&b.kind))
    });
    out
}
