//! `suspicious`: rules over reads of values, each finding deduplicated (one
//! per identity, rule and burst), ranked by severity, with its evidence.
//! The rules and their defaults are documented in README.md ("Suspicious
//! patterns"); thresholds come from the configuration file.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::baseline::{Baseline, IdentityBaseline, identity_key};
use super::report::{Place, Stats};
use crate::config::ConfigFile;
use crate::environment::Environments;
use crate::event::{Event, Identity, Outcome, Provider, Timestamp};

pub(crate) const SUSPICIOUS_SCHEMA: &str = "whosaw.suspicious.v1";

/// The environment every drift and mismatch is about.
pub(super) const PRODUCTION: &str = "production";

/// The rules, by the stable names the JSON contract and the configuration
/// file use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Rule {
    Burst,
    DeniedBurst,
    NewSource,
    EnvDrift,
    EnvMismatch,
    OffHours,
    FirstAccess,
}

impl Rule {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Rule::Burst => "burst",
            Rule::DeniedBurst => "denied-burst",
            Rule::NewSource => "new-source",
            Rule::EnvDrift => "env-drift",
            Rule::EnvMismatch => "env-mismatch",
            Rule::OffHours => "off-hours",
            Rule::FirstAccess => "first-access",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Low,
    Medium,
    High,
}

#[derive(Debug, Serialize)]
pub(crate) struct FindingEvidence {
    #[serde(flatten)]
    pub place: Place,
    pub time: Timestamp,
    pub outcome: Outcome,
    pub secret: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Finding {
    pub rule: Rule,
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
    pub provider: Provider,
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
pub(crate) struct RuleStatus {
    pub rule: Rule,
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SuspiciousReport {
    pub schema: &'static str,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Where the baseline came from: a file, `--learn-until`, or nothing.
    pub baseline: Option<String>,
    pub rules: Vec<RuleStatus>,
    pub findings: Vec<Finding>,
    pub coverage: crate::query::coverage::WindowCoverage,
    pub stats: Stats,
}

/// What the rules judge with.
pub(crate) struct Judge<'a> {
    pub settings: &'a ConfigFile,
    pub baseline: Option<&'a Baseline>,
    pub files: &'a [String],
}

pub(super) const NANOS_PER_SECOND: i64 = 1_000_000_000;
pub(super) const DAY: i64 = 86_400 * NANOS_PER_SECOND;

mod activity;
mod context;
mod measure;

use measure::role_of;

/// Metadata that names an identity (Vault's role and user names, a
/// Kubernetes service account), which a policy's `identity` also matches.
pub(super) const NAMING_METADATA: [&str; 5] = [
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
    pub(crate) fn findings(&self, accesses: &[Event]) -> (Vec<Finding>, Vec<RuleStatus>) {
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
        let mut status = |rule: Rule, enabled: bool, missing: Option<&str>| {
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
        status(Rule::Burst, rules.burst.enabled, None);
        status(Rule::DeniedBurst, rules.denied_burst.enabled, None);
        status(
            Rule::NewSource,
            rules.new_source.enabled,
            (self.settings.trusted_networks.is_empty() && self.baseline.is_none())
                .then_some("needs trusted_networks in the configuration, or a baseline"),
        );
        status(Rule::EnvDrift, rules.env_drift.enabled, no_baseline);
        status(Rule::EnvMismatch, rules.env_mismatch.enabled, None);
        status(Rule::OffHours, rules.off_hours.enabled, no_baseline);
        status(Rule::FirstAccess, rules.first_access.enabled, no_baseline);

        let on: Vec<Rule> = statuses
            .iter()
            .filter(|s| s.active)
            .map(|s| s.rule)
            .collect();
        let active = |rule: Rule| on.contains(&rule);
        // Identities are judged independently: in parallel.
        let mut findings: Vec<Finding> = identities
            .par_iter()
            .flat_map_iter(|((provider, id), list)| {
                let known = self.baseline.and_then(|b| b.identity(*provider, id));
                let mut found = Vec::new();
                if active(Rule::Burst) {
                    self.bursts(list, known, &mut found);
                }
                if active(Rule::DeniedBurst) {
                    self.denials(list, known, &mut found);
                }
                if active(Rule::NewSource) {
                    self.new_sources(list, known, &mut found);
                }
                if active(Rule::EnvDrift) {
                    self.env_drift(list, known, &mut found);
                }
                if active(Rule::EnvMismatch) {
                    self.env_mismatch(list, &mut found);
                }
                if active(Rule::OffHours) {
                    self.off_hours(list, known, &mut found);
                }
                if active(Rule::FirstAccess) {
                    self.first_access(list, known, &mut found);
                }
                found
            })
            .collect();
        if active(Rule::DeniedBurst) {
            self.denials_by_address(&reads, &mut findings);
        }
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(a.first.cmp(&b.first))
                // By name, as the report always sorted them.
                .then(a.rule.as_str().cmp(b.rule.as_str()))
                .then(a.identity_id.cmp(&b.identity_id))
        });
        (findings, statuses)
    }

    fn finding(
        &self,
        rule: Rule,
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
            provider: identity.provider,
            secrets: secrets.into_iter().collect(),
            first,
            last,
            count: events.len() as u64,
            source_addresses: addresses.into_iter().collect(),
            explanation,
            evidence: events
                .iter()
                .map(|a| FindingEvidence {
                    place: Place::of(a, self.files),
                    time: a.time,
                    outcome: a.outcome,
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
}
