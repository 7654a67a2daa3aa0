//! Any bytes inflated as a gzip file, then scanned.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| whosaw::fuzzing::gzip(data));
