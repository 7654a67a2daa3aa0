//! `who-read`: every identity that read (or tried to read) the secret.

use super::readers::{Reader, strings};
use super::report::{
    Evidence, QueryEcho, ReaderOut, Stats, WHO_READ_SCHEMA, WhoReadReport, evidence_file,
};
use crate::event::ReadKind;

pub fn report(
    readers: &[Reader],
    query: QueryEcho,
    stats: Stats,
    files: &[String],
) -> WhoReadReport {
    WhoReadReport {
        schema: WHO_READ_SCHEMA,
        query,
        readers: readers.iter().map(|r| reader_out(r, files)).collect(),
        stats,
    }
}

fn reader_out(r: &Reader, files: &[String]) -> ReaderOut {
    ReaderOut {
        identity: r.identity.label.clone(),
        identity_id: r.identity.id.clone(),
        provider: r.identity.provider.as_str(),
        successful_reads: r.successful,
        denied_reads: r.denied,
        error_reads: r.errors,
        unknown_outcome: r.unknown,
        wide_reads: r.wide,
        undecrypted_reads: r.undecrypted,
        possible_reads: r.possible,
        operations: strings(&r.operations),
        first_seen: r.first_seen.rfc3339(),
        last_seen: r.last_seen.rfc3339(),
        source_addresses: strings(&r.source_addresses),
        secrets: strings(&r.secrets),
        credentials: strings(&r.credentials),
        metadata: r.identity.metadata.clone(),
        policies: r.identity.policies.clone(),
        evidence: (!r.evidence.is_empty()).then(|| {
            r.evidence
                .iter()
                .map(|a| Evidence {
                    file: evidence_file(files, a.origin.file),
                    line: a.origin.line,
                    record: a.origin.record,
                    provider: a.provider.as_str(),
                    operation: a.operation.to_string(),
                    scope: a.scope.as_str(),
                    kind: a.kind.map_or("none", ReadKind::as_str),
                    time: a.time.rfc3339(),
                    request_id: a.key.display(),
                    outcome: a.outcome.as_str(),
                    secret: a.secret.to_string(),
                })
                .collect()
        }),
    }
}
