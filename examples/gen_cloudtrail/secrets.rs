//! The Secrets Manager catalogue and the SSM parameters: names as teams
//! pick them, and the ARNs AWS gives them.

use std::collections::HashSet;

use crate::catalogue::{APPS, CFN_LOGICAL, ENVS, PARAM_KEYS, SECRET_KINDS};
use crate::json::{ALNUM, chars, uuid};
use crate::rng::Rng;
use crate::{ACCOUNT, REGION};

pub struct Secret {
    pub name: String,
    /// Full ARN: the name plus `-` and six random characters of AWS's choosing.
    pub arn: String,
    /// The ARN without that suffix, which the API also accepts.
    pub partial: String,
    /// Index of the KMS key that encrypts it.
    pub kms_key: usize,
}

/// How a caller names a secret in `secretId`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    Name,
    Partial,
    Full,
}

impl Form {
    /// Code mostly passes names; ARNs come from infrastructure-as-code
    /// outputs (full) and hand-written policies (partial).
    pub fn random(rng: &mut Rng) -> Form {
        match rng.f64() {
            r if r < 0.50 => Form::Name,
            r if r < 0.85 => Form::Full,
            _ => Form::Partial,
        }
    }
}

impl Secret {
    pub fn new(name: String, suffix: &str, kms_key: usize) -> Secret {
        let partial = format!("arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}");
        Secret {
            arn: format!("{partial}-{suffix}"),
            partial,
            name,
            kms_key,
        }
    }

    pub fn id(&self, form: Form) -> &str {
        match form {
            Form::Name => &self.name,
            Form::Partial => &self.partial,
            Form::Full => &self.arn,
        }
    }
}

/// `n` secrets in the usual spellings: `prod/payments/db-password`,
/// `prod/svc-17/api-key`, flat `orders-staging-redis-auth-token`, RDS-managed
/// `rds!db-<uuid>`, CloudFormation's `DdApiKeySecret-aUFEgO4SmSGN`, and some
/// names that end in a suffix-like `-AbC123` of their own (a trap for code
/// that strips ARN suffixes from names). Names in `taken` are never made.
pub fn build_secrets(
    rng: &mut Rng,
    taken: &mut HashSet<String>,
    n: usize,
    keys: usize,
) -> Vec<Secret> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let env = ENVS[rng.below(ENVS.len())];
        let app = if rng.chance(0.4) {
            format!("svc-{}", rng.range(1, 61))
        } else {
            APPS[rng.below(APPS.len())].to_string()
        };
        let kind = SECRET_KINDS[rng.below(SECRET_KINDS.len())];
        let name = match rng.f64() {
            r if r < 0.70 => format!("{env}/{app}/{kind}"),
            r if r < 0.80 => format!("{app}-{env}-{kind}"),
            r if r < 0.85 => format!(
                "rds!{}-{}",
                if rng.chance(0.7) { "db" } else { "cluster" },
                uuid(rng)
            ),
            r if r < 0.91 => format!("{env}/{app}/{kind}-{}", chars(rng, ALNUM, 6)),
            r if r < 0.95 => format!("/{env}/{app}/{kind}"),
            _ => format!(
                "{}-{}",
                CFN_LOGICAL[rng.below(CFN_LOGICAL.len())],
                chars(rng, ALNUM, 12)
            ),
        };
        // The planted secret's name must not be a prefix of a random one.
        if name.starts_with("prod/db-password") || !taken.insert(name.clone()) {
            continue;
        }
        let suffix = chars(rng, ALNUM, 6);
        out.push(Secret::new(name, &suffix, rng.below(keys)));
    }
    out
}

pub struct Parameter {
    pub name: String,
    /// `arn:aws:ssm:…:parameter/prod/x` (the ARN drops the leading `/`).
    pub arn: String,
    /// SecureString: its value is encrypted unless `withDecryption`.
    pub secure: bool,
}

pub fn build_parameters(rng: &mut Rng, n: usize) -> Vec<Parameter> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    // Public parameters every AMI lookup reads.
    for name in [
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
        "/cdk-bootstrap/hnb659fds/version",
    ] {
        seen.insert(name.to_string());
        out.push(parameter(name.to_string(), false));
    }
    while out.len() < n {
        let env = ENVS[rng.below(ENVS.len())];
        let app = APPS[rng.below(APPS.len())];
        let (key, secure) = PARAM_KEYS[rng.below(PARAM_KEYS.len())];
        let name = format!("/{env}/{app}/{key}");
        if seen.insert(name.clone()) {
            out.push(parameter(name, secure));
        }
    }
    out
}

fn parameter(name: String, secure: bool) -> Parameter {
    Parameter {
        arn: format!(
            "arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{}",
            name.trim_start_matches('/')
        ),
        name,
        secure,
    }
}
