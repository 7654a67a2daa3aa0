//! `whosaw coverage`: can the trail be trusted (see `query::coverage`).

use super::{configure, finish, scan_options, scan_records, stats};
use crate::cli::CoverageArgs;
use crate::config::{Config, Surroundings};
use crate::exit::Exit;
use crate::output;
use crate::query::coverage::{GapRule, coverage};
use crate::scan::Plan;

pub(super) fn command(args: &CoverageArgs) -> anyhow::Result<Exit> {
    let mut config = Config::resolve(
        &args.logs,
        &args.window,
        &args.common,
        &Surroundings::current(),
    )?;
    configure(&config)?;
    let plan = Plan::covering(scan_options(&config));
    let (mut scan, diags) = scan_records(&mut config, &plan);
    let rule = GapRule {
        factor: args.gap_factor,
        min_seconds: args.min_gap,
    };
    let mut stats = stats(&config, &scan, &diags);
    stats.exhaustive = true; // every record is read for its time

    let report = coverage(&mut scan.trail, &config.window, rule, &scan.files, stats);
    let exit = finish(&config, &diags, !report.stores.is_empty(), |out| {
        output::coverage(&report, config.style, out)
    })?;
    // The trail was off during the window: what happened then is not in it.
    Ok(match (exit, report.window_partial) {
        (Exit::Found, true) => Exit::Partial,
        (exit, _) => exit,
    })
}
