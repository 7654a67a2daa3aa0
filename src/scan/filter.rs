//! Which parsed events a scan keeps: the query's secret, some identities,
//! every read, or the events `timeline` asks for.

use std::collections::{BTreeMap, HashSet};

use crate::event::RawEvent;
use crate::event::{Action, Identity, Provider, ReadKind};
use crate::matcher::{Match, SecretQuery, SecretRef};
use crate::source::store::Wanted;
use crate::source::store_of;

/// Which reads a scan keeps.
pub(super) enum LineFilter<'q> {
    /// Reads of secrets the query names (and the other events that name
    /// them: see `query::existence`).
    Secret(&'q SecretQuery),
    /// Reads of any secret by these identities (`--depth 2`).
    Identities(&'q IdentityIds),
    /// Every read (`--depth 2` over input that cannot be read twice).
    AnyRead,
    /// Every read that was answered (`suspicious`, `baseline`): a Vault
    /// request line is not even parsed, as its response line tells all the
    /// rules use (an unanswered request has no outcome to judge).
    AnsweredReads,
    /// Events of any action (`timeline`).
    Events(&'q EventFilter<'q>),
    /// Every event, as logged: what an index keeps (see `crate::index`).
    Everything,
    /// Every event of the records that hold this value (`trace-value`).
    Carrying(&'q Wanted),
    /// The events of records that hold something of value in clear
    /// (`exposures`; see `Store::exposed`).
    Exposing,
    /// No events: what every record tells of the trail (`coverage`; see
    /// `scan::TrailOut`).
    Covering,
}

/// What `timeline` keeps while scanning; the rest of its filters (outcome,
/// address, window) need the request and response paired first.
#[derive(Default)]
pub(crate) struct EventFilter<'q> {
    pub secret: Option<&'q SecretQuery>,
    /// Empty: every store.
    pub providers: Vec<Provider>,
    /// Identities' ids or labels, exactly (empty: every identity).
    pub identities: Vec<&'q str>,
    /// Empty: every action.
    pub actions: Vec<Action>,
}

impl EventFilter<'_> {
    fn accepts(&self, event: &RawEvent<'_>) -> bool {
        if !self.providers.is_empty() && !self.providers.contains(&event.provider) {
            return false;
        }
        if !self.actions.is_empty() && !self.actions.contains(&event.action) {
            return false;
        }
        if !self.identities.is_empty()
            && !self
                .identities
                .iter()
                .any(|id| event.caller.id == *id || event.caller.label == *id)
        {
            return false;
        }
        match self.secret.map(|q| q.matches(&SecretRef::of(event))) {
            None | Some(Some(Match::Named)) => true,
            // A wide read covers the secret, and a backing secret's read
            // exposes its certificate, only if it returned values.
            Some(Some(Match::Covered(_) | Match::Backing(_))) => event.kind.is_some(),
            Some(None) => false,
        }
    }
}

impl LineFilter<'_> {
    /// `None`: not wanted; else how it is kept (`Named`: as logged). A
    /// wide read that covers the queried secret is kept under that
    /// secret's name; a read of a certificate's backing secret under the
    /// certificate (see `Event` for both).
    pub(super) fn accepts(&self, read: &RawEvent<'_>) -> Option<Match> {
        match self {
            // Shown as logged, a wide read under its own name.
            LineFilter::Events(f) => return f.accepts(read).then_some(Match::Named),
            LineFilter::Everything | LineFilter::Carrying(_) => return Some(Match::Named),
            LineFilter::Covering => return None,
            LineFilter::Exposing => {
                let exposed = !store_of(read.provider).exposed(&read.into()).is_empty();
                return exposed.then_some(Match::Named);
            }
            _ => {}
        }
        if let LineFilter::Secret(q) = self {
            return match (read.kind, q.matches(&SecretRef::of(read))?) {
                // Other events naming an exactly named secret are kept
                // too: they tell which store holds it and when it was
                // created (see `query::existence`; a regex needs neither).
                (None, Match::Named) if !q.is_regex() => Some(Match::Named),
                (None, _) => None,
                // A batch by filter is shown by its filter: it may not have
                // returned the secret at all.
                (Some(ReadKind::Possible), _) => Some(Match::Named),
                (Some(_), found) => Some(found),
            };
        }
        // Only reads of values are counted; other events are the timeline's.
        read.kind?;
        match self {
            LineFilter::Secret(_) => None,
            LineFilter::Identities(ids) => ids
                .contains(read.provider.realm(), &read.caller.id)
                .then_some(Match::Named),
            LineFilter::AnyRead | LineFilter::AnsweredReads => Some(Match::Named),
            LineFilter::Events(_)
            | LineFilter::Everything
            | LineFilter::Carrying(_)
            | LineFilter::Exposing
            | LineFilter::Covering => None,
        }
    }
}

/// The identities a `--depth 2` scan follows, by id per store (`alice` in
/// Vault is not `alice` in Kubernetes), and where their stores write their
/// ids (see `Store::id_field`).
pub(crate) struct IdentityIds {
    ids: BTreeMap<Provider, HashSet<String>>,
    /// Each identity's id as a JSON key and the value it holds in a raw
    /// line; `None` once an identity has no such field (its store's ids may
    /// sit inside wrapped JSON strings, where a field search could miss
    /// them).
    fields: Option<Vec<(&'static str, String)>>,
}

impl Default for IdentityIds {
    fn default() -> Self {
        IdentityIds {
            ids: BTreeMap::new(),
            fields: Some(Vec::new()),
        }
    }
}

impl IdentityIds {
    pub(crate) fn insert(&mut self, identity: &Identity) {
        self.ids
            .entry(identity.provider)
            .or_default()
            .insert(identity.id.clone());
        let field = store_of(identity.provider).id_field(identity.id_source, &identity.id);
        match (&mut self.fields, field) {
            (Some(fields), Some((key, value))) => fields.push((key, value.to_string())),
            (fields, _) => *fields = None,
        }
    }

    pub(crate) fn contains(&self, realm: Provider, id: &str) -> bool {
        self.ids.get(&realm).is_some_and(|ids| ids.contains(id))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Where each identity's id stands in a raw line, as JSON key and
    /// value; `None` when some id stands in no known field.
    pub(super) fn fields(&self) -> Option<impl Iterator<Item = (&str, &str)>> {
        let fields = self.fields.as_ref()?;
        Some(fields.iter().map(|(key, value)| (*key, value.as_str())))
    }

    /// The stores the identities live in.
    pub(super) fn providers(&self) -> Vec<Provider> {
        self.ids.keys().copied().collect()
    }
}
