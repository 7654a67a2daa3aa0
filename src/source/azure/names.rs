//! How Key Vault names its objects: collections, `vault/name` spellings,
//! object URLs.

/// The three kinds of Key Vault object, each a secret to whosaw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Collection {
    Secrets,
    Keys,
    Certificates,
}

impl Collection {
    /// The collection's segment in object URLs (deleted objects add
    /// `deleted` before it: `deletedkeys`).
    pub(crate) fn word(self) -> &'static str {
        match self {
            Collection::Secrets => "secrets",
            Collection::Keys => "keys",
            Collection::Certificates => "certificates",
        }
    }

    /// A URL's or a name's collection segment, in any case; a deleted
    /// object (recover, purge) is still the object.
    pub(super) fn of_segment(segment: &str) -> Option<Collection> {
        let lower = segment.to_ascii_lowercase();
        match lower.strip_prefix("deleted").unwrap_or(&lower) {
            "secrets" => Some(Collection::Secrets),
            "keys" => Some(Collection::Keys),
            "certificates" => Some(Collection::Certificates),
            _ => None,
        }
    }
}

/// An object's name as queries use it: `vault/name` for a secret (as
/// always), `vault/keys/name`, `vault/certificates/name`.
pub(crate) fn object_name(vault: &str, collection: Collection, name: &str) -> String {
    match collection {
        Collection::Secrets => format!("{vault}/{name}"),
        other => format!("{vault}/{}/{name}", other.word()),
    }
}

/// `(vault, collection, name)` of a name as a query may spell it:
/// `vault/name` (a secret), `vault/keys/name`, `vault/certificates/name`,
/// and `vault/secrets/name` (the same secret as `vault/name`). Key Vault
/// names hold no `/`, so the spelling is never ambiguous.
pub(crate) fn parse_name(name: &str) -> Option<(&str, Collection, &str)> {
    let parts: Vec<&str> = name.split('/').collect();
    let (vault, collection, name) = match parts[..] {
        [vault, name] => (vault, Collection::Secrets, name),
        [vault, collection, name] => (vault, Collection::of_segment(collection)?, name),
        _ => return None,
    };
    (!vault.is_empty() && !name.is_empty()).then_some((vault, collection, name))
}

/// Whether an access named `secret` and grouped under `key` is a read of a
/// certificate's backing secret kept under its certificate (see
/// `matcher::Match::Backing`): it spells the secret read, not the
/// certificate.
pub(crate) fn is_backing_read(secret: &str, key: &str) -> bool {
    matches!(parse_name(key), Some((_, Collection::Certificates, _)))
        && matches!(parse_name(secret), Some((_, Collection::Secrets, _)))
}

/// The vault of a Key Vault URL (`kv-prod` of `https://kv-prod.vault.azure.net/…`).
pub(super) fn vault_of_url(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    host.split('.').next().filter(|v| !v.is_empty())
}

/// `(vault, collection, name)` of an object URL,
/// `https://<vault>.vault.azure.net/<collection>/<name>[/<version>][/<action>][?…]`
/// with `secrets`, `keys` or `certificates` (or their `deleted…` forms) as
/// the collection (any cloud's host; Managed HSM too). The version, what
/// follows it and the query are dropped.
pub(crate) fn object_of_url(url: &str) -> Option<(&str, Collection, &str)> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next()?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    let vault = host.split('.').next().filter(|v| !v.is_empty())?;
    let collection = Collection::of_segment(parts.next()?)?;
    let name = parts.next().filter(|n| !n.is_empty())?;
    // `certificates/issuers/<issuer>` and `certificates/contacts` are the
    // vault's certificate settings, not certificates.
    if collection == Collection::Certificates
        && (name.eq_ignore_ascii_case("issuers") || name.eq_ignore_ascii_case("contacts"))
    {
        return None;
    }
    Some((vault, collection, name))
}
