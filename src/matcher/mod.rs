//! Which secrets a query names, and the byte pre-filter that lets most lines
//! be skipped without parsing them.
//!
//! The pre-filter may let through lines that do not match (they are parsed
//! and rejected) but must never drop a line that does. Its assumption about
//! encoders: ASCII letters, digits and `-_.:@,~%` are written literally (Go,
//! Python, Java, .NET and Gson serializers all do); `/` may be written `\/`;
//! any other character may be escaped, so it is never part of a needle.

use regex::Regex;

use crate::event::{Provider, Scope};
use crate::source::store::NameNeedles;
pub(crate) use crate::source::store::literal_tail;
pub(crate) use crate::source::store::{SecretRef, StoreName};
use crate::source::store_of;
pub(crate) use needles::Needles;
pub(crate) use path::PathPrefilter;

mod needles;
mod path;

/// How a record's secret matched.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Match {
    /// The record names the secret.
    Named,
    /// A wide read (a namespace list, a read by path, a filtered batch)
    /// that covers the queried secret, which is given.
    Covered(String),
    /// A read of the secret backing the queried object (see
    /// `Store::backs`: an Azure certificate's private key is read as the
    /// secret of the same name); the object's name, lower-cased, is given. The read keeps
    /// its own name. Like `Covered`, it counts only for reads of values.
    Backing(String),
}

#[derive(Debug)]
pub(crate) enum Pattern {
    /// The name in each store's canonical spelling (indexed like `Provider::ALL`).
    Exact(Vec<Option<StoreName>>),
    Regex(Regex),
}

/// Which secrets a query names: a pattern, and the stores it applies to
/// (a `aws:` prefix, `--provider`).
#[derive(Debug)]
pub(crate) struct SecretQuery {
    /// As typed, without its store prefix.
    text: String,
    providers: Vec<Provider>,
    pattern: Pattern,
}

/// Splits `aws:prod/db-password` into its store and name. An ARN names its
/// own store.
pub(crate) fn split_provider(query: &str) -> (Option<Provider>, &str) {
    if let Some((prefix, rest)) = query.split_once(':')
        && let Some(p) = Provider::from_name(prefix)
    {
        return (Some(p), rest);
    }
    let store = crate::source::stores().find_map(|s| s.store_named_by(query));
    (store, query)
}

impl SecretQuery {
    /// `providers`: the stores `--provider` allows (empty: all).
    pub(crate) fn exact(query: &str, providers: &[Provider]) -> SecretQuery {
        let (store, name) = split_provider(query);
        // No secret's name ends in `/`: `database/creds/admin/` is `database/creds/admin`.
        let name = match name.trim_end_matches('/') {
            "" => name,
            trimmed => trimmed,
        };
        let providers = allowed(store, providers);
        let names = Provider::ALL
            .iter()
            .map(|p| {
                providers
                    .contains(p)
                    .then(|| store_of(*p).query_name(*p, name))
            })
            .collect();
        SecretQuery {
            text: name.to_string(),
            providers,
            pattern: Pattern::Exact(names),
        }
    }

    pub(crate) fn regex(query: &str, providers: &[Provider]) -> Result<SecretQuery, regex::Error> {
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

    pub(crate) fn is_regex(&self) -> bool {
        matches!(self.pattern, Pattern::Regex(_))
    }

    pub(crate) fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// The query's name in `provider`'s spelling (exact queries only).
    #[cfg(test)]
    pub fn name_in(&self, provider: Provider) -> Option<&str> {
        match &self.pattern {
            Pattern::Exact(names) => names[provider_index(provider)]
                .as_ref()
                .map(|n| n.name.as_str()),
            Pattern::Regex(_) => None,
        }
    }

    pub(crate) fn matches(&self, r: &SecretRef<'_>) -> Option<Match> {
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
                let store = store_of(r.provider);
                match r.scope {
                    Scope::One if store.names(r, want) => Some(Match::Named),
                    Scope::One => store
                        .backs(r, want)
                        .then(|| Match::Backing(want.name.to_ascii_lowercase())),
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
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// A byte filter for records that may hold a match, if one is safe.
    pub(crate) fn prefilter(&self) -> Option<QueryPrefilter> {
        let Pattern::Exact(names) = &self.pattern else {
            return None;
        };
        if let [only] = self.providers[..] {
            let want = names[provider_index(only)].as_ref()?;
            if let Some(search) = store_of(only).only_store_search(want) {
                return PathPrefilter::new(&search).map(|p| QueryPrefilter::Path(Box::new(p)));
            }
        }
        let mut wanted = NameNeedles::default();
        for (p, name) in Provider::ALL.iter().zip(names) {
            if let Some(name) = name {
                store_of(*p).name_needles(*p, name, &mut wanted)?;
            }
        }
        Needles::new(wanted).map(|n| QueryPrefilter::Needles(Box::new(n)))
    }
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

/// The byte filter of a query.
pub(crate) enum QueryPrefilter {
    /// Vault only: JSON strings that could be the queried path.
    Path(Box<PathPrefilter>),
    /// Any store: the name's last segment, and what reads without a name look like.
    Needles(Box<Needles>),
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
        SecretRef::bare(provider, secret, scope)
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

    fn candidates(query: &str, text: &str) -> Vec<usize> {
        let data = text.as_bytes();
        let search = crate::source::store::PathSearch {
            path: query.to_string(),
            ignored_segment: "data",
        };
        let hits = PathPrefilter::new(&search).unwrap().hits(data);
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
