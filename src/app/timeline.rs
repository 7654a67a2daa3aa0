//! `whosaw timeline`: every event, filtered (as `config/` resolved the
//! filters), in time order.

use super::{configure, finish, scan_and_pair, stats};
use crate::cli::TimelineArgs;
use crate::config::{Surroundings, TimelineConfig, TimelineFilters};
use crate::exit::Exit;
use crate::output;
use crate::query::timeline::{
    AfterPairing, EVENT_SCHEMA, TIMELINE_SCHEMA, TimelineEcho, TimelineReport, events,
};
use crate::scan::{EventFilter, Plan};

pub(super) fn command(args: &TimelineArgs) -> anyhow::Result<Exit> {
    let TimelineConfig {
        common: mut config,
        file,
        filters,
    } = TimelineConfig::resolve(args, &Surroundings::current())?;
    configure(&config)?;
    let TimelineFilters {
        secret_text,
        secret,
        regex,
        identities,
        source_ip_text,
        source_ip,
        providers,
        actions,
        outcomes,
    } = filters;
    let filter = EventFilter {
        secret: secret.as_ref(),
        providers,
        identities: identities.iter().map(String::as_str).collect(),
        actions,
    };
    let plan = Plan::events(&filter, super::scan_options(&config));
    let (scan, diags, accesses) = scan_and_pair(&mut config, plan);
    let after = AfterPairing {
        window: config.window,
        outcomes,
        source: source_ip,
    };
    let events = events(&accesses, &after, &file.environments, &scan.files);
    let report = TimelineReport {
        schema: TIMELINE_SCHEMA,
        event_schema: EVENT_SCHEMA,
        query: TimelineEcho {
            secret: secret_text,
            regex,
            identity: match &identities[..] {
                [one] => Some(one.clone()),
                _ => None,
            },
            identities: identities.clone(),
            source_ip: source_ip_text,
            outcomes: after.outcomes.clone(),
            actions: filter.actions.clone(),
            providers: filter.providers.clone(),
            since: config.window.since,
            until: config.window.until,
        },
        events,
        stats: stats(&config, &scan, &diags),
    };
    finish(&config, &diags, !report.events.is_empty(), |out| {
        output::timeline(&report, config.style, out)
    })
}
