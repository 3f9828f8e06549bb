//! What a verified signature proves: [`SignedDocument`], the only result of
//! [`super::verify_cms`] (and of each verified signature of a PDF).

use core::fmt;

use zeroize::Zeroizing;

use crate::pki::{Certificate, CertificateKind, HashAlgorithm, HolderAttributes};
use crate::pki::{RevocationStatus, UnixTime};

/// The time the signer's certificate was checked at: the caller chooses
/// ([`super::CmsVerifyOptions::check_at`]) and the result says which was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckTime {
    /// The signature's own signingTime attribute. It is **claimed by the signer, not
    /// proven** (no time-stamp authority vouches for it): choose it to accept a signature
    /// whose certificate has since expired, knowing that the signer could have back-dated it.
    SigningTime,
    /// The verification time the caller passes (the certificate must be valid now).
    VerificationTime,
}

impl CheckTime {
    /// `"signing_time"` or `"verification_time"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::SigningTime => "signing_time",
            Self::VerificationTime => "verification_time",
        }
    }
}

/// A CMS signature that verified: the signer's 署名用 certificate chained to the trust store
/// at [`SignedDocument::checked_at`], its key usage allows signatures, its key signed the
/// DER signed attributes, whose messageDigest is the content's digest, and the revocation
/// source answered [`SignedDocument::revocation`].
///
/// No public constructor: holding one means the checks ran. Zeroized on drop (the holder's
/// attributes, the certificate, attached content); `Debug` shows neither; serialised only
/// through [`SignedDocument::serialize_disclosing_attributes`] (feature `serde`).
#[derive(Clone)]
pub struct SignedDocument {
    pub(crate) attributes: HolderAttributes,
    pub(crate) certificate: Certificate,
    pub(crate) kind: CertificateKind,
    pub(crate) anchor: String,
    pub(crate) revocation: RevocationStatus,
    pub(crate) checked_at: CheckTime,
    pub(crate) checked_time: UnixTime,
    pub(crate) signing_time: Option<UnixTime>,
    pub(crate) digest: HashAlgorithm,
    pub(crate) content: Option<Zeroizing<Vec<u8>>>,
}

impl SignedDocument {
    /// The signer's 基本4情報 (name, address, birth date, sex, substitute-character flags)
    /// from the verified certificate.
    pub fn holder(&self) -> &HolderAttributes {
        &self.attributes
    }
    /// The signer's certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }
    /// The certificate's kind from the policy table.
    pub fn kind(&self) -> &CertificateKind {
        &self.kind
    }
    /// Label of the trust anchor that issued the certificate.
    pub fn anchor(&self) -> &str {
        &self.anchor
    }
    /// The revocation evidence (may be NotChecked under
    /// [`crate::pki::RevocationRequirement::BestEffort`]).
    pub fn revocation(&self) -> &RevocationStatus {
        &self.revocation
    }
    /// Which time the certificate was checked at.
    pub fn checked_at(&self) -> CheckTime {
        self.checked_at
    }
    /// The time the certificate was checked at.
    pub fn checked_time(&self) -> UnixTime {
        self.checked_time
    }
    /// The signingTime attribute, **as claimed by the signer** (unauthenticated).
    pub fn claimed_signing_time(&self) -> Option<UnixTime> {
        self.signing_time
    }
    /// The digest algorithm of the signature.
    pub fn digest_algorithm(&self) -> HashAlgorithm {
        self.digest
    }
    /// The signed content, when the signature carried it (attached); `None` when detached.
    pub fn content(&self) -> Option<&[u8]> {
        self.content.as_deref().map(Vec::as_slice)
    }

    /// Serialises the result, **the holder's name, address, birth date and sex included**
    /// (feature `serde`). The name says what it does: send the output only where the
    /// purpose of the signature lets it go, never to a log. Attached content is not included.
    ///
    /// Shape: `{"holder": {"name", "name_substituted": [bool], "address",
    /// "address_substituted": [bool], "birth_date": {"era", "year", "month", "day"}, "sex"},
    /// "certificate": {"serial", "not_before", "not_after", "kind", "anchor"},
    /// "revocation": {…}, "checked_at": "signing_time" | "verification_time",
    /// "checked_time", "claimed_signing_time", "digest_algorithm"}`.
    #[cfg(feature = "serde")]
    pub fn serialize_disclosing_attributes<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::serde_out::serialize(self, serializer)
    }
}

impl fmt::Debug for SignedDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedDocument")
            .field("holder", &"<redacted>")
            .field("anchor", &self.anchor)
            .field("revocation", &self.revocation)
            .field("checked_at", &self.checked_at)
            .field("checked_time", &self.checked_time)
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}
