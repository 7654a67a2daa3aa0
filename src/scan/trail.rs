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
use crate::source::store::TrailNeedle;
use crate::source::trail::{ChangeKind, TrailRecord};

/// A change to the trail, owned (see `TrailChange`); an index keeps those
/// that stop or start a trail with its file's facts.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Change {
    pub origin: Origin,
    pub source: Source,
    #[serde(with = "instant")]
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
    /// CloudTrail digest files, where they are.
    pub digests: Vec<(Origin, crate::source::trail::Digest)>,
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
        if let Some(token) = &record.token {
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
                        token.hmac.to_string(),
                        TokenUse {
                            first: time,
                            last: time,
                            origin,
                        },
                    );
                }
            }
        }
        if let Some(digest) = &record.digest {
            self.digests.push((origin, (**digest).clone()));
        }
        self.keep_change(source, record, origin);
    }

    fn keep_change(&mut self, source: Source, record: TrailRecord<'_>, origin: Origin) {
        let time = record.time;
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
        for (origin, _) in &mut self.digests {
            origin.line += base;
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
        self.digests.extend(other.digests);
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

/// The stores' trail needles (`About::trail_needles`), searched by
/// questions besides what they ask (see `Plan::watch_trail`).
static WATCH: std::sync::LazyLock<Vec<(Source, Needle)>> = std::sync::LazyLock::new(|| {
    Source::ALL
        .into_iter()
        .flat_map(|s| {
            s.store().about().trail_needles.iter().map(move |n| {
                let finder = memchr::memmem::Finder::new(n.word.as_bytes());
                (s, Needle { finder, need: n })
            })
        })
        .collect()
});

struct Needle {
    finder: memchr::memmem::Finder<'static>,
    need: &'static TrailNeedle,
}

impl Needle {
    /// Whether the hit at `at` follows the segment it must follow.
    fn holds(&self, data: &[u8], at: usize) -> bool {
        let Some(segment) = self.need.after_segment else {
            return true;
        };
        let before = &data[..at];
        let before = before
            .strip_suffix(b"/")
            .or_else(|| before.strip_suffix(b"\\/"));
        before.is_some_and(|b| b.ends_with(segment.as_bytes()))
    }
}

/// The needles of a file's store (all of them when it is not known).
fn needles(hint: Option<Source>) -> impl Iterator<Item = &'static Needle> {
    WATCH
        .iter()
        .filter(move |(s, _)| hint.is_none_or(|h| h == *s))
        .map(|(_, n)| n)
}

/// Offsets in `data` of records that may stop or start a trail.
pub(crate) fn watch_hits(data: &[u8], hint: Option<Source>) -> impl Iterator<Item = usize> + '_ {
    needles(hint).flat_map(move |n| {
        n.finder
            .find_iter(data)
            .filter(move |&at| n.holds(data, at))
    })
}

/// Whether a record may stop or start a trail.
pub(crate) fn watched(record: &[u8], hint: Option<Source>) -> bool {
    watch_hits(record, hint).next().is_some()
}

impl TrailOut {
    /// Notes only what the record changes of the trail, and only a change
    /// that stops or starts it (a question's `coverage`).
    pub(crate) fn note_stop_or_start(
        &mut self,
        source: Source,
        record: TrailRecord<'_>,
        origin: Origin,
    ) {
        let stops_or_starts = record
            .change
            .as_ref()
            .is_some_and(|c| c.kind.effect() != crate::source::trail::Effect::Noted);
        if stops_or_starts {
            self.keep_change(source, record, origin);
        }
    }
}

/// A time kept as its instant and the digits its log wrote.
mod instant {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::event::Timestamp;

    pub(super) fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        (t.nanos(), t.digits()).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let (nanos, digits) = <(i64, Option<u8>)>::deserialize(d)?;
        Ok(match digits {
            Some(digits) => Timestamp::logged(nanos, digits),
            None => Timestamp::from_nanos(nanos),
        })
    }
}
