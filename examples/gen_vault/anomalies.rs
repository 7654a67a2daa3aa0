//! Planted anomalies: what `whosaw suspicious` should find, with a known
//! answer. Each anomaly has an identity of its own (added after the random
//! population, so random traffic never uses it), a normal routine where the
//! rule needs one (periodic reads through the whole log), and the anomalous
//! reads at a fixed fraction of the log's time span, after the first quarter
//! that `suspicious --learn-until` learns from.
//!
//! Events are scheduled by time, not by byte offset: they are written as
//! soon as the clock passes their time, between random pairs.

use std::io::{self, Write};

use crate::catalogue::{ENVS, TEAMS, group};
use crate::identity::finish_identity;
use crate::json::json_str;
use crate::rng::Rng;
use crate::specs::approle_spec;
use crate::timestamp::time_string;
use crate::traffic::{Op, Outcome, Pair};
use crate::world::World;
use crate::{GIB, SEC, START_NS};

const MINUTE: i64 = 60 * SEC;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// One read to write once the clock reaches `at`.
pub struct Timed {
    pub at: i64,
    pub pair: Pair,
    /// Index into `Anomalies::planted` when the read is part of an anomaly
    /// (not of an identity's routine).
    pub anomaly: Option<usize>,
}

/// What was planted, as the report tells it.
pub struct Anomaly {
    pub rule: &'static str,
    pub what: &'static str,
    pub ident: usize,
    pub role: String,
    pub secrets: Vec<usize>,
    pub address: String,
    /// Reads of the anomaly scheduled, and written so far.
    pub count: u64,
    pub written: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
}

pub struct Anomalies {
    pub timed: Vec<Timed>,
    pub planted: Vec<Anomaly>,
    /// The end of the learning period: a quarter of the log's time span.
    pub learn_until: i64,
}

/// The time span a log of `size` bytes covers (as `Emitter::new` paces it).
fn span_of(size: u64) -> i64 {
    ((7.0 * 86_400.0 * size as f64 / GIB as f64).clamp(3_600.0, 90.0 * 86_400.0) * SEC as f64)
        as i64
}

struct Planner<'w> {
    w: &'w mut World,
    rng: Rng,
    timed: Vec<Timed>,
    planted: Vec<Anomaly>,
    span: i64,
}

impl Planner<'_> {
    /// A new AppRole identity reading from one address of its own.
    fn identity(&mut self, role: &str, team: &str, env: usize, address: &str) -> usize {
        let team = TEAMS.iter().position(|t| *t == team).unwrap_or(0);
        let spec = approle_spec(&mut self.rng, role, team, env);
        let mut id = finish_identity(&mut self.rng, self.w.salt, spec);
        id.ips = vec![address.to_string()];
        self.w.ids.push(id);
        self.w.ids.len() - 1
    }

    /// `n` distinct KV v2 secrets of an environment (and team, if given).
    fn secrets(&mut self, env: usize, team: Option<&str>, n: usize) -> Vec<usize> {
        let pool = match team.and_then(|t| TEAMS.iter().position(|x| *x == t)) {
            Some(team) => self.w.groups[group(env, team)][0].clone(),
            None => self.w.env_pools[env][0].clone(),
        };
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < n.min(pool.len()) {
            let s = *self.rng.pick(&pool);
            if !picked.contains(&s) {
                picked.push(s);
            }
        }
        picked
    }

    fn read(
        &mut self,
        at: i64,
        ident: usize,
        secret: usize,
        outcome: Outcome,
        anomaly: Option<usize>,
    ) {
        if at >= START_NS + self.span {
            return;
        }
        let mut pair = Pair::new(self.w, &mut self.rng, Op::Read, ident, secret).with(outcome);
        pair.ip = 0;
        if let Some(a) = anomaly {
            self.planted[a].count += 1;
        }
        self.timed.push(Timed { at, pair, anomaly });
    }

    /// Reads of `secrets` in turn, every `every`, through the whole log.
    fn routine(&mut self, ident: usize, secrets: &[usize], offset: i64, every: i64) {
        let mut t = START_NS + offset;
        let mut i = 0;
        while t < START_NS + self.span {
            self.read(t, ident, secrets[i % secrets.len()], Outcome::Ok, None);
            t += every;
            i += 1;
        }
    }

    fn anomaly(
        &mut self,
        rule: &'static str,
        what: &'static str,
        ident: usize,
        role: &str,
    ) -> usize {
        let address = self.w.ids[ident].ips[0].clone();
        self.planted.push(Anomaly {
            rule,
            what,
            ident,
            role: role.to_string(),
            secrets: Vec::new(),
            address,
            count: 0,
            written: 0,
            first: None,
            last: None,
        });
        self.planted.len() - 1
    }

    /// The anomaly's reads: `secrets[i % len]` at `start + i * step`.
    fn burst(
        &mut self,
        a: usize,
        start: i64,
        step: i64,
        n: usize,
        secrets: &[usize],
        outcomes: &[Outcome],
    ) {
        for i in 0..n {
            let secret = secrets[i % secrets.len()];
            let outcome = outcomes.get(i).copied().unwrap_or(Outcome::Ok);
            let ident = self.planted[a].ident;
            self.read(start + i as i64 * step, ident, secret, outcome, Some(a));
            if !self.planted[a].secrets.contains(&secret) {
                self.planted[a].secrets.push(secret);
            }
        }
    }

    fn at(&self, fraction: f64) -> i64 {
        START_NS + (self.span as f64 * fraction) as i64
    }
}

const PROD: usize = 0;
const STAGING: usize = 1;
const DEV: usize = 2;

/// Plans every anomaly; adds their identities to `w`.
pub fn plan(w: &mut World, seed: u64, size: u64) -> Anomalies {
    debug_assert_eq!(ENVS[PROD], "production");
    let mut p = Planner {
        w,
        // A stream of its own: random traffic's is left as it was.
        rng: Rng::seeded(seed, 0x414e_4f4d_414c_4945), // "ANOMALIE"
        timed: Vec::new(),
        planted: Vec::new(),
        span: span_of(size),
    };
    let learn_until = p.at(0.25);

    // burst, distinct secrets: a scraper reads 25 production secrets, 12 s apart.
    let scraper = p.identity("etl-scraper", "data-eng", PROD, "10.60.1.10");
    let a = p.anomaly(
        "burst",
        "25 distinct secrets in 5 minutes",
        scraper,
        "etl-scraper",
    );
    let loot = p.secrets(PROD, None, 25);
    let start = p.at(0.40);
    p.burst(a, start, 12 * SEC, 25, &loot, &[]);

    // burst, one secret: a poller that reads its secret every 2 hours reads it
    // 40 times in 3 minutes.
    let poller = p.identity("quota-poller", "billing", PROD, "10.60.2.10");
    let own = p.secrets(PROD, Some("billing"), 1);
    p.routine(poller, &own, 17 * MINUTE, 2 * HOUR);
    let a = p.anomaly(
        "burst",
        "40 reads of one secret in 3 minutes",
        poller,
        "quota-poller",
    );
    let start = p.at(0.45);
    p.burst(a, start, 4_500_000_000, 40, &own, &[]);

    // denied-burst: 12 denied reads in 10 minutes.
    let prober = p.identity("legacy-sync", "support", DEV, "10.60.3.10");
    let a = p.anomaly(
        "denied-burst",
        "12 denied reads in 10 minutes",
        prober,
        "legacy-sync",
    );
    let targets = p.secrets(PROD, Some("payments"), 6);
    let start = p.at(0.50);
    p.burst(a, start, 50 * SEC, 12, &targets, &[Outcome::Denied; 12]);

    // denied-burst, denied then allowed: 4 denials then a success in 4 minutes.
    let stuffer = p.identity("partner-bridge", "checkout", STAGING, "10.60.4.10");
    let a = p.anomaly(
        "denied-burst",
        "4 denied reads, then a successful one",
        stuffer,
        "partner-bridge",
    );
    let targets = p.secrets(PROD, Some("checkout"), 5);
    let start = p.at(0.55);
    let outcomes = [
        Outcome::Denied,
        Outcome::Denied,
        Outcome::Denied,
        Outcome::Denied,
        Outcome::Ok,
    ];
    p.burst(a, start, 50 * SEC, 5, &targets, &outcomes);

    // new-source: a service reading from its own /24 reads from elsewhere.
    let roamer = p.identity("invoice-renderer", "billing", PROD, "10.60.5.10");
    let own = p.secrets(PROD, Some("billing"), 2);
    p.routine(roamer, &own, 41 * MINUTE, 2 * HOUR);
    let a = p.anomaly(
        "new-source",
        "reads from 203.0.113.50, a network it never used",
        roamer,
        "invoice-renderer",
    );
    p.w.ids[roamer].ips.push("203.0.113.50".into());
    p.planted[a].address = "203.0.113.50".into();
    let start = p.at(0.60);
    let first_pair = p.timed.len();
    p.burst(a, start, 30 * SEC, 2, &own, &[]);
    for t in &mut p.timed[first_pair..] {
        t.pair.ip = 1;
    }

    // env-drift, repeated: a staging service reads 5 production secrets.
    let drifter = p.identity("web-preview", "web", STAGING, "10.60.6.10");
    let own = p.secrets(STAGING, Some("web"), 2);
    p.routine(drifter, &own, 53 * MINUTE, 2 * HOUR);
    let a = p.anomaly(
        "env-drift",
        "a staging-only service reads production 5 times",
        drifter,
        "web-preview",
    );
    let prod = p.secrets(PROD, Some("web"), 5);
    let start = p.at(0.65);
    p.burst(a, start, 10 * MINUTE, 5, &prod, &[]);

    // env-drift, one-off.
    let drifter2 = p.identity("report-builder", "growth", DEV, "10.60.7.10");
    let own = p.secrets(DEV, Some("growth"), 2);
    p.routine(drifter2, &own, 67 * MINUTE, 2 * HOUR);
    let a = p.anomaly(
        "env-drift",
        "a dev-only service reads production once",
        drifter2,
        "report-builder",
    );
    let prod = p.secrets(PROD, Some("growth"), 1);
    let start = p.at(0.70);
    p.burst(a, start, SEC, 1, &prod, &[]);

    // env-mismatch: a staging deployer (by its name) reads production.
    let deployer = p.identity("staging-deployer", "infra", STAGING, "10.60.8.10");
    let a = p.anomaly(
        "env-mismatch",
        "staging-deployer reads a production secret",
        deployer,
        "staging-deployer",
    );
    let prod = p.secrets(PROD, Some("infra"), 1);
    let start = p.at(0.75);
    p.burst(a, start, SEC, 1, &prod, &[]);

    // off-hours: a nightly deploy bot that reads at 22:00–22:59 reads at 02:34.
    let nightly = p.identity("nightly-deploy", "infra", PROD, "10.60.9.10");
    let own = p.secrets(PROD, Some("infra"), 2);
    let mut day = START_NS;
    while day < START_NS + p.span {
        for i in 0..25 {
            let t = day + 22 * HOUR + i * 144 * SEC;
            p.read(t, nightly, own[i as usize % 2], Outcome::Ok, None);
        }
        day += DAY;
    }
    let a = p.anomaly(
        "off-hours",
        "reads at 02:34 UTC; it works at 22:00-22:59",
        nightly,
        "nightly-deploy",
    );
    let start = p.at(0.80).div_euclid(DAY) * DAY + 2 * HOUR + 34 * MINUTE;
    if start > learn_until {
        p.burst(a, start, SEC, 1, &own, &[]);
    }

    // first-access: a creature of habit reads a secret it never read.
    let habit = p.identity("ledger-exporter", "ledger", PROD, "10.60.10.10");
    let own = p.secrets(PROD, Some("ledger"), 3);
    p.routine(habit, &own[..2], 29 * MINUTE, 2 * HOUR);
    let a = p.anomaly(
        "first-access",
        "reads a secret it never read before",
        habit,
        "ledger-exporter",
    );
    let start = p.at(0.85);
    p.burst(a, start, SEC, 1, &own[2..], &[]);

    let mut timed = p.timed;
    timed.sort_by_key(|t| t.at);
    Anomalies {
        timed,
        planted: p.planted,
        learn_until,
    }
}

impl Anomalies {
    /// Counts a planted read once it is written at time `t`.
    pub fn written(&mut self, anomaly: Option<usize>, t: i64) {
        if let Some(a) = anomaly.and_then(|a| self.planted.get_mut(a)) {
            a.written += 1;
            a.first = Some(a.first.map_or(t, |f| f.min(t)));
            a.last = Some(a.last.map_or(t, |l| l.max(t)));
        }
    }

    /// The anomalies written whole: the known answer.
    pub fn complete(&self) -> impl Iterator<Item = &Anomaly> {
        self.planted
            .iter()
            .filter(|a| a.count > 0 && a.written == a.count)
    }

    /// The report as JSON (`--anomalies FILE`).
    pub fn write_json<W: Write>(&self, w: &World, out: &mut W) -> io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(
            out,
            "  \"learn_until\": \"{}\",",
            time_string(self.learn_until)
        )?;
        writeln!(out, "  \"anomalies\": [")?;
        let all: Vec<&Anomaly> = self.complete().collect();
        for (i, a) in all.iter().enumerate() {
            let secrets: Vec<String> = a
                .secrets
                .iter()
                .map(|&s| json_str(&w.secret_name(s)))
                .collect();
            writeln!(
                out,
                "    {{\"rule\": \"{}\", \"what\": {}, \"role_name\": {}, \"entity_id\": {}, \
                 \"secrets\": [{}], \"first\": \"{}\", \"last\": \"{}\", \"count\": {}, \
                 \"source_address\": {}}}{}",
                a.rule,
                json_str(a.what),
                json_str(&a.role),
                json_str(&w.ids[a.ident].client_id),
                secrets.join(", "),
                time_string(a.first.unwrap_or(0)),
                time_string(a.last.unwrap_or(0)),
                a.count,
                json_str(&a.address),
                if i + 1 == all.len() { "" } else { "," }
            )?;
        }
        writeln!(out, "  ]")?;
        writeln!(out, "}}")
    }
}
