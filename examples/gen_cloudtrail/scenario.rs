//! The planted scenario: the known answer every data set holds, whatever
//! the seed and size. This module owns its cast, its secrets and its acts.
//!
//! `prod/db-password` (full ARN suffix `-Ab12Cd`) is read successfully by
//! `GetSecretValue` exactly **40** times (distinct `eventID`s) by exactly
//! **3** identities:
//!
//! * `assumed-role/payments-api-prod/i-0a1b2c3d4e5f60718` (EC2, Java SDK):
//!   27, by name, full ARN and partial ARN; plus one
//!   `ResourceNotFoundException` (asked for `AWSPENDING`), not a read;
//! * `user/ci-deployer` (Terraform, `AKIA` key): 9, one of them the
//!   per-secret `GetSecretValue` AWS logs for a `BatchGetSecretValue`;
//!   plus one denial;
//! * `assumed-role/AWSReservedSSO_AdministratorAccess_…/alice@example.com`: 4.
//!
//! **5** `GetSecretValue` calls are denied (`AccessDeniedException`): 2 by
//! `assumed-role/staging-app/i-0fedcba9876543210` (one logged with
//! `requestParameters: null`, the secret only in `errorMessage`), 2 by
//! `user/mallory`, 1 by `user/ci-deployer`. Four records are delivered twice
//! (same `eventID`, the next file): 2 reads by payments-api, 1 by
//! ci-deployer, 1 denial of mallory's.
//!
//! Traps that must not count: `DescribeSecret`, `ListSecrets` (filtered by
//! the name), `PutSecretValue`, the KMS `Decrypt` records that name the full
//! ARN in their encryption context, the `BatchGetSecretValue` record itself,
//! and reads of the look-alikes `prod/db-password-replica` (same prefix)
//! and `nonprod/db-password` (same suffix). Random traffic never touches
//! these three secrets, so the counts are exact.

use crate::json::{ALNUM, chars};
use crate::ops::{Out, Outcome, Stage};
use crate::population::{Population, session_start};
use crate::principals::{Agent, Platform, Role, iam_user, role_session};
use crate::rng::Rng;
use crate::secrets::{Form, Secret};

pub const HOT_NAME: &str = "prod/db-password";
pub const HOT_SUFFIX: &str = "Ab12Cd";
/// Positions in `World::secrets`: the planted secret and its look-alikes
/// come first, random secrets after `PLANTED_SECRETS`.
pub const HOT: usize = 0;
pub const REPLICA: usize = 1;
pub const NONPROD: usize = 2;
pub const PLANTED_SECRETS: usize = 3;

pub fn planted_secrets(rng: &mut Rng) -> Vec<Secret> {
    vec![
        Secret::new(HOT_NAME.into(), HOT_SUFFIX, 2),
        Secret::new("prod/db-password-replica".into(), &chars(rng, ALNUM, 6), 2),
        Secret::new("nonprod/db-password".into(), &chars(rng, ALNUM, 6), 3),
    ]
}

/// The named identities of the scenario.
pub struct Cast {
    pub payments: usize,
    pub ci: usize,
    pub alice: usize,
    pub staging: usize,
    pub mallory: usize,
    pub reporting: usize,
    pub dev: usize,
}

/// Adds the cast to `pop`, first of all. They also make random traffic
/// (reads of other secrets, describes), as real callers do.
pub fn cast(rng: &mut Rng, pop: &mut Population) -> Cast {
    let session = |rng: &mut Rng,
                   pop: &mut Population,
                   role: &str,
                   path: &'static str,
                   name: &str,
                   agent,
                   platform| {
        let role = Role::new(rng, role, path);
        let started = session_start(rng);
        pop.add(role_session(rng, &role, name, agent, platform, started))
    };
    let payments = session(
        rng,
        pop,
        "payments-api-prod",
        "",
        "i-0a1b2c3d4e5f60718",
        Agent::Java,
        Platform::Ec2,
    );
    let ci = pop.add(iam_user(rng, "ci-deployer", Agent::GoV2, Platform::Outside));
    let alice = session(
        rng,
        pop,
        "AWSReservedSSO_AdministratorAccess_6f1c2d3e4b5a6978",
        "aws-reserved/sso.amazonaws.com/",
        "alice@example.com",
        Agent::Cli,
        Platform::Outside,
    );
    let staging = session(
        rng,
        pop,
        "staging-app",
        "",
        "i-0fedcba9876543210",
        Agent::Boto3,
        Platform::Ec2,
    );
    let mallory = pop.add(iam_user(rng, "mallory", Agent::Cli, Platform::Outside));
    let reporting = session(
        rng,
        pop,
        "reporting-replica-prod",
        "",
        "3c9f1e7a5b2d4c6e8f0a1b2c3d4e5f60",
        Agent::Boto3,
        Platform::Ecs,
    );
    let dev = session(
        rng,
        pop,
        "payments-api-dev-lambda-role",
        "",
        "payments-api-dev-handler",
        Agent::JsV3,
        Platform::Lambda,
    );
    pop.workloads
        .extend([payments, ci, staging, reporting, dev]);
    pop.operators.extend([ci, alice, mallory]);
    Cast {
        payments,
        ci,
        alice,
        staging,
        mallory,
        reporting,
        dev,
    }
}

#[derive(Clone, Debug)]
pub enum Act {
    Read {
        who: usize,
        secret: usize,
        form: Form,
        stage: Stage,
        outcome: Outcome,
    },
    Describe {
        who: usize,
        form: Form,
    },
    ListFiltered {
        who: usize,
    },
    /// `BatchGetSecretValue` of the hot secret and another one, with the
    /// per-secret `GetSecretValue` records AWS adds.
    Batch {
        who: usize,
        other: usize,
    },
    Put {
        who: usize,
    },
}

/// A planted act, placed at a fraction of the data set; `dup`: delivered
/// again in the next file.
#[derive(Clone, Debug)]
pub struct Planted {
    pub frac: f64,
    pub act: Act,
    pub dup: bool,
}

/// The acts of the scenario (see the module docs), spread over the whole
/// time range. `other`: a random secret for the batch read.
pub fn plan(rng: &mut Rng, c: &Cast, other: usize) -> Vec<Planted> {
    use Form::{Full, Name, Partial};
    let mut acts: Vec<(Act, bool)> = Vec::new();
    let mut read = |who, secret, form, stage, outcome, dup| {
        acts.push((
            Act::Read {
                who,
                secret,
                form,
                stage,
                outcome,
            },
            dup,
        ))
    };
    let ok = Outcome::Ok;
    let denied = Outcome::Denied { null_params: false };
    let d = Stage::Default;
    // payments-api: 27 reads (8 by name, 16 by full ARN, 3 by partial ARN).
    for i in 0..27 {
        let form = match i {
            0..8 => Name,
            8..24 => Full,
            _ => Partial,
        };
        let stage = match i {
            3 | 12 | 20 => Stage::Label("AWSCURRENT"),
            15 => Stage::VersionId,
            _ => d,
        };
        read(c.payments, HOT, form, stage, ok, i == 9 || i == 17);
    }
    read(
        c.payments,
        HOT,
        Full,
        Stage::Label("AWSPENDING"),
        Outcome::NotFound,
        false,
    );
    // ci-deployer: 8 reads, one more through a batch, one denial.
    for i in 0..8 {
        let form = [Name, Name, Name, Name, Full, Full, Full, Partial][i];
        let stage = if i == 2 { Stage::VersionId } else { d };
        read(c.ci, HOT, form, stage, ok, i == 5);
    }
    read(c.ci, HOT, Name, d, denied, false);
    // alice: 4 reads, one of the previous version.
    for (form, stage) in [
        (Name, d),
        (Name, Stage::Label("AWSPREVIOUS")),
        (Name, d),
        (Full, d),
    ] {
        read(c.alice, HOT, form, stage, ok, false);
    }
    // Denied only.
    read(
        c.staging,
        HOT,
        Name,
        d,
        Outcome::Denied { null_params: true },
        false,
    );
    read(c.staging, HOT, Name, d, denied, false);
    read(c.mallory, HOT, Partial, d, denied, true);
    read(c.mallory, HOT, Name, d, denied, false);
    // Look-alikes: same prefix, same suffix.
    for form in [Name, Name, Full, Full, Full] {
        read(c.payments, REPLICA, form, d, ok, false);
    }
    for _ in 0..4 {
        read(c.reporting, REPLICA, Full, d, ok, false);
    }
    for form in [Name, Name, Name, Partial] {
        read(c.dev, NONPROD, form, d, ok, false);
    }
    // Not reads at all.
    acts.push((Act::Batch { who: c.ci, other }, false));
    acts.push((
        Act::Describe {
            who: c.alice,
            form: Name,
        },
        false,
    ));
    acts.push((
        Act::Describe {
            who: c.alice,
            form: Name,
        },
        false,
    ));
    acts.push((
        Act::Describe {
            who: c.ci,
            form: Full,
        },
        false,
    ));
    acts.push((Act::ListFiltered { who: c.alice }, false));
    acts.push((Act::Put { who: c.ci }, false));

    rng.shuffle(&mut acts);
    let n = acts.len() as f64;
    acts.into_iter()
        .enumerate()
        .map(|(i, (act, dup))| Planted {
            // Stratified over [1%, 97%]: spread through the whole time range.
            frac: 0.01 + 0.96 * (i as f64 + rng.f64()) / n,
            act,
            dup,
        })
        .collect()
}

/// Writes a planted act at time `t`.
pub fn render(out: &mut Out, act: &Act, t: i64) {
    match *act {
        Act::Read {
            who,
            secret,
            form,
            stage,
            outcome,
        } => out.get_secret_value(who, t, secret, form, stage, outcome, true),
        Act::Describe { who, form } => out.describe_secret(who, t, HOT, form),
        Act::ListFiltered { who } => out.list_secrets(who, t, Some(HOT_NAME)),
        Act::Batch { who, other } => {
            out.batch_get(who, t, &[(HOT, Form::Name), (other, Form::Name)])
        }
        Act::Put { who } => out.put_secret_value(who, t, HOT),
    }
}
