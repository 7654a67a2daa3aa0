//! Splunk search results: a row holds the event's text in `_raw`, and the
//! event's place in its index in `_cd` (bucket:offset). The export endpoint
//! writes one `{"preview":…,"result":{row}}` per line; the REST results
//! endpoint a `{"results":[rows]}` document; the UI a JSON array of rows or
//! a CSV of columns (`_raw` among them).

use memchr::memmem;

use super::row::{Obj, Row};
use super::{Export, Opened, Unopened};
use crate::json;

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
        return match line || row.cd.0.is_some() {
            true => Err(NO_RAW.into()),
            false => Ok(Err(row)),
        };
    };
    let record = raw.0.ok_or("a Splunk row whose _raw is not text")?;
    check_whole(&record)?;
    Ok(Ok(Opened {
        export: Export::Splunk,
        record,
        id: row.cd.0.map(|cd| format!("_cd={cd}")),
    }))
}

/// A row without `_raw`, or whose `_raw` is cut (see [`super::flaw`]).
pub(super) fn flaw(row: &[u8]) -> Option<Unopened> {
    let Some(key) = memmem::find(row, b"\"_raw\"") else {
        return Some(NO_RAW.into());
    };
    let at = json::skip_blanks(row, key + 6);
    let at = json::skip_blanks(row, at + usize::from(row.get(at) == Some(&b':')));
    if row.get(at) != Some(&b'"') || row.get(at + 1) != Some(&b'{') {
        return None;
    }
    // Inside the string every quote is escaped, so the first `}"` after
    // its start is its own end when the record is whole (unless a later
    // member also ends in `}`, which only costs this warning); found with
    // one fast search instead of a walk over every escape.
    if let Some(p) = memmem::find(&row[at..], b"}\"") {
        let after = json::skip_blanks(row, at + p + 2);
        if matches!(row.get(after), Some(b',' | b'}')) {
            return None;
        }
    }
    let end = json::string_end(row, at).ok()?;
    let inner = &row[at + 1..end - 1];
    let starts = inner.trim_ascii_start().first() == Some(&b'{');
    if !starts || inner.trim_ascii_end().last() == Some(&b'}') {
        return None;
    }
    let record: String = serde_json::from_slice(&row[at..end]).ok()?;
    check_whole(&record).err()
}

const NO_RAW: &str = "a Splunk row without _raw: export the events with their _raw \
                      (| table _time _raw)";

/// A `_raw` that starts a JSON object but does not end one was cut.
fn check_whole(record: &str) -> Result<(), Unopened> {
    let trimmed = record.trim();
    if trimmed.starts_with('{') && !trimmed.ends_with('}') {
        let len = record.len();
        let cause = if len >= TRUNCATE {
            "Splunk cuts events longer than 10,000 bytes unless TRUNCATE in props.conf \
             is raised, and this record is lost"
        } else {
            "the record is lost"
        };
        return Err(format!(
            "a Splunk _raw cut short at {len} bytes (it does not end with '}}'): {cause}"
        ));
    }
    Ok(())
}
