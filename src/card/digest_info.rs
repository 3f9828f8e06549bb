//! The DER `DigestInfo` the JPKI card signs (it applies PKCS#1 v1.5 padding to
//! whatever it receives). Built here, never by the caller, so a caller cannot send
//! a bare hash or a malformed structure by mistake.

pub use crate::crypto::digest::{DigestLengthError, HashAlgorithm};
use alloc::vec::Vec;

/// What the card is asked to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInput<'a> {
    /// A message: hashed here with the algorithm.
    Message(&'a [u8]),
    /// A digest the caller computed with the algorithm.
    Digest(&'a [u8]),
}

impl SignInput<'_> {
    /// The `DigestInfo` for this input.
    pub fn digest_info(&self, algorithm: HashAlgorithm) -> Result<Vec<u8>, DigestLengthError> {
        match self {
            SignInput::Message(m) => algorithm.digest_info(&algorithm.hash(m)),
            SignInput::Digest(d) => algorithm.digest_info(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_digest_info_exact() {
        let di = SignInput::Message(b"abc")
            .digest_info(HashAlgorithm::Sha256)
            .unwrap();
        assert_eq!(di.len(), 51);
        assert_eq!(
            &di[19..],
            &[
                0xBA, 0x78, 0x16, 0xBF, 0x8F, 0x01, 0xCF, 0xEA, 0x41, 0x41, 0x40, 0xDE, 0x5D, 0xAE,
                0x22, 0x23, 0xB0, 0x03, 0x61, 0xA3, 0x96, 0x17, 0x7A, 0x9C, 0xB4, 0x10, 0xFF, 0x61,
                0xF2, 0x00, 0x15, 0xAD
            ]
        );
    }

    #[test]
    fn wrong_digest_length() {
        assert_eq!(
            SignInput::Digest(&[0; 31]).digest_info(HashAlgorithm::Sha256),
            Err(DigestLengthError {
                algorithm: HashAlgorithm::Sha256,
                expected: 32,
                got: 31
            })
        );
    }
}
