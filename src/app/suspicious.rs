//! `whosaw suspicious`: the rules over every read, against a baseline when
//! one is given or learned (as `config/` resolved it).

use super::{all_reads, configure, finish, stats};
use crate::cli::SuspiciousArgs;
use crate::config::{CompareWith, Surroundings, SuspiciousConfig};
use crate::event::Event;
use crate::exit::Exit;
use crate::output;
use crate::query::baseline::{Baseline, learn};
use crate::query::suspicious::{Judge, SUSPICIOUS_SCHEMA, SuspiciousReport};

pub(super) fn command(args: &SuspiciousArgs) -> anyhow::Result<Exit> {
    let SuspiciousConfig {
        common,
        file,
        providers,
        compare_with,
    } = SuspiciousConfig::resolve(args, &Surroundings::current())?;
    configure(&common)?;
    let mut reads = all_reads(common, &providers);
    let coverage = super::trail_coverage(&reads.config, &mut reads.scan, &providers);
    let (baseline, judged, source): (Option<Baseline>, Vec<Event>, Option<String>) =
        match compare_with {
            CompareWith::File { baseline, path } => (
                Some(*baseline),
                std::mem::take(&mut reads.accesses),
                Some(path.display().to_string()),
            ),
            CompareWith::LearnedBefore(t) => {
                // Accesses come sorted by time.
                let mut before = std::mem::take(&mut reads.accesses);
                let after = before.split_off(before.partition_point(|a| a.time < t));
                let b = learn(
                    &before,
                    &file.environments,
                    reads.config.window.since,
                    Some(t),
                );
                (
                    Some(b),
                    after,
                    Some(format!("learned from the events before {t}")),
                )
            }
            CompareWith::Nothing => (None, std::mem::take(&mut reads.accesses), None),
        };
    let judge = Judge {
        settings: &file,
        baseline: baseline.as_ref(),
        files: &reads.scan.files,
    };
    let (findings, rules) = judge.findings(&judged);
    let report = SuspiciousReport {
        schema: SUSPICIOUS_SCHEMA,
        since: reads.config.window.since,
        until: reads.config.window.until,
        baseline: source,
        rules,
        findings,
        coverage,
        stats: stats(&reads.config, &reads.scan, &reads.diags),
    };
    let exit = finish(
        &reads.config,
        &reads.diags,
        !report.findings.is_empty(),
        |out| output::suspicious(&report, reads.config.style, out),
    )?;
    Ok(exit.or_partial(report.coverage.partial))
}
