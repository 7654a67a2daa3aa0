//! `who-read`: each rule of README's "What counts", on hand-written fixtures.

use crate::util::cast::{ALICE, CI_RUNNER, DB, DEPLOY_BOT, PAYMENTS, REPORTING};
use crate::util::{data, reader, run, run_on, who_read_json};

fn ids(report: &serde_json::Value) -> Vec<String> {
    report["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identity_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_incident_folder_answers_who_read_the_secret() {
    let (r, report) = who_read_json(DB, &["vault/incident"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Sorted by first access; denied and unanswered attempts are readers too.
    assert_eq!(
        ids(&report),
        vec![DEPLOY_BOT, CI_RUNNER, PAYMENTS, ALICE, REPORTING]
    );
    let bot = reader(&report, DEPLOY_BOT);
    assert_eq!(bot["identity"], "deploy-bot");
    assert_eq!(bot["successful_reads"], 2);
    assert_eq!(bot["first_seen"], "2025-03-15T02:10:03.119902Z");
    assert_eq!(bot["last_seen"], "2025-03-15T02:34:12.847Z");
    assert_eq!(bot["source_addresses"], serde_json::json!(["10.0.1.42"]));
    assert_eq!(
        bot["secrets"],
        serde_json::json!(["secret/data/production/db-password"])
    );
    assert_eq!(bot["metadata"]["role_name"], "deploy-bot");
    assert_eq!(bot["policies"], serde_json::json!(["deploy", "default"]));
    assert_eq!(report["stats"]["files"], 2);
    assert_eq!(report["stats"]["events"], 28);
    assert_eq!(report["stats"]["malformed_lines"], 0);
}

#[test]
fn denied_attempts_are_counted_once_per_request() {
    // Each denial is logged on the request and again on the response.
    let (_, report) = who_read_json(DB, &["vault/incident"], &[]);
    let ci = reader(&report, CI_RUNNER);
    assert_eq!(ci["successful_reads"], 0);
    assert_eq!(ci["denied_reads"], 2);
    assert_eq!(ci["unknown_outcome"], 0);
}

#[test]
fn a_request_and_response_split_by_log_rotation_count_once_at_response_time() {
    // The request is in audit.log.1.gz (02:29:59.999999), the response in audit.log.
    let (_, report) = who_read_json(DB, &["vault/incident"], &[]);
    let pay = reader(&report, PAYMENTS);
    assert_eq!(pay["successful_reads"], 1);
    assert_eq!(pay["unknown_outcome"], 0);
    assert_eq!(pay["first_seen"], "2025-03-15T02:30:00.000412Z");
}

#[test]
fn a_request_without_response_has_an_unknown_outcome_never_a_success() {
    let (_, report) = who_read_json(DB, &["vault/incident"], &[]);
    let alice = reader(&report, ALICE);
    assert_eq!(alice["successful_reads"], 1);
    assert_eq!(alice["unknown_outcome"], 1);
    let reporting = reader(&report, REPORTING);
    assert_eq!(reporting["successful_reads"], 0);
    assert_eq!(reporting["unknown_outcome"], 1);
}

#[test]
fn metadata_list_and_ui_reads_are_not_value_reads() {
    // alice read the metadata, listed the folder and hit sys/internal/ui for
    // the same secret: only her KV read and her unanswered request count.
    let (_, report) = who_read_json(DB, &["vault/incident"], &[]);
    let alice = reader(&report, ALICE);
    assert_eq!(alice["first_seen"], "2025-03-15T02:40:41.771Z");
    let (r, _) = who_read_json(
        "secret/metadata/production/db-password",
        &["vault/incident"],
        &[],
    );
    assert_eq!(r.code, 1, "a metadata path is never a value read");
}

#[test]
fn a_longer_name_with_the_same_start_is_another_secret() {
    let (_, report) = who_read_json(DB, &["vault/incident"], &[]);
    assert_eq!(
        reader(&report, REPORTING)["secrets"],
        serde_json::json!(["secret/data/production/db-password"])
    );
    let (_, old) = who_read_json(
        "secret/production/db-password-old",
        &["vault/incident"],
        &[],
    );
    assert_eq!(ids(&old), vec![REPORTING]);
}

#[test]
fn the_logged_path_and_the_kv2_name_are_the_same_secret() {
    let (_, by_name) = who_read_json(DB, &["vault/incident"], &[]);
    let (_, by_path) = who_read_json(
        "secret/data/production/db-password",
        &["vault/incident"],
        &[],
    );
    assert_eq!(by_name["readers"], by_path["readers"]);
    let (_, by_url) = who_read_json(
        "/secret/data/production/db-password",
        &["vault/incident"],
        &[],
    );
    assert_eq!(by_name["readers"], by_url["readers"]);
}

#[test]
fn kv1_names_namespaces_and_old_vault_logs() {
    let only = |secret: &str| ids(&who_read_json(secret, &["vault/names.log"], &[]).1);
    // The namespaced read of the same path is another secret.
    assert_eq!(only("secret/team/app"), vec![DEPLOY_BOT]);
    assert_eq!(only("team-a/secret/team/app"), vec![PAYMENTS]);
    assert_eq!(only("team-a/secret/data/team/app"), vec![PAYMENTS]);
    assert_eq!(only("kv/team/app"), vec![DEPLOY_BOT]);
    // Vault 1.4 logged no mount_point; its metadata read does not count.
    let (_, lab) = who_read_json("kv-v2/lab/credential", &["vault/names.log"], &[]);
    assert_eq!(reader(&lab, ALICE)["successful_reads"], 1);
    // data/ deeper than right after the mount is part of the name.
    assert_eq!(only("apps/team/data/app"), vec![REPORTING]);
    assert_eq!(
        who_read_json("apps/team/app", &["vault/names.log"], &[])
            .0
            .code,
        1
    );
    assert_eq!(
        who_read_json("auth/token/lookup-self", &["vault/names.log"], &[])
            .0
            .code,
        1
    );
}

#[test]
fn identities_sharing_a_display_name_stay_apart() {
    let (_, report) = who_read_json("secret/shared/config", &["vault/identities.log"], &[]);
    assert_eq!(reader(&report, PAYMENTS)["identity"], "approle");
    assert_eq!(
        reader(&report, PAYMENTS)["metadata"]["role_name"],
        "payments-api"
    );
    assert_eq!(reader(&report, REPORTING)["identity"], "approle");
    assert_eq!(
        reader(&report, REPORTING)["metadata"]["role_name"],
        "reporting"
    );
    let table = run_on(
        "vault/identities.log",
        &["who-read", "secret/shared/config"],
    );
    assert!(
        table.stdout.contains("approle (role_name=payments-api)"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("approle (role_name=reporting)"),
        "{}",
        table.stdout
    );
}

#[test]
fn an_identity_without_entity_is_its_accessor_and_escapes_are_decoded() {
    let (_, report) = who_read_json("secret/shared/config", &["vault/identities.log"], &[]);
    let ops = report["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["identity"] == "token-ops&sre-bot")
        .expect("the \\u0026 in the log is decoded");
    let id = ops["identity_id"].as_str().unwrap();
    assert!(id.starts_with("hmac-sha256:"), "{id}");
    assert_eq!(ops["credentials"], serde_json::json!([id]));
}

#[test]
fn the_window_is_half_open_and_keeps_nanoseconds() {
    let window = [
        "--since",
        "2025-03-18T00:00:00Z",
        "--until",
        "2025-03-18T01:00:00Z",
    ];
    let (r, report) = who_read_json("secret/prod/edge", &["vault/window.log"], &window);
    assert_eq!(r.code, 0);
    let bot = reader(&report, DEPLOY_BOT);
    assert_eq!(bot["successful_reads"], 3);
    assert_eq!(bot["first_seen"], "2025-03-18T00:00:00Z");
    assert_eq!(bot["last_seen"], "2025-03-18T00:59:59.999999999Z");
    assert_eq!(report["query"]["since"], "2025-03-18T00:00:00Z");
    assert_eq!(report["query"]["until"], "2025-03-18T01:00:00Z");
}

#[test]
fn window_bounds_take_offsets_and_dates() {
    let offsets = [
        "--since",
        "2025-03-18T01:00:00+01:00",
        "--until",
        "2025-03-18T00:30:00.123456789Z",
    ];
    let (_, report) = who_read_json("secret/prod/edge", &["vault/window.log"], &offsets);
    assert_eq!(reader(&report, DEPLOY_BOT)["successful_reads"], 1);
    let dates = ["--since", "2025-03-18"];
    let (_, report) = who_read_json("secret/prod/edge", &["vault/window.log"], &dates);
    assert_eq!(reader(&report, DEPLOY_BOT)["successful_reads"], 4);
    let (r, report) = who_read_json(
        "secret/prod/edge",
        &["vault/window.log"],
        &["--until", "2025-03-17"],
    );
    assert_eq!(r.code, 1, "nothing before the window");
    assert_eq!(report["readers"], serde_json::json!([]));
}

#[test]
fn regex_matches_secret_paths() {
    let (r, report) = who_read_json(
        "^secret/data/production/db-pass",
        &["vault/incident"],
        &["--regex"],
    );
    assert_eq!(r.code, 0);
    let secrets = &reader(&report, REPORTING)["secrets"];
    assert_eq!(
        secrets,
        &serde_json::json!([
            "secret/data/production/db-password",
            "secret/data/production/db-password-old"
        ])
    );
    assert_eq!(report["query"]["regex"], true);
    let bad = run(&[
        "who-read",
        "--regex",
        "(",
        data("vault/incident").to_str().unwrap(),
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--regex"), "{}", bad.stderr);
}

#[test]
fn evidence_points_at_file_and_line() {
    let (_, report) = who_read_json(DB, &["vault/incident"], &["--evidence"]);
    let evidence = reader(&report, PAYMENTS)["evidence"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(evidence.len(), 1);
    let e = &evidence[0];
    assert!(
        e["file"].as_str().unwrap().ends_with("incident/audit.log"),
        "{e}"
    );
    assert_eq!(e["line"], 1);
    assert_eq!(e["outcome"], "success");
    assert_eq!(e["request_id"], "00000006-5e0f-4c1d-9a2b-000000000006");
    let ci = reader(&report, CI_RUNNER)["evidence"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        ci.iter()
            .map(|e| e["outcome"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["denied", "denied"]
    );
    // Without --evidence there is no evidence field.
    let (_, plain) = who_read_json(DB, &["vault/incident"], &[]);
    assert!(reader(&plain, PAYMENTS).get("evidence").is_none());
}

#[test]
fn two_audit_devices_logging_the_same_request_count_once() {
    let (_, report) = who_read_json(DB, &["vault/devices.log"], &[]);
    assert_eq!(reader(&report, DEPLOY_BOT)["successful_reads"], 1);
}

#[test]
fn ndjson_prints_one_reader_per_line() {
    let r = run_on("vault/incident", &["who-read", DB, "--format", "ndjson"]);
    assert_eq!(r.code, 0);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["identity_id"], DEPLOY_BOT);
}

#[test]
fn nothing_found_is_exit_1_in_every_format() {
    for format in ["table", "json", "ndjson"] {
        let r = run_on(
            "vault/incident",
            &["who-read", "secret/nobody/reads", "--format", format],
        );
        assert_eq!(r.code, 1, "{format}");
    }
}

#[test]
fn table_is_the_default_whatever_stdout_is() {
    let r = run_on("vault/incident", &["who-read", DB]);
    assert!(
        r.stdout
            .starts_with("who read secret/production/db-password\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(
        "5 identities: 4 successful reads, 2 denied, 0 no value, 0 errors, 2 unknown outcome"
    ));
    assert!(r.stdout.contains("scanned 2 files, 28 events"));
}

#[test]
fn environment_variable_paths_are_used_when_none_are_given() {
    let r = crate::util::run_cmd(
        crate::util::whosaw()
            .args(["who-read", DB, "--json"])
            .env("WHOSAW_LOGS", data("vault/incident")),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["readers"].as_array().unwrap().len(), 5);
}

#[test]
fn metadata_comes_from_the_earliest_access_in_the_window() {
    // The same entity logs in again under another role between two reads:
    // the window decides which role the report (and the rotation hint) names.
    let line = |time: &str, id: &str, role: &str| {
        format!(
            r#"{{"time":"{time}","type":"response","auth":{{"display_name":"approle","entity_id":"e1","accessor":"hmac-sha256:a-{role}","metadata":{{"role_name":"{role}"}},"policies":["{role}"]}},"request":{{"id":"{id}","operation":"read","mount_point":"secret/","path":"secret/data/prod/db"}},"response":{{"data":{{"data":{{"password":"hmac-sha256:v"}}}}}}}}"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let text = [
        line("2025-03-15T01:00:00Z", "r1", "old-role"),
        line("2025-03-15T03:00:00Z", "r2", "new-role"),
    ]
    .join("\n");
    std::fs::write(&log, text + "\n").unwrap();
    let path = log.to_str().unwrap();
    let role = |extra: &[&str]| {
        let mut args = vec!["who-read", "secret/prod/db", path, "--json"];
        args.extend(extra);
        run(&args).json()["readers"][0]["metadata"]["role_name"].clone()
    };
    assert_eq!(role(&[]), "old-role");
    assert_eq!(role(&["--since", "2025-03-15T02:00:00Z"]), "new-role");
    let r = run(&[
        "blast-radius",
        "secret/prod/db",
        path,
        "--json",
        "--since",
        "2025-03-15T02:00:00Z",
    ]);
    let hint = r.json()["rotate"][1]["hint"].as_str().unwrap().to_string();
    assert!(hint.contains("AppRole role 'new-role'"), "{hint}");
}

#[test]
fn a_file_given_twice_is_read_once() {
    let once = who_read_json(DB, &["vault/incident"], &[]).1;
    let (r, twice) = who_read_json(DB, &["vault/incident", "vault/incident/audit.log"], &[]);
    assert_eq!(r.code, 0, "a repeated path is a note, not partial coverage");
    assert_eq!(once["readers"], twice["readers"]);
    assert!(r.stderr.contains("read once"), "{}", r.stderr);
}
