//! Scanning one block of input: records cut from whole lines (one record
//! per line, or a one-line container such as a CloudTrail S3 file) or from
//! whole documents (pretty-printed arrays and objects, cut by `json`), each
//! pre-filtered, parsed when it may hold a match, and kept as an entry when
//! the plan's filter accepts it; every other record only gets a structural
//! check.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use memchr::memmem;

use super::Plan;
use super::TrailOut;
use super::filter::LineFilter;
use super::intern::{self, Interner};
use super::prefilter::Prefilter;
use crate::diag::Malformed;
use crate::envelope::{self, Export, container_keys, container_leads};
use crate::event::{Event, Origin};
use crate::json;
use crate::lines::lines_with;
use crate::source::store::{Exposure, Site, Wanted};
use crate::source::{self, RecordError, Source, stores};

/// The result of scanning one block. Line numbers are relative to the
/// block's first line (1-based) until the caller adds the block's offset.
#[derive(Default)]
pub(crate) struct BlockOut {
    /// Lines in the block, blank ones included (for numbering).
    pub lines: u64,
    /// Records seen: one audit event each.
    pub events: u64,
    pub entries: Vec<Event>,
    /// Records that could not be used.
    pub(crate) malformed: Malformed,
    /// Some record holds secret material in clear.
    pub raw_values: bool,
    /// Some record holds client tokens in clear.
    pub raw_tokens: bool,
    /// An export's rows whose record is no store's (a SIEM's other
    /// sourcetypes or indexes): not audit records, not malformed.
    pub foreign: u64,
    /// Records per type, in a file whose store counts them (with
    /// `Plan::count_types`).
    pub entry_types: BTreeMap<String, u64>,
    /// With `Plan::everything`, one per entry: what the plan's filter may
    /// ask of a record that `Event` does not keep. Empty otherwise.
    pub extras: Vec<Extra>,
    /// With `Plan::carrying`, where the text sits in each record that
    /// holds it (by the record's place).
    pub traces: Vec<(Origin, Vec<Site>)>,
    /// With `Plan::exposing`, what each kept event's record holds in clear
    /// (one per entry).
    pub exposures: Vec<Vec<Exposure>>,
    /// With `Plan::covering`, what the records tell of the trail.
    pub trail: Option<Box<TrailOut>>,
}

/// What an index keeps of a record besides its `Event`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extra {
    /// The record's other spelling of its secret (see `RawEvent::alias`).
    pub alias: Option<Arc<str>>,
    /// The record is on a line of its own that is the request half of a
    /// request whose response tells all (see `Store::is_request_half`):
    /// `suspicious` and `baseline` skip it.
    pub request_half: bool,
    /// The record holds values (or tokens) in clear (see
    /// `RawEvent::raw_values`): an export says so of its rows.
    pub values_in_clear: bool,
    pub tokens_in_clear: bool,
}

impl BlockOut {
    /// Moves line numbers from block-relative to file-relative.
    pub(crate) fn shift_lines(&mut self, base: u64) {
        intern::shift_lines(&mut self.entries, base);
        self.malformed.shift_lines(base);
        for (origin, _) in &mut self.traces {
            origin.line += base;
        }
        if let Some(trail) = &mut self.trail {
            trail.shift_lines(base);
        }
    }

    pub(crate) fn append(&mut self, mut other: BlockOut) {
        other.shift_lines(self.lines);
        self.lines += other.lines;
        self.events += other.events;
        self.entries.append(&mut other.entries);
        self.extras.append(&mut other.extras);
        self.traces.append(&mut other.traces);
        self.exposures.append(&mut other.exposures);
        match (&mut self.trail, other.trail) {
            (Some(mine), Some(theirs)) => mine.append(*theirs),
            (mine @ None, theirs) => *mine = theirs,
            (Some(_), None) => {}
        }
        self.malformed.append(other.malformed);
        self.raw_values |= other.raw_values;
        self.raw_tokens |= other.raw_tokens;
        self.foreign += other.foreign;
        for (kind, n) in other.entry_types {
            *self.entry_types.entry(kind).or_default() += n;
        }
    }
}

/// One block's scanning state.
struct Scanner<'p, 'q> {
    plan: &'p Plan<'q>,
    hint: Option<Source>,
    /// The export the file was detected as, whose rows are opened first.
    export: Option<Export>,
    file: u32,
    interner: Interner,
    out: BlockOut,
    /// The record being parsed is a request half (see `Extra`).
    request_half: bool,
    /// Whether the line being parsed may stop or start a trail, when its
    /// block's search said (`None`: look).
    watched: Option<bool>,
}

/// What a file was detected as: the source tried first on every record,
/// and the export whose rows are opened first.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Hint {
    pub source: Option<Source>,
    pub export: Option<Export>,
}

/// Scans `data`, which holds whole lines (the last may lack its newline).
pub(crate) fn scan_block(data: &[u8], plan: &Plan, file: u32, hint: Hint) -> BlockOut {
    let mut s = Scanner::new(plan, file, hint);
    // `-v`: the records of a file whose store counts them by type (in the
    // store's own file: an export's rows hide their type).
    let typed = hint
        .source
        .filter(|_| hint.export.is_none())
        .map(Source::store)
        .filter(|store| plan.count_types && store.about().counts_record_types);
    let hits = hits(plan, data, hint, false);
    let candidates = hits
        .as_ref()
        .map(|h| lines_with(data, h.iter().copied(), |_, _| true));
    let mut next_candidate = 0;
    // Lines that may stop or start a trail: one pass over the block, not
    // a search per line.
    let watch_at = plan.watch_trail.then(|| {
        let mut at: Vec<usize> = super::trail::watch_hits(data, hint.source).collect();
        at.sort_unstable();
        at
    });
    let watched_lines = watch_at
        .as_ref()
        .map(|at| lines_with(data, at.iter().copied(), |_, _| true));
    let mut next_watched = 0;
    let mut start = 0;
    while start < data.len() {
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
        s.out.lines += 1;
        let line = &data[start..end];
        let watched = match &watched_lines {
            None => false,
            Some(w) => {
                let hit = w.get(next_watched) == Some(&start);
                next_watched += usize::from(hit);
                hit
            }
        };
        let wanted = watched
            || match &candidates {
                None => true,
                Some(c) => {
                    let hit = c.get(next_candidate) == Some(&start);
                    next_candidate += usize::from(hit);
                    hit
                }
            };
        let trimmed = line.trim_ascii();
        if !trimmed.is_empty() {
            let line_no = s.out.lines;
            if looks_like_container(trimmed) {
                // A one-line document: its records are counted and filtered
                // one by one, against the hits inside the line.
                let in_line = hits.as_ref().map(|h| {
                    let mut in_line = within(h, start, end);
                    if let Some(at) = &watch_at {
                        in_line.extend(within(at, start, end));
                        in_line.sort_unstable();
                    }
                    in_line
                });
                s.document(line, line_no, in_line.as_deref());
            } else {
                s.out.events += 1;
                if let Some(store) = typed {
                    let kind = store
                        .record_type(trimmed)
                        .map_or("(other layout)".into(), |k| {
                            String::from_utf8_lossy(k).into_owned()
                        });
                    *s.out.entry_types.entry(kind).or_default() += 1;
                }
                let origin = Origin {
                    file,
                    line: line_no,
                    record: None,
                };
                // Only answered reads wanted: a request half whose response
                // tells all is not parsed (see `Store::is_request_half`).
                let request_half = (plan.keeps_extras()
                    || matches!(plan.filter, LineFilter::AnsweredReads))
                    && stores().any(|store| store.is_request_half(trimmed));
                let skipped =
                    request_half && matches!(plan.filter, LineFilter::AnsweredReads) && !watched;
                if wanted && !skipped && (watched || plan.prefilter.in_record(line, hint.source)) {
                    s.request_half = request_half;
                    s.watched = Some(watched);
                    s.record(line, origin, None);
                    s.request_half = false;
                    s.watched = None;
                } else if let Some(unopened) = hint.export.and_then(|e| envelope::flaw(trimmed, e))
                {
                    s.unopened(unopened, line_no, None);
                } else if trimmed.last() != Some(&b'}') {
                    // A cut-off write (crash, disk full, a copy taken
                    // mid-write) never ends in `}`; cheap enough to check everywhere.
                    s.out
                        .malformed
                        .push(line_no, || "truncated line (does not end with '}')".into());
                }
            }
        }
        start = end + 1;
    }
    s.finish()
}

/// Scans `data` as JSON documents (pretty-printed arrays or objects, one or
/// several): every record of every document, found by `json`.
pub(crate) fn scan_documents(data: &[u8], plan: &Plan, file: u32, hint: Hint) -> BlockOut {
    let mut documents = Documents::new(plan, file, hint);
    documents.feed(data, true);
    documents.finish(line_count(data))
}

/// JSON documents scanned as their bytes arrive (a stream, a gzip file):
/// each record as soon as it is whole, so memory holds the largest value,
/// not the document.
pub(crate) struct Documents<'p, 'q> {
    scanner: Scanner<'p, 'q>,
    hint: Hint,
    splitter: json::Splitter,
    lines: LineCounter,
    /// A fault was told, or every document is cut: the rest is not read.
    ended: bool,
}

impl<'p, 'q> Documents<'p, 'q> {
    pub(crate) fn new(plan: &'p Plan<'q>, file: u32, hint: Hint) -> Self {
        Documents {
            scanner: Scanner::new(plan, file, hint),
            hint,
            splitter: json::Splitter::default(),
            lines: LineCounter::starting_at(1),
            ended: false,
        }
    }

    /// Scans the records `data` completes (`done`: no bytes follow it).
    /// Returns how many bytes at its start are no longer needed: the
    /// caller drops them and hands the rest first next time.
    pub(crate) fn feed(&mut self, data: &[u8], done: bool) -> usize {
        if self.ended {
            return data.len();
        }
        let hits = hits(self.scanner.plan, data, self.hint, true);
        let wants_more = self.scanner.split(
            &mut self.splitter,
            data,
            done,
            hits.as_deref(),
            &mut self.lines,
        );
        self.ended = !wants_more;
        let used = if self.ended {
            data.len()
        } else {
            self.splitter.at()
        };
        self.lines.dropped(data, used);
        self.splitter.dropped(used);
        used
    }

    /// Whether the records are all cut (or a fault stopped the cut).
    pub(crate) fn ended(&self) -> bool {
        self.ended
    }

    /// Passes over the value `data` starts with, too long to hold (over
    /// `limit` bytes), keeping none of it: told as a malformed record.
    pub(crate) fn too_long(&mut self, data: &[u8], limit: usize) {
        let line = self.lines.at(data, 0);
        match self.splitter.skip_value(data) {
            Some(true) => self.scanner.out.events += 1,
            Some(false) => {}
            // Nothing is being cut that could be passed over.
            None => self.ended = true,
        }
        self.scanner.out.malformed.push(line, || {
            format!("a JSON value longer than {} MiB: skipped", limit >> 20)
        });
    }

    /// What was scanned, the document `lines` long.
    pub(crate) fn finish(self, lines: u64) -> BlockOut {
        let mut out = self.scanner.finish();
        out.lines = lines;
        out
    }
}

/// Tells the line of an offset, counting newlines once as offsets grow,
/// across the successive buffers of a stream.
struct LineCounter {
    /// The line `counted_to` is on.
    line: u64,
    counted_to: usize,
}

impl LineCounter {
    fn starting_at(line: u64) -> Self {
        LineCounter {
            line,
            counted_to: 0,
        }
    }

    fn at(&mut self, data: &[u8], at: usize) -> u64 {
        if at > self.counted_to {
            self.line += memchr::memchr_iter(b'\n', &data[self.counted_to..at]).count() as u64;
            self.counted_to = at;
        }
        self.line
    }

    /// The first `n` bytes of `data` are dropped.
    fn dropped(&mut self, data: &[u8], n: usize) {
        self.at(data, n);
        self.counted_to -= n;
    }
}

/// Scans `data` as a CSV export: each row, as the JSON object its columns
/// make, is one record, numbered by the line it starts on. The byte filter
/// runs once over the whole document, as over a JSON one, and only rows
/// holding a hit become JSON; the others get the byte check of their
/// carried record. (An export whose rows must be kept for a word in a
/// column, see `envelope::mapped::markers`, has every row looked at: its
/// column names are only in the header.)
pub(crate) fn scan_csv(data: &[u8], plan: &Plan, file: u32, hint: Hint) -> BlockOut {
    let mut s = Scanner::new(plan, file, hint);
    let mut csv = envelope::csv::Csv::read(data);
    let markers = hint.export.map_or(&[][..], envelope::mapped::markers);
    let document_hits = match markers.is_empty() {
        true => hits(plan, csv.body, hint, true),
        false => None,
    };
    while let Some(row) = csv.next_row() {
        let row = &row;
        s.out.events += 1;
        if csv.ends_inside_quotes(row) {
            s.out.malformed.push(row.line, || {
                "the file ends inside a quoted field of this row (cut short): the record is lost"
                    .into()
            });
            continue;
        }
        let may_match = document_hits.as_ref().is_none_or(|h| {
            let first = h.partition_point(|&x| x < row.start);
            h.get(first).is_some_and(|&x| x < row.end)
        });
        if !may_match {
            let flaw = csv
                .fields(row)
                .find_map(|(column, value)| envelope::carried_flaw(column, value));
            if let Some(unopened) = flaw {
                s.unopened(unopened, row.line, None);
            }
            continue;
        }
        let object = match csv.object(row) {
            Ok(object) => object,
            Err(why) => {
                s.out.malformed.push(row.line, || why);
                continue;
            }
        };
        let bytes = object.as_bytes();
        let wanted = hits(plan, bytes, hint, true).is_none_or(|hits| !hits.is_empty())
            && plan.may_hold(bytes, hint.source);
        if wanted {
            let origin = Origin {
                file,
                line: row.line,
                record: None,
            };
            s.record(bytes, origin, None);
        } else if let Some(unopened) = hint.export.and_then(|e| envelope::flaw(bytes, e)) {
            s.unopened(unopened, row.line, None);
        }
    }
    s.out.lines = line_count(data);
    s.finish()
}

/// The lines `data` holds, a last one without its newline included.
fn line_count(data: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', data).count() as u64
        + u64::from(!data.is_empty() && data.last() != Some(&b'\n'))
}

/// Offsets of the plan's byte filter's hits in `data`, ascending (`None`:
/// every record); in an export, also of the words its rows must not be
/// skipped for (see `envelope::mapped::markers`); `with_watch`, also of
/// the records that may stop or start a trail (see `Plan::watch_trail`).
fn hits(plan: &Plan, data: &[u8], hint: Hint, with_watch: bool) -> Option<Vec<usize>> {
    let mut hits = match (&plan.prefilter, hint.export) {
        (Prefilter::FieldValues(ids), Some(_)) => ids.value_hits(data),
        (prefilter, _) => prefilter.hits(data, hint.source)?,
    };
    if with_watch && plan.watch_trail {
        hits.extend(super::trail::watch_hits(data, hint.source));
        hits.sort_unstable();
        hits.dedup();
    }
    let markers = hint.export.map_or(&[][..], envelope::mapped::markers);
    if !markers.is_empty() {
        for marker in markers {
            // The column holding text (`"errorcode":"AccessDenied"`): a
            // data lake writes the column on every row, null or empty.
            let needle = format!("{marker}\"");
            hits.extend(memmem::find_iter(data, needle.as_bytes()).filter(|&at| {
                let at = json::skip_blanks(data, at + needle.len());
                let at = json::skip_blanks(data, at + usize::from(data.get(at) == Some(&b':')));
                data.get(at) == Some(&b'"') && data.get(at + 1).is_some_and(|&b| b != b'"')
            }));
        }
        hits.sort_unstable();
        hits.dedup();
    }
    Some(hits)
}

/// The hits in `[start, end)`, relative to `start`.
fn within(hits: &[usize], start: usize, end: usize) -> Vec<usize> {
    let from = hits.partition_point(|&h| h < start);
    let to = hits.partition_point(|&h| h < end);
    hits[from..to].iter().map(|h| h - start).collect()
}

/// A line holding a whole container document: a JSON array, or an object
/// that starts with a store's records key (see `Store::container_keys`) or with a key
/// that precedes one in some export (see `Store::container_leads`), which
/// `json::shape` then confirms. Only the first key is looked at, so
/// ordinary records cost nothing.
fn looks_like_container(line: &[u8]) -> bool {
    match line.first() {
        Some(b'[') => true,
        Some(b'{') => {
            let rest = line[1..].trim_ascii_start();
            // Most records' first key starts with a letter no container's
            // key does: one table lookup decides.
            let Some(&[b'"', first, second]) = rest.get(..3) else {
                return false;
            };
            if !CONTAINER_FIRST_BYTES[usize::from(first) << 8 | usize::from(second)] {
                return false;
            }
            let key_is =
                |key: &[u8]| rest[1..].starts_with(key) && rest.get(key.len() + 1) == Some(&b'"');
            let head = &rest[..rest.len().min(160)];
            let lead_first = || {
                container_leads().iter().any(|lead| {
                    key_is(lead.key.as_bytes())
                        && lead
                            .with
                            .is_none_or(|text| memmem::find(head, text.as_bytes()).is_some())
                })
            };
            container_keys().iter().any(|k| key_is(k))
                || lead_first()
                    && matches!(
                        json::shape(line, 0, container_keys()),
                        json::Shape::Array { .. }
                    )
        }
        _ => false,
    }
}

/// The first two bytes of every container key and lead (see
/// `looks_like_container`), as `first << 8 | second`: two bytes, because
/// one is shared by common record keys (`time` and Elasticsearch's
/// `took`).
static CONTAINER_FIRST_BYTES: LazyLock<Box<[bool]>> = LazyLock::new(|| {
    let mut first = vec![false; 1 << 16].into_boxed_slice();
    let leads = container_leads().iter().map(|lead| lead.key.as_bytes());
    for key in container_keys().iter().copied().chain(leads) {
        match *key {
            [a, b, ..] => first[usize::from(a) << 8 | usize::from(b)] = true,
            // A one-letter key: any second byte (its closing quote).
            [a] => first[usize::from(a) << 8..(usize::from(a) + 1) << 8].fill(true),
            [] => {}
        }
    }
    first
});

impl<'p, 'q> Scanner<'p, 'q> {
    fn new(plan: &'p Plan<'q>, file: u32, hint: Hint) -> Self {
        Scanner {
            plan,
            hint: hint.source,
            export: hint.export,
            file,
            interner: plan.shared.lend(),
            out: BlockOut::default(),
            request_half: false,
            watched: None,
        }
    }

    fn finish(self) -> BlockOut {
        self.plan.shared.give_back(self.interner);
        self.out
    }

    /// Every record of the documents in `data` (which starts on line
    /// `first_line`), parsing those holding a hit (`None`: all of them).
    fn document(&mut self, data: &[u8], first_line: u64, hits: Option<&[usize]>) {
        let mut lines = LineCounter::starting_at(first_line);
        self.split(&mut json::Splitter::default(), data, true, hits, &mut lines);
    }

    /// The records `splitter` cuts from `data` (`done`: the bytes of the
    /// document end there), parsing those holding a hit. Returns whether
    /// more bytes are wanted.
    fn split(
        &mut self,
        splitter: &mut json::Splitter,
        data: &[u8],
        done: bool,
        hits: Option<&[usize]>,
        lines: &mut LineCounter,
    ) -> bool {
        loop {
            match splitter.next(data, done, container_keys()) {
                json::Piece::Record { start, end, index } => {
                    let line = lines.at(data, start);
                    self.document_record(data, start, end, line, index, hits);
                }
                json::Piece::More => return true,
                json::Piece::End => return false,
                json::Piece::Outside(at) => {
                    // Text outside any JSON value (a note appended by hand):
                    // reported once, and nothing after it is guessed at.
                    let line = lines.at(data, at);
                    self.out.malformed.push(line, || {
                        "text outside any JSON value; the rest of this file could not be read"
                            .into()
                    });
                    return false;
                }
                json::Piece::Cut(e) => {
                    let line = lines.at(data, e.at.min(data.len()));
                    self.cut_short(line, &e);
                    return false;
                }
            }
        }
    }

    fn cut_short(&mut self, line: u64, e: &json::CutError) {
        self.out.malformed.push(line, || {
            format!("{e}; the rest of this document could not be read")
        });
    }

    fn document_record(
        &mut self,
        data: &[u8],
        start: usize,
        end: usize,
        line: u64,
        record: Option<u32>,
        hits: Option<&[usize]>,
    ) {
        self.out.events += 1;
        let wanted = hits.is_none_or(|h| {
            let first = h.partition_point(|&x| x < start);
            h.get(first).is_some_and(|&x| x < end)
        });
        if wanted && self.plan.may_hold(&data[start..end], self.hint) {
            let origin = Origin {
                file: self.file,
                line,
                record,
            };
            self.record(&data[start..end], origin, record);
        } else if let Some(unopened) = self
            .export
            .and_then(|e| envelope::flaw(&data[start..end], e))
        {
            self.unopened(unopened, line, record);
        }
    }

    fn record(&mut self, bytes: &[u8], origin: Origin, record: Option<u32>) {
        if let Some(text) = self.plan.carried().and_then(Wanted::text)
            && memmem::find(bytes, text.as_bytes()).is_none()
        {
            return;
        }
        let at = |what: String| match record {
            Some(i) => format!("record {i}: {what}"),
            None => what,
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let column = e.valid_up_to() + 1;
                self.out.malformed.push(origin.line, || {
                    at(format!("not UTF-8 (invalid byte at column {column})"))
                });
                return;
            }
        };
        // In an export, each row's record; in a store's own file, the
        // record itself (or an export's row, if it is one after all).
        let opened = match self.export {
            Some(_) => envelope::open(text),
            None => Ok(None),
        };
        let result = match opened {
            Ok(Some(row)) => self.parse_row(row, origin),
            Ok(None) => match self.parse(text, origin, None).map(|_| ()) {
                Err(RecordError::Unrecognised) if self.export.is_none() => {
                    match envelope::open(text) {
                        Ok(Some(row)) => self.parse_row(row, origin),
                        Ok(None) => Err(RecordError::Unrecognised),
                        Err(unopened) => return self.unopened(unopened, origin.line, record),
                    }
                }
                other => other,
            },
            Err(unopened) => return self.unopened(unopened, origin.line, record),
        };
        match result {
            Ok(_) => {}
            Err(RecordError::Unrecognised) if record.is_none() && looks_like_document(text) => {
                // A container line not caught by its first key: cut it.
                self.out.events -= 1;
                self.document(bytes, origin.line, None);
            }
            Err(e) => self.out.malformed.push(origin.line, || at(e.to_string())),
        }
    }

    /// A row of an export that gives no record: bookkeeping (not an event)
    /// or a flaw (malformed).
    fn unopened(&mut self, unopened: envelope::Unopened, line: u64, record: Option<u32>) {
        match unopened {
            envelope::Unopened::NoRow => self.out.events -= 1,
            envelope::Unopened::Flawed(why) => self.out.malformed.push(line, || match record {
                Some(i) => format!("record {i}: {why}"),
                None => why,
            }),
        }
    }

    /// Parses the record an export's row carries, kept with the row's id.
    /// A record no store reads (a SIEM's other sourcetypes: text, or
    /// another tool's JSON) is counted as foreign, not malformed; a JSON
    /// object that cannot be read is malformed, as in a store's own file.
    fn parse_row(&mut self, row: envelope::Opened<'_>, origin: Origin) -> Result<(), RecordError> {
        let id = row.id.map(Arc::from);
        let text: &str = &row.record;
        let data = text.as_bytes();
        // Told by its first key, as a line is (`looks_like_container`).
        let shape = match looks_like_container(text.trim_ascii().as_bytes()) {
            true => json::shape(data, json::skip_blanks(data, 0), container_keys()),
            false => json::Shape::Record,
        };
        let json::Shape::Array { open, .. } = shape else {
            return match self.parse(text, origin, id.as_ref()) {
                Err(RecordError::Unrecognised) => {
                    self.out.foreign += 1;
                    Ok(())
                }
                Err(RecordError::NotJson(_)) if !text.trim_start().starts_with('{') => {
                    self.out.foreign += 1;
                    Ok(())
                }
                other => other.map(|_| ()),
            };
        };
        // A row holding a whole container (a CloudTrail delivery, an Event
        // Hub message indexed as one event): each of its records, under the
        // row's line, numbered within the container unless the row is
        // numbered already. The row counted as one event.
        let mut spans = Vec::new();
        let cut = json::elements(data, open, |s, e| spans.push((s, e))).err();
        self.out.events = self.out.events + spans.len() as u64 - 1;
        for ((start, end), index) in spans.into_iter().zip(0u32..) {
            let origin = Origin {
                record: origin.record.or(Some(index)),
                ..origin
            };
            if let Err(e) = self.parse(&text[start..end], origin, id.as_ref()) {
                self.out
                    .malformed
                    .push(origin.line, || format!("record {index} of the row: {e}"));
            }
        }
        if let Some(e) = cut {
            self.out.malformed.push(origin.line, || {
                format!("{e}; the rest of the row's records could not be read")
            });
        }
        // Each record's error is reported above.
        Ok(())
    }

    /// Parses one store's record, keeping the events the plan's filter
    /// accepts.
    fn parse(
        &mut self,
        text: &str,
        origin: Origin,
        export_id: Option<&Arc<str>>,
    ) -> Result<Source, RecordError> {
        if self.plan.covers() {
            return self.cover(text, origin);
        }
        let filter = &self.plan.filter;
        let interner = &mut self.interner;
        let entries = &mut self.out.entries;
        let extras = &mut self.out.extras;
        let keep_extras = self.plan.keeps_extras();
        let notes_exposures = self.plan.notes_exposures();
        let exposures = &mut self.out.exposures;
        let request_half = self.request_half;
        let kept_before = entries.len();
        let mut raw_values = false;
        let mut raw_tokens = false;
        let result = source::parse_record(text, self.hint, &mut |read| {
            raw_values |= read.raw_values;
            raw_tokens |= read.raw_tokens;
            if let Some(found) = filter.accepts(&read) {
                if keep_extras {
                    extras.push(Extra {
                        alias: read.alias.as_deref().map(|a| interner.string(a)),
                        request_half,
                        values_in_clear: read.raw_values,
                        tokens_in_clear: read.raw_tokens,
                    });
                }
                if notes_exposures {
                    exposures.push(source::store_of(read.provider).exposed(&(&read).into()));
                }
                entries.push(interner.entry(read, found, origin, export_id));
            }
        });
        match (self.plan.forced, result) {
            // `--source`: a record of another source is not read as one.
            (Some(wanted), Ok(found)) if found != wanted => {
                self.out.entries.truncate(kept_before);
                self.out.extras.truncate(kept_before);
                self.out.exposures.truncate(kept_before);
                Err(RecordError::OtherSource {
                    wanted,
                    found: Some(found),
                })
            }
            (Some(wanted), Err(RecordError::Unrecognised)) => Err(RecordError::OtherSource {
                wanted,
                found: None,
            }),
            (_, result) => {
                self.out.raw_values |= raw_values;
                self.out.raw_tokens |= raw_tokens;
                if let Ok(source) = result
                    && self
                        .watched
                        .unwrap_or_else(|| self.plan.watches(text.as_bytes(), Some(source)))
                {
                    self.watch(text, source, origin);
                }
                if let Some(wanted) = self.plan.carried() {
                    // A value known by its hash can only be in clear.
                    let sites = match (&result, wanted.text().is_some() || raw_values) {
                        (Ok(source), true) => source.store().sites(text, wanted),
                        _ => Vec::new(),
                    };
                    if sites.is_empty() {
                        // Only the records that hold the value are kept.
                        self.out.entries.truncate(kept_before);
                        self.out.extras.truncate(kept_before);
                    } else {
                        self.out.traces.push((origin, sites));
                    }
                }
                result
            }
        }
    }
}

impl Scanner<'_, '_> {
    /// Notes a record that stops or starts a trail (`Plan::watch_trail`).
    fn watch(&mut self, text: &str, source: Source, origin: Origin) {
        let trail = self.out.trail.get_or_insert_default();
        // Read as the store it was parsed as; a record it cannot read for
        // the trail was reported (or not) by the parse already.
        let _ = source::trail_record(text, Some(source), &mut |source, record| {
            trail.note_stop_or_start(source, record, origin)
        });
    }

    /// Reads one store's record for the trail (`Plan::covering`).
    fn cover(&mut self, text: &str, origin: Origin) -> Result<Source, RecordError> {
        let forced = self.plan.forced;
        let trail = self.out.trail.get_or_insert_default();
        let result = source::trail_record(text, self.hint, &mut |source, record| {
            // `--source`: a record of another source is not read as one.
            if forced.is_none_or(|wanted| wanted == source) {
                trail.note(source, record, origin);
            }
        });
        match (forced, result) {
            (Some(wanted), Ok(found)) if found != wanted => Err(RecordError::OtherSource {
                wanted,
                found: Some(found),
            }),
            (Some(wanted), Err(RecordError::Unrecognised)) => Err(RecordError::OtherSource {
                wanted,
                found: None,
            }),
            (_, result) => result,
        }
    }
}

/// Whether an unrecognised record is a container of records after all.
fn looks_like_document(text: &str) -> bool {
    let data = text.as_bytes();
    matches!(
        json::shape(data, json::skip_blanks(data, 0), container_keys()),
        json::Shape::Array { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::SecretQuery;
    use crate::scan::{Prefilter, Shared};
    use crate::source::samples::{
        CLOUDTRAIL_GET as GET, CLOUDTRAIL_OTHER as OTHER, VAULT_READ as READ, cloudtrail_delivery,
        k8s_event_list,
    };

    fn exact(q: &str) -> SecretQuery {
        SecretQuery::exact(q, &[])
    }

    /// A plan for `q` with its own byte filter.
    fn filtered(q: &SecretQuery) -> Plan<'_> {
        plan(q, Prefilter::Query(q.prefilter().unwrap()))
    }

    /// `data` scanned for `query`, records picked by its byte filter.
    fn scan(query: &str, data: &str) -> BlockOut {
        let q = exact(query);
        scan_block(data.as_bytes(), &filtered(&q), 0, Hint::default())
    }

    fn plan(q: &SecretQuery, prefilter: Prefilter) -> Plan<'_> {
        Plan {
            prefilter,
            filter: LineFilter::Secret(q),
            forced: None,
            shared: Shared::default(),
            count_types: false,
            extras: false,
            watch_trail: true,
        }
    }

    #[test]
    fn finds_the_read_and_flags_cut_lines() {
        let data = format!("{READ}\n\n{{\"time\":\"2025-03-15T02:34:13Z\",\"type\":\"requ\n{READ}");
        let out = scan("vault:secret/production/db", &data);
        assert_eq!(out.lines, 4);
        assert_eq!(out.events, 3);
        assert_eq!(out.entries.len(), 2);
        assert_eq!(out.entries[1].origin.line, 4);
        assert_eq!(out.malformed.len(), 1);
        assert_eq!(out.malformed.kept()[0].0, 3);
    }

    #[test]
    fn exhaustive_reports_bad_utf8_with_its_line() {
        let q = exact("secret/production/db");
        let plan = plan(&q, Prefilter::Everything);
        let mut data = format!("{READ}\n").into_bytes();
        data.extend_from_slice(b"{\"type\":\"request\",\"x\":\"\xff\"}\n");
        let out = scan_block(&data, &plan, 0, Hint::default());
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.malformed.len(), 1);
        assert_eq!(out.malformed.kept()[0].0, 2);
        assert!(out.malformed.kept()[0].1.contains("UTF-8"));
    }

    #[test]
    fn one_line_containers_and_pretty_documents_are_cut_into_records() {
        let q = exact("prod/db-password");
        let plan = filtered(&q);
        let line = cloudtrail_delivery(&[OTHER, GET, OTHER]) + "\n";
        let out = scan_block(line.as_bytes(), &plan, 0, Hint::default());
        assert_eq!(out.events, 3);
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.entries[0].origin.record, Some(1));
        let pretty = format!("[\n   {OTHER},\n   {GET}\n]\n");
        let out = scan_documents(pretty.as_bytes(), &plan, 0, Hint::default());
        assert_eq!(out.events, 2);
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.entries[0].origin.line, 3);
        assert_eq!(out.lines, 4);
        let cut = &pretty[..pretty.len() - 20];
        let out = scan_documents(cut.as_bytes(), &plan, 0, Hint::default());
        assert_eq!(out.events, 1);
        assert!(
            out.malformed.kept()[0].1.contains("truncated"),
            "{:?}",
            out.malformed
        );
    }

    #[test]
    fn no_input_panics_the_document_scanner() {
        // Every prefix and many single-byte corruptions of a realistic
        // document: some records, some errors, never a panic.
        let q = exact("prod/db-password");
        let plan = plan(&q, Prefilter::Everything);
        let list = k8s_event_list(&[GET]);
        let doc = cloudtrail_delivery(&[GET, OTHER, &list]) + &format!("\n[\n {GET}\n]\n");
        let bytes = doc.as_bytes();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for cut in 0..bytes.len() {
            let _ = scan_documents(&bytes[..cut], &plan, 0, Hint::default());
            let _ = scan_block(&bytes[..cut], &plan, 0, Hint::default());
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut broken = bytes.to_vec();
            let at = (seed as usize) % broken.len();
            broken[at] = b"{}[]\",:\\\xff\n"[(seed >> 32) as usize % 10];
            let _ = scan_documents(&broken, &plan, 0, Hint::default());
            let _ = scan_block(&broken, &plan, 0, Hint::default());
        }
    }
}
