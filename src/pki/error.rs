//! Why a certificate, CRL or signature was refused: one variant per reason.

use alloc::string::String;
use alloc::string::ToString;
use der::asn1::ObjectIdentifier;

use super::revocation::RevocationReason;
use super::{Purpose, UnixTime};

/// Every reason the JPKI layer refuses a certificate, CRL, trust anchor or signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// The DER of a certificate or CRL is malformed.
    #[error("malformed {what}: {detail}{}", at.map(|p| format!(" at byte {p}")).unwrap_or_default())]
    Malformed {
        /// What was being parsed (`"certificate"`, `"CRL entry"`, …).
        what: &'static str,
        /// Byte offset of the problem inside the parsed object, when known.
        at: Option<usize>,
        /// der's description of the problem.
        detail: String,
    },
    /// The certificate is not X.509 version 3.
    #[error("certificate is not X.509 v3")]
    UnsupportedVersion,
    /// The signature algorithm is not one this library verifies.
    #[error("unsupported signature algorithm {oid}")]
    UnsupportedSignatureAlgorithm {
        /// The algorithm's OID.
        oid: ObjectIdentifier,
    },
    /// The outer signatureAlgorithm differs from the one inside the signed part.
    #[error("signatureAlgorithm differs from the TBS signature field")]
    SignatureAlgorithmMismatch,
    /// The subject public key is not a usable RSA key (or is not RSA at all).
    #[error("unsupported or malformed public key: {detail}")]
    UnsupportedPublicKey {
        /// What was wrong.
        detail: String,
    },
    /// The RSA key is shorter than the JPKI floor of 2048 bits.
    #[error("RSA key of {bits} bits is below 2048")]
    WeakKey {
        /// Modulus size in bits.
        bits: usize,
    },
    /// The same extension appears twice.
    #[error("duplicate extension {oid}")]
    DuplicateExtension {
        /// The extension's OID.
        oid: ObjectIdentifier,
    },
    /// An extension marked critical is not understood.
    #[error("unknown critical extension {oid}")]
    UnknownCriticalExtension {
        /// The extension's OID.
        oid: ObjectIdentifier,
    },
    /// The certificate's validity ended before the verification time.
    #[error("certificate expired at {not_after} (checked at {time})")]
    Expired {
        /// notAfter of the certificate.
        not_after: UnixTime,
        /// The verification time.
        time: UnixTime,
    },
    /// The certificate's validity starts after the verification time.
    #[error("certificate not valid before {not_before} (checked at {time})")]
    NotYetValid {
        /// notBefore of the certificate.
        not_before: UnixTime,
        /// The verification time.
        time: UnixTime,
    },
    /// No trust anchor matches the certificate's issuer (name and key identifier).
    /// The issuer's name is not kept: it is text out of an untrusted certificate.
    #[error("unknown issuer: no trust anchor for the certificate's issuer")]
    UnknownIssuer,
    /// The issuer's signature over the certificate does not verify.
    #[error("certificate signature does not verify under its issuer")]
    BadSignature,
    /// keyUsage is absent, not critical, or lacks a bit the certificate's purpose needs.
    #[error("wrong key usage for a {purpose} certificate")]
    WrongKeyUsage {
        /// The purpose the certificate was checked for.
        purpose: Purpose,
    },
    /// An end-entity certificate claims to be a CA.
    #[error("end-entity certificate has basicConstraints CA:TRUE")]
    EndEntityIsCa,
    /// The certificate has no certificatePolicies extension.
    #[error("certificatePolicies missing")]
    MissingPolicy,
    /// The certificate policy is unknown or belongs to another purpose or hierarchy.
    #[error("certificate policy {oid} is not accepted under this trust anchor")]
    WrongPolicy {
        /// The policy OID found.
        oid: ObjectIdentifier,
    },
    /// A signature certificate was presented where a user-authentication one was expected,
    /// or the other way round.
    #[error("expected a {expected} certificate, got a {found} certificate")]
    WrongPurpose {
        /// What the caller needs.
        expected: Purpose,
        /// What the certificate is.
        found: Purpose,
    },
    /// The path-validation work budget ran out.
    #[error("work budget of {budget} signature checks exhausted")]
    WorkBudgetExceeded {
        /// The budget that was exhausted.
        budget: u32,
    },
    /// The certificate is on its issuer's revocation list.
    #[error("certificate revoked at {date} ({})", reason.map_or("no reason given", |r| r.name()))]
    Revoked {
        /// The reason code, when the CRL gives one.
        reason: Option<RevocationReason>,
        /// The revocation date.
        date: UnixTime,
    },
    /// The CRL's nextUpdate has passed (per the staleness policy).
    #[error("CRL stale at {time} (nextUpdate {next_update:?})")]
    CrlStale {
        /// nextUpdate of the CRL (`None`: the CRL has no nextUpdate).
        next_update: Option<UnixTime>,
        /// The verification time.
        time: UnixTime,
    },
    /// The CRL's thisUpdate is after the verification time.
    #[error("CRL not yet valid: thisUpdate {this_update} is after {time}")]
    CrlNotYetValid {
        /// thisUpdate of the CRL.
        this_update: UnixTime,
        /// The verification time.
        time: UnixTime,
    },
    /// No trust anchor issued this CRL (name, key identifier and signature).
    /// The issuer's name is not kept: it is text out of an untrusted CRL.
    #[error("CRL issuer is not a trust anchor")]
    CrlUnknownIssuer,
    /// The CRL signature does not verify under its issuer.
    #[error("CRL signature does not verify")]
    CrlBadSignature,
    /// The CRL holds more entries than the caller's limit.
    #[error("CRL has more than {limit} entries")]
    CrlTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The relying-party policy requires a revocation check that could not be made.
    #[error("revocation not checked ({reason}) but the policy requires it")]
    RevocationNotChecked {
        /// Why no check was possible ([`NotCheckedReason::as_str`](super::NotCheckedReason::as_str):
        /// the distribution point, which names the holder's municipality, is not kept).
        reason: &'static str,
    },
    /// A CRL's issuingDistributionPoint asks for a kind of scope this library does not
    /// evaluate (indirect CRL, onlySomeReasons, attribute certificates).
    #[error("CRL scope not supported: {detail}")]
    CrlUnsupportedScope {
        /// Which scope feature.
        detail: &'static str,
    },
    /// A CA-certificate (ARL) check was asked for a certificate that is not a CA.
    #[error("not a CA certificate")]
    NotACaCertificate,
    /// The OCSP responder did not answer `successful` (RFC 6960 §4.2.1).
    #[error("OCSP responder answered {status} ({})", ocsp_status_name(*status))]
    OcspResponderStatus {
        /// OCSPResponseStatus (1 malformedRequest, 2 internalError, 3 tryLater,
        /// 5 sigRequired, 6 unauthorized).
        status: u8,
    },
    /// The OCSP response is not a basic response (id-pkix-ocsp-basic).
    #[error("OCSP response type {oid} is not id-pkix-ocsp-basic")]
    OcspResponseType {
        /// The responseType found.
        oid: ObjectIdentifier,
    },
    /// The response's nonce is absent or differs from the request's.
    #[error("OCSP nonce missing or different from the request's")]
    OcspNonceMismatch,
    /// The response was signed by neither the issuing CA nor a responder certificate the CA
    /// issued with id-kp-OCSPSigning, valid at the verification time.
    #[error("OCSP responder not authorised by the issuer: {detail}")]
    OcspResponderNotAuthorised {
        /// What was wrong.
        detail: &'static str,
    },
    /// The responder's signature over the response does not verify.
    #[error("OCSP response signature does not verify")]
    OcspBadSignature,
    /// The response carries no answer for the requested certificate.
    #[error("OCSP response has no answer for the requested certificate")]
    OcspNoAnswer,
    /// The response's nextUpdate has passed (per the staleness policy), or it has none.
    #[error("OCSP response stale at {time} (nextUpdate {next_update:?})")]
    OcspStale {
        /// nextUpdate of the answer (`None`: absent).
        next_update: Option<UnixTime>,
        /// The verification time.
        time: UnixTime,
    },
    /// The response's thisUpdate is after the verification time.
    #[error("OCSP response not yet valid: thisUpdate {this_update} is after {time}")]
    OcspNotYetValid {
        /// thisUpdate of the answer.
        this_update: UnixTime,
        /// The verification time.
        time: UnixTime,
    },
    /// The signature over the challenge (or message) does not verify with the certificate's key.
    #[error("signature over the challenge does not verify")]
    ChallengeSignatureInvalid,
    /// The signature is not the length of the key's modulus.
    #[error("signature is {found} bytes, the key needs {expected}")]
    SignatureLength {
        /// Modulus length in bytes.
        expected: usize,
        /// Length received.
        found: usize,
    },
    /// The relying-party policy does not accept this kind of certificate.
    #[error("certificate kind not accepted by the relying-party policy: {detail}")]
    KindNotAccepted {
        /// What was refused.
        detail: String,
    },
    /// A decision of the relying-party policy (grace for an expired certificate, or
    /// `accept_smartphone = false`) needs the token's form, and neither the certificate's policy
    /// nor the token's label read in this session established it. Read the token's EF 0006
    /// label and present again with [`super::Presentation::token_form`] set.
    #[error("the token's form (card or smartphone) is not established and the policy needs it")]
    FormNotEstablished,
    /// The certificate (or CRL) is signed with SHA-1, which is refused.
    #[error("SHA-1 signature on a {what} refused")]
    Sha1Refused {
        /// `"certificate"` or `"CRL"`.
        what: &'static str,
    },
    /// extendedKeyUsage is present and does not allow the certificate's purpose.
    #[error("extendedKeyUsage does not allow a {purpose} certificate")]
    WrongExtendedKeyUsage {
        /// The purpose the certificate was checked for.
        purpose: Purpose,
    },
    /// The verification time is outside the issuing root's own validity: a J-LIS root never
    /// issues past its end, so such a path is forged or stale.
    #[error(
        "verification time {time} is outside the root's validity ({not_before} to {not_after})"
    )]
    OutsideAnchorValidity {
        /// notBefore of the root.
        not_before: UnixTime,
        /// notAfter of the root.
        not_after: UnixTime,
        /// The verification time.
        time: UnixTime,
    },
    /// A root certificate offered to [`super::TrustStore::recognise_root`] is not one of the six
    /// pinned J-LIS roots.
    #[error("root certificate with SHA-256 {fingerprint} is not a pinned J-LIS root")]
    UnrecognisedRoot {
        /// SHA-256 of the offered certificate, upper-case hex.
        fingerprint: String,
    },
    /// A trust anchor candidate is not a CA certificate fit to be an anchor.
    #[error("not a valid trust anchor: {detail}")]
    BadTrustAnchor {
        /// What was wrong.
        detail: String,
    },
    /// A personal-data otherName of a signature certificate is missing or malformed.
    #[error("bad subjectAltName attribute {oid}: {detail}")]
    BadAttribute {
        /// The attribute's OID (`1.2.392.200149.8.5.5.N`).
        oid: ObjectIdentifier,
        /// What was wrong.
        detail: &'static str,
    },
    /// The selected signature backend cannot perform this operation.
    #[error("backend {backend} does not support {what}")]
    BackendUnsupported {
        /// Backend name.
        backend: &'static str,
        /// The unsupported operation.
        what: &'static str,
    },
}

fn ocsp_status_name(status: u8) -> &'static str {
    match status {
        1 => "malformedRequest",
        2 => "internalError",
        3 => "tryLater",
        5 => "sigRequired",
        6 => "unauthorized",
        _ => "unknown status",
    }
}

impl From<crate::crypto::backend::KeyError> for PkiError {
    fn from(e: crate::crypto::backend::KeyError) -> Self {
        use crate::crypto::backend::KeyError;
        match e {
            KeyError::Malformed { what, at, detail } => PkiError::Malformed { what, at, detail },
            KeyError::UnsupportedPublicKey { detail } => PkiError::UnsupportedPublicKey { detail },
        }
    }
}

impl PkiError {
    /// A stable, machine-readable code for this reason (`"pki.revoked"`, `"pki.sha1_refused"`,
    /// …): one per variant, never changed once published.
    pub fn code(&self) -> &'static str {
        match self {
            PkiError::Malformed { .. } => "pki.malformed",
            PkiError::UnsupportedVersion => "pki.unsupported_version",
            PkiError::UnsupportedSignatureAlgorithm { .. } => "pki.unsupported_signature_algorithm",
            PkiError::SignatureAlgorithmMismatch => "pki.signature_algorithm_mismatch",
            PkiError::UnsupportedPublicKey { .. } => "pki.unsupported_public_key",
            PkiError::WeakKey { .. } => "pki.weak_key",
            PkiError::DuplicateExtension { .. } => "pki.duplicate_extension",
            PkiError::UnknownCriticalExtension { .. } => "pki.unknown_critical_extension",
            PkiError::Expired { .. } => "pki.expired",
            PkiError::NotYetValid { .. } => "pki.not_yet_valid",
            PkiError::UnknownIssuer => "pki.unknown_issuer",
            PkiError::BadSignature => "pki.bad_signature",
            PkiError::WrongKeyUsage { .. } => "pki.wrong_key_usage",
            PkiError::EndEntityIsCa => "pki.end_entity_is_ca",
            PkiError::MissingPolicy => "pki.missing_policy",
            PkiError::WrongPolicy { .. } => "pki.wrong_policy",
            PkiError::WrongPurpose { .. } => "pki.wrong_purpose",
            PkiError::WorkBudgetExceeded { .. } => "pki.work_budget_exceeded",
            PkiError::Revoked { .. } => "pki.revoked",
            PkiError::CrlStale { .. } => "pki.crl_stale",
            PkiError::CrlNotYetValid { .. } => "pki.crl_not_yet_valid",
            PkiError::CrlUnknownIssuer => "pki.crl_unknown_issuer",
            PkiError::CrlBadSignature => "pki.crl_bad_signature",
            PkiError::CrlTooLarge { .. } => "pki.crl_too_large",
            PkiError::RevocationNotChecked { .. } => "pki.revocation_not_checked",
            PkiError::ChallengeSignatureInvalid => "pki.challenge_signature_invalid",
            PkiError::SignatureLength { .. } => "pki.signature_length",
            PkiError::KindNotAccepted { .. } => "pki.kind_not_accepted",
            PkiError::FormNotEstablished => "pki.form_not_established",
            PkiError::Sha1Refused { .. } => "pki.sha1_refused",
            PkiError::WrongExtendedKeyUsage { .. } => "pki.wrong_extended_key_usage",
            PkiError::OutsideAnchorValidity { .. } => "pki.outside_anchor_validity",
            PkiError::UnrecognisedRoot { .. } => "pki.unrecognised_root",
            PkiError::BadTrustAnchor { .. } => "pki.bad_trust_anchor",
            PkiError::BadAttribute { .. } => "pki.bad_attribute",
            PkiError::BackendUnsupported { .. } => "pki.backend_unsupported",
            PkiError::CrlUnsupportedScope { .. } => "pki.crl_unsupported_scope",
            PkiError::NotACaCertificate => "pki.not_a_ca_certificate",
            PkiError::OcspResponderStatus { .. } => "pki.ocsp_responder_status",
            PkiError::OcspResponseType { .. } => "pki.ocsp_response_type",
            PkiError::OcspNonceMismatch => "pki.ocsp_nonce_mismatch",
            PkiError::OcspResponderNotAuthorised { .. } => "pki.ocsp_responder_not_authorised",
            PkiError::OcspBadSignature => "pki.ocsp_bad_signature",
            PkiError::OcspNoAnswer => "pki.ocsp_no_answer",
            PkiError::OcspStale { .. } => "pki.ocsp_stale",
            PkiError::OcspNotYetValid { .. } => "pki.ocsp_not_yet_valid",
        }
    }

    pub(crate) fn malformed(what: &'static str, e: der::Error) -> Self {
        PkiError::Malformed {
            what,
            at: e
                .position()
                .map(|p| usize::try_from(u32::from(p)).unwrap_or(usize::MAX)),
            detail: e.kind().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_distinct_stable_code() {
        let t = UnixTime::from_secs(0);
        let oid = ObjectIdentifier::new_unwrap("1.2.3");
        let all = [
            PkiError::Malformed {
                what: "certificate",
                at: None,
                detail: String::new(),
            },
            PkiError::UnsupportedVersion,
            PkiError::UnsupportedSignatureAlgorithm { oid },
            PkiError::SignatureAlgorithmMismatch,
            PkiError::UnsupportedPublicKey {
                detail: String::new(),
            },
            PkiError::WeakKey { bits: 1024 },
            PkiError::DuplicateExtension { oid },
            PkiError::UnknownCriticalExtension { oid },
            PkiError::Expired {
                not_after: t,
                time: t,
            },
            PkiError::NotYetValid {
                not_before: t,
                time: t,
            },
            PkiError::UnknownIssuer,
            PkiError::BadSignature,
            PkiError::WrongKeyUsage {
                purpose: Purpose::Signature,
            },
            PkiError::EndEntityIsCa,
            PkiError::MissingPolicy,
            PkiError::WrongPolicy { oid },
            PkiError::WrongPurpose {
                expected: Purpose::Signature,
                found: Purpose::Authentication,
            },
            PkiError::WorkBudgetExceeded { budget: 1 },
            PkiError::Revoked {
                reason: None,
                date: t,
            },
            PkiError::CrlStale {
                next_update: None,
                time: t,
            },
            PkiError::CrlNotYetValid {
                this_update: t,
                time: t,
            },
            PkiError::CrlUnknownIssuer,
            PkiError::CrlBadSignature,
            PkiError::CrlTooLarge { limit: 1 },
            PkiError::RevocationNotChecked { reason: "" },
            PkiError::ChallengeSignatureInvalid,
            PkiError::SignatureLength {
                expected: 1,
                found: 2,
            },
            PkiError::KindNotAccepted {
                detail: String::new(),
            },
            PkiError::FormNotEstablished,
            PkiError::Sha1Refused { what: "CRL" },
            PkiError::WrongExtendedKeyUsage {
                purpose: Purpose::Authentication,
            },
            PkiError::OutsideAnchorValidity {
                not_before: t,
                not_after: t,
                time: t,
            },
            PkiError::UnrecognisedRoot {
                fingerprint: String::new(),
            },
            PkiError::BadTrustAnchor {
                detail: String::new(),
            },
            PkiError::BadAttribute { oid, detail: "" },
            PkiError::BackendUnsupported {
                backend: "",
                what: "",
            },
        ];
        let codes: std::collections::BTreeSet<&str> = all.iter().map(PkiError::code).collect();
        assert_eq!(codes.len(), all.len());
        assert!(codes.iter().all(|c| c.starts_with("pki.")));
        assert_eq!(all[18].code(), "pki.revoked");
        assert_eq!(all[29].code(), "pki.sha1_refused");
    }
}
