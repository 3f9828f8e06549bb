//! Smartphone (スマホのマイナ保険証): the phone answers with the same JPKI AP.
//!
//! The token kind is read from EF `0006`:
//! - **Android** (`JPKIAPGPSETOKEN`): the patient types the phone's 4-digit auth PIN
//!   on the reader's keypad (`phone.android.pin.enter`); the auth certificate is
//!   readable only after it, so the PIN comes first.
//! - **iPhone** (`JPKIAPIOSTOKEN`): the holder was verified on the phone (Face ID /
//!   Touch ID); no VERIFY is sent, and the end-of-transaction command `80 FC 00 00`
//!   closes the exchange.
//!
//! A physical card (or any other token) ends the flow with
//! [`FlowError::UnexpectedToken`]. The certificate and signature go through the
//! same PKI check as a card's; the token kind is carried in the outcome.

use super::engine::link::Linked;
use super::error::FlowError;
use super::event::{Event, Flow, Input};
use super::guidance::GuidanceId;
use super::key_proof::{Expect, KeyFlow, KeyProofOptions};
use super::presentation::{KeyProofChallenge, PresentationVerifier};
use crate::card::SignAddressing;
use crate::eligibility::MedicalInstitutionCode;

/// The smartphone flow (Android or iPhone, detected).
pub struct SmartphoneFlow<V>(Linked<KeyFlow<V>>);

impl<V: PresentationVerifier> SmartphoneFlow<V> {
    /// A flow for one visit at `facility`: `challenge` fresh from a CSPRNG,
    /// `verifier` holding the trust store, revocation index and time of the visit.
    pub fn new(
        facility: MedicalInstitutionCode,
        challenge: KeyProofChallenge,
        verifier: V,
    ) -> Self {
        Self(Linked::new(KeyFlow::new(
            facility,
            GuidanceId::PhoneHold,
            Expect::Phone,
            challenge,
            verifier,
        )))
    }

    /// How the signature command names the auth key (default SELECT `0017` +
    /// `80 2A 00 80`; [`SignAddressing::BySfi`] is the opt-in `80 2A 00 97`).
    pub fn with_sign_addressing(mut self, addressing: SignAddressing) -> Self {
        self.0.machine_mut().options_mut().addressing = addressing;
        self
    }

    /// The key-proof options (sign addressing, last-try policy).
    pub fn with_options(mut self, options: KeyProofOptions) -> Self {
        *self.0.machine_mut().options_mut() = options;
        self
    }
}

impl<V: PresentationVerifier> Flow for SmartphoneFlow<V> {
    fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        self.0.resume(input)
    }
}
