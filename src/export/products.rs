//! What OCSF and ECS call each store: its product and vendor, the service
//! a call goes to, the kind of resource a secret is, and its cloud.

use crate::event::Provider;

pub(super) struct Product {
    pub vendor: &'static str,
    pub name: &'static str,
    /// The API's service (`api.service.name`, `event.provider`).
    pub service: &'static str,
    /// What a secret of this store is (`resources[].type`).
    pub resource: &'static str,
    /// OCSF's `cloud.provider` (ECS lower-cases it); `None` off a cloud.
    pub cloud: Option<&'static str>,
}

pub(super) fn product(provider: Provider) -> Product {
    let (vendor, name, service, resource, cloud) = match provider {
        Provider::Vault => ("HashiCorp", "Vault", "vault", "Vault secret", None),
        Provider::Aws => (
            "AWS",
            "CloudTrail",
            "secretsmanager.amazonaws.com",
            "AWS::SecretsManager::Secret",
            Some("AWS"),
        ),
        Provider::Ssm => (
            "AWS",
            "CloudTrail",
            "ssm.amazonaws.com",
            "AWS::SSM::Parameter",
            Some("AWS"),
        ),
        Provider::Azure => (
            "Microsoft",
            "Azure Key Vault",
            "Microsoft.KeyVault",
            "Key Vault object",
            Some("Azure"),
        ),
        Provider::Gcp => (
            "Google",
            "Cloud Audit Logs",
            "secretmanager.googleapis.com",
            "Secret Manager secret",
            Some("GCP"),
        ),
        Provider::K8s => (
            "Kubernetes",
            "Kubernetes audit",
            "kube-apiserver",
            "Kubernetes Secret",
            None,
        ),
    };
    Product {
        vendor,
        name,
        service,
        resource,
        cloud,
    }
}
