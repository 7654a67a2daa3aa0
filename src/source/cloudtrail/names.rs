//! How AWS names secrets and principals: Secrets Manager names and ARNs
//! (with their random suffix), SSM parameter names and ARNs, the readable
//! end of an ARN.

use std::borrow::Cow;

/// A Secrets Manager reference as (canonical name, alias). A full ARN ends
/// in `-` and six random characters, which are dropped; since a partial ARN
/// (no suffix) of a name that happens to end that way cannot be told from
/// it, the unstripped name is kept as an alias a query may also use.
pub(super) fn secret_name(id: Cow<'_, str>) -> (Cow<'_, str>, Option<Cow<'_, str>>) {
    let Some(at) = id.find(":secret:").filter(|_| id.starts_with("arn:")) else {
        return (id, None);
    };
    let named = &id[at + ":secret:".len()..];
    match strip_arn_suffix(named) {
        Some(stripped) => (
            Cow::Owned(stripped.to_string()),
            Some(Cow::Owned(named.to_string())),
        ),
        None => (Cow::Owned(named.to_string()), None),
    }
}

fn strip_arn_suffix(name: &str) -> Option<&str> {
    let (head, suffix) = name.rsplit_once('-')?;
    (suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric()) && !head.is_empty())
        .then_some(head)
}

/// An SSM parameter reference as its name: an ARN's
/// `parameter/prod/db/password` is `/prod/db/password` (hierarchical names
/// start with `/`; the ARN drops it), a `:3` or `:label` selector is dropped.
pub(super) fn parameter_name(reference: &str) -> &str {
    let name = match reference
        .find(":parameter/")
        .filter(|_| reference.starts_with("arn:"))
    {
        Some(at) => {
            let rest = &reference[at + ":parameter".len()..];
            if rest[1..].contains('/') {
                rest
            } else {
                &rest[1..]
            }
        }
        None => reference,
    };
    // Parameter names cannot hold ':'; after the ARN prefix it is a selector.
    name.split(':').next().unwrap_or(name)
}

/// The readable end of an ARN: `assumed-role/ci-deploy/gh-run-4411` for a
/// session, `user/alice` for a user.
pub(super) fn short_arn(arn: &str) -> &str {
    if !arn.starts_with("arn:") {
        return arn;
    }
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}
