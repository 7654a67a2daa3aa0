//! Pure functions from audit entries to typed reports: pairing, per-identity
//! totals, and the two questions (`who-read`, `blast-radius`).

pub(crate) mod access;
pub(crate) mod baseline;
pub(crate) mod blast_radius;
pub(crate) mod existence;
pub(crate) mod readers;
pub(crate) mod report;
pub(crate) mod rotation;
pub(crate) mod suspicious;
pub(crate) mod timeline;
pub(crate) mod who_read;
