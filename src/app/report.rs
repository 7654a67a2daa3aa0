//! `whosaw report`: the answers a responder attaches to the incident
//! ticket, gathered into one HTML file (`output::html`): who read the
//! secret and what to rotate (blast-radius's passes), the suspicious
//! findings for those identities, the trail's coverage, the inputs'
//! hashes, and the command that made it.

use std::io::Write;

use anyhow::{Context, bail};

use super::{
    by_identity, configure_query, echo, first_pass, follow_readers, scan_options, scan_records,
    stats, trail_coverage,
};
use crate::cli::ReportArgs;
use crate::config::{ConfigFile, QueryConfig, Surroundings};
use crate::exit::Exit;
use crate::output::html::{Incident, Input};
use crate::query::who_read;
use crate::scan::Plan;

pub(super) fn command(args: &ReportArgs) -> anyhow::Result<Exit> {
    let (config, secret) = configure_query(&args.query, &args.common)?;
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout {
        if let Some(input) = crate::export::inside_evidence(&args.output, &config.roots) {
            bail!(
                "refusing to write the report to {}: it is inside the logs given ({}); write \
                 it elsewhere",
                crate::output::sanitize::escape(&args.output.display().to_string()),
                crate::output::sanitize::escape(&input.display().to_string())
            );
        }
        if args.output.exists() && !args.force {
            bail!(
                "{} exists: --force replaces it",
                crate::output::sanitize::escape(&args.output.display().to_string())
            );
        }
    }
    // Every input must be read again by the later passes.
    if config.files.iter().any(|f| !f.rereadable) {
        bail!(
            "a report reads its logs several times (readers, findings, coverage): give files, \
             not standard input or a pipe"
        );
    }
    let window = config.window;

    // Who read it, and what to rotate: blast-radius's passes.
    let mut pass = first_pass(config, secret, false);
    let coverage = trail_coverage(&pass.config, &mut pass.scan, pass.secret.providers());
    let readers = by_identity(&pass.accesses, &window, false);
    let further = (args.depth >= 2).then(|| follow_readers(&mut pass, &readers));
    // The hourly timeline: every attempt in the window, counted once.
    let attempts: Vec<(String, crate::event::Timestamp, crate::event::Outcome)> = pass
        .accesses
        .iter()
        .filter(|a| window.contains(a.time) && a.excluded.is_none())
        .map(|a| (a.identity.label.to_string(), a.time, a.outcome))
        .collect();
    let mut who = who_read::report(
        &readers,
        &pass.accesses,
        &window,
        false,
        echo(&pass, None),
        stats(&pass.config, &pass.scan, &pass.diags),
        &pass.scan.files,
    );
    who.coverage = coverage;
    let exposures = pass.exposures.clone();
    let blast = super::blast_report(&mut pass, &readers, further.as_deref(), args.depth);
    let mut diags = std::mem::take(&mut pass.diags);

    // The suspicious findings about the identities that tried it.
    let ids: std::collections::BTreeSet<(crate::event::Provider, String)> = readers
        .iter()
        .map(|r| (r.identity.provider, r.identity.id.to_string()))
        .collect();
    let QueryConfig { common, .. } =
        QueryConfig::resolve(&args.query, &args.common, &Surroundings::current())?;
    let settings = ConfigFile::named_or_default(None)?;
    let mut reads = super::all_reads(common, pass.secret.providers());
    diags.append_new(std::mem::take(&mut reads.diags));
    let judge = crate::query::suspicious::Judge {
        settings: &settings,
        baseline: None,
        files: &reads.scan.files,
    };
    let (mut findings, _) = judge.findings(&reads.accesses);
    findings.retain(|f| ids.contains(&(f.provider, f.identity_id.clone())));

    // The trail's coverage over the same logs and window.
    let QueryConfig {
        common: mut covering,
        ..
    } = QueryConfig::resolve(&args.query, &args.common, &Surroundings::current())?;
    let plan = Plan::covering(scan_options(&covering));
    let (mut scan, more) = scan_records(&mut covering, &plan);
    diags.append_new(more);
    let sha256 = |i: usize| covering.files.get(i).and_then(super::coverage::sha256_of);
    let covering_stats = stats(&covering, &scan, &diags);
    let trail = crate::query::coverage::coverage(
        &mut scan.trail,
        &covering.window,
        // `coverage`'s defaults: 20 times the median spacing, and an hour.
        crate::query::coverage::GapRule {
            factor: 20.0,
            min_seconds: 3600,
        },
        &scan.files,
        &sha256,
        None,
        covering_stats,
    );

    // Chain of custody: each input as it is stored, hashed.
    let inputs: Vec<Input> = covering.files.iter().map(Input::of).collect();

    let incident = Incident {
        command: std::env::args().collect(),
        generated: chrono::Utc::now(),
        who: &who,
        blast: &blast,
        attempts: &attempts,
        findings: &findings,
        coverage: &trail,
        exposures: &exposures,
        inputs: &inputs,
    };
    let html = crate::output::html::render(&incident);
    if !pass.config.quiet {
        let _ = diags.report(&mut std::io::stderr().lock());
    }
    if to_stdout {
        let mut out = std::io::stdout().lock();
        match out.write_all(html.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(e).context("cannot write the report");
            }
            _ => {}
        }
    } else {
        super::baseline::write_whole(&args.output, html.as_bytes())?;
        if !pass.config.quiet {
            eprintln!(
                "whosaw: report written to {}",
                crate::output::sanitize::escape(&args.output.display().to_string())
            );
        }
    }
    let found = !who.readers.is_empty();
    let exit = Exit::answered(found, diags.is_partial());
    Ok(exit.or_partial(who.coverage.partial))
}
