//! The dispatcher: which store a record belongs to, told by its top-level
//! keys as each store declares them (`About::claims`), and the records that
//! wrappers carry inside them (a store's own wrappers, `About::wrappers`,
//! and the envelopes forwarders put around any record). Stores are asked
//! in registry order ([`Source::ALL`]), which is the order they claim in.

use std::borrow::Cow;
use std::sync::LazyLock;

use serde::Deserializer as _;
use serde::de::{Error as _, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::lenient::Str;
use super::store::{Mark, Wrapper};
use super::trail::TrailRecord;
use super::{RecordError, Source};
use crate::event::RawEvent;

/// Envelopes a forwarder may put around any store's record, tried in this
/// order: EKS' CloudWatch `message`, a log shipper's `log`, a SIEM test
/// harness' `input`, EventBridge's `detail`.
const ENVELOPES: [&str; 4] = ["message", "log", "input", "detail"];

/// How deep wrappers may nest (a SEKOIA test holding an AKS record holding
/// an Event is three).
const MAX_WRAPPING: u8 = 4;

/// Decodes one record and calls `emit` for each read of a secret it holds
/// (a record may name several: a batch read). `hint` is the store the file
/// was detected as: its records are parsed at once when the store says so
/// (`About::parse_first`), so the common case parses once. Returns the
/// record's store.
pub(crate) fn parse_record(
    text: &str,
    hint: Option<Source>,
    emit: &mut dyn FnMut(RawEvent<'_>),
) -> Result<Source, RecordError> {
    dispatch(text, hint, &mut |source, text| {
        (source.store().about().parse)(text, emit)
    })
}

/// Decodes one record for what it tells of the trail itself (`coverage`,
/// see `TrailRecord`), dispatched as `parse_record` dispatches, `emit`
/// told the store too. Returns the record's store.
pub(crate) fn trail_record(
    text: &str,
    hint: Option<Source>,
    emit: &mut dyn FnMut(Source, TrailRecord<'_>),
) -> Result<Source, RecordError> {
    dispatch(text, hint, &mut |source, text| {
        (source.store().about().trail)(text, &mut |record| emit(source, record))
    })
}

/// Decides the store of a file from one of its records, without keeping
/// any read.
pub(crate) fn detect(text: &str) -> Result<Source, RecordError> {
    parse_record(text, None, &mut |_| {})
}

/// Finds the store whose record `text` is (or carries, in a wrapper) and
/// has `read` decode it as that store's.
fn dispatch(
    text: &str,
    hint: Option<Source>,
    read: &mut dyn FnMut(Source, &str) -> Result<(), RecordError>,
) -> Result<Source, RecordError> {
    dispatch_nested(text, hint, read, 0)
}

fn dispatch_nested(
    text: &str,
    hint: Option<Source>,
    read: &mut dyn FnMut(Source, &str) -> Result<(), RecordError>,
    depth: u8,
) -> Result<Source, RecordError> {
    // Text before the JSON (Vault's `prefix` option): only a store that
    // writes such lines can read them.
    let object = text.trim_start().starts_with('{');
    let first = Source::ALL
        .into_iter()
        .filter(|s| s.store().about().prefixed && (hint == Some(*s) || !object))
        .chain(hint.filter(|h| !h.store().about().prefixed));
    for source in first {
        if let Some(not_mine) = source.store().about().parse_first {
            match read(source, text) {
                Err(e) if not_mine(&e) => {}
                other => return other.map(|()| source),
            }
        }
    }
    let probing = &*PROBING;
    let probe = Probe::of(text, probing)?;
    for (source, claims) in &probing.claims {
        if claims
            .iter()
            .any(|marks| marks.iter().all(|m| probe.holds(m)))
        {
            match read(*source, text) {
                // Claimed, yet not its record after all: ask the next.
                Err(RecordError::Unrecognised) => {}
                other => return other.map(|()| *source),
            }
        }
    }
    if depth >= MAX_WRAPPING {
        return Err(RecordError::Unrecognised);
    }
    match probe.payload(probing) {
        Some(inner) => dispatch_nested(&inner, None, read, depth + 1),
        None => Err(RecordError::Unrecognised),
    }
}

/// At most this many keys are probed (the stores ask for 14 today; a bit
/// each in a `u32` mask, a slot each in a probe, which is zeroed per record).
const MAX_PROBED: usize = 16;

/// What probing a record looks for, gathered once from the stores.
struct Probing {
    /// Every key some store's claims or wrappers look at, and the
    /// envelopes; a member's place here is its bit.
    keys: Vec<&'static str>,
    /// Per key length, the keys of that length: every top-level key of a
    /// probed record is looked up, and most are none.
    by_length: [u32; 64],
    /// The keys whose values are read (a string a mark compares, a
    /// wrapper's payload); the others are only seen to be there.
    read_values: u32,
    /// Each store's claims, in registry order, by key place.
    claims: Vec<(Source, Vec<Vec<Held>>)>,
    /// The stores' wrappers, by key place: members holding a record as
    /// text, then members holding it in a field when another says so.
    texts: Vec<usize>,
    within: Vec<(usize, &'static str, usize, &'static str)>,
    /// The envelopes, by key place.
    envelopes: Vec<usize>,
}

/// A [`Mark`] by its key's place.
enum Held {
    Present(usize),
    Text(usize),
    TextIs(usize, &'static str),
}

static PROBING: LazyLock<Probing> = LazyLock::new(|| {
    let abouts = || Source::ALL.into_iter().map(|s| (s, s.store().about()));
    let mut keys: Vec<&'static str> = Vec::new();
    let mut place = |key: &'static str| match keys.iter().position(|k| *k == key) {
        Some(at) => at,
        None => {
            keys.push(key);
            keys.len() - 1
        }
    };
    let mut read_values = 0u32;
    let mut claims = Vec::new();
    for (source, about) in abouts() {
        let mut groups = Vec::new();
        for marks in about.claims {
            let mut held = Vec::new();
            for mark in *marks {
                let at = place(mark.key());
                held.push(match *mark {
                    Mark::Key(_) => Held::Present(at),
                    Mark::Text(_) => Held::Text(at),
                    Mark::TextIs(_, value) => Held::TextIs(at, value),
                });
                if !matches!(mark, Mark::Key(_)) {
                    read_values |= 1 << at;
                }
            }
            groups.push(held);
        }
        claims.push((source, groups));
    }
    let (mut texts, mut within) = (Vec::new(), Vec::new());
    for (_, about) in abouts() {
        for wrapper in about.wrappers {
            match *wrapper {
                Wrapper::Text(key) => texts.push(place(key)),
                Wrapper::Within {
                    when: (key, prefix),
                    within: outer,
                    field,
                } => within.push((place(key), prefix, place(outer), field)),
            }
        }
    }
    let envelopes: Vec<usize> = ENVELOPES.into_iter().map(&mut place).collect();
    for at in texts.iter().chain(&envelopes).copied() {
        read_values |= 1 << at;
    }
    for &(when, _, outer, _) in &within {
        read_values |= (1 << when) | (1 << outer);
    }
    assert!(keys.len() <= MAX_PROBED, "too many probed keys: {keys:?}");
    let mut by_length = [0u32; 64];
    for (at, key) in keys.iter().enumerate() {
        by_length[key.len().min(63)] |= 1 << at;
    }
    Probing {
        keys,
        by_length,
        read_values,
        claims,
        texts,
        within,
        envelopes,
    }
});

impl Probing {
    /// Where `key` stands among the probed keys.
    fn place(&self, key: &str) -> Option<usize> {
        let mut candidates = *self.by_length.get(key.len())?;
        while candidates != 0 {
            let at = candidates.trailing_zeros() as usize;
            if self.keys[at] == key {
                return Some(at);
            }
            candidates &= candidates - 1;
        }
        None
    }
}

/// A record's probed top-level members (see [`Probing`]): which are there
/// (not `null`), and the values of those whose values are read. Built for
/// every record a file's own store did not take at once: no allocation.
#[derive(Default)]
struct Probe<'a> {
    members: [Option<&'a RawValue>; MAX_PROBED],
    present: u32,
}

impl<'a> Probe<'a> {
    fn of(text: &'a str, probing: &Probing) -> Result<Probe<'a>, RecordError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let probe = de
            .deserialize_struct("Probe", &[], ProbeVisitor(probing))
            .and_then(|probe| de.end().map(|()| probe));
        probe.map_err(|e| RecordError::NotJson(super::short_error(&e)))
    }

    /// The member's text, when it is a string.
    fn text(&self, at: usize) -> Option<Cow<'a, str>> {
        let raw = self.members[at]?;
        serde_json::from_str::<Str<'a>>(raw.get()).ok()?.0
    }

    fn holds(&self, held: &Held) -> bool {
        match *held {
            Held::Present(at) => self.present & (1 << at) != 0,
            Held::Text(at) => self.text(at).is_some(),
            Held::TextIs(at, value) => self.text(at).is_some_and(|t| t == value),
        }
    }

    /// The record a wrapper carries: a store's own wrappers first, then the
    /// envelopes; as an object or as the JSON text a string holds.
    fn payload(&self, probing: &Probing) -> Option<Cow<'a, str>> {
        if let Some(text) = probing.texts.iter().find_map(|&at| self.text(at)) {
            return Some(text);
        }
        let within = probing
            .within
            .iter()
            .filter(|(when, prefix, ..)| self.text(*when).is_some_and(|t| t.starts_with(prefix)))
            .find_map(|&(_, _, outer, field)| member_of(self.members[outer]?.get(), field));
        within
            .into_iter()
            .chain(probing.envelopes.iter().filter_map(|&at| self.members[at]))
            .find_map(embedded)
    }
}

/// The raw value of `field` (the first, if given twice; `None` when absent
/// or null) in the object `outer` holds, if it holds one.
pub(crate) fn member_of<'a>(outer: &'a str, field: &str) -> Option<&'a RawValue> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(outer);
    de.deserialize_map(MemberVisitor {
        field,
        found: &mut found,
    })
    .ok()?;
    found
}

/// A wrapper field's record: the object itself, or the JSON text a string
/// holds. `None` for anything else (a plain log message).
fn embedded(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'{') => Some(Cow::Borrowed(text)),
        Some(b'"') => {
            let inner: Cow<'_, str> = serde_json::from_str(text).ok()?;
            inner.trim_start().starts_with('{').then_some(inner)
        }
        _ => None,
    }
}

/// Reads the probed members of a record's top-level object; a probed key
/// given twice is an error, as it is to serde for any declared field.
struct ProbeVisitor<'p>(&'p Probing);

impl<'de> Visitor<'de> for ProbeVisitor<'_> {
    type Value = Probe<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct Probe")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe<'de>, A::Error> {
        let probing = self.0;
        let mut probe = Probe::default();
        let mut seen = 0u32;
        while let Some(place) = map.next_key_seed(PlaceOfKey(probing))? {
            let Some(at) = place else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if seen & (1 << at) != 0 {
                return Err(A::Error::duplicate_field(probing.keys[at]));
            }
            seen |= 1 << at;
            if probing.read_values & (1 << at) != 0 {
                probe.members[at] = map.next_value::<Option<&'de RawValue>>()?;
                probe.present |= u32::from(probe.members[at].is_some()) << at;
            } else if map.next_value::<Option<IgnoredAny>>()?.is_some() {
                probe.present |= 1 << at;
            }
        }
        Ok(probe)
    }

    /// An array is no store's record (a container's arrays are cut into
    /// records before this).
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Probe<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Probe::default())
    }
}

/// A key's place among the probed keys (`None`: not probed), read without
/// keeping the key.
struct PlaceOfKey<'p>(&'p Probing);

impl<'de> serde::de::DeserializeSeed<'de> for PlaceOfKey<'_> {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for PlaceOfKey<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.place(key))
    }
}

/// Finds one member of an object, as raw JSON.
struct MemberVisitor<'f, 'a> {
    field: &'f str,
    found: &'f mut Option<&'a RawValue>,
}

impl<'de> Visitor<'de> for MemberVisitor<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Str<'de>>()? {
            if key.0.as_deref() == Some(self.field) && self.found.is_none() {
                *self.found = map.next_value::<Option<&'de RawValue>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_members_claim_nothing_and_doubled_keys_are_errors() {
        // `eventSource` is null: no CloudTrail claim; nothing else claims.
        let null = r#"{"eventSource":null,"eventName":"GetSecretValue"}"#;
        assert_eq!(detect(null), Err(RecordError::Unrecognised));
        let twice = r#"{"kind":"Event","kind":"Event"}"#;
        assert_eq!(
            detect(twice),
            Err(RecordError::NotJson("duplicate field `kind`".into()))
        );
        // Unprobed keys may repeat.
        assert_eq!(detect(r#"{"a":1,"a":2}"#), Err(RecordError::Unrecognised));
    }

    #[test]
    fn every_claimed_key_is_probed_once() {
        let probing = &*PROBING;
        for (at, key) in probing.keys.iter().enumerate() {
            assert_eq!(probing.place(key), Some(at), "{key}");
        }
        assert_eq!(probing.place("time"), None);
        assert_eq!(probing.claims.len(), Source::ALL.len());
    }
}
