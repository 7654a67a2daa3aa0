//! Whole files that are odd: not an audit log, empty, a first line longer
//! than the sniff window, and what a folder walk meets — dangling and
//! folder symlinks, unreadable files and subfolders.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::util::{data, run};

use super::{
    BACKUP_JOB, CI_RUNNER, DEPLOY_BOT, SECRET, reader_ids, sane, stat, warnings, who_read,
    who_read_paths,
};

// ------------------------------------ not a log, empty, a long first line

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
    assert!(
        shown[0].contains("not a recognised audit log"),
        "{}",
        shown[0]
    );
    // A CSV is told by its columns, and what whosaw reads in one is said.
    assert!(
        shown[0].contains("a CSV of columns time, identity, operation, path")
            && shown[0].contains("Splunk's _raw"),
        "{}",
        shown[0]
    );
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

// ------------------------------------------------------------ folder walks

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
