//! Signature and hash algorithms of JPKI certificates, CRLs and card signatures.

use der::asn1::ObjectIdentifier;
use sha2::Digest;

/// A hash function a JPKI signature may use (the card pads whatever DigestInfo it is given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1 (legacy tools still build SHA-1 DigestInfos).
    Sha1,
    /// SHA-256, the JPKI default.
    Sha256,
    /// SHA-384 (announced with ECDSA P-384 for the next card generation).
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// Length of the digest in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// The digest of `message`.
    pub fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            HashAlgorithm::Sha1 => sha1::Sha1::digest(message).to_vec(),
            HashAlgorithm::Sha256 => sha2::Sha256::digest(message).to_vec(),
            HashAlgorithm::Sha384 => sha2::Sha384::digest(message).to_vec(),
            HashAlgorithm::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }
}

/// A signature algorithm, as named by a certificate or CRL, or chosen by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the given hash (JPKI today: SHA-256).
    RsaPkcs1(HashAlgorithm),
    /// ECDSA over P-384 with SHA-384 (announced for the next card generation; no backend
    /// implements it yet, the variant keeps room for it).
    EcdsaP384Sha384,
}

const SHA1_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

impl SignatureAlgorithm {
    /// The algorithm an X.509 AlgorithmIdentifier OID names, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            SHA1_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha1),
            SHA256_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
            SHA384_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha384),
            SHA512_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha512),
            ECDSA_WITH_SHA384 => SignatureAlgorithm::EcdsaP384Sha384,
            _ => return None,
        })
    }

    /// The hash this algorithm applies to the message.
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            SignatureAlgorithm::RsaPkcs1(h) => h,
            SignatureAlgorithm::EcdsaP384Sha384 => HashAlgorithm::Sha384,
        }
    }

    /// Whether the AlgorithmIdentifier must carry NULL parameters (RSA) rather than none (ECDSA).
    pub(crate) const fn null_parameters(self) -> bool {
        matches!(self, SignatureAlgorithm::RsaPkcs1(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_jpki_oids_and_rejects_others() {
        assert_eq!(
            SignatureAlgorithm::from_oid(&SHA256_WITH_RSA),
            Some(SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256))
        );
        assert_eq!(
            SignatureAlgorithm::from_oid(&ECDSA_WITH_SHA384).map(|a| a.hash()),
            Some(HashAlgorithm::Sha384)
        );
        let md5_rsa = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.4");
        assert_eq!(SignatureAlgorithm::from_oid(&md5_rsa), None);
        assert_eq!(
            HashAlgorithm::Sha384.digest(b"abc").len(),
            HashAlgorithm::Sha384.output_len()
        );
    }
}
