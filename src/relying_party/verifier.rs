//! The verifier: challenge redeemed first, then [`pki::verify_presentation`].

use crate::pki::{
    self, PkiError, Presentation, RelyingPartyPolicy, RevocationSource, TrustStore, UnixTime,
    VerifiedIdentity,
};

use super::ChallengeIssuer;

/// Why a relying party refused a presentation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RelyingPartyError {
    /// The challenge was never issued here, or was already used (a replay).
    #[error("challenge unknown or already used")]
    UnknownChallenge,
    /// The challenge expired before the presentation arrived.
    #[error("challenge expired at {expires_at}")]
    ChallengeExpired {
        /// Its expiry.
        expires_at: UnixTime,
    },
    /// Too many challenges are outstanding.
    #[error("more than {capacity} challenges outstanding")]
    TooManyOutstanding {
        /// The bound.
        capacity: usize,
    },
    /// The operating system's random generator failed.
    #[error("random generator unavailable")]
    RandomUnavailable,
    /// The presentation itself was refused.
    #[error(transparent)]
    Pki(#[from] PkiError),
}

impl RelyingPartyError {
    /// A stable machine-readable code, e.g. `"relying_party.challenge_unknown"`;
    /// a refused presentation gives the PKI's own code (`"pki.revoked"`).
    ///
    /// ```
    /// use mynacard::relying_party::RelyingPartyError;
    /// assert_eq!(RelyingPartyError::UnknownChallenge.code(), "relying_party.challenge_unknown");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownChallenge => "relying_party.challenge_unknown",
            Self::ChallengeExpired { .. } => "relying_party.challenge_expired",
            Self::TooManyOutstanding { .. } => "relying_party.challenge_capacity",
            Self::RandomUnavailable => "relying_party.random_unavailable",
            Self::Pki(e) => e.code(),
        }
    }
}

/// `{"code": "relying_party.challenge_unknown", "message": "…"}` (feature `serde`).
#[cfg(feature = "serde")]
impl serde::Serialize for RelyingPartyError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("RelyingPartyError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

/// A verification server's state: trust anchors, a revocation source, the acceptance
/// policy and the challenge issuer.
pub struct RelyingParty<R: RevocationSource> {
    trust: TrustStore,
    revocation: R,
    policy: RelyingPartyPolicy,
    challenges: ChallengeIssuer,
}

impl<R: RevocationSource> std::fmt::Debug for RelyingParty<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty")
            .field("policy", &self.policy)
            .field("challenges", &self.challenges)
            .finish_non_exhaustive()
    }
}

impl<R: RevocationSource> RelyingParty<R> {
    /// A relying party.
    pub fn new(
        trust: TrustStore,
        revocation: R,
        policy: RelyingPartyPolicy,
        challenges: ChallengeIssuer,
    ) -> Self {
        Self {
            trust,
            revocation,
            policy,
            challenges,
        }
    }

    /// The challenge issuer (issue a challenge per login attempt).
    pub fn challenges(&self) -> &ChallengeIssuer {
        &self.challenges
    }

    /// The revocation source, e.g. to refresh CRL partitions.
    pub fn revocation_mut(&mut self) -> &mut R {
        &mut self.revocation
    }

    /// Verifies a presentation at `now`: its challenge must be one issued here, unexpired and
    /// unused (it is used up even when the presentation is then refused), then
    /// [`pki::verify_presentation`] under this party's trust, revocation and policy.
    pub fn verify(
        &self,
        presentation: &Presentation<'_>,
        now: UnixTime,
    ) -> Result<VerifiedIdentity, RelyingPartyError> {
        self.challenges.redeem(presentation.challenge, now)?;
        Ok(pki::verify_presentation(
            presentation,
            &self.trust,
            &self.revocation,
            &self.policy,
            now,
        )?)
    }
}
