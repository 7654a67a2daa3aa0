//! The only parallel code: files in parallel, and each mapped file split into
//! newline-aligned chunks scanned in parallel. Each chunk builds its own
//! results (no shared locks on the hot path); they are joined in input order,
//! so the output never depends on scheduling.

use std::collections::BTreeMap;

use indicatif::ProgressBar;
use rayon::prelude::*;
use std::io::Read;

use crate::diag::Diagnostics;
use crate::event::Event;
use crate::input::{Fingerprint, InputFile, Opened, open};
use crate::json;
use crate::scan::{BlockOut, Plan, scan_block, scan_documents};
use crate::source::{self, Source};

/// Mapped files are cut into chunks of about this size (measured sweet spot:
/// big enough to amortise scheduling, small enough to balance two cores).
const CHUNK: usize = 8 << 20;
/// Streams are scanned in blocks of about this size.
const BLOCK: usize = 8 << 20;
/// How much of a file is looked at to decide what it is.
const SNIFF: usize = 1 << 20;
const SNIFF_LINES: usize = 20;

pub struct ScanOptions {
    pub allow_mmap: bool,
}

/// Everything one pass over the input produced.
pub struct ScanResult {
    pub entries: Vec<Event>,
    /// File names, indexed by `Origin::file`.
    pub files: Vec<String>,
    pub events: u64,
    pub diags: Diagnostics,
    /// Each file as it was opened (`None`: not a regular file, or unreadable).
    pub fingerprints: Vec<Option<Fingerprint>>,
    /// What each file was read as (`None`: skipped or empty).
    pub detected: Vec<Option<Detected>>,
    /// Each file's Vault entries per `type` (with `Plan::count_types`).
    pub entry_types: Vec<BTreeMap<String, u64>>,
}

/// How a file is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
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
pub struct Detected {
    pub layout: Layout,
    pub source: Option<Source>,
}

impl Detected {
    pub fn describe(&self) -> String {
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

pub fn scan(
    files: &[InputFile],
    plan: &Plan<'_>,
    opts: &ScanOptions,
    progress: &ProgressBar,
) -> ScanResult {
    let per_file: Vec<FileOut> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            scan_file(
                u32::try_from(i).unwrap_or(u32::MAX),
                f,
                plan,
                opts,
                progress,
            )
        })
        .collect();
    let mut result = ScanResult {
        entries: Vec::with_capacity(per_file.iter().map(|f| f.out.entries.len()).sum()),
        files: files.iter().map(|f| f.name.clone()).collect(),
        events: 0,
        diags: Diagnostics::default(),
        fingerprints: Vec::with_capacity(files.len()),
        detected: Vec::with_capacity(files.len()),
        entry_types: Vec::with_capacity(files.len()),
    };
    for mut file in per_file {
        result
            .entry_types
            .push(std::mem::take(&mut file.out.entry_types));
        result.events += file.out.events;
        result.entries.append(&mut file.out.entries);
        result.diags.append(file.diags);
        result.fingerprints.push(file.fingerprint);
        result.detected.push(file.detected);
    }
    result
}

/// What scanning one file gave.
struct FileOut {
    out: BlockOut,
    diags: Diagnostics,
    fingerprint: Option<Fingerprint>,
    detected: Option<Detected>,
}

fn scan_file(
    index: u32,
    input: &InputFile,
    plan: &Plan<'_>,
    opts: &ScanOptions,
    progress: &ProgressBar,
) -> FileOut {
    let mut diags = Diagnostics::default();
    let name = input.name.as_str();
    let counted =
        |r: Box<dyn Read + Send>| -> Box<dyn Read + Send> { Box::new(progress.wrap_read(r)) };
    let (opened, fingerprint) = match open(input, opts.allow_mmap, &counted) {
        Ok(o) => o,
        Err(e) => {
            diags.skipped_file(name, &format!("cannot read: {e}"));
            return FileOut {
                out: BlockOut::default(),
                diags,
                fingerprint: None,
                detected: None,
            };
        }
    };
    let (out, detected) = match opened {
        Opened::Empty => {
            diags.note(name, "file is empty".into());
            (BlockOut::default(), None)
        }
        Opened::Mapped(map) => scan_mapped(&map, index, name, plan, progress, &mut diags),
        Opened::Stream { reader, compressed } => {
            scan_stream(reader, compressed, index, name, plan, &mut diags)
        }
    };
    for (line, message) in &out.malformed {
        diags.malformed(name, *line, message.clone());
    }
    if out.raw_values {
        diags.note(
            name,
            "holds secret material in clear (a Vault device with log_raw, or Kubernetes \
             Request/RequestResponse bodies): treat this file as a secret; whosaw never prints values"
                .into(),
        );
    } else if out.raw_tokens {
        diags.note(
            name,
            "holds Vault client tokens in clear (a device with log_raw): treat this file as a \
             secret; whosaw never prints tokens"
                .into(),
        );
    }
    if let (Some(before), Some(path)) = (fingerprint, &input.path) {
        let after = std::fs::metadata(path).map(|m| Fingerprint::of(&m));
        if after.as_ref().ok() != Some(&before) {
            diags.partial(
                name,
                None,
                "the file changed while it was being read: the answer may not match the evidence; \
                 re-run on a stable copy"
                    .into(),
            );
        }
    }
    FileOut {
        out,
        diags,
        fingerprint,
        detected,
    }
}

fn scan_mapped(
    data: &[u8],
    index: u32,
    name: &str,
    plan: &Plan<'_>,
    progress: &ProgressBar,
    diags: &mut Diagnostics,
) -> (BlockOut, Option<Detected>) {
    let detected = match sniff(&data[..data.len().min(SNIFF)], data.len() > SNIFF, plan) {
        Ok(d) => d,
        Err(why) => {
            diags.skipped_file(name, &why);
            progress.inc(data.len() as u64);
            return (BlockOut::default(), None);
        }
    };
    if detected.layout == Layout::Documents {
        let out = scan_documents(data, plan, index, detected.source);
        progress.inc(data.len() as u64);
        return (out, Some(detected));
    }
    let outs: Vec<BlockOut> = newline_chunks(data, CHUNK)
        .par_iter()
        .map(|chunk| {
            let out = scan_block(chunk, plan, index, detected.source);
            progress.inc(chunk.len() as u64);
            out
        })
        .collect();
    let mut all = BlockOut::default();
    // Sized once: growing it would copy every entry several times.
    all.entries
        .reserve_exact(outs.iter().map(|o| o.entries.len()).sum());
    for out in outs {
        all.append(out);
    }
    (all, Some(detected))
}

/// Splits `data` into pieces of about `target` bytes, each ending just after
/// a newline (the last may end without one). A line longer than `target`
/// simply makes its chunk longer.
fn newline_chunks(data: &[u8], target: usize) -> Vec<&[u8]> {
    let mut chunks = Vec::with_capacity(data.len() / target + 1);
    let mut start = 0;
    while start < data.len() {
        let mut end = (start + target).min(data.len());
        if end < data.len() {
            end = memchr::memchr(b'\n', &data[end..]).map_or(data.len(), |p| end + p + 1);
        }
        chunks.push(&data[start..end]);
        start = end;
    }
    chunks
}

fn scan_stream(
    mut reader: Box<dyn Read + Send>,
    compressed: bool,
    index: u32,
    name: &str,
    plan: &Plan<'_>,
    diags: &mut Diagnostics,
) -> (BlockOut, Option<Detected>) {
    let what = if compressed {
        "corrupt or truncated gzip"
    } else {
        "read error"
    };
    // Enough of the start to decide what the stream is.
    let mut head = Vec::with_capacity(BLOCK + (1 << 16));
    let head_result = (&mut reader).take(SNIFF as u64 + 1).read_to_end(&mut head);
    let ended = matches!(head_result, Ok(n) if n <= SNIFF);
    let window = head.len().min(SNIFF);
    let detected = match sniff(&head[..window], !ended || head.len() > SNIFF, plan) {
        Ok(d) => d,
        Err(why) => {
            diags.skipped_file(name, &why);
            return (BlockOut::default(), None);
        }
    };
    if detected.layout == Layout::Documents {
        // A document spread over lines cannot be cut at newlines: it is read
        // whole (memory: the largest such file per thread).
        let mut fault = head_result.err();
        if fault.is_none() && !ended {
            fault = reader.read_to_end(&mut head).err();
        }
        let out = scan_documents(&head, plan, index, detected.source);
        if let Some(e) = fault {
            diags.partial(
                name,
                Some(out.lines.max(1)),
                format!("{what} ({e}); the rest of the file could not be read"),
            );
        }
        return (out, Some(detected));
    }
    let mut stream = Stream {
        buf: head,
        searched: 0,
        skipping: false,
        done: BlockOut::default(),
        index,
        hint: detected.source,
        plan,
    };
    let mut read = head_result;
    loop {
        match read {
            Ok(_) if ended => {
                stream.flush(true);
                return (stream.done, Some(detected));
            }
            Ok(0) => {
                if !stream.skipping {
                    stream.flush(true);
                }
                return (stream.done, Some(detected));
            }
            Ok(_) => stream.absorb(),
            Err(e) => {
                // The partial last line before the fault is not evidence.
                let cut = memchr::memrchr(b'\n', &stream.buf).map_or(0, |p| p + 1);
                stream.buf.truncate(cut);
                if !stream.skipping {
                    stream.flush(true);
                }
                diags.partial(
                    name,
                    Some(stream.done.lines + 1),
                    format!("{what} ({e}); the rest of the file could not be read"),
                );
                return (stream.done, Some(detected));
            }
        }
        let want = (BLOCK.saturating_sub(stream.buf.len())).max(1 << 20) as u64;
        read = (&mut reader).take(want).read_to_end(&mut stream.buf);
    }
}

/// A line longer than this is reported and skipped rather than buffered:
/// no audit entry is this long, and a hostile one must not exhaust memory.
const MAX_LINE: usize = 256 << 20;

/// A stream being scanned block by block.
struct Stream<'a, 'q> {
    /// Bytes read and not yet scanned.
    buf: Vec<u8>,
    /// How much of `buf` is known to hold no newline, so a long line is
    /// searched once, not again at every read.
    searched: usize,
    /// Inside a line longer than `MAX_LINE`: drop bytes up to its newline.
    skipping: bool,
    done: BlockOut,
    index: u32,
    hint: Option<Source>,
    plan: &'a Plan<'q>,
}

impl Stream<'_, '_> {
    /// Takes in what the last read added.
    fn absorb(&mut self) {
        if self.skipping {
            match memchr::memchr(b'\n', &self.buf) {
                Some(p) => {
                    self.buf.drain(..=p);
                    self.skipping = false;
                    self.searched = 0;
                }
                None => {
                    self.buf.clear();
                    return;
                }
            }
        }
        if self.buf.len() < BLOCK {
            return;
        }
        if memchr::memrchr(b'\n', &self.buf[self.searched..]).is_some() {
            self.flush(false);
            return;
        }
        self.searched = self.buf.len();
        if self.buf.len() > MAX_LINE {
            self.done.lines += 1;
            self.done.events += 1;
            self.done.malformed.push((
                self.done.lines,
                format!("line longer than {} MiB: skipped", MAX_LINE >> 20),
            ));
            self.buf.clear();
            self.searched = 0;
            self.skipping = true;
        }
    }

    /// Scans the complete lines in the buffer (all of it at the end of the
    /// stream) and keeps the unfinished last line.
    fn flush(&mut self, at_end: bool) {
        let cut = if at_end {
            self.buf.len()
        } else {
            match memchr::memrchr(b'\n', &self.buf[self.searched..]) {
                Some(p) => self.searched + p + 1,
                None => return,
            }
        };
        self.done.append(scan_block(
            &self.buf[..cut],
            self.plan,
            self.index,
            self.hint,
        ));
        self.buf.drain(..cut);
        // What is left is the start of a line: it holds no newline.
        self.searched = self.buf.len();
    }
}

/// Decides what the start of a file is: its layout, and the source of its
/// first recognised record. In JSON Lines one of the first non-blank lines
/// must be a record of a known source (a file cut at its start still passes
/// on its second line; a CSV does not); a multi-line document's first
/// record must be. `cut_short` says the window ends inside the file: its
/// last line may be incomplete and is not judged (a first line longer than
/// the window leaves nothing to judge, and the file is read).
fn sniff(head: &[u8], cut_short: bool, plan: &Plan<'_>) -> Result<Detected, String> {
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
            let source = plan
                .forced
                .or_else(|| judge_any(&first_records(head, at)).ok().flatten());
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
        let source = match plan.forced {
            Some(forced) => Some(forced),
            None => judge_any(&first_records(head, at))?,
        };
        return Ok(Detected {
            layout: Layout::Documents,
            source,
        });
    }
    if let Some(forced) = plan.forced {
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
    match json::shape(data, at) {
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
    fn chunks_end_on_newlines_and_cover_everything() {
        let data = b"aaaa\nbb\ncccccccc\nd";
        let chunks = newline_chunks(data, 3);
        assert_eq!(chunks, vec![&b"aaaa\n"[..], b"bb\ncccccccc\n", b"d"]);
        assert_eq!(chunks.concat(), data);
    }

    fn plan(q: &crate::matcher::SecretQuery) -> Plan<'_> {
        Plan {
            prefilter: crate::scan::Prefilter::Everything,
            filter: crate::scan::LineFilter::Secret(q),
            forced: None,
            shared: Default::default(),
            count_types: false,
        }
    }

    #[test]
    fn sniff_accepts_vault_even_after_a_cut_first_line() {
        let q = crate::matcher::SecretQuery::exact("x", &[]);
        let plan = plan(&q);
        let good = r#"{"time":"2025-03-15T02:34:12Z","type":"request","request":{"operation":"list","path":"secret/"}}"#;
        let d = sniff(
            format!("ount_point\":\"x\"}}\n{good}\n").as_bytes(),
            false,
            &plan,
        )
        .unwrap();
        assert_eq!((d.layout, d.source), (Layout::Lines, Some(Source::Vault)));
        assert!(sniff(b"", false, &plan).is_ok());
        let err = sniff(b"name,age\nbob,3\n", false, &plan).unwrap_err();
        assert!(err.contains("not a recognised audit log"), "{err}");
        // A window cut inside its only line judges nothing.
        assert!(sniff(b"{\"type\":\"response\",\"auth\":{\"x\":[1,2", true, &plan).is_ok());
        let err = sniff(br#"{"Records":[{"a":1}]}"#, false, &plan).unwrap_err();
        assert!(err.contains("not a record of any supported"), "{err}");
        let ct = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"ec2.amazonaws.com","eventName":"X"}"#;
        let d = sniff(format!("{{\"Records\":[{ct}]}}").as_bytes(), false, &plan).unwrap();
        assert_eq!(
            (d.layout, d.source),
            (Layout::Lines, Some(Source::CloudTrail))
        );
        // Empty containers are recognised as holding nothing.
        for empty in [&b"[]"[..], b"{\"Records\":[]}\n", b"[\n]\n"] {
            assert!(sniff(empty, false, &plan).is_ok());
        }
        // A bad first record does not condemn the document.
        let doc = format!("[\n  {{\"x\":1}},\n  {ct}\n]\n");
        let d = sniff(doc.as_bytes(), false, &plan).unwrap();
        assert_eq!(d.source, Some(Source::CloudTrail));
        // JSON Lines whose first line was cut is still JSON Lines.
        let d = sniff(
            format!("{{\"time\":\"2025\n{good}\n").as_bytes(),
            false,
            &plan,
        )
        .unwrap();
        assert_eq!((d.layout, d.source), (Layout::Lines, Some(Source::Vault)));
        let d = sniff(format!("[\n  {ct}\n]\n").as_bytes(), false, &plan).unwrap();
        assert_eq!(
            (d.layout, d.source),
            (Layout::Documents, Some(Source::CloudTrail))
        );
    }
}
