//! `whosaw timeline`: every event, filtered (as `config/` resolved the
//! filters), in time order.

use super::{configure, finish, scan_and_pair, stats};
use crate::cli::TimelineArgs;
use crate::config::{Surroundings, TimelineConfig, TimelineFilters};
use crate::exit::Exit;
use crate::matcher::literal_tail;
use crate::output;
use crate::query::timeline::{
    AfterPairing, EVENT_SCHEMA, TIMELINE_SCHEMA, TimelineEcho, TimelineReport, events,
};
use crate::scan::{EventFilter, LineFilter, Plan, Prefilter, Shared};

pub fn command(args: &TimelineArgs) -> anyhow::Result<Exit> {
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
        identity,
        source_ip_text,
        source_ip,
        providers,
        actions,
        outcomes,
    } = filters;
    let filter = EventFilter {
        secret: secret.as_ref(),
        providers,
        identity: identity.as_deref(),
        actions,
    };
    let plan = Plan {
        prefilter: match (&secret, config.exhaustive) {
            (Some(q), false) => q.prefilter().zip(name_tail(q.as_str())).map_or(
                Prefilter::Everything,
                |(p, tail)| {
                    // The query's own filter finds reads and what covers
                    // them; the name's end also finds writes, deletes and
                    // KV v2 `metadata/` paths.
                    Prefilter::Any(vec![Prefilter::Query(p), Prefilter::literals(&[tail])])
                },
            ),
            _ => Prefilter::Everything,
        },
        filter: LineFilter::Events(&filter),
        forced: config.forced_source,
        shared: Shared::default(),
        count_types: config.verbose,
    };
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
            identity: identity.clone(),
            source_ip: source_ip_text,
            outcomes: after.outcomes.iter().map(|o| o.as_str()).collect(),
            actions: filter.actions.iter().map(|a| a.as_str()).collect(),
            providers: filter.providers.iter().map(|p| p.as_str()).collect(),
            since: config.window.since.map(|t| t.rfc3339()),
            until: config.window.until.map(|t| t.rfc3339()),
        },
        events,
        stats: stats(&config, &scan, &diags),
    };
    finish(&config, &diags, !report.events.is_empty(), |out| {
        output::timeline(&report, config.style, out)
    })
}

/// The literal end of a query's last name segment (after any store prefix;
/// a URL's trailing `/` ends no segment).
fn name_tail(query: &str) -> Option<&str> {
    let name = crate::matcher::split_provider(query)
        .1
        .trim_end_matches('/');
    literal_tail(name.rsplit('/').next()?).filter(|t| !t.is_empty())
}
