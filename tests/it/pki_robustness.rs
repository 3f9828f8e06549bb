//! Hostile bytes never panic the JPKI parsers or the presentation check: they fail with a
//! typed error (or, for harmless mutations, still verify correctly).

use mynacard::pki::{
    self, CrlIndex, CrlLimits, NoRevocationSource, Presentation, RelyingPartyPolicy, TrustStore,
};
use proptest::prelude::*;

const CERT: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_sign.der");
const AUTH: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.der");
const CRL: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");

fn mutate(base: &[u8], edits: &[(usize, u8)], cut: usize) -> Vec<u8> {
    let mut v = base.to_vec();
    for (i, b) in edits {
        let len = v.len();
        if let Some(x) = v.get_mut(i % len.max(1)) {
            *x = *b;
        }
    }
    v.truncate(v.len().saturating_sub(cut % 4));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn certificate_parse_and_validation_never_panic(edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6), cut in any::<usize>()) {
        let store = TrustStore::test_only_mynacard_test_pki().expect("store");
        let der = mutate(CERT, &edits, cut);
        if let Ok(v) = store.verify_certificate(&der, pki::Purpose::Signature, pki::test_pki::REFERENCE_TIME) {
            // Only a signature-preserving mutation can get here; the attributes must still decode or fail typed.
            let _ = v.holder_attributes();
        }
    }

    #[test]
    fn arbitrary_bytes_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(pki::Certificate::from_der(&bytes).is_err());
        let store = TrustStore::test_only_mynacard_test_pki().expect("store");
        prop_assert!(CrlIndex::from_der(&bytes, &store, CrlLimits::default()).is_err());
    }

    #[test]
    fn crl_parse_never_panics(edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6), cut in any::<usize>()) {
        let store = TrustStore::test_only_mynacard_test_pki().expect("store");
        let der = mutate(CRL, &edits, cut);
        let changed = der != CRL;
        // Any change to the signed CRL must be refused (bad signature or malformed).
        prop_assert!(!changed || CrlIndex::from_der(&der, &store, CrlLimits::default()).is_err());
    }

    #[test]
    fn presentation_never_panics(cert_edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4),
                                 sig in prop::collection::vec(any::<u8>(), 0..300),
                                 challenge in prop::collection::vec(any::<u8>(), 0..64)) {
        let store = TrustStore::test_only_mynacard_test_pki().expect("store");
        let cert = mutate(AUTH, &cert_edits, 0);
        let policy = RelyingPartyPolicy::strict();
        let r = pki::verify_presentation(&Presentation::new(&cert, &challenge, &sig), &store, &NoRevocationSource, &policy, pki::test_pki::REFERENCE_TIME);
        prop_assert!(r.is_err());
    }
}
