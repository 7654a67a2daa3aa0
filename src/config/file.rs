//! The configuration file (TOML): environment patterns, trusted networks,
//! role → environment policies and rule thresholds (`rules.rs`). Named by
//! `--config`, else `$WHOSAW_CONFIG`; without one the defaults apply.
//! Unknown keys are errors: a misspelt threshold must not silently keep its
//! default.

use std::ops::Range;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::rules::{BaselineRule, BurstRule, DeniedBurstRule, OffHoursRule, Rules, Span, Toggle};
use crate::environment::{Environment, Environments};
use crate::net::Cidr;

/// `whosaw config example`: commented, and exactly the defaults.
pub(crate) const EXAMPLE: &str = include_str!("example.toml");

/// A configuration file, checked; `Default` is the built-in defaults.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConfigFile {
    /// Reads from outside these fire `new-source`; empty: only a baseline's
    /// networks are compared.
    pub trusted_networks: Vec<Cidr>,
    pub environments: Environments,
    pub policies: Vec<Policy>,
    pub baseline: BaselineRule,
    pub rules: Rules,
}

/// Identities matching a policy may read only secrets of `allowed`
/// environments (`env-mismatch`). The first matching policy applies.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    /// Matched against the identity's label, id, and the names in its
    /// metadata (`role_name`, `username`, a service account's name).
    pub identity: Option<Regex>,
    /// Matched against its Vault policies, groups and metadata values (a
    /// role name).
    pub policy: Option<Regex>,
    pub allowed: Vec<String>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigFileError {
    #[error("cannot read the configuration {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("bad configuration {path}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Invalid {
        path: String,
        line: Option<usize>,
        message: String,
    },
}

// The file's shape, as serde reads it; checked and converted below.

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfigFile {
    #[serde(default)]
    trusted_networks: Vec<Spanned<String>>,
    #[serde(default)]
    environment: Option<Vec<RawEnvironment>>,
    #[serde(default)]
    policy: Vec<Spanned<RawPolicy>>,
    #[serde(default)]
    baseline: RawBaseline,
    #[serde(default)]
    rules: RawRules,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    min_reads: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    name: Spanned<String>,
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    regex: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    identity: Option<Spanned<String>>,
    #[serde(default)]
    policy: Option<Spanned<String>>,
    allowed: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    burst: RawBurst,
    #[serde(rename = "denied-burst", default)]
    denied_burst: RawDeniedBurst,
    #[serde(rename = "new-source", default)]
    new_source: RawToggle,
    #[serde(rename = "env-drift", default)]
    env_drift: RawToggle,
    #[serde(rename = "env-mismatch", default)]
    env_mismatch: RawToggle,
    #[serde(rename = "off-hours", default)]
    off_hours: RawOffHours,
    #[serde(rename = "first-access", default)]
    first_access: RawToggle,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawToggle {
    enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBurst {
    enabled: Option<bool>,
    distinct_secrets: Option<Spanned<i64>>,
    distinct_window: Option<Spanned<String>>,
    same_secret_reads: Option<Spanned<i64>>,
    same_secret_window: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDeniedBurst {
    enabled: Option<bool>,
    denials: Option<Spanned<i64>>,
    window: Option<Spanned<String>>,
    then_allowed_denials: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOffHours {
    enabled: Option<bool>,
    slack_hours: Option<Spanned<i64>>,
    max_usual_hours: Option<Spanned<i64>>,
}

impl ConfigFile {
    /// The file `--config` or `$WHOSAW_CONFIG` names, else the built-in
    /// defaults.
    pub(crate) fn named_or_default(path: Option<&Path>) -> Result<ConfigFile, ConfigFileError> {
        match path {
            Some(path) => ConfigFile::load(path),
            None => Ok(ConfigFile::default()),
        }
    }

    pub(crate) fn load(path: &Path) -> Result<ConfigFile, ConfigFileError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigFileError::Read {
            path: name.clone(),
            source,
        })?;
        ConfigFile::from_toml(&text, &name)
    }

    /// Parses and checks a configuration; `path` names it in errors.
    pub(crate) fn from_toml(text: &str, path: &str) -> Result<ConfigFile, ConfigFileError> {
        let invalid = |span: Option<Range<usize>>, message: String| ConfigFileError::Invalid {
            path: path.to_string(),
            line: span.map(|s| line_of(text, s.start)),
            message,
        };
        let raw: RawConfigFile =
            toml::from_str(text).map_err(|e| invalid(e.span(), e.message().trim().to_string()))?;
        let mut trusted_networks = Vec::new();
        for net in &raw.trusted_networks {
            let cidr = net.get_ref().parse::<Cidr>().map_err(|e| {
                invalid(
                    Some(net.span()),
                    format!("trusted_networks: {:?}: {e}", net.get_ref()),
                )
            })?;
            trusted_networks.push(cidr);
        }
        let environments = match raw.environment {
            None => Environments::default(),
            Some(list) => {
                let mut out: Vec<Environment> = Vec::new();
                for env in list {
                    let name = env.name.get_ref().trim().to_string();
                    if name.is_empty() || out.iter().any(|e| e.name == name) {
                        return Err(invalid(
                            Some(env.name.span()),
                            format!("environment name {name:?} is empty or repeated"),
                        ));
                    }
                    let regex = match env.regex {
                        Some(re) => Some(caseless_regex(re.get_ref()).map_err(|e| {
                            invalid(Some(re.span()), format!("environment {name:?}: {e}"))
                        })?),
                        None => None,
                    };
                    if env.tokens.is_empty() && regex.is_none() {
                        return Err(invalid(
                            Some(env.name.span()),
                            format!("environment {name:?} has neither tokens nor a regex"),
                        ));
                    }
                    out.push(Environment {
                        name,
                        tokens: env.tokens,
                        regex,
                    });
                }
                Environments::new(out)
            }
        };
        let mut policies = Vec::new();
        for spanned in &raw.policy {
            let p = spanned.get_ref();
            let pattern = |field: &Option<Spanned<String>>| {
                field
                    .as_ref()
                    .map(|re| {
                        Regex::new(re.get_ref())
                            .map_err(|e| invalid(Some(re.span()), format!("policy: {e}")))
                    })
                    .transpose()
            };
            let identity = pattern(&p.identity)?;
            let policy = pattern(&p.policy)?;
            if identity.is_none() && policy.is_none() {
                return Err(invalid(
                    Some(spanned.span()),
                    "a policy needs `identity` or `policy` (a regex)".into(),
                ));
            }
            let mut allowed = Vec::new();
            for env in &p.allowed {
                if !environments.names().any(|n| n == env.get_ref()) {
                    return Err(invalid(
                        Some(env.span()),
                        format!(
                            "policy: unknown environment {:?} (known: {})",
                            env.get_ref(),
                            environments.names().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                allowed.push(env.get_ref().clone());
            }
            policies.push(Policy {
                identity,
                policy,
                allowed,
            });
        }
        let d = Rules::default();
        let r = raw.rules;
        let count = |field: &Option<Spanned<i64>>, default: u64, key: &str| match field {
            None => Ok(default),
            Some(v) if *v.get_ref() >= 1 => Ok(*v.get_ref() as u64),
            Some(v) => Err(invalid(Some(v.span()), format!("{key} must be at least 1"))),
        };
        let span = |field: &Option<Spanned<String>>, default: Span, key: &str| match field {
            None => Ok(default),
            Some(v) => Span::parse(v.get_ref()).ok_or_else(|| {
                invalid(
                    Some(v.span()),
                    format!(
                        "{key}: {:?} is not a duration such as \"90s\", \"10m\" or \"1h\"",
                        v.get_ref()
                    ),
                )
            }),
        };
        let hours = match &r.off_hours.slack_hours {
            None => d.off_hours.slack_hours,
            Some(v) if (0..=11).contains(v.get_ref()) => *v.get_ref() as u64,
            Some(v) => {
                return Err(invalid(
                    Some(v.span()),
                    "slack_hours must be 0 to 11".into(),
                ));
            }
        };
        let rules = Rules {
            burst: BurstRule {
                enabled: r.burst.enabled.unwrap_or(true),
                distinct_secrets: count(
                    &r.burst.distinct_secrets,
                    d.burst.distinct_secrets,
                    "distinct_secrets",
                )?,
                distinct_window: span(
                    &r.burst.distinct_window,
                    d.burst.distinct_window,
                    "distinct_window",
                )?,
                same_secret_reads: count(
                    &r.burst.same_secret_reads,
                    d.burst.same_secret_reads,
                    "same_secret_reads",
                )?,
                same_secret_window: span(
                    &r.burst.same_secret_window,
                    d.burst.same_secret_window,
                    "same_secret_window",
                )?,
            },
            denied_burst: DeniedBurstRule {
                enabled: r.denied_burst.enabled.unwrap_or(true),
                denials: count(&r.denied_burst.denials, d.denied_burst.denials, "denials")?,
                window: span(&r.denied_burst.window, d.denied_burst.window, "window")?,
                then_allowed_denials: count(
                    &r.denied_burst.then_allowed_denials,
                    d.denied_burst.then_allowed_denials,
                    "then_allowed_denials",
                )?,
            },
            new_source: Toggle {
                enabled: r.new_source.enabled.unwrap_or(true),
            },
            env_drift: Toggle {
                enabled: r.env_drift.enabled.unwrap_or(true),
            },
            env_mismatch: Toggle {
                enabled: r.env_mismatch.enabled.unwrap_or(true),
            },
            off_hours: OffHoursRule {
                enabled: r.off_hours.enabled.unwrap_or(true),
                slack_hours: hours,
                max_usual_hours: match &r.off_hours.max_usual_hours {
                    None => d.off_hours.max_usual_hours,
                    Some(v) if (1..=23).contains(v.get_ref()) => *v.get_ref() as u64,
                    Some(v) => {
                        return Err(invalid(
                            Some(v.span()),
                            "max_usual_hours must be 1 to 23".into(),
                        ));
                    }
                },
            },
            first_access: Toggle {
                enabled: r.first_access.enabled.unwrap_or(true),
            },
        };
        let baseline = BaselineRule {
            min_reads: count(
                &raw.baseline.min_reads,
                BaselineRule::default().min_reads,
                "min_reads",
            )?,
        };
        Ok(ConfigFile {
            trusted_networks,
            environments,
            policies,
            baseline,
            rules,
        })
    }
}

/// Environment patterns ignore case, as tokens do.
fn caseless_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_the_defaults() {
        let s = ConfigFile::from_toml(EXAMPLE, "example").unwrap();
        let d = ConfigFile::default();
        assert_eq!(s.rules, d.rules);
        assert_eq!(s.baseline, d.baseline);
        assert_eq!(s.trusted_networks, d.trusted_networks);
        assert!(s.policies.is_empty());
        let names = |e: &Environments| {
            e.list()
                .iter()
                .map(|e| (e.name.clone(), e.tokens.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&s.environments), names(&d.environments));
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let s = ConfigFile::from_toml("", "empty").unwrap();
        assert_eq!(s.rules, Rules::default());
        assert_eq!(s.environments.len(), 4);
    }

    #[test]
    fn errors_name_the_line() {
        let err = |text: &str| {
            ConfigFile::from_toml(text, "w.toml")
                .unwrap_err()
                .to_string()
        };
        let e = err("trusted_networks = [\"10.0.0.0/8\"]\n\n[rules.denied-burst]\ndenial = 3\n");
        assert!(e.starts_with("bad configuration w.toml, line 4:"), "{e}");
        assert!(e.contains("denial"), "{e}");
        let e = err("trusted_networks = [\n  \"10.0.0.0/8\",\n  \"10.0.0/8\",\n]\n");
        assert!(e.contains("line 3") && e.contains("10.0.0/8"), "{e}");
        let e = err("[rules.burst]\ndistinct_window = \"10 minutes\"\n");
        assert!(e.contains("line 2") && e.contains("duration"), "{e}");
        let e = err("[rules.burst]\ndistinct_secrets = 0\n");
        assert!(e.contains("at least 1"), "{e}");
        let e = err("[[policy]]\nidentity = \"^ci-\"\nallowed = [\"prod\"]\n");
        assert!(
            e.contains("line 3") && e.contains("unknown environment"),
            "{e}"
        );
        let e = err("[[policy]]\nidentity = \"(\"\nallowed = []\n");
        assert!(e.contains("line 2"), "{e}");
        let e = err("trusted_networks = [");
        assert!(e.starts_with("bad configuration w.toml, line 1"), "{e}");
    }

    #[test]
    fn policies_and_environments_are_read() {
        let s = ConfigFile::from_toml(
            "trusted_networks = [\"10.0.0.0/8\", \"2001:db8::/32\"]\n\
             [[environment]]\nname = \"live\"\ntokens = [\"live\"]\n\
             [[environment]]\nname = \"sandbox\"\nregex = \"^sbx-\"\n\
             [[policy]]\npolicy = \"^sbx\"\nallowed = [\"sandbox\"]\n\
             [rules.off-hours]\nenabled = false\n",
            "t",
        )
        .unwrap();
        assert_eq!(s.trusted_networks.len(), 2);
        assert_eq!(s.environments.classify("SBX-db"), Some("sandbox"));
        assert_eq!(s.environments.classify("kv/live/x"), Some("live"));
        assert_eq!(s.environments.classify("kv/prod/x"), None);
        assert_eq!(s.policies[0].allowed, vec!["sandbox".to_string()]);
        assert!(!s.rules.off_hours.enabled);
    }
}
