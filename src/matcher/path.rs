//! The byte search for a path that ends like the query, for a query over
//! one store whose records name secrets by path (see
//! `source::store::PathSearch`).

use memchr::memmem;

use crate::source::store::{PathSearch, literal_tail};

/// Finds lines whose JSON could hold a path equal to the query, seen from the
/// end: every logged form of a secret (with or without a namespace in front,
/// with or without KV v2's `data/`, with `/` or `\/`) ends in the query's
/// last segment followed by the closing quote of the JSON string. The needle
/// is the end of that segment written only with bytes every encoder leaves
/// alone; the whole string around each hit is then checked.
pub(crate) struct PathPrefilter {
    finder: memmem::Finder<'static>,
    /// The same, closed by `\"`: a record wrapped in a JSON string.
    wrapped: memmem::Finder<'static>,
    /// The query's segments without the ignored one, last first.
    query_segments: Vec<Box<str>>,
    ignored: &'static str,
}

impl PathPrefilter {
    pub(crate) fn new(search: &PathSearch) -> Option<PathPrefilter> {
        let query = search.path.as_str();
        let last = query.rsplit('/').next()?;
        let tail = literal_tail(last)?;
        Some(PathPrefilter {
            finder: memmem::Finder::new(format!("{tail}\"").as_bytes()).into_owned(),
            wrapped: memmem::Finder::new(format!("{tail}\\\"").as_bytes()).into_owned(),
            query_segments: query
                .rsplit('/')
                .filter(|s| *s != search.ignored_segment)
                .map(Box::from)
                .collect(),
            ignored: search.ignored_segment,
        })
    }

    /// Offsets of the hits that could be the queried path, ascending.
    pub(crate) fn hits(&self, data: &[u8]) -> Vec<usize> {
        let quote = self.finder.needle().len() - 1;
        let mut searched_to = 0;
        let mut hits = Vec::new();
        for hit in self.finder.find_iter(data) {
            // Look back no further than the previous hit: linear however
            // many hits a hostile line holds.
            let from = searched_to.min(hit);
            if self.could_be_path(&data[from..hit + quote]) {
                hits.push(hit);
            }
            searched_to = hit + quote;
        }
        // Inside a wrapped record every string is escaped: always parsed.
        hits.extend(self.wrapped.find_iter(data));
        hits.sort_unstable();
        hits
    }

    /// `before` ends at the closing quote of a JSON string that ends in the
    /// needle. Checks that string against the query, allowing any namespace
    /// prefix and any `data/` segment; strings with escapes, or whose start
    /// is not in `before`, are always parsed.
    fn could_be_path(&self, before: &[u8]) -> bool {
        let Some(open) = memchr::memrchr2(b'"', b'\n', before).filter(|&p| before[p] == b'"')
        else {
            return true;
        };
        let raw = &before[open + 1..];
        if raw.contains(&b'\\') || open > 0 && before[open - 1] == b'\\' {
            return true;
        }
        let Ok(raw) = std::str::from_utf8(raw) else {
            return true;
        };
        // The string, without ignored segments, must end the query.
        let mut query = self.query_segments.iter();
        raw.rsplit('/')
            .filter(|s| *s != self.ignored)
            .all(|seen| query.next().is_some_and(|q| **q == *seen))
    }
}
