//! Makes attacker-controlled text safe for a terminal: names, paths, user
//! agents and messages come from the log, and a crafted one could carry
//! escape sequences that rewrite the screen, or bidi and zero-width
//! characters that make one name look like another.

use std::borrow::Cow;
use std::fmt::Write;

/// Returns `text` with every control, bidi-override and invisible character
/// written as a visible escape (`\x1b`, `\u{202e}`); unchanged text is borrowed.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// A table cell holds at most this many characters of one text: comfy-table
/// lays a long cell out in time quadratic in its length (a 0.4 MB display
/// name took 6 s), and no one reads past this at 3 AM. JSON keeps it whole.
pub(crate) const CELL_CHARS: usize = 256;

/// whosaw's own sentences (a hint, a reason, a note) may be long, and
/// embed names from the log: they are cut later.
pub(crate) const SENTENCE_CHARS: usize = 2048;

/// [`escape`]d, and cut to [`CELL_CHARS`] characters with a mark saying so:
/// for text from the log in a table.
pub(crate) fn cell(text: &str) -> Cow<'_, str> {
    cut(text, CELL_CHARS)
}

/// A sentence of whosaw's in a table (a hint, a reason, a note), which may
/// embed names from the log: [`escape`]d, and cut at [`SENTENCE_CHARS`].
pub(crate) fn sentence(text: &str) -> Cow<'_, str> {
    cut(text, SENTENCE_CHARS)
}

fn cut(text: &str, max: usize) -> Cow<'_, str> {
    let escaped = escape(text);
    match escaped.char_indices().nth(max) {
        None => escaped,
        Some((cut, _)) => {
            let all = escaped.chars().count();
            Cow::Owned(format!(
                "{}…[cut: {all} characters in all; the JSON has them]",
                &escaped[..cut]
            ))
        }
    }
}

/// Like [`escape`], but keeps line breaks: for multi-line messages.
pub fn escape_lines(text: &str) -> String {
    text.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            // soft hyphen, combining grapheme joiner, Hangul and Mongolian fillers
            '\u{ad}' | '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{180e}' | '\u{3164}' | '\u{ffa0}'
            // bidi marks and overrides, zero-width characters, line separators
            | '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}' | '\u{feff}'
            // tag characters (invisible)
            | '\u{e0000}'..='\u{e007f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences_and_lookalike_tricks() {
        assert_eq!(escape("deploy-bot"), "deploy-bot");
        assert!(matches!(escape("deploy-bot"), Cow::Borrowed(_)));
        assert_eq!(escape("evil\x1b[2J\x07name"), "evil\\x1b[2J\\x07name");
        assert_eq!(escape("admin\u{202e}toor"), "admin\\u{202e}toor");
        assert_eq!(escape("a\u{200b}b\nc\u{9b}"), "a\\u{200b}b\\x0ac\\u{9b}");
        assert_eq!(escape("ops&sre-bot é"), "ops&sre-bot é");
        assert_eq!(escape("ad\u{ad}min\u{e0041}"), "ad\\u{ad}min\\u{e0041}");
        assert_eq!(escape_lines("a\nb\x1b"), "a\nb\\x1b");
    }
}
