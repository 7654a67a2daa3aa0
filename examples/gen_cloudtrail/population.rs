//! The account's callers: workloads (role sessions of EC2 instances, ECS
//! tasks, Lambda functions and EKS pods, per app and environment), people
//! (SSO sessions, a few IAM users with keys), automation (Terraform, CI,
//! Datadog) and the AWS services that hand roles their credentials.

use crate::START;
use crate::catalogue::{APPS, PEOPLE, SSO_SETS};
use crate::json::chars;
use crate::principals::{Agent, Platform, Principal, Role, aws_service, iam_user, role_session};
use crate::rng::Rng;

const HEX: &[u8] = b"0123456789abcdef";

#[derive(Default)]
pub struct Population {
    pub principals: Vec<Principal>,
    /// Callers of data-plane APIs: secrets, parameters, objects, functions.
    pub workloads: Vec<usize>,
    /// People and tools that look around: EC2 describes, listings, STS.
    pub operators: Vec<usize>,
    /// (AWS service principal, role session it hands credentials to).
    pub handed: Vec<(usize, usize)>,
    /// Role sessions people assume by hand.
    pub assumable: Vec<usize>,
    pub functions: Vec<String>,
    /// The secrets-rotation Lambda's session.
    pub rotation: usize,
    /// Auto Scaling's service-linked role: only ever describes instances.
    pub autoscaling: usize,
}

impl Population {
    pub fn add(&mut self, p: Principal) -> usize {
        self.principals.push(p);
        self.principals.len() - 1
    }
}

/// When a session started: up to six hours before the first event.
pub fn session_start(rng: &mut Rng) -> i64 {
    START - rng.range(60, 6 * 3600) as i64
}

fn workload_agent(rng: &mut Rng, platform: Platform) -> Agent {
    let options: &[Agent] = match platform {
        Platform::Ec2 => &[Agent::Java, Agent::GoV2, Agent::Boto3, Agent::Cli],
        Platform::Ecs => &[Agent::Boto3, Agent::Java, Agent::GoV2],
        Platform::Lambda => &[Agent::Boto3, Agent::JsV3],
        Platform::Eks | Platform::Outside => &[Agent::GoV2, Agent::Boto3],
    };
    *rng.pick(options)
}

/// Everyone else, after the scenario's cast (already in `pop`).
pub fn populate(rng: &mut Rng, pop: &mut Population) {
    let ec2 = pop.add(aws_service("ec2.amazonaws.com"));
    let ecs = pop.add(aws_service("ecs-tasks.amazonaws.com"));
    let lambda = pop.add(aws_service("lambda.amazonaws.com"));

    for app in APPS {
        for env in ["prod", "staging", "dev"] {
            if env == "dev" && rng.chance(0.6) {
                continue;
            }
            let platform = match rng.f64() {
                r if r < 0.40 => Platform::Ec2,
                r if r < 0.70 => Platform::Ecs,
                r if r < 0.90 => Platform::Lambda,
                _ => Platform::Eks,
            };
            let (role_name, sessions) = match platform {
                Platform::Ec2 => (format!("{app}-{env}"), rng.range(2, 6)),
                Platform::Ecs => (format!("{app}-{env}-task-role"), rng.range(2, 5)),
                Platform::Lambda => (format!("{app}-{env}-lambda-role"), 1),
                _ => (format!("{app}-{env}-irsa"), 2),
            };
            let role = Role::new(rng, &role_name, "");
            let agent = workload_agent(rng, platform);
            for _ in 0..sessions {
                let session = match platform {
                    Platform::Ec2 => format!("i-0{}", chars(rng, HEX, 16)),
                    Platform::Ecs => chars(rng, HEX, 32),
                    Platform::Lambda => {
                        let f = format!(
                            "{app}-{env}-{}",
                            rng.pick(&["handler", "worker", "cron", "api"])
                        );
                        pop.functions.push(f.clone());
                        f
                    }
                    _ => format!(
                        "botocore-session-{}",
                        rng.range(1_741_900_000, 1_742_000_000)
                    ),
                };
                let started = session_start(rng);
                let i = pop.add(role_session(rng, &role, &session, agent, platform, started));
                pop.workloads.push(i);
                match platform {
                    Platform::Ec2 => pop.handed.push((ec2, i)),
                    Platform::Ecs => pop.handed.push((ecs, i)),
                    Platform::Lambda => pop.handed.push((lambda, i)),
                    _ => {}
                }
                if env != "prod" && rng.chance(0.3) {
                    pop.assumable.push(i);
                }
            }
        }
    }

    // People: SSO sessions of shared permission-set roles.
    let sso: Vec<Role> = SSO_SETS
        .iter()
        .map(|set| {
            let name = format!("AWSReservedSSO_{set}_{}", chars(rng, HEX, 16));
            Role::new(rng, &name, "aws-reserved/sso.amazonaws.com/")
        })
        .collect();
    for person in PEOPLE {
        for role in &sso {
            if !rng.chance(0.45) {
                continue;
            }
            let agent = if rng.chance(0.6) {
                Agent::Cli
            } else {
                Agent::Console
            };
            let started = session_start(rng);
            let session = format!("{person}@example.com");
            let i = pop.add(role_session(
                rng,
                role,
                &session,
                agent,
                Platform::Outside,
                started,
            ));
            pop.operators.push(i);
        }
    }

    // IAM users with access keys: old habits and third-party integrations.
    for (name, agent, platform, operator) in [
        ("terraform", Agent::GoV2, Platform::Outside, true),
        ("datadog-integration", Agent::GoV2, Platform::Ec2, true),
        ("backup-bot", Agent::Boto3, Platform::Ec2, false),
        ("jenkins", Agent::Cli, Platform::Ec2, false),
        ("legacy-reporting", Agent::Java, Platform::Ec2, false),
        ("bob", Agent::Cli, Platform::Outside, true),
        ("carol", Agent::Cli, Platform::Outside, true),
        ("dave", Agent::Cli, Platform::Outside, true),
    ] {
        let i = pop.add(iam_user(rng, name, agent, platform));
        if operator {
            pop.operators.push(i);
        } else {
            pop.workloads.push(i);
        }
    }

    // CI through GitHub's OIDC provider, and the rotation function.
    let gha = Role::new(rng, "github-actions-deploy", "");
    let started = session_start(rng);
    let i = pop.add(role_session(
        rng,
        &gha,
        "GitHubActions",
        Agent::Cli,
        Platform::Outside,
        started,
    ));
    pop.operators.push(i);
    pop.workloads.push(i);
    let rotation = Role::new(rng, "secrets-rotation-lambda", "");
    let started = session_start(rng);
    pop.rotation = pop.add(role_session(
        rng,
        &rotation,
        "secrets-rotation-postgres",
        Agent::Boto3,
        Platform::Lambda,
        started,
    ));
    pop.handed.push((lambda, pop.rotation));

    // Auto Scaling's service-linked role describes instances all day.
    let asg = Role::new(
        rng,
        "AWSServiceRoleForAutoScaling",
        "aws-service-role/autoscaling.amazonaws.com/",
    );
    let started = session_start(rng);
    let mut p = role_session(
        rng,
        &asg,
        "AutoScaling",
        Agent::Service,
        Platform::Outside,
        started,
    );
    p.ua = "autoscaling.amazonaws.com".to_string();
    p.ips = vec!["autoscaling.amazonaws.com".to_string()];
    pop.autoscaling = pop.add(p);
}
