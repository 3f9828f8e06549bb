//! The OCSP client against a TEST responder: the delegated responder of the TEST auth CA
//! (`crates/mynacard-virtual-card/data/pki/auth_ocsp_responder.*`), the CA itself, and impostors.

use der::asn1::{Any, BitString, GeneralizedTime, Null, OctetString};
use der::{DateTime, Decode, Encode};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use spki::AlgorithmIdentifierOwned;
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::CrlReason;

use super::asn1::{self, CertStatus, ResponderId};
use super::*;
use crate::pki::test_pki::REFERENCE_TIME as T;

const RESPONDER_DER: &[u8] =
    include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/auth_ocsp_responder.der");
const RESPONDER_KEY: &[u8] =
    include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/auth_ocsp_responder.key.der");
const CA_KEY: &[u8] =
    include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/auth_ca.key.der");
const CA_DER: &[u8] =
    include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/auth_ca.der");
const YAMADA: &[u8] =
    include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/yamada_auth.der");
const YAMADA_KEY: &[u8] =
    include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/yamada_auth.key.der");
const SATO: &[u8] =
    include_bytes!("../../../../crates/mynacard-virtual-card/data/pki/sato_auth.der");

fn gt(y: u16, m: u8, d: u8) -> GeneralizedTime {
    GeneralizedTime::from_date_time(DateTime::new(y, m, d, 0, 0, 0).expect("date"))
}

/// What the TEST responder answers.
struct Answer {
    status: CertStatus,
    nonce: Option<Vec<u8>>,
    this_update: GeneralizedTime,
    next_update: Option<GeneralizedTime>,
    /// Signing key (PKCS#8), responderID subject and certificates to include.
    key: &'static [u8],
    responder: &'static [u8],
    certs: Vec<&'static [u8]>,
}

impl Answer {
    fn good(nonce: Option<&[u8]>) -> Self {
        Self {
            status: CertStatus::Good(Null),
            nonce: nonce.map(<[u8]>::to_vec),
            this_update: gt(2026, 5, 31),
            next_update: Some(gt(2026, 6, 2)),
            key: RESPONDER_KEY,
            responder: RESPONDER_DER,
            certs: vec![RESPONDER_DER],
        }
    }

    fn respond(&self, request: &OcspRequest) -> Vec<u8> {
        let req = asn1::OcspRequest::from_der(request.der()).expect("request parses");
        let cert_id = req
            .tbs_request
            .request_list
            .first()
            .expect("one request")
            .req_cert
            .clone();
        let responder = Certificate::from_der(self.responder).expect("responder cert");
        let response_extensions = self
            .nonce
            .as_deref()
            .map(|n| vec![nonce_extension(n).expect("nonce")]);
        let data = asn1::ResponseData {
            version: Version::V1,
            responder_id: ResponderId::ByName(responder.subject().clone()),
            produced_at: self.this_update,
            responses: vec![asn1::SingleResponse {
                cert_id,
                cert_status: self.status.clone(),
                this_update: self.this_update,
                next_update: self.next_update,
                single_extensions: None,
            }],
            response_extensions,
        };
        let tbs = data.to_der().expect("tbs");
        let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(self.key).expect("key");
        let basic = asn1::BasicOcspResponse {
            tbs_response_data: Any::from_der(&tbs).expect("any"),
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
                parameters: Some(Any::null()),
            },
            signature: BitString::from_bytes(&key.sign(&tbs).to_vec()).expect("bits"),
            certs: Some(
                self.certs
                    .iter()
                    .map(|c| Any::from_der(c).expect("cert"))
                    .collect(),
            ),
        };
        asn1::OcspResponse {
            response_status: asn1::OcspResponseStatus::Successful,
            response_bytes: Some(asn1::ResponseBytes {
                response_type: OID_OCSP_BASIC,
                response: OctetString::new(basic.to_der().expect("basic")).expect("octets"),
            }),
        }
        .to_der()
        .expect("response")
    }
}

fn setup(cert: &[u8]) -> (TrustStore, VerifiedCertificate, OcspRequest) {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let verified = trust
        .verify_certificate(cert, crate::pki::Purpose::Authentication, T)
        .expect("verified");
    let request = OcspRequest::with_random_nonce(&verified, &trust).expect("request");
    (trust, verified, request)
}

#[test]
fn request_carries_the_cert_id_and_a_fresh_nonce() {
    let (trust, verified, request) = setup(YAMADA);
    let again = OcspRequest::with_random_nonce(&verified, &trust).expect("request");
    assert_eq!(request.nonce().map(<[u8]>::len), Some(NONCE_LEN));
    assert_ne!(request.nonce(), again.nonce());
    let parsed = asn1::OcspRequest::from_der(request.der()).expect("DER round trip");
    let id = &parsed.tbs_request.request_list[0].req_cert;
    assert_eq!(id.hash_algorithm.oid, OID_SHA1);
    assert_eq!(id.serial_number.as_bytes(), verified.serial());
    assert_eq!(id.issuer_key_hash.as_bytes().len(), 20);
}

#[test]
fn good_answer_from_the_delegated_responder_is_good() {
    let (trust, verified, request) = setup(YAMADA);
    let bytes = Answer::good(request.nonce()).respond(&request);
    let response = request
        .verify_response(&bytes, &trust, T)
        .expect("verifies");
    assert_eq!(response.cert_status(), OcspCertStatus::Good);
    assert!(matches!(
        response.status(&verified, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::Good { .. })
    ));
}

#[test]
fn good_answer_signed_by_the_ca_itself_is_good() {
    let (trust, verified, request) = setup(YAMADA);
    let answer = Answer {
        key: CA_KEY,
        responder: CA_DER,
        certs: Vec::new(),
        ..Answer::good(request.nonce())
    };
    let response = request
        .verify_response(&answer.respond(&request), &trust, T)
        .expect("verifies");
    assert!(matches!(
        response.status(&verified, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::Good { .. })
    ));
}

#[test]
fn revoked_answer_is_revoked_with_its_reason() {
    let (trust, verified, request) = setup(SATO);
    let answer = Answer {
        status: CertStatus::Revoked(asn1::RevokedInfo {
            revocation_time: gt(2026, 3, 2),
            revocation_reason: Some(CrlReason::KeyCompromise),
        }),
        ..Answer::good(request.nonce())
    };
    let response = request
        .verify_response(&answer.respond(&request), &trust, T)
        .expect("verifies");
    assert_eq!(
        response.status(&verified, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::Revoked {
            reason: Some(RevocationReason::KeyCompromise),
            date: UnixTime::from_secs(1_772_409_600),
            source: RevocationMethod::Ocsp,
        })
    );
}

#[test]
fn behind_a_crl_set_that_cannot_answer_the_evidence_names_ocsp() {
    let (trust, verified, request) = setup(YAMADA);
    let bytes = Answer::good(request.nonce()).respond(&request);
    let response = request
        .verify_response(&bytes, &trust, T)
        .expect("verifies");
    // No partition for yamada's distribution point: the CRL set passes the question on.
    let sources = crate::pki::RevocationSources::new()
        .then(crate::pki::CrlSet::new())
        .then(response);
    let status = sources
        .status(&verified, T, StalenessPolicy::Reject)
        .expect("decided");
    assert!(
        matches!(status, RevocationStatus::Good { .. }),
        "{status:?}"
    );
    assert_eq!(status.source(), Some(RevocationMethod::Ocsp));
    assert_eq!(RevocationMethod::Ocsp.to_string(), "ocsp");
}

#[test]
fn unknown_answer_is_not_checked_ocsp_unknown() {
    let (trust, verified, request) = setup(YAMADA);
    let answer = Answer {
        status: CertStatus::Unknown(Null),
        ..Answer::good(request.nonce())
    };
    let response = request
        .verify_response(&answer.respond(&request), &trust, T)
        .expect("verifies");
    assert_eq!(
        response.status(&verified, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::OcspUnknown
        })
    );
}

#[test]
fn wrong_or_missing_nonce_is_refused() {
    let (trust, _, request) = setup(YAMADA);
    let replayed = Answer::good(Some(&[7; 32])).respond(&request);
    assert_eq!(
        request.verify_response(&replayed, &trust, T),
        Err(PkiError::OcspNonceMismatch)
    );
    let without = Answer::good(None).respond(&request);
    assert_eq!(
        request.verify_response(&without, &trust, T),
        Err(PkiError::OcspNonceMismatch)
    );
}

#[test]
fn responder_not_authorised_by_the_issuer_is_refused() {
    let (trust, _, request) = setup(YAMADA);
    // A certificate the CA issued, but not for OCSP signing (the holder's own).
    let holder = Answer {
        key: YAMADA_KEY,
        responder: YAMADA,
        certs: vec![YAMADA],
        ..Answer::good(request.nonce())
    };
    assert_eq!(
        request.verify_response(&holder.respond(&request), &trust, T),
        Err(PkiError::OcspResponderNotAuthorised {
            detail: "responder certificate lacks id-kp-OCSPSigning"
        })
    );
    // The responder's name, but a key the CA never certified.
    let impostor = Answer {
        key: YAMADA_KEY,
        certs: Vec::new(),
        ..Answer::good(request.nonce())
    };
    assert_eq!(
        request.verify_response(&impostor.respond(&request), &trust, T),
        Err(PkiError::OcspResponderNotAuthorised {
            detail: "responder is neither the issuer nor a certificate in the response"
        })
    );
    // The authorised responder's certificate, signed with another key.
    let forged = Answer {
        key: YAMADA_KEY,
        ..Answer::good(request.nonce())
    };
    assert_eq!(
        request.verify_response(&forged.respond(&request), &trust, T),
        Err(PkiError::OcspBadSignature)
    );
}

#[test]
fn stale_answer_is_decided_by_the_staleness_policy() {
    let (trust, verified, request) = setup(YAMADA);
    let answer = Answer {
        this_update: gt(2026, 5, 1),
        next_update: Some(gt(2026, 5, 2)),
        ..Answer::good(request.nonce())
    };
    let response = request
        .verify_response(&answer.respond(&request), &trust, T)
        .expect("verifies");
    assert_eq!(
        response.status(&verified, T, StalenessPolicy::Reject),
        Err(PkiError::OcspStale {
            next_update: Some(UnixTime::from_secs(1_777_680_000)),
            time: T
        })
    );
    assert_eq!(
        response.status(&verified, T, StalenessPolicy::ReportNotChecked),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::Stale
        })
    );
    let future = Answer {
        this_update: gt(2026, 7, 1),
        next_update: Some(gt(2026, 7, 2)),
        ..Answer::good(request.nonce())
    };
    assert!(matches!(
        request.verify_response(&future.respond(&request), &trust, T),
        Err(PkiError::OcspNotYetValid { .. })
    ));
}

#[test]
fn answer_for_another_certificate_says_nothing_about_this_one() {
    let (trust, _, request) = setup(YAMADA);
    let (_, sato, _) = setup(SATO);
    let response = request
        .verify_response(&Answer::good(request.nonce()).respond(&request), &trust, T)
        .expect("verifies");
    assert_eq!(
        response.status(&sato, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::OcspOtherCertificate
        })
    );
    let (_, _, sato_request) = setup(SATO);
    let for_yamada = Answer::good(sato_request.nonce()).respond(&request);
    assert_eq!(
        sato_request.verify_response(&for_yamada, &trust, T),
        Err(PkiError::OcspNoAnswer)
    );
}

#[test]
fn unsuccessful_and_malformed_responses_are_typed() {
    let (trust, _, request) = setup(YAMADA);
    let try_later = asn1::OcspResponse {
        response_status: asn1::OcspResponseStatus::TryLater,
        response_bytes: None,
    }
    .to_der()
    .expect("der");
    assert_eq!(
        request.verify_response(&try_later, &trust, T),
        Err(PkiError::OcspResponderStatus { status: 3 })
    );
    let good = Answer::good(request.nonce()).respond(&request);
    for cut in [0, 1, good.len() / 2, good.len() - 1] {
        assert!(matches!(
            request.verify_response(&good[..cut], &trust, T),
            Err(PkiError::Malformed { .. })
        ));
    }
}

#[test]
fn a_response_minutes_ahead_of_our_clock_is_accepted_within_the_skew() {
    // The responder's clock is a minute ahead of ours: thisUpdate is 60 s "in
    // the future". Accepted with the default 5-minute skew, refused without
    // skew and beyond it.
    let answer_at = |request: &OcspRequest| Answer {
        this_update: gt(2026, 6, 1),
        next_update: Some(gt(2026, 6, 2)),
        ..Answer::good(request.nonce())
    };
    let minute_before = UnixTime::from_secs(T.as_secs() - 60);
    let (trust, verified, request) = setup(YAMADA);
    let response = request
        .verify_response(
            &answer_at(&request).respond(&request),
            &trust,
            minute_before,
        )
        .expect("within the default skew");
    assert!(matches!(
        response.status(&verified, minute_before, StalenessPolicy::Reject),
        Ok(RevocationStatus::Good { .. })
    ));
    let too_early = UnixTime::from_secs(T.as_secs() - super::super::DEFAULT_CLOCK_SKEW_SECS - 1);
    assert!(matches!(
        request.verify_response(&answer_at(&request).respond(&request), &trust, too_early),
        Err(PkiError::OcspNotYetValid { .. })
    ));
    let (trust, _, strict) = setup(YAMADA);
    let strict = strict.with_clock_skew(0);
    assert!(matches!(
        strict.verify_response(&answer_at(&strict).respond(&strict), &trust, minute_before),
        Err(PkiError::OcspNotYetValid { .. })
    ));
}
