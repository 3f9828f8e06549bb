#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mynacard_fuzz::pki_crl_set_verified(data));
