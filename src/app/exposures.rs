//! `whosaw exposures`: what the logs hold in clear (see `query::exposures`).

use super::{configure, finish, report_detected, run_scan, scan_options, stats};
use crate::cli::ExposuresArgs;
use crate::config::{Config, Surroundings};
use crate::exit::Exit;
use crate::output;
use crate::query::exposures::{EXPOSURES_SCHEMA, ExposuresReport, exposures};
use crate::scan::Plan;

pub(super) fn command(args: &ExposuresArgs) -> anyhow::Result<Exit> {
    let mut config = Config::resolve(
        &args.logs,
        &args.window,
        &args.common,
        &Surroundings::current(),
    )?;
    configure(&config)?;
    // An index keeps no record's bytes: every input is read.
    config.cache = None;
    let plan = Plan::exposing(scan_options(&config));
    let mut scan = run_scan(&config, &plan, "reading");
    if config.verbose {
        report_detected(&scan);
    }
    let mut diags = std::mem::take(&mut config.discover_diags);
    diags.append(std::mem::take(&mut scan.diags));
    let report = ExposuresReport {
        schema: EXPOSURES_SCHEMA,
        since: config.window.since,
        until: config.window.until,
        exposures: exposures(&scan.entries, &scan.exposures, &config.window, &scan.files),
        stats: stats(&config, &scan, &diags),
    };
    finish(&config, &diags, !report.exposures.is_empty(), |out| {
        output::exposures(&report, config.style, out)
    })
}
