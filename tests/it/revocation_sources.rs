//! Revocation sources asked in order, and what an identity verified without any
//! source says.
#![cfg(feature = "virtual-card")]

use mynacard::pki::{
    self, CrlIndex, CrlLimits, CrlSet, NoRevocationSource, NotCheckedReason, RelyingPartyPolicy,
    RevocationMethod, RevocationRequirement, RevocationSources, RevocationStatus, TrustStore,
    test_pki,
};
use mynacard::relying_party::testing;

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/mynacard-virtual-card/data/pki/"
);

fn crls(trust: &TrustStore) -> CrlSet {
    let mut set = CrlSet::new();
    set.insert(
        CrlIndex::from_file(
            format!("{DATA}auth_ca.crl.der"),
            trust,
            CrlLimits::default(),
        )
        .expect("CRL"),
    );
    set
}

fn status(
    holder: &str,
    sources: &RevocationSources,
    best_effort: bool,
) -> Result<RevocationStatus, pki::PkiError> {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let presented = testing::present(holder, b"a challenge").expect("presentation");
    let mut policy = RelyingPartyPolicy::strict();
    if best_effort {
        policy.revocation = RevocationRequirement::BestEffort;
    }
    pki::verify_presentation(
        &presented.presentation(),
        &trust,
        sources,
        &policy,
        test_pki::REFERENCE_TIME,
    )
    .map(|id| id.revocation())
}

#[test]
fn the_first_source_that_decides_wins_in_either_order() {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    // A source that cannot answer first: the CRL behind it decides.
    let late_crl = RevocationSources::new()
        .then(NoRevocationSource)
        .then(crls(&trust));
    assert!(matches!(
        status("yamada", &late_crl, false),
        Ok(RevocationStatus::Good { .. })
    ));
    assert_eq!(
        status("sato", &late_crl, false).map_err(|e| e.code()),
        Err("pki.revoked")
    );
    let crl_first = RevocationSources::new()
        .then(crls(&trust))
        .then(NoRevocationSource);
    let decided = status("yamada", &crl_first, false).expect("good");
    assert!(matches!(decided, RevocationStatus::Good { .. }));
    // The evidence names what answered, behind the list as alone.
    assert_eq!(decided.source(), Some(RevocationMethod::Crl));
}

#[test]
fn best_effort_without_any_source_says_not_checked() {
    let none = RevocationSources::new();
    assert!(none.is_empty());
    assert_eq!(
        status("yamada", &none, true),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoSource
        })
    );
    // Required: refused.
    assert_eq!(
        status("yamada", &none, false),
        Err(pki::PkiError::RevocationNotChecked {
            reason: "no revocation source"
        })
    );
}

#[test]
fn a_missing_crl_file_is_one_error_with_a_code() {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let e = CrlIndex::from_file(format!("{DATA}missing.crl"), &trust, CrlLimits::default())
        .expect_err("missing");
    assert_eq!(e.code(), "pki.crl_file.read");
    assert!(!e.to_string().contains("missing.crl"));
    let e = CrlIndex::from_file(
        format!("{DATA}yamada_auth.der"),
        &trust,
        CrlLimits::default(),
    )
    .expect_err("not a CRL");
    assert_eq!(e.code(), "pki.malformed");
}
