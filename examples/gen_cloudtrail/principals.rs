//! Who calls AWS: IAM users with long-term `AKIA` keys, role sessions
//! (`AssumedRole`, `ASIA` keys) of EC2 instances, ECS tasks, Lambda
//! functions, EKS pods and SSO users, and AWS services themselves. Each
//! caller's `userIdentity` object, user agent and addresses are rendered
//! once, here.

use crate::ACCOUNT;
use crate::catalogue::Svc;
use crate::clock::time_string;
use crate::json::{AWS_ID, chars, json_str, put, string_of};
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    IamUser,
    AssumedRole,
    AwsService,
}

/// The client library, which decides the user agent's shape.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    /// AWS CLI v2: appends `md/command#<service>.<command>`.
    Cli,
    Boto3,
    /// Go SDK v2 and Terraform: append `api/<service>#<version>`.
    GoV2,
    Java,
    /// JS SDK v3: appends `api/<service>#<version>`.
    JsV3,
    /// The console's own calls show as `AWS Internal`.
    Console,
    /// An AWS service calling on its own behalf: the user agent and the
    /// source address are the service's name.
    Service,
}

pub struct Principal {
    pub kind: Kind,
    /// `userIdentity.arn`; empty for an AWS service.
    pub arn: String,
    /// The `userIdentity` object without its closing `}`, so that a record
    /// made by a service on the caller's behalf can add `invokedBy`.
    pub ident: String,
    pub agent: Agent,
    /// The user agent up to the per-service part.
    pub ua: String,
    /// `sourceIPAddress` values this caller uses (or the service name).
    pub ips: Vec<String>,
    /// Calls through a VPC endpoint carry its id.
    pub vpce: Option<String>,
    pub tls13: bool,
    /// Short name for the summary.
    pub label: String,
    /// A session's role ARN and session name (what STS was asked for).
    pub session: Option<(String, String)>,
}

impl Principal {
    /// Writes the user agent of a call to `svc` (`cli`: the AWS CLI command).
    pub fn put_user_agent(&self, b: &mut Vec<u8>, svc: &Svc, cli: &str) {
        put(b, &self.ua);
        match self.agent {
            Agent::Cli => {
                put(b, "md/command#");
                put(b, cli);
            }
            Agent::GoV2 => put(b, svc.go),
            Agent::JsV3 => put(b, svc.js),
            Agent::Boto3 | Agent::Java | Agent::Console | Agent::Service => {}
        }
    }
}

/// Where a workload runs: decides its session names, client and addresses.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Ec2,
    Ecs,
    Lambda,
    Eks,
    /// A person at a laptop, or a CI runner outside AWS.
    Outside,
}

/// User agent prefixes, two releases of each client.
fn agent_prefix(rng: &mut Rng, agent: Agent, platform: Platform) -> String {
    let pick = |rng: &mut Rng, options: [&str; 2]| options[rng.below(2)].to_string();
    match (agent, platform) {
        (Agent::Cli, Platform::Outside) => pick(
            rng,
            [
                "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off ",
                "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1016-azure md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off ",
            ],
        ),
        (Agent::Cli, _) => pick(
            rng,
            [
                "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#5.10.215-203.850.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2 md/prompt#off ",
                "aws-cli/1.32.69 Python/3.9.16 Linux/6.1.79-99.167.amzn2023.x86_64 botocore/1.34.69 ",
            ],
        ),
        (Agent::Boto3, Platform::Lambda) => pick(
            rng,
            [
                "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython exec-env/AWS_Lambda_python3.11 cfg/retry-mode#legacy Botocore/1.34.69",
                "Boto3/1.33.2 md/Botocore#1.33.2 ua/2.0 os/linux#5.10.214-223.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.33.2",
            ],
        ),
        (Agent::Boto3, _) => pick(
            rng,
            [
                "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_ECS_FARGATE cfg/retry-mode#legacy Botocore/1.34.51",
                "Boto3/1.28.57 Python/3.10.12 Linux/5.15.0-1051-aws Botocore/1.31.57",
            ],
        ),
        (Agent::GoV2, Platform::Outside) => pick(
            rng,
            [
                "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 ",
                "APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 ",
            ],
        ),
        (Agent::GoV2, _) => pick(
            rng,
            [
                "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 ",
                "aws-sdk-go-v2/1.25.2 ua/2.0 os/linux lang/go#1.21.7 md/GOOS#linux md/GOARCH#arm64 ",
            ],
        ),
        (Agent::Java, _) => pick(
            rng,
            [
                "aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_EC2 io/sync http/Apache cfg/retry-mode/legacy",
                "aws-sdk-java/1.12.681 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/11.0.22+7-LTS java/11.0.22 vendor/Amazon.com_Inc. cfg/retry-mode/legacy",
            ],
        ),
        (Agent::JsV3, _) => pick(
            rng,
            [
                "aws-sdk-js/3.535.0 ua/2.0 os/linux#5.10.214-223.855.amzn2.x86_64 lang/js md/nodejs#20.12.0 exec-env/AWS_Lambda_nodejs20.x ",
                "aws-sdk-js/3.521.0 ua/2.0 os/linux#5.10.209-198.858.amzn2.x86_64 lang/js md/nodejs#18.19.1 exec-env/AWS_Lambda_nodejs18.x ",
            ],
        ),
        (Agent::Console, _) => "AWS Internal".to_string(),
        (Agent::Service, _) => String::new(),
    }
}

/// A private address in the VPC's 10.0.0.0/16 range.
fn private_ip(rng: &mut Rng) -> String {
    format!("10.0.{}.{}", rng.range(0, 64), rng.range(4, 251))
}

/// A public address: a NAT gateway, an office, a home connection.
fn public_ip(rng: &mut Rng, aws: bool) -> String {
    let first = if aws {
        *rng.pick(&[3u64, 18, 34, 44, 52, 54])
    } else {
        *rng.pick(&[24u64, 73, 81, 92, 98, 109, 176, 185, 203])
    };
    format!(
        "{first}.{}.{}.{}",
        rng.range(0, 256),
        rng.range(0, 256),
        rng.range(1, 255)
    )
}

fn addresses(rng: &mut Rng, platform: Platform) -> (Vec<String>, Option<String>) {
    match platform {
        // Lambda functions outside a VPC call from AWS's public ranges.
        Platform::Lambda => ((0..3).map(|_| public_ip(rng, true)).collect(), None),
        Platform::Outside => ((0..2).map(|_| public_ip(rng, false)).collect(), None),
        // Half of the VPC workloads reach AWS through interface endpoints.
        _ if rng.chance(0.5) => (
            (0..2).map(|_| private_ip(rng)).collect(),
            Some(format!("vpce-0{}", chars(rng, b"0123456789abcdef", 16))),
        ),
        _ => ((0..2).map(|_| public_ip(rng, true)).collect(), None),
    }
}

/// An IAM user with a long-term access key.
pub fn iam_user(rng: &mut Rng, name: &str, agent: Agent, platform: Platform) -> Principal {
    let arn = format!("arn:aws:iam::{ACCOUNT}:user/{name}");
    let ident = format!(
        "{{\"type\":\"IAMUser\",\"principalId\":\"AIDA{}\",\"arn\":{},\"accountId\":\"{ACCOUNT}\",\
         \"accessKeyId\":\"AKIA{}\",\"userName\":{}",
        chars(rng, AWS_ID, 17),
        json_str(&arn),
        chars(rng, AWS_ID, 16),
        json_str(name)
    );
    let (ips, vpce) = addresses(rng, platform);
    Principal {
        kind: Kind::IamUser,
        ident,
        agent,
        ua: agent_prefix(rng, agent, platform),
        ips,
        vpce,
        tls13: rng.chance(0.8),
        label: format!("user/{name}"),
        arn,
        session: None,
    }
}

/// An IAM role: sessions of one role share its unique id and ARN.
pub struct Role {
    pub name: String,
    /// `aws-reserved/sso.amazonaws.com/` for SSO roles, else empty.
    pub path: &'static str,
    id: String,
}

impl Role {
    pub fn new(rng: &mut Rng, name: &str, path: &'static str) -> Role {
        Role {
            name: name.to_string(),
            path,
            id: format!("AROA{}", chars(rng, AWS_ID, 17)),
        }
    }
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::{ACCOUNT}:role/{}{}", self.path, self.name)
    }
}

/// One session of `role`, named `session`, as logged on each of its calls.
pub fn role_session(
    rng: &mut Rng,
    role: &Role,
    session: &str,
    agent: Agent,
    platform: Platform,
    started: i64,
) -> Principal {
    let arn = format!(
        "arn:aws:sts::{ACCOUNT}:assumed-role/{}/{session}",
        role.name
    );
    let web_id = if platform == Platform::Eks {
        format!(
            "{{\"federatedProvider\":\"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/{}\",\"attributes\":{{}}}}",
            chars(rng, b"0123456789ABCDEF", 32)
        )
    } else {
        "{}".to_string()
    };
    let delivery = if platform == Platform::Ec2 {
        ",\"ec2RoleDelivery\":\"2.0\""
    } else {
        ""
    };
    let ident = string_of(900, |b| {
        put(b, "{\"type\":\"AssumedRole\",\"principalId\":\"");
        put(b, &role.id);
        put(b, ":");
        put(b, session);
        put(b, "\",\"arn\":");
        put(b, &json_str(&arn));
        put(b, ",\"accountId\":\"");
        put(b, ACCOUNT);
        put(b, "\",\"accessKeyId\":\"ASIA");
        put(b, &chars(rng, AWS_ID, 16));
        put(
            b,
            "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"",
        );
        put(b, &role.id);
        put(b, "\",\"arn\":");
        put(b, &json_str(&role.arn()));
        put(b, ",\"accountId\":\"");
        put(b, ACCOUNT);
        put(b, "\",\"userName\":");
        put(b, &json_str(&role.name));
        put(b, "},\"webIdFederationData\":");
        put(b, &web_id);
        put(b, ",\"attributes\":{\"creationDate\":\"");
        put(b, &time_string(started));
        put(b, "\",\"mfaAuthenticated\":\"false\"}");
        put(b, delivery);
        put(b, "}");
    });
    let (ips, vpce) = addresses(rng, platform);
    Principal {
        kind: Kind::AssumedRole,
        ident,
        agent,
        ua: agent_prefix(rng, agent, platform),
        ips,
        vpce,
        tls13: rng.chance(0.85),
        label: format!("{}/{session}", role.name),
        arn,
        session: Some((role.arn(), session.to_string())),
    }
}

/// An AWS service acting on its own (`ec2.amazonaws.com` assuming an
/// instance profile's role): no ARN, no key, the service's name everywhere.
pub fn aws_service(service: &str) -> Principal {
    Principal {
        kind: Kind::AwsService,
        arn: String::new(),
        ident: format!(
            "{{\"type\":\"AWSService\",\"invokedBy\":{}",
            json_str(service)
        ),
        agent: Agent::Service,
        ua: service.to_string(),
        ips: vec![service.to_string()],
        vpce: None,
        tls13: false,
        label: service.to_string(),
        session: None,
    }
}
