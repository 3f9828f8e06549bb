//! JPKI verification benchmarks: presentation verify per backend against two bare RSA
//! verifies, and a 1,000,000-entry CRL (index build, lookup, memory per entry).
//!
//! `cargo bench --bench pki [--features aws-lc-rs]`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use mynacard::pki::backend::{RustCrypto, SignatureBackend};
use mynacard::pki::{
    self, CrlIndex, CrlLimits, CrlSet, HashAlgorithm, Presentation, RelyingPartyPolicy,
    SignatureAlgorithm, TrustStore,
};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};

const AUTH_CA_KEY: &[u8] =
    include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.key.der");
const AUTH_CA: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.der");
const CERT: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/yamada_auth.der");
const CERT_KEY: &[u8] =
    include_bytes!("../crates/mynacard-virtual-card/data/pki/yamada_auth.key.der");
const CRL: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");
const CHALLENGE: &[u8] = b"benchmark challenge 0123456789abcdef";

fn backends() -> Vec<Arc<dyn SignatureBackend>> {
    #[allow(unused_mut)]
    let mut v: Vec<Arc<dyn SignatureBackend>> = vec![Arc::new(RustCrypto)];
    #[cfg(feature = "aws-lc-rs")]
    v.push(Arc::new(pki::backend::AwsLc));
    v
}

fn presentation(c: &mut Criterion) {
    let signature = SigningKey::<sha2::Sha256>::from_pkcs8_der(CERT_KEY)
        .expect("key")
        .sign(CHALLENGE)
        .to_vec();
    let cert = pki::Certificate::from_der(CERT).expect("cert");
    let ca = pki::Certificate::from_der(AUTH_CA).expect("ca");
    let alg = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
    let mut g = c.benchmark_group("presentation");
    g.bench_function("part_x509_cert_decode", |b| {
        b.iter(|| <x509_cert::Certificate as der::Decode>::from_der(black_box(CERT)).expect("cert"))
    });
    g.bench_function("part_parse_certificate", |b| {
        b.iter(|| pki::Certificate::from_der(black_box(CERT)).expect("cert"))
    });
    for backend in backends() {
        let name = backend.name();
        // Baseline: the two RSA verifications any presentation needs, keys already parsed.
        let ca_key = backend
            .prepare_key(ca.spki_der().expect("spki"))
            .expect("ca key");
        let leaf_key = backend
            .prepare_key(cert.spki_der().expect("spki"))
            .expect("leaf key");
        // TBSCertificate: `30 82 HH LL …` right after the outer `30 82 HH LL`.
        let tbs = &CERT[4..4 + 4 + (usize::from(CERT[6]) << 8 | usize::from(CERT[7]))];
        let cert_sig = &CERT[CERT.len() - 256..];
        assert!(ca_key.verify(alg, tbs, cert_sig).is_ok(), "TBS slice");
        g.bench_function(format!("two_bare_verifies/{name}"), |b| {
            b.iter(|| {
                ca_key
                    .verify(alg, black_box(tbs), cert_sig)
                    .expect("cert sig");
                leaf_key
                    .verify(alg, black_box(CHALLENGE), &signature)
                    .expect("challenge sig");
            })
        });
        let spki = cert.spki_der().expect("spki");
        g.bench_function(format!("part_prepare_leaf_key/{name}"), |b| {
            b.iter(|| backend.prepare_key(black_box(spki)).expect("key"))
        });
        let store =
            TrustStore::test_only_mynacard_test_pki_with_backend(backend.clone()).expect("store");
        let mut crls = CrlSet::new();
        crls.insert(CrlIndex::from_der(CRL, &store, CrlLimits::default()).expect("crl"));
        let policy = RelyingPartyPolicy::strict();
        g.bench_function(format!("verify_presentation/{name}"), |b| {
            b.iter(|| {
                let p = Presentation::new(black_box(CERT), CHALLENGE, &signature);
                pki::verify_presentation(&p, &store, &crls, &policy, pki::test_pki::REFERENCE_TIME)
                    .expect("valid")
            })
        });
    }
    g.finish();
}

/// DER of a CRL with `n` entries (4-byte serials in scrambled order, a reason code each),
/// signed by the TEST auth CA.
fn big_crl(n: u32) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8], out: &mut Vec<u8>) {
        out.push(tag);
        let len = body.len();
        match len {
            0..=0x7F => out.push(len as u8),
            0x80..=0xFF => out.extend([0x81, len as u8]),
            0x100..=0xFFFF => out.extend([0x82, (len >> 8) as u8, len as u8]),
            _ => out.extend([
                0x84,
                (len >> 24) as u8,
                (len >> 16) as u8,
                (len >> 8) as u8,
                len as u8,
            ]),
        }
        out.extend_from_slice(body);
    }
    let ca = pki::Certificate::from_der(AUTH_CA).expect("ca");
    let sig_alg: &[u8] = &[
        0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00,
    ];
    let mut entries = Vec::with_capacity(n as usize * 38);
    for i in 0..n {
        let serial = 0x1000_0000 | (i.wrapping_mul(0x9E37_79B1) & 0x0FFF_FFFF);
        let mut e = Vec::with_capacity(36);
        tlv(0x02, &serial.to_be_bytes(), &mut e);
        tlv(0x17, b"251120030000Z", &mut e);
        e.extend([
            0x30,
            0x0C,
            0x30,
            0x0A,
            0x06,
            0x03,
            0x55,
            0x1D,
            0x15,
            0x04,
            0x03,
            0x0A,
            0x01,
            (i % 6) as u8,
        ]);
        tlv(0x30, &e, &mut entries);
    }
    let mut tbs_body = vec![0x02, 0x01, 0x01];
    tbs_body.extend_from_slice(sig_alg);
    tbs_body.extend(der::Encode::to_der(ca.subject()).expect("issuer"));
    tlv(0x17, b"260101000000Z", &mut tbs_body);
    tlv(0x17, b"360101000000Z", &mut tbs_body);
    tlv(0x30, &entries, &mut tbs_body);
    let mut tbs = Vec::new();
    tlv(0x30, &tbs_body, &mut tbs);
    let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(AUTH_CA_KEY).expect("ca key");
    let sig = key.sign(&tbs).to_vec();
    let mut body = tbs;
    body.extend_from_slice(sig_alg);
    let mut bits = vec![0];
    bits.extend(sig);
    tlv(0x03, &bits, &mut body);
    let mut crl = Vec::new();
    tlv(0x30, &body, &mut crl);
    crl
}

fn crl(c: &mut Criterion) {
    const N: u32 = 1_000_000;
    let der = big_crl(N);
    let store = TrustStore::test_only_mynacard_test_pki().expect("store");
    let index = CrlIndex::from_der(&der, &store, CrlLimits::default()).expect("1M CRL");
    let entries = index.entries();
    assert_eq!(entries.len(), N as usize);
    eprintln!(
        "CRL: {} entries, {} bytes DER, index {} heap bytes = {:.1} bytes/entry",
        entries.len(),
        der.len(),
        entries.heap_bytes(),
        entries.heap_bytes() as f64 / f64::from(N)
    );
    let mut g = c.benchmark_group("crl_1m");
    g.sample_size(10);
    g.bench_function("parse_verify_index", |b| {
        b.iter(|| CrlIndex::from_der(black_box(&der), &store, CrlLimits::default()).expect("crl"))
    });
    let present: Vec<[u8; 4]> = (0..1024u32)
        .map(|i| (0x1000_0000 | ((i * 977).wrapping_mul(0x9E37_79B1) & 0x0FFF_FFFF)).to_be_bytes())
        .collect();
    // Serials never issued (bit 29 set), spread over the whole key space after mixing.
    let absent: Vec<[u8; 4]> = (0..1024u32)
        .map(|i| (0x2000_0000 | i.wrapping_mul(0x9E37_79B1) & 0x0FFF_FFFF).to_be_bytes())
        .collect();
    g.sample_size(50);
    let mut i = 0usize;
    g.bench_function("lookup_present", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(entries.lookup(&present[i]))
        })
    });
    g.bench_function("lookup_absent", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(entries.lookup(&absent[i]))
        })
    });
    g.finish();
}

criterion_group!(benches, presentation, crl);
criterion_main!(benches);
