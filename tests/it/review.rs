//! Inputs a review found mishandled: each must give the same answer with
//! the byte pre-filter as with `--exhaustive` (which parses every record),
//! and count what is there.

use std::io::Write;

use crate::util::run;

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// (readers, events, malformed) with the pre-filter and exhaustively; both must agree.
fn answer(query: &[&str], text: &str) -> (usize, u64, u64) {
    let f = file(text);
    let path = f.path().to_str().unwrap();
    let mut results = Vec::new();
    for extra in [&[][..], &["--exhaustive"][..]] {
        let mut args = vec!["who-read"];
        args.extend(query);
        args.extend([path, "--format", "json"]);
        args.extend(extra);
        let v = run(&args).json();
        results.push((
            v["readers"].as_array().unwrap().len(),
            v["stats"]["events"].as_u64().unwrap(),
            v["stats"]["malformed_lines"].as_u64().unwrap(),
        ));
    }
    assert_eq!(
        results[0].0, results[1].0,
        "pre-filter lost a reader: {query:?}"
    );
    results[0]
}

const VAULT: &str = r#"{"time":"2025-03-15T02:34:12.847Z","type":"response","auth":{"entity_id":"e1","display_name":"deploy-bot"},"request":{"id":"r1","operation":"read","mount_point":"secret/","path":"secret/data/prod/db"}}"#;

fn aws(secret_id: &str) -> String {
    format!(
        r#"{{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","eventID":"e1","requestParameters":{{"secretId":"{secret_id}"}},"userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::1:user/alice"}}}}"#
    )
}

#[test]
fn a_vault_record_wrapped_in_a_json_string_passes_every_vault_filter() {
    let wrapped = format!(
        "{{\"timestamp\":1,\"message\":{}}}\n",
        serde_json::to_string(VAULT).unwrap()
    );
    for query in [
        &["vault:secret/prod/db"][..],
        &["secret/prod/db", "--provider", "vault"],
        &["--regex", "vault:^secret/data/prod/"],
    ] {
        assert_eq!(answer(query, &wrapped).0, 1, "{query:?}");
    }
}

#[test]
fn names_with_locations_or_only_data_segments_are_found() {
    assert_eq!(
        answer(
            &["aws:prod/locations/eu/db-password"],
            &aws("prod/locations/eu/db-password")
        )
        .0,
        1
    );
    assert_eq!(answer(&["aws:data"], &aws("data")).0, 1);
}

#[test]
fn an_escaped_azure_url_is_parsed_rather_than_skipped() {
    let rec = r#"{"time":"2025-03-15T02:31:07.1234567Z","category":"AuditEvent","operationName":"SecretGet","identity":{"claim":{"oid":"o1"}},"properties":{"id":"https:\u002F\u002Fkv-prod.vault.azure.net\u002Fsecrets\u002Fdb-password","httpStatusCode":200}}"#;
    assert_eq!(answer(&["azure:kv-prod/db-password"], rec).0, 1);
}

#[test]
fn a_cut_first_line_costs_one_line_not_the_file() {
    let text = format!(
        "{{\"time\":\"2025-03-15T02:30:00Z\",\"type\":\"request\",\"auth\":{{\"display_na\n{VAULT}\n"
    );
    assert_eq!(answer(&["secret/prod/db"], &text), (1, 2, 1));
}

#[test]
fn empty_containers_and_bad_first_records() {
    for empty in ["[]", "{\"Records\":[]}\n"] {
        let f = file(empty);
        let r = run(&[
            "who-read",
            "x",
            f.path().to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(r.code, 1, "{empty}: {}", r.stderr);
    }
    let doc = format!(
        "[\n  {{\"note\":\"not a record\"}},\n  {}\n]\n",
        aws("prod/db-password")
    );
    // The note is not parsed unless --exhaustive (see README, Bad input).
    assert_eq!(answer(&["aws:prod/db-password"], &doc), (1, 2, 0));
}

#[test]
fn records_are_counted_wherever_the_records_key_stands() {
    let line = format!(
        "{{\"NextToken\":null,\"Records\":[{},{},{}]}}\n",
        aws("a"),
        aws("b"),
        aws("c")
    );
    assert_eq!(answer(&["aws:prod/db-password"], &line), (0, 3, 0));
    // A note after the document is reported once, not counted as records.
    let doc = format!(
        "[\n {}\n]\na note written by hand\n",
        aws("prod/db-password")
    );
    assert_eq!(answer(&["aws:prod/db-password"], &doc), (1, 1, 1));
}

#[test]
fn depth_two_keeps_stores_apart() {
    let vault = file(&VAULT.replace(
        r#""entity_id":"e1","display_name":"deploy-bot""#,
        r#""display_name":"alice""#,
    ));
    let k8s = file(
        r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"alice"},"sourceIPs":["10.0.0.1"],"objectRef":{"resource":"secrets","namespace":"prod","name":"payments-key","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2025-03-15T02:40:00.000001Z","stageTimestamp":"2025-03-15T02:40:00.000002Z"}"#,
    );
    let r = run(&[
        "blast-radius",
        "secret/prod/db",
        vault.path().to_str().unwrap(),
        k8s.path().to_str().unwrap(),
        "--depth",
        "2",
        "--exhaustive",
        "--format",
        "json",
    ]);
    assert!(!r.stdout.contains("payments-key"), "{}", r.stdout);
}
