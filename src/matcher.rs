//! Which secrets a query names, and the byte pre-filter that lets most lines
//! be skipped without parsing them.
//!
//! The pre-filter may let through lines that do not match (they are parsed
//! and rejected) but must never drop a line that does. Its assumption about
//! encoders: ASCII letters, digits and `-_.:@,~%` are written literally (Go,
//! Python, Java, .NET and Gson serializers all do); `/` may be written `\/`;
//! any other character may be escaped, so it is never part of a needle.

use memchr::memmem;
use regex::Regex;

use crate::event::{Provider, Scope};
use crate::source::azure::{self, Collection};

/// A secret as one record names it.
#[derive(Clone, Copy, Debug)]
pub struct SecretRef<'a> {
    pub provider: Provider,
    /// The canonical spelling (wide reads: `prod/*`, `/prod/db/**`, `*`).
    pub secret: &'a str,
    /// The grouping name when it differs (Vault KV v2 logical name, Azure's
    /// lower-cased name).
    pub logical: Option<&'a str>,
    /// Another spelling a query may use (see `source::Event::alias`).
    pub alias: Option<&'a str>,
    pub scope: Scope,
}

/// How a record's secret matched.
#[derive(Debug, PartialEq, Eq)]
pub enum Match {
    /// The record names the secret.
    Named,
    /// A wide read (a namespace list, a read by path, a filtered batch)
    /// that covers the queried secret, which is given.
    Covered(String),
    /// A read of the secret backing the queried Azure certificate (its
    /// private key leaves through `SecretGet` of the secret of the same
    /// name); the certificate's name, lower-cased, is given. The read keeps
    /// its own name. Like `Covered`, it counts only for reads of values.
    Backing(String),
}

/// The query's name in one store's spelling.
#[derive(Debug)]
pub struct StoreName {
    name: String,
    alias: Option<String>,
    /// An Azure certificate's backing secret (`vault/name`), whose value
    /// reads expose the certificate's private key.
    backing: Option<String>,
}

#[derive(Debug)]
pub enum Pattern {
    /// The name in each store's canonical spelling (indexed like `Provider::ALL`).
    Exact(Vec<Option<StoreName>>),
    Regex(Regex),
}

/// Which secrets a query names: a pattern, and the stores it applies to
/// (a `aws:` prefix, `--provider`).
#[derive(Debug)]
pub struct SecretQuery {
    /// As typed, without its store prefix.
    text: String,
    providers: Vec<Provider>,
    pattern: Pattern,
}

/// Splits `aws:prod/db-password` into its store and name. An ARN names its
/// own store.
pub fn split_provider(query: &str) -> (Option<Provider>, &str) {
    if let Some((prefix, rest)) = query.split_once(':') {
        if let Some(p) = Provider::from_name(prefix) {
            return (Some(p), rest);
        }
    }
    let store = if query.starts_with("arn:") && query.contains(":secretsmanager:") {
        Some(Provider::Aws)
    } else if query.starts_with("arn:") && query.contains(":ssm:") {
        Some(Provider::Ssm)
    } else if query.contains(".vault.azure.") {
        Some(Provider::Azure)
    } else {
        None
    };
    (store, query)
}

impl SecretQuery {
    /// `providers`: the stores `--provider` allows (empty: all).
    pub fn exact(query: &str, providers: &[Provider]) -> SecretQuery {
        let (store, name) = split_provider(query);
        // No secret's name ends in `/`: `database/creds/admin/` is `database/creds/admin`.
        let name = match name.trim_end_matches('/') {
            "" => name,
            trimmed => trimmed,
        };
        let providers = allowed(store, providers);
        let names = Provider::ALL
            .iter()
            .map(|p| providers.contains(p).then(|| store_name(*p, name)))
            .collect();
        SecretQuery {
            text: name.to_string(),
            providers,
            pattern: Pattern::Exact(names),
        }
    }

    pub fn regex(query: &str, providers: &[Provider]) -> Result<SecretQuery, regex::Error> {
        let (store, pattern) = match split_provider(query) {
            (Some(p), rest) if !query.starts_with("arn:") => (Some(p), rest),
            _ => (None, query),
        };
        Ok(SecretQuery {
            text: pattern.to_string(),
            providers: allowed(store, providers),
            pattern: Pattern::Regex(Regex::new(pattern)?),
        })
    }

    pub fn is_regex(&self) -> bool {
        matches!(self.pattern, Pattern::Regex(_))
    }

    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// The query's name in `provider`'s spelling (exact queries only).
    pub fn name_in(&self, provider: Provider) -> Option<&str> {
        match &self.pattern {
            Pattern::Exact(names) => names[provider_index(provider)]
                .as_ref()
                .map(|n| n.name.as_str()),
            Pattern::Regex(_) => None,
        }
    }

    pub fn matches(&self, r: &SecretRef<'_>) -> Option<Match> {
        if !self.providers.contains(&r.provider) {
            return None;
        }
        match &self.pattern {
            Pattern::Regex(re) => (re.is_match(r.secret)
                || r.logical.is_some_and(|l| re.is_match(l))
                || r.alias.is_some_and(|a| re.is_match(a)))
            .then_some(Match::Named),
            Pattern::Exact(names) => {
                let want = names[provider_index(r.provider)].as_ref()?;
                match r.scope {
                    Scope::One if named(r, want) => Some(Match::Named),
                    Scope::One => want
                        .backing
                        .as_ref()
                        .filter(|b| {
                            r.provider == Provider::Azure && r.secret.eq_ignore_ascii_case(b)
                        })
                        .map(|_| Match::Backing(want.name.to_ascii_lowercase())),
                    Scope::All => Some(Match::Covered(want.name.clone())),
                    Scope::Children | Scope::Descendants => {
                        let prefix = r.secret.trim_end_matches('*');
                        let rest = want.name.strip_prefix(prefix)?;
                        let covered = !rest.is_empty()
                            && (r.scope == Scope::Descendants || !rest.contains('/'));
                        covered.then(|| Match::Covered(want.name.clone()))
                    }
                }
            }
        }
    }

    /// Text for reports: the query as the user gave it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A byte filter for records that may hold a match, if one is safe.
    pub fn prefilter(&self) -> Option<QueryPrefilter> {
        let Pattern::Exact(names) = &self.pattern else {
            return None;
        };
        if self.providers == [Provider::Vault] {
            let path = self.name_in(Provider::Vault)?;
            return PathPrefilter::new(path).map(|p| QueryPrefilter::Path(Box::new(p)));
        }
        let mut spellings: Vec<Vec<String>> = Vec::new();
        let mut azure_names: Vec<(Collection, String)> = Vec::new();
        for (p, name) in Provider::ALL.iter().zip(names) {
            let Some(name) = name else { continue };
            for spelling in std::iter::once(&name.name).chain(&name.alias) {
                let last = spelling.rsplit('/').next().unwrap_or(spelling);
                let tail = literal_tail(last)?.to_string();
                if *p == Provider::Azure {
                    // Found after its collection's segment in the object's
                    // URL; a certificate also after `secrets/` (its backing
                    // secret). A name that is no Key Vault object's
                    // spelling (one segment, say) matches no Azure record.
                    if let Some((_, collection, _)) = azure::parse_name(spelling) {
                        let backing = name.backing.as_ref().map(|_| Collection::Secrets);
                        for c in std::iter::once(collection).chain(backing) {
                            if !azure_names.contains(&(c, tail.clone())) {
                                azure_names.push((c, tail.clone()));
                            }
                        }
                    }
                    continue;
                }
                let segments: Vec<String> = name_segments(spelling.as_bytes())
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect();
                if segments.is_empty() {
                    // A name made only of `data` segments: nothing to search for.
                    return None;
                }
                if !spellings.contains(&segments) {
                    spellings.push(segments);
                }
            }
        }
        // Reads that name no secret, or name it only by a prefix.
        let has = |p: Provider| self.providers.contains(&p);
        let mut markers: Vec<&str> = Vec::new();
        if has(Provider::Aws) {
            markers.push("BatchGetSecretValue");
        }
        if has(Provider::Ssm) {
            markers.push("GetParametersByPath");
        }
        if has(Provider::Aws) || has(Provider::Ssm) {
            // A denied call may log no parameters at all.
            markers.push("errorCode");
        }
        Some(QueryPrefilter::Needles(Box::new(Needles::new(
            spellings,
            &markers,
            &azure_names,
            has(Provider::K8s),
        ))))
    }
}

/// The segments of a name or logged string, last first: split at `/` and
/// `:` (ARNs), without empty ones and KV v2's `data`.
fn name_segments(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.rsplit(|b| *b == b'/' || *b == b':')
        .filter(|seg| !seg.is_empty() && *seg != b"data")
}

fn allowed(store: Option<Provider>, providers: &[Provider]) -> Vec<Provider> {
    Provider::ALL
        .into_iter()
        .filter(|p| store.is_none_or(|s| s == *p))
        .filter(|p| providers.is_empty() || providers.contains(p))
        .collect()
}

fn provider_index(p: Provider) -> usize {
    Provider::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

fn store_name(provider: Provider, name: &str) -> StoreName {
    use std::borrow::Cow;
    let plain = |n: &str| StoreName {
        name: n.to_string(),
        alias: None,
        backing: None,
    };
    match provider {
        Provider::Aws => {
            let (n, alias) = crate::source::cloudtrail::secret_name(Cow::Borrowed(name));
            StoreName {
                name: n.into_owned(),
                alias: alias.map(Cow::into_owned),
                backing: None,
            }
        }
        Provider::Ssm => plain(crate::source::cloudtrail::parameter_name(name)),
        // `vault/name`, `vault/keys/name`, `vault/certificates/name`, from
        // the object's URL or a name spelled with its collection.
        Provider::Azure => {
            let object = match name.contains("://") {
                true => azure::object_of_url(name),
                false => azure::parse_name(name),
            };
            match object {
                Some((vault, collection, object)) => StoreName {
                    name: azure::object_name(vault, collection, object),
                    alias: None,
                    backing: (collection == Collection::Certificates)
                        .then(|| azure::object_name(vault, Collection::Secrets, object)),
                },
                None => plain(name),
            }
        }
        Provider::Gcp => match crate::source::gcp::secret_of_resource(name) {
            Some(n) => plain(&n),
            None => plain(name),
        },
        // `/secret/data/x` (as in an API URL) names the same path.
        Provider::Vault => plain(name.trim_start_matches('/')),
        Provider::K8s => plain(name),
    }
}

/// A record naming one secret against the query's name in that store.
fn named(r: &SecretRef<'_>, want: &StoreName) -> bool {
    match r.provider {
        Provider::Azure => r.secret.eq_ignore_ascii_case(&want.name),
        Provider::Vault => r.secret == want.name || r.logical == Some(want.name.as_str()),
        _ => {
            let theirs = [Some(r.secret), r.alias];
            let ours = [Some(want.name.as_str()), want.alias.as_deref()];
            theirs
                .iter()
                .flatten()
                .any(|t| ours.iter().flatten().any(|o| t == o))
        }
    }
}

/// The byte filter of a query.
pub enum QueryPrefilter {
    /// Vault only: JSON strings that could be the queried path.
    Path(Box<PathPrefilter>),
    /// Any store: the name's last segment, and what reads without a name look like.
    Needles(Box<Needles>),
}

/// Needles for the query's name in each store's spelling, checked against
/// the JSON string around each hit; markers of reads that name no secret;
/// Azure names, found case-insensitively after their collection's segment
/// in a URL; and optionally the word `secrets` as Kubernetes writes a
/// resource (`"secrets"`, `secrets.list`), which namespace and cluster
/// lists hold instead of a name.
pub struct Needles {
    /// Finders for the last segment's literal tail, with every spelling
    /// (segments, last first) a hit may belong to.
    names: Vec<(memmem::Finder<'static>, usize)>,
    spellings: Vec<Vec<String>>,
    markers: Vec<memmem::Finder<'static>>,
    /// Per collection searched for (`secrets`, `keys`, `certificates`: one
    /// pass each), the Azure names (lower-cased) that may follow it.
    azure: Vec<(memmem::Finder<'static>, Vec<Vec<u8>>)>,
    k8s_lists: Option<memmem::Finder<'static>>,
}

impl Needles {
    fn new(
        spellings: Vec<Vec<String>>,
        markers: &[&str],
        azure_names: &[(Collection, String)],
        k8s_lists: bool,
    ) -> Needles {
        let mut azure: Vec<(Collection, Vec<Vec<u8>>)> = Vec::new();
        for (collection, name) in azure_names {
            let name = name.to_ascii_lowercase().into_bytes();
            match azure.iter_mut().find(|(c, _)| c == collection) {
                Some((_, names)) => names.push(name),
                None => azure.push((*collection, vec![name])),
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
        Needles {
            names: tails
                .iter()
                .map(|t| (memmem::Finder::new(t.as_bytes()).into_owned(), t.len()))
                .collect(),
            markers: markers
                .iter()
                .map(|n| memmem::Finder::new(n.as_bytes()).into_owned())
                .collect(),
            spellings,
            azure: azure
                .into_iter()
                .map(|(c, names)| (memmem::Finder::new(c.word()).into_owned(), names))
                .collect(),
            k8s_lists: k8s_lists.then(|| memmem::Finder::new(b"secrets").into_owned()),
        }
    }

    /// Offsets of every hit, ascending.
    pub fn hits(&self, data: &[u8]) -> Vec<usize> {
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
        for (f, names) in &self.azure {
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
        if let Some(f) = &self.k8s_lists {
            hits.extend(f.find_iter(data).filter(|&at| {
                let before = at.checked_sub(1).map(|i| data[i]);
                let after = data.get(at + 7).copied();
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
        let mut seen: Vec<&[u8]> = name_segments(&before).collect();
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

/// Finds lines whose JSON could hold a path equal to the query, seen from the
/// end: every logged form of a secret (with or without a namespace in front,
/// with or without KV v2's `data/`, with `/` or `\/`) ends in the query's
/// last segment followed by the closing quote of the JSON string. The needle
/// is the end of that segment written only with bytes every encoder leaves
/// alone; the whole string around each hit is then checked.
pub struct PathPrefilter {
    finder: memmem::Finder<'static>,
    /// The same, closed by `\"`: a record wrapped in a JSON string.
    wrapped: memmem::Finder<'static>,
    /// The query's segments without `data`, last first.
    query_segments: Vec<Box<str>>,
}

impl PathPrefilter {
    fn new(query: &str) -> Option<PathPrefilter> {
        let last = query.rsplit('/').next()?;
        let tail = literal_tail(last)?;
        Some(PathPrefilter {
            finder: memmem::Finder::new(format!("{tail}\"").as_bytes()).into_owned(),
            wrapped: memmem::Finder::new(format!("{tail}\\\"").as_bytes()).into_owned(),
            query_segments: query
                .rsplit('/')
                .filter(|s| *s != "data")
                .map(Box::from)
                .collect(),
        })
    }

    /// Offsets of the hits that could be the queried path, ascending.
    pub fn hits(&self, data: &[u8]) -> Vec<usize> {
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

    fn vault<'a>(secret: &'a str, logical: Option<&'a str>) -> SecretRef<'a> {
        SecretRef {
            provider: Provider::Vault,
            secret,
            logical,
            alias: None,
            scope: Scope::One,
        }
    }

    fn store(provider: Provider, secret: &str, scope: Scope) -> SecretRef<'_> {
        SecretRef {
            provider,
            secret,
            logical: None,
            alias: None,
            scope,
        }
    }

    #[test]
    fn exact_matches_logged_path_or_kv2_name_never_a_prefix() {
        let q = SecretQuery::exact("secret/production/db", &[]);
        let m = |r: SecretRef<'_>| q.matches(&r).is_some();
        assert!(m(vault(
            "secret/data/production/db",
            Some("secret/production/db")
        )));
        assert!(m(vault("secret/production/db", None)));
        assert!(!m(vault(
            "secret/data/production/db2",
            Some("secret/production/db2")
        )));
        assert!(!m(vault("secret/production/db/extra", None)));
        let q = SecretQuery::exact("secret/data/production/db", &[]);
        assert!(
            q.matches(&vault(
                "secret/data/production/db",
                Some("secret/production/db")
            ))
            .is_some()
        );
    }

    #[test]
    fn regex_sees_both_names() {
        let q = SecretQuery::regex("^secret/data/production/.*password", &[]).unwrap();
        assert!(
            q.matches(&vault("secret/data/production/app/db-password", None))
                .is_some()
        );
        let q = SecretQuery::regex("^secret/production/", &[]).unwrap();
        assert!(
            q.matches(&vault(
                "secret/data/production/app",
                Some("secret/production/app")
            ))
            .is_some()
        );
    }

    #[test]
    fn an_unqualified_name_matches_in_every_store_and_a_prefix_narrows() {
        let q = SecretQuery::exact("prod/db-password", &[]);
        for p in [Provider::Vault, Provider::Aws, Provider::K8s] {
            assert_eq!(
                q.matches(&store(p, "prod/db-password", Scope::One)),
                Some(Match::Named)
            );
        }
        let q = SecretQuery::exact("aws:prod/db-password", &[]);
        assert_eq!(q.as_str(), "prod/db-password");
        assert!(
            q.matches(&store(Provider::K8s, "prod/db-password", Scope::One))
                .is_none()
        );
        assert!(
            q.matches(&store(Provider::Aws, "prod/db-password", Scope::One))
                .is_some()
        );
        let q = SecretQuery::exact("prod/db-password", &[Provider::K8s]);
        assert!(
            q.matches(&store(Provider::Aws, "prod/db-password", Scope::One))
                .is_none()
        );
    }

    #[test]
    fn wide_reads_cover_the_names_under_them() {
        let q = SecretQuery::exact("k8s:prod/db-password", &[]);
        let covered = Some(Match::Covered("prod/db-password".into()));
        assert_eq!(
            q.matches(&store(Provider::K8s, "prod/*", Scope::Children)),
            covered
        );
        assert_eq!(q.matches(&store(Provider::K8s, "*", Scope::All)), covered);
        assert!(
            q.matches(&store(Provider::K8s, "staging/*", Scope::Children))
                .is_none()
        );
        let q = SecretQuery::exact("ssm:/prod/db/password", &[]);
        assert!(
            q.matches(&store(Provider::Ssm, "/prod/db/*", Scope::Children))
                .is_some()
        );
        assert!(
            q.matches(&store(Provider::Ssm, "/prod/**", Scope::Descendants))
                .is_some()
        );
        assert!(
            q.matches(&store(Provider::Ssm, "/prod/*", Scope::Children))
                .is_none()
        );
    }

    #[test]
    fn store_spellings() {
        let q = SecretQuery::exact(
            "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password-Ab12Cd",
            &[],
        );
        assert_eq!(q.providers(), &[Provider::Aws]);
        assert!(
            q.matches(&store(Provider::Aws, "prod/db-password", Scope::One))
                .is_some()
        );
        let q = SecretQuery::exact("azure:KV-prod/DB-password", &[]);
        assert!(
            q.matches(&store(Provider::Azure, "kv-prod/db-Password", Scope::One))
                .is_some()
        );
        let q = SecretQuery::exact("gcp:projects/p/secrets/db/versions/3", &[]);
        assert_eq!(q.name_in(Provider::Gcp), Some("projects/p/secrets/db"));
        let mut aws = store(Provider::Aws, "prod/api-key", Scope::One);
        aws.alias = Some("prod/api-key-Xy12Zw");
        let q = SecretQuery::exact("aws:prod/api-key-Xy12Zw", &[]);
        assert!(q.matches(&aws).is_some());
    }

    #[test]
    fn needles_find_names_lists_and_nameless_reads() {
        let q = SecretQuery::exact("prod/db-password", &[]);
        let Some(QueryPrefilter::Needles(n)) = q.prefilter() else {
            panic!("expected needles");
        };
        let data = br#"{"id":"https://prod.vault.azure.net/secrets/DB-PASSWORD"} {"resource":"secrets"} {"eventSource":"secretsmanager.amazonaws.com"} {"eventName":"BatchGetSecretValue"}"#;
        let hits = n.hits(data);
        assert_eq!(hits.len(), 3, "{hits:?}");
        let named = |s: &str| !n.hits(s.as_bytes()).is_empty();
        assert!(named(
            r#"{"secretId":"arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password-Ab12Cd"}"#
        ));
        assert!(named(r#"{"secretId":"prod/db-password"}"#));
        assert!(named(r#"{"path":"prod/data/db-password"}"#));
        assert!(named(
            r#"{"objectRef":{"namespace":"prod","name":"db-password"}}"#
        ));
        assert!(named(r#"{"log":"{\"name\":\"db-password\"}"}"#));
        assert!(named(r#"{"path":"prod\/db-password"}"#));
        // Another secret with the same last segment, or a longer name.
        assert!(!named(r#"{"secretId":"prod/svc-7/db-password"}"#));
        assert!(!named(r#"{"secretId":"prod/db-password-old"}"#));
        assert!(!named(r#"{"secretId":"staging/db-password"}"#));
        let q = SecretQuery::exact("gcp:projects/p/secrets/db", &[]);
        let Some(QueryPrefilter::Needles(n)) = q.prefilter() else {
            panic!("expected needles");
        };
        let data = br#"{"resourceName":"projects/p/locations/us-east1/secrets/db/versions/1"}"#;
        assert_eq!(n.hits(data).len(), 1);
    }

    #[test]
    fn azure_keys_certificates_and_their_urls() {
        let name = |q: &str| {
            SecretQuery::exact(q, &[])
                .name_in(Provider::Azure)
                .map(str::to_string)
        };
        for (query, want) in [
            ("azure:kv/secrets/db", "kv/db"),
            ("azure:kv/db", "kv/db"),
            ("azure:kv/keys/cmk", "kv/keys/cmk"),
            ("azure:kv/deletedkeys/cmk", "kv/keys/cmk"),
            ("https://kv.vault.azure.net/keys/cmk", "kv/keys/cmk"),
            (
                "https://kv.vault.azure.net/keys/cmk/0123abcd/",
                "kv/keys/cmk",
            ),
            (
                "https://kv.vault.azure.net/certificates/web-tls/",
                "kv/certificates/web-tls",
            ),
            ("https://kv.vault.azure.net/secrets/db/0123abcd", "kv/db"),
            ("azure:https://kv.vault.azure.net/secrets/db/", "kv/db"),
        ] {
            assert_eq!(name(query).as_deref(), Some(want), "{query}");
        }
        let azure = |secret| store(Provider::Azure, secret, Scope::One);
        let cert = SecretQuery::exact("azure:kv/certificates/Web-TLS", &[]);
        assert_eq!(
            cert.matches(&azure("kv/certificates/web-tls")),
            Some(Match::Named)
        );
        // Its backing secret: the read is kept, grouped under the certificate.
        assert_eq!(
            cert.matches(&azure("kv/WEB-TLS")),
            Some(Match::Backing("kv/certificates/web-tls".into()))
        );
        assert_eq!(cert.matches(&azure("kv/keys/web-tls")), None);
        assert_eq!(cert.matches(&azure("other/web-tls")), None);
        // A secret's query does not pull in its certificate, nor a key.
        let secret = SecretQuery::exact("azure:kv/secrets/web-tls", &[]);
        assert_eq!(secret.matches(&azure("kv/web-tls")), Some(Match::Named));
        assert_eq!(secret.matches(&azure("kv/certificates/web-tls")), None);
        assert_eq!(
            SecretQuery::exact("azure:kv/keys/web-tls", &[]).matches(&azure("kv/web-tls")),
            None
        );
        // Lists cover no key: they are not reads.
        let key = SecretQuery::exact("azure:kv/keys/cmk", &[]);
        assert!(
            key.matches(&store(Provider::Azure, "kv/*", Scope::Children))
                .is_none()
        );
    }

    #[test]
    fn azure_needles_follow_the_collection() {
        let hits = |query: &str, text: &str| {
            let Some(QueryPrefilter::Needles(n)) = SecretQuery::exact(query, &[]).prefilter()
            else {
                panic!("expected needles");
            };
            n.hits(text.as_bytes()).len()
        };
        let key = "azure:kv/keys/cmk";
        assert_eq!(
            hits(key, r#"{"id":"https://kv.vault.azure.net/keys/CMK/01ab"}"#),
            1
        );
        assert_eq!(
            hits(
                key,
                r#"{"id":"https://kv.vault.azure.net/deletedkeys/cmk"}"#
            ),
            1
        );
        assert_eq!(
            hits(key, r#"{"id":"https:\/\/kv.vault.azure.net\/keys\/cmk"}"#),
            1
        );
        assert_eq!(
            hits(key, r#"{"id":"https://kv.vault.azure.net/secrets/cmk"}"#),
            0
        );
        assert_eq!(
            hits(key, r#"{"id":"https://kv.vault.azure.net/keys/cmk-old"}"#),
            0
        );
        let cert = "https://kv.vault.azure.net/certificates/web-tls";
        assert_eq!(
            hits(
                cert,
                r#"{"id":"https://kv.vault.azure.net/certificates/web-tls/01ab"}"#
            ),
            1
        );
        // The backing secret, however its `/` is written.
        assert_eq!(
            hits(
                cert,
                r#"{"requestUri":"https://kv.vault.azure.net/secrets/Web-TLS/?a=1"}"#
            ),
            1
        );
        assert_eq!(
            hits(
                cert,
                r#"{"id":"https://kv.vault.azure.net/secrets/web-tls"}"#
            ),
            1
        );
        assert_eq!(
            hits(cert, r#"{"id":"https://kv.vault.azure.net/keys/web-tls"}"#),
            0
        );
        // A secret is searched after `secrets/` only.
        let secret = "azure:kv/secrets/web-tls";
        assert_eq!(
            hits(
                secret,
                r#"{"id":"https://kv.vault.azure.net/secrets/web-tls"}"#
            ),
            1
        );
        assert_eq!(
            hits(
                secret,
                r#"{"id":"https://kv.vault.azure.net/certificates/web-tls"}"#
            ),
            0
        );
    }

    fn candidates(query: &str, text: &str) -> Vec<usize> {
        let data = text.as_bytes();
        let hits = PathPrefilter::new(query).unwrap().hits(data);
        crate::lines::lines_with(data, hits.into_iter(), |_, _| true)
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
            SecretQuery::exact("vault:secret/clé", &[])
                .prefilter()
                .is_none()
        );
        assert!(SecretQuery::regex("x", &[]).unwrap().prefilter().is_none());
    }
}
