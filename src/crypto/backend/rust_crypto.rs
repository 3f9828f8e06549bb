//! The pure-Rust backend: RustCrypto `rsa` 0.10 (PKCS#1 v1.5) and `p256` / `p384` 0.14 (ECDSA).

use alloc::string::ToString;
use alloc::sync::Arc;

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::Pkcs1v15Sign;
use rsa::traits::PublicKeyParts;

use super::super::{HashAlgorithm, SignatureAlgorithm};
use super::{
    EcCurve, KeyAlgorithm, KeyError, PublicKeyRef, SignatureBackend, VerificationKey,
    VerifyFailure, check_digest_len, check_signature_len, ecdsa_hash, public_key, rsa_hash,
};

/// Pure-Rust backend using the `rsa`, `p256` and `p384` crates (portable, no C). The default.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCrypto;

/// An RSA public key prepared for the `rsa` crate.
#[derive(Debug)]
struct RsaKey {
    key: rsa::PublicKey,
    len: usize,
}

impl SignatureBackend for RustCrypto {
    fn name(&self) -> &'static str {
        "rsa"
    }

    fn prepare_key(&self, spki_der: &[u8]) -> Result<Arc<dyn VerificationKey>, KeyError> {
        let spki = match public_key(spki_der)? {
            PublicKeyRef::Ec(curve, point) => {
                let bad = |_| KeyError::UnsupportedPublicKey {
                    detail: "EC point not on the curve".into(),
                };
                return Ok(Arc::new(match curve {
                    EcCurve::P256 => {
                        EcKey::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?)
                    }
                    EcCurve::P384 => {
                        EcKey::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?)
                    }
                }));
            }
            PublicKeyRef::Rsa(spki) => spki,
        };
        let key = rsa::PublicKey::try_from(spki).map_err(|e| KeyError::UnsupportedPublicKey {
            detail: e.to_string(),
        })?;
        let len = key.size();
        Ok(Arc::new(RsaKey { key, len }))
    }
}

fn scheme(h: HashAlgorithm) -> Pkcs1v15Sign {
    match h {
        HashAlgorithm::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        HashAlgorithm::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        HashAlgorithm::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        HashAlgorithm::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}

impl VerificationKey for RsaKey {
    fn key_algorithm(&self) -> KeyAlgorithm {
        KeyAlgorithm::Rsa {
            bits: self.key.n().bit_width() as usize,
        }
    }

    fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure> {
        let digest = alg.hash().hash(message);
        self.verify_prehash(alg, &digest, signature)
    }

    fn verify_prehash(
        &self,
        alg: SignatureAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure> {
        let h = rsa_hash(alg)?;
        check_signature_len(self.len, signature)?;
        check_digest_len(h, digest)?;
        self.key
            .verify(scheme(h), digest, signature)
            .map_err(|_| VerifyFailure::Mismatch)
    }

    fn verify_raw_pkcs1(&self, payload: &[u8], signature: &[u8]) -> Result<(), VerifyFailure> {
        check_signature_len(self.len, signature)?;
        self.key
            .verify(Pkcs1v15Sign::new_unprefixed(), payload, signature)
            .map_err(|_| VerifyFailure::Mismatch)
    }
}

/// An ECDSA public key prepared for the `p256` / `p384` crates.
#[derive(Debug)]
enum EcKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

/// A signature as DER `Ecdsa-Sig-Value` or fixed `r ‖ s`.
#[derive(Clone, Copy)]
enum EcdsaForm {
    Der,
    Fixed,
}

impl EcKey {
    fn curve(&self) -> EcCurve {
        match self {
            EcKey::P256(_) => EcCurve::P256,
            EcKey::P384(_) => EcCurve::P384,
        }
    }

    fn verify_digest(
        &self,
        digest: &[u8],
        signature: &[u8],
        form: EcdsaForm,
    ) -> Result<(), VerifyFailure> {
        if let EcdsaForm::Fixed = form {
            check_signature_len(self.curve().fixed_len(), signature)?;
        }
        let ok = match (self, form) {
            (EcKey::P256(k), EcdsaForm::Der) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
            (EcKey::P256(k), EcdsaForm::Fixed) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
            (EcKey::P384(k), EcdsaForm::Der) => p384::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
            (EcKey::P384(k), EcdsaForm::Fixed) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
        };
        if ok {
            Ok(())
        } else {
            Err(VerifyFailure::Mismatch)
        }
    }
}

impl VerificationKey for EcKey {
    fn key_algorithm(&self) -> KeyAlgorithm {
        self.curve().key_algorithm()
    }

    fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure> {
        let digest = ecdsa_hash(alg)?.hash(message);
        self.verify_digest(&digest, signature, EcdsaForm::Der)
    }

    fn verify_prehash(
        &self,
        alg: SignatureAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure> {
        check_digest_len(ecdsa_hash(alg)?, digest)?;
        self.verify_digest(digest, signature, EcdsaForm::Der)
    }

    fn verify_raw_pkcs1(&self, _payload: &[u8], _signature: &[u8]) -> Result<(), VerifyFailure> {
        Err(VerifyFailure::Unsupported(
            "raw PKCS#1 payloads with an EC key",
        ))
    }

    fn verify_fixed(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyFailure> {
        let digest = ecdsa_hash(alg)?.hash(message);
        self.verify_digest(&digest, signature, EcdsaForm::Fixed)
    }
}
