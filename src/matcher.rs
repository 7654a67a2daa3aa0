//! Which secrets a query names, and the byte pre-filter that lets most lines
//! be skipped without parsing them.
//!
//! The pre-filter may let through lines that do not match (they are parsed
//! and rejected) but must never drop a line that does. Its assumption about
//! encoders: ASCII letters, digits and `-_.:@,~%` are written literally (Go,
//! Python, Java, .NET and Gson serializers all do); `/` may be written `\/`;
//! any other character may be escaped, so it is never part of a needle.

use memchr::memmem;

use crate::lines::lines_with;
use regex::Regex;

/// A secret as one log line names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretNames<'a> {
    /// The path as logged, with any namespace in front.
    pub logged: &'a str,
    /// The KV v2 logical name (`secret/x` for `secret/data/x`), when it has one.
    pub logical: Option<&'a str>,
}

#[derive(Debug)]
pub enum SecretQuery {
    Exact(String),
    Regex(Regex),
}

impl SecretQuery {
    pub fn matches(&self, names: &SecretNames<'_>) -> bool {
        match self {
            SecretQuery::Exact(q) => names.logged == q || names.logical == Some(q.as_str()),
            SecretQuery::Regex(re) => {
                re.is_match(names.logged) || names.logical.is_some_and(|l| re.is_match(l))
            }
        }
    }

    /// Text for reports: the query as the user gave it.
    pub fn as_str(&self) -> &str {
        match self {
            SecretQuery::Exact(q) => q,
            SecretQuery::Regex(re) => re.as_str(),
        }
    }

    /// A byte filter for lines that may hold a matching path, if one is safe.
    pub fn prefilter(&self) -> Option<PathPrefilter> {
        match self {
            SecretQuery::Exact(q) => PathPrefilter::new(q),
            SecretQuery::Regex(_) => None,
        }
    }
}

/// Finds lines whose JSON could hold a path equal to the query, seen from the
/// end: every logged form of a secret (with or without a namespace in front,
/// with or without KV v2's `data/`, with `/` or `\/`) ends in the query's
/// last segment followed by the closing quote of the JSON string. The needle
/// is the end of that segment written only with bytes every encoder leaves
/// alone; the whole string around each hit is then checked.
pub struct PathPrefilter {
    finder: memmem::Finder<'static>,
    /// The query's segments without `data`, last first.
    query_segments: Vec<Box<str>>,
}

impl PathPrefilter {
    fn new(query: &str) -> Option<PathPrefilter> {
        let last = query.rsplit('/').next()?;
        let tail = literal_tail(last)?;
        Some(PathPrefilter {
            finder: memmem::Finder::new(format!("{tail}\"").as_bytes()).into_owned(),
            query_segments: query
                .rsplit('/')
                .filter(|s| *s != "data")
                .map(Box::from)
                .collect(),
        })
    }

    /// Start offsets of the lines in `data` that must be parsed, ascending.
    pub fn candidate_lines(&self, data: &[u8]) -> Vec<usize> {
        let quote = self.finder.needle().len() - 1;
        lines_with(data, self.finder.find_iter(data), |start, hit| {
            self.could_be_path(&data[start..hit + quote])
        })
    }

    /// `before` runs from the line start to the closing quote of a JSON
    /// string that ends in the needle. Checks that string against the query,
    /// allowing any namespace prefix and any `data/` segment; strings with
    /// escapes are always parsed.
    fn could_be_path(&self, before: &[u8]) -> bool {
        let Some(open) = memchr::memrchr(b'"', before) else {
            return true;
        };
        let raw = &before[open + 1..];
        if raw.contains(&b'\\') || open > 0 && before[open - 1] == b'\\' {
            return true;
        }
        let Ok(raw) = std::str::from_utf8(raw) else {
            return true;
        };
        // The string, without `data` segments, must end the query.
        let mut query = self.query_segments.iter();
        raw.rsplit('/')
            .filter(|s| *s != "data")
            .all(|seen| query.next().is_some_and(|q| **q == *seen))
    }
}

/// The end of `segment` made only of bytes that no JSON encoder escapes
/// (Go escapes `<>&`, .NET also `+'` and more, Gson `=`; Python non-ASCII):
/// letters, digits and `-_.:@,~%`. `None` when the segment ends otherwise.
pub fn literal_tail(segment: &str) -> Option<&str> {
    let start = segment
        .bytes()
        .rposition(|b| !is_literal_byte(b))
        .map_or(0, |p| p + 1);
    let tail = &segment[start..];
    (!tail.is_empty()).then_some(tail)
}

fn is_literal_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.:@,~%".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(logged: &'a str, logical: Option<&'a str>) -> SecretNames<'a> {
        SecretNames { logged, logical }
    }

    #[test]
    fn exact_matches_logged_path_or_kv2_name_never_a_prefix() {
        let q = SecretQuery::Exact("secret/production/db".into());
        assert!(q.matches(&names(
            "secret/data/production/db",
            Some("secret/production/db")
        )));
        assert!(q.matches(&names("secret/production/db", None)));
        assert!(!q.matches(&names(
            "secret/data/production/db2",
            Some("secret/production/db2")
        )));
        assert!(!q.matches(&names("secret/production/db/extra", None)));
        let q = SecretQuery::Exact("secret/data/production/db".into());
        assert!(q.matches(&names(
            "secret/data/production/db",
            Some("secret/production/db")
        )));
    }

    #[test]
    fn regex_sees_both_names() {
        let q = SecretQuery::Regex(Regex::new("^secret/data/production/.*password").unwrap());
        assert!(q.matches(&names("secret/data/production/app/db-password", None)));
        let q = SecretQuery::Regex(Regex::new("^secret/production/").unwrap());
        assert!(q.matches(&names(
            "secret/data/production/app",
            Some("secret/production/app")
        )));
    }

    fn candidates(query: &str, text: &str) -> Vec<usize> {
        PathPrefilter::new(query)
            .unwrap()
            .candidate_lines(text.as_bytes())
    }

    #[test]
    fn prefilter_finds_every_spelling_of_the_path() {
        let log = concat!(
            "{\"path\":\"secret/data/prod/db\"}\n", // KV v2 as logged
            "{\"path\":\"secret\\/data\\/prod\\/db\"}\n", // re-exported with \/
            "{\"path\":\"other/db\"}\n",            // different secret, same last segment
            "{\"path\":\"secret/data/prod/db2\"}\n", // longer name
            "{\"path\":\"secret/prod/db\"}\n",      // KV v1 / logical spelling
        );
        let starts = candidates("secret/prod/db", log);
        let lines: Vec<usize> = starts
            .iter()
            .map(|s| log[..*s].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![1, 2, 5]);
    }

    #[test]
    fn prefilter_allows_a_namespace_prefix() {
        let log = "{\"namespace\":{\"path\":\"team-a/\"},\"path\":\"secret/data/db\"}\n";
        assert_eq!(candidates("team-a/secret/db", log), vec![0]);
    }

    #[test]
    fn prefilter_survives_any_escape_of_other_characters() {
        // Go's \u0026, .NET's \u002B and \u003C, Gson's \u003d.
        for (query, logged) in [
            ("secret/r&d", "secret/data/r\\u0026d"),
            ("secret/a+b", "secret/data/a\\u002Bb"),
            ("secret/a<b", "secret/data/a\\u003Cb"),
            ("secret/a=b", "secret/data/a\\u003db"),
        ] {
            let log = format!("{{\"path\":\"{logged}\"}}\n");
            assert_eq!(candidates(query, &log), vec![0], "{query}");
        }
    }

    #[test]
    fn needles_are_literal_tails() {
        assert_eq!(literal_tail("db-password"), Some("db-password"));
        assert_eq!(literal_tail("a+b"), Some("b"));
        assert_eq!(literal_tail("clé"), None);
        assert_eq!(literal_tail("x&"), None);
        assert!(
            SecretQuery::Exact("secret/clé".into())
                .prefilter()
                .is_none()
        );
        assert!(
            SecretQuery::Regex(Regex::new("x").unwrap())
                .prefilter()
                .is_none()
        );
    }
}
