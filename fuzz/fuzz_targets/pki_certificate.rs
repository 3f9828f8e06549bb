#![no_main]
//! Certificate parsing and path validation on hostile bytes (TEST anchors).

use std::sync::OnceLock;

use mynacard::pki::{self, Purpose, TrustStore};

static STORE: OnceLock<Option<TrustStore>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(c) = pki::Certificate::from_der(data) {
        let _ = (c.serial_hex(), c.not_after(), c.issuer().to_string(), c.spki_der());
    }
    let Some(store) = STORE.get_or_init(|| TrustStore::test_only_mynacard_test_pki().ok()) else { return };
    for purpose in [Purpose::Signature, Purpose::Authentication] {
        if let Ok(v) = store.verify_certificate(data, purpose, pki::test_pki::REFERENCE_TIME) {
            let _ = v.holder_attributes();
        }
    }
});
