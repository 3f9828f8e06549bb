//! Path validation in the style of rustls-webpki, for JPKI's single-tier hierarchy: the
//! end-entity certificate is signed directly by a root.
//!
//! Checks, cheapest first: strict parse (v3, supported algorithm, no duplicate extensions) ·
//! no unknown critical extension · issuer resolved by name and key identifier · validity at the
//! caller's time · keyUsage (critical, bits of the purpose) · not a CA · certificate policy
//! in the table, of the expected purpose and of the anchor's hierarchy · extendedKeyUsage, when
//! present, allows the purpose · RSA ≥ 2048 · the issuer's signature over the original TBS
//! bytes, within a work budget · the time inside the issuing root's own validity.

use alloc::sync::Arc;

use super::anchors::UnknownPolicy;
use super::attributes::{self, HolderAttributes};
use super::revocation::CertificatePoints;
use super::{
    Certificate, CertificateKind, EKU_ANY, EKU_CLIENT_AUTH, HashAlgorithm, PkiError, Purpose,
    SignatureAlgorithm, TrustStore, UnixTime,
};
use crate::crypto::backend::{KeyAlgorithm, VerificationKey, VerifyFailure};

/// A certificate that chained to a trust anchor at a given time. The only way to the holder's
/// personal attributes.
#[derive(Debug, Clone)]
pub struct VerifiedCertificate {
    cert: Certificate,
    purpose: Purpose,
    kind: CertificateKind,
    anchor: Arc<str>,
    anchor_fingerprint: [u8; 32],
    key: Arc<dyn VerificationKey>,
    backend: &'static str,
    verified_at: UnixTime,
    /// cRLDistributionPoints read once here, so a CRL lookup does not re-read them.
    points: CertificatePoints,
}

impl VerifiedCertificate {
    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }
    /// Signature or authentication.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }
    /// The kind from the policy table.
    pub fn kind(&self) -> &CertificateKind {
        &self.kind
    }
    /// Label of the anchor that issued it.
    pub fn anchor(&self) -> &str {
        &self.anchor
    }
    /// SHA-256 of the issuing anchor's certificate (revocation sources match CRLs by it).
    pub fn anchor_fingerprint(&self) -> &[u8; 32] {
        &self.anchor_fingerprint
    }
    /// The time the validity was checked at.
    pub fn verified_at(&self) -> UnixTime {
        self.verified_at
    }
    /// Serial number bytes.
    pub fn serial(&self) -> &[u8] {
        self.cert.serial()
    }
    /// The certificate's distribution points as read at verification.
    pub(crate) fn crl_points(&self) -> &CertificatePoints {
        &self.points
    }

    /// The holder's name, address, birth date and sex (signature certificates only).
    pub fn holder_attributes(&self) -> Result<HolderAttributes, PkiError> {
        if self.purpose != Purpose::Signature {
            return Err(PkiError::WrongPurpose {
                expected: Purpose::Signature,
                found: self.purpose,
            });
        }
        let san = self.cert.san_der().ok_or(PkiError::BadAttribute {
            oid: attributes::OID_NAME,
            detail: "no subjectAltName",
        })?;
        attributes::parse(san)
    }

    /// Verifies a PKCS#1 v1.5 signature made with this certificate's key over `message`.
    pub fn verify_message(
        &self,
        hash: HashAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), PkiError> {
        self.key
            .verify(SignatureAlgorithm::RsaPkcs1(hash), message, signature)
            .map_err(|e| signature_error(self.backend, e))
    }

    /// Verifies a signature over a hash computed by the caller.
    pub fn verify_prehash(
        &self,
        hash: HashAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), PkiError> {
        self.key
            .verify_prehash(SignatureAlgorithm::RsaPkcs1(hash), digest, signature)
            .map_err(|e| signature_error(self.backend, e))
    }

    /// Verifies a signature whose PKCS#1 v1.5 block carries `payload` verbatim (a DigestInfo
    /// built by the caller, or a bare hash as some platforms sign).
    pub fn verify_raw_pkcs1(&self, payload: &[u8], signature: &[u8]) -> Result<(), PkiError> {
        self.key
            .verify_raw_pkcs1(payload, signature)
            .map_err(|e| signature_error(self.backend, e))
    }
}

/// extendedKeyUsage, when present, must allow the purpose: a user-authentication certificate
/// needs clientAuth (or anyExtendedKeyUsage). No EKU is defined for JPKI signatures, so a
/// signature certificate's non-critical EKU is informational and a critical one must allow any.
fn check_extended_key_usage(cert: &Certificate, purpose: Purpose) -> Result<(), PkiError> {
    let Some(eku) = cert.extended_key_usage() else {
        return Ok(());
    };
    let allows = |oid| eku.purposes.contains(&oid);
    let ok = allows(EKU_ANY)
        || match purpose {
            Purpose::Authentication => allows(EKU_CLIENT_AUTH),
            Purpose::Signature => !eku.critical,
        };
    if ok {
        Ok(())
    } else {
        Err(PkiError::WrongExtendedKeyUsage { purpose })
    }
}

fn signature_error(backend: &'static str, e: VerifyFailure) -> PkiError {
    match e {
        VerifyFailure::WrongLength { expected, found } => {
            PkiError::SignatureLength { expected, found }
        }
        VerifyFailure::Unsupported(what) => PkiError::BackendUnsupported { backend, what },
        _ => PkiError::ChallengeSignatureInvalid,
    }
}

/// How the validity period is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validity {
    /// notBefore ≤ time ≤ notAfter.
    Strict,
    /// notBefore ≤ time ≤ notAfter + this many calendar months (relying-party grace).
    GraceMonths(u8),
}

impl TrustStore {
    /// Validates an end-entity certificate for `purpose` at `time` (see the module docs for the
    /// checks and their order).
    pub fn verify_certificate(
        &self,
        der: &[u8],
        purpose: Purpose,
        time: UnixTime,
    ) -> Result<VerifiedCertificate, PkiError> {
        self.verify_parsed(Certificate::from_der(der)?, purpose, time, Validity::Strict)
    }

    pub(crate) fn verify_parsed(
        &self,
        cert: Certificate,
        purpose: Purpose,
        time: UnixTime,
        validity: Validity,
    ) -> Result<VerifiedCertificate, PkiError> {
        if let Some(oid) = cert.unknown_critical_extension() {
            return Err(PkiError::UnknownCriticalExtension { oid });
        }
        let key_id = cert.authority_key_id();
        if self
            .candidates_der(cert.issuer_der(), key_id)
            .next()
            .is_none()
        {
            return Err(PkiError::UnknownIssuer);
        }
        let (not_before, not_after) = (cert.not_before(), cert.not_after());
        if time < not_before {
            return Err(PkiError::NotYetValid { not_before, time });
        }
        // Under a grace policy, an end past year 9999 (notAfter 99991231235959Z + months) never
        // comes: the certificate does not expire.
        let expired = match validity {
            Validity::Strict => time > not_after,
            Validity::GraceMonths(m) => {
                time > not_after
                    && not_after
                        .add_calendar_months(m)
                        .is_some_and(|end| time > end)
            }
        };
        if expired {
            return Err(PkiError::Expired { not_after, time });
        }
        let ku = cert
            .key_usage()
            .ok_or(PkiError::WrongKeyUsage { purpose })?;
        let ku_ok = ku.critical
            && ku.digital_signature
            && (purpose == Purpose::Authentication || ku.non_repudiation)
            && !ku.key_cert_sign
            && !ku.crl_sign;
        if !ku_ok {
            return Err(PkiError::WrongKeyUsage { purpose });
        }
        if cert.is_ca() == Some(true) {
            return Err(PkiError::EndEntityIsCa);
        }
        check_extended_key_usage(&cert, purpose)?;
        let kind = self.classify(&cert)?;
        if let CertificateKind::Known(e) = &kind
            && e.purpose != purpose
        {
            return Err(PkiError::WrongPurpose {
                expected: purpose,
                found: e.purpose,
            });
        }
        let key = self.backend.prepare_key(cert.spki_der()?)?;
        if let KeyAlgorithm::Rsa { bits } = key.key_algorithm()
            && bits < 2048
        {
            return Err(PkiError::WeakKey { bits });
        }
        // Signature, by candidate, within the work budget.
        let budget = self.options.max_signature_checks;
        let mut anchor = None;
        for (spent, a) in self.candidates_der(cert.issuer_der(), key_id).enumerate() {
            if u32::try_from(spent).map_or(true, |n| n >= budget) {
                return Err(PkiError::WorkBudgetExceeded { budget });
            }
            if a.key
                .verify(
                    cert.signature_algorithm(),
                    cert.tbs_der(),
                    cert.signature_bytes(),
                )
                .is_ok()
            {
                anchor = Some(a);
                break;
            }
        }
        let Some(anchor) = anchor else {
            return Err(if key_id.is_some() {
                PkiError::BadSignature
            } else {
                // Without a key identifier a failing signature cannot be told from a root
                // generation we do not hold.
                PkiError::UnknownIssuer
            });
        };
        if time < anchor.not_before() || time > anchor.not_after() {
            return Err(PkiError::OutsideAnchorValidity {
                not_before: anchor.not_before(),
                not_after: anchor.not_after(),
                time,
            });
        }
        if anchor.purpose() != purpose {
            return Err(PkiError::WrongPurpose {
                expected: purpose,
                found: anchor.purpose(),
            });
        }
        if let CertificateKind::Known(e) = &kind
            && e.hierarchy != anchor.hierarchy()
        {
            return Err(PkiError::WrongPolicy { oid: e.oid });
        }
        Ok(VerifiedCertificate {
            purpose,
            kind,
            anchor: anchor.label_arc(),
            anchor_fingerprint: anchor.sha256_fingerprint(),
            key,
            backend: self.backend.name(),
            verified_at: time,
            points: CertificatePoints::read(&cert),
            cert,
        })
    }

    fn classify(&self, cert: &Certificate) -> Result<CertificateKind, PkiError> {
        let first = cert.policies().first().ok_or(PkiError::MissingPolicy)?;
        if let Some(known) = cert
            .policies()
            .iter()
            .map(|p| self.policies.classify(p))
            .find(|k| matches!(k, CertificateKind::Known(_)))
        {
            return Ok(known);
        }
        match self.options.unknown_policy {
            UnknownPolicy::Accept => Ok(CertificateKind::Unknown(*first)),
            UnknownPolicy::Reject => Err(PkiError::WrongPolicy { oid: *first }),
        }
    }
}
