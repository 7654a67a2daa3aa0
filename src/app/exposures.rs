//! `whosaw exposures`: what the logs hold in clear (see `query::exposures`).

use super::{configured, finish, scan_options, scan_records, stats};
use crate::cli::ExposuresArgs;
use crate::exit::Exit;
use crate::output;
use crate::query::exposures::{EXPOSURES_SCHEMA, ExposuresReport, exposures};
use crate::scan::Plan;

pub(super) fn command(args: &ExposuresArgs) -> anyhow::Result<Exit> {
    let mut config = configured(&args.logs, &args.window, &args.common)?;
    let plan = Plan::exposing(scan_options(&config));
    let (scan, diags) = scan_records(&mut config, &plan);
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
