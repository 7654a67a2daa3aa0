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

/// A huge name from the log (an attacker's 100,000-character display name)
/// is cut in a table cell, with a mark, so the table stays quick to lay out
/// and to read; the JSON keeps it whole.
#[test]
fn huge_names_are_cut_in_tables_and_whole_in_json() {
    let name = "x".repeat(100_000);
    let dir = tempfile::tempdir().unwrap();
    let log = crate::util::vault_read_by(dir.path(), &name);
    let log = log.to_str().unwrap();
    // Fitted (the default): cut in the middle to the column.
    let table = run(&["who-read", "secret/prod/db", log, "-q"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("xxxxxxxx…"), "{}", table.stdout);
    assert!(table.stdout.len() < 5_000, "{} bytes", table.stdout.len());
    // In full: cut at 256 characters, and said so.
    let table = run(&["who-read", "secret/prod/db", log, "-q", "--wide"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("[cut: 100000 characters in all"));
    assert!(table.stdout.len() < 20_000, "{} bytes", table.stdout.len());
    let json = run(&["who-read", "secret/prod/db", log, "-q", "--json"]);
    assert_eq!(
        json.json()["readers"][0]["identity"]
            .as_str()
            .unwrap()
            .len(),
        100_000
    );
}

/// `/dev/zero` given by name is refused (a character device: endless, and
/// no log); given as standard input, its NUL bytes tell it is binary, and
/// reading stops at once. Either way the run ends, saying why.
#[test]
fn endless_binary_input_ends_with_a_clear_error() {
    let r = run(&["who-read", "prod/db-password", "/dev/zero"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("/dev/zero: cannot read: a character device, not a log file")
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_whosaw"))
        .args(["who-read", "prod/db-password", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary data (a NUL byte at offset 0)"));
}

/// Walking a folder of evidence leaves its access time as it was: folders
/// are listed, and files read, with O_NOATIME (the owner's right).
#[test]
fn walking_a_folder_keeps_its_access_time() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("logs");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(data("incident/vault/audit.log"), sub.join("audit.log")).unwrap();
    // Long ago, and before the folder last changed: a plain listing would
    // update it even under relatime.
    let long_ago =
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let times = std::fs::FileTimes::new().set_accessed(long_ago);
    for path in [&sub, &sub.join("audit.log")] {
        std::fs::File::open(path).unwrap().set_times(times).unwrap();
    }
    let r = run(&[
        "who-read",
        "prod/db-password",
        dir.path().to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for path in [&sub, &sub.join("audit.log")] {
        let accessed = std::fs::metadata(path).unwrap().accessed().unwrap();
        assert_eq!(accessed, long_ago, "{}", path.display());
    }
}

/// `--color always` colours who-read's outcome counts; `auto` does not
/// when standard output is no terminal (as here), nor does NO_COLOR or
/// `never`; JSON never is.
#[test]
fn colour_only_when_asked_and_never_in_json() {
    let path = data("incident").display().to_string();
    let ask = |extra: &[&str]| {
        let mut args = vec!["who-read", "prod/db-password", path.as_str(), "-q"];
        args.extend(extra);
        run(&args).stdout
    };
    let coloured = ask(&["--color", "always"]);
    assert!(coloured.contains("\u{1b}[38;5;10m"), "reads in green");
    assert!(coloured.contains("\u{1b}[38;5;9m"), "denials in red");
    for plain in [
        ask(&[]),
        ask(&["--color", "never"]),
        ask(&["--color", "always", "--json"]),
    ] {
        assert!(!plain.contains('\u{1b}'));
    }
    let r = crate::util::run_cmd(
        crate::util::whosaw()
            .args([
                "who-read",
                "prod/db-password",
                &path,
                "-q",
                "--color",
                "auto",
            ])
            .env("NO_COLOR", "1"),
    );
    assert!(!r.stdout.contains('\u{1b}'));
}

/// Every table drawn by default fits 100 columns when piped, whatever the
/// names in it; `--wide` draws the full tables, with every column.
#[test]
fn tables_fit_the_width_by_default_and_are_whole_with_wide() {
    let incident = data("incident").display().to_string();
    let coverage = data("coverage").display().to_string();
    let suspicious = data("suspicious").display().to_string();
    let exposures = data("exposures").display().to_string();
    let runs: [(&[&str], &str); 5] = [
        (&["who-read", "prod/db-password", &incident], "identity id"),
        (&["blast-radius", "prod/db-password", &incident], "evidence"),
        (&["suspicious", &suspicious], "secrets"),
        (&["coverage", &coverage], "median spacing"),
        (&["exposures", &exposures], "first evidence"),
    ];
    for (args, wide_header) in runs {
        let fitted = run(args);
        assert!(
            matches!(fitted.code, 0 | 1 | 3),
            "{args:?}: {}",
            fitted.stderr
        );
        let table_lines: Vec<&str> = fitted
            .stdout
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
            .collect();
        assert!(
            !table_lines.is_empty() || args[0] == "blast-radius",
            "{args:?}"
        );
        for line in &table_lines {
            assert!(
                line.chars().count() <= 100,
                "{args:?}: a line of {} columns:\n{line}",
                line.chars().count()
            );
        }
        let mut wide_args = args.to_vec();
        wide_args.push("--wide");
        let wide = run(&wide_args);
        assert!(
            wide.stdout.contains(wide_header),
            "{args:?}:\n{}",
            wide.stdout
        );
    }
    // A row of who-read takes at most three lines.
    let fitted = run(&["who-read", "prod/db-password", &incident]);
    let rows: Vec<&str> = fitted
        .stdout
        .lines()
        .filter(|l| l.starts_with('│'))
        .collect();
    let identities = 7;
    assert!(rows.len() <= 1 + 3 * identities, "{}", fitted.stdout);
}
