//! Exports from SIEMs and data lakes: the layer between input and the
//! stores. A responder often has no raw audit file, only what Splunk,
//! Elasticsearch, Log Analytics, BigQuery or a data lake gives back. This
//! layer recognises such an export's rows by their content (never by file
//! name) and hands each store's own record to the same store parser, rules
//! and dedupe as a raw file. Stores know nothing of envelopes.
//!
//! A row carries its store's record in one of two ways:
//! - as the original text (Splunk's `_raw`, Elastic's `event.original` or
//!   `message`, or an object a forwarder decoded): passed on as it is;
//! - mapped to the export's own columns (Elastic's integrations without the
//!   original, Log Analytics tables, BigQuery, data-lake tables): the record
//!   is rebuilt in the store's own shape from what the columns hold
//!   (`mapped`), and whatever a column set lacks is said in README.

pub(crate) mod csv;
mod elastic;
pub(crate) mod mapped;
mod row;
mod splunk;

use std::borrow::Cow;

use crate::json;
use crate::source::store::ContainerLead;

/// The system an export came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Export {
    Splunk,
    Elasticsearch,
    /// Azure Monitor Log Analytics (Microsoft Sentinel's workspace).
    LogAnalytics,
    /// Google BigQuery, the sink of Cloud Logging.
    BigQuery,
    /// A data lake or query engine over CloudTrail (Athena, CloudTrail Lake,
    /// security data lakes).
    DataLake,
}

impl Export {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Export::Splunk => "Splunk",
            Export::Elasticsearch => "Elasticsearch",
            Export::LogAnalytics => "Log Analytics",
            Export::BigQuery => "BigQuery",
            Export::DataLake => "data lake",
        }
    }
}

/// One export row, opened: the store's record and the export's own id for
/// the row (`_cd=…`, `_id=…`), which evidence shows beside file and line.
#[derive(Debug)]
pub(crate) struct Opened<'a> {
    pub export: Export,
    pub record: Cow<'a, str>,
    pub id: Option<String>,
}

/// Why a row that is an export's gives no record.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unopened {
    /// A line that is the export's bookkeeping, no row (the search's
    /// messages in Splunk's export): not an event, nothing lost.
    NoRow,
    /// A row that should carry a record and does not (counted as a
    /// malformed record, with its file and line).
    Flawed(String),
}

impl From<&str> for Unopened {
    fn from(why: &str) -> Unopened {
        Unopened::Flawed(why.to_string())
    }
}

impl From<String> for Unopened {
    fn from(why: String) -> Unopened {
        Unopened::Flawed(why)
    }
}

/// The store's record an export row carries. `Ok(None)`: the text is no
/// export row (a store's own record, or nothing known).
pub(crate) fn open(text: &str) -> Result<Option<Opened<'_>>, Unopened> {
    let Some(row) = row::Row::of(text) else {
        return Ok(None);
    };
    let row = match splunk::open(row)? {
        Ok(opened) => return Ok(Some(opened)),
        Err(row) => row,
    };
    if let Some(opened) = elastic::open(row, text)? {
        return Ok(Some(opened));
    }
    match mapped::rebuild(text) {
        Some(Ok(rebuilt)) => Ok(Some(Opened {
            export: rebuilt.export,
            record: rebuilt.record.into(),
            id: None,
        })),
        Some(Err(why)) => Err(why.into()),
        None => Ok(None),
    }
}

/// What is visibly wrong with an export's row that is not parsed because it
/// cannot hold a match: a record cut short, a hit without its record. Read
/// from the bytes, as a store's own lines are checked for their closing
/// `}`, so that no loss goes unreported.
pub(crate) fn flaw(row: &[u8], export: Export) -> Option<Unopened> {
    match export {
        Export::Splunk => splunk::flaw(row),
        Export::Elasticsearch => elastic::flaw(row),
        // A mapped row is whole or not JSON: parsed rows say what they lack.
        Export::LogAnalytics | Export::BigQuery | Export::DataLake => None,
    }
}

/// Where the text value of `key` (written with its quotes: `"_raw"`) starts
/// in a row: the offset of its opening quote. `Err(())` when the key is
/// there with a value that is not text; `Ok(None)` when it is not there.
fn text_value_at(row: &[u8], key: &[u8]) -> Result<Option<usize>, ()> {
    let Some(found) = memchr::memmem::find(row, key) else {
        return Ok(None);
    };
    let at = json::skip_blanks(row, found + key.len());
    if row.get(at) != Some(&b':') {
        return Ok(None);
    }
    let at = json::skip_blanks(row, at + 1);
    match row.get(at) {
        Some(b'"') => Ok(Some(at)),
        _ => Err(()),
    }
}

/// Whether the text value whose opening quote is at `at` holds a JSON
/// object cut short: it starts with `{` and does not end with `}`, or the
/// row ends inside it. `Some(decoded length)` when it is cut (`None` for
/// the length when the row ends first).
fn cut_record_at(row: &[u8], at: usize) -> Option<Option<usize>> {
    if row.get(at + 1) != Some(&b'{') {
        return None;
    }
    // Inside the string every quote is escaped, so the first `}"` after
    // its start is its own end when the record is whole (unless a later
    // member also ends in `}`, which only costs this warning); found with
    // one fast search instead of a walk over every escape.
    if let Some(p) = memchr::memmem::find(&row[at..], b"}\"") {
        let after = json::skip_blanks(row, at + p + 2);
        if matches!(row.get(after), Some(b',' | b'}')) {
            return None;
        }
    }
    let Ok(end) = json::string_end(row, at) else {
        return Some(None);
    };
    let inner = &row[at + 1..end - 1];
    if inner.trim_ascii_end().last() == Some(&b'}') {
        return None;
    }
    let record: String = serde_json::from_slice(&row[at..end]).ok()?;
    Some(Some(record.len()))
}

/// The columns of a CSV export that carry a store's record as text.
const CARRIED_IN: [&str; 3] = ["_raw", "event.original", "message"];

/// A record in a CSV column that carries one (see [`flaw`]) that is not
/// UTF-8, or is cut short: it starts a JSON object and does not end one.
pub(crate) fn carried_flaw(column: &str, value: &[u8]) -> Option<Unopened> {
    if !CARRIED_IN.contains(&column) {
        return None;
    }
    if let Err(e) = std::str::from_utf8(value) {
        return Some(Unopened::Flawed(format!(
            "not UTF-8 (column {column}, invalid byte at offset {})",
            e.valid_up_to()
        )));
    }
    let value = value.trim_ascii();
    if value.first() != Some(&b'{') || value.last() == Some(&b'}') {
        return None;
    }
    Some(Unopened::Flawed(match column {
        "_raw" => splunk::cut(Some(value.len())),
        _ => format!(
            "a record in column {column} cut short at {} bytes (it does not end with '}}'): \
             the record is lost",
            value.len()
        ),
    }))
}

/// Keys under which an export holds its rows: Splunk's REST `results`,
/// Elasticsearch's `hits` (an object holding `hits`, the array).
const CONTAINER_KEYS: [&str; 2] = ["results", "hits"];

/// Keys that open such a container before its rows' key: a Splunk REST
/// answer (`preview`, then `init_offset`), an Elasticsearch search, scroll
/// or point-in-time answer.
const CONTAINER_LEADS: [ContainerLead; 4] = [
    ContainerLead {
        key: "preview",
        with: Some("\"init_offset\""),
    },
    ContainerLead {
        key: "took",
        with: None,
    },
    ContainerLead {
        key: "_scroll_id",
        with: None,
    },
    ContainerLead {
        key: "pit_id",
        with: None,
    },
];

/// Every key under which a document holds records: the stores' own and the
/// exports'.
pub(crate) fn container_keys() -> &'static [&'static [u8]] {
    static KEYS: std::sync::LazyLock<Vec<&'static [u8]>> = std::sync::LazyLock::new(|| {
        let exports = CONTAINER_KEYS.iter().map(|k| k.as_bytes());
        crate::source::container_keys()
            .iter()
            .copied()
            .chain(exports)
            .collect()
    });
    &KEYS
}

/// Every key that may open a container before its records' key.
pub(crate) fn container_leads() -> &'static [&'static ContainerLead] {
    static LEADS: std::sync::LazyLock<Vec<&'static ContainerLead>> =
        std::sync::LazyLock::new(|| {
            crate::source::container_leads()
                .iter()
                .copied()
                .chain(CONTAINER_LEADS.iter())
                .collect()
        });
    &LEADS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::samples::VAULT_READ;

    fn flawed(why: Unopened) -> String {
        match why {
            Unopened::Flawed(why) => why,
            Unopened::NoRow => panic!("a row, not bookkeeping"),
        }
    }

    fn quoted(record: &str) -> String {
        serde_json::to_string(record).unwrap()
    }

    #[test]
    fn a_store_record_is_no_export_row() {
        assert!(open(VAULT_READ).unwrap().is_none());
        assert!(open("[1,2]").unwrap().is_none());
        assert!(open("not json").unwrap().is_none());
    }

    #[test]
    fn splunk_rows_and_lines_give_their_raw_record() {
        let row = format!(
            r#"{{"_cd":"12:345","_raw":{},"_time":"x"}}"#,
            quoted(VAULT_READ)
        );
        let opened = open(&row).unwrap().unwrap();
        assert_eq!(opened.export, Export::Splunk);
        assert_eq!(opened.record, VAULT_READ);
        assert_eq!(opened.id.as_deref(), Some("_cd=12:345"));
        let line = format!(r#"{{"preview":false,"offset":0,"result":{row}}}"#);
        assert_eq!(open(&line).unwrap().unwrap().record, VAULT_READ);
    }

    #[test]
    fn a_cut_raw_says_why() {
        let cut = &VAULT_READ[..VAULT_READ.len() - 5];
        let row = format!(r#"{{"_raw":{}}}"#, quoted(cut));
        let why = flawed(open(&row).unwrap_err());
        assert!(why.contains("cut short"), "{why}");
        // Splunk's own limit is named when the cut falls on it.
        let long = format!(r#"{{"pad":"{}",{}"#, "p".repeat(10_000), &VAULT_READ[1..]);
        let row = format!(r#"{{"_raw":{}}}"#, quoted(&long[..10_000]));
        let why = flawed(open(&row).unwrap_err());
        assert!(
            why.contains("10,000 bytes") && why.contains("TRUNCATE"),
            "{why}"
        );
    }

    #[test]
    fn elastic_hits_give_the_original_or_the_message() {
        let hit = format!(
            r#"{{"_index":"logs-hashicorp_vault.audit-default","_id":"a1","_source":{{"@timestamp":"x","event":{{"original":{}}}}}}}"#,
            quoted(VAULT_READ)
        );
        let opened = open(&hit).unwrap().unwrap();
        assert_eq!(opened.export, Export::Elasticsearch);
        assert_eq!(opened.record, VAULT_READ);
        assert_eq!(opened.id.as_deref(), Some("_id=a1"));
        let dotted = format!(
            r#"{{"@timestamp":"x","event.original":{}}}"#,
            quoted(VAULT_READ)
        );
        assert_eq!(open(&dotted).unwrap().unwrap().record, VAULT_READ);
        let message = format!(r#"{{"@timestamp":"x","message":{}}}"#, quoted(VAULT_READ));
        assert_eq!(open(&message).unwrap().unwrap().record, VAULT_READ);
        let decoded = format!(r#"{{"@timestamp":"x","json":{VAULT_READ}}}"#);
        assert_eq!(open(&decoded).unwrap().unwrap().record, VAULT_READ);
        // A plain log message is no record.
        assert!(
            open(r#"{"@timestamp":"x","message":"hello"}"#)
                .unwrap()
                .is_none()
        );
        let bare = r#"{"_index":"i","_id":"a2","_score":1}"#;
        assert!(flawed(open(bare).unwrap_err()).contains("_source"));
    }

    #[test]
    fn no_row_panics_the_envelope() {
        // Every prefix and many single-byte corruptions of realistic rows
        // of each shape: opened, refused or not a row, never a panic.
        let splunk = format!(
            r#"{{"preview":false,"result":{{"_cd":"1:2","_raw":{}}}}}"#,
            quoted(VAULT_READ)
        );
        let elastic = format!(
            r#"{{"_index":"i","_id":"a","_source":{{"@timestamp":"x","event":{{"original":{}}}}}}}"#,
            quoted(VAULT_READ)
        );
        let csv_text = format!(
            "_time,_raw\r\n1,\"{}\"\r\n",
            VAULT_READ.replace('"', "\"\"")
        );
        // Mapped rows of each column set, as the fixtures hold them.
        let mapped: Vec<String> = [
            include_str!("../../testdata/exports/mapped/elastic-vault.ndjson"),
            include_str!("../../testdata/exports/mapped/elastic-cloudtrail.ndjson"),
        ]
        .iter()
        .flat_map(|file| file.lines().take(2).map(str::to_string))
        .chain(
            [
                include_str!("../../testdata/exports/mapped/azkvauditlogs.csv"),
                include_str!("../../testdata/exports/mapped/athena.csv"),
            ]
            .iter()
            .filter_map(|file| {
                let mut csv = csv::Csv::read(file.as_bytes());
                let first = csv.next_row()?;
                csv.object(&first).ok()
            }),
        )
        .collect();
        assert_eq!(mapped.len(), 6);
        for row in &mapped {
            assert!(matches!(open(row), Ok(Some(_))), "{row}");
        }
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let rows = [splunk.as_bytes(), elastic.as_bytes(), csv_text.as_bytes()];
        for row in rows.into_iter().chain(mapped.iter().map(String::as_bytes)) {
            for cut in 0..row.len() {
                let _ = std::str::from_utf8(&row[..cut]).map(open);
                let _ = flaw(&row[..cut], Export::Splunk);
                let _ = flaw(&row[..cut], Export::Elasticsearch);
                let mut csv = csv::Csv::read(&row[..cut]);
                while let Some(row) = csv.next_row() {
                    let _ = (csv.object(&row), csv.ends_inside_quotes(&row));
                }
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let mut broken = row.to_vec();
                let at = (seed as usize) % broken.len();
                broken[at] = b"{}[]\",:\\\xff\n"[(seed >> 32) as usize % 10];
                let _ = std::str::from_utf8(&broken).map(open);
                let _ = flaw(&broken, Export::Splunk);
                let mut csv = csv::Csv::read(&broken);
                while let Some(row) = csv.next_row() {
                    let _ = (csv.object(&row), csv.ends_inside_quotes(&row));
                }
            }
        }
    }
}
