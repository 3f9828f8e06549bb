//! A sans-IO OCSP client (RFC 6960): build the request bytes, send them yourself (JPKI
//! authentication certificates name `http://ocspauthnorm.jpki.go.jp`; POST with
//! `Content-Type: application/ocsp-request`), and verify the response bytes into an
//! [`OcspResponse`] — itself a [`RevocationSource`](super::RevocationSource).
//!
//! ```
//! use mynacard::pki::{self, Purpose, RelyingPartyPolicy, TrustStore, ocsp::OcspRequest};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let trust = TrustStore::test_only_mynacard_test_pki()?;
//! let cert = trust.verify_certificate(
//!     include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/yamada_auth.der"),
//!     Purpose::Authentication,
//!     pki::test_pki::REFERENCE_TIME,
//! )?;
//! let request = OcspRequest::with_random_nonce(&cert, &trust)?;
//! let body: &[u8] = request.der(); // POST this to the responder
//! assert_eq!(body.first(), Some(&0x30));
//! // let response = OcspRequest::verify_response(&request, &bytes, &trust, now)?;
//! // pki::verify_presentation(&presentation, &trust, &response, &policy, now)?;
//! # Ok(()) }
//! ```
//!
//! Verification: the response is `successful` and basic; the responder is the issuing CA itself
//! or a certificate the CA issued with extendedKeyUsage id-kp-OCSPSigning, valid at the
//! verification time; its signature (SHA-1 refused) verifies over the original
//! `tbsResponseData`; the nonce is the request's; an answer for the requested CertID is
//! present and its thisUpdate is not in the future. Freshness against nextUpdate is decided per
//! check by the [`StalenessPolicy`] (as for CRLs).

pub(crate) mod asn1;

use alloc::vec::Vec;
use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::certificate::Version;
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;

use self::asn1::{CertId, CertStatus, OcspResponseStatus, ResponderId};
use super::{
    NotCheckedReason, RevocationMethod, RevocationReason, RevocationSource, RevocationStatus,
    StalenessPolicy,
};
use crate::pki::{
    Certificate, HashAlgorithm, PkiError, TrustAnchor, TrustStore, UnixTime, VerifiedCertificate,
};

const OID_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
const OID_OCSP_NONCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");
const OID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// Responses larger than this are refused before parsing (a JPKI response with one answer
/// and a responder certificate is about 2 KiB).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// At most this many certificates in a response are considered as the responder.
pub const MAX_RESPONDER_CERTS: usize = 4;
/// Nonce length of [`OcspRequest::with_random_nonce`] (RFC 8954: 1 to 32 bytes).
pub const NONCE_LEN: usize = 32;

/// The hash of a request's CertID. RFC 5019 responders (and most deployed ones) expect SHA-1
/// here — an identifier, not a signature; JPKI's responder's choice is not public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CertIdHash {
    /// SHA-1 (the default: what most responders index by).
    #[default]
    Sha1,
    /// SHA-256.
    Sha256,
}

impl CertIdHash {
    fn algorithm(self) -> (HashAlgorithm, ObjectIdentifier) {
        match self {
            Self::Sha1 => (HashAlgorithm::Sha1, OID_SHA1),
            Self::Sha256 => (HashAlgorithm::Sha256, OID_SHA256),
        }
    }
}

fn mal(what: &'static str) -> impl Fn(der::Error) -> PkiError {
    move |e| PkiError::malformed(what, e)
}

/// The anchor that issued `cert` (by the fingerprint recorded at verification).
fn issuing_anchor<'t>(
    cert: &VerifiedCertificate,
    trust: &'t TrustStore,
) -> Result<&'t TrustAnchor, PkiError> {
    trust
        .anchors()
        .iter()
        .find(|a| &a.sha256_fingerprint() == cert.anchor_fingerprint())
        .ok_or(PkiError::UnknownIssuer)
}

/// The subjectPublicKey BIT STRING contents of a certificate (for key hashes).
fn public_key_bits(spki_der: &[u8]) -> Result<Vec<u8>, PkiError> {
    let spki = SubjectPublicKeyInfoOwned::from_der(spki_der).map_err(mal("public key"))?;
    Ok(spki.subject_public_key.raw_bytes().to_vec())
}

fn cert_id(
    cert: &VerifiedCertificate,
    anchor: &TrustAnchor,
    hash: CertIdHash,
) -> Result<CertId, PkiError> {
    let (h, oid) = hash.algorithm();
    let issuer_name = anchor.subject_der();
    let key = public_key_bits(anchor.spki_der())?;
    let mut serial = cert.serial().to_vec();
    if serial.first().is_none_or(|b| b & 0x80 != 0) {
        serial.insert(0, 0);
    }
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid,
            parameters: Some(Any::null()),
        },
        issuer_name_hash: OctetString::new(h.hash(issuer_name)).map_err(mal("CertID"))?,
        issuer_key_hash: OctetString::new(h.hash(&key)).map_err(mal("CertID"))?,
        serial_number: SerialNumber::new(&serial).map_err(mal("CertID"))?,
    })
}

/// Whether two CertIDs name the same certificate (hash OID, both hashes and the serial;
/// AlgorithmIdentifier parameters — NULL or absent — are not compared).
fn same_cert_id(a: &CertId, b: &CertId) -> bool {
    a.hash_algorithm.oid == b.hash_algorithm.oid
        && a.issuer_name_hash == b.issuer_name_hash
        && a.issuer_key_hash == b.issuer_key_hash
        && a.serial_number == b.serial_number
}

fn nonce_extension(nonce: &[u8]) -> Result<Extension, PkiError> {
    let inner = OctetString::new(nonce)
        .and_then(|o| o.to_der())
        .map_err(mal("OCSP nonce"))?;
    Ok(Extension {
        extn_id: OID_OCSP_NONCE,
        critical: false,
        extn_value: OctetString::new(inner).map_err(mal("OCSP nonce"))?,
    })
}

/// An OCSP request for one certificate: the bytes to send, and what the response must match.
#[derive(Debug, Clone)]
pub struct OcspRequest {
    der: Vec<u8>,
    cert_id: CertId,
    nonce: Option<Vec<u8>>,
    anchor_fingerprint: [u8; 32],
    serial: Vec<u8>,
    clock_skew: u64,
}

impl OcspRequest {
    /// Accepts a response whose thisUpdate is up to `secs` seconds after the
    /// verification time (the responder's clock and this host's differ; default
    /// [`super::DEFAULT_CLOCK_SKEW_SECS`], 5 minutes; 0: none). The response
    /// keeps the setting for its later checks.
    pub fn with_clock_skew(mut self, secs: u64) -> Self {
        self.clock_skew = secs;
        self
    }

    /// A request for `cert` with a fresh 32-byte nonce from the operating system's CSPRNG.
    #[cfg(feature = "std")]
    pub fn with_random_nonce(
        cert: &VerifiedCertificate,
        trust: &TrustStore,
    ) -> Result<Self, PkiError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| PkiError::BackendUnsupported {
            backend: "getrandom",
            what: "random nonce",
        })?;
        Self::new(cert, trust, Some(&nonce), CertIdHash::default())
    }

    /// A request for `cert` (issued by an anchor of `trust`) with the caller's nonce (`None`:
    /// no nonce, for responders that only serve pre-produced responses — replay is then
    /// bounded only by the staleness policy).
    pub fn new(
        cert: &VerifiedCertificate,
        trust: &TrustStore,
        nonce: Option<&[u8]>,
        hash: CertIdHash,
    ) -> Result<Self, PkiError> {
        let anchor = issuing_anchor(cert, trust)?;
        let cert_id = cert_id(cert, anchor, hash)?;
        let request_extensions = match nonce {
            Some(n) => Some(vec![nonce_extension(n)?]),
            None => None,
        };
        let req = asn1::OcspRequest {
            tbs_request: asn1::TbsRequest {
                version: Version::V1,
                requestor_name: None,
                request_list: vec![asn1::Request {
                    req_cert: cert_id.clone(),
                    single_request_extensions: None,
                }],
                request_extensions,
            },
            optional_signature: None,
        };
        Ok(Self {
            der: req.to_der().map_err(mal("OCSP request"))?,
            cert_id,
            nonce: nonce.map(<[u8]>::to_vec),
            anchor_fingerprint: anchor.sha256_fingerprint(),
            serial: cert.serial().to_vec(),
            clock_skew: super::DEFAULT_CLOCK_SKEW_SECS,
        })
    }

    /// The DER request body.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The nonce sent, if any.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// Verifies the responder's answer to this request at `time` (see the module docs).
    pub fn verify_response(
        &self,
        response: &[u8],
        trust: &TrustStore,
        time: UnixTime,
    ) -> Result<OcspResponse, PkiError> {
        if response.len() > MAX_RESPONSE_BYTES {
            return Err(PkiError::Malformed {
                what: "OCSP response",
                at: Some(MAX_RESPONSE_BYTES),
                detail: format!("{} bytes (at most {MAX_RESPONSE_BYTES})", response.len()),
            });
        }
        let outer = asn1::OcspResponse::from_der(response).map_err(mal("OCSP response"))?;
        if outer.response_status != OcspResponseStatus::Successful {
            return Err(PkiError::OcspResponderStatus {
                status: outer.response_status as u8,
            });
        }
        let bytes = outer.response_bytes.ok_or(PkiError::Malformed {
            what: "OCSP response",
            at: None,
            detail: "successful response without responseBytes".into(),
        })?;
        if bytes.response_type != OID_OCSP_BASIC {
            return Err(PkiError::OcspResponseType {
                oid: bytes.response_type,
            });
        }
        let basic = asn1::BasicOcspResponse::from_der(bytes.response.as_bytes())
            .map_err(mal("BasicOCSPResponse"))?;
        let tbs = basic
            .tbs_response_data
            .to_der()
            .map_err(mal("ResponseData"))?;
        let data = asn1::ResponseData::from_der(&tbs).map_err(mal("ResponseData"))?;
        let alg = super::crl::signed_object_algorithm(&basic.signature_algorithm, "OCSP response")?;
        let signature = basic
            .signature
            .as_bytes()
            .ok_or(PkiError::OcspBadSignature)?;

        let anchor = trust
            .anchors()
            .iter()
            .find(|a| a.sha256_fingerprint() == self.anchor_fingerprint)
            .ok_or(PkiError::OcspResponderNotAuthorised {
                detail: "issuing anchor not in the trust store",
            })?;
        let responder = authorised_responder(
            &data.responder_id,
            basic.certs.as_deref().unwrap_or_default(),
            anchor,
            trust,
            time,
        )?;
        responder
            .verify(alg, &tbs, signature)
            .map_err(|_| PkiError::OcspBadSignature)?;

        if let Some(sent) = &self.nonce {
            let expected = nonce_extension(sent)?;
            let got = data
                .response_extensions
                .as_deref()
                .unwrap_or_default()
                .iter()
                .find(|e| e.extn_id == OID_OCSP_NONCE);
            if got.is_none_or(|e| e.extn_value != expected.extn_value) {
                return Err(PkiError::OcspNonceMismatch);
            }
        }
        let single = data
            .responses
            .iter()
            .find(|r| same_cert_id(&r.cert_id, &self.cert_id))
            .ok_or(PkiError::OcspNoAnswer)?;
        let this_update = UnixTime::from_secs(single.this_update.to_unix_duration().as_secs());
        if time.saturating_add_secs(self.clock_skew) < this_update {
            return Err(PkiError::OcspNotYetValid { this_update, time });
        }
        let next_update = single
            .next_update
            .map(|t| UnixTime::from_secs(t.to_unix_duration().as_secs()));
        let status = match &single.cert_status {
            CertStatus::Good(_) => OcspCertStatus::Good,
            CertStatus::Revoked(info) => OcspCertStatus::Revoked {
                date: UnixTime::from_secs(info.revocation_time.to_unix_duration().as_secs()),
                reason: info
                    .revocation_reason
                    .and_then(|r| RevocationReason::from_code(r as u8)),
            },
            CertStatus::Unknown(_) => OcspCertStatus::Unknown,
        };
        Ok(OcspResponse {
            anchor_fingerprint: self.anchor_fingerprint,
            serial: self.serial.clone(),
            status,
            this_update,
            next_update,
            clock_skew: self.clock_skew,
        })
    }
}

/// Decodes the layers of a response without verifying anything (fuzzing only).
pub(crate) fn parse_unverified(response: &[u8]) -> Result<usize, PkiError> {
    let outer = asn1::OcspResponse::from_der(response).map_err(mal("OCSP response"))?;
    let Some(bytes) = outer.response_bytes else {
        return Ok(0);
    };
    let basic = asn1::BasicOcspResponse::from_der(bytes.response.as_bytes())
        .map_err(mal("BasicOCSPResponse"))?;
    let tbs = basic
        .tbs_response_data
        .to_der()
        .map_err(mal("ResponseData"))?;
    let data = asn1::ResponseData::from_der(&tbs).map_err(mal("ResponseData"))?;
    for c in basic
        .certs
        .as_deref()
        .unwrap_or_default()
        .iter()
        .take(MAX_RESPONDER_CERTS)
    {
        let der = c.to_der().map_err(mal("OCSP responder certificate"))?;
        let _ = Certificate::from_der(&der);
    }
    Ok(data.responses.len())
}

/// The key that may sign for `anchor`: the anchor's own (responderID names it), or a delegated
/// responder certificate from the response, issued by the anchor for id-kp-OCSPSigning and
/// valid at `time`.
fn authorised_responder(
    id: &ResponderId,
    certs: &[Any],
    anchor: &TrustAnchor,
    trust: &TrustStore,
    time: UnixTime,
) -> Result<alloc::sync::Arc<dyn crate::crypto::backend::VerificationKey>, PkiError> {
    let names = |subject: &x509_cert::name::Name, spki: &[u8]| -> Result<bool, PkiError> {
        Ok(match id {
            ResponderId::ByName(n) => subject == n,
            ResponderId::ByKey(k) => {
                HashAlgorithm::Sha1.hash(&public_key_bits(spki)?).as_slice() == k.as_bytes()
            }
        })
    };
    if names(anchor.subject(), anchor.spki_der())? {
        return Ok(anchor.key.clone());
    }
    let not_authorised = |detail| PkiError::OcspResponderNotAuthorised { detail };
    let mut named = None;
    for any in certs.iter().take(MAX_RESPONDER_CERTS) {
        let der = any.to_der().map_err(mal("OCSP responder certificate"))?;
        let c = Certificate::from_der(&der)?;
        if names(c.subject(), c.spki_der()?)? {
            named = Some(c);
            break;
        }
    }
    let c = named.ok_or(not_authorised(
        "responder is neither the issuer nor a certificate in the response",
    ))?;
    if c.issuer() != anchor.subject()
        || anchor
            .key
            .verify(c.signature_algorithm(), c.tbs_der(), c.signature_bytes())
            .is_err()
    {
        return Err(not_authorised("responder certificate not issued by the CA"));
    }
    if c.signature_algorithm().hash() == HashAlgorithm::Sha1 {
        return Err(not_authorised("responder certificate signed with SHA-1"));
    }
    if time < c.not_before() || time > c.not_after() {
        return Err(not_authorised("responder certificate outside its validity"));
    }
    if c.is_ca() == Some(true) {
        return Err(not_authorised("responder certificate is a CA"));
    }
    let eku = c
        .extension_value(OID_EKU)
        .map(x509_cert::ext::pkix::ExtendedKeyUsage::from_der)
        .transpose()
        .map_err(mal("OCSP responder extendedKeyUsage"))?;
    if !eku.is_some_and(|e| e.0.contains(&OID_KP_OCSP_SIGNING)) {
        return Err(not_authorised(
            "responder certificate lacks id-kp-OCSPSigning",
        ));
    }
    if c.key_usage().is_some_and(|k| !k.digital_signature) {
        return Err(not_authorised("responder keyUsage lacks digitalSignature"));
    }
    if let Some(oid) = c.unknown_critical_extension() {
        return Err(PkiError::UnknownCriticalExtension { oid });
    }
    Ok(trust.backend().prepare_key(c.spki_der()?)?)
}

/// What the responder said about the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OcspCertStatus {
    /// `good`.
    Good,
    /// `revoked`.
    Revoked {
        /// revocationTime.
        date: UnixTime,
        /// revocationReason, when given.
        reason: Option<RevocationReason>,
    },
    /// `unknown`: the responder does not know the certificate.
    Unknown,
}

/// A verified OCSP answer for one certificate; a [`RevocationSource`] for that certificate
/// (any other is [`NotCheckedReason::OcspOtherCertificate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspResponse {
    anchor_fingerprint: [u8; 32],
    serial: Vec<u8>,
    status: OcspCertStatus,
    this_update: UnixTime,
    next_update: Option<UnixTime>,
    clock_skew: u64,
}

impl OcspResponse {
    /// The responder's answer.
    pub fn cert_status(&self) -> OcspCertStatus {
        self.status
    }
    /// thisUpdate of the answer.
    pub fn this_update(&self) -> UnixTime {
        self.this_update
    }
    /// nextUpdate of the answer.
    pub fn next_update(&self) -> Option<UnixTime> {
        self.next_update
    }
}

impl RevocationSource for OcspResponse {
    fn status(
        &self,
        cert: &VerifiedCertificate,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        if cert.anchor_fingerprint() != &self.anchor_fingerprint || cert.serial() != self.serial {
            return Ok(RevocationStatus::NotChecked {
                reason: NotCheckedReason::OcspOtherCertificate,
            });
        }
        if time.saturating_add_secs(self.clock_skew) < self.this_update {
            return Err(PkiError::OcspNotYetValid {
                this_update: self.this_update,
                time,
            });
        }
        let stale = match (self.next_update, staleness) {
            (None, _) => true,
            (Some(n), StalenessPolicy::Tolerate { secs }) => time > n.saturating_add_secs(secs),
            (Some(n), _) => time > n,
        };
        if stale {
            if staleness == StalenessPolicy::ReportNotChecked {
                return Ok(RevocationStatus::NotChecked {
                    reason: NotCheckedReason::Stale,
                });
            }
            return Err(PkiError::OcspStale {
                next_update: self.next_update,
                time,
            });
        }
        Ok(match self.status {
            OcspCertStatus::Good => RevocationStatus::Good {
                this_update: self.this_update,
                next_update: self.next_update,
                source: RevocationMethod::Ocsp,
            },
            OcspCertStatus::Revoked { date, reason } => RevocationStatus::Revoked {
                reason,
                date,
                source: RevocationMethod::Ocsp,
            },
            OcspCertStatus::Unknown => RevocationStatus::NotChecked {
                reason: NotCheckedReason::OcspUnknown,
            },
        })
    }
}

#[cfg(test)]
mod tests;
