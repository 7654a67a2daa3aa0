//! What a covering scan keeps (`Plan::covering`): little per record, so
//! that `coverage` over a terabyte holds its counts, not its events. Every
//! record's store and time; the trail's changes in full; Vault requests
//! still waiting for their response; and each token as each device hashed
//! it, once.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::event::{ErrorKind, Origin, Stage, Timestamp};
use crate::source::Source;
use crate::source::trail::{ChangeKind, TrailRecord};

/// A change to the trail, owned (see `TrailChange`).
#[derive(Clone, Debug)]
pub(crate) struct Change {
    pub origin: Origin,
    pub source: Source,
    pub time: Timestamp,
    /// The request it belongs to, and which half this record is (Vault).
    pub half: Option<(String, Stage)>,
    pub kind: ChangeKind,
    pub target: String,
    pub operation: String,
    pub error: ErrorKind,
    pub reason: Option<String>,
    pub identity: String,
    pub source_address: Option<String>,
    pub trail_bucket: Option<String>,
}

/// A request half with no answer yet.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Waiting {
    pub time: Timestamp,
    pub origin: Origin,
}

/// Where a token was seen with one HMAC.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenUse {
    pub first: Timestamp,
    pub last: Timestamp,
    pub origin: Origin,
}

#[derive(Default)]
pub(crate) struct TrailOut {
    /// Each record's time in nanoseconds, by store, in record order.
    pub times: BTreeMap<Source, Vec<i64>>,
    pub changes: Vec<Change>,
    /// Requests (by a hash of their id) whose response was not met, yet.
    pub waiting: FxHashMap<u64, Waiting>,
    /// Responses whose request was not met (it was in another block).
    pub answered: FxHashSet<u64>,
    /// The latest response in each file (by file number).
    pub last_response: BTreeMap<u32, Timestamp>,
    /// Per token (by a hash of who it was issued to, and when), its uses
    /// by HMAC.
    pub tokens: FxHashMap<u64, Token>,
}

/// A token, known by who it was issued to and when, whatever device
/// hashed it.
#[derive(Debug)]
pub(crate) struct Token {
    pub issued_to: String,
    pub uses: BTreeMap<String, TokenUse>,
}

impl TrailOut {
    /// Notes one record.
    pub(crate) fn note(&mut self, source: Source, record: TrailRecord<'_>, origin: Origin) {
        let time = record.time;
        self.times.entry(source).or_default().push(time.nanos());
        if let Some((id, stage)) = &record.half {
            let key = xxh3_64(id.as_bytes());
            match stage {
                Stage::Request => {
                    if !self.answered.remove(&key) {
                        self.waiting.entry(key).or_insert(Waiting { time, origin });
                    }
                }
                Stage::Response => {
                    if self.waiting.remove(&key).is_none() {
                        self.answered.insert(key);
                    }
                    let last = self.last_response.entry(origin.file).or_insert(time);
                    *last = (*last).max(time);
                }
            }
        }
        if let Some(token) = record.token {
            // Looked up by a hash: most records repeat a token, and
            // nothing is allocated for one seen before.
            let mut hasher = Xxh3::new();
            hasher.update(token.issued_to.as_bytes());
            hasher.update(&[0]);
            hasher.update(token.issued_at.as_bytes());
            let key = hasher.digest();
            let uses = &mut self
                .tokens
                .entry(key)
                .or_insert_with(|| Token {
                    issued_to: token.issued_to.to_string(),
                    uses: BTreeMap::new(),
                })
                .uses;
            match uses.get_mut(&*token.hmac) {
                Some(u) => {
                    u.first = u.first.min(time);
                    u.last = u.last.max(time);
                }
                None => {
                    uses.insert(
                        token.hmac.into_owned(),
                        TokenUse {
                            first: time,
                            last: time,
                            origin,
                        },
                    );
                }
            }
        }
        if let Some(c) = record.change {
            self.changes.push(Change {
                origin,
                source,
                time,
                half: record.half.map(|(id, stage)| (id.into_owned(), stage)),
                kind: c.kind,
                target: c.target.into_owned(),
                operation: c.operation.into_owned(),
                error: c.error,
                reason: c.reason.map(|r| r.into_owned()),
                identity: c.identity.into_owned(),
                source_address: c.source_address.map(|a| a.into_owned()),
                trail_bucket: c.trail_bucket.map(|b| b.into_owned()),
            });
        }
    }

    /// Moves line numbers from block-relative to file-relative.
    pub(crate) fn shift_lines(&mut self, base: u64) {
        for c in &mut self.changes {
            c.origin.line += base;
        }
        for w in self.waiting.values_mut() {
            w.origin.line += base;
        }
        for token in self.tokens.values_mut() {
            for u in token.uses.values_mut() {
                u.origin.line += base;
            }
        }
    }

    /// Adds what a later block (or file) kept.
    pub(crate) fn append(&mut self, other: TrailOut) {
        for (source, mut times) in other.times {
            self.times.entry(source).or_default().append(&mut times);
        }
        self.changes.extend(other.changes);
        for (key, w) in other.waiting {
            if !self.answered.remove(&key) {
                self.waiting.entry(key).or_insert(w);
            }
        }
        for key in other.answered {
            if self.waiting.remove(&key).is_none() {
                self.answered.insert(key);
            }
        }
        for (file, t) in other.last_response {
            let last = self.last_response.entry(file).or_insert(t);
            *last = (*last).max(t);
        }
        for (key, token) in other.tokens {
            let mine = &mut self
                .tokens
                .entry(key)
                .or_insert_with(|| Token {
                    uses: BTreeMap::new(),
                    ..token
                })
                .uses;
            for (hmac, u) in token.uses {
                match mine.get_mut(&hmac) {
                    Some(m) => {
                        if u.first < m.first {
                            m.origin = u.origin;
                        }
                        m.first = m.first.min(u.first);
                        m.last = m.last.max(u.last);
                    }
                    None => {
                        mine.insert(hmac, u);
                    }
                }
            }
        }
    }
}
