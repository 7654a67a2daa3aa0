//! `whosaw coverage`: can the trail be trusted (see `query::coverage`).

use super::{configured, finish, scan_options, scan_records, stats};
use crate::cli::CoverageArgs;
use crate::exit::Exit;
use crate::output;
use anyhow::Context;

use crate::query::coverage::{GapRule, coverage};
use crate::query::digests::public_keys;
use crate::scan::Plan;

pub(super) fn command(args: &CoverageArgs) -> anyhow::Result<Exit> {
    let mut config = configured(&args.logs, &args.window, &args.common)?;
    let keys = match &args.cloudtrail_public_keys {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let keys =
                public_keys(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Some(keys)
        }
    };
    let plan = Plan::covering(scan_options(&config));
    let (mut scan, diags) = scan_records(&mut config, &plan);
    let rule = GapRule {
        factor: args.gap_factor,
        min_seconds: args.min_gap,
    };
    let mut stats = stats(&config, &scan, &diags);
    stats.exhaustive = true; // every record is read for its time

    let sha256 = |i: usize| config.files.get(i).and_then(sha256_of);
    let report = coverage(
        &mut scan.trail,
        &config.window,
        rule,
        &scan.files,
        &sha256,
        keys.as_ref(),
        stats,
    );
    let exit = finish(&config, &diags, !report.stores.is_empty(), |out| {
        output::coverage(&report, config.style, out)
    })?;
    // The trail was off during the window: what happened then is not in it.
    Ok(match (exit, report.window_partial) {
        (Exit::Found, true) => Exit::Partial,
        (exit, _) => exit,
    })
}

/// The SHA-256 (hex) of an input's content, inflated when it is gzipped,
/// as CloudTrail's digests hash log files: opened as every input is
/// (`input::open`, which knows gzip by its magic, members and all). `None`:
/// it cannot be read again (standard input, a file gone or unreadable).
pub(super) fn sha256_of(file: &crate::input::InputFile) -> Option<String> {
    use sha2::Digest;
    file.path.as_ref()?;
    let (opened, _) = crate::input::open(file, false, &|reader| reader).ok()?;
    let mut hasher = sha2::Sha256::new();
    match opened {
        crate::input::Opened::Empty => {}
        crate::input::Opened::Mapped(map) => hasher.update(&*map),
        crate::input::Opened::Stream { mut reader, .. } => {
            std::io::copy(&mut reader, &mut hasher).ok()?;
        }
    }
    Some(hex::encode(hasher.finalize()))
}
