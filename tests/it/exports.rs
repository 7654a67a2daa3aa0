//! Exports from SIEMs and data lakes (`testdata/exports/`, built from the
//! raw logs of `testdata/incident/` by `testdata/make_exports.py`): every
//! answer over an export equals the answer over the raw files, apart from
//! where the evidence is (file, line, the export's own id).

use serde_json::Value;

use crate::util::{data, run, who_read_json};

/// Every export shape, each holding all of `testdata/incident/`.
const SHAPES: [&str; 9] = [
    "splunk-export.json",
    "splunk-results.json",
    "splunk-array.json",
    "elastic-scroll.json",
    "splunk.csv",
    "kibana.csv",
    "elastic-search.json",
    "elastic-dump.ndjson",
    "elastic-source.ndjson",
];

/// The questions asked of both (the path goes after the first part):
/// who read the production DB password, what to rotate (following the
/// readers), every event, every value read, what looks suspicious.
const QUESTIONS: [Question<'static>; 5] = [
    (&["who-read", "prod/db-password"], &["--evidence"]),
    (&["blast-radius", "prod/db-password"], &["--depth", "2"]),
    (&["timeline"], &["--since", "2025-01-01T00:00:00Z"]),
    (&["who-read", "--regex", "."], &["--evidence"]),
    (&["suspicious"], &[]),
];

/// A question: its words before the path, and after it.
pub type Question<'q> = (&'q [&'q str], &'q [&'q str]);

/// The answer to a question over `path` as JSON (exit 0 or 1, no warning),
/// without where each piece of evidence is and without the scan's counts.
pub fn answer((before, after): Question<'_>, path: &str) -> Value {
    let mut args = before.to_vec();
    args.push(path);
    args.extend(after);
    args.extend(["--format", "json"]);
    let r = run(&args);
    assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{args:?}: {}", r.stderr);
    let mut v = r.json();
    strip_locations(&mut v);
    v
}

fn strip_locations(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for key in ["file", "line", "record", "export_id", "stats", "files"] {
                map.remove(key);
            }
            map.values_mut().for_each(strip_locations);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_locations),
        _ => {}
    }
}

#[test]
fn every_export_gives_the_answers_of_the_raw_files() {
    let raw_dir = data("incident");
    let raw = raw_dir.to_str().unwrap();
    for question in QUESTIONS {
        let expected = answer(question, raw);
        for shape in SHAPES {
            let export = data(&format!("exports/{shape}"));
            let got = answer(question, export.to_str().unwrap());
            assert_eq!(got, expected, "{shape}: {question:?}");
        }
    }
}

#[test]
fn evidence_names_the_export_file_line_and_id() {
    let (_, v) = who_read_json(
        "prod/db-password",
        &["exports/splunk-export.json"],
        &["--evidence"],
    );
    let aws = &v["readers"][0]["evidence"][0];
    assert!(
        aws["file"]
            .as_str()
            .unwrap()
            .ends_with("splunk-export.json")
    );
    // The AWS read is the fifth record the export holds, one per line.
    assert_eq!(
        (aws["line"].as_u64(), aws["export_id"].as_str()),
        (Some(5), Some("_cd=42:1068"))
    );
    let path = data("exports/elastic-search.json");
    let r = run(&["timeline", path.to_str().unwrap(), "--format", "ndjson"]);
    for event in r.ndjson() {
        let id = event["export_id"].as_str().unwrap();
        assert!(id.starts_with("_id=") && id.len() == 24, "{event}");
        // Each hit starts on its own line of the pretty-printed answer.
        assert!(event["line"].as_u64().unwrap() > 10, "{event}");
    }
    // Tables show the id beside file and line.
    let r = run(&[
        "who-read",
        "prod/db-password",
        data("exports/splunk-export.json").to_str().unwrap(),
        "--evidence",
    ]);
    assert!(
        r.stdout.contains("splunk-export.json:5 [_cd=42:1068]"),
        "{}",
        r.stdout
    );
}

#[test]
fn verbose_names_the_export_and_its_stores() {
    let path = data("exports/splunk-export.json");
    let r = run(&["who-read", "prod/db-password", path.to_str().unwrap(), "-v"]);
    assert!(
        r.stderr
            .contains("Splunk JSON export of records of several stores"),
        "{}",
        r.stderr
    );
    let path = data("exports/bad/elastic-no-source.ndjson");
    let r = run(&["who-read", "prod/db-password", path.to_str().unwrap(), "-v"]);
    assert!(
        r.stderr
            .contains("Elasticsearch JSON export of Vault audit log"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_cut_raw_and_a_hit_without_source_are_reported_and_the_rest_answered() {
    let (r, v) = who_read_json("prod/data/db-password", &["exports/bad"], &[]);
    // Answered, with lines lost: exit 3.
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(v["stats"]["malformed_lines"], 8, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("splunk-truncated.json:2: a Splunk _raw cut short at 10000 bytes")
            && r.stderr.contains("TRUNCATE in props.conf"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("elastic-no-source.ndjson:2: an Elasticsearch hit without _source"),
        "{}",
        r.stderr
    );
    // A CSV row with a byte that is not UTF-8, and one cut inside its
    // quoted `_raw` (the file ends there), each with the line it starts on.
    assert!(
        r.stderr
            .contains("splunk-cut.csv:2: not UTF-8 (column _raw")
            && r.stderr
                .contains("splunk-cut.csv:63: the file ends inside a quoted field"),
        "{}",
        r.stderr
    );
    // Lines cut short, whether or not they hold the secret: inside `_raw`,
    // inside `message`, before the closing brace; Kibana's CSV cut inside
    // its last quoted record.
    for expected in [
        "splunk-cut-lines.json:1: a Splunk row cut short inside its _raw",
        "splunk-cut-lines.json:3: not valid JSON",
        "elastic-cut-lines.ndjson:2: an Elasticsearch row cut short inside its message",
        "kibana-cut.csv:4: the file ends inside a quoted field",
    ] {
        assert!(r.stderr.contains(expected), "{expected}: {}", r.stderr);
    }
    // The records around them are still read (both exports hold the
    // request of the same unanswered read).
    let readers = v["readers"].as_array().unwrap();
    assert_eq!(readers.len(), 1);
    assert_eq!(
        readers[0]["identity"],
        "jwt-repo:acme/app:ref:refs/heads/main"
    );
}

#[test]
fn an_export_id_with_terminal_escapes_is_shown_escaped() {
    // A hostile `_cd` (any field of an export is attacker-controlled).
    let raw = std::fs::read_to_string(data("incident/vault/audit.log")).unwrap();
    let rows: String = raw
        .lines()
        .map(|line| {
            let row = serde_json::json!({"_cd": "1:\u{1b}[2J\u{1b}[31mx", "_raw": line});
            serde_json::json!({"preview": false, "result": row}).to_string() + "\n"
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    std::fs::write(&path, rows).unwrap();
    let path = path.to_str().unwrap();
    for question in [
        &["who-read", "prod/data/db-password", path, "--evidence"][..],
        &["timeline", path],
    ] {
        let r = run(question);
        assert!(!r.stdout.contains('\u{1b}'), "{question:?}: {}", r.stdout);
        assert!(
            r.stdout.contains("[_cd=1:\\x1b[2J\\x1b[31mx]"),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn a_row_holding_a_whole_container_gives_each_of_its_records() {
    // A CloudTrail delivery (`{"Records":[…]}`) indexed as one event, in
    // Splunk's `_raw` and in Elastic's `message`: its records are read.
    let raw = data("incident/cloudtrail");
    let delivery = std::fs::read_dir(&raw)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&delivery).unwrap()),
        &mut text,
    )
    .unwrap();
    let splunk =
        serde_json::json!({"preview": false, "result": {"_cd": "7:1", "_raw": text.trim()}});
    let elastic = serde_json::json!({"_index": "i", "_id": "d1", "_source": {"@timestamp": "x", "message": text.trim()}});
    let dir = tempfile::tempdir().unwrap();
    let question = |path: &str| {
        let r = run(&[
            "who-read",
            "--regex",
            ".",
            path,
            "--evidence",
            "--format",
            "json",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let expected = question(raw.to_str().unwrap());
    for (name, row) in [("splunk.json", splunk), ("elastic.ndjson", elastic)] {
        let path = dir.path().join(name);
        std::fs::write(&path, row.to_string() + "\n").unwrap();
        let got = question(path.to_str().unwrap());
        assert_eq!(
            got["stats"]["events"], expected["stats"]["events"],
            "{name}"
        );
        let evidence = &got["readers"][0]["evidence"][0];
        assert_eq!(evidence["line"], 1, "{name}");
        assert!(evidence["record"].is_u64(), "{name}: {evidence}");
        let (mut got, mut expected) = (got, expected.clone());
        strip_locations(&mut got);
        strip_locations(&mut expected);
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn an_export_of_many_sourcetypes_is_read_for_its_audit_records() {
    // Splunk's `index=main`: messages, 24 rows of syslog and another tool's
    // JSON before the audit records (more than detection looks at), a
    // closing `lastrow` line.
    let path = data("exports/splunk-sourcetypes.json");
    let question: Question<'_> = (&["who-read", "prod/data/db-password"], &["--evidence"]);
    let raw = data("incident/vault");
    assert_eq!(
        answer(question, path.to_str().unwrap()),
        answer(question, raw.to_str().unwrap())
    );
    let r = run(&[
        "who-read",
        "prod/data/db-password",
        path.to_str().unwrap(),
        "--format",
        "json",
        "-v",
    ]);
    assert!(
        r.stderr
            .contains("Splunk JSON export of records of an undetermined source"),
        "{}",
        r.stderr
    );
    // Rows only, not the messages or the closing line; none malformed.
    assert_eq!(r.json()["stats"]["events"], 33);
    assert_eq!(r.json()["stats"]["malformed_lines"], 0);
    // Every row read: the other sourcetypes are counted in a note, not as
    // malformed lines.
    let r = run(&[
        "who-read",
        "prod/data/db-password",
        path.to_str().unwrap(),
        "--exhaustive",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("25 rows of this export that were read hold no audit record"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_export_that_found_nothing_is_read_as_empty() {
    // A search with no results: Splunk's CSV header alone.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.csv");
    std::fs::write(&path, "\u{feff}_time,host,source,_raw\r\n").unwrap();
    let r = run(&["who-read", "prod/db-password", path.to_str().unwrap(), "-v"]);
    assert_eq!(r.code, 1, "nothing found, nothing lost: {}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(r.stderr.contains("Splunk CSV export"), "{}", r.stderr);
}
