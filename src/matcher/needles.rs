//! The byte search for an exact query's name over every store at once.

use memchr::memmem;

use crate::source::store::{NameNeedles, literal_tail};

/// Searches for the query's name in each store's spelling, checked against
/// the JSON string around each hit; for markers of reads that name no
/// secret; for names found case-insensitively after a segment of a URL;
/// and for words written as a resource (`"secrets"`, `secrets.list`), which
/// whole-collection reads hold instead of a name. What to search for comes
/// from the stores ([`NameNeedles`]).
pub(crate) struct Needles {
    /// Finders for the last segment's literal tail, with every spelling
    /// (segments, last first) a hit may belong to.
    names: Vec<(memmem::Finder<'static>, usize)>,
    spellings: Vec<Vec<String>>,
    /// Segments left out when spellings are compared.
    ignored: Vec<&'static str>,
    markers: Vec<memmem::Finder<'static>>,
    /// Per URL segment searched for (one pass each), the names (lower-cased)
    /// that may follow it.
    url_names: Vec<(memmem::Finder<'static>, Vec<Vec<u8>>)>,
    resource_words: Vec<memmem::Finder<'static>>,
}

impl Needles {
    /// `None` when a spelling has nothing to search for (a name made only
    /// of ignored segments).
    pub(crate) fn new(wanted: NameNeedles) -> Option<Needles> {
        let ignored = wanted.ignored_segments;
        let mut spellings: Vec<Vec<String>> = Vec::new();
        for spelling in &wanted.spellings {
            let segments: Vec<String> = name_segments(spelling.as_bytes(), &ignored)
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect();
            if segments.is_empty() {
                return None;
            }
            if !spellings.contains(&segments) {
                spellings.push(segments);
            }
        }
        let mut url_names: Vec<(&str, Vec<Vec<u8>>)> = Vec::new();
        for (segment, name) in wanted.url_names {
            let name = name.into_bytes();
            match url_names.iter_mut().find(|(s, _)| *s == segment) {
                Some((_, names)) => names.push(name),
                None => url_names.push((segment, vec![name])),
            }
        }
        let mut tails: Vec<&str> = Vec::new();
        for s in &spellings {
            if let Some(tail) = s.first().and_then(|last| literal_tail(last)) {
                if !tails.contains(&tail) {
                    tails.push(tail);
                }
            }
        }
        let finder = |t: &str| memmem::Finder::new(t.as_bytes()).into_owned();
        Some(Needles {
            names: tails.iter().map(|t| (finder(t), t.len())).collect(),
            markers: wanted.markers.iter().map(|m| finder(m)).collect(),
            spellings,
            ignored,
            url_names: url_names
                .into_iter()
                .map(|(segment, names)| (finder(segment), names))
                .collect(),
            resource_words: wanted.resource_words.iter().map(|w| finder(w)).collect(),
        })
    }

    /// Offsets of every hit, ascending.
    pub(crate) fn hits(&self, data: &[u8]) -> Vec<usize> {
        let mut hits: Vec<usize> = Vec::new();
        for (f, len) in &self.names {
            let mut searched_to = 0;
            for hit in f.find_iter(data) {
                // Look back no further than the previous hit: linear however
                // many hits a hostile line holds.
                if self.could_be_name(data, searched_to.min(hit), hit, hit + len) {
                    hits.push(hit);
                }
                searched_to = hit + len;
            }
        }
        for f in &self.markers {
            hits.extend(f.find_iter(data));
        }
        for (f, names) in &self.url_names {
            let after = f.needle().len();
            hits.extend(f.find_iter(data).filter_map(|at| {
                // The collection's `/` (`\/` and `\u002F` too), then the
                // name, in any case, then the end of the segment.
                let at = at + after + url_slash(&data[at + after..])?;
                names
                    .iter()
                    .any(|name| {
                        data.get(at..at + name.len())
                            .is_some_and(|seen| seen.eq_ignore_ascii_case(name))
                            && matches!(
                                data.get(at + name.len()),
                                None | Some(b'/' | b'?' | b'"' | b'\\')
                            )
                    })
                    .then_some(at)
            }));
        }
        for f in &self.resource_words {
            let len = f.needle().len();
            hits.extend(f.find_iter(data).filter(|&at| {
                let before = at.checked_sub(1).map(|i| data[i]);
                let after = data.get(at + len).copied();
                matches!(before, Some(b'"' | b'.' | b'/'))
                    && matches!(after, Some(b'"' | b'\\' | b'.'))
            }));
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// Whether the JSON string around `data[start..end]` (a tail hit) could
    /// name the queried secret in some store: what precedes the tail, split
    /// into segments, must agree with the query's segments as far as both
    /// go (an ARN or a namespace may come first; a Kubernetes name stands
    /// alone), and what follows may only be a version, a selector or an
    /// ARN's random suffix. Escaped strings other than `\/` are always kept.
    fn could_be_name(&self, data: &[u8], lo: usize, start: usize, end: usize) -> bool {
        let Some(open) = memchr::memrchr2(b'"', b'\n', &data[lo..start])
            .map(|p| lo + p)
            .filter(|&p| data[p] == b'"')
        else {
            return true;
        };
        let Some(close) = memchr::memchr2(b'"', b'\n', &data[end..])
            .map(|p| end + p)
            .filter(|&p| data[p] == b'"')
        else {
            return true;
        };
        // A record wrapped in a JSON string quotes with `\"`.
        let close = if data[close - 1] == b'\\' && close > end {
            close - 1
        } else {
            close
        };
        let unescape = |s: &[u8]| -> Option<Vec<u8>> {
            let text = s.to_vec();
            let replaced = memchr::memmem::find_iter(&text, b"\\/")
                .next()
                .map(|_| {
                    let mut out = Vec::with_capacity(text.len());
                    let mut i = 0;
                    while i < text.len() {
                        if text[i] == b'\\' && text.get(i + 1) == Some(&b'/') {
                            i += 1;
                        }
                        out.push(text[i]);
                        i += 1;
                    }
                    out
                })
                .unwrap_or(text);
            (!replaced.contains(&b'\\')).then_some(replaced)
        };
        let (Some(before), Some(after)) =
            (unescape(&data[open + 1..end]), unescape(&data[end..close]))
        else {
            return true;
        };
        let suffix_ok = match after.first() {
            None | Some(b'/' | b':' | b'?') => true,
            Some(b'-') => after.len() == 7 && after[1..].iter().all(u8::is_ascii_alphanumeric),
            Some(_) => false,
        };
        // A regional Google Cloud secret adds `locations/<loc>`: not part of its name.
        let mut seen: Vec<&[u8]> = name_segments(&before, &self.ignored).collect();
        // (Last first: `…, secrets, <loc>, locations, <project>, projects`.)
        if let Some(at) = seen.iter().position(|s| *s == b"locations") {
            if at >= 1 && seen.get(at + 2) == Some(&&b"projects"[..]) {
                seen.drain(at - 1..=at);
            }
        }
        suffix_ok
            && self.spellings.iter().any(|spelling| {
                seen.iter()
                    .zip(spelling)
                    .all(|(seen, want)| *seen == want.as_bytes())
            })
    }
}

/// The length of the `/` `rest` starts with, as JSON may write it: `/`,
/// `\/`, `\u002F` or `\u002f`.
fn url_slash(rest: &[u8]) -> Option<usize> {
    if rest.starts_with(b"/") {
        Some(1)
    } else if rest.starts_with(b"\\/") {
        Some(2)
    } else if rest
        .get(..6)
        .is_some_and(|u| u.eq_ignore_ascii_case(b"\\u002f"))
    {
        Some(6)
    } else {
        None
    }
}

/// The segments of a name or logged string, last first: split at `/` and
/// `:` (ARNs), without empty ones and `ignored` ones.
fn name_segments<'s>(s: &'s [u8], ignored: &[&str]) -> impl Iterator<Item = &'s [u8]> {
    s.rsplit(|b| *b == b'/' || *b == b':')
        .filter(|seg| !seg.is_empty() && !ignored.iter().any(|i| i.as_bytes() == *seg))
}
