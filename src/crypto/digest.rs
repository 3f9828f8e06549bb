//! Hash algorithms and the DER `DigestInfo` of PKCS#1 v1.5 signatures: one type
//! for the card (which signs the DigestInfo it is given) and the PKI (which
//! verifies signatures over it).

use alloc::vec::Vec;
use sha2::Digest;

/// A hash algorithm the card's signature can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1 (legacy; only for relying parties that still ask for it).
    Sha1,
    /// SHA-256 (the JPKI default).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// A digest whose length does not match its algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{algorithm:?} digest must be {expected} bytes, got {got}")]
pub struct DigestLengthError {
    /// The algorithm named.
    pub algorithm: HashAlgorithm,
    /// Its digest length.
    pub expected: usize,
    /// Bytes given.
    pub got: usize,
}

impl HashAlgorithm {
    /// Digest length in bytes.
    pub const fn digest_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The DER prefix of the `DigestInfo` (`SEQUENCE { AlgorithmIdentifier {
    /// OID, NULL }, OCTET STRING header }`).
    pub const fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Self::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04,
                0x14,
            ],
            Self::Sha256 => &[
                0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Self::Sha384 => &[
                0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Self::Sha512 => &[
                0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }

    /// Hashes a message.
    pub fn hash(self, message: &[u8]) -> Vec<u8> {
        self.hash_parts(&[message])
    }

    /// Hashes a message given in parts (e.g. a signed PDF's two byte ranges), in order,
    /// without joining them.
    pub fn hash_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        }
        match self {
            Self::Sha1 => run::<sha1::Sha1>(parts),
            Self::Sha256 => run::<sha2::Sha256>(parts),
            Self::Sha384 => run::<sha2::Sha384>(parts),
            Self::Sha512 => run::<sha2::Sha512>(parts),
        }
    }

    /// The DER `DigestInfo` for a pre-computed digest.
    pub fn digest_info(self, digest: &[u8]) -> Result<Vec<u8>, DigestLengthError> {
        if digest.len() != self.digest_len() {
            return Err(DigestLengthError {
                algorithm: self,
                expected: self.digest_len(),
                got: digest.len(),
            });
        }
        let prefix = self.digest_info_prefix();
        let mut out = Vec::with_capacity(prefix.len() + digest.len());
        out.extend_from_slice(prefix);
        out.extend_from_slice(digest);
        Ok(out)
    }

    /// The rsa crate's PKCS#1 v1.5 verification scheme for this algorithm.
    pub fn pkcs1v15(self) -> rsa::Pkcs1v15Sign {
        match self {
            Self::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
            Self::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            Self::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            Self::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [HashAlgorithm; 4] = [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ];

    #[test]
    fn prefixes_match_the_rsa_crate() {
        for alg in ALL {
            assert_eq!(&*alg.pkcs1v15().prefix, alg.digest_info_prefix(), "{alg:?}");
        }
    }

    #[test]
    fn prefixes_parse_as_der_and_declare_the_right_length() {
        for alg in ALL {
            let di = alg.digest_info(&vec![0xAB; alg.digest_len()]).unwrap();
            let h = crate::tlv::Header::parse(&di).unwrap();
            assert_eq!(h.total_len(), di.len(), "{alg:?}");
        }
    }

    #[test]
    fn hash_parts_is_the_hash_of_the_joined_parts() {
        for alg in ALL {
            assert_eq!(
                alg.hash_parts(&[b"ab", b"", b"c"]),
                alg.hash(b"abc"),
                "{alg:?}"
            );
        }
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            HashAlgorithm::Sha256.hash_parts(&[b"a", b"bc"])[..4],
            [0xBA, 0x78, 0x16, 0xBF]
        );
    }

    #[test]
    fn hash_lengths_match() {
        for alg in ALL {
            assert_eq!(alg.hash(b"abc").len(), alg.digest_len(), "{alg:?}");
        }
    }
}
