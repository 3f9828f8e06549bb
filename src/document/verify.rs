//! Verifying a CMS SignedData made with a 署名用 key: [`verify_cms`].

use alloc::borrow::ToOwned;
use alloc::vec::Vec;
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::time::Time;
use zeroize::Zeroizing;

use super::asn1::{
    self, ContentInfo, SignedData, SignerIdentifier, SignerInfo, SigningCertificateV2,
};
use super::{CheckTime, DocumentError, SignedDocument};
use crate::pki::{
    Certificate, HashAlgorithm, PkiError, Purpose, RevocationRequirement, RevocationSource,
    RevocationStatus, StalenessPolicy, TrustStore, UnixTime,
};

/// Bounds on what one CMS verification reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CmsLimits {
    /// Bytes of the CMS (attached content included).
    pub max_bytes: usize,
    /// Certificates in the SignedData (each is parsed until the signer's is found).
    pub max_certificates: usize,
    /// Signed attributes.
    pub max_attributes: usize,
}

impl Default for CmsLimits {
    /// 64 MiB, 16 certificates, 32 signed attributes.
    fn default() -> Self {
        Self {
            max_bytes: 64 << 20,
            max_certificates: 16,
            max_attributes: 32,
        }
    }
}

/// What a verifier of documents accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CmsVerifyOptions {
    /// The time the certificate's validity is checked at.
    pub check_at: CheckTime,
    /// Whether a revocation answer is required.
    pub revocation: RevocationRequirement,
    /// What to do with a stale CRL or OCSP response.
    pub staleness: StalenessPolicy,
    /// Input bounds.
    pub limits: CmsLimits,
}

impl CmsVerifyOptions {
    /// The certificate valid at the verification time, revocation required, stale
    /// revocation data rejected, default limits.
    pub const fn strict() -> Self {
        Self {
            check_at: CheckTime::VerificationTime,
            revocation: RevocationRequirement::Required,
            staleness: StalenessPolicy::Reject,
            limits: CmsLimits {
                max_bytes: 64 << 20,
                max_certificates: 16,
                max_attributes: 32,
            },
        }
    }

    /// With the certificate checked at this time.
    pub const fn with_check_at(mut self, check_at: CheckTime) -> Self {
        self.check_at = check_at;
        self
    }

    /// With this staleness policy.
    pub const fn with_staleness(mut self, staleness: StalenessPolicy) -> Self {
        self.staleness = staleness;
        self
    }

    /// With this revocation requirement.
    pub const fn with_revocation(mut self, revocation: RevocationRequirement) -> Self {
        self.revocation = revocation;
        self
    }
}

impl Default for CmsVerifyOptions {
    fn default() -> Self {
        Self::strict()
    }
}

/// Where the signed content is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content<'a> {
    /// Inside the SignedData (`eContent`).
    Attached,
    /// Given by the caller (a detached signature, e.g. a `.p7s` beside the file).
    Detached(&'a [u8]),
}

/// Verifies a CMS `SignedData` (DER, attached or detached content) made with a JPKI 署名用
/// key, and returns who signed it:
///
/// 1. exactly one SignerInfo, with signed attributes holding one contentType (equal to the
///    encapsulated content type) and one messageDigest (equal to the content's digest);
/// 2. digest SHA-256/384/512 (SHA-1 refused); signature algorithm `rsaEncryption` (what
///    jpki/myna writes) or `shaNNNWithRSAEncryption` naming the same hash;
/// 3. the signer's certificate, found in the SignedData by IssuerAndSerialNumber or
///    SubjectKeyIdentifier, valid under `trust` for signatures (key usage digitalSignature +
///    nonRepudiation, 署名用 policy and root) at the time [`CmsVerifyOptions::check_at`]
///    chooses; a signingCertificateV2 attribute, when present, must name it;
/// 4. its key's signature over the DER encoding of the signed attributes (a SET, RFC 5652
///    §5.4: an attacker re-ordering them changes nothing, a signer who signed another order
///    is refused);
/// 5. `revocation` at `now`: revoked is refused; not checked is refused unless
///    [`RevocationRequirement::BestEffort`].
///
/// ```
/// # #[cfg(feature = "virtual-card")] {
/// use mynacard::document::{self, CmsVerifyOptions, Content};
/// use mynacard::pki::{CrlIndex, CrlLimits, TrustStore, test_pki};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let trust = TrustStore::test_only_mynacard_test_pki()?; // production: TrustStore::jlis()?
/// let crl = include_bytes!("../../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der");
/// let revocation = CrlIndex::from_der(crl, &trust, CrlLimits::default())?;
/// # let mut card = mynacard::Card::new(mynacard::VirtualCard::test_holder("yamada")?);
/// # let cms = document::sign_cms_with_card(&mut card, &mynacard::card::SignPassword::new("YAMADA2024")?,
/// #     b"contract text", document::Encapsulation::Detached, None, mynacard::card::LastTry::Refuse)?;
/// let signed = document::verify_cms(
///     &cms, // e.g. read from a .p7s file
///     Content::Detached(b"contract text"),
///     &trust,
///     &revocation,
///     &CmsVerifyOptions::strict(),
///     test_pki::REFERENCE_TIME, // production: UnixTime::now()
/// )?;
/// assert_eq!(signed.holder().name(), "山田　太郎");
/// # Ok(()) }
/// # main().unwrap();
/// # }
/// ```
pub fn verify_cms(
    cms: &[u8],
    content: Content<'_>,
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    options: &CmsVerifyOptions,
    now: UnixTime,
) -> Result<SignedDocument, DocumentError> {
    crate::trace::decision(
        "document.cms",
        |_| "verified",
        DocumentError::code,
        || match content {
            Content::Attached => verify_cms_parts(cms, None, trust, revocation, options, now),
            Content::Detached(c) => {
                verify_cms_parts(cms, Some(&[c]), trust, revocation, options, now)
            }
        },
    )
}

/// [`verify_cms`] over detached content given in parts (a PDF's ByteRange), hashed in order
/// without being copied.
pub(crate) fn verify_cms_parts(
    cms: &[u8],
    detached: Option<&[&[u8]]>,
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    options: &CmsVerifyOptions,
    now: UnixTime,
) -> Result<SignedDocument, DocumentError> {
    let parsed = ParsedCms::parse(cms, &options.limits)?;
    let attrs = SignedAttributes::read(&parsed.signer, &options.limits)?;
    let digest = digest_algorithm(&parsed.signer.digest_algorithm)?;
    check_signature_algorithm(&parsed.signer.signature_algorithm, digest)?;

    let (parts, attached): (&[&[u8]], Option<&[u8]>) =
        match (&parsed.signed_data.encap_content_info.e_content, detached) {
            (Some(_), Some(_)) => return Err(DocumentError::ContentGivenTwice),
            (None, None) => return Err(DocumentError::ContentMissing),
            (None, Some(parts)) => (parts, None),
            (Some(c), None) => (&[], Some(c.as_bytes())),
        };
    if attrs.content_type != parsed.signed_data.encap_content_info.e_content_type {
        return Err(DocumentError::ContentTypeMismatch);
    }
    let computed = match attached {
        Some(c) => digest.hash(c),
        None => digest.hash_parts(parts),
    };
    if computed.as_slice() != attrs.message_digest.as_bytes() {
        return Err(DocumentError::MessageDigestMismatch);
    }

    let cert = parsed.signer_certificate(&options.limits)?;
    let (check_at, checked_time) = match options.check_at {
        CheckTime::SigningTime => (
            CheckTime::SigningTime,
            attrs.signing_time.ok_or(DocumentError::NoSigningTime)?,
        ),
        CheckTime::VerificationTime => (CheckTime::VerificationTime, now),
    };
    let verified = trust.verify_certificate(cert.der(), Purpose::Signature, checked_time)?;
    if let Some(essv2) = &attrs.signing_certificate {
        check_signing_certificate(essv2, cert.der())?;
    }
    let signed_der = attrs.der()?;
    verified
        .verify_message(digest, &signed_der, parsed.signer.signature.as_bytes())
        .map_err(|e| match e {
            PkiError::ChallengeSignatureInvalid => DocumentError::SignatureInvalid,
            other => DocumentError::Certificate(other),
        })?;

    let status = revocation.status(&verified, now, options.staleness)?;
    match &status {
        RevocationStatus::Revoked { reason, date, .. } => {
            return Err(PkiError::Revoked {
                reason: *reason,
                date: *date,
            }
            .into());
        }
        RevocationStatus::NotChecked { reason }
            if options.revocation == RevocationRequirement::Required =>
        {
            return Err(PkiError::RevocationNotChecked {
                reason: reason.as_str(),
            }
            .into());
        }
        _ => {}
    }
    Ok(SignedDocument {
        attributes: verified.holder_attributes()?,
        kind: verified.kind().clone(),
        anchor: verified.anchor().to_owned(),
        certificate: cert,
        revocation: status,
        checked_at: check_at,
        checked_time,
        signing_time: attrs.signing_time,
        digest,
        content: attached.map(|c| Zeroizing::new(c.to_vec())),
    })
}

/// Steps 1–2 of [`verify_cms`] only (for fuzzing).
pub(crate) fn parse_unverified(cms: &[u8]) -> Result<(), DocumentError> {
    let limits = CmsLimits::default();
    let parsed = ParsedCms::parse(cms, &limits)?;
    SignedAttributes::read(&parsed.signer, &limits)?.der()?;
    digest_algorithm(&parsed.signer.digest_algorithm)?;
    Ok(())
}

/// The decoded SignedData and its one SignerInfo.
struct ParsedCms {
    signed_data: SignedData,
    signer: SignerInfo,
}

impl ParsedCms {
    fn parse(cms: &[u8], limits: &CmsLimits) -> Result<Self, DocumentError> {
        if cms.len() > limits.max_bytes {
            return Err(DocumentError::TooLarge {
                what: "CMS bytes",
                limit: limits.max_bytes,
            });
        }
        let info =
            ContentInfo::from_der(cms).map_err(|e| DocumentError::malformed("ContentInfo", e))?;
        if info.content_type != asn1::ID_SIGNED_DATA {
            return Err(DocumentError::NotSignedData {
                oid: info.content_type,
            });
        }
        let signed_data: SignedData = info
            .content
            .decode_as()
            .map_err(|e| DocumentError::malformed("SignedData", e))?;
        let count = signed_data.signer_infos.len();
        let Some(only) = signed_data
            .signer_infos
            .iter()
            .next()
            .filter(|_| count == 1)
        else {
            return Err(DocumentError::SignerCount { found: count });
        };
        let signer: SignerInfo = only
            .decode_as()
            .map_err(|e| DocumentError::malformed("SignerInfo", e))?;
        let certs = signed_data.certificates.as_ref().map_or(0, Vec::len);
        if certs > limits.max_certificates {
            return Err(DocumentError::TooLarge {
                what: "certificates",
                limit: limits.max_certificates,
            });
        }
        Ok(Self {
            signed_data,
            signer,
        })
    }

    /// The certificate the signer identifier names (others are skipped, parsed or not).
    fn signer_certificate(&self, limits: &CmsLimits) -> Result<Certificate, DocumentError> {
        let certs = self.signed_data.certificates.as_deref().unwrap_or_default();
        for any in certs.iter().take(limits.max_certificates) {
            if any.tag() != der::Tag::Sequence {
                continue; // other CertificateChoices (attribute certificates…)
            }
            let Ok(der) = any.to_der() else { continue };
            let Ok(cert) = Certificate::from_der(&der) else {
                continue;
            };
            let matches = match &self.signer.sid {
                SignerIdentifier::IssuerAndSerialNumber(ias) => {
                    ias.issuer.to_der().ok().as_deref() == Some(cert.issuer_der())
                        && magnitude(ias.serial_number.as_bytes()) == cert.serial()
                }
                SignerIdentifier::SubjectKeyIdentifier(ski) => {
                    cert.subject_key_id() == Some(ski.as_bytes())
                }
            };
            if matches {
                return Ok(cert);
            }
        }
        Err(DocumentError::SignerCertificateNotFound)
    }
}

use der::Tagged as _;

/// An INTEGER's big-endian magnitude (without the sign byte).
fn magnitude(b: &[u8]) -> &[u8] {
    match b {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => b,
    }
}

/// The signed attributes this module reads.
struct SignedAttributes {
    set: SetOfVec<Attribute>,
    content_type: ObjectIdentifier,
    message_digest: OctetString,
    signing_time: Option<UnixTime>,
    signing_certificate: Option<SigningCertificateV2>,
}

impl SignedAttributes {
    fn read(signer: &SignerInfo, limits: &CmsLimits) -> Result<Self, DocumentError> {
        let set = signer
            .signed_attrs
            .clone()
            .ok_or(DocumentError::NoSignedAttributes)?;
        if set.len() > limits.max_attributes {
            return Err(DocumentError::TooLarge {
                what: "signed attributes",
                limit: limits.max_attributes,
            });
        }
        // The set is in DER order: a repeated type sits next to itself.
        if set
            .as_slice()
            .windows(2)
            .any(|w| matches!(w, [a, b] if a.oid == b.oid))
        {
            let name = set
                .as_slice()
                .windows(2)
                .find_map(|w| match w {
                    [a, b] if a.oid == b.oid => Some(attribute_name(a.oid)),
                    _ => None,
                })
                .unwrap_or("attribute");
            return Err(DocumentError::AttributeNotSingle { name });
        }
        let content_type: ObjectIdentifier =
            single(&set, asn1::ID_CONTENT_TYPE)?.ok_or(DocumentError::MissingAttribute {
                name: "contentType",
            })?;
        let message_digest: OctetString =
            single(&set, asn1::ID_MESSAGE_DIGEST)?.ok_or(DocumentError::MissingAttribute {
                name: "messageDigest",
            })?;
        let signing_time = single::<Time>(&set, asn1::ID_SIGNING_TIME)?.map(UnixTime::from);
        let signing_certificate = single(&set, asn1::ID_SIGNING_CERTIFICATE_V2)?;
        Ok(Self {
            set,
            content_type,
            message_digest,
            signing_time,
            signing_certificate,
        })
    }

    /// The DER the signature covers: the SET OF, with its universal tag (RFC 5652 §5.4).
    fn der(&self) -> Result<Vec<u8>, DocumentError> {
        self.set
            .to_der()
            .map_err(|e| DocumentError::malformed("signed attributes", e))
    }
}

fn attribute_name(oid: ObjectIdentifier) -> &'static str {
    match oid {
        asn1::ID_CONTENT_TYPE => "contentType",
        asn1::ID_MESSAGE_DIGEST => "messageDigest",
        asn1::ID_SIGNING_TIME => "signingTime",
        asn1::ID_SIGNING_CERTIFICATE_V2 => "signingCertificateV2",
        _ => "attribute",
    }
}

/// The one value of the attribute `oid`, decoded, if the attribute is present.
fn single<T: der::DecodeOwned>(
    set: &SetOfVec<Attribute>,
    oid: ObjectIdentifier,
) -> Result<Option<T>, DocumentError> {
    let name = attribute_name(oid);
    let Some(attr) = set.iter().find(|a| a.oid == oid) else {
        return Ok(None);
    };
    let mut values = attr.values.iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(DocumentError::AttributeNotSingle { name });
    };
    value
        .to_der()
        .ok()
        .and_then(|d| T::from_der(&d).ok())
        .map(Some)
        .ok_or(DocumentError::BadAttribute { name })
}

fn digest_algorithm(alg: &AlgorithmIdentifierOwned) -> Result<HashAlgorithm, DocumentError> {
    if alg.parameters.as_ref().is_some_and(|p| !p.is_null()) {
        return Err(DocumentError::UnsupportedDigestAlgorithm { oid: alg.oid });
    }
    match alg.oid {
        asn1::ID_SHA256 => Ok(HashAlgorithm::Sha256),
        asn1::ID_SHA384 => Ok(HashAlgorithm::Sha384),
        asn1::ID_SHA512 => Ok(HashAlgorithm::Sha512),
        asn1::ID_SHA1 => Err(DocumentError::Sha1Refused),
        oid => Err(DocumentError::UnsupportedDigestAlgorithm { oid }),
    }
}

fn check_signature_algorithm(
    alg: &AlgorithmIdentifierOwned,
    digest: HashAlgorithm,
) -> Result<(), DocumentError> {
    let named = match alg.oid {
        asn1::RSA_ENCRYPTION => return Ok(()),
        asn1::SHA256_WITH_RSA => HashAlgorithm::Sha256,
        asn1::SHA384_WITH_RSA => HashAlgorithm::Sha384,
        asn1::SHA512_WITH_RSA => HashAlgorithm::Sha512,
        asn1::SHA1_WITH_RSA => return Err(DocumentError::Sha1Refused),
        oid => return Err(DocumentError::UnsupportedSignatureAlgorithm { oid }),
    };
    if named == digest {
        Ok(())
    } else {
        Err(DocumentError::AlgorithmMismatch)
    }
}

fn check_signing_certificate(
    essv2: &SigningCertificateV2,
    cert_der: &[u8],
) -> Result<(), DocumentError> {
    let first = essv2
        .certs
        .first()
        .ok_or(DocumentError::SigningCertificateMismatch)?;
    let hash = match &first.hash_algorithm {
        None => HashAlgorithm::Sha256,
        Some(a) => digest_algorithm(a)?,
    };
    if hash.hash(cert_der).as_slice() == first.cert_hash.as_bytes() {
        Ok(())
    } else {
        Err(DocumentError::SigningCertificateMismatch)
    }
}
