//! The secret as typed (exact or regex) and a whole command line (NUL-separated).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| whosaw::fuzzing::query(data));
