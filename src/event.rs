//! The normalized model every log source is turned into: one [`Entry`] per
//! audit line that reads a secret value, and the [`Identity`] behind it.
//!
//! Entries are kept small (shared strings, a packed request key) because a
//! broad `--regex` or `--depth 2` query can collect hundreds of thousands.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

/// A point in time, UTC, and how it is written. The instant is kept as
/// nanoseconds since the Unix epoch (1677–2262, which is every audit log
/// there will ever be), so sorting and window checks are cheap and
/// fractional seconds are never rounded away. A time read from a log also
/// keeps how many fractional digits the log wrote (0–9: Azure's 7, Vault's
/// 6 or 9, CloudTrail's 0), so it prints as precise as its source, no more,
/// no less.
///
/// Equality, order and hashing look at the instant only: `…:12.5Z` and
/// `…:12.500Z` are the same time.
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    nanos: i64,
    /// Fractional digits as logged (0–9), or [`Timestamp::COMPUTED`].
    digits: u8,
}

impl Timestamp {
    /// The digit count of a time whosaw computed itself (a window bound):
    /// printed with as many digits as needed (0, 3, 6 or 9).
    const COMPUTED: u8 = u8::MAX;

    /// A time whosaw computed itself (`--since 6h`, a window bound).
    pub const fn from_nanos(nanos: i64) -> Self {
        Timestamp {
            nanos,
            digits: Self::COMPUTED,
        }
    }

    /// A time as a log wrote it, with `digits` fractional digits (more than
    /// 9 are kept as 9: the instant has no more).
    pub const fn logged(nanos: i64, digits: u8) -> Self {
        Timestamp {
            nanos,
            digits: if digits > 9 { 9 } else { digits },
        }
    }

    /// A time whosaw computed; `None` outside 1677–2262.
    pub fn from_datetime(dt: DateTime<Utc>) -> Option<Self> {
        dt.timestamp_nanos_opt().map(Self::from_nanos)
    }

    /// Nanoseconds since the Unix epoch.
    pub const fn nanos(self) -> i64 {
        self.nanos
    }

    /// The fractional digits the log wrote; `None` for a computed time.
    pub fn digits(self) -> Option<u8> {
        (self.digits != Self::COMPUTED).then_some(self.digits)
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(self.nanos)
    }

    /// RFC 3339 in UTC with `Z`: a logged time with exactly the fractional
    /// digits its log wrote (`.2681600Z` stays `.2681600Z`), a computed one
    /// with as many as needed (0, 3, 6 or 9).
    pub fn rfc3339(self) -> String {
        let dt = self.to_datetime();
        let Some(digits) = self.digits() else {
            return dt.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        };
        let mut text = dt.to_rfc3339_opts(SecondsFormat::Secs, true);
        if digits > 0 {
            // The instant's nanoseconds cut to the logged digits (those
            // beyond them are zero: the log did not write them).
            text.pop(); // the `Z`
            let nanos = self.nanos.rem_euclid(1_000_000_000);
            let fraction = nanos / 10_i64.pow(9 - u32::from(digits));
            let width = usize::from(digits);
            let _ = write!(text, ".{fraction:0width$}Z");
        }
        text
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.nanos.hash(state);
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// As its RFC 3339 text (see [`Timestamp::rfc3339`]).
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The secret store a record came from; also the prefix of a qualified
/// query (`aws:prod/db-password`). SSM Parameter Store is its own store: its
/// names are paths of their own, read by AWS identities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Provider {
    Vault,
    Aws,
    Ssm,
    Azure,
    Gcp,
    K8s,
}

impl Provider {
    pub const ALL: [Provider; 6] = [
        Provider::Vault,
        Provider::Aws,
        Provider::Ssm,
        Provider::Azure,
        Provider::Gcp,
        Provider::K8s,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Vault => "vault",
            Provider::Aws => "aws",
            Provider::Ssm => "ssm",
            Provider::Azure => "azure",
            Provider::Gcp => "gcp",
            Provider::K8s => "k8s",
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// Where the identities reading this store live (SSM readers are AWS
    /// principals).
    pub fn realm(self) -> Provider {
        match self {
            Provider::Ssm => Provider::Aws,
            p => p,
        }
    }
}

/// What an event did, in every store's terms: the `--action` filter and the
/// timeline's `action` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
// `--action` lists the names alone: the comments here are not its help.
pub enum Action {
    /// Read a secret's value (or tried to).
    #[value(help = None::<&str>)]
    Read,
    /// Listed names (Vault `list`, `ListSecrets`, a Kubernetes `list`, which
    /// also returns values: see `ReadKind`).
    #[value(help = None::<&str>)]
    List,
    /// Read what is known about a secret but not its value (KV v2
    /// `metadata/`, `DescribeSecret`).
    #[value(help = None::<&str>)]
    Metadata,
    /// Created or changed a secret, its value, versions, tags or policy.
    #[value(help = None::<&str>)]
    Write,
    Delete,
    /// Anything else the store logged (logins, `sys/` calls, key operations).
    #[value(help = None::<&str>)]
    Other,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Read,
        Action::List,
        Action::Metadata,
        Action::Write,
        Action::Delete,
        Action::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::List => "list",
            Action::Metadata => "metadata",
            Action::Write => "write",
            Action::Delete => "delete",
            Action::Other => "other",
        }
    }
}

/// What a read exposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadKind {
    /// The secret's value.
    Value,
    /// An SSM parameter read without decryption: a SecureString stays
    /// encrypted, a plain String is exposed anyway (the log does not say).
    Undecrypted,
    /// A read that returned secrets the log does not name (a
    /// `BatchGetSecretValue` with filters): possibly this one.
    Possible,
}

impl ReadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadKind::Value => "value",
            ReadKind::Undecrypted => "undecrypted",
            ReadKind::Possible => "possible",
        }
    }
}

/// How many secrets one read covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The one secret named.
    One,
    /// Every secret directly under a prefix (a Kubernetes namespace list,
    /// SSM `GetParametersByPath` without `recursive`).
    Children,
    /// Every secret under a prefix, at any depth.
    Descendants,
    /// Every secret of the store (a cluster-wide list, a filtered batch).
    All,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::One => "one",
            Scope::Children => "children",
            Scope::Descendants => "descendants",
            Scope::All => "all",
        }
    }
}

/// How one access ended. Only `Success` means the log proves the store
/// answered: for a read, that the value left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
// `--outcome`'s help is written for users, not taken from the comments.
pub enum Outcome {
    Success,
    Denied,
    /// The store said the secret does not exist (HTTP 404, `NOT_FOUND`,
    /// `ResourceNotFoundException`).
    #[value(
        name = "not_found",
        help = "The secret does not exist (a 404, NOT_FOUND)"
    )]
    NotFound,
    /// The store answered without error but returned nothing (a Vault read
    /// whose response holds no data).
    #[value(
        name = "no_value",
        help = "Answered without a value (a Vault read with no data)"
    )]
    NoValue,
    Error,
    /// The request was logged but no response ever was (crash, cut log).
    #[value(help = "A request that never got a response")]
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

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::NotFound => "not_found",
            Outcome::NoValue => "no_value",
            Outcome::Error => "error",
            Outcome::Unknown => "unknown",
        }
    }
}

/// Which half of a request/response pair a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Request,
    Response,
}

/// What one line says went wrong, before pairing decides the outcome.
/// Declared from least to most severe: of a request's two lines, the
/// greater decides (a denial, then another error, then a missing secret,
/// then an empty answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    None,
    /// An answer without error that carries no value (a Vault read response
    /// without data): only ever set on a response.
    NoValue,
    /// The secret does not exist (a 404, `NOT_FOUND`).
    NotFound,
    Other,
    Denied,
}

impl ErrorKind {
    /// The outcome of an answered request with this verdict.
    pub fn outcome(self) -> Outcome {
        match self {
            ErrorKind::None => Outcome::Success,
            ErrorKind::Denied => Outcome::Denied,
            ErrorKind::NotFound => Outcome::NotFound,
            ErrorKind::NoValue => Outcome::NoValue,
            ErrorKind::Other => Outcome::Error,
        }
    }
}

/// Which logged field an identity's id was taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdSource {
    Entity,
    Accessor,
    DisplayName,
    /// `token:` + the HMAC of a token no entity or accessor was logged for.
    Token,
    /// AWS `userIdentity.arn` (a session ARN for assumed roles).
    Arn,
    /// AWS `invokedBy`: a service acting on the account's behalf.
    Service,
    /// AWS `principalId`, when nothing better was logged.
    PrincipalId,
    /// Azure `oid` (object id), or `appid` when no oid was logged.
    ObjectId,
    AppId,
    /// Google `principalEmail`, or `principalSubject` (federated callers).
    Email,
    Subject,
    /// Kubernetes `user.username` (or the impersonated user's).
    Username,
    /// Nothing identified the caller.
    Unknown,
}

/// Who made a request, as far as the log can tell.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    /// Stable key, per source (see `IdSource` and README "Identities"): for
    /// Vault the entity id, else token accessor, else display name, else
    /// `token:` + the token's HMAC, else `unknown`.
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
/// (`{"Records":[…]}`, a JSON array) their 0-based index in its array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// One audit line a scan kept: a read (or attempted read) of a matching
/// secret's value, or for the timeline any event.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: RequestKey,
    pub provider: Provider,
    pub action: Action,
    /// What a read exposed; `None` when no value left the store.
    pub kind: Option<ReadKind>,
    pub scope: Scope,
    /// The operation as logged (`read`, `GetSecretValue`, `SecretBackup`, `list`…).
    pub operation: Arc<str>,
    pub stage: Stage,
    pub time: Timestamp,
    pub error: ErrorKind,
    /// Why it failed, as logged.
    pub reason: Option<Arc<str>>,
    /// The secret in its store's canonical spelling (Vault: namespace path +
    /// request path as logged; wide reads: `prod/*`, `/prod/db/**`, `*`).
    pub secret: Arc<str>,
    /// The name it is grouped under when that differs: Vault's KV v2 logical
    /// name (`secret/x` for `secret/data/x`), Azure's lower-cased name.
    pub logical: Option<Arc<str>>,
    pub identity: Arc<Identity>,
    /// The credential that made the request, as logged: a Vault token
    /// accessor (often HMAC'd), an AWS access key id.
    pub credential: Option<Arc<str>>,
    pub source_address: Option<Arc<str>>,
    pub user_agent: Option<Arc<str>>,
    pub origin: Origin,
    /// The request creates the secret (see `source::Event::creates`).
    pub creates: bool,
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

    #[test]
    fn timestamps_keep_their_fraction() {
        let t = crate::time::parse_log_time("2025-03-15T02:34:12.847Z").unwrap();
        assert_eq!(t.rfc3339(), "2025-03-15T02:34:12.847Z");
        let t = crate::time::parse_log_time("2018-04-09T21:04:29.6406536Z").unwrap();
        assert_eq!(t.rfc3339(), "2018-04-09T21:04:29.6406536Z");
    }

    #[test]
    fn logged_times_print_with_their_own_digit_count() {
        // One case per digit count, 0 to 9, trailing zeros included.
        for (text, digits) in [
            ("2024-04-02T08:20:49Z", 0),
            ("2024-04-02T08:20:49.2Z", 1),
            ("2024-04-02T08:20:49.20Z", 2),
            ("2024-04-02T08:20:49.268Z", 3),
            ("2024-04-02T08:20:49.2680Z", 4),
            ("2024-04-02T08:20:49.26816Z", 5),
            ("2024-04-02T08:20:49.000000Z", 6),
            ("2024-04-02T08:20:49.2681600Z", 7),
            ("2024-04-02T08:20:49.26816001Z", 8),
            ("2024-04-02T08:20:49.000000000Z", 9),
        ] {
            let t = crate::time::parse_log_time(text).unwrap();
            assert_eq!(t.digits(), Some(digits), "{text}");
            assert_eq!(t.rfc3339(), text, "{text}");
            assert_eq!(t.to_string(), text, "{text}");
        }
        // Offsets become UTC; the digits stay.
        let t = crate::time::parse_log_time("2024-04-02T10:20:49.2681600+02:00").unwrap();
        assert_eq!(t.rfc3339(), "2024-04-02T08:20:49.2681600Z");
        // Before 1970 the fraction still counts forward from the second.
        let t = crate::time::parse_log_time("1969-12-31T23:59:59.25Z").unwrap();
        assert_eq!(t.rfc3339(), "1969-12-31T23:59:59.25Z");
        // More than 9 digits: the instant holds nanoseconds, printed as 9.
        let t = crate::time::parse_log_time("2024-04-02T08:20:49.1234567891Z").unwrap();
        assert_eq!(t.rfc3339(), "2024-04-02T08:20:49.123456789Z");
        // `logged` clamps its digits the same way.
        assert_eq!(Timestamp::logged(5, 12).digits(), Some(9));
    }

    #[test]
    fn computed_times_print_as_many_digits_as_needed() {
        let at = |s: &str| crate::time::parse_log_time(s).unwrap().nanos();
        for (text, printed) in [
            ("2025-03-15T02:00:00.000Z", "2025-03-15T02:00:00Z"),
            ("2025-03-15T02:00:00.5Z", "2025-03-15T02:00:00.500Z"),
            (
                "2025-03-15T02:00:00.1234567Z",
                "2025-03-15T02:00:00.123456700Z",
            ),
        ] {
            let t = Timestamp::from_nanos(at(text));
            assert_eq!(t.digits(), None);
            assert_eq!(t.rfc3339(), printed);
        }
    }

    #[test]
    fn timestamps_compare_and_hash_by_instant_only() {
        use std::collections::HashSet;
        let short = crate::time::parse_log_time("2025-03-15T02:34:12.5Z").unwrap();
        let long = crate::time::parse_log_time("2025-03-15T02:34:12.500000000Z").unwrap();
        let computed = Timestamp::from_nanos(long.nanos());
        assert_eq!(short, long);
        assert_eq!(short, computed);
        assert_eq!(short.cmp(&long), std::cmp::Ordering::Equal);
        assert_ne!(short.rfc3339(), long.rfc3339());
        let set: HashSet<Timestamp> = [short, long, computed].into_iter().collect();
        assert_eq!(set.len(), 1);
        // Whole seconds sort before the same second with a fraction, whatever
        // the text says (`Z` sorts after `.` as a byte).
        let whole = crate::time::parse_log_time("2025-03-15T02:34:12Z").unwrap();
        assert!(whole < short);
        assert!(whole.rfc3339() > short.rfc3339());
    }
}
