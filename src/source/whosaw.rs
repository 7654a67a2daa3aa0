//! whosaw's own export (`whosaw export`, schema `whosaw.event.v1`), read
//! back as an input: one row per record of the original logs, with
//! everything the store's parser had found in it, so the rows become the
//! same events the original records did. Halves of a request exported from
//! different files pair up here as they would have in the logs.
//!
//! The rows name no store of their own: each keeps its record's store
//! (`provider`), whose plug-in still speaks for its names and credentials.

use super::prelude::*;
use crate::export::ROW_SCHEMA;

pub(crate) struct Whosaw;

/// One exported row: the fields a record's event is rebuilt from. Absent
/// optional fields read as absent; empty strings stay empty (the original
/// record's own).
#[derive(Deserialize)]
struct Row<'a> {
    #[serde(borrow)]
    schema: Str<'a>,
    #[serde(borrow)]
    time: Str<'a>,
    provider: Provider,
    action: Action,
    #[serde(borrow, default)]
    operation: Str<'a>,
    #[serde(borrow, default)]
    reason: Str<'a>,
    #[serde(borrow, default)]
    identity: Str<'a>,
    #[serde(borrow, default)]
    identity_id: Str<'a>,
    #[serde(borrow, default)]
    credential: Str<'a>,
    #[serde(borrow, default)]
    secret: Str<'a>,
    #[serde(borrow, default)]
    path: Str<'a>,
    #[serde(borrow, default)]
    source_address: Str<'a>,
    #[serde(borrow, default)]
    user_agent: Str<'a>,
    #[serde(borrow, default)]
    request_id: Str<'a>,
    #[serde(borrow, default)]
    file: Str<'a>,
    #[serde(default)]
    line: Option<u64>,
    #[serde(default)]
    record: Option<u32>,
    #[serde(borrow, default)]
    export_id: Str<'a>,
    stage: Stage,
    logged_error: ErrorKind,
    #[serde(default)]
    kind: Option<ReadKind>,
    scope: Scope,
    #[serde(borrow, default)]
    alias: Str<'a>,
    id_source: IdSource,
    #[serde(borrow, default)]
    metadata: StrMap<'a>,
    #[serde(borrow, default)]
    policies: StrList<'a>,
    #[serde(default)]
    creates: bool,
    #[serde(default)]
    values_in_clear: bool,
    #[serde(default)]
    tokens_in_clear: bool,
}

fn invalid(why: &str) -> RecordError {
    RecordError::Invalid(Source::Whosaw, why.into())
}

fn parse_record(text: &str, emit: &mut dyn FnMut(RawEvent<'_>)) -> Result<(), RecordError> {
    let row: Row<'_> = from_json(text)?;
    if row.schema.0.as_deref() != Some(ROW_SCHEMA) {
        return Err(RecordError::Unrecognised);
    }
    let time = record_time(row.time.0.as_deref())?;
    // `secret` is the name queries group by; `path` the name as logged
    // when it differs (see `query::timeline::EventOut`).
    let named = row.secret.0.unwrap_or_default();
    let (secret, logical) = match row.path.0 {
        Some(path) => (path, Some(named)),
        None => (named, None),
    };
    let cited = row.file.0.map(|file| {
        let line = row.line.ok_or_else(|| invalid("a file without a line"))?;
        let mut cited = format!("{file}:{line}");
        if let Some(record) = row.record {
            cited += &format!(" #{record}");
        }
        if let Some(id) = row.export_id.0 {
            cited += &format!(" [{id}]");
        }
        Ok(Cow::Owned(cited))
    });
    emit(RawEvent {
        provider: row.provider,
        action: row.action,
        kind: row.kind,
        scope: row.scope,
        operation: row.operation.0.unwrap_or_default(),
        stage: row.stage,
        time,
        request_id: row.request_id.0.unwrap_or_default(),
        error: row.logged_error,
        reason: row.reason.0,
        secret,
        logical,
        alias: row.alias.0,
        caller: Caller {
            id: row.identity_id.0.unwrap_or_default(),
            id_source: Some(row.id_source),
            label: row.identity.0.unwrap_or_default(),
            metadata: row.metadata.0.into_iter().collect(),
            policies: row.policies.0,
        },
        credential: row.credential.0,
        source_address: row.source_address.0,
        user_agent: row.user_agent.0,
        // What the record held in clear, never the values themselves: so
        // that `exposures` and blast-radius name the same as over the logs.
        raw_values: row.values_in_clear,
        raw_tokens: row.tokens_in_clear,
        creates: row.creates,
        cited: cited.transpose()?,
    });
    Ok(())
}

/// A read's row names its kind of value (`"kind":"value"`…).
const READ_NEEDLES: [&str; 3] = [
    "\"kind\":\"value\"",
    "\"kind\":\"undecrypted\"",
    "\"kind\":\"possible\"",
];

const ABOUT: About = About {
    title: "whosaw export",
    parse: parse_record,
    trail: crate::source::trail::timed_by_time,
    claims: &[&[Mark::TextIs("schema", ROW_SCHEMA)]],
    parse_first: Some(|e| matches!(e, RecordError::Unrecognised)),
    read_needles: &READ_NEEDLES,
    searchable: false,
    ..About::NONE
};

impl Store for Whosaw {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    /// The row of a record the scan that exported it found to be a request
    /// half whose response tells all (see `Store::is_request_half`).
    fn is_request_half(&self, record: &[u8]) -> bool {
        memchr::memmem::find(record, b"\"request_half\":true").is_some()
            && memchr::memmem::find(record, ROW_SCHEMA.as_bytes()).is_some()
    }

    // A row's names and credentials are its own store's: these speak for
    // no provider, and are asked only through `store_of(provider)`.
    fn credential(&self, who: &Identity, keys: &Credentials) -> (CredentialKind, String) {
        super::store_of(who.provider).credential(who, keys)
    }

    fn secret_hint(&self, provider: Provider, target: &str, logical: Option<&str>) -> String {
        super::store_of(provider).secret_hint(provider, target, logical)
    }
}
