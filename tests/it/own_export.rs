//! `whosaw export` and reading its rows back: the answers over the export
//! of each file, made separately (as Spark tasks would), equal the answers
//! over the logs; a request's halves exported from different files pair up;
//! rows say how their request stands; the evidence is never written to,
//! and no value ever reaches a row.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{Run, data, run};

/// The log files of a fixture set, in the order whosaw reads them.
fn logs_of(set: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| {
                ["log", "json", "gz", "jsonl", "ndjson", "csv", "1"].contains(&e.to_str().unwrap())
            }) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&data(set), &mut out);
    out
}

/// Each of `files` exported on its own into `dir` (named so they sort as
/// the inputs did).
fn export_each(files: &[PathBuf], dir: &Path) {
    export_each_as(files, dir, "ndjson");
}

fn export_each_as(files: &[PathBuf], dir: &Path, format: &str) {
    for (i, f) in files.iter().enumerate() {
        let out = dir.join(format!("{i:04}.{format}"));
        let r = run(&[
            "export",
            f.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            format,
            "-q",
        ]);
        assert!(
            [0, 1, 3].contains(&r.code),
            "export of {}: {}",
            f.display(),
            r.stderr
        );
    }
}

/// An answer as compared: without `stats`, and without the places that
/// cite the file read (the export's, not the log's) or quote them.
fn answer(r: &Run) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for key in ["stats", "file", "line", "record", "export_id", "reason"] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = r.json();
    strip(&mut v);
    v
}

fn ask(question: &[&str], path: &Path) -> Run {
    let mut args: Vec<&str> = question.to_vec();
    args.insert(
        if question[0] == "who-read" || question[0] == "blast-radius" {
            2
        } else {
            1
        },
        path.to_str().unwrap(),
    );
    args.extend(["--format", "json", "--no-index", "-q"]);
    run(&args)
}

#[test]
fn answers_over_each_file_s_export_equal_answers_over_the_logs() {
    for (set, secrets) in [
        (
            "incident",
            &["prod/db-password", "kv-ops/smtp-password"][..],
        ),
        (
            "vault",
            &[
                "secret/production/db-password",
                "database/creds/payments-rw",
            ],
        ),
        ("rules", &["prod/new-token", "/prod/payments/**"]),
        ("k8s", &["payments/db-credentials"]),
        ("azure", &["kv-prod/db-password"]),
        ("gcp", &["projects/acme-prod/secrets/db-password"]),
        ("cloudtrail", &["prod/db-password"]),
        (
            "exports",
            &["secret/production/db-password", "prod/db-password"],
        ),
        ("suspicious", &["secret/production/db-password"]),
    ] {
        let files = logs_of(set);
        assert!(!files.is_empty(), "{set}");
        let dir = tempfile::tempdir().unwrap();
        export_each(&files, dir.path());
        let mut questions: Vec<Vec<&str>> =
            vec![vec!["timeline"], vec!["suspicious"], vec!["baseline"]];
        for s in secrets {
            questions.push(vec!["who-read", s, "--evidence"]);
            questions.push(vec!["blast-radius", s, "--depth", "2"]);
        }
        for q in &questions {
            let logs = ask(q, &data(set));
            let exported = ask(q, dir.path());
            assert_eq!(
                answer(&logs),
                answer(&exported),
                "{set}: {q:?}\nlogs: {}\nexport: {}",
                logs.stderr,
                exported.stderr
            );
        }
    }
}

#[test]
fn parquet_exports_read_back_the_same() {
    for (set, secret) in [
        ("incident", "prod/db-password"),
        ("vault", "secret/production/db-password"),
        ("k8s", "payments/db-credentials"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        export_each_as(&logs_of(set), dir.path(), "parquet");
        for q in [
            vec!["timeline"],
            vec!["suspicious"],
            vec!["who-read", secret, "--evidence"],
            vec!["blast-radius", secret, "--depth", "2"],
        ] {
            assert_eq!(
                answer(&ask(&q, &data(set))),
                answer(&ask(&q, dir.path())),
                "{set}: {q:?}"
            );
        }
    }
}

#[test]
fn ocsf_and_ecs_give_one_row_per_request() {
    let incident = data("incident");
    let incident = incident.to_str().unwrap();
    let events = run(&["timeline", incident, "--format", "json"]).json()["events"]
        .as_array()
        .unwrap()
        .len();
    let ocsf = run(&["export", incident, "-o", "-", "--schema", "ocsf", "-q"]).ndjson();
    assert_eq!(ocsf.len(), events);
    for row in &ocsf {
        assert_eq!(row["class_uid"], 6003);
        assert_eq!(row["category_uid"], 6);
        let activity = row["activity_id"].as_u64().unwrap();
        assert_eq!(row["type_uid"].as_u64(), Some(600_300 + activity));
        assert!([1, 2, 3, 4, 99].contains(&activity), "{row}");
        assert!([0, 1, 2].contains(&row["status_id"].as_u64().unwrap()));
        let ms = crate::util::instant(row["time_dt"].as_str().unwrap()).div_euclid(1_000_000);
        assert_eq!(row["time"].as_i64(), Some(ms));
        assert_eq!(row["metadata"]["version"], "1.1.0");
        assert!(row["metadata"]["product"]["name"].is_string());
        assert!(row["actor"]["user"]["uid"].is_string());
        assert!(row["api"]["operation"].is_string());
        assert!(row["src_endpoint"]["ip"].is_string() || row["src_endpoint"]["name"].is_string());
        assert_eq!(row["unmapped"]["whosaw"]["schema"], "whosaw.event.v1");
    }
    let read = ocsf
        .iter()
        .find(|r| {
            r["resources"][0]["name"] == "prod/db-password"
                && r["status_id"] == 1
                && r["cloud"]["provider"] == "AWS"
        })
        .expect("the trail's successful read");
    assert_eq!(
        (&read["activity_id"], &read["activity_name"]),
        (&2.into(), &"Read".into())
    );
    assert_eq!(
        read["api"]["service"]["name"],
        "secretsmanager.amazonaws.com"
    );

    let ecs = run(&["export", incident, "-o", "-", "--schema", "ecs", "-q"]).ndjson();
    assert_eq!(ecs.len(), events);
    for row in &ecs {
        assert!(
            ["success", "failure", "unknown"].contains(&row["event"]["outcome"].as_str().unwrap())
        );
        assert_eq!(row["event"]["category"], serde_json::json!(["api"]));
        crate::util::instant(row["@timestamp"].as_str().unwrap());
        assert_eq!(row["ecs"]["version"], "8.17.0");
        assert!(row["event"].get("original").is_none());
    }
    let denied = ecs
        .iter()
        .find(|r| r["whosaw"]["outcome"] == "denied")
        .expect("a denied event");
    assert_eq!(denied["event"]["outcome"], "failure");
    assert!(
        denied["event"]["type"]
            .as_array()
            .unwrap()
            .contains(&"denied".into())
    );
    // Parquet is whosaw's rows only.
    let r = run(&[
        "export", incident, "-o", "-", "--schema", "ocsf", "--format", "parquet",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// A Vault request and its response, as two lines: the request denied
/// (Vault may log the denial on the request only).
fn halves() -> (String, String) {
    let log = fs::read_to_string(data("vault/identities.log")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let request = lines.iter().find(|l| l["type"] == "request").unwrap();
    let id = &request["request"]["id"];
    let response = lines
        .iter()
        .find(|l| l["type"] == "response" && &l["request"]["id"] == id)
        .unwrap();
    let mut denied = request.clone();
    denied["error"] = "permission denied".into();
    (denied.to_string(), response.to_string())
}

#[test]
fn halves_exported_from_different_files_pair_up() {
    let (request, response) = halves();
    let logs = tempfile::tempdir().unwrap();
    fs::write(logs.path().join("a.log"), request + "\n").unwrap();
    fs::write(logs.path().join("b.log"), response + "\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    export_each(
        &[logs.path().join("a.log"), logs.path().join("b.log")],
        out.path(),
    );
    // Each file alone tells half the story: a denied request, a success.
    let rows = |name: &str| -> Vec<serde_json::Value> {
        fs::read_to_string(out.path().join(name))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (a, b) = (rows("0000.ndjson"), rows("0001.ndjson"));
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_eq!(
        (&a[0]["stage"], &a[0]["outcome"], &a[0]["complete"]),
        (&"request".into(), &"denied".into(), &false.into())
    );
    assert_eq!(
        (&b[0]["stage"], &b[0]["outcome"], &b[0]["complete"]),
        (&"response".into(), &"success".into(), &false.into())
    );
    assert_eq!(a[0]["request_id"], b[0]["request_id"]);
    // Together, as in the logs: one read, denied.
    for path in [logs.path(), out.path()] {
        let r = run(&[
            "who-read",
            "secret/data/shared/config",
            path.to_str().unwrap(),
            "--format",
            "json",
            "--no-index",
        ]);
        let readers = r.json()["readers"].as_array().unwrap().clone();
        assert_eq!(readers.len(), 1, "{}", r.stdout);
        assert_eq!(readers[0]["denied_reads"], 1);
        assert_eq!(readers[0]["successful_reads"], 0);
    }
}

#[test]
fn rows_say_how_their_request_stands_and_cite_the_log() {
    let log = data("vault/identities.log");
    let r = run(&["export", log.to_str().unwrap(), "-o", "-", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = r.ndjson();
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|row| row["schema"] == "whosaw.event.v1"));
    assert!(rows.iter().all(|row| row["complete"] == true));
    // One row per request stands for it: as many as timeline shows.
    let deciding = rows.iter().filter(|row| row["decides"] == true).count();
    let timeline = run(&["timeline", log.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        deciding,
        timeline.json()["events"].as_array().unwrap().len()
    );
    assert!(rows.iter().all(|row| row["file"] == log.to_str().unwrap()));
    // Read back, the evidence cites the export and, beside it, the log.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("e.ndjson"), &r.stdout).unwrap();
    let back = run(&[
        "who-read",
        "secret/data/shared/config",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
        "--evidence",
        "-v",
    ]);
    assert!(back.stderr.contains("whosaw export"), "{}", back.stderr);
    let cited = back.json()["readers"][0]["evidence"][0]["export_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(cited.starts_with(&format!("{}:", log.display())), "{cited}");
}

#[test]
fn a_window_keeps_requests_it_cannot_judge_whole() {
    let (request, response) = halves();
    let logs = tempfile::tempdir().unwrap();
    let whole = logs.path().join("whole.log");
    fs::write(&whole, format!("{request}\n{response}\n")).unwrap();
    let half = logs.path().join("half.log");
    fs::write(&half, format!("{request}\n")).unwrap();
    let export = |file: &Path| {
        run(&[
            "export",
            file.to_str().unwrap(),
            "-o",
            "-",
            "--until",
            "2000-01-01",
            "-q",
        ])
    };
    // A whole request outside the window goes; a lone half stays.
    assert_eq!(export(&whole).stdout, "");
    assert_eq!(export(&half).ndjson().len(), 1);
}

#[test]
fn partitions_by_store_and_day_read_back_the_same() {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("lake/");
    let incident = data("incident");
    let r = run(&[
        "export",
        incident.to_str().unwrap(),
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        folder
            .join("provider=aws/date=2025-03-15/part-00000.ndjson")
            .is_file()
    );
    assert!(folder.join("provider=vault").is_dir());
    let q = ["who-read", "prod/db-password"];
    assert_eq!(answer(&ask(&q, &incident)), answer(&ask(&q, &folder)));
    // Not again over what is there, unless asked.
    let again = run(&[
        "export",
        incident.to_str().unwrap(),
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    let forced = run(&[
        "export",
        incident.to_str().unwrap(),
        "-o",
        folder.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(answer(&ask(&q, &incident)), answer(&ask(&q, &folder)));
}

#[test]
fn the_evidence_is_never_written_to() {
    let logs = tempfile::tempdir().unwrap();
    fs::copy(data("vault/identities.log"), logs.path().join("a.log")).unwrap();
    let inside = logs.path().join("export.ndjson");
    let r = run(&[
        "export",
        logs.path().to_str().unwrap(),
        "-o",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("inside the logs"), "{}", r.stderr);
    assert_eq!(fs::read_dir(logs.path()).unwrap().count(), 1);
}

#[test]
fn no_value_reaches_a_row() {
    let raw = data("vault/raw.log");
    let text = fs::read_to_string(&raw).unwrap();
    assert!(text.contains("hunter2-PLAINTEXT") && text.contains("deploy-token"));
    for schema in ["whosaw", "ocsf", "ecs"] {
        let r = run(&[
            "export",
            raw.to_str().unwrap(),
            "-o",
            "-",
            "--schema",
            schema,
        ]);
        assert!(!r.stdout.is_empty());
        for secret in ["hunter2-PLAINTEXT", "deploy-token"] {
            assert!(
                !r.stdout.contains(secret) && !r.stderr.contains(secret),
                "{schema}"
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("raw.parquet");
    let r = run(&[
        "export",
        raw.to_str().unwrap(),
        "-o",
        parquet.to_str().unwrap(),
        "--format",
        "parquet",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = fs::read(&parquet).unwrap();
    for secret in ["hunter2-PLAINTEXT", "deploy-token"] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
}
