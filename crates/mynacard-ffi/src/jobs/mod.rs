//! The jobs the bindings offer, in safe Rust: bytes and strings in, JSON or bytes
//! out, one [`Error`] type. The C ABI ([`crate::capi`]) and the Python package
//! (`mynacard-py`) are thin shells over these functions, so both give the same
//! JSON for the same input.

pub mod card;
pub mod document;
pub mod eligibility;
pub mod employer;
mod error;
mod input;
mod json;
pub mod pki;
pub mod reception;
pub mod step;

pub use error::{Error, ErrorKind};
pub use json::{outcome as outcome_json, verified_identity as verified_identity_json};

/// This library's version (the `mynacard-ffi` crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The optional parts compiled in: `virtual-card`, `pcsc`.
pub fn features() -> Vec<&'static str> {
    let mut f = Vec::new();
    if cfg!(feature = "virtual-card") {
        f.push("virtual-card");
    }
    if cfg!(feature = "pcsc") {
        f.push("pcsc");
    }
    f
}
