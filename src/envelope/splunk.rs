//! Splunk search results: a row holds the event's text in `_raw`, and the
//! event's place in its index in `_cd` (bucket:offset). The export endpoint
//! writes one `{"preview":…,"result":{row}}` per line; the REST results
//! endpoint a `{"results":[rows]}` document; the UI a JSON array of rows or
//! a CSV of columns (`_raw` among them).

use memchr::memmem;

use super::row::{Obj, Row};
use super::{Export, Opened, Unopened};

/// Splunk cuts an event at this many bytes unless `TRUNCATE` in
/// props.conf says otherwise.
const TRUNCATE: usize = 10_000;

pub(super) fn open<'a>(row: Row<'a>) -> Result<Result<Opened<'a>, Row<'a>>, Unopened> {
    // An export line: the row is its `result`.
    let line = row.preview.is_some() && row.result.0.is_some();
    let row = match (line, row.result.0) {
        (true, Some(result)) => *result,
        (_, result) => Row {
            result: Obj(result),
            ..row
        },
    };
    let Some(raw) = row.raw else {
        // An export line with no result: the search's messages, or a
        // closing `lastrow`.
        if row.preview.is_some() && !line {
            return Err(Unopened::NoRow);
        }
        return match line || row.cd.0.is_some() {
            true => Err(NO_RAW.into()),
            false => Ok(Err(row)),
        };
    };
    let record = raw.0.ok_or(NOT_TEXT)?;
    check_whole(&record)?;
    Ok(Ok(Opened {
        export: Export::Splunk,
        record,
        id: row.cd.0.map(|cd| format!("_cd={cd}")),
    }))
}

/// A row without `_raw`, or whose `_raw` is not text or is cut (see
/// [`super::flaw`]). An export line that only carries the search's
/// messages holds no row.
pub(super) fn flaw(row: &[u8]) -> Option<Unopened> {
    let at = match super::text_value_at(row, b"\"_raw\"") {
        Ok(Some(at)) => at,
        Ok(None) if is_bookkeeping(row) => return Some(Unopened::NoRow),
        Ok(None) => return Some(NO_RAW.into()),
        Err(()) => return Some(NOT_TEXT.into()),
    };
    super::cut_record_at(row, at).map(|len| Unopened::Flawed(cut(len)))
}

/// A line of the export endpoint that holds no result: the search's
/// messages, or a closing `lastrow`.
fn is_bookkeeping(row: &[u8]) -> bool {
    let has = |key: &[u8]| memmem::find(row, key).is_some();
    (has(b"\"messages\"") || has(b"\"preview\"")) && !has(b"\"result\"")
}

const NOT_TEXT: &str = "a Splunk row whose _raw is not text";

const NO_RAW: &str = "a Splunk row without _raw: export the events with their _raw \
                      (| table _time _raw)";

/// A `_raw` that starts a JSON object but does not end one was cut.
fn check_whole(record: &str) -> Result<(), Unopened> {
    let trimmed = record.trim();
    match trimmed.starts_with('{') && !trimmed.ends_with('}') {
        true => Err(cut(Some(record.len())).into()),
        false => Ok(()),
    }
}

/// Why a cut `_raw` of `len` bytes (`None`: the row ends inside it) is lost.
pub(super) fn cut(len: Option<usize>) -> String {
    match len {
        Some(len) if len >= TRUNCATE => format!(
            "a Splunk _raw cut short at {len} bytes (it does not end with '}}'): Splunk \
             cuts events longer than 10,000 bytes unless TRUNCATE in props.conf is \
             raised, and this record is lost"
        ),
        Some(len) => format!(
            "a Splunk _raw cut short at {len} bytes (it does not end with '}}'): the \
             record is lost"
        ),
        None => "a Splunk row cut short inside its _raw: the record is lost".into(),
    }
}
