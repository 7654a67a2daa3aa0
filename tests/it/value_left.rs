//! A read counts only when the log proves the value left the store (README
//! "What counts"), on the shapes real logs carry: `testdata/rules/` (see
//! `testdata/rules/make_fixtures.py`).

use crate::util::{data, reader, run, who_read_json};

const APP: &str = "0b7a3c1e-aaaa-4bbb-8ccc-000000000001";
const PROBE: &str = "0b7a3c1e-aaaa-4bbb-8ccc-000000000002";
const BATCH: &str = "0b7a3c1e-aaaa-4bbb-8ccc-000000000003";
const WRAP: &str = "0b7a3c1e-aaaa-4bbb-8ccc-000000000004";
const RED_TEAM: &str = "arn:aws:iam::111122223333:user/red-team";

fn counts(r: &serde_json::Value) -> [u64; 6] {
    [
        "successful_reads",
        "denied_reads",
        "not_found_reads",
        "no_value_reads",
        "error_reads",
        "unknown_outcome",
    ]
    .map(|k| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}")))
}

#[test]
fn vault_answers_without_a_value_are_not_reads() {
    let (r, v) = who_read_json(
        "vault:secret/prod/api-key",
        &["rules/vault-no-value.log"],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(counts(reader(&v, APP)), [1, 0, 0, 0, 0, 0]);
    // A 404 logged as data, an empty response, one without data, none at
    // all, a 503 logged as data: none is a read.
    assert_eq!(counts(reader(&v, PROBE)), [0, 0, 1, 3, 1, 0]);
    // Wrapped for the caller, who holds the token that unwraps it: a read.
    assert_eq!(counts(reader(&v, WRAP)), [1, 0, 0, 0, 0, 0]);
    // The 404 of another secret is that secret's.
    assert_eq!(v["readers"].as_array().unwrap().len(), 3);
}

#[test]
fn dynamic_secrets_follow_the_same_rule() {
    let (_, v) = who_read_json(
        "database/creds/reporting",
        &["rules/vault-no-value.log"],
        &[],
    );
    assert_eq!(counts(reader(&v, BATCH)), [1, 0, 0, 1, 0, 0]);
}

#[test]
fn identities_that_got_no_value_are_investigated_not_rotated() {
    let path = data("rules/vault-no-value.log");
    let r = run(&[
        "blast-radius",
        "vault:secret/prod/api-key",
        path.to_str().unwrap(),
        "--json",
    ]);
    let v = r.json();
    let rotated: Vec<&str> = v["rotate"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["identity_id"].as_str())
        .collect();
    assert_eq!(rotated, [WRAP, APP]);
    let probe = &v["investigate"][0];
    assert_eq!(probe["identity_id"], PROBE);
    assert_eq!(
        (&probe["not_found_reads"], &probe["no_value_reads"]),
        (&1.into(), &3.into())
    );
    let reason = probe["reason"].as_str().unwrap();
    assert!(
        reason.contains("does not exist") && reason.contains("without a value"),
        "{reason}"
    );
    // The table folds both into one column.
    let r = run(&[
        "who-read",
        "vault:secret/prod/api-key",
        path.to_str().unwrap(),
    ]);
    assert!(r.stdout.contains("no value"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("3 identities: 2 successful reads, 0 denied, 4 no value, 1 errors"),
        "{}",
        r.stdout
    );
}

#[test]
fn timeline_value_is_null_unless_a_read_succeeded() {
    let path = data("rules/vault-no-value.log");
    let r = run(&["timeline", path.to_str().unwrap(), "--format", "ndjson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let events = r.ndjson();
    for e in &events {
        let read_ok = e["action"] == "read" && e["outcome"] == "success";
        assert_eq!(e["value"].is_null(), !read_ok, "{e}");
    }
    let outcomes: Vec<&str> = events
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert!(
        outcomes.contains(&"not_found") && outcomes.contains(&"no_value"),
        "{outcomes:?}"
    );
    // --outcome takes the new outcomes.
    let r = run(&[
        "timeline",
        path.to_str().unwrap(),
        "--outcome",
        "not_found",
        "--format",
        "ndjson",
    ]);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
}

#[test]
fn every_vault_entry_type_is_an_event() {
    let path = data("rules/vault-no-value.log");
    let r = run(&[
        "timeline",
        path.to_str().unwrap(),
        "--action",
        "other",
        "--format",
        "ndjson",
        "-v",
    ]);
    let events = r.ndjson();
    let seen = crate::util::field_pairs(&events, "operation", "source_address");
    // Ports are dropped, IPv4 and [IPv6] alike.
    assert_eq!(
        seen,
        [
            ("kmip-request get", "10.0.7.5"),
            ("kmip-response get", "2001:db8::15"),
            ("plugin-event", "10.0.7.6"),
        ]
    );
    // -v counts the entries of each type.
    assert!(
        r.stderr.contains("entries by type: 1 kmip-request, 1 kmip-response, 1 plugin-event, 11 request, 11 response"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "timeline",
        path.to_str().unwrap(),
        "--source-ip",
        "10.0.7.5",
        "--format",
        "ndjson",
    ]);
    assert_eq!(r.stdout.lines().count(), 1, "filterable like any event");
}

#[test]
fn a_trailing_slash_names_the_same_secret() {
    let (r, v) = who_read_json(
        "database/creds/reporting/",
        &["rules/vault-no-value.log"],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(counts(reader(&v, BATCH))[0], 1);
}

#[test]
fn a_batch_by_filter_is_a_possible_read_shown_by_its_filter() {
    let (r, v) = who_read_json(
        "aws:prod/no-such-secret",
        &["rules/batch-filter.jsonl"],
        &[],
    );
    // Possible reads alone are an answer (exit 0), never a read.
    assert_eq!(r.code, 0, "{}", r.stderr);
    let red = reader(&v, RED_TEAM);
    assert_eq!(
        (&red["successful_reads"], &red["possible_reads"]),
        (&0.into(), &5.into())
    );
    assert_eq!(
        red["secrets"],
        serde_json::json!(["filter tag-key=StratusRedTeam"])
    );
    let path = data("rules/batch-filter.jsonl");
    let table = run(&[
        "who-read",
        "aws:prod/no-such-secret",
        path.to_str().unwrap(),
    ]);
    assert!(table.stdout.contains("5 may have read"), "{}", table.stdout);
    let wide = run(&[
        "who-read",
        "aws:prod/no-such-secret",
        path.to_str().unwrap(),
        "--wide",
    ]);
    assert!(wide.stdout.contains("(5 may have read)"), "{}", wide.stdout);
    let r = run(&[
        "blast-radius",
        "aws:prod/no-such-secret",
        path.to_str().unwrap(),
        "--json",
    ]);
    let v = r.json();
    let secret = &v["rotate"][0];
    assert_eq!(
        v["rotate"].as_array().unwrap().len(),
        1,
        "no credential to rotate"
    );
    assert_eq!(secret["evidence"]["successful_reads"], 0);
    assert_eq!(secret["evidence"]["possible_reads"], 5);
    let reason = secret["reason"].as_str().unwrap();
    assert!(
        reason.contains("no read of it")
            && reason.contains("5 batch reads by filter may have returned it"),
        "{reason}"
    );
    let why = v["investigate"][0]["reason"].as_str().unwrap();
    assert!(why.contains("filter tag-key=StratusRedTeam"), "{why}");
    // A proven read of another secret is unaffected.
    let (_, v) = who_read_json("aws:prod/billing-key", &["rules/batch-filter.jsonl"], &[]);
    assert_eq!(
        reader(&v, "arn:aws:iam::111122223333:user/reader")["successful_reads"],
        1
    );
}

#[test]
fn wide_reads_that_ended_before_the_secret_existed_do_not_count() {
    let (r, v) = who_read_json(
        "k8s:prod/new-token",
        &["rules/k8s-created-later.log"],
        &["--evidence"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<&str> = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identity_id"].as_str().unwrap())
        .collect();
    // The cluster list and the namespace list ended before the create; the
    // 404 get proves it was absent; the watch spans the creation.
    assert_eq!(
        ids,
        [
            "ops@example.com",
            "system:serviceaccount:monitoring:secret-watcher",
            "system:serviceaccount:prod:reporting",
        ]
    );
    assert_eq!(counts(reader(&v, "ops@example.com")), [0, 0, 1, 0, 0, 0]);
    assert_eq!(v["excluded_reads"], 2);
    let excluded = v["excluded"].as_array().unwrap();
    assert_eq!(
        excluded[0]["identity_id"],
        "system:serviceaccount:kube-system:backup-controller"
    );
    let why = excluded[0]["reason"].as_str().unwrap();
    assert!(
        why.contains("before the secret was created at 2025-04-02T11:02:00.009000Z"),
        "{why}"
    );
    assert!(why.contains("k8s-created-later.log:8"), "{why}");
    // SSM: GetParametersByPath before the PutParameter that created it.
    let (_, v) = who_read_json(
        "ssm:/prod/payments/webhook-secret",
        &["rules/ssm-created-later.json"],
        &[],
    );
    let app = reader(&v, "arn:aws:sts::111122223333:assumed-role/app/i-0aa1");
    assert_eq!(app["successful_reads"], 1);
    assert_eq!(v["excluded_reads"], 1);
    // Without a creation in the input, a wide read still counts.
    let (_, v) = who_read_json(
        "k8s:prod/older-token",
        &["rules/k8s-created-later.log"],
        &[],
    );
    assert_eq!(v["readers"].as_array().unwrap().len(), 4);
}

#[test]
fn a_name_only_created_still_has_its_store() {
    let path = data("rules/k8s-created-later.log");
    let r = run(&[
        "blast-radius",
        "staging/only-created",
        path.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r.json()["rotate"][0]["provider"], "k8s");
}

#[test]
fn clear_text_is_flagged_only_for_bodies_with_secret_data() {
    let body = data("rules/k8s-secret-body.log");
    let r = run(&["who-read", "k8s:prod/new-token", body.to_str().unwrap()]);
    assert!(
        r.stderr.contains("holds secret material in clear"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("c2VjcmV0"), "never a value");
    // A delete's DeleteOptions and Status hold no secret data.
    let delete = data("rules/k8s-created-later.log");
    let r = run(&[
        "who-read",
        "k8s:staging/old-token",
        delete.to_str().unwrap(),
    ]);
    assert!(!r.stderr.contains("in clear"), "{}", r.stderr);
}
