//! The `suspicious` contract, read back into strict types: the
//! `whosaw.suspicious.v1` document of `--format json` and each finding line
//! of `--format ndjson`. A renamed, retyped, vanished or unannounced field
//! fails here (add it below and to README.md when you add it on purpose),
//! and so does a new rule, variant or severity.

#![allow(dead_code)] // fields exist to be checked by serde, not read

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::contract_types::{Outcome, Provider, Stats, arg, document, lines, present, run_ok};
use crate::util::{instant, run};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Suspicious {
    schema: String,
    since: Option<String>,
    until: Option<String>,
    baseline: Option<String>,
    rules: Vec<RuleStatus>,
    findings: Vec<Finding>,
    coverage: crate::contract_types::Coverage,
    stats: Stats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleStatus {
    rule: Rule,
    active: bool,
    /// Only for a rule that did not run.
    #[serde(default, deserialize_with = "present")]
    why_not: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Finding {
    rule: Rule,
    variant: Variant,
    severity: Severity,
    identity: String,
    /// Only when something names the identity beside its label.
    #[serde(default, deserialize_with = "present")]
    role: Option<String>,
    identity_id: String,
    provider: Provider,
    secrets: Vec<String>,
    first: String,
    last: String,
    count: u64,
    source_addresses: Vec<String>,
    explanation: String,
    evidence: Vec<Evidence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Evidence {
    file: String,
    line: u64,
    /// Only for a record inside a JSON document.
    #[serde(default, deserialize_with = "present")]
    record: Option<u32>,
    /// Only for a record from an export that gives the row an id.
    #[serde(default, deserialize_with = "present")]
    export_id: Option<String>,
    time: String,
    outcome: Outcome,
    secret: String,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
enum Rule {
    Burst,
    DeniedBurst,
    NewSource,
    EnvDrift,
    EnvMismatch,
    OffHours,
    FirstAccess,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
enum Variant {
    DistinctSecrets,
    SameSecret,
    RepeatedDenials,
    DeniedThenAllowed,
    AddressDenials,
    UntrustedNetwork,
    NewNetwork,
    Repeated,
    OneOff,
    Role,
    HourOfDay,
    NewSecret,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Low,
    Medium,
    High,
}

/// Every rule and the variants it reports (README's table).
const EVERY_VARIANT: [(Rule, Variant); 12] = [
    (Rule::Burst, Variant::DistinctSecrets),
    (Rule::Burst, Variant::SameSecret),
    (Rule::DeniedBurst, Variant::RepeatedDenials),
    (Rule::DeniedBurst, Variant::DeniedThenAllowed),
    (Rule::DeniedBurst, Variant::AddressDenials),
    (Rule::NewSource, Variant::UntrustedNetwork),
    (Rule::NewSource, Variant::NewNetwork),
    (Rule::EnvDrift, Variant::Repeated),
    (Rule::EnvDrift, Variant::OneOff),
    (Rule::EnvMismatch, Variant::Role),
    (Rule::OffHours, Variant::HourOfDay),
    (Rule::FirstAccess, Variant::NewSecret),
];

/// The fixtures of `testdata/suspicious/` that fire; between them every
/// variant (`env-drift*` also fire `first-access`).
const FIRING: [&str; 11] = [
    "burst-distinct.log",
    "burst-same.log",
    "denied-address.log",
    "denied-burst.log",
    "denied-then-allowed.log",
    "env-drift.log",
    "env-drift-once.log",
    "env-mismatch.log",
    "new-network.log",
    "new-source.log",
    "off-hours.log",
];

const LEARN_UNTIL: &str = "2025-03-14T00:00:00Z";

/// `suspicious PATHS --config testdata/suspicious/whosaw.toml REST…`: the
/// strict report of `--format json`, after checking that `--format ndjson`
/// prints exactly its findings.
fn suspicious(paths: &[&str], rest: &[&str]) -> Suspicious {
    let config = arg("suspicious/whosaw.toml");
    let paths: Vec<String> = paths.iter().map(|p| arg(p)).collect();
    let mut args = vec!["suspicious"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--config", &config]);
    args.extend(rest);
    let json = run_ok(&[&args[..], &["--format", "json"]].concat(), 0).stdout;
    let ndjson = run_ok(&[&args[..], &["--format", "ndjson"]].concat(), 0).stdout;
    let _: Vec<Finding> = lines(&ndjson);
    let as_lines: Vec<serde_json::Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap(), &as_lines);
    document(&json)
}

/// What holds for every finding, whatever its rule.
fn check(f: &Finding) {
    assert_eq!(f.count, f.evidence.len() as u64, "{f:#?}");
    let (first, last) = (instant(&f.first), instant(&f.last));
    assert!(first <= last, "{f:#?}");
    assert!(
        f.evidence
            .iter()
            .all(|e| (first..=last).contains(&instant(&e.time)) && e.line > 0),
        "{f:#?}"
    );
    let named: BTreeSet<&str> = f.evidence.iter().map(|e| e.secret.as_str()).collect();
    let secrets: BTreeSet<&str> = f.secrets.iter().map(String::as_str).collect();
    assert_eq!(named, secrets, "{f:#?}");
    assert!(!f.source_addresses.is_empty() && !f.explanation.is_empty());
}

#[test]
fn suspicious_json_has_a_finding_of_every_rule_and_variant() {
    let mut seen = BTreeSet::new();
    let mut severities = BTreeSet::new();
    for file in FIRING {
        let report = suspicious(
            &[&format!("suspicious/{file}")],
            &["--learn-until", LEARN_UNTIL],
        );
        assert_eq!(report.schema, "whosaw.suspicious.v1");
        assert_eq!((report.since.as_ref(), report.until.as_ref()), (None, None));
        assert_eq!(
            report.baseline.as_deref(),
            Some("learned from the events before 2025-03-14T00:00:00Z")
        );
        assert!(
            report.rules.iter().all(|r| r.active && r.why_not.is_none()),
            "{file}: {:?}",
            report.rules
        );
        assert_eq!(report.stats.files, 1);
        assert!(report.stats.complete());
        assert!(!report.findings.is_empty(), "{file}");
        for f in &report.findings {
            check(f);
            assert_eq!(f.provider, Provider::Vault);
            assert!(f.evidence.iter().all(|e| e.file.ends_with(file)));
            seen.insert((f.rule, f.variant));
            severities.insert(f.severity);
            match f.variant {
                // One address, many identities: the address stands in for
                // the identity, and no role names it.
                Variant::AddressDenials => {
                    assert_eq!(f.identity_id, f.source_addresses[0]);
                    assert_eq!(f.role, None);
                    assert!(f.evidence.iter().all(|e| e.outcome == Outcome::Denied));
                }
                Variant::DeniedThenAllowed => {
                    let outcomes: Vec<Outcome> = f.evidence.iter().map(|e| e.outcome).collect();
                    assert_eq!(outcomes.last(), Some(&Outcome::Success), "{f:#?}");
                    assert!(outcomes.contains(&Outcome::Denied), "{f:#?}");
                    assert_eq!(f.severity, Severity::High);
                }
                // `role_name=…`, `username=…`: what names it.
                _ => assert!(f.role.as_deref().is_some_and(|r| r.contains('=')), "{f:#?}"),
            }
        }
    }
    assert_eq!(seen, BTreeSet::from(EVERY_VARIANT));
    assert_eq!(
        severities,
        BTreeSet::from([Severity::Medium, Severity::High])
    );
}

#[test]
fn suspicious_json_across_stores_without_a_baseline() {
    let report = suspicious(
        &[
            "cloudtrail/ssm.json",
            "azure/PT1H.json",
            "gcp/gcloud-read.json",
            "k8s/audit.log",
        ],
        &["--since", "2025-01-01", "--until", "2026-01-01T00:00:00Z"],
    );
    assert_eq!(report.schema, "whosaw.suspicious.v1");
    assert_eq!(report.since.as_deref(), Some("2025-01-01T00:00:00Z"));
    assert_eq!(report.until.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(report.baseline, None);
    assert_eq!(report.stats.files, 4);
    // The rules that need a baseline say why they did not run.
    let inactive: Vec<Rule> = report
        .rules
        .iter()
        .filter(|r| !r.active)
        .map(|r| r.rule)
        .collect();
    assert_eq!(
        inactive,
        [Rule::EnvDrift, Rule::OffHours, Rule::FirstAccess]
    );
    for r in &report.rules {
        match r.active {
            true => assert_eq!(r.why_not, None),
            false => assert!(
                r.why_not
                    .as_deref()
                    .is_some_and(|w| w.starts_with("needs a baseline")),
                "{r:?}"
            ),
        }
    }
    // Only the trusted_networks rule has something to say here.
    for f in &report.findings {
        check(f);
        assert_eq!(
            (f.rule, f.variant),
            (Rule::NewSource, Variant::UntrustedNetwork)
        );
        assert_eq!(f.role, None, "{f:#?}");
        if f.severity == Severity::High {
            assert!(f.evidence.iter().any(|e| e.outcome == Outcome::Success));
        }
    }
    let providers: BTreeSet<Provider> = report.findings.iter().map(|f| f.provider).collect();
    assert_eq!(
        providers,
        BTreeSet::from([Provider::Aws, Provider::Azure, Provider::Gcp, Provider::K8s])
    );
    let severities: BTreeSet<Severity> = report.findings.iter().map(|f| f.severity).collect();
    assert_eq!(severities, BTreeSet::from([Severity::Low, Severity::High]));
    // Evidence inside a JSON document names its record.
    assert!(
        report
            .findings
            .iter()
            .flat_map(|f| &f.evidence)
            .any(|e| e.record.is_some() && e.file.ends_with("ssm.json"))
    );
    // A denied read from outside is a low finding of its own.
    assert!(
        report.findings.iter().any(|f| f.severity == Severity::Low
            && f.evidence.iter().all(|e| e.outcome == Outcome::Denied))
    );
}

#[test]
fn suspicious_json_names_the_baseline_file() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let base = base.to_str().unwrap();
    let log = arg("suspicious/off-hours.log");
    let r = run(&["baseline", &log, "--until", LEARN_UNTIL, "-o", base]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = suspicious(
        &["suspicious/off-hours.log"],
        &["--baseline", base, "--since", LEARN_UNTIL],
    );
    assert_eq!(report.baseline.as_deref(), Some(base));
    assert_eq!(report.since.as_deref(), Some(LEARN_UNTIL));
    assert!(report.rules.iter().all(|r| r.active));
    let rules: Vec<(Rule, Variant)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.variant))
        .collect();
    assert_eq!(rules, [(Rule::OffHours, Variant::HourOfDay)]);
}
