//! Every store but Vault, on the fixtures of `testdata/{cloudtrail,azure,
//! gcp,k8s}` (see testdata/README.md): what counts as a read, how each
//! store's traps are counted, who the identity is.

use crate::util::{reader, run, who_read_json};

/// A reader's counts: successful, denied, error, unknown, wide,
/// undecrypted, possible.
fn counts(report: &serde_json::Value, id: &str) -> [u64; 7] {
    let r = reader(report, id);
    [
        "successful_reads",
        "denied_reads",
        "error_reads",
        "unknown_outcome",
        "wide_reads",
        "undecrypted_reads",
        "possible_reads",
    ]
    .map(|k| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}")))
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    report["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identity_id"].as_str().unwrap().to_string())
        .collect()
}

const ROLE: &str = "arn:aws:sts::111122223333:assumed-role";

#[test]
fn secrets_manager_names_arns_duplicates_and_batches() {
    let (r, v) = who_read_json("aws:prod/db-password", &["cloudtrail"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(v["stats"]["events"], 45);
    let alice = "arn:aws:iam::111122223333:user/alice";
    // By name twice; ResourceNotFoundException says the secret does not
    // exist: not found, neither a denial nor an error.
    assert_eq!(counts(&v, alice), [2, 0, 0, 0, 0, 0, 0]);
    assert_eq!(reader(&v, alice)["not_found_reads"], 1);
    // Full ARN (its eventID also in lookup-events.json), S3 delivery with a
    // repeated eventID, partial ARN, a line written twice, a data lake's
    // export delivering one event three times: one read each.
    for session in [
        "ci-deploy/gh-run-4411",
        "ci-deploy/gh-run-4415",
        "ci-deploy/gh-run-4412",
        "payments-api/i-0f1e2d3c4b5a69788",
        "ci-deploy/gh-run-5120",
    ] {
        assert_eq!(counts(&v, &format!("{ROLE}/{session}"))[0], 1, "{session}");
    }
    // Denied with requestParameters null: the secret from errorMessage…
    assert_eq!(counts(&v, &format!("{ROLE}/staging-app/i-0abc"))[1], 1);
    // …or unknown, shown against any secret.
    assert_eq!(
        counts(&v, "arn:aws:iam::111122223333:user/build-bot"),
        [0, 1, 0, 0, 0, 0, 0]
    );
    // A batch and the per-secret event AWS logs for it: one read.
    assert_eq!(
        counts(&v, &format!("{ROLE}/batch-reader/nightly-export")),
        [1, 0, 0, 0, 0, 0, 0]
    );
    // A batch with filters names nothing: a possible read, never a success.
    let dave =
        format!("{ROLE}/AWSReservedSSO_AdministratorAccess_3f8e2a1b9c7d6e5f/dave@acme.example");
    assert_eq!(counts(&v, &dave), [0, 0, 0, 0, 0, 0, 1]);
    // A service acting for a task is named by invokedBy.
    assert_eq!(counts(&v, "ecs-tasks.amazonaws.com")[0], 1);
    let total: u64 = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["successful_reads"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 9);
}

#[test]
fn a_name_ending_like_an_arn_suffix_is_its_own_secret() {
    let successful = |v: &serde_json::Value| -> Vec<String> {
        v["readers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["successful_reads"] != 0)
            .map(|r| r["identity_id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, v) = who_read_json("aws:prod/api-key-Xy12Zw", &["cloudtrail"], &[]);
    assert_eq!(
        successful(&v),
        [
            format!("{ROLE}/ci-deploy/gh-run-4411"),
            "arn:aws:iam::111122223333:user/alice".to_string()
        ]
    );
    let (_, v) = who_read_json("aws:prod/api-key", &["cloudtrail"], &[]);
    assert_eq!(
        successful(&v),
        [format!("{ROLE}/payments-api/i-0f1e2d3c4b5a69788")]
    );
}

#[test]
fn ssm_decryption_selectors_arns_and_paths() {
    let (r, v) = who_read_json("ssm:/prod/db/password", &["cloudtrail"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // GetParameterHistory decrypted, GetParameter without decryption.
    assert_eq!(
        counts(&v, "arn:aws:iam::111122223333:user/alice"),
        [1, 0, 0, 0, 0, 1, 0]
    );
    for session in [
        "ci-deploy/gh-run-4411",             // decrypted
        "ci-deploy/gh-run-4412",             // `:3` selector
        "report-generator/report-generator", // full ARN
    ] {
        assert_eq!(counts(&v, &format!("{ROLE}/{session}"))[0], 1, "{session}");
    }
    // GetParameters names[], and a GetParameter in flattened.jsonl.
    assert_eq!(
        counts(&v, &format!("{ROLE}/payments-api/i-0f1e2d3c4b5a69788"))[0],
        2
    );
    // GetParametersByPath /prod/db: a wide read of the parameter.
    assert_eq!(
        counts(&v, &format!("{ROLE}/batch-reader/nightly-export")),
        [1, 0, 0, 0, 1, 0, 0]
    );
    assert_eq!(counts(&v, &format!("{ROLE}/staging-app/i-0abc"))[1], 1);
}

#[test]
fn azure_status_codes_decide_and_probes_are_not_attempts() {
    let (r, v) = who_read_json("azure:kv-prod/db-password", &["azure"], &["--evidence"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(v["readers"].as_array().unwrap().len(), 5, "{}", r.stdout);
    let by_label = |label: &str| {
        v["readers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["identity"] == label)
            .unwrap_or_else(|| panic!("no reader labelled {label}"))
            .clone()
    };
    let alice = by_label("alice@contoso.example");
    // 200 is a read; 404 labelled resultType "Success" is not found.
    assert_eq!(
        (
            &alice["successful_reads"],
            &alice["not_found_reads"],
            &alice["error_reads"]
        ),
        (&1.into(), &1.into(), &0.into())
    );
    // The 401 Authentication probes never show up: nobody is "unknown".
    assert!(!ids(&v).iter().any(|id| id == "unknown"));
    // A 403 labelled "Success" is a denial.
    let denied: u64 = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["denied_reads"].as_u64().unwrap())
        .sum();
    assert_eq!(denied, 1);
    // SecretBackup is a read, and says so.
    let backups: Vec<&serde_json::Value> = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operations"] == serde_json::json!(["SecretBackup"]))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0]["successful_reads"], 1);
    // Names are case-insensitive: the managed identity read `DB-Password`.
    let (_, upper) = who_read_json("azure:KV-PROD/DB-PASSWORD", &["azure"], &[]);
    assert_eq!(ids(&upper), ids(&v));
}

#[test]
fn azure_times_print_with_their_seven_digits() {
    // alice's SecretGet at 02:20:14.4129034Z and her 404 at 02:27:02.1187340Z
    // (a trailing zero, which 6 or 9 digits would hide or pad).
    let (r, v) = who_read_json("azure:kv-prod/db-password", &["azure"], &["--evidence"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let alice = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["identity"] == "alice@contoso.example")
        .expect("alice reads");
    assert_eq!(alice["first_seen"], "2025-03-15T02:20:14.4129034Z");
    assert_eq!(alice["last_seen"], "2025-03-15T02:27:02.1187340Z");
    let times: Vec<&str> = alice["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["time"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        [
            "2025-03-15T02:20:14.4129034Z",
            "2025-03-15T02:27:02.1187340Z"
        ]
    );
    // The timeline prints every Azure event as logged: 7 digits each.
    let path = crate::util::data("azure").display().to_string();
    let r = run(&["timeline", &path, "--format", "ndjson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let times: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            e["time"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(times.contains(&"2025-03-15T02:27:02.1187340Z".to_string()));
    assert!(times.contains(&"2025-03-15T02:20:14.4129034Z".to_string()));
    for t in &times {
        let fraction = t.split_once('.').map(|(_, f)| f).unwrap_or("");
        assert_eq!(fraction.len(), "1234567Z".len(), "{t}");
    }
}

#[test]
fn google_cloud_status_versions_regions_and_federation() {
    let (r, v) = who_read_json("gcp:projects/acme-prod/secrets/db-password", &["gcp"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // versions/latest and a regional secret's version: one secret.
    assert_eq!(
        counts(&v, "deployer@acme-prod.iam.gserviceaccount.com"),
        [2, 0, 0, 0, 0, 0, 0]
    );
    // No status at all is success; code 9 (destroyed version) an error.
    assert_eq!(counts(&v, "bob@acme.example"), [1, 0, 1, 0, 0, 0, 0]);
    // Code 7 with `granted` missing, and code 16 with no caller: denied.
    assert_eq!(
        counts(&v, "ci-runner@acme-ci.iam.gserviceaccount.com")[1],
        1
    );
    assert_eq!(counts(&v, "unknown")[1], 1);
    // Workload identity federation logs no e-mail: the subject is the id.
    let wif = ids(&v)
        .into_iter()
        .find(|id| id.starts_with("principal://"))
        .expect("the federated principal");
    assert_eq!(counts(&v, &wif)[0], 1);
    // The sink repeats one insertId: one read.
    assert_eq!(
        counts(&v, "payments-api@acme-prod.iam.gserviceaccount.com")[0],
        1
    );
    // db-password-old is another secret.
    assert!(!r.stdout.contains("db-password-old"));
}

#[test]
fn kubernetes_stages_lists_watches_and_wrappers() {
    let (r, v) = who_read_json("k8s:prod/db-password", &["k8s"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(v["stats"]["events"], 24);
    // Two stages of one request count once; the EventList, EKS and AKS
    // wrappers each add one; one is impersonated by alice.
    assert_eq!(
        counts(&v, "system:serviceaccount:prod:payments-api"),
        [5, 0, 0, 0, 0, 0, 0]
    );
    // A namespace list and a cluster-wide watch are wide reads.
    assert_eq!(
        counts(&v, "system:serviceaccount:ci:runner"),
        [1, 0, 0, 0, 1, 0, 0]
    );
    assert_eq!(
        counts(&v, "system:kube-controller-manager"),
        [1, 0, 0, 0, 1, 0, 0]
    );
    assert_eq!(counts(&v, "system:serviceaccount:staging:web")[1], 1);
    // Seen only at RequestReceived: the outcome is unknown.
    assert_eq!(counts(&v, "bob"), [0, 0, 0, 1, 0, 0, 0]);
    let sa = reader(&v, "system:serviceaccount:prod:payments-api");
    assert!(
        sa["metadata"]["impersonated_by"].is_string()
            || sa["source_addresses"].as_array().unwrap().len() > 1,
        "{sa}"
    );
}

#[test]
fn kubernetes_secret_data_in_the_log_is_never_printed() {
    let base64 = "aHVudGVyMi1QUk9ELWRvLW5vdC1wcmludA==";
    for format in ["table", "json", "ndjson"] {
        let (r, _) = (
            run(&[
                "who-read",
                "prod/db-password",
                crate::util::data("k8s").to_str().unwrap(),
                "--format",
                format,
                "--evidence",
            ]),
            (),
        );
        for leak in [base64, "hunter2-PROD-do-not-print"] {
            assert!(
                !r.stdout.contains(leak) && !r.stderr.contains(leak),
                "{format}"
            );
        }
        assert!(
            r.stderr.contains("secret material in clear"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn a_store_prefix_or_provider_narrows_an_unqualified_name() {
    let (_, all) = who_read_json("prod/db-password", &["cloudtrail", "k8s"], &[]);
    let stores: std::collections::BTreeSet<&str> = all["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect();
    assert_eq!(stores, ["aws", "k8s"].into());
    let (_, k8s) = who_read_json(
        "prod/db-password",
        &["cloudtrail", "k8s"],
        &["--provider", "k8s"],
    );
    let (_, prefixed) = who_read_json("k8s:prod/db-password", &["cloudtrail", "k8s"], &[]);
    assert_eq!(ids(&k8s), ids(&prefixed));
    assert!(ids(&k8s).iter().all(|id| !id.starts_with("arn:")));
}

#[test]
fn sources_are_detected_by_content_and_can_be_forced() {
    let r = run(&[
        "who-read",
        "prod/db-password",
        crate::util::data("cloudtrail").to_str().unwrap(),
        crate::util::data("k8s").to_str().unwrap(),
        "-v",
        "--format",
        "json",
    ]);
    for (file, what) in [
        ("ssm.json", "AWS CloudTrail (multi-line JSON documents)"),
        ("trail-s3.json.gz", "AWS CloudTrail"),
        ("lookup-events.json", "AWS CloudTrail"),
        ("aks-diagnostics.json", "Kubernetes audit log"),
        ("eks-cloudwatch.jsonl", "Kubernetes audit log"),
    ] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(what)),
            "{file}: {}",
            r.stderr
        );
    }
    // Forcing the wrong source: every record is malformed, nothing is made up.
    let (r, v) = who_read_json(
        "prod/db-password",
        &["k8s/audit.log"],
        &["--source", "vault", "--exhaustive"],
    );
    assert_eq!(r.code, 3);
    assert!(v["readers"].as_array().unwrap().is_empty());
    assert_eq!(v["stats"]["malformed_lines"], 17);
}
