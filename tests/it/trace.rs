//! `trace-value --hmac`: who received one exact value, known by the HMAC
//! Vault's audit device writes for it (`testdata/trace/vault.log`: a KV v2
//! write and a read of a password, a database credential with its lease,
//! a login's token).

use crate::util::{data, run};

const PASSWORD: &str =
    "hmac-sha256:7f3e0c9a1d2b4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
const DB_USER: &str =
    "hmac-sha256:1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff";
const LOGIN_TOKEN: &str =
    "hmac-sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
const DEPLOY_BOT: &str = "7d2e4c1a-0b5f-4e8a-9c3d-1f2a3b4c5d6e";
const PAYMENTS: &str = "a1b2c3d4-1111-4222-8333-944455556666";
const CI_RUNNER: &str = "c3d4e5f6-3333-4444-8555-b66677778888";

fn trace(hmac: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let log = data("trace/vault.log");
    let mut args = vec![
        "trace-value",
        "--hmac",
        hmac,
        log.to_str().unwrap(),
        "--json",
    ];
    args.extend(extra);
    let r = run(&args);
    (r.code, r.json())
}

fn readers(report: &serde_json::Value) -> Vec<(&str, u64)> {
    report["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["identity_id"].as_str().unwrap(),
                r["successful_reads"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_password_written_then_read_names_its_writer_and_its_reader() {
    let (code, report) = trace(PASSWORD, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "whosaw.trace-value.v1");
    assert_eq!(readers(&report), [(PAYMENTS, 1)]);
    let sites = report["sites"].as_array().unwrap();
    // The write once, though its data is in its response's record too.
    assert_eq!(sites.len(), 2, "{sites:?}");
    assert_eq!(
        (
            &sites[0]["half"],
            &sites[0]["member"],
            &sites[0]["identity_id"]
        ),
        (
            &"request".into(),
            &"request.data.data.password".into(),
            &DEPLOY_BOT.into()
        )
    );
    assert_eq!(sites[0]["line"], 1);
    assert_eq!(
        (&sites[1]["half"], &sites[1]["member"], &sites[1]["version"]),
        (
            &"response".into(),
            &"response.data.data.password".into(),
            &3.into()
        )
    );
}

#[test]
fn a_database_user_name_leads_to_its_credential_s_reader_and_lease() {
    let (code, report) = trace(DB_USER, &[]);
    assert_eq!(code, 0);
    assert_eq!(readers(&report), [(CI_RUNNER, 1)]);
    let site = &report["sites"][0];
    assert_eq!(site["secret"], "database/creds/payments-rw");
    assert_eq!(site["member"], "response.data.username");
    assert_eq!(site["lease"], "database/creds/payments-rw/Xy7Qe");
}

#[test]
fn a_token_returned_by_a_login_is_received_by_its_caller() {
    let (_, report) = trace(LOGIN_TOKEN, &[]);
    assert_eq!(readers(&report), [(PAYMENTS, 1)]);
    assert_eq!(report["sites"][0]["member"], "response.auth.client_token");
}

#[test]
fn the_caller_s_own_token_and_unknown_values_are_not_found() {
    let log = std::fs::read_to_string(data("trace/vault.log")).unwrap();
    let first: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    let own = first["auth"]["client_token"].as_str().unwrap();
    for hmac in [own, "hmac-sha256:0123456789abcdef0123456789abcdef"] {
        let (code, report) = trace(hmac, &[]);
        assert_eq!(code, 1, "{hmac}");
        assert!(report["sites"].as_array().unwrap().is_empty());
    }
    let table = run(&[
        "trace-value",
        "--hmac",
        "hmac-sha256:0123456789abcdef0123456789abcdef",
        data("trace/vault.log").to_str().unwrap(),
    ]);
    assert!(
        table.stdout.contains("no record in the window holds it"),
        "{}",
        table.stdout
    );
}

#[test]
fn the_window_bounds_the_search() {
    let (code, report) = trace(PASSWORD, &["--since", "2025-03-18T09:01:00Z"]);
    assert_eq!(code, 0);
    assert_eq!(report["sites"].as_array().unwrap().len(), 1);
    let (code, _) = trace(PASSWORD, &["--since", "2025-03-18T10:00:00Z"]);
    assert_eq!(code, 1);
}

#[test]
fn anything_but_an_hmac_is_refused_before_reading() {
    for bad in [
        "hunter2",
        "hmac-sha256:zz",
        "sha256:7f3e0c9a1d2b4e6f8a0b1c2d3e4f5a6b",
    ] {
        let r = run(&[
            "trace-value",
            "--hmac",
            bad,
            data("trace").to_str().unwrap(),
        ]);
        assert_eq!(r.code, 2, "{bad}");
        assert!(r.stderr.contains("sys/audit-hash"), "{}", r.stderr);
        assert!(!r.stderr.contains(bad) || !bad.starts_with("hunter"));
    }
}

/// The SHA-256 of `value`, as `sha256sum` prints it.
fn sha256(value: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_value_in_clear_is_found_by_its_sha256_and_never_shown() {
    const PLAINTEXT: &str = "hunter2-PLAINTEXT";
    let raw = data("vault/raw.log");
    let hash = sha256(PLAINTEXT);
    for format in ["table", "json"] {
        let r = run(&[
            "trace-value",
            "--sha256",
            &hash,
            raw.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stdout.contains(PLAINTEXT) && !r.stderr.contains(PLAINTEXT));
        if format == "json" {
            let report = r.json();
            assert_eq!(readers(&report), [(DEPLOY_BOT, 1)]);
            assert_eq!(report["sites"][0]["member"], "response.data.data.password");
        }
    }
    let bad = run(&["trace-value", "--sha256", "abc", raw.to_str().unwrap()]);
    assert_eq!(bad.code, 2);
    let both = run(&["trace-value", "--sha256", &hash, "--hmac", PASSWORD, "-"]);
    assert_eq!(both.code, 2);
}

#[test]
fn a_kubernetes_secret_s_value_read_from_standard_input() {
    // The fixture's Secret holds it base64-encoded, as the API returns it.
    const VALUE: &str = "hunter2-PROD-do-not-print";
    let out = crate::util::whosaw()
        .args(["trace-value", "--value-stdin", "--json"])
        .arg(data("k8s"))
        .write_stdin(format!("{VALUE}\n"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for hidden in [VALUE.to_string(), sha256(VALUE)] {
        assert!(!stdout.contains(&hidden), "{hidden} shown");
    }
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["query"]["given"], "stdin");
    assert_eq!(readers(&report), [("kubernetes-admin", 1)]);
    assert_eq!(report["sites"][0]["member"], "responseObject.data.password");
}
