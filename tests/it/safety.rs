//! What whosaw owes the evidence and the screen: no secret value is ever
//! printed, and nothing from the log reaches the terminal unescaped.

use crate::util::{data, run};

const PLAINTEXT: &str = "hunter2-PLAINTEXT";
const RAW_TOKEN: &str = "deploy-token";

#[test]
fn values_from_a_log_raw_device_are_never_printed() {
    let file = data("vault/raw.log");
    let file = file.to_str().unwrap();
    assert!(
        std::fs::read_to_string(file).unwrap().contains(PLAINTEXT),
        "fixture holds the value"
    );
    let runs = [
        vec!["who-read", "secret/production/db-password", file],
        vec![
            "who-read",
            "secret/production/db-password",
            file,
            "--json",
            "--evidence",
        ],
        vec![
            "who-read",
            "secret/production/db-password",
            file,
            "--format",
            "ndjson",
        ],
        vec!["who-read", "--regex", ".", file, "--evidence"],
        vec![
            "blast-radius",
            "secret/production/db-password",
            file,
            "--depth",
            "2",
        ],
        vec![
            "blast-radius",
            "secret/production/db-password",
            file,
            "--json",
            "--depth",
            "2",
        ],
    ];
    for args in runs {
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        for shown in [&r.stdout, &r.stderr] {
            assert!(!shown.contains(PLAINTEXT), "{args:?} printed the value");
            assert!(!shown.contains(RAW_TOKEN), "{args:?} printed the raw token");
        }
        assert!(
            r.stderr.contains("log_raw"),
            "the user is told the file holds raw values"
        );
    }
}

#[test]
fn terminal_escapes_in_names_are_shown_escaped_in_tables() {
    let file = data("vault/identities.log");
    let r = run(&["who-read", "secret/shared/config", file.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains('\u{1b}'), "a raw ESC reached stdout");
    assert!(
        r.stdout.contains("evil\\x1b[2J\\x1b[31mroot"),
        "{}",
        r.stdout
    );
    // JSON keeps the exact name, escaped by the JSON encoder.
    let r = run(&[
        "who-read",
        "secret/shared/config",
        file.to_str().unwrap(),
        "--json",
    ]);
    assert!(!r.stdout.contains('\u{1b}'));
    assert!(r.stdout.contains("evil\\u001b[2J\\u001b[31mroot"));
}
