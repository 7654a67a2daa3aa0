//! `whosaw trace-value --hmac H`: who received one exact value (see
//! `query::trace`).

use anyhow::bail;

use super::{configure, finish, report_detected, run_scan, scan_options, stats};
use crate::cli::TraceValueArgs;
use crate::config::{Config, Surroundings};
use crate::exit::Exit;
use crate::output;
use crate::query::access::pair;
use crate::query::readers::by_identity;
use crate::query::trace::{TRACE_SCHEMA, TraceEcho, TraceReport, readers_out, receipts, sites};
use crate::scan::Plan;

/// What Vault's audit device writes for a value: `hmac-sha256:` and hex.
fn checked_hmac(text: &str) -> anyhow::Result<&str> {
    let hex = text.strip_prefix("hmac-sha256:").unwrap_or_default();
    if hex.len() < 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!(
            "--hmac takes the HMAC of the value as the audit device writes it: `hmac-sha256:` and \
             hex digits, as `vault write sys/audit-hash/<device> input=<value>` returns it"
        );
    }
    Ok(text)
}

pub(super) fn command(args: &TraceValueArgs) -> anyhow::Result<Exit> {
    let hmac = checked_hmac(&args.hmac)?;
    let mut config = Config::resolve(
        &args.logs,
        &args.window,
        &args.common,
        &Surroundings::current(),
    )?;
    configure(&config)?;
    // An index keeps no record's bytes: every input is read.
    config.cache = None;
    let plan = Plan::carrying(hmac, scan_options(&config));
    let mut scan = run_scan(&config, &plan, "reading");
    if config.verbose {
        report_detected(&scan);
    }
    let mut diags = std::mem::take(&mut config.discover_diags);
    diags.append(std::mem::take(&mut scan.diags));
    let traces = std::mem::take(&mut scan.traces);
    let entries = std::mem::take(&mut scan.entries);
    let sites = sites(&traces, &entries, &config.window, &scan.files);
    let accesses = pair(entries);
    let readers = by_identity(&receipts(&accesses, &traces), &config.window, args.evidence);
    let report = TraceReport {
        schema: TRACE_SCHEMA,
        query: TraceEcho {
            hmac: hmac.to_string(),
            since: config.window.since,
            until: config.window.until,
        },
        readers: readers_out(&readers, &scan.files),
        sites,
        stats: stats(&config, &scan, &diags),
    };
    finish(&config, &diags, !report.sites.is_empty(), |out| {
        output::trace(&report, config.style, out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hmac_is_checked_before_anything_is_read() {
        assert!(checked_hmac("hmac-sha256:0123456789abcdef0123").is_ok());
        for bad in [
            "hunter2",
            "hmac-sha256:",
            "hmac-sha256:xyz0123456789abcdef",
            "sha256:0123456789abcdef",
        ] {
            assert!(checked_hmac(bad).is_err(), "{bad}");
        }
    }
}
