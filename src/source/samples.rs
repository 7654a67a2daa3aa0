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
