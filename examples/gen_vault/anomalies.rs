//! Planted anomalies: what `whosaw suspicious` should find, with a known
//! answer. Every log holds two of each rule (14 in all, see `plan`), each by
//! an identity of its own, added after the random population so random
//! traffic never uses it. Where a rule judges against a baseline, the
//! identity has a routine through the whole log (periodic reads of a few
//! secrets of its own, from one address; or, for off-hours, reads only in a
//! narrow band of UTC hours), and its anomalous reads come at a fixed
//! fraction of the log's time span, between 32% and 84%: after the first
//! quarter, which `suspicious --learn-until` learns from (`learn_until`).
//!
//! Events are scheduled by time, not by byte offset: they are written as
//! soon as the clock passes their time, between random pairs. They use a
//! random stream of their own (`Anomalies::rng`, also for their timing), so
//! the sequence of random pairs is the same with or without them.
//!
//! Size limits: routines read every `learning / 48` (at most every 2 h, at
//! least every minute), so the learning period holds about 48 reads of each
//! from about 20 MiB up. Off-hours needs at least a day of learning (a log
//! of about 600 MiB or more) and is not planted in smaller ones. An anomaly
//! the log ends before is not reported.
//!
//! `also` names the rules an anomaly also breaks by definition: an env-drift
//! read of a production secret is also the first read of that secret.
//!
//! Random traffic that may legitimately look suspicious (noise, left in on
//! purpose): hand-made tokens named `qa<perf>-N` (a `qa` name: test) read
//! secrets of every environment (env-mismatch); people browse secrets of
//! every environment now and then (env-drift, first-access for people with
//! few reads); the busiest bots read many distinct secrets in minutes
//! (burst, unless judged against their own peak; a short learning period,
//! like the 4 night hours of a 100 MiB log, sees them at a third of their
//! daytime rate); 3% of random reads are denied, spread over thousands of
//! identities; traffic is 24/7, heavier by day. Measured with the default
//! rules and `trusted_networks = ["10.0.0.0/8"]`: the 1 GiB log of seed 42
//! gets 6 such findings (env-mismatch of `qa<perf>` tokens), 100 MiB 11 (10
//! bursts).

use std::collections::HashMap;
use std::io::{self, Write};

use crate::catalogue::{ENVS, TEAMS, group};
use crate::identity::finish_identity;
use crate::json::json_str;
use crate::rng::Rng;
use crate::specs::{Spec, approle_spec, k8s_spec};
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
    /// The form of the rule, named as `whosaw suspicious` names it.
    pub variant: &'static str,
    pub what: &'static str,
    pub ident: usize,
    /// Vault's `auth.display_name`, and the role (`role_name` of an AppRole,
    /// `role` of a Kubernetes login).
    pub display: String,
    pub role: String,
    pub secrets: Vec<usize>,
    pub address: String,
    /// Other rules the anomalous reads break by definition.
    pub also: &'static [&'static str],
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
    /// For the timing of planted pairs, apart from random traffic's.
    pub rng: Rng,
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
    /// Display and role name of each planted identity.
    names: HashMap<usize, (String, String)>,
    span: i64,
    /// A routine's period.
    every: i64,
}

impl Planner<'_> {
    fn add(&mut self, spec: Spec, role: &str, address: &str) -> usize {
        let display = spec.display.clone();
        let mut id = finish_identity(&mut self.rng, self.w.salt, spec);
        id.ips = vec![address.to_string()];
        self.w.ids.push(id);
        let ident = self.w.ids.len() - 1;
        self.names.insert(ident, (display, role.to_string()));
        ident
    }

    /// A new AppRole identity reading from one address of its own.
    fn approle(&mut self, role: &str, team: &str, env: usize, address: &str) -> usize {
        let spec = approle_spec(&mut self.rng, role, team_index(team), env);
        self.add(spec, role, address)
    }

    /// A new Kubernetes service account, `kubernetes-<ns>-<sa>`.
    fn k8s(&mut self, ns: &str, sa: &str, team: &str, env: usize, address: &str) -> usize {
        let spec = k8s_spec(&mut self.rng, ns, sa, team_index(team), env);
        self.add(spec, sa, address)
    }

    /// `n` distinct KV v2 secrets of an environment (and team, if given).
    fn secrets(&mut self, env: usize, team: Option<&str>, n: usize) -> Vec<usize> {
        let pool = match team {
            Some(team) => self.w.groups[group(env, team_index(team))][0].clone(),
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

    /// Reads of `secrets` in turn, every `self.every`, through the whole
    /// log; the first `phase` (0..1) of a period in.
    fn routine(&mut self, ident: usize, secrets: &[usize], phase: f64) {
        let mut t = START_NS + (self.every as f64 * phase) as i64;
        let mut i = 0;
        while t < START_NS + self.span {
            self.read(t, ident, secrets[i % secrets.len()], Outcome::Ok, None);
            t += self.every;
            i += 1;
        }
    }

    /// Reads of `secrets` in turn, `per_day` of them `step` apart from
    /// `from` (time of day) every day: a job that works only then.
    fn daily(&mut self, ident: usize, secrets: &[usize], from: i64, per_day: i64, step: i64) {
        let mut day = START_NS;
        let mut n = 0;
        while day < START_NS + self.span {
            for i in 0..per_day {
                let t = day + from + i * step;
                self.read(t, ident, secrets[n % secrets.len()], Outcome::Ok, None);
                n += 1;
            }
            day += DAY;
        }
    }

    fn anomaly(
        &mut self,
        (rule, variant): (&'static str, &'static str),
        what: &'static str,
        ident: usize,
    ) -> usize {
        let address = self.w.ids[ident].ips[0].clone();
        let (display, role) = self.names[&ident].clone();
        self.planted.push(Anomaly {
            rule,
            variant,
            what,
            ident,
            display,
            role,
            secrets: Vec::new(),
            address,
            also: &[],
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

    /// Like `burst`, from a new address of the identity (its second).
    fn burst_from(
        &mut self,
        a: usize,
        address: &str,
        start: i64,
        step: i64,
        n: usize,
        secrets: &[usize],
    ) {
        let ident = self.planted[a].ident;
        self.w.ids[ident].ips.push(address.into());
        self.planted[a].address = address.into();
        let first = self.timed.len();
        self.burst(a, start, step, n, secrets, &[]);
        for t in &mut self.timed[first..] {
            t.pair.ip = 1;
        }
    }

    fn at(&self, fraction: f64) -> i64 {
        START_NS + (self.span as f64 * fraction) as i64
    }

    /// `at(fraction)`, moved to halfway between two reads of a routine with
    /// this `phase`: the anomaly stays apart from the routine's reads.
    fn between(&self, fraction: f64, phase: f64) -> i64 {
        let base = START_NS + (self.every as f64 * phase) as i64;
        let k = (self.at(fraction) - base).div_euclid(self.every);
        base + k * self.every + self.every / 2
    }

    /// `hh:mm` UTC on the day `fraction` of the span falls on.
    fn day_at(&self, fraction: f64, hh: i64, mm: i64) -> i64 {
        self.at(fraction).div_euclid(DAY) * DAY + hh * HOUR + mm * MINUTE
    }
}

fn team_index(team: &str) -> usize {
    TEAMS.iter().position(|t| *t == team).unwrap_or(0)
}

const PROD: usize = 0;
const STAGING: usize = 1;
const DEV: usize = 2;

/// Plans every anomaly; adds their identities to `w`. All planted
/// identities read from 10.60.0.0/16, which random traffic never uses.
pub fn plan(w: &mut World, seed: u64, size: u64) -> Anomalies {
    debug_assert_eq!(ENVS[PROD], "production");
    let span = span_of(size);
    let learning = span / 4;
    let mut p = Planner {
        w,
        // A stream of its own: random traffic's is left as it was.
        rng: Rng::seeded(seed, 0x414e_4f4d_414c_4945), // "ANOMALIE"
        timed: Vec::new(),
        planted: Vec::new(),
        names: HashMap::new(),
        span,
        every: (learning / 48).clamp(MINUTE, 2 * HOUR),
    };
    let learn_until = START_NS + learning;

    // burst, distinct secrets: a scraper reads 25 production secrets, 12 s apart.
    let scraper = p.approle("etl-scraper", "data-eng", PROD, "10.60.1.10");
    let a = p.anomaly(
        ("burst", "distinct-secrets"),
        "25 distinct secrets in 5 minutes",
        scraper,
    );
    let loot = p.secrets(PROD, None, 25);
    let start = p.at(0.32);
    p.burst(a, start, 12 * SEC, 25, &loot, &[]);

    // burst, one secret: a poller that reads its secret now and then reads
    // it 40 times in 3 minutes.
    let poller = p.approle("quota-poller", "billing", PROD, "10.60.2.10");
    let own = p.secrets(PROD, Some("billing"), 1);
    p.routine(poller, &own, 0.14);
    let a = p.anomaly(
        ("burst", "same-secret"),
        "40 reads of one secret in 3 minutes",
        poller,
    );
    let start = p.between(0.36, 0.14);
    p.burst(a, start, 4_500_000_000, 40, &own, &[]);

    // denied-burst: 12 denied reads in 10 minutes.
    let prober = p.approle("legacy-sync", "support", DEV, "10.60.3.10");
    let a = p.anomaly(
        ("denied-burst", "repeated-denials"),
        "12 denied reads in 10 minutes",
        prober,
    );
    let targets = p.secrets(PROD, Some("payments"), 6);
    let start = p.at(0.40);
    p.burst(a, start, 50 * SEC, 12, &targets, &[Outcome::Denied; 12]);

    // denied-burst, denied then allowed: 4 denials then a success in 4 minutes.
    let stuffer = p.approle("partner-bridge", "checkout", STAGING, "10.60.4.10");
    let a = p.anomaly(
        ("denied-burst", "denied-then-allowed"),
        "4 denied reads, then a successful one",
        stuffer,
    );
    let targets = p.secrets(PROD, Some("checkout"), 5);
    let start = p.at(0.44);
    let outcomes = [
        Outcome::Denied,
        Outcome::Denied,
        Outcome::Denied,
        Outcome::Denied,
        Outcome::Ok,
    ];
    p.burst(a, start, 50 * SEC, 5, &targets, &outcomes);

    // new-source, untrusted: a service reading from its own /24 reads its
    // usual secrets from 203.0.113.50 (outside 10.0.0.0/8).
    let roamer = p.approle("invoice-renderer", "billing", PROD, "10.60.5.10");
    let own = p.secrets(PROD, Some("billing"), 2);
    p.routine(roamer, &own, 0.34);
    let a = p.anomaly(
        ("new-source", "untrusted-network"),
        "reads from 203.0.113.50, a network it never used",
        roamer,
    );
    let start = p.between(0.48, 0.34);
    p.burst_from(a, "203.0.113.50", start, 30 * SEC, 2, &own);

    // new-source, new network inside 10.0.0.0/8: 3 reads from 10.77.3.21.
    let mover = p.approle("settlement-batch", "ledger", PROD, "10.60.11.10");
    let own = p.secrets(PROD, Some("ledger"), 2);
    p.routine(mover, &own, 0.62);
    let a = p.anomaly(
        ("new-source", "new-network"),
        "reads from 10.77.3.21, a /24 it never used",
        mover,
    );
    let start = p.between(0.52, 0.62);
    p.burst_from(a, "10.77.3.21", start, 40 * SEC, 3, &own);

    // env-drift, repeated: a staging service reads 5 production secrets.
    let drifter = p.approle("web-preview", "web", STAGING, "10.60.6.10");
    let own = p.secrets(STAGING, Some("web"), 2);
    p.routine(drifter, &own, 0.44);
    let a = p.anomaly(
        ("env-drift", "repeated"),
        "a staging-only service reads production 5 times",
        drifter,
    );
    p.planted[a].also = &["first-access"];
    let prod = p.secrets(PROD, Some("web"), 5);
    let start = p.at(0.56);
    p.burst(a, start, 10 * MINUTE, 5, &prod, &[]);

    // env-drift, one-off.
    let drifter2 = p.approle("report-builder", "growth", DEV, "10.60.7.10");
    let own = p.secrets(DEV, Some("growth"), 2);
    p.routine(drifter2, &own, 0.56);
    let a = p.anomaly(
        ("env-drift", "one-off"),
        "a dev-only service reads production once",
        drifter2,
    );
    p.planted[a].also = &["first-access"];
    let prod = p.secrets(PROD, Some("growth"), 1);
    let start = p.at(0.60);
    p.burst(a, start, SEC, 1, &prod, &[]);

    // env-mismatch: a staging deployer (by its role name) reads production.
    // No routine: a job seen only when it runs.
    let deployer = p.approle("staging-deployer", "infra", STAGING, "10.60.8.10");
    let a = p.anomaly(
        ("env-mismatch", "role"),
        "staging-deployer reads a production secret",
        deployer,
    );
    let prod = p.secrets(PROD, Some("infra"), 1);
    let start = p.at(0.64);
    p.burst(a, start, SEC, 1, &prod, &[]);

    // env-mismatch: a Kubernetes service account of namespace `staging`
    // reads 3 staging secrets (fine), then 2 production ones.
    let k8s = p.k8s("staging", "deployer", "checkout", STAGING, "10.60.12.10");
    let staging = p.secrets(STAGING, Some("checkout"), 3);
    let start = p.at(0.68);
    for (i, &s) in staging.iter().enumerate() {
        p.read(start + i as i64 * 5 * SEC, k8s, s, Outcome::Ok, None);
    }
    let a = p.anomaly(
        ("env-mismatch", "role"),
        "kubernetes-staging-deployer reads 2 production secrets",
        k8s,
    );
    let prod = p.secrets(PROD, Some("checkout"), 2);
    p.burst(a, start + 20 * SEC, 7 * SEC, 2, &prod, &[]);

    // off-hours: a nightly deploy bot that reads at 22:00-22:59 reads at 02:34.
    // Working hours take a day of learning to tell.
    let nightly = p.approle("nightly-deploy", "infra", PROD, "10.60.9.10");
    let own = p.secrets(PROD, Some("infra"), 2);
    p.daily(nightly, &own, 22 * HOUR, 25, 144 * SEC);
    let a = p.anomaly(
        ("off-hours", "hour-of-day"),
        "reads at 02:34 UTC; it works at 22:00-22:59",
        nightly,
    );
    let start = p.day_at(0.72, 2, 34);
    if learning >= DAY && start > learn_until {
        p.burst(a, start, SEC, 1, &own, &[]);
    }

    // off-hours: a finance job that reads at 14:00-15:59 reads twice at 03:52.
    let closer = p.approle("finance-close", "billing", PROD, "10.60.13.10");
    let own = p.secrets(PROD, Some("billing"), 3);
    p.daily(closer, &own, 14 * HOUR, 20, 6 * MINUTE);
    let a = p.anomaly(
        ("off-hours", "hour-of-day"),
        "reads twice at 03:52 UTC; it works at 14:00-15:59",
        closer,
    );
    let start = p.day_at(0.80, 3, 52);
    if learning >= DAY && start > learn_until {
        p.burst(a, start, 4 * MINUTE, 2, &own, &[]);
    }

    // first-access: a creature of habit reads a secret it never read.
    let habit = p.approle("ledger-exporter", "ledger", PROD, "10.60.10.10");
    let own = p.secrets(PROD, Some("ledger"), 3);
    p.routine(habit, &own[..2], 0.24);
    let a = p.anomaly(
        ("first-access", "new-secret"),
        "reads a secret it never read before",
        habit,
    );
    let start = p.at(0.76);
    p.burst(a, start, SEC, 1, &own[2..], &[]);

    // first-access: a certificate rotator reads two other team's secrets.
    let rotator = p.approle("cert-rotator", "security", PROD, "10.60.14.10");
    let own = p.secrets(PROD, Some("security"), 3);
    p.routine(rotator, &own, 0.83);
    let a = p.anomaly(
        ("first-access", "new-secret"),
        "reads 2 payments secrets it never read before",
        rotator,
    );
    let other = p.secrets(PROD, Some("payments"), 2);
    let start = p.at(0.84);
    p.burst(a, start, 30 * SEC, 2, &other, &[]);

    let mut timed = p.timed;
    timed.sort_by_key(|t| t.at);
    Anomalies {
        timed,
        planted: p.planted,
        learn_until,
        rng: p.rng,
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

    /// The report as JSON (`--anomalies FILE`): `learn_until`, and one
    /// object per anomaly written whole.
    pub fn write_json<W: Write>(&self, w: &World, out: &mut W) -> io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(
            out,
            "  \"learn_until\": \"{}\",",
            time_string(self.learn_until)
        )?;
        writeln!(out, "  \"anomalies\": [")?;
        let all: Vec<&Anomaly> = self.complete().collect();
        let list = |items: Vec<String>| items.join(", ");
        for (i, a) in all.iter().enumerate() {
            let secrets = a.secrets.iter().map(|&s| json_str(&w.secret_name(s)));
            let also = a.also.iter().map(|r| json_str(r));
            let entity = json_str(&w.ids[a.ident].client_id);
            let role = json_str(&a.role);
            writeln!(
                out,
                "    {{\"rule\": \"{}\", \"variant\": \"{}\", \"what\": {}, \
                 \"identity\": {{\"entity_id\": {entity}, \"display_name\": {}, \"role_name\": {role}}}, \
                 \"secrets\": [{}], \"first\": \"{}\", \"last\": \"{}\", \"count\": {}, \
                 \"source_address\": {}, \"also\": [{}]}}{}",
                a.rule,
                a.variant,
                json_str(a.what),
                json_str(&a.display),
                list(secrets.collect()),
                time_string(a.first.unwrap_or(0)),
                time_string(a.last.unwrap_or(0)),
                a.count,
                json_str(&a.address),
                list(also.collect()),
                if i + 1 == all.len() { "" } else { "," }
            )?;
        }
        writeln!(out, "  ]")?;
        writeln!(out, "}}")
    }
}
