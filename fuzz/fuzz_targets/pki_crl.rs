#![no_main]
//! CRL parsing, signature check and indexing on hostile bytes (TEST anchors).

use std::sync::OnceLock;

use mynacard::pki::{CrlIndex, CrlLimits, TrustStore};

static STORE: OnceLock<Option<TrustStore>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(store) = STORE.get_or_init(|| TrustStore::test_only_mynacard_test_pki().ok()) else { return };
    if let Ok(crl) = CrlIndex::from_der(data, store, CrlLimits { max_entries: 100_000 }) {
        let _ = crl.entries().lookup(&[0x01, 0x02, 0x03, 0x04]);
    }
});
