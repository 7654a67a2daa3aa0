//! A log file as mapped: every layout and store, the first byte picking a `--source`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| whosaw::fuzzing::file(data));
