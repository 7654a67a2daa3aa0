//! Which secrets a query names, and the byte pre-filter that lets most lines
//! be skipped without parsing them.
//!
//! The pre-filter may let through lines that do not match (they are parsed
//! and rejected) but must never drop a line that does. Its assumption about
//! encoders: letters, digits and `-_.:+=@,~%` are written literally (true of
//! Go, Python, Java and .NET serializers); `/` may be written `\/`; `<>&` may
//! be Go's `\u003c` forms. A query outside that set is not pre-filtered.

use memchr::memmem;
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
/// last segment followed by the closing quote of the JSON string.
pub struct PathPrefilter {
    finders: Vec<memmem::Finder<'static>>,
    query_segments: Vec<String>,
}

impl PathPrefilter {
    fn new(query: &str) -> Option<PathPrefilter> {
        let last = query.rsplit('/').next()?;
        // One needle per spelling of the last segment; what precedes it (`/`,
        // `\/`, a namespace…) is checked on each hit, so one pass suffices.
        let mut needles: Vec<String> = literal_forms(last)?
            .into_iter()
            .map(|form| format!("{form}\""))
            .collect();
        needles.sort();
        needles.dedup();
        Some(PathPrefilter {
            finders: needles
                .iter()
                .map(|n| memmem::Finder::new(n.as_bytes()).into_owned())
                .collect(),
            query_segments: data_free_segments(query),
        })
    }

    /// Start offsets of the lines in `data` that must be parsed, ascending.
    pub fn candidate_lines(&self, data: &[u8]) -> Vec<usize> {
        let mut starts = Vec::new();
        for finder in &self.finders {
            let needle_len = finder.needle().len();
            let mut last_line_start = usize::MAX;
            for hit in finder.find_iter(data) {
                let end_quote = hit + needle_len - 1;
                let line_start = memchr::memrchr(b'\n', &data[..hit]).map_or(0, |p| p + 1);
                if line_start == last_line_start {
                    continue;
                }
                if self.could_be_path(&data[line_start..end_quote]) {
                    starts.push(line_start);
                    last_line_start = line_start;
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        starts
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
        let seen = data_free_segments(raw);
        seen.len() <= self.query_segments.len()
            && self.query_segments[self.query_segments.len() - seen.len()..] == seen[..]
    }
}

/// Path segments without `data`, so `secret/data/x` and `secret/x` compare equal.
fn data_free_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| *s != "data")
        .map(str::to_string)
        .collect()
}

/// The byte forms a string can take inside JSON from the encoders whosaw
/// assumes (see the module header), or `None` if it could take others.
pub fn literal_forms(s: &str) -> Option<Vec<String>> {
    if s.is_empty() || !s.bytes().all(is_literal_byte) {
        return None;
    }
    let mut forms = vec![s.to_string(), go_html_escape(s)];
    forms.dedup();
    Some(forms)
}

fn is_literal_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.:+=@,~% <>&".contains(&b)
}

/// Go's `encoding/json` (Vault's encoder) writes `<`, `>`, `&` as `\u003c`…
fn go_html_escape(s: &str) -> String {
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
    fn prefilter_knows_go_html_escapes() {
        let log = "{\"path\":\"secret/data/r\\u0026d\"}\n";
        assert_eq!(candidates("secret/r&d", log), vec![0]);
    }

    #[test]
    fn no_prefilter_for_non_ascii_or_regex() {
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
