//! `coverage`: can the trail be trusted? Per store, the span its records
//! cover and how many fall in each hour; the changes to the trail itself
//! (audit devices, trails, sinks; root tokens, rekeys, seals); the periods
//! the trail was certainly off (a device disabled until enabled again, a
//! trail stopped until started); and silences much longer than the store's
//! usual spacing, which are only inferred.

use std::collections::BTreeMap;

use serde::Serialize;

use super::digests::{DigestSummary, verify};
use super::report::{Place, Stats, evidence_file};
use crate::event::{ErrorKind, Origin, Stage, Timestamp};
use crate::scan::{Change, TrailOut};
use crate::source::Source;
use crate::source::trail::{ChangeKind, Effect};
use crate::time::Window;

pub(crate) const COVERAGE_SCHEMA: &str = "whosaw.coverage.v1";

const HOUR: i64 = 3_600_000_000_000;
const SECOND: f64 = 1e9;

/// When a silence is reported as a possible gap: at least `min_seconds`,
/// and at least `factor` times the store's median spacing between records.
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct GapRule {
    pub factor: f64,
    pub min_seconds: u64,
}

#[derive(Debug, Serialize)]
pub(crate) struct CoverageReport {
    pub schema: &'static str,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub stores: Vec<StoreCoverage>,
    /// Changes to the trail, and what else the records tell of it, in time
    /// order.
    pub findings: Vec<Finding>,
    /// When the trail was certainly not written (whole input, not only the
    /// window: a device disabled before the window may still be off in it).
    pub off_periods: Vec<OffPeriod>,
    /// Some off period overlaps the window: answers over it are partial.
    pub window_partial: bool,
    pub gap_rule: GapRule,
    /// Silences longer than the rule allows: possible gaps, inferred.
    pub gaps: Vec<Gap>,
    /// CloudTrail digest files, checked (see `query::digests`).
    pub digests: DigestSummary,
    pub stats: Stats,
}

/// One store's records in the window.
#[derive(Debug, Serialize)]
pub(crate) struct StoreCoverage {
    /// `vault`, `cloudtrail`, `azure`, `gcp`, `k8s`, `whosaw`.
    pub store: &'static str,
    pub title: &'static str,
    pub records: u64,
    pub first: Timestamp,
    pub last: Timestamp,
    /// The median time between consecutive records.
    pub median_spacing_seconds: f64,
    /// Silences at least this long are reported as possible gaps.
    pub gap_threshold_seconds: f64,
    /// Records per hour (UTC), every hour from the first record's to the
    /// last's, empty ones included.
    pub hours: Vec<HourCount>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HourCount {
    pub hour: Timestamp,
    pub records: u64,
}

/// A kind of finding: a change to the trail, or what the records show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub(crate) enum FindingKind {
    Change(ChangeKind),
    Seen(Seen),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Seen {
    /// Tokens logged with one HMAC, then with another.
    TokenHmacChanged,
    /// Requests after a file's last response that were never answered.
    UnansweredAtEnd,
    /// A CloudTrail log file whose SHA-256 is not its digest's.
    LogFileAltered,
    /// Log files a CloudTrail digest lists that the input lacks.
    LogFileMissing,
    /// A CloudTrail digest whose previous digest hashes otherwise.
    DigestChainBroken,
    /// A CloudTrail digest whose signature does not verify.
    DigestSignatureInvalid,
}

impl FindingKind {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            FindingKind::Change(kind) => kind.describe(),
            FindingKind::Seen(Seen::TokenHmacChanged) => "tokens logged under new HMACs",
            FindingKind::Seen(Seen::UnansweredAtEnd) => "requests never answered at a file's end",
            FindingKind::Seen(Seen::LogFileAltered) => "log file altered after delivery",
            FindingKind::Seen(Seen::LogFileMissing) => "log files missing from the input",
            FindingKind::Seen(Seen::DigestChainBroken) => "digest chain broken",
            FindingKind::Seen(Seen::DigestSignatureInvalid) => "digest signature invalid",
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct Finding {
    pub time: Timestamp,
    pub store: &'static str,
    pub kind: FindingKind,
    /// What the kind means, in words.
    pub what: &'static str,
    /// What it changed: a device, a trail, a sink, a file.
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// A change's outcome: `success`, `denied`, `error`, `not_found`, or
    /// `unknown` (a request whose response was never logged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_address: Option<String>,
    /// How many: requests, tokens.
    pub count: u64,
    /// What whosaw concludes, and how sure it is.
    pub note: String,
    pub evidence: Vec<Place>,
}

/// A period the trail of `target` was certainly not written.
#[derive(Debug, Serialize)]
pub(crate) struct OffPeriod {
    pub store: &'static str,
    pub target: String,
    pub from: Timestamp,
    /// `None`: still off when the input ends.
    pub until: Option<Timestamp>,
    pub why: String,
    pub overlaps_window: bool,
    pub evidence: Vec<Place>,
}

/// A silence longer than the rule allows.
#[derive(Debug, Serialize)]
pub(crate) struct Gap {
    pub store: &'static str,
    pub from: Timestamp,
    pub until: Timestamp,
    pub seconds: f64,
    /// Always true: no record says the trail was off; its silence does.
    pub inferred: bool,
}

/// What a question's answer owes to the trail: the periods the trail was
/// certainly off that overlap its window (whose events are not in these
/// logs), and whether there are any (then the answer is partial, exit 3).
#[derive(Debug, Default, Serialize)]
pub(crate) struct WindowCoverage {
    pub partial: bool,
    pub off_periods: Vec<OffPeriod>,
}

/// The off periods of the changes a question's scan noted (see
/// `Plan::watch_trail`) that overlap `window`.
pub(crate) fn of_window(trail: &mut TrailOut, window: &Window, files: &[String]) -> WindowCoverage {
    let changes = decided(std::mem::take(&mut trail.changes));
    let mut off_periods = off_periods(&changes, window, files);
    off_periods.retain(|p| p.overlaps_window);
    WindowCoverage {
        partial: !off_periods.is_empty(),
        off_periods,
    }
}

/// The store's name in JSON and tables.
pub(crate) fn store_name(source: Source) -> &'static str {
    match source {
        Source::Vault => "vault",
        Source::CloudTrail => "cloudtrail",
        Source::Azure => "azure",
        Source::Gcp => "gcp",
        Source::K8s => "k8s",
        Source::Whosaw => "whosaw",
    }
}

/// Builds the report from what a covering scan kept; `sha256` hashes an
/// input for its CloudTrail digest (see `query::digests`).
pub(crate) fn coverage(
    trail: &mut TrailOut,
    window: &Window,
    rule: GapRule,
    files: &[String],
    sha256: &dyn Fn(usize) -> Option<String>,
    keys: Option<&super::digests::PublicKeys>,
    stats: Stats,
) -> CoverageReport {
    let mut stores = Vec::new();
    let mut gaps = Vec::new();
    for (&source, times) in &mut trail.times {
        times.retain(|&t| window.contains(Timestamp::from_nanos(t)));
        if times.is_empty() {
            continue;
        }
        times.sort_unstable();
        let (store, mut found) = store_coverage(source, times, rule);
        stores.push(store);
        gaps.append(&mut found);
    }
    let changes = decided(std::mem::take(&mut trail.changes));
    let off_periods = off_periods(&changes, window, files);
    let mut findings: Vec<Finding> = changes
        .iter()
        .filter(|c| window.contains(c.time))
        .filter(|c| c.kind != ChangeKind::TrailBucketChanged || is_trail_bucket(c, &changes))
        .map(|c| change_finding(c, files))
        .collect();
    findings.extend(unanswered_at_end(trail, window, files));
    findings.extend(hmac_changes(trail, window, files));
    // The digests of the window's hours (known by their end).
    trail.digests.retain(|(_, d)| window.contains(d.end));
    let (digests, checked) = verify(&trail.digests, files, sha256, keys);
    findings.extend(checked);
    findings.sort_by(|a, b| a.time.cmp(&b.time).then(a.kind.cmp(&b.kind)));
    CoverageReport {
        schema: COVERAGE_SCHEMA,
        since: window.since,
        until: window.until,
        stores,
        findings,
        window_partial: off_periods.iter().any(|p| p.overlaps_window),
        off_periods,
        gap_rule: rule,
        gaps,
        digests,
        stats,
    }
}

fn store_coverage(source: Source, times: &[i64], rule: GapRule) -> (StoreCoverage, Vec<Gap>) {
    let store = store_name(source);
    let mut spacing: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let median = match spacing.len() {
        0 => 0,
        n => *spacing.select_nth_unstable(n / 2).1,
    };
    let threshold = (rule.factor * median as f64).max(rule.min_seconds as f64 * SECOND);
    let gaps = times
        .windows(2)
        .filter(|w| (w[1] - w[0]) as f64 >= threshold && w[1] > w[0])
        .map(|w| Gap {
            store,
            from: Timestamp::from_nanos(w[0]),
            until: Timestamp::from_nanos(w[1]),
            seconds: (w[1] - w[0]) as f64 / SECOND,
            inferred: true,
        })
        .collect();
    let first_hour = times[0].div_euclid(HOUR);
    let last_hour = times[times.len() - 1].div_euclid(HOUR);
    let mut counts = vec![0u64; (last_hour - first_hour + 1) as usize];
    for t in times {
        counts[(t.div_euclid(HOUR) - first_hour) as usize] += 1;
    }
    let hours = counts
        .into_iter()
        .zip(first_hour..)
        .map(|(records, hour)| HourCount {
            hour: Timestamp::from_nanos(hour * HOUR),
            records,
        })
        .collect();
    let coverage = StoreCoverage {
        store,
        title: source.title(),
        records: times.len() as u64,
        first: Timestamp::from_nanos(times[0]),
        last: Timestamp::from_nanos(times[times.len() - 1]),
        median_spacing_seconds: median as f64 / SECOND,
        gap_threshold_seconds: threshold / SECOND,
        hours,
    };
    (coverage, gaps)
}

/// One change per request: a Vault request and its response are one
/// change, told by the response; a request alone keeps its own word, its
/// outcome unknown. In time order.
fn decided(mut changes: Vec<Change>) -> Vec<Change> {
    let mut by_request: BTreeMap<String, usize> = BTreeMap::new();
    let mut kept: Vec<Option<Change>> = Vec::new();
    changes.sort_by(|a, b| a.time.cmp(&b.time).then(a.origin.cmp(&b.origin)));
    for c in changes {
        let Some((id, stage)) = c.half.clone() else {
            kept.push(Some(c));
            continue;
        };
        match by_request.get(&id) {
            Some(&at) => {
                let earlier = kept[at].as_ref().map(|k| k.half.as_ref().map(|h| h.1));
                // The response tells the outcome; a second copy of the same
                // half (another delivery) adds nothing.
                if stage == Stage::Response && earlier == Some(Some(Stage::Request)) {
                    kept[at] = Some(c);
                }
            }
            None => {
                by_request.insert(id, kept.len());
                kept.push(Some(c));
            }
        }
    }
    kept.into_iter().flatten().collect()
}

/// What a change's record says of its outcome.
fn outcome(c: &Change) -> &'static str {
    match (c.error, &c.half) {
        (ErrorKind::Denied, _) => "denied",
        (ErrorKind::NotFound, _) => "not_found",
        (ErrorKind::Other, _) => "error",
        (ErrorKind::None, Some((_, Stage::Request))) => "unknown",
        (ErrorKind::None | ErrorKind::NoValue, _) => "success",
    }
}

fn place(origin: Origin, files: &[String]) -> Place {
    Place {
        file: evidence_file(files, origin.file),
        line: origin.line,
        record: origin.record,
        export_id: None,
    }
}

fn change_finding(c: &Change, files: &[String]) -> Finding {
    let outcome = outcome(c);
    let note = match (c.kind, outcome) {
        (ChangeKind::AuditDeviceDisabled, "unknown") => {
            "no response logged: a device does not log the answer to its own removal, so \
             this is taken as done"
        }
        (kind, "success") if kind.effect() == Effect::Stops => {
            "the trail was off from here until it was started again (see off_periods)"
        }
        (ChangeKind::RootTokenGenerated, _) => {
            "a new root token exists: find what it did (its HMAC is in the response)"
        }
        (ChangeKind::RootGeneration, "success") => {
            "a step towards a new root token (an attempt started or cancelled, a key share given)"
        }
        (ChangeKind::AuditHash, _) => {
            "someone asked the device for a value's HMAC: what was looked for is not logged"
        }
        (_, "unknown") => "only the request was logged: its outcome is unknown",
        (_, "denied") => "attempted and denied",
        _ => "",
    };
    Finding {
        time: c.time,
        store: store_name(c.source),
        kind: FindingKind::Change(c.kind),
        what: c.kind.describe(),
        target: c.target.clone(),
        operation: Some(c.operation.clone()),
        outcome: Some(outcome),
        reason: c.reason.clone(),
        identity: Some(c.identity.clone()),
        source_address: c.source_address.clone(),
        count: 1,
        note: note.to_string(),
        evidence: vec![place(c.origin, files)],
    }
}

/// A bucket some trail change names as a trail's.
fn is_trail_bucket(c: &Change, changes: &[Change]) -> bool {
    changes
        .iter()
        .any(|t| t.trail_bucket.as_deref() == Some(c.target.as_str()))
}

/// Whether a change took effect: it succeeded, or it is a device's own
/// removal, whose answer that device never logs.
fn took_effect(c: &Change) -> bool {
    match outcome(c) {
        "success" => true,
        "unknown" => c.kind == ChangeKind::AuditDeviceDisabled,
        _ => false,
    }
}

/// The periods each target's trail was off: from a change that stops it
/// to the next that starts it (or the end of the input).
fn off_periods(changes: &[Change], window: &Window, files: &[String]) -> Vec<OffPeriod> {
    let mut open: BTreeMap<(Source, String), &Change> = BTreeMap::new();
    let mut periods = Vec::new();
    let target = |c: &Change| c.target.trim_end_matches('/').to_string();
    let period = |start: &Change, end: Option<&Change>| {
        let until = end.map(|e| e.time);
        let overlaps_window = window.until.is_none_or(|u| start.time < u)
            && window.since.is_none_or(|s| until.is_none_or(|t| t > s));
        let mut evidence = vec![place(start.origin, files)];
        evidence.extend(end.map(|e| place(e.origin, files)));
        OffPeriod {
            store: store_name(start.source),
            target: target(start),
            from: start.time,
            until,
            why: format!("{} by {}", start.kind.describe(), start.identity),
            overlaps_window,
            evidence,
        }
    };
    for c in changes.iter().filter(|c| took_effect(c)) {
        let key = (c.source, target(c));
        match c.kind.effect() {
            Effect::Stops => {
                open.entry(key).or_insert(c);
            }
            Effect::Starts => {
                if let Some(start) = open.remove(&key) {
                    periods.push(period(start, Some(c)));
                }
            }
            Effect::Noted => {}
        }
    }
    periods.extend(open.into_values().map(|start| period(start, None)));
    periods.sort_by(|a, b| a.from.cmp(&b.from).then(a.target.cmp(&b.target)));
    periods
}

/// Vault requests never answered that come after their file's last
/// response: the log ends without them (a crash, a seal, a copy cut short).
fn unanswered_at_end(trail: &TrailOut, window: &Window, files: &[String]) -> Vec<Finding> {
    let mut by_file: BTreeMap<u32, Vec<(Timestamp, Origin)>> = BTreeMap::new();
    for w in trail.waiting.values() {
        let after_last = trail
            .last_response
            .get(&w.origin.file)
            .is_none_or(|&last| w.time > last);
        if after_last && window.contains(w.time) {
            by_file
                .entry(w.origin.file)
                .or_default()
                .push((w.time, w.origin));
        }
    }
    by_file
        .into_iter()
        .map(|(file, mut waiting)| {
            waiting.sort_by_key(|&(t, o)| (t, o));
            let (first, _) = waiting[0];
            let (last, _) = waiting[waiting.len() - 1];
            Finding {
                time: first,
                store: store_name(Source::Vault),
                kind: FindingKind::Seen(Seen::UnansweredAtEnd),
                what: FindingKind::Seen(Seen::UnansweredAtEnd).describe(),
                target: evidence_file(files, file),
                operation: None,
                outcome: Some("unknown"),
                reason: None,
                identity: None,
                source_address: None,
                count: waiting.len() as u64,
                note: format!(
                    "logged from {} to {}, after the file's last response: the server may have \
                     stopped (a crash, a seal) or the copy was cut; their outcomes are unknown",
                    first.rfc3339(),
                    last.rfc3339()
                ),
                evidence: waiting
                    .iter()
                    .take(5)
                    .map(|&(_, o)| place(o, files))
                    .collect(),
            }
        })
        .collect()
}

/// Tokens (known by whom they were issued to, and when) logged under one
/// HMAC and later under another: the device's HMAC key changed.
fn hmac_changes(trail: &TrailOut, window: &Window, files: &[String]) -> Vec<Finding> {
    let mut switches: Vec<(Timestamp, Origin)> = Vec::new();
    let mut mixed: Vec<(Timestamp, Origin)> = Vec::new();
    let mut holders = std::collections::BTreeSet::new();
    for token in trail.tokens.values() {
        if token.uses.len() < 2 {
            continue;
        }
        let mut uses: Vec<_> = token.uses.values().collect();
        uses.sort_by_key(|u| (u.first, u.origin));
        if window.contains(uses[1].first) {
            holders.insert(token.issued_to.as_str());
        }
        for pair in uses.windows(2) {
            match pair[0].last < pair[1].first {
                true => switches.push((pair[1].first, pair[1].origin)),
                false => mixed.push((pair[1].first, pair[1].origin)),
            }
        }
    }
    switches.retain(|(t, _)| window.contains(*t));
    mixed.retain(|(t, _)| window.contains(*t));
    switches.sort();
    mixed.sort();
    let Some(&(first, _)) = switches.iter().chain(&mixed).min() else {
        return Vec::new();
    };
    let mut note = String::new();
    if !switches.is_empty() {
        let tokens = match switches.len() {
            1 => "1 token".to_string(),
            n => format!("{n} tokens"),
        };
        note += &format!(
            "{tokens} used before {} were logged under another HMAC from then on: the audit \
             device's HMAC key changed (the device was disabled and enabled again, or a \
             new device's log follows). Identities before and after cannot be joined by HMAC, \
             and trace-value --hmac finds a value only in what the device that hashed it \
             wrote. ",
            first.rfc3339()
        );
    }
    if !mixed.is_empty() {
        note += &format!(
            "{} times a token was logged under two HMACs at once: logs of two devices \
             are mixed (each request is counted once, by its id).",
            mixed.len()
        );
    }
    vec![Finding {
        time: first,
        store: store_name(Source::Vault),
        kind: FindingKind::Seen(Seen::TokenHmacChanged),
        what: FindingKind::Seen(Seen::TokenHmacChanged).describe(),
        target: String::new(),
        operation: None,
        outcome: None,
        reason: None,
        identity: Some(match holders.len() {
            n if n > 3 => format!("{} and {} more", join(holders.iter().take(3)), n - 3),
            _ => join(holders.iter()),
        }),
        source_address: None,
        count: (switches.len() + mixed.len()) as u64,
        note: note.trim_end().to_string(),
        evidence: switches
            .iter()
            .take(5)
            .chain(mixed.iter().take(5))
            .map(|&(_, o)| place(o, files))
            .collect(),
    }]
}

fn join<'a>(names: impl Iterator<Item = &'a &'a str>) -> String {
    names.copied().collect::<Vec<_>>().join(", ")
}
