//! The summary on stderr: output totals, and exact counters of the planted
//! secrets' value reads, i.e. the known answer for this seed and size.

use std::collections::BTreeSet;
use std::io::Write;

use crate::args::Args;
use crate::emit::Emitter;
use crate::timestamp::time_string;
use crate::traffic::{Op, Outcome, Pair};
use crate::world::World;
use crate::{MIB, START_NS};

/// Exact counters for one planted secret's value reads.
pub struct SecretStats {
    pub secret: usize,
    pub ok: u64,
    pub denied: u64,
    pub failed: u64,
    pub lost: u64,
    pub readers: BTreeSet<usize>,
    pub denied_ids: BTreeSet<usize>,
}

impl SecretStats {
    fn new(secret: usize) -> SecretStats {
        SecretStats {
            secret,
            ok: 0,
            denied: 0,
            failed: 0,
            lost: 0,
            readers: BTreeSet::new(),
            denied_ids: BTreeSet::new(),
        }
    }
    fn record(&mut self, p: &Pair) {
        match p.outcome {
            Outcome::Ok => {
                self.ok += 1;
                self.readers.insert(p.ident);
            }
            Outcome::Denied => {
                self.denied += 1;
                self.denied_ids.insert(p.ident);
            }
            Outcome::Failed => self.failed += 1,
            Outcome::Lost => self.lost += 1,
        }
    }
}

/// Totals of the output, and exact counts for the three planted secrets.
pub struct Stats {
    pub bytes: u64,
    pub lines: u64,
    pub pairs: u64,
    pub lost: u64,
    pub hot: SecretStats,
    pub stripe: SecretStats,
    pub sibling: SecretStats,
}

impl Stats {
    pub fn new(w: &World) -> Stats {
        Stats {
            bytes: 0,
            lines: 0,
            pairs: 0,
            lost: 0,
            hot: SecretStats::new(w.hot),
            stripe: SecretStats::new(w.stripe),
            sibling: SecretStats::new(w.sibling),
        }
    }

    /// Counts a pair once it is written.
    pub fn record(&mut self, p: &Pair) {
        self.pairs += 1;
        self.lost += u64::from(p.outcome == Outcome::Lost);
        if p.op == Op::Read {
            for t in [&mut self.hot, &mut self.stripe, &mut self.sibling] {
                if t.secret == p.secret {
                    t.record(p);
                }
            }
        }
    }
}

pub fn print_summary<W: Write>(args: &Args, w: &World, em: &Emitter<W>, secs: f64) {
    let s = &em.stats;
    eprintln!(
        "gen_vault: {} bytes ({:.2} MiB), {} lines, {} pairs ({} without response) -> {} in {:.1} s",
        s.bytes,
        s.bytes as f64 / MIB as f64,
        s.lines,
        s.pairs,
        s.lost,
        args.out,
        secs
    );
    eprintln!(
        "  seed {}, {} identities, {} secrets, {} .. {}",
        args.seed,
        w.ids.len(),
        w.secrets.len(),
        time_string(START_NS),
        time_string(em.clock)
    );
    for (label, t) in [
        ("hot", &s.hot),
        ("kv v1", &s.stripe),
        ("sibling", &s.sibling),
    ] {
        eprintln!(
            "  {label} {}: {} successful reads, {} denied reads, {} failed, {} without response; \
             {} distinct successful identities, {} denied-only identities",
            w.secrets[t.secret].full_path(),
            t.ok,
            t.denied,
            t.failed,
            t.lost,
            t.readers.len(),
            t.denied_ids.difference(&t.readers).count()
        );
    }
    if s.hot.readers.len() != 12 {
        eprintln!(
            "gen_vault: BUG: hot secret has {} successful readers, want 12",
            s.hot.readers.len()
        );
    }
}

/// The planted anomalies, written whole: what `whosaw suspicious` should find.
pub fn print_anomalies(w: &World, a: &crate::anomalies::Anomalies) {
    eprintln!(
        "gen_vault: {} anomalies for `whosaw suspicious --learn-until {}`:",
        a.complete().count(),
        time_string(a.learn_until)
    );
    for x in a.complete() {
        let name = match x.display.as_str() {
            "approle" => format!("approle {}", x.role),
            d => d.to_string(),
        };
        eprintln!(
            "  {:<12} {:<19} {:<28} {} ({} read{} from {}, {} .. {}; entity {})",
            x.rule,
            x.variant,
            name,
            x.what,
            x.count,
            if x.count == 1 { "" } else { "s" },
            x.address,
            time_string(x.first.unwrap_or(0)),
            time_string(x.last.unwrap_or(0)),
            w.ids[x.ident].client_id
        );
    }
}
