//! Counting: records per service as they are written, and the exact
//! counts of the planted scenario (the known answer), reported on stderr.

use std::collections::BTreeMap;

use crate::args::Args;
use crate::catalogue::{SECRETSMANAGER, SERVICES};
use crate::layout::Layout;
use crate::ops::Outcome;
use crate::render::Rec;
use crate::scenario::{Act, HOT};
use crate::world::World;
use crate::writer::FileStats;
use crate::{ACCOUNT, MIB, REGION};

/// Records written, by service and outcome.
#[derive(Default, Clone)]
pub struct Tally {
    pub records: u64,
    pub by_service: [u64; SERVICES.len()],
    pub get_secret_value: u64,
    pub sm_denied: u64,
    pub errors: u64,
}

impl Tally {
    pub fn record(&mut self, r: &Rec) {
        self.records += 1;
        self.by_service[r.svc.id] += 1;
        if let Some(f) = &r.error {
            self.errors += 1;
            if r.svc.id == SECRETSMANAGER.id && f.code.starts_with("AccessDenied") {
                self.sm_denied += 1;
            }
        }
        if r.svc.id == SECRETSMANAGER.id && r.name == "GetSecretValue" {
            self.get_secret_value += 1;
        }
    }

    fn add(&mut self, o: &Tally) {
        self.records += o.records;
        for (a, b) in self.by_service.iter_mut().zip(o.by_service) {
            *a += b;
        }
        self.get_secret_value += o.get_secret_value;
        self.sm_denied += o.sm_denied;
        self.errors += o.errors;
    }
}

/// One identity's `GetSecretValue` calls of the planted secret.
#[derive(Default)]
struct Reader {
    ok: u64,
    denied: u64,
    errors: u64,
    /// Records delivered twice (copies only).
    dups: u64,
}

fn planted_readers(w: &World, layout: &Layout) -> BTreeMap<String, Reader> {
    let mut readers: BTreeMap<String, Reader> = BTreeMap::new();
    for p in &layout.placed {
        let (who, outcome) = match p.planted.act {
            Act::Read {
                who,
                secret: HOT,
                outcome,
                ..
            } => (who, outcome),
            // The per-secret GetSecretValue AWS logs for the batch.
            Act::Batch { who, .. } => (who, Outcome::Ok),
            _ => continue,
        };
        let r = readers.entry(w.principals[who].arn.clone()).or_default();
        match outcome {
            Outcome::Ok => r.ok += 1,
            Outcome::Denied { .. } => r.denied += 1,
            Outcome::NotFound => r.errors += 1,
        }
        r.dups += u64::from(p.dup_file.is_some());
    }
    readers
}

pub fn print_summary(args: &Args, w: &World, layout: &Layout, files: &[FileStats], secs: f64) {
    let mut all = Tally::default();
    let mut dups = Tally::default();
    let (mut bytes, mut gz) = (0u64, 0u64);
    let (mut fewest, mut most) = (u64::MAX, 0);
    for f in files {
        all.add(&f.tally);
        all.add(&f.dups);
        dups.add(&f.dups);
        bytes += f.bytes;
        gz += f.gz_bytes;
        let n = f.tally.records + f.dups.records;
        fewest = fewest.min(n);
        most = most.max(n);
    }
    let mib = |b: u64| b as f64 / MIB as f64;
    eprintln!(
        "gen_cloudtrail: {} files, {bytes} bytes ({:.1} MiB) uncompressed, {gz} bytes ({:.1} MiB) gzipped ({:.1}x) \
         -> {}/AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/ in {secs:.1} s ({:.0} MiB/s uncompressed)",
        files.len(),
        mib(bytes),
        mib(gz),
        bytes as f64 / gz.max(1) as f64,
        args.out,
        mib(bytes) / secs.max(1e-9),
    );
    let (from, to) = layout.span();
    eprintln!(
        "  seed {}, {} records ({fewest}..{most} a file, {} delivered twice), events {from} .. {to} (plus late ones)",
        args.seed, all.records, dups.records
    );
    eprintln!(
        "  world: {} callers, {} secrets, {} parameters",
        w.principals.len(),
        w.secrets.len(),
        w.params.len()
    );
    let pct = |n: u64| 100.0 * n as f64 / all.records.max(1) as f64;
    let mut mix: Vec<(u64, &str)> = SERVICES
        .iter()
        .map(|s| {
            (
                all.by_service[s.id],
                s.source.trim_end_matches(".amazonaws.com"),
            )
        })
        .collect();
    mix.sort_by(|a, b| b.cmp(a));
    let mix: Vec<String> = mix
        .iter()
        .map(|(n, name)| format!("{name} {:.1}%", pct(*n)))
        .collect();
    eprintln!("  mix: {}", mix.join(", "));
    let sm = all.by_service[SECRETSMANAGER.id];
    eprintln!(
        "  GetSecretValue {:.1}% of records; {:.1}% of Secrets Manager records denied; {:.1}% of all records have an errorCode",
        pct(all.get_secret_value),
        100.0 * all.sm_denied as f64 / sm.max(1) as f64,
        pct(all.errors)
    );

    let hot = &w.secrets[HOT];
    let readers = planted_readers(w, layout);
    let sum = |f: fn(&Reader) -> u64| readers.values().map(f).sum::<u64>();
    let count = |f: fn(&Reader) -> u64| readers.values().filter(|r| f(r) > 0).count();
    eprintln!("  planted: {} ({})", hot.name, hot.arn);
    eprintln!(
        "    {} successful GetSecretValue (distinct eventIDs) by {} identities; {} denied by {} identities; {} other errors; {} records delivered twice",
        sum(|r| r.ok),
        count(|r| r.ok),
        sum(|r| r.denied),
        count(|r| r.denied),
        sum(|r| r.errors),
        sum(|r| r.dups)
    );
    eprintln!("    successful  denied  errors  duplicates  identity");
    for (arn, r) in &readers {
        eprintln!(
            "    {:>10}  {:>6}  {:>6}  {:>10}  {arn}",
            r.ok, r.denied, r.errors, r.dups
        );
    }
    // Machine-readable: the expected answer, one identity a line.
    for (arn, r) in readers.iter().filter(|(_, r)| r.ok > 0) {
        eprintln!("expect\t{arn}\t{}", r.ok);
    }
}
