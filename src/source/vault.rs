//! HashiCorp Vault's file audit device: one JSON object per line, a
//! `request` entry and a `response` entry per request, sharing `request.id`.
//! See: https://developer.hashicorp.com/vault/docs/audit and `../shared/FORMATS.md` §1.
//!
//! Only the fields whosaw needs are declared; serde skips the rest
//! (`response.data` included, so secret values are never even decoded).

use std::borrow::Cow;

use serde::Deserialize;

use super::lenient::{Obj, Str, StrList, StrMap};
use super::{Caller, Read, RecordError};
use crate::event::{ErrorKind, IdSource, Provider, ReadKind, Scope, Stage, Timestamp};
use crate::time::parse_log_time;

#[derive(Deserialize)]
struct RawLine<'a> {
    #[serde(borrow, default)]
    time: Str<'a>,
    #[serde(rename = "type", borrow, default)]
    kind: Str<'a>,
    #[serde(borrow, default)]
    auth: Obj<RawAuth<'a>>,
    #[serde(borrow, default)]
    request: Obj<RawRequest<'a>>,
    #[serde(borrow, default)]
    error: Str<'a>,
}

#[derive(Deserialize, Default)]
struct RawAuth<'a> {
    #[serde(borrow, default)]
    client_token: Str<'a>,
    #[serde(borrow, default)]
    accessor: Str<'a>,
    #[serde(borrow, default)]
    display_name: Str<'a>,
    #[serde(borrow, default)]
    entity_id: Str<'a>,
    #[serde(borrow, default)]
    policies: StrList<'a>,
    #[serde(borrow, default)]
    metadata: StrMap<'a>,
}

#[derive(Deserialize, Default)]
struct RawRequest<'a> {
    #[serde(borrow, default)]
    id: Str<'a>,
    #[serde(borrow, default)]
    operation: Str<'a>,
    #[serde(borrow, default)]
    path: Str<'a>,
    #[serde(borrow, default)]
    mount_point: Str<'a>,
    #[serde(borrow, default)]
    namespace: Obj<RawNamespace<'a>>,
    #[serde(borrow, default)]
    remote_address: Str<'a>,
    #[serde(borrow, default)]
    client_token: Str<'a>,
    #[serde(borrow, default)]
    client_token_accessor: Str<'a>,
}

#[derive(Deserialize, Default)]
struct RawNamespace<'a> {
    #[serde(borrow, default)]
    path: Str<'a>,
}

/// One Vault audit line that reads a secret's value, decoded.
#[derive(Debug)]
pub struct ValueRead<'a> {
    pub stage: Stage,
    pub time: Timestamp,
    pub request_id: Cow<'a, str>,
    pub error: ErrorKind,
    /// Namespace path + request path, as logged.
    pub logged: Cow<'a, str>,
    /// KV v2 logical name, when the path is a KV v2 `data/` path.
    pub logical: Option<String>,
    pub identity_id: Cow<'a, str>,
    pub id_source: IdSource,
    pub display_name: Cow<'a, str>,
    /// The token accessor, as logged (HMAC'd unless `hmac_accessor=false`).
    pub credential: Option<Cow<'a, str>>,
    pub source_address: Option<Cow<'a, str>>,
    pub metadata: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub policies: Vec<Cow<'a, str>>,
    /// The line holds an un-HMAC'd token: the device was set to `log_raw`.
    pub raw_values: bool,
}

/// What a line turned out to be.
#[derive(Debug)]
pub enum Parsed<'a> {
    ValueRead(Box<ValueRead<'a>>),
    /// A valid audit entry that reads no secret value (a write, a list, `sys/`…).
    Other,
}

/// Why a line could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum LineError {
    NotJson(String),
    NotVault,
    BadTime(String),
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::NotJson(e) => write!(f, "not valid JSON ({e})"),
            LineError::NotVault => f.write_str("a JSON object, but not a Vault audit entry"),
            LineError::BadTime(t) if t.is_empty() => {
                f.write_str("no time, or a time that is not text")
            }
            LineError::BadTime(t) => write!(f, "unreadable time {t:?}"),
        }
    }
}

/// Decodes one line (without its newline). Vault's `prefix` option puts
/// literal text before the JSON: everything before the first `{` is skipped.
pub fn parse_line(line: &str) -> Result<Parsed<'_>, LineError> {
    let json = match line.find('{') {
        Some(at) => &line[at..],
        None => return Err(LineError::NotJson("no JSON object on the line".into())),
    };
    let raw: RawLine<'_> =
        serde_json::from_str(json).map_err(|e| LineError::NotJson(short_error(&e)))?;
    let stage = match raw.kind.get() {
        Some("request") => Stage::Request,
        Some("response") => Stage::Response,
        // Plugins log other types (`kmip-request`…): valid, but not ours.
        Some(_) => return Ok(Parsed::Other),
        None => return Err(LineError::NotVault),
    };
    let Some(request) = raw.request.0 else {
        return Ok(Parsed::Other);
    };
    if request.operation.get() != Some("read") {
        return Ok(Parsed::Other);
    }
    let Some(path) = request.path.0.filter(|p| !p.is_empty()) else {
        return Ok(Parsed::Other);
    };
    let Some(logical) = classify_path(&path, request.mount_point.get()) else {
        return Ok(Parsed::Other);
    };
    let time_text = raw.time.get().unwrap_or("");
    let time = parse_log_time(time_text).ok_or_else(|| LineError::BadTime(time_text.into()))?;

    let namespace = request.namespace.0.as_ref().and_then(|n| n.path.get());
    let (logged, logical) = match namespace.map(|n| n.trim_end_matches('/')) {
        Some(ns) if !ns.is_empty() => (
            Cow::Owned(format!("{ns}/{path}")),
            logical.map(|l| format!("{ns}/{l}")),
        ),
        _ => (path, logical),
    };

    let auth = raw.auth.0.unwrap_or_default();
    let credential = auth
        .accessor
        .0
        .filter(|a| !a.is_empty())
        .or(request.client_token_accessor.0.filter(|a| !a.is_empty()));
    let token = auth.client_token.get().or(request.client_token.get());
    let raw_values = token.is_some_and(|t| !t.starts_with("hmac-sha256:"));
    let display_name = auth.display_name.0.unwrap_or_default();
    let (identity_id, id_source): (Cow<'_, str>, IdSource) =
        match auth.entity_id.0.filter(|e| !e.is_empty()) {
            Some(entity) => (entity, IdSource::Entity),
            None => match (&credential, display_name.is_empty()) {
                (Some(accessor), _) => (accessor.clone(), IdSource::Accessor),
                (None, false) => (display_name.clone(), IdSource::DisplayName),
                // A token HMAC still tells one unresolved token from another;
                // a raw token is itself a secret and is never shown.
                (None, true) => match token.filter(|t| t.starts_with("hmac-sha256:")) {
                    Some(t) => (Cow::Owned(format!("{TOKEN_ID_PREFIX}{t}")), IdSource::Token),
                    None => (Cow::Borrowed("unknown"), IdSource::Unknown),
                },
            },
        };

    Ok(Parsed::ValueRead(Box::new(ValueRead {
        stage,
        time,
        request_id: request.id.0.unwrap_or_default(),
        error: classify_error(raw.error.get()),
        logged,
        logical,
        identity_id,
        id_source,
        display_name,
        credential,
        source_address: request.remote_address.0.filter(|a| !a.is_empty()),
        metadata: auth.metadata.0.into_iter().collect(),
        policies: auth.policies.0,
        raw_values,
    })))
}

const TOKEN_ID_PREFIX: &str = "token:";

/// [`parse_line`] in the terms every source shares.
pub fn parse_record(text: &str, emit: &mut dyn FnMut(Read<'_>)) -> Result<(), RecordError> {
    match parse_line(text) {
        Ok(Parsed::ValueRead(read)) => {
            emit(read.into_read());
            Ok(())
        }
        Ok(Parsed::Other) => Ok(()),
        Err(LineError::NotVault) => Err(RecordError::Unrecognised),
        Err(LineError::NotJson(e)) => Err(RecordError::NotJson(e)),
        Err(LineError::BadTime(t)) => Err(RecordError::BadTime(t)),
    }
}

impl<'a> ValueRead<'a> {
    fn into_read(self) -> Read<'a> {
        Read {
            provider: Provider::Vault,
            kind: ReadKind::Value,
            scope: Scope::One,
            operation: Cow::Borrowed("read"),
            stage: self.stage,
            time: self.time,
            request_id: self.request_id,
            error: self.error,
            secret: self.logged,
            logical: self.logical.map(Cow::Owned),
            alias: None,
            caller: Caller {
                id: self.identity_id,
                id_source: Some(self.id_source),
                label: self.display_name,
                metadata: self.metadata,
                policies: self.policies,
            },
            credential: self.credential,
            source_address: self.source_address,
            raw_values: self.raw_values,
        }
    }
}

/// Where an identity id of this source stands in a raw line: the JSON key
/// just before its value, and the value as written there. `None` when no
/// field holds it (the caller must then parse every candidate line).
pub fn id_field(source: IdSource, id: &str) -> Option<(&'static str, &str)> {
    match source {
        IdSource::Entity => Some(("entity_id", id)),
        // `accessor` also ends `client_token_accessor`: both spellings found.
        IdSource::Accessor => Some(("accessor", id)),
        IdSource::DisplayName => Some(("display_name", id)),
        IdSource::Token => Some(("client_token", id.strip_prefix(TOKEN_ID_PREFIX)?)),
        _ => None,
    }
}

/// Classifies a request path: `None` when a `read` of it returns no secret
/// value, else the KV v2 logical name if the path is a KV v2 `data/` path.
/// `mount_point` is logged by Vault ≥ 1.6; before that the mount is assumed
/// to be the first path segment.
pub fn classify_path(path: &str, mount_point: Option<&str>) -> Option<Option<String>> {
    let first = path.split('/').next().unwrap_or("");
    if path.is_empty() || matches!(first, "sys" | "auth" | "identity") {
        return None;
    }
    let (mount, rest) = match mount_point.filter(|m| m.ends_with('/') && path.starts_with(m)) {
        Some(m) => (m, &path[m.len()..]),
        None => match path.find('/') {
            Some(i) => path.split_at(i + 1),
            None => return Some(None),
        },
    };
    if let Some(name) = rest.strip_prefix("data/") {
        return Some((!name.is_empty()).then(|| format!("{mount}{name}")));
    }
    // KV v2 metadata and structure: key names and versions, never values.
    if rest.starts_with("metadata/") || rest == "metadata" || rest.starts_with("subkeys/") {
        return None;
    }
    Some(None)
}

/// `permission denied` (alone, or inside Vault's multierror text) and a
/// missing token are denials; any other error is an error.
pub fn classify_error(error: Option<&str>) -> ErrorKind {
    match error {
        None => ErrorKind::None,
        Some(e) if e.contains("permission denied") || e.contains("missing client token") => {
            ErrorKind::Denied
        }
        Some(_) => ErrorKind::Other,
    }
}

use super::short_error;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_paths_and_their_kv2_names() {
        assert_eq!(
            classify_path("secret/data/prod/db", Some("secret/")),
            Some(Some("secret/prod/db".into()))
        );
        assert_eq!(classify_path("kv/prod/db", Some("kv/")), Some(None));
        assert_eq!(
            classify_path("team/kv/data/db", Some("team/kv/")),
            Some(Some("team/kv/db".into()))
        );
        // No mount_point (Vault < 1.6): the first segment is the mount.
        assert_eq!(
            classify_path("kv-v2/data/lab/x", None),
            Some(Some("kv-v2/lab/x".into()))
        );
        assert_eq!(
            classify_path("database/creds/ro", Some("database/")),
            Some(None)
        );
    }

    #[test]
    fn paths_that_never_hold_a_value() {
        for (path, mount) in [
            ("secret/metadata/prod/db", Some("secret/")),
            ("secret/subkeys/prod/db", Some("secret/")),
            ("kv-v2/metadata/lab/x", None),
            ("sys/internal/ui/mounts/secret/prod/db", Some("sys/")),
            ("auth/token/lookup-self", Some("auth/token/")),
            ("identity/entity/id/x", Some("identity/")),
            ("", None),
        ] {
            assert_eq!(classify_path(path, mount), None, "{path}");
        }
    }

    #[test]
    fn errors_are_denials_or_errors() {
        assert_eq!(classify_error(None), ErrorKind::None);
        assert_eq!(classify_error(Some("permission denied")), ErrorKind::Denied);
        assert_eq!(
            classify_error(Some("1 error occurred:\n\t* permission denied\n\n")),
            ErrorKind::Denied
        );
        assert_eq!(
            classify_error(Some("missing client token")),
            ErrorKind::Denied
        );
        assert_eq!(
            classify_error(Some("1 error occurred:\n\t* unsupported path\n\n")),
            ErrorKind::Other
        );
    }

    fn read(line: &str) -> ValueRead<'_> {
        match parse_line(line).unwrap() {
            Parsed::ValueRead(r) => *r,
            Parsed::Other => panic!("not a value read: {line}"),
        }
    }

    #[test]
    fn identity_falls_back_from_entity_to_accessor_to_name() {
        let base = r#""type":"response","time":"2025-03-15T02:34:12Z","request":{"id":"x","operation":"read","path":"kv/a","client_token":"hmac-sha256:t"}"#;
        let with = |auth: &str| format!("{{{base},\"auth\":{auth}}}");
        assert_eq!(
            read(&with(
                r#"{"entity_id":"e","accessor":"a","display_name":"n"}"#
            ))
            .identity_id,
            "e"
        );
        assert_eq!(
            read(&with(
                r#"{"entity_id":"","accessor":"a","display_name":"n"}"#
            ))
            .identity_id,
            "a"
        );
        assert_eq!(read(&with(r#"{"display_name":"n"}"#)).identity_id, "n");
        assert_eq!(
            read(&with(r#"{"token_type":"default"}"#)).identity_id,
            "token:hmac-sha256:t"
        );
        let raw = format!(
            "{{{},\"auth\":{{}}}}",
            base.replace("hmac-sha256:t", "s.RAWTOKEN")
        );
        let r = read(&raw);
        assert_eq!(r.identity_id, "unknown");
        assert!(r.raw_values);
    }

    #[test]
    fn prefixes_namespaces_and_other_entry_types() {
        let line = r#"audit: {"time":"2025-03-15T02:34:12.5Z","type":"request","request":{"id":"x","operation":"read","path":"secret/data/db","mount_point":"secret/","namespace":{"id":"n1","path":"team-a/"}}}"#;
        let r = read(line);
        assert_eq!(r.logged, "team-a/secret/data/db");
        assert_eq!(r.logical.as_deref(), Some("team-a/secret/db"));
        assert_eq!(r.stage, Stage::Request);
        assert!(matches!(
            parse_line(r#"{"type":"kmip-request","request":{}}"#),
            Ok(Parsed::Other)
        ));
        assert_eq!(
            parse_line(r#"{"Records":[]}"#).unwrap_err(),
            LineError::NotVault
        );
        assert!(matches!(
            parse_line("{\"type\":\"request\""),
            Err(LineError::NotJson(_))
        ));
        let bad_time =
            r#"{"time":"yesterday","type":"request","request":{"operation":"read","path":"kv/a"}}"#;
        assert!(matches!(parse_line(bad_time), Err(LineError::BadTime(_))));
    }
}
