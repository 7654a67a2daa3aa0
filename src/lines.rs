//! Lines in bulk: cutting input into newline-aligned chunks, and finding
//! the lines around byte-search hits, in time linear in the input however
//! many hits a line holds (a hostile line can hold millions).

/// Start offsets of the lines holding an accepted hit, ascending, each once.
/// `hits` must be ascending. `accept(line_start, hit)` is asked about a
/// line's hits until it accepts one; the rest of that line is skipped.
pub(crate) fn lines_with(
    data: &[u8],
    hits: impl Iterator<Item = usize>,
    mut accept: impl FnMut(usize, usize) -> bool,
) -> Vec<usize> {
    let mut starts = Vec::new();
    // The current line is data[start..end]; `end` is its newline (or the end).
    let mut current: Option<(usize, usize)> = None;
    let mut accepted = false;
    for hit in hits {
        let start = match current {
            Some((_, end)) if hit < end && accepted => continue,
            Some((start, end)) if hit < end => start,
            previous => {
                // Search back only to the previous line's end: linear overall.
                let from = previous.map_or(0, |(_, end)| (end + 1).min(hit));
                let start = memchr::memrchr(b'\n', &data[from..hit]).map_or(from, |p| from + p + 1);
                let end = memchr::memchr(b'\n', &data[hit..]).map_or(data.len(), |p| hit + p);
                current = Some((start, end));
                accepted = false;
                start
            }
        };
        if accept(start, hit) {
            starts.push(start);
            accepted = true;
        }
    }
    starts
}

/// Splits `data` into pieces of about `target` bytes, each ending just after
/// a newline (the last may end without one). A line longer than `target`
/// simply makes its chunk longer.
pub(crate) fn newline_chunks(data: &[u8], target: usize) -> Vec<&[u8]> {
    let mut chunks = Vec::with_capacity(data.len() / target + 1);
    let mut start = 0;
    while start < data.len() {
        let mut end = (start + target).min(data.len());
        if end < data.len() {
            end = memchr::memchr(b'\n', &data[end..]).map_or(data.len(), |p| end + p + 1);
        }
        chunks.push(&data[start..end]);
        start = end;
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_once_and_only_accepted_hits() {
        let data = b"ab ab\nxx\nab\nab ab";
        let hits = memchr::memmem::find_iter(data, b"ab");
        assert_eq!(lines_with(data, hits, |_, _| true), vec![0, 9, 12]);
        // Reject the first hit of each line: lines with a second hit still count.
        let hits = memchr::memmem::find_iter(data, b"ab");
        let got = lines_with(data, hits, |start, hit| hit != start);
        assert_eq!(got, vec![0, 12]);
    }

    #[test]
    fn a_huge_line_of_hits_is_linear() {
        let line: Vec<u8> = b"x/db\" ".repeat(2_000_000);
        let hits = memchr::memmem::find_iter(&line, b"db\"");
        let mut asked = 0;
        let got = lines_with(&line, hits, |_, _| {
            asked += 1;
            false
        });
        assert!(got.is_empty());
        assert_eq!(asked, 2_000_000);
    }

    #[test]
    fn chunks_end_on_newlines_and_cover_everything() {
        let data = b"aaaa\nbb\ncccccccc\nd";
        let chunks = newline_chunks(data, 3);
        assert_eq!(chunks, vec![&b"aaaa\n"[..], b"bb\ncccccccc\n", b"d"]);
        assert_eq!(chunks.concat(), data);
    }
}
