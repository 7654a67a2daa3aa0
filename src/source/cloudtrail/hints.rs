//! What to rotate after an AWS read: the credential behind a principal
//! (a role's sessions, an access key, the root…) and how to replace a
//! Secrets Manager secret or an SSM parameter.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::event::{Identity, Provider};
use crate::source::store::CredentialKind;

const ROLE_SESSIONS: CredentialKind = CredentialKind("aws-role-sessions");
const FEDERATED_SESSIONS: CredentialKind = CredentialKind("aws-federated-sessions");
const SERVICE: CredentialKind = CredentialKind("aws-service");
const ROOT: CredentialKind = CredentialKind("aws-root");
const ACCESS_KEY: CredentialKind = CredentialKind("aws-access-key");
const PRINCIPAL: CredentialKind = CredentialKind("aws-principal");

pub(super) const KINDS: [CredentialKind; 6] = [
    ROLE_SESSIONS,
    FEDERATED_SESSIONS,
    SERVICE,
    ROOT,
    ACCESS_KEY,
    PRINCIPAL,
];

pub(super) fn credential(
    identity: &Identity,
    credentials: &BTreeSet<Arc<str>>,
) -> (CredentialKind, String) {
    let meta = |k: &str| identity.metadata.get(k).map(String::as_str);
    let id = identity.id.as_str();
    let kind = match meta("type") {
        _ if meta("role_arn").is_some() => ROLE_SESSIONS,
        Some("FederatedUser") => FEDERATED_SESSIONS,
        Some("AWSService") => SERVICE,
        Some("Root") => ROOT,
        _ if credentials.iter().any(|c| c.starts_with("AKIA")) => ACCESS_KEY,
        _ => PRINCIPAL,
    };
    let hint = match kind {
        ROLE_SESSIONS => format!(
            "revoke the active sessions of role {} (IAM: Revoke active sessions), then find who \
             could assume it",
            meta("role_arn").unwrap_or(id)
        ),
        FEDERATED_SESSIONS => format!(
            "federated sessions live until they expire: deactivate the access keys of {} that \
             issued them",
            meta("issuer").unwrap_or("the issuing user")
        ),
        SERVICE => format!(
            "{id} acted for a resource of yours: rotate the role that resource runs as, and \
             review the secret's resource policy"
        ),
        ROOT => "secure the account root: rotate its password, delete its access keys, \
                 check MFA"
            .to_string(),
        ACCESS_KEY => {
            let keys: Vec<&str> = credentials.iter().map(|c| &**c).collect();
            format!(
                "deactivate and delete access key {} of {id} (aws iam update-access-key --status \
                 Inactive), then issue a new one",
                keys.join(", ")
            )
        }
        _ => format!("rotate the credentials of {id}"),
    };
    (kind, hint)
}

pub(super) fn secret_hint(provider: Provider, target: &str) -> String {
    match provider {
        Provider::Ssm => format!(
            "put a new value (aws ssm put-parameter --overwrite --name {target}) and update its \
             consumers"
        ),
        _ => format!(
            "rotate it (aws secretsmanager rotate-secret --secret-id {target}) and update its \
             consumers"
        ),
    }
}
