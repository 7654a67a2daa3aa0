//! Pairing: a request's record and its response's record become one
//! [`Event`] with its outcome decided, counted once, whatever files or
//! chunks they were found in.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::event::{ErrorKind, Event, Outcome, Provider, RequestKey, Stage, Timestamp};

struct Pair {
    request: Option<Event>,
    response: Option<Event>,
}

/// Pairs entries by request id (per store and secret: one CloudTrail event
/// may read several parameters). Entries must come in input order: when the
/// same half is logged twice (several audit devices, a file given twice,
/// CloudTrail delivering an event twice) the first one counts and the copies
/// are ignored. Accesses come out in time order (ties in input order).
pub(crate) fn pair(entries: Vec<Event>) -> Vec<Event> {
    // Halves of one request share a shard; shards pair in parallel, each
    // in input order. Shards are sized before entries move into them.
    let shards = rayon::current_num_threads().max(1) * 4;
    let shard_of: Vec<usize> = entries
        .par_iter()
        .map(|entry| {
            let mut h = rustc_hash::FxHasher::default();
            (entry.provider, &entry.key).hash(&mut h);
            (h.finish() % shards as u64) as usize
        })
        .collect();
    let mut sizes = vec![0; shards];
    shard_of.iter().for_each(|&s| sizes[s] += 1);
    let mut sharded: Vec<Vec<Event>> = sizes.into_iter().map(Vec::with_capacity).collect();
    for (entry, shard) in entries.into_iter().zip(shard_of) {
        sharded[shard].push(entry);
    }
    let mut accesses: Vec<Event> = sharded.into_par_iter().flat_map_iter(pair_shard).collect();
    accesses.par_sort_by_key(|a| (a.time, a.origin));
    // A store may log one access twice (see `Store::after_pairing`).
    crate::source::stores().fold(accesses, |events, store| store.after_pairing(events))
}

fn pair_shard(entries: Vec<Event>) -> impl Iterator<Item = Event> {
    // Pairs are found with borrowed keys (no copies, no reference counting
    // on strings every thread shares) and held as entry indices (not as
    // pair-sized records); then each pair's entries move out.
    let mut pairs: Vec<[Option<usize>; 2]> = Vec::with_capacity(entries.len());
    let mut ends: Vec<Timestamp> = Vec::with_capacity(entries.len());
    {
        type Key<'e> = (Provider, &'e RequestKey, &'e str);
        let mut index: FxHashMap<Key<'_>, usize> =
            FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for (at, e) in entries.iter().enumerate() {
            let slot = *index
                .entry((e.provider, &e.key, &e.secret))
                .or_insert_with(|| {
                    pairs.push([None, None]);
                    ends.push(e.time);
                    pairs.len() - 1
                });
            ends[slot] = ends[slot].max(e.time);
            let half = &mut pairs[slot][usize::from(e.stage == Stage::Response)];
            half.get_or_insert(at);
        }
    }
    let mut entries: Vec<Option<Event>> = entries.into_iter().map(Some).collect();
    pairs
        .into_iter()
        .zip(ends)
        .filter_map(move |([request, response], end)| {
            let mut access = decide(Pair {
                request: request.and_then(|at| entries[at].take()),
                response: response.and_then(|at| entries[at].take()),
            })?;
            access.end = end.max(access.time);
            Some(access)
        })
}

fn decide(pair: Pair) -> Option<Event> {
    let request_error = pair.request.as_ref().map_or(ErrorKind::None, |r| r.error);
    let request_reason = pair.request.as_ref().and_then(|r| r.reason.clone());
    let (mut event, outcome) = match (pair.response, pair.request) {
        // A denial on either entry is a denial (it may be logged on the
        // request only); another error is an error; never a success.
        (Some(response), _) => {
            let outcome = request_error.max(response.error).outcome();
            (response, outcome)
        }
        (None, Some(request)) => {
            let outcome = match request.error {
                ErrorKind::None | ErrorKind::NoValue => Outcome::Unknown,
                verdict => verdict.outcome(),
            };
            (request, outcome)
        }
        (None, None) => return None,
    };
    event.outcome = outcome;
    event.reason = event.reason.or(request_reason);
    event.end = event.time;
    event.excluded = None;
    Some(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Identity, Origin, ReadKind, Scope};
    use std::sync::Arc;

    fn entry(id: &str, stage: Stage, line: u64, error: ErrorKind) -> Event {
        let origin = Origin {
            file: 0,
            line,
            record: None,
        };
        let time = Timestamp::from_nanos(i64::try_from(line).unwrap() * 1000);
        Event {
            key: RequestKey::from_id(id, origin),
            provider: Provider::Vault,
            action: crate::event::Action::Read,
            kind: Some(ReadKind::Value),
            scope: Scope::One,
            operation: Arc::from("read"),
            stage,
            time,
            end: time,
            error,
            outcome: Outcome::Unknown,
            reason: None,
            export_id: None,
            secret: Arc::from("secret/data/db"),
            logical: Some(Arc::from("secret/db")),
            identity: Arc::new(Identity {
                id: "e1".into(),
                id_source: crate::event::IdSource::Entity,
                label: "bot".into(),
                provider: Provider::Vault,
                metadata: Default::default(),
                policies: vec![],
            }),
            credential: None,
            source_address: None,
            user_agent: None,
            origin,
            creates: false,
            excluded: None,
        }
    }

    const A: &str = "00000000-0000-0000-0000-00000000000a";
    const B: &str = "00000000-0000-0000-0000-00000000000b";

    #[test]
    fn a_request_and_its_response_count_once_at_the_response() {
        let got = pair(vec![
            entry(A, Stage::Request, 1, ErrorKind::None),
            entry(A, Stage::Response, 2, ErrorKind::None),
        ]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].outcome, Outcome::Success);
        assert_eq!(got[0].origin.line, 2);
    }

    #[test]
    fn lone_halves_and_duplicates() {
        let got = pair(vec![
            entry(A, Stage::Response, 1, ErrorKind::None), // request line lost
            entry(B, Stage::Request, 2, ErrorKind::None),  // response never logged
            entry(A, Stage::Response, 3, ErrorKind::None), // second audit device
        ]);
        let outcomes: Vec<_> = got.iter().map(|a| a.outcome).collect();
        assert_eq!(outcomes, vec![Outcome::Success, Outcome::Unknown]);
    }

    #[test]
    fn denials_on_either_half_are_denials() {
        let got = pair(vec![
            entry(A, Stage::Request, 1, ErrorKind::Denied),
            entry(A, Stage::Response, 2, ErrorKind::None),
            entry(B, Stage::Request, 3, ErrorKind::Denied),
        ]);
        assert!(got.iter().all(|a| a.outcome == Outcome::Denied));
        let got = pair(vec![entry(A, Stage::Response, 1, ErrorKind::Other)]);
        assert_eq!(got[0].outcome, Outcome::Error);
        let got = pair(vec![
            entry(A, Stage::Request, 1, ErrorKind::Denied),
            entry(A, Stage::Response, 2, ErrorKind::Other),
        ]);
        assert_eq!(got[0].outcome, Outcome::Denied);
    }

    #[test]
    fn lines_without_an_id_are_never_merged() {
        let got = pair(vec![
            entry("", Stage::Response, 1, ErrorKind::None),
            entry("", Stage::Response, 2, ErrorKind::None),
        ]);
        assert_eq!(got.len(), 2);
    }
}
