//! The command line as a newcomer meets it: what is asked is done, and
//! what cannot be is refused with a clear error (exit 2), never tried.

use crate::util::{data, run};

/// `-j` takes 1 to 1024 threads: `-j 100000` once panicked in a worker
/// and hung.
#[test]
fn absurd_thread_counts_are_refused() {
    let path = data("incident").display().to_string();
    for n in ["0", "100000", "many"] {
        let r = run(&["who-read", "prod/db-password", &path, "-j", n]);
        assert_eq!(r.code, 2, "-j {n}");
        assert!(r.stderr.contains("give 1 to 1024"), "-j {n}: {}", r.stderr);
    }
    let r = run(&["who-read", "prod/db-password", &path, "-j", "3", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `baseline --format table` prints the learned baseline as `baseline show`
/// does (it was accepted and ignored); without a format, the baseline's
/// JSON, as a file of it holds it.
#[test]
fn baseline_honours_the_format_it_is_given() {
    let path = data("incident").display().to_string();
    let json = run(&["baseline", &path, "-q"]);
    assert!(
        json.stdout
            .starts_with("{\n  \"schema\": \"whosaw.baseline.v1\"")
    );
    let table = run(&["baseline", &path, "-q", "--format", "table"]);
    assert_eq!(table.code, 0);
    assert!(table.stdout.starts_with("baseline: "), "{}", table.stdout);
    assert!(table.stdout.contains("┌"));
    let lines = run(&["baseline", &path, "-q", "--format", "ndjson"]);
    assert!(
        lines
            .stdout
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].is_string())
    );
    assert_eq!(
        run(&["baseline", &path, "-q", "--json"]).stdout,
        json.stdout
    );
}
