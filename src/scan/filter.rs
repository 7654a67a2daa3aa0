//! Which parsed events a scan keeps: the query's secret, some identities,
//! every read, or the events `timeline` asks for.

use std::collections::{HashMap, HashSet};

use crate::event::{Action, Provider, ReadKind};
use crate::matcher::{Match, SecretQuery, SecretRef};
use crate::source::Event;

/// Which reads a scan keeps.
pub enum LineFilter<'q> {
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
}

/// What `timeline` keeps while scanning; the rest of its filters (outcome,
/// address, window) need the request and response paired first.
#[derive(Default)]
pub struct EventFilter<'q> {
    pub secret: Option<&'q SecretQuery>,
    /// Empty: every store.
    pub providers: Vec<Provider>,
    /// An identity's id or label, exactly.
    pub identity: Option<&'q str>,
    /// Empty: every action.
    pub actions: Vec<Action>,
}

impl EventFilter<'_> {
    fn accepts(&self, event: &Event<'_>) -> bool {
        if !self.providers.is_empty() && !self.providers.contains(&event.provider) {
            return false;
        }
        if !self.actions.is_empty() && !self.actions.contains(&event.action) {
            return false;
        }
        if let Some(id) = self.identity {
            if event.caller.id != id && event.caller.label != id {
                return false;
            }
        }
        match self.secret.map(|q| q.matches(&secret_ref(event))) {
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
    /// certificate (see `Entry` for both).
    pub(super) fn accepts(&self, read: &Event<'_>) -> Option<Match> {
        if let LineFilter::Events(f) = self {
            // Shown as logged, a wide read under its own name.
            return f.accepts(read).then_some(Match::Named);
        }
        if let LineFilter::Secret(q) = self {
            return match (read.kind, q.matches(&secret_ref(read))?) {
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
            LineFilter::Events(_) => None,
        }
    }
}

pub fn secret_ref<'r>(read: &'r Event<'_>) -> SecretRef<'r> {
    SecretRef {
        provider: read.provider,
        secret: &read.secret,
        logical: read.logical.as_deref(),
        alias: read.alias.as_deref(),
        scope: read.scope,
    }
}

/// Identity ids per store: `alice` in Vault is not `alice` in Kubernetes.
#[derive(Default)]
pub struct IdentityIds(HashMap<Provider, HashSet<String>>);

impl IdentityIds {
    pub fn insert(&mut self, realm: Provider, id: &str) {
        self.0.entry(realm).or_default().insert(id.to_string());
    }

    pub fn contains(&self, realm: Provider, id: &str) -> bool {
        self.0.get(&realm).is_some_and(|ids| ids.contains(id))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
