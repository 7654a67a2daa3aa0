//! Other engines over whosaw's output: DuckDB reads the Parquet export
//! (types, row count, a who-read count as a query), and the Spark job
//! (`spark/whosaw_spark.py`, local mode) gives whosaw's own answers, on the
//! incident fixtures and on a generated multi-file set of more than 200 MB
//! over two stores.
//!
//! They need python3 with duckdb and pyspark (and Java for Spark).
//! `.ci/run` installs them and sets `WHOSAW_ENGINES=required`, which turns
//! a missing one into a failure; elsewhere these tests say they skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::util::data;

const WHOSAW: &str = env!("CARGO_BIN_EXE_whosaw");

/// Whether python3 can import `module`; a panic when it cannot and CI
/// requires it.
fn have(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("WHOSAW_ENGINES").as_deref() != Ok("required"),
            "python3 cannot import {module}, and WHOSAW_ENGINES=required"
        );
        eprintln!("skipped: python3 cannot import {module} (pip install {module})");
    }
    ok
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// An example generator, as `cargo test` built it.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().unwrap().parent().unwrap();
    let path = debug.join("examples").join(name);
    assert!(path.is_file(), "{} not built", path.display());
    path
}

fn succeeds(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The generated set: a 150 MiB Vault log cut into four files (requests
/// and responses fall apart at the cuts) and 60 MiB of CloudTrail
/// deliveries. Made once per test run.
fn generated() -> &'static Path {
    static SET: OnceLock<tempfile::TempDir> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("vault.log");
        succeeds(
            Command::new(example("gen_vault"))
                .args(["--size", "150MiB", "--seed", "7"])
                .arg(&log),
        );
        let text = std::fs::read(&log).unwrap();
        std::fs::remove_file(&log).unwrap();
        let vault = dir.path().join("vault");
        std::fs::create_dir(&vault).unwrap();
        let mut start = 0;
        for part in 0..4 {
            let mut end = (text.len() * (part + 1) / 4).min(text.len());
            while end < text.len() && text[end - 1] != b'\n' {
                end += 1;
            }
            std::fs::write(vault.join(format!("audit.log.{part}")), &text[start..end]).unwrap();
            start = end;
        }
        succeeds(
            Command::new(example("gen_cloudtrail"))
                .arg(dir.path().join("cloudtrail"))
                .args(["--size-mib", "60", "--seed", "7"]),
        );
        dir
    })
    .path()
}

const VAULT_SECRET: &str = "secret/data/production/payments/db-password";
const AWS_SECRET: &str = "qa/compliance/tls-private-key";

fn whosaw_json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(WHOSAW).args(args).output().unwrap();
    assert!(
        [0, 1].contains(&out.status.code().unwrap_or(-1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// An answer without `stats` (which count the exports' rows, not the
/// logs' records).
fn answer(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("stats");
    v
}

#[test]
fn duckdb_reads_the_parquet_export() {
    if !have("duckdb") {
        return;
    }
    let set = generated();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("lake");
    let export = Command::new(WHOSAW)
        .args(["export", set.to_str().unwrap(), "--format", "parquet", "-o"])
        .arg(format!("{}/", folder.display()))
        .output()
        .unwrap();
    assert_eq!(export.status.code(), Some(0));
    let said = String::from_utf8_lossy(&export.stderr);
    let rows = said
        .split_whitespace()
        .skip_while(|w| *w != "exported")
        .nth(1)
        .unwrap_or_else(|| panic!("no row count in {said}"))
        .to_string();
    let who = whosaw_json(&[
        "who-read",
        VAULT_SECRET,
        set.to_str().unwrap(),
        "--json",
        "--no-index",
    ]);
    let who_file = out.path().join("who.json");
    std::fs::write(&who_file, who.to_string()).unwrap();
    let check = Command::new("python3")
        .arg(root().join("tests/engines/duckdb_check.py"))
        .arg(&folder)
        .arg(&rows)
        .arg(&who_file)
        .arg("secret/production/payments/db-password")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The Spark job's answer to `question` over `inputs`.
fn spark(question: &[&str], inputs: &[&Path]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(root().join("spark/whosaw_spark.py"))
        .args(&question[..2])
        .args(inputs)
        .args(&question[2..])
        .args(["--whosaw", WHOSAW, "--master", "local[2]", "--json"])
        .output()
        .unwrap();
    assert!(
        [0, 1].contains(&out.status.code().unwrap_or(-1)),
        "{question:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{question:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn the_spark_job_gives_whosaw_s_answers() {
    if !have("pyspark") {
        return;
    }
    let incident = data("incident");
    let set = generated();
    let cases: [(&[&str], &Path); 6] = [
        (&["who-read", "prod/db-password"], &incident),
        (
            &["blast-radius", "prod/db-password", "--depth", "1"],
            &incident,
        ),
        (
            &["blast-radius", "prod/db-password", "--depth", "2"],
            &incident,
        ),
        (&["who-read", VAULT_SECRET], set),
        (&["who-read", AWS_SECRET, "--since", "2025-01-01"], set),
        (&["blast-radius", VAULT_SECRET, "--depth", "2"], set),
    ];
    for (question, input) in cases {
        let mut args: Vec<&str> = question.to_vec();
        args.insert(2, input.to_str().unwrap());
        args.extend(["--json", "--no-index"]);
        let local = answer(whosaw_json(&args));
        let readers = local["readers"]
            .as_array()
            .or(local["rotate"].as_array())
            .map_or(0, Vec::len);
        assert!(readers > 0, "{question:?}: nothing to compare");
        assert_eq!(answer(spark(question, &[input])), local, "{question:?}");
    }
}
