//! Deciding what a file is from its start: how its records are laid out
//! (one per line, or documents over many lines) and which store wrote them.
//! A file that holds no record of a known source is skipped, with the reason.

use crate::json;
use crate::source::{self, Source};

/// How much of a file is looked at to decide what it is.
pub(crate) const SNIFF: usize = 1 << 20;
const SNIFF_LINES: usize = 20;

/// How a file is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One record per line (JSON Lines), or one container document per line
    /// (a CloudTrail S3 file): cut at newlines, scanned in parallel.
    Lines,
    /// Documents spread over many lines (pretty-printed arrays and objects):
    /// read whole, one file per thread.
    Documents,
}

/// What a file was detected as: its layout, and the source of its first
/// recognised record (`None` when its first record was too long to judge).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Detected {
    pub layout: Layout,
    pub source: Option<Source>,
}

impl Detected {
    pub(crate) fn describe(&self) -> String {
        let source = self
            .source
            .map_or("records of an undetermined source", Source::title);
        let layout = match self.layout {
            Layout::Lines => "one record or document per line",
            Layout::Documents => "multi-line JSON documents",
        };
        format!("{source} ({layout})")
    }
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
    let lines = |source| -> Result<Detected, String> {
        Ok(Detected {
            layout: Layout::Lines,
            source,
        })
    };
    let first_line = match first_line_end {
        Some(end) => &head[at..end],
        // One line longer than the window (a CloudTrail S3 file): its first
        // record, if the window holds it, still tells the source.
        None if cut_short => {
            let source = forced.or_else(|| judge_any(&first_records(head, at)).ok().flatten());
            return lines(source);
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
        let source = match forced {
            Some(forced) => Some(forced),
            None => judge_any(&first_records(head, at))?,
        };
        return Ok(Detected {
            layout: Layout::Documents,
            source,
        });
    }
    if let Some(forced) = forced {
        return lines(Some(forced));
    }
    let records: Vec<&[u8]> = lines_after()
        .take(SNIFF_LINES)
        .flat_map(|line| match line.first() {
            Some(b'{' | b'[') => first_records(line, 0),
            _ => vec![line],
        })
        .collect();
    lines(judge_any(&records)?)
}

/// The source of the first recognised record among `records`; `None` when
/// there are none to judge.
fn judge_any(records: &[&[u8]]) -> Result<Option<Source>, String> {
    let mut first_error = None;
    for record in records {
        match judge(record) {
            Ok(source) => return Ok(Some(source)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        None => Ok(None),
        Some(e) => Err(not_recognised(&e)),
    }
}

fn not_recognised(first: &str) -> String {
    format!("not a recognised audit log, skipped (first record: {first})")
}

/// The first records (up to `SNIFF_LINES`) of the value at `at`: the value
/// itself, or the first elements of its array, as far as `data` holds them
/// whole. An empty array has none.
fn first_records(data: &[u8], at: usize) -> Vec<&[u8]> {
    match json::shape(data, at, crate::source::container_keys()) {
        json::Shape::Record => match json::value_end(data, at) {
            Ok(end) => vec![&data[at..end]],
            Err(_) => Vec::new(),
        },
        json::Shape::Array(open) => {
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

fn judge(record: &[u8]) -> Result<Source, String> {
    let text = std::str::from_utf8(record).map_err(|_| "not UTF-8 text".to_string())?;
    source::detect(text).map_err(|e| e.to_string())
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
