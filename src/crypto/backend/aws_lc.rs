//! The `aws-lc-rs` backend (feature `aws-lc-rs`): AWS-LC's RSA and ECDSA verification, for
//! servers.

use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

use aws_lc_rs::digest;
use aws_lc_rs::signature::EcdsaVerificationAlgorithm;
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaParameters, UnparsedPublicKey};
use der::Decode;

use super::super::{HashAlgorithm, SignatureAlgorithm};
use super::{
    EcCurve, KeyAlgorithm, KeyError, PublicKeyRef, SignatureBackend, VerificationKey,
    VerifyFailure, check_digest_len, check_signature_len, ecdsa_hash, public_key, rsa_hash,
};

/// Backend using `aws-lc-rs` (AWS-LC, C and assembly). Raw PKCS#1 payload verification is
/// not offered by AWS-LC's safe API: use [`super::RustCrypto`] for that mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLc;

struct AwsKey {
    /// PKCS#1 RSAPublicKey bytes.
    pkcs1: Vec<u8>,
    /// Pre-parsed for the JPKI hot path (SHA-256).
    sha256: ParsedPublicKey,
    len: usize,
    bits: usize,
}

impl std::fmt::Debug for AwsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl SignatureBackend for AwsLc {
    fn name(&self) -> &'static str {
        "aws-lc-rs"
    }

    fn prepare_key(&self, spki_der: &[u8]) -> Result<Arc<dyn VerificationKey>, KeyError> {
        let spki = match public_key(spki_der)? {
            PublicKeyRef::Ec(curve, point) => return Ok(Arc::new(AwsEcKey::new(curve, point)?)),
            PublicKeyRef::Rsa(spki) => spki,
        };
        let pkcs1 = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| KeyError::UnsupportedPublicKey {
                detail: "unaligned key bits".into(),
            })?
            .to_vec();
        // Modulus size from the RSAPublicKey structure (pkcs1 decodes it without big-integer work).
        let rsa_key = rsa::pkcs1::RsaPublicKeyRef::from_der(&pkcs1).map_err(|e| {
            KeyError::UnsupportedPublicKey {
                detail: e.to_string(),
            }
        })?;
        let modulus = rsa_key.modulus.as_bytes();
        let bits = modulus
            .iter()
            .position(|b| *b != 0)
            .and_then(|i| modulus.get(i..))
            .and_then(|m| Some(m.len() * 8 - m.first()?.leading_zeros() as usize))
            .unwrap_or(0);
        let sha256 =
            ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &pkcs1).map_err(|e| {
                KeyError::UnsupportedPublicKey {
                    detail: e.to_string(),
                }
            })?;
        Ok(Arc::new(AwsKey {
            pkcs1,
            sha256,
            len: bits.div_ceil(8),
            bits,
        }))
    }
}

fn params(h: HashAlgorithm) -> &'static RsaParameters {
    match h {
        HashAlgorithm::Sha1 => &signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
        HashAlgorithm::Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        HashAlgorithm::Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        HashAlgorithm::Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
    }
}

fn digest_alg(h: HashAlgorithm) -> &'static digest::Algorithm {
    match h {
        HashAlgorithm::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        HashAlgorithm::Sha256 => &digest::SHA256,
        HashAlgorithm::Sha384 => &digest::SHA384,
        HashAlgorithm::Sha512 => &digest::SHA512,
    }
}

impl VerificationKey for AwsKey {
    fn key_algorithm(&self) -> KeyAlgorithm {
        KeyAlgorithm::Rsa { bits: self.bits }
    }

    fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        sig: &[u8],
    ) -> Result<(), VerifyFailure> {
        let h = rsa_hash(alg)?;
        check_signature_len(self.len, sig)?;
        let r = if h == HashAlgorithm::Sha256 {
            self.sha256.verify_sig(message, sig)
        } else {
            UnparsedPublicKey::new(params(h), &self.pkcs1).verify(message, sig)
        };
        r.map_err(|_| VerifyFailure::Mismatch)
    }

    fn verify_prehash(
        &self,
        alg: SignatureAlgorithm,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), VerifyFailure> {
        let h = rsa_hash(alg)?;
        check_signature_len(self.len, sig)?;
        check_digest_len(h, digest)?;
        let d = digest::Digest::import_less_safe(digest, digest_alg(h))
            .map_err(|_| VerifyFailure::Mismatch)?;
        let r = if h == HashAlgorithm::Sha256 {
            self.sha256.verify_digest_sig(&d, sig)
        } else {
            UnparsedPublicKey::new(params(h), &self.pkcs1).verify_digest(&d, sig)
        };
        r.map_err(|_| VerifyFailure::Mismatch)
    }

    fn verify_raw_pkcs1(&self, _payload: &[u8], _sig: &[u8]) -> Result<(), VerifyFailure> {
        Err(VerifyFailure::Unsupported(
            "raw PKCS#1 payloads with aws-lc-rs",
        ))
    }
}

/// An ECDSA key: the SEC1 point, pre-parsed for the curve's own hash in both signature forms
/// (the hot paths: X.509 DER and COSE fixed); other hash pairings parse on use.
struct AwsEcKey {
    curve: EcCurve,
    point: Vec<u8>,
    der: ParsedPublicKey,
    fixed: ParsedPublicKey,
}

impl core::fmt::Debug for AwsEcKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AwsEcKey")
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

/// The AWS-LC algorithm for a curve, a hash and a signature form (`fixed` = `r ‖ s`).
fn ec_params(
    curve: EcCurve,
    h: HashAlgorithm,
    fixed: bool,
) -> Result<&'static EcdsaVerificationAlgorithm, VerifyFailure> {
    Ok(match (curve, h, fixed) {
        (EcCurve::P256, HashAlgorithm::Sha256, false) => &signature::ECDSA_P256_SHA256_ASN1,
        (EcCurve::P256, HashAlgorithm::Sha384, false) => &signature::ECDSA_P256_SHA384_ASN1,
        (EcCurve::P384, HashAlgorithm::Sha256, false) => &signature::ECDSA_P384_SHA256_ASN1,
        (EcCurve::P384, HashAlgorithm::Sha384, false) => &signature::ECDSA_P384_SHA384_ASN1,
        (EcCurve::P256, HashAlgorithm::Sha256, true) => &signature::ECDSA_P256_SHA256_FIXED,
        (EcCurve::P384, HashAlgorithm::Sha384, true) => &signature::ECDSA_P384_SHA384_FIXED,
        _ => return Err(VerifyFailure::Unsupported("ECDSA curve and hash pairing")),
    })
}

impl AwsEcKey {
    fn new(curve: EcCurve, point: &[u8]) -> Result<Self, KeyError> {
        let own = match curve {
            EcCurve::P256 => HashAlgorithm::Sha256,
            EcCurve::P384 => HashAlgorithm::Sha384,
        };
        let parse = |fixed| {
            let alg = ec_params(curve, own, fixed).map_err(|_| KeyError::UnsupportedPublicKey {
                detail: "EC curve".into(),
            })?;
            ParsedPublicKey::new(alg, point).map_err(|e| KeyError::UnsupportedPublicKey {
                detail: e.to_string(),
            })
        };
        Ok(AwsEcKey {
            curve,
            point: point.to_vec(),
            der: parse(false)?,
            fixed: parse(true)?,
        })
    }

    /// The parsed key when `h` is the curve's own hash.
    fn parsed(&self, h: HashAlgorithm, fixed: bool) -> Option<&ParsedPublicKey> {
        let own = matches!(
            (self.curve, h),
            (EcCurve::P256, HashAlgorithm::Sha256) | (EcCurve::P384, HashAlgorithm::Sha384)
        );
        match (own, fixed) {
            (true, false) => Some(&self.der),
            (true, true) => Some(&self.fixed),
            (false, _) => None,
        }
    }

    fn check(
        &self,
        message: &[u8],
        sig: &[u8],
        h: HashAlgorithm,
        fixed: bool,
    ) -> Result<(), VerifyFailure> {
        if fixed {
            check_signature_len(self.curve.fixed_len(), sig)?;
        }
        let r = match self.parsed(h, fixed) {
            Some(k) => k.verify_sig(message, sig),
            None => UnparsedPublicKey::new(ec_params(self.curve, h, fixed)?, &self.point)
                .verify(message, sig),
        };
        r.map_err(|_| VerifyFailure::Mismatch)
    }
}

impl VerificationKey for AwsEcKey {
    fn key_algorithm(&self) -> KeyAlgorithm {
        self.curve.key_algorithm()
    }

    fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        sig: &[u8],
    ) -> Result<(), VerifyFailure> {
        self.check(message, sig, ecdsa_hash(alg)?, false)
    }

    fn verify_prehash(
        &self,
        alg: SignatureAlgorithm,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), VerifyFailure> {
        let h = ecdsa_hash(alg)?;
        check_digest_len(h, digest)?;
        let d = digest::Digest::import_less_safe(digest, digest_alg(h))
            .map_err(|_| VerifyFailure::Mismatch)?;
        let r = match self.parsed(h, false) {
            Some(k) => k.verify_digest_sig(&d, sig),
            None => UnparsedPublicKey::new(ec_params(self.curve, h, false)?, &self.point)
                .verify_digest(&d, sig),
        };
        r.map_err(|_| VerifyFailure::Mismatch)
    }

    fn verify_raw_pkcs1(&self, _payload: &[u8], _sig: &[u8]) -> Result<(), VerifyFailure> {
        Err(VerifyFailure::Unsupported(
            "raw PKCS#1 payloads with an EC key",
        ))
    }

    fn verify_fixed(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        sig: &[u8],
    ) -> Result<(), VerifyFailure> {
        self.check(message, sig, ecdsa_hash(alg)?, true)
    }
}
