//! Integration tests: the real `whosaw` binary on the fixtures in `testdata/`.

mod util;

mod architecture;
mod azure_objects;
mod bad_input;
mod baseline_contract;
mod blast_radius;
mod canary;
mod chunks;
mod contract_types;
mod coverage;
mod engines;
mod exports;
mod exports_mapped;
mod exposures;
mod flattened;
mod generated;
mod incident;
mod index;
mod json_contract;
mod own_export;
mod report;
mod review;
mod safety;
mod stores;
mod suspicious;
mod suspicious_contract;
mod timeline;
mod timeline_contract;
mod trace;
mod usage;
mod value_left;
mod who_read;
