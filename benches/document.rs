//! CMS verification per second against its floor measured in the same run: two bare RSA
//! verifications (the CA's over the certificate, the signer's over the signed attributes)
//! with keys already parsed. `cargo bench --bench document -- --quick`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mynacard::document::{self, CmsSigner, CmsVerifyOptions, Content, Encapsulation};
use mynacard::pki::backend::{RustCrypto, SignatureBackend};
use mynacard::pki::{
    self, CrlIndex, CrlLimits, HashAlgorithm, SignatureAlgorithm, TrustStore, test_pki,
};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};

const SIGN_CA: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/sign_ca.der");
const CERT: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/yamada_sign.der");
const KEY: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/yamada_sign.key.der");
const CRL: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der");
const CONTENT: &[u8] = b"benchmark contract, 64 bytes of content to digest .............";

fn cms_verify(c: &mut Criterion) {
    let signer = CmsSigner::new(
        CERT,
        CONTENT,
        Encapsulation::Detached,
        Some(test_pki::REFERENCE_TIME),
    )
    .expect("signer");
    let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(KEY).expect("key");
    let attrs = signer.signed_attributes_der().to_vec();
    let signature = key.sign(&attrs).to_vec();
    let cms = signer.finish(&signature).expect("cms");
    let trust = TrustStore::test_only_mynacard_test_pki().expect("trust");
    let crl = CrlIndex::from_der(CRL, &trust, CrlLimits::default()).expect("crl");
    let options = CmsVerifyOptions::strict();

    let backend = RustCrypto;
    let alg = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
    let ca = pki::Certificate::from_der(SIGN_CA).expect("ca");
    let leaf = pki::Certificate::from_der(CERT).expect("leaf");
    let ca_key = backend
        .prepare_key(ca.spki_der().expect("spki"))
        .expect("ca key");
    let leaf_key = backend
        .prepare_key(leaf.spki_der().expect("spki"))
        .expect("key");
    // TBSCertificate: `30 82 HH LL …` right after the outer `30 82 HH LL`.
    let tbs = &CERT[4..4 + 4 + (usize::from(CERT[6]) << 8 | usize::from(CERT[7]))];
    let cert_sig = &CERT[CERT.len() - 256..];
    assert!(ca_key.verify(alg, tbs, cert_sig).is_ok(), "TBS slice");

    let mut g = c.benchmark_group("document");
    g.bench_function("two_bare_verifies", |b| {
        b.iter(|| {
            ca_key.verify(alg, black_box(tbs), cert_sig).expect("cert");
            leaf_key
                .verify(alg, black_box(&attrs), &signature)
                .expect("attrs");
        })
    });
    g.bench_function("verify_cms/detached", |b| {
        b.iter(|| {
            document::verify_cms(
                black_box(&cms),
                Content::Detached(CONTENT),
                &trust,
                &crl,
                &options,
                test_pki::REFERENCE_TIME,
            )
            .expect("valid")
        })
    });
    g.finish();
}

criterion_group!(benches, cms_verify);
criterion_main!(benches);
