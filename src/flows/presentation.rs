//! The PKI presentation check as the flows use it: auth certificate + challenge +
//! signature → a verified identity, or the PKI's precise error.
//!
//! [`PkiCheck`] bundles what one visit's check needs — trust store, revocation
//! source, relying-party policy and time — and calls
//! [`crate::pki::verify_presentation`]. The [`PresentationVerifier`] trait exists so
//! a flow can hold that bundle as one value; its result type,
//! [`crate::pki::VerifiedIdentity`], can only be made by the PKI check.

use core::fmt;

use crate::pki::{
    self, PkiError, Presentation, RelyingPartyPolicy, RevocationSource, TrustStore, UnixTime,
};

/// Verifies what a card or phone presented.
pub trait PresentationVerifier {
    /// Checks the presentation (SHA-256 DigestInfo of the challenge signed by the
    /// auth key) against trust anchors, revocation, policy and time.
    fn verify(&self, presentation: &Presentation<'_>) -> Result<pki::VerifiedIdentity, PkiError>;
}

impl<V: PresentationVerifier + ?Sized> PresentationVerifier for &V {
    fn verify(&self, presentation: &Presentation<'_>) -> Result<pki::VerifiedIdentity, PkiError> {
        (**self).verify(presentation)
    }
}

/// One visit's PKI check: [`crate::pki::verify_presentation`] with these arguments.
#[derive(Clone, Copy)]
pub struct PkiCheck<'a> {
    /// The trust anchors (production: [`TrustStore::jlis`]).
    pub trust: &'a TrustStore,
    /// The revocation source (a CRL index, …).
    pub revocation: &'a dyn RevocationSource,
    /// The relying party's rules (a clinic: [`RelyingPartyPolicy::medical_eligibility`]).
    pub policy: &'a RelyingPartyPolicy,
    /// The time of the visit.
    pub time: UnixTime,
}

impl fmt::Debug for PkiCheck<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PkiCheck")
            .field("policy", self.policy)
            .field("time", &self.time)
            .finish_non_exhaustive()
    }
}

impl PresentationVerifier for PkiCheck<'_> {
    fn verify(&self, presentation: &Presentation<'_>) -> Result<pki::VerifiedIdentity, PkiError> {
        pki::verify_presentation(
            presentation,
            self.trust,
            self.revocation,
            self.policy,
            self.time,
        )
    }
}

/// The challenge the card signs: fresh random bytes from a CSPRNG, drawn by the
/// caller (the runner) for every presentation. The card signs the SHA-256
/// DigestInfo of these bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Challenge([u8; 32]);

impl Challenge {
    /// Wraps 32 random bytes.
    pub const fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The bytes.
    pub const fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Challenge(")?;
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}
