//! The reference reception for the bindings: card + PIN on the in-process virtual
//! card (TEST holder `yamada`, PIN 1234, consents yes / yes / no / yes), TEST PKI
//! with its auth CA CRL, at the TEST PKI's reference time — driven with the core
//! crate's own runner and scripted patient (no bindings code), printing the
//! outcome's JSON form. `tests/c/test_reception.c` and the Python tests run the
//! same reception through the C ABI and the Python package and must print the
//! same bytes (`.ci/ffi.sh` compares them).
//!
//! ```sh
//! cargo run -p mynacard-ffi --example reception_json
//! ```

use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::CardPinFlow;
use mynacard::flows::PkiCheck;
use mynacard::pki::{CrlIndex, CrlLimits, CrlSet, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::runner::{ChallengeSource, NoCamera, OsRandom, Reply, Runner, ScriptedPatient};
use mynacard::virtual_card::VirtualCard;

const AUTH_CRL: &[u8] = include_bytes!("../../mynacard-virtual-card/data/pki/auth_ca.crl.der");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let mut crls = CrlSet::new();
    crls.insert(CrlIndex::from_der(AUTH_CRL, &trust, CrlLimits::default())?);
    let policy = RelyingPartyPolicy::medical_eligibility();
    let check = PkiCheck {
        trust: &trust,
        revocation: &crls,
        policy: &policy,
        time: test_pki::REFERENCE_TIME,
    };
    let facility = MedicalInstitutionCode::parse("1310012345")?;
    let mut flow = CardPinFlow::new(facility, OsRandom.challenge()?, check);
    let mut runner = Runner::new(VirtualCard::test_holder("yamada")?);
    let mut patient = ScriptedPatient::new([
        Reply::digits("1234"),
        Reply::Yes,
        Reply::Yes,
        Reply::No,
        Reply::Yes,
    ]);
    let outcome = runner.run(&mut flow, &mut patient, &mut NoCamera)?;
    println!("{}", mynacard_ffi::jobs::outcome_json(&outcome)?);
    Ok(())
}
