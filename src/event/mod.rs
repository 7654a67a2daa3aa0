//! The normalized event model every store's records become.
//!
//! A store's parser decodes each record into a [`RawEvent`], which borrows
//! the record's text; a scan keeps the ones a query wants as owned
//! [`Event`]s (shared strings, a packed request key: a broad `--regex` or
//! `--depth 2` query can keep hundreds of thousands); pairing merges a
//! request's halves into one `Event` and sets its [`Outcome`]. Queries and
//! reports work on `Event`s only.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

mod kinds;
mod timestamp;

pub(crate) use kinds::{Action, ErrorKind, IdSource, Outcome, Provider, ReadKind, Scope, Stage};
pub(crate) use timestamp::Timestamp;

/// Who made a request, as far as the log can tell.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    /// Stable key, per store (see `IdSource`, each store's module and
    /// README "Identities"), else `unknown`.
    pub id: String,
    pub id_source: IdSource,
    /// Human label: the display name, user name or e-mail as logged.
    pub label: String,
    /// Where the identity lives (`aws` for SSM readers too).
    pub provider: Provider,
    pub metadata: BTreeMap<String, String>,
    pub policies: Vec<String>,
}

/// Where a record is: file index into the run's file list, 1-based line
/// number where it starts, and for records inside a container document
/// (a CloudTrail delivery, a JSON array) their 0-based index in its array.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Origin {
    pub file: u32,
    pub line: u64,
    pub record: Option<u32>,
}

/// Pairs a request line with its response line. Vault request ids are UUIDs,
/// packed into a `u128`; anything else is kept as text. Lines without an id
/// cannot be paired and get a key unique to their position.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestKey {
    Uuid(u128),
    Text(Box<str>),
    Unpaired(Origin),
}

impl RequestKey {
    pub fn from_id(id: &str, origin: Origin) -> RequestKey {
        if id.is_empty() {
            return RequestKey::Unpaired(origin);
        }
        match parse_uuid(id) {
            Some(n) => RequestKey::Uuid(n),
            None => RequestKey::Text(id.into()),
        }
    }

    /// The id as logged, for evidence; `None` when the line had none.
    pub fn display(&self) -> Option<String> {
        match self {
            RequestKey::Uuid(n) => Some(format_uuid(*n)),
            RequestKey::Text(s) => Some(s.to_string()),
            RequestKey::Unpaired(_) => None,
        }
    }
}

/// `8-4-4-4-12` lowercase hex only: anything else round-trips as text, so the
/// evidence always shows the id exactly as logged.
fn parse_uuid(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let mut n: u128 = 0;
    for (i, &c) in b.iter().enumerate() {
        if [8, 13, 18, 23].contains(&i) {
            continue;
        }
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        n = (n << 4) | u128::from(d);
    }
    Some(n)
}

fn format_uuid(n: u128) -> String {
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// How a read by filter (a batch that returned whatever secrets matched)
/// is shown where a secret's name would be: `filter tag-key=prod`.
pub(crate) const FILTER_PREFIX: &str = "filter ";

/// Whether a name, as a read shows it, is a filter (see [`FILTER_PREFIX`]),
/// not a secret.
pub(crate) fn is_filter_name(name: &str) -> bool {
    name.starts_with(FILTER_PREFIX)
}

/// Who made a request, as one record tells it.
#[derive(Debug, Default)]
pub struct Caller<'a> {
    pub id: Cow<'a, str>,
    pub id_source: Option<IdSource>,
    pub label: Cow<'a, str>,
    pub metadata: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub policies: Vec<Cow<'a, str>>,
}

impl<'a> Caller<'a> {
    /// A caller known by one name, its id and label alike.
    pub fn by_id(
        id: Cow<'a, str>,
        id_source: IdSource,
        metadata: Vec<(Cow<'a, str>, Cow<'a, str>)>,
        policies: Vec<Cow<'a, str>>,
    ) -> Caller<'a> {
        Caller {
            label: id.clone(),
            id,
            id_source: Some(id_source),
            metadata,
            policies,
        }
    }

    pub fn id_source(&self) -> IdSource {
        self.id_source.unwrap_or(IdSource::Unknown)
    }
}

/// One event of a secret store (a read, list, write… or an attempt at
/// one) as one record tells it, borrowing the record's text.
#[derive(Debug)]
pub struct RawEvent<'a> {
    pub provider: Provider,
    pub action: Action,
    /// What a read exposed; `None` when no value left the store (a list of
    /// names, metadata, a write).
    pub kind: Option<ReadKind>,
    pub scope: Scope,
    pub operation: Cow<'a, str>,
    pub stage: Stage,
    pub time: Timestamp,
    /// What pairs or deduplicates records of one request (a store's
    /// request or event id).
    pub request_id: Cow<'a, str>,
    pub error: ErrorKind,
    /// Why it failed, as logged (an error message or code); `None` on success.
    pub reason: Option<Cow<'a, str>>,
    /// The secret in the store's canonical spelling (see [`Event::secret`]);
    /// empty when the event names none (an account-wide list).
    pub secret: Cow<'a, str>,
    /// The name it is grouped under, when that differs (see [`Event::logical`]).
    pub logical: Option<Cow<'a, str>>,
    /// Another spelling a query may use for the same reference (an AWS ARN
    /// ending in `-` and six characters that may be part of the name).
    pub alias: Option<Cow<'a, str>>,
    pub caller: Caller<'a>,
    pub credential: Option<Cow<'a, str>>,
    pub source_address: Option<Cow<'a, str>>,
    pub user_agent: Option<Cow<'a, str>>,
    /// The record holds secret material in clear (a Vault device that logs
    /// raw values, Kubernetes request or response bodies).
    pub raw_values: bool,
    /// The record holds client tokens in clear (a Vault device that logs
    /// raw values).
    pub raw_tokens: bool,
    /// The request creates the secret it names, if it succeeds (a
    /// Kubernetes create, an SSM put without overwrite, a Secrets Manager
    /// create): before it, the secret did not exist.
    pub creates: bool,
    /// Where the record was first read (`file:line`), for an event read
    /// back from whosaw's own export: cited beside the export's own place.
    pub cited: Option<Cow<'a, str>>,
}

/// One event a scan kept: a read (or attempted read) of a matching
/// secret's value, or for the timeline any event. Kept as each record
/// logged it (one per half of a request) until pairing merges the halves
/// into one and decides its [`Outcome`].
#[derive(Clone, Debug)]
pub struct Event {
    /// The request's id, as logged (formatted only when shown).
    pub key: RequestKey,
    pub provider: Provider,
    pub action: Action,
    /// What a read exposed; `None` when no value left the store.
    pub kind: Option<ReadKind>,
    pub scope: Scope,
    /// The operation as the store logged it.
    pub operation: Arc<str>,
    /// Which half of its request the record was; after pairing, the half
    /// that decided the outcome.
    pub stage: Stage,
    /// When the record was logged; after pairing, the response's time (when
    /// the value left the store), else the request's.
    pub time: Timestamp,
    /// When the request was last heard of: the latest time of any of its
    /// records (a watch's end). A wide read that ended before a secret
    /// existed cannot have returned it.
    pub end: Timestamp,
    /// What the record says went wrong.
    pub error: ErrorKind,
    /// How the request ended: decided by pairing ([`Outcome::Unknown`]
    /// until then).
    pub outcome: Outcome,
    /// Why it failed, as logged (after pairing: the deciding record's, else
    /// the request's).
    pub reason: Option<Arc<str>>,
    /// The secret in its store's canonical spelling (Vault: namespace path +
    /// request path as logged; wide reads: `prod/*`, `/prod/db/**`, `*`).
    pub secret: Arc<str>,
    /// The name it is grouped under when that differs: Vault's KV v2 logical
    /// name (`secret/x` for `secret/data/x`), Azure's lower-cased name, an
    /// Azure certificate for a read of its backing secret.
    pub logical: Option<Arc<str>>,
    pub identity: Arc<Identity>,
    /// The credential that made the request, as logged: a Vault token
    /// accessor (often HMAC'd), an AWS access key id.
    pub credential: Option<Arc<str>>,
    pub source_address: Option<Arc<str>>,
    pub user_agent: Option<Arc<str>>,
    /// The record: after pairing, the one that decided the outcome (the
    /// response, else the request).
    pub origin: Origin,
    /// The export's own id for the record (`_cd=…`, `_id=…`) when it came
    /// from a SIEM's export that gives one.
    pub export_id: Option<Arc<str>>,
    /// The request creates the secret (see [`RawEvent::creates`]).
    pub creates: bool,
    /// Its record held values, or tokens, in clear (a `log_raw` device,
    /// a Kubernetes body): what `exposures` names (see `Store::exposed`).
    pub values_in_clear: bool,
    pub tokens_in_clear: bool,
    /// Why this event does not count, though it matched (shown with
    /// `--evidence`); `None` for every event that counts.
    pub excluded: Option<Arc<str>>,
}

impl Event {
    /// The secret's name for grouping: KV v2 logical name when it has one, so
    /// `secret/data/x` and `secret/x` are one secret.
    pub fn secret_key(&self) -> &Arc<str> {
        self.logical.as_ref().unwrap_or(&self.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_round_trips_and_rejects_other_text() {
        let id = "002c8225-e859-44a0-9ccb-471c3655dbd8";
        let o = Origin {
            file: 0,
            line: 1,
            record: None,
        };
        let key = RequestKey::from_id(id, o);
        assert!(matches!(key, RequestKey::Uuid(_)));
        assert_eq!(key.display().as_deref(), Some(id));
        let upper = RequestKey::from_id("002C8225-E859-44A0-9CCB-471C3655DBD8", o);
        assert_eq!(
            upper.display().as_deref(),
            Some("002C8225-E859-44A0-9CCB-471C3655DBD8")
        );
        assert_eq!(RequestKey::from_id("", o), RequestKey::Unpaired(o));
    }
}
