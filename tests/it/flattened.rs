//! CloudTrail as security data lakes and SIEMs export it (Panther-style):
//! times written `2024-10-17 21:48:45.000000000` (a space, nanoseconds, no
//! zone), the lake's own `p_*` fields beside the record, and one event
//! delivered several times with different contents
//! (`testdata/cloudtrail/flattened.jsonl`, see testdata/README.md).

use crate::util::{data, reader, run, who_read_json};

const FILE: &str = "cloudtrail/flattened.jsonl";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/ci-deploy/gh-run-5120";
const PAYMENTS: &str = "arn:aws:sts::111122223333:assumed-role/payments-api/i-0f1e2d3c4b5a69788";

#[test]
fn a_flattened_export_is_read_as_cloudtrail_and_its_triple_is_one_access() {
    let (r, v) = who_read_json("aws:prod/db-password", &[FILE], &["--evidence", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("flattened.jsonl: AWS CloudTrail"),
        "{}",
        r.stderr
    );
    let stats = &v["stats"];
    assert_eq!(stats["events"], 5);
    assert_eq!(stats["malformed_lines"], 0);
    assert_eq!(stats["skipped_files"], 0);
    assert_eq!(v["readers"].as_array().unwrap().len(), 1, "{}", r.stdout);
    // Lines 1, 3 and 4 are one event (one eventID): one access, the first copy.
    let session = reader(&v, SESSION);
    assert_eq!(session["successful_reads"], 1);
    assert_eq!(session["first_seen"], "2024-10-17T21:48:45.000000000Z");
    assert_eq!(session["last_seen"], "2024-10-17T21:48:45.000000000Z");
    let evidence = session["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0]["line"], 1);
    assert_eq!(evidence[0]["time"], "2024-10-17T21:48:45.000000000Z");
    assert_eq!(
        evidence[0]["request_id"],
        "4c0f61bd-35f4-4c4d-b35f-38392014b881"
    );
    // The table prints the time as the JSON does.
    let path = data(FILE).display().to_string();
    let table = run(&["who-read", "aws:prod/db-password", &path]);
    assert!(
        table.stdout.contains("2024-10-17T21:48:45.000000000Z"),
        "{}",
        table.stdout
    );
}

#[test]
fn flattened_parameter_reads_and_the_timeline_keep_nine_digits() {
    let (r, v) = who_read_json("ssm:/prod/db/password", &[FILE], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let payments = reader(&v, PAYMENTS);
    assert_eq!(payments["successful_reads"], 1);
    assert_eq!(payments["first_seen"], "2024-10-17T21:49:02.000000000Z");
    let path = data(FILE).display().to_string();
    let r = run(&["timeline", &path, "--format", "ndjson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let events = r.ndjson();
    let got = crate::util::field_pairs(&events, "time", "operation");
    // The triple is one event; KMS Decrypt is not a secret-store call.
    assert_eq!(
        got,
        [
            ("2024-10-17T21:48:45.000000000Z", "GetSecretValue"),
            ("2024-10-17T21:49:02.000000000Z", "GetParameter"),
        ]
    );
}

#[test]
fn a_time_without_a_zone_is_utc_for_cloudtrail_only() {
    let dir = tempfile::tempdir().unwrap();
    // A Vault line whose time lacks its zone: it could be local time, so it
    // is not read as UTC; the record is malformed, not misplaced in time.
    let vault = dir.path().join("audit.log");
    let line = |time: &str, id: &str| {
        format!(
            r#"{{"time":"{time}","type":"response","auth":{{"accessor":"hmac-sha256:acc","display_name":"deploy-bot","entity_id":"e1"}},"request":{{"id":"{id}","operation":"read","mount_point":"secret/","path":"secret/data/production/db","remote_address":"10.0.1.42"}},"response":{{"data":{{"data":{{"password":"hmac-sha256:p"}}}}}}}}"#
        )
    };
    std::fs::write(
        &vault,
        [
            line(
                "2025-03-15T02:30:00.000000Z",
                "11111111-2222-4333-8444-555555555555",
            ),
            line(
                "2025-03-15 02:34:12.000000",
                "11111111-2222-4333-8444-666666666666",
            ),
        ]
        .join("\n")
            + "\n",
    )
    .unwrap();
    let r = run(&[
        "who-read",
        "secret/production/db",
        vault.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["stats"]["malformed_lines"], 1);
    // Only the line with a zone is read.
    assert_eq!(v["readers"][0]["successful_reads"], 1);
    assert_eq!(v["readers"][0]["last_seen"], "2025-03-15T02:30:00.000000Z");
    assert!(
        r.stderr.contains("2025-03-15 02:34:12.000000"),
        "{}",
        r.stderr
    );
}
