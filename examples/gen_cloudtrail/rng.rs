//! Deterministic randomness: the seeded PRNG, and the key hashing that gives
//! every file and every event a stream of its own.

#[allow(dead_code)] // each generator uses a part of it
#[path = "../common/splitmix.rs"]
mod splitmix;

pub use splitmix::{Rng, key};

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng::seeded(seed, 0x434c_4f55_4454_5241) // "CLOUDTRA"
    }
    /// The stream of one item (a file, an event): a pure function of `parts`,
    /// so an item can be generated again, byte for byte, anywhere.
    pub fn keyed(parts: &[u64]) -> Rng {
        Rng::new(key(parts))
    }
}

/// Zipf-like popularity over `0..n`: rank r gets weight 1/(r+1)^s. A few
/// callers and secrets make most of the traffic, as in a real account.
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.f64() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

/// A Zipf-weighted choice among items, in order of popularity.
pub struct Weighted<T: Copy> {
    items: Vec<T>,
    zipf: Zipf,
}

impl<T: Copy> Weighted<T> {
    /// Items in order of popularity, Zipf-weighted by rank.
    pub fn zipf(items: Vec<T>, s: f64) -> Weighted<T> {
        let zipf = Zipf::new(items.len(), s);
        Weighted { items, zipf }
    }
    pub fn pick(&self, rng: &mut Rng) -> T {
        self.items[self.zipf.sample(rng)]
    }
}
