//! Random traffic: the operation mix of a busy account. About a fifth of
//! the records are Secrets Manager's, a twentieth SSM's; the rest is the
//! noise a search must wade through: S3 object reads, EC2 describes, STS,
//! KMS, Lambda, logs.

use crate::ops::{Out, Outcome, Stage};
use crate::rng::Rng;
use crate::secrets::Form;
use crate::{START, WINDOW};

/// Share of Secrets Manager and SSM reads that are denied.
const DENY_P: f64 = 0.035;
/// Share of events delivered late, in a file after their own window.
const LATE_P: f64 = 0.03;

/// The time of an event delivered in the file of window `window`.
pub fn event_time(rng: &mut Rng, window: i64) -> i64 {
    if rng.chance(LATE_P) {
        (window - 1 - rng.below(2 * WINDOW as usize) as i64).max(START)
    } else {
        window + rng.below(WINDOW as usize) as i64
    }
}

/// One random event (one to a few records) in the window starting at `window`.
pub fn random_event(out: &mut Out, window: i64) {
    let w = out.w;
    let t = event_time(out.rng, window);
    let r = out.rng.f64();
    match r {
        r if r < 0.27 => {
            let who = w.workloads.pick(out.rng);
            let bucket = out.rng.below(w.buckets.len());
            let name = match out.rng.f64() {
                x if x < 0.65 => "GetObject",
                x if x < 0.80 => "HeadObject",
                _ => "PutObject",
            };
            out.s3_object(who, t, bucket, name);
        }
        r if r < 0.44 => {
            let who = if out.rng.chance(0.15) {
                w.autoscaling
            } else {
                w.operators.pick(out.rng)
            };
            let denied = who != w.autoscaling && out.rng.chance(0.015);
            out.ec2_describe(who, t, denied);
        }
        r if r < 0.625 => {
            let who = w.workloads.pick(out.rng);
            let secret = w.secret_pick.pick(out.rng);
            let form = Form::random(out.rng);
            let stage = match out.rng.f64() {
                x if x < 0.95 => Stage::Default,
                x if x < 0.98 => Stage::Label("AWSCURRENT"),
                _ => Stage::VersionId,
            };
            let outcome = match out.rng.f64() {
                x if x < DENY_P => Outcome::Denied {
                    null_params: out.rng.chance(0.3),
                },
                x if x < DENY_P + 0.005 => Outcome::NotFound,
                _ => Outcome::Ok,
            };
            let kms = out.rng.chance(0.4);
            out.get_secret_value(who, t, secret, form, stage, outcome, kms);
        }
        r if r < 0.645 => {
            let who = if out.rng.chance(0.5) {
                w.operators.pick(out.rng)
            } else {
                w.workloads.pick(out.rng)
            };
            let secret = w.secret_pick.pick(out.rng);
            let form = Form::random(out.rng);
            out.describe_secret(who, t, secret, form);
        }
        r if r < 0.653 => {
            let who = w.operators.pick(out.rng);
            out.list_secrets(who, t, None);
        }
        r if r < 0.656 => {
            let who = w.workloads.pick(out.rng);
            if out.rng.chance(0.3) {
                out.batch_get_filtered(who, t);
            } else {
                let n = out.rng.range(2, 5) as usize;
                let mut list = Vec::with_capacity(n);
                while list.len() < n {
                    let s = w.secret_pick.pick(out.rng);
                    if !list.iter().any(|&(x, _)| x == s) {
                        list.push((s, Form::random(out.rng)));
                    }
                }
                out.batch_get(who, t, &list);
            }
        }
        r if r < 0.658 => {
            let secret = w.secret_pick.pick(out.rng);
            out.put_secret_value(w.rotation, t, secret);
        }
        r if r < 0.71 => {
            let who = w.workloads.pick(out.rng);
            let decrypt = match out.rng.f64() {
                x if x < 0.6 => Some(true),
                x if x < 0.9 => None,
                _ => Some(false),
            };
            let denied = out.rng.chance(DENY_P);
            match out.rng.f64() {
                x if x < 0.60 => {
                    let p = w.param_pick.pick(out.rng);
                    out.get_parameters(who, t, &[p], decrypt, denied);
                }
                x if x < 0.85 => {
                    let n = out.rng.range(2, 6) as usize;
                    let mut ps: Vec<usize> = (0..n).map(|_| w.param_pick.pick(out.rng)).collect();
                    ps.sort_unstable();
                    ps.dedup();
                    out.get_parameters(who, t, &ps, decrypt, denied);
                }
                _ => {
                    let p = &w.params[w.param_pick.pick(out.rng)].name;
                    let path = match p.rfind('/') {
                        Some(0) | None => "/",
                        Some(at) => &p[..=at],
                    };
                    let recursive = out.rng.chance(0.5);
                    out.get_parameters_by_path(who, t, path, recursive, decrypt == Some(true));
                }
            }
        }
        r if r < 0.75 => {
            let &(service, session) = out.rng.pick(&w.handed);
            out.assume_role_for(service, t, session);
        }
        r if r < 0.76 => {
            let who = w.operators.pick(out.rng);
            let target = *out.rng.pick(&w.assumable);
            out.assume_role(who, t, target);
        }
        r if r < 0.78 => {
            let who = if out.rng.chance(0.5) {
                w.operators.pick(out.rng)
            } else {
                w.workloads.pick(out.rng)
            };
            out.get_caller_identity(who, t);
        }
        r if r < 0.86 => {
            let who = w.workloads.pick(out.rng);
            let f = out.rng.pick(&w.functions);
            out.lambda_invoke(who, t, f);
        }
        r if r < 0.88 => {
            let who = w.operators.pick(out.rng);
            let f = out.rng.pick(&w.functions);
            out.lambda_mgmt(who, t, f);
        }
        _ => {
            let who = w.workloads.pick(out.rng);
            let f = out.rng.pick(&w.functions);
            out.misc(who, t, f);
        }
    }
}
