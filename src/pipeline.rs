//! One pass over a run's input with a scan plan: every file opened (mapped,
//! or streamed), told apart by its start (`input::sniff`), and scanned block
//! by block (`scan`). Files are scanned in parallel, and each mapped file is
//! cut into newline-aligned chunks scanned in parallel; a stream is scanned
//! in blocks as it is read. Each chunk builds its own results (no shared
//! locks on the hot path) and they are joined in input order, so the output
//! never depends on scheduling. (Pairing and the `suspicious` and
//! `baseline` rules run in parallel too, in `query`.)

use std::collections::BTreeMap;
use std::io::Read;

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::event::Event;
use crate::export::parquet;
use crate::input::{
    Detected, Fingerprint, InputFile, Layout, Opened, SNIFF, open, sniff, sniff_start,
};
use crate::lines::newline_chunks;
use crate::scan::{BlockOut, Documents, Hint, Plan, scan_block, scan_csv, scan_documents};

/// Mapped files are cut into chunks of about this size (measured sweet spot:
/// big enough to amortise scheduling, small enough to balance two cores).
const CHUNK: usize = 8 << 20;
/// Streams are scanned in blocks of about this size.
const BLOCK: usize = 8 << 20;

/// Told how much of the input has been scanned, as it goes (a progress
/// bar). Called from every scanning thread.
pub(crate) trait Progress: Sync {
    /// `bytes` more bytes of input were scanned (of a compressed file: read).
    fn advance(&self, bytes: u64);

    /// `n` more records were read (indexing counts them as it goes).
    fn events(&self, _n: u64) {}
}

/// Counts the bytes read through it as progress.
struct Counted<'p, R> {
    inner: R,
    progress: &'p dyn Progress,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

pub(crate) struct ScanOptions<'a> {
    pub allow_mmap: bool,
    /// What answers for a file without reading it (an index).
    pub answers: &'a dyn Answers,
}

/// Answers a plan for some files without reading them: an index (see
/// `crate::index`). `None`: the file is scanned.
pub(crate) trait Answers: Sync {
    fn answer(&self, file: usize, plan: &Plan<'_>) -> Option<FileOut>;
}

/// Everything one pass over the input produced.
pub(crate) struct ScanResult {
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
    /// Where the carried text sits in each record holding it (with
    /// `Plan::carrying`).
    pub traces: Vec<(crate::event::Origin, Vec<crate::source::store::Site>)>,
    /// What each entry's record holds in clear (with `Plan::exposing`).
    pub exposures: Vec<Vec<crate::source::store::Exposure>>,
    /// What the records tell of the trail (with `Plan::covering`).
    pub trail: crate::scan::TrailOut,
}

/// Scans `files` with `plan`, telling `progress` how far it got.
pub(crate) fn scan(
    files: &[InputFile],
    plan: &Plan<'_>,
    opts: &ScanOptions<'_>,
    progress: &dyn Progress,
) -> ScanResult {
    let per_file: Vec<(FileOut, Diagnostics)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let mut file = match opts.answers.answer(i, plan) {
                Some(answered) => answered,
                None => scan_file(
                    u32::try_from(i).unwrap_or(u32::MAX),
                    f,
                    plan,
                    opts.allow_mmap,
                    progress,
                ),
            };
            let diags = tell(f, &mut file);
            (file, diags)
        })
        .collect();
    let mut result = ScanResult {
        entries: Vec::with_capacity(per_file.iter().map(|f| f.0.out.entries.len()).sum()),
        files: files.iter().map(|f| f.name.clone()).collect(),
        events: 0,
        diags: Diagnostics::default(),
        fingerprints: Vec::with_capacity(files.len()),
        detected: Vec::with_capacity(files.len()),
        entry_types: Vec::with_capacity(files.len()),
        traces: Vec::new(),
        exposures: Vec::new(),
        trail: Default::default(),
    };
    for (mut file, diags) in per_file {
        result
            .entry_types
            .push(std::mem::take(&mut file.out.entry_types));
        result.events += file.out.events;
        result.entries.append(&mut file.out.entries);
        result.traces.append(&mut file.out.traces);
        result.exposures.append(&mut file.out.exposures);
        if let Some(trail) = file.out.trail.take() {
            result.trail.append(*trail);
        }
        result.diags.append(diags);
        result.fingerprints.push(file.fingerprint);
        result.detected.push(file.detected);
    }
    result
}

/// Scans `files` a few at a time (each itself read in parallel), handing
/// each file's result and its problems to `each` in input order: memory
/// holds a few files' events, never the whole input's (an export).
pub(crate) fn scan_each<E>(
    files: &[InputFile],
    plan: &Plan<'_>,
    allow_mmap: bool,
    progress: &dyn Progress,
    mut each: impl FnMut(FileOut, Diagnostics) -> Result<(), E>,
) -> Result<(), E> {
    let at_once = rayon::current_num_threads().max(1);
    for (window, batch) in files.chunks(at_once).enumerate() {
        let outs: Vec<(FileOut, Diagnostics)> = batch
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                let index = u32::try_from(window * at_once + i).unwrap_or(u32::MAX);
                let mut file = scan_file(index, f, plan, allow_mmap, progress);
                let diags = tell(f, &mut file);
                (file, diags)
            })
            .collect();
        for (file, diags) in outs {
            each(file, diags)?;
        }
    }
    Ok(())
}

/// What reading one file gave, before its problems are told (`tell`).
#[derive(Default)]
pub(crate) struct FileOut {
    pub out: BlockOut,
    /// Problems met opening and reading it, in order.
    pub problems: Vec<Problem>,
    pub fingerprint: Option<Fingerprint>,
    pub detected: Option<Detected>,
}

/// A problem with a file as a whole, met while opening or reading it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Problem {
    /// The file could not be read at all.
    Skipped(String),
    /// Read only in part, from this line on.
    Partial(Option<u64>, String),
    /// Worth knowing.
    Note(String),
}

/// Scans one file with `plan` (its events' file index: `index`).
pub(crate) fn scan_file(
    index: u32,
    input: &InputFile,
    plan: &Plan<'_>,
    allow_mmap: bool,
    progress: &dyn Progress,
) -> FileOut {
    let mut problems = Vec::new();
    let counted = |inner| -> Box<dyn Read + Send + '_> { Box::new(Counted { inner, progress }) };
    let (opened, fingerprint) = match open(input, allow_mmap, &counted) {
        Ok(o) => o,
        Err(e) => {
            problems.push(Problem::Skipped(format!("cannot read: {e}")));
            return FileOut {
                problems,
                ..FileOut::default()
            };
        }
    };
    let (out, detected) = match opened {
        Opened::Empty => {
            problems.push(Problem::Note("file is empty".into()));
            (BlockOut::default(), None)
        }
        Opened::Mapped(map) => scan_mapped(&map, index, plan, progress, &mut problems),
        Opened::Stream { reader, compressed } => {
            scan_stream(reader, compressed, index, plan, &mut problems)
        }
    };
    FileOut {
        out,
        problems,
        fingerprint,
        detected,
    }
}

/// The problems of one file, told as a scan tells them whether it read the
/// file or an index answered for it: those met opening and reading it, its
/// malformed records, what it holds in clear, and whether it changed while
/// read.
fn tell(input: &InputFile, file: &mut FileOut) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let name = input.name.as_str();
    for problem in std::mem::take(&mut file.problems) {
        match problem {
            Problem::Skipped(why) => diags.skipped_file(name, &why),
            Problem::Partial(line, why) => diags.partial(name, line, why),
            Problem::Note(note) => diags.note(name, note),
        }
    }
    let out = &mut file.out;
    diags.malformed_in(name, std::mem::take(&mut out.malformed));
    if out.foreign > 0 {
        diags.note(
            name,
            format!(
                "{} rows of this export that were read hold no audit record of a \
                 supported store (another sourcetype, index or log type): skipped",
                out.foreign
            ),
        );
    }
    let own_export = file
        .detected
        .is_some_and(|d| d.source == Some(crate::source::Source::Whosaw));
    if own_export && (out.raw_values || out.raw_tokens) {
        diags.note(
            name,
            "its rows come from records that held secret material in clear (a Vault device \
             with log_raw, Kubernetes bodies); the rows hold none: `whosaw exposures` names what"
                .into(),
        );
    } else if out.raw_values {
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
    if let (Some(before), Some(path)) = (file.fingerprint, &input.path) {
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
    diags
}

/// A file that is not cut at newlines, scanned whole.
fn scan_whole(
    data: &[u8],
    plan: &Plan<'_>,
    index: u32,
    detected: &Detected,
    problems: &mut Vec<Problem>,
) -> BlockOut {
    match detected.layout {
        Layout::Csv => scan_csv(data, plan, index, detected.hint()),
        Layout::Documents | Layout::Lines => scan_documents(data, plan, index, detected.hint()),
        Layout::Parquet => scan_parquet(bytes::Bytes::copy_from_slice(data), plan, index, problems),
    }
}

/// whosaw's own export as Parquet: its rows, as the NDJSON rows they
/// would have been, scanned a batch at a time (row n is line n).
fn scan_parquet(
    data: bytes::Bytes,
    plan: &Plan<'_>,
    index: u32,
    problems: &mut Vec<Problem>,
) -> BlockOut {
    let hint = Detected::parquet().hint();
    let mut all = BlockOut::default();
    let read = parquet::read_rows(data, |lines| {
        all.append(scan_block(lines, plan, index, hint))
    });
    if let Err(e) = read {
        problems.push(match (&e, all.lines) {
            (parquet::Unreadable::Broken(_), read) if read > 0 => Problem::Partial(
                Some(read + 1),
                format!("{e}; the rest of the file could not be read"),
            ),
            _ => Problem::Skipped(e.to_string()),
        });
    }
    all
}

pub(crate) fn scan_mapped(
    data: &[u8],
    index: u32,
    plan: &Plan<'_>,
    progress: &dyn Progress,
    problems: &mut Vec<Problem>,
) -> (BlockOut, Option<Detected>) {
    let detected = match parquet::is_parquet(data) {
        true => Ok(Detected::parquet()),
        false => sniff_start(data, plan.forced),
    };
    let detected = match detected {
        Ok(d) => d,
        Err(why) => {
            problems.push(Problem::Skipped(why));
            progress.advance(data.len() as u64);
            return (BlockOut::default(), None);
        }
    };
    if detected.layout != Layout::Lines {
        let out = scan_whole(data, plan, index, &detected, problems);
        progress.advance(data.len() as u64);
        return (out, Some(detected));
    }
    (
        scan_lines(data, index, plan, detected.hint(), progress),
        Some(detected),
    )
}

/// Scans `data`, whole lines, in newline-aligned chunks in parallel.
pub(crate) fn scan_lines(
    data: &[u8],
    index: u32,
    plan: &Plan<'_>,
    hint: Hint,
    progress: &dyn Progress,
) -> BlockOut {
    let outs: Vec<BlockOut> = newline_chunks(data, CHUNK)
        .par_iter()
        .map(|chunk| {
            let out = scan_block(chunk, plan, index, hint);
            progress.advance(chunk.len() as u64);
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
    all
}

pub(crate) fn scan_stream(
    mut reader: Box<dyn Read + Send + '_>,
    compressed: bool,
    index: u32,
    plan: &Plan<'_>,
    problems: &mut Vec<Problem>,
) -> (BlockOut, Option<Detected>) {
    let what = if compressed {
        "corrupt or truncated gzip"
    } else {
        "read error"
    };
    // Enough of the start to decide what the stream is.
    let mut head = Vec::with_capacity(BLOCK + (1 << 16));
    let head_result = (&mut reader).take(SNIFF as u64 + 1).read_to_end(&mut head);
    let mut ended = matches!(head_result, Ok(n) if n <= SNIFF);
    if head.starts_with(b"PAR1") && head_result.is_ok() {
        // Parquet is read from its end: the whole file first.
        if let Err(e) = reader.read_to_end(&mut head) {
            problems.push(Problem::Skipped(format!("{what} ({e})")));
            return (BlockOut::default(), None);
        }
        ended = true;
        if parquet::is_parquet(&head) {
            let out = scan_parquet(bytes::Bytes::from(head), plan, index, problems);
            return (out, Some(Detected::parquet()));
        }
    }
    let window = head.len().min(SNIFF);
    // Text never holds a NUL byte (JSON escapes it): a stream that starts
    // with one is binary (`/dev/zero`, a disk image) and may never end.
    if let Some(at) = memchr::memchr(0, &head[..window]) {
        problems.push(Problem::Skipped(format!(
            "binary data (a NUL byte at offset {at}), not a log: the rest was not read"
        )));
        return (BlockOut::default(), None);
    }
    let detected = match sniff(&head[..window], !ended || head.len() > SNIFF, plan.forced) {
        Ok(d) => d,
        Err(why) => {
            problems.push(Problem::Skipped(why));
            return (BlockOut::default(), None);
        }
    };
    if detected.layout == Layout::Documents {
        let fault = head_result.err();
        let (out, fault) = scan_document_stream(
            head,
            fault,
            ended,
            &mut reader,
            detected.hint(),
            index,
            plan,
        );
        if let Some(e) = fault {
            problems.push(Problem::Partial(
                Some(out.lines.max(1)),
                format!("{what} ({e}); the rest of the file could not be read"),
            ));
        }
        return (out, Some(detected));
    }
    if detected.layout != Layout::Lines {
        // A CSV (whose rows may span lines) or Parquet cannot be cut at
        // newlines: read whole, up to `MAX_WHOLE`.
        let mut fault = head_result.err();
        if fault.is_none() && !ended {
            let room = (MAX_WHOLE + 1).saturating_sub(head.len()) as u64;
            fault = (&mut reader).take(room).read_to_end(&mut head).err();
            if fault.is_none() && head.len() > MAX_WHOLE {
                problems.push(Problem::Skipped(format!(
                    "a {} export longer than {} MiB given as a stream or gzip: not read \
                     (give it uncompressed as a file, which is mapped, not held)",
                    detected.layout.name(),
                    MAX_WHOLE >> 20
                )));
                return (BlockOut::default(), Some(detected));
            }
        }
        let out = scan_whole(&head, plan, index, &detected, problems);
        if let Some(e) = fault {
            problems.push(Problem::Partial(
                Some(out.lines.max(1)),
                format!("{what} ({e}); the rest of the file could not be read"),
            ));
        }
        return (out, Some(detected));
    }
    let mut stream = Stream {
        buf: head,
        searched: 0,
        skipping: false,
        done: BlockOut::default(),
        index,
        hint: detected.hint(),
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
                problems.push(Problem::Partial(
                    Some(stream.done.lines + 1),
                    format!("{what} ({e}); the rest of the file could not be read"),
                ));
                return (stream.done, Some(detected));
            }
        }
        let want = (BLOCK.saturating_sub(stream.buf.len())).max(1 << 20) as u64;
        read = (&mut reader).take(want).read_to_end(&mut stream.buf);
    }
}

/// A CSV or Parquet export read from a stream is held whole up to this size.
const MAX_WHOLE: usize = 1 << 30;

/// JSON documents read from a stream (a pipe, a gzip file), a block at a
/// time, from `buf` (what was read so far; `fault` and `ended` tell how the
/// last read ended): each record is scanned once it is whole and its
/// bytes let go, so memory holds the largest value, never the document (a
/// value over `MAX_LINE` is reported and passed over without being held).
/// Returns what was scanned and the read error that stopped it, if any.
fn scan_document_stream(
    mut buf: Vec<u8>,
    mut fault: Option<std::io::Error>,
    mut ended: bool,
    reader: &mut (dyn Read + Send + '_),
    hint: Hint,
    index: u32,
    plan: &Plan<'_>,
) -> (BlockOut, Option<std::io::Error>) {
    let mut documents = Documents::new(plan, index, hint);
    let mut newlines = 0u64;
    let mut last_byte = None;
    loop {
        let done = ended || fault.is_some();
        last_byte = buf.last().copied().or(last_byte);
        let used = documents.feed(&buf, done);
        newlines += memchr::memchr_iter(b'\n', &buf[..used]).count() as u64;
        buf.drain(..used);
        if done {
            break;
        }
        if !documents.ended() && buf.len() > MAX_LINE {
            documents.too_long(&buf, MAX_LINE);
            // Passed over as it is read, from here on.
            continue;
        }
        if documents.ended() {
            // Nothing more is cut: the rest is read only to count its lines.
            newlines += memchr::memchr_iter(b'\n', &buf).count() as u64;
            buf.clear();
        }
        // A value longer than a block doubles the buffer: reads stay few.
        let want = BLOCK.max(buf.len()) as u64;
        match reader.take(want).read_to_end(&mut buf) {
            Ok(0) => ended = true,
            Ok(_) => {}
            Err(e) => fault = Some(e),
        }
    }
    let unfinished = last_byte.is_some_and(|b| b != b'\n');
    (documents.finish(newlines + u64::from(unfinished)), fault)
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
    hint: Hint,
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
            self.done.malformed.push(self.done.lines, || {
                format!("line longer than {} MiB: skipped", MAX_LINE >> 20)
            });
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
