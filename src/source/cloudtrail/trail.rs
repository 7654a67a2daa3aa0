//! A CloudTrail record as the trail sees it (`coverage`): every record
//! counts, whatever its service; changes to the trails themselves (logging
//! stopped, a trail deleted or reconfigured, an event data store deleted)
//! and to a trail's bucket are told.

use super::Record;
use crate::source::prelude::*;
use crate::source::trail::{ChangeKind, Digest, TrailChange, TrailRecord};

/// A digest file (`CloudTrail-Digest/…json.gz`): one JSON object per file.
#[derive(Deserialize)]
struct DigestFile<'a> {
    #[serde(rename = "digestEndTime", borrow, default)]
    end: Str<'a>,
    #[serde(rename = "digestS3Bucket", borrow, default)]
    bucket: Str<'a>,
    #[serde(rename = "digestS3Object", borrow, default)]
    object: Str<'a>,
    #[serde(rename = "digestPublicKeyFingerprint", borrow, default)]
    fingerprint: Str<'a>,
    #[serde(rename = "previousDigestS3Object", borrow, default)]
    previous_object: Str<'a>,
    #[serde(rename = "previousDigestHashValue", borrow, default)]
    previous_hash: Str<'a>,
    #[serde(rename = "previousDigestSignature", borrow, default)]
    previous_signature: Str<'a>,
    #[serde(rename = "logFiles", borrow, default)]
    log_files: Vec<LogFile<'a>>,
}

#[derive(Deserialize)]
struct LogFile<'a> {
    #[serde(rename = "s3Object", borrow, default)]
    object: Str<'a>,
    #[serde(rename = "hashValue", borrow, default)]
    hash: Str<'a>,
}

/// Whether a record is a digest file's (see `super::is_digest`).
fn digest(text: &str) -> Result<Digest, RecordError> {
    let d: DigestFile<'_> = from_json(text)?;
    let end = record_time_utc(d.end.get())?;
    let owned = |s: &Str<'_>| s.get().unwrap_or("").to_string();
    Ok(Digest {
        bucket: owned(&d.bucket),
        object: owned(&d.object),
        end,
        end_text: owned(&d.end),
        fingerprint: owned(&d.fingerprint).to_ascii_lowercase(),
        log_files: d
            .log_files
            .iter()
            .map(|f| (owned(&f.object), owned(&f.hash).to_ascii_lowercase()))
            .collect(),
        previous: match (d.previous_object.get(), d.previous_hash.get()) {
            (Some(o), Some(h)) if !o.is_empty() => Some((o.to_string(), h.to_ascii_lowercase())),
            _ => None,
        },
        previous_signature: d
            .previous_signature
            .get()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    })
}

pub(crate) fn trail_record(
    text: &str,
    emit: &mut dyn FnMut(TrailRecord<'_>),
) -> Result<(), RecordError> {
    if super::is_digest(text) {
        let d = digest(text)?;
        emit(TrailRecord {
            digest: Some(Box::new(d.clone())),
            ..TrailRecord::at(d.end)
        });
        return Ok(());
    }
    // The parser's own record, so both read the same fields.
    let mut r: Record<'_> = from_json(text)?;
    let params = r.params.0.take().unwrap_or_default();
    let response = r.response.0.take().unwrap_or_default();
    let identity = r.identity.0.take().unwrap_or_default();
    let (source, name) = r.service_call()?;
    let time = r.time()?;
    let kind = match (source, name) {
        ("cloudtrail.amazonaws.com", "StopLogging") => Some(ChangeKind::TrailStopped),
        ("cloudtrail.amazonaws.com", "StartLogging") => Some(ChangeKind::TrailStarted),
        ("cloudtrail.amazonaws.com", "DeleteTrail") => Some(ChangeKind::TrailDeleted),
        ("cloudtrail.amazonaws.com", "DeleteEventDataStore") => {
            Some(ChangeKind::EventDataStoreDeleted)
        }
        (
            "cloudtrail.amazonaws.com",
            "CreateTrail" | "UpdateTrail" | "PutEventSelectors" | "PutInsightSelectors",
        ) => Some(ChangeKind::TrailChanged),
        (
            "s3.amazonaws.com",
            "PutBucketPolicy"
            | "DeleteBucketPolicy"
            | "PutBucketLifecycle"
            | "PutBucketLifecycleConfiguration"
            | "DeleteBucketLifecycle",
        ) => Some(ChangeKind::TrailBucketChanged),
        _ => None,
    };
    let change = kind.map(|kind| {
        let target = [
            &params.name,
            &params.trail_name,
            &params.event_data_store,
            &params.bucket,
        ]
        .into_iter()
        .find_map(|t| t.0.clone())
        .unwrap_or(Cow::Borrowed(""));
        let error = match r.error_code.get() {
            None | Some("") => ErrorKind::None,
            Some(code) if code.contains("AccessDenied") || code.contains("Unauthorized") => {
                ErrorKind::Denied
            }
            Some(_) => ErrorKind::Other,
        };
        let principal = identity.principal_id;
        TrailChange {
            kind,
            target: trail_name(target),
            operation: Cow::Borrowed(name),
            error,
            reason: r
                .error_code
                .0
                .clone()
                .filter(|c| !c.is_empty())
                .map(|code| match r.error_message.get() {
                    Some(m) if !m.is_empty() => Cow::Owned(format!("{code}: {m}")),
                    _ => code,
                }),
            identity: [identity.arn, identity.invoked_by, principal]
                .into_iter()
                .find_map(|s| s.0.filter(|s| !s.is_empty()))
                .unwrap_or(Cow::Borrowed("(no identity logged)")),
            source_address: r.source_ip.0.clone().filter(|a| !a.is_empty()),
            trail_bucket: params.trail_bucket.0.or(response.trail_bucket.0),
        }
    });
    emit(TrailRecord {
        change,
        ..TrailRecord::at(time)
    });
    Ok(())
}

/// A trail named by its ARN or by its name: its name, so that stopping
/// one way and starting the other are paired.
fn trail_name(target: Cow<'_, str>) -> Cow<'_, str> {
    match target.rsplit_once(":trail/") {
        Some((_, name)) => Cow::Owned(name.to_string()),
        None => target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_changes_are_told_and_other_records_only_count() {
        let stop = r#"{"eventTime":"2025-03-15T02:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","userIdentity":{"arn":"arn:aws:iam::1:user/mallory"},"requestParameters":{"name":"arn:aws:cloudtrail:us-east-1:1:trail/main"}}"#;
        let mut seen = Vec::new();
        trail_record(stop, &mut |r| {
            let c = r.change.unwrap();
            seen.push((c.kind, c.target.into_owned(), c.identity.into_owned()));
        })
        .unwrap();
        assert_eq!(
            seen,
            [(
                ChangeKind::TrailStopped,
                "main".to_string(),
                "arn:aws:iam::1:user/mallory".to_string()
            )]
        );
        let ec2 = r#"{"eventTime":"2025-03-15T02:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","requestParameters":null}"#;
        let mut n = 0;
        trail_record(ec2, &mut |r| {
            assert!(r.change.is_none());
            n += 1;
        })
        .unwrap();
        assert_eq!(n, 1);
    }
}
