//! The stores, as plug-ins: one module per kind of audit log, each turning
//! its records into [`RawEvent`]s and supplying what whosaw must know of
//! that store through the [`Store`] trait and its `About` (`store.rs`).
//! This module is the registry ([`Source::store`], [`store_of`]) and the
//! helpers every parser shares; `detect.rs` is the dispatcher: which store
//! a record comes from is decided by its content (the keys each store
//! claims), never by the file's name, and wrappers that carry a record are
//! opened and their content dispatched the same way.

use std::borrow::Cow;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::event::{ErrorKind, Timestamp};
use crate::time::{parse_log_time, parse_utc_log_time};
use lenient::Str;

pub(crate) mod azure;
pub(crate) mod cloudtrail;
mod detect;
pub(crate) mod gcp;
pub(crate) mod k8s;
pub(crate) mod lenient;
#[cfg(test)]
mod naming_tests;
mod prelude;
#[cfg(test)]
pub(crate) mod samples;
pub(crate) mod store;
pub(crate) mod trail;
pub(crate) mod vault;
pub(crate) mod whosaw;

pub(crate) use detect::{detect, member_of, parse_record, trail_record};

use crate::event::Provider;
use store::Store;

/// A kind of audit log, as detected (or forced with `--source`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Source {
    Vault,
    #[value(name = "cloudtrail")]
    CloudTrail,
    Azure,
    Gcp,
    K8s,
    /// whosaw's own export (`whosaw export`).
    Whosaw,
}

impl Source {
    /// In the order stores claim a record (see `detect`): whosaw's own
    /// rows, which carry their schema, first; Vault, whose claim is the
    /// loosest, last.
    pub const ALL: [Source; 6] = [
        Source::Whosaw,
        Source::CloudTrail,
        Source::Gcp,
        Source::K8s,
        Source::Azure,
        Source::Vault,
    ];

    /// The registry: each kind of log's plug-in. A new store is a module
    /// implementing [`Store`], a variant above, in `ALL`, and a line here.
    pub fn store(self) -> &'static dyn Store {
        match self {
            Source::Vault => &vault::Vault,
            Source::CloudTrail => &cloudtrail::CloudTrail,
            Source::Azure => &azure::Azure,
            Source::Gcp => &gcp::Gcp,
            Source::K8s => &k8s::K8s,
            Source::Whosaw => &whosaw::Whosaw,
        }
    }

    pub fn title(self) -> &'static str {
        self.store().about().title
    }
}

/// Every store's plug-in.
pub(crate) fn stores() -> impl Iterator<Item = &'static dyn Store> {
    Source::ALL.into_iter().map(Source::store)
}

/// Keys whose array holds records in some store's delivery or export.
/// (Gathered once: the scanner asks for them on every line.)
pub(crate) fn container_keys() -> &'static [&'static [u8]] {
    static KEYS: LazyLock<Vec<&'static [u8]>> = LazyLock::new(|| {
        stores()
            .flat_map(|s| s.about().container_keys.iter().map(|k| k.as_bytes()))
            .collect()
    });
    &KEYS
}

/// Keys that may open such a container before its records' key.
pub(crate) fn container_leads() -> &'static [&'static store::ContainerLead] {
    static LEADS: LazyLock<Vec<&'static store::ContainerLead>> =
        LazyLock::new(|| stores().flat_map(|s| s.about().container_leads).collect());
    &LEADS
}

/// The plug-in that speaks for `provider` (its names, its credentials).
/// (Looked up once per provider: the matcher asks for every record.)
pub(crate) fn store_of(provider: Provider) -> &'static dyn Store {
    static BY_PROVIDER: LazyLock<Vec<&'static dyn Store>> = LazyLock::new(|| {
        Provider::ALL
            .iter()
            .map(|p| {
                stores()
                    .find(|s| s.about().providers.contains(p))
                    .expect("every provider has a store")
            })
            .collect()
    });
    BY_PROVIDER[Provider::ALL
        .iter()
        .position(|p| *p == provider)
        .unwrap_or(0)]
}

/// Why a record could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum RecordError {
    NotJson(String),
    /// Valid JSON, but no known source's record.
    Unrecognised,
    /// A record of `Source` missing what every such record has.
    Invalid(Source, String),
    BadTime(String),
    /// `--source` asked for `wanted`; the record is of another source, or
    /// of none.
    OtherSource {
        wanted: Source,
        found: Option<Source>,
    },
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::NotJson(e) => write!(f, "not valid JSON ({e})"),
            RecordError::Unrecognised => {
                f.write_str("a JSON value, but not a record of any supported audit log")
            }
            RecordError::Invalid(source, why) => write!(f, "{}: {why}", source.title()),
            RecordError::BadTime(t) if t.is_empty() => {
                f.write_str("no time, or a time that is not text")
            }
            RecordError::BadTime(t) => write!(f, "unreadable time {t:?}"),
            RecordError::OtherSource { wanted, found } => {
                write!(f, "not a {} record", wanted.title())?;
                match found {
                    Some(found) => write!(f, " (it reads as {})", found.title()),
                    None => Ok(()),
                }
            }
        }
    }
}

/// serde_json's message without its position (the caller reports the line).
pub(crate) fn short_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

/// One record decoded into a store's declared fields (a parse error is
/// reported without serde's position: the caller reports the line).
pub(crate) fn from_json<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, RecordError> {
    serde_json::from_str(text).map_err(|e| RecordError::NotJson(short_error(&e)))
}

/// A number logged as a number or as a string of digits (`"403"`).
pub(crate) fn raw_int(raw: Option<&RawValue>) -> Option<i64> {
    raw.map(|r| r.get().trim_matches('"'))
        .and_then(|t| t.parse().ok())
}

/// A status object's `code` (Google's `status`, Kubernetes' `responseStatus`).
#[derive(Deserialize, Default)]
pub(crate) struct StatusCode<'a> {
    #[serde(borrow, default)]
    pub code: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub message: Str<'a>,
}

impl<'a> StatusCode<'a> {
    /// Why a request failed, as the status says: its message, unless the
    /// request succeeded (or the message is empty).
    pub(crate) fn reason(self, error: ErrorKind) -> Option<Cow<'a, str>> {
        match error {
            ErrorKind::None => None,
            _ => self.message.0.filter(|m| !m.is_empty()),
        }
    }
}

/// A record's time, which every read must have.
pub(crate) fn record_time(text: Option<&str>) -> Result<Timestamp, RecordError> {
    let text = text.unwrap_or("");
    parse_log_time(text).ok_or_else(|| RecordError::BadTime(text.into()))
}

/// A record's time in a source whose times are always UTC (CloudTrail):
/// as [`record_time`], and a time without a zone is UTC too.
pub(crate) fn record_time_utc(text: Option<&str>) -> Result<Timestamp, RecordError> {
    let text = text.unwrap_or("");
    parse_utc_log_time(text).ok_or_else(|| RecordError::BadTime(text.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry is whole: every kind of log has a plug-in with a title
    /// of its own, and every store name a query may use has exactly one
    /// plug-in speaking for it.
    #[test]
    fn every_provider_has_one_store_and_every_store_a_title() {
        let titles: std::collections::BTreeSet<&str> = stores().map(|s| s.about().title).collect();
        assert_eq!(titles.len(), Source::ALL.len(), "{titles:?}");
        assert!(!titles.contains(""));
        for provider in Provider::ALL {
            let speaking = stores()
                .filter(|s| s.about().providers.contains(&provider))
                .count();
            assert_eq!(speaking, 1, "{provider:?}");
        }
        // Every store's value reads can be found by their bytes.
        assert!(stores().all(|s| !s.about().read_needles.is_empty()));
    }

    #[test]
    fn sources_are_told_apart_by_their_keys() {
        let vault = r#"{"time":"2025-03-15T02:34:12Z","type":"request","request":{"operation":"list","path":"secret/"}}"#;
        assert_eq!(detect(vault), Ok(Source::Vault));
        assert_eq!(detect(&format!("audit: {vault}")), Ok(Source::Vault));
        let ct = r#"{"eventVersion":"1.09","eventTime":"2025-03-15T02:31:07Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}"#;
        assert_eq!(detect(ct), Ok(Source::CloudTrail));
        let lookup = format!(
            "{{\"EventId\":\"x\",\"CloudTrailEvent\":{}}}",
            serde_json::to_string(ct).unwrap()
        );
        assert_eq!(detect(&lookup), Ok(Source::CloudTrail));
        let k8s = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a","stage":"ResponseComplete","verb":"get","user":{"username":"u"},"objectRef":{"resource":"pods"},"requestReceivedTimestamp":"2025-03-15T02:31:07.000001Z","stageTimestamp":"2025-03-15T02:31:07.000002Z"}"#;
        assert_eq!(detect(k8s), Ok(Source::K8s));
        let aks = format!(
            "{{\"category\":\"kube-audit\",\"operationName\":\"x\",\"properties\":{{\"log\":{}}}}}",
            serde_json::to_string(k8s).unwrap()
        );
        assert_eq!(detect(&aks), Ok(Source::K8s));
        let eks = format!(
            "{{\"timestamp\":1,\"message\":{}}}",
            serde_json::to_string(k8s).unwrap()
        );
        assert_eq!(detect(&eks), Ok(Source::K8s));
        assert_eq!(detect(r#"{"name":"bob"}"#), Err(RecordError::Unrecognised));
        assert_eq!(
            detect(r#"{"message":"plain text"}"#),
            Err(RecordError::Unrecognised)
        );
        assert!(matches!(detect("{\"a\":"), Err(RecordError::NotJson(_))));
    }
}
