//! The JSON structural splitter, then a document's records.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| whosaw::fuzzing::json(data));
