//! Pairing: a request's record and its response's record become one
//! [`Event`] with its outcome decided, counted once, whatever files or
//! chunks they were found in.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::event::{ErrorKind, Event, Origin, Outcome, Provider, RequestKey, Stage, Timestamp};

/// How one request ended, decided from its halves by position: the event
/// it becomes is moved out once, after sorting.
struct Decided {
    /// The half that decides: the response, else the request.
    half: usize,
    /// The request, when the response decides.
    request: Option<usize>,
    outcome: Outcome,
    /// The latest time of any of its records.
    end: Timestamp,
    /// Where it sorts: the deciding half's time and record.
    at: (Timestamp, Origin),
}

/// Pairs entries by request id (per store and secret: one CloudTrail event
/// may read several parameters). Entries must come in input order: when the
/// same half is logged twice (several audit devices, a file given twice,
/// CloudTrail delivering an event twice) the first one counts and the copies
/// are ignored. Accesses come out in time order (ties in input order).
pub(crate) fn pair(entries: Vec<Event>) -> Vec<Event> {
    // Halves of one request share a shard; shards pair in parallel, each
    // in input order. Pairs are found and sorted as entry positions (an
    // event is large: moving each once, at the end, was most of the cost).
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
    let mut sharded: Vec<Vec<usize>> = sizes.into_iter().map(Vec::with_capacity).collect();
    for (at, shard) in shard_of.into_iter().enumerate() {
        sharded[shard].push(at);
    }
    let mut decided: Vec<Decided> = sharded
        .par_iter()
        .flat_map_iter(|shard| pair_shard(&entries, shard))
        .collect();
    decided.par_sort_by_key(|d| d.at);
    let accesses = arrange(entries, decided);
    // A store may log one access twice (see `Store::after_pairing`).
    crate::source::stores().fold(accesses, |events, store| store.after_pairing(events))
}

/// The events that count, in `decided`'s order, each with its outcome
/// set. They are moved in place (one swap puts an event where it belongs):
/// a copy into a new list would move every event twice and fault in as
/// much fresh memory again.
fn arrange(mut entries: Vec<Event>, decided: Vec<Decided>) -> Vec<Event> {
    const DROPPED: usize = usize::MAX;
    let mut place = vec![DROPPED; entries.len()];
    for (to, d) in decided.iter().enumerate() {
        let reason = match d.request {
            Some(at) if entries[d.half].reason.is_none() => entries[at].reason.clone(),
            _ => None,
        };
        let event = &mut entries[d.half];
        event.outcome = d.outcome;
        event.reason = event.reason.take().or(reason);
        event.end = d.end;
        event.excluded = None;
        place[d.half] = to;
    }
    // Drop the halves that do not count, keeping each survivor's place.
    let mut places = place.iter();
    entries.retain(|_| places.next() != Some(&DROPPED));
    place.retain(|&to| to != DROPPED);
    for at in 0..entries.len() {
        while place[at] != at {
            let to = place[at];
            entries.swap(at, to);
            place.swap(at, to);
        }
    }
    entries
}

/// The requests of one shard (`members`: positions in `entries`, ascending).
fn pair_shard(entries: &[Event], members: &[usize]) -> Vec<Decided> {
    // Pairs are found with borrowed keys (no copies, no reference counting
    // on strings every thread shares).
    let mut pairs: Vec<[Option<usize>; 2]> = Vec::with_capacity(members.len());
    let mut ends: Vec<Timestamp> = Vec::with_capacity(members.len());
    type Key<'e> = (Provider, &'e RequestKey, &'e str);
    let mut index: FxHashMap<Key<'_>, usize> =
        FxHashMap::with_capacity_and_hasher(members.len(), Default::default());
    for &at in members {
        let e = &entries[at];
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
    pairs
        .into_iter()
        .zip(ends)
        .filter_map(|([request, response], end)| {
            let (half, outcome) = decide(entries, request, response)?;
            let e = &entries[half];
            Some(Decided {
                half,
                request: request.filter(|&at| at != half),
                outcome,
                end: end.max(e.time),
                at: (e.time, e.origin),
            })
        })
        .collect()
}

/// Which of a request's records decides it (the response, else the
/// request), and its outcome.
fn decide(
    entries: &[Event],
    request: Option<usize>,
    response: Option<usize>,
) -> Option<(usize, Outcome)> {
    let request_error = request.map_or(ErrorKind::None, |at| entries[at].error);
    match (response, request) {
        // A denial on either entry is a denial (it may be logged on the
        // request only); another error is an error; never a success.
        (Some(response), _) => {
            let outcome = request_error.max(entries[response].error).outcome();
            Some((response, outcome))
        }
        (None, Some(request)) => {
            let outcome = match request_error {
                ErrorKind::None | ErrorKind::NoValue => Outcome::Unknown,
                verdict => verdict.outcome(),
            };
            Some((request, outcome))
        }
        (None, None) => None,
    }
}

/// How a record's request stands among the records of one file (see
/// [`standings`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Standing {
    /// Which of the request's records this file holds: a request, a response.
    pub halves: (bool, bool),
    /// The record that decides the request (one per request): what
    /// `timeline` shows. Copies and the other half do not.
    pub decides: bool,
    /// The request's outcome, as these records tell it.
    pub outcome: Outcome,
    /// Where the deciding record is in `entries`.
    pub decider: usize,
}

/// Pairs `entries` (one file's, in input order) as [`pair`] does, but
/// keeps every record: each is told how its request stands in this file,
/// so that an export can write every record with the key that completes
/// it elsewhere.
pub(crate) fn standings(entries: &[Event]) -> Vec<Standing> {
    type Key<'e> = (Provider, &'e RequestKey, &'e str);
    let mut slots: FxHashMap<Key<'_>, usize> = FxHashMap::default();
    let mut halves: Vec<[Option<usize>; 2]> = Vec::new();
    let mut slot_of = Vec::with_capacity(entries.len());
    for (at, e) in entries.iter().enumerate() {
        let slot = *slots
            .entry((e.provider, &e.key, &e.secret))
            .or_insert_with(|| {
                halves.push([None, None]);
                halves.len() - 1
            });
        halves[slot][usize::from(e.stage == Stage::Response)].get_or_insert(at);
        slot_of.push(slot);
    }
    let decided: Vec<(usize, Outcome)> = halves
        .iter()
        .map(|[request, response]| {
            decide(entries, *request, *response).expect("a slot holds a record")
        })
        .collect();
    slot_of
        .into_iter()
        .enumerate()
        .map(|(at, slot)| {
            let [request, response] = halves[slot];
            let (decider, outcome) = decided[slot];
            Standing {
                halves: (request.is_some(), response.is_some()),
                decides: decider == at,
                outcome,
                decider,
            }
        })
        .collect()
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
            values_in_clear: false,
            tokens_in_clear: false,
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
    fn accesses_come_out_in_time_order_whatever_the_input_order() {
        let c = "00000000-0000-0000-0000-00000000000c";
        let mut late = entry(A, Stage::Response, 9, ErrorKind::None);
        late.reason = None;
        let mut denied = entry(B, Stage::Request, 5, ErrorKind::Denied);
        denied.reason = Some(Arc::from("permission denied"));
        let got = pair(vec![
            late,
            entry(c, Stage::Response, 7, ErrorKind::None),
            entry(A, Stage::Response, 8, ErrorKind::None), // a second copy: ignored
            denied,
            entry(B, Stage::Response, 6, ErrorKind::None),
            entry(c, Stage::Request, 1, ErrorKind::None),
        ]);
        let lines: Vec<u64> = got.iter().map(|a| a.origin.line).collect();
        assert_eq!(lines, vec![6, 7, 9]);
        assert_eq!(got[0].outcome, Outcome::Denied);
        assert_eq!(got[0].reason.as_deref(), Some("permission denied"));
        assert_eq!(got[1].end, Timestamp::from_nanos(7000));
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
