//! `whosaw suspicious`: the rules over every read, against a baseline when
//! one is given or learned.

use super::{all_reads, configure, finish, load_settings, stats};
use crate::cli::SuspiciousArgs;
use crate::config::ConfigError;
use crate::event::Event;
use crate::exit::Exit;
use crate::output;
use crate::query::baseline::{Baseline, learn};
use crate::query::suspicious::{Judge, SUSPICIOUS_SCHEMA, SuspiciousReport};
use crate::time::parse_bound;

pub fn command(args: &SuspiciousArgs) -> anyhow::Result<Exit> {
    let settings = load_settings(args.config.as_deref())?;
    let file_baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let config = configure(&args.logs.paths, &args.window, &args.common)?;
    let learn_until = args
        .learn_until
        .as_deref()
        .map(|t| parse_bound(t, chrono::Utc::now()))
        .transpose()
        .map_err(|message| ConfigError::BadTime {
            flag: "learn-until",
            message,
        })?;
    let mut reads = all_reads(config, &args.stores.provider);
    let (baseline, judged, source): (Option<Baseline>, Vec<Event>, Option<String>) =
        match (file_baseline, learn_until) {
            (Some(b), _) => (
                Some(b),
                std::mem::take(&mut reads.accesses),
                args.baseline.as_ref().map(|p| p.display().to_string()),
            ),
            (None, Some(t)) => {
                // Accesses come sorted by time.
                let mut before = std::mem::take(&mut reads.accesses);
                let after = before.split_off(before.partition_point(|a| a.time < t));
                let b = learn(
                    &before,
                    &settings.environments,
                    reads.config.window.since,
                    Some(t),
                );
                (
                    Some(b),
                    after,
                    Some(format!("learned from the events before {t}")),
                )
            }
            (None, None) => (None, std::mem::take(&mut reads.accesses), None),
        };
    let judge = Judge {
        settings: &settings,
        baseline: baseline.as_ref(),
        files: &reads.scan.files,
    };
    let (findings, rules) = judge.findings(&judged);
    let report = SuspiciousReport {
        schema: SUSPICIOUS_SCHEMA,
        since: reads.config.window.since.map(|t| t.rfc3339()),
        until: reads.config.window.until.map(|t| t.rfc3339()),
        baseline: source,
        rules,
        findings,
        stats: stats(&reads.config, &reads.scan, &reads.diags),
    };
    finish(
        &reads.config,
        &reads.diags,
        !report.findings.is_empty(),
        |out| output::suspicious(&report, reads.config.style, out),
    )
}
