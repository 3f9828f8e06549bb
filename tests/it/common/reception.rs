//! What a reception flow's PKI check borrows: the TEST store, the auth CA's CRL and a policy,
//! at the TEST PKI's reference time (never the clock); and the TEST facility.

use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::PkiCheck;
use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};

use super::pki::AUTH_CRL;

/// The parts of a [`PkiCheck`], owned for the length of a test.
pub struct TestPki {
    trust: TrustStore,
    crl: CrlIndex,
    policy: RelyingPartyPolicy,
}

impl TestPki {
    /// The TEST store (its own policy table) under `policy`.
    pub fn new(policy: RelyingPartyPolicy) -> Self {
        Self::with_trust(TrustStore::test_only_mynacard_test_pki().unwrap(), policy)
    }

    /// `trust` (the TEST anchors under some policy table) under `policy`.
    pub fn with_trust(trust: TrustStore, policy: RelyingPartyPolicy) -> Self {
        let crl = CrlIndex::from_der(AUTH_CRL, &trust, CrlLimits::default()).unwrap();
        Self { trust, crl, policy }
    }

    /// The check, at the TEST PKI's reference time.
    pub fn check(&self) -> PkiCheck<'_> {
        PkiCheck {
            trust: &self.trust,
            revocation: &self.crl,
            policy: &self.policy,
            time: test_pki::REFERENCE_TIME,
        }
    }
}

/// The TEST medical institution.
pub fn facility() -> MedicalInstitutionCode {
    MedicalInstitutionCode::parse("1310012345").unwrap()
}
