//! Which paths are read: a missing path argument is fatal and named, and
//! without one `WHOSAW_LOGS` supplies the paths (or its absence is a hint).

use crate::util::{data, run, run_cmd, whosaw};

use super::{BACKUP_JOB, CI_RUNNER, DEPLOY_BOT, SECRET, bad, reader_ids, sane, stat};

// ------------------------------------------------------------ missing paths

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
