//! Records as the stores write them, for the unit tests of code that knows
//! no store (the scanner, sniffing): so that store knowledge stays here.

/// A Vault KV v2 read's response (`log_raw` off, a value in the response).
pub const VAULT_READ: &str = r#"{"time":"2025-03-15T02:34:12.847Z","type":"response","auth":{"accessor":"hmac-sha256:acc","display_name":"deploy-bot","entity_id":"e1"},"request":{"id":"11111111-2222-3333-4444-555555555555","operation":"read","mount_point":"secret/","path":"secret/data/production/db","remote_address":"10.0.1.42"},"response":{"data":{"data":{"password":"hunter2"}}}}"#;

/// An AWS Secrets Manager read of `prod/db-password`.
pub const CLOUDTRAIL_GET: &str = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","eventID":"EID","requestParameters":{"secretId":"prod/db-password"},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/alice","userName":"alice"}}"#;

/// A CloudTrail event of another service: read by nothing.
pub const CLOUDTRAIL_OTHER: &str = r#"{"eventTime":"2025-03-15T02:31:08Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/alice"}}"#;

/// Where Vault writes an entity id and a token accessor (`accessor` also
/// ends `client_token_accessor`).
pub const VAULT_ID_FIELDS: [&str; 2] = ["entity_id", "accessor"];

/// `records` in a CloudTrail S3 delivery, on one line.
pub fn cloudtrail_delivery(records: &[&str]) -> String {
    format!("{{\"Records\":[{}]}}", records.join(","))
}

/// `records` in a Kubernetes `EventList`, on one line.
pub fn k8s_event_list(records: &[&str]) -> String {
    format!(
        "{{\"kind\":\"EventList\",\"items\":[{}]}}",
        records.join(",")
    )
}

/// An Azure Key Vault `SecretGet` (resource log, `AuditEvent`).
pub const AZURE_GET: &str = r#"{"time":"2025-03-15T02:22:47.1893345Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-OPS","operationName":"SecretGet","category":"AuditEvent","resultSignature":"OK","callerIpAddress":"10.2.1.8","correlationId":"c1","identity":{"claim":{"oid":"o1","appid":"a1"}},"properties":{"id":"https://kv-ops.vault.azure.net/secrets/smtp-password/v1","httpStatusCode":200,"requestUri":"https://kv-ops.vault.azure.net/secrets/smtp-password/?api-version=7.4"}}"#;

/// A Google Secret Manager `AccessSecretVersion` (Cloud Audit Logs entry).
pub const GCP_ACCESS: &str = r#"{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"mailer@p.iam.gserviceaccount.com"},"serviceName":"secretmanager.googleapis.com","methodName":"google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion","resourceName":"projects/p/secrets/smtp-password/versions/latest"},"insertId":"i1","timestamp":"2025-03-15T02:26:19.338120Z","logName":"projects/p/logs/cloudaudit.googleapis.com%2Fdata_access"}"#;

/// A Kubernetes audit event: a Secret's `get`.
pub const K8S_GET: &str = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"system:serviceaccount:prod:app"},"objectRef":{"resource":"secrets","namespace":"prod","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2025-03-15T02:30:00.000000Z"}"#;
