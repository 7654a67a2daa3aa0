//! The bad-input contract: damaged, odd or missing evidence never panics, is
//! reported on standard error with file and line, is counted in `stats`, and
//! the answer over the rest is still given (exit 3 for partial coverage,
//! exit 2 for what is fatal). Fixtures: `testdata/vault/bad/` (see its README).

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::util::{Run, data, reader, run, run_cmd, who_read_json, whosaw};

const SECRET: &str = "secret/production/db-password";

const DEPLOY_BOT: &str = "7d2b1c1e-5f0a-4c3e-9a57-0c6f1f0e6a11";
const CI_RUNNER: &str = "c0a8f3d2-91b4-4e6f-8d27-5b3e1a9c7f02";
const OPS_ADMIN: &str = "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b";
const BACKUP_JOB: &str = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

// ---------------------------------------------------------------- helpers

/// Whatever the input, a run ends with a status of its own: no panic, no
/// signal. Every run in this file goes through here.
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

// ------------------------------------------------- truncated and blank lines

#[test]
fn truncated_lines_are_reported_with_their_line_and_the_rest_is_answered() {
    // truncated.log: line 4 is cut and unrelated (only the structural check
    // sees it), line 10 is cut after the secret's path (parsed and rejected).
    let (r, v) = who_read(&["truncated.log"], &[]);
    assert_eq!(r.code, 3, "a skipped line means partial coverage");
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "malformed_lines"), 2);
    assert!(
        r.stderr.contains("truncated.log:4: truncated line"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("truncated.log:10: "), "{}", r.stderr);
    assert_eq!(warnings(&r.stderr).len(), 2, "{}", r.stderr);
}

#[test]
fn blank_lines_in_a_damaged_log_are_neither_events_nor_problems() {
    // truncated.log has 10 lines: 3 are blank (empty, CRLF-only, spaces).
    let (r, v) = who_read(&["truncated.log"], &[]);
    assert_eq!(stat(&v, "events"), 7);
    for blank in [3, 7, 9] {
        assert!(
            !r.stderr.contains(&format!("truncated.log:{blank}:")),
            "blank line {blank} reported:\n{}",
            r.stderr
        );
    }
}

#[test]
fn blank_lines_alone_do_not_make_coverage_partial() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let clean = String::from_utf8(fixture_bytes("clean.log")).unwrap();
    let spaced: String = clean
        .lines()
        .flat_map(|l| [l, "", "  \t ", "\r"])
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&log, format!("\n\n{spaced}\n\n")).unwrap();
    let (r, v) = who_read_paths(&[&log], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "events"), 5);
    assert_eq!(stat(&v, "malformed_lines"), 0);
    assert_eq!(r.stderr, "");
}

#[test]
fn crlf_line_endings_parse_like_lf() {
    // ci-runner's request and response (lines 5 and 6) end in CRLF.
    let (_, v) = who_read(&["truncated.log"], &["--evidence"]);
    let ci = reader(&v, CI_RUNNER);
    assert_eq!(ci["successful_reads"], 1);
    assert_eq!(ci["source_addresses"], serde_json::json!(["10.0.2.17"]));
    assert_eq!(ci["evidence"][0]["line"], 6);
    assert_eq!(ci["evidence"][0]["outcome"], "success");
}

#[test]
fn many_problems_show_the_first_few_then_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("crashy.log");
    let good = response_line(
        "deploy-bot",
        DEPLOY_BOT,
        "r-1",
        "secret/data/production/db-password",
    );
    let unrelated = response_line("ops-admin", OPS_ADMIN, "r-2", "secret/data/staging/api-key");
    let cut = &unrelated[..200];
    let mut text = format!("{good}\n");
    for _ in 0..25 {
        text.push_str(cut);
        text.push('\n');
    }
    std::fs::write(&log, text).unwrap();
    let (r, v) = who_read_paths(&[&log], &[]);
    assert_eq!(r.code, 3);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT]);
    assert_eq!(stat(&v, "malformed_lines"), 25);
    let shown = warnings(&r.stderr);
    assert_eq!(shown.len(), 10, "{}", r.stderr);
    assert!(
        shown[0].contains("crashy.log:2: truncated line"),
        "{}",
        shown[0]
    );
    assert!(shown[9].contains("crashy.log:11: "), "{}", shown[9]);
    assert!(
        r.stderr.contains("15 more problems (25 malformed lines"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------- non-UTF-8

#[test]
fn a_non_utf8_byte_in_a_line_naming_the_secret_is_reported() {
    // Line 3 reads the secret, but its display name holds a Latin-1 `é`.
    let (r, v) = who_read(&["non-utf8.log"], &[]);
    assert_eq!(r.code, 3);
    assert_eq!(stat(&v, "malformed_lines"), 1);
    assert!(
        r.stderr.contains("non-utf8.log:3: not UTF-8"),
        "{}",
        r.stderr
    );
    // The lines after it are still read.
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

// -------------------------------------------------------------------- gzip

#[test]
fn gzip_is_read_transparently() {
    let (plain_run, plain) = who_read(&["clean.log"], &[]);
    let (r, v) = who_read(&["valid.log.gz"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(v["readers"], plain["readers"]);
    assert_eq!(v["stats"], plain["stats"]);
    assert_eq!(plain_run.code, 0);
}

#[test]
fn gzip_is_recognised_by_its_magic_bytes_not_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("audit.log");
    std::fs::copy(data("vault/bad/valid.log.gz"), &renamed).unwrap();
    let (r, v) = who_read_paths(&[&renamed], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

#[test]
fn every_member_of_a_multi_member_gzip_is_read() {
    // Member 1: deploy-bot (lines 1-2). Member 2: ci-runner and backup-job
    // (lines 3-6), as `cat day1.gz day2.gz` makes.
    let (r, v) = who_read(&["multi-member.log.gz"], &["--evidence"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER, BACKUP_JOB]);
    assert_eq!(stat(&v, "events"), 6);
    // Line numbers run on across the member boundary.
    assert_eq!(reader(&v, BACKUP_JOB)["evidence"][0]["line"], 6);
}

#[test]
fn a_truncated_gzip_keeps_the_lines_before_the_cut() {
    // Cut in the middle of line 5 (ops-admin's request): lines 1-4 are whole.
    let (r, v) = who_read(&["truncated.log.gz"], &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "events"), 4);
    assert!(
        r.stderr
            .contains("truncated.log.gz:5: corrupt or truncated gzip"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_corrupt_gzip_is_partial_coverage_named_on_stderr() {
    let (r, _) = who_read(&["corrupt.log.gz"], &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("corrupt.log.gz"), "{}", r.stderr);
    assert!(
        r.stderr.contains("corrupt or truncated gzip"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_corrupt_gzip_keeps_the_lines_before_the_fault() {
    // Line 5's deflate block has the reserved block type: inflating fails
    // exactly there, after four whole lines.
    let (r, v) = who_read(&["corrupt.log.gz"], &[]);
    assert_eq!(r.code, 3);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "events"), 4);
    assert_eq!(stat(&v, "incomplete_files"), 1);
    assert!(r.stderr.contains("corrupt.log.gz:5: "), "{}", r.stderr);
}

#[test]
fn a_damaged_gzip_does_not_hide_the_other_files() {
    let (r, v) = who_read(&["corrupt.log.gz", "multi-member.log.gz"], &[]);
    assert_eq!(r.code, 3);
    assert!(reader_ids(&v).contains(&BACKUP_JOB), "{v}");
    assert_eq!(stat(&v, "files"), 2);
}

// ------------------------------------------------ not a log, empty, prefix

#[test]
fn a_file_that_is_not_an_audit_log_is_skipped_with_one_warning() {
    let (r, v) = who_read(&["export.csv", "clean.log"], &[]);
    assert_eq!(r.code, 3, "a skipped file means partial coverage");
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "skipped_files"), 1);
    assert_eq!(stat(&v, "files"), 2);
    // Skipped whole: its lines are not counted one by one.
    assert_eq!(stat(&v, "malformed_lines"), 0);
    let shown = warnings(&r.stderr);
    assert_eq!(shown.len(), 1, "{}", r.stderr);
    assert!(shown[0].contains("export.csv"), "{}", shown[0]);
    assert!(shown[0].contains("not a Vault audit log"), "{}", shown[0]);
}

#[test]
fn an_empty_file_is_a_note_not_partial_coverage() {
    for mode in [&[][..], &["--no-mmap"][..]] {
        let (r, _) = who_read(&["empty.log"], mode);
        assert_eq!(
            r.code, 1,
            "answered, nothing found ({mode:?}): {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("whosaw: note: ") && r.stderr.contains("empty.log"),
            "{}",
            r.stderr
        );
        assert!(warnings(&r.stderr).is_empty(), "{}", r.stderr);

        let (r, v) = who_read(&["empty.log", "clean.log"], mode);
        assert_eq!(r.code, 0, "{mode:?}: {}", r.stderr);
        assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    }
}

#[test]
fn lines_with_a_vault_prefix_parse_normally() {
    // The audit device's `prefix` option writes literal text before the JSON.
    let (r, v) = who_read(&["prefixed.log"], &[]);
    let (_, plain) = who_read(&["clean.log"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(v["readers"], plain["readers"]);
    assert_eq!(stat(&v, "malformed_lines"), 0);
}

#[test]
fn quiet_hides_the_warnings_but_not_the_exit_status() {
    let (r, v) = who_read(&["truncated.log"], &["--quiet"]);
    assert_eq!(r.code, 3);
    assert_eq!(r.stderr, "");
    assert_eq!(stat(&v, "malformed_lines"), 2);
}

// -------------------------------------------------- --strict, --no-mmap, --exhaustive

#[test]
fn strict_turns_a_malformed_line_into_exit_2_without_an_answer() {
    let r = sane(run(&[
        "who-read",
        SECRET,
        &bad("truncated.log"),
        "--json",
        "--strict",
    ]));
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "", "no answer is given");
    assert!(r.stderr.contains("--strict"), "{}", r.stderr);
    assert!(r.stderr.contains("truncated.log:4"), "{}", r.stderr);
}

#[test]
fn strict_turns_a_skipped_file_into_exit_2() {
    let r = sane(run(&[
        "who-read",
        SECRET,
        &bad("export.csv"),
        &bad("clean.log"),
        "--json",
        "--strict",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn strict_accepts_clean_input_and_empty_files() {
    let (r, v) = who_read(&["clean.log", "empty.log"], &["--strict"]);
    assert_eq!(r.code, 0, "an empty file loses nothing: {}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

#[test]
fn no_mmap_gives_the_same_answer_and_warnings() {
    for fixtures in [
        &["truncated.log"][..],
        &["non-utf8.log", "prefixed.log"][..],
        &["clean.log", "export.csv", "empty.log", "truncated.log.gz"][..],
    ] {
        let (mapped, mapped_json) = who_read(fixtures, &["--evidence"]);
        let (read, read_json) = who_read(fixtures, &["--evidence", "--no-mmap"]);
        assert_eq!(mapped_json, read_json, "{fixtures:?}");
        assert_eq!(mapped.code, read.code, "{fixtures:?}");
        assert_eq!(mapped.stderr, read.stderr, "{fixtures:?}");
    }
}

#[test]
fn exhaustive_finds_a_malformed_line_the_prefilter_never_parses() {
    // Line 3 is two writes interleaved: invalid JSON that still ends in `}`
    // and never mentions the secret, so the default scan cannot see it.
    let (r, v) = who_read(&["invalid-json-elsewhere.log"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(stat(&v, "malformed_lines"), 0);
    assert_eq!(v["stats"]["exhaustive"], false);

    let (r, v) = who_read(&["invalid-json-elsewhere.log"], &["--exhaustive"]);
    assert_eq!(r.code, 3);
    assert_eq!(stat(&v, "malformed_lines"), 1);
    assert_eq!(v["stats"]["exhaustive"], true);
    assert!(
        r.stderr
            .contains("invalid-json-elsewhere.log:3: not valid JSON"),
        "{}",
        r.stderr
    );
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

#[test]
fn exhaustive_counts_the_same_truncated_lines_as_the_default() {
    let (_, default) = who_read(&["truncated.log"], &[]);
    let (r, exhaustive) = who_read(&["truncated.log"], &["--exhaustive"]);
    assert_eq!(r.code, 3);
    assert_eq!(stat(&exhaustive, "malformed_lines"), 2);
    assert_eq!(exhaustive["readers"], default["readers"]);
    assert!(r.stderr.contains("truncated.log:4: "), "{}", r.stderr);
    assert!(r.stderr.contains("truncated.log:10: "), "{}", r.stderr);
}

// ------------------------------------------------ missing and unreadable input

#[test]
fn a_missing_path_is_fatal_and_named() {
    let missing = data("vault/bad/no-such-file.log");
    let r = sane(run(&[
        "who-read",
        SECRET,
        &missing.display().to_string(),
        "--json",
    ]));
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("no-such-file.log"), "{}", r.stderr);
}

#[test]
fn a_missing_path_is_fatal_even_next_to_good_files() {
    let r = sane(run(&[
        "who-read",
        SECRET,
        &bad("clean.log"),
        "/nonexistent/whosaw/audit.log",
        "--json",
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/nonexistent/whosaw/audit.log"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_dangling_symlink_in_a_folder_is_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("vault/bad/clean.log"), dir.path().join("a.log")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("rotated-away.log"),
        dir.path().join("b.log"),
    )
    .unwrap();
    let (r, v) = who_read_paths(&[dir.path()], &[]);
    assert_eq!(r.code, 3);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "skipped_files"), 1);
    let shown = warnings(&r.stderr);
    assert_eq!(shown.len(), 1, "{}", r.stderr);
    assert!(shown[0].contains("b.log"), "{}", shown[0]);
}

/// Makes `path` unreadable; false when that has no effect (running as root).
fn make_unreadable(path: &Path) -> bool {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let still_readable = if path.is_dir() {
        std::fs::read_dir(path).is_ok()
    } else {
        std::fs::File::open(path).is_ok()
    };
    !still_readable
}

#[test]
fn a_symlinked_folder_inside_a_walk_is_read_or_reported() {
    // logs/archive -> ../archive, which holds backup-job's read.
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let archive = dir.path().join("archive");
    std::fs::create_dir(&logs).unwrap();
    std::fs::create_dir(&archive).unwrap();
    std::fs::copy(data("vault/bad/clean.log"), logs.join("a.log")).unwrap();
    std::fs::copy(
        data("vault/bad/multi-member.log.gz"),
        archive.join("old.log.gz"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../archive", logs.join("archive")).unwrap();
    let (r, v) = who_read_paths(&[&logs], &[]);
    // Following the link and not following it are both fine; not following
    // it and still claiming full coverage is not.
    if reader_ids(&v).contains(&BACKUP_JOB) {
        assert_eq!(r.code, 0, "{}", r.stderr);
    } else {
        assert_eq!(r.code, 3, "the linked folder was not read: {v}");
        assert!(r.stderr.contains("archive"), "{}", r.stderr);
    }
}

#[test]
fn an_unreadable_file_in_a_folder_is_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("vault/bad/clean.log"), dir.path().join("a.log")).unwrap();
    let locked = dir.path().join("b.log");
    std::fs::copy(data("vault/bad/clean.log"), &locked).unwrap();
    if !make_unreadable(&locked) {
        // Root (CAP_DAC_OVERRIDE) reads a mode-000 file anyway: nothing to
        // test beyond "no panic". The dangling-symlink test covers skipping.
        eprintln!("skipped: running with permission to read a mode-000 file");
        sane(run(&[
            "who-read",
            SECRET,
            &dir.path().display().to_string(),
        ]));
        return;
    }
    let (r, v) = who_read_paths(&[dir.path()], &[]);
    assert_eq!(r.code, 3);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "skipped_files"), 1);
    assert!(r.stderr.contains("b.log: cannot read"), "{}", r.stderr);
}

#[test]
fn an_unreadable_subfolder_is_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("vault/bad/clean.log"), dir.path().join("a.log")).unwrap();
    let sub = dir.path().join("archive");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(
        data("vault/bad/multi-member.log.gz"),
        sub.join("old.log.gz"),
    )
    .unwrap();
    let readable = !make_unreadable(&sub);
    let outcome = if readable {
        // Root lists a mode-000 folder anyway: only check that nothing breaks.
        eprintln!("skipped: running with permission to list a mode-000 folder");
        sane(run(&[
            "who-read",
            SECRET,
            &dir.path().display().to_string(),
        ]));
        None
    } else {
        Some(who_read_paths(&[dir.path()], &[]))
    };
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some((r, v)) = outcome else { return };
    assert_eq!(r.code, 3);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "skipped_files"), 1);
    assert!(r.stderr.contains("archive"), "{}", r.stderr);
}

#[test]
fn a_named_pipe_is_read_as_a_stream() {
    // A FIFO cannot be mapped: it must be read front to back.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("live.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            // Blocks until whosaw opens the FIFO for reading.
            let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            w.write_all(&fixture_bytes("clean.log")).unwrap();
        })
    };
    let (r, v) = who_read_paths(&[&fifo], &[]);
    if !writer.is_finished() {
        // whosaw never opened it: unblock the writer before failing below.
        let _ = std::fs::File::open(&fifo);
    }
    writer.join().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

// ------------------------------------------------------------ standard input

fn who_read_stdin(input: Vec<u8>) -> (Run, Value) {
    let r = sane(run_cmd(
        whosaw()
            .args(["who-read", SECRET, "-", "--format", "json"])
            .write_stdin(input),
    ));
    let v = r.json();
    (r, v)
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let (r, v) = who_read_stdin(fixture_bytes("clean.log"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "files"), 1);
}

#[test]
fn gzipped_standard_input_is_recognised_by_its_magic_bytes() {
    let (r, v) = who_read_stdin(fixture_bytes("multi-member.log.gz"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER, BACKUP_JOB]);
}

#[test]
fn problems_on_standard_input_are_named_dash_with_their_line() {
    let (r, v) = who_read_stdin(fixture_bytes("truncated.log"));
    assert_eq!(r.code, 3);
    assert_eq!(stat(&v, "malformed_lines"), 2);
    assert!(r.stderr.contains("whosaw: warning: -:4: "), "{}", r.stderr);
    assert!(r.stderr.contains("whosaw: warning: -:10: "), "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

#[test]
fn a_truncated_gzip_on_standard_input_keeps_the_lines_before_the_cut() {
    let (r, v) = who_read_stdin(fixture_bytes("truncated.log.gz"));
    assert_eq!(r.code, 3);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert!(
        r.stderr.contains("-:5: corrupt or truncated gzip"),
        "{}",
        r.stderr
    );
}

// --------------------------------------------------------------- WHOSAW_LOGS

#[test]
fn no_path_and_no_whosaw_logs_is_exit_2_with_a_hint() {
    for env in [None, Some("")] {
        let mut cmd = whosaw();
        cmd.args(["who-read", SECRET, "--json"]);
        if let Some(value) = env {
            cmd.env("WHOSAW_LOGS", value);
        }
        let r = sane(run_cmd(&mut cmd));
        assert_eq!(r.code, 2, "WHOSAW_LOGS={env:?}");
        assert_eq!(r.stdout, "");
        assert!(r.stderr.contains("WHOSAW_LOGS"), "{}", r.stderr);
    }
}

#[test]
fn whosaw_logs_is_read_when_no_path_is_given() {
    let r = sane(run_cmd(
        whosaw()
            .env("WHOSAW_LOGS", bad("clean.log"))
            .args(["who-read", SECRET, "--json"]),
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&r.json()), [DEPLOY_BOT, CI_RUNNER]);
}

#[test]
fn whosaw_logs_may_list_several_paths() {
    let list = format!("{}:{}", bad("clean.log"), bad("multi-member.log.gz"));
    let r = sane(run_cmd(
        whosaw()
            .env("WHOSAW_LOGS", list)
            .args(["who-read", SECRET, "--json"]),
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(stat(&v, "files"), 2);
    assert!(reader_ids(&v).contains(&BACKUP_JOB), "{v}");
}

#[test]
fn a_path_argument_wins_over_whosaw_logs() {
    let r = sane(run_cmd(
        whosaw()
            .env("WHOSAW_LOGS", "/nonexistent/whosaw/logs")
            .args(["who-read", SECRET, &bad("clean.log"), "--json"]),
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_missing_path_in_whosaw_logs_is_fatal_and_named() {
    let r = sane(run_cmd(
        whosaw()
            .env("WHOSAW_LOGS", "/nonexistent/whosaw/logs")
            .args(["who-read", SECRET, "--json"]),
    ));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/nonexistent/whosaw/logs"),
        "{}",
        r.stderr
    );
}

// ------------------------------------------------------------- broken pipe

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    // Thousands of readers make far more output than a pipe buffer holds, so
    // whosaw is certain to write into the closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("busy.log");
    let mut text = String::new();
    for i in 0..3000 {
        let who = format!("svc-{i}");
        let entity = format!("00000000-0000-4000-8000-{i:012x}");
        let request = format!("10000000-0000-4000-8000-{i:012x}");
        text.push_str(&response_line(
            &who,
            &entity,
            &request,
            "secret/data/production/db-password",
        ));
        text.push('\n');
    }
    std::fs::write(&log, text).unwrap();

    for format in ["ndjson", "json", "table"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_whosaw"))
            .env_clear()
            .args(["who-read", SECRET, &log.display().to_string()])
            .args(["--format", format])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader (`head`) is gone
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.signal(), None, "{format}: killed by a signal");
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}: nothing on stderr");
    }
}

// ------------------------------------------------------------ the evidence

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

// -------------------------------------------------------- all of it at once

#[test]
fn blast_radius_reports_bad_input_the_same_way() {
    let r = sane(run(&[
        "blast-radius",
        SECRET,
        &bad("truncated.log"),
        &bad("export.csv"),
        "--json",
    ]));
    assert_eq!(r.code, 3);
    let v = r.json();
    assert_eq!(stat(&v, "malformed_lines"), 2);
    assert_eq!(stat(&v, "skipped_files"), 1);
    let rotate = v["rotate"].as_array().expect("rotate");
    assert!(rotate.iter().any(|i| i["kind"] == "secret"), "{v}");
    assert!(rotate.iter().any(|i| i["identity_id"] == DEPLOY_BOT), "{v}");
    assert!(rotate.iter().any(|i| i["identity_id"] == CI_RUNNER), "{v}");
    assert!(r.stderr.contains("truncated.log:4"), "{}", r.stderr);
    assert!(r.stderr.contains("export.csv"), "{}", r.stderr);
}

#[test]
fn blast_radius_depth_2_counts_each_bad_line_once() {
    for depth in ["1", "2"] {
        let r = sane(run(&[
            "blast-radius",
            SECRET,
            &bad("truncated.log"),
            "--json",
            "--depth",
            depth,
        ]));
        assert_eq!(r.code, 3);
        assert_eq!(
            stat(&r.json(), "malformed_lines"),
            2,
            "--depth {depth}: {}",
            r.stderr
        );
        for line in ["truncated.log:4:", "truncated.log:10:"] {
            assert_eq!(
                r.stderr.matches(line).count(),
                1,
                "--depth {depth}: {line} reported more than once:\n{}",
                r.stderr
            );
        }
    }
}

#[test]
fn the_whole_bad_folder_is_answered_with_every_problem_named() {
    let (r, v) = who_read_paths(&[&data("vault/bad")], &[]);
    assert_eq!(r.code, 3);
    let ids = reader_ids(&v);
    for id in [DEPLOY_BOT, CI_RUNNER, BACKUP_JOB] {
        assert!(ids.contains(&id), "{id} missing: {ids:?}");
    }
    // truncated.log (2) and non-utf8.log (1); invalid-json-elsewhere.log's
    // bad line is never parsed without --exhaustive.
    assert_eq!(stat(&v, "malformed_lines"), 3);
    // export.csv and README.md are not audit logs.
    assert_eq!(stat(&v, "skipped_files"), 2);
    for named in [
        "truncated.log:4",
        "truncated.log:10",
        "non-utf8.log:3",
        "truncated.log.gz:5",
        "corrupt.log.gz",
        "export.csv",
        "README.md",
        "empty.log",
    ] {
        assert!(r.stderr.contains(named), "{named} not named:\n{}", r.stderr);
    }
}

#[test]
fn a_first_line_longer_than_the_sniff_window_does_not_hide_the_file() {
    // A 1.1 MB list response (Vault logs every key of a big folder), then a
    // read: the file must be read, plain and gzipped, mapped and streamed.
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<String> = (0..60_000)
        .map(|i| format!("\"hmac-sha256:{i:010}\""))
        .collect();
    let list = format!(
        r#"{{"time":"2025-03-15T01:00:00Z","type":"response","request":{{"id":"big","operation":"list","path":"secret/metadata/"}},"response":{{"data":{{"keys":[{}]}}}}}}"#,
        keys.join(",")
    );
    let read = std::fs::read_to_string(data("vault/bad/clean.log")).unwrap();
    let text = format!("{list}\n{read}");
    assert!(list.len() > 1 << 20);
    let plain = dir.path().join("big-first.log");
    std::fs::write(&plain, &text).unwrap();
    let gz = dir.path().join("big-first.log.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(text.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    for (path, extra) in [
        (&plain, &[][..]),
        (&plain, &["--no-mmap"][..]),
        (&gz, &[][..]),
    ] {
        let (r, v) = who_read_paths(&[path], extra);
        assert_eq!(r.code, 0, "{}: {}", path.display(), r.stderr);
        assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    }
}
