//! The committed TEST PKI (`crates/mynacard-virtual-card/data/pki/`): its files, its trust
//! stores, and TEST auth leaves issued under its auth CA for one test.

use der::Encode;
use mynacard::pki::{self, Hierarchy, PolicyTable, Purpose, TrustStore};
use rsa::pkcs8::DecodePrivateKey;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, KeyUsage, KeyUsages};
use x509_cert::time::Validity;

use super::gen_test_pki as g;

/// The auth CA's CRL.
pub const AUTH_CRL: &[u8] =
    include_bytes!("../../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");

/// A committed TEST PKI file by name (`yamada_auth.der`, `auth_ca.key.der`…).
pub fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/crates/mynacard-virtual-card/data/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test PKI file")
}

/// The TEST store with its own policy table (which states each policy's form).
pub fn store() -> TrustStore {
    TrustStore::test_only_mynacard_test_pki().expect("test store")
}

/// The TEST store with a policy table that, like J-LIS's production table, states no form.
pub fn formless_store() -> TrustStore {
    let table = PolicyTable::new()
        .with(
            pki::POLICY_TEST_CARD_AUTH,
            Purpose::Authentication,
            None,
            Hierarchy::MynacardTest,
        )
        .with(
            pki::POLICY_TEST_MOBILE_AUTH,
            Purpose::Authentication,
            None,
            Hierarchy::MynacardTest,
        );
    store().with_policies(table)
}

/// A TEST auth leaf (card auth policy, subject `CN=TESTCASE`) under the TEST auth CA, with the
/// given serial, validity and extensions beyond keyUsage, policies and the AKI; and its key,
/// derived from `tests/{label}`.
pub fn auth_leaf(
    label: &str,
    serial: &[u8],
    validity: Validity,
    extra: Vec<Extension>,
) -> (Vec<u8>, rsa::PrivateKey) {
    let key = g::gen_key(&format!("tests/{label}")).expect("key");
    let spki = g::spki_of(&key).expect("spki");
    let ca_key = rsa::PrivateKey::from_pkcs8_der(&data("auth_ca.key.der")).expect("CA key");
    let ca = pki::Certificate::from_der(&data("auth_ca.der")).expect("CA");
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(
            der::asn1::OctetString::new(ca.subject_key_id().expect("ski")).expect("aki"),
        ),
        ..Default::default()
    };
    let mut extensions = vec![
        g::ext(
            g::OID_KU,
            true,
            &KeyUsage(KeyUsages::DigitalSignature.into()),
        )
        .expect("KU"),
        g::ext(
            g::OID_CP,
            false,
            &g::policies(g::POLICY_TEST_CARD_AUTH, false).expect("CP"),
        )
        .expect("CP"),
        g::ext(g::OID_AKI, false, &aki).expect("AKI"),
    ];
    extensions.extend(extra);
    let subject = g::name(&[
        (g::OID_C, g::Str::Printable("JP")),
        (g::OID_CN, g::Str::Utf8("TESTCASE")),
    ])
    .expect("dn");
    let profile = g::Fixed {
        issuer: ca.subject().clone(),
        subject,
        extensions,
    };
    let cert = g::issue(&ca_key, serial, validity, &spki, profile).expect("issue");
    (cert.to_der().expect("der"), key)
}
