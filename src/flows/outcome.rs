//! What a reception flow hands to the terminal: who was verified, how, what the
//! patient agreed to share, and the eligibility request to send. Never the
//! 個人番号: the flows do not read it and no type here can hold it.

use core::fmt;

use super::consent::Consents;
pub use crate::card::token::TokenKind;
use crate::eligibility::{EligibilityRequest, VerificationMethod};

/// A user-authentication certificate's holder, as proved by the PKI presentation
/// check (chain, validity, revocation, signature over this visit's challenge),
/// with the token that presented it. No personal attributes, no 個人番号.
///
/// Only a flow makes one, and only from [`crate::pki::verify_presentation`]'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    pki: crate::pki::VerifiedIdentity,
    token: TokenKind,
}

impl VerifiedIdentity {
    pub(crate) fn new(pki: crate::pki::VerifiedIdentity, token: TokenKind) -> Self {
        Self { pki, token }
    }

    /// The auth certificate's serial number (big-endian magnitude bytes).
    pub fn serial(&self) -> &[u8] {
        self.pki.serial()
    }

    /// The serial as upper-case hex.
    pub fn serial_hex(&self) -> String {
        self.pki.serial_hex()
    }

    /// The certificate's kind from the PKI policy table (card / smartphone, test or
    /// production).
    pub fn certificate_kind(&self) -> &crate::pki::CertificateKind {
        self.pki.kind()
    }

    /// The token that presented it (physical card, Android, iPhone).
    pub fn token(&self) -> TokenKind {
        self.token
    }

    /// Everything the PKI check reported (anchor, notAfter, revocation answer, grace).
    pub fn pki(&self) -> &crate::pki::VerifiedIdentity {
        &self.pki
    }
}

/// How the holder was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// The card's auth PIN.
    Pin,
    /// Face recognition at the reader (and the key used by 特定機関認証, or
    /// without key proof — see [`Identity`]).
    Face,
    /// Face recognition matched, and the PIN was then asked to make the signature
    /// (terminal without 特定機関認証, [`super::terminal::WithoutPinlessAccess::AskPin`]).
    FaceAndPin,
    /// Face recognition failed or was declined; the PIN was used instead.
    PinAfterFace,
    /// Android phone: the phone's auth PIN on the keypad.
    SmartphoneAndroid,
    /// iPhone: Face ID / Touch ID on the phone.
    SmartphoneIphone,
    /// A staff member compared the holder with the card photo (目視確認).
    StaffVisualCheck,
    /// 資格確認書 / 記号・番号: no card.
    InsuranceIdentifiers,
}

impl Method {
    /// Japanese name.
    pub const fn ja(self) -> &'static str {
        match self {
            Self::Pin => "暗証番号",
            Self::Face => "顔認証",
            Self::FaceAndPin => "顔認証と暗証番号",
            Self::PinAfterFace => "暗証番号（顔認証から切替）",
            Self::SmartphoneAndroid => "スマートフォン（Android）",
            Self::SmartphoneIphone => "スマートフォン（iPhone）",
            Self::StaffVisualCheck => "目視確認",
            Self::InsuranceIdentifiers => "資格確認書（記号・番号）",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            Self::Pin => "PIN",
            Self::Face => "face recognition",
            Self::FaceAndPin => "face recognition and PIN",
            Self::PinAfterFace => "PIN after face recognition",
            Self::SmartphoneAndroid => "smartphone (Android)",
            Self::SmartphoneIphone => "smartphone (iPhone)",
            Self::StaffVisualCheck => "staff visual check",
            Self::InsuranceIdentifiers => "insurance identifiers",
        }
    }
}

impl Method {
    /// The way in, as the eligibility request and the usage statistics count it.
    pub const fn verification_method(self) -> VerificationMethod {
        match self {
            Self::SmartphoneAndroid | Self::SmartphoneIphone => VerificationMethod::Smartphone,
            Self::InsuranceIdentifiers => VerificationMethod::InsuranceIdentifiers,
            _ => VerificationMethod::Card,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.en())
    }
}

/// What is known about who is at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Identity {
    /// Proved by the PKI presentation check.
    Verified(VerifiedIdentity),
    /// The holder matched the card's photo (face or staff) and the card opened
    /// with 照合番号B, but no key proved the card genuine (terminal without
    /// 特定機関認証, configured to report rather than ask the PIN). Not an identity:
    /// the eligibility request must go by insurance identifiers.
    HolderCheckedWithoutKeyProof,
    /// No card: the patient presented a 資格確認書 (記号・番号).
    InsuranceIdentifiers,
}

impl Identity {
    /// The verified identity, if there is one.
    pub fn verified(&self) -> Option<&VerifiedIdentity> {
        match self {
            Self::Verified(v) => Some(v),
            _ => None,
        }
    }
}

/// The result of a reception flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Who is at the counter, as far as proved.
    pub identity: Identity,
    /// How the holder was checked.
    pub method: Method,
    /// Per-item consent.
    pub consents: Consents,
    /// The request file to hand to the 資格確認端末 (consents included); `None`
    /// when there is neither a verified identity nor identifiers (staff must enter
    /// the 記号・番号 and run [`crate::flows::IdentifiersFlow`]).
    pub request: Option<EligibilityRequest>,
}
