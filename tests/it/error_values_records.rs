//! Issue 21 item 2, the binary parsers: certificates (a signature certificate carries the
//! holder's name, address and birth date), CRLs (a partition names a municipality) and the
//! card's records (基本4情報, the 個人番号). Every single-byte corruption and every truncation
//! of a real record is parsed; no error's `Display`, `Debug` or serde JSON may contain a
//! personal value of that record.

use mynacard::internal::{parse_basic_four, parse_crl_unverified, parse_my_number};
use mynacard::pki::{Certificate, CrlIndex, CrlLimits, Purpose, TrustStore, test_pki};

/// Every corruption of `bytes` worth trying: each byte inverted, each byte set to `0x00` and
/// `0xFF`, and every truncation.
fn corruptions(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let flips = (0..bytes.len()).flat_map(move |i| {
        [!bytes[i], 0x00, 0xFF].into_iter().map(move |b| {
            let mut m = bytes.to_vec();
            m[i] = b;
            m
        })
    });
    flips.chain((0..bytes.len()).map(|n| bytes[..n].to_vec()))
}

fn forms<E: std::fmt::Display + std::fmt::Debug>(e: &E, json: Option<String>) -> Vec<String> {
    let mut v = vec![e.to_string(), format!("{e:?}"), format!("{e:#?}")];
    v.extend(json);
    v
}

#[cfg(feature = "serde")]
fn json<E: serde::Serialize>(e: &E) -> Option<String> {
    Some(serde_json::to_string(e).unwrap())
}

#[cfg(not(feature = "serde"))]
fn json<E>(_: &E) -> Option<String> {
    None
}

fn assert_clean(what: &str, forms: Vec<String>, secrets: &[String]) {
    for form in forms {
        for s in secrets {
            assert!(!form.contains(s.as_str()), "{what}: {s:?} in {form}");
        }
    }
}

fn card_file(holder: &str, name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/card/{holder}/{name}.bin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("card record")
}

/// The name, the address (and each of their words), the birth date as `YYYYMMDD`.
fn personal_values(name: &str, address: &str, birth: Option<(u16, u8, u8)>) -> Vec<String> {
    let mut v = vec![name.to_owned(), address.to_owned()];
    v.extend(
        name.split(['\u{3000}', ' '])
            .filter(|w| w.chars().count() >= 2)
            .map(str::to_owned),
    );
    if let Some((y, m, d)) = birth {
        v.push(format!("{y:04}{m:02}{d:02}"));
    }
    v
}

#[test]
fn basic_four_record_errors_never_repeat_the_holder() {
    for holder in ["suzuki", "yamada", "sato"] {
        let bytes = card_file(holder, "kenhojo_0002");
        let info = parse_basic_four(&bytes).expect("record parses").info;
        let d = info.birth_date();
        let secrets = personal_values(
            info.name(),
            info.address(),
            Some((d.year(), d.month(), d.day())),
        );
        let mut refused = 0;
        for m in corruptions(&bytes) {
            if let Err(e) = parse_basic_four(&m) {
                refused += 1;
                assert_clean(holder, forms(&e, json(&e)), &secrets);
            }
        }
        assert!(refused > 100, "{holder}: {refused} refusals");
    }
}

#[test]
fn my_number_record_errors_never_repeat_the_number() {
    for holder in ["suzuki", "yamada", "sato"] {
        let bytes = card_file(holder, "kenhojo_0001");
        let number = parse_my_number(&bytes).expect("record parses");
        let digits = String::from_utf8(number.expose_digits().to_vec()).unwrap();
        let secrets = vec![
            digits.clone(),
            digits[..11].to_owned(),
            digits[4..].to_owned(),
        ];
        let mut refused = 0;
        for m in corruptions(&bytes) {
            if let Err(e) = parse_my_number(&m) {
                refused += 1;
                assert_clean(holder, forms(&e, json(&e)), &secrets);
            }
        }
        // A wrong check digit is refused without saying which digit was found or expected.
        let mut wrong = bytes.clone();
        let last = wrong.iter().rposition(u8::is_ascii_digit).unwrap();
        wrong[last] = if wrong[last] == b'0' { b'1' } else { b'0' };
        let e = parse_my_number(&wrong).unwrap_err();
        assert!(e.to_string().contains("check digit"), "{e}");
        assert!(!format!("{e:?}").contains("found"), "{e:?}");
        assert!(refused > 20, "{holder}: {refused} refusals");
    }
}

fn pki_file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/crates/mynacard-virtual-card/data/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("TEST PKI file")
}

/// Parses and verifies every corruption of `cert`; returns how many were refused.
fn corrupt_certificate(
    store: &TrustStore,
    cert: &[u8],
    t: mynacard::pki::UnixTime,
    secrets: &[String],
) -> usize {
    let mut refused = 0;
    for m in corruptions(cert) {
        let r = Certificate::from_der(&m)
            .and_then(|_| store.verify_certificate(&m, Purpose::Signature, t))
            .and_then(|v| v.holder_attributes());
        if let Err(e) = r {
            refused += 1;
            assert_clean("signature certificate", forms(&e, json(&e)), secrets);
        }
    }
    refused
}

#[test]
fn signature_certificate_errors_never_repeat_the_holder_attributes() {
    let store = TrustStore::test_only_mynacard_test_pki().unwrap();
    let t = test_pki::REFERENCE_TIME;
    let mut checked = 0;
    for holder in [
        "suzuki_sign.der",
        "yamada_sign.der",
        "sato_sign.der",
        "ito_sign.der",
    ] {
        let cert = pki_file(holder);
        // Holders whose certificate is expired at the reference time are not the point here.
        let Ok(verified) = store.verify_certificate(&cert, Purpose::Signature, t) else {
            continue;
        };
        checked += 1;
        let attrs = verified.holder_attributes().unwrap();
        let secrets = personal_values(attrs.name(), attrs.address(), attrs.birth_date().complete());
        let refused = corrupt_certificate(&store, &cert, t, &secrets);
        assert!(refused > 1000, "{holder}: {refused} refusals");
    }
    assert!(checked >= 2, "{checked} holders checked");
}

/// The real J-LIS test card's signature certificate (name `黒桐　幹也`, address, birth date in
/// its subjectAltName), when `../shared` is there.
#[test]
fn real_test_card_signature_certificate_errors_never_repeat_the_holder() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/jpki-test-card/jpki-sign-cert.der"
    );
    let Ok(cert) = std::fs::read(path) else {
        eprintln!("skipped: ../shared absent ({path})");
        return;
    };
    let store = TrustStore::test_only_jlis_test_cards().unwrap();
    let t = mynacard::pki::UnixTime::from_secs(1_780_272_000);
    let attrs = store
        .verify_certificate(&cert, Purpose::Signature, t)
        .unwrap()
        .holder_attributes()
        .unwrap();
    assert_eq!(attrs.name(), "黒桐\u{3000}幹也");
    let mut secrets = personal_values(attrs.name(), attrs.address(), None);
    secrets.push("19800217".to_owned());
    let refused = corrupt_certificate(&store, &cert, t, &secrets);
    assert!(refused > 1000, "{refused} refusals");
}

#[test]
fn crl_errors_never_repeat_the_partition_or_the_issuer() {
    let store = TrustStore::test_only_mynacard_test_pki().unwrap();
    let crl = pki_file("auth_ca.dp.Chiyoda-ku.crl.der");
    CrlIndex::from_der(&crl, &store, CrlLimits::default()).expect("the CRL verifies");
    let secrets: Vec<String> = ["Chiyoda", "mynacard", "TEST"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut refused = 0;
    for m in corruptions(&crl) {
        if let Err(e) = parse_crl_unverified(&m, CrlLimits::default()) {
            assert_clean("CRL (parse)", forms(&e, json(&e)), &secrets);
        }
        if let Err(e) = CrlIndex::from_der(&m, &store, CrlLimits::default()) {
            refused += 1;
            assert_clean("CRL (verify)", forms(&e, json(&e)), &secrets);
        }
    }
    // The issuer of a CRL that no anchor issued is not named either.
    let jlis = TrustStore::jlis().unwrap();
    let e = CrlIndex::from_der(&crl, &jlis, CrlLimits::default()).unwrap_err();
    assert_clean("CRL of an unknown issuer", forms(&e, json(&e)), &secrets);
    assert!(refused > 1000, "{refused} refusals");
}
