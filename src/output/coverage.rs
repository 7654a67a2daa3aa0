//! The `coverage` table: each store's span with its records per hour drawn
//! as a sparkline, then when the trail was certainly off, the findings, and
//! the possible gaps. Every string from the log is escaped first.

use std::io::{self, Write};

use comfy_table::Cell;

use super::compact::{Column, Grid};
use super::sanitize::{cell, sentence};
use super::table::{footer, window};
use crate::query::coverage::{CoverageReport, HourCount};

/// A sparkline has at most this many marks; longer spans group hours.
const MARKS: usize = 48;
/// In a table fitted to the width, at most this many.
const COMPACT_MARKS: usize = 24;

pub(crate) fn table(
    report: &CoverageReport,
    fit: super::compact::Fit,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "the trail's coverage")?;
    window(report.since, report.until, out)?;
    if report.stores.is_empty() {
        writeln!(out, "\nno records in the window")?;
        return footer(&report.stats, out);
    }
    let mut t = Grid::new(
        fit,
        &[
            Column::whole("store"),
            Column::whole("records"),
            Column::whole("first"),
            Column::whole("last"),
            Column::wrap("median spacing", 7, 14),
            Column::whole("records per hour (UTC)"),
        ],
    );
    let stores = &[
        Column::whole("store"),
        Column::whole("records"),
        Column::whole("first / last (UTC)"),
        Column::wrap("median spacing", 7, 14),
        Column::whole("records per hour (UTC)"),
    ];
    if !fit.wide {
        // First and last on two lines of one column.
        t = Grid::new(fit, stores);
    }
    for s in &report.stores {
        let marks = if fit.wide { MARKS } else { COMPACT_MARKS };
        let (line, hours_per_mark, peak) = sparkline(&s.hours, marks);
        let scale = match hours_per_mark {
            1 => format!("1 mark = 1 h, peak {peak}/h"),
            n => format!("1 mark = {n} h, peak {peak}/{n} h"),
        };
        let seen = match fit.wide {
            true => vec![Cell::new(s.first), Cell::new(s.last)],
            false => vec![Cell::new(format!("{}\n{}", s.first, s.last))],
        };
        let mut row = vec![Cell::new(s.store), Cell::new(s.records)];
        row.extend(seen);
        row.push(Cell::new(span(s.median_spacing_seconds)));
        row.push(Cell::new(format!("{line}\n{scale}")));
        t.add_row(row);
    }
    writeln!(out, "{}", t.build())?;

    if !report.off_periods.is_empty() {
        writeln!(out, "\nthe trail was off (certain: a record says so)")?;
        let mut t = match fit.wide {
            true => Grid::new(
                fit,
                &[
                    Column::whole("store"),
                    Column::whole("target"),
                    Column::whole("from"),
                    Column::whole("until"),
                    Column::whole("why"),
                    Column::whole("in window"),
                    Column::whole("evidence"),
                ],
            ),
            false => Grid::new(
                fit,
                &[
                    Column::whole("store"),
                    Column::cut("target", 10, 16),
                    Column::whole("from / until (UTC)"),
                    Column::whole_text("why / evidence", 24),
                ],
            ),
        };
        for p in &report.off_periods {
            let until = p
                .until
                .map_or("the end of the input".into(), |u| u.to_string());
            let cited = cited(&p.evidence);
            t.add_row(match fit.wide {
                true => vec![
                    Cell::new(p.store),
                    Cell::new(cell(&p.target)),
                    Cell::new(p.from),
                    Cell::new(until),
                    Cell::new(sentence(&p.why)),
                    Cell::new(if p.overlaps_window { "yes" } else { "no" }),
                    Cell::new(cited),
                ],
                false => vec![
                    Cell::new(p.store),
                    Cell::new(cell(&p.target)),
                    Cell::new(format!(
                        "{}\n{until}\n{}",
                        p.from,
                        if p.overlaps_window {
                            "in the window"
                        } else {
                            "outside the window"
                        }
                    )),
                    Cell::new(format!("{}\n{cited}", sentence(&p.why))),
                ],
            });
        }
        writeln!(out, "{}", t.build())?;
        if report.window_partial {
            writeln!(
                out,
                "PARTIAL: the window overlaps a period the trail was off; what happened then is not in these logs"
            )?;
        }
    }

    if !report.findings.is_empty() {
        writeln!(out, "\nfindings about the trail")?;
        let mut t = match fit.wide {
            true => Grid::new(
                fit,
                &[
                    "time", "store", "finding", "target", "outcome", "who", "note", "evidence",
                ]
                .map(Column::whole),
            ),
            false => Grid::new(
                fit,
                &[
                    Column::whole("time / store"),
                    Column::cut("finding", 16, 30),
                    Column::cut("who / outcome", 16, 30),
                    Column::whole_text("note", 20),
                ],
            ),
        };
        for f in &report.findings {
            let who = match (&f.identity, &f.source_address) {
                (Some(id), Some(at)) => format!("{} from {}", cell(id), cell(at)),
                (Some(id), None) => cell(id).into_owned(),
                _ => String::new(),
            };
            let what = match f.count {
                1 => f.what.to_string(),
                n => format!("{} ({n})", f.what),
            };
            t.add_row(match fit.wide {
                true => vec![
                    Cell::new(f.time),
                    Cell::new(f.store),
                    Cell::new(what),
                    Cell::new(cell(&f.target)),
                    Cell::new(f.outcome.unwrap_or("")),
                    Cell::new(who),
                    Cell::new(sentence(&f.note)),
                    Cell::new(cited(&f.evidence)),
                ],
                false => vec![
                    Cell::new(format!("{}\n{}", f.time, f.store)),
                    Cell::new(format!(
                        "{what}\n{}\n{}",
                        cell(&f.target),
                        cited(&f.evidence)
                    )),
                    Cell::new(format!("{who}\n{}", f.outcome.unwrap_or(""))),
                    Cell::new(sentence(&f.note)),
                ],
            });
        }
        writeln!(out, "{}", t.build())?;
    }

    let d = &report.digests;
    if d.digest_files > 0 {
        writeln!(
            out,
            "\nCloudTrail digests: {} digest files list {} log files: {} verified, {} altered, {} \
             not in the input; {} chain links checked, {} broken; signatures: {}",
            d.digest_files,
            d.log_files_listed,
            d.log_files_verified,
            d.log_files_altered,
            d.log_files_missing,
            d.chain_links_checked,
            d.chain_links_broken,
            d.signatures
        )?;
    }
    writeln!(
        out,
        "\npossible gaps (inferred from silence alone): a silence of at least {} times the \
         store's median spacing, and at least {}",
        report.gap_rule.factor,
        span(report.gap_rule.min_seconds as f64)
    )?;
    if report.gaps.is_empty() {
        writeln!(out, "none")?;
    } else {
        let mut t = Grid::new(
            fit,
            &[
                Column::whole("store"),
                Column::whole("from"),
                Column::whole("until"),
                Column::whole("silence"),
            ],
        );
        for g in &report.gaps {
            t.add_row(vec![
                Cell::new(g.store),
                Cell::new(g.from),
                Cell::new(g.until),
                Cell::new(span(g.seconds)),
            ]);
        }
        writeln!(out, "{}", t.build())?;
    }
    footer(&report.stats, out)
}

/// The first place, and how many more.
fn cited(evidence: &[crate::query::report::Place]) -> String {
    match evidence {
        [] => String::new(),
        [one] => cell(&one.cited()).into_owned(),
        [first, rest @ ..] => format!("{} (+{} more)", cell(&first.cited()), rest.len()),
    }
}

/// Records per hour as at most `MARKS` marks, each `hours` hours wide,
/// scaled to the busiest mark (`peak` records) as the baseline's hours are;
/// an empty one is a dot.
fn sparkline(hours: &[HourCount], marks: usize) -> (String, usize, u64) {
    let per_mark = hours.len().div_ceil(marks).max(1);
    let sums: Vec<u64> = hours
        .chunks(per_mark)
        .map(|c| c.iter().map(|h| h.records).sum())
        .collect();
    let peak = sums.iter().copied().max().unwrap_or(0);
    (super::findings::hour_strip(&sums), per_mark, peak)
}

/// `45 s`, `12 min`, `3 h 12 min`, `2 d 4 h`.
pub(crate) fn span(seconds: f64) -> String {
    if seconds < 60.0 {
        return match seconds {
            s if s < 10.0 => format!("{s:.1} s"),
            s => format!("{s:.0} s"),
        };
    }
    let minutes = (seconds / 60.0).round() as u64;
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 24 * 60 => match m % 60 {
            0 => format!("{} h", m / 60),
            r => format!("{} h {r} min", m / 60),
        },
        m => match (m / 60) % 24 {
            0 => format!("{} d", m / (24 * 60)),
            h => format!("{} d {h} h", m / (24 * 60)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Timestamp;

    fn hours(counts: &[u64]) -> Vec<HourCount> {
        counts
            .iter()
            .map(|&records| HourCount {
                hour: Timestamp::from_nanos(0),
                records,
            })
            .collect()
    }

    #[test]
    fn sparklines_show_empty_hours_and_group_long_spans() {
        assert_eq!(
            sparkline(&hours(&[1, 0, 8, 4]), MARKS),
            ("▁·█▄".into(), 1, 8)
        );
        let (line, per_mark, peak) = sparkline(&hours(&[1; 100]), MARKS);
        assert_eq!((line.chars().count(), per_mark, peak), (34, 3, 3));
    }

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span(2.25), "2.2 s");
        assert_eq!(span(45.0), "45 s");
        assert_eq!(span(3600.0), "1 h");
        assert_eq!(span(3600.0 * 3.0 + 720.0), "3 h 12 min");
        assert_eq!(span(86400.0 * 2.0 + 4.0 * 3600.0), "2 d 4 h");
    }
}
