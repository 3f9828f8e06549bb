//! JPKI path validation, revocation, attributes and presentation verification against the
//! TEST PKI (`crates/mynacard-virtual-card/data/pki`) and the real J-LIS roots. Every `PkiError` variant is provoked.

use crate::common::gen_test_pki;

use der::Encode;
use der::asn1::ObjectIdentifier;
use gen_test_pki as g;
use mynacard::date::Era;
use mynacard::person::Sex;
use mynacard::pki::{
    self, CertificateKind, CrlIndex, CrlLimits, CrlSet, Form, HashAlgorithm, Hierarchy,
    NoRevocationSource, NotCheckedReason, PkiError, Presentation, Purpose, RelyingPartyPolicy,
    RevocationMethod, RevocationReason, RevocationRequirement, RevocationSource, RevocationStatus,
    SignedPayload, StalenessPolicy, TrustStore, UnixTime, UnknownPolicy, ValidationOptions,
};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages, SubjectAltName};

const T: UnixTime = pki::test_pki::REFERENCE_TIME;

use crate::common::pki::{data, store};

fn crls(store: &TrustStore) -> CrlSet {
    let mut set = CrlSet::new();
    for f in ["auth_ca.crl.der", "sign_ca.crl.der"] {
        set.insert(CrlIndex::from_der(&data(f), store, CrlLimits::default()).expect("CRL"));
    }
    set
}

fn sign_with(key_file: &str, msg: &[u8]) -> Vec<u8> {
    let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(&data(key_file)).expect("key");
    key.sign(msg).to_vec()
}

fn at(y: u16, m: u8, d: u8) -> UnixTime {
    UnixTime::from(der::DateTime::new(y, m, d, 0, 0, 0).expect("date"))
}

fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

// ---------- certificate builders for the failure cases ----------

struct Leaf {
    label: &'static str,
    bits: usize,
    issuer_ca: &'static str,
    issuer_name: Option<x509_cert::name::Name>,
    aki: Option<Vec<u8>>,
    validity: ((u16, u8, u8), (u16, u8, u8)),
    extensions: Vec<x509_cert::ext::Extension>,
}

fn auth_exts(policy: &str) -> Vec<x509_cert::ext::Extension> {
    vec![
        g::ext(
            g::OID_KU,
            true,
            &KeyUsage(KeyUsages::DigitalSignature.into()),
        )
        .expect("KU"),
        g::ext(g::OID_CP, false, &g::policies(policy, false).expect("CP")).expect("CP"),
    ]
}

impl Leaf {
    fn auth(label: &'static str) -> Self {
        Leaf {
            label,
            bits: 2048,
            issuer_ca: "auth_ca",
            issuer_name: None,
            aki: None,
            validity: ((2024, 4, 1), (2030, 3, 31)),
            extensions: auth_exts(g::POLICY_TEST_CARD_AUTH),
        }
    }

    fn build(self) -> (Vec<u8>, rsa::PrivateKey) {
        let key = g::gen_key_bits(&format!("tests/{}", self.label), self.bits).expect("key");
        let spki = g::spki_of(&key).expect("spki");
        let ca_key = rsa::PrivateKey::from_pkcs8_der(&data(&format!("{}.key.der", self.issuer_ca)))
            .expect("CA key");
        let ca = mynacard::pki::Certificate::from_der(&data(&format!("{}.der", self.issuer_ca)))
            .expect("CA");
        let issuer = self.issuer_name.unwrap_or_else(|| ca.subject().clone());
        let aki = self
            .aki
            .or_else(|| ca.subject_key_id().map(<[u8]>::to_vec))
            .expect("aki");
        let mut extensions = self.extensions;
        let aki_ext = x509_cert::ext::pkix::AuthorityKeyIdentifier {
            key_identifier: Some(der::asn1::OctetString::new(aki).expect("aki")),
            ..Default::default()
        };
        extensions.push(g::ext(g::OID_AKI, false, &aki_ext).expect("aki"));
        let subject = g::name(&[
            (g::OID_C, g::Str::Printable("JP")),
            (g::OID_CN, g::Str::Utf8("TESTCASE")),
        ])
        .expect("dn");
        let profile = g::Fixed {
            issuer,
            subject,
            extensions,
        };
        let validity = g::validity(self.validity.0, self.validity.1).expect("validity");
        let cert = g::issue(&ca_key, &[0x55, 0x01], validity, &spki, profile).expect("issue");
        (cert.to_der().expect("der"), key)
    }
}

fn verify_auth(der: &[u8]) -> Result<pki::VerifiedCertificate, PkiError> {
    store().verify_certificate(der, Purpose::Authentication, T)
}

// ---------- the J-LIS roots ----------

#[test]
fn jlis_roots_are_the_six_pinned_generations() {
    let s = TrustStore::jlis().expect("J-LIS store");
    let pins: [(&str, &str, Purpose, u16); 6] = [
        (
            "jlis_auth_ca_2015",
            "4DCFC4CA0AAF9FB2A3081B3F0C991C320B3ACC008667A341EEAEC5AF1D58CA7D",
            Purpose::Authentication,
            2015,
        ),
        (
            "jlis_auth_ca_2019",
            "0D98DE47FC11B7F67126874B7028B6026A803D2638D6EDFE53176953961FADE6",
            Purpose::Authentication,
            2019,
        ),
        (
            "jlis_auth_ca_2023",
            "64114F29620C24ED2631D46476A040E7EE740D956089C00B036A6A8118C322B5",
            Purpose::Authentication,
            2023,
        ),
        (
            "jlis_sign_ca_2015",
            "19645405A1FE14377434BD55957628AC4038557C542403A2243F21C706FC9355",
            Purpose::Signature,
            2015,
        ),
        (
            "jlis_sign_ca_2019",
            "79679C33E4CC9319440F1AD120A597FF1844E2EF217063ADB176966FD5E6FBEB",
            Purpose::Signature,
            2019,
        ),
        (
            "jlis_sign_ca_2023",
            "D227F6CDE11D35C5252178F106F843D24651944975413B539FA2FB68DBFA365F",
            Purpose::Signature,
            2023,
        ),
    ];
    assert_eq!(s.anchors().len(), pins.len());
    for (a, (label, fp, purpose, generation)) in s.anchors().iter().zip(pins) {
        let hex: String = a
            .sha256_fingerprint()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        assert_eq!(
            (
                a.label(),
                hex.as_str(),
                a.purpose(),
                a.hierarchy(),
                a.generation()
            ),
            (label, fp, purpose, Hierarchy::Production, Some(generation))
        );
    }
    let serials: Vec<String> = s.anchors().iter().map(|a| a.serial_hex()).collect();
    assert_eq!(
        serials,
        ["01", "0133C349", "06D18006", "01", "0132C4AB", "067C6A21"]
    );
    // Three generations of each purpose share one DN.
    assert!(
        s.anchors()[..3]
            .iter()
            .all(|a| a.subject() == s.anchors()[0].subject())
    );
    assert!(
        s.anchors()[3..]
            .iter()
            .all(|a| a.subject() == s.anchors()[3].subject())
    );
    // The 2015 roots expired 2025-10-19 and are kept.
    assert_eq!(
        s.anchors()[0].not_after().to_string(),
        "2025-10-19T14:59:59Z"
    );
}

/// A fake "2019 auth root": the real J-LIS auth DN, a TEST key.
fn fake_2019_auth_root() -> (Vec<u8>, rsa::PrivateKey) {
    let jlis = TrustStore::jlis().expect("store");
    let dn = jlis.anchors()[1].subject().clone();
    let key = g::gen_key("tests/fake_authca02").expect("key");
    let spki = g::spki_of(&key).expect("spki");
    let ski = g::key_id(&spki).expect("ski");
    let extensions = vec![
        g::ext(
            g::OID_KU,
            true,
            &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        )
        .expect("KU"),
        g::ext(
            g::OID_BC,
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: None,
            },
        )
        .expect("BC"),
        g::ext(g::OID_SKI, false, &ski).expect("SKI"),
    ];
    let profile = g::Fixed {
        issuer: dn.clone(),
        subject: dn,
        extensions,
    };
    let v = g::validity((2019, 9, 14), (2029, 9, 14)).expect("validity");
    let cert = g::issue(&key, &[0x01, 0x33, 0xC3, 0x49], v, &spki, profile).expect("root");
    (cert.to_der().expect("der"), key)
}

#[test]
fn certificate_under_a_look_alike_root_is_unknown_issuer_until_that_anchor_is_added() {
    let (root_der, root_key) = fake_2019_auth_root();
    let root = pki::Certificate::from_der(&root_der).expect("root");
    // Issue a production-profile auth certificate under it.
    let key = g::gen_key("tests/under_2019").expect("key");
    let spki = g::spki_of(&key).expect("spki");
    let mut extensions = auth_exts("1.2.392.200149.8.5.1.3.30");
    let aki = x509_cert::ext::pkix::AuthorityKeyIdentifier {
        key_identifier: Some(
            der::asn1::OctetString::new(root.subject_key_id().expect("ski")).expect("aki"),
        ),
        ..Default::default()
    };
    extensions.push(g::ext(g::OID_AKI, false, &aki).expect("aki"));
    let subject = g::name(&[
        (g::OID_C, g::Str::Printable("JP")),
        (g::OID_CN, g::Str::Utf8("TEST2019")),
    ])
    .expect("dn");
    let profile = g::Fixed {
        issuer: root.subject().clone(),
        subject,
        extensions,
    };
    let v = g::validity((2024, 4, 1), (2030, 3, 31)).expect("validity");
    let leaf = g::issue(&root_key, &[0x42], v, &spki, profile)
        .expect("leaf")
        .to_der()
        .expect("der");

    let mut jlis = TrustStore::jlis().expect("store");
    let e = jlis
        .verify_certificate(&leaf, Purpose::Authentication, T)
        .map(|_| ());
    assert_eq!(e, Err(PkiError::UnknownIssuer));
    // Same DN as the real roots, another key: only the caller's explicit anchor makes it valid.
    jlis.add_anchor(
        "look_alike_auth_ca",
        &root_der,
        Purpose::Authentication,
        Hierarchy::Production,
    )
    .expect("anchor");
    let v = jlis
        .verify_certificate(&leaf, Purpose::Authentication, T)
        .expect("now valid");
    assert_eq!(v.anchor(), "look_alike_auth_ca");
    assert_eq!(
        v.kind().entry().map(|e| (e.purpose, e.hierarchy)),
        Some((Purpose::Authentication, Hierarchy::Production))
    );
}

#[test]
fn test_pki_certificates_are_unknown_to_the_production_store() {
    let jlis = TrustStore::jlis().expect("store");
    let e = jlis
        .verify_certificate(&data("yamada_auth.der"), Purpose::Authentication, T)
        .map(|_| ());
    assert!(matches!(e, Err(PkiError::UnknownIssuer)), "{e:?}");
    let crl = CrlIndex::from_der(&data("auth_ca.crl.der"), &jlis, CrlLimits::default()).map(|_| ());
    assert!(matches!(crl, Err(PkiError::CrlUnknownIssuer)), "{crl:?}");
}

// ---------- valid certificates, kinds and attributes ----------

#[test]
fn valid_card_and_phone_certificates_classify_by_policy() {
    let s = store();
    let cases = [
        ("yamada_auth.der", Purpose::Authentication, Some(Form::Card)),
        ("yamada_sign.der", Purpose::Signature, Some(Form::Card)),
        (
            "ito_auth.der",
            Purpose::Authentication,
            Some(Form::Smartphone),
        ),
        ("kato_sign.der", Purpose::Signature, Some(Form::Smartphone)),
        (
            "nakamura_auth.der",
            Purpose::Authentication,
            Some(Form::Card),
        ),
    ];
    for (file, purpose, form) in cases {
        let v = s
            .verify_certificate(&data(file), purpose, T)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let e = v.kind().entry().expect("known");
        assert_eq!(
            (e.purpose, e.form, e.hierarchy),
            (purpose, form, Hierarchy::MynacardTest),
            "{file}"
        );
        let expected_anchor = match purpose {
            Purpose::Signature => "mynacard_TEST_sign_ca",
            Purpose::Authentication => "mynacard_TEST_auth_ca",
        };
        assert_eq!(v.anchor(), expected_anchor);
    }
}

#[test]
fn sign_certificate_attributes_decode_by_oid() {
    let v = store()
        .verify_certificate(&data("yamada_sign.der"), Purpose::Signature, T)
        .expect("valid");
    let a = v.holder_attributes().expect("attributes");
    assert_eq!(a.name(), "山田　太郎");
    assert_eq!(a.address(), "東京都千代田区霞が関２－１－２");
    assert_eq!(
        (a.birth_date().era(), a.birth_date().complete()),
        (Some(Era::Heisei), Some((1990, 4, 1)))
    );
    assert_eq!(a.sex(), Sex::Male);
    assert!(!a.name_flags().any() && a.address_flags().flags().len() == 15);
    assert!(a.other_names().is_empty());
    assert_eq!(format!("{a:?}"), "HolderAttributes(<redacted>)");

    // Substitute characters, last day of Shōwa.
    let v = store()
        .verify_certificate(&data("takahashi_sign.der"), Purpose::Signature, T)
        .expect("valid");
    let a = v.holder_attributes().expect("attributes");
    assert_eq!(a.name_flags().flags(), &[true, false, false, false, false]);
    assert_eq!(a.address_flags().flags().iter().filter(|f| **f).count(), 1);
    assert_eq!(
        (a.birth_date().era(), a.birth_date().complete()),
        (Some(Era::Showa), Some((1989, 1, 7)))
    );
    assert_eq!(a.sex(), Sex::Female);

    // Auth certificates carry no personal data.
    let v = verify_auth(&data("yamada_auth.der")).expect("valid");
    assert_eq!(
        v.holder_attributes().map(|_| ()),
        Err(PkiError::WrongPurpose {
            expected: Purpose::Signature,
            found: Purpose::Authentication
        })
    );
}

#[test]
fn missing_san_attribute_is_bad_attribute() {
    let san = SubjectAltName(vec![
        g::other_name(1, "試験　花子").expect("on"),
        g::other_name(4, "419900401").expect("on"),
        g::other_name(3, "2").expect("on"),
        g::other_name(2, "00000").expect("on"),
        g::other_name(6, "000").expect("on"),
        g::other_name(7, "テスト").expect("on"),
    ]);
    let mut leaf = Leaf::auth("no_address");
    leaf.issuer_ca = "sign_ca";
    leaf.extensions = vec![
        g::ext(
            g::OID_KU,
            true,
            &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation),
        )
        .expect("KU"),
        g::ext(g::OID_SAN, false, &san).expect("SAN"),
        g::ext(
            g::OID_CP,
            true,
            &g::policies(g::POLICY_TEST_CARD_SIGN, true).expect("CP"),
        )
        .expect("CP"),
    ];
    let (der, _) = leaf.build();
    let v = store()
        .verify_certificate(&der, Purpose::Signature, T)
        .expect("valid");
    assert_eq!(
        v.holder_attributes().map(|_| ()),
        Err(PkiError::BadAttribute {
            oid: oid("1.2.392.200149.8.5.5.5"),
            detail: "missing"
        })
    );
}

// ---------- every validation error ----------

#[test]
fn malformed_version_and_algorithm_errors() {
    let good = data("yamada_auth.der");
    assert!(matches!(
        verify_auth(&good[..100]),
        Err(PkiError::Malformed {
            what: "certificate",
            ..
        })
    ));

    // No extensions at all: the builder writes an X.509 v1 certificate.
    let key = g::gen_key("tests/v1").expect("key");
    let spki = g::spki_of(&key).expect("spki");
    let ca_key = rsa::PrivateKey::from_pkcs8_der(&data("auth_ca.key.der")).expect("CA key");
    let ca = pki::Certificate::from_der(&data("auth_ca.der")).expect("CA");
    let profile = g::Fixed {
        issuer: ca.subject().clone(),
        subject: ca.subject().clone(),
        extensions: Vec::new(),
    };
    let v = g::validity((2024, 4, 1), (2030, 3, 31)).expect("validity");
    let v1 = g::issue(&ca_key, &[1], v, &spki, profile)
        .expect("v1")
        .to_der()
        .expect("der");
    assert_eq!(
        verify_auth(&v1).map(|_| ()),
        Err(PkiError::UnsupportedVersion)
    );

    // sha256WithRSAEncryption → md5WithRSAEncryption in both places / only the outer one.
    let alg = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
    let hits: Vec<usize> = good
        .windows(alg.len())
        .enumerate()
        .filter(|(_, w)| *w == alg)
        .map(|(i, _)| i + 8)
        .collect();
    assert_eq!(hits.len(), 2);
    let mut both = good.clone();
    for i in &hits {
        both[*i] = 0x04;
    }
    assert_eq!(
        verify_auth(&both).map(|_| ()),
        Err(PkiError::UnsupportedSignatureAlgorithm {
            oid: oid("1.2.840.113549.1.1.4")
        })
    );
    let mut outer = good.clone();
    outer[hits[1]] = 0x0C;
    assert_eq!(
        verify_auth(&outer).map(|_| ()),
        Err(PkiError::SignatureAlgorithmMismatch)
    );

    // rsaEncryption → an unknown key algorithm.
    let rsa_oid = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
    let at = good
        .windows(rsa_oid.len())
        .position(|w| w == rsa_oid)
        .expect("spki oid")
        + 8;
    let mut bad_key = good.clone();
    bad_key[at] = 0x7F;
    assert!(matches!(
        verify_auth(&bad_key),
        Err(PkiError::UnsupportedPublicKey { .. })
    ));
}

#[test]
fn weak_key_duplicate_and_unknown_critical_extensions() {
    let (der, _) = Leaf {
        bits: 1024,
        ..Leaf::auth("weak")
    }
    .build();
    assert_eq!(
        verify_auth(&der).map(|_| ()),
        Err(PkiError::WeakKey { bits: 1024 })
    );

    let mut dup = Leaf::auth("dup");
    dup.extensions.push(
        g::ext(
            g::OID_KU,
            true,
            &KeyUsage(KeyUsages::DigitalSignature.into()),
        )
        .expect("KU"),
    );
    assert_eq!(
        verify_auth(&dup.build().0).map(|_| ()),
        Err(PkiError::DuplicateExtension {
            oid: oid("2.5.29.15")
        })
    );

    let mut crit = Leaf::auth("crit");
    crit.extensions
        .push(g::ext("1.3.6.1.4.1.32473.99", true, &der::asn1::Null).expect("ext"));
    assert_eq!(
        verify_auth(&crit.build().0).map(|_| ()),
        Err(PkiError::UnknownCriticalExtension {
            oid: oid("1.3.6.1.4.1.32473.99")
        })
    );
    // The same extension, non-critical, is fine.
    let mut noncrit = Leaf::auth("noncrit");
    noncrit
        .extensions
        .push(g::ext("1.3.6.1.4.1.32473.99", false, &der::asn1::Null).expect("ext"));
    assert!(verify_auth(&noncrit.build().0).is_ok());
}

#[test]
fn validity_window_is_checked_at_the_given_time() {
    let s = store();
    let suzuki = data("suzuki_auth.der");
    assert_eq!(
        s.verify_certificate(&suzuki, Purpose::Authentication, T)
            .map(|_| ()),
        Err(PkiError::Expired {
            not_after: at(2024, 8, 1).saturating_add_secs(14 * 3600 + 59 * 60 + 59),
            time: T
        })
    );
    // At a past time the expired certificate was valid.
    assert!(
        s.verify_certificate(&suzuki, Purpose::Authentication, at(2023, 1, 1))
            .is_ok()
    );
    assert_eq!(
        s.verify_certificate(
            &data("yamada_auth.der"),
            Purpose::Authentication,
            at(2024, 1, 1)
        )
        .map(|_| ()),
        Err(PkiError::NotYetValid {
            not_before: at(2024, 4, 1),
            time: at(2024, 1, 1)
        })
    );
}

#[test]
fn issuer_signature_key_usage_ca_and_policy_errors() {
    let mut tampered = data("yamada_auth.der");
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert_eq!(
        verify_auth(&tampered).map(|_| ()),
        Err(PkiError::BadSignature)
    );

    let mut ku = Leaf::auth("ku_noncritical");
    ku.extensions[0] = g::ext(
        g::OID_KU,
        false,
        &KeyUsage(KeyUsages::DigitalSignature.into()),
    )
    .expect("KU");
    assert_eq!(
        verify_auth(&ku.build().0).map(|_| ()),
        Err(PkiError::WrongKeyUsage {
            purpose: Purpose::Authentication
        })
    );
    let mut ku = Leaf::auth("ku_certsign");
    ku.extensions[0] = g::ext(
        g::OID_KU,
        true,
        &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::KeyCertSign),
    )
    .expect("KU");
    assert_eq!(
        verify_auth(&ku.build().0).map(|_| ()),
        Err(PkiError::WrongKeyUsage {
            purpose: Purpose::Authentication
        })
    );
    // An auth certificate lacks nonRepudiation: refused as a signature certificate.
    let mut as_sign = Leaf::auth("as_sign");
    as_sign.issuer_ca = "sign_ca";
    assert_eq!(
        store()
            .verify_certificate(&as_sign.build().0, Purpose::Signature, T)
            .map(|_| ()),
        Err(PkiError::WrongKeyUsage {
            purpose: Purpose::Signature
        })
    );

    let mut ca = Leaf::auth("ee_ca");
    ca.extensions.push(
        g::ext(
            g::OID_BC,
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: None,
            },
        )
        .expect("BC"),
    );
    assert_eq!(
        verify_auth(&ca.build().0).map(|_| ()),
        Err(PkiError::EndEntityIsCa)
    );

    let mut nopol = Leaf::auth("no_policy");
    nopol.extensions.truncate(1);
    assert_eq!(
        verify_auth(&nopol.build().0).map(|_| ()),
        Err(PkiError::MissingPolicy)
    );

    let unknown = "1.3.6.1.4.1.32473.8.5.1.3.99";
    let (der, _) = Leaf {
        extensions: auth_exts(unknown),
        ..Leaf::auth("unknown_policy")
    }
    .build();
    assert_eq!(
        verify_auth(&der).map(|_| ()),
        Err(PkiError::WrongPolicy { oid: oid(unknown) })
    );
    let lenient = store().with_options(ValidationOptions {
        unknown_policy: UnknownPolicy::Accept,
        ..Default::default()
    });
    let v = lenient
        .verify_certificate(&der, Purpose::Authentication, T)
        .expect("accepted");
    assert_eq!(v.kind(), &CertificateKind::Unknown(oid(unknown)));

    // A production policy under a TEST anchor: wrong hierarchy.
    let prod = store().with_policies(pki::PolicyTable::mynacard_test().with(
        pki::POLICY_JLIS_AUTH,
        Purpose::Authentication,
        None,
        Hierarchy::Production,
    ));
    let (der, _) = Leaf {
        extensions: auth_exts("1.2.392.200149.8.5.1.3.30"),
        ..Leaf::auth("prod_policy")
    }
    .build();
    assert_eq!(
        prod.verify_certificate(&der, Purpose::Authentication, T)
            .map(|_| ()),
        Err(PkiError::WrongPolicy {
            oid: pki::POLICY_JLIS_AUTH
        })
    );

    // A sign certificate where an auth one is needed.
    assert_eq!(
        verify_auth(&data("yamada_sign.der")).map(|_| ()),
        Err(PkiError::WrongPurpose {
            expected: Purpose::Authentication,
            found: Purpose::Signature
        })
    );
    // An auth-policy certificate issued by the sign CA.
    let mut cross = Leaf::auth("cross");
    cross.issuer_ca = "sign_ca";
    assert_eq!(
        verify_auth(&cross.build().0).map(|_| ()),
        Err(PkiError::WrongPurpose {
            expected: Purpose::Authentication,
            found: Purpose::Signature
        })
    );

    let broke = store().with_options(ValidationOptions {
        max_signature_checks: 0,
        ..Default::default()
    });
    assert_eq!(
        broke
            .verify_certificate(&data("yamada_auth.der"), Purpose::Authentication, T)
            .map(|_| ()),
        Err(PkiError::WorkBudgetExceeded { budget: 0 })
    );
}

#[test]
fn unknown_issuer_by_key_identifier() {
    let (der, _) = Leaf {
        aki: Some(vec![0xAB; 20]),
        ..Leaf::auth("other_aki")
    }
    .build();
    assert!(matches!(verify_auth(&der), Err(PkiError::UnknownIssuer)));
}

// ---------- revocation ----------

#[test]
fn crl_index_reports_reasons_and_hold_is_permanent() {
    let s = store();
    let auth = CrlIndex::from_der(&data("auth_ca.crl.der"), &s, CrlLimits::default()).expect("CRL");
    assert_eq!(
        (auth.anchor(), auth.entries().len()),
        ("mynacard_TEST_auth_ca", 5)
    );
    assert_eq!(auth.this_update(), at(2026, 1, 1));
    assert_eq!(auth.next_update(), Some(at(2036, 1, 1)));
    let hold = auth
        .entries()
        .lookup(&[0x1B, 0x7A, 0xCE, 0xC0])
        .expect("listed");
    assert_eq!(hold.1, Some(RevocationReason::CertificateHold));
    assert!(RevocationReason::CertificateHold.is_permanent());

    let set = crls(&s);
    let sato_sign = s
        .verify_certificate(&data("sato_sign.der"), Purpose::Signature, T)
        .expect("valid");
    let revoked_at = at(2026, 3, 2).saturating_add_secs(3600);
    assert_eq!(
        set.status(&sato_sign, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::Revoked {
            reason: Some(RevocationReason::AffiliationChanged),
            date: revoked_at,
            source: RevocationMethod::Crl,
        })
    );
    let yamada = verify_auth(&data("yamada_auth.der")).expect("valid");
    assert_eq!(
        set.status(&yamada, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::Good {
            this_update: at(2026, 1, 1),
            next_update: Some(at(2036, 1, 1)),
            source: RevocationMethod::Crl,
        })
    );
    // The sign CA's CRL says nothing about an auth certificate.
    let sign_crl =
        CrlIndex::from_der(&data("sign_ca.crl.der"), &s, CrlLimits::default()).expect("CRL");
    assert_eq!(
        sign_crl.status(&yamada, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoCrlForIssuer
        })
    );
    assert_eq!(
        NoRevocationSource.status(&yamada, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoSource
        })
    );
}

#[test]
fn crl_staleness_and_crl_errors() {
    let s = store();
    let stale =
        CrlIndex::from_der(&data("auth_ca.crl.stale.der"), &s, CrlLimits::default()).expect("CRL");
    let yamada = verify_auth(&data("yamada_auth.der")).expect("valid");
    assert_eq!(
        stale.status(&yamada, T, StalenessPolicy::Reject),
        Err(PkiError::CrlStale {
            next_update: Some(at(2025, 1, 2)),
            time: T
        })
    );
    assert_eq!(
        stale.status(&yamada, T, StalenessPolicy::ReportNotChecked),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::Stale
        })
    );
    assert!(matches!(
        stale.status(&yamada, T, StalenessPolicy::Tolerate { secs: 600 * 86400 }),
        Ok(RevocationStatus::Good { .. })
    ));
    let fresh =
        CrlIndex::from_der(&data("auth_ca.crl.der"), &s, CrlLimits::default()).expect("CRL");
    assert_eq!(
        fresh.status(&yamada, at(2025, 6, 1), StalenessPolicy::Reject),
        Err(PkiError::CrlNotYetValid {
            this_update: at(2026, 1, 1),
            time: at(2025, 6, 1)
        })
    );

    let mut bad = data("auth_ca.crl.der");
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(
        CrlIndex::from_der(&bad, &s, CrlLimits::default()).map(|_| ()),
        Err(PkiError::CrlBadSignature)
    );
    assert_eq!(
        CrlIndex::from_der(&data("auth_ca.crl.der"), &s, CrlLimits { max_entries: 2 }).map(|_| ()),
        Err(PkiError::CrlTooLarge { limit: 2 })
    );
    let crl = data("auth_ca.crl.der");
    assert!(matches!(
        CrlIndex::from_der(&crl[..crl.len() - 10], &s, CrlLimits::default()),
        Err(PkiError::Malformed { what: "CRL", .. })
    ));
}

// ---------- presentation ----------

const CHALLENGE: &[u8] = b"mynacard TEST challenge 0001";

fn present(
    file: &str,
    policy: &RelyingPartyPolicy,
    revocation: &dyn RevocationSource,
) -> Result<pki::VerifiedIdentity, PkiError> {
    let cert = data(&format!("{file}_auth.der"));
    let sig = sign_with(&format!("{file}_auth.key.der"), CHALLENGE);
    pki::verify_presentation(
        &Presentation::new(&cert, CHALLENGE, &sig),
        &store(),
        revocation,
        policy,
        T,
    )
}

#[test]
fn presentation_success_for_card_and_phone() {
    let s = store();
    let set = crls(&s);
    let id = present("yamada", &RelyingPartyPolicy::strict(), &set).expect("yamada");
    assert_eq!(id.serial(), [0x32, 0x9B, 0xCA, 0x3A]);
    assert_eq!(
        (id.form(), id.anchor(), id.grace()),
        (Some(Form::Card), "mynacard_TEST_auth_ca", None)
    );
    assert!(matches!(id.revocation(), RevocationStatus::Good { .. }));
    let id = present("kato", &RelyingPartyPolicy::strict(), &set).expect("kato");
    assert_eq!(id.form(), Some(Form::Smartphone));
    assert_eq!(id.kind().oid(), &pki::POLICY_TEST_MOBILE_AUTH);
}

#[test]
fn presentation_signature_payload_modes() {
    let s = store();
    let set = crls(&s);
    let cert = data("yamada_auth.der");
    let key = rsa::PrivateKey::from_pkcs8_der(&data("yamada_auth.key.der")).expect("key");
    let digest = HashAlgorithm::Sha256.hash(CHALLENGE);
    let sig = key
        .sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
        .expect("sign");
    let mut p = Presentation::new(&cert, &digest, &sig);
    p.payload = SignedPayload::Prehashed(HashAlgorithm::Sha256);
    assert!(pki::verify_presentation(&p, &s, &set, &RelyingPartyPolicy::strict(), T).is_ok());
    // A bare SHA-1 hash padded verbatim (what some platforms sign).
    let sha1 = HashAlgorithm::Sha1.hash(CHALLENGE);
    let raw = key
        .sign(rsa::Pkcs1v15Sign::new_unprefixed(), &sha1)
        .expect("sign");
    let mut p = Presentation::new(&cert, &sha1, &raw);
    p.payload = SignedPayload::Raw;
    assert!(pki::verify_presentation(&p, &s, &set, &RelyingPartyPolicy::strict(), T).is_ok());
    p.payload = SignedPayload::Message(HashAlgorithm::Sha1);
    assert_eq!(
        pki::verify_presentation(&p, &s, &set, &RelyingPartyPolicy::strict(), T).map(|_| ()),
        Err(PkiError::ChallengeSignatureInvalid)
    );
}

#[test]
fn presentation_failures() {
    let s = store();
    let set = crls(&s);
    let strict = RelyingPartyPolicy::strict();
    assert_eq!(
        present("sato", &strict, &set).map(|_| ()),
        Err(PkiError::Revoked {
            reason: Some(RevocationReason::KeyCompromise),
            date: at(2026, 3, 2).saturating_add_secs(3600)
        })
    );
    assert_eq!(
        present("yamada", &strict, &NoRevocationSource).map(|_| ()),
        Err(PkiError::RevocationNotChecked {
            reason: "no revocation source"
        })
    );
    let best_effort = RelyingPartyPolicy {
        revocation: RevocationRequirement::BestEffort,
        ..strict
    };
    assert_eq!(
        present("yamada", &best_effort, &NoRevocationSource).map(|i| i.revocation()),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoSource
        })
    );
    let cert = data("yamada_auth.der");
    let sig = sign_with("yamada_auth.key.der", CHALLENGE);
    let other = pki::verify_presentation(
        &Presentation::new(&cert, b"another challenge", &sig),
        &s,
        &set,
        &strict,
        T,
    );
    assert_eq!(other.map(|_| ()), Err(PkiError::ChallengeSignatureInvalid));
    let short = pki::verify_presentation(
        &Presentation::new(&cert, CHALLENGE, &sig[1..]),
        &s,
        &set,
        &strict,
        T,
    );
    assert_eq!(
        short.map(|_| ()),
        Err(PkiError::SignatureLength {
            expected: 256,
            found: 255
        })
    );
    let no_phones = RelyingPartyPolicy {
        accept_smartphone: false,
        ..strict
    };
    assert_eq!(
        present("ito", &no_phones, &set).map(|_| ()),
        Err(PkiError::KindNotAccepted {
            detail: "smartphone certificates".into()
        })
    );
}

#[test]
fn grace_applies_to_expired_card_auth_certificates_only() {
    let s = store();
    let set = crls(&s);
    // watanabe: card, expired 2026-04-15, inside 3 months at the reference time.
    assert!(matches!(
        present("watanabe", &RelyingPartyPolicy::strict(), &set),
        Err(PkiError::Expired { .. })
    ));
    let id = present("watanabe", &RelyingPartyPolicy::medical_eligibility(), &set).expect("grace");
    let expired_at = at(2026, 4, 15).saturating_add_secs(14 * 3600 + 59 * 60 + 59);
    assert_eq!(
        id.grace(),
        Some(pki::GraceUse {
            expired_at,
            months: 3
        })
    );
    // suzuki: expired 2024 — long past any grace.
    assert!(matches!(
        present("suzuki", &RelyingPartyPolicy::medical_eligibility(), &set),
        Err(PkiError::Expired { .. })
    ));
    // A phone certificate expired just as recently gets no grace.
    let (der, key) = Leaf {
        validity: ((2021, 4, 16), (2026, 4, 15)),
        extensions: auth_exts(g::POLICY_TEST_MOBILE_AUTH),
        ..Leaf::auth("phone_expired")
    }
    .build();
    let sig = SigningKey::<sha2::Sha256>::new(key)
        .sign(CHALLENGE)
        .to_vec();
    let r = pki::verify_presentation(
        &Presentation::new(&der, CHALLENGE, &sig),
        &s,
        &set,
        &RelyingPartyPolicy::medical_eligibility(),
        T,
    );
    assert!(matches!(r, Err(PkiError::Expired { .. })), "{r:?}");
}

#[cfg(feature = "aws-lc-rs")]
#[test]
fn aws_lc_backend_verifies_presentations_and_refuses_raw_payloads() {
    let s = TrustStore::test_only_mynacard_test_pki_with_backend(std::sync::Arc::new(
        pki::backend::AwsLc,
    ))
    .expect("store");
    assert_eq!(s.backend().name(), "aws-lc-rs");
    let set = crls(&s);
    let cert = data("yamada_auth.der");
    let sig = sign_with("yamada_auth.key.der", CHALLENGE);
    let id = pki::verify_presentation(
        &Presentation::new(&cert, CHALLENGE, &sig),
        &s,
        &set,
        &RelyingPartyPolicy::strict(),
        T,
    )
    .expect("valid");
    assert_eq!(id.serial(), [0x32, 0x9B, 0xCA, 0x3A]);
    let mut p = Presentation::new(&cert, CHALLENGE, &sig);
    p.payload = SignedPayload::Raw;
    assert_eq!(
        pki::verify_presentation(&p, &s, &set, &RelyingPartyPolicy::strict(), T).map(|_| ()),
        Err(PkiError::BackendUnsupported {
            backend: "aws-lc-rs",
            what: "raw PKCS#1 payloads with aws-lc-rs"
        })
    );
    let digest = HashAlgorithm::Sha256.hash(CHALLENGE);
    p = Presentation::new(&cert, &digest, &sig);
    p.payload = SignedPayload::Prehashed(HashAlgorithm::Sha256);
    assert!(pki::verify_presentation(&p, &s, &set, &RelyingPartyPolicy::strict(), T).is_ok());
}

#[test]
fn crl_with_a_lying_entry_list_length_fails_without_allocating_for_it() {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = body.len();
        if n < 0x80 {
            out.push(n as u8);
        } else {
            out.extend([0x82, (n >> 8) as u8, n as u8]);
        }
        out.extend_from_slice(body);
        out
    }
    let ca = pki::Certificate::from_der(&data("auth_ca.der")).expect("CA");
    let alg = [
        0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00,
    ];
    let mut body = vec![0x02, 0x01, 0x01];
    body.extend(alg);
    body.extend(ca.subject().to_der().expect("issuer"));
    body.extend(tlv(0x17, b"260101000000Z"));
    body.extend(tlv(0x17, b"360101000000Z"));
    // revokedCertificates claims 256 MiB; 3 bytes follow.
    body.extend([0x30, 0x84, 0x10, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00]);
    let mut outer = tlv(0x30, &body);
    outer.extend(alg);
    outer.extend(tlv(0x03, &[0u8; 257]));
    let crl = tlv(0x30, &outer);
    let r = CrlIndex::from_der(&crl, &store(), CrlLimits::default());
    assert!(
        matches!(r, Err(PkiError::Malformed { what: "CRL", .. })),
        "{r:?}"
    );
}
