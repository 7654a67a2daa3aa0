//! `whosaw report`: one self-contained HTML file (inline CSS and SVG; no
//! script, font, image or link that reaches the network) for an incident
//! ticket. Every string from the logs is cut as in a table (`cell`) and
//! escaped for HTML; values never appear, as nowhere else.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::sanitize::{cell, sentence};
use crate::event::{Outcome, Timestamp};
use crate::query::coverage::CoverageReport;
use crate::query::exposures::ExposureOut;
use crate::query::report::{BlastRadiusReport, RotateItem, WhoReadReport};
use crate::query::suspicious::Finding;

/// One input as it is stored: its name, size and SHA-256 (of its bytes as
/// they are on disk, as `sha256sum` gives them).
pub(crate) struct Input {
    pub name: String,
    pub size: Option<u64>,
    pub sha256: Option<String>,
}

impl Input {
    pub(crate) fn of(file: &crate::input::InputFile) -> Input {
        use sha2::Digest;
        let hashed = file.path.as_ref().and_then(|path| {
            let mut f = crate::input::open_read_only(path).ok()?;
            let mut hasher = sha2::Sha256::new();
            let size = std::io::copy(&mut f, &mut hasher).ok()?;
            Some((size, hex::encode(hasher.finalize())))
        });
        Input {
            name: file.name.clone(),
            size: hashed.as_ref().map(|h| h.0),
            sha256: hashed.map(|h| h.1),
        }
    }
}

/// Everything the report shows.
pub(crate) struct Incident<'a> {
    /// The command line that made it, to make it again.
    pub command: Vec<String>,
    pub generated: chrono::DateTime<chrono::Utc>,
    pub who: &'a WhoReadReport,
    pub blast: &'a BlastRadiusReport,
    /// Every attempt in the window: who (label), when, how it ended.
    pub attempts: &'a [(String, Timestamp, Outcome)],
    /// Suspicious findings about the identities that tried it.
    pub findings: &'a [Finding],
    pub coverage: &'a CoverageReport,
    pub exposures: &'a [ExposureOut],
    pub inputs: &'a [Input],
}

/// Text from a log (or anywhere) for HTML: cut as a table cuts it, then
/// escaped.
fn h(text: &str) -> String {
    escape(&cell(text))
}

/// A sentence (an explanation, an instruction), escaped.
fn hs(text: &str) -> String {
    escape(&sentence(text))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #d6dae1;padding-bottom:4px}
.meta{color:#5b6475;margin:0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #d6dae1;border-radius:6px;padding:10px 14px;min-width:130px}
.card b{display:block;font-size:22px}
.card.read b{color:#17803d}.card.denied b{color:#b42318}.card.unknown b{color:#a15c07}
.partial{background:#fff4e5;border:1px solid #f0b45b;border-radius:6px;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d6dae1}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e8ebf0;vertical-align:top}
th{background:#eef0f4;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;word-break:break-all}
td.t{white-space:nowrap;word-break:normal}
.ok{color:#17803d;font-weight:600}.bad{color:#b42318;font-weight:600}.warn{color:#a15c07;font-weight:600}
ol.checklist{padding-left:0;list-style:none;counter-reset:item}
ol.checklist li{background:#fff;border:1px solid #d6dae1;border-radius:6px;margin:8px 0;padding:10px 12px}
ol.checklist label{font-weight:600}
.how{margin:6px 0 0;padding:6px 8px;background:#f1f5ff;border-radius:4px}
pre{background:#1d2330;color:#e9edf5;padding:12px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
svg text{font:11px system-ui,sans-serif;fill:#1d2330}
.none{color:#5b6475;font-style:italic}
@media print{body{background:#fff}.card,ol.checklist li{break-inside:avoid}}
";

/// The report, as one HTML document.
pub(crate) fn render(i: &Incident<'_>) -> String {
    let mut o = String::new();
    let q = &i.who.query;
    let secret = match q.regex {
        true => format!("secrets matching /{}/", h(&q.secret)),
        false => h(&q.secret),
    };
    let since = q.since.map_or("the beginning".into(), |t| t.to_string());
    let until = q.until.map_or("the end".into(), |t| t.to_string());
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"whosaw {version}\">\
         <title>Incident report: who read {secret}</title><style>{STYLE}</style></head>\
         <body><main>\
         <h1>Who read {secret}?</h1>\
         <p class=\"meta\">window: {since} ≤ t &lt; {until} (UTC) · generated {generated} by whosaw {version}</p>",
        version = env!("CARGO_PKG_VERSION"),
        generated = i.generated.format("%Y-%m-%dT%H:%M:%SZ"),
    );
    summary(&mut o, i);
    readers(&mut o, i);
    timeline(&mut o, i);
    rotate(&mut o, i);
    attempts(&mut o, i);
    findings(&mut o, i);
    coverage(&mut o, i);
    exposures(&mut o, i);
    inputs(&mut o, i);
    let command: Vec<String> = i.command.iter().map(|a| shell_word(a)).collect();
    let _ = writeln!(
        o,
        "<h2 id=\"reproduce\">Reproduce</h2><p>Run on the same inputs (hashes above), this \
         gives the same answers:</p><pre>{}</pre>\
         <p class=\"meta\">whosaw never prints a secret's value: names, paths and counts only.</p>\
         </main></body></html>",
        h(&command.join(" "))
    );
    o
}

/// A word as a POSIX shell reads it back.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    match plain {
        true => word.to_string(),
        false => format!("'{}'", word.replace('\'', r"'\''")),
    }
}

fn summary(o: &mut String, i: &Incident<'_>) {
    let readers = &i.who.readers;
    let sum = |f: fn(&crate::query::report::ReaderOut) -> u64| readers.iter().map(f).sum::<u64>();
    let who_read = readers.iter().filter(|r| r.successful_reads > 0).count();
    let _ = write!(
        o,
        "<div class=\"cards\">\
         <div class=\"card read\"><b>{who_read}</b>identities read it</div>\
         <div class=\"card read\"><b>{}</b>successful reads</div>\
         <div class=\"card denied\"><b>{}</b>denied</div>\
         <div class=\"card unknown\"><b>{}</b>unknown outcome</div>\
         <div class=\"card\"><b>{}</b>to rotate</div>\
         <div class=\"card\"><b>{}</b>suspicious findings</div></div>",
        sum(|r| r.successful_reads),
        sum(|r| r.denied_reads),
        sum(|r| r.unknown_outcome),
        i.blast.rotate.len(),
        i.findings.len()
    );
    for p in &i.who.coverage.off_periods {
        let _ = write!(
            o,
            "<div class=\"partial\"><b>PARTIAL:</b> the trail was off during the window ({}); \
             what happened then is not in these logs.</div>",
            escape(&super::table::off_period(p))
        );
    }
    let s = &i.who.stats;
    if s.malformed_lines + s.skipped_files + s.incomplete_files > 0 {
        let _ = write!(
            o,
            "<div class=\"partial\"><b>PARTIAL:</b> {} malformed lines, {} files skipped, {} \
             incomplete: the answer covers the rest.</div>",
            s.malformed_lines, s.skipped_files, s.incomplete_files
        );
    }
}

fn readers(o: &mut String, i: &Incident<'_>) {
    o.push_str("<h2 id=\"readers\">Who read it</h2>");
    if i.who.readers.is_empty() {
        o.push_str("<p class=\"none\">No identity read it in the window.</p>");
        return;
    }
    o.push_str(
        "<table id=\"readers-table\"><tr><th>identity</th><th>store</th><th>reads</th>\
         <th>denied</th><th>no value</th><th>errors</th><th>unknown</th>\
         <th>first / last seen (UTC)</th><th>from</th></tr>",
    );
    for r in &i.who.readers {
        let mut reads = r.successful_reads.to_string();
        if r.wide_reads > 0 {
            let _ = write!(reads, " ({} wide)", r.wide_reads);
        }
        if r.possible_reads > 0 {
            let _ = write!(reads, " +{} may have read", r.possible_reads);
        }
        let class = if r.successful_reads > 0 { "ok" } else { "" };
        let _ = write!(
            o,
            "<tr><td>{}<br><code>{}</code></td><td>{}</td><td class=\"n {class}\">{reads}</td>\
             <td class=\"n{}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n{}\">{}</td><td class=\"mono t\">{}<br>{}</td><td>{}</td></tr>",
            h(&r.identity),
            h(&r.identity_id),
            r.provider,
            if r.denied_reads > 0 { " bad" } else { "" },
            r.denied_reads,
            r.not_found_reads + r.no_value_reads,
            r.error_reads,
            if r.unknown_outcome > 0 { " warn" } else { "" },
            r.unknown_outcome,
            r.first_seen,
            r.last_seen,
            addresses(&r.source_addresses),
        );
    }
    o.push_str("</table>");
}

fn addresses(list: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text: Vec<String> = list.iter().take(SHOWN).map(|a| h(a)).collect();
    if list.len() > SHOWN {
        text.push(format!("+{} more", list.len() - SHOWN));
    }
    text.join("<br>")
}

/// Attempts per hour (UTC), one lane per identity: reads green, denials
/// red, other outcomes amber; a darker mark is more attempts.
fn timeline(o: &mut String, i: &Incident<'_>) {
    o.push_str("<h2 id=\"timeline\">Access timeline (per hour, UTC)</h2>");
    let (Some(first), Some(last)) = (
        i.attempts.iter().map(|a| a.1).min(),
        i.attempts.iter().map(|a| a.1).max(),
    ) else {
        o.push_str("<p class=\"none\">No attempt in the window.</p>");
        return;
    };
    const HOUR: i64 = 3600;
    let start = first.to_datetime().timestamp().div_euclid(HOUR);
    let end = last.to_datetime().timestamp().div_euclid(HOUR);
    // A day at least, so one busy hour reads as an hour.
    let hours = (end - start + 1).max(24);
    // At most 168 columns (a week of hours): longer spans group hours.
    let per_column = (hours + 167) / 168;
    let columns = (hours + per_column - 1) / per_column;
    // Lanes: the identities with the most attempts, the rest together.
    let mut by_identity: BTreeMap<&str, Vec<(i64, Outcome)>> = BTreeMap::new();
    for (who, t, outcome) in i.attempts {
        let column = (t.to_datetime().timestamp().div_euclid(HOUR) - start) / per_column;
        by_identity.entry(who).or_default().push((column, *outcome));
    }
    let mut lanes: Vec<(String, Vec<(i64, Outcome)>)> = by_identity
        .into_iter()
        .map(|(who, marks)| (who.to_string(), marks))
        .collect();
    lanes.sort_by_key(|(who, marks)| (std::cmp::Reverse(marks.len()), who.clone()));
    const LANES: usize = 24;
    if lanes.len() > LANES {
        let rest: Vec<(i64, Outcome)> = lanes.drain(LANES - 1..).flat_map(|(_, m)| m).collect();
        lanes.push((format!("{} others", rest.len()), rest));
    }
    let label_width = 230.0;
    let chart_width = 840.0;
    let lane_height = 20.0;
    let cell = chart_width / columns as f64;
    let height = 30.0 + lane_height * lanes.len() as f64 + 24.0;
    let _ = write!(
        o,
        "<svg id=\"timeline-chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\">\
         <title>Attempts per {unit} by identity</title>",
        w = label_width + chart_width + 10.0,
        unit = if per_column == 1 {
            "hour".to_string()
        } else {
            format!("{per_column} hours")
        },
    );
    for (lane, (who, marks)) in lanes.iter().enumerate() {
        let y = 20.0 + lane_height * lane as f64;
        let mut label: String = who.chars().take(34).collect();
        if who.chars().count() > 34 {
            label.push('…');
        }
        let _ = write!(
            o,
            "<text x=\"0\" y=\"{}\">{}</text><line x1=\"{label_width}\" x2=\"{}\" y1=\"{}\" \
             y2=\"{}\" stroke=\"#e8ebf0\"/>",
            y + 14.0,
            h(&label),
            label_width + chart_width,
            y + lane_height - 1.0,
            y + lane_height - 1.0
        );
        // Per column: reads, denials, others.
        let mut counts: BTreeMap<i64, [u32; 3]> = BTreeMap::new();
        for (column, outcome) in marks {
            let kind = match outcome {
                Outcome::Success => 0,
                Outcome::Denied => 1,
                _ => 2,
            };
            counts.entry(*column).or_default()[kind] += 1;
        }
        let peak = counts.values().flatten().copied().max().unwrap_or(1).max(1);
        for (column, kinds) in counts {
            for (k, (&n, colour)) in kinds
                .iter()
                .zip(["#17803d", "#b42318", "#d48806"])
                .enumerate()
            {
                if n == 0 {
                    continue;
                }
                let opacity = 0.35 + 0.65 * f64::from(n) / f64::from(peak);
                let _ = write!(
                    o,
                    "<rect class=\"mark\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"5\" \
                     fill=\"{colour}\" fill-opacity=\"{opacity:.2}\"><title>{} {}</title></rect>",
                    label_width + cell * column as f64,
                    y + 3.0 + 5.0 * k as f64,
                    cell.max(2.0),
                    n,
                    ["read", "denied", "other"][k]
                );
            }
        }
    }
    let axis_y = 20.0 + lane_height * lanes.len() as f64 + 16.0;
    let hour_text = |h: i64| {
        chrono::DateTime::from_timestamp(h * HOUR, 0)
            .map_or(String::new(), |t| t.format("%Y-%m-%d %H:00").to_string())
    };
    let _ = write!(
        o,
        "<text x=\"{label_width}\" y=\"{axis_y}\">{}</text>\
         <text x=\"{}\" y=\"{axis_y}\" text-anchor=\"end\">{}</text></svg>\
         <p class=\"meta\">Each mark: attempts in one {} (UTC); green reads, red denials, amber \
         other outcomes (no value, errors, unknown).</p>",
        hour_text(start),
        label_width + chart_width,
        hour_text(start + columns * per_column),
        if per_column == 1 {
            "hour".to_string()
        } else {
            format!("{per_column}-hour span")
        }
    );
}

fn rotate(o: &mut String, i: &Incident<'_>) {
    o.push_str("<h2 id=\"rotate\">Rotate — top to bottom</h2><ol class=\"checklist\">");
    for (n, item) in i.blast.rotate.iter().enumerate() {
        let (what, evidence, how) = match item {
            RotateItem::Secret(s) => {
                let mut what = format!("secret <code>{}</code>", h(&s.target));
                if let Some(store) = s.provider {
                    let _ = write!(what, " ({store})");
                }
                if !s.via.is_empty() {
                    let via: Vec<String> = s.via.iter().map(|v| h(v)).collect();
                    let _ = write!(what, " via {}", via.join(", "));
                }
                (what, hs(&s.reason), hs(&s.hint))
            }
            RotateItem::Credential(c) => {
                let mut what = format!(
                    "credentials of {} <code>{}</code> ({})",
                    h(&c.identity),
                    h(&c.identity_id),
                    c.provider
                );
                if !c.credentials.is_empty() {
                    let list: Vec<String> = c.credentials.iter().map(|x| h(x)).collect();
                    let _ = write!(what, "<br>credentials: <code>{}</code>", list.join(", "));
                }
                let e = &c.evidence;
                let evidence = format!(
                    "{} successful read{} {} – {} from {}",
                    e.successful_reads,
                    if e.successful_reads == 1 { "" } else { "s" },
                    e.first_seen,
                    e.last_seen,
                    addresses(&e.source_addresses).replace("<br>", ", ")
                );
                (what, evidence, hs(&c.hint))
            }
        };
        let _ = write!(
            o,
            "<li><label><input type=\"checkbox\"> {}. {what}</label><div>{evidence}</div>\
             <div class=\"how\">{how}</div></li>",
            n + 1
        );
    }
    o.push_str("</ol>");
}

fn attempts(o: &mut String, i: &Incident<'_>) {
    o.push_str("<h2 id=\"attempts\">Denied and unknown attempts</h2>");
    let readers: Vec<_> = i
        .who
        .readers
        .iter()
        .filter(|r| r.denied_reads + r.unknown_outcome + r.error_reads > 0)
        .collect();
    if readers.is_empty() && i.blast.investigate.is_empty() {
        o.push_str("<p class=\"none\">None: every attempt in the window was answered.</p>");
        return;
    }
    o.push_str(
        "<table id=\"attempts-table\"><tr><th>identity</th><th>denied</th><th>errors</th>\
         <th>unknown</th><th>got the value?</th><th>first / last seen (UTC)</th></tr>",
    );
    for r in readers {
        let got = match r.successful_reads {
            0 => "<span class=\"ok\">no</span>".to_string(),
            n => format!(
                "<span class=\"bad\">yes, {n} read{}</span>",
                if n == 1 { "" } else { "s" }
            ),
        };
        let _ = write!(
            o,
            "<tr><td>{}<br><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td>{got}</td><td class=\"mono t\">{}<br>{}</td></tr>",
            h(&r.identity),
            h(&r.identity_id),
            r.denied_reads,
            r.error_reads,
            r.unknown_outcome,
            r.first_seen,
            r.last_seen
        );
    }
    o.push_str("</table>");
    if !i.blast.investigate.is_empty() {
        o.push_str("<p>To investigate (tried, got nothing as far as the log shows):</p><ul>");
        for x in &i.blast.investigate {
            let _ = write!(
                o,
                "<li>{} <code>{}</code>: {}</li>",
                h(&x.identity),
                h(&x.identity_id),
                hs(&x.reason)
            );
        }
        o.push_str("</ul>");
    }
}

fn findings(o: &mut String, i: &Incident<'_>) {
    o.push_str("<h2 id=\"suspicious\">Suspicious findings about these identities</h2>");
    if i.findings.is_empty() {
        o.push_str(
            "<p class=\"none\">None (rules run without a baseline: bursts, denials, \
             environment mismatch).</p>",
        );
        return;
    }
    o.push_str(
        "<table id=\"findings-table\"><tr><th>severity</th><th>rule</th><th>identity</th>\
         <th>when (UTC)</th><th>count</th><th>why</th></tr>",
    );
    for f in i.findings {
        let severity = match f.severity {
            crate::query::suspicious::Severity::High => "<span class=\"bad\">HIGH</span>",
            crate::query::suspicious::Severity::Medium => "<span class=\"warn\">medium</span>",
            crate::query::suspicious::Severity::Low => "low",
        };
        let _ = write!(
            o,
            "<tr><td>{severity}</td><td>{} ({})</td><td>{}</td><td class=\"mono\">{}<br>{}</td>\
             <td class=\"n\">{}</td><td>{}</td></tr>",
            f.rule,
            f.variant,
            h(&f.identity),
            f.first,
            f.last,
            f.count,
            hs(&f.explanation)
        );
    }
    o.push_str("</table>");
}

fn coverage(o: &mut String, i: &Incident<'_>) {
    let c = i.coverage;
    o.push_str("<h2 id=\"coverage\">Can the trail be trusted?</h2>");
    if c.stores.is_empty() {
        o.push_str("<p class=\"none\">No records in the window.</p>");
    } else {
        o.push_str(
            "<table id=\"coverage-table\"><tr><th>store</th><th>records</th>\
             <th>first (UTC)</th><th>last (UTC)</th><th>median spacing</th></tr>",
        );
        for s in &c.stores {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"mono\">{}</td>\
                 <td class=\"mono\">{}</td><td>{}</td></tr>",
                s.store,
                s.records,
                s.first,
                s.last,
                super::coverage::span(s.median_spacing_seconds)
            );
        }
        o.push_str("</table>");
    }
    if c.off_periods.is_empty() {
        o.push_str("<p>No record says the trail was off.</p>");
    } else {
        o.push_str("<p><b>The trail was off</b> (a record says so):</p><ul>");
        for p in &c.off_periods {
            let _ = write!(o, "<li>{}</li>", escape(&super::table::off_period(p)));
        }
        o.push_str("</ul>");
    }
    if !c.findings.is_empty() {
        o.push_str("<p>Changes to the trail itself:</p><ul>");
        for f in &c.findings {
            let _ = write!(
                o,
                "<li><span class=\"mono\">{}</span> {}: {} <code>{}</code> — {}</li>",
                f.time,
                f.store,
                escape(f.what),
                h(&f.target),
                hs(&f.note)
            );
        }
        o.push_str("</ul>");
    }
    if !c.gaps.is_empty() {
        o.push_str("<p>Possible gaps (inferred from silence alone):</p><ul>");
        for g in &c.gaps {
            let _ = write!(
                o,
                "<li>{}: {} – {} ({})</li>",
                g.store,
                g.from,
                g.until,
                super::coverage::span(g.seconds)
            );
        }
        o.push_str("</ul>");
    }
}

fn exposures(o: &mut String, i: &Incident<'_>) {
    o.push_str("<h2 id=\"exposures\">What the logs themselves leak</h2>");
    if i.exposures.is_empty() {
        o.push_str("<p class=\"none\">The logs hold no value of this secret in clear.</p>");
        return;
    }
    o.push_str(
        "<p class=\"bad\">These logs hold secret material in clear: treat them as secrets.</p>\
         <table id=\"exposures-table\"><tr><th>secret</th><th>kind</th><th>requests</th>\
         <th>first (UTC)</th><th>last (UTC)</th></tr>",
    );
    for e in i.exposures {
        let _ = write!(
            o,
            "<tr><td><code>{}</code> ({})</td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>",
            h(&e.secret),
            e.provider,
            escape(&serde_json::to_value(e.kind).map_or(String::new(), |v| {
                v.as_str().unwrap_or_default().to_string()
            })),
            e.count,
            e.first_seen,
            e.last_seen
        );
    }
    o.push_str("</table>");
}

fn inputs(o: &mut String, i: &Incident<'_>) {
    o.push_str(
        "<h2 id=\"inputs\">Inputs (chain of custody)</h2><table id=\"inputs-table\">\
         <tr><th>file</th><th>bytes</th><th>SHA-256</th></tr>",
    );
    for input in i.inputs {
        let _ = write!(
            o,
            "<tr><td class=\"mono\">{}</td><td class=\"n\">{}</td><td class=\"mono\">{}</td></tr>",
            h(&input.name),
            input.size.map_or("-".into(), |s| s.to_string()),
            input.sha256.as_deref().unwrap_or("could not be read")
        );
    }
    o.push_str("</table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_log_strings_is_text() {
        assert_eq!(
            h("<script>alert('x')</script>&"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        // Terminal escapes are shown, not passed on, as in a table.
        assert!(!h("a\u{1b}[31mb").contains('\u{1b}'));
    }

    #[test]
    fn the_command_is_quoted_as_a_shell_reads_it() {
        assert_eq!(shell_word("who-read"), "who-read");
        assert_eq!(shell_word("it's here"), r"'it'\''s here'");
        assert_eq!(shell_word(""), "''");
    }
}
