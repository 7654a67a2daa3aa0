//! All of it at once: `blast-radius` reports bad input as `who-read` does,
//! counting each bad line once at any depth, and the whole bad folder is
//! answered with every problem named.

use crate::util::{data, run};

use super::{
    BACKUP_JOB, CI_RUNNER, DEPLOY_BOT, SECRET, bad, reader_ids, sane, stat, who_read_paths,
};

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
