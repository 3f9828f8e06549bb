//! What an mdoc intake ([`super::MdocIntake`]) checked, for the record's [`super::Evidence`]:
//! the document signer certificate, the MSO's signed / valid dates, how the device
//! authenticated, and on which basis the 身元確認 was made. No personal value.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::date::UnixTime;
use crate::mdoc::{DeviceAuthKind, MdocEvidence};
use crate::pki::SignatureAlgorithm;

/// On what the 身元確認 from a カード代替電磁的記録 rests. ⚠ The sources differ:
///
/// - the Digital Agency defines the カード代替電磁的記録 as the card's data **with** the
///   information that proves to the receiver that it is genuine (issuer signature) **and the
///   sender's own** (device signature, made after Face ID / Touch ID in Wallet) — read so, the
///   device authentication alone proves the person presenting is the holder
///   ([`MdocIdentityBasis::DeviceAuthentication`]);
/// - face-to-face practice, and the Digital Agency's own マイナンバーカード対面確認アプリ, show the
///   portrait for the verifier to compare with the person in front of it, as the card's photo
///   is compared when the card is presented ([`MdocIdentityBasis::PortraitComparedByEmployer`],
///   the default: it asks more, never less).
///
/// Sources: `../shared/docs/smartphone.md` §B2 ("issuer signature and device signature";
/// "third parties must use a 確認用プログラム approved by the minister"); recept.earth
/// (recept-news-2025-07-31, quoting the Digital Agency's definition); blog.mizu-machi.com
/// (post-713: 番号法 第2条, 第16条, 第18条の2–第18条の4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MdocIdentityBasis {
    /// Device authentication **and** the employer's comparison of the portrait with the new
    /// hire (default): no record without [`super::PortraitComparison::Matches`].
    #[default]
    PortraitComparedByEmployer,
    /// Device authentication alone (a non-face-to-face intake); a comparison that was made is
    /// still recorded, a mismatch still refuses.
    DeviceAuthentication,
}

impl MdocIdentityBasis {
    /// A stable machine name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PortraitComparedByEmployer => "portrait_compared_by_employer",
            Self::DeviceAuthentication => "device_authentication",
        }
    }
}

/// The mdoc part of an intake's evidence.
#[derive(Clone, PartialEq, Eq)]
pub struct MdocIntakeEvidence {
    document_signer_der: Vec<u8>,
    document_signer_subject: String,
    issuer_algorithm: SignatureAlgorithm,
    signed: UnixTime,
    valid_from: UnixTime,
    valid_until: UnixTime,
    device_auth: DeviceAuthKind,
    basis: MdocIdentityBasis,
    portrait_compared: bool,
}

impl core::fmt::Debug for MdocIntakeEvidence {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MdocIntakeEvidence")
            .field("document_signer_subject", &self.document_signer_subject)
            .field("issuer_algorithm", &self.issuer_algorithm_name())
            .field("signed", &self.signed.to_string())
            .field("valid_from", &self.valid_from.to_string())
            .field("valid_until", &self.valid_until.to_string())
            .field("device_auth", &self.device_auth)
            .field("basis", &self.basis)
            .field("portrait_compared", &self.portrait_compared)
            .finish()
    }
}

impl MdocIntakeEvidence {
    pub(crate) fn new(e: &MdocEvidence, basis: MdocIdentityBasis, portrait_compared: bool) -> Self {
        Self {
            document_signer_der: e.issuer_certificate.der().to_vec(),
            document_signer_subject: e.issuer_certificate.subject().to_string(),
            issuer_algorithm: e.issuer_algorithm,
            signed: e.signed,
            valid_from: e.valid_from,
            valid_until: e.valid_until,
            device_auth: e.device_auth,
            basis,
            portrait_compared,
        }
    }

    /// The document signer certificate (DER) that signed the MSO; it chained to one of the
    /// issuer anchors the caller configured.
    pub fn document_signer_der(&self) -> &[u8] {
        &self.document_signer_der
    }

    /// The document signer's subject (RFC 4514 string).
    pub fn document_signer_subject(&self) -> &str {
        &self.document_signer_subject
    }

    /// The issuerAuth algorithm (ES256 or ES384).
    pub fn issuer_algorithm(&self) -> SignatureAlgorithm {
        self.issuer_algorithm
    }

    /// The issuerAuth algorithm's COSE name (`"ES256"`, `"ES384"`).
    pub fn issuer_algorithm_name(&self) -> &'static str {
        match self.issuer_algorithm {
            SignatureAlgorithm::EcdsaP384Sha384 => "ES384",
            _ => "ES256",
        }
    }

    /// The MSO's validityInfo.signed.
    pub fn signed(&self) -> UnixTime {
        self.signed
    }

    /// The MSO's validityInfo.validFrom.
    pub fn valid_from(&self) -> UnixTime {
        self.valid_from
    }

    /// The MSO's validityInfo.validUntil.
    pub fn valid_until(&self) -> UnixTime {
        self.valid_until
    }

    /// How the holder's device authenticated (signature or MAC).
    pub fn device_auth(&self) -> DeviceAuthKind {
        self.device_auth
    }

    /// The basis of the 身元確認 the intake was configured with.
    pub fn basis(&self) -> MdocIdentityBasis {
        self.basis
    }

    /// Whether the employer compared the portrait with the new hire (and it matched).
    pub fn portrait_compared(&self) -> bool {
        self.portrait_compared
    }
}
