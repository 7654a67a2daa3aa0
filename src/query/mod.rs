//! Pure functions from events to typed reports: pairing (`access`), when a
//! secret began to exist (`existence`), per-identity totals (`readers`),
//! the questions (`who_read`, `blast_radius`, `timeline`, `suspicious`,
//! `baseline`), what to rotate (`rotation`, which asks each store), and
//! the reports' types, which are the JSON contract (`report`).

pub(crate) mod access;
pub(crate) mod baseline;
pub(crate) mod blast_radius;
pub(crate) mod coverage;
pub(crate) mod digests;
pub(crate) mod existence;
pub(crate) mod exposures;
pub(crate) mod readers;
pub(crate) mod report;
pub(crate) mod rotation;
pub(crate) mod suspicious;
pub(crate) mod timeline;
pub(crate) mod trace;
pub(crate) mod who_read;
