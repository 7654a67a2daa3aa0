//! `who-read`: every identity that read (or tried to read) the secret.

use super::readers::{Reader, strings};
use super::report::{
    Evidence, ExcludedOut, Place, QueryEcho, ReaderOut, Stats, WHO_READ_SCHEMA, WhoReadReport,
};
use crate::event::Event;
use crate::time::Window;

pub(crate) fn report(
    readers: &[Reader],
    accesses: &[Event],
    window: &Window,
    with_evidence: bool,
    query: QueryEcho,
    stats: Stats,
    files: &[String],
) -> WhoReadReport {
    let excluded: Vec<&Event> = accesses
        .iter()
        .filter(|a| window.contains(a.time) && a.excluded.is_some())
        .collect();
    WhoReadReport {
        schema: WHO_READ_SCHEMA,
        query,
        readers: readers.iter().map(|r| reader_out(r, files)).collect(),
        excluded_reads: excluded.len() as u64,
        excluded: with_evidence.then(|| {
            excluded
                .iter()
                .map(|a| ExcludedOut {
                    identity: a.identity.label.clone(),
                    identity_id: a.identity.id.clone(),
                    reason: a.excluded.as_deref().unwrap_or_default().to_string(),
                    evidence: evidence(a, files),
                })
                .collect()
        }),
        // The app's to tell, from its scan (see `app::trail_coverage`).
        coverage: Default::default(),
        stats,
    }
}

pub(crate) fn evidence(a: &Event, files: &[String]) -> Evidence {
    Evidence {
        place: Place::of(a, files),
        provider: a.provider,
        operation: a.operation.to_string(),
        scope: a.scope,
        kind: a.kind,
        time: a.time,
        request_id: a.key.display(),
        outcome: a.outcome,
        secret: a.secret.to_string(),
    }
}

pub(crate) fn reader_out(r: &Reader, files: &[String]) -> ReaderOut {
    ReaderOut {
        identity: r.identity.label.clone(),
        identity_id: r.identity.id.clone(),
        provider: r.identity.provider,
        successful_reads: r.successful,
        denied_reads: r.denied,
        error_reads: r.errors,
        not_found_reads: r.not_found,
        no_value_reads: r.no_value,
        unknown_outcome: r.unknown,
        wide_reads: r.wide,
        undecrypted_reads: r.undecrypted,
        possible_reads: r.possible,
        operations: strings(&r.operations),
        first_seen: r.first_seen,
        last_seen: r.last_seen,
        source_addresses: r.source_addresses.list(),
        busiest_address: r.source_addresses.busiest(),
        secrets: strings(&r.secrets),
        credentials: strings(&r.credentials),
        metadata: r.identity.metadata.clone(),
        policies: r.identity.policies.clone(),
        evidence: (!r.evidence.is_empty())
            .then(|| r.evidence.iter().map(|a| evidence(a, files)).collect()),
    }
}
