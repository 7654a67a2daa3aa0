//! What the fuzz targets in `fuzz/` call (feature `fuzzing`, never in a
//! release build): each entry takes arbitrary bytes the way a run takes a
//! file, a stream or an argument, drives the same code a run does, and
//! must return without panicking whatever the bytes are. Results are
//! thrown away; where an answer has a property that must hold (a value's
//! end lies inside the data, a time prints as it parses), it is asserted.

use std::io::{Cursor, Read};

use crate::pipeline::{self, Progress};
use crate::scan::{Options, Plan};
use crate::source::Source;

struct Quiet;

impl Progress for Quiet {
    fn advance(&self, _bytes: u64) {}
}

/// Which store the first byte forces (`--source`): none for 0, so a log
/// file behind a NUL is read as a run reads it; otherwise the rest is read
/// as that store's records whatever it looks like.
fn forced(selector: u8) -> Option<Source> {
    let store = usize::from(selector.checked_sub(1)?);
    Some(Source::ALL[store % Source::ALL.len()])
}

/// The plans that read every record: for events (what an index keeps and
/// every question filters), for the trail (`coverage`) and for what it
/// holds in clear (`exposures`).
fn plans(options: Options) -> [Plan<'static>; 3] {
    [
        Plan::everything(options),
        Plan::covering(options),
        Plan::exposing(options),
    ]
}

/// A log file, mapped: told apart by its start (lines, a document, a CSV,
/// Parquet) and scanned whole, then its events paired into accesses.
/// The first byte picks a `--source` (or none).
pub fn file(data: &[u8]) {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let options = Options {
        forced: forced(selector),
        ..Options::default()
    };
    for plan in plans(options) {
        let mut problems = Vec::new();
        let (out, _) = pipeline::scan_mapped(data, 0, &plan, &Quiet, &mut problems);
        settle(out);
    }
}

/// The same bytes as standard input or a pipe: read block by block
/// (inflated first when they start as gzip does).
pub fn stream(data: &[u8]) {
    for plan in plans(Options::default()) {
        let reader: Box<dyn Read + Send> = Box::new(Cursor::new(data));
        let Ok(crate::input::Opened::Stream { reader, compressed }) =
            crate::input::open_stream(reader)
        else {
            return;
        };
        let mut problems = Vec::new();
        let (out, _) = pipeline::scan_stream(reader, compressed, 0, &plan, &mut problems);
        settle(out);
    }
}

/// Bytes inflated as a gzip file is, whatever their start, then scanned.
pub fn gzip(data: &[u8]) {
    let reader = crate::input::gunzip(Box::new(Cursor::new(data)));
    let plan = Plan::everything(Options::default());
    let mut problems = Vec::new();
    let (out, _) = pipeline::scan_stream(reader, true, 0, &plan, &mut problems);
    settle(out);
}

/// The JSON structural splitter on its own (where each value, array
/// element and member ends), then a document's records scanned.
pub fn json(data: &[u8]) {
    let keys = crate::envelope::container_keys();
    if let Ok(end) = crate::json::value_end(data, 0) {
        assert!(end <= data.len(), "a value ends past the data");
    }
    if let crate::json::Shape::Array { open, nesting } = crate::json::shape(data, 0, keys) {
        assert!(open < data.len());
        if let Ok(after) = crate::json::elements(data, open, |start, end| {
            assert!(start < end && end <= data.len(), "an element out of bounds");
        }) {
            let _ = crate::json::container_end(data, after, nesting);
        }
    }
    let _ = crate::json::members(data, 0, |_, start, end| {
        assert!(start <= end && end <= data.len(), "a member out of bounds");
    });
    let plan = Plan::everything(Options::default());
    settle(crate::scan::scan_documents(
        data,
        &plan,
        0,
        Default::default(),
    ));
}

/// A log's timestamp, and a `--since`/`--until` bound or span as typed.
pub fn time(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(t) = crate::time::parse_log_time(text) {
        // Printed as RFC 3339, a time parses back to itself.
        assert_eq!(crate::time::parse_log_time(&t.rfc3339()), Some(t));
    }
    let _ = crate::time::parse_utc_log_time(text);
    let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
    let _ = crate::time::parse_bound(text, now);
    let _ = crate::time::parse_span(text);
}

/// A question as typed: the secret (exact, or `--regex`), and a whole
/// command line (NUL-separated arguments) parsed as clap parses it, not run.
pub fn query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (_, name) = crate::matcher::split_provider(&text);
    let every = crate::event::Provider::ALL;
    // How the query is spelled in each store, and the bytes a line must
    // hold to be parsed at all.
    let _ = crate::matcher::SecretQuery::exact(name, &every).prefilter();
    if let Ok(regex) = crate::matcher::SecretQuery::regex(&text, &every) {
        let _ = regex.prefilter();
    }
    let args = std::iter::once("whosaw").chain(text.split('\0'));
    let _ = crate::cli::Cli::try_parse_args(args);
    let _ = crate::config::ConfigFile::from_toml(&text, "fuzz.toml");
}

/// Pairs a scan's events into accesses and tells each identity's reads,
/// as every question does after its scan.
fn settle(out: crate::scan::BlockOut) {
    let accesses = crate::query::access::pair(out.entries);
    let _ = crate::query::access::standings(&accesses);
}
