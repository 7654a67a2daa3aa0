//! The rules about what an identity did: bursts of reads, repeated
//! denials (per identity and per address), reads from new networks.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::measure::*;
use super::{Finding, Judge, Rule, Severity};
use crate::event::{Event, Outcome, Provider};
use crate::net::{network_of, parse_address};
use crate::query::baseline::{
    FIFTEEN_MINUTES, FIVE_MINUTES, IdentityBaseline, TEN_MINUTES, identity_key, scaled,
};

impl Judge<'_> {
    /// `burst`: many distinct secrets, or one secret many times, in a short span.
    pub(super) fn bursts(
        &self,
        list: &[&Event],
        known: Option<&IdentityBaseline>,
        out: &mut Vec<Finding>,
    ) {
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
            out.push(self.finding(
                Rule::Burst,
                "distinct-secrets",
                Severity::High,
                &cluster,
                text,
            ));
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
                out.push(self.finding(Rule::Burst, "same-secret", severity, &cluster, text));
            }
        }
    }

    /// `denied-burst`: repeated denials by one identity, and denials followed
    /// by a success (someone trying stolen credentials until one works).
    pub(super) fn denials(
        &self,
        list: &[&Event],
        known: Option<&IdentityBaseline>,
        out: &mut Vec<Finding>,
    ) {
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
                        Rule::DeniedBurst,
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
                        Rule::DeniedBurst,
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
    pub(super) fn denials_by_address(&self, reads: &[&Event], out: &mut Vec<Finding>) {
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
                    Rule::DeniedBurst,
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
    pub(super) fn new_sources(
        &self,
        list: &[&Event],
        known: Option<&IdentityBaseline>,
        out: &mut Vec<Finding>,
    ) {
        let trusted = &self.settings.trusted_networks;
        // Only a settled routine's networks say what is new.
        let known = self
            .well_known(known)
            .filter(|b| b.settled_networks && !b.networks.is_empty());
        if trusted.is_empty() && known.is_none() {
            return;
        }
        let mut by_network: Vec<(String, &'static str, Vec<&Event>)> = Vec::new();
        for a in list {
            let Some(ip) = a.source_address.as_deref().and_then(parse_address) else {
                continue;
            };
            let untrusted = !trusted.is_empty() && !trusted.iter().any(|c| c.contains(ip));
            if !untrusted && known.is_none() {
                continue;
            }
            // Written out only for a read that may be reported.
            let network = network_of(ip).to_string();
            let unseen = known.is_some_and(|b| !b.networks.contains(&network));
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
            out.push(self.finding(Rule::NewSource, variant, severity, &events, text));
        }
    }
}
