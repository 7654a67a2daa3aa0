//! The plug-in interface: everything whosaw knows of one store, supplied by
//! that store's module through the [`Store`] trait. The scanner, the
//! matcher and the queries ask a store through it and never name one;
//! `source::Source::store` is the registry.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use super::RecordError;
use super::trail::Trail;
use crate::event::{Event, IdSource, Identity, Provider, RawEvent, Scope};

/// What one store's module supplies: what it is ([`About`]), and how it
/// behaves where stores differ. Every method but `about`, `credential` and
/// `secret_hint` has a default that fits a store without the quirk it
/// describes.
pub trait Store: Sync {
    /// What the store is, as data.
    fn about(&self) -> &'static About;

    /// Whether a record, as raw bytes, is the request half of a pair whose
    /// response half tells all an answered read needs: such records are
    /// not even parsed when only answered reads are wanted.
    fn is_request_half(&self, _record: &[u8]) -> bool {
        false
    }

    /// The type of one record, for `-v`'s counts of a file's records by
    /// type (see [`About::counts_record_types`]); `None`
    /// for a record laid out otherwise than the store writes them.
    fn record_type<'r>(&self, _record: &'r [u8]) -> Option<&'r [u8]> {
        None
    }

    /// Where an identity's id stands in a raw record: the JSON key just
    /// before its value, and the value as written there. `None` when no
    /// single field holds it (records are then parsed to find it).
    fn id_field<'i>(&self, _source: IdSource, _id: &'i str) -> Option<(&'static str, &'i str)> {
        None
    }

    /// The store a query names by its own spelling (an ARN, a vault URL),
    /// if it is one of this module's.
    fn store_named_by(&self, _query: &str) -> Option<Provider> {
        None
    }

    /// The query's name in `provider`'s canonical spelling.
    fn query_name(&self, _provider: Provider, name: &str) -> StoreName {
        StoreName::plain(name)
    }

    /// Whether a record naming one secret (`Scope::One`) names the queried
    /// one: the same spelling, or an alias of either.
    fn names(&self, seen: &SecretRef<'_>, want: &StoreName) -> bool {
        let theirs = [Some(seen.secret), seen.alias];
        let ours = [Some(want.name.as_str()), want.alias.as_deref()];
        theirs
            .iter()
            .flatten()
            .any(|t| ours.iter().flatten().any(|o| t == o))
    }

    /// Whether a record naming `seen` reads the secret backing the queried
    /// object (an Azure certificate's private key is readable as the
    /// secret of the same name).
    fn backs(&self, _seen: &SecretRef<'_>, _want: &StoreName) -> bool {
        false
    }

    /// Whether an event named `secret` and grouped under `key` is a read of
    /// a backing secret kept under the object it backs (see
    /// [`Store::backs`]).
    fn is_backing_read(&self, _secret: &str, _key: &str) -> bool {
        false
    }

    /// What to search raw records for to find those that may name the
    /// query's secret in `provider`. `None` when no search is safe (every
    /// record must then be parsed).
    fn name_needles(&self, _p: Provider, want: &StoreName, out: &mut NameNeedles) -> Option<()> {
        out.add_spellings(want)
    }

    /// When a query names only this store: a sharper search for its name
    /// than [`Store::name_needles`] gives, if the store has one.
    fn only_store_search(&self, _want: &StoreName) -> Option<PathSearch> {
        None
    }

    /// After pairing: events the store logs twice for one access (AWS logs
    /// each secret of a batch read again on its own) are dropped here.
    fn after_pairing(&self, events: Vec<Event>) -> Vec<Event> {
        events
    }

    /// The kind of credential behind an identity of this store, and what to
    /// do at the source, from what the log tells of it.
    fn credential(&self, who: &Identity, keys: &Credentials) -> (CredentialKind, String);

    /// What a wide read of `prefix` (empty: everything) exposed, in the
    /// store's words (`namespace prod`); `None`: the prefix as it is.
    fn wide_read_scope(&self, _prefix: &str) -> Option<String> {
        None
    }

    /// How to replace a secret of `provider` named `target` (`logical`: its
    /// grouping name, when it differs).
    fn secret_hint(&self, provider: Provider, target: &str, logical: Option<&str>) -> String;

    /// Where in `record` (one of this store's) the `wanted` value sits:
    /// returned in a response, or sent in a request. Empty when the store's
    /// records carry no values (or only this record's caller's own
    /// credentials).
    fn sites(&self, _record: &str, _wanted: &Wanted) -> Vec<Site> {
        Vec::new()
    }

    /// What of value a record holds in clear, by name: the default is a
    /// record said to hold values (`RawEvent::raw_values`), the secret it
    /// names.
    fn exposed(&self, read: &Held<'_>) -> Vec<Exposure> {
        match read.values_in_clear {
            true => vec![Exposure::of_secret(ExposureKind::SecretValue, read)],
            false => Vec::new(),
        }
    }
}

/// What [`Store::exposed`] looks at: a record's read as parsed, or an
/// event as kept.
pub struct Held<'a> {
    pub stage: crate::event::Stage,
    pub secret: &'a str,
    pub logical: Option<&'a str>,
    pub caller_id: &'a str,
    pub credential: Option<&'a str>,
    pub values_in_clear: bool,
    pub tokens_in_clear: bool,
}

impl<'a> From<&'a RawEvent<'_>> for Held<'a> {
    fn from(read: &'a RawEvent<'_>) -> Held<'a> {
        Held {
            stage: read.stage,
            secret: &read.secret,
            logical: read.logical.as_deref(),
            caller_id: &read.caller.id,
            credential: read.credential.as_deref(),
            values_in_clear: read.raw_values,
            tokens_in_clear: read.raw_tokens,
        }
    }
}

impl<'a> From<&'a Event> for Held<'a> {
    fn from(e: &'a Event) -> Held<'a> {
        Held {
            stage: e.stage,
            secret: &e.secret,
            logical: e.logical.as_deref(),
            caller_id: &e.identity.id,
            credential: e.credential.as_deref(),
            values_in_clear: e.values_in_clear,
            tokens_in_clear: e.tokens_in_clear,
        }
    }
}

/// Something of value a record holds in clear, named (never its value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exposure {
    pub kind: ExposureKind,
    /// It is the secret's own value (not a caller's credential).
    pub of_secret: bool,
    /// The secret, path or identity it belongs to.
    pub name: String,
    /// The path as logged, when the name is another (KV v2's logical name).
    pub path: Option<String>,
}

impl Exposure {
    /// Of the secret `read` names: by the name queries group it under.
    pub fn of_secret(kind: ExposureKind, read: &Held<'_>) -> Exposure {
        Exposure {
            kind,
            of_secret: true,
            name: read.logical.unwrap_or(read.secret).to_string(),
            path: read.logical.is_some().then(|| read.secret.to_string()),
        }
    }

    /// Of an identity's own credential (`token of …`).
    pub fn of_identity(kind: ExposureKind, what: &str, read: &Held<'_>) -> Exposure {
        Exposure {
            kind,
            of_secret: false,
            name: format!("{what} of {}", read.caller_id),
            path: None,
        }
    }
}

/// What kind of value a log holds in clear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExposureKind {
    /// A secret's value (a KV read or write).
    SecretValue,
    /// A credential a secrets engine generated (`*/creds/*`), one per lease.
    DynamicCredential,
    /// A database connection's password (`database/config/*`).
    ConnectionPassword,
    /// A token: one returned (`auth/token/create`, a login, a wrapped
    /// answer), or a caller's own.
    Token,
    /// An AppRole secret id.
    SecretId,
    /// A token accessor in clear (`hmac_accessor=false`): it can look up
    /// and revoke its token, not use it.
    Accessor,
    /// A Kubernetes Secret's data, in a request or response body.
    K8sSecretData,
}

impl ExposureKind {
    /// `low` for what cannot be used as the secret itself.
    pub fn severity(self) -> &'static str {
        match self {
            ExposureKind::Accessor => "low",
            _ => "high",
        }
    }
}

/// A value looked for without being known (see [`Store::sites`]): its
/// HMAC as the log writes it, or the SHA-256 of the value itself, for logs
/// that hold values in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// A string the log holds exactly (`hmac-sha256:…`).
    Text(String),
    /// The SHA-256 of the value.
    Sha256([u8; 32]),
}

impl Wanted {
    /// Whether a string as logged is the value (or its HMAC).
    pub fn is(&self, logged: &str) -> bool {
        match self {
            Wanted::Text(text) => logged == text,
            Wanted::Sha256(_) => self.is_bytes(logged.as_bytes()),
        }
    }

    /// Whether bytes decoded from the log (a Kubernetes Secret's base64
    /// `data`) are the value.
    pub fn is_bytes(&self, value: &[u8]) -> bool {
        match self {
            Wanted::Text(text) => value == text.as_bytes(),
            Wanted::Sha256(digest) => {
                use sha2::Digest;
                sha2::Sha256::digest(value).as_slice() == digest
            }
        }
    }

    /// The text every record holding it holds, if the value is known by it.
    pub fn text(&self) -> Option<&str> {
        match self {
            Wanted::Text(text) => Some(text),
            Wanted::Sha256(_) => None,
        }
    }
}

/// Where a value sits in one record (see [`Store::sites`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Site {
    /// `response`: the store returned it; `request`: it was sent (written).
    pub half: &'static str,
    /// The member holding it, as a dotted path (`response.data.password`).
    pub member: String,
    /// The lease the response granted, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lease: Option<String>,
    /// The secret's version the response returned, if it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

/// Decodes one record of a store and calls `emit` for each event it holds
/// (a record may name several secrets). `Err(RecordError::Unrecognised)`
/// when the text is not that store's record at all.
pub type Parse = fn(&str, &mut dyn FnMut(RawEvent<'_>)) -> Result<(), RecordError>;

/// What a store is, as data (see [`Store::about`]).
pub struct About {
    /// What `-v` and errors call this kind of log.
    pub title: &'static str,
    /// Its records' parser.
    pub parse: Parse,
    /// Its records' reader for what they tell of the trail (`coverage`).
    pub trail: Trail,
    /// Text that every record stopping or starting its trail holds (an
    /// audit device's path, the trail service): questions look for these
    /// besides what they ask, to say when the trail was off.
    pub trail_needles: &'static [TrailNeedle],
    /// Which records are its own, by their top-level members: any group of
    /// marks that all hold claims the record (stores are asked in registry
    /// order).
    pub claims: &'static [&'static [Mark]],
    /// In a file detected as this store's, each record is parsed at once,
    /// without asking who claims it; a record failing with an error this
    /// says is not the store's is then probed after all. `None`: records
    /// are always probed first.
    pub parse_first: Option<fn(&RecordError) -> bool>,
    /// Its lines may hold text before the JSON (Vault's `prefix` option):
    /// such text is given to this store first.
    pub prefixed: bool,
    /// Records of this store that a wrapper carries inside (a JSON string
    /// in a field, a field of a member).
    pub wrappers: &'static [Wrapper],
    /// The stores (providers) it speaks for, in [`Provider::ALL`] order
    /// (AWS CloudTrail: Secrets Manager's and SSM's): their names, their
    /// identities' credentials.
    pub providers: &'static [Provider],
    /// The records' keys in a delivery or an export (`{"Records":[…]}`).
    pub container_keys: &'static [&'static str],
    /// Keys that may come before the records' key in such a container.
    pub container_leads: &'static [ContainerLead],
    /// Text that every record reading a value holds (operation names, a
    /// resource): records holding none of any store's are never parsed
    /// when a query wants reads of any secret. One pass over the input each.
    pub read_needles: &'static [&'static str],
    /// In a file of this store only: the word a value read holds as a
    /// JSON string (its operation), looked for record by record instead of
    /// every store's `read_needles`. `None`: the needles are used.
    pub read_word: Option<&'static str>,
    /// `-v` counts a file's records by type (see [`Store::record_type`]).
    pub counts_record_types: bool,
    /// Every credential kind [`Store::credential`] can give.
    pub credential_kinds: &'static [CredentialKind],
    /// How many records one request is logged as: what an export must
    /// keep of a request it sees only part of (see [`Halves`]).
    pub halves: Halves,
    /// Its records can be picked by the stores' needles before they are
    /// parsed. `false` for whosaw's own export, whose rows spell names as
    /// no store's raw records do: all of them are parsed.
    pub searchable: bool,
}

/// A word a record stopping or starting a trail holds, and the path
/// segment it must follow when it is too common alone (`audit` after
/// `sys/`, or `sys\/` as some re-exporters escape it; a Splunk export
/// names `/var/log/vault/audit.log` on every row).
#[derive(Debug)]
pub struct TrailNeedle {
    pub word: &'static str,
    pub after_segment: Option<&'static str>,
}

/// How many records a store logs one request as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Halves {
    /// One (CloudTrail, Azure, Google Cloud): a record is a whole request.
    One,
    /// A request and a response (Vault): whole when both are at hand.
    RequestAndResponse,
    /// Any number of stages (Kubernetes: a watch's last stage may come
    /// hours later, in another file): never known to be whole.
    Stages,
}

impl About {
    /// A store with none of the optional traits.
    pub const NONE: About = About {
        title: "",
        parse: |_, _| Err(RecordError::Unrecognised),
        trail: |_, _| Err(RecordError::Unrecognised),
        trail_needles: &[],
        claims: &[],
        parse_first: None,
        prefixed: false,
        wrappers: &[],
        providers: &[],
        container_keys: &[],
        container_leads: &[],
        read_needles: &[],
        read_word: None,
        counts_record_types: false,
        credential_kinds: &[],
        halves: Halves::One,
        searchable: true,
    };
}

/// What a record's top-level member must be for a store to claim it.
#[derive(Debug)]
pub enum Mark {
    /// Present (and not `null`).
    Key(&'static str),
    /// A string.
    Text(&'static str),
    /// This string.
    TextIs(&'static str, &'static str),
}

impl Mark {
    pub fn key(&self) -> &'static str {
        match *self {
            Mark::Key(key) | Mark::Text(key) | Mark::TextIs(key, _) => key,
        }
    }
}

/// Where a wrapper carries a store's record.
#[derive(Debug)]
pub enum Wrapper {
    /// As JSON text in this top-level member (`CloudTrailEvent`).
    Text(&'static str),
    /// In member `within`'s field `field`, when the top-level member
    /// `when.0` is a string starting with `when.1` (AKS: `category`
    /// `kube-audit…`, `properties.log`).
    Within {
        when: (&'static str, &'static str),
        within: &'static str,
        field: &'static str,
    },
}

/// A key that may open a container of records before its records' key
/// (see [`Store::container_leads`]).
#[derive(Debug)]
pub struct ContainerLead {
    pub key: &'static str,
    /// Text the container's first bytes must hold too, if any.
    pub with: Option<&'static str>,
}

/// The credentials an identity was seen using, as logged (token accessors,
/// access key ids).
pub type Credentials = BTreeSet<Arc<str>>;

/// The kind of credential behind an identity, as the JSON contract names it
/// (`vault-token-accessor`, `aws-role-sessions`…). Each store declares its
/// own as constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CredentialKind(pub &'static str);

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// A secret as one record names it.
#[derive(Clone, Copy, Debug)]
pub struct SecretRef<'a> {
    pub provider: Provider,
    /// The canonical spelling (wide reads: `prod/*`, `/prod/db/**`, `*`).
    pub secret: &'a str,
    /// The grouping name when it differs (Vault KV v2 logical name, Azure's
    /// lower-cased name).
    pub logical: Option<&'a str>,
    /// Another spelling a query may use (see [`RawEvent::alias`]).
    pub alias: Option<&'a str>,
    pub scope: Scope,
}

impl<'a> SecretRef<'a> {
    pub fn of(event: &'a RawEvent<'_>) -> SecretRef<'a> {
        SecretRef {
            provider: event.provider,
            secret: &event.secret,
            logical: event.logical.as_deref(),
            alias: event.alias.as_deref(),
            scope: event.scope,
        }
    }
}

#[cfg(test)]
impl<'a> SecretRef<'a> {
    /// A record naming `secret` as it is, with no other spelling.
    pub(crate) fn bare(provider: Provider, secret: &'a str, scope: Scope) -> SecretRef<'a> {
        SecretRef {
            provider,
            secret,
            logical: None,
            alias: None,
            scope,
        }
    }
}

/// The query's name in one store's spelling.
#[derive(Debug)]
pub struct StoreName {
    pub name: String,
    /// Another spelling of the same reference (an AWS name that may end in
    /// an ARN's random suffix).
    pub alias: Option<String>,
    /// The secret backing the named object (see [`Store::backs`]).
    pub backing: Option<String>,
}

impl StoreName {
    pub fn plain(name: &str) -> StoreName {
        StoreName {
            name: name.to_string(),
            alias: None,
            backing: None,
        }
    }
}

/// What the byte pre-filter searches raw records for, as the stores of a
/// query describe it; `matcher` turns it into searches.
#[derive(Debug, Default)]
pub struct NameNeedles {
    /// Spellings of the name (a hit is the last segment's literal tail,
    /// checked against the JSON string around it).
    pub spellings: Vec<String>,
    /// Literal text of reads that name no secret, or only a prefix.
    pub markers: Vec<&'static str>,
    /// Names (lower-cased literal tails) that follow `<segment>/` in a URL,
    /// in any case, per segment.
    pub url_names: Vec<(&'static str, String)>,
    /// Words a read of a whole collection writes as its resource
    /// (`"secrets"`, `secrets.list`, `/secrets/`).
    pub resource_words: Vec<&'static str>,
    /// Path segments a store may insert into a name without changing it
    /// (KV v2's `data`): left out when spellings are compared.
    pub ignored_segments: Vec<&'static str>,
}

impl NameNeedles {
    /// The name and its alias, as spellings. `None` when one ends in a
    /// character an encoder may escape (nothing literal to search for).
    pub fn add_spellings(&mut self, want: &StoreName) -> Option<()> {
        for spelling in std::iter::once(&want.name).chain(&want.alias) {
            literal_tail(last_segment(spelling))?;
            if !self.spellings.contains(spelling) {
                self.spellings.push(spelling.clone());
            }
        }
        Some(())
    }

    pub fn add_marker(&mut self, marker: &'static str) {
        if !self.markers.contains(&marker) {
            self.markers.push(marker);
        }
    }

    /// `name`'s literal tail after `<segment>/` in a URL.
    pub fn add_url_name(&mut self, segment: &'static str, name: &str) -> Option<()> {
        let tail = literal_tail(last_segment(name))?.to_ascii_lowercase();
        if !self.url_names.contains(&(segment, tail.clone())) {
            self.url_names.push((segment, tail));
        }
        Some(())
    }

    pub fn add_ignored_segment(&mut self, segment: &'static str) {
        if !self.ignored_segments.contains(&segment) {
            self.ignored_segments.push(segment);
        }
    }

    pub fn add_resource_word(&mut self, word: &'static str) {
        if !self.resource_words.contains(&word) {
            self.resource_words.push(word);
        }
    }
}

/// A search for paths that end like the query (any namespace before, KV
/// v2's `data` segment anywhere), for a store whose records name secrets
/// by such paths.
#[derive(Debug)]
pub struct PathSearch {
    /// The query's path.
    pub path: String,
    /// Segments that may be inserted anywhere without changing the name.
    pub ignored_segment: &'static str,
}

fn last_segment(spelling: &str) -> &str {
    spelling.rsplit('/').next().unwrap_or(spelling)
}

/// The end of `segment` made only of bytes that no JSON encoder escapes
/// (Go escapes `<>&`, .NET also `+'` and more, Gson `=`; Python non-ASCII):
/// letters, digits and `-_.:@,~%`. `None` when the segment ends otherwise.
pub(crate) fn literal_tail(segment: &str) -> Option<&str> {
    let start = segment
        .bytes()
        .rposition(|b| !is_literal_byte(b))
        .map_or(0, |p| p + 1);
    let tail = &segment[start..];
    (!tail.is_empty()).then_some(tail)
}

fn is_literal_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.:@,~%".contains(&b)
}
