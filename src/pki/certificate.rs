//! A JPKI certificate parsed from DER (not yet verified: personal attributes are only
//! reachable from a [`super::VerifiedCertificate`]).

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader};
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
    CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::Name;

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
/// `L=` names the holder's municipality), and the DER copy is zeroized on drop.
#[derive(Clone)]
pub struct Certificate {
    der: zeroize::Zeroizing<Vec<u8>>,
    tbs: std::ops::Range<usize>,
    inner: x509_cert::Certificate,
    algorithm: SignatureAlgorithm,
    key_usage: Option<KeyUsageExt>,
    is_ca: Option<bool>,
    policies: Vec<ObjectIdentifier>,
    aki: Option<Vec<u8>>,
    ski: Option<Vec<u8>>,
    unknown_critical: Option<ObjectIdentifier>,
    eku: Option<ExtendedKeyUsageExt>,
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
    /// Parses a DER certificate: strict DER, X.509 v3, a supported signature algorithm, no
    /// duplicate extensions, and well-formed known extensions. Trust, validity and profile are
    /// checked later by [`super::TrustStore::verify_certificate`].
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        let inner = x509_cert::Certificate::from_der(der)
            .map_err(|e| PkiError::malformed("certificate", e))?;
        let tbs = tbs_range(der).map_err(|e| PkiError::malformed("certificate", e))?;
        let t = inner.tbs_certificate();
        if t.version() != Version::V3 {
            return Err(PkiError::UnsupportedVersion);
        }
        if inner.signature_algorithm() != t.signature() {
            return Err(PkiError::SignatureAlgorithmMismatch);
        }
        let algorithm = parse_algorithm(inner.signature_algorithm(), "certificate")?;
        let mut c = Certificate {
            der: zeroize::Zeroizing::new(der.to_vec()),
            tbs,
            algorithm,
            key_usage: None,
            is_ca: None,
            policies: Vec::new(),
            aki: None,
            ski: None,
            unknown_critical: None,
            eku: None,
            inner,
        };
        c.parse_extensions()?;
        Ok(c)
    }

    fn parse_extensions(&mut self) -> Result<(), PkiError> {
        let inner = &self.inner;
        let exts = inner
            .tbs_certificate()
            .extensions()
            .map_or(&[][..], Vec::as_slice);
        if exts.len() > MAX_EXTENSIONS {
            return Err(PkiError::Malformed {
                what: "certificate",
                at: None,
                detail: format!("{} extensions (at most {MAX_EXTENSIONS})", exts.len()),
            });
        }
        for (i, e) in exts.iter().enumerate() {
            if exts.iter().take(i).any(|prev| prev.extn_id == e.extn_id) {
                return Err(PkiError::DuplicateExtension { oid: e.extn_id });
            }
            let v = e.extn_value.as_bytes();
            let bad = |err| PkiError::malformed("certificate extension", err);
            match e.extn_id {
                OID_KEY_USAGE => {
                    let ku = KeyUsage::from_der(v).map_err(bad)?;
                    self.key_usage = Some(KeyUsageExt {
                        critical: e.critical,
                        digital_signature: ku.0.contains(KeyUsages::DigitalSignature),
                        non_repudiation: ku.0.contains(KeyUsages::NonRepudiation),
                        key_cert_sign: ku.0.contains(KeyUsages::KeyCertSign),
                        crl_sign: ku.0.contains(KeyUsages::CRLSign),
                    });
                }
                OID_BASIC_CONSTRAINTS => {
                    self.is_ca = Some(BasicConstraints::from_der(v).map_err(bad)?.ca)
                }
                OID_POLICIES => {
                    let p = CertificatePolicies::from_der(v).map_err(bad)?;
                    self.policies = p.0.iter().map(|i| i.policy_identifier).collect();
                }
                OID_AKI => {
                    let a = AuthorityKeyIdentifier::from_der(v).map_err(bad)?;
                    self.aki = a.key_identifier.map(|k| k.as_bytes().to_vec());
                }
                OID_SKI => {
                    self.ski = Some(
                        SubjectKeyIdentifier::from_der(v)
                            .map_err(bad)?
                            .0
                            .as_bytes()
                            .to_vec(),
                    )
                }
                OID_EKU => {
                    let eku = ExtendedKeyUsage::from_der(v).map_err(bad)?;
                    self.eku = Some(ExtendedKeyUsageExt {
                        critical: e.critical,
                        purposes: eku.0,
                    });
                }
                other
                    if e.critical
                        && !UNDERSTOOD.contains(&other)
                        && self.unknown_critical.is_none() =>
                {
                    self.unknown_critical = Some(other);
                }
                // OID_AIA and the rest: informational.
                _ => {}
            }
        }
        Ok(())
    }

    fn extension_value(&self, oid: ObjectIdentifier) -> Option<&[u8]> {
        self.inner
            .tbs_certificate()
            .extensions()?
            .iter()
            .find(|e| e.extn_id == oid)
            .map(|e| e.extn_value.as_bytes())
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
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// The issuer's signature value.
    pub(crate) fn signature_bytes(&self) -> &[u8] {
        self.inner.signature().raw_bytes()
    }

    /// The signature algorithm.
    pub fn signature_algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The serial number's big-endian magnitude bytes (no sign byte).
    pub fn serial(&self) -> &[u8] {
        let b = self.inner.tbs_certificate().serial_number().as_bytes();
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
        self.inner.tbs_certificate().validity().not_before.into()
    }

    /// notAfter.
    pub fn not_after(&self) -> UnixTime {
        self.inner.tbs_certificate().validity().not_after.into()
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        self.inner.tbs_certificate().issuer()
    }

    /// The subject name (for JPKI: country, romanised locality for sign certificates, and a
    /// serial-like CN — never the holder's name).
    pub fn subject(&self) -> &Name {
        self.inner.tbs_certificate().subject()
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Result<Vec<u8>, PkiError> {
        self.inner
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| PkiError::malformed("public key", e))
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
        self.aki.as_deref()
    }

    /// subjectKeyIdentifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.ski.as_deref()
    }

    /// The first critical extension this library does not understand, if any.
    pub fn unknown_critical_extension(&self) -> Option<ObjectIdentifier> {
        self.unknown_critical
    }

    /// The subjectAltName extension value (crate-internal: personal data).
    pub(crate) fn san_der(&self) -> Option<&[u8]> {
        self.inner
            .tbs_certificate()
            .extensions()?
            .iter()
            .find(|e| e.extn_id == OID_SAN)
            .map(|e| e.extn_value.as_bytes())
    }

    /// Whether subject and issuer names are byte-identical (self-issued).
    pub fn is_self_issued(&self) -> bool {
        self.subject() == self.issuer()
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
    let alg = SignatureAlgorithm::from_oid(&ai.oid)
        .ok_or(PkiError::UnsupportedSignatureAlgorithm { oid: ai.oid })?;
    if alg.hash() == super::HashAlgorithm::Sha1 {
        return Err(PkiError::Sha1Refused { what });
    }
    // RSA: NULL parameters (absent tolerated); ECDSA: absent.
    let params_ok = match &ai.parameters {
        None => true,
        Some(p) => alg.null_parameters() && p.is_null(),
    };
    if params_ok {
        Ok(alg)
    } else {
        Err(PkiError::UnsupportedSignatureAlgorithm { oid: ai.oid })
    }
}

/// The byte range of the first element (TBSCertificate / TBSCertList) inside an outer SEQUENCE.
pub(crate) fn tbs_range(der: &[u8]) -> der::Result<std::ops::Range<usize>> {
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

    const YAMADA_SIGN: &[u8] = include_bytes!("../../tests/data/pki/yamada_sign.der");

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
