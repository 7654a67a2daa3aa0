//! What to rotate, per store: the kind of credential an identity holds and
//! a one-line hint a responder can act on, and how to replace a secret.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::event::{Identity, Provider};
use crate::source::azure::{self, Collection};

/// The kind of credential behind an identity, as named in the JSON contract.
pub fn credential_kind(identity: &Identity, credentials: &BTreeSet<Arc<str>>) -> &'static str {
    let meta = |k: &str| identity.metadata.get(k).map(String::as_str);
    let id = identity.id.as_str();
    match identity.provider {
        Provider::Vault => "vault-token-accessor",
        Provider::Aws | Provider::Ssm => match meta("type") {
            _ if meta("role_arn").is_some() => "aws-role-sessions",
            Some("FederatedUser") => "aws-federated-sessions",
            Some("AWSService") => "aws-service",
            Some("Root") => "aws-root",
            _ if credentials.iter().any(|c| c.starts_with("AKIA")) => "aws-access-key",
            _ => "aws-principal",
        },
        Provider::Azure if meta("managed_identity").is_some() => "azure-managed-identity",
        Provider::Azure if meta("upn").is_some() => "azure-user",
        Provider::Azure => "azure-principal",
        Provider::Gcp if id.ends_with(".gserviceaccount.com") => "gcp-service-account",
        Provider::Gcp if id.starts_with("principal") => "gcp-federated-principal",
        Provider::Gcp => "gcp-user",
        Provider::K8s if id.starts_with("system:serviceaccount:") => "k8s-service-account",
        Provider::K8s if id.starts_with("system:node:") => "k8s-node",
        Provider::K8s if id.starts_with("system:") => "k8s-control-plane",
        Provider::K8s => "k8s-user",
    }
}

/// What to do at the source, from what the log tells of the identity.
pub fn credential_hint(identity: &Identity, credentials: &BTreeSet<Arc<str>>) -> String {
    let meta = |k: &str| identity.metadata.get(k).map(String::as_str);
    let id = identity.id.as_str();
    let keys = || {
        credentials
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match credential_kind(identity, credentials) {
        "vault-token-accessor" => vault_hint(identity, credentials),
        "aws-role-sessions" => format!(
            "revoke the active sessions of role {} (IAM: Revoke active sessions), then find who \
             could assume it",
            meta("role_arn").unwrap_or(id)
        ),
        "aws-federated-sessions" => format!(
            "federated sessions live until they expire: deactivate the access keys of {} that \
             issued them",
            meta("issuer").unwrap_or("the issuing user")
        ),
        "aws-service" => format!(
            "{id} acted for a resource of yours: rotate the role that resource runs as, and \
             review the secret's resource policy"
        ),
        "aws-root" => "secure the account root: rotate its password, delete its access keys, \
                       check MFA"
            .to_string(),
        "aws-access-key" => format!(
            "deactivate and delete access key {} of {id} (aws iam update-access-key --status \
             Inactive), then issue a new one",
            keys()
        ),
        "aws-principal" => format!("rotate the credentials of {id}"),
        "azure-managed-identity" => format!(
            "managed identity {}: no secret to rotate; remove its access to the vault and \
             check what runs as it",
            meta("managed_identity").unwrap_or(id)
        ),
        "azure-user" => format!(
            "revoke the sign-in sessions of {} (az ad user revoke-sign-in-sessions) and reset \
             the password",
            meta("upn").unwrap_or(id)
        ),
        "azure-principal" => format!(
            "rotate the client secrets and certificates of application {} (az ad app \
             credential reset)",
            meta("appid").unwrap_or(id)
        ),
        "gcp-service-account" => format!(
            "delete the keys of service account {id} (gcloud iam service-accounts keys list \
             --iam-account {id}) and check who can impersonate it"
        ),
        "gcp-federated-principal" => format!(
            "federated principal {id}: revoke its access in the workload identity pool and at \
             the external identity provider"
        ),
        "gcp-user" => format!("reset the sessions and password of {id}"),
        "k8s-service-account" => {
            let sa = id
                .trim_start_matches("system:serviceaccount:")
                .replacen(':', "/", 1);
            format!(
                "rotate the tokens of service account {sa}: delete its token secrets and \
                 restart the pods that mount it (bound tokens expire on their own)"
            )
        }
        "k8s-node" => format!(
            "the node {id} read it: drain and rebuild the node, rotate its kubelet credentials"
        ),
        "k8s-control-plane" => format!(
            "{id} is a control-plane component: it reads secrets by design; check the API \
             server's credentials only if the control plane is suspect"
        ),
        _ => format!(
            "revoke the credentials of user {id} (client certificate, token or OIDC session)"
        ),
    }
}

/// How to replace a secret of this store.
pub fn secret_hint(provider: Option<Provider>, target: &str, logical: Option<&str>) -> String {
    if target.ends_with('*') {
        let scope = match (provider, target.trim_end_matches('*').trim_end_matches('/')) {
            (Some(Provider::K8s), "") => "the cluster".to_string(),
            (Some(Provider::K8s), ns) => format!("namespace {ns}"),
            (_, "") => "the store".to_string(),
            (_, prefix) => format!("{prefix}/"),
        };
        return format!(
            "a wide read exposed every secret of {scope}: rotate each of them (list them at the store)"
        );
    }
    match provider {
        Some(Provider::Aws) => format!(
            "rotate it (aws secretsmanager rotate-secret --secret-id {target}) and update its \
             consumers"
        ),
        Some(Provider::Ssm) => format!(
            "put a new value (aws ssm put-parameter --overwrite --name {target}) and update its \
             consumers"
        ),
        Some(Provider::Azure) => azure_secret_hint(target),
        Some(Provider::Gcp) => format!(
            "add a new version (gcloud secrets versions add {target}) and disable the old ones"
        ),
        Some(Provider::K8s) => {
            let (ns, name) = target.split_once('/').unwrap_or(("<namespace>", target));
            format!(
                "change its data (kubectl -n {ns} edit secret {name}) and restart the pods that \
                 use it; also rotate it where it came from"
            )
        }
        Some(Provider::Vault) => vault_secret_hint(target, logical),
        None => format!("replace the value of {target} in every store that holds it"),
    }
}

/// A Key Vault secret, key or certificate (named as queries name it, or by
/// its URL when it was never seen).
fn azure_secret_hint(target: &str) -> String {
    let object = match target.contains("://") {
        true => azure::object_of_url(target),
        false => azure::parse_name(target),
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

fn vault_secret_hint(path: &str, logical: Option<&str>) -> String {
    if let Some(name) = logical {
        return format!(
            "write a new version (vault kv put {name} …), update its consumers, then destroy \
             the old versions (vault kv destroy)"
        );
    }
    // Secrets engines name their endpoints right after the mount:
    // database/creds/<role>, aws/sts/<role>, pki/issue/<role>, gcp/key/<roleset>…
    match path.split('/').nth(1) {
        Some("creds" | "sts" | "issue" | "key" | "token") => format!(
            "dynamic secret: revoke the leases issued from it (vault lease revoke -prefix \
             {path}) and rotate the backend's own credential if it may have leaked"
        ),
        Some("static-creds") => {
            let mount = path.split('/').next().unwrap_or("database");
            let role = path.rsplit('/').next().unwrap_or("<role>");
            format!("static role: rotate it now (vault write -f {mount}/rotate-role/{role})")
        }
        _ => format!("replace the value at {path} and update its consumers"),
    }
}

/// What to do at the source, from what the log tells of the auth method.
fn vault_hint(identity: &Identity, accessors: &BTreeSet<Arc<str>>) -> String {
    let meta = |k: &str| identity.metadata.get(k).map(String::as_str);
    let name = identity.label.as_str();
    let revoke = match accessors.len() {
        0 => "no token accessor was logged: find its tokens with vault list auth/token/accessors"
            .to_string(),
        1 => "revoke its token (vault token revoke -accessor <accessor>)".to_string(),
        n => format!("revoke its {n} tokens (vault token revoke -accessor <accessor>)"),
    };
    let source = if name == "root" {
        Some(
            "then keep root tokens revoked until needed (vault operator generate-root)".to_string(),
        )
    } else if let (Some(role), true) = (meta("role_name"), name.starts_with("approle")) {
        Some(format!(
            "then rotate the secret-ids of AppRole role '{role}' (vault write -f \
             auth/approle/role/{role}/secret-id, and destroy the old ones)"
        ))
    } else if let Some(sa) = meta("service_account_name") {
        let ns = meta("service_account_namespace").unwrap_or("?");
        let role = meta("role")
            .map(|r| format!(" (Vault role '{r}')"))
            .unwrap_or_default();
        Some(format!(
            "then rotate the token of Kubernetes service account {ns}/{sa}{role}: it can log in again"
        ))
    } else if let Some(user) = meta("username").or_else(|| name.strip_prefix("userpass-")) {
        Some(format!("then reset the password of user '{user}'"))
    } else if let Some(user) = name.strip_prefix("ldap-") {
        Some(format!("then reset the directory password of '{user}'"))
    } else if name.starts_with("oidc-") || name.starts_with("jwt-") {
        Some("then end the user's sessions at the identity provider".to_string())
    } else {
        None
    };
    let hashed = accessors.iter().any(|a| a.starts_with("hmac-sha256:"));
    let mut hint = revoke;
    if let Some(s) = source {
        hint.push_str("; ");
        hint.push_str(&s);
    }
    if hashed {
        hint.push_str(
            "; accessors are HMAC'd in this log: match them with vault write \
             sys/audit-hash/<device> input=<accessor>",
        );
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_hints_follow_the_kind_of_object() {
        let hint = |target: &str| secret_hint(Some(Provider::Azure), target, None);
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

    /// Every kind `credential_kind` can return, read from its own source:
    /// the string literals its match arms give (`=> "aws-root"`).
    fn kinds_in_code() -> Vec<&'static str> {
        let source = include_str!("rotation.rs");
        let start = source
            .find("pub fn credential_kind(")
            .expect("credential_kind is defined here");
        let body = &source[start..];
        let body = &body[..body.find("\n}\n").expect("its body ends")];
        let mut kinds: Vec<&str> = body
            .match_indices("=> \"")
            .map(|(at, arrow)| {
                let rest = &body[at + arrow.len()..];
                &rest[..rest.find('"').expect("a closed literal")]
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    #[test]
    fn every_credential_kind_is_documented_in_the_readme() {
        let kinds = kinds_in_code();
        assert!(kinds.len() >= 17, "{kinds:?}");
        for kind in &kinds {
            assert!(
                kind.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{kind:?} does not look like a kind: is credential_kind's source still read right?"
            );
        }
        // What the function returns is among what the source shows.
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
            let kind = credential_kind(&identity(provider, id, meta), &none);
            assert!(kinds.contains(&kind), "{kind} is not in {kinds:?}");
        }
        let readme = include_str!("../../README.md");
        let missing: Vec<&&str> = kinds
            .iter()
            .filter(|k| !readme.contains(&format!("`{k}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "credential kinds missing from README.md (list them, in backquotes, with their \
             store under *The other stores*): {missing:?}"
        );
    }
}
