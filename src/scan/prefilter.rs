//! Picking the records worth parsing by their bytes alone: the query's own
//! needles, literal words, JSON keys holding given values, or a word as a
//! whole JSON string, searched once over a block or record by record.

use std::collections::HashSet;

use memchr::memmem;

use crate::event::Provider;
use crate::matcher::{QueryPrefilter, SecretQuery, literal_tail, split_provider};
use crate::source::{Source, store_of, stores};

/// Whether the records of a file detected as `hint` can be picked by
/// their bytes (see `About::searchable`).
fn searchable(hint: Option<Source>) -> bool {
    hint.is_none_or(|s| s.store().about().searchable)
}

/// Records that cannot hold a match are skipped before parsing.
pub(super) enum Prefilter {
    Query(QueryPrefilter),
    /// Records holding one of these literals.
    Literals(Vec<memmem::Finder<'static>>),
    /// Records holding this word as a JSON string (`"read"`), or as one
    /// inside JSON held in a string (`\"read\"`). It is looked for record
    /// by record, after cheaper checks: a word in most records is found
    /// early in each, which beats a pass over the whole block per spelling.
    JsonString(Box<memmem::Finder<'static>>),
    /// Records where one of some JSON keys holds one of some values.
    FieldValues(FieldValues),
    /// Records any of these would keep.
    Any(Vec<Prefilter>),
    /// In a file detected as one of these sources, its own; in any other,
    /// `other`: a file of a store that names its reads by a word holds
    /// only that store's spellings, and searching it for every store's
    /// costs a pass over it each.
    BySource {
        own: Vec<(Source, Prefilter)>,
        other: Box<Prefilter>,
    },
    /// Parse every record (`--exhaustive`).
    Everything,
}

impl Prefilter {
    pub(super) fn literals(needles: &[&str]) -> Prefilter {
        Prefilter::Literals(
            needles
                .iter()
                .map(|n| memmem::Finder::new(n.as_bytes()).into_owned())
                .collect(),
        )
    }

    /// Records holding `word` as a JSON string, as a store that names its
    /// value reads by a word writes them (see `Store::read_word`).
    fn json_string(word: &str) -> Prefilter {
        Prefilter::JsonString(Box::new(memmem::Finder::new(word.as_bytes()).into_owned()))
    }

    /// Records that may read a value of any store: in a file of a store
    /// that names its reads by a word, those holding it (found record by
    /// record); elsewhere, those holding any store's read needles (one pass
    /// over the data per needle, which such a file is spared).
    pub(super) fn any_read() -> Prefilter {
        let needles: Vec<&str> = stores()
            .flat_map(|s| s.about().read_needles.iter().copied())
            .collect();
        Prefilter::BySource {
            own: Source::ALL
                .into_iter()
                .filter_map(|s| Some((s, Prefilter::json_string(s.store().about().read_word?))))
                .collect(),
            other: Box::new(Prefilter::literals(&needles)),
        }
    }

    /// Records that may read a value in `stores` (empty: every store): the
    /// read word when they are all one store's that has one.
    pub(super) fn reads_in(stores: &[Provider]) -> Prefilter {
        let word = match stores {
            [first, rest @ ..] => store_of(*first).about().read_word.filter(|w| {
                rest.iter()
                    .all(|p| store_of(*p).about().read_word == Some(*w))
            }),
            [] => None,
        };
        match word {
            Some(word) => Prefilter::json_string(word),
            None => Prefilter::any_read(),
        }
    }

    /// Records that may name the secret in any event: the query's own
    /// filter finds reads and what covers them; the end of the name also
    /// finds writes, deletes and KV v2 `metadata/` paths. Every record
    /// when the query has no such filter, or its name no literal end.
    pub(super) fn naming(secret: &SecretQuery) -> Prefilter {
        secret
            .prefilter()
            .zip(name_tail(secret.as_str()))
            .map_or(Prefilter::Everything, |(p, tail)| {
                Prefilter::Any(vec![Prefilter::Query(p), Prefilter::literals(&[tail])])
            })
    }

    fn for_source<'p>(
        own: &'p [(Source, Prefilter)],
        other: &'p Prefilter,
        hint: Option<Source>,
    ) -> &'p Prefilter {
        own.iter()
            .find(|(s, _)| Some(*s) == hint)
            .map_or(other, |(_, p)| p)
    }

    /// Whether a record that `hits` let through may hold a match.
    pub(super) fn in_record(&self, record: &[u8], hint: Option<Source>) -> bool {
        if !searchable(hint) {
            return true;
        }
        match self {
            Prefilter::JsonString(word) => word.find_iter(record).any(|at| {
                at > 0
                    && record[at - 1] == b'"'
                    && matches!(record.get(at + word.needle().len()), Some(b'"' | b'\\'))
            }),
            Prefilter::BySource { own, other } => {
                Prefilter::for_source(own, other, hint).in_record(record, hint)
            }
            Prefilter::Any(all) => all.iter().any(|p| p.in_record(record, hint)),
            _ => true,
        }
    }

    /// Offsets of the hits, ascending; `None` means every record.
    pub(super) fn hits(&self, data: &[u8], hint: Option<Source>) -> Option<Vec<usize>> {
        if !searchable(hint) {
            return None;
        }
        match self {
            Prefilter::Query(QueryPrefilter::Path(p)) => Some(p.hits(data)),
            Prefilter::Query(QueryPrefilter::Needles(n)) => Some(n.hits(data)),
            Prefilter::Literals(finders) => {
                let mut hits: Vec<usize> = finders.iter().flat_map(|f| f.find_iter(data)).collect();
                hits.sort_unstable();
                Some(hits)
            }
            Prefilter::FieldValues(f) => Some(f.hits(data)),
            Prefilter::JsonString(_) => None,
            Prefilter::BySource { own, other } => {
                Prefilter::for_source(own, other, hint).hits(data, hint)
            }
            Prefilter::Any(all) => {
                let mut hits = Vec::new();
                for p in all {
                    hits.extend(p.hits(data, hint)?);
                }
                hits.sort_unstable();
                hits.dedup();
                Some(hits)
            }
            Prefilter::Everything => None,
        }
    }
}

/// The literal end of a query's last name segment (after any store prefix;
/// a URL's trailing `/` ends no segment).
fn name_tail(query: &str) -> Option<&str> {
    let name = split_provider(query).1.trim_end_matches('/');
    literal_tail(name.rsplit('/').next()?).filter(|t| !t.is_empty())
}

/// Finds lines where a JSON key (where a store writes an identity's id)
/// holds one of a set of values, by searching for the key and reading the
/// value after it: one fast single-needle search per key instead of a
/// multi-needle search for ids, which crawls through lines full of other
/// hex ids and hashes. A key also matches as the end of a longer key (`id`
/// finds `owner_id`); a value with an escape is always a candidate.
pub(super) struct FieldValues {
    keys: Vec<memmem::Finder<'static>>,
    values: HashSet<Box<[u8]>>,
}

impl FieldValues {
    pub(super) fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> FieldValues {
        let mut keys: Vec<String> = Vec::new();
        let mut values = HashSet::new();
        for (key, value) in pairs {
            // Plain, and inside a record wrapped in a JSON string.
            for needle in [format!("{key}\""), format!("{key}\\\"")] {
                if !keys.contains(&needle) {
                    keys.push(needle);
                }
            }
            values.insert(value.as_bytes().into());
        }
        FieldValues {
            keys: keys
                .iter()
                .map(|k| memmem::Finder::new(k.as_bytes()).into_owned())
                .collect(),
            values,
        }
    }

    fn hits(&self, data: &[u8]) -> Vec<usize> {
        let mut hits = Vec::new();
        for key in &self.keys {
            let after = key.needle().len();
            hits.extend(
                key.find_iter(data)
                    .filter(|&hit| self.holds_value(&data[hit + after..])),
            );
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// Offsets of the values wherever they are, ascending: in an export
    /// whose columns rename the stores' keys (`identity_claim_oid_g`, a
    /// CSV whose keys are only in its header), the key cannot be searched.
    pub(super) fn value_hits(&self, data: &[u8]) -> Vec<usize> {
        let mut hits: Vec<usize> = self
            .values
            .iter()
            .flat_map(|value| memmem::find_iter(data, value.as_ref()))
            .collect();
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// `rest` follows a key's closing quote: `: "value"` with any spacing.
    fn holds_value(&self, rest: &[u8]) -> bool {
        fn blanks_skipped(s: &[u8]) -> &[u8] {
            let n = s.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
            &s[n..]
        }
        let Some(value) = blanks_skipped(rest).strip_prefix(b":").map(blanks_skipped) else {
            return false;
        };
        if value.starts_with(b"\\\"") {
            // A wrapped record: its strings are escaped; parse to decide.
            return true;
        }
        let Some(value) = value.strip_prefix(b"\"") else {
            return false;
        };
        match memchr::memchr3(b'"', b'\\', b'\n', value) {
            Some(end) if value[end] == b'"' => self.values.contains(&value[..end]),
            Some(end) => value[end] == b'\\',
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::lines_with;

    #[test]
    fn value_hits_find_the_values_under_any_key() {
        let f = FieldValues::new([("owner", "e-1"), ("who", "arn:aws:iam::1:user/a")]);
        let data = br#"{"claim_owner_g":"e-1"},"user":"{who=arn:aws:iam::1:user/a}""#;
        assert_eq!(f.value_hits(data).len(), 2);
        assert!(f.value_hits(br#"{"owner":"e-2"}"#).is_empty());
    }

    #[test]
    fn field_values_find_the_key_holding_the_value() {
        let [entity, accessor] = crate::source::samples::VAULT_ID_FIELDS;
        let f = FieldValues::new([(entity, "e-1"), (accessor, "acc")]);
        let data = [
            format!("{{\"{entity}\":\"e-2\",\"x\":\"e-1\"}}\n"), // e-1 not under the key
            format!("{{\"{entity}\" : \"e-1\"}}\n"),             // spaced
            format!("{{\"token_{accessor}\":\"acc\"}}\n"),       // a longer key
            format!("{{\"{entity}\":\"e\\u002d1\"}}\n"),         // escaped: parse to decide
            format!("{{\"{accessor}\":\"acc2\"}}\n"),
        ]
        .concat();
        let hits = Prefilter::FieldValues(f)
            .hits(data.as_bytes(), None)
            .unwrap();
        let starts = lines_with(data.as_bytes(), hits.into_iter(), |_, _| true);
        let lines: Vec<usize> = starts
            .iter()
            .map(|s| data[..*s].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![2, 3, 4]);
    }

    #[test]
    fn literal_needles_select_whole_lines_once() {
        let p = Prefilter::literals(&["\"read\""]);
        let data = b"{\"a\":\"read\",\"b\":\"read\"}\n{\"a\":\"list\"}\n{\"a\":\"read\"}";
        let hits = p.hits(data, None).unwrap();
        assert_eq!(
            lines_with(data, hits.into_iter(), |_, _| true),
            vec![0, data.len() - 12]
        );
    }

    #[test]
    fn vault_reads_are_told_by_read_as_a_whole_json_string() {
        let p = Prefilter::reads_in(&[Provider::Vault]);
        let wanted = |line: &str| p.in_record(line.as_bytes(), Some(Source::Vault));
        assert!(wanted(r#"{"request":{"operation":"read"}}"#));
        assert!(wanted(
            r#"{"message":"{\"request\":{\"operation\":\"read\"}}"}"#
        ));
        assert!(!wanted(
            r#"{"request":{"operation":"update","path":"thread/ready"}}"#
        ));
        assert!(!wanted(
            r#"{"request":{"operation":"list","path":"already-read"}}"#
        ));
        // A near miss before it does not hide a later hit.
        assert!(wanted(
            r#"{"path":"readme","request":{"operation":"read"}}"#
        ));
        // Every record is a candidate for the block-wide search.
        assert_eq!(p.hits(b"{}\n{}", Some(Source::Vault)), None);
    }
}
