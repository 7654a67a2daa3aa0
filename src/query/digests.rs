//! CloudTrail's digest files, checked (`coverage`): each digest lists the
//! log files its trail delivered in its hour with their SHA-256, and the
//! SHA-256 of the digest before it. A log file of the input whose hash
//! differs was changed after delivery; a listed one missing from the input
//! takes its events out of every answer; a previous digest whose hash
//! differs breaks the chain. A digest's own signature is kept in its S3
//! object's metadata, but the next digest carries it: with the region's
//! public keys (`aws cloudtrail list-public-keys`), every digest but the
//! last of a chain has its signature checked.

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
    /// Digest signatures checked with the public keys given, and how many
    /// held.
    pub signatures_checked: u64,
    pub signatures_valid: u64,
    pub signatures_invalid: u64,
    pub signatures: String,
}

/// The region's public keys (`aws cloudtrail list-public-keys`), by
/// fingerprint.
pub(crate) type PublicKeys = BTreeMap<String, rsa::RsaPublicKey>;

/// Reads `aws cloudtrail list-public-keys` output: `{"PublicKeyList":
/// [{"Fingerprint", "Value" (base64 of the DER of a PKCS#1 key)}]}`.
pub(crate) fn public_keys(text: &str) -> Result<PublicKeys, String> {
    use base64::Engine;
    use rsa::pkcs1::DecodeRsaPublicKey;
    #[derive(serde::Deserialize)]
    struct List {
        #[serde(rename = "PublicKeyList")]
        keys: Vec<Key>,
    }
    #[derive(serde::Deserialize)]
    struct Key {
        #[serde(rename = "Fingerprint")]
        fingerprint: String,
        #[serde(rename = "Value")]
        value: String,
    }
    let list: List = serde_json::from_str(text)
        .map_err(|e| format!("not the output of `aws cloudtrail list-public-keys` ({e})"))?;
    list.keys
        .into_iter()
        .map(|k| {
            let der = base64::engine::general_purpose::STANDARD
                .decode(k.value.trim())
                .map_err(|e| format!("key {}: not base64 ({e})", k.fingerprint))?;
            let key = rsa::RsaPublicKey::from_pkcs1_der(&der)
                .map_err(|e| format!("key {}: not an RSA public key ({e})", k.fingerprint))?;
            Ok((k.fingerprint.to_ascii_lowercase(), key))
        })
        .collect()
}

/// Whether `signature` (hex) is `d`'s, whose file hashes to `sha256`:
/// SHA256withRSA over the string CloudTrail signs.
fn signed(d: &Digest, sha256: &str, signature: &str, key: &rsa::RsaPublicKey) -> bool {
    use sha2::Digest as _;
    let Ok(signature) = hex::decode(signature.trim()) else {
        return false;
    };
    // A first digest's previous signature is the text `null`.
    let previous = d.previous_signature.as_deref().unwrap_or("null");
    let text = format!(
        "{}\n{}/{}\n{sha256}\n{previous}",
        d.end_text, d.bucket, d.object
    );
    let hashed = sha2::Sha256::digest(text.as_bytes());
    key.verify(
        rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        &hashed,
        &signature,
    )
    .is_ok()
}

/// Checks `digests` against the input `files`; `sha256` gives an input's
/// SHA-256 (hex, of its content uncompressed), `None` when it cannot be read.
pub(crate) fn verify(
    digests: &[(Origin, Digest)],
    files: &[String],
    sha256: &dyn Fn(usize) -> Option<String>,
    keys: Option<&PublicKeys>,
) -> (DigestSummary, Vec<Finding>) {
    let mut summary = DigestSummary::default();
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
        // The previous digest's signature, which this one carries.
        if let (Some(keys), Some((previous, _)), Some(signature)) =
            (keys, &d.previous, &d.previous_signature)
            && let Some(&(before_origin, ref before)) = digests
                .iter()
                .find(|(_, b)| base_name(&b.object) == base_name(previous))
            && let Some(hash) = hash(before_origin.file as usize)
        {
            match keys.get(&before.fingerprint) {
                None => {}
                Some(key) => {
                    summary.signatures_checked += 1;
                    if signed(before, &hash, signature, key) {
                        summary.signatures_valid += 1;
                    } else {
                        summary.signatures_invalid += 1;
                        findings.push(finding(
                            before,
                            Seen::DigestSignatureInvalid,
                            files[before_origin.file as usize].clone(),
                            1,
                            "its signature (carried by the digest after it) does not verify \
                             with the region's public key: it is not the digest CloudTrail \
                             signed"
                                .to_string(),
                            vec![place(before_origin)],
                        ));
                    }
                }
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
    summary.signatures = match keys {
        None => "unchecked: give the region's public keys (`aws cloudtrail list-public-keys \
                 --start-time … --end-time … > keys.json`, then --cloudtrail-public-keys \
                 keys.json); the last digest of a chain carries no signature of its own \
                 (it is in its S3 metadata)"
            .to_string(),
        Some(_) => format!(
            "{} checked: {} valid, {} invalid; a digest is checked by the one after it, \
             with the key of its fingerprint",
            summary.signatures_checked, summary.signatures_valid, summary.signatures_invalid
        ),
    };
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
        store: super::coverage::store_name(crate::source::Source::CloudTrail),
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
