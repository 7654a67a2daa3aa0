//! CloudTrail's digest files, checked (`coverage`): each digest lists the
//! log files its trail delivered in its hour with their SHA-256, and the
//! SHA-256 of the digest before it. A log file of the input whose hash
//! differs was changed after delivery; a listed one missing from the input
//! takes its events out of every answer; a previous digest whose hash
//! differs breaks the chain. Signatures are not checked: a digest's own
//! signature is kept in its S3 object's metadata, not in the file.

use std::collections::BTreeMap;

use serde::Serialize;

use super::coverage::{Finding, FindingKind, Seen};
use super::report::{Place, evidence_file};
use crate::event::Origin;
use crate::source::trail::Digest;

/// What checking the digests found, in numbers.
#[derive(Debug, Default, Serialize)]
pub(crate) struct DigestSummary {
    pub digest_files: u64,
    /// Log files the digests list.
    pub log_files_listed: u64,
    /// Of those, the ones in the input whose SHA-256 matched.
    pub log_files_verified: u64,
    pub log_files_altered: u64,
    /// Listed, but not in the input.
    pub log_files_missing: u64,
    /// Digests whose previous digest is in the input, and was checked.
    pub chain_links_checked: u64,
    pub chain_links_broken: u64,
    pub signatures: &'static str,
}

const SIGNATURES: &str = "unchecked: a digest's signature is kept in its S3 object's metadata \
     (x-amz-meta-signature), not in the file; `aws cloudtrail validate-logs` checks them";

/// Checks `digests` against the input `files`; `sha256` gives an input's
/// SHA-256 (hex, of its content uncompressed), `None` when it cannot be read.
pub(crate) fn verify(
    digests: &[(Origin, Digest)],
    files: &[String],
    sha256: &dyn Fn(usize) -> Option<String>,
) -> (DigestSummary, Vec<Finding>) {
    let mut summary = DigestSummary {
        signatures: SIGNATURES,
        ..DigestSummary::default()
    };
    let mut findings = Vec::new();
    if digests.is_empty() {
        return (summary, findings);
    }
    // Inputs by their file name, with `.gz` and without: a log file may have
    // been downloaded as delivered or inflated.
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in files.iter().enumerate() {
        let base = base_name(name);
        by_name.insert(base, i);
        by_name.entry(base.trim_end_matches(".gz")).or_insert(i);
    }
    let find = |object: &str| {
        let base = base_name(object);
        by_name
            .get(base)
            .or_else(|| by_name.get(base.trim_end_matches(".gz")))
            .copied()
    };
    let mut hashes: BTreeMap<usize, Option<String>> = BTreeMap::new();
    let mut hash = |i: usize| hashes.entry(i).or_insert_with(|| sha256(i)).clone();
    let place = |o: Origin| Place {
        file: evidence_file(files, o.file),
        line: o.line,
        record: o.record,
        export_id: None,
    };
    summary.digest_files = digests.len() as u64;
    let mut missing: Vec<(&Origin, &Digest, &str)> = Vec::new();
    for (origin, d) in digests {
        for (object, expected) in &d.log_files {
            summary.log_files_listed += 1;
            let Some(i) = find(object) else {
                summary.log_files_missing += 1;
                missing.push((origin, d, object));
                continue;
            };
            match hash(i) {
                Some(actual) if actual == *expected => summary.log_files_verified += 1,
                Some(_) => {
                    summary.log_files_altered += 1;
                    findings.push(finding(
                        d,
                        Seen::LogFileAltered,
                        files[i].clone(),
                        1,
                        format!(
                            "its SHA-256 is not the one the digest {} holds: it changed after \
                             CloudTrail delivered it, and its events cannot be trusted",
                            base_name(&d.object)
                        ),
                        vec![place(*origin)],
                    ));
                }
                None => summary.log_files_missing += 1,
            }
        }
        if let Some((previous, expected)) = &d.previous
            && let Some(i) = find(previous)
        {
            summary.chain_links_checked += 1;
            if hash(i).as_deref() != Some(expected.as_str()) {
                summary.chain_links_broken += 1;
                findings.push(finding(
                    d,
                    Seen::DigestChainBroken,
                    files[i].clone(),
                    1,
                    format!(
                        "the digest {} says the digest before it hashed otherwise: one of them \
                         was changed or replaced",
                        base_name(&d.object)
                    ),
                    vec![place(*origin)],
                ));
            }
        }
    }
    if let Some(&(first_origin, first, _)) = missing.first() {
        let names: Vec<&str> = missing.iter().take(3).map(|m| base_name(m.2)).collect();
        findings.push(finding(
            first,
            Seen::LogFileMissing,
            String::new(),
            missing.len() as u64,
            format!(
                "{} log file(s) the digests list are not in the input ({}{}): their events are \
                 missing from every answer over these logs",
                missing.len(),
                names.join(", "),
                if missing.len() > 3 { ", …" } else { "" }
            ),
            vec![place(*first_origin)],
        ));
    }
    (summary, findings)
}

fn finding(
    d: &Digest,
    seen: Seen,
    target: String,
    count: u64,
    note: String,
    evidence: Vec<Place>,
) -> Finding {
    let kind = FindingKind::Seen(seen);
    Finding {
        time: d.end,
        store: "cloudtrail",
        kind,
        what: kind.describe(),
        target,
        operation: None,
        outcome: None,
        reason: None,
        identity: None,
        source_address: None,
        count,
        note,
        evidence,
    }
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
