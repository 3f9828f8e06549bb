//! Issue 13: the six J-LIS roots against the published certificates, and four real production
//! user-authentication certificates (`../shared/data/real-auth-certificates/`, README there)
//! validated through the compiled-in anchors. Skipped with a note when `../shared` is absent.

use mynacard::pki::{
    self, CrlDistributionPoint, EKU_CLIENT_AUTH, JLIS_ROOTS, PkiError, Purpose, TrustStore,
    UnixTime,
};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data");
/// 2024-06-01T00:00:00Z: every one of the four is valid.
const JUNE_2024: UnixTime = UnixTime::from_secs(1_717_200_000);
const REAL: [&str; 4] = ["018C453E", "01B2B041", "054CFCD8", "06BFC341"];

fn shared(rel: &str) -> Option<Vec<u8>> {
    let path = format!("{SHARED}/{rel}");
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipped: ../shared absent ({path})");
            None
        }
    }
}

fn root_der(file: &str) -> Option<Vec<u8>> {
    let pem = shared(&format!("jlis-trust-anchors/{file}"))?;
    let (_, der) = der::pem::decode_vec(&pem).expect("PEM");
    Some(der)
}

#[test]
fn real_auth_certificates_verify_to_the_2019_root_when_valid() {
    let store = TrustStore::jlis().expect("store");
    let root = &JLIS_ROOTS[1];
    assert_eq!(root.label, "jlis_auth_ca_2019");
    for serial in REAL {
        let Some(der) = shared(&format!(
            "real-auth-certificates/jpki-auth-cert-prod-{serial}.der"
        )) else {
            return;
        };
        let v = store
            .verify_certificate(&der, Purpose::Authentication, JUNE_2024)
            .unwrap_or_else(|e| panic!("{serial}: {e}"));
        assert_eq!(v.anchor(), "jlis_auth_ca_2019", "{serial}");
        assert_eq!(v.anchor_fingerprint(), &root.sha256);
        let c = v.certificate();
        assert_eq!(c.serial_hex(), serial);
        assert_eq!(v.kind().oid(), &pki::POLICY_JLIS_AUTH);
        assert_eq!(c.policies(), [pki::POLICY_JLIS_AUTH]);
        let ku = c.key_usage().expect("keyUsage");
        assert!(ku.critical && ku.digital_signature && !ku.non_repudiation && !ku.key_cert_sign);
        let eku = c.extended_key_usage().expect("EKU");
        assert_eq!(eku.purposes, [EKU_CLIENT_AUTH]);
        assert_eq!(
            c.ocsp_urls().expect("AIA"),
            ["http://ocspauthnorm.jpki.go.jp"]
        );
        let dps = c.crl_distribution_points().expect("CRL DP");
        let [CrlDistributionPoint::DirectoryName(dp)] = dps.as_slice() else {
            panic!("{serial}: one directory-name distribution point expected, got {dps:?}");
        };
        let dp = dp.to_string();
        assert!(
            dp.contains("OU=CRL Distribution Points") && dp.contains("CRLDP"),
            "{dp}"
        );
        let aki = c
            .authority_key_identifier()
            .expect("AKI")
            .expect("AKI present");
        assert_eq!(aki.key_id.as_deref(), Some(root.subject_key_id));
        assert_eq!(aki.serial.as_deref(), Some(root.serial));
        assert_eq!(
            aki.issuer.map(|n| der::Encode::to_der(&n).expect("DER")),
            Some(root.subject.to_vec())
        );
        assert_eq!(c.issuer(), store.anchors()[1].subject());
    }
}

#[test]
fn real_auth_certificates_are_expired_after_not_after() {
    let store = TrustStore::jlis().expect("store");
    for serial in REAL {
        let Some(der) = shared(&format!(
            "real-auth-certificates/jpki-auth-cert-prod-{serial}.der"
        )) else {
            return;
        };
        let not_after = pki::Certificate::from_der(&der)
            .expect("parses")
            .not_after();
        let after = not_after.saturating_add_secs(1);
        assert_eq!(
            store
                .verify_certificate(&der, Purpose::Authentication, after)
                .map(|_| ()),
            Err(PkiError::Expired {
                not_after,
                time: after
            }),
            "{serial}"
        );
    }
}

#[test]
fn real_auth_certificates_are_unknown_to_the_test_store() {
    let store = TrustStore::test_only_mynacard_test_pki().expect("store");
    for serial in REAL {
        let Some(der) = shared(&format!(
            "real-auth-certificates/jpki-auth-cert-prod-{serial}.der"
        )) else {
            return;
        };
        let r = store
            .verify_certificate(&der, Purpose::Authentication, JUNE_2024)
            .map(|_| ());
        assert!(matches!(r, Err(PkiError::UnknownIssuer)), "{r:?}");
    }
}

#[test]
fn compiled_in_anchors_match_the_published_root_certificates() {
    for info in &JLIS_ROOTS {
        let file = format!("{}.pem", info.label.trim_start_matches("jlis_"));
        let Some(der) = root_der(&file) else { return };
        let cert = pki::Certificate::from_der(&der).expect("root parses");
        let sha: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&der).into();
        assert_eq!(info.sha256, sha, "{file}");
        assert_eq!(cert.spki_der().expect("SPKI"), info.spki, "{file}");
        assert_eq!(
            der::Encode::to_der(cert.subject()).expect("DER"),
            info.subject,
            "{file}"
        );
        assert_eq!(cert.serial(), info.serial, "{file}");
        assert_eq!(cert.subject_key_id(), Some(info.subject_key_id), "{file}");
        assert_eq!(
            (cert.not_before(), cert.not_after()),
            (info.not_before, info.not_after),
            "{file}"
        );
    }
}

#[test]
fn recognise_root_accepts_only_the_six_pinned_roots() {
    let mut store = TrustStore::empty(pki::PolicyTable::jlis(), pki::backend::default_backend());
    for info in &JLIS_ROOTS {
        let file = format!("{}.pem", info.label.trim_start_matches("jlis_"));
        let Some(der) = root_der(&file) else { return };
        assert_eq!(store.recognise_root(&der).map(|i| i.label), Ok(info.label));
        // Recognising twice does not add twice.
        assert_eq!(store.recognise_root(&der).map(|i| i.label), Ok(info.label));
        let mut tampered = der.clone();
        if let Some(b) = tampered.last_mut() {
            *b ^= 1;
        }
        assert!(matches!(
            store.recognise_root(&tampered),
            Err(PkiError::UnrecognisedRoot { .. })
        ));
    }
    assert_eq!(store.anchors().len(), 6);
    // A recognised store verifies a real certificate like the compiled-in one.
    if let Some(der) = shared("real-auth-certificates/jpki-auth-cert-prod-06BFC341.der") {
        let v = store
            .verify_certificate(&der, Purpose::Authentication, JUNE_2024)
            .expect("verifies");
        assert_eq!(v.anchor(), "jlis_auth_ca_2019");
    }
    // A CA certificate that is not pinned (the TEST auth CA) is refused whatever it claims.
    let test_ca = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/mynacard-virtual-card/data/pki/auth_ca.der"
    ))
    .expect("TEST CA");
    assert!(matches!(
        store.recognise_root(&test_ca),
        Err(PkiError::UnrecognisedRoot { .. })
    ));
}
