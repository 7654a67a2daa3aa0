//! The environment of a secret (production, staging…), from its name: a
//! path segment or name part such as `prod` in `secret/prod/db`,
//! `prod-db-password`, `kv-prod/db` or `projects/acme-prd/secrets/x`. The
//! same words in an identity's name, role or policies give the
//! environments that identity is for.

use regex::Regex;

/// One environment and the words (or pattern) that name it.
#[derive(Clone, Debug)]
pub(crate) struct Environment {
    pub name: String,
    /// Whole name parts, compared without case.
    pub tokens: Vec<String>,
    /// Tried on the whole name, before any environment's tokens.
    pub regex: Option<Regex>,
}

/// The environments, in order: with patterns, the first one whose pattern
/// matches wins; with tokens, the leftmost part of the name that is any
/// environment's token.
#[derive(Clone, Debug)]
pub(crate) struct Environments(Vec<Environment>);

impl Default for Environments {
    fn default() -> Self {
        let env = |name: &str, tokens: &[&str]| Environment {
            name: name.to_string(),
            tokens: tokens.iter().map(|t| t.to_string()).collect(),
            regex: None,
        };
        Environments(vec![
            env("production", &["prod", "production", "prd"]),
            env("staging", &["staging", "stage", "stg"]),
            env("development", &["dev", "development"]),
            env("test", &["test", "qa"]),
        ])
    }
}

impl Environments {
    pub(crate) fn new(list: Vec<Environment>) -> Environments {
        Environments(list)
    }

    #[cfg(test)]
    pub fn list(&self) -> &[Environment] {
        &self.0
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|e| e.name.as_str())
    }

    /// The environment `name` belongs to, if it names one.
    pub(crate) fn classify(&self, name: &str) -> Option<&str> {
        if let Some(env) = self
            .0
            .iter()
            .find(|e| e.regex.as_ref().is_some_and(|re| re.is_match(name)))
        {
            return Some(&env.name);
        }
        name.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|part| !part.is_empty())
            .find_map(|part| {
                self.0.iter().find(|e| {
                    e.tokens
                        .iter()
                        .any(|t| t.len() == part.len() && t.eq_ignore_ascii_case(part))
                })
            })
            .map(|e| e.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_every_store_classify() {
        let envs = Environments::default();
        for (name, want) in [
            ("secret/prod/db", Some("production")),
            (
                "secret/data/production/payments/db-password",
                Some("production"),
            ),
            ("prod-db-password", Some("production")),
            ("/PRD/db/password", Some("production")),
            ("kv-stg/db-password", Some("staging")),
            ("projects/acme-dev/secrets/api-key", Some("development")),
            ("qa/db", Some("test")),
            ("system:serviceaccount:staging:deployer", Some("staging")),
            // Parts, not substrings: `product`, `devops`, `latest` name nothing.
            ("secret/product/devops/latest", None),
            ("", None),
            // The leftmost part decides.
            ("staging/copy-of-prod", Some("staging")),
        ] {
            assert_eq!(envs.classify(name), want, "{name}");
        }
    }

    #[test]
    fn patterns_come_before_tokens() {
        let mut list = Environments::default().0;
        list[0].regex = Some(Regex::new("(?i)^payments-live/").unwrap());
        let envs = Environments::new(list);
        assert_eq!(envs.classify("payments-live/dev-key"), Some("production"));
        assert_eq!(envs.classify("other/dev-key"), Some("development"));
    }
}
