//! The card-verifiable (CV) certificate of a 券面 AP (EF 0004) and the result of
//! checking a signed record.
//!
//! `7F 21 { 5F 4E <body>, 5F 37 <signature> }`; body = 16-byte issuer key ID +
//! 16-byte subject key ID + `90 <exponent>` `91 <modulus>`. The body is signed by a
//! CA key that is **not on the card**: the certificate itself can only be checked
//! when the caller supplies that key.

use rsa::{BoxedUint, PublicKey};
use sha2::{Digest, Sha256};

use super::error::{FileError, FileErrorKind, tlv};
use crate::tlv::Reader;

/// What a check established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// Checked and correct.
    Verified,
    /// Checked and wrong: the data or the signature does not match.
    Failed,
    /// Not checked, for the reason given.
    NotChecked(&'static str),
}

impl Check {
    /// Whether this is [`Check::Verified`].
    pub fn is_verified(self) -> bool {
        self == Check::Verified
    }

    pub(crate) fn from_bool(ok: bool) -> Self {
        if ok { Check::Verified } else { Check::Failed }
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

    /// 被証明者鍵ID (the key certified).
    pub fn subject_key_id(&self) -> &[u8; 16] {
        &self.subject_key_id
    }

    /// The certified RSA public key (the AP's record-signing key).
    pub fn public_key(&self, file: &'static str) -> Result<PublicKey, FileError> {
        rsa_public_key(file, &self.exponent, &self.modulus)
    }

    /// Checks the certificate's own signature (PKCS#1 v1.5 SHA-256 over the body)
    /// with the CA key, when the caller has it.
    pub fn check_with(&self, ca: Option<&PublicKey>) -> Check {
        match ca {
            None => Check::NotChecked(
                "the CV certificate's CA key is not on the card and none was supplied",
            ),
            Some(ca) => Check::from_bool(verify_sha256(ca, &self.body, &self.signature)),
        }
    }
}

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

pub(crate) fn rsa_public_key(
    file: &'static str,
    e: &[u8],
    n: &[u8],
) -> Result<PublicKey, FileError> {
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
    PublicKey::new(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
    )
    .map_err(|_| invalid)
}

pub(crate) fn verify_sha256(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    key.verify(
        rsa::Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(message),
        signature,
    )
    .is_ok()
}
