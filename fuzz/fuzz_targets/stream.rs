//! Standard input or a pipe: read block by block, inflated when it starts as gzip does.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| whosaw::fuzzing::stream(data));
