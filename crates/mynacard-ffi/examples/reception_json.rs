//! The reference receptions for the bindings, on the in-process virtual card
//! (TEST holder `yamada`), TEST PKI with its auth CA CRL, at the TEST PKI's
//! reference time — driven with the core crate's own runner and scripted
//! patient (no bindings code), printing the outcome's JSON form:
//!
//! - `card_pin` (default): PIN 1234, consents yes / yes / no / yes;
//! - `card_face`: the scanned card face (1990-04-01, 2035, 2285), the patient
//!   chooses face, the matcher says match, then PIN 1234 (no 特定機関認証),
//!   consents yes / yes / no / yes.
//!
//! `tests/c/test_reception.c`, `tests/c/test_transport.c` and the Python tests
//! run the same receptions through the C ABI (the card behind the host's own
//! transport callback for `card_face`) and the Python package and must print
//! the same bytes (`.ci/ffi.sh` compares them).
//!
//! ```sh
//! cargo run -p mynacard-ffi --example reception_json -- card_face
//! ```

use mynacard::date::CalendarDate;
use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::{CardFaceFlow, CardPinFlow, Choice, Flow, PkiCheck, ScannedCardFace};
use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict};
use mynacard::pki::{CrlIndex, CrlLimits, CrlSet, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::runner::{ChallengeSource, OsRandom, Reply, Runner, ScriptedPatient};
use mynacard::virtual_card::VirtualCard;

const AUTH_CRL: &[u8] = include_bytes!("../../mynacard-virtual-card/data/pki/auth_ca.crl.der");

/// The camera at the face-auth reader: always a match.
struct Matches;

impl FaceMatcher for Matches {
    fn compare(&mut self, _card_photo: &FaceImage) -> FaceVerdict {
        FaceVerdict::Match
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let which = std::env::args().nth(1).unwrap_or_else(|| "card_pin".into());
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
    let consents = [Reply::Yes, Reply::Yes, Reply::No, Reply::Yes];
    let (mut flow, first): (Box<dyn Flow>, Vec<Reply>) = match which.as_str() {
        "card_pin" => (
            Box::new(CardPinFlow::new(facility, OsRandom.challenge()?, check)),
            vec![Reply::digits("1234")],
        ),
        "card_face" => {
            let scanned = ScannedCardFace {
                birth_date: CalendarDate::new(1990, 4, 1)?,
                expiry_year: 2035,
                security_code: "2285".into(),
            };
            (
                Box::new(CardFaceFlow::new(
                    facility,
                    OsRandom.challenge()?,
                    check,
                    scanned,
                )),
                vec![Reply::Choice(Choice::Face), Reply::digits("1234")],
            )
        }
        other => return Err(format!("unknown flow {other:?} (card_pin, card_face)").into()),
    };
    let mut runner = Runner::new(VirtualCard::test_holder("yamada")?);
    let mut patient = ScriptedPatient::new(first.into_iter().chain(consents));
    let outcome = runner.run(&mut *flow, &mut patient, &mut Matches)?;
    println!("{}", mynacard_ffi::jobs::outcome_json(&outcome)?);
    Ok(())
}
