//! SplitMix64 and key hashing shared by the benchmark generators
//! (`gen_vault`, `gen_cloudtrail`): each includes this file with `#[path]`
//! and adds its own seeding, so their data stay deterministic and apart.

/// SplitMix64: tiny, fast and good enough for synthetic data. Unlike std's
/// hashers it is stable across platforms and Rust versions, so a seed always
/// yields the same bytes.
pub struct Rng(u64);

impl Rng {
    /// A generator of its own for `seed`: `stream` keeps generators apart.
    pub fn seeded(seed: u64, stream: u64) -> Rng {
        Rng(mix64(seed ^ stream))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }
    /// Uniform in `0..n` (multiply-shift, no modulo bias worth caring about).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo) as usize) as u64
    }
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Exponential with the given mean: inter-arrival times and latencies.
    pub fn exp(&mut self, mean: f64) -> f64 {
        -(1.0 - self.f64()).ln() * mean
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The SplitMix64 finaliser (gen_vault also derives stable fake HMACs with it).
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash a tuple of numbers into one key: same inputs, same key (gen_vault:
/// a secret's value keeps its fake HMAC until it is written again).
pub fn key(parts: &[u64]) -> u64 {
    parts.iter().fold(0x6a09_e667_f3bc_c908, |acc, &p| {
        mix64(acc ^ p).rotate_left(23)
    })
}
