//! `trace-value`: who received one exact value, known by its HMAC (what
//! `vault write sys/audit-hash/<device> input=…` returns for a leaked
//! password, or a database user name from the database's own log): every
//! response that returned it (readers, as who-read counts them) and every
//! request that sent it (a write that set it), each with the member that
//! holds it, the lease and the version. The value itself is never known to
//! whosaw: only its HMAC, as the log writes it.

use std::collections::HashMap;

use serde::Serialize;

use super::readers::Reader;
use super::report::{Place, ReaderOut, Stats};
use super::who_read::reader_out;
use crate::event::{Event, Origin, Provider, ReadKind, Scope, Timestamp};
use crate::source::store::Site;
use crate::time::Window;

pub(crate) const TRACE_SCHEMA: &str = "whosaw.trace-value.v1";

#[derive(Debug, Serialize)]
pub(crate) struct TraceEcho {
    /// How the value was named: `hmac`, `sha256`, or `stdin` (hashed, and
    /// neither it nor its hash is shown).
    pub given: &'static str,
    pub hmac: Option<String>,
    pub sha256: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

/// One place the value sits: a record, and its member.
#[derive(Debug, Serialize)]
pub(crate) struct SiteOut {
    pub time: Timestamp,
    pub provider: Provider,
    pub identity: String,
    pub identity_id: String,
    pub operation: String,
    /// The path the request named (`database/creds/app`, `secret/data/x`).
    pub secret: String,
    pub request_id: Option<String>,
    #[serde(flatten)]
    pub site: Site,
    #[serde(flatten)]
    pub place: Place,
}

#[derive(Debug, Serialize)]
pub(crate) struct TraceReport {
    pub schema: &'static str,
    pub query: TraceEcho,
    /// Who received the value: each identity a response returned it to.
    pub readers: Vec<ReaderOut>,
    /// Every record and member that holds it, in time order.
    pub sites: Vec<SiteOut>,
    pub stats: Stats,
}

/// The records' sites, by record.
pub(crate) type Traces = Vec<(Origin, Vec<Site>)>;

/// The sites inside `window`, with the record's event (`entries`: the
/// records kept, before pairing), once per request: Vault writes a
/// request's data in its response's record too.
pub(crate) fn sites(
    traces: &Traces,
    entries: &[Event],
    window: &Window,
    files: &[String],
) -> Vec<SiteOut> {
    let by_origin: HashMap<Origin, &Event> = entries.iter().map(|e| (e.origin, e)).collect();
    let mut out: Vec<SiteOut> = traces
        .iter()
        .filter_map(|(origin, sites)| Some((by_origin.get(origin)?, sites)))
        .filter(|(e, _)| window.contains(e.time))
        .flat_map(|(e, sites)| {
            sites.iter().map(move |site| SiteOut {
                time: e.time,
                provider: e.provider,
                identity: e.identity.label.clone(),
                identity_id: e.identity.id.clone(),
                operation: e.operation.to_string(),
                secret: e.secret.to_string(),
                request_id: e.key.display(),
                site: site.clone(),
                place: Place::of(e, files),
            })
        })
        .collect();
    out.sort_by_key(|s| (s.time, s.place.file.clone(), s.place.line));
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| {
        s.request_id.is_none()
            || seen.insert((s.provider, s.request_id.clone(), s.site.member.clone()))
    });
    out
}

/// The requests whose response returned the value, as reads of it: the
/// value left the store in them, whatever the operation was called (a
/// read, a login, a credential's creation).
pub(crate) fn receipts(accesses: &[Event], traces: &Traces) -> Vec<Event> {
    let returned: std::collections::HashSet<Origin> = traces
        .iter()
        .filter(|(_, sites)| sites.iter().any(|s| s.half == "response"))
        .map(|(origin, _)| *origin)
        .collect();
    accesses
        .iter()
        .filter(|a| returned.contains(&a.origin))
        .map(|a| Event {
            kind: Some(ReadKind::Value),
            scope: Scope::One,
            ..a.clone()
        })
        .collect()
}

pub(crate) fn readers_out(readers: &[Reader], files: &[String]) -> Vec<ReaderOut> {
    readers.iter().map(|r| reader_out(r, files)).collect()
}
