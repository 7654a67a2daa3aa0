//! Measures and phrases the rules share: distinct secrets, peaks and
//! clusters in a window, sittings, human spans and hours, labels.

use std::collections::BTreeSet;

use super::{NAMING_METADATA, NANOS_PER_SECOND};
use crate::event::{Event, Identity};
use crate::query::baseline::WindowSecrets;

/// `, 4 more than…` when the baseline raised a threshold.
pub(super) fn baseline_note(usual: u64) -> String {
    match usual {
        0 => String::new(),
        n => format!(", {n} more than its busiest span in the baseline"),
    }
}

/// `approle (role_name=deploy-bot)`: the label and what names it, for
/// sentences; the id when there is no label.
pub(super) fn label(a: &Event) -> String {
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
pub(super) fn role_of(identity: &Identity) -> Option<String> {
    NAMING_METADATA
        .iter()
        .find_map(|k| identity.metadata.get(*k).map(|v| format!("{k}={v}")))
}

pub(super) fn distinct(events: &[&Event]) -> u64 {
    events
        .iter()
        .map(|a| a.secret_key())
        .collect::<BTreeSet<_>>()
        .len() as u64
}

/// The most of `events` (sorted) within any span shorter than `window`.
pub(super) fn peak_count(events: &[&Event], window: i64) -> u64 {
    let times: Vec<_> = events.iter().map(|a| a.time).collect();
    crate::query::baseline::peak_in_window(&times, window)
}

/// What a window of events is measured by.
#[derive(Clone, Copy)]
pub(super) enum Measure {
    Events,
    DistinctSecrets,
}

/// The maximal runs of `events` (sorted by time) covered by spans shorter
/// than `window` that reach `threshold` by `measure`: overlapping firing
/// spans are one cluster, so a long burst is one finding, not one per event.
pub(super) fn clusters<'a>(
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
pub(super) fn sittings<'a>(events: &[&'a Event], gap: i64) -> Vec<Vec<&'a Event>> {
    let mut groups: Vec<Vec<&Event>> = Vec::new();
    for a in events {
        match groups.last_mut() {
            Some(g) if a.time.nanos() - g[g.len() - 1].time.nanos() < gap => g.push(a),
            _ => groups.push(vec![a]),
        }
    }
    groups
}

pub(super) fn human_span(events: &[&Event]) -> String {
    let span = events[events.len() - 1].time.nanos() - events[0].time.nanos();
    human_duration(span)
}

pub(super) fn human_duration(nanos: i64) -> String {
    let secs = nanos / NANOS_PER_SECOND;
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

/// `21:00–23:59`-style ranges of the hours with reads.
pub(super) fn usual_hours(hours: &[u64]) -> String {
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
