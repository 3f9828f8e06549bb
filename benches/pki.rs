//! JPKI verification benchmarks: presentation verify per backend against two bare RSA
//! verifies, and a 1,000,000-entry CRL (index build, lookup, memory per entry).
//!
//! `cargo bench --bench pki [--features aws-lc-rs]`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group};
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
    let serials: Vec<u32> = (0..n)
        .map(|i| 0x1000_0000 | (i.wrapping_mul(0x9E37_79B1) & 0x0FFF_FFFF))
        .collect();
    scoped_crl(&serials, None)
}

/// DER of a CRL listing `serials`, with a critical issuingDistributionPoint (DER of the
/// `IssuingDistributionPoint`) when given, signed by the TEST auth CA.
fn scoped_crl(serials: &[u32], idp: Option<&[u8]>) -> Vec<u8> {
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
    let mut entries = Vec::with_capacity(serials.len() * 38);
    for (i, &serial) in serials.iter().enumerate() {
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
    if let Some(idp) = idp {
        // [0] { SEQUENCE { SEQUENCE { OID 2.5.29.28, TRUE, OCTET STRING idp } } }
        let mut ext = vec![0x06, 0x03, 0x55, 0x1D, 0x1C, 0x01, 0x01, 0xFF];
        tlv(0x04, idp, &mut ext);
        let mut one = Vec::new();
        tlv(0x30, &ext, &mut one);
        let mut list = Vec::new();
        tlv(0x30, &one, &mut list);
        tlv(0xA0, &list, &mut tbs_body);
    }
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

/// The DER of a partition's issuingDistributionPoint (onlyContainsUserCerts) for `dp`.
fn partition_idp(dp: x509_cert::name::Name) -> Vec<u8> {
    use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
    use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
    der::Encode::to_der(&IssuingDistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![
            GeneralName::DirectoryName(dp),
        ])),
        only_contains_user_certs: true,
        only_contains_ca_certs: false,
        only_some_reasons: None,
        indirect_crl: false,
        only_contains_attribute_certs: false,
    })
    .expect("IDP")
}

/// JPKI's shape: 1,900 municipality partitions × 500 entries, against one CRL of the same
/// 950,000 entries, and two TEST certificates to ask about (yamada: listed, in partition
/// Chiyoda-ku; takahashi: not listed, in partition Fukuoka-shi).
struct PartitionFixture {
    store: TrustStore,
    yamada: pki::VerifiedCertificate,
    takahashi: pki::VerifiedCertificate,
    partitions: Vec<Vec<u8>>,
    whole: Vec<u8>,
}

impl PartitionFixture {
    const PARTS: u32 = 1_900;
    const PER: u32 = 500;

    fn new() -> Self {
        use mynacard::pki::{Purpose, certificate_distribution_points};
        let store = TrustStore::test_only_mynacard_test_pki().expect("store");
        let t = pki::test_pki::REFERENCE_TIME;
        let yamada = store
            .verify_certificate(CERT, Purpose::Authentication, t)
            .expect("yamada");
        let takahashi = store
            .verify_certificate(
                include_bytes!("../crates/mynacard-virtual-card/data/pki/takahashi_auth.der"),
                Purpose::Authentication,
                t,
            )
            .expect("takahashi");
        let dp_of = |v: &pki::VerifiedCertificate| {
            certificate_distribution_points(v.certificate())[0]
                .as_directory_name()
                .expect("directory name")
        };
        let yamada_serial = u32::from_be_bytes(yamada.serial().try_into().expect("4 bytes"));
        let serial = |i: u32| 0x1000_0000 | (i.wrapping_mul(0x9E37_79B1) & 0x0FFF_FFFF);
        let (parts, per) = (Self::PARTS, Self::PER);
        let mut all = Vec::with_capacity((parts * per) as usize);
        let mut partitions = Vec::with_capacity(parts as usize);
        for p in 0..parts {
            let mut serials: Vec<u32> = (0..per).map(|k| serial(p * per + k)).collect();
            let dp = match p {
                0 => {
                    serials[0] = yamada_serial;
                    dp_of(&yamada)
                }
                1 => dp_of(&takahashi),
                _ => format!(
                    "CN=Municipality-{p:04},OU=Prefecture-{:02},OU=CRL Distribution Points,OU=JPKI for user authentication TEST,O=JPKI TEST,C=JP",
                    p % 47
                )
                .parse()
                .expect("DN"),
            };
            all.extend_from_slice(&serials);
            partitions.push(scoped_crl(&serials, Some(&partition_idp(dp))));
        }
        let whole = scoped_crl(&all, None);
        Self {
            store,
            yamada,
            takahashi,
            partitions,
            whole,
        }
    }

    fn build_parts(&self) -> CrlSet {
        let mut set = CrlSet::new();
        for der in &self.partitions {
            set.insert(
                CrlIndex::from_der(der, &self.store, CrlLimits::default()).expect("partition"),
            );
        }
        set
    }

    fn build_whole(&self) -> CrlSet {
        let mut set = CrlSet::new();
        set.insert(
            CrlIndex::from_der(&self.whole, &self.store, CrlLimits::default()).expect("CRL"),
        );
        set
    }
}

fn crl_partitions(c: &mut Criterion) {
    use mynacard::pki::{RevocationSource, StalenessPolicy};
    let f = PartitionFixture::new();
    let (yamada, takahashi) = (&f.yamada, &f.takahashi);
    let (partitions, whole) = (&f.partitions, &f.whole);
    let t = pki::test_pki::REFERENCE_TIME;
    let build_parts = || f.build_parts();
    let build_whole = || f.build_whole();
    let parts_set = build_parts();
    let whole_set = build_whole();
    let n = f64::from(PartitionFixture::PARTS * PartitionFixture::PER);
    assert_eq!(parts_set.entry_count(), whole_set.entry_count());
    eprintln!(
        "partitions: {} CRLs, {} entries, {} DER bytes, {} heap bytes = {:.2} bytes/entry",
        parts_set.len(),
        parts_set.entry_count(),
        partitions.iter().map(Vec::len).sum::<usize>(),
        parts_set.heap_bytes(),
        parts_set.heap_bytes() as f64 / n
    );
    eprintln!(
        "one CRL:    {} CRL,  {} entries, {} DER bytes, {} heap bytes = {:.2} bytes/entry (ratio {:.3})",
        whole_set.len(),
        whole_set.entry_count(),
        whole.len(),
        whole_set.heap_bytes(),
        whole_set.heap_bytes() as f64 / n,
        parts_set.heap_bytes() as f64 / whole_set.heap_bytes() as f64
    );
    for (name, set) in [("partitions", &parts_set), ("one_crl", &whole_set)] {
        assert!(
            matches!(
                set.status(yamada, t, StalenessPolicy::Reject),
                Ok(pki::RevocationStatus::Revoked { .. })
            ),
            "{name}"
        );
        assert!(
            matches!(
                set.status(takahashi, t, StalenessPolicy::Reject),
                Ok(pki::RevocationStatus::Good { .. })
            ),
            "{name}"
        );
    }
    let mut g = c.benchmark_group("crl_partitions");
    g.sample_size(10);
    g.bench_function("build/1900x500_partitions", |b| b.iter(build_parts));
    g.bench_function("build/one_crl_950000", |b| b.iter(build_whole));
    g.sample_size(50);
    for (name, set) in [
        ("1900x500_partitions", &parts_set),
        ("one_crl_950000", &whole_set),
    ] {
        g.bench_function(format!("status_listed/{name}"), |b| {
            b.iter(|| black_box(set.status(black_box(yamada), t, StalenessPolicy::Reject)))
        });
        g.bench_function(format!("status_not_listed/{name}"), |b| {
            b.iter(|| black_box(set.status(black_box(takahashi), t, StalenessPolicy::Reject)))
        });
    }
    g.finish();
}

/// Load-independent comparison under callgrind: `MYNACARD_PKI_CALLGRIND=<backend>:<n>` runs
/// `n` iterations of [`cg_two_bare_verifies`] and of [`cg_verify_presentation`] with that
/// backend (`rsa` or `aws-lc-rs`) instead of criterion; `callgrind_annotate --inclusive=yes`
/// then gives the instructions of each, and their ratio.
///
/// `MYNACARD_PKI_CALLGRIND=rsa:200 valgrind --tool=callgrind target/release/deps/pki-…`
///
/// `MYNACARD_PKI_CALLGRIND=crl:<n>` instead builds the 1,900-partition set and the one-CRL
/// set of [`PartitionFixture`] (once each, in [`cg_build_parts`] and [`cg_build_whole`]) and
/// asks each `n` times about a listed and an unlisted certificate ([`cg_status_parts`],
/// [`cg_status_whole`]).
fn callgrind(spec: &str) {
    let (name, n) = spec.split_once(':').unwrap_or((spec, "100"));
    let n: u32 = n.parse().expect("iteration count");
    if name == "crl" {
        let f = PartitionFixture::new();
        let parts = cg_build_parts(&f);
        let whole = cg_build_whole(&f);
        cg_status_parts(n, &parts, &f);
        cg_status_whole(n, &whole, &f);
        return;
    }
    let backend = backends()
        .into_iter()
        .find(|b| b.name() == name)
        .expect("backend name: rsa or aws-lc-rs");
    let signature = SigningKey::<sha2::Sha256>::from_pkcs8_der(CERT_KEY)
        .expect("key")
        .sign(CHALLENGE)
        .to_vec();
    let cert = pki::Certificate::from_der(CERT).expect("cert");
    let ca = pki::Certificate::from_der(AUTH_CA).expect("ca");
    let ca_key = backend
        .prepare_key(ca.spki_der().expect("spki"))
        .expect("ca key");
    let leaf_key = backend
        .prepare_key(cert.spki_der().expect("spki"))
        .expect("leaf key");
    let tbs = &CERT[4..4 + 4 + (usize::from(CERT[6]) << 8 | usize::from(CERT[7]))];
    let cert_sig = &CERT[CERT.len() - 256..];
    let store =
        TrustStore::test_only_mynacard_test_pki_with_backend(backend.clone()).expect("store");
    let mut crls = CrlSet::new();
    crls.insert(CrlIndex::from_der(CRL, &store, CrlLimits::default()).expect("crl"));
    let policy = RelyingPartyPolicy::strict();
    cg_two_bare_verifies(n, &*ca_key, &*leaf_key, tbs, cert_sig, &signature);
    cg_verify_presentation(n, &store, &crls, &policy, &signature);
}

#[inline(never)]
fn cg_two_bare_verifies(
    n: u32,
    ca_key: &dyn pki::backend::VerificationKey,
    leaf_key: &dyn pki::backend::VerificationKey,
    tbs: &[u8],
    cert_sig: &[u8],
    signature: &[u8],
) {
    let alg = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
    for _ in 0..n {
        ca_key
            .verify(alg, black_box(tbs), cert_sig)
            .expect("cert sig");
        leaf_key
            .verify(alg, black_box(CHALLENGE), signature)
            .expect("challenge sig");
    }
}

#[inline(never)]
fn cg_verify_presentation(
    n: u32,
    store: &TrustStore,
    crls: &CrlSet,
    policy: &RelyingPartyPolicy,
    signature: &[u8],
) {
    for _ in 0..n {
        let p = Presentation::new(black_box(CERT), CHALLENGE, signature);
        black_box(
            pki::verify_presentation(&p, store, crls, policy, pki::test_pki::REFERENCE_TIME)
                .expect("valid"),
        );
    }
}

#[inline(never)]
fn cg_build_parts(f: &PartitionFixture) -> CrlSet {
    f.build_parts()
}

#[inline(never)]
fn cg_build_whole(f: &PartitionFixture) -> CrlSet {
    f.build_whole()
}

fn cg_status(n: u32, set: &CrlSet, f: &PartitionFixture) {
    use mynacard::pki::{RevocationSource, StalenessPolicy};
    let t = pki::test_pki::REFERENCE_TIME;
    for _ in 0..n {
        black_box(set.status(black_box(&f.yamada), t, StalenessPolicy::Reject)).expect("listed");
        black_box(set.status(black_box(&f.takahashi), t, StalenessPolicy::Reject)).expect("good");
    }
}

#[inline(never)]
fn cg_status_parts(n: u32, set: &CrlSet, f: &PartitionFixture) {
    cg_status(n, set, f);
}

#[inline(never)]
fn cg_status_whole(n: u32, set: &CrlSet, f: &PartitionFixture) {
    cg_status(n, set, f);
}

criterion_group!(benches, presentation, crl, crl_partitions);

fn main() {
    if let Ok(spec) = std::env::var("MYNACARD_PKI_CALLGRIND") {
        callgrind(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
