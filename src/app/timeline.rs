//! `whosaw timeline`: every event, filtered, in time order.

use anyhow::Context;

use super::{configure, finish, load_settings, scan_and_pair, stats};
use crate::cli::TimelineArgs;
use crate::config::secret_query;
use crate::exit::Exit;
use crate::matcher::literal_tail;
use crate::output;
use crate::query::timeline::{
    AfterPairing, EVENT_SCHEMA, TIMELINE_SCHEMA, TimelineEcho, TimelineReport, events,
};
use crate::scan::{EventFilter, LineFilter, Plan, Prefilter, Shared};

pub fn command(args: &TimelineArgs) -> anyhow::Result<Exit> {
    let secret = args
        .secret
        .as_deref()
        .map(|s| secret_query(s, args.regex, &args.stores.provider))
        .transpose()?;
    let source = args
        .source_ip
        .as_deref()
        .map(|text| {
            text.parse()
                .with_context(|| format!("--source-ip {text:?}"))
        })
        .transpose()?;
    let settings = load_settings(args.config.as_deref())?;
    let mut config = configure(&args.logs.paths, &args.window, &args.common)?;
    let filter = EventFilter {
        secret: secret.as_ref(),
        providers: args.stores.provider.clone(),
        identity: args.identity.as_deref(),
        actions: args.action.clone(),
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
        outcomes: args.outcome.clone(),
        source,
    };
    let events = events(&accesses, &after, &settings.environments, &scan.files);
    let report = TimelineReport {
        schema: TIMELINE_SCHEMA,
        event_schema: EVENT_SCHEMA,
        query: TimelineEcho {
            secret: args.secret.clone(),
            regex: args.regex,
            identity: args.identity.clone(),
            source_ip: args.source_ip.clone(),
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
