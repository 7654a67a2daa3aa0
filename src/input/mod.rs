//! The input: finding the files (`discover`), opening them read-only
//! (`open`: memory-mapped when they are regular, non-empty and
//! uncompressed; streamed otherwise, through `gzip` when compressed), and
//! telling from a file's start how it is laid out and which store wrote it
//! (`sniff`).

mod discover;
mod gzip;
mod open;
mod sniff;

pub(crate) use discover::{DiscoverError, InputFile, discover};
pub(crate) use open::{
    Fingerprint, Opened, atime_may_change, is_gzip, list_dir, open, open_read_only,
};
#[cfg(feature = "fuzzing")]
pub(crate) use open::{gunzip, open_stream};
pub(crate) use sniff::{Detected, Layout};
pub(crate) use sniff::{SNIFF, sniff, sniff_start};
