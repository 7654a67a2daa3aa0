//! Kubernetes API server audit events (`audit.k8s.io/v1`), read for Secrets.
//! See https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/
//!
//! `get` reads one secret; `list` and `watch` expose every secret of the
//! namespace (or the cluster). One request is logged once per stage under
//! one `auditID`: the request stage pairs with the response stage as a
//! Vault request does with its response.

use super::prelude::*;
use super::store::{Site, Wanted};

#[derive(Deserialize)]
struct AuditEvent<'a> {
    #[serde(rename = "auditID", borrow, default)]
    audit_id: Str<'a>,
    #[serde(borrow, default)]
    stage: Str<'a>,
    #[serde(borrow, default)]
    verb: Str<'a>,
    #[serde(borrow, default)]
    user: Obj<User<'a>>,
    #[serde(rename = "impersonatedUser", borrow, default)]
    impersonated: Obj<User<'a>>,
    #[serde(rename = "sourceIPs", borrow, default)]
    source_ips: StrList<'a>,
    #[serde(rename = "userAgent", borrow, default)]
    user_agent: Str<'a>,
    #[serde(rename = "objectRef", borrow, default)]
    object: Obj<ObjectRef<'a>>,
    #[serde(rename = "responseStatus", borrow, default)]
    status: Obj<StatusCode<'a>>,
    #[serde(borrow, default)]
    annotations: super::lenient::StrMap<'a>,
    #[serde(rename = "requestReceivedTimestamp", borrow, default)]
    received: Str<'a>,
    #[serde(rename = "stageTimestamp", borrow, default)]
    stage_time: Str<'a>,
    #[serde(borrow, default)]
    timestamp: Str<'a>,
    /// Looked at for their shape only (`holds_secret_data`), never decoded.
    #[serde(rename = "responseObject", borrow, default)]
    response_object: Option<&'a RawValue>,
    #[serde(rename = "requestObject", borrow, default)]
    request_object: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct User<'a> {
    #[serde(borrow, default)]
    username: Str<'a>,
    #[serde(borrow, default)]
    groups: StrList<'a>,
    #[serde(borrow, default)]
    extra: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct ObjectRef<'a> {
    #[serde(borrow, default)]
    resource: Str<'a>,
    #[serde(borrow, default)]
    namespace: Str<'a>,
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(rename = "apiGroup", borrow, default)]
    api_group: Str<'a>,
    #[serde(borrow, default)]
    subresource: Str<'a>,
}

/// The token's id, when the API server logs it (Kubernetes ≥ 1.29).
#[derive(Deserialize, Default)]
struct Extra<'a> {
    #[serde(rename = "authentication.kubernetes.io/credential-id", borrow, default)]
    credential_id: super::lenient::StrList<'a>,
}

pub(crate) fn parse_record(
    text: &str,
    emit: &mut dyn FnMut(RawEvent<'_>),
) -> Result<(), RecordError> {
    let e: AuditEvent<'_> = from_json(text)?;
    let object = e.object.0.unwrap_or_default();
    let verb = e.verb.get().unwrap_or("");
    if object.resource.get() != Some("secrets")
        || object.api_group.get().is_some()
        || object.subresource.get().is_some()
    {
        return Ok(());
    }
    let (action, kind) = action_of(verb);
    let (secret, scope) = match (object.namespace.get(), object.name.get()) {
        (Some(ns), Some(name)) => (format!("{ns}/{name}"), Scope::One),
        (None, Some(name)) => (name.to_string(), Scope::One),
        (Some(ns), None) => (format!("{ns}/*"), Scope::Children),
        (None, None) => ("*".to_string(), Scope::All),
    };
    let stage = match e.stage.get() {
        Some("RequestReceived") => Stage::Request,
        Some(_) => Stage::Response,
        None => {
            return Err(RecordError::Invalid(Source::K8s, "no stage".into()));
        }
    };
    let time = record_time(
        [&e.stage_time, &e.received, &e.timestamp]
            .into_iter()
            .find_map(|t| t.get()),
    )?;
    let forbidden = e
        .annotations
        .0
        .get("authorization.k8s.io/decision")
        .map(|d| d.as_ref())
        == Some("forbid");
    let error = match (
        raw_int(e.status.0.as_ref().and_then(|s| s.code)),
        e.stage.get(),
    ) {
        (Some(401 | 403), _) => ErrorKind::Denied,
        _ if forbidden => ErrorKind::Denied,
        (Some(404), _) => ErrorKind::NotFound,
        (_, Some("Panic")) => ErrorKind::Other,
        (Some(100..=399) | None, _) => ErrorKind::None,
        (Some(_), _) => ErrorKind::Other,
    };
    let user = e.user.0.unwrap_or_default();
    let impersonated = e
        .impersonated
        .0
        .and_then(|u| u.username.0.filter(|n| !n.is_empty()));
    let actor = user.username.0.clone().filter(|n| !n.is_empty());
    let mut metadata = Vec::new();
    let id = match (impersonated, &actor) {
        (Some(effective), actor) => {
            if let Some(a) = actor {
                metadata.push((Cow::Borrowed("impersonated_by"), a.clone()));
            }
            Some(effective)
        }
        (None, actor) => actor.clone(),
    };
    let (id, id_source) = match id {
        Some(id) => (id, IdSource::Username),
        None => (Cow::Borrowed("unknown"), IdSource::Unknown),
    };
    let credential = user
        .extra
        .and_then(|raw| serde_json::from_str::<Extra<'_>>(raw.get()).ok())
        .and_then(|x| x.credential_id.0.into_iter().next())
        .map(|c| Cow::Owned(c.into_owned()));
    // At the Request and RequestResponse levels the event carries the
    // object itself: a Secret's data, base64-encoded (but a delete's
    // `DeleteOptions` and its `Status` hold none).
    let raw_values = [e.response_object, e.request_object]
        .into_iter()
        .flatten()
        .any(|o| holds_secret_data(o.get().as_bytes(), 0));
    let status = e.status.0.unwrap_or_default();
    emit(RawEvent {
        provider: Provider::K8s,
        action,
        kind,
        scope,
        operation: Cow::Borrowed(verb),
        stage,
        time,
        request_id: e.audit_id.0.unwrap_or_default(),
        error,
        reason: status.reason(error),
        secret: Cow::Owned(secret),
        logical: None,
        alias: None,
        caller: Caller::by_id(id, id_source, metadata, user.groups.0),
        credential,
        // Earlier entries are X-Forwarded-For claims; the last is the peer.
        source_address: e.source_ips.0.last().cloned(),
        user_agent: e.user_agent.0.filter(|a| !a.is_empty()),
        raw_values,
        raw_tokens: false,
        creates: verb == "create" && scope == Scope::One,
        cited: None,
    });
    Ok(())
}

/// Whether a logged body holds secret material: a Secret's non-empty `data`
/// or `stringData` (a patch too), or a `SecretList` item that does. Read
/// from the structure only; nothing is decoded.
fn holds_secret_data(body: &[u8], depth: u8) -> bool {
    let mut found = false;
    let _ = crate::json::members(body, 0, |key, start, end| {
        let value = &body[start..end];
        match key {
            b"data" | b"stringData" => {
                found |= value.first() == Some(&b'{') && !crate::json::is_empty_object(value, 0);
            }
            b"items" if depth == 0 && value.first() == Some(&b'[') => {
                let _ = crate::json::elements(value, 0, |s, e| {
                    found |= holds_secret_data(&value[s..e], depth + 1);
                });
            }
            _ => {}
        }
    });
    found
}

/// Where the wanted value sits in a record's bodies: a Secret's `data`
/// (base64, decoded before it is compared) or `stringData`, in the request
/// or the response object, or in a list's items.
fn sites_in(record: &str, wanted: &Wanted) -> Vec<Site> {
    use base64::Engine;
    let Ok(entry) = serde_json::from_str::<serde_json::Value>(record) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (half, key) in [("response", "responseObject"), ("request", "requestObject")] {
        let Some(body) = entry.get(key) else {
            continue;
        };
        let mut objects = vec![(key.to_string(), body)];
        if let Some(items) = body.get("items").and_then(|i| i.as_array()) {
            objects.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (format!("{key}.items[{i}]"), item)),
            );
        }
        for (at, object) in objects {
            for (field, encoded) in [("data", true), ("stringData", false)] {
                let Some(values) = object.get(field).and_then(|d| d.as_object()) else {
                    continue;
                };
                for (name, value) in values {
                    let Some(text) = value.as_str() else {
                        continue;
                    };
                    let is = match encoded {
                        true => base64::engine::general_purpose::STANDARD
                            .decode(text)
                            .is_ok_and(|bytes| wanted.is_bytes(&bytes)),
                        false => wanted.is(text),
                    };
                    if is {
                        found.push(Site {
                            half,
                            member: format!("{at}.{field}.{name}"),
                            lease: None,
                            version: None,
                        });
                    }
                }
            }
        }
    }
    found
}

/// What a verb on Secrets does: `list` and `watch` return every secret's
/// data, so they read values too.
pub(crate) fn action_of(verb: &str) -> (Action, Option<ReadKind>) {
    match verb {
        "get" => (Action::Read, Some(ReadKind::Value)),
        "list" | "watch" => (Action::List, Some(ReadKind::Value)),
        "create" | "update" | "patch" => (Action::Write, None),
        "delete" | "deletecollection" => (Action::Delete, None),
        _ => (Action::Other, None),
    }
}

/// The Kubernetes plug-in (see [`Store`]); GKE's events, found in Google
/// Cloud audit logs, are Kubernetes events too.
pub(crate) struct K8s;

/// The resource every read of a Secret names (`"secrets"`, `secrets.get`).
const SECRETS: &str = "secrets";

const SERVICE_ACCOUNT: CredentialKind = CredentialKind("k8s-service-account");
const NODE: CredentialKind = CredentialKind("k8s-node");
const CONTROL_PLANE: CredentialKind = CredentialKind("k8s-control-plane");
const USER: CredentialKind = CredentialKind("k8s-user");

const ABOUT: About = About {
    title: "Kubernetes audit log",
    parse: parse_record,
    trail: crate::source::trail::timed_by_stage,
    claims: &[&[Mark::Key("auditID")], &[Mark::TextIs("kind", "Event")]],
    // AKS diagnostics carry the event in `properties.log`.
    wrappers: &[Wrapper::Within {
        when: ("category", "kube-audit"),
        within: "properties",
        field: "log",
    }],
    providers: &[Provider::K8s],
    // An `EventList`'s `items`. It may start with its `kind` or
    // `apiVersion` (as every single event does: only one naming
    // `EventList` is worth a look) or its `metadata`; a paged list with
    // `nextPageToken`.
    container_keys: &["items"],
    container_leads: &[
        ContainerLead {
            key: "nextPageToken",
            with: None,
        },
        ContainerLead {
            key: "metadata",
            with: None,
        },
        ContainerLead {
            key: "kind",
            with: Some("\"EventList\""),
        },
        ContainerLead {
            key: "apiVersion",
            with: Some("\"EventList\""),
        },
    ],
    read_needles: &[SECRETS],
    credential_kinds: &[SERVICE_ACCOUNT, NODE, CONTROL_PLANE, USER],
    halves: Halves::Stages,
    ..About::NONE
};

impl Store for K8s {
    fn sites(&self, record: &str, wanted: &Wanted) -> Vec<Site> {
        sites_in(record, wanted)
    }

    fn exposed(&self, read: &super::store::Held<'_>) -> Vec<super::store::Exposure> {
        match read.values_in_clear {
            true => vec![super::store::Exposure::of_secret(
                super::store::ExposureKind::K8sSecretData,
                read,
            )],
            false => Vec::new(),
        }
    }

    /// Also namespace and cluster lists, which name the resource instead of
    /// a secret.
    fn name_needles(&self, _p: Provider, want: &StoreName, out: &mut NameNeedles) -> Option<()> {
        out.add_spellings(want)?;
        out.add_resource_word(SECRETS);
        Some(())
    }

    fn wide_read_scope(&self, prefix: &str) -> Option<String> {
        Some(match prefix {
            "" => "the cluster".to_string(),
            namespace => format!("namespace {namespace}"),
        })
    }

    fn credential(&self, who: &Identity, _keys: &Credentials) -> (CredentialKind, String) {
        let id = who.id.as_str();
        if id.starts_with("system:serviceaccount:") {
            let sa = id
                .trim_start_matches("system:serviceaccount:")
                .replacen(':', "/", 1);
            let hint = format!(
                "rotate the tokens of service account {sa}: delete its token secrets and \
                 restart the pods that mount it (bound tokens expire on their own)"
            );
            (SERVICE_ACCOUNT, hint)
        } else if id.starts_with("system:node:") {
            let hint = format!(
                "the node {id} read it: drain and rebuild the node, rotate its kubelet credentials"
            );
            (NODE, hint)
        } else if id.starts_with("system:") {
            let hint = format!(
                "{id} is a control-plane component: it reads secrets by design; check the API \
                 server's credentials only if the control plane is suspect"
            );
            (CONTROL_PLANE, hint)
        } else {
            let hint = format!(
                "revoke the credentials of user {id} (client certificate, token or OIDC session)"
            );
            (USER, hint)
        }
    }

    fn secret_hint(&self, _provider: Provider, target: &str, _logical: Option<&str>) -> String {
        let (ns, name) = target.split_once('/').unwrap_or(("<namespace>", target));
        format!(
            "change its data (kubectl -n {ns} edit secret {name}) and restart the pods that \
             use it; also rotate it where it came from"
        )
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(verb: &str, ns_name: &str, stage: &str, status: &str) -> String {
        format!(
            r#"{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"{stage}","verb":"{verb}","user":{{"username":"system:serviceaccount:ci:runner","groups":["system:serviceaccounts"]}},"sourceIPs":["203.0.113.7","10.0.0.12"],"objectRef":{{"resource":"secrets",{ns_name}"apiVersion":"v1"}},{status}"requestReceivedTimestamp":"2025-03-15T02:31:07.000001Z","stageTimestamp":"2025-03-15T02:31:07.000452Z"}}"#
        )
    }

    fn reads(text: &str) -> Vec<(String, Scope, Stage, ErrorKind, String)> {
        let mut out = Vec::new();
        parse_record(text, &mut |r| {
            if r.kind.is_none() {
                return;
            }
            out.push((
                r.secret.to_string(),
                r.scope,
                r.stage,
                r.error,
                r.source_address.unwrap().to_string(),
            ))
        })
        .unwrap();
        out
    }

    #[test]
    fn every_verb_on_secrets_is_an_event() {
        let mut got = Vec::new();
        for verb in [
            "get",
            "list",
            "create",
            "patch",
            "delete",
            "deletecollection",
            "proxy",
        ] {
            parse_record(
                &event(
                    verb,
                    r#""namespace":"prod","name":"x","#,
                    "ResponseComplete",
                    "",
                ),
                &mut |e| got.push((e.action, e.kind.is_some())),
            )
            .unwrap();
        }
        assert_eq!(
            got,
            [
                (Action::Read, true),
                (Action::List, true),
                (Action::Write, false),
                (Action::Write, false),
                (Action::Delete, false),
                (Action::Delete, false),
                (Action::Other, false),
            ]
        );
    }

    #[test]
    fn gets_lists_and_watches() {
        let got = reads(&event(
            "get",
            r#""namespace":"prod","name":"db-password","#,
            "ResponseComplete",
            r#""responseStatus":{"metadata":{},"code":200},"#,
        ));
        assert_eq!(got[0].0, "prod/db-password");
        assert_eq!(
            (got[0].1, got[0].2, got[0].3),
            (Scope::One, Stage::Response, ErrorKind::None)
        );
        assert_eq!(got[0].4, "10.0.0.12");
        let got = reads(&event(
            "list",
            r#""namespace":"prod","#,
            "RequestReceived",
            "",
        ));
        assert_eq!(
            (got[0].0.as_str(), got[0].1, got[0].2),
            ("prod/*", Scope::Children, Stage::Request)
        );
        let got = reads(&event("watch", "", "ResponseStarted", ""));
        assert_eq!((got[0].0.as_str(), got[0].1), ("*", Scope::All));
        let got = reads(&event(
            "get",
            r#""namespace":"prod","name":"x","#,
            "ResponseComplete",
            r#""responseStatus":{"status":"Failure","reason":"Forbidden","code":403},"#,
        ));
        assert_eq!(got[0].3, ErrorKind::Denied);
        assert!(
            reads(&event(
                "create",
                r#""namespace":"prod","name":"x","#,
                "ResponseComplete",
                ""
            ))
            .is_empty()
        );
    }
}
