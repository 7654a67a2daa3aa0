//! Writing a segment: every event of one file, its strings and callers
//! interned, its rows grouped by secret and, within a secret, in file
//! order. The bytes depend on the events and their order only, so the same
//! input gives the same segment, byte for byte.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::codes::Code;
use super::format::{
    self, CREATES, DIRECTORY, IDENTITY, NONE, REF, REQUEST_HALF, REQUEST_NONE, REQUEST_TEXT,
    REQUEST_UUID, ROW, SECTIONS, TOKENS_IN_CLEAR, VALUES_IN_CLEAR, identity, row, secret,
};
use crate::event::{Event, Identity, Provider, RequestKey};
use crate::scan::Extra;

/// A value kept alive while its address stands for it.
#[allow(dead_code)] // held, never read
enum Held {
    String(Arc<str>),
    Identity(Arc<Identity>),
}

/// A segment being built.
#[derive(Default)]
pub(super) struct Builder {
    strings: FxHashMap<Box<str>, u32>,
    blob: Vec<u8>,
    string_ends: Vec<u64>,
    callers: FxHashMap<Identity, u32>,
    /// Shared strings and identities already seen, by address: a scan
    /// shares each value's `Arc` among its events, so most lookups are one
    /// pointer hash, not a hash and comparison of the text. The `Arc`s are
    /// held in `held`, so no address is reused by another value meanwhile.
    by_address: FxHashMap<usize, u32>,
    callers_by_address: FxHashMap<usize, u32>,
    held: Vec<Held>,
    caller_words: Vec<u32>,
    /// Each caller's identity (store, id) in `identity_records`.
    caller_identity: Vec<u32>,
    caller_ends: Vec<u64>,
    refs: FxHashMap<[u32; 4], u32>,
    ref_records: Vec<[u8; REF]>,
    identities: FxHashMap<(Provider, u32), u32>,
    identity_records: Vec<[u8; IDENTITY]>,
    /// Each row with its secret and identity.
    rows: Vec<([u8; ROW], u32, u32)>,
}

impl Builder {
    pub(super) fn new() -> Builder {
        Builder {
            string_ends: vec![0],
            caller_ends: vec![0],
            ..Builder::default()
        }
    }

    pub(super) fn rows(&self) -> usize {
        self.rows.len()
    }

    fn string(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.strings.get(s) {
            return id;
        }
        let id = self.string_ends.len() as u32 - 1;
        self.blob.extend_from_slice(s.as_bytes());
        self.string_ends.push(self.blob.len() as u64);
        self.strings.insert(s.into(), id);
        id
    }

    fn string_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.string(s))
    }

    fn shared(&mut self, s: &Arc<str>) -> u32 {
        let address = Arc::as_ptr(s) as *const u8 as usize;
        if let Some(&id) = self.by_address.get(&address) {
            return id;
        }
        let id = self.string(s);
        self.by_address.insert(address, id);
        self.held.push(Held::String(s.clone()));
        id
    }

    fn shared_opt(&mut self, s: Option<&Arc<str>>) -> u32 {
        s.map_or(NONE, |s| self.shared(s))
    }

    fn caller(&mut self, identity: &Arc<Identity>) -> u32 {
        let address = Arc::as_ptr(identity) as usize;
        if let Some(&id) = self.callers_by_address.get(&address) {
            return id;
        }
        let id = match self.callers.get(identity.as_ref()) {
            Some(&id) => id,
            None => {
                let id = self.caller_ends.len() as u32 - 1;
                let mut words = vec![
                    self.string(&identity.id),
                    u32::from(identity.id_source.code()),
                    self.string(&identity.label),
                    identity.metadata.len() as u32,
                ];
                for (k, v) in &identity.metadata {
                    words.push(self.string(k));
                    words.push(self.string(v));
                }
                words.push(identity.policies.len() as u32);
                for p in &identity.policies {
                    words.push(self.string(p));
                }
                self.caller_words.extend(words);
                self.caller_ends.push(self.caller_words.len() as u64);
                let identity_of = self.identity(identity.provider, &identity.id);
                self.caller_identity.push(identity_of);
                self.callers.insert(identity.as_ref().clone(), id);
                id
            }
        };
        self.callers_by_address.insert(address, id);
        self.held.push(Held::Identity(identity.clone()));
        id
    }

    fn secret(&mut self, e: &Event, alias: Option<&Arc<str>>) -> u32 {
        let key = [
            self.shared(&e.secret),
            self.shared_opt(e.logical.as_ref()),
            self.shared_opt(alias),
            u32::from(e.provider.code()) << 8 | u32::from(e.scope.code()),
        ];
        if let Some(&id) = self.refs.get(&key) {
            return id;
        }
        let id = self.ref_records.len() as u32;
        let mut r = [0u8; REF];
        for (at, id) in [secret::NAME, secret::LOGICAL, secret::ALIAS]
            .into_iter()
            .zip(key)
        {
            r[at..at + 4].copy_from_slice(&id.to_le_bytes());
        }
        r[secret::PROVIDER] = e.provider.code();
        r[secret::SCOPE] = e.scope.code();
        self.ref_records.push(r);
        self.refs.insert(key, id);
        id
    }

    fn identity(&mut self, realm: Provider, id: &str) -> u32 {
        let id_string = self.string(id);
        let next = self.identity_records.len() as u32;
        let found = *self.identities.entry((realm, id_string)).or_insert(next);
        if found == next {
            let mut r = [0u8; IDENTITY];
            r[identity::REALM] = realm.code();
            r[identity::ID..identity::ID + 4].copy_from_slice(&id_string.to_le_bytes());
            self.identity_records.push(r);
        }
        found
    }

    /// Adds the next event of the file, in file order.
    pub(super) fn add(&mut self, e: &Event, extra: &Extra) {
        self.add_below(e, extra, 0);
    }

    /// Adds the next event of the file, its line `base` lines further down
    /// than its event says (a slice's events are numbered from the slice).
    pub(super) fn add_below(&mut self, e: &Event, extra: &Extra, base: u64) {
        let seq = self.rows.len() as u32;
        let mut r = [0u8; ROW];
        let put32 =
            |r: &mut [u8; ROW], at: usize, v: u32| r[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put32(&mut r, row::SEQ, seq);
        let caller = self.caller(&e.identity);
        put32(&mut r, row::CALLER, caller);
        let operation = self.shared(&e.operation);
        put32(&mut r, row::OPERATION, operation);
        let reason = self.shared_opt(e.reason.as_ref());
        put32(&mut r, row::REASON, reason);
        let credential = self.shared_opt(e.credential.as_ref());
        put32(&mut r, row::CREDENTIAL, credential);
        let address = self.shared_opt(e.source_address.as_ref());
        put32(&mut r, row::ADDRESS, address);
        let agent = self.shared_opt(e.user_agent.as_ref());
        put32(&mut r, row::USER_AGENT, agent);
        // Unique to each row: not worth keeping by address.
        let export_id = self.string_opt(e.export_id.as_deref());
        put32(&mut r, row::EXPORT_ID, export_id);
        let (nanos, digits) = e.time.raw_parts();
        r[row::TIME..row::TIME + 8].copy_from_slice(&nanos.to_le_bytes());
        r[row::LINE..row::LINE + 8].copy_from_slice(&(e.origin.line + base).to_le_bytes());
        put32(&mut r, row::RECORD, e.origin.record.unwrap_or(NONE));
        match &e.key {
            RequestKey::Uuid(n) => {
                r[row::REQUEST_KIND] = REQUEST_UUID;
                r[row::REQUEST..row::REQUEST + 16].copy_from_slice(&n.to_le_bytes());
            }
            RequestKey::Text(t) => {
                r[row::REQUEST_KIND] = REQUEST_TEXT;
                let id = self.string(t);
                put32(&mut r, row::REQUEST, id);
            }
            RequestKey::Unpaired(_) => r[row::REQUEST_KIND] = REQUEST_NONE,
        }
        r[row::PROVIDER] = e.provider.code();
        r[row::ACTION] = e.action.code();
        r[row::KIND] = e.kind.map_or(0, |k| k.code() + 1);
        r[row::STAGE] = e.stage.code();
        r[row::ERROR] = e.error.code();
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        r[row::FLAGS] = flag(e.creates, CREATES)
            | flag(extra.request_half, REQUEST_HALF)
            | flag(e.values_in_clear, VALUES_IN_CLEAR)
            | flag(e.tokens_in_clear, TOKENS_IN_CLEAR);
        r[row::DIGITS] = digits;
        let secret = self.secret(e, extra.alias.as_ref());
        put32(&mut r, row::REF, secret);
        // The identity's store is the event's realm (see `Interner`).
        let identity = self.caller_identity[caller as usize];
        self.rows.push((r, secret, identity));
    }

    /// The segment's bytes, with `meta` (JSON) as its first section.
    /// Written once, in place: the rows are the bulk, and every copy of
    /// them costs as much as the rest.
    pub(super) fn finish(self, meta: &[u8]) -> Vec<u8> {
        let n = self.rows.len();
        // Grouped by secret, each group in file order: a counting sort.
        let ref_rows = group_starts(
            self.ref_records.len(),
            self.rows.iter().map(|&(_, secret, _)| secret),
        );
        let mut next = ref_rows.clone();
        // `placed[k]`: the row written k-th; `place[row]`: where it goes.
        let mut placed = vec![0u32; n];
        let mut place = vec![0u32; n];
        for (row, &(_, secret, _)) in self.rows.iter().enumerate() {
            let at = &mut next[secret as usize];
            placed[*at as usize] = row as u32;
            place[row] = *at as u32;
            *at += 1;
        }
        // Each identity's rows, ascending (by where they were placed).
        let identity_ends = group_starts(
            self.identity_records.len(),
            self.rows.iter().map(|&(_, _, identity)| identity),
        );
        let mut next = identity_ends.clone();
        let mut identity_rows = vec![0u32; n];
        for &row in &placed {
            let identity = self.rows[row as usize].2 as usize;
            identity_rows[next[identity] as usize] = place[row as usize];
            next[identity] += 1;
        }

        let sizes: [usize; SECTIONS] = [
            meta.len(),
            self.blob.len(),
            self.string_ends.len() * 8,
            self.caller_words.len() * 4,
            self.caller_ends.len() * 8,
            self.ref_records.len() * REF,
            ref_rows.len() * 8,
            n * ROW,
            self.identity_records.len() * IDENTITY,
            identity_ends.len() * 8,
            n * 4,
            n * 4,
        ];
        let body_len = DIRECTORY + sizes.iter().sum::<usize>();
        let body_at = format::HEADER + body_len.div_ceil(format::BLOCK) * 4;
        let mut out = Vec::with_capacity(body_at + body_len);
        out.resize(body_at + DIRECTORY, 0);
        let mut at = DIRECTORY;
        for (i, size) in sizes.iter().enumerate() {
            let d = body_at + i * 16;
            out[d..d + 8].copy_from_slice(&(at as u64).to_le_bytes());
            out[d + 8..d + 16].copy_from_slice(&(*size as u64).to_le_bytes());
            at += size;
        }
        let put_u64s = |out: &mut Vec<u8>, v: &[u64]| {
            v.iter()
                .for_each(|n| out.extend_from_slice(&n.to_le_bytes()));
        };
        let put_u32s = |out: &mut Vec<u8>, v: &[u32]| {
            v.iter()
                .for_each(|n| out.extend_from_slice(&n.to_le_bytes()));
        };
        out.extend_from_slice(meta);
        out.extend_from_slice(&self.blob);
        put_u64s(&mut out, &self.string_ends);
        put_u32s(&mut out, &self.caller_words);
        put_u64s(&mut out, &self.caller_ends);
        self.ref_records
            .iter()
            .for_each(|r| out.extend_from_slice(r));
        put_u64s(&mut out, &ref_rows);
        placed
            .iter()
            .for_each(|&row| out.extend_from_slice(&self.rows[row as usize].0));
        self.identity_records
            .iter()
            .for_each(|r| out.extend_from_slice(r));
        put_u64s(&mut out, &identity_ends);
        put_u32s(&mut out, &identity_rows);
        // Rows in file order: where each was placed.
        put_u32s(&mut out, &place);
        debug_assert_eq!(out.len(), body_at + body_len);
        let sums = format::block_sums(&out[body_at..]);
        out[format::HEADER..body_at].copy_from_slice(&sums);
        let header = format::header(body_len, &sums);
        out[..format::HEADER].copy_from_slice(&header);
        out
    }
}

/// Where each of `groups` groups starts when items are laid out group by
/// group, from each item's group (the first half of a counting sort); the
/// last entry is the number of items.
fn group_starts(groups: usize, group_of: impl Iterator<Item = u32>) -> Vec<u64> {
    let mut starts = vec![0u64; groups + 1];
    for group in group_of {
        starts[group as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    starts
}
