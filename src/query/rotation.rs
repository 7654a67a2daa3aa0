//! What to rotate: the kind of credential an identity holds and a one-line
//! hint a responder can act on, and how to replace a secret. Each store
//! knows its own (see `Store::credential` and `Store::secret_hint`); what
//! is said of every store is here.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::event::{Identity, Provider};
use crate::source::store::CredentialKind;
use crate::source::store_of;

/// The kind of credential behind an identity, and what to do at the source.
pub(crate) fn credential(
    identity: &Identity,
    credentials: &BTreeSet<Arc<str>>,
) -> (CredentialKind, String) {
    store_of(identity.provider).credential(identity, credentials)
}

/// How to replace a secret of this store (`None`: a name never seen in any).
pub(crate) fn secret_hint(
    provider: Option<Provider>,
    target: &str,
    logical: Option<&str>,
) -> String {
    if target.ends_with('*') {
        let prefix = target.trim_end_matches('*').trim_end_matches('/');
        let scope = match (
            provider.and_then(|p| store_of(p).wide_read_scope(prefix)),
            prefix,
        ) {
            (Some(scope), _) => scope,
            (None, "") => "the store".to_string(),
            (None, prefix) => format!("{prefix}/"),
        };
        return format!(
            "a wide read exposed every secret of {scope}: rotate each of them (list them at the store)"
        );
    }
    match provider {
        Some(p) => store_of(p).secret_hint(p, target, logical),
        None => format!("replace the value of {target} in every store that holds it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_credential_kind_is_declared_and_documented_in_the_readme() {
        let identity = |provider, id: &str, meta: &[(&str, &str)]| Identity {
            id: id.into(),
            id_source: crate::event::IdSource::Unknown,
            label: id.into(),
            provider,
            metadata: meta
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            policies: Vec::new(),
        };
        let none = BTreeSet::new();
        for (provider, id, meta) in [
            (Provider::Vault, "e1", &[][..]),
            (
                Provider::Aws,
                "arn:aws:iam::1:user/a",
                &[("type", "IAMUser")][..],
            ),
            (
                Provider::Ssm,
                "arn:aws:iam::1:root",
                &[("type", "Root")][..],
            ),
            (Provider::Azure, "o1", &[("upn", "a@b.example")][..]),
            (Provider::Gcp, "a@b.example", &[][..]),
            (Provider::K8s, "system:node:n1", &[][..]),
        ] {
            let (kind, _) = credential(&identity(provider, id, meta), &none);
            let declared = store_of(provider).about().credential_kinds;
            assert!(declared.contains(&kind), "{kind:?} is not in {declared:?}");
        }
        let kinds: Vec<CredentialKind> = crate::source::stores()
            .flat_map(|s| s.about().credential_kinds.iter().copied())
            .collect();
        assert!(kinds.len() >= 17, "{kinds:?}");
        let readme = include_str!("../../README.md");
        let missing: Vec<&CredentialKind> = kinds
            .iter()
            .filter(|k| !readme.contains(&format!("`{}`", k.as_str())))
            .collect();
        assert!(
            missing.is_empty(),
            "credential kinds missing from README.md (list them, in backquotes, with their \
             store under *The other stores*): {missing:?}"
        );
    }
}
