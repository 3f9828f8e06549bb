//! The RFC 5652 structures this module needs, declared with der's derive macros on the
//! der 0.8 generation (RustCrypto's `cms` crate is a release candidate on this generation;
//! see the module docs of [`super`] for why it is not a dependency). As for OCSP, no DER is
//! walked by hand here: certificates stay as the elements read, for
//! [`crate::pki::Certificate::from_der`].

use der::asn1::{Any, Int, ObjectIdentifier, OctetString, SetOfVec};
use der::{Choice, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;

/// id-signedData.
pub(crate) const ID_SIGNED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-data.
pub(crate) const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
/// id-contentType (signed attribute).
pub(crate) const ID_CONTENT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest (signed attribute).
pub(crate) const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-signingTime (signed attribute).
pub(crate) const ID_SIGNING_TIME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
/// id-aa-signingCertificateV2 (RFC 5035, ESS; required by CAdES).
pub(crate) const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// rsaEncryption (what jpki/myna writes as the signature algorithm).
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// sha1WithRSAEncryption (refused).
pub(crate) const SHA1_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
/// sha256WithRSAEncryption.
pub(crate) const SHA256_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption.
pub(crate) const SHA384_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
/// sha512WithRSAEncryption.
pub(crate) const SHA512_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
/// id-sha1 (refused).
pub(crate) const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
/// id-sha256.
pub(crate) const ID_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// id-sha384.
pub(crate) const ID_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
/// id-sha512.
pub(crate) const ID_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// `ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT ANY }`
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct ContentInfo {
    pub(crate) content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub(crate) content: Any,
}

/// `SignedData` (§5.1). Certificates and CRLs stay as the elements read.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SignedData {
    pub(crate) version: u8,
    pub(crate) digest_algorithms: SetOfVec<AlgorithmIdentifierOwned>,
    pub(crate) encap_content_info: EncapsulatedContentInfo,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub(crate) certificates: Option<Vec<Any>>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub(crate) crls: Option<Vec<Any>>,
    pub(crate) signer_infos: SetOfVec<Any>,
}

/// `EncapsulatedContentInfo ::= SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING
/// OPTIONAL }` (absent: a detached signature).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EncapsulatedContentInfo {
    pub(crate) e_content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) e_content: Option<OctetString>,
}

/// `SignerInfo` (§5.3). `signedAttrs` decode as a SET OF (der sorts it into DER order), so
/// their DER re-encoding is what the signature covers (§5.4).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SignerInfo {
    pub(crate) version: u8,
    pub(crate) sid: SignerIdentifier,
    pub(crate) digest_algorithm: AlgorithmIdentifierOwned,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub(crate) signed_attrs: Option<SetOfVec<Attribute>>,
    pub(crate) signature_algorithm: AlgorithmIdentifierOwned,
    pub(crate) signature: OctetString,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub(crate) unsigned_attrs: Option<SetOfVec<Attribute>>,
}

/// `SignerIdentifier ::= CHOICE { issuerAndSerialNumber, subjectKeyIdentifier [0] }`
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
pub(crate) enum SignerIdentifier {
    IssuerAndSerialNumber(IssuerAndSerialNumber),
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    SubjectKeyIdentifier(OctetString),
}

/// `IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber }`; the name stays as
/// read, to compare with the certificate's issuer bytes.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct IssuerAndSerialNumber {
    pub(crate) issuer: Any,
    pub(crate) serial_number: Int,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }`
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub(crate) hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub(crate) cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub(crate) issuer_serial: Option<Any>,
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }`
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub(crate) certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub(crate) policies: Option<Any>,
}
