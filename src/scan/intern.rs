//! Interning: the strings and identities of the events a scan keeps, one
//! copy each, in tables lent to the blocks of a scan in turn. The only place
//! a parsed [`RawEvent`] becomes an owned [`Event`], and where the scan
//! touches an event's fields.

use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::event::{Caller, Event, Identity, Origin, Outcome, Provider, RawEvent, RequestKey};
use crate::matcher::Match;

/// Shares repeated strings: a busy identity or secret shows up thousands of
/// times, and each copy would otherwise be its own allocation.
#[derive(Default)]
pub(super) struct Interner {
    strings: FxHashSet<Arc<str>>,
    /// Each id's versions per realm (see `identity`).
    identities: FxHashMap<Provider, FxHashMap<String, Vec<Arc<Identity>>>>,
}

/// The interning tables of one scan, lent to each block while it is
/// scanned and given back after: each table serves many blocks in turn (no
/// lock per record, no merge per block), and there are only as many tables
/// as blocks scanned at once (one per thread), so a scan keeps about one
/// copy of each string and identity per thread rather than one per block
/// (hundreds of MB on a broad query over a few GB). Only equal values are
/// shared, so which block gets which table changes nothing in the output.
#[derive(Default)]
pub(super) struct Shared {
    idle: Mutex<Vec<Interner>>,
}

impl Shared {
    pub(super) fn lend(&self) -> Interner {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default()
    }

    pub(super) fn give_back(&self, interner: Interner) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(interner);
    }
}

/// The identity a record's caller is, in its store's realm.
pub(crate) fn identity_of(caller: &Caller<'_>, realm: Provider) -> Identity {
    Identity {
        id: caller.id.to_string(),
        id_source: caller.id_source(),
        label: caller.label.to_string(),
        provider: realm,
        metadata: caller
            .metadata
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        policies: caller.policies.iter().map(|p| p.to_string()).collect(),
    }
}

/// The names a kept read is grouped under when its match renames it
/// (secret, logical); `None`: as logged.
pub(crate) fn renamed(found: Match, secret: &str) -> Option<(String, Option<String>)> {
    match found {
        Match::Named => None,
        // The queried name a wide read is kept under.
        Match::Covered(name) => Some((name, None)),
        // The backing secret actually read (lower-cased, as Azure groups
        // names), grouped under its certificate.
        Match::Backing(certificate) => Some((secret.to_ascii_lowercase(), Some(certificate))),
    }
}

/// Moves the entries' line numbers `base` lines further down.
pub(super) fn shift_lines(entries: &mut [Event], base: u64) {
    for e in entries {
        e.origin.line += base;
        if let RequestKey::Unpaired(o) = &mut e.key {
            o.line += base;
        }
    }
}

impl Interner {
    pub(super) fn string(&mut self, s: &str) -> Arc<str> {
        if let Some(found) = self.strings.get(s) {
            return found.clone();
        }
        let new: Arc<str> = Arc::from(s);
        self.strings.insert(new.clone());
        new
    }

    /// The identity as this line describes it. One id can come with other
    /// metadata on other lines (a new token, a changed role): each version
    /// is kept, so a report shows the one seen at the access it describes.
    fn identity(&mut self, read: &RawEvent<'_>) -> Arc<Identity> {
        let caller = &read.caller;
        let realm = read.provider.realm();
        let ids = self.identities.entry(realm).or_default();
        let same = |i: &&Arc<Identity>| {
            i.label == caller.label
                && i.policies.iter().eq(caller.policies.iter())
                && i.metadata.len() == caller.metadata.len()
                && i.metadata
                    .iter()
                    .zip(&caller.metadata)
                    .all(|((k, v), (rk, rv))| k == rk && v == rv)
        };
        // Most calls find it, with one lookup and no key to build.
        if let Some(found) = ids
            .get(caller.id.as_ref())
            .and_then(|v| v.iter().find(same))
        {
            return found.clone();
        }
        let identity = Arc::new(identity_of(caller, realm));
        ids.entry(caller.id.to_string())
            .or_default()
            .push(identity.clone());
        identity
    }

    /// `found`: how the read matched (see `LineFilter::accepts`). Inlined
    /// into its one caller, as it was before the scanner was split: the
    /// entry is then built where it is stored.
    #[inline]
    pub(super) fn entry(
        &mut self,
        read: RawEvent<'_>,
        found: Match,
        origin: Origin,
        export_id: Option<&Arc<str>>,
    ) -> Event {
        let identity = self.identity(&read);
        let (secret, logical) = match renamed(found, &read.secret) {
            None => (
                self.string(&read.secret),
                read.logical.as_deref().map(|l| self.string(l)),
            ),
            Some((secret, logical)) => (self.string(&secret), logical.map(|l| self.string(&l))),
        };
        Event {
            key: RequestKey::from_id(&read.request_id, origin),
            provider: read.provider,
            action: read.action,
            kind: read.kind,
            scope: read.scope,
            operation: self.string(&read.operation),
            stage: read.stage,
            time: read.time,
            end: read.time,
            error: read.error,
            outcome: Outcome::Unknown,
            reason: read.reason.as_deref().map(|r| self.string(r)),
            secret,
            logical,
            identity,
            credential: read.credential.as_deref().map(|c| self.string(c)),
            source_address: read.source_address.as_deref().map(|a| self.string(a)),
            user_agent: read.user_agent.as_deref().map(|a| self.string(a)),
            origin,
            export_id: export_id
                .cloned()
                .or_else(|| read.cited.as_deref().map(|c| self.string(c))),
            creates: read.creates,
            values_in_clear: read.raw_values,
            tokens_in_clear: read.raw_tokens,
            excluded: None,
        }
    }
}
