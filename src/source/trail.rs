//! What a record tells of the audit trail itself, for `coverage`: when it
//! was written (every record counts, whatever it is about), which half of
//! a request it is, and whether it changes the trail (an audit device
//! disabled, a trail stopped, a root token generated). Each store reads
//! its own records for this (`About::trail`); the dispatcher is the one
//! `parse_record` uses.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::lenient::Str;
use super::{RecordError, from_json, record_time};
use crate::event::{ErrorKind, Stage, Timestamp};

/// A store's reader of records for the trail: calls `emit` once per record.
pub type Trail = fn(&str, &mut dyn FnMut(TrailRecord<'_>)) -> Result<(), RecordError>;

/// One record, as the trail sees it.
#[derive(Debug)]
pub struct TrailRecord<'a> {
    pub time: Timestamp,
    /// The request's id and this record's half, in a store that logs a
    /// request in halves (Vault): a request never answered is found by it.
    pub half: Option<(Cow<'a, str>, Stage)>,
    /// What the record does to the trail, if anything.
    pub change: Option<TrailChange<'a>>,
    /// The caller's token as this record's audit device hashed it (Vault).
    pub token: Option<TokenSeen<'a>>,
    /// A CloudTrail digest: the log files it vouches for, and the digest
    /// before it.
    pub digest: Option<Box<Digest>>,
}

/// A CloudTrail digest file's content (see `coverage`): what it says each
/// log file of its hour hashed to, and what the digest before it did.
#[derive(Clone, Debug)]
pub struct Digest {
    /// Its own S3 bucket and object.
    pub bucket: String,
    pub object: String,
    pub end: Timestamp,
    /// `digestEndTime` as written: what its signature signs.
    pub end_text: String,
    /// The fingerprint of the public key its signature verifies with.
    pub fingerprint: String,
    pub log_files: Vec<(String, String)>,
    /// The previous digest's S3 object and SHA-256 (hex), absent for the
    /// first digest of a trail.
    pub previous: Option<(String, String)>,
    /// The previous digest's signature (hex), which this digest carries.
    pub previous_signature: Option<String>,
}

impl<'a> TrailRecord<'a> {
    /// A record that only counts: its time.
    pub fn at(time: Timestamp) -> TrailRecord<'a> {
        TrailRecord {
            time,
            half: None,
            change: None,
            token: None,
            digest: None,
        }
    }
}

/// A change to the trail, or a use of what guards it.
#[derive(Debug)]
pub struct TrailChange<'a> {
    pub kind: ChangeKind,
    /// What it changes: an audit device's path, a trail's name, a sink.
    pub target: Cow<'a, str>,
    /// The operation as logged (`delete`, `StopLogging`).
    pub operation: Cow<'a, str>,
    /// What the record says of its outcome (a Vault request half: what the
    /// request says, `None` until its response tells).
    pub error: ErrorKind,
    pub reason: Option<Cow<'a, str>>,
    /// Who asked, as the store names them.
    pub identity: Cow<'a, str>,
    pub source_address: Option<Cow<'a, str>>,
    /// A bucket the change names as a trail's (CloudTrail's `CreateTrail`
    /// and `UpdateTrail`): changes to that bucket are then the trail's.
    pub trail_bucket: Option<Cow<'a, str>>,
}

/// What a trail change is. The first group stops or starts what writes a
/// trail (see [`ChangeKind::effect`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Vault: an audit device disabled (`delete sys/audit/<path>`).
    AuditDeviceDisabled,
    /// Vault: an audit device enabled or changed (`sys/audit/<path>`).
    AuditDeviceEnabled,
    /// CloudTrail: `StopLogging`.
    TrailStopped,
    /// CloudTrail: `StartLogging`.
    TrailStarted,
    /// CloudTrail: `DeleteTrail`.
    TrailDeleted,
    /// CloudTrail Lake: `DeleteEventDataStore`.
    EventDataStoreDeleted,
    /// Google Cloud: a log sink deleted.
    SinkDeleted,
    /// Azure: a diagnostic setting deleted (a vault's AuditEvent log no
    /// longer sent where it was).
    DiagnosticSettingDeleted,
    /// CloudTrail: `CreateTrail`, `UpdateTrail`, `PutEventSelectors`,
    /// `PutInsightSelectors`: what the trail records may have changed.
    TrailChanged,
    /// CloudTrail: a trail bucket's policy or lifecycle changed.
    TrailBucketChanged,
    /// Azure: a diagnostic setting created or changed.
    DiagnosticSettingWritten,
    /// Google Cloud: a log sink created or changed.
    SinkChanged,
    /// Google Cloud: a log exclusion created, changed or deleted.
    ExclusionChanged,
    /// Google Cloud: Data Access audit logging changed (`SetIamPolicy`
    /// with `auditConfigs`).
    AuditConfigChanged,
    /// Vault: which request headers are audited changed.
    AuditHeadersChanged,
    /// Vault: `sys/audit-hash`: a value's HMAC asked of a device.
    AuditHash,
    /// Vault: a root token generation started, progressed or cancelled.
    RootGeneration,
    /// Vault: a root token generation completed: a new root token exists.
    RootTokenGenerated,
    /// Vault: the unseal or recovery keys were rekeyed.
    Rekey,
    /// Vault: sealed.
    Seal,
    /// Vault: an unseal key share given.
    Unseal,
}

/// What a change does to the trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The trail of its target stops being written.
    Stops,
    /// Its target's trail is written again.
    Starts,
    /// Neither: worth knowing, not a gap.
    Noted,
}

impl ChangeKind {
    pub fn effect(self) -> Effect {
        match self {
            ChangeKind::AuditDeviceDisabled
            | ChangeKind::TrailStopped
            | ChangeKind::TrailDeleted
            | ChangeKind::EventDataStoreDeleted
            | ChangeKind::SinkDeleted
            | ChangeKind::DiagnosticSettingDeleted => Effect::Stops,
            ChangeKind::AuditDeviceEnabled
            | ChangeKind::TrailStarted
            | ChangeKind::DiagnosticSettingWritten => Effect::Starts,
            _ => Effect::Noted,
        }
    }

    /// How the table names it.
    pub fn describe(self) -> &'static str {
        match self {
            ChangeKind::AuditDeviceDisabled => "audit device disabled",
            ChangeKind::AuditDeviceEnabled => "audit device enabled or changed",
            ChangeKind::TrailStopped => "trail stopped logging",
            ChangeKind::TrailStarted => "trail started logging",
            ChangeKind::TrailDeleted => "trail deleted",
            ChangeKind::EventDataStoreDeleted => "event data store deleted",
            ChangeKind::SinkDeleted => "log sink deleted",
            ChangeKind::DiagnosticSettingDeleted => "diagnostic setting deleted",
            ChangeKind::DiagnosticSettingWritten => "diagnostic setting created or changed",
            ChangeKind::TrailChanged => "trail settings changed",
            ChangeKind::TrailBucketChanged => "trail bucket policy or lifecycle changed",
            ChangeKind::SinkChanged => "log sink created or changed",
            ChangeKind::ExclusionChanged => "log exclusion changed",
            ChangeKind::AuditConfigChanged => "Data Access audit config changed",
            ChangeKind::AuditHeadersChanged => "audited request headers changed",
            ChangeKind::AuditHash => "a value's HMAC asked of the audit device",
            ChangeKind::RootGeneration => "root token generation",
            ChangeKind::RootTokenGenerated => "root token generated",
            ChangeKind::Rekey => "rekey",
            ChangeKind::Seal => "sealed",
            ChangeKind::Unseal => "unseal key given",
        }
    }
}

/// A token as one record's audit device hashed it, with what identifies
/// the token whatever the device (who it was issued to, and when).
#[derive(Debug)]
pub struct TokenSeen<'a> {
    pub hmac: Cow<'a, str>,
    pub issued_to: Cow<'a, str>,
    pub issued_at: Cow<'a, str>,
}

/// The time fields some stores' records keep at their top level.
#[derive(Deserialize)]
struct Times<'a> {
    #[serde(borrow, default)]
    time: Str<'a>,
    #[serde(rename = "stageTimestamp", borrow, default)]
    stage: Str<'a>,
    #[serde(rename = "requestReceivedTimestamp", borrow, default)]
    received: Str<'a>,
    #[serde(borrow, default)]
    timestamp: Str<'a>,
}

/// A record that only counts, timed by its top-level `time` (Azure,
/// whosaw's rows).
pub(crate) fn timed_by_time(
    text: &str,
    emit: &mut dyn FnMut(TrailRecord<'_>),
) -> Result<(), RecordError> {
    let t: Times<'_> = from_json(text)?;
    emit(TrailRecord::at(record_time(t.time.get())?));
    Ok(())
}

/// A Kubernetes event, timed as its reads are: the stage's time, else
/// when the request was received, else the old `timestamp`.
pub(crate) fn timed_by_stage(
    text: &str,
    emit: &mut dyn FnMut(TrailRecord<'_>),
) -> Result<(), RecordError> {
    let t: Times<'_> = from_json(text)?;
    let time = [&t.stage, &t.received, &t.timestamp]
        .into_iter()
        .find_map(|t| t.get());
    emit(TrailRecord::at(record_time(time)?));
    Ok(())
}
