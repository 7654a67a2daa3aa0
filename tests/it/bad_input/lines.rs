//! Damage inside a log's lines: truncated, blank, CRLF-ended, non-UTF-8 and
//! prefixed lines, the cap on how many problems are shown, and what
//! `--exhaustive` finds that the default prefilter never parses.

use crate::util::reader;

use super::{
    CI_RUNNER, DEPLOY_BOT, OPS_ADMIN, fixture_bytes, reader_ids, response_line, stat, warnings,
    who_read, who_read_paths,
};

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

// ------------------------------------------------------------------- prefix

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

// -------------------------------------------------------------- --exhaustive

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
