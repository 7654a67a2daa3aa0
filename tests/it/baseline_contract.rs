//! The `baseline` contract, read back into strict types: the
//! `whosaw.baseline.v1` document `whosaw baseline PATHS` writes (and
//! `suspicious --baseline` reads back), as `baseline show --format json`
//! prints it, and each identity line of `baseline show --format ndjson`. A
//! renamed, retyped, vanished or unannounced field fails here (add it below
//! and to README.md when you add it on purpose).

#![allow(dead_code)] // fields exist to be checked by serde, not read

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::contract_types::{Provider, arg, document, lines, run_ok};
use crate::util::instant;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Baseline {
    schema: String,
    generated_by: String,
    since: Option<String>,
    until: Option<String>,
    /// `null` only when nothing was learned.
    first_read: Option<String>,
    last_read: Option<String>,
    reads: u64,
    identities: Vec<Identity>,
    environments: Vec<Environment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Identity {
    provider: Provider,
    id: String,
    label: String,
    reads: u64,
    /// A time, or `""` for an identity only ever denied (never `null`).
    first_read: String,
    last_read: String,
    secrets: Vec<String>,
    environments: BTreeMap<String, u64>,
    networks: Vec<String>,
    hours: Vec<u64>,
    peak_reads_per_hour: u64,
    peak_reads_per_5m: u64,
    peak_distinct_secrets_per_10m: u64,
    denials: u64,
    peak_denials_per_15m: u64,
    settled_secrets: bool,
    settled_networks: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Environment {
    name: String,
    reads: u64,
    identities: u64,
    hours: Vec<u64>,
}

/// A Vault routine across environments, and every other store (SSM
/// readers, denied-only identities, a cluster-wide read whose secret has no
/// environment).
const LEARNED_FROM: [&str; 5] = [
    "suspicious/env-drift.log",
    "cloudtrail/ssm.json",
    "azure/PT1H.json",
    "gcp/gcloud-read.json",
    "k8s/audit.log",
];

fn baseline(rest: &[&str], code: i32) -> String {
    let config = arg("suspicious/whosaw.toml");
    let paths: Vec<String> = LEARNED_FROM.iter().map(|p| arg(p)).collect();
    let mut args = vec!["baseline"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--config", &config]);
    args.extend(rest);
    run_ok(&args, code).stdout
}

#[test]
fn baseline_json_matches_the_contract() {
    let b: Baseline = document(&baseline(
        &["--since", "2025-01-01", "--until", "2026-01-01"],
        0,
    ));
    assert_eq!(b.schema, "whosaw.baseline.v1");
    assert!(b.generated_by.starts_with("whosaw "), "{}", b.generated_by);
    assert_eq!(b.since.as_deref(), Some("2025-01-01T00:00:00Z"));
    assert_eq!(b.until.as_deref(), Some("2026-01-01T00:00:00Z"));
    let (first, last) = (b.first_read.as_deref(), b.last_read.as_deref());
    assert!(instant(first.unwrap()) <= instant(last.unwrap()));

    // SSM readers are AWS identities: the identity's store, not the secret's.
    let providers: BTreeSet<Provider> = b.identities.iter().map(|i| i.provider).collect();
    assert_eq!(
        providers,
        BTreeSet::from([
            Provider::Vault,
            Provider::Aws,
            Provider::Azure,
            Provider::Gcp,
            Provider::K8s
        ])
    );
    assert_eq!(b.reads, b.identities.iter().map(|i| i.reads).sum::<u64>());
    for i in &b.identities {
        assert_eq!(i.hours.len(), 24, "{i:#?}");
        assert_eq!(i.hours.iter().sum::<u64>(), i.reads, "{i:#?}");
        assert_eq!(i.environments.values().sum::<u64>(), i.reads, "{i:#?}");
        assert!(i.peak_denials_per_15m <= i.denials);
        match i.reads {
            // Learned from its denials only: no time, no secret, no network.
            0 => {
                assert!(i.denials > 0, "{i:#?}");
                assert_eq!((i.first_read.as_str(), i.last_read.as_str()), ("", ""));
                assert!(i.secrets.is_empty() && i.networks.is_empty());
            }
            _ => {
                assert!(instant(&i.first_read) <= instant(&i.last_read), "{i:#?}");
                assert!(!i.secrets.is_empty() && !i.networks.is_empty());
            }
        }
    }
    assert!(b.identities.iter().any(|i| i.reads == 0));
    assert!(b.identities.iter().any(|i| !i.settled_secrets));
    assert!(b.identities.iter().any(|i| !i.settled_networks));
    // The Vault routine: 22 reads at 10:00 over three environments.
    let approle = b
        .identities
        .iter()
        .find(|i| i.provider == Provider::Vault && i.label == "approle")
        .expect("the Vault identity");
    assert_eq!(approle.hours[10], approle.reads);
    assert_eq!(
        approle.environments.keys().collect::<Vec<_>>(),
        ["development", "production", "staging"]
    );

    assert_eq!(b.reads, b.environments.iter().map(|e| e.reads).sum::<u64>());
    for e in &b.environments {
        assert_eq!(e.hours.len(), 24, "{e:#?}");
        assert_eq!(e.hours.iter().sum::<u64>(), e.reads, "{e:#?}");
        assert!(e.identities > 0, "{e:#?}");
    }
    let names: Vec<&str> = b.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["development", "none", "production", "staging"]);
}

#[test]
fn baseline_json_with_nothing_learned() {
    let b: Baseline = document(&baseline(&["--since", "2030-01-01"], 1));
    assert_eq!(b.schema, "whosaw.baseline.v1");
    assert_eq!(b.since.as_deref(), Some("2030-01-01T00:00:00Z"));
    assert_eq!(b.until, None);
    assert_eq!((b.first_read, b.last_read), (None, None));
    assert_eq!(b.reads, 0);
    assert!(b.identities.is_empty() && b.environments.is_empty());
}

#[test]
fn baseline_show_prints_the_same_contract() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("normal.json");
    let file = file.to_str().unwrap();
    baseline(&["-o", file], 0);
    let written = std::fs::read_to_string(file).unwrap();
    let _: Baseline = document(&written);

    // `show --format json` prints the file as it was written.
    let shown = run_ok(&["baseline", "show", file, "--format", "json"], 0).stdout;
    let b: Baseline = document(&shown);
    assert_eq!(shown, written);
    assert_eq!((b.since, b.until), (None, None));

    // `show --format ndjson`: one identity per line, the document's own.
    let ndjson = run_ok(&["baseline", "show", file, "--format", "ndjson"], 0).stdout;
    let identities: Vec<Identity> = lines(&ndjson);
    assert_eq!(identities.len(), b.identities.len());
    let as_lines: Vec<serde_json::Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let doc: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(doc["identities"].as_array().unwrap(), &as_lines);
}
