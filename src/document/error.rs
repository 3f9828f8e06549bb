//! Why a signed document was refused: one variant per reason, each with a stable code
//! (`document.message_digest_mismatch`, …). No variant carries a value from the document.

use der::asn1::ObjectIdentifier;

use crate::card::CardError;
use crate::pki::PkiError;

/// Why a CMS signature or a signed PDF was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The bytes are not well-formed DER for the structure named (with the byte offset der
    /// reported, when it did).
    #[error("malformed {what} at {at:?}: {detail}")]
    Malformed {
        /// The structure being read (`"ContentInfo"`, `"SignerInfo"`, …).
        what: &'static str,
        /// Byte offset inside that structure, when known.
        at: Option<usize>,
        /// The decoder's reason (never the bytes).
        detail: String,
    },
    /// An input or a count is over its bound; nothing more was read.
    #[error("{what} over the limit of {limit}")]
    TooLarge {
        /// What was counted (`"CMS bytes"`, `"certificates"`, …).
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The ContentInfo does not hold a SignedData.
    #[error("ContentInfo content type {oid} is not id-signedData")]
    NotSignedData {
        /// The content type found.
        oid: ObjectIdentifier,
    },
    /// Not exactly one SignerInfo.
    #[error("{found} signers; exactly one is verified")]
    SignerCount {
        /// SignerInfos found.
        found: usize,
    },
    /// The signer signed the content directly: without signedAttrs there is no contentType
    /// or messageDigest to check.
    #[error("no signed attributes")]
    NoSignedAttributes,
    /// A required signed attribute is absent.
    #[error("signed attribute {name} missing")]
    MissingAttribute {
        /// `"contentType"` or `"messageDigest"`.
        name: &'static str,
    },
    /// A signed attribute appears twice, or has other than one value.
    #[error("signed attribute {name} must appear once with one value")]
    AttributeNotSingle {
        /// The attribute's name.
        name: &'static str,
    },
    /// A signed attribute's value is not of its type.
    #[error("signed attribute {name} is malformed")]
    BadAttribute {
        /// The attribute's name.
        name: &'static str,
    },
    /// The signed contentType differs from the encapsulated content's type.
    #[error("signed contentType differs from the encapsulated content type")]
    ContentTypeMismatch,
    /// The signed messageDigest is not the digest of the content.
    #[error("messageDigest does not match the content")]
    MessageDigestMismatch,
    /// A detached signature was given no content to check it against.
    #[error("detached signature: the content must be given")]
    ContentMissing,
    /// The signature carries its content and other content was given too.
    #[error("the signature carries its own content; no detached content may be given")]
    ContentGivenTwice,
    /// A digest algorithm other than SHA-256/384/512.
    #[error("digest algorithm {oid} not supported")]
    UnsupportedDigestAlgorithm {
        /// Its OID.
        oid: ObjectIdentifier,
    },
    /// SHA-1 (as the digest, or in the signature algorithm) is refused.
    #[error("SHA-1 refused")]
    Sha1Refused,
    /// A signature algorithm other than rsaEncryption or shaNNNWithRSAEncryption.
    #[error("signature algorithm {oid} not supported")]
    UnsupportedSignatureAlgorithm {
        /// Its OID.
        oid: ObjectIdentifier,
    },
    /// The signature algorithm names a hash other than the digest algorithm.
    #[error("signature algorithm and digest algorithm name different hashes")]
    AlgorithmMismatch,
    /// No certificate in the SignedData matches the signer identifier.
    #[error("the signer's certificate is not in the SignedData")]
    SignerCertificateNotFound,
    /// signingCertificateV2 names another certificate than the one that verified.
    #[error("signingCertificateV2 does not name the signer's certificate")]
    SigningCertificateMismatch,
    /// The signature over the signed attributes does not verify with the certificate's key.
    #[error("the signature does not verify")]
    SignatureInvalid,
    /// The caller asked to check the certificate at the signing time and the signature
    /// claims none.
    #[error("no signingTime attribute to check the certificate at")]
    NoSigningTime,
    /// The certificate was refused (path, validity, key usage, policy, revocation): the
    /// PKI's own error, whose code this error's code is (`pki.expired`, `pki.revoked`, …).
    #[error("certificate: {0}")]
    Certificate(#[from] PkiError),
    /// The card refused or failed while signing (sign password, lockout guard, link): the
    /// card's own error, whose code this error's code is (`card.pin.wrong`, …).
    #[error("card: {0}")]
    Card(#[from] CardError),
    /// The file is not a PDF this scanner can read (no header, no `%%EOF`…).
    #[error("not a PDF: {detail}")]
    NotPdf {
        /// What is missing.
        detail: &'static str,
    },
    /// The PDF has no signature dictionary.
    #[error("the PDF has no signature")]
    PdfUnsigned,
    /// A signature dictionary could not be read (at this byte offset of the file).
    #[error("signature dictionary at {at}: {detail}")]
    PdfMalformed {
        /// Byte offset in the file.
        at: usize,
        /// What was wrong.
        detail: &'static str,
    },
    /// A signature's ByteRange does not cover its revision of the file except its own
    /// /Contents.
    #[error("ByteRange does not cover the file except its own /Contents: {detail}")]
    ByteRangeNotCovering {
        /// Which rule failed.
        detail: &'static str,
    },
    /// A /SubFilter other than `adbe.pkcs7.detached` / `ETSI.CAdES.detached`.
    #[error("signature /SubFilter not supported")]
    UnsupportedSubFilter,
    /// The PDF cannot be prepared for signing by this minimal writer.
    #[error("cannot prepare this PDF for signing: {detail}")]
    PdfNotPreparable {
        /// Why.
        detail: &'static str,
    },
    /// The signature does not fit the placeholder reserved for it.
    #[error("signature of {needed} bytes does not fit the {reserved}-byte placeholder")]
    PlaceholderTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes reserved.
        reserved: usize,
    },
}

impl DocumentError {
    /// A stable machine-readable code, e.g. `"document.message_digest_mismatch"`. A refused
    /// certificate gives the PKI's code (`"pki.expired"`, `"pki.wrong_key_usage"`,
    /// `"pki.revoked"`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "document.malformed",
            Self::TooLarge { .. } => "document.too_large",
            Self::NotSignedData { .. } => "document.not_signed_data",
            Self::SignerCount { .. } => "document.signer_count",
            Self::NoSignedAttributes => "document.no_signed_attributes",
            Self::MissingAttribute { .. } => "document.missing_attribute",
            Self::AttributeNotSingle { .. } => "document.attribute_not_single",
            Self::BadAttribute { .. } => "document.bad_attribute",
            Self::ContentTypeMismatch => "document.content_type_mismatch",
            Self::MessageDigestMismatch => "document.message_digest_mismatch",
            Self::ContentMissing => "document.content_missing",
            Self::ContentGivenTwice => "document.content_given_twice",
            Self::UnsupportedDigestAlgorithm { .. } => "document.unsupported_digest_algorithm",
            Self::Sha1Refused => "document.sha1_refused",
            Self::UnsupportedSignatureAlgorithm { .. } => {
                "document.unsupported_signature_algorithm"
            }
            Self::AlgorithmMismatch => "document.algorithm_mismatch",
            Self::SignerCertificateNotFound => "document.signer_certificate_not_found",
            Self::SigningCertificateMismatch => "document.signing_certificate_mismatch",
            Self::SignatureInvalid => "document.signature_invalid",
            Self::NoSigningTime => "document.no_signing_time",
            Self::Certificate(e) => e.code(),
            Self::Card(e) => e.code(),
            Self::NotPdf { .. } => "document.not_pdf",
            Self::PdfUnsigned => "document.pdf_unsigned",
            Self::PdfMalformed { .. } => "document.pdf_malformed",
            Self::ByteRangeNotCovering { .. } => "document.byte_range_not_covering",
            Self::UnsupportedSubFilter => "document.unsupported_sub_filter",
            Self::PdfNotPreparable { .. } => "document.pdf_not_preparable",
            Self::PlaceholderTooSmall { .. } => "document.placeholder_too_small",
        }
    }

    pub(crate) fn malformed(what: &'static str, e: der::Error) -> Self {
        Self::Malformed {
            what,
            at: e
                .position()
                .map(|p| usize::try_from(u32::from(p)).unwrap_or(usize::MAX)),
            detail: e.kind().to_string(),
        }
    }
}

/// With the `serde` feature: `{"code": …, "message": …}`.
#[cfg(feature = "serde")]
impl serde::Serialize for DocumentError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("DocumentError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}
