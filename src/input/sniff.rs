//! Deciding what a file is from its start: how its records are laid out
//! (one per line, or documents over many lines) and which store wrote them.
//! A file that holds no record of a known source is skipped, with the reason.

use crate::envelope::{self, Export};
use crate::json;
use crate::scan::Hint;
use crate::source::{self, Source};

/// How much of a file is looked at to decide what it is.
pub(crate) const SNIFF: usize = 1 << 20;
const SNIFF_LINES: usize = 20;

/// How a file is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Layout {
    /// One record per line (JSON Lines), or one container document per line
    /// (a CloudTrail S3 file): cut at newlines, scanned in parallel.
    Lines,
    /// Documents spread over many lines (pretty-printed arrays and objects):
    /// read whole, one file per thread.
    Documents,
    /// A CSV export: a header, then rows that may span lines; read whole.
    Csv,
    /// whosaw's own export as Parquet: read whole, row group by row group.
    Parquet,
}

impl Layout {
    /// How a message names the layout.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Layout::Lines => "JSON Lines",
            Layout::Documents => "JSON document",
            Layout::Csv => "CSV",
            Layout::Parquet => "Parquet",
        }
    }
}

/// What a file was detected as: its layout, and the source of its first
/// recognised record (`None` when its first record was too long to judge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Detected {
    pub layout: Layout,
    pub source: Option<Source>,
    /// The SIEM or data lake whose export the file is, if any.
    pub export: Option<Export>,
    /// The records looked at came from more than one store (said of an
    /// export only).
    pub several: bool,
}

impl Detected {
    /// A Parquet file of whosaw's rows.
    pub(crate) fn parquet() -> Detected {
        Detected {
            layout: Layout::Parquet,
            source: Some(Source::Whosaw),
            export: None,
            several: false,
        }
    }

    pub(crate) fn hint(&self) -> Hint {
        Hint {
            source: self.source,
            export: self.export,
        }
    }

    pub(crate) fn describe(&self) -> String {
        // (A store's own file is named by its first record's store, as it
        // always was; an export often mixes stores, and says so.)
        let store = match (self.source, self.several && self.export.is_some()) {
            (None, _) => "records of an undetermined source".to_string(),
            (Some(first), false) => first.title().to_string(),
            (Some(first), true) => format!("records of several stores (first: {})", first.title()),
        };
        let format = match self.layout {
            Layout::Csv => "CSV",
            Layout::Lines | Layout::Documents => "JSON",
            Layout::Parquet => "Parquet",
        };
        let source = match self.export {
            Some(export) => format!("{} {format} export of {store}", export.title()),
            None => store,
        };
        let layout = match self.layout {
            Layout::Lines => "one record or document per line",
            Layout::Documents => "multi-line JSON documents",
            Layout::Csv => "a header, then one record per row",
            Layout::Parquet => "Parquet, one record per row",
        };
        format!("{source} ({layout})")
    }
}

/// `sniff` of a file held whole in memory (mapped): its first `SNIFF`
/// bytes, cut short if there are more.
pub(crate) fn sniff_start(data: &[u8], forced: Option<Source>) -> Result<Detected, String> {
    sniff(&data[..data.len().min(SNIFF)], data.len() > SNIFF, forced)
}

/// Decides what the start of a file is: its layout, and the source of its
/// first recognised record. In JSON Lines one of the first non-blank lines
/// must be a record of a known source (a file cut at its start still passes
/// on its second line; a CSV does not); a multi-line document's first
/// record must be. `cut_short` says the window ends inside the file: its
/// last line may be incomplete and is not judged (a first line longer than
/// the window leaves nothing to judge, and the file is read). `forced`
/// (`--source`) stands for the source of every record.
pub(crate) fn sniff(
    head: &[u8],
    cut_short: bool,
    forced: Option<Source>,
) -> Result<Detected, String> {
    let at = json::skip_blanks(head, 0);
    let first_line_end = memchr::memchr(b'\n', &head[at..]).map(|p| at + p);
    let lines = |judged: Option<Judged>| -> Result<Detected, String> {
        Ok(Detected {
            layout: Layout::Lines,
            source: judged.and_then(|j| j.source),
            export: judged.and_then(|j| j.export),
            several: judged.is_some_and(|j| j.several),
        })
    };
    let first_line = match first_line_end {
        Some(end) => &head[at..end],
        // One line longer than the window (a CloudTrail S3 file): its first
        // record, if the window holds it, still tells the source.
        None if cut_short => {
            let judged = judge_any(&first_records(head, at)).ok().flatten();
            return lines(forced_or(forced, judged));
        }
        None => &head[at..],
    };
    let first_line = first_line.trim_ascii_end();
    let complete = if cut_short {
        match memchr::memrchr(b'\n', head) {
            Some(p) => &head[..p],
            None => return lines(None),
        }
    } else {
        head
    };
    let lines_after = || {
        complete
            .split(|&b| b == b'\n')
            .map(<[u8]>::trim_ascii)
            .filter(|l| !l.is_empty())
    };
    let whole_object =
        |l: &[u8]| l.first() == Some(&b'{') && json::value_end(l, 0).ok() == Some(l.len());
    if matches!(first_line.first(), Some(b'{' | b'['))
        && json::value_end(first_line, 0).ok() != Some(first_line.len())
        // JSON Lines whose first line was cut still has whole objects on
        // the lines after it; a pretty-printed document has none.
        && !(first_line[0] == b'{' && lines_after().skip(1).take(SNIFF_LINES).any(whole_object))
    {
        // A value that does not end on its line: a pretty-printed document.
        let judged = judge_any(&first_records(head, at));
        let judged = match forced {
            Some(_) => forced_or(forced, judged.ok().flatten()),
            None => judged?,
        };
        return Ok(Detected {
            layout: Layout::Documents,
            source: judged.and_then(|j| j.source),
            export: judged.and_then(|j| j.export),
            several: judged.is_some_and(|j| j.several),
        });
    }
    if !matches!(first_line.first(), Some(b'{' | b'['))
        && let Some(detected) = sniff_csv(head, cut_short, forced)
    {
        return Ok(detected);
    }
    let records: Vec<&[u8]> = lines_after()
        .take(SNIFF_LINES)
        .flat_map(|line| match line.first() {
            Some(b'{' | b'[') => first_records(line, 0),
            _ => vec![line],
        })
        .collect();
    let judged = judge_any(&records);
    match forced {
        Some(_) => lines(forced_or(forced, judged.ok().flatten())),
        None => lines(judged.map_err(|e| csv_not_an_export(head, first_line).unwrap_or(e))?),
    }
}

/// Why a CSV that is no export is skipped, naming its columns: a CSV is
/// not a log, but an export of one may be asked for in another shape.
fn csv_not_an_export(head: &[u8], first_line: &[u8]) -> Option<String> {
    if matches!(first_line.first(), Some(b'{' | b'[')) {
        return None;
    }
    let header = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first_line)
        .byte_records()
        .next()?
        .ok()?;
    if header.len() < 2 {
        return None;
    }
    let columns: Vec<String> = header
        .iter()
        .take(8)
        .map(|c| String::from_utf8_lossy(c).trim().to_string())
        .collect();
    let more = if header.len() > 8 { ", …" } else { "" };
    let rows = if envelope::csv::Csv::read(head).next_row().is_some() {
        "none of its first rows holds"
    } else {
        "it has no rows, so none holds"
    };
    Some(format!(
        "not a recognised audit log, skipped (a CSV of columns {}{more}: {rows} a record: \
         whosaw reads Splunk's _raw, Elastic's event.original or message, and the columns \
         of Log Analytics, BigQuery and Athena exports)",
        columns.join(", ")
    ))
}

/// A CSV export: a header, then rows that are an export's records. A
/// window cut inside the file leaves its last row unjudged.
fn sniff_csv(head: &[u8], cut_short: bool, forced: Option<Source>) -> Option<Detected> {
    let mut csv = envelope::csv::Csv::read(head);
    let mut rows: Vec<envelope::csv::Row> = std::iter::from_fn(|| csv.next_row())
        .take(SNIFF_LINES + 1)
        .collect();
    if cut_short && rows.len() <= SNIFF_LINES {
        // The window's last row may be cut.
        rows.pop();
    }
    let objects: Vec<String> = rows
        .iter()
        .take(SNIFF_LINES)
        .filter_map(|row| csv.object(row).ok())
        .collect();
    let texts: Vec<&[u8]> = objects.iter().map(String::as_bytes).collect();
    let judged = judge_any(&texts).ok().flatten();
    // A search that found nothing: a header that names a record's column.
    let judged = match (rows.is_empty(), csv.carrier_export()) {
        (true, Some(export)) => Some(Judged {
            source: None,
            export: Some(export),
            several: false,
        }),
        _ => judged,
    };
    // Only an export's rows make a CSV file a log.
    judged.and_then(|j| j.export)?;
    let judged = forced_or(forced, judged)?;
    Some(Detected {
        layout: Layout::Csv,
        source: judged.source,
        export: judged.export,
        several: judged.several,
    })
}

/// What the records looked at are: the first one's source and the export
/// it came in, and whether other records came from other stores. An
/// export's rows may all hold other records (a SIEM's other sourcetypes
/// first): the file is still read as that export, its store undetermined.
#[derive(Clone, Copy)]
struct Judged {
    source: Option<Source>,
    export: Option<Export>,
    several: bool,
}

/// `--source` stands for the source of every record; the export is still
/// told by the records.
fn forced_or(forced: Option<Source>, judged: Option<Judged>) -> Option<Judged> {
    match forced {
        Some(source) => Some(Judged {
            source: Some(source),
            export: judged.and_then(|j| j.export),
            several: false,
        }),
        None => judged,
    }
}

/// The source of the first recognised record among `records`; `None` when
/// there are none to judge.
fn judge_any(records: &[&[u8]]) -> Result<Option<Judged>, String> {
    let mut first_error = None;
    let mut first: Option<Judged> = None;
    let mut export = None;
    for record in records {
        let judged = match judge(record) {
            Ok(Some(judged)) => judged,
            Ok(None) => continue,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        if let Some(e) = judged.export {
            export.get_or_insert(e);
        }
        match (&mut first, judged.source) {
            (_, None) => {}
            (None, Some(_)) => first = Some(judged),
            (Some(seen), source) => seen.several |= source != seen.source,
        }
    }
    match (first, export, first_error) {
        (Some(judged), ..) => Ok(Some(judged)),
        (None, Some(export), _) => Ok(Some(Judged {
            source: None,
            export: Some(export),
            several: false,
        })),
        (None, None, None) => Ok(None),
        (None, None, Some(e)) => Err(not_recognised(&e)),
    }
}

fn not_recognised(first: &str) -> String {
    format!("not a recognised audit log, skipped (first record: {first})")
}

/// The first records (up to `SNIFF_LINES`) of the value at `at`: the value
/// itself, or the first elements of its array, as far as `data` holds them
/// whole. An empty array has none.
fn first_records(data: &[u8], at: usize) -> Vec<&[u8]> {
    match json::shape(data, at, crate::envelope::container_keys()) {
        json::Shape::Record => match json::value_end(data, at) {
            Ok(end) => vec![&data[at..end]],
            Err(_) => Vec::new(),
        },
        json::Shape::Array { open, .. } => {
            // The window may cut the array: the records before the cut count.
            let mut records = Vec::new();
            let _ = json::elements(data, open, |s, e| {
                if records.len() < SNIFF_LINES {
                    records.push(&data[s..e]);
                }
            });
            records
        }
    }
}

/// What one record is: `Ok(None)` for an export's bookkeeping line.
fn judge(record: &[u8]) -> Result<Option<Judged>, String> {
    let text = std::str::from_utf8(record).map_err(|_| "not UTF-8 text".to_string())?;
    let judged = |source, export| {
        Some(Judged {
            source,
            export,
            several: false,
        })
    };
    let opened = match envelope::open(text) {
        Ok(opened) => opened,
        Err(envelope::Unopened::NoRow) => return Ok(None),
        Err(envelope::Unopened::Flawed(why)) => return Err(why),
    };
    match opened {
        // The row's record, or the records of a container it holds.
        Some(row) => {
            let data = row.record.as_bytes();
            let mut inner = first_records(data, json::skip_blanks(data, 0));
            if inner.is_empty() {
                // Not one JSON value (text before it, as Vault's `prefix`
                // writes): the stores judge the text.
                inner.push(data);
            }
            let store = |record: &[u8]| {
                let text = std::str::from_utf8(record).map_err(|e| e.to_string())?;
                source::detect(text).map_err(|e| e.to_string())
            };
            // A row whose record no store reads is still the export's.
            let source = inner.into_iter().find_map(|record| store(record).ok());
            Ok(judged(source, Some(row.export)))
        }
        None => source::detect(text)
            .map(|source| judged(Some(source), None))
            .map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_accepts_vault_even_after_a_cut_first_line() {
        let good = r#"{"time":"2025-03-15T02:34:12Z","type":"request","request":{"operation":"list","path":"secret/"}}"#;
        let d = sniff(
            format!("ount_point\":\"x\"}}\n{good}\n").as_bytes(),
            false,
            None,
        )
        .unwrap();
        assert_eq!((d.layout, d.source), (Layout::Lines, Some(Source::Vault)));
        assert!(sniff(b"", false, None).is_ok());
        let err = sniff(b"name,age\nbob,3\n", false, None).unwrap_err();
        assert!(err.contains("not a recognised audit log"), "{err}");
        // A window cut inside its only line judges nothing.
        assert!(sniff(b"{\"type\":\"response\",\"auth\":{\"x\":[1,2", true, None).is_ok());
        use crate::source::samples::{CLOUDTRAIL_OTHER, cloudtrail_delivery};
        let err = sniff(cloudtrail_delivery(&[r#"{"a":1}"#]).as_bytes(), false, None).unwrap_err();
        assert!(err.contains("not a record of any supported"), "{err}");
        let ct = CLOUDTRAIL_OTHER;
        let delivery = cloudtrail_delivery(&[ct]);
        let d = sniff(delivery.as_bytes(), false, None).unwrap();
        assert_eq!(
            (d.layout, d.source),
            (Layout::Lines, Some(Source::CloudTrail))
        );
        // Empty containers are recognised as holding nothing.
        let no_records = cloudtrail_delivery(&[]) + "\n";
        for empty in ["[]", &no_records, "[\n]\n"] {
            assert!(sniff(empty.as_bytes(), false, None).is_ok());
        }
        // A bad first record does not condemn the document.
        let doc = format!("[\n  {{\"x\":1}},\n  {ct}\n]\n");
        let d = sniff(doc.as_bytes(), false, None).unwrap();
        assert_eq!(d.source, Some(Source::CloudTrail));
        // JSON Lines whose first line was cut is still JSON Lines.
        let d = sniff(
            format!("{{\"time\":\"2025\n{good}\n").as_bytes(),
            false,
            None,
        )
        .unwrap();
        assert_eq!((d.layout, d.source), (Layout::Lines, Some(Source::Vault)));
        let d = sniff(format!("[\n  {ct}\n]\n").as_bytes(), false, None).unwrap();
        assert_eq!(
            (d.layout, d.source),
            (Layout::Documents, Some(Source::CloudTrail))
        );
    }
}
