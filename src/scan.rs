//! Scanning one block of complete lines: the byte pre-filter picks the lines
//! worth parsing, every other line only gets a structural check, and parsed
//! value reads that pass the query's filter become [`Entry`] records.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use memchr::memmem;

use crate::event::{Entry, Identity, Origin, Provider, RequestKey};
use crate::lines::lines_with;
use crate::matcher::{PathPrefilter, SecretNames, SecretQuery};
use crate::source::vault::{self, Parsed, ValueRead};

/// Which value reads a scan keeps.
pub enum LineFilter<'q> {
    /// Reads of secrets the query names.
    Secret(&'q SecretQuery),
    /// Reads of any secret by these identities (`--depth 2`).
    Identities(&'q HashSet<String>),
    /// Every value read (`--depth 2` over input that cannot be read twice).
    AnyRead,
}

impl LineFilter<'_> {
    fn accepts(&self, read: &ValueRead<'_>) -> bool {
        match self {
            LineFilter::Secret(q) => q.matches(&SecretNames {
                logged: &read.logged,
                logical: read.logical.as_deref(),
            }),
            LineFilter::Identities(ids) => ids.contains(read.identity_id.as_ref()),
            LineFilter::AnyRead => true,
        }
    }
}

/// Lines that cannot hold a match are skipped before parsing.
pub enum Prefilter {
    /// Lines holding a JSON string that could be the queried path.
    Path(Box<PathPrefilter>),
    /// Lines holding this literal.
    Literal(Box<memmem::Finder<'static>>),
    /// Lines where one of some JSON keys holds one of some values.
    FieldValues(FieldValues),
    /// Parse every line (`--exhaustive`).
    Everything,
}

impl Prefilter {
    pub fn literal(needle: &str) -> Prefilter {
        Prefilter::Literal(Box::new(
            memmem::Finder::new(needle.as_bytes()).into_owned(),
        ))
    }

    /// Start offsets of candidate lines, ascending; `None` means every line.
    fn candidate_lines(&self, data: &[u8]) -> Option<Vec<usize>> {
        match self {
            Prefilter::Path(p) => Some(p.candidate_lines(data)),
            Prefilter::Literal(f) => Some(lines_with(data, f.find_iter(data), |_, _| true)),
            Prefilter::FieldValues(f) => Some(f.candidate_lines(data)),
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
            let needle = format!("{key}\"");
            if !keys.contains(&needle) {
                keys.push(needle);
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

    fn candidate_lines(&self, data: &[u8]) -> Vec<usize> {
        let mut starts = Vec::new();
        for key in &self.keys {
            let after = key.needle().len();
            let hits = key.find_iter(data);
            starts.extend(lines_with(data, hits, |_, hit| {
                self.holds_value(&data[hit + after..])
            }));
        }
        starts.sort_unstable();
        starts.dedup();
        starts
    }

    /// `rest` follows a key's closing quote: `: "value"` with any spacing.
    fn holds_value(&self, rest: &[u8]) -> bool {
        fn blanks_skipped(s: &[u8]) -> &[u8] {
            let n = s.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
            &s[n..]
        }
        let Some(value) = blanks_skipped(rest)
            .strip_prefix(b":")
            .and_then(|s| blanks_skipped(s).strip_prefix(b"\""))
        else {
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
    /// Strings and identities shared by all blocks of the scan.
    pub shared: Shared,
}

/// The result of scanning one block. Line numbers are relative to the
/// block's first line (1-based) until the caller adds the block's offset.
#[derive(Default)]
pub struct BlockOut {
    /// Lines in the block, blank ones included (for numbering).
    pub lines: u64,
    /// Non-blank lines: one audit entry each.
    pub events: u64,
    pub entries: Vec<Entry>,
    /// (line, reason) for lines that could not be used.
    pub malformed: Vec<(u64, String)>,
    /// Some line holds raw (un-HMAC'd) tokens.
    pub raw_values: bool,
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
    }
}

/// Scans `data`, which holds whole lines (the last may lack its newline).
pub fn scan_block(data: &[u8], plan: &Plan<'_>, file: u32) -> BlockOut {
    let mut out = BlockOut::default();
    let mut interner = Interner::default();
    let candidates = plan.prefilter.candidate_lines(data);
    let mut next_candidate = 0;
    let mut start = 0;
    while start < data.len() {
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
        out.lines += 1;
        let line = &data[start..end];
        let wanted = match &candidates {
            None => true,
            Some(c) => {
                let hit = c.get(next_candidate) == Some(&start);
                next_candidate += usize::from(hit);
                hit
            }
        };
        let trimmed = line.trim_ascii_end();
        if !trimmed.trim_ascii_start().is_empty() {
            out.events += 1;
            let origin = Origin {
                file,
                line: out.lines,
            };
            if wanted {
                parse_into(line, origin, plan, &mut interner, &mut out);
            } else if trimmed.last() != Some(&b'}') {
                // A cut-off write (crash, disk full, a copy taken mid-write)
                // never ends in `}`; this is cheap enough to check everywhere.
                out.malformed
                    .push((origin.line, "truncated line (does not end with '}')".into()));
            }
        }
        start = end + 1;
    }
    interner.share(&plan.shared, &mut out.entries);
    out
}

fn parse_into(
    line: &[u8],
    origin: Origin,
    plan: &Plan<'_>,
    interner: &mut Interner,
    out: &mut BlockOut,
) {
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => {
            out.malformed.push((
                origin.line,
                format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
            ));
            return;
        }
    };
    match vault::parse_line(text) {
        Ok(Parsed::ValueRead(read)) => {
            out.raw_values |= read.raw_values;
            if plan.filter.accepts(&read) {
                out.entries.push(interner.entry(*read, origin));
            }
        }
        Ok(Parsed::Other) => {}
        Err(e) => out.malformed.push((origin.line, e.to_string())),
    }
}

/// Shares repeated strings within a block: a busy identity or secret shows
/// up thousands of times, and each copy would otherwise be its own allocation.
#[derive(Default)]
struct Interner {
    strings: HashSet<Arc<str>>,
    /// Each id's versions (see `identity`).
    identities: HashMap<String, Vec<Arc<Identity>>>,
}

/// Strings and identities shared across the blocks of one scan. Each block
/// interns on its own (no lock while scanning) and, once done, swaps its
/// copies for the shared ones under one lock: otherwise every block would
/// keep its own copy of every identity, metadata and all (hundreds of MB
/// on a broad query over a few GB). Only equal values are merged, so which
/// block comes first changes nothing in the output.
#[derive(Default)]
pub struct Shared {
    strings: Mutex<HashSet<Arc<str>>>,
    identities: Mutex<HashSet<Arc<Identity>>>,
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

    /// Replaces this block's strings and identities in `entries` by the
    /// scan-wide ones.
    fn share(self, shared: &Shared, entries: &mut [Entry]) {
        if entries.is_empty() {
            return;
        }
        let strings: HashMap<*const u8, Arc<str>> = {
            let mut global = shared.strings.lock().unwrap_or_else(|e| e.into_inner());
            self.strings
                .into_iter()
                .map(|s| (s.as_ptr(), adopt(&mut global, s)))
                .collect()
        };
        let identities: HashMap<*const Identity, Arc<Identity>> = {
            let mut global = shared.identities.lock().unwrap_or_else(|e| e.into_inner());
            self.identities
                .into_values()
                .flatten()
                .map(|i| (Arc::as_ptr(&i), adopt(&mut global, i)))
                .collect()
        };
        let swap = |s: &mut Arc<str>| {
            if let Some(g) = strings.get(&s.as_ptr()) {
                *s = g.clone();
            }
        };
        for e in entries {
            if let Some(g) = identities.get(&Arc::as_ptr(&e.identity)) {
                e.identity = g.clone();
            }
            swap(&mut e.secret);
            e.logical.iter_mut().for_each(swap);
            e.credential.iter_mut().for_each(swap);
            e.source_address.iter_mut().for_each(swap);
        }
    }

    /// The identity as this line describes it. One id can come with other
    /// metadata on other lines (a new token, a changed role): each version
    /// is kept, so a report shows the one seen at the access it describes.
    fn identity(&mut self, read: &ValueRead<'_>) -> Arc<Identity> {
        let versions = self
            .identities
            .entry(read.identity_id.to_string())
            .or_default();
        let same = |i: &&Arc<Identity>| {
            i.label == read.display_name
                && i.policies.iter().eq(read.policies.iter())
                && i.metadata.len() == read.metadata.len()
                && i.metadata
                    .iter()
                    .zip(&read.metadata)
                    .all(|((k, v), (rk, rv))| k == rk && v == rv)
        };
        if let Some(found) = versions.iter().find(same) {
            return found.clone();
        }
        let identity = Arc::new(Identity {
            id: read.identity_id.to_string(),
            id_source: read.id_source,
            label: read.display_name.to_string(),
            provider: Provider::Vault,
            metadata: read
                .metadata
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            policies: read.policies.iter().map(|p| p.to_string()).collect(),
        });
        versions.push(identity.clone());
        identity
    }

    fn entry(&mut self, read: ValueRead<'_>, origin: Origin) -> Entry {
        let identity = self.identity(&read);
        Entry {
            key: RequestKey::from_id(&read.request_id, origin),
            stage: read.stage,
            time: read.time,
            error: read.error,
            secret: self.string(&read.logged),
            logical: read.logical.as_deref().map(|l| self.string(l)),
            identity,
            credential: read.credential.as_deref().map(|c| self.string(c)),
            source_address: read.source_address.as_deref().map(|a| self.string(a)),
            origin,
        }
    }
}

/// The shared copy of `value`, which becomes it when there is none yet.
fn adopt<T: ?Sized + Eq + std::hash::Hash>(set: &mut HashSet<Arc<T>>, value: Arc<T>) -> Arc<T> {
    match set.get(&value) {
        Some(found) => found.clone(),
        None => {
            set.insert(value.clone());
            value
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const READ: &str = r#"{"time":"2025-03-15T02:34:12.847Z","type":"response","auth":{"accessor":"hmac-sha256:acc","display_name":"deploy-bot","entity_id":"e1"},"request":{"id":"11111111-2222-3333-4444-555555555555","operation":"read","mount_point":"secret/","path":"secret/data/production/db","remote_address":"10.0.1.42"},"response":{"data":{"data":{"password":"hunter2"}}}}"#;

    fn exact(q: &str) -> SecretQuery {
        SecretQuery::Exact(q.into())
    }

    #[test]
    fn finds_the_read_and_flags_cut_lines() {
        let q = exact("secret/production/db");
        let plan = Plan {
            prefilter: Prefilter::Path(Box::new(q.prefilter().unwrap())),
            filter: LineFilter::Secret(&q),
            shared: Shared::default(),
        };
        let data = format!("{READ}\n\n{{\"time\":\"2025-03-15T02:34:13Z\",\"type\":\"requ\n{READ}");
        let out = scan_block(data.as_bytes(), &plan, 0);
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
        let plan = Plan {
            prefilter: Prefilter::Everything,
            filter: LineFilter::Secret(&q),
            shared: Shared::default(),
        };
        let mut data = format!("{READ}\n").into_bytes();
        data.extend_from_slice(b"{\"type\":\"request\",\"x\":\"\xff\"}\n");
        let out = scan_block(&data, &plan, 0);
        assert_eq!(out.entries.len(), 1);
        assert_eq!(out.malformed.len(), 1);
        assert_eq!(out.malformed[0].0, 2);
        assert!(out.malformed[0].1.contains("UTF-8"));
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
        let starts = Prefilter::FieldValues(f)
            .candidate_lines(data.as_bytes())
            .unwrap();
        let lines: Vec<usize> = starts
            .iter()
            .map(|s| data[..*s].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![2, 3, 4]);
    }

    #[test]
    fn literal_needles_select_whole_lines_once() {
        let p = Prefilter::literal("\"read\"");
        let data = b"{\"a\":\"read\",\"b\":\"read\"}\n{\"a\":\"list\"}\n{\"a\":\"read\"}";
        assert_eq!(p.candidate_lines(data), Some(vec![0, data.len() - 12]));
    }
}
