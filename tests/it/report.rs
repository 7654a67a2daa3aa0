//! `whosaw report`: one self-contained HTML file. The file is checked as
//! text (no network reference, every section, escaping) and, where Debian's
//! Chromium is installed, rendered headless: the DOM it builds must hold
//! the readers and the timeline's SVG, and a screenshot must be drawn.
//! `.ci/run` installs Chromium and sets `WHOSAW_BROWSER=required`.

use std::path::Path;
use std::process::Command;

use crate::util::{data, run};

fn report(args: &[&str], out: &Path) -> crate::util::Run {
    let out = out.to_str().unwrap();
    let mut all = vec!["report"];
    all.extend(args);
    all.extend(["-o", out]);
    run(&all)
}

#[test]
fn the_report_is_one_self_contained_file_with_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("incident.html");
    let incident = data("incident").display().to_string();
    let r = report(&["prod/db-password", &incident], &html_path);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(&html_path).unwrap();
    for section in [
        "id=\"readers-table\"",
        "id=\"timeline-chart\"",
        "id=\"rotate\"",
        "id=\"attempts-table\"",
        "id=\"suspicious\"",
        "id=\"coverage-table\"",
        "id=\"exposures\"",
        "id=\"inputs-table\"",
        "id=\"reproduce\"",
    ] {
        assert!(html.contains(section), "no {section}");
    }
    // Nothing is fetched: no script, no external reference of any kind.
    for outside in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(outside), "the report holds {outside}");
    }
    // The readers, and what whosaw's own who-read says of them.
    let who = run(&["who-read", "prod/db-password", &incident, "--json"]).json();
    for reader in who["readers"].as_array().unwrap() {
        let label = reader["identity"].as_str().unwrap();
        assert!(html.contains(label), "{label} is missing");
    }
    // Chain of custody: each input's SHA-256, as sha256sum gives it.
    let vault_log = data("incident/vault/audit.log");
    let bytes = std::fs::read(&vault_log).unwrap();
    let digest = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    assert!(
        html.contains(&digest),
        "no SHA-256 of {}",
        vault_log.display()
    );
    assert!(html.contains(&format!(">{}<", bytes.len())));
    // How to make it again.
    assert!(html.contains("report prod/db-password"), "no command");
}

#[test]
fn log_strings_are_escaped_and_the_evidence_is_never_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let name = "<img src=x onerror=alert(1)>";
    let log = crate::util::vault_read_by(dir.path(), name);
    let out = dir.path().join("out.html");
    let logs = log.display().to_string();
    let r = report(&["secret/prod/db", &logs], &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        !html.contains("<img"),
        "markup from the log reached the report"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // Refused inside the logs given, and over an existing file.
    let inside = dir.path().join("report.html");
    let r = report(&["secret/prod/db", dir.path().to_str().unwrap()], &inside);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("inside the logs"), "{}", r.stderr);
    assert!(!inside.exists());
    let r = report(&["secret/prod/db", &logs], &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
}

/// Debian's Chromium, if installed (required when `WHOSAW_BROWSER=required`).
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var("WHOSAW_BROWSER").as_deref() != Ok("required"),
            "chromium is not installed, and WHOSAW_BROWSER=required"
        );
    }
    found
}

#[test]
fn the_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("chromium not installed: the report was not rendered");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("incident.html");
    let incident = data("incident").display().to_string();
    let r = report(&["prod/db-password", &incident], &html_path);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let url = format!("file://{}", html_path.display());
    let profile = dir.path().join("profile");
    let headless = |extra: &[&str]| {
        Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,2000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("chromium runs")
    };
    let dom = headless(&["--dump-dom"]);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    // The DOM as the browser built it: the readers' rows and the SVG marks.
    assert!(dom.contains("<table id=\"readers-table\">"), "{dom}");
    assert!(dom.matches("<tr>").count() > 7, "{dom}");
    assert!(dom.contains("<svg id=\"timeline-chart\""), "{dom}");
    assert!(dom.matches("class=\"mark\"").count() >= 7, "{dom}");
    assert!(dom.contains("assumed-role/ci-deploy/gh-run-4420"));
    let shot = dir.path().join("incident.png");
    let drawn = headless(&[&format!("--screenshot={}", shot.display())]);
    assert!(
        drawn.status.success(),
        "{}",
        String::from_utf8_lossy(&drawn.stderr)
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 20_000, "an empty page? {} bytes", png.len());
}
