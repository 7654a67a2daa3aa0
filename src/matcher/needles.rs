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
            if let Some(tail) = s.first().and_then(|last| literal_tail(last))
                && !tails.contains(&tail)
            {
                tails.push(tail);
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

    /// Offsets of every hit, ascending. The finders take turns over each
    /// `STRIDE` of the data, each finding what a pass of its own would.
    pub(crate) fn hits(&self, data: &[u8]) -> Vec<usize> {
        let mut hits: Vec<usize> = Vec::new();
        let mut names = Resume::each_of(&self.names);
        let mut markers = Resume::each_of(&self.markers);
        let mut url_names = Resume::each_of(&self.url_names);
        let mut words = Resume::each_of(&self.resource_words);
        let mut start = 0;
        while start < data.len() {
            let end = data.len().min(start + STRIDE);
            for ((f, len), at) in self.names.iter().zip(&mut names) {
                // Look back no further than the previous hit: linear however
                // many hits a hostile line holds.
                let mut searched_to = at.last_end;
                at.each(f, data, end, |hit| {
                    if self.could_be_name(data, searched_to.min(hit), hit, hit + len) {
                        hits.push(hit);
                    }
                    searched_to = hit + len;
                });
            }
            for (f, at) in self.markers.iter().zip(&mut markers) {
                at.each(f, data, end, |hit| hits.push(hit));
            }
            for ((f, names), at) in self.url_names.iter().zip(&mut url_names) {
                let after = f.needle().len();
                at.each(f, data, end, |at| {
                    // The collection's `/` (`\/` and `\u002F` too), then the
                    // name, in any case, then the end of the segment.
                    let Some(slash) = url_slash(&data[at + after..]) else {
                        return;
                    };
                    let at = at + after + slash;
                    let named = names.iter().any(|name| {
                        data.get(at..at + name.len())
                            .is_some_and(|seen| seen.eq_ignore_ascii_case(name))
                            && matches!(
                                data.get(at + name.len()),
                                None | Some(b'/' | b'?' | b'"' | b'\\')
                            )
                    });
                    if named {
                        hits.push(at);
                    }
                });
            }
            for (f, at) in self.resource_words.iter().zip(&mut words) {
                let len = f.needle().len();
                at.each(f, data, end, |at| {
                    let before = at.checked_sub(1).map(|i| data[i]);
                    let after = data.get(at + len).copied();
                    if matches!(before, Some(b'"' | b'.' | b'/'))
                        && matches!(after, Some(b'"' | b'\\' | b'.'))
                    {
                        hits.push(at);
                    }
                });
            }
            start = end;
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
        if let Some(at) = seen.iter().position(|s| *s == b"locations")
            && at >= 1
            && seen.get(at + 2) == Some(&&b"projects"[..])
        {
            seen.drain(at - 1..=at);
        }
        suffix_ok
            && self.spellings.iter().any(|spelling| {
                seen.iter()
                    .zip(spelling)
                    .all(|(seen, want)| *seen == want.as_bytes())
            })
    }
}

/// How much of the data each finder searches before the next takes its
/// turn: it stays in the core's cache, so the data comes from memory once
/// rather than once per finder (an unqualified query searches five or so).
const STRIDE: usize = 64 << 10;

/// Where one finder's search stands, stride after stride.
#[derive(Default)]
struct Resume {
    /// Where its next hit may start: past the end of its last one (hits
    /// never overlap, as in one `find_iter` over the whole data).
    from: usize,
    /// The end of its last hit (0 before the first).
    last_end: usize,
}

impl Resume {
    fn each_of<T>(finders: &[T]) -> Vec<Resume> {
        finders.iter().map(|_| Resume::default()).collect()
    }

    /// Calls `found` with each of `f`'s hits that starts before `end`, in order.
    fn each(
        &mut self,
        f: &memmem::Finder<'_>,
        data: &[u8],
        end: usize,
        mut found: impl FnMut(usize),
    ) {
        let len = f.needle().len().max(1);
        let stop = data.len().min(end + len - 1);
        if self.from >= stop {
            return;
        }
        let from = self.from;
        for at in f.find_iter(&data[from..stop]) {
            found(from + at);
            self.last_end = from + at + len;
        }
        self.from = self.last_end.max(end).max(from);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_across_strides_are_those_of_one_pass() {
        // `aaa` overlaps itself: a pass finds every other occurrence.
        let needles = Needles::new(NameNeedles {
            spellings: vec!["db-password".into()],
            markers: vec!["aaa"],
            ..NameNeedles::default()
        })
        .unwrap();
        for at in STRIDE - 6..STRIDE + 2 {
            let mut data = vec![b'.'; at];
            data.extend_from_slice(b"aaaaaaa \"db-password\" aaa");
            let one_pass: Vec<usize> = memmem::find_iter(&data, b"aaa")
                .chain(memmem::find_iter(&data, b"db-password"))
                .collect();
            let mut want = one_pass;
            want.sort_unstable();
            assert_eq!(needles.hits(&data), want, "at {at}");
        }
    }
}
