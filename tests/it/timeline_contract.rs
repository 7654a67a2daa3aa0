//! The `timeline` contract, read back into strict types: each
//! `whosaw.event.v1` line of `--format ndjson`, and the `whosaw.timeline.v1`
//! document of `--format json`. A renamed, retyped, vanished or unannounced
//! field fails here (add it below and to README.md when you add it on
//! purpose), and so does a new value of a closed vocabulary.

#![allow(dead_code)] // fields exist to be checked by serde, not read

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::contract_types::{Outcome, Provider, Stats, arg, document, lines, present, run_ok};
use crate::util::{cast, instant};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Timeline {
    schema: String,
    event_schema: String,
    query: Query,
    events: Vec<Event>,
    coverage: crate::contract_types::Coverage,
    stats: Stats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    secret: Option<String>,
    regex: bool,
    identity: Option<String>,
    identities: Vec<String>,
    source_ip: Option<String>,
    outcomes: Vec<Outcome>,
    actions: Vec<Action>,
    providers: Vec<Provider>,
    since: Option<String>,
    until: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Event {
    time: String,
    provider: Provider,
    action: Action,
    operation: String,
    outcome: Outcome,
    reason: Option<String>,
    identity: String,
    identity_id: String,
    credential: Option<String>,
    secret: Option<String>,
    /// Only when the logged name differs from `secret`.
    #[serde(default, deserialize_with = "present")]
    path: Option<String>,
    value: Option<Exposure>,
    environment: Option<String>,
    source_address: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    file: String,
    line: u64,
    /// Only for a record inside a JSON document.
    #[serde(default, deserialize_with = "present")]
    record: Option<u32>,
    /// Only for a record from an export that gives the row an id.
    #[serde(default, deserialize_with = "present")]
    export_id: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
enum Action {
    Read,
    List,
    Metadata,
    Write,
    Delete,
    Other,
}

/// What a successful read exposed.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
enum Exposure {
    Value,
    Undecrypted,
    Possible,
}

/// Every store, action, outcome and kind of value between them, records
/// inside documents and KV v2 paths (`rules/` adds not_found, no_value,
/// error and batches by filter; `ssm.json` an undecrypted read).
const EVERYTHING: [&str; 8] = [
    "incident",
    "rules/batch-filter.jsonl",
    "rules/k8s-created-later.log",
    "rules/k8s-secret-body.log",
    "rules/ssm-created-later.json",
    "rules/vault-no-value.log",
    "cloudtrail/ssm.json",
    "cloudtrail/secretsmanager.jsonl",
];
/// The files under them (`incident/` holds five).
const EVERYTHING_FILES: u64 = 12;

fn timeline(paths: &[&str], rest: &[&str]) -> String {
    let paths: Vec<String> = paths.iter().map(|p| arg(p)).collect();
    let mut args = vec!["timeline"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(rest);
    run_ok(&args, 0).stdout
}

fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    items.into_iter().collect()
}

#[test]
fn timeline_ndjson_lines_are_events() {
    let events: Vec<Event> = lines(&timeline(&EVERYTHING, &["--format", "ndjson"]));
    assert_eq!(
        set(events.iter().map(|e| e.provider)),
        set([
            Provider::Vault,
            Provider::Aws,
            Provider::Ssm,
            Provider::Azure,
            Provider::Gcp,
            Provider::K8s
        ])
    );
    assert_eq!(set(events.iter().map(|e| e.outcome)), set(Outcome::ALL));
    assert_eq!(
        set(events.iter().map(|e| e.action)),
        set([
            Action::Read,
            Action::List,
            Action::Metadata,
            Action::Write,
            Action::Delete,
            Action::Other
        ])
    );
    assert_eq!(
        set(events.iter().filter_map(|e| e.value)),
        set([Exposure::Value, Exposure::Undecrypted, Exposure::Possible])
    );
    // Every optional field is seen with and without a value (but
    // source_address: no fixture has an event without one).
    let both = |name: &str, has: fn(&Event) -> bool| {
        assert!(events.iter().any(has), "no event has {name}");
        assert!(!events.iter().all(has), "every event has {name}");
    };
    both("reason", |e| e.reason.is_some());
    both("credential", |e| e.credential.is_some());
    both("secret", |e| e.secret.is_some());
    both("path", |e| e.path.is_some());
    both("value", |e| e.value.is_some());
    both("environment", |e| e.environment.is_some());
    both("user_agent", |e| e.user_agent.is_some());
    both("request_id", |e| e.request_id.is_some());
    both("record", |e| e.record.is_some());

    // Oldest first, compared as instants.
    let times: Vec<i64> = events.iter().map(|e| instant(&e.time)).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    for e in &events {
        // Only an answered read exposed a value.
        if e.value.is_some() {
            assert_eq!(e.outcome, Outcome::Success, "{e:?}");
        }
        // `path` is there only when it says something `secret` does not.
        if let Some(path) = &e.path {
            assert_ne!(Some(path), e.secret.as_ref(), "{e:?}");
        }
        assert!(e.line > 0, "{e:?}");
    }
    // What a responder looks for: who was denied, by which store, and why.
    let denied: BTreeSet<(&str, Provider, Option<&str>)> = events
        .iter()
        .filter(|e| e.outcome == Outcome::Denied)
        .map(|e| (e.identity.as_str(), e.provider, e.reason.as_deref()))
        .collect();
    for expected in [
        (
            "kubernetes-ci-runner",
            Provider::Vault,
            Some("permission denied"),
        ),
        (
            "assumed-role/staging-app/i-0abc",
            Provider::Aws,
            Some("AccessDeniedException"),
        ),
    ] {
        assert!(
            denied.contains(&expected),
            "{expected:?} not in {denied:#?}"
        );
    }
    assert!(denied.iter().all(|(_, _, reason)| reason.is_some()));
}

#[test]
fn timeline_json_matches_the_contract() {
    let json = timeline(&EVERYTHING, &["--format", "json"]);
    let report: Timeline = document(&json);
    assert_eq!(report.schema, "whosaw.timeline.v1");
    assert_eq!(report.event_schema, "whosaw.event.v1");
    let q = &report.query;
    assert_eq!((q.secret.as_ref(), q.identity.as_ref()), (None, None));
    assert_eq!((q.since.as_ref(), q.until.as_ref()), (None, None));
    assert!(!q.regex && q.source_ip.is_none());
    assert!(q.outcomes.is_empty() && q.actions.is_empty() && q.providers.is_empty());
    assert_eq!(report.stats.files, EVERYTHING_FILES);
    assert!(report.stats.complete() && !report.stats.exhaustive);
    assert!(report.stats.events >= report.events.len() as u64);

    // The document's events are the NDJSON lines, field for field.
    let ndjson = timeline(&EVERYTHING, &["--format", "ndjson"]);
    let lines: Vec<serde_json::Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["events"].as_array().unwrap(), &lines);
}

#[test]
fn timeline_events_from_an_export_carry_its_id() {
    let events: Vec<Event> = lines(&timeline(
        &["exports/splunk-export.json"],
        &["--format", "ndjson"],
    ));
    assert!(!events.is_empty());
    for e in &events {
        let id = e.export_id.as_deref().unwrap_or_default();
        assert!(id.starts_with("_cd=42:"), "{e:?}");
        assert!(e.file.ends_with("splunk-export.json"));
    }
}

#[test]
fn timeline_json_echoes_every_filter() {
    let report: Timeline = document(&timeline(
        &["vault/incident"],
        &[
            "--json",
            "--secret",
            cast::DB,
            "--identity",
            "deploy-bot",
            "--source-ip",
            "10.0.0.0/8",
            "--outcome",
            "success,denied",
            "--action",
            "read,list",
            "--provider",
            "vault",
            "--since",
            "2025-03-01",
            "--until",
            "2025-04-01T00:00:00Z",
        ],
    ));
    let q = &report.query;
    assert_eq!(q.secret.as_deref(), Some(cast::DB));
    assert!(!q.regex);
    assert_eq!(q.identity.as_deref(), Some("deploy-bot"));
    assert_eq!(q.identities, ["deploy-bot"]);
    assert_eq!(q.source_ip.as_deref(), Some("10.0.0.0/8"));
    assert_eq!(q.outcomes, [Outcome::Success, Outcome::Denied]);
    assert_eq!(q.actions, [Action::Read, Action::List]);
    assert_eq!(q.providers, [Provider::Vault]);
    assert_eq!(q.since.as_deref(), Some("2025-03-01T00:00:00Z"));
    assert_eq!(q.until.as_deref(), Some("2025-04-01T00:00:00Z"));
    // deploy-bot read the DB password twice, once in each file.
    assert_eq!(report.events.len(), 2, "{:#?}", report.events);
    for e in &report.events {
        assert_eq!(e.identity_id, cast::DEPLOY_BOT);
        assert_eq!(e.secret.as_deref(), Some(cast::DB));
        assert_eq!(
            e.path.as_deref(),
            Some("secret/data/production/db-password")
        );
        assert_eq!(
            (e.outcome, e.value),
            (Outcome::Success, Some(Exposure::Value))
        );
        assert_eq!(e.source_address.as_deref(), Some("10.0.1.42"));
    }
    assert_eq!(report.stats.files, 2);

    let report: Timeline = document(&timeline(
        &["vault/incident"],
        &[
            "--json",
            "--regex",
            "--secret",
            "^secret/production/db-pass",
            "--outcome",
            "unknown",
        ],
    ));
    assert!(report.query.regex);
    assert_eq!(report.query.outcomes, [Outcome::Unknown]);
    assert!(!report.events.is_empty());
    // An unanswered read: no value left the store, nobody said why.
    assert!(
        report
            .events
            .iter()
            .all(|e| e.value.is_none() && e.reason.is_none())
    );
}
