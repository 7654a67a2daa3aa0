//! Scanning one block of input: the byte pre-filter picks the records worth
//! parsing, every other record only gets a structural check, and parsed
//! reads that pass the query's filter become [`Entry`] records. A block is
//! either whole lines (one record per line, or a one-line container such as
//! a CloudTrail S3 file) or whole documents (pretty-printed arrays and
//! objects), cut into records by `json`.

mod block;
mod filter;
mod intern;
mod prefilter;

pub use block::{BlockOut, scan_block, scan_documents};
pub use filter::{EventFilter, IdentityIds, LineFilter, secret_ref};
pub use intern::Shared;
pub use prefilter::{FieldValues, Prefilter};

use crate::source::Source;

/// What a scan looks for.
pub struct Plan<'q> {
    pub prefilter: Prefilter,
    pub filter: LineFilter<'q>,
    /// `--source`: every record is read as this source.
    pub forced: Option<Source>,
    /// The interning tables the scan's blocks borrow in turn.
    pub shared: Shared,
    /// Count the entries of Vault files by `type` (`-v`).
    pub count_types: bool,
}
