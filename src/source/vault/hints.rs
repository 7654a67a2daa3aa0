//! What to rotate after a Vault read: the token behind an identity (and
//! what it logs in with), and how to replace each kind of secret.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::event::Identity;

/// How to replace a secret at `path` (`logical`: its KV v2 name).
pub(super) fn secret_hint(path: &str, logical: Option<&str>) -> String {
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
pub(super) fn credential_hint(identity: &Identity, accessors: &BTreeSet<Arc<str>>) -> String {
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
    use crate::event::Provider;

    fn identity(label: &str, meta: &[(&str, &str)]) -> Identity {
        Identity {
            id: "e".into(),
            id_source: crate::event::IdSource::Entity,
            label: label.into(),
            provider: Provider::Vault,
            metadata: meta
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            policies: vec![],
        }
    }

    #[test]
    fn hints_follow_the_auth_method() {
        let acc: BTreeSet<Arc<str>> = [Arc::from("hmac-sha256:ab")].into();
        let h = credential_hint(&identity("approle", &[("role_name", "ci-deploy")]), &acc);
        assert!(h.contains("secret-ids of AppRole role 'ci-deploy'"), "{h}");
        assert!(h.contains("sys/audit-hash"), "{h}");
        let h = credential_hint(&identity("userpass-alice", &[("username", "alice")]), &acc);
        assert!(h.contains("reset the password of user 'alice'"), "{h}");
        let k8s = [
            ("role", "payments"),
            ("service_account_name", "api"),
            ("service_account_namespace", "pay"),
        ];
        let h = credential_hint(&identity("kubernetes-pay-api", &k8s), &BTreeSet::new());
        assert!(
            h.contains("service account pay/api (Vault role 'payments')"),
            "{h}"
        );
        assert!(h.contains("no token accessor"), "{h}");
    }

    #[test]
    fn secret_hints_tell_dynamic_from_kv() {
        assert!(
            secret_hint("database/creds/readonly", None)
                .contains("lease revoke -prefix database/creds/readonly")
        );
        assert!(
            secret_hint("secret/data/prod/db", Some("secret/prod/db"))
                .contains("vault kv put secret/prod/db")
        );
        assert!(secret_hint("kv/prod/db", None).contains("replace the value at kv/prod/db"));
        // A KV path that merely contains an engine's word is still KV.
        assert!(
            secret_hint(
                "secret/data/slack/token/prod",
                Some("secret/slack/token/prod")
            )
            .contains("vault kv put")
        );
        assert!(secret_hint("kv/slack/token/prod", None).contains("replace the value"));
        assert!(
            secret_hint("database/static-creds/app", None)
                .contains("vault write -f database/rotate-role/app")
        );
    }
}
