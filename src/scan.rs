//! Scanning one block of input: the byte pre-filter picks the records worth
//! parsing, every other record only gets a structural check, and parsed
//! reads that pass the query's filter become owned [`Event`]s. A block is
//! either whole lines (one record per line, or a one-line container such as
//! a CloudTrail S3 file) or whole documents (pretty-printed arrays and
//! objects), cut into records by `json`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use memchr::memmem;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::event::{
    Action, Event, Identity, Origin, Outcome, Provider, RawEvent, ReadKind, RequestKey,
};
use crate::json;
use crate::lines::lines_with;
use crate::matcher::{Match, QueryPrefilter, SecretQuery, SecretRef};
use crate::source::{self, RecordError, Source};

/// Which reads a scan keeps.
pub enum LineFilter<'q> {
    /// Reads of secrets the query names (and the other events that name
    /// them: see `query::existence`).
    Secret(&'q SecretQuery),
    /// Reads of any secret by these identities (`--depth 2`).
    Identities(&'q IdentityIds),
    /// Every read (`--depth 2` over input that cannot be read twice).
    AnyRead,
    /// Every read that was answered (`suspicious`, `baseline`): a Vault
    /// request line is not even parsed, as its response line tells all the
    /// rules use (an unanswered request has no outcome to judge).
    AnsweredReads,
    /// Events of any action (`timeline`).
    Events(&'q EventFilter<'q>),
}

/// What `timeline` keeps while scanning; the rest of its filters (outcome,
/// address, window) need the request and response paired first.
#[derive(Default)]
pub struct EventFilter<'q> {
    pub secret: Option<&'q SecretQuery>,
    /// Empty: every store.
    pub providers: Vec<Provider>,
    /// An identity's id or label, exactly.
    pub identity: Option<&'q str>,
    /// Empty: every action.
    pub actions: Vec<Action>,
}

impl EventFilter<'_> {
    fn accepts(&self, event: &RawEvent<'_>) -> bool {
        if !self.providers.is_empty() && !self.providers.contains(&event.provider) {
            return false;
        }
        if !self.actions.is_empty() && !self.actions.contains(&event.action) {
            return false;
        }
        if let Some(id) = self.identity {
            if event.caller.id != id && event.caller.label != id {
                return false;
            }
        }
        match self.secret.map(|q| q.matches(&secret_ref(event))) {
            None | Some(Some(Match::Named)) => true,
            // A wide read covers the secret, and a backing secret's read
            // exposes its certificate, only if it returned values.
            Some(Some(Match::Covered(_) | Match::Backing(_))) => event.kind.is_some(),
            Some(None) => false,
        }
    }
}

impl LineFilter<'_> {
    /// `None`: not wanted; else how it is kept (`Named`: as logged). A
    /// wide read that covers the queried secret is kept under that
    /// secret's name; a read of a certificate's backing secret under the
    /// certificate (see `Event` for both).
    fn accepts(&self, read: &RawEvent<'_>) -> Option<Match> {
        if let LineFilter::Events(f) = self {
            // Shown as logged, a wide read under its own name.
            return f.accepts(read).then_some(Match::Named);
        }
        if let LineFilter::Secret(q) = self {
            return match (read.kind, q.matches(&secret_ref(read))?) {
                // Other events naming an exactly named secret are kept
                // too: they tell which store holds it and when it was
                // created (see `query::existence`; a regex needs neither).
                (None, Match::Named) if !q.is_regex() => Some(Match::Named),
                (None, _) => None,
                // A batch by filter is shown by its filter: it may not have
                // returned the secret at all.
                (Some(ReadKind::Possible), _) => Some(Match::Named),
                (Some(_), found) => Some(found),
            };
        }
        // Only reads of values are counted; other events are the timeline's.
        read.kind?;
        match self {
            LineFilter::Secret(_) => None,
            LineFilter::Identities(ids) => ids
                .contains(read.provider.realm(), &read.caller.id)
                .then_some(Match::Named),
            LineFilter::AnyRead | LineFilter::AnsweredReads => Some(Match::Named),
            LineFilter::Events(_) => None,
        }
    }
}

pub fn secret_ref<'r>(read: &'r RawEvent<'_>) -> SecretRef<'r> {
    SecretRef {
        provider: read.provider,
        secret: &read.secret,
        logical: read.logical.as_deref(),
        alias: read.alias.as_deref(),
        scope: read.scope,
    }
}

/// Identity ids per store: `alice` in Vault is not `alice` in Kubernetes.
#[derive(Default)]
pub struct IdentityIds(HashMap<Provider, HashSet<String>>);

impl IdentityIds {
    pub fn insert(&mut self, realm: Provider, id: &str) {
        self.0.entry(realm).or_default().insert(id.to_string());
    }

    pub fn contains(&self, realm: Provider, id: &str) -> bool {
        self.0.get(&realm).is_some_and(|ids| ids.contains(id))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Records that cannot hold a match are skipped before parsing.
pub enum Prefilter {
    Query(QueryPrefilter),
    /// Records holding one of these literals.
    Literals(Vec<memmem::Finder<'static>>),
    /// Records holding this word as a JSON string (`"read"`), or as one
    /// inside JSON held in a string (`\"read\"`). It is looked for record
    /// by record, after cheaper checks: a word in most records is found
    /// early in each, which beats a pass over the whole block per spelling.
    JsonString(Box<memmem::Finder<'static>>),
    /// Records where one of some JSON keys holds one of some values.
    FieldValues(FieldValues),
    /// Records any of these would keep.
    Any(Vec<Prefilter>),
    /// The first in files detected as Vault audit logs, the second in
    /// others: a Vault file holds only Vault's spellings, and searching it
    /// for every store's costs a pass over it each.
    BySource(Box<Prefilter>, Box<Prefilter>),
    /// Parse every record (`--exhaustive`).
    Everything,
}

impl Prefilter {
    pub fn literals(needles: &[&str]) -> Prefilter {
        Prefilter::Literals(
            needles
                .iter()
                .map(|n| memmem::Finder::new(n.as_bytes()).into_owned())
                .collect(),
        )
    }

    /// Records whose Vault operation is `read`: the only ones that read a
    /// value (see README, "What counts"), plain or wrapped in a JSON string.
    pub fn vault_reads() -> Prefilter {
        Prefilter::JsonString(Box::new(memmem::Finder::new(b"read").into_owned()))
    }

    /// Whether a record that `hits` let through may hold a match.
    fn in_record(&self, record: &[u8], hint: Option<Source>) -> bool {
        match self {
            Prefilter::JsonString(word) => word.find_iter(record).any(|at| {
                at > 0
                    && record[at - 1] == b'"'
                    && matches!(record.get(at + word.needle().len()), Some(b'"' | b'\\'))
            }),
            Prefilter::BySource(vault, _) if hint == Some(Source::Vault) => {
                vault.in_record(record, hint)
            }
            Prefilter::BySource(_, other) => other.in_record(record, hint),
            Prefilter::Any(all) => all.iter().any(|p| p.in_record(record, hint)),
            _ => true,
        }
    }

    /// Offsets of the hits, ascending; `None` means every record.
    fn hits(&self, data: &[u8], hint: Option<Source>) -> Option<Vec<usize>> {
        match self {
            Prefilter::Query(QueryPrefilter::Path(p)) => Some(p.hits(data)),
            Prefilter::Query(QueryPrefilter::Needles(n)) => Some(n.hits(data)),
            Prefilter::Literals(finders) => {
                let mut hits: Vec<usize> = finders.iter().flat_map(|f| f.find_iter(data)).collect();
                hits.sort_unstable();
                Some(hits)
            }
            Prefilter::FieldValues(f) => Some(f.hits(data)),
            Prefilter::JsonString(_) => None,
            Prefilter::BySource(vault, _) if hint == Some(Source::Vault) => vault.hits(data, hint),
            Prefilter::BySource(_, other) => other.hits(data, hint),
            Prefilter::Any(all) => {
                let mut hits = Vec::new();
                for p in all {
                    hits.extend(p.hits(data, hint)?);
                }
                hits.sort_unstable();
                hits.dedup();
                Some(hits)
            }
            Prefilter::Everything => None,
        }
    }
}

/// Finds lines where a JSON key (e.g. `entity_id`) holds one of a set of
/// values, by searching for the key and reading the value after it: one
/// fast single-needle search per key instead of a multi-needle search for
/// ids, which crawls through lines full of other hex ids and hashes.
/// A key also matches as the end of a longer key (`accessor` finds
/// `client_token_accessor`); a value with an escape is always a candidate.
pub struct FieldValues {
    keys: Vec<memmem::Finder<'static>>,
    values: HashSet<Box<[u8]>>,
}

impl FieldValues {
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> FieldValues {
        let mut keys: Vec<String> = Vec::new();
        let mut values = HashSet::new();
        for (key, value) in pairs {
            // Plain, and inside a record wrapped in a JSON string.
            for needle in [format!("{key}\""), format!("{key}\\\"")] {
                if !keys.contains(&needle) {
                    keys.push(needle);
                }
            }
            values.insert(value.as_bytes().into());
        }
        FieldValues {
            keys: keys
                .iter()
                .map(|k| memmem::Finder::new(k.as_bytes()).into_owned())
                .collect(),
            values,
        }
    }

    fn hits(&self, data: &[u8]) -> Vec<usize> {
        let mut hits = Vec::new();
        for key in &self.keys {
            let after = key.needle().len();
            hits.extend(
                key.find_iter(data)
                    .filter(|&hit| self.holds_value(&data[hit + after..])),
            );
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// `rest` follows a key's closing quote: `: "value"` with any spacing.
    fn holds_value(&self, rest: &[u8]) -> bool {
        fn blanks_skipped(s: &[u8]) -> &[u8] {
            let n = s.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
            &s[n..]
        }
        let Some(value) = blanks_skipped(rest).strip_prefix(b":").map(blanks_skipped) else {
            return false;
        };
        if value.starts_with(b"\\\"") {
            // A wrapped record: its strings are escaped; parse to decide.
            return true;
        }
        let Some(value) = value.strip_prefix(b"\"") else {
            return false;
        };
        match memchr::memchr3(b'"', b'\\', b'\n', value) {
            Some(end) if value[end] == b'"' => self.values.contains(&value[..end]),
            Some(end) => value[end] == b'\\',
            None => false,
        }
    }
}

/// What a scan looks for.
pub struct Plan<'q> {
    pub prefilter: Prefilter,
    pub filter: LineFilter<'q>,
    /// `--source`: every record is read as this source.
    pub forced: Option<Source>,
    /// The interning tables the scan's blocks borrow in turn.
    pub shared: Shared,
    /// Count the entries of Vault files by `type` (`-v`).
    pub count_types: bool,
}

/// The result of scanning one block. Line numbers are relative to the
/// block's first line (1-based) until the caller adds the block's offset.
#[derive(Default)]
pub struct BlockOut {
    /// Lines in the block, blank ones included (for numbering).
    pub lines: u64,
    /// Records seen: one audit event each.
    pub events: u64,
    pub entries: Vec<Event>,
    /// (line, reason) for records that could not be used.
    pub malformed: Vec<(u64, String)>,
    /// Some record holds secret material in clear.
    pub raw_values: bool,
    /// Some record holds client tokens in clear.
    pub raw_tokens: bool,
    /// Vault entries per `type` (with `Plan::count_types`).
    pub entry_types: BTreeMap<String, u64>,
}

impl BlockOut {
    /// Moves line numbers from block-relative to file-relative.
    pub fn shift_lines(&mut self, base: u64) {
        for e in &mut self.entries {
            e.origin.line += base;
            if let RequestKey::Unpaired(o) = &mut e.key {
                o.line += base;
            }
        }
        for (line, _) in &mut self.malformed {
            *line += base;
        }
    }

    pub fn append(&mut self, mut other: BlockOut) {
        other.shift_lines(self.lines);
        self.lines += other.lines;
        self.events += other.events;
        self.entries.append(&mut other.entries);
        self.malformed.append(&mut other.malformed);
        self.raw_values |= other.raw_values;
        self.raw_tokens |= other.raw_tokens;
        for (kind, n) in other.entry_types {
            *self.entry_types.entry(kind).or_default() += n;
        }
    }
}

/// The `type` of a Vault entry laid out as Vault writes it (`{"time":"…",
/// "type":"…"`), read without parsing the line; `None` for any other layout.
fn vault_entry_type(line: &[u8]) -> Option<&[u8]> {
    let rest = line.strip_prefix(b"{\"time\":\"")?;
    let rest = &rest[memchr::memchr(b'"', rest)? + 1..];
    let rest = rest.strip_prefix(b",\"type\":\"")?;
    Some(&rest[..memchr::memchr2(b'"', b'\\', rest)?])
}

/// One block's scanning state.
struct Scanner<'p, 'q> {
    plan: &'p Plan<'q>,
    hint: Option<Source>,
    file: u32,
    interner: Interner,
    out: BlockOut,
}

/// Scans `data`, which holds whole lines (the last may lack its newline).
/// `hint` is the file's detected source, tried first on every record.
pub fn scan_block(data: &[u8], plan: &Plan<'_>, file: u32, hint: Option<Source>) -> BlockOut {
    let mut s = Scanner::new(plan, file, hint);
    let hits = plan.prefilter.hits(data, hint);
    let candidates = hits
        .as_ref()
        .map(|h| lines_with(data, h.iter().copied(), |_, _| true));
    let mut next_candidate = 0;
    let mut start = 0;
    while start < data.len() {
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
        s.out.lines += 1;
        let line = &data[start..end];
        let wanted = match &candidates {
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
                let in_line = hits.as_ref().map(|h| within(h, start, end));
                s.document(line, line_no, in_line.as_deref());
            } else {
                s.out.events += 1;
                if plan.count_types && hint == Some(Source::Vault) {
                    let kind = vault_entry_type(trimmed).map_or("(other layout)".into(), |k| {
                        String::from_utf8_lossy(k).into_owned()
                    });
                    *s.out.entry_types.entry(kind).or_default() += 1;
                }
                let origin = Origin {
                    file,
                    line: line_no,
                    record: None,
                };
                let skipped =
                    matches!(plan.filter, LineFilter::AnsweredReads) && is_vault_request(trimmed);
                if wanted && !skipped && plan.prefilter.in_record(line, hint) {
                    s.record(line, origin, None);
                } else if trimmed.last() != Some(&b'}') {
                    // A cut-off write (crash, disk full, a copy taken
                    // mid-write) never ends in `}`; cheap enough to check everywhere.
                    s.out
                        .malformed
                        .push((line_no, "truncated line (does not end with '}')".into()));
                }
            }
        }
        start = end + 1;
    }
    s.finish()
}

/// Scans `data` as JSON documents (pretty-printed arrays or objects, one or
/// several): every record of every document, found by `json`.
pub fn scan_documents(data: &[u8], plan: &Plan<'_>, file: u32, hint: Option<Source>) -> BlockOut {
    let mut s = Scanner::new(plan, file, hint);
    let hits = plan.prefilter.hits(data, hint);
    s.document(data, 1, hits.as_deref());
    s.out.lines = memchr::memchr_iter(b'\n', data).count() as u64
        + u64::from(!data.is_empty() && data.last() != Some(&b'\n'));
    s.finish()
}

/// A Vault request line as the file device writes it: `time`, then `type`.
fn is_vault_request(line: &[u8]) -> bool {
    const TIME: &[u8] = b"{\"time\":\"";
    let Some(rest) = line.strip_prefix(TIME) else {
        return false;
    };
    let head = &rest[..rest.len().min(48)];
    memchr::memchr(b'"', head)
        .is_some_and(|end| head[end..].starts_with(b"\",\"type\":\"request\""))
}

/// The hits in `[start, end)`, relative to `start`.
fn within(hits: &[usize], start: usize, end: usize) -> Vec<usize> {
    let from = hits.partition_point(|&h| h < start);
    let to = hits.partition_point(|&h| h < end);
    hits[from..to].iter().map(|h| h - start).collect()
}

/// A line holding a whole container document: a JSON array, or an object
/// that starts with its records key (`{"Records":[`, `{"records":[`,
/// `{"Events":[`, `{"items":[`) or with a key that precedes one in some
/// export (`NextToken`, a Kubernetes `EventList`'s `kind`, `apiVersion` or
/// `metadata`), which `json::shape` then confirms. Only the first key is
/// looked at, so ordinary records cost nothing.
fn looks_like_container(line: &[u8]) -> bool {
    const RECORDS_FIRST: [&[u8]; 4] = [b"\"Records\"", b"\"records\"", b"\"Events\"", b"\"items\""];
    // Kubernetes Events start with `kind` or `apiVersion` too: only an
    // `EventList` is worth a look.
    let header_first = |rest: &[u8]| {
        let head = &rest[..rest.len().min(160)];
        rest.starts_with(b"\"NextToken\"")
            || rest.starts_with(b"\"nextPageToken\"")
            || rest.starts_with(b"\"metadata\"")
            || (rest.starts_with(b"\"kind\"") || rest.starts_with(b"\"apiVersion\""))
                && memmem::find(head, b"\"EventList\"").is_some()
    };
    match line.first() {
        Some(b'[') => true,
        Some(b'{') => {
            let rest = line[1..].trim_ascii_start();
            RECORDS_FIRST.iter().any(|k| rest.starts_with(k))
                || header_first(rest) && matches!(json::shape(line, 0), json::Shape::Array(_))
        }
        _ => false,
    }
}

impl<'p, 'q> Scanner<'p, 'q> {
    fn new(plan: &'p Plan<'q>, file: u32, hint: Option<Source>) -> Self {
        Scanner {
            plan,
            hint,
            file,
            interner: plan.shared.lend(),
            out: BlockOut::default(),
        }
    }

    fn finish(self) -> BlockOut {
        self.plan.shared.give_back(self.interner);
        self.out
    }

    /// Every record of the documents in `data` (which starts on line
    /// `first_line`), parsing those holding a hit (`None`: all of them).
    fn document(&mut self, data: &[u8], first_line: u64, hits: Option<&[usize]>) {
        let mut line = first_line;
        let mut counted_to = 0;
        let mut line_at = |at: usize| {
            line += memchr::memchr_iter(b'\n', &data[counted_to..at]).count() as u64;
            counted_to = at;
            line
        };
        let mut at = json::skip_blanks(data, 0);
        while at < data.len() {
            let end = match json::shape(data, at) {
                json::Shape::Record if data[at] != b'{' => {
                    // Text outside any JSON value (a note appended by hand):
                    // reported once, and nothing after it is guessed at.
                    let line = line_at(at);
                    self.out.malformed.push((
                        line,
                        "text outside any JSON value; the rest of this file could not be read"
                            .into(),
                    ));
                    return;
                }
                json::Shape::Record => match json::value_end(data, at) {
                    Ok(end) => {
                        let origin_line = line_at(at);
                        self.document_record(data, at, end, origin_line, None, hits);
                        end
                    }
                    Err(e) => {
                        self.cut_short(line_at(e.at.min(data.len())), &e);
                        return;
                    }
                },
                json::Shape::Array(open) => {
                    let mut records = Vec::new();
                    // A cut document still yields the records before the cut.
                    let result = json::elements(data, open, |s, e| records.push((s, e))).and_then(
                        |array_end| match open == at {
                            true => Ok(array_end),
                            false => json::object_end_after(data, array_end),
                        },
                    );
                    for ((s, e), index) in records.into_iter().zip(0u32..) {
                        let origin_line = line_at(s);
                        self.document_record(data, s, e, origin_line, Some(index), hits);
                    }
                    match result {
                        Ok(end) => end,
                        Err(e) => {
                            self.cut_short(line_at(e.at.min(data.len())), &e);
                            return;
                        }
                    }
                }
            };
            at = json::skip_blanks(data, end);
        }
    }

    fn cut_short(&mut self, line: u64, e: &json::CutError) {
        self.out.malformed.push((
            line,
            format!("{e}; the rest of this document could not be read"),
        ));
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
        if wanted && self.plan.prefilter.in_record(&data[start..end], self.hint) {
            let origin = Origin {
                file: self.file,
                line,
                record,
            };
            self.record(&data[start..end], origin, record);
        }
    }

    fn record(&mut self, bytes: &[u8], origin: Origin, record: Option<u32>) {
        let at = |what: String| match record {
            Some(i) => format!("record {i}: {what}"),
            None => what,
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let what = format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1);
                self.out.malformed.push((origin.line, at(what)));
                return;
            }
        };
        let filter = &self.plan.filter;
        let interner = &mut self.interner;
        let entries = &mut self.out.entries;
        let kept_before = entries.len();
        let mut raw_values = false;
        let mut raw_tokens = false;
        let result = source::parse_record(text, self.hint, &mut |read| {
            raw_values |= read.raw_values;
            raw_tokens |= read.raw_tokens;
            if let Some(found) = filter.accepts(&read) {
                entries.push(interner.entry(read, found, origin));
            }
        });
        let result = match (self.plan.forced, result) {
            // `--source`: a record of another source is not read as one.
            (Some(wanted), Ok(found)) if found != wanted => {
                self.out.entries.truncate(kept_before);
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
                result
            }
        };
        match result {
            Ok(_) => {}
            Err(RecordError::Unrecognised) if record.is_none() && looks_like_document(text) => {
                // A container line not caught by its first key: cut it.
                self.out.events -= 1;
                self.document(bytes, origin.line, None);
            }
            Err(e) => self.out.malformed.push((origin.line, at(e.to_string()))),
        }
    }
}

/// Whether an unrecognised record is a container of records after all.
fn looks_like_document(text: &str) -> bool {
    let data = text.as_bytes();
    matches!(
        json::shape(data, json::skip_blanks(data, 0)),
        json::Shape::Array(_)
    )
}

/// Shares repeated strings: a busy identity or secret shows up thousands of
/// times, and each copy would otherwise be its own allocation.
#[derive(Default)]
struct Interner {
    strings: FxHashSet<Arc<str>>,
    /// Each id's versions per realm (see `identity`).
    identities: FxHashMap<Provider, FxHashMap<String, Vec<Arc<Identity>>>>,
}

/// The interning tables of one scan, lent to each block while it is
/// scanned and given back after: each table serves many blocks in turn (no
/// lock per record, no merge per block), and there are only as many tables
/// as blocks scanned at once (one per thread), so a scan keeps about one
/// copy of each string and identity per thread rather than one per block
/// (hundreds of MB on a broad query over a few GB). Only equal values are
/// shared, so which block gets which table changes nothing in the output.
#[derive(Default)]
pub struct Shared {
    idle: Mutex<Vec<Interner>>,
}

impl Shared {
    fn lend(&self) -> Interner {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default()
    }

    fn give_back(&self, interner: Interner) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(interner);
    }
}

impl Interner {
    fn string(&mut self, s: &str) -> Arc<str> {
        if let Some(found) = self.strings.get(s) {
            return found.clone();
        }
        let new: Arc<str> = Arc::from(s);
        self.strings.insert(new.clone());
        new
    }

    /// The identity as this line describes it. One id can come with other
    /// metadata on other lines (a new token, a changed role): each version
    /// is kept, so a report shows the one seen at the access it describes.
    fn identity(&mut self, read: &RawEvent<'_>) -> Arc<Identity> {
        let caller = &read.caller;
        let realm = read.provider.realm();
        let ids = self.identities.entry(realm).or_default();
        let same = |i: &&Arc<Identity>| {
            i.label == caller.label
                && i.policies.iter().eq(caller.policies.iter())
                && i.metadata.len() == caller.metadata.len()
                && i.metadata
                    .iter()
                    .zip(&caller.metadata)
                    .all(|((k, v), (rk, rv))| k == rk && v == rv)
        };
        // Most calls find it, with one lookup and no key to build.
        if let Some(found) = ids
            .get(caller.id.as_ref())
            .and_then(|v| v.iter().find(same))
        {
            return found.clone();
        }
        let identity = Arc::new(Identity {
            id: caller.id.to_string(),
            id_source: caller.id_source(),
            label: caller.label.to_string(),
            provider: realm,
            metadata: caller
                .metadata
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            policies: caller.policies.iter().map(|p| p.to_string()).collect(),
        });
        ids.entry(caller.id.to_string())
            .or_default()
            .push(identity.clone());
        identity
    }

    /// `found`: how the read matched (see `LineFilter::accepts`).
    fn entry(&mut self, read: RawEvent<'_>, found: Match, origin: Origin) -> Event {
        let identity = self.identity(&read);
        let (secret, logical) = match found {
            Match::Named => (
                self.string(&read.secret),
                read.logical.as_deref().map(|l| self.string(l)),
            ),
            // The queried name a wide read is kept under.
            Match::Covered(name) => (self.string(&name), None),
            // The backing secret actually read (lower-cased, as Azure
            // groups names), grouped under its certificate.
            Match::Backing(certificate) => (
                self.string(&read.secret.to_ascii_lowercase()),
                Some(self.string(&certificate)),
            ),
        };
        Event {
            key: RequestKey::from_id(&read.request_id, origin),
            provider: read.provider,
            action: read.action,
            kind: read.kind,
            scope: read.scope,
            operation: self.string(&read.operation),
            stage: read.stage,
            time: read.time,
            end: read.time,
            error: read.error,
            outcome: Outcome::Unknown,
            reason: read.reason.as_deref().map(|r| self.string(r)),
            secret,
            logical,
            identity,
            credential: read.credential.as_deref().map(|c| self.string(c)),
            source_address: read.source_address.as_deref().map(|a| self.string(a)),
            user_agent: read.user_agent.as_deref().map(|a| self.string(a)),
            origin,
            creates: read.creates,
            excluded: None,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn vault_request_lines_are_told_by_their_first_fields() {
        assert!(is_vault_request(
            br#"{"time":"2025-03-15T02:34:12.1Z","type":"request","auth":{}}"#
        ));
        assert!(!is_vault_request(
            br#"{"time":"2025-03-15T02:34:12.1Z","type":"response","auth":{}}"#
        ));
        // Anything laid out otherwise is parsed: a prefix, other key orders.
        assert!(!is_vault_request(
            br#"audit: {"time":"2025-03-15T02:34:12Z","type":"request"}"#
        ));
        assert!(!is_vault_request(br#"{"type":"request","time":"x"}"#));
    }

    use super::*;

    const READ: &str = r#"{"time":"2025-03-15T02:34:12.847Z","type":"response","auth":{"accessor":"hmac-sha256:acc","display_name":"deploy-bot","entity_id":"e1"},"request":{"id":"11111111-2222-3333-4444-555555555555","operation":"read","mount_point":"secret/","path":"secret/data/production/db","remote_address":"10.0.1.42"},"response":{"data":{"data":{"password":"hunter2"}}}}"#;

    fn exact(q: &str) -> SecretQuery {
        SecretQuery::exact(q, &[])
    }

    fn plan(q: &SecretQuery, prefilter: Prefilter) -> Plan<'_> {
        Plan {
            prefilter,
            filter: LineFilter::Secret(q),
            forced: None,
            shared: Shared::default(),
            count_types: false,
        }
    }

    #[test]
    fn finds_the_read_and_flags_cut_lines() {
        let q = exact("vault:secret/production/db");
        let plan = plan(&q, Prefilter::Query(q.prefilter().unwrap()));
        let data = format!("{READ}\n\n{{\"time\":\"2025-03-15T02:34:13Z\",\"type\":\"requ\n{READ}");
        let out = scan_block(data.as_bytes(), &plan, 0, None);
        assert_eq!(out.lines, 4);
        assert_eq!(out.events, 3);
        assert_eq!(out.entries.len(), 2);
        assert_eq!(out.entries[1].origin.line, 4);
        assert_eq!(out.malformed.len(), 1);
        assert_eq!(out.malformed[0].0, 3);
    }

    #[test]
    fn exhaustive_reports_bad_utf8_with_its_line() {
        let q = exact("secret/production/db");
        let plan = plan(&q, Prefilter::Everything);
        let mut data = format!("{READ}\n").into_bytes();
        data.extend_from_slice(b"{\"type\":\"request\",\"x\":\"\xff\"}\n");
        let out = scan_block(&data, &plan, 0, None);
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.malformed.len(), 1);
        assert_eq!(out.malformed[0].0, 2);
        assert!(out.malformed[0].1.contains("UTF-8"));
    }

    const GET: &str = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","eventID":"EID","requestParameters":{"secretId":"prod/db-password"},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/alice","userName":"alice"}}"#;
    const OTHER: &str = r#"{"eventTime":"2025-03-15T02:31:08Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/alice"}}"#;

    #[test]
    fn one_line_containers_and_pretty_documents_are_cut_into_records() {
        let q = exact("prod/db-password");
        let plan = plan(&q, Prefilter::Query(q.prefilter().unwrap()));
        let line = format!("{{\"Records\":[{OTHER},{GET},{OTHER}]}}\n");
        let out = scan_block(line.as_bytes(), &plan, 0, None);
        assert_eq!(out.events, 3);
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.entries[0].origin.record, Some(1));
        let pretty = format!("[\n   {OTHER},\n   {GET}\n]\n");
        let out = scan_documents(pretty.as_bytes(), &plan, 0, None);
        assert_eq!(out.events, 2);
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.entries[0].origin.line, 3);
        assert_eq!(out.lines, 4);
        let cut = &pretty[..pretty.len() - 20];
        let out = scan_documents(cut.as_bytes(), &plan, 0, None);
        assert_eq!(out.events, 1);
        assert!(
            out.malformed[0].1.contains("truncated"),
            "{:?}",
            out.malformed
        );
    }

    #[test]
    fn field_values_find_the_key_holding_the_value() {
        let f = FieldValues::new([("entity_id", "e-1"), ("accessor", "acc")]);
        let data = concat!(
            "{\"entity_id\":\"e-2\",\"x\":\"e-1\"}\n", // e-1 not under the key
            "{\"entity_id\" : \"e-1\"}\n",             // spaced
            "{\"client_token_accessor\":\"acc\"}\n",   // a longer key
            "{\"entity_id\":\"e\\u002d1\"}\n",         // escaped: parse to decide
            "{\"accessor\":\"acc2\"}\n",
        );
        let hits = Prefilter::FieldValues(f)
            .hits(data.as_bytes(), None)
            .unwrap();
        let starts = lines_with(data.as_bytes(), hits.into_iter(), |_, _| true);
        let lines: Vec<usize> = starts
            .iter()
            .map(|s| data[..*s].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![2, 3, 4]);
    }

    #[test]
    fn literal_needles_select_whole_lines_once() {
        let p = Prefilter::literals(&["\"read\""]);
        let data = b"{\"a\":\"read\",\"b\":\"read\"}\n{\"a\":\"list\"}\n{\"a\":\"read\"}";
        let hits = p.hits(data, None).unwrap();
        assert_eq!(
            lines_with(data, hits.into_iter(), |_, _| true),
            vec![0, data.len() - 12]
        );
    }

    #[test]
    fn vault_reads_are_told_by_read_as_a_whole_json_string() {
        let p = Prefilter::vault_reads();
        let wanted = |line: &str| p.in_record(line.as_bytes(), Some(Source::Vault));
        assert!(wanted(r#"{"request":{"operation":"read"}}"#));
        assert!(wanted(
            r#"{"message":"{\"request\":{\"operation\":\"read\"}}"}"#
        ));
        assert!(!wanted(
            r#"{"request":{"operation":"update","path":"thread/ready"}}"#
        ));
        assert!(!wanted(
            r#"{"request":{"operation":"list","path":"already-read"}}"#
        ));
        // A near miss before it does not hide a later hit.
        assert!(wanted(
            r#"{"path":"readme","request":{"operation":"read"}}"#
        ));
        // Every record is a candidate for the block-wide search.
        assert_eq!(p.hits(b"{}\n{}", Some(Source::Vault)), None);
    }

    #[test]
    fn no_input_panics_the_document_scanner() {
        // Every prefix and many single-byte corruptions of a realistic
        // document: some records, some errors, never a panic.
        let q = exact("prod/db-password");
        let plan = plan(&q, Prefilter::Everything);
        let doc = format!(
            "{{\"Records\":[{GET},{OTHER},{{\"kind\":\"EventList\",\"items\":[{GET}]}}]}}\n[\n {GET}\n]\n"
        );
        let bytes = doc.as_bytes();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for cut in 0..bytes.len() {
            let _ = scan_documents(&bytes[..cut], &plan, 0, None);
            let _ = scan_block(&bytes[..cut], &plan, 0, None);
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut broken = bytes.to_vec();
            let at = (seed as usize) % broken.len();
            broken[at] = b"{}[]\",:\\\xff\n"[(seed >> 32) as usize % 10];
            let _ = scan_documents(&broken, &plan, 0, None);
            let _ = scan_block(&broken, &plan, 0, None);
        }
    }
}
