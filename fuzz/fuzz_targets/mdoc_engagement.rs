#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mynacard::internal::mdoc_engagement(data));
