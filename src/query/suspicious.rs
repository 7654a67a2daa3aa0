//! `suspicious`: rules over reads of values, each finding deduplicated (one
//! per identity, rule and burst), ranked by severity, with its evidence.
//! The rules and their defaults are documented in README.md ("Suspicious
//! patterns"); thresholds come from the configuration file.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::baseline::{
    Baseline, FIFTEEN_MINUTES, FIVE_MINUTES, IdentityBaseline, TEN_MINUTES, WindowSecrets,
    hour_of_day, identity_key, scaled,
};
use super::report::{Stats, evidence_file};
use crate::config::ConfigFile;
use crate::environment::Environments;
use crate::event::Event;
use crate::event::{Identity, Outcome, Provider, Timestamp};
use crate::net::{network_of, parse_address};

pub const SUSPICIOUS_SCHEMA: &str = "whosaw.suspicious.v1";

/// The environment every drift and mismatch is about.
const PRODUCTION: &str = "production";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

#[derive(Debug, Serialize)]
pub struct FindingEvidence {
    pub file: String,
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u32>,
    pub time: String,
    pub outcome: &'static str,
    pub secret: String,
}

#[derive(Debug, Serialize)]
pub struct Finding {
    /// Stable: `burst`, `denied-burst`, `new-source`, `env-drift`,
    /// `env-mismatch`, `off-hours`, `first-access`.
    pub rule: &'static str,
    /// Which form of the rule fired (`distinct-secrets`, `same-secret`,
    /// `repeated-denials`, `denied-then-allowed`, `untrusted-network`,
    /// `new-network`…).
    pub variant: &'static str,
    pub severity: Severity,
    pub identity: String,
    /// What names the identity beside its label (`role_name=deploy-bot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub identity_id: String,
    pub provider: &'static str,
    pub secrets: Vec<String>,
    /// Printed as logged; compared as instants (never as text: `…:12Z`
    /// is earlier than `…:12.5Z`).
    pub first: Timestamp,
    pub last: Timestamp,
    /// Events behind the finding (all listed in `evidence`).
    pub count: u64,
    pub source_addresses: Vec<String>,
    /// One sentence for a tired human.
    pub explanation: String,
    pub evidence: Vec<FindingEvidence>,
}

/// Whether a rule ran, and if not why.
#[derive(Debug, Serialize)]
pub struct RuleStatus {
    pub rule: &'static str,
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SuspiciousReport {
    pub schema: &'static str,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Where the baseline came from: a file, `--learn-until`, or nothing.
    pub baseline: Option<String>,
    pub rules: Vec<RuleStatus>,
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

/// What the rules judge with.
pub struct Judge<'a> {
    pub settings: &'a ConfigFile,
    pub baseline: Option<&'a Baseline>,
    pub files: &'a [String],
}

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const DAY: i64 = 86_400 * NANOS_PER_SECOND;

/// Metadata that names an identity (Vault's role and user names, a
/// Kubernetes service account), which a policy's `identity` also matches.
const NAMING_METADATA: [&str; 5] = [
    "role_name",
    "role",
    "username",
    "email",
    "service_account_name",
];

impl Judge<'_> {
    fn environments(&self) -> &Environments {
        &self.settings.environments
    }

    /// Every finding over `accesses` (reads of values, any outcome), ranked.
    pub fn findings(&self, accesses: &[Event]) -> (Vec<Finding>, Vec<RuleStatus>) {
        let mut reads: Vec<&Event> = accesses.iter().filter(|a| a.kind.is_some()).collect();
        reads.sort_by_key(|a| (a.time, a.origin));
        let mut by_identity: FxHashMap<(Provider, &str), Vec<&Event>> = FxHashMap::default();
        for a in &reads {
            by_identity.entry(identity_key(a)).or_default().push(a);
        }
        let mut identities: Vec<_> = by_identity.into_iter().collect();
        identities.sort_by(|a, b| a.0.cmp(&b.0));

        let rules = &self.settings.rules;
        let mut statuses = Vec::new();
        let mut status = |rule: &'static str, enabled: bool, missing: Option<&str>| {
            let why_not = match (enabled, missing) {
                (false, _) => Some("disabled in the configuration".to_string()),
                (true, Some(m)) => Some(m.to_string()),
                (true, None) => None,
            };
            statuses.push(RuleStatus {
                rule,
                active: why_not.is_none(),
                why_not,
            });
        };
        let no_baseline = self
            .baseline
            .is_none()
            .then_some("needs a baseline (--baseline FILE or --learn-until T)");
        status("burst", rules.burst.enabled, None);
        status("denied-burst", rules.denied_burst.enabled, None);
        status(
            "new-source",
            rules.new_source.enabled,
            (self.settings.trusted_networks.is_empty() && self.baseline.is_none())
                .then_some("needs trusted_networks in the configuration, or a baseline"),
        );
        status("env-drift", rules.env_drift.enabled, no_baseline);
        status("env-mismatch", rules.env_mismatch.enabled, None);
        status("off-hours", rules.off_hours.enabled, no_baseline);
        status("first-access", rules.first_access.enabled, no_baseline);

        let on: Vec<&str> = statuses
            .iter()
            .filter(|s| s.active)
            .map(|s| s.rule)
            .collect();
        let active = |rule: &str| on.contains(&rule);
        // Identities are judged independently: in parallel.
        let mut findings: Vec<Finding> = identities
            .par_iter()
            .flat_map_iter(|((provider, id), list)| {
                let known = self.baseline.and_then(|b| b.identity(*provider, id));
                let mut found = Vec::new();
                if active("burst") {
                    self.bursts(list, known, &mut found);
                }
                if active("denied-burst") {
                    self.denials(list, known, &mut found);
                }
                if active("new-source") {
                    self.new_sources(list, known, &mut found);
                }
                if active("env-drift") {
                    self.env_drift(list, known, &mut found);
                }
                if active("env-mismatch") {
                    self.env_mismatch(list, &mut found);
                }
                if active("off-hours") {
                    self.off_hours(list, known, &mut found);
                }
                if active("first-access") {
                    self.first_access(list, known, &mut found);
                }
                found
            })
            .collect();
        if active("denied-burst") {
            self.denials_by_address(&reads, &mut findings);
        }
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(a.first.cmp(&b.first))
                .then(a.rule.cmp(b.rule))
                .then(a.identity_id.cmp(&b.identity_id))
        });
        (findings, statuses)
    }

    fn finding(
        &self,
        rule: &'static str,
        variant: &'static str,
        severity: Severity,
        events: &[&Event],
        explanation: String,
    ) -> Finding {
        let identity: &Identity = &events[0].identity;
        let secrets: BTreeSet<String> = events.iter().map(|a| a.secret_key().to_string()).collect();
        let addresses: BTreeSet<String> = events
            .iter()
            .filter_map(|a| a.source_address.as_deref().map(str::to_string))
            .collect();
        let first = events
            .iter()
            .map(|a| a.time)
            .min()
            .unwrap_or(events[0].time);
        let last = events
            .iter()
            .map(|a| a.time)
            .max()
            .unwrap_or(events[0].time);
        Finding {
            rule,
            variant,
            severity,
            identity: identity.label.clone(),
            role: role_of(identity),
            identity_id: identity.id.clone(),
            provider: identity.provider.as_str(),
            secrets: secrets.into_iter().collect(),
            first,
            last,
            count: events.len() as u64,
            source_addresses: addresses.into_iter().collect(),
            explanation,
            evidence: events
                .iter()
                .map(|a| FindingEvidence {
                    file: evidence_file(self.files, a.origin.file),
                    line: a.origin.line,
                    record: a.origin.record,
                    time: a.time.rfc3339(),
                    outcome: a.outcome.as_str(),
                    secret: a.secret_key().to_string(),
                })
                .collect(),
        }
    }

    /// The identity's baseline, if it holds enough reads to judge by.
    fn well_known<'b>(&self, known: Option<&'b IdentityBaseline>) -> Option<&'b IdentityBaseline> {
        known.filter(|b| b.reads >= self.settings.baseline.min_reads)
    }

    fn is_production(&self, a: &Event) -> bool {
        self.environments().classify(a.secret_key()) == Some(PRODUCTION)
    }

    /// `burst`: many distinct secrets, or one secret many times, in a short span.
    fn bursts(&self, list: &[&Event], known: Option<&IdentityBaseline>, out: &mut Vec<Finding>) {
        let rule = &self.settings.rules.burst;
        let ok: Vec<&Event> = list
            .iter()
            .copied()
            .filter(|a| a.outcome == Outcome::Success)
            .collect();
        // Beyond what the identity normally does in such a span.
        let window = rule.distinct_window.as_nanos();
        let usual = known.map_or(0, |b| {
            scaled(b.peak_distinct_secrets_per_10m, TEN_MINUTES, window)
        });
        let threshold = rule.distinct_secrets + usual;
        for cluster in clusters(&ok, window, Measure::DistinctSecrets, threshold) {
            let n = distinct(&cluster);
            let text = format!(
                "{} read {n} different secrets within {} ({} reads, from {} to {}); \
                 the threshold is {threshold} within {}{}.",
                label(cluster[0]),
                human_span(&cluster),
                cluster.len(),
                cluster[0].time,
                cluster[cluster.len() - 1].time,
                human_duration(window),
                baseline_note(usual)
            );
            out.push(self.finding("burst", "distinct-secrets", Severity::High, &cluster, text));
        }
        // One secret read many times: beyond what the identity normally does
        // in such a span (its busiest 5 minutes, scaled to the window).
        let window = rule.same_secret_window.as_nanos();
        let usual = known.map_or(0, |b| scaled(b.peak_reads_per_5m, FIVE_MINUTES, window));
        let threshold = rule.same_secret_reads + usual;
        let mut by_secret: FxHashMap<&str, Vec<&Event>> = FxHashMap::default();
        for a in &ok {
            by_secret.entry(a.secret_key()).or_default().push(a);
        }
        let mut secrets: Vec<_> = by_secret.into_iter().collect();
        secrets.sort_by(|a, b| a.0.cmp(b.0));
        for (secret, reads) in secrets {
            for cluster in clusters(&reads, window, Measure::Events, threshold) {
                let text = format!(
                    "{} read {secret} {} times within {}; the threshold is {threshold} \
                     within {}{}.",
                    label(cluster[0]),
                    cluster.len(),
                    human_span(&cluster),
                    human_duration(window),
                    baseline_note(usual)
                );
                let severity = match self.is_production(cluster[0]) {
                    true => Severity::High,
                    false => Severity::Medium,
                };
                out.push(self.finding("burst", "same-secret", severity, &cluster, text));
            }
        }
    }

    /// `denied-burst`: repeated denials by one identity, and denials followed
    /// by a success (someone trying stolen credentials until one works).
    fn denials(&self, list: &[&Event], known: Option<&IdentityBaseline>, out: &mut Vec<Finding>) {
        let rule = &self.settings.rules.denied_burst;
        let window = rule.window.as_nanos();
        // An identity often denied (a misconfigured job) is judged beyond
        // its usual rate.
        let usual = known.map_or(0, |b| {
            scaled(b.peak_denials_per_15m, FIFTEEN_MINUTES, window)
        });
        let (denials, then_allowed) = (rule.denials + usual, rule.then_allowed_denials + usual);
        let denied: Vec<&Event> = list
            .iter()
            .copied()
            .filter(|a| a.outcome == Outcome::Denied)
            .collect();
        let low = then_allowed.min(denials);
        for cluster in clusters(&denied, window, Measure::Events, low) {
            let last = cluster[cluster.len() - 1].time;
            // The first success after the cluster's `low`-th denial, within the window.
            let armed = cluster[low as usize - 1].time;
            let allowed = list.iter().copied().find(|a| {
                a.outcome == Outcome::Success
                    && a.time >= armed
                    && a.time.nanos() - last.nanos() < window
            });
            let peak = peak_count(&cluster, window);
            match allowed {
                Some(success) => {
                    let mut events = cluster.clone();
                    events.push(success);
                    let text = format!(
                        "{} was denied {} times, then read {} successfully at {}: \
                         someone may have tried credentials until one worked.",
                        label(success),
                        cluster.len(),
                        success.secret_key(),
                        success.time
                    );
                    out.push(self.finding(
                        "denied-burst",
                        "denied-then-allowed",
                        Severity::High,
                        &events,
                        text,
                    ));
                }
                None if peak >= denials => {
                    let text = format!(
                        "{} was denied {} times within {} (threshold {denials} within {}{}).",
                        label(cluster[0]),
                        cluster.len(),
                        human_span(&cluster),
                        human_duration(window),
                        baseline_note(usual)
                    );
                    out.push(self.finding(
                        "denied-burst",
                        "repeated-denials",
                        Severity::Medium,
                        &cluster,
                        text,
                    ));
                }
                None => {}
            }
        }
    }

    /// `denied-burst` by source address: denials of several identities from
    /// one address (one identity's own are reported for it).
    fn denials_by_address(&self, reads: &[&Event], out: &mut Vec<Finding>) {
        let rule = &self.settings.rules.denied_burst;
        let window = rule.window.as_nanos();
        let mut by_address: FxHashMap<&str, Vec<&Event>> = FxHashMap::default();
        for a in reads.iter().filter(|a| a.outcome == Outcome::Denied) {
            if let Some(addr) = a.source_address.as_deref() {
                by_address.entry(addr).or_default().push(a);
            }
        }
        let mut addresses: Vec<_> = by_address.into_iter().collect();
        addresses.sort_by(|a, b| a.0.cmp(b.0));
        for (address, denied) in addresses {
            for cluster in clusters(&denied, window, Measure::Events, rule.denials) {
                let ids: BTreeSet<(Provider, &str)> =
                    cluster.iter().map(|a| identity_key(a)).collect();
                if ids.len() < 2 {
                    continue;
                }
                let text = format!(
                    "{address} was denied {} times for {} different identities within {}.",
                    cluster.len(),
                    ids.len(),
                    human_span(&cluster)
                );
                let mut f = self.finding(
                    "denied-burst",
                    "address-denials",
                    Severity::High,
                    &cluster,
                    text,
                );
                f.identity = format!("{} identities", ids.len());
                f.identity_id = address.to_string();
                out.push(f);
            }
        }
    }

    /// `new-source`: reads from outside the trusted networks, or from a
    /// network the identity never used in the baseline.
    fn new_sources(
        &self,
        list: &[&Event],
        known: Option<&IdentityBaseline>,
        out: &mut Vec<Finding>,
    ) {
        let trusted = &self.settings.trusted_networks;
        // Only a settled routine's networks say what is new.
        let known = self.well_known(known).filter(|b| b.settled_networks);
        let mut by_network: Vec<(String, &'static str, Vec<&Event>)> = Vec::new();
        for a in list {
            let Some(ip) = a.source_address.as_deref().and_then(parse_address) else {
                continue;
            };
            let network = network_of(ip).to_string();
            let untrusted = !trusted.is_empty() && !trusted.iter().any(|c| c.contains(ip));
            let unseen =
                known.is_some_and(|b| !b.networks.is_empty() && !b.networks.contains(&network));
            let variant = match (untrusted, unseen) {
                (true, _) => "untrusted-network",
                (false, true) => "new-network",
                (false, false) => continue,
            };
            match by_network
                .iter_mut()
                .find(|(n, v, _)| *n == network && *v == variant)
            {
                Some((_, _, events)) => events.push(a),
                None => by_network.push((network, variant, vec![a])),
            }
        }
        for (network, variant, events) in by_network {
            let successes = events
                .iter()
                .filter(|a| a.outcome == Outcome::Success)
                .count();
            let severity = match (successes, events.iter().any(|a| self.is_production(a))) {
                (0, _) => Severity::Low,
                (_, true) => Severity::High,
                (_, false) => Severity::Medium,
            };
            let why = match variant {
                "untrusted-network" => "outside the trusted networks".to_string(),
                _ => "a network it never used in the baseline".to_string(),
            };
            let text = format!(
                "{} read secrets from {network}, {why} ({} reads, {successes} successful).",
                label(events[0]),
                events.len()
            );
            out.push(self.finding("new-source", variant, severity, &events, text));
        }
    }

    /// `env-drift`: an identity that read only non-production secrets in the
    /// baseline reads production ones.
    fn env_drift(&self, list: &[&Event], known: Option<&IdentityBaseline>, out: &mut Vec<Finding>) {
        let Some(b) = self.well_known(known) else {
            return;
        };
        let normal: Vec<&String> = b
            .environments
            .keys()
            .filter(|e| e.as_str() != super::baseline::NO_ENVIRONMENT)
            .collect();
        if normal.is_empty() || normal.iter().any(|e| e.as_str() == PRODUCTION) {
            return;
        }
        let drift: Vec<&Event> = list
            .iter()
            .copied()
            .filter(|a| a.outcome == Outcome::Success && self.is_production(a))
            .collect();
        if drift.is_empty() {
            return;
        }
        let (variant, severity) = match drift.len() {
            1 => ("one-off", Severity::Medium),
            _ => ("repeated", Severity::High),
        };
        let normal: Vec<&str> = normal.iter().map(|s| s.as_str()).collect();
        let text = format!(
            "{} normally reads only {} secrets, but read production ones {} time{}.",
            label(drift[0]),
            normal.join("/"),
            drift.len(),
            if drift.len() == 1 { "" } else { "s" }
        );
        out.push(self.finding("env-drift", variant, severity, &drift, text));
    }

    /// `env-mismatch`: a read of a secret of an environment the identity's
    /// role does not allow (configured policies; by default the
    /// environments its own name, policies or role name).
    fn env_mismatch(&self, list: &[&Event], out: &mut Vec<Finding>) {
        let identity = &list[0].identity;
        let Some((allowed, by)) = self.allowed_environments(identity) else {
            return;
        };
        let wrong: Vec<&Event> = list
            .iter()
            .copied()
            .filter(|a| a.outcome == Outcome::Success)
            .filter(|a| {
                self.environments()
                    .classify(a.secret_key())
                    .is_some_and(|env| !allowed.iter().any(|e| e == env))
            })
            .collect();
        if wrong.is_empty() {
            return;
        }
        let envs: BTreeSet<&str> = wrong
            .iter()
            .filter_map(|a| self.environments().classify(a.secret_key()))
            .collect();
        let severity = match envs.contains(PRODUCTION) {
            true => Severity::High,
            false => Severity::Medium,
        };
        let text = format!(
            "{} may read {} secrets ({by}), but read {} ones {} time{}.",
            label(wrong[0]),
            allowed.join("/"),
            envs.into_iter().collect::<Vec<_>>().join("/"),
            wrong.len(),
            if wrong.len() == 1 { "" } else { "s" }
        );
        out.push(self.finding("env-mismatch", "role", severity, &wrong, text));
    }

    /// The environments an identity may read, and why: the first configured
    /// policy that matches it, else the environments its own names say.
    fn allowed_environments(&self, identity: &Identity) -> Option<(Vec<String>, String)> {
        for policy in &self.settings.policies {
            // An AppRole login is `approle` by display name: its role name
            // (metadata) is what names it.
            let by_identity = policy.identity.as_ref().is_some_and(|re| {
                re.is_match(&identity.label)
                    || re.is_match(&identity.id)
                    || NAMING_METADATA
                        .iter()
                        .filter_map(|k| identity.metadata.get(*k))
                        .any(|v| re.is_match(v))
            });
            let by_policy = policy.policy.as_ref().is_some_and(|re| {
                identity.policies.iter().any(|p| re.is_match(p))
                    || identity.metadata.values().any(|v| re.is_match(v))
            });
            if by_identity || by_policy {
                return Some((policy.allowed.clone(), "per the configured policy".into()));
            }
        }
        // Names only: policies and groups often name teams or levels of
        // access (`dev-team`), and are matched only when configured.
        let parts = std::iter::once(identity.label.as_str())
            .chain(std::iter::once(identity.id.as_str()))
            .chain(
                NAMING_METADATA
                    .iter()
                    .filter_map(|k| identity.metadata.get(*k))
                    .map(String::as_str),
            );
        let mut own: Vec<String> = Vec::new();
        for part in parts {
            if let Some(env) = self.environments().classify(part) {
                if !own.iter().any(|e| e == env) {
                    own.push(env.to_string());
                }
            }
        }
        (!own.is_empty()).then(|| (own, "as its name or role says".into()))
    }

    /// `off-hours`: reads at hours the identity never worked in the baseline.
    fn off_hours(&self, list: &[&Event], known: Option<&IdentityBaseline>, out: &mut Vec<Finding>) {
        let rule = &self.settings.rules.off_hours;
        // Working hours need at least a day of history to be told.
        let Some(b) = self
            .well_known(known)
            .filter(|_| self.baseline.is_some_and(|b| b.span() >= DAY))
        else {
            return;
        };
        let hours_with_reads = b.hours.iter().filter(|&&n| n > 0).count() as u64;
        if hours_with_reads > rule.max_usual_hours {
            return;
        }
        let slack = rule.slack_hours as usize;
        let normal = |h: usize| (0..=2 * slack).any(|d| b.hours[(h + 24 + d - slack) % 24] > 0);
        let odd: Vec<&Event> = list
            .iter()
            .copied()
            .filter(|a| a.outcome == Outcome::Success && !normal(hour_of_day(a.time)))
            .collect();
        let usual = usual_hours(&b.hours);
        // One finding per sitting: reads less than an hour apart.
        for group in sittings(&odd, 3600 * NANOS_PER_SECOND) {
            let severity = match group.iter().any(|a| self.is_production(a)) {
                true => Severity::High,
                false => Severity::Medium,
            };
            let text = format!(
                "{} read {} secret{} at {} UTC; in the baseline it reads only at {usual} UTC.",
                label(group[0]),
                group.len(),
                if group.len() == 1 { "" } else { "s" },
                group[0].time.to_datetime().format("%H:%M"),
            );
            out.push(self.finding("off-hours", "hour-of-day", severity, &group, text));
        }
    }

    /// `first-access`: secrets an identity known to the baseline never read there.
    fn first_access(
        &self,
        list: &[&Event],
        known: Option<&IdentityBaseline>,
        out: &mut Vec<Finding>,
    ) {
        let Some(b) = self.well_known(known).filter(|b| b.settled_secrets) else {
            return;
        };
        let new: Vec<&Event> = list
            .iter()
            .copied()
            .filter(|a| a.outcome == Outcome::Success)
            .filter(|a| {
                b.secrets
                    .binary_search_by(|s| s.as_str().cmp(a.secret_key()))
                    .is_err()
            })
            .collect();
        if new.is_empty() {
            return;
        }
        let names: BTreeSet<&str> = new.iter().map(|a| a.secret_key().as_ref()).collect();
        let severity = match new.iter().any(|a| self.is_production(a)) {
            true => Severity::Medium,
            false => Severity::Low,
        };
        let text = format!(
            "{} read {} secret{} it never read in the baseline ({} reads there): {}.",
            label(new[0]),
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            b.reads,
            names.iter().take(3).copied().collect::<Vec<_>>().join(", ")
                + if names.len() > 3 { ", …" } else { "" }
        );
        out.push(self.finding("first-access", "new-secret", severity, &new, text));
    }
}

/// `, 4 more than…` when the baseline raised a threshold.
fn baseline_note(usual: u64) -> String {
    match usual {
        0 => String::new(),
        n => format!(", {n} more than its busiest span in the baseline"),
    }
}

/// `approle (role_name=deploy-bot)`: the label and what names it, for
/// sentences; the id when there is no label.
fn label(a: &Event) -> String {
    let id = &a.identity;
    let base = match id.label.is_empty() {
        true => id.id.as_str(),
        false => id.label.as_str(),
    };
    match role_of(id) {
        Some(role) => format!("{base} ({role})"),
        None if base != id.id => format!("{base} ({})", id.id),
        None => base.to_string(),
    }
}

/// The metadata that names an identity (`role_name=deploy-bot`), if any.
fn role_of(identity: &Identity) -> Option<String> {
    NAMING_METADATA
        .iter()
        .find_map(|k| identity.metadata.get(*k).map(|v| format!("{k}={v}")))
}

fn distinct(events: &[&Event]) -> u64 {
    events
        .iter()
        .map(|a| a.secret_key())
        .collect::<BTreeSet<_>>()
        .len() as u64
}

/// The most of `events` (sorted) within any span shorter than `window`.
fn peak_count(events: &[&Event], window: i64) -> u64 {
    let times: Vec<_> = events.iter().map(|a| a.time).collect();
    super::baseline::peak_in_window(&times, window)
}

/// What a window of events is measured by.
#[derive(Clone, Copy)]
enum Measure {
    Events,
    DistinctSecrets,
}

/// The maximal runs of `events` (sorted by time) covered by spans shorter
/// than `window` that reach `threshold` by `measure`: overlapping firing
/// spans are one cluster, so a long burst is one finding, not one per event.
fn clusters<'a>(
    events: &[&'a Event],
    window: i64,
    measure: Measure,
    threshold: u64,
) -> Vec<Vec<&'a Event>> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut secrets = WindowSecrets::default();
    let mut left = 0;
    for right in 0..events.len() {
        if let Measure::DistinctSecrets = measure {
            secrets.enter(events[right]);
        }
        while events[right].time.nanos() - events[left].time.nanos() >= window {
            if let Measure::DistinctSecrets = measure {
                secrets.leave(events[left]);
            }
            left += 1;
        }
        let reached = match measure {
            Measure::Events => (right + 1 - left) as u64,
            Measure::DistinctSecrets => secrets.distinct(),
        };
        if reached >= threshold {
            match found.last_mut() {
                Some((_, end)) if left <= *end => *end = right,
                _ => found.push((left, right)),
            }
        }
    }
    found
        .into_iter()
        .map(|(s, e)| events[s..=e].to_vec())
        .collect()
}

/// Groups of `events` (sorted) whose neighbours are less than `gap` apart.
fn sittings<'a>(events: &[&'a Event], gap: i64) -> Vec<Vec<&'a Event>> {
    let mut groups: Vec<Vec<&Event>> = Vec::new();
    for a in events {
        match groups.last_mut() {
            Some(g) if a.time.nanos() - g[g.len() - 1].time.nanos() < gap => g.push(a),
            _ => groups.push(vec![a]),
        }
    }
    groups
}

fn human_span(events: &[&Event]) -> String {
    let span = events[events.len() - 1].time.nanos() - events[0].time.nanos();
    human_duration(span)
}

fn human_duration(nanos: i64) -> String {
    let secs = nanos / NANOS_PER_SECOND;
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

/// `21:00–23:59`-style ranges of the hours with reads.
fn usual_hours(hours: &[u64]) -> String {
    let mut ranges: Vec<String> = Vec::new();
    let mut h = 0;
    while h < 24 {
        if hours[h] == 0 {
            h += 1;
            continue;
        }
        let start = h;
        while h < 24 && hours[h] > 0 {
            h += 1;
        }
        ranges.push(format!("{start:02}:00–{:02}:59", h - 1));
    }
    ranges.join(", ")
}
