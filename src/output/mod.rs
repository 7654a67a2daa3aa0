//! Renders reports: a table for people, JSON or NDJSON for programs. The
//! format is what the user asked for; a terminal only sets the width.

pub(crate) mod compact;
pub(crate) mod coverage;
pub(crate) mod findings;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod sanitize;
pub(crate) mod table;
pub(crate) mod timeline;

use std::io::{self, Write};

use crate::query::report::{BlastRadiusReport, WhoReadReport};
use crate::query::suspicious::SuspiciousReport;
use crate::query::timeline::TimelineReport;

/// What to print: `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Ndjson,
}

/// How to print.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub format: Format,
    /// Terminal width when standard output is one; tables wrap to it.
    pub width: Option<u16>,
    /// Colour outcomes in tables (`--color`).
    pub color: bool,
    /// Full tables, not fitted to the width (`--wide`).
    pub wide: bool,
}

impl Style {
    /// Where tables are drawn.
    pub(crate) fn fit(self) -> compact::Fit {
        compact::Fit {
            width: self.width,
            wide: self.wide,
        }
    }
}

pub(crate) fn who_read(
    report: &WhoReadReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    table::colour(style.color);
    match style.format {
        Format::Table => table::who_read(report, style.fit(), out),
        Format::Json => json::document(report, out),
        Format::Ndjson => json::lines(&report.readers, out),
    }
}

pub(crate) fn coverage(
    report: &crate::query::coverage::CoverageReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match style.format {
        Format::Table => coverage::table(report, style.fit(), out),
        Format::Json => json::document(report, out),
        Format::Ndjson => json::lines(&report.findings, out),
    }
}

pub(crate) fn exposures(
    report: &crate::query::exposures::ExposuresReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match style.format {
        Format::Table => table::exposures(report, style.fit(), out),
        Format::Json => json::document(report, out),
        Format::Ndjson => json::lines(&report.exposures, out),
    }
}

pub(crate) fn trace(
    report: &crate::query::trace::TraceReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    table::colour(style.color);
    match style.format {
        Format::Table => table::trace(report, style.fit(), out),
        Format::Json => json::document(report, out),
        Format::Ndjson => json::lines(&report.sites, out),
    }
}

pub(crate) fn blast_radius(
    report: &BlastRadiusReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    table::colour(style.color);
    match style.format {
        Format::Table => table::blast_radius(report, style.fit(), out),
        Format::Json => json::document(report, out),
        Format::Ndjson => {
            json::lines(&report.rotate, out)?;
            let investigate: Vec<json::Tagged<'_, _>> = report
                .investigate
                .iter()
                .map(|item| json::Tagged {
                    kind: "investigate",
                    item,
                })
                .collect();
            json::lines(&investigate, out)
        }
    }
}

pub(crate) fn timeline(
    report: &TimelineReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match style.format {
        Format::Table => timeline::text(report, out),
        Format::Json => json::document(report, out),
        Format::Ndjson => json::lines(&report.events, out),
    }
}

pub(crate) fn suspicious(
    report: &SuspiciousReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    table::colour(style.color);
    match style.format {
        Format::Table => findings::suspicious(report, style.fit(), out),
        Format::Json => json::document(report, out),
        Format::Ndjson => json::lines(&report.findings, out),
    }
}
