//! Which secrets one CloudTrail record reads: those it names (one, or a
//! batch's list), a path's parameters, a batch by filter, or an unnamed one.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::names::{parameter_name, secret_name};
use super::{Record, Resource, is_true, secrets_manager_action};
use crate::event::{Action, FILTER_PREFIX, Scope};
use crate::source::lenient::{Str, StrList};

/// One secret a record reads.
pub(super) struct Target<'a> {
    pub secret: Cow<'a, str>,
    pub alias: Option<Cow<'a, str>>,
    pub scope: Scope,
    pub possible: bool,
}

impl<'a> Target<'a> {
    pub(super) fn one((secret, alias): (Cow<'a, str>, Option<Cow<'a, str>>)) -> Self {
        Target {
            secret,
            alias,
            scope: Scope::One,
            possible: false,
        }
    }

    /// An event that names no secret (`ListSecrets`).
    pub(super) fn none() -> Self {
        Target {
            secret: Cow::Borrowed(""),
            alias: None,
            scope: Scope::One,
            possible: false,
        }
    }

    /// A read whose secret the log does not name: it may be any.
    pub(super) fn unknown() -> Self {
        Target {
            secret: Cow::Borrowed(UNKNOWN_SECRET),
            alias: None,
            scope: Scope::All,
            possible: false,
        }
    }

    /// A batch by filter: it may have returned any secret, and is shown by
    /// its filter (`filter tag-key=prod`), never under a secret's name.
    pub(super) fn filtered(filters: &RawValue) -> Self {
        Target {
            secret: Cow::Owned(describe_filters(filters)),
            alias: None,
            scope: Scope::All,
            possible: true,
        }
    }
}

/// How a read of an unnamed secret is shown.
pub(super) const UNKNOWN_SECRET: &str = "*";

#[derive(Deserialize)]
struct Filter<'a> {
    #[serde(borrow, default)]
    key: Str<'a>,
    #[serde(borrow, default)]
    values: StrList<'a>,
}

/// `filter tag-key=prod name=db,api` from `[{"key":…,"values":[…]}…]`;
/// `filter (unreadable)` when the log holds something else.
fn describe_filters(raw: &RawValue) -> String {
    let filters: Vec<Filter<'_>> = serde_json::from_str(raw.get()).unwrap_or_default();
    let parts: Vec<String> = filters
        .iter()
        .map(|f| format!("{}={}", f.key.get().unwrap_or("?"), f.values.0.join(",")))
        .collect();
    if parts.is_empty() {
        format!("{FILTER_PREFIX}(unreadable)")
    } else {
        format!("{FILTER_PREFIX}{}", parts.join(" "))
    }
}

pub(super) fn secrets_manager_targets<'a>(r: &Record<'a>, name: &str) -> Vec<Target<'a>> {
    let params = r.params.0.as_ref();
    let unnamed = match secrets_manager_action(name) {
        Action::Read => Target::unknown(),
        _ => Target::none(),
    };
    if let Some(p) = params {
        if let Some(id) = &p.secret_id.0 {
            return vec![Target::one(secret_name(id.clone()))];
        }
        if name == "CreateSecret"
            && let Some(created) = p.name.0.as_ref().filter(|n| !n.is_empty())
        {
            return vec![Target::one(secret_name(created.clone()))];
        }
        if name == "BatchGetSecretValue" {
            if !p.secret_id_list.0.is_empty() {
                return p
                    .secret_id_list
                    .0
                    .iter()
                    .map(|id| Target::one(secret_name(id.clone())))
                    .collect();
            }
            if let Some(filters) = p.filters {
                return vec![Target::filtered(filters)];
            }
        }
    }
    // A denied call may log `requestParameters: null`; the message or the
    // resources may still name the secret.
    match arn_in(r, ":secretsmanager:") {
        Some(arn) => vec![Target::one(secret_name(Cow::Owned(arn)))],
        None => vec![unnamed],
    }
}

pub(super) fn parameter_targets<'a>(r: &Record<'a>, name: &str, action: Action) -> Vec<Target<'a>> {
    if let Some(p) = r.params.0.as_ref() {
        if name == "GetParametersByPath"
            && let Some(path) = p.path.get()
        {
            let base = parameter_name(path).trim_end_matches('/').to_string();
            let recursive = is_true(p.recursive);
            return vec![Target {
                secret: Cow::Owned(format!("{base}/{}", if recursive { "**" } else { "*" })),
                alias: None,
                scope: if recursive {
                    Scope::Descendants
                } else {
                    Scope::Children
                },
                possible: false,
            }];
        }
        let mut names: Vec<Target<'a>> = p
            .names
            .0
            .iter()
            .chain(p.name.0.iter())
            .filter(|n| !n.is_empty())
            .map(|n| Target::one((Cow::Owned(parameter_name(n).to_string()), None)))
            .collect();
        if !names.is_empty() {
            names.sort_by(|a, b| a.secret.cmp(&b.secret));
            names.dedup_by(|a, b| a.secret == b.secret);
            return names;
        }
    }
    match arn_in(r, ":ssm:") {
        Some(arn) => vec![Target::one((
            Cow::Owned(parameter_name(&arn).to_string()),
            None,
        ))],
        None if action == Action::Read => vec![Target::unknown()],
        None => vec![Target::none()],
    }
}

/// The first ARN of this service in `resources[]` or `errorMessage`.
fn arn_in(r: &Record<'_>, service: &str) -> Option<String> {
    let from_resources = r
        .resources
        .and_then(|raw| serde_json::from_str::<Vec<Resource<'_>>>(raw.get()).ok())
        .and_then(|list| {
            list.iter()
                .filter_map(|res| res.arn.get())
                .find(|a| a.contains(service))
                .map(str::to_string)
        });
    from_resources.or_else(|| {
        let message = r.error_message.get()?;
        message.match_indices("arn:").find_map(|(at, _)| {
            let arn = message[at..]
                .split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
                .next()?;
            arn.contains(service).then(|| arn.to_string())
        })
    })
}
