//! Signature verification behind a small backend trait.
//!
//! [`RustCrypto`] (the pure-Rust `rsa` crate) is the default. `AwsLc` (feature `aws-lc-rs`)
//! is for servers verifying at scale. A backend turns a SubjectPublicKeyInfo into a prepared
//! [`VerificationKey`] once (trust anchors are prepared when the trust store is built); the key
//! then verifies PKCS#1 v1.5 signatures over a message, over a pre-computed hash, or over raw
//! bytes padded verbatim (the card pads whatever DigestInfo or bare hash it is given).
//! [`SignatureAlgorithm::EcdsaP384Sha384`] and [`KeyAlgorithm::EcP384`] leave room for the next
//! card generation.

use alloc::sync::Arc;
use core::fmt::Debug;

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
    /// ECDSA over NIST P-384.
    EcP384,
}

/// Why a signature check failed (the caller turns this into the precise [`super::PkiError`]).
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

    /// Verifies `signature` over `message` (the backend hashes it).
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
}

/// A signature-verification implementation.
pub trait SignatureBackend: Send + Sync + Debug {
    /// Short name, e.g. `"rsa"` or `"aws-lc-rs"`.
    fn name(&self) -> &'static str;

    /// Parses a DER SubjectPublicKeyInfo into a prepared key.
    fn prepare_key(&self, spki_der: &[u8]) -> Result<Arc<dyn VerificationKey>, super::PkiError>;
}

/// The default backend: [`RustCrypto`].
pub fn default_backend() -> Arc<dyn SignatureBackend> {
    Arc::new(RustCrypto)
}

/// Checks that `hash` has the digest length of `alg`'s hash.
pub(crate) fn check_digest_len(alg: HashAlgorithm, digest: &[u8]) -> Result<(), VerifyFailure> {
    if digest.len() == alg.digest_len() {
        Ok(())
    } else {
        Err(VerifyFailure::Mismatch)
    }
}
