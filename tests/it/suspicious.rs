//! `suspicious`: each rule fires on its fixture and stays quiet on the near
//! miss beside it (`testdata/suspicious/`, see its make_fixtures.py).

use crate::util::{data, run};

const LEARN_UNTIL: &str = "2025-03-14T00:00:00Z";

/// `suspicious FILE --format json` with the fixtures' configuration and the
/// baseline learned from the events before the 14th.
fn findings(file: &str) -> (i32, Vec<serde_json::Value>) {
    let path = data(&format!("suspicious/{file}")).display().to_string();
    let config = data("suspicious/whosaw.toml").display().to_string();
    let r = run(&[
        "suspicious",
        &path,
        "--config",
        &config,
        "--learn-until",
        LEARN_UNTIL,
        "--format",
        "json",
    ]);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    let list = r.json()["findings"].as_array().unwrap().clone();
    assert_eq!(
        r.code == 0,
        !list.is_empty(),
        "exit status follows findings"
    );
    (r.code, list)
}

/// The findings of `rule` (and `variant`) in `file`.
fn fired(file: &str, rule: &str, variant: &str) -> Vec<serde_json::Value> {
    findings(file)
        .1
        .into_iter()
        .filter(|f| f["rule"] == rule && f["variant"] == variant)
        .collect()
}

fn fires_once(file: &str, rule: &str, variant: &str) -> serde_json::Value {
    let got = fired(file, rule, variant);
    assert_eq!(got.len(), 1, "{file}: {rule}/{variant}: {got:#?}");
    got.into_iter().next().unwrap()
}

fn quiet(file: &str, rule: &str) {
    let got: Vec<_> = findings(file)
        .1
        .into_iter()
        .filter(|f| f["rule"] == rule)
        .collect();
    assert!(got.is_empty(), "{file}: {rule} must not fire: {got:#?}");
}

#[test]
fn burst_of_distinct_secrets() {
    let f = fires_once("burst-distinct.log", "burst", "distinct-secrets");
    assert_eq!(f["count"], 20);
    assert_eq!(f["secrets"].as_array().unwrap().len(), 20);
    assert_eq!(f["severity"], "high");
    assert_eq!(f["evidence"].as_array().unwrap().len(), 20);
    // Response lines: the evidence is where the value left the store.
    assert_eq!(f["evidence"][0]["line"], 2);
    quiet("burst-distinct-near.log", "burst");
}

#[test]
fn burst_of_one_secret() {
    let f = fires_once("burst-same.log", "burst", "same-secret");
    assert_eq!(f["count"], 30);
    assert_eq!(f["secrets"][0], "secret/reports/warehouse-password");
    quiet("burst-same-near.log", "burst");
}

#[test]
fn repeated_denials() {
    let f = fires_once("denied-burst.log", "denied-burst", "repeated-denials");
    assert_eq!(f["count"], 10);
    assert_eq!(f["identity"], "userpass-mallory");
    quiet("denied-burst-near.log", "denied-burst");
}

#[test]
fn denied_then_allowed() {
    let f = fires_once(
        "denied-then-allowed.log",
        "denied-burst",
        "denied-then-allowed",
    );
    assert_eq!(f["severity"], "high");
    assert_eq!(f["count"], 4);
    let outcomes: Vec<&str> = f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["denied", "denied", "denied", "success"]);
    quiet("denied-then-allowed-near.log", "denied-burst");
}

#[test]
fn denials_from_one_address_for_many_identities() {
    let f = fires_once("denied-address.log", "denied-burst", "address-denials");
    assert_eq!(f["identity_id"], "10.0.6.6");
    assert_eq!(f["count"], 10);
    // Two denials each: no identity stands out on its own.
    assert_eq!(
        fired("denied-address.log", "denied-burst", "repeated-denials").len(),
        0
    );
}

#[test]
fn untrusted_and_new_networks() {
    let f = fires_once("new-source.log", "new-source", "untrusted-network");
    assert_eq!(f["source_addresses"][0], "203.0.113.9");
    quiet("new-source-near.log", "new-source");
    let f = fires_once("new-network.log", "new-source", "new-network");
    assert_eq!(f["source_addresses"][0], "10.0.7.3");
    // Another host of a /24 it used is no new network.
    quiet("new-network-near.log", "new-source");
}

#[test]
fn drift_into_production() {
    let repeated = fires_once("env-drift.log", "env-drift", "repeated");
    let once = fires_once("env-drift-once.log", "env-drift", "one-off");
    assert_eq!(repeated["severity"], "high");
    assert_eq!(once["severity"], "medium");
    quiet("env-drift-near.log", "env-drift");
}

#[test]
fn environment_and_role_mismatch() {
    let f = fires_once("env-mismatch.log", "env-mismatch", "role");
    assert_eq!(f["secrets"][0], "secret/prod/payments/api-key");
    quiet("env-mismatch-near.log", "env-mismatch");
    // A configured policy: ci-* may read staging, development and test.
    let f = fires_once("env-mismatch-policy.log", "env-mismatch", "role");
    assert_eq!(f["count"], 1);
    assert_eq!(f["secrets"][0], "secret/production/signing-key");
}

#[test]
fn reads_at_unusual_hours() {
    let f = fires_once("off-hours.log", "off-hours", "hour-of-day");
    assert!(f["first"].as_str().unwrap().starts_with("2025-03-15T02:34"));
    assert!(
        f["explanation"].as_str().unwrap().contains("22:00–22:59"),
        "{}",
        f["explanation"]
    );
    // 23:10 is next to its usual 22:00 hour.
    quiet("off-hours-near.log", "off-hours");
}

#[test]
fn first_read_of_a_secret() {
    let f = fires_once("first-access.log", "first-access", "new-secret");
    assert_eq!(f["secrets"][0], "secret/production/ledger-key");
    quiet("first-access-near.log", "first-access");
}

#[test]
fn rules_that_need_a_baseline_say_so() {
    let path = data("suspicious/off-hours.log").display().to_string();
    let r = run(&["suspicious", &path, "--format", "json"]);
    let v = r.json();
    let inactive: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["active"] == false)
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        inactive,
        ["new-source", "env-drift", "off-hours", "first-access"]
    );
    let r = run(&["suspicious", &path]);
    assert!(
        r.stdout
            .contains("rule off-hours not run: needs a baseline")
    );
}

#[test]
fn a_baseline_file_judges_like_learn_until() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("base.json");
    let log = data("suspicious/off-hours.log").display().to_string();
    let r = run(&[
        "baseline",
        &log,
        "--until",
        LEARN_UNTIL,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&[
        "suspicious",
        &log,
        "--baseline",
        out.to_str().unwrap(),
        "--since",
        LEARN_UNTIL,
        "--format",
        "ndjson",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rules: Vec<String> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["rule"].to_string())
        .collect();
    assert_eq!(rules, ["\"off-hours\""]);
    let shown = run(&["baseline", "show", out.to_str().unwrap()]);
    assert_eq!(shown.code, 0);
    // deploy-bot reads only at 22:00: one mark in the 24-hour strip.
    assert!(
        shown.stdout.contains("······················█·"),
        "{}",
        shown.stdout
    );
}

#[test]
fn findings_rank_by_severity() {
    let r = run(&[
        "suspicious",
        &data("suspicious").display().to_string(),
        "--format",
        "json",
    ]);
    let v = r.json();
    let ranks: Vec<u8> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| match f["severity"].as_str().unwrap() {
            "high" => 3,
            "medium" => 2,
            _ => 1,
        })
        .collect();
    assert!(!ranks.is_empty());
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
}

#[test]
fn baseline_rules_judge_only_routines_they_know() {
    // A new secret for an identity that kept discovering secrets.
    quiet("first-access-unsettled.log", "first-access");
    // 03:00 for an identity that reads around the clock.
    quiet("off-hours-around-the-clock.log", "off-hours");
    // Three baseline reads are no routine (min_reads 20)...
    quiet("env-drift-little-history.log", "env-drift");
    // ...but a lower min_reads judges it.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("low.toml");
    std::fs::write(&config, "[baseline]\nmin_reads = 3\n").unwrap();
    let path = data("suspicious/env-drift-little-history.log")
        .display()
        .to_string();
    let r = run(&[
        "suspicious",
        &path,
        "--config",
        config.to_str().unwrap(),
        "--learn-until",
        LEARN_UNTIL,
        "--format",
        "ndjson",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"rule\":\"env-drift\""), "{}", r.stdout);
}

#[test]
fn a_baseline_written_to_a_device_leaves_the_device_alone() {
    // Standard output is a pipe here: written to, never renamed over.
    let log = data("suspicious/off-hours.log").display().to_string();
    let r = run(&["baseline", &log, "-o", "/dev/stdout"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"schema\": \"whosaw.baseline.v1\""));
    assert!(
        r.stdout.contains("learned 1 identity from 31"),
        "{}",
        r.stdout
    );
}

#[test]
fn findings_rank_by_instant_not_by_text() {
    // Two findings alike in severity, count and rule: the earlier comes
    // first. bob's read at 02:34:12Z is half a second before ann's at
    // 02:34:12.5Z, though as text "…12.5Z" sorts before "…12Z" (and ann's
    // id before bob's).
    let read = |time: &str, who: &str, entity: &str, n: u32, addr: &str| {
        format!(
            r#"{{"time":"{time}","type":"response","auth":{{"accessor":"hmac-sha256:acc-{who}","display_name":"{who}","entity_id":"{entity}"}},"request":{{"id":"00000000-0000-4000-8000-00000000000{n}","operation":"read","mount_point":"secret/","path":"secret/data/app/key-{n}","remote_address":"{addr}"}},"response":{{}}}}"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let ann = "aaaaaaaa-0000-4000-8000-000000000001";
    let bob = "bbbbbbbb-0000-4000-8000-000000000002";
    std::fs::write(
        &log,
        [
            read(
                "2025-03-15T02:34:12.5Z",
                "userpass-ann",
                ann,
                1,
                "203.0.113.9",
            ),
            read(
                "2025-03-15T02:34:12Z",
                "userpass-bob",
                bob,
                2,
                "203.0.113.10",
            ),
        ]
        .join("\n")
            + "\n",
    )
    .unwrap();
    let config = dir.path().join("whosaw.toml");
    std::fs::write(&config, "trusted_networks = [\"10.0.0.0/8\"]\n").unwrap();
    let (log, config) = (log.to_str().unwrap(), config.to_str().unwrap());
    let r = run(&["suspicious", log, "--config", config, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let found: Vec<(&str, &str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["identity_id"].as_str().unwrap(),
                f["variant"].as_str().unwrap(),
                f["first"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (bob, "untrusted-network", "2025-03-15T02:34:12Z"),
            (ann, "untrusted-network", "2025-03-15T02:34:12.5Z"),
        ]
    );
    // who-read's readers and the timeline's events are in time order too.
    let r = run(&["who-read", "--regex", ".", log, "--format", "json"]);
    let v = r.json();
    let readers: Vec<&str> = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identity_id"].as_str().unwrap())
        .collect();
    assert_eq!(readers, [bob, ann]);
    let r = run(&["timeline", log, "--format", "ndjson"]);
    let times: Vec<String> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["time"].to_string())
        .collect();
    assert_eq!(
        times,
        ["\"2025-03-15T02:34:12Z\"", "\"2025-03-15T02:34:12.5Z\""]
    );
}
