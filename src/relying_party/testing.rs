//! **TEST ONLY.** Presentations made by the virtual card's TEST holders, through the real card
//! commands (VERIFY auth PIN, READ BINARY EF 000A, COMPUTE DIGITAL SIGNATURE), for testing a
//! verification server without hardware.

use crate::card::Pin;
use crate::card::TokenKind;
use crate::card::{Card, CardError, LastTry};
use crate::card::{JpkiCertificateKind, JpkiKey};
use crate::crypto::HashAlgorithm;
use crate::pki::{Form, Presentation};
use crate::virtual_card::{BuildError, VirtualCard};
use alloc::vec::Vec;

/// A presentation made by a TEST holder: the auth certificate and the signature over the
/// challenge (SHA-256 DigestInfo, the normal JPKI flow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPresentation {
    /// DER of the holder's auth certificate, as read from the card.
    pub certificate: Vec<u8>,
    /// The challenge signed.
    pub challenge: Vec<u8>,
    /// The card's signature.
    pub signature: Vec<u8>,
    /// The token form of the virtual card, from its EF 0006 label read in the same session.
    pub form: Form,
}

impl TestPresentation {
    /// The [`Presentation`] to hand to a verifier.
    pub fn presentation(&self) -> Presentation<'_> {
        let mut p = Presentation::new(&self.certificate, &self.challenge, &self.signature);
        p.token_form = Some(self.form);
        p
    }
}

/// Why a TEST presentation could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestPresentationError {
    /// The holder id is not a built-in TEST holder, or its card could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The virtual card refused a command.
    #[error(transparent)]
    Card(#[from] CardError),
    /// The holder row has no usable auth PIN.
    #[error("TEST holder has no usable auth PIN")]
    NoPin,
}

/// A presentation of `challenge` by the built-in TEST holder `id` (see
/// [`crate::virtual_card::TEST_HOLDER_IDS`]).
pub fn present(id: &str, challenge: &[u8]) -> Result<TestPresentation, TestPresentationError> {
    let (holder, _) = VirtualCard::test_holder_description(id)?;
    let mut card = Card::new(VirtualCard::test_holder(id)?);
    let token = card.token_info()?.kind;
    if !token.verifies_on_device() {
        let pin = holder
            .auth_pin()
            .and_then(|p| Pin::new(&p).ok())
            .ok_or(TestPresentationError::NoPin)?;
        card.verify_auth_pin(&pin, LastTry::Refuse)?;
    }
    let certificate = card
        .read_certificate(JpkiCertificateKind::Auth)?
        .der()
        .to_vec();
    let signature = card.sign(
        JpkiKey::Auth,
        HashAlgorithm::Sha256,
        crate::card::SignInput::Message(challenge),
    )?;
    let _ = card.end_transaction()?;
    Ok(TestPresentation {
        certificate,
        challenge: challenge.to_vec(),
        signature,
        form: match token {
            TokenKind::Android | TokenKind::Iphone => Form::Smartphone,
            _ => Form::Card,
        },
    })
}
