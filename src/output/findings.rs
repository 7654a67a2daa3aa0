//! Tables for `suspicious` findings and `baseline show`.

use std::io::{self, Write};

use comfy_table::{Cell, ColumnConstraint, Width};

use super::sanitize::{cell, sentence};
use super::table::{closing, list, new_table};
use crate::query::baseline::Baseline;
use crate::query::suspicious::{Severity, SuspiciousReport};

/// Evidence lines shown per finding; JSON has them all.
const FINDING_EVIDENCE_SHOWN: usize = 5;
/// Secrets named per finding in the table.
const FINDING_SECRETS_SHOWN: usize = 3;

/// The findings in full (`--wide`).
fn findings_table(report: &SuspiciousReport, width: Option<u16>) -> comfy_table::Table {
    let mut t = new_table(
        width,
        &[
            "#",
            "severity",
            "rule",
            "identity",
            "secrets",
            "when (UTC)",
            "count",
            "from",
            "why",
        ],
    );
    for (i, f) in report.findings.iter().enumerate() {
        let mut secrets: Vec<String> = f
            .secrets
            .iter()
            .take(FINDING_SECRETS_SHOWN)
            .cloned()
            .collect();
        if f.secrets.len() > FINDING_SECRETS_SHOWN {
            secrets.push(format!(
                "… {} more",
                f.secrets.len() - FINDING_SECRETS_SHOWN
            ));
        }
        let when = match f.first == f.last {
            true => f.first.to_string(),
            false => format!("{}\n{}", f.first, f.last),
        };
        let severity = severity(f.severity);
        t.add_row(vec![
            Cell::new(i + 1),
            match severity_colour(f.severity) {
                Some(c) => Cell::new(severity).fg(c),
                None => Cell::new(severity),
            },
            Cell::new(format!("{}\n({})", f.rule, f.variant)),
            Cell::new(match &f.role {
                Some(role) => format!(
                    "{} ({})\n{}",
                    cell(&f.identity),
                    cell(role),
                    cell(&f.identity_id)
                ),
                None => format!("{}\n{}", cell(&f.identity), cell(&f.identity_id)),
            }),
            Cell::new(list(&secrets)),
            Cell::new(when),
            Cell::new(f.count),
            Cell::new(list(&f.source_addresses)),
            Cell::new(sentence(&f.explanation)),
        ]);
    }
    if let Some(col) = t.column_mut(8) {
        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(30)));
    }
    t
}

/// The findings fitted to the width: what was found and of whom, when,
/// how often, and why (the identities' ids, the secrets and addresses are
/// in `--wide` and the JSON).
fn compact_findings(report: &SuspiciousReport, fit: super::compact::Fit) -> comfy_table::Table {
    use super::compact::{Column, Row};
    let columns = [
        Column::whole("#"),
        Column::whole("severity"),
        Column::cut("finding", 14, 44),
        Column::whole("when (UTC)"),
        Column::whole("count"),
        // Why it was found is read whole: never cut.
        Column::whole_text("why", 24),
    ];
    let rows = report.findings.iter().enumerate().map(|(i, f)| {
        let identity = match &f.role {
            Some(role) => format!("{} ({})", cell(&f.identity), cell(role)),
            None => cell(&f.identity).into_owned(),
        };
        Row::default()
            .text((i + 1).to_string())
            .painted(severity(f.severity), severity_colour(f.severity))
            .text(format!("{}\n({})\n{identity}", f.rule, f.variant))
            .text(match f.first == f.last {
                true => f.first.to_string(),
                false => format!("{}\n{}", f.first, f.last),
            })
            .text(f.count.to_string())
            .text(sentence(&f.explanation))
    });
    super::compact::table(fit, &columns, rows.collect())
}

/// High findings red, medium yellow, when colour is on.
fn severity_colour(s: Severity) -> Option<comfy_table::Color> {
    match (super::table::colouring(), s) {
        (true, Severity::High) => Some(comfy_table::Color::Red),
        (true, Severity::Medium) => Some(comfy_table::Color::Yellow),
        _ => None,
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "HIGH",
        Severity::Medium => "medium",
        Severity::Low => "low",
    }
}

pub(crate) fn suspicious(
    report: &SuspiciousReport,
    fit: super::compact::Fit,
    out: &mut dyn Write,
) -> io::Result<()> {
    let width = fit.width;
    writeln!(out, "suspicious access")?;
    super::table::window(report.since, report.until, out)?;
    match &report.baseline {
        Some(b) => writeln!(out, "baseline: {}", cell(b))?,
        None => writeln!(out, "baseline: none")?,
    }
    for rule in report.rules.iter().filter(|r| !r.active) {
        let why = rule.why_not.as_deref().unwrap_or("inactive");
        writeln!(out, "rule {} not run: {why}", rule.rule)?;
    }
    if report.findings.is_empty() {
        writeln!(out, "\nNothing suspicious found.")?;
        return closing(&report.stats, &report.coverage, out);
    }
    let t = match fit.wide {
        true => findings_table(report, width),
        false => compact_findings(report, fit),
    };
    writeln!(out, "{t}")?;
    writeln!(out, "evidence (file:line):")?;
    for (i, f) in report.findings.iter().enumerate() {
        let shown: Vec<String> = f
            .evidence
            .iter()
            .take(FINDING_EVIDENCE_SHOWN)
            .map(|e| cell(&e.place.cited()).into_owned())
            .collect();
        let more = f.evidence.len().saturating_sub(FINDING_EVIDENCE_SHOWN);
        let more = match more {
            0 => String::new(),
            n => format!(" and {n} more (--format json lists all)"),
        };
        writeln!(out, "  #{}: {}{more}", i + 1, shown.join(", "))?;
    }
    closing(&report.stats, &report.coverage, out)
}

/// One character per count (an hour of the day here; a group of hours in
/// `coverage`'s sparkline): `·` none, then ▁ to █ by share of the busiest.
pub(super) fn hour_strip(hours: &[u64]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = hours.iter().copied().max().unwrap_or(0).max(1);
    hours
        .iter()
        .map(|&n| match n {
            0 => '·',
            n => LEVELS[((n * 8 - 1) / max).min(7) as usize],
        })
        .collect()
}

pub(crate) fn baseline(
    b: &Baseline,
    fit: super::compact::Fit,
    out: &mut dyn Write,
) -> io::Result<()> {
    let from = b.first_read.as_deref().unwrap_or("-");
    let to = b.last_read.as_deref().unwrap_or("-");
    writeln!(
        out,
        "baseline: {} successful reads by {} identities, {from} to {to} (UTC)",
        b.reads,
        b.identities.len()
    )?;
    let mut t = super::compact::Grid::new(
        fit,
        &[
            super::compact::Column::cut("identity", 16, 40),
            super::compact::Column::whole("store"),
            super::compact::Column::whole("reads"),
            super::compact::Column::whole("hours (UTC)\n00    06    12    18    "),
            super::compact::Column::whole("peak /h, /5m"),
            super::compact::Column::cut("environments", 12, 30),
            super::compact::Column::cut("networks", 12, 30),
            super::compact::Column::whole("secrets"),
        ],
    );
    for i in &b.identities {
        let envs: Vec<String> = i
            .environments
            .iter()
            .map(|(e, n)| format!("{e} {n}"))
            .collect();
        let label = match i.label == i.id || i.label.is_empty() {
            true => cell(&i.id).into_owned(),
            false => format!("{}\n{}", cell(&i.label), cell(&i.id)),
        };
        t.add_row(vec![
            Cell::new(label),
            Cell::new(cell(&i.provider)),
            Cell::new(i.reads),
            Cell::new(hour_strip(&i.hours)),
            Cell::new(format!(
                "{}, {}",
                i.peak_reads_per_hour, i.peak_reads_per_5m
            )),
            Cell::new(list(&envs)),
            Cell::new(list(&i.networks)),
            Cell::new(i.secrets.len()),
        ]);
    }
    let t = t.build();
    writeln!(out, "{t}")?;
    writeln!(
        out,
        "hours: one character per hour, 00 to 23 UTC; · no reads, ▁ to █ share of the busiest hour"
    )?;
    if !b.environments.is_empty() {
        let mut t = new_table(
            None,
            &[
                "environment",
                "reads",
                "identities",
                "hours (UTC)\n00    06    12    18    ",
            ],
        );
        for e in &b.environments {
            t.add_row(vec![
                Cell::new(cell(&e.name)),
                Cell::new(e.reads),
                Cell::new(e.identities),
                Cell::new(hour_strip(&e.hours)),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    Ok(())
}
