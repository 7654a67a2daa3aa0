//! The simulated account, assembled: callers, secrets, parameters, keys,
//! buckets and functions, plus the popularity pickers of random traffic.

use std::collections::HashSet;

use crate::catalogue::{APPS, ENVS};
use crate::json::uuid;
use crate::population::{Population, populate};
use crate::principals::Principal;
use crate::rng::{Rng, Weighted};
use crate::scenario::{self, Cast, PLANTED_SECRETS};
use crate::secrets::{Parameter, Secret, build_parameters, build_secrets};
use crate::{ACCOUNT, REGION};

/// Distinct secrets (the planted three included) and SSM parameters.
const SECRETS: usize = 500;
const PARAMETERS: usize = 200;

pub struct World {
    pub principals: Vec<Principal>,
    pub cast: Cast,
    /// The planted secrets first (`scenario::HOT` …), then random ones.
    pub secrets: Vec<Secret>,
    pub params: Vec<Parameter>,
    pub kms_keys: Vec<String>,
    pub buckets: Vec<String>,
    pub functions: Vec<String>,
    pub workloads: Weighted<usize>,
    pub operators: Weighted<usize>,
    pub handed: Vec<(usize, usize)>,
    pub assumable: Vec<usize>,
    pub rotation: usize,
    pub autoscaling: usize,
    /// Random traffic's secrets: never the planted ones.
    pub secret_pick: Weighted<usize>,
    pub param_pick: Weighted<usize>,
}

impl World {
    pub fn build(rng: &mut Rng) -> World {
        let mut pop = Population::default();
        let cast = scenario::cast(rng, &mut pop);
        populate(rng, &mut pop);

        let kms_keys: Vec<String> = (0..6)
            .map(|_| format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/{}", uuid(rng)))
            .collect();
        let mut secrets = scenario::planted_secrets(rng);
        let mut taken: HashSet<String> = secrets.iter().map(|s| s.name.clone()).collect();
        secrets.extend(build_secrets(
            rng,
            &mut taken,
            SECRETS - PLANTED_SECRETS,
            kms_keys.len(),
        ));
        let params = build_parameters(rng, PARAMETERS);

        let mut buckets: Vec<String> = Vec::new();
        for app in APPS.iter().take(24) {
            let env = ENVS[rng.below(2)];
            buckets.push(format!("acme-{app}-{env}-{ACCOUNT}"));
        }
        buckets.push(format!("acme-cloudtrail-logs-{ACCOUNT}"));

        // Popularity: shuffled, then Zipf by rank, so a few callers and
        // secrets make most of the traffic.
        let mut random_secrets: Vec<usize> = (PLANTED_SECRETS..secrets.len()).collect();
        rng.shuffle(&mut random_secrets);
        let mut params_order: Vec<usize> = (0..params.len()).collect();
        rng.shuffle(&mut params_order);
        let mut workloads = pop.workloads.clone();
        rng.shuffle(&mut workloads);
        let mut operators = pop.operators.clone();
        rng.shuffle(&mut operators);

        World {
            principals: pop.principals,
            cast,
            secrets,
            params,
            kms_keys,
            buckets,
            functions: pop.functions,
            workloads: Weighted::zipf(workloads, 0.9),
            operators: Weighted::zipf(operators, 0.8),
            handed: pop.handed,
            assumable: pop.assumable,
            rotation: pop.rotation,
            autoscaling: pop.autoscaling,
            secret_pick: Weighted::zipf(random_secrets, 0.9),
            param_pick: Weighted::zipf(params_order, 0.8),
        }
    }
}
