//! Deterministic randomness: the seeded PRNG, and the key hashing that turns
//! tuples of numbers into stable fake HMACs.

#[allow(dead_code)] // each generator uses a part of it
#[path = "../common/splitmix.rs"]
mod splitmix;

pub use splitmix::{Rng, key, mix64};

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng::seeded(seed, 0x5641_554c_545f_4c4f) // "VAULT_LO"
    }
}
