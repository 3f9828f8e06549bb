//! The crypto leaf: hash algorithms and the PKCS#1 v1.5 `DigestInfo` ([`digest`]), signature
//! algorithm identifiers ([`SignatureAlgorithm`]) and the signature-verification backends
//! ([`backend`]) that the card and the PKI both use.
//!
//! The backend is the caller's choice: [`backend::RustCrypto`] (pure Rust, `no_std`) by
//! default, `AwsLc` (feature `aws-lc-rs`) for servers, or a reader's crypto hardware
//! implementing [`backend::SignatureBackend`]. Nothing here imports any other module of the
//! crate (`tests/it/layering.rs`).

mod algorithm;
pub mod backend;
pub mod digest;

pub use algorithm::SignatureAlgorithm;
pub use digest::{DigestLengthError, HashAlgorithm};
