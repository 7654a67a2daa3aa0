//! Elasticsearch and OpenSearch: a hit (`{"_index","_id","_source"}`, from
//! a `_search`, scroll or point-in-time answer, or one per line from
//! elasticdump) or a bare `_source` (Kibana's NDJSON, `_source`-only
//! dumps). The store's record is in `event.original` (Elastic integrations
//! that preserve the original event), in `message` (Filebeat or Elastic
//! Agent log inputs, Logstash, Fluent Bit), or already decoded into an
//! object by a forwarder (`json`, `vault`, `log`).

use std::borrow::Cow;

use memchr::memmem;

use super::members::Members;
use super::{Export, Opened, Unopened};

/// Where a forwarder that decoded the record as JSON put it.
const DECODED: [&str; 3] = ["json", "vault", "log"];

/// A hit without `_source` (see [`super::flaw`]).
pub(super) fn flaw(row: &[u8]) -> Option<Unopened> {
    let hit = memmem::find(row, b"\"_index\"").is_some();
    (hit && memmem::find(row, b"\"_source\"").is_none()).then(|| NO_SOURCE.into())
}

const NO_SOURCE: &str = "an Elasticsearch hit without _source (was the search run with \
                         \"_source\": false, or with fields only?)";

pub(super) fn open<'a>(row: &Members<'a>) -> Result<Option<Opened<'a>>, Unopened> {
    let id = row.text("_id").map(|id| format!("_id={id}"));
    if let Some(source_text) = row.get("_source") {
        let source = Members::of(source_text.get())
            .ok_or("an Elasticsearch hit whose _source is not an object")?;
        return match record(&source, true) {
            Some(record) => Ok(Some(Opened {
                export: Export::Elasticsearch,
                record,
                id,
            })),
            None => match super::mapped::rebuild(source_text.get()) {
                Some(Ok(rebuilt)) => Ok(Some(Opened {
                    export: Export::Elasticsearch,
                    record: rebuilt.record.into(),
                    id,
                })),
                Some(Err(why)) => Err(why),
                None => Err("an Elasticsearch hit whose _source holds no audit record \
                             (no event.original, no JSON message, no mapped record)"
                    .into()),
            },
        };
    }
    if row.has("_index") && row.has("_id") {
        return Err(NO_SOURCE.into());
    }
    // A bare `_source`: `event.original` is Elastic's own; a message or a
    // decoded object only counts beside Elastic's `@timestamp`.
    let elastic = row.has("@timestamp");
    Ok(record(row, elastic).map(|record| Opened {
        export: Export::Elasticsearch,
        record,
        id,
    }))
}

/// The store's record a `_source` holds. `any_carrier`: a message or a
/// decoded object is taken too, not only `event.original`.
fn record<'a>(source: &Members<'a>, any_carrier: bool) -> Option<Cow<'a, str>> {
    let original = source
        .object("event")
        .and_then(|event| event.text("original"))
        .or_else(|| source.text("event.original"));
    if let Some(original) = original {
        return Some(original);
    }
    if !any_carrier {
        return None;
    }
    let message = source
        .text("message")
        .filter(|m| m.trim_start().starts_with('{'));
    message.or_else(|| {
        DECODED
            .iter()
            .filter_map(|key| source.get(key))
            // Elastic Agent's own `log` object ({file, offset}) is no
            // record: only one a store claims counts.
            .find(|raw| raw.get().starts_with('{') && crate::source::detect(raw.get()).is_ok())
            .map(|raw| Cow::Borrowed(raw.get()))
    })
}
