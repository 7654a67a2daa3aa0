//! Exports that map a store's record to their own columns, without the
//! original (`testdata/exports/mapped/`, built from `testdata/incident/`
//! by `testdata/exports_mapped.py`): whosaw rebuilds each record, so the
//! answers equal those over the raw files, but for what a mapping loses
//! (said per shape below and in README).

use serde_json::Value;

use crate::exports::Question;
use crate::util::{data, run};

/// Each shape, the store folder it was built from, and the fraction
/// digits its times keep (`None`: all of them).
const SHAPES: [(&str, &str, Option<usize>); 9] = [
    // Elasticsearch's date keeps milliseconds.
    ("elastic-vault.ndjson", "vault", Some(3)),
    ("elastic-vault-search.json", "vault", Some(3)),
    ("elastic-cloudtrail.ndjson", "cloudtrail", None),
    ("azkvauditlogs.json", "azure", None),
    ("azurediagnostics.json", "azure", None),
    // `bq` prints TIMESTAMP columns to the second.
    ("bigquery.json", "gcp", Some(0)),
    ("athena.json", "cloudtrail", None),
    ("azkvauditlogs.csv", "azure", None),
    ("athena.csv", "cloudtrail", None),
];

const QUESTIONS: [Question<'static>; 3] = [
    (&["who-read", "prod/db-password"], &["--evidence"]),
    (&["blast-radius", "prod/db-password"], &["--depth", "2"]),
    (&["timeline"], &["--since", "2025-01-01T00:00:00Z"]),
];

fn answer(question: Question<'_>, path: &str, digits: Option<usize>) -> Value {
    let mut v = crate::exports::answer(question, path);
    if let Some(digits) = digits {
        cut_times(&mut v, digits);
    }
    v
}

/// Every time in the answer cut to the fraction digits an export keeps.
fn cut_times(v: &mut Value, digits: usize) {
    match v {
        Value::Object(map) => map.values_mut().for_each(|v| cut_times(v, digits)),
        Value::Array(items) => items.iter_mut().for_each(|v| cut_times(v, digits)),
        Value::String(s) => *s = cut_time(s, digits),
        _ => {}
    }
}

/// Every ISO time in `text` (alone or within a sentence) cut to `digits`
/// fraction digits.
fn cut_time(text: &str, digits: usize) -> String {
    static TIME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z").unwrap()
    });
    TIME.replace_all(text, |c: &regex::Captures<'_>| {
        let fraction = c.get(2).map_or("", |f| f.as_str());
        let kept = &fraction[..fraction.len().min(digits)];
        match kept.is_empty() {
            true => format!("{}Z", &c[1]),
            false => format!("{}.{kept}Z", &c[1]),
        }
    })
    .into_owned()
}

#[test]
fn every_mapped_export_gives_the_answers_of_the_raw_files() {
    for (shape, store, digits) in SHAPES {
        let raw = data(&format!("incident/{store}"));
        let export = data(&format!("exports/mapped/{shape}"));
        for question in QUESTIONS {
            let expected = answer(question, raw.to_str().unwrap(), digits);
            let got = answer(question, export.to_str().unwrap(), digits);
            assert_eq!(got, expected, "{shape}: {question:?}");
        }
    }
}

#[test]
fn verbose_names_each_export() {
    for (shape, export) in [
        ("elastic-cloudtrail.ndjson", "Elasticsearch"),
        ("azurediagnostics.json", "Log Analytics"),
        ("bigquery.json", "BigQuery"),
        ("athena.json", "data lake"),
    ] {
        let path = data(&format!("exports/mapped/{shape}"));
        let r = run(&["timeline", path.to_str().unwrap(), "-v"]);
        assert!(r.stderr.contains(export), "{shape}: {}", r.stderr);
    }
}
