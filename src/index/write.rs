//! Writing a segment: every event of one file, its strings and callers
//! interned, its rows grouped by secret and, within a secret, in file
//! order. The bytes depend on the events and their order only, so the same
//! input gives the same segment, byte for byte.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::codes::Code;
use super::format::{
    self, CREATES, DIRECTORY, IDENTITY, NONE, REF, REQUEST_HALF, REQUEST_NONE, REQUEST_TEXT,
    REQUEST_UUID, ROW, SECTIONS, row,
};
use crate::event::{Event, Identity, Provider, RequestKey};
use crate::scan::Extra;

/// A segment being built.
#[derive(Default)]
pub(super) struct Builder {
    strings: FxHashMap<Box<str>, u32>,
    blob: Vec<u8>,
    string_ends: Vec<u64>,
    callers: FxHashMap<Identity, u32>,
    /// The caller last seen: most events share their identity's `Arc`
    /// with the one before. (Held, so its address cannot be reused by
    /// another identity while it is compared.)
    last_caller: Option<(Arc<Identity>, u32)>,
    caller_words: Vec<u32>,
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

    fn caller(&mut self, identity: &Arc<Identity>) -> u32 {
        if let Some((last, id)) = &self.last_caller {
            if Arc::ptr_eq(last, identity) {
                return *id;
            }
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
                self.callers.insert(identity.as_ref().clone(), id);
                id
            }
        };
        self.last_caller = Some((identity.clone(), id));
        id
    }

    fn secret(&mut self, e: &Event, alias: Option<&str>) -> u32 {
        let key = [
            self.string(&e.secret),
            self.string_opt(e.logical.as_deref()),
            self.string_opt(alias),
            u32::from(e.provider.code()) << 8 | u32::from(e.scope.code()),
        ];
        if let Some(&id) = self.refs.get(&key) {
            return id;
        }
        let id = self.ref_records.len() as u32;
        let mut r = [0u8; REF];
        r[0..4].copy_from_slice(&key[0].to_le_bytes());
        r[4..8].copy_from_slice(&key[1].to_le_bytes());
        r[8..12].copy_from_slice(&key[2].to_le_bytes());
        r[12] = e.provider.code();
        r[13] = e.scope.code();
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
            r[0] = realm.code();
            r[4..8].copy_from_slice(&id_string.to_le_bytes());
            self.identity_records.push(r);
        }
        found
    }

    /// Adds the next event of the file, in file order.
    pub(super) fn add(&mut self, e: &Event, extra: &Extra) {
        let seq = self.rows.len() as u32;
        let mut r = [0u8; ROW];
        let put32 =
            |r: &mut [u8; ROW], at: usize, v: u32| r[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put32(&mut r, row::SEQ, seq);
        let caller = self.caller(&e.identity);
        put32(&mut r, row::CALLER, caller);
        let operation = self.string(&e.operation);
        put32(&mut r, row::OPERATION, operation);
        let reason = self.string_opt(e.reason.as_deref());
        put32(&mut r, row::REASON, reason);
        let credential = self.string_opt(e.credential.as_deref());
        put32(&mut r, row::CREDENTIAL, credential);
        let address = self.string_opt(e.source_address.as_deref());
        put32(&mut r, row::ADDRESS, address);
        let agent = self.string_opt(e.user_agent.as_deref());
        put32(&mut r, row::USER_AGENT, agent);
        let export_id = self.string_opt(e.export_id.as_deref());
        put32(&mut r, row::EXPORT_ID, export_id);
        let (nanos, digits) = e.time.raw_parts();
        r[row::TIME..row::TIME + 8].copy_from_slice(&nanos.to_le_bytes());
        r[row::LINE..row::LINE + 8].copy_from_slice(&e.origin.line.to_le_bytes());
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
        r[row::FLAGS] =
            if e.creates { CREATES } else { 0 } | if extra.request_half { REQUEST_HALF } else { 0 };
        r[row::DIGITS] = digits;
        let secret = self.secret(e, extra.alias.as_deref());
        put32(&mut r, row::REF, secret);
        let identity = self.identity(e.provider.realm(), &e.identity.id);
        self.rows.push((r, secret, identity));
    }

    /// The segment's bytes, with `meta` (JSON) as its first section.
    pub(super) fn finish(mut self, meta: &[u8]) -> Vec<u8> {
        // Grouped by secret, each group in file order (the sort is stable).
        self.rows.sort_by_key(|&(_, secret, _)| secret);
        let mut ref_rows = vec![0u64; self.ref_records.len() + 1];
        for &(_, secret, _) in &self.rows {
            ref_rows[secret as usize + 1] += 1;
        }
        for i in 1..ref_rows.len() {
            ref_rows[i] += ref_rows[i - 1];
        }
        // Each identity's rows, ascending: a counting sort.
        let mut identity_ends = vec![0u64; self.identity_records.len() + 1];
        for &(_, _, identity) in &self.rows {
            identity_ends[identity as usize + 1] += 1;
        }
        for i in 1..identity_ends.len() {
            identity_ends[i] += identity_ends[i - 1];
        }
        let mut next = identity_ends.clone();
        let mut identity_rows = vec![0u8; self.rows.len() * 4];
        for (n, &(_, _, identity)) in self.rows.iter().enumerate() {
            let at = next[identity as usize] as usize * 4;
            identity_rows[at..at + 4].copy_from_slice(&(n as u32).to_le_bytes());
            next[identity as usize] += 1;
        }
        let mut file_order = vec![0u8; self.rows.len() * 4];
        for (n, (r, _, _)) in self.rows.iter().enumerate() {
            let seq = u32::from_le_bytes([
                r[row::SEQ],
                r[row::SEQ + 1],
                r[row::SEQ + 2],
                r[row::SEQ + 3],
            ]);
            let at = seq as usize * 4;
            file_order[at..at + 4].copy_from_slice(&(n as u32).to_le_bytes());
        }
        let u64s = |v: &[u64]| -> Vec<u8> { v.iter().flat_map(|n| n.to_le_bytes()).collect() };
        let sections: [Vec<u8>; SECTIONS] = [
            meta.to_vec(),
            std::mem::take(&mut self.blob),
            u64s(&self.string_ends),
            self.caller_words
                .iter()
                .flat_map(|w| w.to_le_bytes())
                .collect(),
            u64s(&self.caller_ends),
            self.ref_records.concat(),
            u64s(&ref_rows),
            self.rows
                .iter()
                .flat_map(|(r, _, _)| r.iter().copied())
                .collect(),
            self.identity_records.concat(),
            u64s(&identity_ends),
            identity_rows,
            file_order,
        ];
        let mut body = vec![0u8; DIRECTORY];
        for (i, s) in sections.iter().enumerate() {
            let at = body.len() as u64;
            body[i * 16..i * 16 + 8].copy_from_slice(&at.to_le_bytes());
            body[i * 16 + 8..i * 16 + 16].copy_from_slice(&(s.len() as u64).to_le_bytes());
            body.extend_from_slice(s);
        }
        let sums = format::block_sums(&body);
        let mut out = Vec::with_capacity(format::HEADER + sums.len() + body.len());
        out.extend_from_slice(&format::header(body.len(), &sums));
        out.extend_from_slice(&sums);
        out.extend_from_slice(&body);
        out
    }
}
