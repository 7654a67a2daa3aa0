//! Deterministic randomness: the seeded PRNG, and the key hashing that gives
//! every file and every event a stream of its own.

/// SplitMix64: tiny, fast and good enough for synthetic data. Unlike std's
/// hashers it is stable across platforms and Rust versions, so a seed always
/// yields the same bytes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(mix64(seed ^ 0x434c_4f55_4454_5241)) // "CLOUDTRA"
    }
    /// The stream of one item (a file, an event): a pure function of `parts`,
    /// so an item can be generated again, byte for byte, anywhere.
    pub fn keyed(parts: &[u64]) -> Rng {
        Rng::new(key(parts))
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
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The SplitMix64 finaliser.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash a tuple of numbers into one key.
pub fn key(parts: &[u64]) -> u64 {
    parts.iter().fold(0x6a09_e667_f3bc_c908, |acc, &p| {
        mix64(acc ^ p).rotate_left(23)
    })
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
