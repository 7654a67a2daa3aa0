//! `export`: the events of the logs, one row per record, for another engine
//! (Spark, DuckDB, a security lake) or for whosaw itself to read back
//! (`source::whosaw`), so that answers over an export equal answers over
//! the logs it came from.
//!
//! Each file is exported on its own, as a Spark task would: a request's
//! records are paired within the file to tell each row's outcome and which
//! row stands for the request (`decides`), but every record is written,
//! with the key that completes it, because its other half may be in
//! another file. What pairs across files is decided when the rows are read
//! back, exactly as for the logs themselves.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cli::ExportSchema;
use crate::environment::Environments;
use crate::event::{ErrorKind, Event, IdSource, ReadKind, Scope, Stage};
use crate::query::access::standings;
use crate::query::timeline::{AfterPairing, EVENT_SCHEMA, EventOut, event_out};
use crate::scan::Extra;
use crate::source::store::Halves;
use crate::source::store_of;

mod ecs;
mod ocsf;
pub(crate) mod parquet;
mod products;
mod sink;

pub(crate) use sink::{Destination, Sink, inside_evidence};

/// Every row says what it is: whosaw knows its own rows by this.
pub(crate) const ROW_SCHEMA: &str = EVENT_SCHEMA;

/// One record, exported: the `whosaw.event.v1` fields `timeline` prints
/// (for the request as this file tells it), then what it takes to rebuild
/// the record's event and pair it with records in other files. Fields may
/// be added, never renamed or removed.
#[derive(Serialize)]
pub(crate) struct Row<'e> {
    pub schema: &'static str,
    #[serde(flatten)]
    pub event: EventOut,
    /// Which half of its request the record is.
    pub stage: Stage,
    /// What the record itself says went wrong (`outcome` is the request's).
    pub logged_error: ErrorKind,
    /// What a read exposed, or would have had it succeeded; `null` for
    /// anything but a read of values.
    pub kind: Option<ReadKind>,
    /// How far the read reached: one secret, or a list's children, descendants or all.
    pub scope: Scope,
    /// Another spelling of the secret a query may use.
    pub alias: Option<&'e str>,
    /// Which logged field the identity's id was taken from.
    pub id_source: IdSource,
    pub metadata: &'e BTreeMap<String, String>,
    pub policies: &'e [String],
    /// The request creates the secret it names.
    pub creates: bool,
    /// A request half whose response tells all (`suspicious` skips it).
    pub request_half: bool,
    /// The record held values, or tokens, in clear (a `log_raw` device,
    /// Kubernetes bodies): never the values, only that they were there
    /// (`exposures` over the rows names what).
    pub values_in_clear: bool,
    pub tokens_in_clear: bool,
    /// Every record of the request is in this file: its outcome is final.
    pub complete: bool,
    /// This row stands for its request (one per request in the file):
    /// `WHERE decides` counts requests, `WHERE decides AND complete` final ones.
    pub decides: bool,
}

/// What a file's rows are written with: the filters that need a request
/// paired, and what a row names besides its record.
pub(crate) struct Shaping<'a> {
    /// OCSF and ECS take one row per request (its deciding record).
    pub schema: ExportSchema,
    pub after: &'a AfterPairing,
    pub environments: &'a Environments,
    pub files: &'a [String],
}

/// Writes the rows of one file's `entries` (in input order, with their
/// `extras`) to `sink`, in that order; returns how many.
pub(crate) fn file_rows(
    mut entries: Vec<Event>,
    extras: &[Extra],
    shaping: &Shaping<'_>,
    sink: &mut dyn Sink,
) -> std::io::Result<u64> {
    let standings = standings(&entries);
    for (e, s) in entries.iter_mut().zip(&standings) {
        e.outcome = s.outcome;
    }
    let mut written = 0;
    for ((e, s), extra) in entries.iter().zip(&standings).zip(extras) {
        let complete = match store_of(e.provider).about().halves {
            Halves::One => true,
            Halves::RequestAndResponse => s.halves == (true, true),
            Halves::Stages => false,
        };
        // The window, outcome and address filters judge a request by the
        // record that decides it; a request this file holds only part of
        // is kept whole, to be judged where its parts meet.
        if complete && !shaping.after.accepts(&entries[s.decider]) {
            continue;
        }
        if shaping.schema != ExportSchema::Whosaw && !s.decides {
            continue;
        }
        let row = Row {
            schema: ROW_SCHEMA,
            event: event_out(e, shaping.environments, shaping.files),
            stage: e.stage,
            logged_error: e.error,
            kind: e.kind,
            scope: e.scope,
            alias: extra.alias.as_deref(),
            id_source: e.identity.id_source,
            metadata: &e.identity.metadata,
            policies: &e.identity.policies,
            creates: e.creates,
            request_half: extra.request_half,
            values_in_clear: extra.values_in_clear,
            tokens_in_clear: extra.tokens_in_clear,
            complete,
            decides: s.decides,
        };
        sink.write(&row, e)?;
        written += 1;
    }
    Ok(written)
}
