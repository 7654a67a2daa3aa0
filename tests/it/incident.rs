//! The mixed-source 3 AM story in `testdata/incident/`: the production DB
//! password `prod/db-password` is read through three stores (AWS Secrets
//! Manager, Vault, Kubernetes), beside Azure and Google Cloud logs that hold
//! other secrets only.

use crate::util::{data, run};

fn report(args: &[&str]) -> serde_json::Value {
    let path = data("incident");
    let mut all = args.to_vec();
    all.insert(2, path.to_str().unwrap());
    all.extend(["--format", "json"]);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

#[test]
fn who_read_finds_the_readers_in_every_store() {
    let v = report(&["who-read", "prod/db-password"]);
    let rows: Vec<(String, String, u64, u64, u64)> = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["provider"].as_str().unwrap().to_string(),
                r["identity"].as_str().unwrap().to_string(),
                r["successful_reads"].as_u64().unwrap(),
                r["denied_reads"].as_u64().unwrap(),
                r["wide_reads"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("aws", "assumed-role/ci-deploy/gh-run-4420", 1, 0, 0),
        ("vault", "jwt-repo:acme/app:ref:refs/heads/main", 1, 0, 0),
        ("vault", "kubernetes-ci-runner", 0, 1, 0),
        ("aws", "assumed-role/staging-app/i-0abc", 0, 1, 0),
        ("vault", "kubernetes-prod-payments-api", 1, 0, 0),
        ("k8s", "system:serviceaccount:prod:payments-api", 1, 0, 0),
        ("k8s", "system:serviceaccount:ci:runner", 1, 0, 1),
    ];
    let expected: Vec<(String, String, u64, u64, u64)> = expected
        .iter()
        .map(|(p, i, s, d, w)| (p.to_string(), i.to_string(), *s, *d, *w))
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(v["stats"]["files"], 5);
    assert_eq!(v["stats"]["events"], 22);
}

#[test]
fn blast_radius_lists_each_store_and_each_credential_kind() {
    let v = report(&["blast-radius", "prod/db-password", "--depth", "2"]);
    let items: Vec<String> = v["rotate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| match i["kind"].as_str().unwrap() {
            "secret" => format!(
                "secret {} {} depth {}",
                i["provider"].as_str().unwrap(),
                i["target"].as_str().unwrap(),
                i["depth"]
            ),
            _ => format!(
                "credential {} {}",
                i["credential_kind"].as_str().unwrap(),
                i["identity"].as_str().unwrap()
            ),
        })
        .collect();
    assert_eq!(
        items,
        [
            "secret k8s prod/db-password depth 1",
            "secret vault prod/data/db-password depth 1",
            "secret aws prod/db-password depth 1",
            "credential k8s-service-account system:serviceaccount:ci:runner",
            "credential k8s-service-account system:serviceaccount:prod:payments-api",
            "credential vault-token-accessor kubernetes-prod-payments-api",
            "credential vault-token-accessor jwt-repo:acme/app:ref:refs/heads/main",
            "credential aws-role-sessions assumed-role/ci-deploy/gh-run-4420",
            "secret k8s prod/* depth 2",
            "secret aws prod/stripe-api-key depth 2",
        ]
    );
    let role = v["rotate"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["credential_kind"] == "aws-role-sessions")
        .unwrap();
    assert!(
        role["hint"].as_str().unwrap().contains(
            "revoke the active sessions of role arn:aws:iam::111122223333:role/ci-deploy"
        ),
        "{role}"
    );
    let investigate: Vec<&str> = v["investigate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["identity"].as_str().unwrap())
        .collect();
    assert_eq!(
        investigate,
        ["assumed-role/staging-app/i-0abc", "kubernetes-ci-runner"]
    );
}

#[test]
fn a_store_prefix_keeps_one_store() {
    let v = report(&["who-read", "aws:prod/db-password"]);
    let stores: Vec<&str> = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect();
    assert_eq!(stores, ["aws", "aws"]);
}
