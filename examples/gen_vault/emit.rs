//! Emission: the clock, request and response timing, and writing pairs out
//! (one at a time, or two overlapping) while counting what was written.

use std::io::{self, Write};

use crate::render::render_entry;
use crate::rng::Rng;
use crate::secrets::SecretKind;
use crate::specs::Kind;
use crate::summary::Stats;
use crate::traffic::{Op, Outcome, Pair};
use crate::world::World;
use crate::{GIB, KIB, SEC, START_NS};

/// Rough bytes per pair, only used to pick the request rate so that a file
/// covers about a week per GiB; the actual output size is measured.
const AVG_PAIR_BYTES: f64 = 3400.0;

pub struct Emitter<W: Write> {
    pub out: W,
    line: Vec<u8>,
    /// Time of the last line written, in ns since the epoch; strictly increasing.
    pub clock: i64,
    /// Mean gap between requests, chosen so a GiB covers about a week.
    mean_gap: f64,
    pub stats: Stats,
}

impl<W: Write> Emitter<W> {
    pub fn new(out: W, size: u64, stats: Stats) -> Emitter<W> {
        let pairs = (size as f64 / AVG_PAIR_BYTES).max(1.0);
        let span = (7.0 * 86_400.0 * size as f64 / GIB as f64).clamp(3_600.0, 90.0 * 86_400.0)
            * SEC as f64;
        Emitter {
            out,
            line: Vec::with_capacity(8 * KIB as usize),
            clock: START_NS,
            mean_gap: span / pairs,
            stats,
        }
    }

    /// Renders one entry and writes it out.
    fn entry(&mut self, w: &World, p: &Pair, t: i64, response: bool) -> io::Result<()> {
        render_entry(&mut self.line, w, p, t, response);
        self.out.write_all(&self.line)?;
        self.stats.bytes += self.line.len() as u64;
        self.stats.lines += 1;
        self.line.clear();
        Ok(())
    }

    /// Moves the clock forward by at least 1 ns. Go trims trailing zeros, so
    /// coarser timestamps come out shorter: sometimes round up to the µs or
    /// ms, and (request times only) rarely to the whole second.
    fn advance(&mut self, rng: &mut Rng, delta: f64, coarse: bool) -> i64 {
        let mut t = self.clock + (delta as i64).max(1);
        let r = rng.f64();
        let unit = if coarse && r < 0.001 {
            SEC
        } else if r < 0.01 {
            1_000_000
        } else if r < 0.06 {
            1_000
        } else {
            1
        };
        t = (t + unit - 1) / unit * unit;
        self.clock = t;
        t
    }

    /// Time to the next request: exponential, slower at night (UTC).
    fn gap(&self, rng: &mut Rng) -> f64 {
        let hour = self.clock.div_euclid(3_600 * SEC).rem_euclid(24);
        let load = match hour {
            0..=5 => 2.0,
            8..=17 => 0.7,
            _ => 1.0,
        };
        rng.exp(self.mean_gap * load)
    }

    fn latency(&self, rng: &mut Rng, w: &World, p: &Pair) -> f64 {
        let us = 1_000.0;
        let (base, mean) = match p.op {
            Op::Read if w.secrets[p.secret].kind == SecretKind::Db => (8_000.0 * us, 25_000.0 * us),
            Op::Read => (120.0 * us, 300.0 * us),
            Op::Write => (1_000.0 * us, 2_000.0 * us),
            Op::Login if matches!(w.ids[p.ident].kind, Kind::Userpass | Kind::Ldap) => {
                (40_000.0 * us, 60_000.0 * us)
            }
            Op::Login => (3_000.0 * us, 5_000.0 * us),
            Op::Renew => (500.0 * us, 1_000.0 * us),
            _ => (80.0 * us, 200.0 * us),
        };
        base + rng.exp(mean)
    }

    /// KV writes bump the version (before rendering, so both lines agree).
    fn apply(w: &mut World, p: &Pair) {
        let s = &mut w.secrets[p.secret];
        if p.op == Op::Write && p.outcome == Outcome::Ok && s.kind != SecretKind::Db {
            s.version += 1;
        }
    }

    pub fn pair(&mut self, w: &mut World, rng: &mut Rng, p: &Pair) -> io::Result<()> {
        let gap = self.gap(rng);
        let t_req = self.advance(rng, gap, true);
        Self::apply(w, p);
        self.entry(w, p, t_req, false)?;
        if p.outcome != Outcome::Lost {
            let lat = self.latency(rng, w, p);
            let t_resp = self.advance(rng, lat, false);
            self.entry(w, p, t_resp, true)?;
        }
        self.stats.record(p);
        Ok(())
    }

    /// Two overlapping requests: req A, req B, resp A, resp B.
    pub fn interleaved(
        &mut self,
        w: &mut World,
        rng: &mut Rng,
        a: &Pair,
        b: &Pair,
    ) -> io::Result<()> {
        let gap = self.gap(rng);
        let t = self.advance(rng, gap, true);
        Self::apply(w, a);
        self.entry(w, a, t, false)?;
        let overlap = rng.exp(50_000.0);
        let t = self.advance(rng, overlap, false);
        Self::apply(w, b);
        self.entry(w, b, t, false)?;
        for p in [a, b] {
            if p.outcome != Outcome::Lost {
                let lat = self.latency(rng, w, p) / 2.0;
                let t = self.advance(rng, lat, false);
                self.entry(w, p, t, true)?;
            }
            self.stats.record(p);
        }
        Ok(())
    }
}
