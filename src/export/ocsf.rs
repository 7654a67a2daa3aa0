//! A row as an OCSF API Activity event (class 6003, schema 1.1.0), for
//! security lakes: one per request as its file tells it (the deciding
//! record), whosaw's own fields under `unmapped.whosaw`. Never a value:
//! `api.request.data`, `api.response.data` and `raw_data` are not written.

use serde::Serialize;

use super::Row;
use super::products::{Product, product};
use crate::event::{Action, Outcome};
use crate::net::parse_address;

pub(crate) const VERSION: &str = "1.1.0";
const CLASS_UID: u32 = 6003;

#[derive(Serialize)]
pub(crate) struct Ocsf<'r> {
    class_uid: u32,
    class_name: &'static str,
    category_uid: u32,
    category_name: &'static str,
    activity_id: u32,
    activity_name: &'static str,
    type_uid: u32,
    type_name: String,
    severity_id: u32,
    severity: &'static str,
    status_id: u32,
    status: &'static str,
    status_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_detail: Option<&'r str>,
    /// Milliseconds since the epoch (OCSF's `timestamp_t`).
    time: i64,
    /// As logged, every digit kept (the `datetime` profile).
    time_dt: String,
    metadata: Metadata,
    actor: Actor<'r>,
    api: Api<'r>,
    /// OCSF wants an endpoint; a record without an address gets `unknown`.
    src_endpoint: Endpoint<'r>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_request: Option<HttpRequest<'r>>,
    resources: Vec<Resource<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloud: Option<Cloud>,
    unmapped: Unmapped<'r>,
}

#[derive(Serialize)]
struct Metadata {
    version: &'static str,
    product: OcsfProduct,
    profiles: Vec<&'static str>,
    log_name: &'static str,
}

#[derive(Serialize)]
struct OcsfProduct {
    name: &'static str,
    vendor_name: &'static str,
}

#[derive(Serialize)]
struct Actor<'r> {
    user: User<'r>,
}

#[derive(Serialize)]
struct User<'r> {
    uid: &'r str,
    name: &'r str,
    /// Where the id came from in the log (`entity`, `arn`…).
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    credential_uid: Option<&'r str>,
}

#[derive(Serialize)]
struct Api<'r> {
    operation: &'r str,
    service: Service,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<Request<'r>>,
}

#[derive(Serialize)]
struct Service {
    name: &'static str,
}

#[derive(Serialize)]
struct Request<'r> {
    uid: &'r str,
}

#[derive(Serialize)]
struct Endpoint<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<String>,
    /// The address as logged when it is not an IP address (or `unknown`).
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'r str>,
}

#[derive(Serialize)]
struct HttpRequest<'r> {
    user_agent: &'r str,
}

#[derive(Serialize)]
struct Resource<'r> {
    name: &'r str,
    uid: &'r str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Cloud {
    provider: &'static str,
}

#[derive(Serialize)]
struct Unmapped<'r> {
    whosaw: &'r Row<'r>,
}

/// `activity_id` and `activity_name` of an action.
fn activity(action: Action, creates: bool) -> (u32, &'static str) {
    match action {
        Action::Read | Action::List | Action::Metadata => (2, "Read"),
        Action::Write if creates => (1, "Create"),
        Action::Write => (3, "Update"),
        Action::Delete => (4, "Delete"),
        Action::Other => (99, "Other"),
    }
}

/// `status_id` and `status` of an outcome (a read that found no value
/// still succeeded as a call).
fn status(outcome: Outcome) -> (u32, &'static str) {
    match outcome {
        Outcome::Success | Outcome::NoValue => (1, "Success"),
        Outcome::Denied | Outcome::NotFound | Outcome::Error => (2, "Failure"),
        Outcome::Unknown => (0, "Unknown"),
    }
}

pub(crate) fn of<'r>(row: &'r Row<'r>) -> Ocsf<'r> {
    let e = &row.event;
    let Product {
        vendor,
        name,
        service,
        resource,
        cloud,
    } = product(e.provider);
    let (activity_id, activity_name) = activity(e.action, row.creates);
    let (status_id, status_name) = status(e.outcome);
    let ip = e.source_address.as_deref().and_then(parse_address);
    let mut profiles = vec!["datetime"];
    if cloud.is_some() {
        profiles.push("cloud");
    }
    let logged = e.path.as_deref().or(e.secret.as_deref());
    Ocsf {
        class_uid: CLASS_UID,
        class_name: "API Activity",
        category_uid: 6,
        category_name: "Application Activity",
        activity_id,
        activity_name,
        type_uid: CLASS_UID * 100 + activity_id,
        type_name: format!("API Activity: {activity_name}"),
        severity_id: 1,
        severity: "Informational",
        status_id,
        status: status_name,
        status_code: e.outcome.as_str(),
        status_detail: e.reason.as_deref(),
        time: e.time.nanos().div_euclid(1_000_000),
        time_dt: e.time.to_string(),
        metadata: Metadata {
            version: VERSION,
            product: OcsfProduct {
                name,
                vendor_name: vendor,
            },
            profiles,
            log_name: "whosaw",
        },
        actor: Actor {
            user: User {
                uid: &e.identity_id,
                name: &e.identity,
                kind: row.id_source.as_str(),
                credential_uid: e.credential.as_deref(),
            },
        },
        api: Api {
            operation: &e.operation,
            service: Service { name: service },
            request: e.request_id.as_deref().map(|uid| Request { uid }),
        },
        src_endpoint: Endpoint {
            ip: ip.map(|ip| ip.to_string()),
            name: match ip {
                Some(_) => None,
                None => Some(e.source_address.as_deref().unwrap_or("unknown")),
            },
        },
        http_request: e
            .user_agent
            .as_deref()
            .map(|user_agent| HttpRequest { user_agent }),
        resources: match (e.secret.as_deref(), logged) {
            (Some(name), Some(uid)) => vec![Resource {
                name,
                uid,
                kind: resource,
            }],
            _ => Vec::new(),
        },
        cloud: cloud.map(|provider| Cloud { provider }),
        unmapped: Unmapped { whosaw: row },
    }
}
