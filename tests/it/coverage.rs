//! `coverage`: the span each store's records cover, the trail's own
//! changes, when it was certainly off, and possible gaps
//! (`testdata/coverage/`, written by `testdata/make_coverage.py`: a Vault
//! device disabled and enabled again, a root token generated, a seal and
//! unanswered requests; a CloudTrail trail stopped and started, its bucket
//! changed; a Google Cloud sink deleted, audit configs changed).

use crate::util::{data, run};

const AZURE_SETTING: &str = "/SUBSCRIPTIONS/6D4B2A90-1C3E-4F5A-8B7C-9D0E1F2A3B4C/RESOURCEGROUPS/RG-PROD-SECRETS/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PROD/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/KV-AUDIT-TO-STORAGE";

fn report(path: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let path = data(path).display().to_string();
    let mut args = vec!["coverage", path.as_str(), "--json", "-q"];
    args.extend(extra);
    let r = run(&args);
    (r.code, r.json())
}

fn findings(r: &serde_json::Value) -> Vec<(String, String, String)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (text("kind"), text("target"), text("outcome"))
        })
        .collect()
}

#[test]
fn a_disabled_vault_device_is_an_off_period_and_its_window_is_partial() {
    let (code, r) = report("coverage/vault.log", &[]);
    assert_eq!(code, 3, "the trail was off inside the (whole) window");
    assert_eq!(r["schema"], "whosaw.coverage.v1");
    let vault = &r["stores"][0];
    assert_eq!(vault["store"], "vault");
    assert_eq!(vault["records"], 235);
    let hours: Vec<u64> = vault["hours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["records"].as_u64().unwrap())
        .collect();
    assert_eq!(hours, [120, 1, 114]);
    let off = &r["off_periods"][0];
    assert_eq!(off["target"], "file");
    assert_eq!(off["from"], "2025-03-15T02:00:10.000000Z");
    assert_eq!(off["until"], "2025-03-15T03:10:00.003000Z");
    assert!(off["why"].as_str().unwrap().contains("userpass-mallory"));
    assert_eq!(r["window_partial"], true);
    let got = findings(&r);
    let want = [
        ("audit-device-disabled", "file", "unknown"),
        ("audit-device-enabled", "file", "success"),
        ("token-hmac-changed", "", ""),
        ("root-generation", "sys/generate-root", "success"),
        ("root-generation", "sys/generate-root", "success"),
        ("root-token-generated", "sys/generate-root", "success"),
        ("audit-hash", "file", "success"),
        ("audit-device-disabled", "file", "denied"),
        ("seal", "sys/seal", "success"),
    ];
    for (i, (kind, target, outcome)) in want.iter().enumerate() {
        assert_eq!(
            got[i],
            (kind.to_string(), target.to_string(), outcome.to_string()),
            "finding {i} of {got:?}"
        );
    }
    // The two requests after the seal were never answered.
    let end = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "unanswered-at-end")
        .unwrap();
    assert_eq!(end["count"], 2);
    assert_eq!(end["evidence"][0]["line"], 234);
    // The app's token, hashed with the old key and then the new one.
    assert_eq!(got[2].0, "token-hmac-changed");
    assert_eq!(r["findings"][2]["identity"], "e-app-0001");
    // The device was off for 70 minutes: silence says so too, inferred.
    let gaps = r["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0]["seconds"], 4190.0);
    assert_eq!(gaps[0]["inferred"], true);
}

#[test]
fn a_window_clear_of_off_periods_is_whole() {
    let (code, r) = report(
        "coverage",
        &[
            "--since",
            "2025-03-15T03:15:00Z",
            "--until",
            "2025-03-15T03:50:00Z",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(r["window_partial"], false);
    assert_eq!(r["stores"].as_array().unwrap().len(), 1);
    assert_eq!(r["off_periods"].as_array().unwrap().len(), 4);
    assert!(
        r["off_periods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["overlaps_window"] == false)
    );
    // Nothing after the window's end, nothing before its start.
    let got = findings(&r);
    assert_eq!(got.first().unwrap().0, "root-generation");
    assert_eq!(got.last().unwrap().0, "audit-device-disabled");
}

#[test]
fn a_stopped_trail_and_its_bucket_are_told_a_denied_delete_stops_nothing() {
    let (code, r) = report("coverage/cloudtrail.json", &[]);
    assert_eq!(code, 3);
    let off = r["off_periods"].as_array().unwrap();
    assert_eq!(off.len(), 1, "{off:?}");
    // Stopped by its ARN, started by its name: the same trail.
    assert_eq!(off[0]["target"], "org-trail");
    assert_eq!(off[0]["from"], "2025-03-15T10:00:00Z");
    assert_eq!(off[0]["until"], "2025-03-15T10:45:00Z");
    let got = findings(&r);
    assert!(got.contains(&("trail-deleted".into(), "org-trail".into(), "denied".into())));
    assert!(got.contains(&(
        "trail-bucket-changed".into(),
        "org-trail-logs".into(),
        "success".into()
    )));
    // Another bucket's policy is not the trail's business.
    assert!(!got.iter().any(|f| f.1 == "website-assets"), "{got:?}");
    assert_eq!(r["stores"][0]["records"], 80);
}

#[test]
fn a_deleted_sink_is_off_until_the_end_and_audit_configs_are_told() {
    let (code, r) = report("coverage/gcp.json", &[]);
    assert_eq!(code, 3);
    let off = &r["off_periods"][0];
    assert_eq!(
        off["target"],
        "projects/prod-payments/sinks/audit-to-bucket"
    );
    assert!(off["until"].is_null());
    let got = findings(&r);
    let kinds: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        kinds,
        ["sink-deleted", "exclusion-changed", "audit-config-changed"],
        "a SetIamPolicy of bindings only is no audit config change"
    );
}

#[test]
fn the_gap_rule_is_the_users_and_only_ever_inferred() {
    let (_, r) = report("coverage/vault.log", &["--min-gap", "2h"]);
    assert_eq!(r["gaps"].as_array().unwrap().len(), 0);
    assert_eq!(r["gap_rule"]["min_seconds"], 7200);
    let (_, r) = report(
        "coverage/gcp.json",
        &["--gap-factor", "1", "--min-gap", "1m"],
    );
    assert!(!r["gaps"].as_array().unwrap().is_empty());
    for bad in [["--gap-factor", "0"], ["--min-gap", "soon"]] {
        let path = data("coverage/vault.log").display().to_string();
        let r = run(&["coverage", &path, bad[0], bad[1]]);
        assert_eq!(r.code, 2, "{bad:?}");
    }
}

#[test]
fn the_table_draws_hours_and_says_the_window_is_partial() {
    let path = data("coverage/vault.log").display().to_string();
    let r = run(&["coverage", &path]);
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("█▁█"), "{}", r.stdout);
    assert!(r.stdout.contains("PARTIAL: the window overlaps"));
    assert!(r.stdout.contains("root token generated"));
    let r = run(&["coverage", &path, "--format", "ndjson"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 10);
    assert!(lines.iter().all(|l| l.contains("\"kind\":")));
}

/// Every question says whether the trail was off in its window: in JSON
/// (`coverage`), in the table, and by exit 3; a window clear of it is whole.
#[test]
fn questions_over_a_window_the_trail_was_off_in_are_partial() {
    let path = data("coverage").display().to_string();
    let questions: [&[&str]; 4] = [
        &["who-read", "prod/db-password"],
        &["blast-radius", "prod/db-password"],
        &["timeline"],
        &["suspicious"],
    ];
    for q in questions {
        let mut args = q.to_vec();
        args.extend([path.as_str(), "--json", "-q"]);
        let r = run(&args);
        assert_eq!(r.code, 3, "{q:?}: {}", r.stderr);
        let v = r.json();
        assert_eq!(v["coverage"]["partial"], true, "{q:?}");
        let targets: Vec<&str> = v["coverage"]["off_periods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["target"].as_str().unwrap())
            .collect();
        assert_eq!(
            targets,
            [
                "file",
                "org-trail",
                "projects/prod-payments/sinks/audit-to-bucket",
                AZURE_SETTING
            ],
            "{q:?}"
        );
        // Clear of every off period: whole.
        args.extend([
            "--since",
            "2025-03-15T03:15:00Z",
            "--until",
            "2025-03-15T09:00:00Z",
        ]);
        let r = run(&args);
        assert!(r.code == 0 || r.code == 1, "{q:?}: {}", r.stderr);
        assert_eq!(r.json()["coverage"]["partial"], false, "{q:?}");
    }
    let r = run(&["who-read", "prod/db-password", &path]);
    assert!(
        r.stdout
            .contains("PARTIAL: the trail was off during the window (vault: file")
    );
    assert!(
        r.stderr
            .contains("warning: the trail was off during the window")
    );
}

/// An index keeps the records that stop or start a trail: its answers say
/// what a scan's say.
#[test]
fn answers_from_an_index_tell_the_same_off_periods() {
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().to_str().unwrap();
    let path = data("coverage").display().to_string();
    let r = run(&["index", &path, "--cache", cache, "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for q in [&["who-read", "prod/db-password"][..], &["timeline"][..]] {
        let mut scan = q.to_vec();
        scan.extend([path.as_str(), "--json", "-q", "--no-index"]);
        let mut indexed = q.to_vec();
        indexed.extend([path.as_str(), "--json", "-q", "--cache", cache, "-v"]);
        let (a, b) = (run(&scan), run(&indexed));
        assert!(b.stderr.contains("answered from the index") || b.stderr.is_empty());
        assert_eq!((a.code, b.code), (3, 3));
        assert_eq!(a.json()["coverage"], b.json()["coverage"], "{q:?}");
    }
}

/// Azure: the Activity Log says when a vault's diagnostic setting was
/// deleted and written again (each operation's end, not its start); a
/// question about an Azure secret is partial over that hour, and only that
/// store's periods concern it.
#[test]
fn a_deleted_diagnostic_setting_is_an_off_period_for_azure_questions() {
    let (code, r) = report("coverage/azure-activity.json", &[]);
    assert_eq!(code, 3);
    let off = &r["off_periods"][0];
    assert_eq!(off["target"], AZURE_SETTING);
    assert_eq!(off["from"], "2025-03-17T14:00:02.1234560Z");
    assert_eq!(off["until"], "2025-03-17T15:00:03.1234560Z");
    let got = findings(&r);
    assert_eq!(
        got.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["diagnostic-setting-deleted", "diagnostic-setting-written"]
    );
    let path = data("coverage").display().to_string();
    let r = run(&[
        "who-read",
        "azure:kv-prod/db-password",
        &path,
        "--json",
        "-q",
    ]);
    assert_eq!(r.code, 3);
    let v = r.json();
    let periods = v["coverage"]["off_periods"].as_array().unwrap();
    assert_eq!(periods.len(), 1, "only Azure's concern an Azure secret");
    assert_eq!(periods[0]["store"], "azure");
    // The Activity Log reads no secret: the readers are the vault's.
    assert_eq!(v["readers"][0]["successful_reads"], 12);
    let r = run(&[
        "who-read",
        "azure:kv-prod/db-password",
        &path,
        "--since",
        "2025-03-17T15:10:00Z",
        "-q",
    ]);
    assert_eq!(r.code, 0);
}

/// CloudTrail digests vouch for log files: one intact, one changed after
/// delivery, one never downloaded; the third digest names its
/// predecessor's hash wrongly. A digest file is no event, and no longer
/// "not a recognised audit log" for any question.
#[test]
fn cloudtrail_digests_check_log_files_and_their_chain() {
    let (code, r) = report("coverage/digests", &[]);
    assert_eq!(code, 0, "findings, but no off period");
    let d = &r["digests"];
    assert_eq!(d["digest_files"], 3);
    assert_eq!(d["log_files_listed"], 3);
    assert_eq!(d["log_files_verified"], 1);
    assert_eq!(d["log_files_altered"], 1);
    assert_eq!(d["log_files_missing"], 1);
    assert_eq!(d["chain_links_checked"], 2);
    assert_eq!(d["chain_links_broken"], 1);
    assert!(d["signatures"].as_str().unwrap().starts_with("unchecked"));
    let got = findings(&r);
    let kinds: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "log-file-altered",
            "log-file-missing",
            "digest-chain-broken"
        ]
    );
    assert!(got[0].1.ends_with("_Tx9y8z7w6v5u4t3s.json"));
    let path = data("coverage/digests").display().to_string();
    let r = run(&["who-read", "prod/db-password", &path, "--json", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["stats"]["skipped_files"], 0);
    let r = run(&["coverage", &path]);
    assert!(
        r.stdout
            .contains("CloudTrail digests: 3 digest files list 3 log files: 1 verified, 1 altered")
    );
}
