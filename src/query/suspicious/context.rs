//! The rules about what an identity read against what it is: environment
//! drift and mismatch, off-hours reads, first reads of a secret.

use std::collections::BTreeSet;

use super::measure::*;
use super::{DAY, NANOS_PER_SECOND};
use super::{Finding, Judge, NAMING_METADATA, PRODUCTION, Rule, Severity};
use crate::event::{Event, Identity, Outcome};
use crate::query::baseline::{IdentityBaseline, hour_of_day};

impl Judge<'_> {
    /// `env-drift`: an identity that read only non-production secrets in the
    /// baseline reads production ones.
    pub(super) fn env_drift(
        &self,
        list: &[&Event],
        known: Option<&IdentityBaseline>,
        out: &mut Vec<Finding>,
    ) {
        let Some(b) = self.well_known(known) else {
            return;
        };
        let normal: Vec<&String> = b
            .environments
            .keys()
            .filter(|e| e.as_str() != crate::query::baseline::NO_ENVIRONMENT)
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
        out.push(self.finding(Rule::EnvDrift, variant, severity, &drift, text));
    }

    /// `env-mismatch`: a read of a secret of an environment the identity's
    /// role does not allow (configured policies; by default the
    /// environments its own name, policies or role name).
    pub(super) fn env_mismatch(&self, list: &[&Event], out: &mut Vec<Finding>) {
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
        out.push(self.finding(Rule::EnvMismatch, "role", severity, &wrong, text));
    }

    /// The environments an identity may read, and why: the first configured
    /// policy that matches it, else the environments its own names say.
    pub(super) fn allowed_environments(
        &self,
        identity: &Identity,
    ) -> Option<(Vec<String>, String)> {
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
            if let Some(env) = self.environments().classify(part)
                && !own.iter().any(|e| e == env)
            {
                own.push(env.to_string());
            }
        }
        (!own.is_empty()).then(|| (own, "as its name or role says".into()))
    }

    /// `off-hours`: reads at hours the identity never worked in the baseline.
    pub(super) fn off_hours(
        &self,
        list: &[&Event],
        known: Option<&IdentityBaseline>,
        out: &mut Vec<Finding>,
    ) {
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
            out.push(self.finding(Rule::OffHours, "hour-of-day", severity, &group, text));
        }
    }

    /// `first-access`: secrets an identity known to the baseline never read there.
    pub(super) fn first_access(
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
        out.push(self.finding(Rule::FirstAccess, "new-secret", severity, &new, text));
    }
}
