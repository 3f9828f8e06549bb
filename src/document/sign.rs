//! Signing a document with the card's 署名用 key: [`CmsSigner`] builds the signed attributes
//! and the DigestInfo the card signs, then assembles the SignedData around the card's
//! signature — sans-IO, like the flows: it takes bytes and gives bytes, and the card
//! commands come from the card model ([`CmsSigner::sign_command`],
//! [`crate::card::KeyRef::verify_command`]). [`sign_cms_with_card`] is the blocking
//! convenience over a [`Card`].

use alloc::vec::Vec;
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::time::Time;
use zeroize::Zeroizing;

use super::DocumentError;
use super::asn1::{
    self, ContentInfo, EncapsulatedContentInfo, EssCertIdV2, IssuerAndSerialNumber, SignedData,
    SignerIdentifier, SignerInfo, SigningCertificateV2,
};
use crate::apdu::Command;
use crate::card::{
    Card, HashAlgorithm, JpkiCertificateKind, JpkiKey, LastTry, SignAddressing, SignInput,
    SignPassword,
};
use crate::pki::{Certificate, UnixTime};
use crate::transport::Transport;

/// Whether the SignedData carries the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encapsulation {
    /// A detached signature (a `.p7s` beside the file; what PDFs embed). The default.
    #[default]
    Detached,
    /// The content inside the SignedData.
    Attached,
}

/// A CMS signature in the making: the signed attributes (contentType id-data, signingTime
/// when given, messageDigest SHA-256 of the content, signingCertificateV2 naming the
/// signer's certificate) are built; the card signs [`CmsSigner::digest_info`];
/// [`CmsSigner::finish`] assembles the SignedData (signer by IssuerAndSerialNumber,
/// `rsaEncryption` as the signature algorithm, the signer's certificate included).
#[derive(Clone)]
pub struct CmsSigner {
    certificate: Certificate,
    signed_attrs: SetOfVec<Attribute>,
    signed_der: Vec<u8>,
    content: Option<Zeroizing<Vec<u8>>>,
}

impl core::fmt::Debug for CmsSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CmsSigner")
            .field("attached", &self.content.is_some())
            .finish_non_exhaustive()
    }
}

impl CmsSigner {
    /// Prepares a signature over `content` by the holder of `certificate_der` (the 署名用
    /// certificate read from the card). `signing_time` is written as the signingTime
    /// attribute when given (a claim of the signer's clock; verifiers treat it as such).
    pub fn new(
        certificate_der: &[u8],
        content: &[u8],
        encapsulation: Encapsulation,
        signing_time: Option<UnixTime>,
    ) -> Result<Self, DocumentError> {
        let digest = HashAlgorithm::Sha256.hash(content);
        let mut s = Self::for_digest(certificate_der, &digest, signing_time)?;
        if encapsulation == Encapsulation::Attached {
            s.content = Some(Zeroizing::new(content.to_vec()));
        }
        Ok(s)
    }

    /// A detached signature over content whose SHA-256 digest the caller computed (e.g. a
    /// PDF's byte ranges).
    pub fn for_digest(
        certificate_der: &[u8],
        sha256_digest: &[u8],
        signing_time: Option<UnixTime>,
    ) -> Result<Self, DocumentError> {
        let certificate = Certificate::from_der(certificate_der)?;
        let bad = |e| DocumentError::malformed("signed attributes", e);
        let mut attrs = vec![
            attribute(asn1::ID_CONTENT_TYPE, &asn1::ID_DATA).map_err(bad)?,
            attribute(
                asn1::ID_MESSAGE_DIGEST,
                &OctetString::new(sha256_digest).map_err(bad)?,
            )
            .map_err(bad)?,
            attribute(
                asn1::ID_SIGNING_CERTIFICATE_V2,
                &SigningCertificateV2 {
                    certs: vec![EssCertIdV2 {
                        hash_algorithm: None,
                        cert_hash: OctetString::new(HashAlgorithm::Sha256.hash(certificate_der))
                            .map_err(bad)?,
                        issuer_serial: None,
                    }],
                    policies: None,
                },
            )
            .map_err(bad)?,
        ];
        if let Some(t) = signing_time {
            let dt =
                der::DateTime::from_unix_duration(core::time::Duration::from_secs(t.as_secs()))
                    .map_err(bad)?;
            let time = Time::from(dt);
            attrs.push(attribute(asn1::ID_SIGNING_TIME, &time).map_err(bad)?);
        }
        let signed_attrs = SetOfVec::try_from(attrs).map_err(bad)?;
        let signed_der = signed_attrs.to_der().map_err(bad)?;
        Ok(Self {
            certificate,
            signed_attrs,
            signed_der,
            content: None,
        })
    }

    /// The DER of the signed attributes (a SET): what the signature covers.
    pub fn signed_attributes_der(&self) -> &[u8] {
        &self.signed_der
    }

    /// The DER `DigestInfo` (SHA-256 of the signed attributes) the card's 署名用 key signs.
    pub fn digest_info(&self) -> Vec<u8> {
        // A message has no length to get wrong: the DigestInfo always builds.
        SignInput::Message(&self.signed_der)
            .digest_info(HashAlgorithm::Sha256)
            .unwrap_or_default()
    }

    /// COMPUTE DIGITAL SIGNATURE of [`CmsSigner::digest_info`] with the 署名用 key, for a
    /// caller that drives the card itself (after `VERIFY` of the sign password:
    /// [`crate::card::KeyRef::JpkiSignPassword`]`.verify_command(…)`; with
    /// [`SignAddressing::SelectThenCurrent`], after `SELECT` of the key EF).
    pub fn sign_command(&self, addressing: SignAddressing) -> Command {
        crate::card::jpki::sign_command(JpkiKey::Sign, &self.digest_info(), addressing)
    }

    /// Assembles the DER `ContentInfo` / `SignedData` around the card's signature.
    pub fn finish(self, signature: &[u8]) -> Result<Vec<u8>, DocumentError> {
        let bad = |e| DocumentError::malformed("SignedData", e);
        let cert_der = self.certificate.der();
        let sha256 = AlgorithmIdentifierOwned {
            oid: asn1::ID_SHA256,
            parameters: None,
        };
        let signer = SignerInfo {
            version: 1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: Any::from_der(self.certificate.issuer_der()).map_err(bad)?,
                serial_number: der::asn1::Int::new(&serial_integer(self.certificate.serial()))
                    .map_err(bad)?,
            }),
            digest_algorithm: sha256.clone(),
            signed_attrs: Some(self.signed_attrs),
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: asn1::RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            signature: OctetString::new(signature).map_err(bad)?,
            unsigned_attrs: None,
        };
        let signed_data = SignedData {
            version: 1,
            digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(bad)?,
            encap_content_info: EncapsulatedContentInfo {
                e_content_type: asn1::ID_DATA,
                e_content: match &self.content {
                    Some(c) => Some(OctetString::new(c.as_slice()).map_err(bad)?),
                    None => None,
                },
            },
            certificates: Some(vec![Any::from_der(cert_der).map_err(bad)?]),
            crls: None,
            signer_infos: SetOfVec::try_from(vec![Any::encode_from(&signer).map_err(bad)?])
                .map_err(bad)?,
        };
        ContentInfo {
            content_type: asn1::ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(bad)?,
        }
        .to_der()
        .map_err(bad)
    }
}

fn attribute<T: Encode>(oid: ObjectIdentifier, value: &T) -> der::Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![Any::from_der(&value.to_der()?)?])?,
    })
}

/// A serial's magnitude as a positive INTEGER's content (a 0x00 in front of a high bit).
fn serial_integer(magnitude: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(magnitude.len() + 1);
    if magnitude.first().is_some_and(|b| b & 0x80 != 0) {
        v.push(0);
    }
    v.extend_from_slice(magnitude);
    v
}

/// Signs `content` with the card's 署名用 key, blocking: VERIFY of the sign password (6–16
/// characters, through the lockout guard: with [`LastTry::Refuse`] the last try is never
/// spent), READ of the 署名用 certificate, COMPUTE DIGITAL SIGNATURE of the signed
/// attributes' DigestInfo; returns the DER ContentInfo.
///
/// ```
/// # #[cfg(feature = "virtual-card")] {
/// use mynacard::card::{Card, LastTry, SignPassword};
/// use mynacard::document::{self, Encapsulation};
/// use mynacard::VirtualCard;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut card = Card::new(VirtualCard::test_holder("yamada")?);
/// let password = SignPassword::new("YAMADA2024")?;
/// let cms = document::sign_cms_with_card(
///     &mut card,
///     &password,
///     b"contract text",
///     Encapsulation::Detached,
///     Some(mynacard::pki::test_pki::REFERENCE_TIME),
///     LastTry::Refuse,
/// )?;
/// assert_eq!(cms[0], 0x30);
/// # Ok(()) }
/// # main().unwrap();
/// # }
/// ```
pub fn sign_cms_with_card<T: Transport>(
    card: &mut Card<T>,
    password: &SignPassword,
    content: &[u8],
    encapsulation: Encapsulation,
    signing_time: Option<UnixTime>,
    last_try: LastTry,
) -> Result<Vec<u8>, DocumentError> {
    let certificate = unlock_sign_key(card, password, last_try)?;
    let signer = CmsSigner::new(&certificate, content, encapsulation, signing_time)?;
    sign_prepared(card, signer)
}

/// VERIFY of the sign password, then READ of the 署名用 certificate.
pub(crate) fn unlock_sign_key<T: Transport>(
    card: &mut Card<T>,
    password: &SignPassword,
    last_try: LastTry,
) -> Result<Zeroizing<Vec<u8>>, DocumentError> {
    card.verify_sign_password(password, last_try)?;
    let cert = card.read_certificate(JpkiCertificateKind::Sign)?;
    Ok(Zeroizing::new(cert.der().to_vec()))
}

/// The card signs the signer's DigestInfo; the SignedData is assembled.
pub(crate) fn sign_prepared<T: Transport>(
    card: &mut Card<T>,
    signer: CmsSigner,
) -> Result<Vec<u8>, DocumentError> {
    let signature = card.sign(
        JpkiKey::Sign,
        HashAlgorithm::Sha256,
        SignInput::Message(signer.signed_attributes_der()),
    )?;
    signer.finish(&signature)
}
