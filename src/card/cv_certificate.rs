//! The card-verifiable (CV) certificate of a 券面 AP (EF 0004) and the result of
//! checking a signed record.
//!
//! `7F 21 { 5F 4E <body>, 5F 37 <signature> }`; body = 16-byte issuer key ID +
//! 16-byte subject key ID + `90 <exponent>` `91 <modulus>`. The body is signed by a
//! J-LIS CV CA key that is **not on the card**, named by the full 16-byte issuer
//! key ID: [`CvTrust`](super::CvTrust) holds the ones in circulation.
//! Every signature is checked through [`crate::crypto::backend`].

use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

use der::Encode;
use der::asn1::{BitString, Uint};

use super::cv_trust::CvTrust;
use super::error::{FileError, FileErrorKind, tlv};
use crate::crypto::backend::{SignatureBackend, VerificationKey};
use crate::crypto::{HashAlgorithm, SignatureAlgorithm};
use crate::tlv::Reader;

/// What an integrity check established: a signature or a digest over the card's data verified,
/// failed, or could not be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IntegrityCheck {
    /// Checked and correct.
    Verified,
    /// Checked and wrong: the data or the signature does not match.
    Failed,
    /// Not checked, for the reason given.
    NotChecked(&'static str),
}

/// The former name of [`IntegrityCheck`], kept while parallel branches merge.
#[doc(hidden)]
pub type Check = IntegrityCheck;

impl IntegrityCheck {
    /// Whether this is [`Check::Verified`].
    pub fn is_verified(self) -> bool {
        self == IntegrityCheck::Verified
    }

    pub(crate) fn from_bool(ok: bool) -> Self {
        if ok {
            IntegrityCheck::Verified
        } else {
            IntegrityCheck::Failed
        }
    }
}

/// A parsed CV certificate.
#[derive(Clone, PartialEq, Eq)]
pub struct CvCertificate {
    issuer_key_id: [u8; 16],
    subject_key_id: [u8; 16],
    exponent: Vec<u8>,
    modulus: Vec<u8>,
    body: Vec<u8>,
    signature: Vec<u8>,
}

impl core::fmt::Debug for CvCertificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CvCertificate")
            .field(
                "issuer_key_id",
                &crate::apdu::Hex(&self.issuer_key_id).to_string(),
            )
            .field(
                "subject_key_id",
                &crate::apdu::Hex(&self.subject_key_id).to_string(),
            )
            .field("modulus_bits", &(self.modulus.len() * 8))
            .finish()
    }
}

impl CvCertificate {
    /// Parses EF 0004 of a 券面 AP.
    pub fn parse(file: &'static str, bytes: &[u8]) -> Result<Self, FileError> {
        let err = tlv(file);
        let outer = Reader::new(bytes)
            .find(&[0x7F, 0x21])
            .map_err(&err)?
            .ok_or(FileError {
                file,
                kind: FileErrorKind::MissingObject { tag: "7F21" },
            })?;
        let body = outer
            .children()
            .find(&[0x5F, 0x4E])
            .map_err(&err)?
            .ok_or(FileError {
                file,
                kind: FileErrorKind::MissingObject { tag: "5F4E" },
            })?;
        let sig = outer
            .children()
            .find(&[0x5F, 0x37])
            .map_err(&err)?
            .ok_or(FileError {
                file,
                kind: FileErrorKind::MissingObject { tag: "5F37" },
            })?;
        let b = body.value();
        let (ids, key) = b.split_at_checked(32).ok_or(FileError {
            file,
            kind: FileErrorKind::InvalidField {
                field: "5F4E body",
                reason: "shorter than the two 16-byte key IDs",
            },
        })?;
        let mut issuer_key_id = [0u8; 16];
        let mut subject_key_id = [0u8; 16];
        issuer_key_id.copy_from_slice(&ids[..16]);
        subject_key_id.copy_from_slice(&ids[16..]);
        let base = body.value_offset() + 32;
        let (exponent, modulus) = rsa_key(file, key, base)?;
        Ok(Self {
            issuer_key_id,
            subject_key_id,
            exponent,
            modulus,
            body: b.to_vec(),
            signature: sig.value().to_vec(),
        })
    }

    /// 証明者鍵ID (the CA key that signed the body).
    pub fn issuer_key_id(&self) -> &[u8; 16] {
        &self.issuer_key_id
    }

    /// The signed body (both key IDs and the certified key).
    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }

    /// The CA's signature over the body.
    pub(crate) fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// 被証明者鍵ID (the key certified).
    pub fn subject_key_id(&self) -> &[u8; 16] {
        &self.subject_key_id
    }

    /// The certified RSA public key (the AP's record-signing key), prepared by
    /// `backend`.
    pub fn subject_key(
        &self,
        file: &'static str,
        backend: &dyn SignatureBackend,
    ) -> Result<Arc<dyn VerificationKey>, FileError> {
        prepare_rsa_key(file, backend, &self.exponent, &self.modulus)
    }

    /// Checks the certificate's own signature (PKCS#1 v1.5 SHA-256 over the body)
    /// under the CV CA key its full 16-byte issuer key ID names in `trust`.
    /// An issuer `trust` does not hold is [`Check::NotChecked`] ("unknown CV CA"),
    /// never [`Check::Failed`]. Returns the check and the name of the key used.
    pub fn check(&self, trust: &CvTrust) -> (IntegrityCheck, Option<&'static str>) {
        let Some(ca) = trust.key(&self.issuer_key_id) else {
            return (IntegrityCheck::NotChecked(UNKNOWN_CV_CA), None);
        };
        let check = match prepare_rsa_key("CV CA key", trust.backend(), ca.exponent(), ca.modulus())
        {
            Ok(key) => IntegrityCheck::from_bool(
                key.verify(
                    SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
                    &self.body,
                    &self.signature,
                )
                .is_ok(),
            ),
            Err(_) => IntegrityCheck::NotChecked("the CV CA key is not usable"),
        };
        (check, Some(ca.name()))
    }
}

/// The first link of a 券面 record's chain that did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvChainError {
    /// A record digest does not match the data read (the record was altered).
    #[error("a record digest does not match the data read")]
    RecordDigest,
    /// The record signature does not verify under EF 0004's subject key.
    #[error("the record signature does not verify under the CV certificate's key")]
    RecordSignature,
    /// EF 0004 does not verify under the J-LIS CV CA key it names.
    #[error("the CV certificate does not verify under the J-LIS CV CA key it names")]
    CvCertificateSignature,
    /// EF 0004 names a CV CA key the trust does not hold: not checked (not failed).
    #[error("not checked: unknown CV CA")]
    UnknownCvCa,
    /// A key in the chain is not usable, so a link could not be checked.
    #[error("not checked: {0}")]
    NotChecked(&'static str),
}

impl CvChainError {
    /// A stable machine-readable code, e.g. `"card.cv_chain.unknown_cv_ca"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RecordDigest => "card.cv_chain.record_digest",
            Self::RecordSignature => "card.cv_chain.record_signature",
            Self::CvCertificateSignature => "card.cv_chain.cv_certificate_signature",
            Self::UnknownCvCa => "card.cv_chain.unknown_cv_ca",
            Self::NotChecked(_) => "card.cv_chain.not_checked",
        }
    }
}

/// The result of the two signature links of a chain.
pub(crate) fn chain_result(
    signature: IntegrityCheck,
    cv_certificate: IntegrityCheck,
) -> Result<(), CvChainError> {
    match signature {
        IntegrityCheck::Verified => {}
        IntegrityCheck::Failed => return Err(CvChainError::RecordSignature),
        IntegrityCheck::NotChecked(why) => return Err(CvChainError::NotChecked(why)),
    }
    match cv_certificate {
        IntegrityCheck::Verified => Ok(()),
        IntegrityCheck::Failed => Err(CvChainError::CvCertificateSignature),
        IntegrityCheck::NotChecked(UNKNOWN_CV_CA) => Err(CvChainError::UnknownCvCa),
        IntegrityCheck::NotChecked(why) => Err(CvChainError::NotChecked(why)),
    }
}

/// The reason given when a CV certificate names a CA key the trust does not hold.
pub const UNKNOWN_CV_CA: &str = "unknown CV CA";

/// Parses `90 <e> 91 <n>` (in any order) into exponent and modulus bytes.
pub(crate) fn rsa_key(
    file: &'static str,
    bytes: &[u8],
    base: usize,
) -> Result<(Vec<u8>, Vec<u8>), FileError> {
    let mut e = None;
    let mut n = None;
    for item in Reader::with_base(bytes, base) {
        let t = item.map_err(tlv(file))?;
        match t.tag() {
            [0x90] => e = Some(t.value().to_vec()),
            [0x91] => n = Some(t.value().to_vec()),
            _ => {}
        }
    }
    Ok((
        e.ok_or(FileError {
            file,
            kind: FileErrorKind::MissingObject { tag: "90" },
        })?,
        n.ok_or(FileError {
            file,
            kind: FileErrorKind::MissingObject { tag: "91" },
        })?,
    ))
}

/// Prepares an RSA public key given as big-endian exponent and modulus.
pub(crate) fn prepare_rsa_key(
    file: &'static str,
    backend: &dyn SignatureBackend,
    e: &[u8],
    n: &[u8],
) -> Result<Arc<dyn VerificationKey>, FileError> {
    let invalid = FileError {
        file,
        kind: FileErrorKind::InvalidField {
            field: "RSA public key",
            reason: "not an acceptable RSA public key (size 1024–4096 bits, odd modulus, valid exponent)",
        },
    };
    if n.len() > 512 || e.len() > 8 {
        return Err(invalid);
    }
    let spki = rsa_spki_der(n, e).map_err(|_| invalid.clone())?;
    backend.prepare_key(&spki).map_err(|_| invalid)
}

/// SubjectPublicKeyInfo DER of an RSA key: `rsaEncryption`, `RSAPublicKey { n, e }`.
fn rsa_spki_der(n: &[u8], e: &[u8]) -> Result<Vec<u8>, der::Error> {
    let rsa_public_key = vec![Uint::new(n)?, Uint::new(e)?].to_der()?;
    spki::SubjectPublicKeyInfoOwned {
        algorithm: spki::AlgorithmIdentifierOwned {
            oid: RSA_ENCRYPTION,
            parameters: Some(der::asn1::Null.into()),
        },
        subject_public_key: BitString::from_bytes(&rsa_public_key)?,
    }
    .to_der()
}

const RSA_ENCRYPTION: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(CvChainError);
