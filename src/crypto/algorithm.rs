//! Signature and hash algorithms of JPKI certificates, CRLs and card signatures.
//!
//! **SHA-1 is refused** for the signature of a certificate or a CRL
//! ([`PkiError::Sha1Refused`](crate::pki::PkiError::Sha1Refused)): every J-LIS root and certificate since 2014 is signed with
//! SHA-256. [`HashAlgorithm::Sha1`] remains only for the holder's own signature input — the card
//! signs whatever DigestInfo the host builds, and a relying party verifying a holder's legacy
//! SHA-1 signature over a document or challenge chooses that hash explicitly
//! ([`VerifiedCertificate::verify_message`](crate::pki::VerifiedCertificate::verify_message),
//! [`SignedPayload`](crate::pki::SignedPayload)).

pub use super::digest::HashAlgorithm;
use der::asn1::ObjectIdentifier;

/// A signature algorithm, as named by a certificate or CRL, or chosen by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the given hash (JPKI today: SHA-256).
    RsaPkcs1(HashAlgorithm),
    /// ECDSA with SHA-256 (X.509 `ecdsa-with-SHA256`, COSE `ES256`): mdoc issuers and readers
    /// sign with P-256. The hash is this variant's; the curve is the key's (the X.509 OID does
    /// not name a curve), so a P-384 key verifies an `ecdsa-with-SHA256` signature too.
    EcdsaP256Sha256,
    /// ECDSA with SHA-384 (X.509 `ecdsa-with-SHA384`, COSE `ES384`): announced for the next
    /// card generation (P-384). As with [`SignatureAlgorithm::EcdsaP256Sha256`], the curve is
    /// the key's.
    EcdsaP384Sha384,
}

const SHA1_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

impl SignatureAlgorithm {
    /// The algorithm an X.509 AlgorithmIdentifier OID names, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            SHA1_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha1),
            SHA256_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
            SHA384_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha384),
            SHA512_WITH_RSA => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha512),
            ECDSA_WITH_SHA256 => SignatureAlgorithm::EcdsaP256Sha256,
            ECDSA_WITH_SHA384 => SignatureAlgorithm::EcdsaP384Sha384,
            _ => return None,
        })
    }

    /// The hash this algorithm applies to the message.
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            SignatureAlgorithm::RsaPkcs1(h) => h,
            SignatureAlgorithm::EcdsaP256Sha256 => HashAlgorithm::Sha256,
            SignatureAlgorithm::EcdsaP384Sha384 => HashAlgorithm::Sha384,
        }
    }

    /// Whether this is an ECDSA algorithm (signatures DER `Ecdsa-Sig-Value` in X.509, fixed
    /// `r ‖ s` in COSE).
    pub const fn is_ecdsa(self) -> bool {
        matches!(
            self,
            SignatureAlgorithm::EcdsaP256Sha256 | SignatureAlgorithm::EcdsaP384Sha384
        )
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
        assert_eq!(
            SignatureAlgorithm::from_oid(&ECDSA_WITH_SHA256),
            Some(SignatureAlgorithm::EcdsaP256Sha256)
        );
        let md5_rsa = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.4");
        assert_eq!(SignatureAlgorithm::from_oid(&md5_rsa), None);
    }
}
