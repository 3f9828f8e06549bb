//! Card + PIN: the 本則 at the reader — the auth certificate and a signature over
//! a fresh challenge, made after the holder's 4-digit PIN.
//!
//! Commands on a short-only link: SELECT JPKI AP, READ BINARY of the auth
//! certificate by SFI (⌈N/256⌉ reads), VERIFY query (case 1), VERIFY by SFI
//! (`00 20 00 98`), SELECT key EF `0017`, COMPUTE DIGITAL SIGNATURE — plus one
//! VERIFY per wrong PIN. The token info is not read: the certificate's kind, from
//! the PKI check, tells card from phone.
//!
//! Lockout guard: with one try left the patient is warned (`card.pin.last_try`,
//! 残り1回) and must say yes before the last try is spent; a blocked PIN ends the
//! flow with `card.pin.blocked`. A PIN that is not 4 digits is never sent.

use super::error::FlowError;
use super::event::{Event, Flow, Input};
use super::guidance::GuidanceId;
use super::key_proof::{Expect, KeyFlow};
use super::presentation::{Challenge, PresentationVerifier};
use crate::card::jpki::SignAddressing;
use crate::eligibility::MedicalInstitutionCode;

/// The card + PIN flow.
pub struct CardPinFlow<V>(KeyFlow<V>);

impl<V: PresentationVerifier> CardPinFlow<V> {
    /// A flow for one visit at `facility`: `challenge` fresh from a CSPRNG,
    /// `verifier` holding the trust store, revocation index and time of the visit.
    pub fn new(facility: MedicalInstitutionCode, challenge: Challenge, verifier: V) -> Self {
        Self(KeyFlow::new(
            facility,
            GuidanceId::CardPlace,
            Expect::Card,
            challenge,
            verifier,
        ))
    }

    /// How the signature command names the auth key. Default
    /// [`SignAddressing::BySfi`] (one command fewer; single source ⚠), falling back
    /// by itself to SELECT + sign when the card answers `6A86` / `6A81` / `6986`.
    pub fn with_sign_addressing(mut self, addressing: SignAddressing) -> Self {
        self.0.set_addressing(addressing);
        self
    }
}

impl<V: PresentationVerifier> Flow for CardPinFlow<V> {
    fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        self.0.resume(input)
    }
}
