//! The evidence itself: reading never changes or adds to it, and a log that
//! grows while it is read is reported as changed.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use crate::util::{data, run};

use super::{DEPLOY_BOT, OPS_ADMIN, SECRET, response_line, sane};

/// Size, modification time and a hash of the content of every entry in `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime, u64)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mut hasher = DefaultHasher::new();
        std::fs::read(&path).unwrap().hash(&mut hasher);
        out.insert(
            path,
            (meta.len(), meta.modified().unwrap(), hasher.finish()),
        );
    }
    out
}

#[test]
fn reading_never_changes_or_adds_to_the_evidence() {
    let folder = data("vault/bad");
    let before = snapshot(&folder);
    let folder_arg = folder.display().to_string();
    for extra in [
        &[][..],
        &["--no-mmap"][..],
        &["--exhaustive"][..],
        &["--evidence", "--format", "json"][..],
    ] {
        let mut args = vec!["who-read", SECRET, &folder_arg];
        args.extend(extra);
        sane(run(&args));
    }
    sane(run(&["blast-radius", SECRET, &folder_arg, "--depth", "2"]));
    assert_eq!(snapshot(&folder), before);
}

#[test]
fn a_log_that_grows_during_the_run_is_reported_as_changed() {
    // Vault keeps appending while an incident responder runs whosaw on the
    // live file. The test appends a line every millisecond until whosaw has
    // exited, so some append lands between its open and its re-check.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("live.log");
    let filler = response_line("ops-admin", OPS_ADMIN, "r-x", "secret/data/staging/api-key");
    let mut text = response_line(
        "deploy-bot",
        DEPLOY_BOT,
        "r-1",
        "secret/data/production/db-password",
    );
    text.push('\n');
    for _ in 0..20_000 {
        text.push_str(&filler);
        text.push('\n');
    }
    std::fs::write(&log, text).unwrap();

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_whosaw"))
        .env_clear()
        .args(["who-read", SECRET, &log.display().to_string()])
        .args(["--format", "json", "--exhaustive"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut appender = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        appender
            .write_all(format!("{filler}\n").as_bytes())
            .unwrap();
        std::thread::sleep(Duration::from_millis(1));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("live.log: the file changed while it was being read"),
        "{stderr}"
    );
}
