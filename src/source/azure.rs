//! Azure Key Vault `AuditEvent` resource logs (storage JSON Lines, Event Hub
//! `{"records":[…]}`). See `../shared/FORMATS.md` §3 and
//! https://learn.microsoft.com/azure/key-vault/general/logging
//!
//! Value reads: `SecretGet`, and `SecretBackup` (an exportable copy). The
//! outcome comes from the HTTP status: `resultType` says "Success" even on
//! 403 and 404. The unauthenticated `Authentication` 401 probe an SDK sends
//! before every call is not a read attempt and is ignored.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::lenient::{Obj, Str, StrMap};
use super::{Caller, Event, RecordError, raw_int, record_time, short_error};
use crate::event::{Action, ErrorKind, IdSource, Provider, ReadKind, Scope, Stage};

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    time: Str<'a>,
    #[serde(rename = "operationName", borrow, default)]
    operation: Str<'a>,
    #[serde(rename = "resultSignature", borrow, default)]
    result_signature: Str<'a>,
    #[serde(rename = "resultDescription", borrow, default)]
    result_description: Str<'a>,
    #[serde(rename = "callerIpAddress", borrow, default)]
    caller_ip: Str<'a>,
    #[serde(rename = "correlationId", borrow, default)]
    correlation_id: Str<'a>,
    #[serde(borrow, default)]
    identity: Obj<Identity<'a>>,
    #[serde(borrow, default)]
    properties: Obj<Properties<'a>>,
}

#[derive(Deserialize, Default)]
struct Identity<'a> {
    #[serde(borrow, default)]
    claim: StrMap<'a>,
}

#[derive(Deserialize, Default)]
struct Properties<'a> {
    #[serde(borrow, default)]
    id: Str<'a>,
    #[serde(rename = "requestUri", borrow, default)]
    request_uri: Str<'a>,
    #[serde(rename = "httpStatusCode", borrow, default)]
    status: Option<&'a RawValue>,
    #[serde(rename = "clientInfo", borrow, default)]
    client_info: Str<'a>,
}

const OBJECT_ID_URI: &str = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const UPN_URI: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
const NAME_URI: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

pub fn parse_record(text: &str, emit: &mut dyn FnMut(Event<'_>)) -> Result<(), RecordError> {
    let r: Record<'_> =
        serde_json::from_str(text).map_err(|e| RecordError::NotJson(short_error(&e)))?;
    let operation = r.operation.get().unwrap_or("");
    let action = action_of(operation);
    let props = r.properties.0.unwrap_or_default();
    let urls = [props.id.get(), props.request_uri.get()];
    let named = urls.iter().flatten().find_map(|u| secret_of_url(u));
    let secret = match (named, action) {
        (Some((vault, name)), _) => format!("{vault}/{name}"),
        // A read must name its secret; one that does not is no read of ours.
        (None, Action::Read) => return Ok(()),
        (None, _) if operation.starts_with("Secret") => {
            match urls.iter().flatten().find_map(|u| vault_of_url(u)) {
                Some(vault) => format!("{vault}/*"),
                None => String::new(),
            }
        }
        (None, _) => String::new(),
    };
    let time = record_time(r.time.get())?;
    let error = match raw_int(props.status) {
        Some(200..=299) => ErrorKind::None,
        Some(401 | 403) => ErrorKind::Denied,
        Some(404) => ErrorKind::NotFound,
        Some(_) => ErrorKind::Other,
        None => match r.result_signature.get() {
            Some("OK" | "Accepted" | "Created" | "NoContent") => ErrorKind::None,
            Some("Unauthorized" | "Forbidden" | "401" | "403") => ErrorKind::Denied,
            Some("Not Found" | "NotFound" | "404") => ErrorKind::NotFound,
            Some(code) if code.starts_with('2') && code.len() == 3 => ErrorKind::None,
            _ => ErrorKind::Other,
        },
    };
    let lower = secret.to_ascii_lowercase();
    let claims = r.identity.0.unwrap_or_default().claim.0;
    let claim = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| claims.get(*k))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let oid = claim(&["oid", OBJECT_ID_URI]);
    let appid = claim(&["appid", "azp"]);
    let upn = claim(&["upn", "unique_name", UPN_URI, NAME_URI]);
    let (id, id_source) = match (&oid, &appid) {
        (Some(o), _) => (o.clone(), IdSource::ObjectId),
        (None, Some(a)) => (a.clone(), IdSource::AppId),
        (None, None) => (Cow::Borrowed("unknown"), IdSource::Unknown),
    };
    let label = upn.clone().unwrap_or_else(|| match &appid {
        Some(a) => Cow::Owned(format!("app {a}")),
        None => id.clone(),
    });
    let mut metadata = Vec::new();
    for (key, value) in [
        ("upn", &upn),
        ("appid", &appid),
        ("idtyp", &claim(&["idtyp"])),
        ("managed_identity", &claim(&["xms_mirid"])),
    ] {
        if let Some(v) = value {
            metadata.push((Cow::Borrowed(key), v.clone()));
        }
    }
    // An application signs in with a credential of its own; a user's
    // sessions are revoked instead (see blast-radius hints).
    let credential = if upn.is_none() { appid.clone() } else { None };
    let reason = match error {
        ErrorKind::None => None,
        _ => r
            .result_description
            .0
            .clone()
            .filter(|d| !d.is_empty())
            .or(r.result_signature.0.clone()),
    };
    emit(Event {
        provider: Provider::Azure,
        action,
        kind: (action == Action::Read).then_some(ReadKind::Value),
        scope: match secret.ends_with("/*") {
            true => Scope::Children,
            false => Scope::One,
        },
        operation: Cow::Borrowed(operation),
        stage: Stage::Response,
        time,
        request_id: match r.correlation_id.get() {
            Some(c) => Cow::Owned(format!("{c}@{}@{lower}", r.time.get().unwrap_or(""))),
            None => Cow::Borrowed(""),
        },
        error,
        reason,
        logical: (lower != secret).then_some(Cow::Owned(lower)),
        secret: Cow::Owned(secret),
        alias: None,
        caller: Caller {
            id,
            id_source: Some(id_source),
            label,
            metadata,
            policies: Vec::new(),
        },
        credential,
        source_address: r.caller_ip.0.clone().filter(|a| !a.is_empty()),
        user_agent: props.client_info.0.clone().filter(|a| !a.is_empty()),
        raw_values: false,
        raw_tokens: false,
        creates: false,
    });
    Ok(())
}

/// Key Vault operations by what they do to secrets; keys, certificates
/// and the vault itself are `other`.
fn action_of(operation: &str) -> Action {
    match operation {
        "SecretGet" | "SecretBackup" => Action::Read,
        "SecretList" | "SecretListVersions" | "SecretListDeleted" => Action::List,
        "SecretGetDeleted" => Action::Metadata,
        "SecretSet" | "SecretUpdate" | "SecretRestore" | "SecretRecover" => Action::Write,
        "SecretDelete" | "SecretPurge" => Action::Delete,
        _ => Action::Other,
    }
}

/// The vault of a Key Vault URL (`kv-prod` of `https://kv-prod.vault.azure.net/…`).
fn vault_of_url(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    host.split('.').next().filter(|v| !v.is_empty())
}

/// `(vault, name)` of `https://<vault>.vault.azure.net/secrets/<name>[/<version>][?…]`
/// (any cloud's host; Managed HSM too).
pub fn secret_of_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next()?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    let vault = host.split('.').next().filter(|v| !v.is_empty())?;
    let collection = parts.next()?;
    // A deleted secret (recover, purge) is still the secret.
    if !collection.eq_ignore_ascii_case("secrets")
        && !collection.eq_ignore_ascii_case("deletedsecrets")
    {
        return None;
    }
    let name = parts.next().filter(|n| !n.is_empty())?;
    Some((vault, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_urls() {
        assert_eq!(
            secret_of_url("https://kv-prod.vault.azure.net/secrets/db-password/0123abcd"),
            Some(("kv-prod", "db-password"))
        );
        assert_eq!(
            secret_of_url("https://kv-prod.vault.azure.net/secrets/db-password/?api-version=7.0"),
            Some(("kv-prod", "db-password"))
        );
        assert_eq!(
            secret_of_url("https://kv.vault.azure.net/secrets?api-version=7.0"),
            None
        );
        assert_eq!(secret_of_url("https://kv.vault.azure.net/keys/k"), None);
    }

    fn outcome(status: &str, op: &str) -> Vec<ErrorKind> {
        let rec = format!(
            r#"{{"time":"2025-03-15T02:31:07.1234567Z","category":"AuditEvent","operationName":"{op}","resultType":"Success","resultSignature":"x","identity":{{"claim":{{"oid":"o1","upn":"a@b"}}}},"properties":{{"id":"https://kv-prod.vault.azure.net/secrets/DB-Password","httpStatusCode":{status}}}}}"#
        );
        let mut out = Vec::new();
        parse_record(&rec, &mut |r| {
            assert_eq!(r.secret, "kv-prod/DB-Password");
            assert_eq!(r.logical.as_deref(), Some("kv-prod/db-password"));
            if r.kind.is_some() {
                out.push(r.error)
            }
        })
        .unwrap();
        out
    }

    #[test]
    fn the_status_code_decides_not_result_type() {
        assert_eq!(outcome("200", "SecretGet"), vec![ErrorKind::None]);
        assert_eq!(outcome("403", "SecretGet"), vec![ErrorKind::Denied]);
        assert_eq!(outcome("\"404\"", "SecretGet"), vec![ErrorKind::NotFound]);
        assert_eq!(outcome("409", "SecretGet"), vec![ErrorKind::Other]);
        assert_eq!(outcome("200", "SecretBackup"), vec![ErrorKind::None]);
        assert!(outcome("200", "SecretList").is_empty());
        assert!(outcome("401", "Authentication").is_empty());
    }

    #[test]
    fn every_operation_is_an_event() {
        let record = |op: &str, url: &str| {
            format!(
                r#"{{"time":"2025-03-15T02:31:07Z","category":"AuditEvent","operationName":"{op}","resultSignature":"Forbidden","resultDescription":"Caller is not authorized","properties":{{"id":"{url}","httpStatusCode":403,"clientInfo":"azsdk-python/4.7"}}}}"#
            )
        };
        let mut got = Vec::new();
        for (op, url) in [
            ("SecretList", "https://kv-prod.vault.azure.net/secrets"),
            ("SecretSet", "https://kv-prod.vault.azure.net/secrets/db"),
            (
                "SecretPurge",
                "https://kv-prod.vault.azure.net/deletedsecrets/db",
            ),
            ("KeySign", "https://kv-prod.vault.azure.net/keys/k"),
        ] {
            parse_record(&record(op, url), &mut |e| {
                assert_eq!(e.kind, None);
                assert_eq!(e.reason.as_deref(), Some("Caller is not authorized"));
                assert_eq!(e.user_agent.as_deref(), Some("azsdk-python/4.7"));
                got.push((e.action, e.secret.to_string()));
            })
            .unwrap();
        }
        let want = [
            (Action::List, "kv-prod/*"),
            (Action::Write, "kv-prod/db"),
            (Action::Delete, "kv-prod/db"),
            (Action::Other, ""),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1.as_str()), w);
        }
    }
}
