//! The bindings' reception (`jobs::reception::run`, what C and Python call) gives
//! the same JSON as the core crate's own runner with a scripted patient, and its
//! host callbacks see what the C and Python hosts see.

use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::CardPinFlow;
use mynacard::flows::PkiCheck;
use mynacard::pki::{CrlIndex, CrlLimits, CrlSet, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::runner::{ChallengeSource, NoCamera, OsRandom, Reply, Runner, ScriptedPatient};
use mynacard::virtual_card::VirtualCard;
use mynacard_ffi::jobs::pki::{Trust, TrustKind};
use mynacard_ffi::jobs::reception::{
    Answer, CancelToken, GuidanceView, Host, Prompt, ReceptionOptions, run,
};
use mynacard_ffi::jobs::{ErrorKind, outcome_json};
use zeroize::Zeroizing;

const AUTH_CRL: &[u8] = include_bytes!("../../mynacard-virtual-card/data/pki/auth_ca.crl.der");

fn core_reception() -> String {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("TEST trust");
    let mut crls = CrlSet::new();
    crls.insert(CrlIndex::from_der(AUTH_CRL, &trust, CrlLimits::default()).expect("CRL"));
    let policy = RelyingPartyPolicy::medical_eligibility();
    let check = PkiCheck {
        trust: &trust,
        revocation: &crls,
        policy: &policy,
        time: test_pki::REFERENCE_TIME,
    };
    let facility = MedicalInstitutionCode::parse("1310012345").expect("facility");
    let mut flow = CardPinFlow::new(facility, OsRandom.challenge().expect("rng"), check);
    let mut runner = Runner::new(VirtualCard::test_holder("yamada").expect("holder"));
    let mut patient = ScriptedPatient::new([
        Reply::digits("1234"),
        Reply::Yes,
        Reply::Yes,
        Reply::No,
        Reply::Yes,
    ]);
    let outcome = runner
        .run(&mut flow, &mut patient, &mut NoCamera)
        .expect("outcome");
    outcome_json(&outcome).expect("json").to_string()
}

/// Answers like the C test's patient; records what it was shown.
#[derive(Default)]
struct Kiosk {
    shown: Vec<&'static str>,
    consents: Vec<String>,
    fail_at: Option<&'static str>,
    pin: Option<&'static str>,
}

impl Host for Kiosk {
    fn show(&mut self, g: &GuidanceView) -> Result<(), String> {
        assert!(!g.ja.is_empty() && !g.en.is_empty());
        self.shown.push(g.id);
        match self.fail_at {
            Some(id) if id == g.id => Err(format!("display failed at {id}")),
            _ => Ok(()),
        }
    }

    fn reply(&mut self, g: &GuidanceView) -> Result<Answer, String> {
        Ok(match &g.prompt {
            Prompt::Keypad { digits: 4 } => {
                Answer::Digits(Zeroizing::new(self.pin.unwrap_or("1234").into()))
            }
            Prompt::Consent(item) => {
                self.consents.push(item.clone());
                if item == "checkup" {
                    Answer::No
                } else {
                    Answer::Yes
                }
            }
            _ => Answer::Cancel,
        })
    }
}

fn options(holder: &str) -> ReceptionOptions {
    ReceptionOptions::from_json(&format!(
        r#"{{"flow": "card_pin", "facility": "1310012345", "virtual_card": "{holder}", "time": {}}}"#,
        test_pki::REFERENCE_TIME.as_secs()
    ))
    .expect("options")
}

fn trust() -> Trust {
    let trust = Trust::new(TrustKind::Test).expect("TEST trust");
    trust.add_crl(AUTH_CRL).expect("CRL");
    trust
}

#[test]
fn bindings_reception_equals_the_core_runners() {
    let mut kiosk = Kiosk::default();
    let json = run(
        &trust(),
        &options("yamada"),
        &mut kiosk,
        &CancelToken::new(),
    )
    .expect("run");
    assert_eq!(json, core_reception());
    assert_eq!(kiosk.shown.first(), Some(&"card.place"));
    assert!(kiosk.shown.contains(&"card.pin.enter"));
    assert_eq!(
        kiosk.consents,
        ["medication", "clinical", "checkup", "limit_amount"]
    );
}

#[test]
fn a_failing_callback_aborts_with_its_message() {
    let mut kiosk = Kiosk {
        fail_at: Some("card.pin.enter"),
        ..Kiosk::default()
    };
    let e = run(
        &trust(),
        &options("yamada"),
        &mut kiosk,
        &CancelToken::new(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback);
    assert_eq!(e.code(), "callback.failed");
    assert!(e.message().contains("card.pin.enter"));
    assert!(kiosk.consents.is_empty());
}

#[test]
fn a_cancelled_token_stops_before_the_first_command() {
    let cancel = CancelToken::new();
    cancel.cancel();
    let e = run(&trust(), &options("yamada"), &mut Kiosk::default(), &cancel).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(e.code(), "flow.cancelled");
}

#[test]
fn a_revoked_card_is_a_flow_error_with_the_cores_code() {
    let mut kiosk = Kiosk {
        pin: Some("4321"),
        ..Kiosk::default()
    };
    let e = run(&trust(), &options("sato"), &mut kiosk, &CancelToken::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Flow);
    assert_eq!(e.code(), "flow.verification.revoked");
}
