//! What a reception flow hands to the terminal: who was verified, how, what the
//! patient agreed to share, and the eligibility request to send. Never the
//! 個人番号: the flows do not read it and no type here can hold it.

use alloc::string::String;
#[cfg(feature = "serde")]
use alloc::string::ToString;
use core::fmt;

use super::consent::Consents;
pub use crate::card::TokenKind;
use crate::eligibility::{EligibilityRequest, FaceMatch, VerificationMethod};

/// A user-authentication certificate's holder, as proved by the PKI presentation
/// check (chain, validity, revocation, signature over this visit's challenge),
/// with the token label read in the session, if any. No personal attributes, no
/// 個人番号. (Named apart from [`crate::pki::VerifiedIdentity`], which it wraps.)
///
/// Only a flow makes one, and only from [`crate::pki::verify_presentation`]'s
/// result: it can be serialized (feature `serde`) but never deserialized.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedHolder {
    pki: crate::pki::VerifiedIdentity,
    token: Option<TokenKind>,
}

impl VerifiedHolder {
    pub(crate) fn new(pki: crate::pki::VerifiedIdentity, token: Option<TokenKind>) -> Self {
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

    /// Card or smartphone, when established (by the certificate or by the token
    /// label read in this session; see [`crate::pki::VerifiedIdentity::form_source`]).
    pub fn form(&self) -> Option<crate::pki::Form> {
        self.pki.form()
    }

    /// The token label read in this session (physical card, Android, iPhone);
    /// `None` when the flow did not need to read it (a card flow whose
    /// certificate did not call for it).
    pub fn token(&self) -> Option<TokenKind> {
        self.token
    }

    /// Everything the PKI check reported (anchor, notAfter, revocation answer,
    /// grace, how the form was established).
    pub fn pki(&self) -> &crate::pki::VerifiedIdentity {
        &self.pki
    }

    /// The way in, as verified: a phone token is a smartphone visit whatever the
    /// flow; otherwise the flow's own `method`.
    pub(crate) fn method_for(&self, method: Method) -> Method {
        match self.token {
            Some(TokenKind::Android) => Method::SmartphoneAndroid,
            Some(TokenKind::Iphone) => Method::SmartphoneIphone,
            _ => method,
        }
    }
}

impl fmt::Debug for VerifiedHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("VerifiedHolder");
        d.field("serial", &format_args!("{}", self.serial_hex()))
            .field("anchor", &self.pki.anchor())
            .field("form", &self.pki.form())
            .field("form_source", &self.pki.form_source())
            .field("token", &self.token)
            .field("not_after", &format_args!("{}", self.pki.not_after()));
        if let Some(g) = self.pki.grace() {
            d.field("grace_months", &g.months);
        }
        d.field("revocation", &self.pki.revocation()).finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for VerifiedHolder {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("VerifiedHolder", 8)?;
        st.serialize_field("serial", &self.serial_hex())?;
        st.serialize_field("anchor", self.pki.anchor())?;
        st.serialize_field("form", &self.pki.form().map(|f| snake(&format!("{f:?}"))))?;
        st.serialize_field(
            "form_source",
            &self.pki.form_source().map(|f| snake(&format!("{f:?}"))),
        )?;
        st.serialize_field("token", &self.token.map(TokenKind::code))?;
        st.serialize_field("not_after", &self.pki.not_after().to_string())?;
        st.serialize_field("grace_months", &self.pki.grace().map(|g| g.months))?;
        // The revocation evidence, as the PKI's verified identity gives it:
        // `{"status": "not_checked", "reason": …}` when no source answered.
        st.serialize_field("revocation", &self.pki.revocation())?;
        st.end()
    }
}

/// `TokenLabel` → `token_label`: the PKI's unit enums in snake case.
#[cfg(feature = "serde")]
fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// How the holder was checked. `Display` gives its stable code
/// ([`Method::code`], e.g. `"pin"`); [`Method::ja`] / [`Method::en`] the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
    /// The stable machine-readable code (also the serde form): `"pin"`, `"face"`,
    /// `"face_and_pin"`, `"pin_after_face"`, `"smartphone_android"`,
    /// `"smartphone_iphone"`, `"staff_visual_check"`, `"insurance_identifiers"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Pin => "pin",
            Self::Face => "face",
            Self::FaceAndPin => "face_and_pin",
            Self::PinAfterFace => "pin_after_face",
            Self::SmartphoneAndroid => "smartphone_android",
            Self::SmartphoneIphone => "smartphone_iphone",
            Self::StaffVisualCheck => "staff_visual_check",
            Self::InsuranceIdentifiers => "insurance_identifiers",
        }
    }

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
        f.write_str(self.code())
    }
}

/// What is known about who is at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "kind"))]
#[non_exhaustive]
pub enum Identity {
    /// Proved by the PKI presentation check.
    Verified(VerifiedHolder),
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
    pub fn verified(&self) -> Option<&VerifiedHolder> {
        match self {
            Self::Verified(v) => Some(v),
            _ => None,
        }
    }
}

/// The result of a reception flow. Serializable (feature `serde`), never
/// deserializable: an outcome is made by a flow only.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Outcome {
    /// Who is at the counter, as far as proved.
    pub identity: Identity,
    /// How the holder was checked.
    pub method: Method,
    /// Per-item consent.
    pub consents: Consents,
    /// The request file to hand to the 資格確認端末 for a 記号・番号 visit;
    /// `None` otherwise (a verified card or phone has no request: see
    /// `face_match`).
    pub request: Option<EligibilityRequest>,
    /// For a card or phone verified at the reader: what the hospital system
    /// matches the terminal's unsolicited face result
    /// (`OQSsiquc01res_face_…`) with.
    pub face_match: Option<FaceMatch>,
}
