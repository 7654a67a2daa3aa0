//! Finding input files and opening them read-only: memory-mapped when they
//! are regular, non-empty and uncompressed; streamed otherwise (gzip, pipes,
//! standard input, `--no-mmap`).

mod discover;
mod gzip;
mod open;

pub use discover::{DiscoverError, InputFile, discover};
pub use open::{Fingerprint, Opened, open};
