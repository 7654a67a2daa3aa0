//! The vocabulary the simulated company is made of: environments, teams,
//! app names, secret types and their fields, people's and tokens' names.
//!
//! Secrets and most identities belong to a *group*, an (environment, team)
//! pair, so that clients mostly touch their own team's secrets.

use crate::rng::Rng;

pub const ENVS: [&str; 3] = ["production", "staging", "dev"];
pub const TEAMS: [&str; 20] = [
    "payments",
    "checkout",
    "billing",
    "ledger",
    "fraud",
    "identity",
    "search",
    "catalog",
    "inventory",
    "logistics",
    "notifications",
    "growth",
    "ml-platform",
    "data-eng",
    "mobile-api",
    "web",
    "support",
    "infra",
    "security",
    "observability",
];
pub const APP_SUFFIXES: [&str; 15] = [
    "api",
    "worker",
    "batch",
    "sync",
    "gateway",
    "scheduler",
    "consumer",
    "exporter",
    "cron",
    "service",
    "indexer",
    "reconciler",
    "webhook",
    "admin",
    "migrator",
];
/// Secret names and the fields they hold, sorted as Go sorts map keys.
pub const KEY_TYPES: &[(&str, &[&str])] = &[
    ("db-password", &["password", "username"]),
    ("api-key", &["api_key"]),
    ("tls-key", &["certificate", "private_key"]),
    ("tls-cert", &["ca_chain", "certificate"]),
    (
        "stripe-token",
        &["publishable_key", "secret_key", "webhook_secret"],
    ),
    ("jwt-signing-key", &["kid", "private_key", "public_key"]),
    ("redis-password", &["password"]),
    (
        "kafka-credentials",
        &["bootstrap_servers", "sasl_password", "sasl_username"],
    ),
    ("s3-access-key", &["access_key_id", "secret_access_key"]),
    ("smtp-password", &["host", "password", "username"]),
    ("oauth-client-secret", &["client_id", "client_secret"]),
    ("encryption-key", &["key"]),
    ("github-token", &["token"]),
    ("slack-webhook", &["url"]),
    ("sentry-dsn", &["dsn"]),
    ("datadog-api-key", &["api_key", "app_key"]),
    ("pgp-private-key", &["passphrase", "private_key"]),
    ("ssh-deploy-key", &["private_key", "public_key"]),
    ("license-key", &["license"]),
    ("grpc-mtls-cert", &["ca", "certificate", "private_key"]),
];
pub const DB_FIELDS: &[&str] = &["password", "username"];
/// Human names. A few are non-ASCII on purpose: Go writes them as raw UTF-8.
pub const FIRST: [&str; 40] = [
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "karl",
    "linda",
    "mike",
    "nina",
    "oscar",
    "peggy",
    "quinn",
    "rupert",
    "sybil",
    "trent",
    "ursula",
    "victor",
    "wendy",
    "xavier",
    "yara",
    "zoë",
    "josé",
    "björn",
    "françois",
    "amara",
    "chen",
    "dmitri",
    "fatima",
    "hiro",
    "ines",
    "kwame",
    "lucia",
    "mateo",
    "priya",
    "sanjay",
];
pub const LAST: [&str; 40] = [
    "nguyen", "smith", "diaz", "johnson", "garcia", "miller", "davis", "lopez", "wilson",
    "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson",
    "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young",
    "allen", "king", "wright", "scott", "torres", "hill", "flores", "green", "adams", "nelson",
    "baker", "hall", "rivera",
];
pub const TOKEN_NAMES: [&str; 16] = [
    "terraform",
    "ci-runner",
    "backup",
    "jenkins",
    "grafana",
    "argo-cd",
    "monitoring",
    "migration",
    "legacy-app",
    "batch-export",
    "ops",
    "sre",
    "deploy",
    "audit-reader",
    "breakglass",
    "cert-rotator",
];

pub fn group(env: usize, team: usize) -> usize {
    env * TEAMS.len() + team
}

/// Picks an environment with production the busiest.
pub fn pick_env(rng: &mut Rng) -> usize {
    let r = rng.f64();
    if r < 0.45 {
        0
    } else if r < 0.8 {
        1
    } else {
        2
    }
}
