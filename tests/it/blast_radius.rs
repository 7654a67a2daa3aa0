//! `blast-radius`: the rotation list, its order, and depth 2.

use crate::util::cast::{ALICE, CI_RUNNER, DB, DEPLOY_BOT, PAYMENTS, REPORTING};
use crate::util::{run, run_on};

fn blast(secret: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["blast-radius", secret, "--format", "json"];
    args.extend(extra);
    let r = run_on("vault/incident", &args);
    (r.code, r.json())
}

fn kinds_and_targets(report: &serde_json::Value) -> Vec<(String, String)> {
    report["rotate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let kind = item["kind"].as_str().unwrap().to_string();
            let what = item
                .get("target")
                .or_else(|| item.get("identity_id"))
                .and_then(|v| v.as_str())
                .unwrap()
                .to_string();
            (kind, what)
        })
        .collect()
}

#[test]
fn rotate_the_secret_then_every_reader_most_recent_first() {
    let (code, report) = blast(DB, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "whosaw.blast-radius.v1");
    assert_eq!(report["query"]["depth"], 1);
    let secret = "secret/data/production/db-password".to_string();
    assert_eq!(
        kinds_and_targets(&report),
        vec![
            ("secret".into(), secret),
            ("credential".into(), ALICE.into()), // last read 02:40:41
            ("credential".into(), DEPLOY_BOT.into()), // last read 02:34:12
            ("credential".into(), PAYMENTS.into()), // last read 02:30:00
        ]
    );
    assert_eq!(report["rotate"][0]["evidence"]["successful_reads"], 4);
    assert_eq!(report["rotate"][0]["evidence"]["readers"], 3);
    let bot = &report["rotate"][2];
    assert_eq!(bot["credential_kind"], "vault-token-accessor");
    assert_eq!(bot["evidence"]["successful_reads"], 2);
    assert_eq!(bot["evidence"]["first_seen"], "2025-03-15T02:10:03.119902Z");
    assert_eq!(bot["evidence"]["last_seen"], "2025-03-15T02:34:12.847Z");
    assert_eq!(bot["credentials"].as_array().unwrap().len(), 1);
}

#[test]
fn those_who_only_tried_are_investigated_not_rotated() {
    let (_, report) = blast(DB, &[]);
    let investigate: Vec<&str> = report["investigate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["identity_id"].as_str().unwrap())
        .collect();
    assert_eq!(investigate, vec![REPORTING, CI_RUNNER]);
    assert_eq!(report["investigate"][0]["unknown_outcome"], 1);
    assert_eq!(report["investigate"][1]["denied_reads"], 2);
}

#[test]
fn hints_say_what_to_do_at_the_source() {
    let (_, report) = blast(DB, &[]);
    let hint = |id: &str| {
        report["rotate"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["identity_id"] == id)
            .unwrap()["hint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        hint(PAYMENTS).contains("secret-ids of AppRole role 'payments-api'"),
        "{}",
        hint(PAYMENTS)
    );
    assert!(
        hint(ALICE).contains("reset the password of user 'alice'"),
        "{}",
        hint(ALICE)
    );
    assert!(
        hint(DEPLOY_BOT).contains("vault token revoke -accessor"),
        "{}",
        hint(DEPLOY_BOT)
    );
    assert!(
        report["rotate"][0]["hint"]
            .as_str()
            .unwrap()
            .contains("vault kv put secret/production/db-password")
    );
}

#[test]
fn depth_two_adds_what_the_readers_also_retrieved() {
    let (code, report) = blast(DB, &["--depth", "2"]);
    assert_eq!(code, 0);
    let further: Vec<(String, String)> = kinds_and_targets(&report).into_iter().skip(4).collect();
    assert_eq!(
        further,
        vec![
            ("secret".into(), "database/creds/payments-rw".into()),
            (
                "secret".into(),
                "secret/data/production/stripe-api-key".into()
            ),
        ]
    );
    for item in &report["rotate"].as_array().unwrap()[4..] {
        assert_eq!(item["depth"], 2);
        assert_eq!(item["via"], serde_json::json!([DEPLOY_BOT]));
    }
    assert!(
        report["rotate"][4]["hint"]
            .as_str()
            .unwrap()
            .contains("lease revoke -prefix database/creds/payments-rw")
    );
    // A write is not a read, and the secret itself is listed once.
    let text = report.to_string();
    assert!(!text.contains("deploy-marker"));
    assert_eq!(
        text.matches("\"target\":\"secret/data/production/db-password\"")
            .count(),
        1
    );
}

#[test]
fn depth_two_with_a_window_follows_only_reads_inside_it() {
    let (_, report) = blast(DB, &["--depth", "2", "--until", "2025-03-15T02:34:15.203Z"]);
    let targets: Vec<_> = kinds_and_targets(&report)
        .into_iter()
        .filter(|(k, _)| k == "secret")
        .collect();
    assert_eq!(
        targets,
        vec![(
            "secret".to_string(),
            "secret/data/production/db-password".to_string()
        )]
    );
}

#[test]
fn a_secret_nobody_read_is_still_rotated_and_exit_is_1() {
    let (code, report) = blast("secret/production/never-read", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        kinds_and_targets(&report),
        vec![("secret".into(), "secret/production/never-read".into())]
    );
    assert_eq!(report["rotate"][0]["evidence"]["successful_reads"], 0);
}

#[test]
fn depth_is_one_or_two() {
    let r = run_on("vault/incident", &["blast-radius", DB, "--depth", "3"]);
    assert_eq!(r.code, 2);
}

#[test]
fn the_table_is_a_checklist() {
    let r = run_on("vault/incident", &["blast-radius", DB, "--depth", "2"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("ROTATE"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("[ ]").count(), 6, "{}", r.stdout);
    assert!(r.stdout.contains("INVESTIGATE"));
    assert!(
        r.stdout.contains(
            "6 to rotate: 1 secret(s) asked about, 3 credential(s), \
             2 further secret(s) their readers retrieved; 2 to investigate"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("approle (role_name=payments-api)"));
}

#[test]
fn ndjson_prints_one_item_per_line_with_its_kind() {
    let r = run_on(
        "vault/incident",
        &["blast-radius", DB, "--format", "ndjson"],
    );
    let kinds: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "secret",
            "credential",
            "credential",
            "credential",
            "investigate",
            "investigate"
        ]
    );
}

#[test]
fn depth_two_over_standard_input_gives_the_same_list() {
    // Standard input cannot be read twice: the first pass keeps every read.
    let file = crate::util::data("vault/incident/audit.log");
    let from_file = run(&[
        "blast-radius",
        DB,
        file.to_str().unwrap(),
        "--depth",
        "2",
        "--json",
    ]);
    let from_stdin = crate::util::run_cmd(
        crate::util::whosaw()
            .args(["blast-radius", DB, "-", "--depth", "2", "--json"])
            .write_stdin(std::fs::read(&file).unwrap()),
    );
    assert_eq!(from_stdin.code, 0, "{}", from_stdin.stderr);
    assert_eq!(from_file.json()["rotate"], from_stdin.json()["rotate"]);
    let depth_two = from_stdin.json()["rotate"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["depth"] == 2)
        .count();
    assert_eq!(depth_two, 2);
}
