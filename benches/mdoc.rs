//! One DeviceResponse verification (issuer ES256 with its IACA → DS certificate check, device
//! signature ES256, every digest) against the three bare ECDSA P-256 verifications it contains,
//! per signature backend, in the same run. Report the ratio `verify_device_response / bare`.
//!
//! ```sh
//! cargo bench --bench mdoc --features aws-lc-rs -- --quick
//! ```
//!
//! On a loaded machine, count instructions instead (repeatable): with `MDOC_COUNT=<case>:<n>`
//! (`case` = `verify/<backend>` or `bare/<backend>`, backend `rsa` or `aws-lc-rs`) the bench
//! runs that case `n` times and exits; run it under callgrind with `n` and with 0 and divide the
//! difference by `n`:
//!
//! ```sh
//! B=$(ls -t target/release/deps/mdoc-* | grep -v '\.d$' | head -1)
//! MDOC_COUNT=verify/rsa:100 valgrind --tool=callgrind --callgrind-out-file=/dev/null $B 2>&1 | grep refs
//! ```

use std::sync::Arc;

use criterion::{Criterion, criterion_group};
use mynacard::mdoc::{
    self, DOC_TYPE_JP_MNC, Handover, IssuerAnchors, JpMncElement, ReaderSession, SessionEvent,
};
use mynacard::pki::SignatureAlgorithm;
use mynacard::pki::UnixTime;
use mynacard::pki::backend::{RustCrypto, SignatureBackend, VerificationKey};
use mynacard::virtual_card::iphone::{IphoneOptions, VirtualIphone, test_iaca_der};
use p256::ecdsa::signature::Signer;
use p256::pkcs8::EncodePublicKey;

const NOW: UnixTime = UnixTime::from_secs(1_796_515_200);

fn backends() -> Vec<Arc<dyn SignatureBackend>> {
    vec![
        Arc::new(RustCrypto),
        #[cfg(feature = "aws-lc-rs")]
        Arc::new(mynacard::pki::backend::AwsLc),
    ]
}

/// A decrypted DeviceResponse with its session, and the bare reference's inputs.
struct Fixture {
    session: ReaderSession,
    response: Vec<u8>,
    iaca: Vec<u8>,
    spki: Vec<u8>,
    messages: Vec<Vec<u8>>,
    signatures: Vec<[u8; 64]>,
}

fn fixture() -> Fixture {
    let asked = [
        JpMncElement::FullName,
        JpMncElement::ResidentAddress,
        JpMncElement::BirthDate,
        JpMncElement::Sex,
        JpMncElement::IndividualNumber,
    ];
    let mut phone =
        VirtualIphone::test_holder("yamada", [0x42; 32], IphoneOptions::default()).expect("phone");
    let engagement = mdoc::DeviceEngagement::parse(phone.engagement()).expect("engagement");
    let mut session = ReaderSession::new(&engagement, &Handover::Qr, &[7; 32]).expect("session");
    let request = mdoc::device_request(
        DOC_TYPE_JP_MNC,
        &JpMncElement::request(&asked),
        session.transcript(),
        None,
    );
    let answer = phone
        .handle(&session.establish(&request).expect("establish"))
        .expect("answer");
    let SessionEvent::Data(response) = session.receive(&answer).expect("decrypt") else {
        panic!("data")
    };
    // The bare reference: three P-256 / SHA-256 verifications of similar message sizes (the
    // DS certificate's TBS, the MSO's Sig_structure, DeviceAuthentication's).
    let key = p256::ecdsa::SigningKey::from_slice(&[5; 32]).expect("key");
    let spki = key.verifying_key().to_public_key_der().expect("spki");
    let messages: Vec<Vec<u8>> = [400usize, 900, 300]
        .iter()
        .map(|n| vec![0x5a; *n])
        .collect();
    let signatures = messages
        .iter()
        .map(|m| {
            let s: p256::ecdsa::Signature = key.sign(m);
            s.to_bytes().into()
        })
        .collect();
    Fixture {
        session,
        response: response.to_vec(),
        iaca: test_iaca_der().expect("iaca"),
        spki: spki.as_bytes().to_vec(),
        messages,
        signatures,
    }
}

fn verify_once(f: &Fixture, anchors: &IssuerAnchors) {
    mdoc::verify_device_response(&f.response, DOC_TYPE_JP_MNC, &f.session, anchors, NOW)
        .expect("verified");
}

fn bare_once(f: &Fixture, key: &dyn VerificationKey) {
    for (m, s) in f.messages.iter().zip(&f.signatures) {
        key.verify_fixed(SignatureAlgorithm::EcdsaP256Sha256, m, s)
            .expect("verifies");
    }
}

fn bench(c: &mut Criterion) {
    let f = fixture();
    let mut group = c.benchmark_group("mdoc");
    for backend in backends() {
        let anchors = IssuerAnchors::with_backend(&[&f.iaca], backend.clone()).expect("anchors");
        group.bench_function(format!("verify_device_response/{}", backend.name()), |b| {
            b.iter(|| verify_once(&f, &anchors))
        });
        let k = backend.prepare_key(&f.spki).expect("key");
        group.bench_function(format!("bare_3x_ecdsa_p256/{}", backend.name()), |b| {
            b.iter(|| bare_once(&f, k.as_ref()))
        });
    }
    group.finish();
}

/// `MDOC_COUNT=<verify|bare>/<backend>:<n>`: run one case `n` times (for instruction counts).
fn count(spec: &str) {
    let (case, n) = spec
        .split_once(':')
        .expect("MDOC_COUNT=<case>/<backend>:<n>");
    let (case, name) = case.split_once('/').expect("<case>/<backend>");
    let n: u32 = n.parse().expect("a count");
    let f = fixture();
    let backend = backends()
        .into_iter()
        .find(|b| b.name() == name)
        .expect("a backend of this build");
    let anchors = IssuerAnchors::with_backend(&[&f.iaca], backend.clone()).expect("anchors");
    let key = backend.prepare_key(&f.spki).expect("key");
    for _ in 0..n {
        match case {
            "verify" => verify_once(&f, &anchors),
            "bare" => bare_once(&f, key.as_ref()),
            other => panic!("unknown case {other}"),
        }
    }
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(spec) = std::env::var("MDOC_COUNT") {
        count(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
