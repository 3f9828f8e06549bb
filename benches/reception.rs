//! The card + PIN reception flow end to end, in process: the virtual card
//! (including its RSA-2048 signature), the exchange loop, the flow state machine
//! and the PKI presentation check with the TEST CRL index.

use criterion::{Criterion, criterion_group, criterion_main};
use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::CardPinFlow;
use mynacard::flows::{KeyProofChallenge, PkiCheck};
use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::runner::{NoCamera, Reply, Runner, ScriptedPatient};
use mynacard::transport::LinkCapabilities;
use mynacard::virtual_card::{VirtualCard, VirtualCardOptions};
use zeroize::Zeroizing;

const AUTH_CRL: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");

fn reception(c: &mut Criterion) {
    let trust = TrustStore::test_only_mynacard_test_pki().unwrap();
    let crl = CrlIndex::from_der(AUTH_CRL, &trust, CrlLimits::default()).unwrap();
    let policy = RelyingPartyPolicy::medical_eligibility();
    let facility = MedicalInstitutionCode::parse("1310012345").unwrap();
    for (name, caps) in [
        ("short", LinkCapabilities::SHORT),
        ("extended", LinkCapabilities::extended(65536)),
    ] {
        let mut options = VirtualCardOptions::default();
        options.capabilities = caps;
        let card = VirtualCard::test_holder_with("yamada", options).unwrap();
        c.bench_function(&format!("reception/card+PIN ({name} link)"), |b| {
            b.iter(|| {
                let check = PkiCheck {
                    trust: &trust,
                    revocation: &crl,
                    policy: &policy,
                    time: test_pki::REFERENCE_TIME,
                };
                let mut flow =
                    CardPinFlow::new(facility.clone(), KeyProofChallenge::new([7; 32]), check);
                let mut runner = Runner::new(card.clone());
                let mut patient = ScriptedPatient::new([
                    Reply::Digits(Zeroizing::new("1234".into())),
                    Reply::Yes,
                    Reply::Yes,
                    Reply::Yes,
                    Reply::Yes,
                ]);
                runner.run(&mut flow, &mut patient, &mut NoCamera).unwrap()
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = reception
}
criterion_main!(benches);
