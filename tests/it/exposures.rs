//! `exposures`: what the logs hold in clear, by name and kind, never by
//! value (`testdata/exposures/vault.log`: a `log_raw` device's generated
//! credential, connection URL, login token, secret id and KV read, and a
//! device with `hmac_accessor=false`; `vault/raw.log`; a Kubernetes Secret
//! in a response body).

use crate::util::{data, run};

fn report(paths: &[&str], extra: &[&str]) -> (i32, serde_json::Value) {
    let paths: Vec<String> = paths
        .iter()
        .map(|p| data(p).display().to_string())
        .collect();
    let mut args = vec!["exposures"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--json", "-q"]);
    args.extend(extra);
    let r = run(&args);
    (r.code, r.json())
}

fn kinds(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["exposures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["kind"].as_str().unwrap().to_string(),
                x["secret"].as_str().unwrap().to_string(),
                x["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_kind_of_value_in_clear_is_named_once_per_request() {
    let (code, r) = report(&["exposures"], &[]);
    assert_eq!(code, 0);
    assert_eq!(r["schema"], "whosaw.exposures.v1");
    let got = kinds(&r);
    let has = |kind: &str, secret: &str, count: u64| {
        assert!(
            got.contains(&(kind.into(), secret.into(), count)),
            "no {kind} {secret} ×{count} in {got:?}"
        )
    };
    has("dynamic-credential", "database/creds/payments-rw", 1);
    // Its request and its response both hold the URL: one request.
    has("connection-password", "database/config/payments", 1);
    has("token", "auth/approle/login", 1);
    has("secret-id", "auth/approle/role/payments/secret-id", 1);
    has("secret-value", "secret/prod/db", 1);
    has(
        "accessor",
        "accessor of a1b2c3d4-1111-4222-8333-944455556666",
        1,
    );
    let accessor = r["exposures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "accessor")
        .unwrap();
    assert_eq!(accessor["severity"], "low");
    // The severe first.
    assert_eq!(
        r["exposures"].as_array().unwrap().last().unwrap()["kind"],
        "accessor"
    );
}

#[test]
fn kubernetes_bodies_and_a_raw_device_and_nothing_elsewhere() {
    let (code, r) = report(&["vault/raw.log", "k8s"], &[]);
    assert_eq!(code, 0);
    let got = kinds(&r);
    assert!(
        got.contains(&("k8s-secret-data".into(), "prod/db-password".into(), 1)),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "secret-value".into(),
            "secret/production/db-password".into(),
            1
        )),
        "{got:?}"
    );
    let evidence = &r["exposures"][0]["evidence"][0];
    assert!(evidence["file"].is_string() && evidence["line"].is_u64());
    let (code, r) = report(&["vault/identities.log"], &[]);
    assert_eq!(code, 1);
    assert!(r["exposures"].as_array().unwrap().is_empty());
}

/// Every value the fixtures plant is marked `CANARY`: none may appear in
/// any format. (The accessor logged in clear is not marked: an accessor
/// cannot be used as its token, and the rotation list names it so the
/// token can be revoked.)
#[test]
fn no_planted_value_reaches_any_output() {
    let log = std::fs::read_to_string(data("exposures/vault.log")).unwrap();
    assert!(
        log.matches("CANARY").count() >= 10,
        "the fixture plants values"
    );
    for format in ["table", "json", "ndjson"] {
        let r = run(&[
            "exposures",
            data("exposures").to_str().unwrap(),
            "--format",
            format,
        ]);
        assert!(
            !r.stdout.contains("CANARY") && !r.stderr.contains("CANARY"),
            "{format}"
        );
    }
    let folder = data("exposures");
    let folder = folder.to_str().unwrap();
    let clean = |r: &crate::util::Run, what: &str| {
        assert!(
            !r.stdout.contains("CANARY") && !r.stderr.contains("CANARY"),
            "{what}: {}{}",
            r.stdout,
            r.stderr
        );
    };
    // Every question, in every format, with everything it can be asked to
    // show (evidence, -v, --exhaustive).
    let questions: [&[&str]; 10] = [
        &[
            "who-read",
            "secret/prod/db",
            folder,
            "--evidence",
            "-v",
            "--exhaustive",
        ],
        &["who-read", ".", folder, "--regex", "--evidence"],
        &[
            "blast-radius",
            "secret/prod/db",
            folder,
            "--depth",
            "2",
            "-v",
        ],
        &[
            "blast-radius",
            "database/config/payments",
            folder,
            "--exhaustive",
        ],
        &["timeline", folder, "-v", "--exhaustive"],
        &["suspicious", folder, "-v"],
        &["coverage", folder, "-v"],
        &["exposures", folder, "-v", "--exhaustive"],
        &[
            "trace-value",
            "--sha256",
            &sha256_hex("CANARY-kv-value-0009"),
            folder,
            "--evidence",
        ],
        &["export", folder, "-o", "-", "--schema", "ocsf"],
    ];
    for question in questions {
        for format in ["table", "json", "ndjson"] {
            if question[0] == "export" && format != "ndjson" {
                continue;
            }
            let mut args = question.to_vec();
            if question[0] != "export" {
                args.extend(["--format", format]);
            }
            clean(&run(&args), &format!("{question:?} {format}"));
        }
    }
    // A value given on standard input is found, and never shown.
    let out = crate::util::whosaw()
        .args(["trace-value", "--value-stdin", folder, "--format", "json"])
        .write_stdin("CANARY-kv-value-0009\n")
        .output()
        .unwrap();
    let r = crate::util::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(r.code, 0, "the value is found: {}", r.stderr);
    clean(&r, "trace-value --value-stdin");
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An export holds no value, but says which records held some: the same
/// exposures are named over it as over the logs.
#[test]
fn an_export_names_the_same_exposures_without_holding_them() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("rows.ndjson");
    for set in ["exposures", "vault/raw.log", "k8s"] {
        let r = run(&[
            "export",
            data(set).to_str().unwrap(),
            "-o",
            rows.to_str().unwrap(),
            "--force",
            "-q",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let text = std::fs::read_to_string(&rows).unwrap();
        assert!(
            !text.contains("CANARY") && !text.contains("hunter2"),
            "{set}"
        );
        let (_, logs) = report(&[set], &[]);
        let over = run(&["exposures", rows.to_str().unwrap(), "--json", "-q"]);
        assert_eq!(kinds(&logs), kinds(&over.json()), "{set}");
    }
}

/// blast-radius adds to a secret's rotation item what the log holds of it
/// in clear, and says why; an index, which keeps whether each record held
/// values in clear, gives the same answer.
#[test]
fn blast_radius_says_when_the_log_itself_holds_the_value() {
    let path = data("exposures/vault.log").display().to_string();
    let ask = |secret: &str, extra: &[&str]| {
        let mut args = vec!["blast-radius", secret, path.as_str(), "--json", "-q"];
        args.extend(extra);
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let r = ask("secret/prod/db", &[]);
    let item = &r["rotate"][0];
    assert_eq!(item["target"], "secret/data/prod/db");
    assert!(item["reason"].as_str().unwrap().ends_with(
        "its value is in the audit log in clear: everyone who can read this log has it"
    ));
    assert_eq!(item["exposures"][0]["kind"], "secret-value");
    assert_eq!(item["exposures"][0]["count"], 1);
    // A connection URL's password: the config path's own item.
    let r = ask("database/config/payments", &[]);
    assert_eq!(
        r["rotate"][0]["exposures"][0]["kind"],
        "connection-password"
    );
    // The callers' own tokens are theirs, not the secret's.
    let kinds: Vec<&str> = r["rotate"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["exposures"].as_array().into_iter().flatten())
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.contains(&"token") && !kinds.contains(&"accessor"),
        "{kinds:?}"
    );
    // From an index: the same.
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().to_str().unwrap();
    assert_eq!(run(&["index", &path, "--cache", cache, "-q"]).code, 0);
    let mut scanned = ask("secret/prod/db", &["--no-index"]);
    let mut indexed = ask("secret/prod/db", &["--cache", cache]);
    scanned.as_object_mut().unwrap().remove("stats");
    indexed.as_object_mut().unwrap().remove("stats");
    assert_eq!(scanned, indexed);
}
