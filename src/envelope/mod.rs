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
mod members;
mod row;
mod splunk;

use std::borrow::Cow;

use crate::source::store::ContainerLead;

/// The system an export came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// Why a row that is an export's could not be opened (counted as a
/// malformed record, with its file and line).
pub(crate) type Unopened = String;

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
        Some(Err(why)) => Err(why),
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
        let why = open(&row).unwrap_err();
        assert!(why.contains("cut short"), "{why}");
        // Splunk's own limit is named when the cut falls on it.
        let long = format!(r#"{{"pad":"{}",{}"#, "p".repeat(10_000), &VAULT_READ[1..]);
        let row = format!(r#"{{"_raw":{}}}"#, quoted(&long[..10_000]));
        let why = open(&row).unwrap_err();
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
        assert!(open(bare).unwrap_err().contains("_source"));
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
            .filter_map(|file| csv::rows(file.as_bytes()).next()?.1.ok()),
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
                let _ = csv::rows(&row[..cut]).count();
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let mut broken = row.to_vec();
                let at = (seed as usize) % broken.len();
                broken[at] = b"{}[]\",:\\\xff\n"[(seed >> 32) as usize % 10];
                let _ = std::str::from_utf8(&broken).map(open);
                let _ = flaw(&broken, Export::Splunk);
                let _ = csv::rows(&broken).count();
            }
        }
    }
}
