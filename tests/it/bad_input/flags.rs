//! The flags that change how bad input is handled: `--quiet` hides the
//! warnings, `--strict` makes any loss fatal, `--no-mmap` changes nothing
//! but how the bytes are read.

use crate::util::run;

use super::{CI_RUNNER, DEPLOY_BOT, SECRET, bad, reader_ids, sane, stat, who_read};

#[test]
fn quiet_hides_the_warnings_but_not_the_exit_status() {
    let (r, v) = who_read(&["truncated.log"], &["--quiet"]);
    assert_eq!(r.code, 3);
    assert_eq!(r.stderr, "");
    assert_eq!(stat(&v, "malformed_lines"), 2);
}

// ------------------------------------------------------ --strict, --no-mmap

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
