//! The bad-input contract: damaged, odd or missing evidence never panics, is
//! reported on standard error with file and line, is counted in `stats`, and
//! the answer over the rest is still given (exit 3 for partial coverage,
//! exit 2 for what is fatal). Fixtures: `testdata/vault/bad/` (see its README).
//!
//! This file holds the fixtures' cast and the helpers every theme shares; the
//! tests live in the modules below, one theme each.

mod all_at_once;
mod evidence;
mod files;
mod flags;
mod gzip;
mod lines;
mod paths;
mod streams;

use std::path::Path;

use serde_json::Value;

use crate::util::{Run, data, run, who_read_json};

const SECRET: &str = "secret/production/db-password";

const DEPLOY_BOT: &str = "7d2b1c1e-5f0a-4c3e-9a57-0c6f1f0e6a11";
const CI_RUNNER: &str = "c0a8f3d2-91b4-4e6f-8d27-5b3e1a9c7f02";
const OPS_ADMIN: &str = "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b";
const BACKUP_JOB: &str = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

// ---------------------------------------------------------------- helpers

/// Whatever the input, a run ends with a status of its own: no panic, no
/// signal. Every run in these tests goes through here, except the two that
/// drive the process by hand (a closed stdout, a growing log).
fn sane(r: Run) -> Run {
    assert!(
        !r.stderr.contains("panicked"),
        "whosaw panicked:\n{}",
        r.stderr
    );
    assert!(
        matches!(r.code, 0..=3),
        "exit status {} is not in the contract (0-3); stderr:\n{}",
        r.code,
        r.stderr
    );
    r
}

/// `testdata/vault/bad/<name>` as a string argument.
fn bad(name: &str) -> String {
    data(&format!("vault/bad/{name}")).display().to_string()
}

/// `who-read SECRET <fixtures…> --format json EXTRA…`, checked for sanity.
fn who_read(fixtures: &[&str], extra: &[&str]) -> (Run, Value) {
    let rel: Vec<String> = fixtures.iter().map(|f| format!("vault/bad/{f}")).collect();
    let rel: Vec<&str> = rel.iter().map(String::as_str).collect();
    let (r, v) = who_read_json(SECRET, &rel, extra);
    (sane(r), v)
}

/// `who-read SECRET <paths…> --format json EXTRA…` on any paths.
fn who_read_paths(paths: &[&Path], extra: &[&str]) -> (Run, Value) {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["who-read", SECRET];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    args.extend(extra);
    let r = sane(run(&args));
    let v = r.json();
    (r, v)
}

/// The identity ids of the readers, in report order.
fn reader_ids(report: &Value) -> Vec<&str> {
    report["readers"]
        .as_array()
        .expect("readers array")
        .iter()
        .map(|r| r["identity_id"].as_str().expect("identity_id"))
        .collect()
}

fn stat(report: &Value, name: &str) -> u64 {
    report["stats"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("stats.{name} missing: {}", report["stats"]))
}

/// Lines of standard error that are warnings (not notes, not errors).
fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("whosaw: warning:"))
        .collect()
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("vault/bad/{name}"))).expect("fixture")
}

/// One Vault response line: `who` (entity `entity`) read `path` successfully.
fn response_line(who: &str, entity: &str, request_id: &str, path: &str) -> String {
    format!(
        r#"{{"time":"2025-03-15T03:00:00.000Z","type":"response","auth":{{"client_token":"hmac-sha256:c0ffee","accessor":"hmac-sha256:acc-{who}","display_name":"{who}","policies":["default"],"entity_id":"{entity}","metadata":{{}}}},"request":{{"id":"{request_id}","operation":"read","mount_point":"secret/","path":"{path}","remote_address":"10.1.2.3"}},"response":{{"data":{{"data":{{"password":"hmac-sha256:beef"}}}}}}}}"#
    )
}
