//! `timeline`: every event, paired and filtered, in time order, in the
//! stable `whosaw.event.v1` shape.

use serde::Serialize;

use super::report::{Place, Stats};
use crate::environment::Environments;
use crate::event::{Action, Event, Outcome, Provider, ReadKind, Timestamp};
use crate::net::{Cidr, parse_address};
use crate::time::Window;

pub(crate) const TIMELINE_SCHEMA: &str = "whosaw.timeline.v1";
pub(crate) const EVENT_SCHEMA: &str = "whosaw.event.v1";

/// The filters that need an event's request and response paired first.
#[derive(Default)]
pub(crate) struct AfterPairing {
    pub window: Window,
    /// Empty: every outcome.
    pub outcomes: Vec<Outcome>,
    pub source: Option<Cidr>,
}

impl AfterPairing {
    pub(crate) fn accepts(&self, a: &Event) -> bool {
        self.window.contains(a.time)
            && (self.outcomes.is_empty() || self.outcomes.contains(&a.outcome))
            && self.source.as_ref().is_none_or(|cidr| {
                a.source_address
                    .as_deref()
                    .and_then(parse_address)
                    .is_some_and(|ip| cidr.contains(ip))
            })
    }
}

/// One event, as `timeline` prints it: the `whosaw.event.v1` schema.
/// Fields may be added, never renamed or removed.
#[derive(Debug, Serialize)]
pub(crate) struct EventOut {
    /// When the store answered (the response's time, else the request's).
    pub time: Timestamp,
    pub provider: Provider,
    /// `read`, `list`, `metadata`, `write`, `delete` or `other`.
    pub action: Action,
    /// The operation as the store logged it.
    pub operation: String,
    /// `success`, `denied`, `not_found`, `no_value`, `error` or `unknown` (a
    /// request with no response).
    pub outcome: Outcome,
    /// Why it failed, as logged.
    pub reason: Option<String>,
    /// The identity's label (display name, user, e-mail).
    pub identity: String,
    pub identity_id: String,
    pub credential: Option<String>,
    /// The secret's name as queries use it (Vault KV v2: without `data/`);
    /// `null` when the event names none.
    pub secret: Option<String>,
    /// The name as logged, when it differs from `secret`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What a successful read exposed (`value`, `undecrypted`, `possible`);
    /// `null` when no value left the store (any other outcome, any other action).
    pub value: Option<ReadKind>,
    /// The secret's environment, from its name (see `environment`).
    pub environment: Option<String>,
    pub source_address: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    #[serde(flatten)]
    pub place: Place,
}

#[derive(Debug, Serialize)]
pub(crate) struct TimelineEcho {
    pub secret: Option<String>,
    pub regex: bool,
    /// The one `--identity` given (`null` for none, or for several).
    pub identity: Option<String>,
    /// Every `--identity` given.
    pub identities: Vec<String>,
    pub source_ip: Option<String>,
    pub outcomes: Vec<Outcome>,
    pub actions: Vec<Action>,
    pub providers: Vec<Provider>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TimelineReport {
    pub schema: &'static str,
    pub event_schema: &'static str,
    pub query: TimelineEcho,
    pub events: Vec<EventOut>,
    pub coverage: super::coverage::WindowCoverage,
    pub stats: Stats,
}

/// The events that pass `filter`, oldest first (ties in input order).
pub(crate) fn events(
    accesses: &[Event],
    filter: &AfterPairing,
    environments: &Environments,
    files: &[String],
) -> Vec<EventOut> {
    let mut kept: Vec<&Event> = accesses.iter().filter(|a| filter.accepts(a)).collect();
    kept.sort_by_key(|a| (a.time, a.origin));
    kept.into_iter()
        .map(|a| event_out(a, environments, files))
        .collect()
}

pub(crate) fn event_out(a: &Event, environments: &Environments, files: &[String]) -> EventOut {
    let name = a.secret_key();
    let secret = (!name.is_empty()).then(|| name.to_string());
    EventOut {
        time: a.time,
        provider: a.provider,
        action: a.action,
        operation: a.operation.to_string(),
        outcome: a.outcome,
        reason: a.reason.as_deref().map(str::to_string),
        identity: a.identity.label.clone(),
        identity_id: a.identity.id.clone(),
        credential: a.credential.as_deref().map(str::to_string),
        environment: secret
            .as_deref()
            .and_then(|s| environments.classify(s))
            .map(str::to_string),
        path: (*a.secret != **name).then(|| a.secret.to_string()),
        secret,
        // Only an answered read exposed anything: a denied, failed, empty or
        // unanswered one did not.
        value: a.kind.filter(|_| a.outcome == Outcome::Success),
        source_address: a.source_address.as_deref().map(str::to_string),
        user_agent: a.user_agent.as_deref().map(str::to_string),
        request_id: a.key.display(),
        place: Place::of(a, files),
    }
}
