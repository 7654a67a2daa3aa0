//! A row as an Elastic Common Schema document, for Elasticsearch and
//! OpenSearch ingest: one per request as its file tells it (the deciding
//! record). ECS has no field for a secret: whosaw's own fields go under the
//! custom namespace `whosaw` (as Elastic's own Vault integration keeps its
//! under `hashicorp_vault`). `event.original` is never written: a raw
//! record may hold a value.

use serde::Serialize;

use super::Row;
use super::products::product;
use crate::event::{Action, Outcome};
use crate::net::parse_address;

pub(crate) const VERSION: &str = "8.17.0";

#[derive(Serialize)]
pub(crate) struct Ecs<'r> {
    #[serde(rename = "@timestamp")]
    timestamp: String,
    ecs: Version,
    event: Event<'r>,
    user: User<'r>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Source<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_agent: Option<UserAgent<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloud: Option<Cloud>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Error<'r>>,
    log: Log<'r>,
    related: Related<'r>,
    whosaw: &'r Row<'r>,
}

#[derive(Serialize)]
struct Version {
    version: &'static str,
}

#[derive(Serialize)]
struct Event<'r> {
    kind: &'static str,
    category: [&'static str; 1],
    #[serde(rename = "type")]
    kind_of: Vec<&'static str>,
    action: &'r str,
    outcome: &'static str,
    provider: &'static str,
    dataset: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'r str>,
}

#[derive(Serialize)]
struct User<'r> {
    id: &'r str,
    name: &'r str,
}

#[derive(Serialize)]
struct Source<'r> {
    address: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<String>,
}

#[derive(Serialize)]
struct UserAgent<'r> {
    original: &'r str,
}

#[derive(Serialize)]
struct Cloud {
    provider: String,
}

#[derive(Serialize)]
struct Error<'r> {
    message: &'r str,
}

#[derive(Serialize)]
struct Log<'r> {
    file: LogFile<'r>,
}

#[derive(Serialize)]
struct LogFile<'r> {
    path: &'r str,
}

#[derive(Serialize)]
struct Related<'r> {
    user: Vec<&'r str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ip: Vec<String>,
}

/// `event.type` of an action and outcome (ECS's allowed values).
fn types(action: Action, creates: bool, outcome: Outcome) -> Vec<&'static str> {
    let mut types = vec![match action {
        Action::Read | Action::List => "access",
        Action::Metadata | Action::Other => "info",
        Action::Write if creates => "creation",
        Action::Write => "change",
        Action::Delete => "deletion",
    }];
    match outcome {
        Outcome::Denied => types.push("denied"),
        Outcome::Success => types.push("allowed"),
        _ => {}
    }
    types
}

/// `event.outcome`: success, failure or unknown only.
fn outcome(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Success | Outcome::NoValue => "success",
        Outcome::Denied | Outcome::NotFound | Outcome::Error => "failure",
        Outcome::Unknown => "unknown",
    }
}

pub(crate) fn of<'r>(row: &'r Row<'r>) -> Ecs<'r> {
    let e = &row.event;
    let product = product(e.provider);
    let ip = e.source_address.as_deref().and_then(parse_address);
    Ecs {
        timestamp: e.time.to_string(),
        ecs: Version { version: VERSION },
        event: Event {
            kind: "event",
            category: ["api"],
            kind_of: types(e.action, row.creates, e.outcome),
            action: &e.operation,
            outcome: outcome(e.outcome),
            provider: product.service,
            dataset: "whosaw.events",
            id: e.request_id.as_deref(),
        },
        user: User {
            id: &e.identity_id,
            name: &e.identity,
        },
        source: e.source_address.as_deref().map(|address| Source {
            address,
            ip: ip.map(|ip| ip.to_string()),
        }),
        user_agent: e
            .user_agent
            .as_deref()
            .map(|original| UserAgent { original }),
        cloud: product.cloud.map(|c| Cloud {
            provider: c.to_ascii_lowercase(),
        }),
        error: e.reason.as_deref().map(|message| Error { message }),
        log: Log {
            file: LogFile {
                path: &e.place.file,
            },
        },
        related: Related {
            user: vec![&e.identity_id],
            ip: ip.map(|ip| ip.to_string()).into_iter().collect(),
        },
        whosaw: row,
    }
}
