//! Pure functions from audit entries to typed reports: pairing, per-identity
//! totals, and the two questions (`who-read`, `blast-radius`).

pub mod access;
pub mod baseline;
pub mod blast_radius;
pub mod existence;
pub mod readers;
pub mod report;
pub mod rotation;
pub mod suspicious;
pub mod timeline;
pub mod who_read;
