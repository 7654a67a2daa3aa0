//! Google Cloud audit logs (`protoPayload` of type AuditLog): Secret Manager
//! `AccessSecretVersion`, and GKE's Kubernetes audit (`serviceName`
//! `k8s.io`) for Secrets (those are Kubernetes events: see `k8s`). See
//! https://cloud.google.com/secret-manager/docs/audit-logging
//!
//! Data Access logs, which hold `AccessSecretVersion`, are off by default:
//! an empty answer may mean they were never enabled.

use super::prelude::*;

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
    #[serde(rename = "callerSuppliedUserAgent", borrow, default)]
    user_agent: Str<'a>,
}

#[derive(Deserialize, Default)]
struct Request<'a> {
    #[serde(borrow, default)]
    name: Str<'a>,
}

pub(crate) fn parse_record(
    text: &str,
    emit: &mut dyn FnMut(RawEvent<'_>),
) -> Result<(), RecordError> {
    let e: Entry<'_> = from_json(text)?;
    let Some(p) = e.payload.0 else {
        return Ok(());
    };
    let method = p.method.get().unwrap_or("");
    let resource = p
        .resource
        .get()
        .or(p.request.0.as_ref().and_then(|r| r.name.get()));
    let short_method = method.rsplit('.').next().unwrap_or(method);
    let target = match p.service.get() {
        Some("k8s.io") => gke_target(method, resource.unwrap_or("")),
        _ if method.contains(".secretmanager.") => {
            let (action, kind) = secret_manager_action(short_method);
            match (resource.and_then(secret_of_resource), action) {
                (Some(s), _) => Some((Provider::Gcp, action, kind, s, Scope::One)),
                (None, Action::Read) => None,
                // `ListSecrets` on `projects/p`: the project's secrets.
                (None, _) => Some((
                    Provider::Gcp,
                    action,
                    kind,
                    project_of_resource(resource.unwrap_or(""))
                        .map(|p| format!("projects/{p}/secrets/*"))
                        .unwrap_or_default(),
                    Scope::One,
                )),
            }
        }
        _ => None,
    };
    let Some((provider, action, kind, secret, scope)) = target else {
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
        // NOT_FOUND: no such secret or version.
        Some(5) => ErrorKind::NotFound,
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
    let status = p.status.0.unwrap_or_default();
    let request_metadata = p.request_metadata.0.unwrap_or_default();
    emit(RawEvent {
        provider,
        action,
        kind,
        scope,
        operation: Cow::Owned(short_method.to_string()),
        stage: Stage::Response,
        time,
        request_id: e.insert_id.0.unwrap_or_default(),
        error,
        reason: status.reason(error),
        secret: Cow::Owned(secret),
        logical: None,
        alias: None,
        caller: Caller::by_id(id, id_source, metadata, Vec::new()),
        credential: auth.key_name.0.filter(|k| !k.is_empty()),
        source_address: request_metadata.caller_ip.0.filter(|a| !a.is_empty()),
        user_agent: request_metadata.user_agent.0.filter(|a| !a.is_empty()),
        raw_values: false,
        raw_tokens: false,
        creates: false,
        cited: None,
    });
    Ok(())
}

/// A Cloud Audit Logs entry as the trail sees it (`coverage`): every
/// entry counts; changes to where logs go (sinks, exclusions) and to what
/// is logged (Data Access audit configs, set through `SetIamPolicy`) are
/// told.
fn trail_record(
    text: &str,
    emit: &mut dyn FnMut(crate::source::trail::TrailRecord<'_>),
) -> Result<(), RecordError> {
    use crate::source::trail::{ChangeKind, TrailChange, TrailRecord};
    let e: Entry<'_> = from_json(text)?;
    let time = record_time(e.timestamp.get())?;
    let change = e.payload.0.and_then(|p| {
        let method = p.method.get().unwrap_or("");
        let short = method.rsplit('.').next().unwrap_or(method);
        let kind = match short {
            "DeleteSink" if method.contains("ConfigServiceV2") => ChangeKind::SinkDeleted,
            "CreateSink" | "UpdateSink" if method.contains("ConfigServiceV2") => {
                ChangeKind::SinkChanged
            }
            "CreateExclusion" | "UpdateExclusion" | "DeleteExclusion"
                if method.contains("ConfigServiceV2") =>
            {
                ChangeKind::ExclusionChanged
            }
            // Audit configs ride on an IAM policy; only their own key
            // tells a change of them from any other grant.
            "SetIamPolicy" if text.contains("\"auditConfig") => ChangeKind::AuditConfigChanged,
            _ => return None,
        };
        let code = raw_int(p.status.0.as_ref().and_then(|s| s.code));
        let error = match code {
            None | Some(0) => ErrorKind::None,
            Some(7 | 16) => ErrorKind::Denied,
            Some(5) => ErrorKind::NotFound,
            Some(_) => ErrorKind::Other,
        };
        let authentication = p.authentication.0.unwrap_or_default();
        Some(TrailChange {
            kind,
            target: p.resource.0.unwrap_or_default(),
            operation: Cow::Owned(short.to_string()),
            error,
            reason: p.status.0.and_then(|s| s.reason(error)),
            identity: authentication
                .email
                .0
                .or(authentication.subject.0)
                .unwrap_or(Cow::Borrowed("(no identity logged)")),
            source_address: p
                .request_metadata
                .0
                .and_then(|m| m.caller_ip.0)
                .filter(|a| !a.is_empty()),
            trail_bucket: None,
        })
    });
    emit(TrailRecord {
        change,
        ..TrailRecord::at(time)
    });
    Ok(())
}

/// The Google Cloud plug-in (see [`Store`]): Secret Manager.
pub(crate) struct Gcp;

const SERVICE_ACCOUNT: CredentialKind = CredentialKind("gcp-service-account");
const FEDERATED_PRINCIPAL: CredentialKind = CredentialKind("gcp-federated-principal");
const USER: CredentialKind = CredentialKind("gcp-user");

const ABOUT: About = About {
    title: "Google Cloud audit log",
    parse: parse_record,
    trail: trail_record,
    trail_needles: &[TrailNeedle {
        word: "DeleteSink",
        after_segment: None,
    }],
    claims: &[&[Mark::Key("protoPayload")]],
    providers: &[Provider::Gcp],
    read_needles: &["AccessSecretVersion"],
    credential_kinds: &[SERVICE_ACCOUNT, FEDERATED_PRINCIPAL, USER],
    ..About::NONE
};

impl Store for Gcp {
    fn query_name(&self, _provider: Provider, name: &str) -> StoreName {
        match secret_of_resource(name) {
            Some(n) => StoreName::plain(&n),
            None => StoreName::plain(name),
        }
    }

    fn credential(&self, who: &Identity, _keys: &Credentials) -> (CredentialKind, String) {
        let id = who.id.as_str();
        if id.ends_with(".gserviceaccount.com") {
            let hint = format!(
                "delete the keys of service account {id} (gcloud iam service-accounts keys list \
                 --iam-account {id}) and check who can impersonate it"
            );
            (SERVICE_ACCOUNT, hint)
        } else if id.starts_with("principal") {
            let hint = format!(
                "federated principal {id}: revoke its access in the workload identity pool and at \
                 the external identity provider"
            );
            (FEDERATED_PRINCIPAL, hint)
        } else {
            (USER, format!("reset the sessions and password of {id}"))
        }
    }

    fn secret_hint(&self, _provider: Provider, target: &str, _logical: Option<&str>) -> String {
        format!("add a new version (gcloud secrets versions add {target}) and disable the old ones")
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }
}

/// `projects/<p>/secrets/<s>` of a secret or version resource name; a
/// regional secret's `locations/<l>` and the version are left out.
pub(crate) fn secret_of_resource(name: &str) -> Option<String> {
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

/// Secret Manager's methods by what they do.
fn secret_manager_action(method: &str) -> (Action, Option<ReadKind>) {
    let action = match method {
        "AccessSecretVersion" => return (Action::Read, Some(ReadKind::Value)),
        "GetSecret" | "GetSecretVersion" | "GetIamPolicy" | "TestIamPermissions" => {
            Action::Metadata
        }
        m if m.starts_with("List") => Action::List,
        m if m.starts_with("Delete") || m.starts_with("Destroy") => Action::Delete,
        m if [
            "Create",
            "Add",
            "Update",
            "Enable",
            "Disable",
            "SetIamPolicy",
        ]
        .iter()
        .any(|verb| m.starts_with(verb)) =>
        {
            Action::Write
        }
        _ => Action::Other,
    };
    (action, None)
}

/// The project of a resource name (`p` of `projects/p/…`).
fn project_of_resource(name: &str) -> Option<&str> {
    name.strip_prefix("projects/")?
        .split('/')
        .next()
        .filter(|p| !p.is_empty())
}

type Target = (Provider, Action, Option<ReadKind>, String, Scope);

/// GKE logs Kubernetes requests as `io.k8s.core.v1.secrets.get` on
/// `core/v1/namespaces/<ns>/secrets/<name>`.
fn gke_target(method: &str, resource: &str) -> Option<Target> {
    let verb = method.strip_prefix("io.k8s.core.v1.secrets.")?;
    let (action, kind) = super::k8s::action_of(verb);
    let path = resource.strip_prefix("core/v1/").unwrap_or(resource);
    let parts: Vec<&str> = path.split('/').collect();
    let (secret, scope) = match parts.as_slice() {
        ["namespaces", ns, "secrets", name, ..] if !name.is_empty() => {
            (format!("{ns}/{name}"), Scope::One)
        }
        ["namespaces", ns, "secrets", ..] => (format!("{ns}/*"), Scope::Children),
        ["secrets", ..] => ("*".to_string(), Scope::All),
        _ => return None,
    };
    Some((Provider::K8s, action, kind, secret, scope))
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
    fn secret_manager_methods_have_actions() {
        let record = |method: &str, resource: &str| {
            format!(
                r#"{{"insertId":"i1","timestamp":"2025-03-15T02:31:07Z","protoPayload":{{"serviceName":"secretmanager.googleapis.com","methodName":"google.cloud.secretmanager.v1.SecretManagerService.{method}","resourceName":"{resource}","authenticationInfo":{{"principalEmail":"a@p.iam.gserviceaccount.com"}},"requestMetadata":{{"callerIp":"10.0.0.1","callerSuppliedUserAgent":"gcloud/450"}}}}}}"#
            )
        };
        let mut got = Vec::new();
        for (method, resource) in [
            ("AccessSecretVersion", "projects/p/secrets/db/versions/1"),
            ("ListSecrets", "projects/prod-payments"),
            ("AddSecretVersion", "projects/p/secrets/db"),
            ("DestroySecretVersion", "projects/p/secrets/db/versions/1"),
            ("GetSecret", "projects/p/secrets/db"),
        ] {
            parse_record(&record(method, resource), &mut |e| {
                assert_eq!(e.user_agent.as_deref(), Some("gcloud/450"));
                got.push((e.action, e.kind.is_some(), e.secret.to_string()));
            })
            .unwrap();
        }
        let want = [
            (Action::Read, true, "projects/p/secrets/db"),
            (Action::List, false, "projects/prod-payments/secrets/*"),
            (Action::Write, false, "projects/p/secrets/db"),
            (Action::Delete, false, "projects/p/secrets/db"),
            (Action::Metadata, false, "projects/p/secrets/db"),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1, g.2.as_str()), w);
        }
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
        assert_eq!(outcome(r#""status":{"code":5},"#), ErrorKind::NotFound);
    }
}
