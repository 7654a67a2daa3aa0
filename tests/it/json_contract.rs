//! The JSON contract, read back into strict types: a renamed or retyped
//! field fails here, and so does an unannounced new one (add it below and
//! to README.md's contract when you add it on purpose).

#![allow(dead_code)] // fields exist to be checked by serde, not read

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::util::{data, run};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhoRead {
    schema: String,
    query: Query,
    readers: Vec<Reader>,
    excluded_reads: u64,
    excluded: Option<Vec<Excluded>>,
    coverage: crate::contract_types::Coverage,
    stats: Stats,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Excluded {
    identity: String,
    identity_id: String,
    reason: String,
    evidence: Evidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    secret: String,
    regex: bool,
    since: Option<String>,
    until: Option<String>,
    depth: Option<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stats {
    files: u64,
    events: u64,
    malformed_lines: u64,
    skipped_files: u64,
    incomplete_files: u64,
    exhaustive: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reader {
    identity: String,
    identity_id: String,
    provider: String,
    successful_reads: u64,
    denied_reads: u64,
    error_reads: u64,
    not_found_reads: u64,
    no_value_reads: u64,
    unknown_outcome: u64,
    wide_reads: u64,
    undecrypted_reads: u64,
    possible_reads: u64,
    operations: Vec<String>,
    first_seen: String,
    last_seen: String,
    source_addresses: Vec<String>,
    secrets: Vec<String>,
    credentials: Vec<String>,
    metadata: BTreeMap<String, String>,
    policies: Vec<String>,
    evidence: Option<Vec<Evidence>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Evidence {
    file: String,
    line: u64,
    #[serde(default)]
    record: Option<u32>,
    /// Only for a record from an export that gives the row an id.
    #[serde(default)]
    export_id: Option<String>,
    provider: String,
    operation: String,
    scope: String,
    kind: String,
    time: String,
    request_id: Option<String>,
    outcome: String,
    secret: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlastRadius {
    schema: String,
    query: Query,
    rotate: Vec<RotateItem>,
    investigate: Vec<Investigate>,
    coverage: crate::contract_types::Coverage,
    stats: Stats,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
enum RotateItem {
    Secret {
        provider: Option<String>,
        target: String,
        reason: String,
        hint: String,
        depth: u8,
        #[serde(default)]
        via: Vec<String>,
        evidence: SecretEvidence,
    },
    Credential {
        identity: String,
        identity_id: String,
        provider: String,
        credential_kind: String,
        credentials: Vec<String>,
        hint: String,
        reason: String,
        metadata: BTreeMap<String, String>,
        policies: Vec<String>,
        evidence: CredentialEvidence,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretEvidence {
    successful_reads: u64,
    readers: u64,
    possible_reads: u64,
    undecrypted_reads: u64,
    first_seen: Option<String>,
    last_seen: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialEvidence {
    successful_reads: u64,
    first_seen: String,
    last_seen: String,
    source_addresses: Vec<String>,
    secrets: Vec<String>,
    unknown_outcome: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Investigate {
    identity: String,
    identity_id: String,
    provider: String,
    denied_reads: u64,
    error_reads: u64,
    not_found_reads: u64,
    no_value_reads: u64,
    unknown_outcome: u64,
    undecrypted_reads: u64,
    possible_reads: u64,
    first_seen: String,
    last_seen: String,
    source_addresses: Vec<String>,
    secrets: Vec<String>,
    reason: String,
    metadata: BTreeMap<String, String>,
}

fn stdout(args: &[&str]) -> String {
    let dir = data("vault/incident");
    let mut all = vec![
        args[0],
        "secret/production/db-password",
        dir.to_str().unwrap(),
    ];
    all.extend(&args[1..]);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn who_read_json_matches_the_contract() {
    let report: WhoRead =
        serde_json::from_str(&stdout(&["who-read", "--json", "--evidence"])).unwrap();
    assert_eq!(report.schema, "whosaw.who-read.v1");
    assert!(
        report
            .readers
            .iter()
            .all(|r| r.provider == "vault" && r.evidence.is_some())
    );
}

#[test]
fn who_read_evidence_from_an_export_names_its_id() {
    let path = data("exports/elastic-search.json");
    let r = run(&[
        "who-read",
        "prod/db-password",
        path.to_str().unwrap(),
        "--json",
        "--evidence",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: WhoRead = serde_json::from_str(&r.stdout).unwrap();
    let evidence: Vec<&Evidence> = report
        .readers
        .iter()
        .flat_map(|r| r.evidence.iter().flatten())
        .collect();
    assert!(!evidence.is_empty());
    assert!(evidence.iter().all(|e| {
        e.export_id
            .as_deref()
            .is_some_and(|id| id.starts_with("_id="))
    }));
}

#[test]
fn who_read_ndjson_lines_are_readers() {
    for line in stdout(&["who-read", "--format", "ndjson"]).lines() {
        let _: Reader = serde_json::from_str(line).unwrap();
    }
}

#[test]
fn blast_radius_json_matches_the_contract() {
    let report: BlastRadius =
        serde_json::from_str(&stdout(&["blast-radius", "--json", "--depth", "2"])).unwrap();
    assert_eq!(report.schema, "whosaw.blast-radius.v1");
    assert_eq!(report.query.depth, Some(2));
    assert_eq!(report.rotate.len(), 6);
    assert_eq!(report.investigate.len(), 2);
}
