//! Tables for a responder: one row per identity (who-read) or a numbered
//! checklist (blast-radius). Every string from the log is escaped first.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::compact::{self, Column, Fit, Row};
use super::sanitize::{cell, sentence};
use crate::event::{ReadKind, Scope, Timestamp};
use crate::query::report::{BlastRadiusReport, QueryEcho, RotateItem, Stats, WhoReadReport};

/// Metadata keys that tell apart identities sharing a display name (every
/// AppRole login is `approle`), in the order they are shown.
const DISTINGUISHING: [&str; 4] = ["role_name", "role", "username", "email"];

/// Table width when standard output is not a terminal.
const PIPE_WIDTH: u16 = 200;

/// Whether tables colour outcomes this run (`--color`; set once, before
/// anything is printed).
static COLOUR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(super) fn colour(on: bool) {
    COLOUR.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Whether tables colour this run (`--color`).
pub(super) fn colouring() -> bool {
    COLOUR.load(std::sync::atomic::Ordering::Relaxed)
}

/// A count cell, coloured when it is not zero and colour is on.
fn painted(n: u64, colour: comfy_table::Color) -> Cell {
    match n > 0 && COLOUR.load(std::sync::atomic::Ordering::Relaxed) {
        true => Cell::new(n).fg(colour),
        false => Cell::new(n),
    }
}

pub(super) fn new_table(width: Option<u16>, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    // Styling (colour) only when asked for; the layout never depends on
    // the terminal, only the width does.
    match COLOUR.load(std::sync::atomic::Ordering::Relaxed) {
        true => {
            t.enforce_styling();
        }
        false => {
            t.force_no_tty();
        }
    }
    // Not a terminal (a file, a pager, a ticket): wrap at a width that still
    // reads well, rather than letting long hints make 400-column lines.
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width.unwrap_or(PIPE_WIDTH));
    t.set_header(header.iter().map(Cell::new));
    t
}

/// Keeps the times of `columns` on one line when the table is wide enough
/// (as wide as a pipe's): times keep every fractional digit their log wrote
/// (up to 30 characters), and one cut in two is easy to misread.
fn keep_times_whole(
    t: &mut Table,
    width: Option<u16>,
    columns: &[usize],
    times: impl Iterator<Item = Timestamp>,
) {
    if width.unwrap_or(PIPE_WIDTH) < PIPE_WIDTH {
        return;
    }
    // Widths count the cell padding, one space each side.
    let longest = times.map(|t| t.to_string().len()).max().unwrap_or(0) + 2;
    let Ok(longest) = u16::try_from(longest) else {
        return;
    };
    for &c in columns {
        if let Some(column) = t.column_mut(c) {
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(longest)));
        }
    }
}

/// `approle (role_name=payments-api)`: the label and what distinguishes it.
fn identity_label(label: &str, metadata: &BTreeMap<String, String>) -> String {
    let mut text = if label.is_empty() {
        "(no display name)".to_string()
    } else {
        cell(label).into_owned()
    };
    let mut extra: Vec<String> = Vec::new();
    // A Kubernetes service account, as `kubectl` names it.
    if let Some(sa) = metadata.get("service_account_name") {
        let ns = metadata
            .get("service_account_namespace")
            .map_or("?", String::as_str);
        extra.push(format!("sa={}/{}", cell(ns), cell(sa)));
    }
    extra.extend(
        DISTINGUISHING
            .iter()
            .filter_map(|k| metadata.get(*k).map(|v| format!("{k}={}", cell(v)))),
    );
    if !extra.is_empty() {
        text.push_str(&format!(" ({})", extra.join(", ")));
    }
    text
}

pub(super) fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| cell(s).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn heading(command: &str, q: &QueryEcho, out: &mut dyn Write) -> io::Result<()> {
    let what = if q.regex {
        format!("secrets matching /{}/", cell(&q.secret))
    } else {
        cell(&q.secret).into_owned()
    };
    writeln!(out, "{command} {what}")?;
    window(q.since, q.until, out)
}

/// The window line every heading carries.
pub(super) fn window(
    since: Option<crate::event::Timestamp>,
    until: Option<crate::event::Timestamp>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let since = since.map_or("the beginning".into(), |t| t.to_string());
    let until = until.map_or("the end".into(), |t| t.to_string());
    writeln!(out, "window: {since} ≤ t < {until} (UTC)")
}

/// The footer of a question's answer: first, when the trail was off during
/// its window, that the answer is partial and why (see `coverage`).
pub(super) fn closing(
    stats: &Stats,
    coverage: &crate::query::coverage::WindowCoverage,
    out: &mut dyn Write,
) -> io::Result<()> {
    for p in &coverage.off_periods {
        writeln!(
            out,
            "PARTIAL: the trail was off during the window ({}); what happened then is not in these logs",
            off_period(p)
        )?;
    }
    footer(stats, out)
}

/// An off period as the table and the warning on standard error tell it:
/// `vault: file from T until T: why`, its log-borne parts escaped and cut.
pub(crate) fn off_period(p: &crate::query::coverage::OffPeriod) -> String {
    let until = p
        .until
        .map_or("the end of the input".into(), |u| u.to_string());
    format!(
        "{}: {} from {} until {until}: {}",
        p.store,
        cell(&p.target),
        p.from,
        sentence(&p.why)
    )
}

pub(super) fn footer(stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    // Files that could not be read, or were no audit log, were not scanned.
    let scanned = stats.files.saturating_sub(stats.skipped_files);
    let files = match stats.skipped_files {
        0 => plural(scanned, "file", "files"),
        _ => format!("{scanned} of {}", plural(stats.files, "file", "files")),
    };
    write!(
        out,
        "scanned {files}, {}",
        plural(stats.events, "event", "events")
    )?;
    if stats.malformed_lines + stats.skipped_files + stats.incomplete_files > 0 {
        write!(
            out,
            "; PARTIAL: {}, {} skipped, {} incomplete (see warnings)",
            plural(stats.malformed_lines, "malformed line", "malformed lines"),
            plural(stats.skipped_files, "file", "files"),
            plural(stats.incomplete_files, "file", "files")
        )?;
    }
    writeln!(out)
}

/// Successful reads, and beside them what is not a plain read of the one
/// secret: wide reads (included), undecrypted reads and batches by filter
/// that may have read it (not included).
fn reads_cell(r: &crate::query::report::ReaderOut) -> String {
    let mut text = r.successful_reads.to_string();
    for (n, what) in [
        (r.wide_reads, "wide"),
        (r.undecrypted_reads, "+undecrypted"),
        (r.possible_reads, "may have read"),
    ] {
        if n > 0 {
            text.push_str(&format!("\n({n} {what})"));
        }
    }
    text
}

/// The readers' table, and the line that sums it up.
fn readers(
    readers: &[crate::query::report::ReaderOut],
    width: Option<u16>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut t = new_table(
        width,
        &[
            "store",
            "identity",
            "identity id",
            "reads",
            "denied",
            "no value",
            "errors",
            "unknown",
            "first seen",
            "last seen",
            "from",
        ],
    );
    for r in readers {
        t.add_row(vec![
            Cell::new(r.provider),
            Cell::new(identity_label(&r.identity, &r.metadata)),
            Cell::new(cell(&r.identity_id)),
            match r.successful_reads > 0 && COLOUR.load(std::sync::atomic::Ordering::Relaxed) {
                true => Cell::new(reads_cell(r)).fg(comfy_table::Color::Green),
                false => Cell::new(reads_cell(r)),
            },
            painted(r.denied_reads, comfy_table::Color::Red),
            Cell::new(r.not_found_reads + r.no_value_reads),
            painted(r.error_reads, comfy_table::Color::Red),
            painted(r.unknown_outcome, comfy_table::Color::Yellow),
            Cell::new(r.first_seen),
            Cell::new(r.last_seen),
            Cell::new(list(&r.source_addresses)),
        ]);
    }
    let times = readers.iter().flat_map(|r| [r.first_seen, r.last_seen]);
    keep_times_whole(&mut t, width, &[7, 8], times);
    writeln!(out, "{t}")?;
    readers_summary(readers, out)
}

/// The line that sums the readers' table up.
fn readers_summary(
    readers: &[crate::query::report::ReaderOut],
    out: &mut dyn Write,
) -> io::Result<()> {
    let sum = |f: fn(&crate::query::report::ReaderOut) -> u64| readers.iter().map(f).sum::<u64>();
    write!(
        out,
        "{}: {} successful reads, {} denied, {} no value, {} errors, {} unknown outcome",
        match readers.len() {
            1 => "1 identity".to_string(),
            n => format!("{n} identities"),
        },
        sum(|r| r.successful_reads),
        sum(|r| r.denied_reads),
        sum(|r| r.not_found_reads + r.no_value_reads),
        sum(|r| r.error_reads),
        sum(|r| r.unknown_outcome)
    )
}

/// What a fitted row says of one identity's attempts: a reader's, or one
/// to investigate.
struct Tally<'a> {
    label: String,
    store: crate::event::Provider,
    id: &'a str,
    /// Successful reads; `None` for those who got nothing.
    reads: Option<u64>,
    others: [(u64, &'static str); 7],
    seen: (Timestamp, Timestamp),
    busiest_address: Option<&'a str>,
    addresses: usize,
}

impl<'a> Tally<'a> {
    fn reader(r: &'a crate::query::report::ReaderOut) -> Tally<'a> {
        Tally {
            label: identity_label(&r.identity, &r.metadata),
            store: r.provider,
            id: &r.identity_id,
            reads: Some(r.successful_reads),
            others: [
                (r.wide_reads, "wide"),
                (r.undecrypted_reads, "undecrypted"),
                (r.possible_reads, "may have read"),
                (r.denied_reads, "denied"),
                (r.not_found_reads + r.no_value_reads, "no value"),
                (r.error_reads, "errors"),
                (r.unknown_outcome, "unknown"),
            ],
            seen: (r.first_seen, r.last_seen),
            busiest_address: r.busiest_address.as_deref(),
            addresses: r.source_addresses.len(),
        }
    }

    fn investigated(i: &'a crate::query::report::InvestigateItem) -> Tally<'a> {
        Tally {
            label: identity_label(&i.identity, &i.metadata),
            store: i.provider,
            id: &i.identity_id,
            reads: None,
            others: [
                (0, "wide"),
                (i.undecrypted_reads, "undecrypted"),
                (i.possible_reads, "may have read"),
                (i.denied_reads, "denied"),
                (i.not_found_reads + i.no_value_reads, "no value"),
                (i.error_reads, "errors"),
                (i.unknown_outcome, "unknown"),
            ],
            seen: (i.first_seen, i.last_seen),
            busiest_address: i.busiest_address.as_deref(),
            addresses: i.source_addresses.len(),
        }
    }

    fn count(&self, what: &str) -> u64 {
        self.others
            .iter()
            .find(|(_, w)| *w == what)
            .map_or(0, |(n, _)| *n)
    }
}

/// Identities fitted to the width: one row of up to three lines each (the
/// label, then store and id; the outcomes; first and last seen; the
/// address most accesses came from and how many others).
fn compact_tallies(tallies: Vec<Tally<'_>>, fit: Fit) -> comfy_table::Table {
    use comfy_table::Color;
    let columns = [
        Column::cut("identity", 16, usize::MAX),
        Column::whole("outcomes"),
        Column::whole("first / last seen (UTC)"),
        // An IPv4 address whole; longer ones (IPv6, service names) cut.
        Column::cut("from", 15, 24),
    ];
    let colour = COLOUR.load(std::sync::atomic::Ordering::Relaxed);
    let rows = tallies.iter().map(|t| {
        let mut outcomes: Vec<String> = Vec::new();
        if let Some(n) = t.reads {
            outcomes.push(format!("{n} read{}", plural_s(n)));
        }
        outcomes.extend(
            t.others
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| match *what {
                    // Counted among the reads above.
                    "wide" => format!("({n} wide)"),
                    what => format!("{n} {what}"),
                }),
        );
        // Three lines at most: the rest share the last.
        if outcomes.len() > 3 {
            let rest = outcomes.split_off(2).join(", ");
            outcomes.push(rest);
        }
        // The gravest outcome sets the colour: a value that left the store.
        let paint = colour.then(|| {
            if t.reads.unwrap_or(0) > 0 {
                Color::Green
            } else if t.count("denied") + t.count("errors") > 0 {
                Color::Red
            } else {
                Color::Yellow
            }
        });
        let from = match (t.busiest_address, t.addresses) {
            (None, _) => "-".to_string(),
            (Some(a), 1) => cell(a).into_owned(),
            (Some(a), n) => format!("{}\n+{} more", cell(a), n - 1),
        };
        Row::default()
            .text(format!("{}\n{}: {}", t.label, t.store, cell(t.id)))
            .painted(outcomes.join("\n"), paint)
            .text(format!("{}\n{}", t.seen.0, t.seen.1))
            .text(from)
    });
    compact::table(fit, &columns, rows.collect())
}

/// The readers' table, fitted to the width, and the line that sums it up.
fn compact_readers(
    readers: &[crate::query::report::ReaderOut],
    fit: Fit,
    out: &mut dyn Write,
) -> io::Result<()> {
    let t = compact_tallies(readers.iter().map(Tally::reader).collect(), fit);
    writeln!(out, "{t}")?;
    readers_summary(readers, out)
}

fn plural_s(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `exposures`: one row per secret and kind in clear.
pub(crate) fn exposures(
    report: &crate::query::exposures::ExposuresReport,
    fit: Fit,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "what the logs hold in clear (by name, never by value)")?;
    window(report.since, report.until, out)?;
    if report.exposures.is_empty() {
        writeln!(out, "\nnothing: no record holds a value in clear")?;
        return footer(&report.stats, out);
    }
    let mut t = match fit.wide {
        true => compact::Grid::new(
            fit,
            &[
                "severity",
                "kind",
                "store",
                "secret",
                "records",
                "first seen",
                "last seen",
                "first evidence",
            ]
            .map(Column::whole),
        ),
        false => compact::Grid::new(
            fit,
            &[
                Column::whole("severity"),
                Column::whole("kind / store"),
                Column::cut("secret / first evidence", 16, usize::MAX),
                Column::whole("first / last seen (UTC)"),
            ],
        ),
    };
    for x in &report.exposures {
        let kind = serde_json::to_value(x.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let evidence = x
            .evidence
            .first()
            .map(|p| cell(&p.cited()).into_owned())
            .unwrap_or_default();
        t.add_row(match fit.wide {
            true => vec![
                Cell::new(x.severity),
                Cell::new(kind),
                Cell::new(x.provider),
                Cell::new(cell(&x.secret)),
                Cell::new(x.count),
                Cell::new(x.first_seen),
                Cell::new(x.last_seen),
                Cell::new(evidence),
            ],
            false => vec![
                Cell::new(format!(
                    "{}\n{} record{}",
                    x.severity,
                    x.count,
                    plural_s(x.count)
                )),
                Cell::new(format!("{kind}\n{}", x.provider)),
                Cell::new(format!("{}\n{evidence}", cell(&x.secret))),
                Cell::new(format!("{}\n{}", x.first_seen, x.last_seen)),
            ],
        });
    }
    let t = t.build();
    writeln!(out, "{t}")?;
    writeln!(
        out,
        "whoever can read these logs has these values: rotate them, and treat the logs as secrets"
    )?;
    footer(&report.stats, out)
}

/// `trace-value`: who received the value, then every place it sits.
pub(crate) fn trace(
    report: &crate::query::trace::TraceReport,
    fit: Fit,
    out: &mut dyn Write,
) -> io::Result<()> {
    let q = &report.query;
    let named = match (&q.hmac, &q.sha256) {
        (Some(hmac), _) => cell(hmac).into_owned(),
        (None, Some(sha256)) => format!("whose SHA-256 is {sha256}"),
        (None, None) => "read from standard input".to_string(),
    };
    writeln!(out, "who received the value {named}")?;
    window(q.since, q.until, out)?;
    if report.sites.is_empty() {
        writeln!(out, "\nno record in the window holds it")?;
        return footer(&report.stats, out);
    }
    if report.readers.is_empty() {
        writeln!(out, "\nno response returned it")?;
    } else {
        match fit.wide {
            true => readers(&report.readers, fit.width, out)?,
            false => compact_readers(&report.readers, fit, out)?,
        }
        writeln!(out)?;
    }
    writeln!(out, "\nwhere it sits:")?;
    for s in &report.sites {
        let mut what = format!(
            "{}  {}  {} {}  {} ({})",
            s.time,
            cell(&s.site.member),
            cell(&s.operation),
            cell(&s.secret),
            cell(&s.identity),
            cell(&s.identity_id)
        );
        if let Some(lease) = &s.site.lease {
            what += &format!("  lease {}", cell(lease));
        }
        if let Some(version) = s.site.version {
            what += &format!("  version {version}");
        }
        writeln!(out, "{what}  {}", cell(&s.place.cited()))?;
    }
    footer(&report.stats, out)
}

pub(crate) fn who_read(report: &WhoReadReport, fit: Fit, out: &mut dyn Write) -> io::Result<()> {
    heading("who read", &report.query, out)?;
    if report.readers.is_empty() {
        writeln!(out, "\nno identity read it in the window")?;
        return closing(&report.stats, &report.coverage, out);
    }
    match fit.wide {
        true => readers(&report.readers, fit.width, out)?,
        false => compact_readers(&report.readers, fit, out)?,
    }
    let sum =
        |f: fn(&crate::query::report::ReaderOut) -> u64| report.readers.iter().map(f).sum::<u64>();
    let possible = sum(|r| r.possible_reads);
    if possible > 0 {
        write!(
            out,
            "; {possible} batch read{} by filter may have read it (not counted as reads)",
            if possible == 1 { "" } else { "s" }
        )?;
    }
    writeln!(out)?;
    if report.excluded_reads > 0 {
        writeln!(
            out,
            "{} wide read{} not counted: ended before the secret was created{}",
            report.excluded_reads,
            if report.excluded_reads == 1 { "" } else { "s" },
            if report.excluded.is_some() {
                " (below)"
            } else {
                " (--evidence lists them)"
            }
        )?;
    }
    for r in report.readers.iter().filter(|r| r.evidence.is_some()) {
        writeln!(
            out,
            "\nevidence for {}:",
            identity_label(&r.identity, &r.metadata)
        )?;
        for e in r.evidence.iter().flatten() {
            evidence_line(e, out)?;
        }
    }
    if let Some(excluded) = report.excluded.as_ref().filter(|x| !x.is_empty()) {
        writeln!(out, "\nnot counted:")?;
        for x in excluded {
            evidence_line(&x.evidence, out)?;
            writeln!(
                out,
                "    by {} ({}): {}",
                cell(&x.identity),
                cell(&x.identity_id),
                sentence(&x.reason)
            )?;
        }
    }
    closing(&report.stats, &report.coverage, out)
}

fn evidence_line(e: &crate::query::report::Evidence, out: &mut dyn Write) -> io::Result<()> {
    let place = &e.place;
    let mut record = place.record.map(|i| format!("#{i}")).unwrap_or_default();
    if let Some(id) = &place.export_id {
        record += &format!(" [{}]", cell(id));
    }
    writeln!(
        out,
        "  {}:{}{record}  {}  {:<9}  {} {} {}{}  request {}",
        cell(&place.file),
        place.line,
        e.time,
        e.outcome,
        e.provider,
        cell(&e.operation),
        cell(&e.secret),
        match (e.scope, e.kind.map_or("none", ReadKind::as_str)) {
            (Scope::One, "value") => String::new(),
            (Scope::One, kind) => format!(" ({kind})"),
            (scope, "value") => format!(" (wide: {scope})"),
            (scope, kind) => format!(" ({kind}, {scope})"),
        },
        cell(e.request_id.as_deref().unwrap_or("-"))
    )
}

/// Reads that may have exposed the value, though the log cannot prove it:
/// batches by filter (with the filter) and SSM reads without decryption.
fn may_have_read(i: &crate::query::report::InvestigateItem) -> String {
    let mut parts = Vec::new();
    if i.possible_reads > 0 {
        let filters: Vec<String> = i
            .secrets
            .iter()
            .filter(|s| crate::event::is_filter_name(s))
            .map(|s| cell(s).into_owned())
            .collect();
        parts.push(format!("{} by {}", i.possible_reads, filters.join(", ")));
    }
    if i.undecrypted_reads > 0 {
        parts.push(format!("{} undecrypted", i.undecrypted_reads));
    }
    parts.join("\n")
}

/// A secret to rotate as the checklist tells it: what, the evidence, how;
/// `on_lines`: its parts on lines of their own (a table's cell), else run
/// on (a list item's line).
fn secret_to_rotate(
    s: &crate::query::report::SecretItem,
    on_lines: bool,
) -> (String, String, String) {
    let mut what = format!("secret {}", cell(&s.target));
    if let Some(store) = s.provider {
        what.push_str(&format!(" ({store})"));
    }
    if !s.via.is_empty() {
        let via = list(&s.via).replace('\n', ", ");
        what.push_str(&format!("{}via {via}", if on_lines { "\n" } else { " " }));
    }
    let when = match (&s.evidence.first_seen, &s.evidence.last_seen) {
        (Some(f), Some(l)) if on_lines => format!("\n{f}\n– {l}"),
        (Some(f), Some(l)) => format!(" ({f} – {l})"),
        _ => String::new(),
    };
    (
        what,
        format!("{}{when}", s.reason),
        sentence(&s.hint).into_owned(),
    )
}

/// The rotation checklist in full (`--wide`).
fn rotate_table(report: &BlastRadiusReport, width: Option<u16>) -> comfy_table::Table {
    let mut t = new_table(width, &["#", "done", "what", "evidence", "how"]);
    // Keep an HMAC'd accessor (76 characters) on one line, so it can be
    // copied, when there is room; evidence needs no more than a timestamp.
    if width.unwrap_or(PIPE_WIDTH) >= 150 {
        t.set_constraints(vec![
            ColumnConstraint::ContentWidth,
            ColumnConstraint::ContentWidth,
            ColumnConstraint::LowerBoundary(Width::Fixed(78)),
            ColumnConstraint::UpperBoundary(Width::Fixed(34)),
            ColumnConstraint::LowerBoundary(Width::Fixed(30)),
        ]);
    }
    for (n, item) in report.rotate.iter().enumerate() {
        let (what, evidence, how) = match item {
            RotateItem::Secret(s) => secret_to_rotate(s, true),
            RotateItem::Credential(c) => {
                let mut what = format!(
                    "credentials of {}\nid {}",
                    identity_label(&c.identity, &c.metadata),
                    cell(&c.identity_id)
                );
                if !c.credentials.is_empty() {
                    what.push_str(&format!("\naccessors:\n{}", list(&c.credentials)));
                }
                let evidence = format!(
                    "{} read{}\n{}\n– {}\nfrom {}",
                    c.evidence.successful_reads,
                    if c.evidence.successful_reads == 1 {
                        ""
                    } else {
                        "s"
                    },
                    c.evidence.first_seen,
                    c.evidence.last_seen,
                    list(&c.evidence.source_addresses).replace('\n', ", ")
                );
                (what, evidence, sentence(&c.hint).into_owned())
            }
        };
        t.add_row(vec![
            Cell::new(n + 1),
            Cell::new("[ ]"),
            Cell::new(what),
            Cell::new(evidence),
            Cell::new(how),
        ]);
    }
    t
}

/// The rotation checklist fitted to the width, as a list: each item's
/// first line says what to rotate, its second the evidence, then how,
/// wrapped (never cut: it is what to do).
fn compact_rotate(report: &BlastRadiusReport, fit: Fit) -> String {
    let width = fit.columns();
    let indent = "      ";
    let room = width.saturating_sub(indent.len()).max(20);
    let mut text = String::new();
    for (n, item) in report.rotate.iter().enumerate() {
        let (what, evidence, how) = match item {
            RotateItem::Secret(s) => secret_to_rotate(s, false),
            RotateItem::Credential(c) => {
                let what = format!(
                    "credentials of {} ({}: {})",
                    identity_label(&c.identity, &c.metadata),
                    c.provider,
                    cell(&c.identity_id)
                );
                let e = &c.evidence;
                let accessors = match c.credentials.len() {
                    0 => String::new(),
                    1 => format!("; accessor {}", cell(&c.credentials[0])),
                    n => format!("; {n} accessors (--wide lists them)"),
                };
                let evidence = format!(
                    "{} read{} {} – {}{accessors}",
                    e.successful_reads,
                    plural_s(e.successful_reads),
                    e.first_seen,
                    e.last_seen
                );
                (what, evidence, sentence(&c.hint).into_owned())
            }
        };
        let number = format!("{:>2} [ ] ", n + 1);
        text.push_str(&number);
        text.push_str(&compact::middle_cut(
            &what,
            width.saturating_sub(number.len()).max(20),
        ));
        text.push('\n');
        for line in compact::wrap_words(&evidence, room, 2) {
            text.push_str(&format!("{indent}{line}\n"));
        }
        for (i, line) in compact::wrap_words(&how, room.saturating_sub(5).max(15), usize::MAX)
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "how: " } else { "     " };
            text.push_str(&format!("{indent}{lead}{line}\n"));
        }
    }
    text
}

/// Those who tried and got nothing, in full (`--wide`).
fn investigate_table(
    investigate: &[crate::query::report::InvestigateItem],
    width: Option<u16>,
) -> comfy_table::Table {
    let mut t = new_table(
        width,
        &[
            "identity",
            "identity id",
            "denied",
            "no value",
            "errors",
            "unknown",
            "may have read",
            "first seen",
            "last seen",
            "from",
        ],
    );
    for i in investigate {
        t.add_row(vec![
            Cell::new(identity_label(&i.identity, &i.metadata)),
            Cell::new(cell(&i.identity_id)),
            Cell::new(i.denied_reads),
            Cell::new(i.not_found_reads + i.no_value_reads),
            Cell::new(i.error_reads),
            Cell::new(i.unknown_outcome),
            Cell::new(may_have_read(i)),
            Cell::new(i.first_seen),
            Cell::new(i.last_seen),
            Cell::new(list(&i.source_addresses)),
        ]);
    }
    let times = investigate.iter().flat_map(|i| [i.first_seen, i.last_seen]);
    keep_times_whole(&mut t, width, &[5, 6], times);
    t
}

pub(crate) fn blast_radius(
    report: &BlastRadiusReport,
    fit: Fit,
    out: &mut dyn Write,
) -> io::Result<()> {
    let width = fit.width;
    heading("blast radius of", &report.query, out)?;
    writeln!(out, "\nROTATE — work through the list top to bottom")?;
    match fit.wide {
        true => writeln!(out, "{}", rotate_table(report, width))?,
        false => write!(out, "{}", compact_rotate(report, fit))?,
    }
    let count = |kind: &str, depth: u8| {
        report
            .rotate
            .iter()
            .filter(|item| match item {
                RotateItem::Secret(s) => kind == "secret" && s.depth == depth,
                RotateItem::Credential(_) => kind == "credential",
            })
            .count()
    };
    write!(
        out,
        "{} to rotate: {} secret(s) asked about, {} credential(s)",
        report.rotate.len(),
        count("secret", 1),
        count("credential", 0)
    )?;
    if report.query.depth == Some(2) {
        write!(
            out,
            ", {} further secret(s) their readers retrieved",
            count("secret", 2)
        )?;
    }
    writeln!(out, "; {} to investigate", report.investigate.len())?;
    if !report.investigate.is_empty() {
        writeln!(
            out,
            "\nINVESTIGATE — tried, got nothing (as far as the log shows)"
        )?;
        let t = match fit.wide {
            true => investigate_table(&report.investigate, width),
            false => compact_tallies(
                report.investigate.iter().map(Tally::investigated).collect(),
                fit,
            ),
        };
        writeln!(out, "{t}")?;
    }
    closing(&report.stats, &report.coverage, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_show_distinguishing_metadata_escaped() {
        let meta: BTreeMap<String, String> = [
            ("role_name".to_string(), "ci\x1b[31m".to_string()),
            ("x".to_string(), "y".to_string()),
        ]
        .into();
        assert_eq!(
            identity_label("approle", &meta),
            "approle (role_name=ci\\x1b[31m)"
        );
        assert_eq!(identity_label("", &BTreeMap::new()), "(no display name)");
        let k8s: BTreeMap<String, String> = [
            ("role", "ci"),
            ("service_account_name", "runner"),
            ("service_account_namespace", "ci"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into();
        assert_eq!(
            identity_label("kubernetes-ci-runner", &k8s),
            "kubernetes-ci-runner (sa=ci/runner, role=ci)"
        );
    }
}
