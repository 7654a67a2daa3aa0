//! Gzipped logs: read transparently, recognised by their magic bytes, every
//! member of a multi-member file read, and truncated or corrupt archives
//! keeping the lines before the damage without hiding the other files.

use crate::util::{data, reader};

use super::{BACKUP_JOB, CI_RUNNER, DEPLOY_BOT, reader_ids, stat, who_read, who_read_paths};

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
