//! The PKI presentation check as the flows see it: auth certificate + challenge +
//! signature → a verified identity, or why not.
//!
//! The check itself is the PKI module's one call; this trait only lets a flow hold
//! "the trust store, revocation index and time of this visit" as one value.

use core::fmt;

use super::outcome::VerifiedIdentity;

/// Why the presentation check refused the certificate or signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyFailure {
    /// The certificate is revoked (reason as reported by the revocation index).
    Revoked(String),
    /// The certificate (or a CA above it) has expired at the check time.
    Expired(String),
    /// Any other reason (unknown issuer, bad signature, wrong key usage, stale CRL…).
    Rejected(String),
}

impl fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Revoked(d) => write!(f, "revoked: {d}"),
            Self::Expired(d) => write!(f, "expired: {d}"),
            Self::Rejected(d) => write!(f, "rejected: {d}"),
        }
    }
}

/// Verifies what a card or phone presented.
pub trait PresentationVerifier {
    /// Checks `auth_certificate` (DER) and `signature` over `challenge` (the bytes
    /// whose SHA-256 DigestInfo the card signed) against the trust store, the
    /// revocation index and the time this verifier was made for.
    fn verify(
        &self,
        auth_certificate: &[u8],
        challenge: &[u8],
        signature: &[u8],
    ) -> Result<VerifiedIdentity, VerifyFailure>;
}

impl<V: PresentationVerifier + ?Sized> PresentationVerifier for &V {
    fn verify(
        &self,
        auth_certificate: &[u8],
        challenge: &[u8],
        signature: &[u8],
    ) -> Result<VerifiedIdentity, VerifyFailure> {
        (**self).verify(auth_certificate, challenge, signature)
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
