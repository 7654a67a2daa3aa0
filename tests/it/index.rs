//! The persistent index: answers from it equal a scan's, it is never stale
//! (appended, changed, vanished inputs), never believed when damaged, never
//! written beside the evidence, and the same input gives the same bytes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{Run, data, run};

const SECRET: &str = "secret/data/production/db";

/// The questions compared, each over `PATHS` (JSON, with and without
/// evidence, both depths).
fn questions() -> Vec<Vec<&'static str>> {
    vec![
        vec!["who-read", SECRET, "--format", "json"],
        vec!["who-read", SECRET, "--format", "json", "--evidence"],
        vec![
            "who-read",
            "--regex",
            "production",
            "--format",
            "json",
            "--evidence",
        ],
        vec!["blast-radius", SECRET, "--format", "json"],
        vec!["blast-radius", SECRET, "--depth", "2", "--format", "json"],
        vec!["timeline", "--format", "json"],
        vec!["timeline", "--secret", SECRET, "--format", "ndjson"],
        vec!["suspicious", "--format", "json"],
        vec!["baseline"],
    ]
}

/// A JSON answer without its `stats` (which count what was read, and an
/// index has read every record).
fn answer(r: &Run) -> serde_json::Value {
    let mut v = match r.stdout.trim_start().starts_with('{') && !r.stdout.contains("}\n{") {
        true => r.json(),
        false => serde_json::Value::Array(r.ndjson()),
    };
    if let Some(o) = v.as_object_mut() {
        o.remove("stats");
    }
    v
}

/// who-read of `SECRET` in `log`, as JSON with its evidence.
fn who_read_evidence(log: &str) -> [&str; 6] {
    ["who-read", SECRET, log, "--format", "json", "--evidence"]
}

fn with(args: &[&str], more: &[&str]) -> Vec<String> {
    args.iter().chain(more).map(|s| s.to_string()).collect()
}

fn run_s(args: &[String]) -> Run {
    run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn index(cache: &Path, paths: &[&str]) -> Run {
    let mut args = vec!["index", "--cache", cache.to_str().unwrap()];
    args.extend_from_slice(paths);
    run(&args)
}

/// The one segment file in a cache.
fn segments(cache: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(cache.join("index-v1"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "wsx"));
    found.sort();
    found
}

#[test]
fn answers_from_the_index_equal_a_scans() {
    let cache = tempfile::tempdir().unwrap();
    let cache_arg = cache.path().to_str().unwrap();
    let sets: Vec<String> = [
        "incident", "vault", "rules", "exports", "k8s", "azure", "gcp",
    ]
    .iter()
    .map(|d| data(d).to_string_lossy().into_owned())
    .collect();
    let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
    let built = index(cache.path(), &sets);
    assert!(built.code == 0 || built.code == 3, "{}", built.stderr);
    assert!(!segments(cache.path()).is_empty());
    for set in &sets {
        for q in questions() {
            let scanned = run_s(&with(&q, &[set, "--exhaustive"]));
            let indexed = run_s(&with(&q, &[set, "--cache", cache_arg, "-v"]));
            assert_eq!(answer(&indexed), answer(&scanned), "{q:?} {set}");
            assert_eq!(
                indexed.code, scanned.code,
                "{q:?} {set}\n{}",
                indexed.stderr
            );
            assert!(
                indexed.stderr.contains("answered from the index"),
                "{q:?} {set}: {}",
                indexed.stderr
            );
            // Without --exhaustive, the scan finds the same answer.
            let quick = run_s(&with(&q, &[set]));
            assert_eq!(answer(&quick), answer(&scanned), "{q:?} {set}");
        }
    }
}

/// `testdata/vault/incident/audit.log` copied into a folder of its own,
/// cut after some lines, and an empty cache.
struct Copied {
    folder: tempfile::TempDir,
    log: PathBuf,
    /// The whole log, uncut.
    whole: String,
    cache: tempfile::TempDir,
}

impl Copied {
    fn new(lines: usize) -> Copied {
        let folder = tempfile::tempdir().unwrap();
        let whole = fs::read_to_string(data("vault/incident/audit.log")).unwrap();
        let cut: String = whole.split_inclusive('\n').take(lines).collect();
        let log = folder.path().join("audit.log");
        fs::write(&log, &cut).unwrap();
        Copied {
            folder,
            log,
            whole,
            cache: tempfile::tempdir().unwrap(),
        }
    }

    fn log_arg(&self) -> &str {
        self.log.to_str().unwrap()
    }

    fn cache_arg(&self) -> &str {
        self.cache.path().to_str().unwrap()
    }
}

#[test]
fn an_appended_log_is_indexed_from_its_old_end_only() {
    let c = Copied::new(9);
    let (log, whole, cache, log_arg) = (&c.log, &c.whole, &c.cache, c.log_arg());
    assert_eq!(index(cache.path(), &[log_arg]).code, 0);
    fs::write(log, whole).unwrap();
    let q = who_read_evidence(log_arg);
    let indexed = run_s(&with(
        &q,
        &["--cache", cache.path().to_str().unwrap(), "-v"],
    ));
    assert!(
        indexed
            .stderr
            .contains("the lines appended since were indexed"),
        "{}",
        indexed.stderr
    );
    let scanned = run_s(&with(&q, &["--no-index"]));
    assert_eq!(answer(&indexed), answer(&scanned));
    // The refreshed index is the one indexing the whole file gives.
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(index(fresh.path(), &[log_arg]).code, 0);
    let (a, b) = (segments(cache.path()), segments(fresh.path()));
    assert_eq!(a.len(), 1);
    assert!(
        fs::read(&a[0]).unwrap() == fs::read(&b[0]).unwrap(),
        "segments differ"
    );
}

#[test]
fn a_changed_log_is_indexed_again_and_a_vanished_one_dropped() {
    let c = Copied::new(17);
    let (log, whole, cache) = (&c.log, &c.whole, &c.cache);
    let (cache_arg, log_arg, logs) = (c.cache_arg(), c.log_arg(), &c.folder);
    assert_eq!(index(cache.path(), &[log_arg]).code, 0);
    // Another reader's name: what a query says must follow the file.
    let changed = whole.replacen("\"display_name\":\"", "\"display_name\":\"X", 1);
    assert_ne!(&changed, whole);
    fs::write(log, &changed).unwrap();
    let q = ["who-read", SECRET, log_arg, "--format", "json"];
    let indexed = run_s(&with(&q, &["--cache", cache_arg, "-v"]));
    assert!(
        indexed.stderr.contains("indexed again"),
        "{}",
        indexed.stderr
    );
    assert_eq!(answer(&indexed), answer(&run_s(&with(&q, &["--no-index"]))));
    // A second log in the folder, indexed, then deleted (rotated away): a
    // query over the folder drops its index.
    let other = logs.path().join("old.log");
    fs::write(&other, whole).unwrap();
    let folder = logs.path().to_str().unwrap();
    assert_eq!(index(cache.path(), &[folder]).code, 0);
    assert_eq!(segments(cache.path()).len(), 2);
    fs::remove_file(&other).unwrap();
    let q = ["who-read", SECRET, folder, "--format", "json"];
    let gone = run_s(&with(&q, &["--cache", cache_arg]));
    assert!(
        gone.stderr.contains("its index was dropped"),
        "{}",
        gone.stderr
    );
    assert_eq!(gone.code, run_s(&with(&q, &["--no-index"])).code);
    assert_eq!(segments(cache.path()).len(), 1);
}

#[test]
fn a_damaged_index_is_never_believed() {
    let log = data("vault/incident/audit.log");
    let log_arg = log.to_str().unwrap();
    let q = who_read_evidence(log_arg);
    let scanned = run_s(&with(&q, &["--no-index"]));
    let cache = tempfile::tempdir().unwrap();
    let cache_arg = cache.path().to_str().unwrap();
    assert_eq!(index(cache.path(), &[log_arg]).code, 0);
    let segment = segments(cache.path()).remove(0);
    let good = fs::read(&segment).unwrap();
    let mut damages: Vec<Vec<u8>> = Vec::new();
    for at in [
        0,
        9,
        13,
        50,
        61,
        70,
        good.len() / 3,
        good.len() / 2,
        good.len() - 1,
    ] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        damages.push(bad);
    }
    for keep in [0, 10, 64, good.len() / 2, good.len() - 1] {
        damages.push(good[..keep].to_vec());
    }
    damages.push(b"not an index at all\n".to_vec());
    for (n, bad) in damages.iter().enumerate() {
        fs::write(&segment, bad).unwrap();
        let indexed = run_s(&with(&q, &["--cache", cache_arg]));
        assert_eq!(answer(&indexed), answer(&scanned), "damage {n}");
        assert_eq!(indexed.code, scanned.code, "damage {n}: {}", indexed.stderr);
        // Blocks are checked as a question reads them: damage where this
        // question did not read is found by the next that does, and by
        // --verify, which reads everything.
        if fs::read(&segment).unwrap() == good {
            assert!(
                indexed.stderr.contains("index"),
                "damage {n}: {}",
                indexed.stderr
            );
        } else {
            let verify = run(&["index", "--verify", "--cache", cache_arg, log_arg, "--json"]);
            assert_eq!(verify.code, 3, "damage {n}: {}", verify.stdout);
            assert_eq!(index(cache.path(), &[log_arg]).code, 0);
            assert!(fs::read(&segment).unwrap() == good, "damage {n}");
        }
    }
}

#[test]
fn an_unwritable_cache_leaves_the_answer_alone() {
    let file = tempfile::NamedTempFile::new().unwrap();
    // A folder cannot be made inside a file.
    let cache = file.path().join("cache");
    let cache_arg = cache.to_str().unwrap();
    let log = data("vault/incident/audit.log");
    let log_arg = log.to_str().unwrap();
    let built = run(&["index", "--cache", cache_arg, log_arg]);
    assert_eq!(built.code, 3, "{}", built.stderr);
    assert!(built.stderr.contains("not indexed"), "{}", built.stderr);
    let q = ["who-read", SECRET, log_arg, "--format", "json"];
    let r = run_s(&with(&q, &["--cache", cache_arg]));
    let scanned = run_s(&with(&q, &["--no-index"]));
    assert_eq!((r.code, r.stdout), (scanned.code, scanned.stdout));
}

#[test]
fn the_same_input_gives_the_same_index_and_none_beside_it() {
    let c = Copied::new(17);
    let (log_arg, logs) = (c.log_arg(), &c.folder);
    let (a, b) = (&c.cache, tempfile::tempdir().unwrap());
    assert_eq!(index(a.path(), &[log_arg]).code, 0);
    assert_eq!(index(b.path(), &[log_arg]).code, 0);
    let (a, b) = (segments(a.path()), segments(b.path()));
    assert!(
        fs::read(&a[0]).unwrap() == fs::read(&b[0]).unwrap(),
        "segments differ"
    );
    let beside: Vec<_> = fs::read_dir(logs.path()).unwrap().flatten().collect();
    assert_eq!(beside.len(), 1, "only the log itself");
}

#[test]
fn queries_over_inputs_never_indexed_write_nothing() {
    let cache = tempfile::tempdir().unwrap();
    let r = run(&[
        "who-read",
        SECRET,
        data("vault").to_str().unwrap(),
        "--cache",
        cache.path().to_str().unwrap(),
    ]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert!(segments(cache.path()).is_empty());
}

#[test]
fn verify_checks_and_prune_clears() {
    let c = Copied::new(17);
    let (log, cache) = (&c.log, &c.cache);
    let (log_arg, cache_arg) = (c.log_arg(), c.cache_arg());
    assert_eq!(index(cache.path(), &[log_arg]).code, 0);
    let ok = run(&["index", "--verify", "--cache", cache_arg, log_arg, "--json"]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert_eq!(ok.json()["files"][0]["verdict"], "verified");
    let segment = segments(cache.path()).remove(0);
    let mut bytes = fs::read(&segment).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 1;
    fs::write(&segment, &bytes).unwrap();
    let bad = run(&["index", "--verify", "--cache", cache_arg, log_arg, "--json"]);
    assert_eq!(bad.code, 3);
    assert!(
        bad.json()["files"][0]["verdict"]["damaged"].is_string(),
        "{}",
        bad.stdout
    );
    assert_eq!(index(cache.path(), &[log_arg]).code, 0);
    fs::remove_file(log).unwrap();
    let pruned = run(&["index", "--prune", "--cache", cache_arg, "--json"]);
    assert_eq!(pruned.code, 0, "{}", pruned.stderr);
    assert_eq!(pruned.json()["pruned"][0]["why"], "its input is gone");
    assert!(segments(cache.path()).is_empty());
}

#[test]
fn two_runs_indexing_at_once_leave_one_good_index() {
    let c = Copied::new(17);
    let cache = &c.cache;
    let (log_arg, cache_arg) = (c.log_arg(), c.cache_arg());
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("whosaw"))
            .args(["index", "-q", "--cache", cache_arg, log_arg])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let verify = run(&["index", "--verify", "--cache", cache_arg, log_arg, "--json"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    // No temporary file is left behind.
    let left: Vec<_> = fs::read_dir(cache.path().join("index-v1"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn standard_input_is_never_indexed() {
    let cache = tempfile::tempdir().unwrap();
    let log = fs::read_to_string(data("vault/incident/audit.log")).unwrap();
    let r = crate::util::run_cmd(
        crate::util::whosaw()
            .args(["index", "-", "--json", "--cache"])
            .arg(cache.path())
            .write_stdin(log),
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.json()["files"][0]["status"], "not-indexed");
    assert!(segments(cache.path()).is_empty());
}
