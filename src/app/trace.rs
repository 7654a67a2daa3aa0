//! `whosaw trace-value --hmac H`: who received one exact value (see
//! `query::trace`).

use anyhow::bail;

use super::{configured, finish, scan_options, scan_records, stats};
use crate::cli::TraceValueArgs;
use crate::exit::Exit;
use crate::output;
use crate::query::access::pair;
use crate::query::readers::by_identity;
use crate::query::trace::{TRACE_SCHEMA, TraceEcho, TraceReport, readers_out, receipts, sites};
use crate::scan::Plan;
use crate::source::store::Wanted;

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

/// A SHA-256 given as 64 hex digits.
fn checked_sha256(text: &str) -> anyhow::Result<[u8; 32]> {
    let mut digest = [0u8; 32];
    match hex::decode_to_slice(text, &mut digest) {
        Ok(()) => Ok(digest),
        Err(_) => bail!("--sha256 takes the SHA-256 of the value: 64 hex digits"),
    }
}

/// The value from standard input, hashed: not echoed on a terminal, one
/// trailing line break dropped, and the buffer overwritten once hashed.
fn value_from_stdin() -> anyhow::Result<[u8; 32]> {
    use sha2::Digest;
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    let _quiet = terminal.then(NoEcho::on);
    if terminal {
        eprint!("value (not shown): ");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    if terminal {
        eprintln!();
    }
    let value = line
        .strip_suffix('\n')
        .map(|v| v.strip_suffix('\r').unwrap_or(v))
        .unwrap_or(&line);
    if value.is_empty() {
        bail!("--value-stdin: no value on standard input");
    }
    let digest: [u8; 32] = sha2::Sha256::digest(value.as_bytes()).into();
    // SAFETY: zeros are valid UTF-8.
    unsafe { line.as_bytes_mut().fill(0) };
    Ok(digest)
}

/// The terminal's echo, off while it lives.
struct NoEcho(Option<libc::termios>);

impl NoEcho {
    fn on() -> NoEcho {
        // SAFETY: tcgetattr fills the struct it is given, on success only.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut t) != 0 {
                return NoEcho(None);
            }
            let saved = t;
            t.c_lflag &= !libc::ECHO;
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t);
            NoEcho(Some(saved))
        }
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            // SAFETY: restores what tcgetattr gave.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved) };
        }
    }
}

/// The value asked about, and how the report echoes it (never the value).
fn wanted(args: &TraceValueArgs) -> anyhow::Result<(Wanted, TraceEcho)> {
    let echo = |hmac: Option<String>, sha256: Option<String>, from: &'static str| TraceEcho {
        given: from,
        hmac,
        sha256,
        since: None,
        until: None,
    };
    if let Some(hmac) = &args.hmac {
        let hmac = checked_hmac(hmac)?;
        return Ok((
            Wanted::Text(hmac.to_string()),
            echo(Some(hmac.to_string()), None, "hmac"),
        ));
    }
    if let Some(hex) = &args.sha256 {
        let digest = checked_sha256(hex)?;
        return Ok((
            Wanted::Sha256(digest),
            echo(None, Some(hex.to_lowercase()), "sha256"),
        ));
    }
    Ok((
        Wanted::Sha256(value_from_stdin()?),
        echo(None, None, "stdin"),
    ))
}

pub(super) fn command(args: &TraceValueArgs) -> anyhow::Result<Exit> {
    let (wanted, mut query) = wanted(args)?;
    let mut config = configured(&args.logs, &args.window, &args.common)?;
    let plan = Plan::carrying(&wanted, scan_options(&config));
    let (mut scan, diags) = scan_records(&mut config, &plan);
    let traces = std::mem::take(&mut scan.traces);
    let entries = std::mem::take(&mut scan.entries);
    let sites = sites(&traces, &entries, &config.window, &scan.files);
    let accesses = pair(entries);
    let readers = by_identity(&receipts(&accesses, &traces), &config.window, args.evidence);
    let report = TraceReport {
        schema: TRACE_SCHEMA,
        query: {
            query.since = config.window.since;
            query.until = config.window.until;
            query
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
