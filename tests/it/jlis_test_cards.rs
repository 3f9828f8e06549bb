//! Issue 21 item 4: real J-LIS test cards (テスト用カード) as a first-class target, against the
//! real JPKI-TEST certificates in `../shared/data/jpki-test-card/` (skipped when absent). The
//! named constructor verifies them with `Hierarchy::JlisTest` in every result; no production
//! store accepts any of it.

use mynacard::pki::{
    CertificateKind, Hierarchy, JLIS_TEST_ROOTS, POLICY_JLIS_TEST_AUTH, POLICY_JLIS_TEST_SIGN,
    PkiError, PolicyTable, Purpose, TrustStore, UnixTime, backend::default_backend,
};

fn card_file(name: &str) -> Option<Vec<u8>> {
    let path = format!(
        "{}/../shared/data/jpki-test-card/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipped: ../shared absent ({path})");
            None
        }
    }
}

/// The auth leaf's window: 2025-10-27T01:35:42Z → 2030-02-17T14:59:59Z (README of the data).
const AUTH_NOT_BEFORE: u64 = 1_761_528_942;
const AUTH_NOT_AFTER: u64 = 1_897_570_799;
/// 2026-06-01: inside both leaves' windows.
const INSIDE: UnixTime = UnixTime::from_secs(1_780_272_000);

fn jlis_test() -> TrustStore {
    TrustStore::test_only_jlis_test_cards().expect("J-LIS test store")
}

fn hierarchy(kind: &CertificateKind) -> Option<Hierarchy> {
    kind.entry().map(|e| e.hierarchy)
}

#[test]
fn the_auth_leaf_verifies_to_its_root_as_jlis_test() {
    let Some(leaf) = card_file("jpki-auth-cert.der") else {
        return;
    };
    let v = jlis_test()
        .verify_certificate(&leaf, Purpose::Authentication, INSIDE)
        .expect("the test auth leaf verifies under the JPKI-TEST roots");
    assert_eq!(v.anchor(), "jlis_test_auth_ca_2023");
    assert_eq!(hierarchy(v.kind()), Some(Hierarchy::JlisTest));
    assert_eq!(v.kind().oid(), &POLICY_JLIS_TEST_AUTH);
}

#[test]
fn the_sign_leaf_verifies_to_its_root_as_jlis_test() {
    let Some(leaf) = card_file("jpki-sign-cert.der") else {
        return;
    };
    let v = jlis_test()
        .verify_certificate(&leaf, Purpose::Signature, INSIDE)
        .expect("the test sign leaf verifies under the JPKI-TEST roots");
    assert_eq!(v.anchor(), "jlis_test_sign_ca_2024");
    assert_eq!(hierarchy(v.kind()), Some(Hierarchy::JlisTest));
    assert_eq!(v.kind().oid(), &POLICY_JLIS_TEST_SIGN);
}

#[test]
fn the_auth_leaf_is_checked_against_its_window() {
    let Some(leaf) = card_file("jpki-auth-cert.der") else {
        return;
    };
    let store = jlis_test();
    let at =
        |t: u64| store.verify_certificate(&leaf, Purpose::Authentication, UnixTime::from_secs(t));
    assert!(at(AUTH_NOT_BEFORE).is_ok(), "valid at notBefore");
    assert!(at(AUTH_NOT_AFTER).is_ok(), "valid at notAfter");
    assert!(
        matches!(at(AUTH_NOT_BEFORE - 1), Err(PkiError::NotYetValid { .. })),
        "{:?}",
        at(AUTH_NOT_BEFORE - 1).map(|_| ())
    );
    assert!(
        matches!(at(AUTH_NOT_AFTER + 1), Err(PkiError::Expired { .. })),
        "{:?}",
        at(AUTH_NOT_AFTER + 1).map(|_| ())
    );
}

#[test]
fn the_2019_root_with_the_same_name_and_another_key_does_not_verify_the_leaf() {
    let Some(leaf) = card_file("jpki-auth-cert.der") else {
        return;
    };
    let root_2019 = JLIS_TEST_ROOTS
        .iter()
        .find(|r| r.label == "jlis_test_auth_ca_2019")
        .expect("2019 auth root");
    let root_2023 = JLIS_TEST_ROOTS
        .iter()
        .find(|r| r.label == "jlis_test_auth_ca_2023")
        .expect("2023 auth root");
    assert_eq!(root_2019.subject, root_2023.subject, "one DN");
    assert_ne!(root_2019.spki, root_2023.spki, "two keys");
    let mut only_2019 = TrustStore::empty(PolicyTable::jlis_test(), default_backend());
    only_2019
        .add_anchor_info(root_2019, Hierarchy::JlisTest)
        .unwrap();
    let r = only_2019.verify_certificate(&leaf, Purpose::Authentication, INSIDE);
    // The leaf's authority key identifier names the 2023 key: no issuer, not a bad signature.
    assert_eq!(r.map(|_| ()), Err(PkiError::UnknownIssuer));
    // The sign leaf does not verify under the 2019 sign root either.
    let Some(sign) = card_file("jpki-sign-cert.der") else {
        return;
    };
    let sign_2019 = JLIS_TEST_ROOTS
        .iter()
        .find(|r| r.label == "jlis_test_sign_ca_2019")
        .expect("2019 sign root");
    let mut only_sign_2019 = TrustStore::empty(PolicyTable::jlis_test(), default_backend());
    only_sign_2019
        .add_anchor_info(sign_2019, Hierarchy::JlisTest)
        .unwrap();
    assert_eq!(
        only_sign_2019
            .verify_certificate(&sign, Purpose::Signature, INSIDE)
            .map(|_| ()),
        Err(PkiError::UnknownIssuer)
    );
}

#[test]
fn a_production_store_accepts_none_of_it() {
    let Some(auth) = card_file("jpki-auth-cert.der") else {
        return;
    };
    let Some(sign) = card_file("jpki-sign-cert.der") else {
        return;
    };
    let mut production = TrustStore::jlis().unwrap();
    assert!(
        production
            .anchors()
            .iter()
            .all(|a| a.hierarchy() == Hierarchy::Production)
    );
    for t in [INSIDE, UnixTime::from_secs(AUTH_NOT_BEFORE + 1)] {
        assert!(matches!(
            production.verify_certificate(&auth, Purpose::Authentication, t),
            Err(PkiError::UnknownIssuer)
        ));
        assert!(matches!(
            production.verify_certificate(&sign, Purpose::Signature, t),
            Err(PkiError::UnknownIssuer)
        ));
    }
    // The test roots' certificates are not recognised as J-LIS roots.
    for root in [
        "jpki-auth-ca-cert.der",
        "jpki-auth-ca-cert-2019.der",
        "jpki-sign-ca-cert.der",
        "jpki-sign-ca-cert-2019.der",
    ] {
        let Some(der) = card_file(root) else { return };
        assert!(matches!(
            production.recognise_root(&der),
            Err(PkiError::UnrecognisedRoot { .. })
        ));
    }
    // The production policy table knows neither JPKI-TEST policy.
    let table = PolicyTable::jlis();
    for oid in [POLICY_JLIS_TEST_AUTH, POLICY_JLIS_TEST_SIGN] {
        assert!(matches!(table.classify(&oid), CertificateKind::Unknown(_)));
    }
    // Even with the test policies added, production anchors do not chain the test leaf.
    let mixed = TrustStore::jlis()
        .unwrap()
        .with_policies(PolicyTable::jlis_test());
    assert_eq!(
        mixed
            .verify_certificate(&auth, Purpose::Authentication, INSIDE)
            .map(|_| ()),
        Err(PkiError::UnknownIssuer)
    );
}

#[test]
fn the_compiled_in_test_roots_are_the_card_files() {
    for (file, label) in [
        ("jpki-auth-ca-cert-2019.der", "jlis_test_auth_ca_2019"),
        ("jpki-auth-ca-cert.der", "jlis_test_auth_ca_2023"),
        ("jpki-sign-ca-cert-2019.der", "jlis_test_sign_ca_2019"),
        ("jpki-sign-ca-cert.der", "jlis_test_sign_ca_2024"),
    ] {
        // Absent: the pinned fingerprints below still run.
        let Some(der) = card_file(file) else { continue };
        let root = JLIS_TEST_ROOTS.iter().find(|r| r.label == label).unwrap();
        let fp: [u8; 32] =
            sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), &der))
                .into();
        assert_eq!(fp, root.sha256, "{file}");
    }
    // Pinned (independent of ../shared): the README's fingerprints of the two current roots.
    let hex = |r: &mynacard::pki::TrustAnchorInfo| r.fingerprint_hex();
    let by = |l: &str| JLIS_TEST_ROOTS.iter().find(|r| r.label == l).unwrap();
    assert_eq!(
        hex(by("jlis_test_auth_ca_2023")),
        "5A0E7D690C718FADEBC7FB6EFF66A6DD623458DEBC1AA6FB1778BFE157CBEB25"
    );
    assert_eq!(
        hex(by("jlis_test_sign_ca_2024")),
        "8126DF7DD2DB230BD8EE48CAA40FC3417DDE3607050ED34973D8D3CF267FE723"
    );
}

#[test]
fn the_jlis_test_store_holds_only_jlis_test_anchors_and_policies() {
    let store = jlis_test();
    assert_eq!(store.anchors().len(), 4);
    assert!(
        store
            .anchors()
            .iter()
            .all(|a| a.hierarchy() == Hierarchy::JlisTest)
    );
    assert!(
        store
            .policies()
            .entries()
            .iter()
            .all(|e| e.hierarchy == Hierarchy::JlisTest)
    );
    assert_eq!(store.policies().entries().len(), 2);
}
