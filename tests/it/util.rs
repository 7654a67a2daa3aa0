//! Running the real binary hermetically: a clean environment, inputs from
//! `testdata/`, outputs parsed back into typed values.

use std::path::PathBuf;

use assert_cmd::Command;

/// The instant (nanoseconds since the epoch) of a time whosaw printed.
/// Times are compared as instants, never as text: with 0–9 fractional
/// digits, `…:12Z` sorts after `…:12.5Z` as a string.
pub fn instant(text: &str) -> i64 {
    whosaw::parse_log_time(text)
        .unwrap_or_else(|| panic!("not a time: {text:?}"))
        .nanos()
}

/// `testdata/<rel>`, absolute.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

/// `whosaw` with an empty environment (no WHOSAW_LOGS, no terminal hints).
pub fn whosaw() -> Command {
    let mut cmd = Command::cargo_bin("whosaw").expect("binary built");
    cmd.env_clear();
    cmd
}

/// The finished run: exit status, standard output and standard error.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Standard output as NDJSON: one value per line.
    pub fn ndjson(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// Two text fields of each value, side by side (`time` and `operation` of
/// timeline events, say).
pub fn field_pairs<'v>(
    values: &'v [serde_json::Value],
    a: &str,
    b: &str,
) -> Vec<(&'v str, &'v str)> {
    values
        .iter()
        .map(|v| (v[a].as_str().unwrap_or("-"), v[b].as_str().unwrap_or("-")))
        .collect()
}

/// Runs `whosaw ARGS…` and captures everything.
pub fn run(args: &[&str]) -> Run {
    run_cmd(whosaw().args(args))
}

pub fn run_cmd(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("whosaw runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `who-read --format json` on testdata files: the parsed report.
pub fn who_read_json(secret: &str, files: &[&str], extra: &[&str]) -> (Run, serde_json::Value) {
    let paths: Vec<String> = files
        .iter()
        .map(|f| data(f).display().to_string())
        .collect();
    let mut args = vec!["who-read", secret];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    args.extend(extra);
    let r = run(&args);
    let v = r.json();
    (r, v)
}

/// The reader with this identity_id, or a panic listing the ones there are.
pub fn reader<'a>(report: &'a serde_json::Value, identity_id: &str) -> &'a serde_json::Value {
    let readers = report["readers"].as_array().expect("readers array");
    readers
        .iter()
        .find(|r| r["identity_id"] == identity_id)
        .unwrap_or_else(|| {
            let ids: Vec<_> = readers
                .iter()
                .map(|r| r["identity_id"].to_string())
                .collect();
            panic!("no reader {identity_id}; readers: {ids:?}")
        })
}

/// The secret and identities of `testdata/vault/*.log` and `incident/`
/// (see `testdata/vault/make_fixtures.py`).
pub mod cast {
    pub const DB: &str = "secret/production/db-password";
    pub const DEPLOY_BOT: &str = "7d2e4c1a-0b5f-4e8a-9c3d-1f2a3b4c5d6e";
    pub const PAYMENTS: &str = "a1b2c3d4-1111-4222-8333-944455556666";
    pub const REPORTING: &str = "b2c3d4e5-2222-4333-8444-a55566667777";
    pub const CI_RUNNER: &str = "c3d4e5f6-3333-4444-8555-b66677778888";
    pub const ALICE: &str = "d4e5f6a7-4444-4555-8666-c77788889999";
}

/// `whosaw SUBCOMMAND SECRET testdata/<rel> REST…`: `args` is the
/// subcommand, the secret, then anything after the path.
pub fn run_on(rel: &str, args: &[&str]) -> Run {
    let path = data(rel);
    let mut all: Vec<&str> = args[..2].to_vec();
    all.push(path.to_str().expect("UTF-8 path"));
    all.extend(&args[2..]);
    run(&all)
}

/// A Vault audit log in `dir` (`audit.log`) of one read of
/// secret/data/prod/db by an identity whose display name is `name`:
/// request and response. Returns its path.
pub fn vault_read_by(dir: &std::path::Path, name: &str) -> PathBuf {
    let line = |kind: &str, extra: &str| {
        format!(
            r#"{{"time":"2025-03-15T02:34:12.0Z","type":"{kind}","auth":{{"display_name":"{name}","entity_id":"e-1","policies":["default"]}},"request":{{"id":"r-1","operation":"read","path":"secret/data/prod/db","remote_address":"10.0.0.1"}}{extra}}}"#
        )
    };
    let log = dir.join("audit.log");
    let response = line(
        "response",
        r#","response":{"data":{"data":{"k":"hmac-sha256:00"}}}"#,
    );
    std::fs::write(&log, line("request", "") + "\n" + &response + "\n").unwrap();
    log
}
