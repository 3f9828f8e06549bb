//! A JPKI certificate parsed from DER (not yet verified: personal attributes are only
//! reachable from a [`super::VerifiedCertificate`]).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::ops::Range;

use once_cell::race::OnceBox;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Reader, SliceReader, Tag};
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints,
    ExtendedKeyUsage, KeyUsage, KeyUsages,
};
use x509_cert::name::Name;
use x509_cert::time::Time;

use super::{PkiError, SignatureAlgorithm, UnixTime};

pub(crate) const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
pub(crate) const OID_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_IAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.18");
const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_CRL_DP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
const OID_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_AIA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");

/// More extensions than this is refused (JPKI certificates carry about seven).
const MAX_EXTENSIONS: usize = 32;

/// Extensions whose criticality we can honour (we process them or they carry no constraint we
/// could violate by ignoring them). Any other critical extension fails validation.
const UNDERSTOOD: [ObjectIdentifier; 9] = [
    OID_KEY_USAGE,
    OID_SAN,
    OID_IAN,
    OID_BASIC_CONSTRAINTS,
    OID_CRL_DP,
    OID_POLICIES,
    OID_AKI,
    OID_SKI,
    OID_EKU,
];

/// keyUsage as found: whether critical, and the bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsageExt {
    /// The extension was marked critical.
    pub critical: bool,
    /// digitalSignature.
    pub digital_signature: bool,
    /// nonRepudiation (contentCommitment).
    pub non_repudiation: bool,
    /// keyCertSign.
    pub key_cert_sign: bool,
    /// cRLSign.
    pub crl_sign: bool,
}

/// A parsed, **unverified** JPKI certificate. `Debug` shows neither the subjectAltName (a
/// signature certificate carries the holder's name and address there) nor the subject (whose
/// `L=` names the holder's municipality).
///
/// The parse is zero-copy: the only copy of the certificate is one DER buffer, zeroized on drop,
/// and every field is a byte range into it (the personal attributes never sit in an unzeroized
/// owned structure). Names are decoded on first use.
#[derive(Clone)]
pub struct Certificate {
    der: zeroize::Zeroizing<Vec<u8>>,
    tbs: Range<usize>,
    signature: Range<usize>,
    serial: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    not_before: UnixTime,
    not_after: UnixTime,
    extensions: Vec<(ObjectIdentifier, Range<usize>)>,
    algorithm: SignatureAlgorithm,
    key_usage: Option<KeyUsageExt>,
    is_ca: Option<bool>,
    policies: Vec<ObjectIdentifier>,
    aki: Option<Range<usize>>,
    ski: Option<Range<usize>>,
    unknown_critical: Option<ObjectIdentifier>,
    eku: Option<ExtendedKeyUsageExt>,
    issuer_name: OnceBox<Name>,
    subject_name: OnceBox<Name>,
}

/// extendedKeyUsage as found: whether critical, and the purposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendedKeyUsageExt {
    /// The extension was marked critical.
    pub critical: bool,
    /// The KeyPurposeId OIDs, in order.
    pub purposes: Vec<ObjectIdentifier>,
}

/// id-kp-clientAuth: what JPKI user-authentication certificates carry.
pub const EKU_CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");
/// anyExtendedKeyUsage.
pub const EKU_ANY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
const OID_AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");

/// authorityKeyIdentifier as found: key id, and the issuer's name and serial when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityKeyId {
    /// keyIdentifier.
    pub key_id: Option<Vec<u8>>,
    /// authorityCertIssuer's directoryName.
    pub issuer: Option<Name>,
    /// authorityCertSerialNumber (magnitude bytes).
    pub serial: Option<Vec<u8>>,
}

/// One cRLDistributionPoints fullName entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrlDistributionPoint {
    /// A directory name (what J-LIS uses: one per issuing municipality, no URL).
    DirectoryName(Name),
    /// A URI.
    Uri(String),
}

impl Certificate {
    /// Parses a DER certificate: strict DER, X.509 v3, a supported signature algorithm (SHA-1
    /// refused), no duplicate extensions, and well-formed known extensions. Trust, validity and
    /// profile are checked later by [`super::TrustStore::verify_certificate`].
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        let der = zeroize::Zeroizing::new(der.to_vec());
        let p = parse(&der)?;
        let algorithm = parse_algorithm_parts(p.algorithm.0, p.algorithm.1, "certificate")?;
        let mut c = Certificate {
            tbs: p.tbs,
            signature: p.signature,
            serial: p.serial,
            issuer: p.issuer,
            subject: p.subject,
            spki: p.spki,
            not_before: p.not_before,
            not_after: p.not_after,
            extensions: Vec::new(),
            algorithm,
            key_usage: None,
            is_ca: None,
            policies: Vec::new(),
            aki: None,
            ski: None,
            unknown_critical: None,
            eku: None,
            issuer_name: OnceBox::new(),
            subject_name: OnceBox::new(),
            der,
        };
        if let Some(exts) = p.extensions {
            c.parse_extensions(exts)?;
        }
        Ok(c)
    }

    fn bytes(&self, r: &Range<usize>) -> &[u8] {
        self.der.get(r.clone()).unwrap_or_default()
    }

    fn parse_extensions(&mut self, range: Range<usize>) -> Result<(), PkiError> {
        let der = core::mem::take(&mut self.der);
        let r = self.read_extensions(&der, range);
        self.der = der;
        r
    }

    fn read_extensions(&mut self, der: &[u8], range: Range<usize>) -> Result<(), PkiError> {
        let bad_at = |at: usize, e: der::Error| PkiError::Malformed {
            what: "certificate extension",
            at: Some(at.saturating_add(pos_of(&e))),
            detail: e.kind().to_string(),
        };
        let body = der.get(range.clone()).unwrap_or_default();
        let mut r = SliceReader::new(body).map_err(|e| bad_at(range.start, e))?;
        while !r.is_finished() {
            if self.extensions.len() >= MAX_EXTENSIONS {
                return Err(PkiError::Malformed {
                    what: "certificate",
                    at: Some(range.start),
                    detail: format!("more than {MAX_EXTENSIONS} extensions"),
                });
            }
            let at = range.start + offset(&r);
            let (oid, critical, value) = r
                .sequence(|e| {
                    let oid = ObjectIdentifier::decode(e)?;
                    let critical = match Tag::peek(e)? {
                        Tag::Boolean => {
                            let b = bool::decode(e)?;
                            if !b {
                                // DER: a DEFAULT FALSE is never encoded.
                                return Err(der::Tag::Boolean.value_error().into());
                            }
                            true
                        }
                        _ => false,
                    };
                    let hdr = offset(e);
                    let v = <&OctetStringRef>::decode(e)?;
                    let len = v.as_bytes().len();
                    let end = offset(e);
                    Ok::<_, der::Error>((oid, critical, end - len..end.max(hdr)))
                })
                .map_err(|e| bad_at(at, e))?;
            if self.extensions.iter().any(|(o, _)| *o == oid) {
                return Err(PkiError::DuplicateExtension { oid });
            }
            let value = range.start + value.start..range.start + value.end;
            let v = der.get(value.clone()).unwrap_or_default();
            let bad = |err| bad_at(value.start, err);
            match oid {
                OID_KEY_USAGE => {
                    let ku = KeyUsage::from_der(v).map_err(bad)?;
                    self.key_usage = Some(KeyUsageExt {
                        critical,
                        digital_signature: ku.0.contains(KeyUsages::DigitalSignature),
                        non_repudiation: ku.0.contains(KeyUsages::NonRepudiation),
                        key_cert_sign: ku.0.contains(KeyUsages::KeyCertSign),
                        crl_sign: ku.0.contains(KeyUsages::CRLSign),
                    });
                }
                OID_BASIC_CONSTRAINTS => {
                    self.is_ca = Some(BasicConstraints::from_der(v).map_err(bad)?.ca)
                }
                OID_POLICIES => self.policies = policy_oids(v).map_err(bad)?,
                OID_AKI => {
                    self.aki = aki_key_id(v)
                        .map_err(bad)?
                        .map(|r| value.start + r.start..value.start + r.end)
                }
                OID_SKI => {
                    let k = <&OctetStringRef>::from_der(v).map_err(bad)?;
                    let len = k.as_bytes().len();
                    self.ski = Some(value.end - len..value.end);
                }
                OID_EKU => {
                    let eku = ExtendedKeyUsage::from_der(v).map_err(bad)?;
                    self.eku = Some(ExtendedKeyUsageExt {
                        critical,
                        purposes: eku.0,
                    });
                }
                OID_SAN => {
                    // Decoded (by borrowed readers) only from a verified certificate; the
                    // outer structure is checked here.
                    let mut sr = SliceReader::new(v).map_err(bad)?;
                    sr.tlv_bytes().map_err(bad)?;
                    sr.finish().map_err(bad)?;
                }
                other
                    if critical
                        && !UNDERSTOOD.contains(&other)
                        && self.unknown_critical.is_none() =>
                {
                    self.unknown_critical = Some(other);
                }
                // OID_AIA and the rest: informational (decoded on demand).
                _ => {}
            }
            self.extensions.push((oid, value));
        }
        Ok(())
    }

    pub(crate) fn extension_value(&self, oid: ObjectIdentifier) -> Option<&[u8]> {
        self.extensions
            .iter()
            .find(|(o, _)| *o == oid)
            .map(|(_, r)| self.bytes(r))
    }

    /// extendedKeyUsage, if present.
    pub fn extended_key_usage(&self) -> Option<&ExtendedKeyUsageExt> {
        self.eku.as_ref()
    }

    /// The OCSP responder URLs of authorityInfoAccess (JPKI: `http://ocspauthnorm.jpki.go.jp`).
    pub fn ocsp_urls(&self) -> Result<Vec<String>, PkiError> {
        let Some(v) = self.extension_value(OID_AIA) else {
            return Ok(Vec::new());
        };
        let aia = AuthorityInfoAccessSyntax::from_der(v)
            .map_err(|e| PkiError::malformed("authorityInfoAccess", e))?;
        Ok(aia
            .0
            .iter()
            .filter(|ad| ad.access_method == OID_AD_OCSP)
            .filter_map(|ad| match &ad.access_location {
                GeneralName::UniformResourceIdentifier(u) => Some(u.to_string()),
                _ => None,
            })
            .collect())
    }

    /// The cRLDistributionPoints fullName entries, in order.
    pub fn crl_distribution_points(&self) -> Result<Vec<CrlDistributionPoint>, PkiError> {
        let Some(v) = self.extension_value(OID_CRL_DP) else {
            return Ok(Vec::new());
        };
        let dps = CrlDistributionPoints::from_der(v)
            .map_err(|e| PkiError::malformed("cRLDistributionPoints", e))?;
        let mut out = Vec::new();
        for dp in &dps.0 {
            if let Some(DistributionPointName::FullName(names)) = &dp.distribution_point {
                out.extend(names.iter().filter_map(|n| match n {
                    GeneralName::DirectoryName(d) => {
                        Some(CrlDistributionPoint::DirectoryName(d.clone()))
                    }
                    GeneralName::UniformResourceIdentifier(u) => {
                        Some(CrlDistributionPoint::Uri(u.to_string()))
                    }
                    _ => None,
                }));
            }
        }
        Ok(out)
    }

    /// authorityKeyIdentifier in full (key id, issuer name, issuer serial), if present.
    pub fn authority_key_identifier(&self) -> Result<Option<AuthorityKeyId>, PkiError> {
        let Some(v) = self.extension_value(OID_AKI) else {
            return Ok(None);
        };
        let a = AuthorityKeyIdentifier::from_der(v)
            .map_err(|e| PkiError::malformed("authorityKeyIdentifier", e))?;
        let issuer = a
            .authority_cert_issuer
            .iter()
            .flatten()
            .find_map(|n| match n {
                GeneralName::DirectoryName(d) => Some(d.clone()),
                _ => None,
            });
        let serial = a.authority_cert_serial_number.map(|s| {
            let b = s.as_bytes();
            match b {
                [0, rest @ ..] if !rest.is_empty() => rest.to_vec(),
                _ => b.to_vec(),
            }
        });
        Ok(Some(AuthorityKeyId {
            key_id: a.key_identifier.map(|k| k.as_bytes().to_vec()),
            issuer,
            serial,
        }))
    }

    /// The DER this certificate was parsed from.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The original to-be-signed bytes (signatures are checked over these, never a re-encoding).
    pub(crate) fn tbs_der(&self) -> &[u8] {
        self.bytes(&self.tbs)
    }

    /// The issuer's signature value.
    pub(crate) fn signature_bytes(&self) -> &[u8] {
        self.bytes(&self.signature)
    }

    /// The signature algorithm.
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The serial number's big-endian magnitude bytes (no sign byte).
    pub fn serial(&self) -> &[u8] {
        let b = self.bytes(&self.serial);
        match b {
            [0, rest @ ..] if !rest.is_empty() => rest,
            _ => b,
        }
    }

    /// The serial as upper-case hex, e.g. `"0705D990"`.
    pub fn serial_hex(&self) -> String {
        self.serial().iter().map(|b| format!("{b:02X}")).collect()
    }

    /// notBefore.
    pub fn not_before(&self) -> UnixTime {
        self.not_before
    }

    /// notAfter.
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }

    /// The issuer name's DER (compared byte for byte with an anchor's subject).
    pub fn issuer_der(&self) -> &[u8] {
        self.bytes(&self.issuer)
    }

    /// The subject name's DER.
    pub fn subject_der(&self) -> &[u8] {
        self.bytes(&self.subject)
    }

    /// The issuer name (decoded on first use).
    pub fn issuer(&self) -> &Name {
        self.issuer_name
            .get_or_init(|| Box::new(Name::from_der(self.issuer_der()).unwrap_or_default()))
    }

    /// The subject name (for JPKI: country, romanised locality for sign certificates, and a
    /// serial-like CN — never the holder's name). Decoded on first use.
    pub fn subject(&self) -> &Name {
        self.subject_name
            .get_or_init(|| Box::new(Name::from_der(self.subject_der()).unwrap_or_default()))
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Result<&[u8], PkiError> {
        Ok(self.bytes(&self.spki))
    }

    /// The certificatePolicies OIDs, in order.
    pub fn policies(&self) -> &[ObjectIdentifier] {
        &self.policies
    }

    /// keyUsage, if present.
    pub fn key_usage(&self) -> Option<KeyUsageExt> {
        self.key_usage
    }

    /// basicConstraints cA, if the extension is present.
    pub fn is_ca(&self) -> Option<bool> {
        self.is_ca
    }

    /// authorityKeyIdentifier keyIdentifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.aki.as_ref().map(|r| self.bytes(r))
    }

    /// subjectKeyIdentifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.ski.as_ref().map(|r| self.bytes(r))
    }

    /// The first critical extension this library does not understand, if any.
    pub fn unknown_critical_extension(&self) -> Option<ObjectIdentifier> {
        self.unknown_critical
    }

    /// The subjectAltName extension value (crate-internal: personal data).
    pub(crate) fn san_der(&self) -> Option<&[u8]> {
        self.extension_value(OID_SAN)
    }

    /// Whether subject and issuer names are byte-identical (self-issued).
    pub fn is_self_issued(&self) -> bool {
        self.subject_der() == self.issuer_der()
    }
}

impl core::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Certificate")
            .field("serial", &self.serial_hex())
            .field("issuer", &self.issuer().to_string())
            .field("subject", &"<redacted>")
            .field("not_before", &self.not_before())
            .field("not_after", &self.not_after())
            .field("policies", &self.policies)
            .finish_non_exhaustive()
    }
}

/// Maps an AlgorithmIdentifier to a supported algorithm, checking RSA's NULL parameters.
/// SHA-1 is refused for certificate and CRL signatures (`what` names which).
pub(crate) fn parse_algorithm(
    ai: &spki::AlgorithmIdentifierOwned,
    what: &'static str,
) -> Result<SignatureAlgorithm, PkiError> {
    parse_algorithm_parts(ai.oid, ai.parameters.as_ref().map(|p| p.is_null()), what)
}

/// [`parse_algorithm`] on the OID and whether the parameters (if any) are NULL.
fn parse_algorithm_parts(
    oid: ObjectIdentifier,
    params_null: Option<bool>,
    what: &'static str,
) -> Result<SignatureAlgorithm, PkiError> {
    let alg = SignatureAlgorithm::from_oid(&oid)
        .ok_or(PkiError::UnsupportedSignatureAlgorithm { oid })?;
    if alg.hash() == super::HashAlgorithm::Sha1 {
        return Err(PkiError::Sha1Refused { what });
    }
    // RSA: NULL parameters (absent tolerated); ECDSA: absent.
    let params_ok = match params_null {
        None => true,
        Some(null) => alg.null_parameters() && null,
    };
    if params_ok {
        Ok(alg)
    } else {
        Err(PkiError::UnsupportedSignatureAlgorithm { oid })
    }
}

/// Byte ranges of a certificate's parts, from one pass of borrowed readers.
struct Parts {
    tbs: Range<usize>,
    signature: Range<usize>,
    serial: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    not_before: UnixTime,
    not_after: UnixTime,
    /// The body of the Extensions SEQUENCE.
    extensions: Option<Range<usize>>,
    /// Signature algorithm OID and whether its parameters are NULL (None: absent).
    algorithm: (ObjectIdentifier, Option<bool>),
}

fn offset<'a>(r: &impl Reader<'a>) -> usize {
    usize::try_from(r.position()).unwrap_or(usize::MAX)
}

fn pos_of(e: &der::Error) -> usize {
    e.position()
        .and_then(|p| usize::try_from(p).ok())
        .unwrap_or(0)
}

/// The range of the next TLV (whole element) and of its value.
fn element<'a>(r: &mut SliceReader<'a>) -> der::Result<(Range<usize>, Range<usize>)> {
    let start = offset(r);
    let header = der::Header::decode(r)?;
    let body = offset(r);
    r.read_slice(header.length())?;
    let end = offset(r);
    Ok((start..end, body..end))
}

/// Checks a Name's structure (SEQUENCE OF SET OF SEQUENCE { OID, ANY }) without allocating.
fn check_name(der: &[u8]) -> der::Result<()> {
    let mut r = SliceReader::new(der)?;
    r.sequence(|rdns| {
        while !rdns.is_finished() {
            let h = der::Header::decode(rdns)?;
            h.tag().assert_eq(Tag::Set)?;
            rdns.read_nested(h.length(), |set| {
                while !set.is_finished() {
                    set.sequence(|atv| {
                        <ObjectIdentifier>::decode(atv)?;
                        AnyRef::decode(atv)?;
                        Ok::<_, der::Error>(())
                    })?;
                }
                Ok::<_, der::Error>(())
            })?;
        }
        Ok::<_, der::Error>(())
    })?;
    r.finish()
}

fn algorithm_identifier(
    r: &mut SliceReader<'_>,
) -> der::Result<(ObjectIdentifier, Option<bool>, Range<usize>)> {
    let start = offset(r);
    let (oid, params) = r.sequence(|a| {
        let oid = ObjectIdentifier::decode(a)?;
        let params = if a.is_finished() {
            None
        } else {
            Some(AnyRef::decode(a)?.is_null())
        };
        Ok::<_, der::Error>((oid, params))
    })?;
    Ok((oid, params, start..offset(r)))
}

/// One pass over the certificate with borrowed readers: nothing but ranges and small values.
fn parse(der: &[u8]) -> Result<Parts, PkiError> {
    let mal = |e: der::Error| PkiError::malformed("certificate", e);
    let mut r = SliceReader::new(der).map_err(mal)?;
    let parts = r
        .sequence(|outer| {
            let tbs_start = offset(outer);
            let mut p = outer.sequence(|t| {
                let mut version = None;
                if matches!(Tag::peek(t)?, Tag::ContextSpecific { .. }) {
                    let v = t.context_specific::<u8>(der::TagNumber(0), der::TagMode::Explicit)?;
                    version = v;
                }
                let (serial, _) = {
                    let start = offset(t);
                    let s = der::asn1::UintRef::decode(t)?;
                    let end = offset(t);
                    (end - s.as_bytes().len()..end, start)
                };
                let (alg_oid, alg_params, tbs_alg) = algorithm_identifier(t)?;
                let (issuer, _) = element(t)?;
                let (not_before, not_after) = t.sequence(|v| {
                    Ok::<_, der::Error>((
                        UnixTime::from(Time::decode(v)?),
                        UnixTime::from(Time::decode(v)?),
                    ))
                })?;
                let (subject, _) = element(t)?;
                let spki_start = offset(t);
                spki::SubjectPublicKeyInfoRef::decode(t)?;
                let spki = spki_start..offset(t);
                // issuerUniqueID [1], subjectUniqueID [2]: skipped.
                for n in [1u32, 2] {
                    if !t.is_finished()
                        && Tag::peek(t)?
                            == (Tag::ContextSpecific {
                                constructed: false,
                                number: der::TagNumber(n),
                            })
                    {
                        t.tlv_bytes()?;
                    }
                }
                let extensions = if t.is_finished() {
                    None
                } else {
                    let h = der::Header::peek(t)?;
                    if h.tag()
                        != (Tag::ContextSpecific {
                            constructed: true,
                            number: der::TagNumber(3),
                        })
                    {
                        return Err(h.tag().unexpected_error(None).into());
                    }
                    let (_, wrapped) = element(t)?;
                    let inner = der.get(wrapped.clone()).unwrap_or_default();
                    let mut w = SliceReader::new(inner)?;
                    let (_, body) = element(&mut w)?;
                    w.finish()?;
                    Some(wrapped.start + body.start..wrapped.start + body.end)
                };
                Ok::<_, der::Error>(Parts {
                    tbs: 0..0,
                    signature: 0..0,
                    serial,
                    issuer,
                    subject,
                    spki,
                    not_before,
                    not_after,
                    extensions,
                    algorithm: (alg_oid, alg_params),
                    // version checked below
                })
                .map(|p| (p, version, tbs_alg))
            })?;
            let tbs = tbs_start..offset(outer);
            let (_, _, outer_alg) = algorithm_identifier(outer)?;
            let sig = BitStringRef::decode(outer)?;
            let sig_bytes = sig.as_bytes().ok_or_else(|| {
                der::Error::from(der::ErrorKind::Length {
                    tag: Tag::BitString,
                })
            })?;
            let end = offset(outer);
            p.0.tbs = tbs;
            p.0.signature = end - sig_bytes.len()..end;
            Ok::<_, der::Error>((p, outer_alg))
        })
        .map_err(mal)?;
    r.finish().map_err(mal)?;
    let ((mut p, version, tbs_alg), outer_alg) = parts;
    if version != Some(2) {
        return Err(PkiError::UnsupportedVersion);
    }
    if der.get(tbs_alg) != der.get(outer_alg) {
        return Err(PkiError::SignatureAlgorithmMismatch);
    }
    for name in [&p.issuer, &p.subject] {
        check_name(der.get(name.clone()).unwrap_or_default()).map_err(|e| PkiError::Malformed {
            what: "certificate",
            at: Some(name.start.saturating_add(pos_of(&e))),
            detail: e.kind().to_string(),
        })?;
    }
    p.extensions = p.extensions.take();
    Ok(p)
}

/// The policy identifiers of a certificatePolicies value (qualifiers skipped, not copied).
fn policy_oids(v: &[u8]) -> der::Result<Vec<ObjectIdentifier>> {
    let mut r = SliceReader::new(v)?;
    let mut out = Vec::new();
    r.sequence(|seq| {
        while !seq.is_finished() {
            if out.len() >= MAX_EXTENSIONS {
                return Err(der::Error::from(der::ErrorKind::Overlength));
            }
            seq.sequence(|pi| {
                out.push(ObjectIdentifier::decode(pi)?);
                if !pi.is_finished() {
                    pi.tlv_bytes()?;
                }
                Ok::<_, der::Error>(())
            })?;
        }
        Ok::<_, der::Error>(())
    })?;
    r.finish()?;
    if out.is_empty() {
        return Err(der::ErrorKind::Length { tag: Tag::Sequence }.into());
    }
    Ok(out)
}

/// The keyIdentifier `[0]` range inside an authorityKeyIdentifier value (the rest is decoded
/// on demand by [`Certificate::authority_key_identifier`]).
fn aki_key_id(v: &[u8]) -> der::Result<Option<Range<usize>>> {
    let mut r = SliceReader::new(v)?;
    // keyIdentifier [0], authorityCertIssuer [1], authorityCertSerialNumber [2], in order,
    // each at most once; the issuer names are decoded only on demand.
    let key = r.sequence(|a| {
        let mut key = None;
        let mut last = None;
        while !a.is_finished() {
            let (whole, body) = element(a)?;
            let tag = v.get(whole.start).copied().unwrap_or_default();
            let n = match tag {
                0x80 => 0,
                0xA1 => 1,
                0x82 => 2,
                _ => {
                    return Err(der::Error::from(der::ErrorKind::Noncanonical {
                        tag: Tag::Sequence,
                    }));
                }
            };
            if last.is_some_and(|l| n <= l) {
                return Err(der::ErrorKind::Noncanonical { tag: Tag::Sequence }.into());
            }
            last = Some(n);
            if n == 0 {
                key = Some(body);
            }
        }
        Ok::<_, der::Error>(key)
    })?;
    r.finish()?;
    Ok(key)
}

/// The byte range of the first element (TBSCertificate / TBSCertList) inside an outer SEQUENCE.
#[cfg(test)]
fn tbs_range(der: &[u8]) -> der::Result<Range<usize>> {
    let mut outer = SliceReader::new(der)?;
    let header = der::Header::decode(&mut outer)?;
    header.tag().assert_eq(der::Tag::Sequence)?;
    let start = usize::try_from(outer.position())?;
    let tbs = outer.tlv_bytes()?;
    Ok(start..start.saturating_add(tbs.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAMADA_SIGN: &[u8] =
        include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_sign.der");

    #[test]
    fn parses_the_test_sign_certificate_profile() {
        let c = Certificate::from_der(YAMADA_SIGN).expect("parses");
        assert_eq!(c.serial_hex(), "134FD0D8");
        assert_eq!(c.not_before().to_string(), "2024-04-01T00:00:00Z");
        assert_eq!(c.not_after().to_string(), "2030-03-31T14:59:59Z");
        let ku = c.key_usage().expect("KU");
        assert!(ku.critical && ku.digital_signature && ku.non_repudiation && !ku.key_cert_sign);
        assert_eq!(
            c.policies(),
            &[super::super::profile::POLICY_TEST_CARD_SIGN]
        );
        assert_eq!(c.is_ca(), None);
        assert_eq!(c.authority_key_id().map(<[u8]>::len), Some(20));
        assert_eq!(c.unknown_critical_extension(), None);
        assert_eq!(c.tbs_der().first(), Some(&0x30));
        assert_eq!(
            c.tbs_der(),
            &YAMADA_SIGN[tbs_range(YAMADA_SIGN).expect("tbs")]
        );
        assert_eq!(c.issuer().to_string(), c.issuer().to_string());
        assert_eq!(
            der::Encode::to_der(c.issuer()).expect("DER"),
            c.issuer_der()
        );
        assert_eq!(c.signature_bytes().len(), 256);
        // Debug shows no subjectAltName (personal data).
        assert_eq!(
            format!("{c:?}"),
            "Certificate { serial: \"134FD0D8\", issuer: \"OU=TEST ONLY not J-LIS,OU=JPKI for digital signature TEST,O=JPKI TEST,C=JP\", \
             subject: \"<redacted>\", not_before: UnixTime(1711929600), \
             not_after: UnixTime(1901199599), policies: [ObjectIdentifier(1.3.6.1.4.1.32473.8.5.1.1.20)], .. }"
        );
        assert_eq!(
            c.subject().to_string(),
            "CN=TEST6L2A7JA0T1W989Y0M7H,L=Chiyoda-ku,L=Tokyo,C=JP"
        );
    }

    #[test]
    fn rejects_truncated_and_trailing_bytes_with_typed_errors() {
        let cut = YAMADA_SIGN.get(..YAMADA_SIGN.len() - 1).unwrap_or_default();
        assert!(matches!(
            Certificate::from_der(cut),
            Err(PkiError::Malformed {
                what: "certificate",
                ..
            })
        ));
        let mut long = YAMADA_SIGN.to_vec();
        long.push(0);
        assert!(matches!(
            Certificate::from_der(&long),
            Err(PkiError::Malformed { .. })
        ));
        assert!(matches!(
            Certificate::from_der(&[]),
            Err(PkiError::Malformed { .. })
        ));
    }
}
