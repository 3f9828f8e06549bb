//! The sans-IO interface of the intake: what comes out ([`IntakeEvent`]), what
//! it is configured with ([`IntakeVerifier`], [`IntakeOptions`]). What goes in is
//! the flows' [`crate::flows::Input`].
//!
//! | event | caller does | resumes with |
//! |---|---|---|
//! | (start) | tells the link's capabilities | `Input::Start(caps)` |
//! | [`IntakeEvent::Send`] | transmits the command bytes as they are (no GET RESPONSE, no re-issue: the flow does those) | `Input::Response` (the raw answer) or `Input::CardFailed` |
//! | [`IntakeEvent::Guide`] | shows / speaks it, collects what it awaits | `Input::Continue`, `Input::Digits` (PIN or password), `Input::PinPad`, `Input::YesNo` or `Input::Cancel` |
//! | [`IntakeEvent::Done`] | hands the outcome to the employer's system | — |

use alloc::boxed::Box;
use core::fmt;

use der::asn1::ObjectIdentifier;

use super::compare::Comparison;
use super::guidance::IntakeGuidance;
use super::outcome::IntakeOutcome;
use crate::apdu::Command;
use crate::card::CvTrust;
use crate::date::UnixTime;
use crate::exchange::Limits;
use crate::pki::{RevocationSource, StalenessPolicy, TrustStore};

/// What the intake asks its caller to do next.
#[derive(Debug)]
#[non_exhaustive]
pub enum IntakeEvent {
    /// Send this command APDU (encode it for the link:
    /// [`Command::encode_auto`]) and resume with the card's raw answer.
    Send(Command),
    /// Show and speak this guidance; resume with what it awaits.
    Guide(IntakeGuidance),
    /// The intake ended with this outcome.
    Done(Box<IntakeOutcome>),
}

impl crate::flows::engine::step::Sends for IntakeEvent {
    fn send(command: Command) -> Self {
        Self::Send(command)
    }

    fn traced(&self) -> (&'static str, &'static str) {
        match self {
            Self::Send(_) => ("send", ""),
            Self::Guide(g) => ("guide", g.id().as_str()),
            Self::Done(_) => ("done", ""),
        }
    }
}

impl crate::flows::engine::step::Coded for super::error::IntakeError {
    fn code(&self) -> &'static str {
        super::error::IntakeError::code(self)
    }
}

/// What the intake verifies against.
#[derive(Clone, Copy)]
pub struct IntakeVerifier<'a> {
    /// The J-LIS signature roots (production: [`TrustStore::jlis`]; tests: the
    /// TEST store).
    pub trust: &'a TrustStore,
    /// The signature CA's CRLs. A revocation answer is required: without one the
    /// 身元確認 fails.
    pub revocation: &'a dyn RevocationSource,
    /// What to do with a CRL past its nextUpdate (default: reject).
    pub staleness: StalenessPolicy,
    /// The J-LIS CV CA keys that certify the 券面事項入力補助AP's EF 0004
    /// (production: [`CvTrust::jlis_production`]; tests: `CvTrust::test_only`).
    /// A key ID the trust does not hold leaves the chain "not checked: unknown
    /// CV CA", and the 番号確認 fails.
    pub cv_trust: &'a CvTrust,
    /// The time of the intake.
    pub time: UnixTime,
}

impl fmt::Debug for IntakeVerifier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntakeVerifier")
            .field("staleness", &self.staleness)
            .field("cv_keys", &self.cv_trust.keys().len())
            .field("time", &self.time)
            .finish_non_exhaustive()
    }
}

/// How the card is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReaderKind {
    /// A PC/SC reader (at the office or at home), contact or contactless.
    #[default]
    Reader,
    /// An NFC phone reading the card (the employer's app on the new hire's phone).
    PhoneNfc,
}

/// Options of the intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct IntakeOptions {
    /// Bounds on what the card declares (file lengths, GET RESPONSE rounds).
    pub limits: Limits,
    /// How the certificate's attributes are compared with the card's (default:
    /// legitimate encoding differences normalised).
    pub comparison: Comparison,
    /// How the card is read (changes the opening guidance only).
    pub reader: ReaderKind,
    /// The subjectAltName otherName that carries the name's kana reading, when
    /// the signature certificate has one. ⚠ No primary source names its OID yet
    /// (a furigana item was announced for 2026); default `None`: no kana.
    pub kana_oid: Option<ObjectIdentifier>,
}

impl IntakeOptions {
    /// Options for a card read by an NFC phone.
    pub fn phone_nfc() -> Self {
        Self {
            reader: ReaderKind::PhoneNfc,
            ..Self::default()
        }
    }

    /// Reads the kana reading from the otherName `oid`.
    pub fn with_kana_oid(mut self, oid: ObjectIdentifier) -> Self {
        self.kana_oid = Some(oid);
        self
    }
}
