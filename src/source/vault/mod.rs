//! HashiCorp Vault's file audit device: one JSON object per line, a
//! `request` entry and a `response` entry per request, sharing `request.id`.
//! See https://developer.hashicorp.com/vault/docs/audit
//!
//! Only the fields whosaw needs are declared; serde skips the rest
//! (`response.data` included, so secret values are never even decoded).

use super::prelude::*;
use crate::time::parse_log_time;

use response::{answer_of, head_only};

mod hints;
mod response;
mod sites;
mod trail;

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
    /// Looked at for its shape only (`answer_of`), never decoded.
    #[serde(borrow, default)]
    response: Option<&'a serde_json::value::RawValue>,
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
    /// When the token was issued (`coverage` knows a token by it).
    #[serde(borrow, default)]
    token_issue_time: Str<'a>,
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
    /// Looked at for its shape only (is it empty?), never decoded.
    #[serde(borrow, default)]
    data: Option<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize, Default)]
struct RawNamespace<'a> {
    #[serde(borrow, default)]
    path: Str<'a>,
}

/// Decodes one line (without its newline). Vault's `prefix` option puts
/// literal text before the JSON: everything before the first `{` is skipped.
pub(crate) fn parse_line(line: &str) -> Result<RawEvent<'_>, RecordError> {
    let json = match line.find('{') {
        Some(at) => &line[at..],
        None => return Err(RecordError::NotJson("no JSON object on the line".into())),
    };
    let (raw, response) = match head_only(json) {
        Some(head) => head,
        None => {
            let raw: RawLine<'_> = super::from_json(json)?;
            let response = raw.response.map(|r| r.get());
            (raw, response)
        }
    };
    let Some(entry_type) = raw.kind.0.clone() else {
        return Err(RecordError::Unrecognised);
    };
    // Plugins log other types (`kmip-request`, `kmip-response`), and an
    // entry may lack its `request`: each is still an event (action `other`),
    // never dropped unseen. Something with neither `request` nor `auth` is
    // no audit entry at all.
    let standard = matches!(&*entry_type, "request" | "response");
    if !standard && raw.request.0.is_none() && raw.auth.0.is_none() {
        return Err(RecordError::Unrecognised);
    }
    let stage = if entry_type.ends_with("response") {
        Stage::Response
    } else {
        Stage::Request
    };
    let request = raw.request.0.unwrap_or_default();
    let logged_operation = request.operation.0.filter(|o| !o.is_empty());
    let path = request.path.0.unwrap_or_default();
    let (action, kind, logical, operation) = match logged_operation {
        Some(op) if standard => {
            let (action, kind, logical) = classify(&op, &path, request.mount_point.get());
            (action, kind, logical, op)
        }
        Some(op) => (
            Action::Other,
            None,
            None,
            Cow::Owned(format!("{entry_type} {op}")),
        ),
        None => (Action::Other, None, None, entry_type),
    };
    let time_text = raw.time.get().unwrap_or("");
    let time = parse_log_time(time_text).ok_or_else(|| RecordError::BadTime(time_text.into()))?;

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
    // A `log_raw` device writes tokens, and every value, in clear.
    let raw_tokens = token.is_some_and(|t| !t.starts_with("hmac-sha256:"));
    let request_data = request.data.is_some_and(|d| {
        d.get().starts_with('{') && !crate::json::is_empty_object(d.get().as_bytes(), 0)
    });
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

    let error = raw.error.0.filter(|e| !e.is_empty());
    let mut verdict = classify_error(error.as_deref());
    let mut reason = error.map(|e| match e {
        // Vault's multierror text: `1 error occurred:\n\t* permission denied\n\n`.
        Cow::Borrowed(e) => Cow::Borrowed(tidy_error(e)),
        Cow::Owned(e) => Cow::Owned(tidy_error(&e).to_string()),
    });
    // Looked at only where it matters: the answer to a value read without
    // error, or a `log_raw` line (does it hold data in clear?).
    let judged = verdict == ErrorKind::None && stage == Stage::Response && kind.is_some();
    let answer = (judged || raw_tokens).then(|| answer_of(response.map(str::as_bytes)));
    let mut data_in_clear = false;
    if let Some(answer) = answer {
        data_in_clear = raw_tokens && answer.data;
        // No error, yet the answer may hold no value (see `answer_of`).
        if judged {
            verdict = answer.verdict;
            reason = answer.reason;
        }
    }
    Ok(RawEvent {
        provider: Provider::Vault,
        action,
        kind,
        scope: Scope::One,
        operation,
        stage,
        time,
        request_id: request.id.0.unwrap_or_default(),
        error: verdict,
        reason,
        secret: logged,
        logical: logical.map(Cow::Owned),
        alias: None,
        caller: Caller {
            id: identity_id,
            id_source: Some(id_source),
            label: display_name,
            metadata: auth.metadata.0.into_iter().collect(),
            policies: auth.policies.0,
        },
        credential,
        source_address: request
            .remote_address
            .0
            .filter(|a| !a.is_empty())
            .map(crate::net::without_port),
        user_agent: None,
        raw_values: data_in_clear || (raw_tokens && request_data),
        raw_tokens,
        // Vault has no wide reads of values whose reach creation limits.
        creates: false,
        cited: None,
    })
}

const TOKEN_ID_PREFIX: &str = "token:";

/// [`parse_line`] for the record dispatcher.
pub(crate) fn parse_record(
    text: &str,
    emit: &mut dyn FnMut(RawEvent<'_>),
) -> Result<(), RecordError> {
    emit(parse_line(text)?);
    Ok(())
}

/// The Vault plug-in (see [`Store`]).
pub(crate) struct Vault;

/// KV v2 puts `data/` (or `metadata/`…) after the mount: a path with or
/// without it names the same secret.
const KV2_SEGMENT: &str = "data";

/// Vault's value-reading operation, plain and inside a record wrapped in a
/// JSON string.
const READ_NEEDLES: [&str; 2] = ["\"read\"", "\\\"read\\\""];

const TOKEN_ACCESSOR: CredentialKind = CredentialKind("vault-token-accessor");

const ABOUT: About = About {
    title: "Vault audit log",
    parse: parse_record,
    trail: trail::trail_record,
    trail_needles: &[TrailNeedle {
        word: "audit",
        after_segment: Some("sys"),
    }],
    // Any record with a string `type` may be Vault's; the parser decides
    // (others' records carry no `type` at their top).
    claims: &[&[Mark::Text("type")]],
    parse_first: Some(|e| matches!(e, RecordError::Unrecognised)),
    prefixed: true,
    providers: &[Provider::Vault],
    // Only `read` operations read a value (see README, "What counts").
    read_needles: &READ_NEEDLES,
    read_word: Some("read"),
    counts_record_types: true,
    credential_kinds: &[TOKEN_ACCESSOR],
    halves: Halves::RequestAndResponse,
    ..About::NONE
};

/// What a `log_raw` device's record holds in clear, by what it did: a
/// generated credential, a connection's password, a token returned by a
/// login or a token creation, a secret id, or else a secret's value; and
/// the caller's own token, or its accessor (`hmac_accessor=false`).
fn exposed(read: &crate::source::store::Held<'_>) -> Vec<crate::source::store::Exposure> {
    use crate::source::store::{Exposure, ExposureKind as K};
    let mut out = Vec::new();
    let path = read.secret;
    let returned = read.stage == Stage::Response;
    if read.values_in_clear {
        let kind = if path.contains("/creds/") && returned {
            K::DynamicCredential
        } else if path.starts_with("database/config/") || path.contains("/database/config/") {
            K::ConnectionPassword
        } else if returned
            && (path.starts_with("auth/token/create")
                || (path.starts_with("auth/") && path.ends_with("/login"))
                || path.contains("/login/"))
        {
            K::Token
        } else if path.ends_with("/secret-id") && returned {
            K::SecretId
        } else {
            K::SecretValue
        };
        out.push(Exposure::of_secret(kind, read));
    }
    if read.tokens_in_clear {
        out.push(Exposure::of_identity(K::Token, "token", read));
    } else if read
        .credential
        .is_some_and(|a| !a.starts_with("hmac-sha256:"))
    {
        out.push(Exposure::of_identity(K::Accessor, "accessor", read));
    }
    out
}

impl Store for Vault {
    fn exposed(
        &self,
        read: &crate::source::store::Held<'_>,
    ) -> Vec<crate::source::store::Exposure> {
        exposed(read)
    }

    fn sites(
        &self,
        record: &str,
        wanted: &crate::source::store::Wanted,
    ) -> Vec<crate::source::store::Site> {
        sites::sites(record, wanted)
    }

    /// A request line as the file device writes it: `time`, then `type`.
    fn is_request_half(&self, record: &[u8]) -> bool {
        const TIME: &[u8] = b"{\"time\":\"";
        let Some(rest) = record.strip_prefix(TIME) else {
            return false;
        };
        let head = &rest[..rest.len().min(48)];
        memchr::memchr(b'"', head)
            .is_some_and(|end| head[end..].starts_with(b"\",\"type\":\"request\""))
    }

    /// The `type` of an entry laid out as Vault writes it (`{"time":"…",
    /// "type":"…"`), read without parsing the line.
    fn record_type<'r>(&self, record: &'r [u8]) -> Option<&'r [u8]> {
        let rest = record.strip_prefix(b"{\"time\":\"")?;
        let rest = &rest[memchr::memchr(b'"', rest)? + 1..];
        let rest = rest.strip_prefix(b",\"type\":\"")?;
        Some(&rest[..memchr::memchr2(b'"', b'\\', rest)?])
    }

    fn id_field<'i>(&self, source: IdSource, id: &'i str) -> Option<(&'static str, &'i str)> {
        match source {
            IdSource::Entity => Some(("entity_id", id)),
            // `accessor` also ends `client_token_accessor`: both spellings found.
            IdSource::Accessor => Some(("accessor", id)),
            IdSource::DisplayName => Some(("display_name", id)),
            IdSource::Token => Some(("client_token", id.strip_prefix(TOKEN_ID_PREFIX)?)),
            _ => None,
        }
    }

    /// `/secret/data/x` (as in an API URL) names the same path.
    fn query_name(&self, _provider: Provider, name: &str) -> StoreName {
        StoreName::plain(name.trim_start_matches('/'))
    }

    /// The path as logged, or its KV v2 name.
    fn names(&self, seen: &SecretRef<'_>, want: &StoreName) -> bool {
        seen.secret == want.name || seen.logical == Some(want.name.as_str())
    }

    fn name_needles(&self, _p: Provider, want: &StoreName, out: &mut NameNeedles) -> Option<()> {
        out.add_ignored_segment(KV2_SEGMENT);
        out.add_spellings(want)
    }

    /// Every logged form of a path (a namespace before it, KV v2's `data/`
    /// in it) ends like the query.
    fn only_store_search(&self, want: &StoreName) -> Option<PathSearch> {
        Some(PathSearch {
            path: want.name.clone(),
            ignored_segment: KV2_SEGMENT,
        })
    }

    fn credential(&self, who: &Identity, keys: &Credentials) -> (CredentialKind, String) {
        (TOKEN_ACCESSOR, hints::credential_hint(who, keys))
    }

    fn secret_hint(&self, _provider: Provider, target: &str, logical: Option<&str>) -> String {
        hints::secret_hint(target, logical)
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }
}

/// Classifies a request path: `None` when a `read` of it returns no secret
/// value, else the KV v2 logical name if the path is a KV v2 `data/` path.
/// `mount_point` is logged by Vault ≥ 1.6; before that the mount is assumed
/// to be the first path segment.
pub(crate) fn classify_path(path: &str, mount_point: Option<&str>) -> Option<Option<String>> {
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

/// What a request did: its action, whether it returned a secret's value,
/// and the KV v2 logical name of its path (`secret/x` for
/// `secret/data/x`, `secret/metadata/x`, `secret/destroy/x`…).
pub(crate) fn classify(
    operation: &str,
    path: &str,
    mount_point: Option<&str>,
) -> (Action, Option<ReadKind>, Option<String>) {
    let first = path.split('/').next().unwrap_or("");
    if path.is_empty() || matches!(first, "sys" | "auth" | "identity") {
        return (Action::Other, None, None);
    }
    if operation == "read"
        && let Some(logical) = classify_path(path, mount_point)
    {
        return (Action::Read, Some(ReadKind::Value), logical);
    }
    let (sub, logical) = match kv2_split(path, mount_point) {
        Some((sub, logical)) => (sub, Some(logical)),
        None => ("", None),
    };
    let action = match (operation, sub) {
        ("read", _) => Action::Metadata,
        ("list", _) => Action::List,
        // KV v2 soft delete and destroy of versions are `update`s.
        ("update" | "create", "delete/" | "destroy/") => Action::Delete,
        ("create" | "update" | "patch", _) => Action::Write,
        ("delete", _) => Action::Delete,
        _ => Action::Other,
    };
    (action, None, logical)
}

/// A KV v2 path's sub-path (`data/`, `metadata/`…) and its logical name.
fn kv2_split(path: &str, mount_point: Option<&str>) -> Option<(&'static str, String)> {
    let (mount, rest) = match mount_point.filter(|m| m.ends_with('/') && path.starts_with(m)) {
        Some(m) => (m, &path[m.len()..]),
        None => path.split_at(path.find('/')? + 1),
    };
    [
        "data/",
        "metadata/",
        "subkeys/",
        "delete/",
        "destroy/",
        "undelete/",
    ]
    .into_iter()
    .find_map(|sub| {
        let name = rest.strip_prefix(sub)?;
        Some((sub, format!("{mount}{name}")))
    })
}

/// The message of Vault's multierror text, without its framing.
fn tidy_error(error: &str) -> &str {
    let trimmed = error.trim();
    match trimmed.strip_prefix("1 error occurred:") {
        Some(rest) => rest.trim().trim_start_matches('*').trim(),
        None => trimmed,
    }
}

/// `permission denied` (alone, or inside Vault's multierror text) and a
/// missing token are denials; any other error is an error.
pub(crate) fn classify_error(error: Option<&str>) -> ErrorKind {
    match error {
        None => ErrorKind::None,
        Some(e) if e.contains("permission denied") || e.contains("missing client token") => {
            ErrorKind::Denied
        }
        Some(_) => ErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_request_lines_are_told_by_their_first_fields() {
        assert!(
            Vault.is_request_half(
                br#"{"time":"2025-03-15T02:34:12.1Z","type":"request","auth":{}}"#
            )
        );
        assert!(
            !Vault.is_request_half(
                br#"{"time":"2025-03-15T02:34:12.1Z","type":"response","auth":{}}"#
            )
        );
        // Anything laid out otherwise is parsed: a prefix, other key orders.
        assert!(
            !Vault.is_request_half(br#"audit: {"time":"2025-03-15T02:34:12Z","type":"request"}"#)
        );
        assert!(!Vault.is_request_half(br#"{"type":"request","time":"x"}"#));
    }

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
    fn every_request_has_an_action() {
        let m = Some("secret/");
        let cases = [
            (
                "read",
                "secret/data/prod/db",
                Action::Read,
                true,
                Some("secret/prod/db"),
            ),
            (
                "read",
                "secret/metadata/prod/db",
                Action::Metadata,
                false,
                Some("secret/prod/db"),
            ),
            (
                "list",
                "secret/metadata/prod/",
                Action::List,
                false,
                Some("secret/prod/"),
            ),
            (
                "create",
                "secret/data/prod/db",
                Action::Write,
                false,
                Some("secret/prod/db"),
            ),
            (
                "patch",
                "secret/data/prod/db",
                Action::Write,
                false,
                Some("secret/prod/db"),
            ),
            (
                "update",
                "secret/destroy/prod/db",
                Action::Delete,
                false,
                Some("secret/prod/db"),
            ),
            (
                "update",
                "secret/undelete/prod/db",
                Action::Write,
                false,
                Some("secret/prod/db"),
            ),
            (
                "delete",
                "secret/metadata/prod/db",
                Action::Delete,
                false,
                Some("secret/prod/db"),
            ),
            ("update", "auth/approle/login", Action::Other, false, None),
            ("read", "sys/mounts", Action::Other, false, None),
            (
                "help",
                "secret/data/prod/db",
                Action::Other,
                false,
                Some("secret/prod/db"),
            ),
        ];
        for (op, path, action, value, logical) in cases {
            let (a, kind, l) = classify(op, path, m);
            assert_eq!(
                (a, kind.is_some(), l.as_deref()),
                (action, value, logical),
                "{op} {path}"
            );
        }
        assert_eq!(
            tidy_error("1 error occurred:\n\t* permission denied\n\n"),
            "permission denied"
        );
    }

    #[test]
    fn the_response_is_checked_whole_but_not_decoded() {
        let head = r#"{"time":"2025-03-15T02:34:12Z","type":"response","auth":{"entity_id":"e","display_name":"n","metadata":{"role_name":"r"}},"request":{"id":"x","operation":"read","path":"kv/a","remote_address":"10.0.0.1"}"#;
        let ok = format!(
            r#"{head},"response":{{"data":{{"v":"hmac-sha256:1","n":{{"x":[1,"}}"]}}}}}}}}"#
        );
        let (raw, response) = head_only(&ok).expect("Vault's layout, response last");
        assert_eq!(
            response,
            Some(r#"{"data":{"v":"hmac-sha256:1","n":{"x":[1,"}"]}}}"#)
        );
        assert_eq!(raw.request.0.unwrap().path.get(), Some("kv/a"));
        assert_eq!(raw.auth.0.unwrap().entity_id.get(), Some("e"));
        assert_eq!(raw.error.get(), None);
        // Anything else is parsed in full.
        let denied = format!(r#"{head},"response":{{"data":{{}}}},"error":"permission denied"}}"#);
        assert!(head_only(&denied).is_none());
        assert!(matches!(parse_line(&denied), Ok(e) if e.error == ErrorKind::Denied));
        let cut = format!(r#"{head},"response":{{"data":{{"v":"hmac-sha256:1"}}}}"#);
        assert!(head_only(&cut).is_none(), "a cut line is not whole");
        assert!(matches!(parse_line(&cut), Err(RecordError::NotJson(_))));
        let nested = r#"{"time":"t","type":"response","request":{"data":{"a":1,"response":{}}}}"#;
        assert!(
            head_only(nested).is_none(),
            "a nested response key is no cut"
        );
        let other = ok.replacen(
            r#"{"time":"2025-03-15T02:34:12Z","type":"response","#,
            r#"{"type":"response","time":"2025-03-15T02:34:12Z","#,
            1,
        );
        assert!(head_only(&other).is_none());
        assert!(matches!(parse_line(&other), Ok(e) if e.error == ErrorKind::None));
    }

    #[test]
    fn responses_without_a_value_are_no_reads() {
        let line = |response: &str| {
            format!(
                r#"{{"time":"2025-03-15T02:34:12Z","type":"response","auth":{{"entity_id":"e"}},"request":{{"id":"x","operation":"read","path":"secret/data/a","mount_point":"secret/"}}{response}}}"#
            )
        };
        let verdict = |response: &str| parse_line(&line(response)).unwrap().error;
        assert_eq!(
            verdict(r#","response":{"data":{"data":{"k":"hmac-sha256:1"}}}"#),
            ErrorKind::None
        );
        let missing = r#","response":{"mount_type":"kv","data":{"http_content_type":"application/json","http_raw_body":"hmac-sha256:2","http_status_code":404}}"#;
        assert_eq!(verdict(missing), ErrorKind::NotFound);
        assert_eq!(
            verdict(
                r#","response":{"data":{"http_raw_body":"hmac-sha256:3","http_status_code":"500"}}"#
            ),
            ErrorKind::Other
        );
        // A secret that merely has such a key, with no raw body, is a value.
        assert_eq!(
            verdict(r#","response":{"data":{"http_status_code":404,"owner":"hmac-sha256:4"}}"#),
            ErrorKind::None
        );
        for empty in [
            "",
            r#","response":{}"#,
            r#","response":null"#,
            r#","response":{"mount_type":"kv"}"#,
            r#","response":{"data":null}"#,
            r#","response":{"data":{}}"#,
        ] {
            assert_eq!(verdict(empty), ErrorKind::NoValue, "{empty}");
        }
        // Wrapped for the caller: it holds the token that unwraps the value.
        assert_eq!(
            verdict(r#","response":{"wrap_info":{"token":"hmac-sha256:3","ttl":60}}"#),
            ErrorKind::None
        );
        // The same through the full parse (another key order).
        let reordered = line(missing).replacen(
            r#"{"time":"2025-03-15T02:34:12Z","type":"response","#,
            r#"{"type":"response","time":"2025-03-15T02:34:12Z","#,
            1,
        );
        assert_eq!(parse_line(&reordered).unwrap().error, ErrorKind::NotFound);
        // Not a value read: an empty answer is an ordinary success.
        let write = line("").replace(r#""operation":"read""#, r#""operation":"update""#);
        assert_eq!(parse_line(&write).unwrap().error, ErrorKind::None);
        // A request line is never judged by a response it does not have.
        let request = line("").replace(r#""type":"response""#, r#""type":"request""#);
        assert_eq!(parse_line(&request).unwrap().error, ErrorKind::None);
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

    fn read(line: &str) -> RawEvent<'_> {
        match parse_line(line).unwrap() {
            r if r.kind.is_some() => r,
            _ => panic!("not a value read: {line}"),
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
            .caller
            .id,
            "e"
        );
        assert_eq!(
            read(&with(
                r#"{"entity_id":"","accessor":"a","display_name":"n"}"#
            ))
            .caller
            .id,
            "a"
        );
        assert_eq!(read(&with(r#"{"display_name":"n"}"#)).caller.id, "n");
        assert_eq!(
            read(&with(r#"{"token_type":"default"}"#)).caller.id,
            "token:hmac-sha256:t"
        );
        let raw = format!(
            "{{{},\"auth\":{{}}}}",
            base.replace("hmac-sha256:t", "s.RAWTOKEN")
        );
        let r = read(&raw);
        assert_eq!(r.caller.id, "unknown");
        assert!(r.raw_tokens && !r.raw_values, "a raw token, but no data");
    }

    #[test]
    fn prefixes_namespaces_and_other_entry_types() {
        let line = r#"audit: {"time":"2025-03-15T02:34:12.5Z","type":"request","request":{"id":"x","operation":"read","path":"secret/data/db","mount_point":"secret/","namespace":{"id":"n1","path":"team-a/"}}}"#;
        let r = read(line);
        assert_eq!(r.secret, "team-a/secret/data/db");
        assert_eq!(r.logical.as_deref(), Some("team-a/secret/db"));
        assert_eq!(r.stage, Stage::Request);
        let kmip = parse_line(
            r#"{"time":"2025-03-15T02:34:13Z","type":"kmip-request","request":{"operation":"get","path":"kmip/scope/s1","remote_address":"[2001:db8::7]:5696"}}"#,
        )
        .unwrap();
        assert_eq!(
            (kmip.action, kmip.kind, &*kmip.operation, kmip.stage),
            (Action::Other, None, "kmip-request get", Stage::Request)
        );
        assert_eq!(kmip.source_address.as_deref(), Some("2001:db8::7"));
        let odd =
            parse_line(r#"{"time":"2025-03-15T02:34:13Z","type":"mystery","auth":{}}"#).unwrap();
        assert_eq!((odd.action, &*odd.operation), (Action::Other, "mystery"));
        assert_eq!(
            parse_line(r#"{"time":"2025-03-15T02:34:13Z","type":"mystery"}"#).unwrap_err(),
            RecordError::Unrecognised
        );
        assert_eq!(
            parse_line(r#"{"Records":[]}"#).unwrap_err(),
            RecordError::Unrecognised
        );
        assert!(matches!(
            parse_line("{\"type\":\"request\""),
            Err(RecordError::NotJson(_))
        ));
        let bad_time =
            r#"{"time":"yesterday","type":"request","request":{"operation":"read","path":"kv/a"}}"#;
        assert!(matches!(parse_line(bad_time), Err(RecordError::BadTime(_))));
    }
}
