//! Azure Key Vault keys and certificates are secrets too (see README,
//! "Azure Key Vault"), on `testdata/azure/keys-certs.json`: who-read of a
//! key counts what hands its material out (backup, release), not `KeyGet`;
//! a certificate's private key also leaves through its backing secret.

use crate::util::{data, run, who_read_json};

const FILE: &str = "azure/keys-certs.json";
const VAULT_URL: &str = "https://kv-prod.vault.azure.net";

// Identities of the fixture (`identity.claim.oid`, see testdata/README.md).
const ALICE: &str = "61de7ca4-1376-4042-9c40-04063e9a0db7";
const BOB: &str = "b8f30b2e-e9fe-46ee-ac89-dceaac4ae695";
const DAVE: &str = "a7723ddc-c6d1-4033-8141-9e1fce7e77e3";
const ERIN: &str = "1c45adee-0aa9-4b23-ac90-faf6847e4215";
const MI_PAYMENTS: &str = "91ace308-da14-4b01-bbb8-ca2c0b1c5692";
const MI_LEDGER: &str = "a36e8d90-d8f0-4796-bee0-2ba19069cec1";
const MI_APPGW: &str = "6d36aad9-e9f5-4223-9335-ec258d37c006";

/// The version of `cmk-payments` named in the fixture.
const CMK_VERSION: &str = "103ebe15b38c2fe3684df56c5ca1801e";

fn readers(report: &serde_json::Value) -> Vec<(String, u64, u64, Vec<String>)> {
    report["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["identity_id"].as_str().unwrap().to_string(),
                r["successful_reads"].as_u64().unwrap(),
                r["denied_reads"].as_u64().unwrap(),
                r["operations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    readers(report).into_iter().map(|r| r.0).collect()
}

fn reader(id: &str, ok: u64, denied: u64, ops: &[&str]) -> (String, u64, u64, Vec<String>) {
    (
        id.to_string(),
        ok,
        denied,
        ops.iter().map(|o| o.to_string()).collect(),
    )
}

#[test]
fn who_read_of_a_key_lists_its_backups_and_releases_not_its_gets() {
    let (r, v) = who_read_json("azure:kv-prod/keys/cmk-payments", &[FILE], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        readers(&v),
        [
            reader(DAVE, 1, 0, &["KeyBackup"]),
            reader(MI_LEDGER, 1, 0, &["KeyRelease"]),
        ]
    );
    // KeyGet (the public key) and KeyUnwrap (the key used, not revealed)
    // by mi-payments read nothing; the 401 probe is no attempt.
    assert!(
        !ids(&v)
            .iter()
            .any(|id| id == MI_PAYMENTS || id == "unknown")
    );
    let secrets = &v["readers"][0]["secrets"];
    assert_eq!(secrets, &serde_json::json!(["kv-prod/keys/cmk-payments"]));
}

#[test]
fn who_read_of_a_certificate_includes_reads_of_its_backing_secret() {
    // Over the whole folder: PT1H.json's secrets are other secrets.
    let (r, v) = who_read_json(
        "azure:kv-prod/certificates/web-tls",
        &["azure"],
        &["--evidence"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        readers(&v),
        [
            reader(ERIN, 1, 0, &["CertificateBackup"]),
            reader(MI_APPGW, 1, 0, &["SecretGet"]),
            reader(BOB, 0, 1, &["SecretGet"]),
        ]
    );
    // CertificateGet returns the public certificate only.
    assert!(!ids(&v).iter().any(|id| id == ALICE));
    // The evidence shows what was actually read: the backing secret's path.
    let evidence = |i: usize| v["readers"][i]["evidence"][0].clone();
    assert_eq!(evidence(1)["secret"], "kv-prod/web-tls");
    assert_eq!(evidence(1)["operation"], "SecretGet");
    assert_eq!(evidence(1)["line"], 8);
    assert_eq!(evidence(2)["outcome"], "denied");
    // Logged as `Web-TLS`: the same certificate, as logged.
    assert_eq!(evidence(0)["secret"], "kv-prod/certificates/Web-TLS");
}

#[test]
fn a_secret_query_does_not_pull_in_its_certificate() {
    let (_, v) = who_read_json("azure:kv-prod/web-tls", &[FILE], &[]);
    assert_eq!(ids(&v), [MI_APPGW, BOB]);
    // `vault/secrets/name` is the same secret as `vault/name`.
    let (r, spelled) = who_read_json("azure:kv-prod/secrets/web-tls", &[FILE], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(readers(&spelled), readers(&v));
}

#[test]
fn an_object_is_found_by_its_url_with_or_without_a_version() {
    let same = |query: &str, url: &str| {
        let (_, named) = who_read_json(query, &[FILE], &[]);
        let (r, by_url) = who_read_json(url, &[FILE], &[]);
        assert_eq!(r.code, 0, "{url}: {}", r.stderr);
        assert!(!ids(&named).is_empty(), "{query}");
        assert_eq!(readers(&by_url), readers(&named), "{url}");
    };
    let key = "azure:kv-prod/keys/cmk-payments";
    same(key, &format!("{VAULT_URL}/keys/cmk-payments"));
    same(key, &format!("{VAULT_URL}/keys/cmk-payments/"));
    same(key, &format!("{VAULT_URL}/keys/cmk-payments/{CMK_VERSION}"));
    let cert = "azure:kv-prod/certificates/web-tls";
    same(cert, &format!("{VAULT_URL}/certificates/web-tls/"));
    same(cert, &format!("{VAULT_URL}/certificates/Web-TLS/0a1b2c3d"));
    let secret = "azure:kv-prod/web-tls";
    same(secret, &format!("{VAULT_URL}/secrets/web-tls"));
    same(secret, &format!("{VAULT_URL}/secrets/web-tls/0a1b2c3d/"));
}

#[test]
fn the_prefilter_finds_what_parsing_everything_finds() {
    for query in [
        "azure:kv-prod/keys/cmk-payments",
        "azure:kv-prod/keys/cmk-old",
        "azure:kv-prod/certificates/web-tls",
        "azure:kv-prod/web-tls",
        "kv-prod/certificates/web-tls",
    ] {
        let (_, fast) = who_read_json(query, &["azure"], &[]);
        let (_, all) = who_read_json(query, &["azure"], &["--exhaustive"]);
        assert_eq!(readers(&fast), readers(&all), "{query}");
    }
    // `--regex` over every store still parses the new read operations.
    let regex = |pattern: &str| {
        let folder = data("azure").display().to_string();
        let r = run(&["who-read", "--regex", pattern, &folder, "--format", "json"]);
        assert_eq!(r.code, 0, "{pattern}: {}", r.stderr);
        r.json()
    };
    assert_eq!(ids(&regex("/keys/")), [DAVE, MI_LEDGER]);
    assert_eq!(ids(&regex("^kv-prod/certificates/")), [ERIN]);
}

fn timeline(args: &[&str]) -> Vec<serde_json::Value> {
    let file = data(FILE).display().to_string();
    let mut all = vec!["timeline", file.as_str(), "--format", "ndjson"];
    all.extend(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn timeline_names_keys_and_certificates() {
    let all = timeline(&[]);
    assert_eq!(all.len(), 12);
    let by_op = |op: &str| {
        all.iter()
            .find(|e| e["operation"] == op)
            .unwrap_or_else(|| panic!("no {op}"))
            .clone()
    };
    for (op, action, secret, value) in [
        ("KeyBackup", "read", "kv-prod/keys/cmk-payments", "value"),
        ("KeyGet", "metadata", "kv-prod/keys/cmk-payments", ""),
        ("KeyUnwrap", "other", "kv-prod/keys/cmk-payments", ""),
        ("KeyRelease", "read", "kv-prod/keys/cmk-payments", "value"),
        (
            "CertificateGet",
            "metadata",
            "kv-prod/certificates/web-tls",
            "",
        ),
        (
            "CertificateBackup",
            "read",
            "kv-prod/certificates/web-tls",
            "value",
        ),
        ("KeyList", "list", "kv-prod/keys/*", ""),
        (
            "CertificateImport",
            "write",
            "kv-prod/certificates/api-tls",
            "",
        ),
        ("KeyPurge", "delete", "kv-prod/keys/cmk-old", ""),
    ] {
        let e = by_op(op);
        assert_eq!(
            (
                e["action"].as_str().unwrap(),
                e["secret"].as_str().unwrap(),
                e["value"].as_str().unwrap_or("")
            ),
            (action, secret, value),
            "{op}"
        );
    }
    assert_eq!(by_op("KeyPurge")["outcome"], "success");
    assert_eq!(
        by_op("CertificateBackup")["path"],
        "kv-prod/certificates/Web-TLS"
    );
    // A key's events, by its URL; its reads only with --action.
    let url = format!("{VAULT_URL}/keys/cmk-payments/");
    let key = timeline(&["--secret", &url, "--action", "read"]);
    let ops: Vec<&str> = key
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["KeyBackup", "KeyRelease"]);
    // A certificate's events include the reads of its backing secret.
    let cert = timeline(&["--secret", "azure:kv-prod/certificates/web-tls"]);
    let seen: Vec<(&str, &str)> = cert
        .iter()
        .map(|e| {
            (
                e["operation"].as_str().unwrap(),
                e["secret"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("CertificateGet", "kv-prod/certificates/web-tls"),
            ("CertificateBackup", "kv-prod/certificates/web-tls"),
            ("SecretGet", "kv-prod/web-tls"),
            ("SecretGet", "kv-prod/web-tls"),
        ]
    );
}

fn blast(secret: &str, extra: &[&str]) -> serde_json::Value {
    let folder = data("azure").display().to_string();
    let mut args = vec!["blast-radius", secret, folder.as_str(), "--format", "json"];
    args.extend(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

#[test]
fn blast_radius_says_how_to_replace_a_key_or_a_certificate() {
    let v = blast("azure:kv-prod/keys/cmk-payments", &[]);
    let key = &v["rotate"][0];
    assert_eq!(key["kind"], "secret");
    assert_eq!(key["target"], "kv-prod/keys/cmk-payments");
    assert_eq!(key["evidence"]["successful_reads"], 2);
    let hint = key["hint"].as_str().unwrap();
    assert!(hint.contains("az keyvault key rotate --vault-name kv-prod --name cmk-payments"));
    assert!(hint.contains("treated as exported"), "{hint}");

    let v = blast("azure:kv-prod/certificates/web-tls", &["--depth", "2"]);
    let rotate = v["rotate"].as_array().unwrap();
    let cert = &rotate[0];
    // One item for the certificate, named as the certificate (as last
    // logged), its two successful reads counted, the backing secret's too.
    assert!(
        cert["target"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("kv-prod/certificates/web-tls"),
        "{cert}"
    );
    assert_eq!(cert["evidence"]["successful_reads"], 2);
    let hint = cert["hint"].as_str().unwrap();
    assert!(hint.contains("re-issue the certificate"), "{hint}");
    let credentials: Vec<&str> = rotate
        .iter()
        .filter(|i| i["kind"] == "credential")
        .map(|i| i["identity_id"].as_str().unwrap())
        .collect();
    assert_eq!(credentials, [MI_APPGW, ERIN]);
    // The backing secret is the certificate, not another secret at depth 2.
    assert!(rotate.iter().all(|i| i["depth"] != 2), "{rotate:?}");
    let investigate: Vec<&str> = v["investigate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["identity_id"].as_str().unwrap())
        .collect();
    assert_eq!(investigate, [BOB]);

    // From standard input (read once, every read kept): the same list.
    let file = std::fs::read(data(FILE)).unwrap();
    let piped = crate::util::run_cmd(
        crate::util::whosaw()
            .args(["blast-radius", "azure:kv-prod/certificates/web-tls", "-"])
            .args(["--depth", "2", "--format", "json"])
            .write_stdin(file),
    );
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let piped = piped.json();
    let targets = |v: &serde_json::Value| -> Vec<String> {
        v["rotate"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.get("target").unwrap_or(&i["identity_id"]).to_string())
            .collect()
    };
    assert_eq!(targets(&piped), targets(&v));
}
