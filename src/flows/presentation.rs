//! The PKI presentation check as the flows use it: auth certificate + challenge +
//! signature → a verified holder, or the PKI's precise error.
//!
//! [`PkiCheck`] bundles what one visit's check needs — trust store, revocation
//! source, relying-party policy and time — and calls
//! [`crate::pki::verify_presentation`]. [`PresentationVerifier`] is sealed: the
//! only verifier a flow accepts is [`PkiCheck`], so no outside code can hand a
//! flow a "verified" identity.
//!
//! The token's form (card or smartphone) decides the grace for an expired
//! certificate and whether a phone is accepted. When the certificate's policy does
//! not state it and the decision needs it, the PKI check answers
//! [`PkiError::FormNotEstablished`]; the card flows then read the token label (EF
//! `0006`) — only then, so the common path costs no extra command — and check
//! again with the form read in this session. The smartphone flow always passes
//! the label it read.

use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::error::FlowError;
use super::outcome::VerifiedHolder;
use crate::card::CvTrust;
use crate::card::TokenKind;
use crate::pki::{
    self, Form, PkiError, Presentation, RelyingPartyPolicy, RevocationSource, TrustStore, UnixTime,
};

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::PkiCheck<'_> {}
    impl<V: Sealed + ?Sized> Sealed for &V {}
}

/// Verifies what a card or phone presented. Sealed: implemented by [`PkiCheck`]
/// (and references to it) only.
///
/// ```compile_fail
/// // Outside the crate no verifier can be written (the trait is sealed), so no
/// // code can hand a flow an identity the PKI check did not verify.
/// use mynacard::card::CvTrust;
/// use mynacard::flows::PresentationVerifier;
/// use mynacard::pki::{PkiError, Presentation, VerifiedIdentity};
/// struct Forger;
/// impl PresentationVerifier for Forger {
///     fn verify(&self, _: &Presentation<'_>) -> Result<VerifiedIdentity, PkiError> {
///         Err(PkiError::FormNotEstablished)
///     }
///     fn cv_trust(&self) -> CvTrust {
///         CvTrust::jlis_production()
///     }
/// }
/// ```
pub trait PresentationVerifier: sealed::Sealed {
    /// Checks the presentation (SHA-256 DigestInfo of the challenge signed by the
    /// auth key) against trust anchors, revocation, policy and time.
    fn verify(&self, presentation: &Presentation<'_>) -> Result<pki::VerifiedIdentity, PkiError>;

    /// The J-LIS CV CA keys the card-face record must verify to before any face
    /// comparison: production under a production store; production and TEST when
    /// the store holds a test hierarchy (feature `test-pki`).
    fn cv_trust(&self) -> CvTrust;
}

impl<V: PresentationVerifier + ?Sized> PresentationVerifier for &V {
    fn verify(&self, presentation: &Presentation<'_>) -> Result<pki::VerifiedIdentity, PkiError> {
        (**self).verify(presentation)
    }

    fn cv_trust(&self) -> CvTrust {
        (**self).cv_trust()
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

    fn cv_trust(&self) -> CvTrust {
        #[cfg(feature = "test-pki")]
        if self
            .trust
            .anchors()
            .iter()
            .any(|a| a.hierarchy() == pki::Hierarchy::MynacardTest)
        {
            return CvTrust::test_only();
        }
        #[cfg(feature = "jlis-test")]
        if self
            .trust
            .anchors()
            .iter()
            .any(|a| a.hierarchy() == pki::Hierarchy::JlisTest)
        {
            return CvTrust::test_only_jlis_test_cards();
        }
        CvTrust::jlis_production()
    }
}

/// The challenge the card signs: fresh random bytes from a CSPRNG, drawn by the
/// caller (the runner) for every presentation. The card signs the SHA-256
/// DigestInfo of these bytes.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KeyProofChallenge([u8; 32]);

impl KeyProofChallenge {
    /// Wraps 32 random bytes.
    pub const fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The bytes.
    pub const fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for KeyProofChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyProofChallenge(")?;
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// What a finished key proof hands to the check: still unverified.
pub(crate) struct Presented {
    pub(crate) certificate: Zeroizing<Vec<u8>>,
    pub(crate) signature: Vec<u8>,
    /// The token label read in this session (`None`: not read).
    pub(crate) token: Option<TokenKind>,
}

/// The check's answer.
pub(crate) enum Verdict {
    /// Verified.
    Verified(VerifiedHolder),
    /// The check needs the token's label (EF 0006), not read yet: read it and
    /// check again.
    NeedsTokenLabel,
}

/// The form a token label names (`None`: a label this library does not know).
pub(crate) const fn form_of(token: TokenKind) -> Option<Form> {
    match token {
        TokenKind::Card | TokenKind::JukiCard => Some(Form::Card),
        TokenKind::Android | TokenKind::Iphone => Some(Form::Smartphone),
        _ => None,
    }
}

/// Runs the PKI presentation check on what the card or phone presented.
pub(crate) fn verify<V: PresentationVerifier + ?Sized>(
    verifier: &V,
    challenge: &KeyProofChallenge,
    presented: &Presented,
) -> Result<Verdict, FlowError> {
    let mut presentation = Presentation::new(
        &presented.certificate,
        challenge.bytes(),
        &presented.signature,
    );
    presentation.token_form = presented.token.and_then(form_of);
    let id = match verifier.verify(&presentation) {
        Ok(id) => id,
        Err(PkiError::FormNotEstablished) if presented.token.is_none() => {
            return Ok(Verdict::NeedsTokenLabel);
        }
        Err(e) => return Err(FlowError::Verification(e)),
    };
    match (presented.token, id.form()) {
        // A phone certificate in a card flow: the label names the phone (and so
        // the visit's method). A rare path: a phone held to the card reader.
        (None, Some(Form::Smartphone)) => Ok(Verdict::NeedsTokenLabel),
        // The label and the certificate's form disagree: no identity.
        (Some(token), Some(form)) if form_of(token) != Some(form) => {
            Err(FlowError::FormMismatch { token, form })
        }
        (token, _) => Ok(Verdict::Verified(VerifiedHolder::new(id, token))),
    }
}
