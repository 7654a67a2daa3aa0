//! Google Cloud audit logs (`protoPayload` of type AuditLog): Secret Manager
//! `AccessSecretVersion`, and GKE's Kubernetes audit (`serviceName`
//! `k8s.io`) for Secrets. See `../shared/FORMATS.md` §4–5 and
//! https://cloud.google.com/secret-manager/docs/audit-logging
//!
//! Data Access logs, which hold `AccessSecretVersion`, are off by default:
//! an empty answer may mean they were never enabled.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::lenient::{Obj, Str, StrMap};
use super::{Caller, Read, RecordError, StatusCode, raw_int, record_time, short_error};
use crate::event::{ErrorKind, IdSource, Provider, ReadKind, Scope, Stage};

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(rename = "insertId", borrow, default)]
    insert_id: Str<'a>,
    #[serde(borrow, default)]
    timestamp: Str<'a>,
    #[serde(borrow, default)]
    labels: StrMap<'a>,
    #[serde(rename = "protoPayload", borrow, default)]
    payload: Obj<AuditLog<'a>>,
}

#[derive(Deserialize, Default)]
struct AuditLog<'a> {
    #[serde(rename = "serviceName", borrow, default)]
    service: Str<'a>,
    #[serde(rename = "methodName", borrow, default)]
    method: Str<'a>,
    #[serde(rename = "resourceName", borrow, default)]
    resource: Str<'a>,
    #[serde(rename = "authenticationInfo", borrow, default)]
    authentication: Obj<Authentication<'a>>,
    #[serde(rename = "requestMetadata", borrow, default)]
    request_metadata: Obj<RequestMetadata<'a>>,
    #[serde(borrow, default)]
    status: Obj<StatusCode<'a>>,
    #[serde(borrow, default)]
    request: Obj<Request<'a>>,
}

#[derive(Deserialize, Default)]
struct Authentication<'a> {
    #[serde(rename = "principalEmail", borrow, default)]
    email: Str<'a>,
    #[serde(rename = "principalSubject", borrow, default)]
    subject: Str<'a>,
    #[serde(rename = "serviceAccountKeyName", borrow, default)]
    key_name: Str<'a>,
    #[serde(rename = "serviceAccountDelegationInfo", borrow, default)]
    delegation: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct Delegation<'a> {
    #[serde(rename = "firstPartyPrincipal", borrow, default)]
    first_party: Obj<Principal<'a>>,
    #[serde(rename = "principalSubject", borrow, default)]
    subject: Str<'a>,
}

#[derive(Deserialize, Default)]
struct Principal<'a> {
    #[serde(rename = "principalEmail", borrow, default)]
    email: Str<'a>,
}

#[derive(Deserialize, Default)]
struct RequestMetadata<'a> {
    #[serde(rename = "callerIp", borrow, default)]
    caller_ip: Str<'a>,
}

#[derive(Deserialize, Default)]
struct Request<'a> {
    #[serde(borrow, default)]
    name: Str<'a>,
}

pub fn parse_record(text: &str, emit: &mut dyn FnMut(Read<'_>)) -> Result<(), RecordError> {
    let e: Entry<'_> =
        serde_json::from_str(text).map_err(|e| RecordError::NotJson(short_error(&e)))?;
    let Some(p) = e.payload.0 else {
        return Ok(());
    };
    let method = p.method.get().unwrap_or("");
    let resource = p
        .resource
        .get()
        .or(p.request.0.as_ref().and_then(|r| r.name.get()));
    let target = match p.service.get() {
        Some("k8s.io") => gke_target(method, resource.unwrap_or("")),
        _ if method.ends_with(".AccessSecretVersion") => resource
            .and_then(secret_of_resource)
            .map(|s| (Provider::Gcp, s, Scope::One)),
        _ => None,
    };
    let Some((provider, secret, scope)) = target else {
        return Ok(());
    };
    let time = record_time(e.timestamp.get())?;
    let denied_by_label = e
        .labels
        .0
        .get("authorization.k8s.io/decision")
        .map(|d| d.as_ref())
        == Some("forbid");
    let error = match raw_int(p.status.0.as_ref().and_then(|s| s.code)) {
        None | Some(0) if !denied_by_label => ErrorKind::None,
        None | Some(0) => ErrorKind::Denied,
        Some(7 | 16) => ErrorKind::Denied,
        Some(_) => ErrorKind::Other,
    };
    let auth = p.authentication.0.unwrap_or_default();
    let (id, id_source) = match (auth.email.0.clone(), auth.subject.0.clone()) {
        (Some(email), _) if !email.is_empty() => (email, IdSource::Email),
        (_, Some(subject)) if !subject.is_empty() => (subject, IdSource::Subject),
        _ => (Cow::Borrowed("unknown"), IdSource::Unknown),
    };
    let mut metadata = Vec::new();
    let chain: Vec<String> = auth
        .delegation
        .and_then(|raw| serde_json::from_str::<Vec<Delegation<'_>>>(raw.get()).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|d| {
            d.first_party
                .0
                .as_ref()
                .and_then(|p| p.email.get())
                .or(d.subject.get())
                .map(str::to_string)
        })
        .collect();
    if !chain.is_empty() {
        metadata.push((Cow::Borrowed("delegated_by"), Cow::Owned(chain.join(" > "))));
    }
    emit(Read {
        provider,
        kind: ReadKind::Value,
        scope,
        operation: Cow::Owned(method.rsplit('.').next().unwrap_or(method).to_string()),
        stage: Stage::Response,
        time,
        request_id: e.insert_id.0.unwrap_or_default(),
        error,
        secret: Cow::Owned(secret),
        logical: None,
        alias: None,
        caller: Caller {
            label: id.clone(),
            id,
            id_source: Some(id_source),
            metadata,
            policies: Vec::new(),
        },
        credential: auth.key_name.0.filter(|k| !k.is_empty()),
        source_address: p
            .request_metadata
            .0
            .and_then(|m| m.caller_ip.0)
            .filter(|a| !a.is_empty()),
        raw_values: false,
    });
    Ok(())
}

/// `projects/<p>/secrets/<s>` of a secret or version resource name; a
/// regional secret's `locations/<l>` and the version are left out.
pub fn secret_of_resource(name: &str) -> Option<String> {
    let parts: Vec<&str> = name.split('/').collect();
    let (project, rest) = match parts.as_slice() {
        ["projects", p, rest @ ..] => (*p, rest),
        _ => return None,
    };
    let rest = match rest {
        ["locations", _, rest @ ..] => rest,
        rest => rest,
    };
    match rest {
        ["secrets", s, ..] if !s.is_empty() => Some(format!("projects/{project}/secrets/{s}")),
        _ => None,
    }
}

/// GKE logs Kubernetes requests as `io.k8s.core.v1.secrets.get` on
/// `core/v1/namespaces/<ns>/secrets/<name>`.
fn gke_target(method: &str, resource: &str) -> Option<(Provider, String, Scope)> {
    let verb = method.strip_prefix("io.k8s.core.v1.secrets.")?;
    let path = resource.strip_prefix("core/v1/").unwrap_or(resource);
    let parts: Vec<&str> = path.split('/').collect();
    let target = match (verb, parts.as_slice()) {
        ("get", ["namespaces", ns, "secrets", name]) => (format!("{ns}/{name}"), Scope::One),
        ("list" | "watch", ["namespaces", ns, "secrets", ..]) => {
            (format!("{ns}/*"), Scope::Children)
        }
        ("list" | "watch", ["secrets", ..]) => ("*".to_string(), Scope::All),
        _ => return None,
    };
    Some((Provider::K8s, target.0, target.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names() {
        assert_eq!(
            secret_of_resource("projects/p/secrets/db/versions/latest").as_deref(),
            Some("projects/p/secrets/db")
        );
        assert_eq!(
            secret_of_resource("projects/p/locations/us-east1/secrets/db/versions/1").as_deref(),
            Some("projects/p/secrets/db")
        );
        assert_eq!(secret_of_resource("projects/p/topics/t"), None);
    }

    fn outcome(status: &str) -> ErrorKind {
        let rec = format!(
            r#"{{"insertId":"i1","timestamp":"2025-03-15T02:31:07.123456789Z","protoPayload":{{"@type":"type.googleapis.com/google.cloud.audit.AuditLog",{status}"serviceName":"secretmanager.googleapis.com","methodName":"google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion","resourceName":"projects/p/secrets/db/versions/latest","authenticationInfo":{{"principalSubject":"principal://iam.googleapis.com/x"}}}}}}"#
        );
        let mut out = None;
        parse_record(&rec, &mut |r| {
            assert_eq!(r.caller.id, "principal://iam.googleapis.com/x");
            out = Some(r.error)
        })
        .unwrap();
        out.unwrap()
    }

    #[test]
    fn status_codes() {
        assert_eq!(outcome(""), ErrorKind::None);
        assert_eq!(outcome(r#""status":{},"#), ErrorKind::None);
        assert_eq!(
            outcome(r#""status":{"code":7,"message":"denied"},"#),
            ErrorKind::Denied
        );
        assert_eq!(outcome(r#""status":{"code":16},"#), ErrorKind::Denied);
        assert_eq!(outcome(r#""status":{"code":9},"#), ErrorKind::Other);
    }
}
