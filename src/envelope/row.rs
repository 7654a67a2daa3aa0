//! An export row's members that say where its record is, read in one pass:
//! a row's record is mostly one long escaped string (`_raw`,
//! `event.original`), so the row is walked once, the record decoded as it
//! goes, and everything else skipped. A Splunk export line's `result` and an
//! Elasticsearch hit's `_source` are rows themselves.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::source::lenient::Str;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Row<'a> {
    /// Splunk's export endpoint: `preview`, then the row in `result`.
    pub preview: Option<IgnoredAny>,
    #[serde(borrow)]
    pub result: Obj<Box<Row<'a>>>,
    /// A Splunk row: the event's text, and its place in its index.
    #[serde(rename = "_raw", borrow)]
    pub raw: Option<Str<'a>>,
    #[serde(rename = "_cd", borrow)]
    pub cd: Str<'a>,
    /// An Elasticsearch hit: its id, and its document in `_source`.
    #[serde(rename = "_index")]
    pub index: Option<IgnoredAny>,
    #[serde(rename = "_id", borrow)]
    pub id: Str<'a>,
    #[serde(rename = "_source", borrow)]
    pub source: Obj<Box<Row<'a>>>,
    /// An Elasticsearch document: where a record may be.
    #[serde(rename = "@timestamp")]
    pub timestamp: Option<IgnoredAny>,
    #[serde(borrow)]
    pub event: Obj<Event<'a>>,
    #[serde(rename = "event.original", borrow)]
    pub event_original: Str<'a>,
    #[serde(borrow)]
    pub message: Str<'a>,
    /// Where a forwarder that decoded the record as JSON put it
    /// (Filebeat's `json`, a pipeline's `vault`, a shipper's `log`).
    #[serde(borrow)]
    pub json: Option<&'a RawValue>,
    #[serde(borrow)]
    pub vault: Option<&'a RawValue>,
    #[serde(borrow)]
    pub log: Option<&'a RawValue>,
}

impl<'a> Row<'a> {
    /// The row `text` holds; `None` when it is no JSON object (or one
    /// that names a member twice), which no export writes.
    pub(super) fn of(text: &'a str) -> Option<Row<'a>> {
        if !text.trim_start().starts_with('{') {
            return None;
        }
        serde_json::from_str(text).ok()
    }
}

/// ECS's `event` object: only `original` is read.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Event<'a> {
    #[serde(borrow)]
    pub original: Str<'a>,
}

/// An object read as `T`; any other JSON value is read as absent, so that a
/// member of an unexpected type never loses the row.
pub(super) struct Obj<T>(pub Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjVisitor(PhantomData))
    }
}

struct ObjVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
    type Value = Obj<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Obj<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Obj(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
}
