//! Pieces the strict contract types of `timeline_contract`,
//! `suspicious_contract` and `baseline_contract` share: the closed
//! vocabularies (a new or renamed value fails to parse), `stats`, and a way
//! to say "absent, or present and never null".

#![allow(dead_code)] // fields exist to be checked by serde, not read

use serde::{Deserialize, Deserializer};

use crate::util::{Run, data, run};

/// The secret store of an event or identity.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Vault,
    Aws,
    Ssm,
    Azure,
    Gcp,
    K8s,
}

/// How a request ended (timeline events, finding evidence).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Denied,
    NotFound,
    NoValue,
    Error,
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Success,
        Outcome::Denied,
        Outcome::NotFound,
        Outcome::NoValue,
        Outcome::Error,
        Outcome::Unknown,
    ];
}

/// `coverage`, as in every question's report: the periods the trail was
/// certainly off that overlap the window.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    pub partial: bool,
    pub off_periods: Vec<OffPeriod>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffPeriod {
    pub store: String,
    pub target: String,
    pub from: String,
    pub until: Option<String>,
    pub why: String,
    pub overlaps_window: bool,
    pub evidence: Vec<serde_json::Value>,
}

/// `stats`, as in every report with an envelope.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub files: u64,
    pub events: u64,
    pub malformed_lines: u64,
    pub skipped_files: u64,
    pub incomplete_files: u64,
    pub exhaustive: bool,
}

impl Stats {
    /// Everything given was read.
    pub fn complete(&self) -> bool {
        self.malformed_lines == 0 && self.skipped_files == 0 && self.incomplete_files == 0
    }
}

/// For a field that is left out when it has no value
/// (`skip_serializing_if`): use with `#[serde(default, deserialize_with =
/// "present")]`. Absent is `None`; present must hold a value, so a `null`
/// fails (plain `Option` would let it through).
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// `testdata/<rel>` as an argument.
pub fn arg(rel: &str) -> String {
    data(rel).display().to_string()
}

/// Runs whosaw and insists on exit status `code`.
pub fn run_ok(args: &[&str], code: i32) -> Run {
    let r = run(args);
    assert_eq!(r.code, code, "exit {} for {args:?}:\n{}", r.code, r.stderr);
    r
}

/// One strict value per line of NDJSON.
pub fn lines<T: for<'de> Deserialize<'de>>(stdout: &str) -> Vec<T> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The whole of standard output as one strict document.
pub fn document<T: for<'de> Deserialize<'de>>(stdout: &str) -> T {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}:\n{stdout}"))
}
