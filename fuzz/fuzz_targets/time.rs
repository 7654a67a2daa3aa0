//! Log timestamps and `--since`/`--until` bounds and spans.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| whosaw::fuzzing::time(data));
