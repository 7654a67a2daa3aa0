//! Fixed vocabularies: the AWS services that appear, what their SDK user
//! agents look like, and the names teams give to things.

/// One AWS service as it shows in records: `eventSource`, the TLS host
/// header, and the `api/...` tag the Go v2 and JS v3 SDKs append to their
/// user agents.
pub struct Svc {
    pub source: &'static str,
    pub host: &'static str,
    pub go: &'static str,
    pub js: &'static str,
    /// `eventVersion` of its records (1.09 where the samples show it).
    pub version: &'static str,
    /// Position in `SERVICES`, for the counts of the summary.
    pub id: usize,
}

const fn svc(
    id: usize,
    source: &'static str,
    host: &'static str,
    go: &'static str,
    js: &'static str,
    version: &'static str,
) -> Svc {
    Svc {
        id,
        source,
        host,
        go,
        js,
        version,
    }
}

pub const SECRETSMANAGER: Svc = svc(
    0,
    "secretsmanager.amazonaws.com",
    "secretsmanager.us-east-1.amazonaws.com",
    "api/secretsmanager#1.28.6",
    "api/secrets-manager#3.535.0",
    "1.09",
);
pub const SSM: Svc = svc(
    1,
    "ssm.amazonaws.com",
    "ssm.us-east-1.amazonaws.com",
    "api/ssm#1.49.5",
    "api/ssm#3.535.0",
    "1.08",
);
pub const KMS: Svc = svc(
    2,
    "kms.amazonaws.com",
    "kms.us-east-1.amazonaws.com",
    "api/kms#1.30.1",
    "api/kms#3.535.0",
    "1.08",
);
pub const STS: Svc = svc(
    3,
    "sts.amazonaws.com",
    "sts.us-east-1.amazonaws.com",
    "api/sts#1.28.6",
    "api/sts#3.535.0",
    "1.08",
);
pub const EC2: Svc = svc(
    4,
    "ec2.amazonaws.com",
    "ec2.us-east-1.amazonaws.com",
    "api/ec2#1.152.0",
    "api/ec2#3.535.0",
    "1.09",
);
pub const S3: Svc = svc(
    5,
    "s3.amazonaws.com",
    "s3.us-east-1.amazonaws.com",
    "api/s3#1.53.1",
    "api/s3#3.537.0",
    "1.09",
);
pub const LAMBDA: Svc = svc(
    6,
    "lambda.amazonaws.com",
    "lambda.us-east-1.amazonaws.com",
    "api/lambda#1.53.3",
    "api/lambda#3.535.0",
    "1.08",
);
pub const LOGS: Svc = svc(
    7,
    "logs.amazonaws.com",
    "logs.us-east-1.amazonaws.com",
    "api/cloudwatchlogs#1.35.1",
    "api/cloudwatch-logs#3.535.0",
    "1.08",
);
pub const ECR: Svc = svc(
    8,
    "ecr.amazonaws.com",
    "api.ecr.us-east-1.amazonaws.com",
    "api/ecr#1.27.3",
    "api/ecr#3.535.0",
    "1.08",
);
pub const DYNAMODB: Svc = svc(
    9,
    "dynamodb.amazonaws.com",
    "dynamodb.us-east-1.amazonaws.com",
    "api/dynamodb#1.31.0",
    "api/dynamodb#3.535.0",
    "1.08",
);
pub const MONITORING: Svc = svc(
    10,
    "monitoring.amazonaws.com",
    "monitoring.us-east-1.amazonaws.com",
    "api/cloudwatch#1.36.1",
    "api/cloudwatch#3.535.0",
    "1.08",
);

/// Every service above, by `id`.
pub const SERVICES: [&Svc; 11] = [
    &SECRETSMANAGER,
    &SSM,
    &KMS,
    &STS,
    &EC2,
    &S3,
    &LAMBDA,
    &LOGS,
    &ECR,
    &DYNAMODB,
    &MONITORING,
];

/// Services and teams: secret names, roles and buckets are built from these.
pub const APPS: &[&str] = &[
    "payments",
    "orders",
    "checkout",
    "billing",
    "ledger",
    "auth",
    "identity",
    "search",
    "catalog",
    "inventory",
    "shipping",
    "notifications",
    "email",
    "reporting",
    "analytics",
    "etl",
    "ml-features",
    "recommendations",
    "pricing",
    "fraud",
    "risk",
    "kyc",
    "support",
    "crm",
    "cms",
    "media",
    "thumbnails",
    "webhooks",
    "gateway",
    "graphql",
    "admin",
    "backoffice",
    "scheduler",
    "batch",
    "exports",
    "imports",
    "audit",
    "compliance",
    "data-lake",
    "partner-api",
];

pub const ENVS: &[&str] = &["prod", "staging", "dev", "qa"];

/// What a secret holds, as the last part of its name.
pub const SECRET_KINDS: &[&str] = &[
    "db-password",
    "db-credentials",
    "api-key",
    "oauth-client-secret",
    "jwt-signing-key",
    "redis-auth-token",
    "smtp-credentials",
    "stripe-api-key",
    "datadog-api-key",
    "tls-private-key",
    "github-app-key",
    "slack-webhook",
    "sentry-dsn",
    "encryption-key",
    "service-account-json",
    "rabbitmq-password",
    "kafka-sasl-password",
    "elasticsearch-password",
    "mongodb-uri",
    "sendgrid-api-key",
];

/// CloudFormation-made secrets are named `<LogicalId>-<12 random>`.
pub const CFN_LOGICAL: &[&str] = &[
    "DbPasswordSecret",
    "DdApiKeySecret",
    "RdsMasterSecret",
    "ApiTokenSecret",
    "WebhookSigningSecret",
    "ClusterAdminSecret",
];

pub const PARAM_KEYS: &[(&str, bool)] = &[
    ("db/host", false),
    ("db/port", false),
    ("db/username", false),
    ("db/password", true),
    ("api/base-url", false),
    ("api/key", true),
    ("feature-flags", false),
    ("log-level", false),
    ("config.json", false),
    ("oauth/client-secret", true),
    ("queue-url", false),
    ("cache/auth-token", true),
];

pub const PEOPLE: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin",
];

pub const SSO_SETS: &[&str] = &[
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
    "DeveloperAccess",
];

/// EC2 read calls of consoles, Terraform plans and inventory tools, with
/// their usual `requestParameters` and AWS CLI command.
pub const EC2_DESCRIBE: &[(&str, &str, &str)] = &[
    (
        "DescribeInstances",
        "ec2.describe-instances",
        r#"{"instancesSet":{},"filterSet":{"items":[{"name":"instance-state-name","valueSet":{"items":[{"value":"running"}]}}]}}"#,
    ),
    (
        "DescribeInstanceStatus",
        "ec2.describe-instance-status",
        r#"{"instancesSet":{},"filterSet":{},"includeAllInstances":false}"#,
    ),
    (
        "DescribeVolumes",
        "ec2.describe-volumes",
        r#"{"volumeSet":{},"filterSet":{},"maxResults":500}"#,
    ),
    (
        "DescribeSecurityGroups",
        "ec2.describe-security-groups",
        r#"{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{"items":[{"name":"vpc-id","valueSet":{"items":[{"value":"vpc-0c4e2f1a9b8d7e6f5"}]}}]}}"#,
    ),
    (
        "DescribeSubnets",
        "ec2.describe-subnets",
        r#"{"subnetSet":{},"filterSet":{"items":[{"name":"vpc-id","valueSet":{"items":[{"value":"vpc-0c4e2f1a9b8d7e6f5"}]}}]}}"#,
    ),
    (
        "DescribeNetworkInterfaces",
        "ec2.describe-network-interfaces",
        r#"{"networkInterfaceIdSet":{},"filterSet":{"items":[{"name":"status","valueSet":{"items":[{"value":"in-use"}]}}]}}"#,
    ),
    (
        "DescribeTags",
        "ec2.describe-tags",
        r#"{"filterSet":{"items":[{"name":"resource-type","valueSet":{"items":[{"value":"instance"}]}}]}}"#,
    ),
    (
        "DescribeAddresses",
        "ec2.describe-addresses",
        r#"{"publicIpsSet":{},"allocationIdsSet":{},"filterSet":{}}"#,
    ),
    (
        "DescribeVpcs",
        "ec2.describe-vpcs",
        r#"{"vpcSet":{},"filterSet":{}}"#,
    ),
    (
        "DescribeLaunchTemplates",
        "ec2.describe-launch-templates",
        r#"{"DescribeLaunchTemplatesRequest":{"MaxResults":200}}"#,
    ),
    (
        "DescribeImages",
        "ec2.describe-images",
        r#"{"executableBySet":{},"imagesSet":{},"ownersSet":{"items":[{"owner":"self"}]},"filterSet":{},"includeDeprecated":false}"#,
    ),
    (
        "DescribeAvailabilityZones",
        "ec2.describe-availability-zones",
        r#"{"availabilityZoneSet":{},"availabilityZoneIdSet":{}}"#,
    ),
];

/// Lambda's management event names carry the API version, as logged.
pub const LAMBDA_MGMT: &[(&str, &str)] = &[
    ("GetFunction20150331v2", "lambda.get-function"),
    (
        "GetFunctionConfiguration20150331v2",
        "lambda.get-function-configuration",
    ),
    ("ListFunctions20150331", "lambda.list-functions"),
    (
        "ListVersionsByFunction20150331",
        "lambda.list-versions-by-function",
    ),
];

pub const TLS12_SUITES: &[&str] = &["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"];

/// Object key shapes in the buckets.
pub const KEY_PREFIXES: &[&str] = &[
    "uploads/",
    "images/2025/03/",
    "exports/daily/",
    "invoices/2025/",
    "raw/events/dt=2025-03-14/",
    "models/v7/",
    "static/js/",
    "backups/pg/",
    "reports/weekly/",
    "tmp/",
];
pub const KEY_EXTS: &[&str] = &[
    ".json", ".jpg", ".png", ".csv.gz", ".parquet", ".pdf", ".js", ".tar.zst", ".avro", ".txt",
];

pub const DDB_TABLES: &[&str] = &[
    "orders",
    "sessions",
    "carts",
    "feature-flags",
    "idempotency-keys",
    "rate-limits",
    "customer-profiles",
    "ledger-entries",
];
