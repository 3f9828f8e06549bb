//! Issue 11 (pki): what path validation refuses — SHA-1 signatures on certificates and CRLs,
//! extendedKeyUsage that excludes the purpose, paths evaluated outside the root's validity —
//! and what it must not refuse (a notAfter of 99991231235959Z under a grace policy); the
//! certificate's `Debug` redacts the subject.

use crate::common::gen_test_pki;

use der::asn1::{GeneralizedTime, ObjectIdentifier};
use gen_test_pki as g;
use mynacard::pki::{
    self, CrlIndex, CrlLimits, PkiError, Presentation, Purpose, RelyingPartyPolicy, UnixTime,
};
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::time::{Time, Validity};

const T: UnixTime = pki::test_pki::REFERENCE_TIME;
const SHA256_RSA: [u8; 9] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
const SHA1_RSA: [u8; 9] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05];

use crate::common::pki::{data, store};

/// Every sha256WithRSAEncryption OID in `der` replaced by sha1WithRSAEncryption's.
fn as_sha1(der: &[u8]) -> Vec<u8> {
    let mut out = der.to_vec();
    let mut i = 0;
    let mut n = 0;
    while i + SHA256_RSA.len() <= out.len() {
        if out[i..i + SHA256_RSA.len()] == SHA256_RSA {
            out[i..i + SHA1_RSA.len()].copy_from_slice(&SHA1_RSA);
            n += 1;
        }
        i += 1;
    }
    assert_eq!(n, 2, "inner and outer signature algorithm");
    out
}

/// A TEST auth leaf under the TEST auth CA with the given validity and extra extensions.
fn leaf(
    label: &str,
    validity: Validity,
    extra: Vec<x509_cert::ext::Extension>,
) -> (Vec<u8>, rsa::PrivateKey) {
    crate::common::pki::auth_leaf(label, &[0x55, 0x03], validity, extra)
}

fn eku(critical: bool, purposes: &[&str]) -> x509_cert::ext::Extension {
    let eku = ExtendedKeyUsage(
        purposes
            .iter()
            .map(|p| ObjectIdentifier::new_unwrap(p))
            .collect(),
    );
    g::ext("2.5.29.37", critical, &eku).expect("EKU")
}

fn usual_validity() -> Validity {
    g::validity((2024, 4, 1), (2030, 3, 31)).expect("validity")
}

#[test]
fn sha1_signed_certificate_is_refused() {
    let sha1 = as_sha1(&data("yamada_auth.der"));
    assert_eq!(
        pki::Certificate::from_der(&sha1).map(|_| ()),
        Err(PkiError::Sha1Refused {
            what: "certificate"
        })
    );
    assert_eq!(
        store()
            .verify_certificate(&sha1, Purpose::Authentication, T)
            .map(|_| ()),
        Err(PkiError::Sha1Refused {
            what: "certificate"
        })
    );
}

#[test]
fn sha1_signed_crl_is_refused() {
    let sha1 = as_sha1(&data("auth_ca.crl.der"));
    assert_eq!(
        CrlIndex::from_der(&sha1, &store(), CrlLimits::default()).map(|_| ()),
        Err(PkiError::Sha1Refused { what: "CRL" })
    );
}

#[test]
fn not_after_9999_under_a_grace_policy_is_not_expired() {
    let end = GeneralizedTime::from_date_time(
        der::DateTime::new(9999, 12, 31, 23, 59, 59).expect("date"),
    );
    let start = g::time(2024, 4, 1, 0, 0, 0).expect("time");
    let (der, key) = leaf(
        "no_well_defined_end",
        Validity::new(start, Time::GeneralTime(end)),
        vec![],
    );
    let challenge = b"challenge 9999";
    let sig = SigningKey::<sha2::Sha256>::new(key)
        .sign(challenge)
        .to_vec();
    let id = pki::verify_presentation(
        &Presentation::new(&der, challenge, &sig),
        &store(),
        &pki::NoRevocationSource,
        &RelyingPartyPolicy {
            revocation: pki::RevocationRequirement::BestEffort,
            ..RelyingPartyPolicy::medical_eligibility()
        },
        T,
    )
    .expect("valid");
    assert_eq!(id.grace(), None);
    assert_eq!(id.not_after().to_string(), "9999-12-31T23:59:59Z");
}

#[test]
fn path_evaluated_after_the_roots_not_after_is_refused() {
    // The TEST auth CA ends 2040-01-01T14:59:59Z; this leaf claims to run to 2045.
    let (der, _) = leaf(
        "outlives_its_root",
        g::validity((2024, 4, 1), (2045, 3, 31)).expect("validity"),
        vec![],
    );
    let ca = pki::Certificate::from_der(&data("auth_ca.der")).expect("CA");
    let after_root = ca.not_after().saturating_add_secs(86_400);
    assert_eq!(
        store()
            .verify_certificate(&der, Purpose::Authentication, after_root)
            .map(|_| ()),
        Err(PkiError::OutsideAnchorValidity {
            not_before: ca.not_before(),
            not_after: ca.not_after(),
            time: after_root
        })
    );
    // Inside the root's validity the same leaf is fine.
    assert!(
        store()
            .verify_certificate(&der, Purpose::Authentication, T)
            .is_ok()
    );
}

#[test]
fn critical_eku_without_client_auth_is_refused_for_authentication() {
    let (der, _) = leaf(
        "eku_email_only",
        usual_validity(),
        vec![eku(true, &["1.3.6.1.5.5.7.3.4"])],
    );
    assert_eq!(
        store()
            .verify_certificate(&der, Purpose::Authentication, T)
            .map(|_| ()),
        Err(PkiError::WrongExtendedKeyUsage {
            purpose: Purpose::Authentication
        })
    );
}

#[test]
fn present_eku_is_enforced_even_when_not_critical() {
    let (der, _) = leaf(
        "eku_server_only",
        usual_validity(),
        vec![eku(false, &["1.3.6.1.5.5.7.3.1"])],
    );
    assert_eq!(
        store()
            .verify_certificate(&der, Purpose::Authentication, T)
            .map(|_| ()),
        Err(PkiError::WrongExtendedKeyUsage {
            purpose: Purpose::Authentication
        })
    );
    let (der, _) = leaf(
        "eku_client_auth",
        usual_validity(),
        vec![eku(true, &["1.3.6.1.5.5.7.3.2"])],
    );
    let v = store()
        .verify_certificate(&der, Purpose::Authentication, T)
        .expect("clientAuth allows authentication");
    assert_eq!(
        v.certificate()
            .extended_key_usage()
            .map(|e| e.purposes.clone()),
        Some(vec![pki::EKU_CLIENT_AUTH])
    );
}

#[test]
fn certificate_debug_redacts_the_subject_locality() {
    let c = pki::Certificate::from_der(&data("yamada_sign.der")).expect("parses");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("Chiyoda") && !dbg.contains("L="), "{dbg}");
    assert!(dbg.contains("134FD0D8"), "{dbg}");
}
