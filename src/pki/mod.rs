//! JPKI (公的個人認証サービス) certificates: profile, trust anchors, path validation,
//! revocation and signature verification.
//!
//! - [`Certificate`]: a parsed, unverified certificate; [`TrustStore::verify_certificate`]
//!   turns it into a [`VerifiedCertificate`], the only way to the holder's
//!   [`HolderAttributes`].
//! - [`TrustStore::jlis`]: the real J-LIS roots compiled in;
//!   [`TrustStore::test_only_mynacard_test_pki`]: the TEST CAs of `crates/mynacard-virtual-card/data/pki`.
//! - [`CrlIndex`] / [`CrlSet`]: verified CRLs as compact revocation indexes behind
//!   [`RevocationSource`].
//! - [`verify_presentation`]: the one call for the hot path.
//!
//! Time is always an argument ([`UnixTime`]); nothing here reads a clock or a file (except the
//! explicit `from_file` conveniences).

mod anchor_info;
mod anchors;
mod attributes;
mod certificate;
mod error;
mod jlis_roots;
#[cfg(feature = "jlis-test")]
mod jlis_test_roots;
mod path;
mod policy;
mod presentation;
#[cfg(feature = "serde")]
mod presentation_wire;
mod profile;
mod revocation;
#[cfg(feature = "serde")]
mod serde_impls;
#[cfg(feature = "test-pki")]
pub mod test_pki;
#[cfg(feature = "test-pki")]
mod test_pki_roots;

/// A card proven present ([`crate::card::CardProofEvidence::verify`]), as
/// [`Presentation::proven_card`] takes it.
pub use crate::card::ProvenCard;
/// The signature backends: [`crate::crypto::backend`], also at this older path.
pub use crate::crypto::backend;
pub use crate::crypto::{HashAlgorithm, SignatureAlgorithm};
pub use crate::date::UnixTime;
pub use anchor_info::{JLIS_ROOTS, TrustAnchorInfo};
pub use anchors::{TrustAnchor, TrustStore, UnknownPolicy, ValidationOptions};
pub use attributes::{CertificateBirthDate, HolderAttributes, RawOtherName, SubstituteFlags};
pub use certificate::{
    AuthorityKeyId, Certificate, CrlDistributionPoint, EKU_ANY, EKU_CLIENT_AUTH,
    ExtendedKeyUsageExt, KeyUsageExt,
};
pub use error::PkiError;
#[cfg(feature = "jlis-test")]
pub use jlis_test_roots::JLIS_TEST_ROOTS;
pub use path::VerifiedCertificate;
pub use policy::{RelyingPartyPolicy, RevocationRequirement};
pub use presentation::{
    FormSource, GraceUse, Presentation, SignedPayload, VerifiedIdentity, verify_presentation,
};
#[cfg(feature = "serde")]
pub use presentation_wire::{
    MAX_CERTIFICATE_BYTES, MAX_CHALLENGE_BYTES, MAX_SIGNATURE_BYTES, OwnedPresentation,
};
pub use profile::{CertificateKind, Form, Hierarchy, PolicyEntry, PolicyTable, Purpose};
pub use profile::{
    POLICY_JLIS_AUTH, POLICY_JLIS_SIGN, POLICY_JLIS_TEST_AUTH, POLICY_JLIS_TEST_SIGN,
    POLICY_TEST_CARD_AUTH, POLICY_TEST_CARD_SIGN, POLICY_TEST_MOBILE_AUTH, POLICY_TEST_MOBILE_SIGN,
};
#[cfg(feature = "std")]
pub use revocation::CrlFileError;
pub(crate) use revocation::internal;
pub use revocation::ocsp;
pub use revocation::{
    CrlIndex, CrlLimits, CrlScope, CrlSet, DEFAULT_CLOCK_SKEW_SECS, DistributionPoint,
    MIN_ENTRY_BYTES, NoRevocationSource, NotCheckedReason, RevocationMethod, RevocationReason,
    RevocationSource, RevocationSources, RevocationStatus, SerialIndex, StalenessPolicy,
    certificate_distribution_points,
};
#[cfg(feature = "test-pki")]
pub use test_pki_roots::MYNACARD_TEST_ROOTS;
