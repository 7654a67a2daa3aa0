//! What to rotate after a Key Vault read: the credential behind a user,
//! application or managed identity, and how to replace a secret, key or
//! certificate.

use super::names::{Collection, object_of_url, parse_name};
use crate::event::Identity;
use crate::source::store::CredentialKind;

const MANAGED_IDENTITY: CredentialKind = CredentialKind("azure-managed-identity");
const USER: CredentialKind = CredentialKind("azure-user");
const PRINCIPAL: CredentialKind = CredentialKind("azure-principal");

pub(super) const KINDS: [CredentialKind; 3] = [MANAGED_IDENTITY, USER, PRINCIPAL];

pub(super) fn credential(identity: &Identity) -> (CredentialKind, String) {
    let meta = |k: &str| identity.metadata.get(k).map(String::as_str);
    let id = identity.id.as_str();
    if let Some(managed) = meta("managed_identity") {
        let hint = format!(
            "managed identity {managed}: no secret to rotate; remove its access to the vault and \
             check what runs as it"
        );
        return (MANAGED_IDENTITY, hint);
    }
    if let Some(upn) = meta("upn") {
        let hint = format!(
            "revoke the sign-in sessions of {upn} (az ad user revoke-sign-in-sessions) and reset \
             the password"
        );
        return (USER, hint);
    }
    let hint = format!(
        "rotate the client secrets and certificates of application {} (az ad app \
         credential reset)",
        meta("appid").unwrap_or(id)
    );
    (PRINCIPAL, hint)
}

/// A Key Vault secret, key or certificate (named as queries name it, or by
/// its URL when it was never seen).
pub(super) fn secret_hint(target: &str) -> String {
    let object = match target.contains("://") {
        true => object_of_url(target),
        false => parse_name(target),
    };
    match object {
        Some((vault, Collection::Keys, name)) => format!(
            "rotate the key: create a new version (az keyvault key rotate --vault-name {vault} \
             --name {name}), move its users to it, then disable the old versions; a key that was \
             backed up or released must be treated as exported: re-encrypt what the old versions \
             protect and distrust what they signed"
        ),
        Some((vault, Collection::Certificates, name)) => format!(
            "re-issue the certificate with a new key: create a new version (az keyvault \
             certificate create --vault-name {vault} --name {name} --policy …, or renew it at its \
             CA), deploy it, then revoke the old one at its CA and disable the old versions (its \
             private key is readable as secret {vault}/{name})"
        ),
        Some((vault, Collection::Secrets, name)) => format!(
            "set a new version (az keyvault secret set --vault-name {vault} --name {name}) and \
             disable the old ones"
        ),
        None => {
            let (vault, name) = target.split_once('/').unwrap_or(("<vault>", target));
            format!(
                "set a new version (az keyvault secret set --vault-name {vault} --name {name}) and \
                 disable the old ones"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_hints_follow_the_kind_of_object() {
        let hint = secret_hint;
        let key = hint("kv/keys/cmk");
        assert!(
            key.contains("az keyvault key rotate --vault-name kv --name cmk"),
            "{key}"
        );
        assert!(key.contains("treated as exported"), "{key}");
        let cert = hint("kv/certificates/web-tls");
        assert!(cert.contains("re-issue the certificate"), "{cert}");
        assert!(cert.contains("--vault-name kv --name web-tls"), "{cert}");
        assert!(cert.contains("secret kv/web-tls"), "{cert}");
        for secret in [
            "kv/db",
            "kv/secrets/db",
            "https://kv.vault.azure.net/secrets/db/",
        ] {
            let h = hint(secret);
            assert!(
                h.contains("az keyvault secret set --vault-name kv --name db"),
                "{h}"
            );
        }
        // A never-seen object named by its URL is still told by its kind.
        let h = hint("https://kv.vault.azure.net/keys/cmk/0123abcd");
        assert!(h.contains("key rotate --vault-name kv --name cmk"), "{h}");
    }
}
