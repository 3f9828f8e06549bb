//! Signature verification behind a small backend trait.
//!
//! [`RustCrypto`] (the pure-Rust `rsa`, `p256` and `p384` crates) is the default. `AwsLc`
//! (feature `aws-lc-rs`) is for servers verifying at scale. A backend turns a
//! SubjectPublicKeyInfo into a prepared [`VerificationKey`] once (trust anchors are prepared when
//! the trust store is built); the key then verifies PKCS#1 v1.5 signatures over a message, over
//! a pre-computed hash, or over raw bytes padded verbatim (the card pads whatever DigestInfo or
//! bare hash it is given).
//!
//! ECDSA over P-256 and P-384 with SHA-256 or SHA-384 ([`SignatureAlgorithm::EcdsaP256Sha256`],
//! [`SignatureAlgorithm::EcdsaP384Sha384`]) goes through the same keys: a certificate signed
//! with `ecdsa-with-SHA384` (the next card generation) verifies through the PKI's path like an
//! RSA one, with DER signatures ([`VerificationKey::verify`]); COSE (mdoc) carries the fixed
//! `r ‖ s` form ([`VerificationKey::verify_fixed`]).

use alloc::sync::Arc;
use core::fmt::Debug;

use alloc::string::{String, ToString};

use der::asn1::ObjectIdentifier;
use spki::SubjectPublicKeyInfoRef;

use super::{HashAlgorithm, SignatureAlgorithm};

#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
mod rust_crypto;

#[cfg(feature = "aws-lc-rs")]
pub use aws_lc::AwsLc;
pub use rust_crypto::RustCrypto;

/// The kind and size of a prepared public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// ECDSA over NIST P-256.
    EcP256,
    /// ECDSA over NIST P-384.
    EcP384,
}

/// Why a signature check failed (the caller turns this into the precise
/// [`PkiError`](crate::pki::PkiError)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyFailure {
    /// The signature does not verify.
    #[error("signature mismatch")]
    Mismatch,
    /// The signature is not the modulus length.
    #[error("signature is {found} bytes, expected {expected}")]
    WrongLength {
        /// Expected length in bytes.
        expected: usize,
        /// Length received.
        found: usize,
    },
    /// The key or backend cannot do this algorithm.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
}

/// A public key prepared by a backend for repeated verification.
pub trait VerificationKey: Send + Sync + Debug {
    /// Algorithm and size of the key.
    fn key_algorithm(&self) -> KeyAlgorithm;

    /// Verifies `signature` over `message` (the backend hashes it). ECDSA signatures are DER
    /// `Ecdsa-Sig-Value` (X.509, CMS).
    fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure>;

    /// Verifies `signature` over a hash the caller already computed with `alg`'s hash.
    fn verify_prehash(
        &self,
        alg: SignatureAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure>;

    /// Verifies an RSA PKCS#1 v1.5 signature whose padded block carries `payload` verbatim (a
    /// complete DigestInfo, or a bare hash as some platforms sign). Backends that cannot return
    /// [`VerifyFailure::Unsupported`].
    fn verify_raw_pkcs1(&self, payload: &[u8], signature: &[u8]) -> Result<(), VerifyFailure>;

    /// Verifies an ECDSA `signature` in the fixed `r ‖ s` form (IEEE P1363, as COSE and JOSE
    /// carry it) over `message` (the backend hashes it). Keys that are not ECDSA keys, and
    /// backends that cannot, return [`VerifyFailure::Unsupported`].
    fn verify_fixed(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure> {
        let _ = (alg, message, signature);
        Err(VerifyFailure::Unsupported("fixed-form ECDSA signatures"))
    }
}

/// A signature-verification implementation.
pub trait SignatureBackend: Send + Sync + Debug {
    /// Short name, e.g. `"rsa"` or `"aws-lc-rs"`.
    fn name(&self) -> &'static str;

    /// Parses a DER SubjectPublicKeyInfo into a prepared key.
    fn prepare_key(&self, spki_der: &[u8]) -> Result<Arc<dyn VerificationKey>, KeyError>;
}

/// Why a backend could not prepare a public key. The PKI reports it as the
/// [`PkiError`](crate::pki::PkiError) variant of the same name (`From`), with the same
/// [`code`](Self::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The SubjectPublicKeyInfo is not well-formed DER.
    #[error("malformed {what}{}: {detail}", at.map(|p| format!(" at byte {p}")).unwrap_or_default())]
    Malformed {
        /// What was being parsed (`"public key"`).
        what: &'static str,
        /// Byte offset of the problem inside the key, when known.
        at: Option<usize>,
        /// der's description of the problem (never the input's bytes).
        detail: String,
    },
    /// The key's algorithm, curve or encoding is not one this backend verifies with.
    #[error("unsupported public key: {detail}")]
    UnsupportedPublicKey {
        /// What was wrong.
        detail: String,
    },
}

impl KeyError {
    /// A stable identifier: the code of the [`PkiError`](crate::pki::PkiError) it becomes.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Malformed { .. } => "pki.malformed",
            KeyError::UnsupportedPublicKey { .. } => "pki.unsupported_public_key",
        }
    }

    /// A [`KeyError::Malformed`] from der's error while reading `what`.
    pub fn malformed(what: &'static str, e: der::Error) -> Self {
        KeyError::Malformed {
            what,
            at: e
                .position()
                .map(|p| usize::try_from(u32::from(p)).unwrap_or(usize::MAX)),
            detail: e.kind().to_string(),
        }
    }
}

/// The default backend: [`RustCrypto`].
pub fn default_backend() -> Arc<dyn SignatureBackend> {
    Arc::new(RustCrypto)
}

/// The curve of an `id-ecPublicKey` SubjectPublicKeyInfo and its SEC1 point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcCurve {
    P256,
    P384,
}

const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

impl EcCurve {
    /// Fixed `r ‖ s` signature length.
    pub(crate) const fn fixed_len(self) -> usize {
        match self {
            EcCurve::P256 => 64,
            EcCurve::P384 => 96,
        }
    }

    pub(crate) const fn key_algorithm(self) -> KeyAlgorithm {
        match self {
            EcCurve::P256 => KeyAlgorithm::EcP256,
            EcCurve::P384 => KeyAlgorithm::EcP384,
        }
    }
}

/// `Some((curve, SEC1 point))` for an EC key on a supported named curve, `None` when the key
/// is not an `id-ecPublicKey`; an EC key on another curve is an error.
fn ec_public_key<'a>(
    spki: &SubjectPublicKeyInfoRef<'a>,
) -> Result<Option<(EcCurve, &'a [u8])>, KeyError> {
    if spki.algorithm.oid != EC_PUBLIC_KEY {
        return Ok(None);
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    let curve = match curve {
        Some(SECP256R1) => EcCurve::P256,
        Some(SECP384R1) => EcCurve::P384,
        _ => {
            return Err(KeyError::UnsupportedPublicKey {
                detail: "EC key on a curve other than P-256 or P-384".into(),
            });
        }
    };
    let point =
        spki.subject_public_key
            .as_bytes()
            .ok_or_else(|| KeyError::UnsupportedPublicKey {
                detail: "unaligned key bits".into(),
            })?;
    Ok(Some((curve, point)))
}

/// A SubjectPublicKeyInfo as the backends take it: an EC point on a supported curve, or an RSA
/// key (`rsaEncryption`); any other algorithm is an error.
pub(crate) enum PublicKeyRef<'a> {
    /// `id-ecPublicKey` on P-256 or P-384, with its SEC1 point.
    Ec(EcCurve, &'a [u8]),
    /// `rsaEncryption`.
    Rsa(SubjectPublicKeyInfoRef<'a>),
}

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Reads a DER SubjectPublicKeyInfo for [`SignatureBackend::prepare_key`].
pub(crate) fn public_key(spki_der: &[u8]) -> Result<PublicKeyRef<'_>, KeyError> {
    use der::Decode;
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|e| KeyError::malformed("public key", e))?;
    if let Some((curve, point)) = ec_public_key(&spki)? {
        return Ok(PublicKeyRef::Ec(curve, point));
    }
    if spki.algorithm.oid != RSA_ENCRYPTION {
        return Err(KeyError::UnsupportedPublicKey {
            detail: format!("key algorithm {}", spki.algorithm.oid),
        });
    }
    Ok(PublicKeyRef::Rsa(spki))
}

/// The hash an RSA PKCS#1 v1.5 algorithm applies, or `Unsupported` for another algorithm.
pub(crate) fn rsa_hash(alg: SignatureAlgorithm) -> Result<HashAlgorithm, VerifyFailure> {
    match alg {
        SignatureAlgorithm::RsaPkcs1(h) => Ok(h),
        _ => Err(VerifyFailure::Unsupported(
            "non-RSA algorithm with an RSA key",
        )),
    }
}

/// Checks that `signature` is `expected` bytes long (an RSA modulus, a fixed `r ‖ s`).
pub(crate) fn check_signature_len(expected: usize, signature: &[u8]) -> Result<(), VerifyFailure> {
    if signature.len() == expected {
        Ok(())
    } else {
        Err(VerifyFailure::WrongLength {
            expected,
            found: signature.len(),
        })
    }
}

/// The hash an ECDSA algorithm applies, or `Unsupported` for a non-ECDSA algorithm.
pub(crate) fn ecdsa_hash(alg: SignatureAlgorithm) -> Result<HashAlgorithm, VerifyFailure> {
    if alg.is_ecdsa() {
        Ok(alg.hash())
    } else {
        Err(VerifyFailure::Unsupported(
            "non-ECDSA algorithm with an EC key",
        ))
    }
}

/// Checks that `hash` has the digest length of `alg`'s hash.
pub(crate) fn check_digest_len(alg: HashAlgorithm, digest: &[u8]) -> Result<(), VerifyFailure> {
    if digest.len() == alg.digest_len() {
        Ok(())
    } else {
        Err(VerifyFailure::Mismatch)
    }
}

#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(KeyError);

/// Every backend this build has (the PKI's tests run each too).
#[cfg(test)]
pub(crate) fn tests_backends() -> alloc::vec::Vec<Arc<dyn SignatureBackend>> {
    #[cfg(feature = "aws-lc-rs")]
    return vec![Arc::new(RustCrypto), Arc::new(AwsLc)];
    #[cfg(not(feature = "aws-lc-rs"))]
    vec![Arc::new(RustCrypto)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use p256::ecdsa::signature::Signer;
    use p256::pkcs8::EncodePublicKey;

    fn backends() -> Vec<Arc<dyn SignatureBackend>> {
        super::tests_backends()
    }

    /// Each backend verifies P-256/SHA-256 and P-384/SHA-384 in both signature forms, and
    /// refuses a flipped bit, a wrong length and a non-ECDSA algorithm.
    #[test]
    fn ecdsa_p256_and_p384_in_both_forms() {
        let msg = b"mdoc issuer auth";
        let k256 = p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("scalar");
        let k384 = p384::ecdsa::SigningKey::from_slice(&[9; 48]).expect("scalar");
        let s256: p256::ecdsa::Signature = k256.sign(msg);
        let s384: p384::ecdsa::Signature = k384.sign(msg);
        let cases = [
            (
                k256.verifying_key().to_public_key_der().expect("spki"),
                SignatureAlgorithm::EcdsaP256Sha256,
                s256.to_vec(),
                s256.to_der().as_bytes().to_vec(),
                KeyAlgorithm::EcP256,
            ),
            (
                k384.verifying_key().to_public_key_der().expect("spki"),
                SignatureAlgorithm::EcdsaP384Sha384,
                s384.to_vec(),
                s384.to_der().as_bytes().to_vec(),
                KeyAlgorithm::EcP384,
            ),
        ];
        for backend in backends() {
            for (spki, alg, fixed, der, kind) in &cases {
                let key = backend.prepare_key(spki.as_bytes()).expect("key");
                assert_eq!(key.key_algorithm(), *kind);
                assert_eq!(key.verify_fixed(*alg, msg, fixed), Ok(()));
                assert_eq!(key.verify(*alg, msg, der), Ok(()));
                let digest = alg.hash().hash(msg);
                assert_eq!(key.verify_prehash(*alg, &digest, der), Ok(()));
                let mut bad = fixed.clone();
                bad[5] ^= 1;
                assert_eq!(
                    key.verify_fixed(*alg, msg, &bad),
                    Err(VerifyFailure::Mismatch)
                );
                assert_eq!(
                    key.verify(*alg, b"other message", der),
                    Err(VerifyFailure::Mismatch)
                );
                assert!(matches!(
                    key.verify_fixed(*alg, msg, &fixed[1..]),
                    Err(VerifyFailure::WrongLength { .. })
                ));
                assert!(matches!(
                    key.verify(
                        SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
                        msg,
                        der
                    ),
                    Err(VerifyFailure::Unsupported(_))
                ));
            }
        }
    }
}
