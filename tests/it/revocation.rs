//! Revocation as JPKI publishes it: partitioned CRLs per municipality, ARLs, and CRLs checked
//! for their signature before anything is built (issues 11 and 14), against the TEST PKI.

use crate::common::gen_test_pki;

use der::Decode;
use der::asn1::OctetString;
use gen_test_pki as g;
use mynacard::pki::{
    self, Certificate, CrlIndex, CrlLimits, CrlSet, NotCheckedReason, PkiError, Purpose,
    RevocationMethod, RevocationReason, RevocationSource, RevocationStatus, StalenessPolicy,
    TrustStore, UnixTime, VerifiedCertificate,
};
use rsa::pkcs8::DecodePrivateKey;
use x509_cert::crl::RevokedCert;
use x509_cert::serial_number::SerialNumber;

const T: UnixTime = pki::test_pki::REFERENCE_TIME;
const FRESH: StalenessPolicy = StalenessPolicy::Reject;

use crate::common::pki::{data, store};

fn crl(s: &TrustStore, file: &str) -> CrlIndex {
    CrlIndex::from_der(&data(file), s, CrlLimits::default()).expect("CRL")
}

fn auth(s: &TrustStore, holder: &str) -> VerifiedCertificate {
    s.verify_certificate(
        &data(&format!("{holder}_auth.der")),
        Purpose::Authentication,
        T,
    )
    .expect("valid auth certificate")
}

fn set_of(s: &TrustStore, files: &[&str]) -> CrlSet {
    let mut set = CrlSet::new();
    for f in files {
        set.insert(crl(s, f));
    }
    set
}

/// The TEST auth CA's key, name and key id, to sign CRLs the generator does not publish.
struct AuthCa {
    key: rsa::PrivateKey,
    name: x509_cert::name::Name,
    ski: OctetString,
}

fn auth_ca() -> AuthCa {
    let key = rsa::PrivateKey::from_pkcs8_der(&data("auth_ca.key.der")).expect("CA key");
    let spki = g::spki_of(&key).expect("spki");
    AuthCa {
        ski: g::key_id(&spki).expect("key id"),
        name: g::ca_dn(g::Purpose::Auth).expect("CA DN"),
        key,
    }
}

fn entry(serial: &[u8], extensions: Option<Vec<x509_cert::ext::Extension>>) -> RevokedCert {
    RevokedCert {
        serial_number: SerialNumber::new(serial).expect("serial"),
        revocation_date: g::time(2026, 3, 1, 0, 0, 0).expect("time"),
        crl_entry_extensions: extensions,
    }
}

fn partition_crl(ca: &AuthCa, pref: &str, city: &str, entries: Vec<RevokedCert>) -> Vec<u8> {
    let dp = g::municipality_dp(g::Purpose::Auth, pref, city).expect("DP");
    g::make_scoped_crl(
        &ca.key,
        &ca.name,
        &ca.ski,
        3,
        g::time(2026, 1, 1, 0, 0, 0).expect("time"),
        g::time(2036, 1, 1, 0, 0, 0).expect("time"),
        entries,
        Some(g::scoped_idp(dp, false)),
    )
    .expect("CRL")
}

// ---------- issue 14: partitions ----------

#[test]
fn critical_issuing_distribution_point_is_accepted_and_its_scope_kept() {
    let s = store();
    let p = crl(&s, "auth_ca.dp.Chiyoda-ku.crl.der");
    let scope = p.scope();
    assert!(scope.only_user_certs() && !scope.only_ca_certs() && !scope.is_complete());
    assert_eq!(
        scope
            .distribution_points()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "CN=Chiyoda-ku,OU=Tokyo,OU=CRL Distribution Points,OU=JPKI for user authentication TEST,O=JPKI TEST,C=JP"
        ]
    );
    assert!(crl(&s, "auth_ca.crl.der").scope().is_complete());
}

#[test]
fn certificate_whose_partition_is_present_and_fresh_is_good() {
    let s = store();
    let set = set_of(
        &s,
        &[
            "auth_ca.dp.Chiyoda-ku.crl.der",
            "auth_ca.dp.Osaka-shi.crl.der",
        ],
    );
    assert_eq!(
        set.status(&auth(&s, "yamada"), T, FRESH),
        Ok(RevocationStatus::Good {
            this_update: UnixTime::from_secs(1_767_225_600),
            next_update: Some(UnixTime::from_secs(2_082_758_400)),
            source: RevocationMethod::Crl,
        })
    );
}

#[test]
fn certificate_revoked_in_its_partition_is_revoked() {
    let s = store();
    let set = set_of(
        &s,
        &[
            "auth_ca.dp.Chiyoda-ku.crl.der",
            "auth_ca.dp.Osaka-shi.crl.der",
        ],
    );
    assert!(matches!(
        set.status(&auth(&s, "sato"), T, FRESH),
        Ok(RevocationStatus::Revoked {
            reason: Some(RevocationReason::KeyCompromise),
            ..
        })
    ));
}

#[test]
fn certificate_present_only_in_another_partition_is_not_checked_naming_its_point() {
    let s = store();
    // Every TEST municipality but Chiyoda-ku (yamada's).
    let set = set_of(
        &s,
        &[
            "auth_ca.dp.Osaka-shi.crl.der",
            "auth_ca.dp.Sapporo-shi.crl.der",
            "auth_ca.dp.Nagoya-shi.crl.der",
            "auth_ca.dp.Fukuoka-shi.crl.der",
            "auth_ca.dp.Kyoto-shi.crl.der",
            "auth_ca.dp.Chiba-shi.crl.der",
            "auth_ca.dp.Kobe-shi.crl.der",
        ],
    );
    let status = set.status(&auth(&s, "yamada"), T, FRESH).expect("answer");
    let RevocationStatus::NotChecked {
        reason: NotCheckedReason::NoCrlForDistributionPoint(dp),
    } = &status
    else {
        panic!("expected NotChecked naming the distribution point, got {status:?}");
    };
    assert!(dp.contains("CN=Chiyoda-ku,OU=Tokyo,OU=CRL Distribution Points"));
    // The same reason reaches the caller of verify_presentation under a strict policy.
    let reason = NotCheckedReason::NoCrlForDistributionPoint(dp.clone()).to_string();
    assert!(reason.starts_with("no CRL for CN=Chiyoda-ku"));
}

#[test]
fn partition_for_another_distribution_point_is_never_consulted() {
    let s = store();
    let ca = auth_ca();
    let yamada = auth(&s, "yamada");
    // Osaka-shi's partition wrongly lists yamada (of Chiyoda-ku): it must not revoke her.
    let osaka = partition_crl(
        &ca,
        "Osaka",
        "Osaka-shi",
        vec![entry(yamada.serial(), None)],
    );
    let osaka = CrlIndex::from_der(&osaka, &s, CrlLimits::default()).expect("signed");
    assert!(matches!(
        osaka.status(&yamada, T, FRESH),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoCrlForDistributionPoint(_)
        })
    ));
    let mut set = CrlSet::new();
    set.insert(osaka);
    assert!(matches!(
        set.status(&yamada, T, FRESH),
        Ok(RevocationStatus::NotChecked { .. })
    ));
    set.insert(crl(&s, "auth_ca.dp.Chiyoda-ku.crl.der"));
    assert!(matches!(
        set.status(&yamada, T, FRESH),
        Ok(RevocationStatus::Good { .. })
    ));
}

#[test]
fn stale_partition_is_decided_by_the_staleness_policy() {
    let s = store();
    let yamada = auth(&s, "yamada");
    let set = set_of(&s, &["auth_ca.dp.Chiyoda-ku.crl.stale.der"]);
    assert!(matches!(
        set.status(&yamada, T, StalenessPolicy::Reject),
        Err(PkiError::CrlStale { .. })
    ));
    assert_eq!(
        set.status(&yamada, T, StalenessPolicy::ReportNotChecked),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::Stale
        })
    );
    assert!(matches!(
        set.status(&yamada, T, StalenessPolicy::Tolerate { secs: 600 * 86_400 }),
        Ok(RevocationStatus::Good { .. })
    ));
    // Refreshing the partition replaces the stale copy.
    let mut set = set;
    set.insert(crl(&s, "auth_ca.dp.Chiyoda-ku.crl.der"));
    assert_eq!(set.len(), 1);
    assert!(matches!(
        set.status(&yamada, T, StalenessPolicy::Reject),
        Ok(RevocationStatus::Good { .. })
    ));
}

#[test]
fn arl_answers_for_ca_certificates_and_never_for_end_entities() {
    let s = store();
    let set = set_of(&s, &["auth_ca.arl.der"]);
    assert!(set.crls()[0].scope().only_ca_certs());
    let link = Certificate::from_der(&data("auth_ca.link.der")).expect("link certificate");
    assert!(matches!(
        set.ca_status(&link, &s, T, FRESH),
        Ok(RevocationStatus::Revoked {
            reason: Some(RevocationReason::Superseded),
            ..
        })
    ));
    let root = Certificate::from_der(&data("auth_ca.der")).expect("root");
    assert!(matches!(
        set.ca_status(&root, &s, T, FRESH),
        Ok(RevocationStatus::Good { .. })
    ));
    // The ARL is not a CRL for end-entity certificates.
    assert!(matches!(
        set.status(&auth(&s, "yamada"), T, FRESH),
        Ok(RevocationStatus::NotChecked { .. })
    ));
    let leaf = Certificate::from_der(&data("yamada_auth.der")).expect("leaf");
    assert_eq!(
        set.ca_status(&leaf, &s, T, FRESH),
        Err(PkiError::NotACaCertificate)
    );
    // A partition for end entities says nothing about CA certificates.
    let partitions = set_of(&s, &["auth_ca.dp.Chiyoda-ku.crl.der"]);
    assert!(matches!(
        partitions.ca_status(&link, &s, T, FRESH),
        Ok(RevocationStatus::NotChecked { .. })
    ));
}

#[test]
fn complete_crl_still_covers_every_certificate_of_its_issuer() {
    let s = store();
    let set = set_of(&s, &["auth_ca.crl.der"]);
    assert!(matches!(
        set.status(&auth(&s, "yamada"), T, FRESH),
        Ok(RevocationStatus::Good { .. })
    ));
    assert!(matches!(
        set.status(&auth(&s, "sato"), T, FRESH),
        Ok(RevocationStatus::Revoked { .. })
    ));
}

#[test]
fn every_published_partition_answers_for_its_holders() {
    let s = store();
    let mut set = CrlSet::new();
    for city in [
        "Chiyoda-ku",
        "Osaka-shi",
        "Sapporo-shi",
        "Nagoya-shi",
        "Fukuoka-shi",
        "Kyoto-shi",
        "Chiba-shi",
        "Kobe-shi",
    ] {
        set.insert(crl(&s, &format!("auth_ca.dp.{city}.crl.der")));
    }
    for holder in ["yamada", "takahashi", "nakamura", "ito", "kato"] {
        assert!(
            matches!(
                set.status(&auth(&s, holder), T, FRESH),
                Ok(RevocationStatus::Good { .. })
            ),
            "{holder}"
        );
    }
}

// ---------- issue 21 item 7: the set's partition table ----------

#[test]
fn same_serial_in_two_partitions_is_answered_by_the_certificate_s_own_partition_only() {
    let s = store();
    let ca = auth_ca();
    let (yamada, takahashi) = (auth(&s, "yamada"), auth(&s, "takahashi"));
    // Both serials listed in Chiyoda-ku (yamada's) and in Osaka-shi (neither's); Fukuoka-shi
    // (takahashi's) lists neither.
    let both = || {
        vec![
            entry(yamada.serial(), None),
            entry(takahashi.serial(), None),
        ]
    };
    let mut set = CrlSet::new();
    for (pref, city, entries) in [
        ("Tokyo", "Chiyoda-ku", both()),
        ("Osaka", "Osaka-shi", both()),
        ("Fukuoka", "Fukuoka-shi", vec![]),
    ] {
        let der = partition_crl(&ca, pref, city, entries);
        set.insert(CrlIndex::from_der(&der, &s, CrlLimits::default()).expect("signed"));
    }
    assert_eq!(set.len(), 3);
    assert!(matches!(
        set.status(&yamada, T, FRESH),
        Ok(RevocationStatus::Revoked { .. })
    ));
    assert!(matches!(
        set.status(&takahashi, T, FRESH),
        Ok(RevocationStatus::Good { .. })
    ));
}

#[test]
fn absent_partition_among_many_is_not_checked_and_every_present_one_is_found() {
    let s = store();
    let ca = auth_ca();
    let yamada = auth(&s, "yamada");
    // 40 partitions (the table grows and re-files its slots several times), none yamada's; each
    // lists yamada's serial, which must not revoke her.
    let mut set = CrlSet::new();
    for i in 0..40 {
        let der = partition_crl(
            &ca,
            "Tokyo",
            &format!("Municipality-{i:02}"),
            vec![entry(yamada.serial(), None)],
        );
        set.insert(CrlIndex::from_der(&der, &s, CrlLimits::default()).expect("signed"));
    }
    assert_eq!(set.len(), 40);
    assert!(matches!(
        set.status(&yamada, T, FRESH),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoCrlForDistributionPoint(_)
        })
    ));
    // Every partition is still filed under its own point: re-inserting an older copy of any
    // of them is recognised as the same scope and dropped.
    for i in 0..40 {
        let der = partition_crl(&ca, "Tokyo", &format!("Municipality-{i:02}"), Vec::new());
        set.insert(CrlIndex::from_der(&der, &s, CrlLimits::default()).expect("signed"));
    }
    assert_eq!(set.len(), 40);
    assert_eq!(set.entry_count(), 40);
    // Yamada's own partition, added last, answers for her.
    set.insert(crl(&s, "auth_ca.dp.Chiyoda-ku.crl.der"));
    assert!(matches!(
        set.status(&yamada, T, FRESH),
        Ok(RevocationStatus::Good { .. })
    ));
}

#[test]
fn empty_crls_and_an_empty_set_answer_without_entries() {
    let s = store();
    let ca = auth_ca();
    let yamada = auth(&s, "yamada");
    assert_eq!(
        CrlSet::new().status(&yamada, T, FRESH),
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoCrlForIssuer
        })
    );
    let empty = partition_crl(&ca, "Tokyo", "Chiyoda-ku", Vec::new());
    let empty = CrlIndex::from_der(&empty, &s, CrlLimits::default()).expect("signed");
    assert!(empty.entries().is_empty());
    assert_eq!(empty.entries().lookup(yamada.serial()), None);
    let mut set = CrlSet::new();
    set.insert(empty);
    assert_eq!(set.entry_count(), 0);
    assert!(matches!(
        set.status(&yamada, T, FRESH),
        Ok(RevocationStatus::Good { .. })
    ));
}

// ---------- issue 11: signature before anything is built; SHA-1 refused ----------

#[test]
fn forged_crl_is_refused_for_its_signature_before_its_entries_are_read() {
    let s = store();
    let ca = auth_ca();
    // An entry with an unknown critical extension: parsing the entries would fail first.
    let unknown_critical = x509_cert::ext::Extension {
        extn_id: der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.99"),
        critical: true,
        extn_value: OctetString::new(vec![0x05, 0x00]).expect("value"),
    };
    let mut entries: Vec<RevokedCert> = (0u32..2000)
        .map(|i| entry(&(0x1000_0000 + i).to_be_bytes(), None))
        .collect();
    entries.push(entry(&[0x42], Some(vec![unknown_critical])));
    let mut forged = partition_crl(&ca, "Tokyo", "Chiyoda-ku", entries);
    let last = forged.len() - 1;
    forged[last] ^= 0x01;
    assert_eq!(
        CrlIndex::from_der(&forged, &s, CrlLimits::default()).map(|_| ()),
        Err(PkiError::CrlBadSignature)
    );
    // Correctly signed, the same entry list is then read and refused for its entry.
    forged[last] ^= 0x01;
    assert!(matches!(
        CrlIndex::from_der(&forged, &s, CrlLimits::default()),
        Err(PkiError::Malformed {
            what: "CRL entry extension",
            ..
        })
    ));
}

#[test]
fn crl_index_memory_is_bounded_by_the_crl_size() {
    let s = store();
    let ca = auth_ca();
    let entries: Vec<RevokedCert> = (0u32..20_000)
        .map(|i| entry(&(0x1000_0000 + i * 7).to_be_bytes(), None))
        .collect();
    let der = partition_crl(&ca, "Tokyo", "Chiyoda-ku", entries);
    let index = CrlIndex::from_der(&der, &s, CrlLimits::default()).expect("CRL");
    assert_eq!(index.entries().len(), 20_000);
    assert!(
        index.heap_bytes() <= der.len(),
        "{} heap bytes for {} bytes of CRL",
        index.heap_bytes(),
        der.len()
    );
}

#[test]
fn sha1_signed_crl_is_refused() {
    use der::Encode;
    use rsa::pkcs1v15::SigningKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let s = store();
    let ca = auth_ca();
    let good = crl(&s, "auth_ca.crl.der");
    assert!(good.entries().len() > 1);
    let signing_key = SigningKey::<sha1::Sha1>::new(ca.key.clone());
    let algorithm = spki::AlgorithmIdentifierOwned {
        oid: der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5"),
        parameters: Some(der::asn1::Any::null()),
    };
    let original: x509_cert::crl::CertificateList =
        x509_cert::crl::CertificateList::from_der(&data("auth_ca.crl.der")).expect("CRL");
    let mut tbs = original.tbs_cert_list.clone();
    tbs.signature = algorithm.clone();
    let signature = signing_key.sign(&tbs.to_der().expect("tbs"));
    let sha1_crl = x509_cert::crl::CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: algorithm.clone(),
        signature: der::asn1::BitString::from_bytes(&signature.to_vec()).expect("bits"),
    }
    .to_der()
    .expect("CRL");
    assert_eq!(
        CrlIndex::from_der(&sha1_crl, &s, CrlLimits::default()).map(|_| ()),
        Err(PkiError::Sha1Refused { what: "CRL" })
    );
}

#[test]
fn indirect_and_reason_partitioned_crls_are_refused_with_a_typed_error() {
    let s = store();
    let ca = auth_ca();
    let dp = g::municipality_dp(g::Purpose::Auth, "Tokyo", "Chiyoda-ku").expect("DP");
    let mut idp = g::scoped_idp(dp, false);
    idp.indirect_crl = true;
    let der = g::make_scoped_crl(
        &ca.key,
        &ca.name,
        &ca.ski,
        4,
        g::time(2026, 1, 1, 0, 0, 0).expect("time"),
        g::time(2036, 1, 1, 0, 0, 0).expect("time"),
        Vec::new(),
        Some(idp),
    )
    .expect("CRL");
    assert_eq!(
        CrlIndex::from_der(&der, &s, CrlLimits::default()).map(|_| ()),
        Err(PkiError::CrlUnsupportedScope {
            detail: "indirect CRL"
        })
    );
}
