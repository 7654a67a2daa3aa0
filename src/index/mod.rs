//! The persistent index: every event of each input file, kept in a cache
//! folder (never beside the evidence), so that follow-up questions are
//! answered without reading the logs again.
//!
//! One *segment* per input file (`format`), named by a hash of the file's
//! absolute path (as given, not resolved: resolving every component of
//! every input costs more than a point question). A segment holds what a
//! scan of the file with `Plan::everything` gives: every event, with what
//! the query filters may ask of it (`scan::Extra`), and the file's facts
//! (`Meta`: its problems, counts, how it was detected). A query asks each segment for the events
//! its plan keeps (`read`), through the same filter and interning as a
//! scan, so an answer from the index is a scan's answer.
//!
//! Before a segment is used it is judged against its file (`fresh`): fresh,
//! grown (only appended to: the new lines are indexed and added), or
//! changed (indexed again). A file that vanished loses its segment. Once
//! any input of a query is indexed, the query indexes the others too; a
//! query over inputs none of which is indexed only scans, and writes
//! nothing.

mod codes;
mod format;
mod fresh;
mod read;
mod write;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Write as _};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use memmap2::Mmap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::Malformed;
use crate::input::{
    Detected, Fingerprint, InputFile, Layout, is_gzip, open_read_only, sniff_start,
};
use crate::pipeline::{self, Answers, FileOut, Problem, Progress};
use crate::scan::{self, BlockOut, Plan};
pub(crate) use format::Damaged;
use format::Segment;
use fresh::{FileState, Judged};
use write::Builder;

/// The cache folder's own sub-folder for segments of this format.
const SEGMENTS: &str = "index-v1";
const SUFFIX: &str = ".wsx";

/// What a segment knows of its file, besides its events.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Meta {
    /// The file, as indexed (its absolute path).
    path: String,
    state: FileState,
    /// New lines at its end may be indexed on their own (see `refresh`).
    appendable: bool,
    detected: Option<Detected>,
    problems: Vec<Problem>,
    lines: u64,
    events: u64,
    malformed: Malformed,
    raw_values: bool,
    raw_tokens: bool,
    foreign: u64,
    entry_types: BTreeMap<String, u64>,
    rows: u64,
    /// The records that stop or start a trail (see `Plan::watch_trail`).
    trail: Vec<crate::scan::Change>,
}

impl Meta {
    /// A file's facts, from what scanning it gave (`out`: its entries are
    /// not looked at) and the segment's `rows`.
    fn of(
        path: String,
        state: FileState,
        appendable: bool,
        detected: Option<Detected>,
        problems: Vec<Problem>,
        out: BlockOut,
        rows: usize,
    ) -> Meta {
        Meta {
            path,
            state,
            appendable,
            detected,
            problems,
            lines: out.lines,
            events: out.events,
            malformed: out.malformed,
            raw_values: out.raw_values,
            raw_tokens: out.raw_tokens,
            foreign: out.foreign,
            entry_types: out.entry_types,
            rows: rows as u64,
            trail: out.trail.map(|t| t.changes).unwrap_or_default(),
        }
    }

    /// The facts as a scan's result without its entries, which a scan of
    /// more of the file can be appended to (`BlockOut::append`).
    fn scanned(&self) -> BlockOut {
        BlockOut {
            lines: self.lines,
            events: self.events,
            malformed: self.malformed.clone(),
            raw_values: self.raw_values,
            raw_tokens: self.raw_tokens,
            foreign: self.foreign,
            entry_types: self.entry_types.clone(),
            trail: (!self.trail.is_empty()).then(|| {
                Box::new(crate::scan::TrailOut {
                    changes: self.trail.clone(),
                    ..Default::default()
                })
            }),
            ..BlockOut::default()
        }
    }
}

/// The cache folder.
#[derive(Clone, Debug)]
pub(crate) struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub(crate) fn at(root: &Path) -> Cache {
        Cache {
            dir: root.join(SEGMENTS),
        }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the segment of the file at `absolute` lives.
    fn segment_path(&self, absolute: &Path) -> PathBuf {
        use std::os::unix::ffi::OsStrExt;
        let hash = xxhash_rust::xxh3::xxh3_128(absolute.as_os_str().as_bytes());
        self.dir.join(format!("{hash:032x}{SUFFIX}"))
    }

    /// Writes a segment: to a file of its own, then renamed over the old
    /// one, so a reader sees the old segment or the new one, never half of
    /// one; two processes indexing the same file write the same bytes and
    /// the last rename wins.
    fn store(&self, at: &Path, bytes: &[u8]) -> io::Result<()> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let temp = at.with_extension(format!("tmp-{}-{nanos}", std::process::id()));
        let written = (|| {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temp)?;
            // Not synced: a segment cut short by a crash fails its
            // checksums and is built again, as any damaged one.
            f.write_all(bytes)?;
            fs::rename(&temp, at)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }
}

/// A segment found for a file, checked.
struct Loaded {
    segment: Segment,
    meta: Meta,
}

/// Opens the segment at `at`; `Ok(None)` when there is none.
fn load(at: &Path) -> Result<Option<Loaded>, Damaged> {
    let file = match fs::File::open(at) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(Damaged::Truncated),
    };
    // SAFETY: read-only and private; segments are replaced by rename,
    // never rewritten in place, so a mapped one does not change under us.
    let map = unsafe { Mmap::map(&file) }.map_err(|_| Damaged::Truncated)?;
    let segment = Segment::open(map)?;
    let meta: Meta = serde_json::from_slice(segment.section_bytes(format::Section::Meta)?)
        .map_err(|_| Damaged::Inconsistent("facts unreadable"))?;
    if !meta.malformed.is_consistent() || meta.rows != segment.rows() as u64 {
        return Err(Damaged::Inconsistent("facts disagree"));
    }
    Ok(Some(Loaded { segment, meta }))
}

/// How the index is used by a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Answer from segments, refresh them, and index the inputs that have
    /// none when some other input has one (a query).
    Query,
    /// Index every input (`whosaw index`).
    Build,
}

/// What became of one input's segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    /// Answered from its segment, as it was.
    Fresh,
    /// Only appended to: the new lines were indexed.
    Grown,
    /// Changed, damaged or written by another build: indexed again.
    Rebuilt,
    /// Indexed for the first time.
    Indexed,
    /// Not indexed (standard input, a pipe, no index asked for, or the
    /// cache could not be written): a question scans it.
    #[serde(rename = "not-indexed")]
    Unindexed,
    /// Gone since it was indexed: its segment was dropped.
    Vanished,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Fresh => "fresh",
            Status::Grown => "grown",
            Status::Rebuilt => "rebuilt",
            Status::Indexed => "indexed",
            Status::Unindexed => "not-indexed",
            Status::Vanished => "vanished",
        }
    }
}

/// A segment ready to answer for its file.
struct Ready {
    loaded: Loaded,
    /// The file as the scan would have seen it opening it.
    fingerprint: Fingerprint,
}

/// The inputs of a run, as the index stands for them.
pub(crate) struct Prepared {
    ready: Vec<Option<Ready>>,
    pub(crate) status: Vec<Status>,
    /// Bytes of each input's segment (0: none).
    pub(crate) sizes: Vec<u64>,
    /// Problems with the index itself: told as warnings, never counted
    /// against the answer (the input was scanned instead).
    pub(crate) warnings: Mutex<Vec<String>>,
}

impl Prepared {
    /// No index: every input is scanned.
    pub(crate) fn none(files: usize) -> Prepared {
        Prepared {
            ready: (0..files).map(|_| None).collect(),
            status: vec![Status::Unindexed; files],
            sizes: vec![0; files],
            warnings: Mutex::new(Vec::new()),
        }
    }

    fn warn(&self, message: String) {
        self.warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(message);
    }

    /// The warnings so far, sorted (inputs are looked at in parallel).
    pub(crate) fn take_warnings(&self) -> Vec<String> {
        let mut all = std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()));
        all.sort();
        all
    }
}

impl Answers for Prepared {
    fn answer(&self, file: usize, plan: &Plan<'_>) -> Option<FileOut> {
        let ready = self.ready.get(file)?.as_ref()?;
        if plan.forced.is_some() || plan.reads_records() {
            return None;
        }
        let Loaded { segment, meta } = &ready.loaded;
        let entries = match segment.answer(plan, u32::try_from(file).ok()?) {
            Ok(entries) => entries,
            Err(e) => {
                self.warn(format!(
                    "index of {} is {e}: that file was scanned instead",
                    meta.path
                ));
                return None;
            }
        };
        let mut out = BlockOut {
            entries,
            ..meta.scanned()
        };
        if !plan.counts_types() {
            out.entry_types = BTreeMap::new();
        }
        // Kept under the number the file had when it was indexed.
        for change in out.trail.iter_mut().flat_map(|t| &mut t.changes) {
            change.origin.file = u32::try_from(file).ok()?;
        }
        Some(FileOut {
            out,
            problems: meta.problems.clone(),
            fingerprint: Some(ready.fingerprint),
            detected: meta.detected,
        })
    }
}

/// How segments are read and written.
pub(crate) struct Options {
    pub cache: Cache,
    pub mode: Mode,
    pub allow_mmap: bool,
}

/// Finds, judges and (as the mode asks) refreshes or builds the segment of
/// every input, telling `progress` of the bytes it indexes.
pub(crate) fn prepare(
    files: &[InputFile],
    roots: &[PathBuf],
    opts: &Options,
    progress: &dyn Progress,
) -> Prepared {
    let mut prepared = Prepared::none(files.len());
    // Finding and judging each input's segment reads a few blocks of each
    // file: done for all files at once.
    let places: Vec<Option<(PathBuf, PathBuf)>> = files
        .par_iter()
        .map(|f| {
            let path = f.path.as_ref().filter(|_| f.rereadable)?;
            let absolute = std::path::absolute(path).ok()?;
            let segment = opts.cache.segment_path(&absolute);
            Some((absolute, segment))
        })
        .collect();
    let found: Vec<Option<Found>> = places
        .par_iter()
        .zip(files)
        .map(|(place, input)| {
            let (absolute, at) = place.as_ref()?;
            let path = input.path.as_deref().unwrap_or(absolute);
            Some(load(at).and_then(|loaded| match loaded {
                // Another file's, under the same name (a hash collision).
                Some(l) if Path::new(&l.meta.path) != absolute => {
                    Err(Damaged::Inconsistent("another file's index"))
                }
                Some(l) => {
                    let judged = l.meta.state.judge(path, l.meta.appendable);
                    Ok(Some((l, judged)))
                }
                None => Ok(None),
            }))
        })
        .collect();
    let any_indexed = found
        .iter()
        .any(|f| matches!(f, Some(Ok(Some(_))) | Some(Err(_))));
    let index_new = opts.mode == Mode::Build || any_indexed;
    // Only a folder asked about can have lost a file since it was indexed
    // (a missing file named on its own stops the run before this).
    if index_new && roots.iter().any(|r| r.is_dir()) {
        // Files under the folders asked about that were indexed and are
        // gone (a rotated log deleted): their segments go too. (Every
        // other segment's facts are read for this: the cost grows with
        // the cache, not the question.)
        let roots: Vec<PathBuf> = roots
            .iter()
            .filter_map(|r| std::path::absolute(r).ok())
            .collect();
        // The inputs' own segments are not looked at again: they exist.
        let inputs: Vec<&Path> = places
            .iter()
            .flatten()
            .map(|(_, at)| at.as_path())
            .collect();
        for gone in prune(&opts.cache, Some(&roots), &inputs).unwrap_or_default() {
            prepared.warn(format!(
                "{} is gone: its index was dropped",
                crate::output::sanitize::escape(&gone.file)
            ));
        }
    }
    // Inputs are indexed a few at a time (each is read in parallel
    // already, but a compressed one is inflated on one thread), the big
    // ones one at a time, to bound memory.
    let jobs: Vec<(usize, Found)> = found
        .into_iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, f?)))
        .collect();
    let big = |(i, found): &(usize, Found)| {
        let fresh = matches!(found, Ok(Some((_, Ok((Judged::Fresh, _))))));
        !fresh
            && (files[*i].path.as_ref())
                .and_then(|p| fs::metadata(p).ok())
                .is_some_and(|m| m.len() >= BIG_INPUT)
    };
    let (large, small): (Vec<_>, Vec<_>) = jobs.into_iter().partition(big);
    let settle = |(i, found): (usize, Found)| {
        let (absolute, at) = places[i].as_ref().expect("found only where placed");
        let settled = settle(
            &files[i], absolute, at, found, index_new, opts, progress, &prepared,
        );
        (i, settled)
    };
    let mut settled: Vec<(usize, Settled)> = small.into_par_iter().map(settle).collect();
    settled.extend(large.into_iter().map(settle));
    for (i, (status, loaded, seen)) in settled {
        prepared.status[i] = status;
        // As judged; after indexing, as it is now.
        let fingerprint = seen.or_else(|| {
            let path = files[i].path.as_deref()?;
            fs::metadata(path).ok().map(|m| Fingerprint::of(&m))
        });
        if let (Some(loaded), Some(fingerprint)) = (loaded, fingerprint) {
            prepared.sizes[i] = loaded.segment.size();
            prepared.ready[i] = Some(Ready {
                loaded,
                fingerprint,
            });
        }
    }
    prepared
}

/// An input this big is indexed on its own (see `prepare`).
const BIG_INPUT: u64 = 64 << 20;

/// A segment as found, and how it stands against its input.
type Found = Result<Option<(Loaded, io::Result<(Judged, Fingerprint)>)>, Damaged>;

/// What became of an input's segment: its status, the segment ready to
/// answer, and the input as it was judged fresh.
type Settled = (Status, Option<Loaded>, Option<Fingerprint>);

/// Uses, refreshes, builds or drops one input's segment, as it stands.
#[allow(clippy::too_many_arguments)]
fn settle(
    input: &InputFile,
    absolute: &Path,
    at: &Path,
    found: Found,
    index_new: bool,
    opts: &Options,
    progress: &dyn Progress,
    prepared: &Prepared,
) -> Settled {
    let mut seen = None;
    let name = crate::output::sanitize::escape(&input.name);
    let step = match found {
        Ok(Some((loaded, judged))) => match judged.map(|(judged, fingerprint)| {
            seen = Some(fingerprint);
            judged
        }) {
            // `whosaw index` reads every block of what it keeps: damage
            // where no question has read yet is found there too.
            Ok(Judged::Fresh) if opts.mode == Mode::Build => match loaded.segment.check_all() {
                Ok(()) => Step::Use(Box::new(loaded)),
                Err(damaged) => {
                    prepared.warn(format!(
                        "the index of {name} is {damaged}: indexing it again"
                    ));
                    Step::Write(Status::Rebuilt, build(input, absolute, opts, progress))
                }
            },
            Ok(Judged::Fresh) => Step::Use(Box::new(loaded)),
            Ok(Judged::Grown) => Step::Write(Status::Grown, refresh(input, loaded, opts, progress)),
            Ok(Judged::Stale) => {
                Step::Write(Status::Rebuilt, build(input, absolute, opts, progress))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let _ = fs::remove_file(at);
                prepared.warn(format!("{name} is gone: its index was dropped"));
                Step::Skip(Status::Vanished)
            }
            // Unreadable now: the scan says why.
            Err(_) => Step::Skip(Status::Unindexed),
        },
        Ok(None) if index_new => {
            Step::Write(Status::Indexed, build(input, absolute, opts, progress))
        }
        Ok(None) => Step::Skip(Status::Unindexed),
        Err(damaged) => {
            // Another build's index is expected after an upgrade.
            if !matches!(damaged, Damaged::OtherBuild) {
                prepared.warn(format!(
                    "the index of {name} is {damaged}: indexing it again"
                ));
            }
            Step::Write(Status::Rebuilt, build(input, absolute, opts, progress))
        }
    };
    match step {
        Step::Use(loaded) => (Status::Fresh, Some(*loaded), seen),
        Step::Skip(status) => (status, None, None),
        Step::Write(status, built) => match stored(&opts.cache, at, built) {
            Ok(loaded) => (status, Some(loaded), None),
            Err(e) => {
                prepared.warn(format!(
                    "{name}: scanned, not indexed: {}",
                    crate::output::sanitize::escape(&e.to_string())
                ));
                (Status::Unindexed, None, None)
            }
        },
    }
}

/// What to do with one input's segment.
enum Step {
    Use(Box<Loaded>),
    Write(Status, Result<Vec<u8>, NotIndexed>),
    Skip(Status),
}

/// Why a file could not be indexed.
#[derive(Debug, thiserror::Error)]
enum NotIndexed {
    #[error("cannot read it: {0}")]
    Unreadable(io::Error),
    #[error("it changed while it was being indexed")]
    Changed,
    #[error("its index could not be written in {dir}: {error}")]
    Unwritable { dir: String, error: io::Error },
    #[error("its index came out {0}")]
    Damaged(Damaged),
}

/// Stores a built segment and opens it back.
fn stored(
    cache: &Cache,
    at: &Path,
    built: Result<Vec<u8>, NotIndexed>,
) -> Result<Loaded, NotIndexed> {
    let bytes = built?;
    cache
        .store(at, &bytes)
        .map_err(|error| NotIndexed::Unwritable {
            dir: cache.dir.display().to_string(),
            error,
        })?;
    load(at)
        .map_err(NotIndexed::Damaged)?
        .ok_or(NotIndexed::Damaged(Damaged::Truncated))
}

/// The plan an index is built with: every event of every record.
fn everything() -> Plan<'static> {
    Plan::everything(scan::Options::default())
}

/// Indexes the whole file: the segment's bytes.
fn build(
    input: &InputFile,
    absolute: &Path,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Vec<u8>, NotIndexed> {
    let path = input.path.as_deref().unwrap_or(absolute);
    let file = open_read_only(path).map_err(NotIndexed::Unreadable)?;
    let before = file.metadata().map_err(NotIndexed::Unreadable)?;
    let state = FileState::of(&file, &before).map_err(NotIndexed::Unreadable)?;
    let plan = everything();
    let mut builder = Builder::new();
    let (out, problems, detected) =
        match in_slices(&file, &state, &plan, opts, progress, &mut builder, SLICE) {
            Some((out, detected)) => (out, Vec::new(), Some(detected)),
            None => {
                let scanned = pipeline::scan_file(0, input, &plan, opts.allow_mmap, progress);
                progress.events(scanned.out.events);
                if scanned.fingerprint.is_none() {
                    return Err(NotIndexed::Changed);
                }
                for (e, x) in scanned.out.entries.iter().zip(&scanned.out.extras) {
                    builder.add(e, x);
                }
                (scanned.out, scanned.problems, scanned.detected)
            }
        };
    unchanged_since(path, &before)?;
    let appendable = is_appendable(&file, &state, detected.as_ref());
    let path = absolute.to_string_lossy().into_owned();
    let meta = Meta::of(
        path,
        state,
        appendable,
        detected,
        problems,
        out,
        builder.rows(),
    );
    Ok(seal(builder, &meta))
}

/// A file of lines is indexed a slice at a time, so memory holds one
/// slice's events (and the builder's rows, about 90 bytes an event), not
/// the whole file's. `None`: not a mapped file of lines (it is scanned
/// whole, as a query would).
fn in_slices(
    file: &fs::File,
    state: &FileState,
    plan: &Plan<'_>,
    opts: &Options,
    progress: &dyn Progress,
    builder: &mut Builder,
    slice_len: usize,
) -> Option<(BlockOut, Detected)> {
    let compressed = is_gzip(file).unwrap_or(false);
    if !opts.allow_mmap || compressed || state.len == 0 {
        return None;
    }
    // SAFETY: as for any mapped input (see `input::open`).
    let map = unsafe { Mmap::map(file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    let detected = sniff_start(&map, None).ok()?;
    if detected.layout != Layout::Lines {
        return None;
    }
    let mut all = BlockOut::default();
    for slice in crate::lines::newline_chunks(&map, slice_len) {
        let mut out = pipeline::scan_lines(slice, 0, plan, detected.hint(), progress);
        progress.events(out.events);
        // Numbered from the file's start, not the slice's.
        for (e, x) in out.entries.iter().zip(&out.extras) {
            builder.add_below(e, x, all.lines);
        }
        out.entries = Vec::new();
        out.extras = Vec::new();
        all.append(out);
        let start = slice.as_ptr() as usize - map.as_ptr() as usize;
        // SAFETY: the map is private and read-only, and nothing borrowed
        // from this slice is left (events own their strings): its pages
        // are only let go, and would be read again from the file if
        // touched.
        let _ = unsafe {
            map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, slice.len())
        };
    }
    Some((all, detected))
}

/// How much of a file of lines is indexed at once.
const SLICE: usize = 256 << 20;

fn seal(builder: Builder, meta: &Meta) -> Vec<u8> {
    let json = serde_json::to_vec(meta).unwrap_or_default();
    builder.finish(&json)
}

/// Whether the file is still as `before`: else what was read of it is not
/// indexed.
fn unchanged_since(path: &Path, before: &fs::Metadata) -> Result<(), NotIndexed> {
    let after = fs::metadata(path).map_err(NotIndexed::Unreadable)?;
    match Fingerprint::of(&after) == Fingerprint::of(before) {
        true => Ok(()),
        false => Err(NotIndexed::Changed),
    }
}

/// Whether lines appended to the file can be indexed on their own: a file
/// of lines, not compressed, that ends with a newline (its last line is
/// whole).
fn is_appendable(file: &fs::File, state: &FileState, detected: Option<&Detected>) -> bool {
    use std::os::unix::fs::FileExt;
    let lines = detected.is_some_and(|d| d.layout == Layout::Lines);
    let compressed = is_gzip(file).unwrap_or(false);
    let mut end = [0u8; 1];
    let ends_whole =
        state.len > 0 && file.read_exact_at(&mut end, state.len - 1).is_ok() && end == [b'\n'];
    lines && !compressed && ends_whole
}

/// Indexes what was appended to a file since its segment was written, and
/// the segment's events with it: the segment's bytes, equal to those of a
/// segment built from the whole file.
fn refresh(
    input: &InputFile,
    old: Loaded,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Vec<u8>, NotIndexed> {
    let Loaded { segment, meta } = old;
    let path = input.path.as_deref().ok_or(NotIndexed::Changed)?;
    let file = open_read_only(path).map_err(NotIndexed::Unreadable)?;
    let before = file.metadata().map_err(NotIndexed::Unreadable)?;
    let state = FileState::of(&file, &before).map_err(NotIndexed::Unreadable)?;
    // SAFETY: as for any mapped input (see `input::open`); a file that
    // shrinks under the map is caught by `sigbus`.
    let map = unsafe { Mmap::map(&file) }.map_err(NotIndexed::Unreadable)?;
    let now = sniff_start(&map, None).ok();
    let (Some(detected), true) = (now, now == meta.detected) else {
        // Read differently as a whole now (its start was too short to
        // tell before): indexed again.
        return build(input, Path::new(&meta.path), opts, progress);
    };
    let old_len = usize::try_from(meta.state.len).map_err(|_| NotIndexed::Changed)?;
    let tail = map.get(old_len..).ok_or(NotIndexed::Changed)?;
    let plan = everything();
    let mut builder = Builder::new();
    segment
        .carry_over(&plan, &mut builder)
        .map_err(NotIndexed::Damaged)?;
    let out = pipeline::scan_lines(tail, 0, &plan, detected.hint(), progress);
    progress.events(out.events);
    // The new lines follow the old ones, numbered on from them.
    let mut all = meta.scanned();
    all.append(out);
    for (e, x) in all.entries.iter().zip(&all.extras) {
        builder.add(e, x);
    }
    unchanged_since(path, &before)?;
    let appendable = is_appendable(&file, &state, Some(&detected));
    let rows = builder.rows();
    let meta = Meta::of(
        meta.path,
        state,
        appendable,
        Some(detected),
        meta.problems,
        all,
        rows,
    );
    Ok(seal(builder, &meta))
}

/// What `index --verify` found for one input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Verdict {
    /// Every block checks, the file has not changed, and indexing it again
    /// gives the same bytes.
    Verified,
    /// No index for it.
    Missing,
    /// The file changed since it was indexed (a query would refresh it).
    Stale,
    /// The index is damaged or unreadable (a query would rebuild it).
    Damaged(String),
    /// Indexing the file again gives other bytes.
    Differs,
    /// Not a file that can be indexed (standard input, a pipe), or it
    /// cannot be read.
    Unindexable(String),
}

/// Checks each input's segment against the input (`index --verify`).
pub(crate) fn verify(files: &[InputFile], opts: &Options, progress: &dyn Progress) -> Vec<Verdict> {
    files
        .iter()
        .map(|input| {
            let Some(path) = input.path.as_ref().filter(|_| input.rereadable) else {
                return Verdict::Unindexable("not a regular file".into());
            };
            let absolute = match std::path::absolute(path) {
                Ok(c) => c,
                Err(e) => return Verdict::Unindexable(e.to_string()),
            };
            let at = opts.cache.segment_path(&absolute);
            let loaded = match load(&at) {
                Ok(Some(loaded)) => loaded,
                Ok(None) => return Verdict::Missing,
                Err(e) => return Verdict::Damaged(e.to_string()),
            };
            if let Err(e) = loaded.segment.check_all() {
                return Verdict::Damaged(e.to_string());
            }
            match loaded
                .meta
                .state
                .judge(path, false)
                .map(|(judged, _)| judged)
            {
                Ok(Judged::Fresh) => {}
                Ok(_) => return Verdict::Stale,
                Err(e) => return Verdict::Unindexable(e.to_string()),
            }
            let stored = match fs::read(&at) {
                Ok(bytes) => bytes,
                Err(e) => return Verdict::Damaged(e.to_string()),
            };
            match build(input, &absolute, opts, progress) {
                Ok(again) if again == stored => Verdict::Verified,
                Ok(_) => Verdict::Differs,
                Err(NotIndexed::Changed) => Verdict::Stale,
                Err(e) => Verdict::Unindexable(e.to_string()),
            }
        })
        .collect()
}

/// One segment `index --prune` removed.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Pruned {
    /// The input it indexed, as indexed (empty when unreadable).
    pub file: String,
    /// Why it was removed.
    pub why: &'static str,
}

/// Removes the segments of inputs that no longer exist (of those under
/// `under` when given), damaged segments, and temporary files left by a
/// run that was killed while writing.
pub(crate) fn prune(
    cache: &Cache,
    under: Option<&[PathBuf]>,
    skip: &[&Path],
) -> io::Result<Vec<Pruned>> {
    let entries = match fs::read_dir(&cache.dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    let skip: HashSet<&Path> = skip.iter().copied().collect();
    let mut pruned = Vec::new();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.contains(".tmp-") {
            let old = fs::metadata(&path)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < an_hour_ago);
            if old && under.is_none() && fs::remove_file(&path).is_ok() {
                pruned.push(Pruned {
                    file: String::new(),
                    why: "left over by an interrupted run",
                });
            }
            continue;
        }
        if !name.ends_with(SUFFIX) || skip.contains(path.as_path()) {
            continue;
        }
        let (file, why) = match load(&path) {
            Ok(Some(loaded)) => {
                let file = loaded.meta.path;
                let inside =
                    under.is_none_or(|roots| roots.iter().any(|r| Path::new(&file).starts_with(r)));
                if !inside || Path::new(&file).exists() {
                    continue;
                }
                (file, "its input is gone")
            }
            Ok(None) => continue,
            Err(Damaged::OtherBuild) if under.is_none() => {
                (String::new(), "written by another build")
            }
            Err(_) if under.is_none() => (String::new(), "damaged"),
            Err(_) => continue,
        };
        if fs::remove_file(&path).is_ok() {
            pruned.push(Pruned { file, why });
        }
    }
    Ok(pruned)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Quiet;
    impl Progress for Quiet {
        fn advance(&self, _bytes: u64) {}
    }

    /// A segment whose checksums were forged to match damage (no accident
    /// does that; a hostile cache could) is still never a panic: every
    /// offset, count and code read back is checked.
    #[test]
    fn forged_segments_are_errors_not_panics() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/vault/incident/audit.log"
        );
        let dir = tempfile::tempdir().unwrap();
        let input = InputFile {
            name: fixture.into(),
            path: Some(fixture.into()),
            rereadable: true,
        };
        let opts = Options {
            cache: Cache::at(dir.path()),
            mode: Mode::Build,
            allow_mmap: true,
        };
        let good = build(&input, Path::new(fixture), &opts, &Quiet).unwrap();
        let blocks = u32::from_le_bytes(good[44..48].try_into().unwrap()) as usize;
        let body_at = format::HEADER + blocks * 4;
        let at = dir.path().join("forged.wsx");
        let q = crate::matcher::SecretQuery::exact("secret/data/production/db", &[]);
        // Every identity of the log, for the identities' rows.
        fs::write(&at, &good).unwrap();
        let mut ids = scan::IdentityIds::default();
        let whole = load(&at).unwrap().unwrap();
        for e in whole.segment.answer(&everything(), 0).unwrap() {
            ids.insert(&e.identity);
        }
        for i in (body_at..good.len()).step_by(3) {
            for bit in [0x01, 0x80] {
                let mut bad = good.clone();
                bad[i] ^= bit;
                let sums = format::block_sums(&bad[body_at..]);
                bad[format::HEADER..body_at].copy_from_slice(&sums);
                let header = format::header(bad.len() - body_at, &sums);
                bad[..format::HEADER].copy_from_slice(&header);
                fs::write(&at, &bad).unwrap();
                let Ok(Some(loaded)) = load(&at) else {
                    continue;
                };
                let plans = [
                    everything(),
                    Plan::answered_reads(&[], scan::Options::default()),
                    Plan::for_secret(&q, scan::Options::default()),
                    Plan::for_identities(&ids, scan::Options::default()),
                ];
                for plan in &plans {
                    let _ = loaded.segment.answer(plan, 0);
                }
            }
        }
    }

    /// Slices only bound memory: the events, their line numbers and the
    /// file's facts come out the same whatever their size.
    #[test]
    fn slices_change_nothing() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/vault/incident/audit.log"
        );
        let text = fs::read_to_string(fixture).unwrap().repeat(20);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        fs::write(&path, text).unwrap();
        let file = fs::File::open(&path).unwrap();
        let state = FileState::of(&file, &file.metadata().unwrap()).unwrap();
        let opts = Options {
            cache: Cache::at(dir.path()),
            mode: Mode::Build,
            allow_mmap: true,
        };
        let built = |slice_len| {
            let mut builder = Builder::new();
            let (out, _) = in_slices(
                &file,
                &state,
                &everything(),
                &opts,
                &Quiet,
                &mut builder,
                slice_len,
            )
            .unwrap();
            (out.lines, out.events, builder.finish(b"{}"))
        };
        let whole = built(SLICE);
        assert_eq!(whole.0, 17 * 20);
        assert_eq!(built(1000), whole);
    }
}
