//! The timeline as aligned text, one line per event.

use std::io::{self, Write};

use super::sanitize::cell;
use super::table::closing;
use crate::event::Outcome;
use crate::query::timeline::TimelineReport;

/// Widest a timeline column is padded to; longer values stay whole.
const TIMELINE_PAD: usize = 48;

/// One aligned line per event, oldest first: a grid would be slow and
/// unreadable at a million events, and lines can be grepped.
pub(crate) fn text(report: &TimelineReport, out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "time (UTC)",
        "store",
        "action",
        "outcome",
        "identity",
        "secret",
        "env",
        "source",
        "evidence",
    ];
    let rows: Vec<[String; 9]> = report
        .events
        .iter()
        .map(|e| {
            let outcome = match &e.reason {
                Some(reason) if e.outcome != Outcome::Success => {
                    format!("{} ({reason})", e.outcome)
                }
                _ => e.outcome.to_string(),
            };
            let action = match e.operation.as_str() {
                op if op == e.action.as_str() => e.action.to_string(),
                op => format!("{} ({op})", e.action),
            };
            let evidence = e.place.cited();
            [
                e.time.to_string(),
                e.provider.to_string(),
                action,
                outcome,
                e.identity.clone(),
                e.secret.clone().unwrap_or_else(|| "-".into()),
                e.environment.clone().unwrap_or_else(|| "-".into()),
                e.source_address.clone().unwrap_or_else(|| "-".into()),
                evidence,
            ]
            .map(|text| cell(&text).replace(['\n', '\r'], " "))
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count().min(TIMELINE_PAD));
        }
    }
    let line = |cells: &[&str], out: &mut dyn Write| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let pad = w.saturating_sub(cell.chars().count());
                text.push_str(cell);
                text.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(&header, out)?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&cells, out)?;
    }
    let plural = |n: usize| if n == 1 { "event" } else { "events" };
    writeln!(
        out,
        "{} {}",
        report.events.len(),
        plural(report.events.len())
    )?;
    closing(&report.stats, &report.coverage, out)
}
