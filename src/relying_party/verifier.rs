//! The verifier: challenge redeemed first, then [`pki::verify_presentation`].

use crate::pki::{
    self, PkiError, Presentation, RelyingPartyPolicy, RevocationSource, TrustStore, UnixTime,
    VerifiedIdentity,
};

use super::ChallengeIssuer;
use crate::document::{self, CmsVerifyOptions, Content, DocumentError, PdfReport, SignedDocument};

/// A signed document handed to [`RelyingParty::verify_document`].
#[derive(Debug, Clone, Copy)]
pub enum SignedInput<'a> {
    /// A DER CMS SignedData and where its content is.
    Cms {
        /// The SignedData (e.g. a `.p7s` file).
        cms: &'a [u8],
        /// Attached, or the detached content.
        content: Content<'a>,
    },
    /// A signed PDF.
    Pdf(&'a [u8]),
}

/// What [`RelyingParty::verify_document`] found.
#[derive(Debug, Clone)]
pub enum DocumentVerdict {
    /// The CMS verified: who signed.
    Cms(Box<SignedDocument>),
    /// The PDF's report: every signature with its own outcome, and
    /// [`PdfReport::verdict`] (signed only when all verified and nothing was appended).
    Pdf(PdfReport),
}

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
    /// The redeemed set is full: `capacity` presentations were accepted within
    /// one TTL.
    #[error("more than {capacity} challenges redeemed within their lifetime")]
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

    /// Verifies a signed document at `now` under this party's trust and revocation source
    /// (see [`crate::document`]): a CMS SignedData (`.p7s`, attached or detached) or a
    /// signed PDF. The relying-party policy's revocation requirement and staleness apply;
    /// the certificate is checked at the verification time. No challenge is involved: a
    /// document signature is not a login.
    pub fn verify_document(
        &self,
        document: SignedInput<'_>,
        now: UnixTime,
    ) -> Result<DocumentVerdict, DocumentError> {
        let options = CmsVerifyOptions::strict()
            .with_revocation(self.policy.revocation)
            .with_staleness(self.policy.staleness);
        match document {
            SignedInput::Cms { cms, content } => {
                document::verify_cms(cms, content, &self.trust, &self.revocation, &options, now)
                    .map(|d| DocumentVerdict::Cms(Box::new(d)))
            }
            SignedInput::Pdf(pdf) => {
                document::verify_pdf(pdf, &self.trust, &self.revocation, &options, now)
                    .map(DocumentVerdict::Pdf)
            }
        }
    }

    /// Verifies a presentation at `now`: its challenge must be one issued here (its MAC),
    /// unexpired and unused, then [`pki::verify_presentation`] under this party's trust,
    /// revocation and policy; only then is the challenge marked used — exactly one of any
    /// number of parallel verifications of one challenge succeeds, the others get
    /// [`RelyingPartyError::UnknownChallenge`]. A refused presentation does not use the
    /// challenge up (and so cannot fill the redeemed set).
    pub fn verify(
        &self,
        presentation: &Presentation<'_>,
        now: UnixTime,
    ) -> Result<VerifiedIdentity, RelyingPartyError> {
        crate::trace::decision(
            "relying_party.presentation",
            |_| "verified",
            RelyingPartyError::code,
            || {
                let checked = self.challenges.check(presentation.challenge, now)?;
                let identity = pki::verify_presentation(
                    presentation,
                    &self.trust,
                    &self.revocation,
                    &self.policy,
                    now,
                )?;
                self.challenges.mark(checked, now)?;
                Ok(identity)
            },
        )
    }
}
