//! Input and output that are streams, not files: standard input (`-`), plain
//! or gzipped, a named pipe, and a standard output whose reader has gone.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

use serde_json::Value;

use crate::util::{Run, data, run_cmd, whosaw};

use super::{
    BACKUP_JOB, CI_RUNNER, DEPLOY_BOT, SECRET, fixture_bytes, reader_ids, response_line, sane,
    stat, who_read_paths,
};

// ------------------------------------------------------------ standard input

fn who_read_stdin(input: Vec<u8>) -> (Run, Value) {
    let r = sane(run_cmd(
        whosaw()
            .args(["who-read", SECRET, "-", "--format", "json"])
            .write_stdin(input),
    ));
    let v = r.json();
    (r, v)
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let (r, v) = who_read_stdin(fixture_bytes("clean.log"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert_eq!(stat(&v, "files"), 1);
}

#[test]
fn gzipped_standard_input_is_recognised_by_its_magic_bytes() {
    let (r, v) = who_read_stdin(fixture_bytes("multi-member.log.gz"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER, BACKUP_JOB]);
}

#[test]
fn problems_on_standard_input_are_named_dash_with_their_line() {
    let (r, v) = who_read_stdin(fixture_bytes("truncated.log"));
    assert_eq!(r.code, 3);
    assert_eq!(stat(&v, "malformed_lines"), 2);
    assert!(r.stderr.contains("whosaw: warning: -:4: "), "{}", r.stderr);
    assert!(r.stderr.contains("whosaw: warning: -:10: "), "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

#[test]
fn a_truncated_gzip_on_standard_input_keeps_the_lines_before_the_cut() {
    let (r, v) = who_read_stdin(fixture_bytes("truncated.log.gz"));
    assert_eq!(r.code, 3);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
    assert!(
        r.stderr.contains("-:5: corrupt or truncated gzip"),
        "{}",
        r.stderr
    );
}

// -------------------------------------------------------------- named pipe

#[test]
fn a_named_pipe_is_read_as_a_stream() {
    // A FIFO cannot be mapped: it must be read front to back.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("live.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            // Blocks until whosaw opens the FIFO for reading.
            let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            w.write_all(&fixture_bytes("clean.log")).unwrap();
        })
    };
    let (r, v) = who_read_paths(&[&fifo], &[]);
    if !writer.is_finished() {
        // whosaw never opened it: unblock the writer before failing below.
        let _ = std::fs::File::open(&fifo);
    }
    writer.join().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reader_ids(&v), [DEPLOY_BOT, CI_RUNNER]);
}

// ------------------------------------------------------------- broken pipe

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    // Thousands of readers make far more output than a pipe buffer holds, so
    // whosaw is certain to write into the closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("busy.log");
    let mut text = String::new();
    for i in 0..3000 {
        let who = format!("svc-{i}");
        let entity = format!("00000000-0000-4000-8000-{i:012x}");
        let request = format!("10000000-0000-4000-8000-{i:012x}");
        text.push_str(&response_line(
            &who,
            &entity,
            &request,
            "secret/data/production/db-password",
        ));
        text.push('\n');
    }
    std::fs::write(&log, text).unwrap();

    for format in ["ndjson", "json", "table"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_whosaw"))
            .env_clear()
            .args(["who-read", SECRET, &log.display().to_string()])
            .args(["--format", format])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader (`head`) is gone
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.signal(), None, "{format}: killed by a signal");
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}: nothing on stderr");
    }
}

/// `timeline --format json` over one input given as `arg`, with `stdin`.
fn timeline_of(arg: &str, stdin: Vec<u8>) -> (Run, String) {
    let r = run_cmd(
        whosaw()
            .args(["timeline", arg, "--format", "json", "--no-index"])
            .write_stdin(stdin),
    );
    // The input is named as given: a path, or `-`.
    let out = r.stdout.replace(
        &format!("\"file\": {}", serde_json::json!(arg)),
        "\"file\": INPUT",
    );
    (r, out)
}

#[test]
fn a_document_read_as_a_stream_or_from_gzip_gives_what_the_file_gives() {
    // Pretty-printed documents of four shapes: a top-level array, records
    // under a container key, a Kubernetes EventList, Elasticsearch's
    // `hits.hits`. A stream is cut record by record as it arrives (memory
    // holds a record, not the document), and must cut as the mapped file is.
    for rel in [
        "cloudtrail/ssm.json",
        "cloudtrail/lookup-events.json",
        "k8s/eventlist.json",
        "exports/elastic-search.json",
    ] {
        let path = data(rel).display().to_string();
        let plain = std::fs::read(&path).unwrap();
        let (file_run, from_file) = timeline_of(&path, Vec::new());
        assert_eq!(file_run.code, 0, "{rel}: {}", file_run.stderr);
        assert!(from_file.contains("\"time\""), "{rel}: no events");
        let (r, from_stdin) = timeline_of("-", plain.clone());
        assert_eq!((r.code, &from_stdin), (0, &from_file), "{rel} on stdin");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        let (r, from_gzip) = timeline_of("-", gz.finish().unwrap());
        assert_eq!((r.code, &from_gzip), (0, &from_file), "{rel} gzipped");
    }
}

#[test]
fn blanks_and_damage_in_a_streamed_document_lose_no_record_around_them() {
    // Megabytes of blanks between records (let go as they pass), then a
    // record cut short at the end: the records before it are kept and the
    // cut is reported on the line where the bytes end.
    let record = |user: &str| {
        format!(
            r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/{user}","accountId":"111122223333"}},"eventTime":"2026-03-01T03:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","requestParameters":{{"secretId":"prod/db"}},"responseElements":null,"requestID":"{user}-1","eventID":"{user}-e1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}"#
        )
    };
    let mut doc = format!("{{\"Records\": [\n{},", record("alice"));
    doc.push_str(&" \n".repeat(5 << 20));
    doc.push_str(&record("bob"));
    doc.push_str(",\n{\"eventVersion\":\"1.08\",\n\"userIdentity\":");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(doc.as_bytes()).unwrap();
    let r = run_cmd(
        whosaw()
            .args(["who-read", "prod/db", "-", "--format", "json"])
            .write_stdin(gz.finish().unwrap()),
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v = r.json();
    let readers: Vec<&str> = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identity"]["label"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(readers.len(), 2, "{readers:?}");
    assert!(
        r.stderr.contains(&format!(
            "-:{}: the document ends before its closing bracket (truncated)",
            (5 << 20) + 4
        )),
        "{}",
        r.stderr
    );
}
