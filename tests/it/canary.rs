//! No value reaches any output: `testdata/canary/` (CloudTrail
//! responseElements and requestParameters holding secret strings and a
//! decrypted parameter; a Kubernetes Secret's data, base64, and stringData
//! in request and response bodies) and `testdata/exposures/` (a Vault
//! `log_raw` device: every place a Vault value can sit) plant unique
//! `CANARY-…` values. Every subcommand runs in every format, with
//! `--evidence`, `-v` and `--exhaustive` where it takes them; no standard
//! output, standard error, export or index file may hold one, whether as
//! written or as the base64 the Kubernetes data carries.

use base64::Engine;

use crate::util::{data, run};

/// What must never be printed: the markers, and the Kubernetes one as the
/// log holds it (base64).
fn markers() -> Vec<String> {
    let encoded = base64::engine::general_purpose::STANDARD.encode("CANARY-k8s-b64-0104");
    vec!["CANARY".to_string(), encoded]
}

fn clean(text: &str, what: &str) {
    for m in markers() {
        assert!(!text.contains(&m), "{what} shows {m}");
    }
}

#[test]
fn no_planted_value_reaches_any_output_file_or_index() {
    let canary = data("canary").display().to_string();
    let raw = data("exposures").display().to_string();
    let logs = [canary.as_str(), raw.as_str()];
    // The fixtures do plant them.
    let planted = std::fs::read_to_string(data("canary/cloudtrail.json")).unwrap();
    assert!(planted.contains("CANARY-ct-secret-string-0101"));
    let k8s = std::fs::read_to_string(data("canary/k8s-audit.log")).unwrap();
    assert!(k8s.contains(&markers()[1]) && k8s.contains("CANARY-k8s-str-0105"));

    let sha = |v: &str| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(v.as_bytes()))
    };
    let k8s_sha = sha("CANARY-k8s-b64-0104");
    let questions: Vec<Vec<&str>> = vec![
        vec![
            "who-read",
            "prod/db-password",
            "--evidence",
            "-v",
            "--exhaustive",
        ],
        vec!["who-read", ".", "--regex", "--evidence"],
        vec!["who-read", "ssm:/prod/db/password", "--evidence"],
        vec![
            "blast-radius",
            "prod/db-password",
            "--depth",
            "2",
            "-v",
            "--exhaustive",
        ],
        vec!["timeline", "-v", "--exhaustive"],
        vec!["suspicious", "-v"],
        vec!["baseline", "-v"],
        vec!["coverage", "-v"],
        vec!["exposures", "-v", "--exhaustive"],
        vec!["trace-value", "--sha256", &k8s_sha, "--evidence", "-v"],
    ];
    for question in &questions {
        // The fitted tables and the full ones (`--wide`).
        for format in ["table", "json", "ndjson", "wide"] {
            let mut args = question.clone();
            args.extend(logs);
            match format {
                "wide" => args.push("--wide"),
                _ => args.extend(["--format", format]),
            }
            let r = run(&args);
            assert!(r.code != 2, "{args:?}: {}", r.stderr);
            clean(&r.stdout, &format!("{args:?} stdout"));
            clean(&r.stderr, &format!("{args:?} stderr"));
        }
    }
    // trace-value finds the Kubernetes value by its hash, never showing it.
    let mut args = questions[9].clone();
    args.extend(logs);
    assert_eq!(run(&args).code, 0);

    let dir = tempfile::tempdir().unwrap();
    for (schema, format) in [
        ("whosaw", "ndjson"),
        ("ocsf", "ndjson"),
        ("ecs", "ndjson"),
        ("whosaw", "parquet"),
    ] {
        let out = dir.path().join(format!("{schema}.{format}"));
        let mut args = vec![
            "export",
            "-o",
            out.to_str().unwrap(),
            "--schema",
            schema,
            "--format",
            format,
        ];
        args.extend(logs);
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        clean(&r.stderr, &format!("{args:?} stderr"));
        let bytes = std::fs::read(&out).unwrap();
        clean(
            &String::from_utf8_lossy(&bytes),
            &format!("the {schema} {format} export"),
        );
    }
    // The incident report holds names, never a value.
    for depth in ["1", "2"] {
        let out = dir.path().join(format!("incident-{depth}.html"));
        let mut args = vec![
            "report",
            "prod/db-password",
            "-o",
            out.to_str().unwrap(),
            "--depth",
            depth,
            "-v",
            "--exhaustive",
        ];
        args.extend(logs);
        let r = run(&args);
        assert!(r.code != 2, "{args:?}: {}", r.stderr);
        clean(&r.stdout, &format!("{args:?} stdout"));
        clean(&r.stderr, &format!("{args:?} stderr"));
        clean(&std::fs::read_to_string(&out).unwrap(), "the HTML report");
    }
    // The index keeps what the answers show, never a value.
    let cache = dir.path().join("cache");
    let mut args = vec!["index", "--cache", cache.to_str().unwrap()];
    args.extend(logs);
    assert_eq!(run(&args).code, 0);
    let mut segments = 0;
    for entry in walk(&cache) {
        segments += 1;
        clean(
            &String::from_utf8_lossy(&std::fs::read(&entry).unwrap()),
            "an index segment",
        );
    }
    assert!(segments > 0);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        match path.is_dir() {
            true => files.extend(walk(&path)),
            false => files.push(path),
        }
    }
    files
}
