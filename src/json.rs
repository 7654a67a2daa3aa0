//! Finding where JSON values start and end without parsing them: how a
//! document (an object holding its records' array under a key the caller
//! names, or a pretty-printed array) is cut into records, so each record can be pre-filtered by a byte search and
//! only the candidates parsed. Strings are skipped with `memchr`, so the cut
//! runs far faster than a parse; the records themselves are validated when
//! (and only when) they are parsed.

/// Why a value could not be delimited: where, and what was expected.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CutError {
    pub at: usize,
    pub what: &'static str,
}

impl std::fmt::Display for CutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.what)
    }
}

pub(crate) fn skip_blanks(data: &[u8], mut at: usize) -> usize {
    while at < data.len() && matches!(data[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// The end (exclusive) of the string whose opening quote is at `at`.
pub(crate) fn string_end(data: &[u8], at: usize) -> Result<usize, CutError> {
    let mut i = at + 1;
    loop {
        match memchr::memchr2(b'"', b'\\', &data[i.min(data.len())..]) {
            Some(p) if data[i + p] == b'"' => return Ok(i + p + 1),
            Some(p) => i += p + 2,
            None => {
                return Err(CutError {
                    at: data.len(),
                    what: "the document ends inside a string (truncated)",
                });
            }
        }
    }
}

/// The end (exclusive) of the JSON value starting at `at` (no blanks before
/// it). Scalars end at the next delimiter; objects and arrays at their
/// matching bracket.
pub(crate) fn value_end(data: &[u8], at: usize) -> Result<usize, CutError> {
    match data.get(at) {
        None => Err(CutError {
            at,
            what: "the document ends where a value was expected (truncated)",
        }),
        Some(b'"') => string_end(data, at),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = at;
            while i < data.len() {
                match data[i] {
                    b'"' => {
                        i = string_end(data, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            Err(CutError {
                at: data.len(),
                what: "the document ends before its closing bracket (truncated)",
            })
        }
        Some(_) => {
            let len = data[at..]
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(data.len() - at);
            if len == 0 {
                // A stray `,`, `]` or `}` where a value should start.
                return Err(CutError {
                    at,
                    what: "unexpected character where a value was expected",
                });
            }
            Ok(at + len)
        }
    }
}

/// What one top-level value of a document holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One record: the value itself.
    Record,
    /// An array of records starting at `open` (the `[`): a top-level
    /// array, or the array under a container key, inside `nesting` objects
    /// (0 for a top-level array; 2 for Elasticsearch's `hits.hits`).
    Array { open: usize, nesting: u8 },
}

/// Looks at the value starting at `at`: a top-level array, an object with
/// one of `container_keys` holding an array (or an object holding one, as
/// Elasticsearch's `hits` does), or one record. Only the members before the
/// container key are looked at, so this costs nothing on a large file.
pub(crate) fn shape(data: &[u8], at: usize, container_keys: &[&[u8]]) -> Shape {
    match data.get(at) {
        Some(b'[') => Shape::Array {
            open: at,
            nesting: 0,
        },
        Some(b'{') => {
            container_array(data, at, container_keys, 1).map_or(Shape::Record, |(open, nesting)| {
                Shape::Array { open, nesting }
            })
        }
        _ => Shape::Record,
    }
}

/// How deep container objects may nest.
const MAX_NESTING: u8 = 2;

/// The end (exclusive) of a container whose records array ended at
/// `after_array`, inside `nesting` objects: the members after it are
/// skipped.
pub(crate) fn container_end(
    data: &[u8],
    after_array: usize,
    nesting: u8,
) -> Result<usize, CutError> {
    let mut end = after_array;
    for _ in 0..nesting {
        end = object_end_after(data, end)?;
    }
    Ok(end)
}

/// The end (exclusive) of a container object whose records array ended at
/// `after_array`: the members after it are skipped.
fn object_end_after(data: &[u8], after_array: usize) -> Result<usize, CutError> {
    let mut i = skip_blanks(data, after_array);
    loop {
        match data.get(i) {
            Some(b'}') => return Ok(i + 1),
            Some(b',') => {
                i = skip_blanks(data, i + 1);
                if data.get(i) != Some(&b'"') {
                    break;
                }
                i = skip_blanks(data, string_end(data, i)?);
                if data.get(i) != Some(&b':') {
                    break;
                }
                i = skip_blanks(data, value_end(data, skip_blanks(data, i + 1))?);
            }
            None => {
                return Err(CutError {
                    at: i,
                    what: "the document ends inside an object (truncated)",
                });
            }
            Some(_) => break,
        }
    }
    Err(CutError {
        at: i,
        what: "expected ',' or '}' between object members",
    })
}

/// The offset of the array under a container key among the object's own
/// members, or in an object under such a key, if any; with the number of
/// objects it is in.
fn container_array(
    data: &[u8],
    open: usize,
    container_keys: &[&[u8]],
    nesting: u8,
) -> Option<(usize, u8)> {
    let mut i = skip_blanks(data, open + 1);
    while i < data.len() && data[i] == b'"' {
        let key_end = string_end(data, i).ok()?;
        let key = &data[i + 1..key_end - 1];
        i = skip_blanks(data, key_end);
        if data.get(i) != Some(&b':') {
            return None;
        }
        i = skip_blanks(data, i + 1);
        if container_keys.contains(&key) {
            match data.get(i) {
                Some(b'[') => return Some((i, nesting)),
                Some(b'{') if nesting < MAX_NESTING => {
                    if let Some(found) = container_array(data, i, container_keys, nesting + 1) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        i = skip_blanks(data, value_end(data, i).ok()?);
        match data.get(i) {
            Some(b',') => i = skip_blanks(data, i + 1),
            _ => return None,
        }
    }
    None
}

/// Calls `each(start, end)` for every element of the array opening at
/// `open`, in order. Stops at the first element that cannot be delimited.
/// Returns the end of the array (just after its `]`).
pub(crate) fn elements(
    data: &[u8],
    open: usize,
    mut each: impl FnMut(usize, usize),
) -> Result<usize, CutError> {
    let mut i = skip_blanks(data, open + 1);
    if data.get(i) == Some(&b']') {
        return Ok(i + 1);
    }
    loop {
        let end = value_end(data, i)?;
        each(i, end);
        i = skip_blanks(data, end);
        match data.get(i) {
            Some(b',') => i = skip_blanks(data, i + 1),
            Some(b']') => return Ok(i + 1),
            None => {
                return Err(CutError {
                    at: i,
                    what: "the document ends inside an array (truncated)",
                });
            }
            Some(_) => {
                return Err(CutError {
                    at: i,
                    what: "expected ',' or ']' between array elements",
                });
            }
        }
    }
}

/// Whether the value at `at` is an object with no members (`{}`, `{ }`).
pub(crate) fn is_empty_object(data: &[u8], at: usize) -> bool {
    data.get(at) == Some(&b'{') && data.get(skip_blanks(data, at + 1)) == Some(&b'}')
}

/// Calls `each(key, start, end)` for every member of the object opening at
/// `open` (its `{`), in order: the key as written between its quotes
/// (escapes not decoded) and its value's span. Returns the end of the object
/// (just after its `}`).
pub(crate) fn members(
    data: &[u8],
    open: usize,
    mut each: impl FnMut(&[u8], usize, usize),
) -> Result<usize, CutError> {
    let mut fault = None;
    let end = walk(data, open, |key, start| match value_end(data, start) {
        Ok(end) => {
            each(key, start, end);
            Step::Next(end)
        }
        Err(e) => {
            fault = Some(e);
            Step::Stop
        }
    })?;
    match (fault, end) {
        (Some(e), _) => Err(e),
        (None, end) => Ok(end.unwrap_or(data.len())),
    }
}

/// Like [`members`], but `each(key, start)` is called before the value is
/// delimited, and the walk stops when it returns `false`: a caller that has
/// found what it wants never scans the rest (nor the value it stopped at).
pub(crate) fn members_until(
    data: &[u8],
    open: usize,
    mut each: impl FnMut(&[u8], usize) -> bool,
) -> Result<(), CutError> {
    walk(data, open, |key, start| {
        if each(key, start) {
            Step::Skip
        } else {
            Step::Stop
        }
    })
    .map(|_| ())
}

/// Cuts documents into records as their bytes arrive: the records of
/// every top-level value (an array, a container object's array, or an
/// object that is one record), in order, each as soon as it is whole. The
/// caller hands it the bytes not yet given up (`Splitter::at` and after)
/// with `done` once nothing more will come; a document is then read with
/// memory bounded by its largest value, whatever its length, and the bytes
/// between values (a run of blanks) are given up as they are passed. Given
/// a whole document at once (`done`), it cuts as `shape`, `elements` and
/// `container_end` do.
#[derive(Debug, Default)]
pub(crate) struct Splitter {
    /// Where the next look starts; nothing before it is needed again.
    at: usize,
    state: Part,
}

#[derive(Debug, Default)]
enum Part {
    /// Between top-level values.
    #[default]
    Top,
    /// Where an element of a records array (inside `nesting` container
    /// objects) starts, after blanks; `first`: just after its `[`.
    Element {
        nesting: u8,
        index: u32,
        first: bool,
    },
    /// After element `index`: a `,` or the `]` comes next.
    Delimiter { nesting: u8, index: u32 },
    /// After the records array's `]`: the rest of its containers.
    Closing { nesting: u8 },
    /// Passing over a value too long to hold, byte by byte, without
    /// keeping it: `depth` brackets are open; then `after`.
    Skipping {
        depth: usize,
        in_string: bool,
        escaped: bool,
        after: Resume,
    },
    /// A fault was told: nothing more is cut.
    Stopped,
}

/// Where a skipped value leaves the cut.
#[derive(Clone, Copy, Debug)]
enum Resume {
    Top,
    Delimiter { nesting: u8, index: u32 },
}

/// What [`Splitter::next`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// A record at `start..end`; `index`: its place in its array (`None`:
    /// a top-level object).
    Record {
        start: usize,
        end: usize,
        index: Option<u32>,
    },
    /// The bytes end inside a value: hand more.
    More,
    /// Every document is cut (or a fault was told).
    End,
    /// Text that is no JSON value, where a value should start.
    Outside(usize),
    /// A value that cannot be delimited (truncated, or not JSON).
    Cut(CutError),
}

impl Splitter {
    /// Where the bytes still needed start: the caller may drop those
    /// before it, and then tells [`Splitter::dropped`].
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    /// Passes over the value (or the rest of the containers) being cut,
    /// whatever its length, keeping none of it: the caller found it too
    /// long to hold. Returns whether it is a record (not the members a
    /// container holds after its records); `None` when no value is being
    /// cut.
    pub(crate) fn skip_value(&mut self, data: &[u8]) -> Option<bool> {
        let (depth, after, record) = match self.state {
            Part::Top => (0, Resume::Top, true),
            Part::Element { nesting, index, .. } => (0, Resume::Delimiter { nesting, index }, true),
            Part::Closing { nesting } => (usize::from(nesting), Resume::Top, false),
            Part::Delimiter { .. } | Part::Skipping { .. } | Part::Stopped => return None,
        };
        self.at = skip_blanks(data, self.at);
        self.state = Part::Skipping {
            depth,
            in_string: false,
            escaped: false,
            after,
        };
        Some(record)
    }

    /// The caller dropped the first `n` bytes (at most `at`).
    pub(crate) fn dropped(&mut self, n: usize) {
        self.at -= n.min(self.at);
    }

    /// The next piece of `data` (`done`: no more bytes will come).
    pub(crate) fn next(&mut self, data: &[u8], done: bool, container_keys: &[&[u8]]) -> Piece {
        // An error at the end of the bytes may only mean they stop early.
        let cut = |e: CutError, state: &mut Part| {
            if !done && e.at >= data.len() {
                return Piece::More;
            }
            *state = Part::Stopped;
            Piece::Cut(e)
        };
        loop {
            match self.state {
                Part::Stopped => return Piece::End,
                Part::Top => {
                    self.at = skip_blanks(data, self.at);
                    if self.at >= data.len() {
                        return if done { Piece::End } else { Piece::More };
                    }
                    match shape(data, self.at, container_keys) {
                        Shape::Record if data[self.at] != b'{' => {
                            self.state = Part::Stopped;
                            return Piece::Outside(self.at);
                        }
                        Shape::Record => {
                            return match value_end(data, self.at) {
                                Ok(end) => {
                                    let start = std::mem::replace(&mut self.at, end);
                                    Piece::Record {
                                        start,
                                        end,
                                        index: None,
                                    }
                                }
                                Err(e) => cut(e, &mut self.state),
                            };
                        }
                        Shape::Array { open, nesting } => {
                            self.at = open + 1;
                            self.state = Part::Element {
                                nesting,
                                index: 0,
                                first: true,
                            };
                        }
                    }
                }
                Part::Element {
                    nesting,
                    index,
                    first,
                } => {
                    self.at = skip_blanks(data, self.at);
                    if !done && self.at >= data.len() {
                        return Piece::More;
                    }
                    if first && data.get(self.at) == Some(&b']') {
                        self.at += 1;
                        self.state = Part::Closing { nesting };
                        continue;
                    }
                    let start = self.at;
                    let end = match value_end(data, start) {
                        // A scalar's end is only known once a byte follows it.
                        Ok(end) if !done && end >= data.len() => return Piece::More,
                        Ok(end) => end,
                        Err(e) => return cut(e, &mut self.state),
                    };
                    self.at = end;
                    self.state = Part::Delimiter { nesting, index };
                    return Piece::Record {
                        start,
                        end,
                        index: Some(index),
                    };
                }
                Part::Delimiter { nesting, index } => {
                    self.at = skip_blanks(data, self.at);
                    match data.get(self.at) {
                        None if !done => return Piece::More,
                        Some(b',') => {
                            self.at = skip_blanks(data, self.at + 1);
                            self.state = Part::Element {
                                nesting,
                                index: index.saturating_add(1),
                                first: false,
                            };
                        }
                        Some(b']') => {
                            self.at += 1;
                            self.state = Part::Closing { nesting };
                        }
                        None => {
                            let e = CutError {
                                at: self.at,
                                what: "the document ends inside an array (truncated)",
                            };
                            return cut(e, &mut self.state);
                        }
                        Some(_) => {
                            let e = CutError {
                                at: self.at,
                                what: "expected ',' or ']' between array elements",
                            };
                            return cut(e, &mut self.state);
                        }
                    }
                }
                Part::Skipping {
                    ref mut depth,
                    ref mut in_string,
                    ref mut escaped,
                    after,
                } => {
                    let mut ended = None;
                    for (i, &b) in data.iter().enumerate().skip(self.at) {
                        if *in_string {
                            match (b, *escaped) {
                                (_, true) => *escaped = false,
                                (b'\\', false) => *escaped = true,
                                (b'"', false) => *in_string = false,
                                _ => {}
                            }
                            // A string that is the whole value ends with it.
                            if !*in_string && *depth == 0 {
                                ended = Some(i + 1);
                                break;
                            }
                            continue;
                        }
                        match b {
                            b'"' => *in_string = true,
                            b'{' | b'[' => *depth += 1,
                            b'}' | b']' if *depth > 0 => {
                                *depth -= 1;
                                if *depth == 0 {
                                    ended = Some(i + 1);
                                    break;
                                }
                            }
                            // A scalar ends where a delimiter starts.
                            b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' if *depth == 0 => {
                                ended = Some(i);
                                break;
                            }
                            _ => {}
                        }
                    }
                    match ended {
                        Some(end) => {
                            self.at = end;
                            self.state = match after {
                                Resume::Top => Part::Top,
                                Resume::Delimiter { nesting, index } => {
                                    Part::Delimiter { nesting, index }
                                }
                            };
                        }
                        None if done => {
                            self.state = Part::Stopped;
                            return Piece::Cut(CutError {
                                at: data.len(),
                                what: "the document ends inside a value (truncated)",
                            });
                        }
                        None => {
                            self.at = data.len();
                            return Piece::More;
                        }
                    }
                }
                Part::Closing { nesting } => match container_end(data, self.at, nesting) {
                    Ok(end) => {
                        self.at = end;
                        self.state = Part::Top;
                    }
                    Err(e) => return cut(e, &mut self.state),
                },
            }
        }
    }
}

/// What [`walk`] does after a member's key.
enum Step {
    /// Go on after the value, which ends here.
    Next(usize),
    /// Go on after the value, wherever it ends.
    Skip,
    Stop,
}

/// The members of the object opening at `open`, one `each(key, start)` per
/// member until it says stop. Returns the end of the object, `None` when
/// stopped before it.
fn walk(
    data: &[u8],
    open: usize,
    mut each: impl FnMut(&[u8], usize) -> Step,
) -> Result<Option<usize>, CutError> {
    let bad = |at: usize, what: &'static str| Err(CutError { at, what });
    if data.get(open) != Some(&b'{') {
        return bad(open, "expected an object");
    }
    let mut i = skip_blanks(data, open + 1);
    if data.get(i) == Some(&b'}') {
        return Ok(Some(i + 1));
    }
    loop {
        if data.get(i) != Some(&b'"') {
            return bad(i, "expected a key");
        }
        let key_start = i + 1;
        let key_end = string_end(data, i)?;
        i = skip_blanks(data, key_end);
        if data.get(i) != Some(&b':') {
            return bad(i, "expected ':' after a key");
        }
        let start = skip_blanks(data, i + 1);
        let end = match each(&data[key_start..key_end - 1], start) {
            Step::Next(end) => end,
            Step::Skip => value_end(data, start)?,
            Step::Stop => return Ok(None),
        };
        i = skip_blanks(data, end);
        match data.get(i) {
            Some(b',') => i = skip_blanks(data, i + 1),
            Some(b'}') => return Ok(Some(i + 1)),
            _ => return bad(i, "expected ',' or '}' between object members"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Container keys, as callers pass them (the stores' own in use).
    const KEYS: &[&[u8]] = &[b"rows", b"page", b"list"];

    fn cut(doc: &str) -> Vec<&str> {
        let data = doc.as_bytes();
        let at = skip_blanks(data, 0);
        let mut out = Vec::new();
        match shape(data, at, KEYS) {
            Shape::Record => out.push(&doc[at..value_end(data, at).unwrap()]),
            Shape::Array { open, nesting } => {
                let array_end = elements(data, open, |s, e| out.push(&doc[s..e])).unwrap();
                let end = container_end(data, array_end, nesting).unwrap();
                assert_eq!(doc[end..].trim(), "", "{doc}");
            }
        }
        out
    }

    #[test]
    fn containers_and_arrays_are_cut_into_records() {
        // An array in an object under a container key (`hits.hits`).
        assert_eq!(
            cut(r#"{"took":1,"page":{"total":{"n":2},"list":[{"a":1},{"b":2}],"x":[]},"y":3}"#),
            vec![r#"{"a":1}"#, r#"{"b":2}"#]
        );
        assert_eq!(
            cut(r#"{"rows":[{"a":"}{"},{"b":[1,2]}]}"#),
            vec![r#"{"a":"}{"}"#, r#"{"b":[1,2]}"#]
        );
        assert_eq!(
            cut("[\n  {\"x\": \"a\\\"]\"},\n  {\"y\": 2}\n]\n"),
            vec!["{\"x\": \"a\\\"]\"}", "{\"y\": 2}"]
        );
        // The container key is found after other members, not inside them.
        assert_eq!(
            cut(r#"{"kind":"List","metadata":{"list":[]},"list":[{"k":1}]}"#),
            vec![r#"{"k":1}"#]
        );
        assert_eq!(cut(r#"{"page":[]}"#), Vec::<&str>::new());
        assert_eq!(
            cut(r#"{"page":[{"a":1}], "next": "x", "more": {"y": [1]}}"#),
            vec![r#"{"a":1}"#]
        );
        // Not a container: the object is the record.
        assert_eq!(
            cut(r#"{"time":"t","rows":"x"}"#),
            vec![r#"{"time":"t","rows":"x"}"#]
        );
    }

    #[test]
    fn members_are_listed_with_their_spans() {
        let data = br#"{ "a" : 1, "b":{"c":"}"} ,"d\"e":[] }"#;
        let mut seen = Vec::new();
        let end = members(data, 0, |k, s, e| {
            seen.push((String::from_utf8_lossy(k).into_owned(), &data[s..e]))
        })
        .unwrap();
        assert_eq!(end, data.len());
        let keys: Vec<&str> = seen.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "d\\\"e"]);
        assert_eq!(seen[1].1, br#"{"c":"}"}"#);
        assert_eq!(members(b"{}", 0, |_, _, _| {}), Ok(2));
        assert!(members(br#"{"a":1"#, 0, |_, _, _| {}).is_err());
        assert!(members(br#"{"a" 1}"#, 0, |_, _, _| {}).is_err());
        assert!(members(b"[1]", 0, |_, _, _| {}).is_err());
    }

    #[test]
    fn truncation_is_reported_where_it_happens() {
        let data = br#"[{"a":1},{"b":"cut"#;
        let mut seen = 0;
        let err = elements(data, 0, |_, _| seen += 1).unwrap_err();
        assert_eq!(seen, 1);
        assert!(err.what.contains("truncated"), "{err}");
        assert!(value_end(br#"{"a":[1,2}"#, 0).is_err());
        assert!(elements(br#"[{"a":1} {"b":2}]"#, 0, |_, _| {}).is_err());
    }

    /// Every piece `Splitter` cuts from `doc` handed `step` bytes at a
    /// time, as a stream is, dropping what it no longer needs; records as
    /// text, faults by their message.
    fn split_in_steps(doc: &str, step: usize, skip_longer_than: usize) -> Vec<String> {
        let data = doc.as_bytes();
        let mut splitter = Splitter::default();
        let (mut from, mut to) = (0, 0);
        let mut out = Vec::new();
        loop {
            let done = to == data.len();
            let window = &data[from..to];
            loop {
                match splitter.next(window, done, KEYS) {
                    Piece::Record { start, end, index } => {
                        out.push(format!("{index:?} {}", &doc[from + start..from + end]))
                    }
                    Piece::More => break,
                    Piece::End => return out,
                    Piece::Outside(at) => {
                        return [out, vec![format!("outside at {}", from + at)]].concat();
                    }
                    Piece::Cut(e) => return [out, vec![e.what.to_string()]].concat(),
                }
            }
            if window.len() - splitter.at() > skip_longer_than {
                splitter.skip_value(window);
                out.push("skipped".into());
            }
            let used = splitter.at();
            splitter.dropped(used);
            from += used;
            to = (to + step).min(data.len());
        }
    }

    #[test]
    fn a_document_cut_as_it_arrives_gives_the_records_it_gives_whole() {
        let docs = [
            r#"{"took":1,"page":{"total":{"n":2},"list":[{"a":1},{"b":2}],"x":[]},"y":3}"#,
            "[\n  {\"x\": \"a\\\"]\"},\n  {\"y\": 2}\n]\n  {\"z\":\n 3}  [ ]  {\"rows\": []}",
            r#"[12, "s", {"a":[1,{"b":"]"}]}, 345 ]"#,
            // Faults: cut short, a wrong delimiter, text outside a value.
            r#"{"rows":[{"a":1},{"b":"#,
            r#"[{"a":1} {"b":2}]"#,
            "{\"a\":1}\n# a note\n{\"b\":2}",
            r#"{"rows":[{"a":1}],"more":{"#,
        ];
        for doc in docs {
            let whole = split_in_steps(doc, doc.len(), usize::MAX);
            for step in 1..doc.len() {
                assert_eq!(
                    split_in_steps(doc, step, usize::MAX),
                    whole,
                    "{doc} by {step}"
                );
            }
        }
        assert_eq!(
            split_in_steps(docs[0], docs[0].len(), usize::MAX),
            ["Some(0) {\"a\":1}", "Some(1) {\"b\":2}"]
        );
        assert_eq!(
            split_in_steps(docs[3], 1, usize::MAX),
            [
                "Some(0) {\"a\":1}",
                "the document ends before its closing bracket (truncated)"
            ]
        );
        assert_eq!(
            split_in_steps(docs[5], 3, usize::MAX),
            ["None {\"a\":1}", "outside at 8"]
        );
    }

    #[test]
    fn blanks_between_values_are_let_go_as_they_pass() {
        let doc = format!(
            "[{{\"a\":1}}{}, {{\"b\":2}}]{}",
            " ".repeat(10_000),
            "\n".repeat(10_000)
        );
        let data = doc.as_bytes();
        let mut splitter = Splitter::default();
        let mut held = 0;
        let mut from = 0;
        for to in (64..data.len()).step_by(64).chain([data.len()]) {
            let window = &data[from..to];
            while let Piece::Record { .. } = splitter.next(window, to == data.len(), KEYS) {}
            held = held.max(window.len() - splitter.at());
            from += splitter.at();
            splitter.dropped(splitter.at());
        }
        assert!(held < 128, "held {held} bytes of blanks");
    }

    #[test]
    fn a_value_too_long_to_hold_is_passed_over_and_the_cut_goes_on() {
        let long = format!("{{\"x\":\"{}\\\"{{[\",\"y\":[{{}}]}}", "a".repeat(500));
        for doc in [
            format!("[{{\"a\":1}},{long},{{\"b\":2}}]"),
            format!("{{\"rows\":[{{\"a\":1}},{long},{{\"b\":2}}]}}"),
            format!("[{{\"a\":1}},\"{}\",{{\"b\":2}}]", "s".repeat(500)),
            format!("[{{\"a\":1}},{},{{\"b\":2}}]", "9".repeat(500)),
        ] {
            for step in [1, 7, 64] {
                let got = split_in_steps(&doc, step, 100);
                assert_eq!(
                    got,
                    ["Some(0) {\"a\":1}", "skipped", "Some(2) {\"b\":2}"],
                    "{doc} by {step}"
                );
            }
        }
        // The members a container holds after its records.
        let doc = format!("{{\"rows\":[{{\"a\":1}}],\"aggs\":{long}}}\n{{\"b\":2}}");
        assert_eq!(
            split_in_steps(&doc, 16, 100),
            ["Some(0) {\"a\":1}", "skipped", "None {\"b\":2}"]
        );
    }
}
