//! When a secret began to exist, as far as the input shows, and the wide
//! reads that ended before then. A namespace list, an SSM read by path or a
//! batch by filter returns the secrets that exist when it runs: one that
//! completed before the secret was created cannot have returned it.
//!
//! The rule needs a creation the log shows (see `RawEvent::creates`) and no
//! earlier event naming the secret (which would say it existed before).
//! Excluded reads stay visible, with why (`--evidence`).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::report::evidence_file;
use crate::event::Event;
use crate::event::{Origin, Outcome, Provider, Scope, Timestamp};

/// Per store: the first successful creation of the queried secret, and the
/// first other event naming it.
#[derive(Default)]
struct Lifetime {
    /// When, and the record that says so (with its export's id).
    created: Option<(Timestamp, Origin, Option<Arc<str>>)>,
    first_named: Option<Timestamp>,
}

/// Splits a first pass's accesses into the reads of values and the other
/// events naming the secret, and marks (`Event::excluded`) the wide reads
/// that ended before the secret was created. For an exact query only: a
/// regex names many secrets, and wide reads are not narrowed to any.
pub(crate) fn reads_and_context(
    accesses: Vec<Event>,
    exact: bool,
    files: &[String],
) -> (Vec<Event>, Vec<Event>) {
    if !exact {
        // A regex keeps no other events (see `scan::LineFilter::Secret`).
        return (accesses, Vec::new());
    }
    let (mut reads, context): (Vec<Event>, Vec<Event>) =
        accesses.into_iter().partition(|a| a.kind.is_some());
    let mut lifetimes: BTreeMap<Provider, Lifetime> = BTreeMap::new();
    let naming = reads
        .iter()
        .filter(|a| a.scope == Scope::One)
        .chain(&context);
    for a in naming {
        let life = lifetimes.entry(a.provider).or_default();
        if a.creates && a.outcome == Outcome::Success {
            if life.created.as_ref().is_none_or(|(t, _, _)| a.time < *t) {
                life.created = Some((a.time, a.origin, a.export_id.clone()));
            }
        } else if a.outcome != Outcome::NotFound {
            // A "not found" proves the secret was absent, not present.
            life.first_named = Some(life.first_named.map_or(a.time, |t| t.min(a.time)));
        }
    }
    for a in reads.iter_mut().filter(|a| a.scope != Scope::One) {
        let Some(life) = lifetimes.get(&a.provider) else {
            continue;
        };
        let Some((created, origin, export_id)) = &life.created else {
            continue;
        };
        let (created, origin) = (*created, *origin);
        if a.end < created && life.first_named.is_none_or(|t| t >= created) {
            let mut record = origin.record.map(|i| format!("#{i}")).unwrap_or_default();
            if let Some(id) = export_id {
                record += &format!(" [{id}]");
            }
            a.excluded = Some(Arc::from(format!(
                "a wide read that ended at {}, before the secret was created at {created} ({}:{}{record}): it cannot have returned it",
                a.end,
                evidence_file(files, origin.file),
                origin.line,
            )));
        }
    }
    (reads, context)
}

/// The store a name was seen in, in any event (a secret only ever created
/// still has one); `None` when no event named it or several stores did.
pub(crate) fn provider_seen(reads: &[Event], context: &[Event]) -> Option<Provider> {
    let mut seen = reads
        .iter()
        .filter(|a| a.scope == Scope::One)
        .chain(context)
        .map(|a| a.provider);
    let first = seen.next()?;
    seen.all(|p| p == first).then_some(first)
}
