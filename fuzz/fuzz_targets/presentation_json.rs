#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mynacard_fuzz::presentation_json(data));
