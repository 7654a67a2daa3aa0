//! `timeline`: every event in time order, its filters, and the
//! `whosaw.event.v1` fields a SIEM pipeline relies on.

use crate::util::{data, instant, run};

fn events(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["timeline"];
    all.extend(args);
    all.extend(["--format", "ndjson"]);
    let r = run(&all);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn field<'a>(events: &'a [serde_json::Value], key: &str) -> Vec<&'a str> {
    events
        .iter()
        .map(|e| e[key].as_str().unwrap_or("-"))
        .collect()
}

fn lifecycle() -> String {
    data("timeline/lifecycle.log").display().to_string()
}

#[test]
fn every_action_in_time_order_once_per_request() {
    let all = events(&[&lifecycle()]);
    // Ten requests, each logged as a request line and a response line.
    assert_eq!(all.len(), 10);
    assert_eq!(
        field(&all, "action"),
        [
            "write", "read", "metadata", "list", "read", "delete", "delete", "delete", "other",
            "read"
        ]
    );
    let times: Vec<i64> = field(&all, "time").into_iter().map(instant).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    // The response line decides, and is the evidence.
    assert_eq!(all[1]["line"], 4);
    assert_eq!(all[4]["outcome"], "denied");
    assert_eq!(all[4]["reason"], "permission denied");
}

#[test]
fn the_event_schema_has_every_field() {
    let all = events(&[&lifecycle()]);
    let read = &all[1];
    for key in [
        "time",
        "provider",
        "action",
        "operation",
        "outcome",
        "reason",
        "identity",
        "identity_id",
        "credential",
        "secret",
        "environment",
        "source_address",
        "user_agent",
        "request_id",
        "file",
        "line",
    ] {
        assert!(read.get(key).is_some(), "missing {key}: {read}");
    }
    assert_eq!(read["time"], "2025-03-15T01:05:00.003000Z", "as logged");
    assert_eq!(read["secret"], "secret/prod/billing-key");
    assert_eq!(read["path"], "secret/data/prod/billing-key");
    assert_eq!(read["environment"], "production");
    assert_eq!(read["value"], "value");
    assert!(
        read["credential"]
            .as_str()
            .unwrap()
            .starts_with("hmac-sha256:")
    );
    assert_eq!(
        all[2]["value"],
        serde_json::Value::Null,
        "metadata exposes no value"
    );
}

#[test]
fn filters_combine() {
    let f = lifecycle();
    let got = events(&[
        &f,
        "--secret",
        "secret/prod/billing-key",
        "--action",
        "delete",
    ]);
    assert_eq!(field(&got, "operation"), ["update", "update", "delete"]);
    let got = events(&[&f, "--outcome", "denied"]);
    assert_eq!(field(&got, "identity"), ["userpass-eve"]);
    let got = events(&[&f, "--source-ip", "10.0.4.0/24"]);
    assert_eq!(got.len(), 3);
    let got = events(&[
        &f,
        "--identity",
        "userpass-admin",
        "--action",
        "read,metadata",
    ]);
    assert_eq!(field(&got, "action"), ["metadata"]);
    let got = events(&[&f, "--secret", "staging/", "--regex"]);
    assert_eq!(field(&got, "secret"), ["secret/staging/billing-key"]);
    let got = events(&[
        &f,
        "--since",
        "2025-03-15T01:30:00Z",
        "--until",
        "2025-03-15T01:32:00Z",
    ]);
    assert_eq!(
        got.len(),
        2,
        "since inclusive, until exclusive (times are responses')"
    );
}

#[test]
fn wide_reads_that_cover_a_secret_are_its_events() {
    let incident = data("incident").display().to_string();
    let got = events(&[
        &incident,
        "--secret",
        "prod/db-password",
        "--provider",
        "k8s",
    ]);
    assert_eq!(field(&got, "secret"), ["prod/db-password", "prod/*"]);
    assert_eq!(field(&got, "action"), ["read", "list"]);
}

#[test]
fn every_store_in_one_timeline() {
    let incident = data("incident").display().to_string();
    let all = events(&[&incident]);
    let stores: std::collections::BTreeSet<&str> = field(&all, "provider").into_iter().collect();
    assert_eq!(
        stores.into_iter().collect::<Vec<_>>(),
        ["aws", "azure", "gcp", "k8s", "vault"]
    );
    let list = all
        .iter()
        .find(|e| e["operation"] == "ListSecrets")
        .unwrap();
    assert_eq!(list["secret"], serde_json::Value::Null);
    assert_eq!(list["action"], "list");
}

#[test]
fn nothing_matched_is_exit_1_and_a_table_by_default() {
    let r = run(&["timeline", &lifecycle(), "--identity", "nobody"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("0 events"), "{}", r.stdout);
    let r = run(&["timeline", &lifecycle(), "--source-ip", "10.0.0.0/33"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--source-ip"), "{}", r.stderr);
}

#[test]
fn bad_configuration_is_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("whosaw.toml");
    std::fs::write(
        &path,
        "trusted_networks = []\n\n[rules.burst]\ndistinct = 3\n",
    )
    .unwrap();
    let r = run(&["timeline", &lifecycle(), "--config", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("{}, line 4", path.display())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("distinct"), "{}", r.stderr);
    // $WHOSAW_CONFIG is read too.
    let r = crate::util::run_cmd(
        crate::util::whosaw()
            .args(["suspicious", &lifecycle()])
            .env("WHOSAW_CONFIG", &path),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let missing = dir.path().join("none.toml");
    let r = run(&[
        "suspicious",
        &lifecycle(),
        "--config",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read the configuration"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_example_configuration_is_valid() {
    let r = run(&["config", "example"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("[rules.denied-burst]"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.toml");
    std::fs::write(&path, &r.stdout).unwrap();
    let r = run(&["config", "check", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("4 environments"), "{}", r.stdout);
}

#[test]
fn environment_patterns_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("envs.toml");
    std::fs::write(
        &path,
        "[[environment]]\nname = \"live\"\ntokens = [\"prod\"]\n[[environment]]\nname = \"lab\"\nregex = \"staging/\"\n",
    )
    .unwrap();
    let got = events(&[
        &lifecycle(),
        "--config",
        path.to_str().unwrap(),
        "--action",
        "read",
    ]);
    assert_eq!(field(&got, "environment"), ["live", "live", "lab"]);
}
