//! A string field that borrows from the input when it can and tolerates any
//! other JSON type (read as absent). Audit logs are written by many versions
//! of many tools; a number where a string was expected must not lose a line.
//!
//! It exists because `Option<Cow<str>>` never borrows with serde
//! (serde-rs/serde#2016); this visitor takes borrowed strings directly.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The visits of a lenient visitor for null, booleans and numbers: all of
/// them read as the given "absent" value.
macro_rules! absent_scalars {
    ($absent:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($absent)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($absent)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($absent)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($absent)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($absent)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($absent)
        }
    };
}

/// A string, or `None` for null, a number, a bool, an object or an array.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Str<'a>(pub Option<Cow<'a, str>>);

impl<'a> Str<'a> {
    /// The text, with empty strings treated as absent (Vault writes `""`,
    /// `null` or nothing for the same meaning depending on its version).
    pub(crate) fn get(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrVisitor)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Str<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Str(Some(Cow::Borrowed(v))))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Str(Some(Cow::Owned(v.to_owned()))))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Str(Some(Cow::Owned(v))))
    }
    absent_scalars!(Str(None));
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(StrVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Str(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Str(None))
    }
}

/// A list of strings, tolerating null, a lone value and non-string members.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct StrList<'a>(pub Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for StrList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = StrList<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(Str(item)) = seq.next_element::<Str<'de>>()? {
                    out.extend(item);
                }
                Ok(StrList(out))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(ListVisitor)
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(StrList(vec![Cow::Borrowed(v)]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StrList(vec![Cow::Owned(v.to_owned())]))
            }
            absent_scalars!(StrList(Vec::new()));
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(StrList(Vec::new()))
            }
        }
        d.deserialize_any(ListVisitor)
    }
}

/// A string-to-string map (auth metadata), keeping only string values.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct StrMap<'a>(pub BTreeMap<Cow<'a, str>, Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for StrMap<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = StrMap<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((Key(k), Str(v))) = map.next_entry::<Key<'de>, Str<'de>>()? {
                    if let Some(v) = v {
                        out.insert(k, v);
                    }
                }
                Ok(StrMap(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(StrMap::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(MapVisitor)
            }
            absent_scalars!(StrMap::default());
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(StrMap::default())
            }
        }
        d.deserialize_any(MapVisitor)
    }
}

/// An object field read into `T`, or `None` when the log has another JSON
/// type there: one odd field must not cost the whole line.
#[derive(Debug)]
pub(crate) struct Obj<T>(pub Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            absent_scalars!(Obj(None));
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
        }
        d.deserialize_any(ObjVisitor(std::marker::PhantomData))
    }
}

/// A map key that borrows when it can.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Str::deserialize(d)?.0 {
            Some(s) => Ok(Key(s)),
            None => Ok(Key(Cow::Borrowed(""))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T<'a> {
        #[serde(borrow, default)]
        s: Str<'a>,
        #[serde(borrow, default)]
        l: StrList<'a>,
        #[serde(borrow, default)]
        m: StrMap<'a>,
    }

    #[test]
    fn borrows_plain_strings_and_decodes_escaped_ones() {
        let t: T = serde_json::from_str(r#"{"s":"plain"}"#).unwrap();
        assert!(matches!(t.s.0, Some(Cow::Borrowed("plain"))));
        let t: T = serde_json::from_str(r#"{"s":"ops\u0026sre"}"#).unwrap();
        assert_eq!(t.s.get(), Some("ops&sre"));
    }

    #[derive(Deserialize)]
    struct Outer<'a> {
        #[serde(borrow, default)]
        inner: Obj<T<'a>>,
    }

    #[test]
    fn objects_of_another_type_read_as_absent() {
        let o: Outer = serde_json::from_str(r#"{"inner":"team"}"#).unwrap();
        assert!(o.inner.0.is_none());
        let o: Outer = serde_json::from_str(r#"{"inner":{"s":"x"}}"#).unwrap();
        assert!(matches!(o.inner.0.unwrap().s.0, Some(Cow::Borrowed("x"))));
    }

    #[test]
    fn other_types_read_as_absent() {
        let t: T = serde_json::from_str(r#"{"s":5,"l":null,"m":[1]}"#).unwrap();
        assert_eq!(t.s.get(), None);
        assert!(t.l.0.is_empty());
        assert!(t.m.0.is_empty());
        let t: T = serde_json::from_str(r#"{"s":"","l":["a",1,"b"],"m":{"k":"v","n":2}}"#).unwrap();
        assert_eq!(t.s.get(), None);
        assert_eq!(t.l.0, vec!["a", "b"]);
        assert_eq!(t.m.0.len(), 1);
    }
}
