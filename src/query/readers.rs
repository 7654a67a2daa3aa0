//! Per-identity totals over the events inside the window: the raw material
//! of both `who-read` and `blast-radius`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::event::Event;
use crate::event::{Identity, Outcome, Provider, ReadKind, Scope, Timestamp};
use crate::time::Window;

/// Everything one identity did to the matching secrets in the window.
#[derive(Debug)]
pub(crate) struct Reader {
    /// As seen on its earliest access in the window.
    pub identity: Arc<Identity>,
    pub successful: u64,
    pub denied: u64,
    pub errors: u64,
    /// Answered: the secret does not exist.
    pub not_found: u64,
    /// Answered without error, but with no value.
    pub no_value: u64,
    pub unknown: u64,
    /// Successful reads that exposed the value through a wide read (a
    /// namespace list, a read by path): included in `successful`.
    pub wide: u64,
    /// SSM reads without decryption (not in `successful`).
    pub undecrypted: u64,
    /// Reads that returned unnamed secrets, possibly this one (not in `successful`).
    pub possible: u64,
    /// Operations as the stores logged them.
    pub operations: BTreeSet<Arc<str>>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub first_success: Option<Timestamp>,
    pub last_success: Option<Timestamp>,
    pub source_addresses: Addresses,
    pub success_addresses: Addresses,
    pub secrets: BTreeSet<Arc<str>>,
    /// Secret keys (KV v2 logical name, else path) read successfully.
    pub success_secrets: BTreeSet<Arc<str>>,
    /// Token accessors used for successful reads.
    pub credentials: BTreeSet<Arc<str>>,
    /// Every access, in time order, when evidence was asked for.
    pub evidence: Vec<Event>,
}

impl Reader {
    fn new(first: &Event) -> Reader {
        Reader {
            identity: first.identity.clone(),
            successful: 0,
            denied: 0,
            errors: 0,
            not_found: 0,
            no_value: 0,
            unknown: 0,
            wide: 0,
            undecrypted: 0,
            possible: 0,
            operations: BTreeSet::new(),
            first_seen: first.time,
            last_seen: first.time,
            first_success: None,
            last_success: None,
            source_addresses: Addresses::default(),
            success_addresses: Addresses::default(),
            secrets: BTreeSet::new(),
            success_secrets: BTreeSet::new(),
            credentials: BTreeSet::new(),
            evidence: Vec::new(),
        }
    }

    fn add(&mut self, a: &Event, keep_evidence: bool) {
        self.first_seen = self.first_seen.min(a.time);
        self.last_seen = self.last_seen.max(a.time);
        if let Some(addr) = &a.source_address {
            self.source_addresses.add(addr);
        }
        self.secrets.insert(a.secret.clone());
        self.operations.insert(a.operation.clone());
        match (a.outcome, a.kind) {
            (Outcome::Success, Some(ReadKind::Undecrypted)) => self.undecrypted += 1,
            (Outcome::Success, Some(ReadKind::Possible)) => self.possible += 1,
            (Outcome::Success, Some(ReadKind::Value)) => {
                if a.scope != Scope::One {
                    self.wide += 1;
                }
                self.successful += 1;
                self.first_success = Some(self.first_success.map_or(a.time, |t| t.min(a.time)));
                self.last_success = Some(self.last_success.map_or(a.time, |t| t.max(a.time)));
                if let Some(addr) = &a.source_address {
                    self.success_addresses.add(addr);
                }
                if let Some(c) = &a.credential {
                    self.credentials.insert(c.clone());
                }
                self.success_secrets.insert(a.secret_key().clone());
            }
            // Scans keep only value reads for readers; nothing to count.
            (Outcome::Success, None) => {}
            (Outcome::Denied, _) => self.denied += 1,
            (Outcome::Error, _) => self.errors += 1,
            (Outcome::NotFound, _) => self.not_found += 1,
            (Outcome::NoValue, _) => self.no_value += 1,
            (Outcome::Unknown, _) => self.unknown += 1,
        }
        if keep_evidence {
            self.evidence.push(a.clone());
        }
    }
}

/// The source addresses of some accesses, each with how many it made.
#[derive(Clone, Debug, Default)]
pub(crate) struct Addresses(std::collections::BTreeMap<Arc<str>, u64>);

impl Addresses {
    fn add(&mut self, address: &Arc<str>) {
        match self.0.get_mut(address) {
            Some(n) => *n += 1,
            None => {
                self.0.insert(address.clone(), 1);
            }
        }
    }

    /// Every address, in order, as a report lists them.
    pub(crate) fn list(&self) -> Vec<String> {
        self.0.keys().map(|s| s.to_string()).collect()
    }

    /// The address most accesses came from (the first in order of those
    /// tied): what a compact table shows, with how many others there are.
    pub(crate) fn busiest(&self) -> Option<String> {
        let most = self.0.values().copied().max()?;
        self.0
            .iter()
            .find(|(_, n)| **n == most)
            .map(|(a, _)| a.to_string())
    }
}

/// A set of shared strings as the owned list a report carries.
pub(crate) fn strings(set: &BTreeSet<Arc<str>>) -> Vec<String> {
    set.iter().map(|s| s.to_string()).collect()
}

/// Totals per identity over the accesses inside `window`, sorted by first
/// access (then identity id, so ties are stable). `accesses` must be in time
/// order. Excluded accesses (see `Event::excluded`) count for no one.
pub(crate) fn by_identity(accesses: &[Event], window: &Window, keep_evidence: bool) -> Vec<Reader> {
    let mut index: HashMap<(Provider, &str), usize> = HashMap::new();
    let mut readers: Vec<Reader> = Vec::new();
    for a in accesses
        .iter()
        .filter(|a| window.contains(a.time) && a.excluded.is_none())
    {
        let slot = *index
            .entry((a.identity.provider, a.identity.id.as_str()))
            .or_insert_with(|| {
                readers.push(Reader::new(a));
                readers.len() - 1
            });
        readers[slot].add(a, keep_evidence);
    }
    readers.sort_by(|a, b| (a.first_seen, &a.identity.id).cmp(&(b.first_seen, &b.identity.id)));
    readers
}
