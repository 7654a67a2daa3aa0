//! Elasticsearch and OpenSearch: a hit (`{"_index","_id","_source"}`, from
//! a `_search`, scroll or point-in-time answer, or one per line from
//! elasticdump) or a bare `_source` (Kibana's NDJSON, `_source`-only
//! dumps). The store's record is in `event.original` (Elastic integrations
//! that preserve the original event), in `message` (Filebeat or Elastic
//! Agent log inputs, Logstash, Fluent Bit), or already decoded into an
//! object by a forwarder (`json`, `vault`, `log`).

use std::borrow::Cow;

use memchr::memmem;

use super::row::Row;
use super::{Export, Opened, Unopened};
use crate::json;

/// A hit without `_source`, or whose `_source` is no object, or a
/// record cut short in the text that carries it (see [`super::flaw`]).
pub(super) fn flaw(row: &[u8]) -> Option<Unopened> {
    // A hit starts with `_index`, as Elasticsearch writes it.
    if memmem::find(&row[..row.len().min(64)], b"\"_index\"").is_some() {
        let Some(key) = memmem::find(row, b"\"_source\"") else {
            return Some(NO_SOURCE.into());
        };
        let at = json::skip_blanks(row, key + b"\"_source\"".len());
        let at = json::skip_blanks(row, at + usize::from(row.get(at) == Some(&b':')));
        if row.get(at) != Some(&b'{') {
            return Some(NOT_OBJECT.into());
        }
    }
    // The first carrier that holds a JSON object is the record's: each
    // carrier costs a search through the row, and most rows have one.
    let (at, name) = CARRIERS.iter().find_map(|(key, name)| {
        let at = super::text_value_at(row, key).ok()??;
        (row.get(at + 1) == Some(&b'{')).then_some((at, name))
    })?;
    let len = super::cut_record_at(row, at)?;
    Some(Unopened::Flawed(match len {
        Some(len) => format!(
            "an Elasticsearch record in {name} cut short at {len} bytes (it does not end \
             with '}}'): the record is lost"
        ),
        None => format!("an Elasticsearch row cut short inside its {name}: the record is lost"),
    }))
}

/// The members that carry a record as text, as written in a row (the
/// second is `original` under `event`, or `event.original` dotted), with
/// the name a warning gives them.
const CARRIERS: [(&[u8], &str); 2] = [
    (b"\"message\"", "message"),
    (b"original\"", "event.original"),
];

const NOT_OBJECT: &str = "an Elasticsearch hit whose _source is not an object";

const NO_SOURCE: &str = "an Elasticsearch hit without _source (was the search run with \
                         \"_source\": false, or with fields only?)";

/// The record an Elasticsearch hit or bare `_source` holds. `Ok(None)`:
/// the row is neither. `text` is the row's whole text, read again only for
/// a hit whose `_source` maps its record to columns.
pub(super) fn open<'a>(row: Row<'a>, text: &'a str) -> Result<Option<Opened<'a>>, Unopened> {
    let id = row.id.0.as_ref().map(|id| format!("_id={id}"));
    if let Some(source) = row.source.0 {
        let opened = |record| Opened {
            export: Export::Elasticsearch,
            record,
            id: id.clone(),
        };
        if let Some(record) = record(*source, true) {
            return Ok(Some(opened(record)));
        }
        let source_text = crate::source::member_of(text, "_source").map_or("", |raw| raw.get());
        return match super::mapped::rebuild(source_text) {
            Some(Ok(rebuilt)) => Ok(Some(opened(rebuilt.record.into()))),
            Some(Err(why)) => Err(why.into()),
            None => Err("an Elasticsearch hit whose _source holds no audit record \
                         (no event.original, no JSON message, no mapped record)"
                .into()),
        };
    }
    if row.index.is_some() && row.id.0.is_some() {
        return Err(NO_SOURCE.into());
    }
    // A bare `_source`: `event.original` is Elastic's own; a message or a
    // decoded object only counts beside Elastic's `@timestamp`.
    let elastic = row.timestamp.is_some();
    Ok(record(row, elastic).map(|record| Opened {
        export: Export::Elasticsearch,
        record,
        id,
    }))
}

/// The store's record a `_source` holds. `any_carrier`: a message or a
/// decoded object is taken too, not only `event.original`.
fn record(source: Row<'_>, any_carrier: bool) -> Option<Cow<'_, str>> {
    let Row {
        event,
        event_original,
        message,
        json,
        vault,
        log,
        ..
    } = source;
    if let Some(original) = event.0.and_then(|e| e.original.0).or(event_original.0) {
        return Some(original);
    }
    if !any_carrier {
        return None;
    }
    let message = message.0.filter(|m| m.trim_start().starts_with('{'));
    message.or_else(|| {
        [json, vault, log]
            .into_iter()
            .flatten()
            // Elastic Agent's own `log` object ({file, offset}) is no
            // record: only one a store claims counts.
            .find(|raw| raw.get().starts_with('{') && crate::source::detect(raw.get()).is_ok())
            .map(|raw| Cow::Borrowed(raw.get()))
    })
}
