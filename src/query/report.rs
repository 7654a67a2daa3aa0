//! The reports, as typed data. Their serde form *is* the JSON contract that
//! runbooks and jq pipelines depend on: fields may be added, never renamed.
//! Table output renders the same structs.

use std::collections::BTreeMap;

use serde::Serialize;

pub(crate) use super::coverage::WindowCoverage;

use crate::event::{Event, Outcome, Provider, ReadKind, Scope, Timestamp};
use crate::source::store::CredentialKind;

pub(crate) const WHO_READ_SCHEMA: &str = "whosaw.who-read.v1";
pub(crate) const BLAST_RADIUS_SCHEMA: &str = "whosaw.blast-radius.v1";

#[derive(Debug, Serialize)]
pub(crate) struct QueryEcho {
    pub secret: String,
    pub regex: bool,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u8>,
}

#[derive(Debug, Default, Serialize)]
pub(crate) struct Stats {
    /// Inputs given (after walking folders), skipped ones included.
    pub files: u64,
    /// Non-blank lines seen: one audit entry each.
    pub events: u64,
    pub malformed_lines: u64,
    pub skipped_files: u64,
    /// Files read only in part (a gzip fault) or that changed while read.
    pub incomplete_files: u64,
    /// Every line was parsed (`--exhaustive`) rather than pre-filtered.
    pub exhaustive: bool,
}

/// The name of input `index`, as evidence shows it.
pub(crate) fn evidence_file(files: &[String], index: u32) -> String {
    files.get(index as usize).cloned().unwrap_or_default()
}

/// Where an event's record is, as every report cites it: file and line,
/// the record's index in a document, the export's own id for its row.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Place {
    pub file: String,
    pub line: u64,
    /// The record's index in its document's array (a CloudTrail delivery, a
    /// JSON array), 0-based; absent for a record on a line of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u32>,
    /// The export's own id for the record (`_cd=…` from Splunk, `_id=…`
    /// from Elasticsearch), when it came from an export that gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export_id: Option<String>,
}

impl Place {
    pub(crate) fn of(event: &Event, files: &[String]) -> Place {
        Place {
            file: evidence_file(files, event.origin.file),
            line: event.origin.line,
            record: event.origin.record,
            export_id: event.export_id.as_deref().map(str::to_string),
        }
    }

    /// `file:line`, then ` #record` and ` [export id]` when there are
    /// any (unescaped: the caller escapes what it prints).
    pub(crate) fn cited(&self) -> String {
        let mut cited = format!("{}:{}", self.file, self.line);
        if let Some(record) = self.record {
            cited += &format!(" #{record}");
        }
        if let Some(id) = &self.export_id {
            cited += &format!(" [{id}]");
        }
        cited
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct Evidence {
    #[serde(flatten)]
    pub place: Place,
    /// The store read.
    pub provider: Provider,
    /// The operation as the store logged it.
    pub operation: String,
    /// `one`, or how wide a read was: `children` (a namespace, a path
    /// level), `descendants` (a path, recursively), `all` (every secret).
    pub scope: Scope,
    /// `value`, `undecrypted` (SSM without decryption) or `possible` (a
    /// read that returned unnamed secrets); `none` for any other event.
    #[serde(serialize_with = "kind_or_none")]
    pub kind: Option<ReadKind>,
    pub time: Timestamp,
    pub request_id: Option<String>,
    pub outcome: Outcome,
    pub secret: String,
}

/// An evidence's kind as the contract writes it: the read's, else `none`.
fn kind_or_none<S: serde::Serializer>(kind: &Option<ReadKind>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.map_or("none", ReadKind::as_str))
}

#[derive(Debug, Serialize)]
pub(crate) struct ReaderOut {
    pub identity: String,
    pub identity_id: String,
    pub provider: Provider,
    pub successful_reads: u64,
    pub denied_reads: u64,
    pub error_reads: u64,
    /// Answered: the secret does not exist (a 404, `NOT_FOUND`).
    pub not_found_reads: u64,
    /// Answered without error but with no value (a Vault read whose response
    /// holds no data).
    pub no_value_reads: u64,
    pub unknown_outcome: u64,
    /// Successful reads through a wide read (a namespace list, a read by
    /// path); included in `successful_reads`.
    pub wide_reads: u64,
    /// SSM reads without decryption: a SecureString stayed encrypted, a
    /// String parameter was exposed anyway (not in `successful_reads`).
    pub undecrypted_reads: u64,
    /// Reads that returned secrets the log does not name, possibly this one
    /// (an AWS batch read by filter; not in `successful_reads`).
    pub possible_reads: u64,
    /// Operations as logged.
    pub operations: Vec<String>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub source_addresses: Vec<String>,
    /// The address most of them came from (tables only).
    #[serde(skip)]
    pub busiest_address: Option<String>,
    pub secrets: Vec<String>,
    /// Credentials used for successful reads, as logged (Vault token
    /// accessors, AWS access key ids, Azure application ids, GCP key names).
    pub credentials: Vec<String>,
    pub metadata: BTreeMap<String, String>,
    pub policies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<Evidence>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct WhoReadReport {
    pub schema: &'static str,
    pub query: QueryEcho,
    pub readers: Vec<ReaderOut>,
    /// Reads that matched but cannot have returned the secret (a wide read
    /// that ended before it was created): counted for no one.
    pub excluded_reads: u64,
    /// Those reads, with why (with `--evidence` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<Vec<ExcludedOut>>,
    pub coverage: WindowCoverage,
    pub stats: Stats,
}

/// A read that is not counted, and why.
#[derive(Debug, Serialize)]
pub(crate) struct ExcludedOut {
    pub identity: String,
    pub identity_id: String,
    pub reason: String,
    pub evidence: Evidence,
}

/// One thing to rotate, with why.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum RotateItem {
    Secret(SecretItem),
    Credential(CredentialItem),
}

#[derive(Debug, Serialize)]
pub(crate) struct SecretItem {
    /// The store holding it (`null`: an unqualified name never seen in any).
    pub provider: Option<Provider>,
    pub target: String,
    pub reason: String,
    pub hint: String,
    /// 1: the secret asked about; 2: read by the readers of it.
    pub depth: u8,
    /// The identities whose reads put it on the list (depth 2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    pub evidence: SecretEvidence,
    /// Its value, in the audit log in clear (see `exposures`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exposures: Vec<super::exposures::ExposureOut>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SecretEvidence {
    /// Reads that prove the value left the store.
    pub successful_reads: u64,
    pub readers: u64,
    /// Batches by filter that may have returned it (not in `successful_reads`).
    pub possible_reads: u64,
    /// SSM reads without decryption (not in `successful_reads`).
    pub undecrypted_reads: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CredentialItem {
    pub identity: String,
    pub identity_id: String,
    pub provider: Provider,
    /// What kind of credential `credentials` holds.
    pub credential_kind: CredentialKind,
    pub credentials: Vec<String>,
    pub hint: String,
    pub reason: String,
    pub metadata: BTreeMap<String, String>,
    pub policies: Vec<String>,
    pub evidence: CredentialEvidence,
}

#[derive(Debug, Serialize)]
pub(crate) struct CredentialEvidence {
    pub successful_reads: u64,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub source_addresses: Vec<String>,
    pub secrets: Vec<String>,
    /// Attempts whose outcome is unknown (no response logged).
    pub unknown_outcome: u64,
}

/// An identity that tried but, as far as the log shows, got nothing.
#[derive(Debug, Serialize)]
pub(crate) struct InvestigateItem {
    pub identity: String,
    pub identity_id: String,
    pub provider: Provider,
    pub denied_reads: u64,
    pub undecrypted_reads: u64,
    pub possible_reads: u64,
    pub error_reads: u64,
    pub not_found_reads: u64,
    pub no_value_reads: u64,
    pub unknown_outcome: u64,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub source_addresses: Vec<String>,
    /// The address most of them came from (tables only).
    #[serde(skip)]
    pub busiest_address: Option<String>,
    pub secrets: Vec<String>,
    pub reason: String,
    pub metadata: BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct BlastRadiusReport {
    pub schema: &'static str,
    pub query: QueryEcho,
    pub rotate: Vec<RotateItem>,
    pub investigate: Vec<InvestigateItem>,
    pub coverage: WindowCoverage,
    pub stats: Stats,
}
