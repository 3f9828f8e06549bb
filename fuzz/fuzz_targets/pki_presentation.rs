#![no_main]
//! The one-call presentation check with hostile certificate, challenge and signature.

use std::sync::OnceLock;

use mynacard::pki::{self, NoRevocationSource, Presentation, RelyingPartyPolicy, SignedPayload, TrustStore, HashAlgorithm};

static STORE: OnceLock<Option<TrustStore>> = OnceLock::new();

#[derive(Debug, arbitrary::Arbitrary)]
struct Input<'a> {
    certificate: &'a [u8],
    challenge: &'a [u8],
    signature: &'a [u8],
    mode: u8,
}

libfuzzer_sys::fuzz_target!(|input: Input<'_>| {
    let Some(store) = STORE.get_or_init(|| TrustStore::test_only_mynacard_test_pki().ok()) else { return };
    let mut p = Presentation::new(input.certificate, input.challenge, input.signature);
    p.payload = match input.mode % 3 {
        0 => SignedPayload::Message(HashAlgorithm::Sha256),
        1 => SignedPayload::Prehashed(HashAlgorithm::Sha256),
        _ => SignedPayload::Raw,
    };
    let policy = RelyingPartyPolicy::medical_eligibility();
    let _ = pki::verify_presentation(&p, store, &NoRevocationSource, &policy, pki::test_pki::REFERENCE_TIME);
});
