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

use alloc::string::{String, ToString};

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

/// Checks that `hash` has the digest length of `alg`'s hash.
pub(crate) fn check_digest_len(alg: HashAlgorithm, digest: &[u8]) -> Result<(), VerifyFailure> {
    if digest.len() == alg.digest_len() {
        Ok(())
    } else {
        Err(VerifyFailure::Mismatch)
    }
}
