//! One DeviceResponse verification (issuer ES256 with its IACA → DS certificate check, device
//! signature ES256, every digest) against the three bare ECDSA P-256 verifications it contains,
//! per signature backend, in the same run. Report the ratio `verify_device_response / bare`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use mynacard::mdoc::{
    self, DOC_TYPE_JP_MNC, Handover, IssuerAnchors, JpMncElement, ReaderSession, SessionEvent,
};
use mynacard::pki::SignatureAlgorithm;
use mynacard::pki::UnixTime;
use mynacard::pki::backend::{RustCrypto, SignatureBackend};
use mynacard::virtual_card::iphone::{IphoneOptions, VirtualIphone, test_iaca_der};
use p256::ecdsa::signature::Signer;
use p256::pkcs8::EncodePublicKey;

const NOW: UnixTime = UnixTime::from_secs(1_796_515_200);

fn backends() -> Vec<Arc<dyn SignatureBackend>> {
    let mut v: Vec<Arc<dyn SignatureBackend>> = vec![Arc::new(RustCrypto)];
    #[cfg(feature = "aws-lc-rs")]
    v.push(Arc::new(mynacard::pki::backend::AwsLc));
    v
}

fn bench(c: &mut Criterion) {
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
    let iaca = test_iaca_der().expect("iaca");
    // The bare reference: three P-256 / SHA-256 verifications of similar message sizes.
    let key = p256::ecdsa::SigningKey::from_slice(&[5; 32]).expect("key");
    let spki = key.verifying_key().to_public_key_der().expect("spki");
    let messages: Vec<Vec<u8>> = [400usize, 900, 300]
        .iter()
        .map(|n| vec![0x5a; *n])
        .collect();
    let sigs: Vec<p256::ecdsa::Signature> = messages.iter().map(|m| key.sign(m)).collect();
    let mut group = c.benchmark_group("mdoc");
    for backend in backends() {
        let anchors = IssuerAnchors::with_backend(&[&iaca], backend.clone()).expect("anchors");
        group.bench_function(format!("verify_device_response/{}", backend.name()), |b| {
            b.iter(|| {
                mdoc::verify_device_response(&response, DOC_TYPE_JP_MNC, &session, &anchors, NOW)
                    .expect("verified")
            })
        });
        let k = backend.prepare_key(spki.as_bytes()).expect("key");
        group.bench_function(format!("bare_3x_ecdsa_p256/{}", backend.name()), |b| {
            b.iter(|| {
                for (m, s) in messages.iter().zip(&sigs) {
                    k.verify_fixed(SignatureAlgorithm::EcdsaP256Sha256, m, &s.to_bytes())
                        .expect("verifies");
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
