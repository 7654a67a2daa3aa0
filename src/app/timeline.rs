//! `whosaw timeline`: every event, filtered (as `config/` resolved the
//! filters), in time order.

use super::{configure, finish, scan_and_pair, stats, trail_coverage};
use crate::cli::TimelineArgs;
use crate::config::{Surroundings, TimelineConfig};
use crate::exit::Exit;
use crate::output;
use crate::query::timeline::{EVENT_SCHEMA, TIMELINE_SCHEMA, TimelineEcho, TimelineReport, events};
use crate::scan::Plan;

pub(super) fn command(args: &TimelineArgs) -> anyhow::Result<Exit> {
    let TimelineConfig {
        common: mut config,
        file,
        filters,
    } = TimelineConfig::resolve(args, &Surroundings::current())?;
    configure(&config)?;
    let filter = filters.per_record();
    let plan = Plan::events(&filter, super::scan_options(&config));
    let (mut scan, diags, accesses) = scan_and_pair(&mut config, plan);
    let coverage = trail_coverage(&config, &mut scan, &filter.providers);
    let after = filters.per_request(config.window);
    let events = events(&accesses, &after, &file.environments, &scan.files);
    let report = TimelineReport {
        schema: TIMELINE_SCHEMA,
        event_schema: EVENT_SCHEMA,
        query: TimelineEcho {
            secret: filters.secret_text.clone(),
            regex: filters.regex,
            identity: match &filters.identities[..] {
                [one] => Some(one.clone()),
                _ => None,
            },
            identities: filters.identities.clone(),
            source_ip: filters.source_ip_text.clone(),
            outcomes: after.outcomes.clone(),
            actions: filter.actions.clone(),
            providers: filter.providers.clone(),
            since: config.window.since,
            until: config.window.until,
        },
        events,
        coverage,
        stats: stats(&config, &scan, &diags),
    };
    let exit = finish(&config, &diags, !report.events.is_empty(), |out| {
        output::timeline(&report, config.style, out)
    })?;
    Ok(exit.or_partial(report.coverage.partial))
}
