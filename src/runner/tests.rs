//! State-machine tests over recorded transcripts. The verifier here is a stand-in
//! that checks the flow handed it exactly what the card returned; the end-to-end
//! tests (tests/it/flows.rs) use the real PKI check on the virtual card.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::{NoCamera, Reply, Runner};
use crate::card::TokenKind;
use crate::eligibility::{
    BirthDate, EligibilityRequest, InsurerNumber, MedicalInstitutionCode, PersonalText, SearchInfo,
    VerificationMethod,
};
use crate::flows::*;
use crate::flows::{ConsentAnswer, ConsentItem};
use crate::flows::{Guidance, GuidanceId};
use crate::flows::{Identity, Method};
use crate::flows::{KeyProofChallenge, PkiCheck};
use crate::pki::{CrlIndex, CrlLimits, PkiError, RelyingPartyPolicy, TrustStore, test_pki};
use crate::transport::Transcript;

const CERT: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.der");
const KEY: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.key.der");
const AUTH_CRL: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");

const CHALLENGE: [u8; 32] = [7; 32];

fn challenge() -> KeyProofChallenge {
    KeyProofChallenge::new(CHALLENGE)
}

fn facility() -> MedicalInstitutionCode {
    MedicalInstitutionCode::parse("1310012345").unwrap()
}

const ITO_CERT: &[u8] = include_bytes!("../../crates/mynacard-virtual-card/data/pki/ito_auth.der");
const ITO_KEY: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/ito_auth.key.der");
const KATO_CERT: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/kato_auth.der");
const KATO_KEY: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/kato_auth.key.der");

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// yamada's auth key over the SHA-256 DigestInfo of the challenge.
fn sig() -> Vec<u8> {
    sig_by(KEY)
}

fn sig_by(key: &[u8]) -> Vec<u8> {
    use rsa::pkcs1v15::SigningKey;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(key).unwrap();
    key.sign(&CHALLENGE).to_vec()
}

/// The test PKI's check at the reference time (leaked: tests only).
fn pki() -> PkiCheck<'static> {
    let pki: &'static TestPki = Box::leak(Box::new(TestPki::new()));
    pki.check()
}

/// The test PKI at the reference time.
struct TestPki {
    trust: TrustStore,
    crl: CrlIndex,
    policy: RelyingPartyPolicy,
}

impl TestPki {
    fn new() -> Self {
        let trust = TrustStore::test_only_mynacard_test_pki().unwrap();
        let crl = CrlIndex::from_der(AUTH_CRL, &trust, CrlLimits::default()).unwrap();
        Self {
            trust,
            crl,
            policy: RelyingPartyPolicy::strict(),
        }
    }

    fn check(&self) -> PkiCheck<'_> {
        PkiCheck {
            trust: &self.trust,
            revocation: &self.crl,
            policy: &self.policy,
            time: test_pki::REFERENCE_TIME,
        }
    }
}

/// The runner's own scripted patient; `ids()` lists the guidance it was shown, by id.
type Scripted = super::ScriptedPatient;

trait ShownIds {
    fn ids(&self) -> Vec<GuidanceId>;
}

impl ShownIds for Scripted {
    fn ids(&self) -> Vec<GuidanceId> {
        self.shown().iter().map(Guidance::id).collect()
    }
}

fn pin(s: &str) -> Reply {
    Reply::Digits(Zeroizing::new(s.into()))
}

fn yes4() -> Vec<Reply> {
    vec![Reply::Yes, Reply::No, Reply::Yes, Reply::Yes]
}

const SELECT_JPKI: &str = "00A4040C0AD392F000260100000001";

fn cert_reads() -> String {
    reads_of(CERT)
}

fn reads_of(c: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in c.chunks(256).enumerate() {
        let p1p2 = if i == 0 {
            "8A00".to_string()
        } else {
            format!("{:04X}", i * 256)
        };
        let le = if i == 0 || chunk.len() == 256 {
            "00".to_string()
        } else {
            format!("{:02X}", chunk.len())
        };
        out.push_str(&format!("> 00B0{p1p2}{le}\n< {} 9000\n", hex(chunk)));
    }
    out
}

fn sign_cmd(p2: &str) -> String {
    use sha2::{Digest, Sha256};
    format!(
        "802A00{p2}333031300D060960864801650304020105000420{}00",
        hex(&Sha256::digest(CHALLENGE))
    )
}

/// The default signature: SELECT the key EF, then `80 2A 00 80`.
fn select_then_sign() -> String {
    format!("00A4020C020017\n< 9000\n> {}", sign_cmd("80"))
}

fn run(
    script: &str,
    replies: Vec<Reply>,
) -> (
    Result<outcome::Outcome, FlowError>,
    Scripted,
    Runner<Transcript>,
) {
    let mut runner = Runner::new(Transcript::parse(script).unwrap());
    let mut patient = Scripted::new(replies);
    let mut flow = CardPinFlow::new(facility(), challenge(), pki());
    let r = runner.run(&mut flow, &mut patient, &mut NoCamera);
    (r, patient, runner)
}

fn happy_script() -> String {
    format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 31323334\n< 9000\n> {}\n< {} 9000\n",
        cert_reads(),
        select_then_sign(),
        hex(&sig())
    )
}

#[test]
fn card_pin_success_in_11_short_commands_with_consents() {
    let mut replies = vec![pin("1234")];
    replies.extend(yes4());
    let (r, patient, runner) = run(&happy_script(), replies);
    let out = r.unwrap();
    runner.transport().finish().unwrap();
    assert_eq!(runner.counters().commands, 11);
    assert_eq!(out.method, Method::Pin);
    let Identity::Verified(id) = &out.identity else {
        panic!("{:?}", out.identity)
    };
    assert_eq!(id.serial_hex(), "329BCA3A");
    assert_eq!(
        out.consents.answer(ConsentItem::Medication),
        ConsentAnswer::Given
    );
    assert_eq!(
        out.consents.answer(ConsentItem::Clinical),
        ConsentAnswer::Refused
    );
    assert_eq!(out.request, None);
    let face = out.face_match.unwrap();
    assert_eq!(face.method, VerificationMethod::Card);
    assert_eq!(face.medical_institution_code, facility());
    assert_eq!(
        patient.ids(),
        vec![
            GuidanceId::CardPlace,
            GuidanceId::CardPinEnter,
            GuidanceId::VerifyOk,
            GuidanceId::ConsentMedication,
            GuidanceId::ConsentClinical,
            GuidanceId::ConsentCheckup,
            GuidanceId::ConsentLimit,
            GuidanceId::ReceptionDone,
        ]
    );
}

/// The power-up `6F00`: the flow resends its first command once (the engine's link
/// adaptor, flows::engine::link); the runner adds no retry of its own, so a card that
/// answers `6F00` again is sent that command exactly twice, never three times, and the
/// second `6F00` is its answer.
#[test]
fn power_up_6f00_is_resent_once_by_the_flow_not_again_by_the_runner() {
    let script = format!("> {SELECT_JPKI}\n< 6F00\n{}", happy_script());
    let mut replies = vec![pin("1234")];
    replies.extend(yes4());
    let (r, _, runner) = run(&script, replies);
    assert_eq!(
        r.unwrap().identity.verified().unwrap().serial_hex(),
        "329BCA3A"
    );
    runner.transport().finish().unwrap();
    assert_eq!(runner.counters().commands, 12);

    let script = format!("> {SELECT_JPKI}\n< 6F00\n> {SELECT_JPKI}\n< 6F00\n");
    let (r, _, runner) = run(&script, vec![]);
    assert!(matches!(
        r,
        Err(FlowError::Card {
            step: "SELECT JPKI AP",
            error: crate::card::CardError::Exchange(crate::ExchangeError::Status {
                command: "SELECT",
                sw: crate::apdu::StatusWord::NoPreciseDiagnosis,
            }),
        })
    ));
    runner.transport().finish().unwrap();
    assert_eq!(runner.counters().commands, 2);
}

#[test]
fn sign_by_sfi_refused_falls_back_to_select() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 31323334\n< 9000\n> {}\n< 6A86\n> 00A4020C020017\n< 9000\n> {}\n< {} 9000\n",
        cert_reads(),
        sign_cmd("97"),
        sign_cmd("80"),
        hex(&sig())
    );
    let mut replies = vec![pin("1234")];
    replies.extend(yes4());
    let mut runner = Runner::new(Transcript::parse(&script).unwrap());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki())
        .with_sign_addressing(crate::card::SignAddressing::BySfi);
    let r = runner.run(&mut flow, &mut Scripted::new(replies), &mut NoCamera);
    assert!(r.unwrap().identity.verified().is_some());
    runner.transport().finish().unwrap();
}

#[test]
fn wrong_pin_then_right_pin() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 39393939\n< 63C2\n> 0020009804 31323334\n< 9000\n> {}\n< {} 9000\n",
        cert_reads(),
        select_then_sign(),
        hex(&sig())
    );
    let mut replies = vec![pin("9999"), pin("1234")];
    replies.extend(yes4());
    let (r, patient, _) = run(&script, replies);
    assert!(r.is_ok());
    assert_eq!(
        &patient.ids()[..5],
        &[
            GuidanceId::CardPlace,
            GuidanceId::CardPinEnter,
            GuidanceId::CardPinWrong,
            GuidanceId::CardPinEnter,
            GuidanceId::VerifyOk
        ]
    );
}

#[test]
fn malformed_pin_is_never_sent() {
    let mut replies = vec![pin("12a4"), pin("12345"), pin("1234")];
    replies.extend(yes4());
    let (r, patient, runner) = run(&happy_script(), replies);
    assert!(r.is_ok());
    runner.transport().finish().unwrap();
    assert_eq!(
        patient
            .ids()
            .iter()
            .filter(|g| **g == GuidanceId::CardPinEnter)
            .count(),
        3
    );
}

#[test]
fn last_try_guard_holds_when_declined() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C1\n",
        cert_reads()
    );
    let (r, patient, runner) = run(&script, vec![Reply::No]);
    assert_eq!(r.unwrap_err(), FlowError::LastTryDeclined);
    runner.transport().finish().unwrap();
    assert_eq!(
        patient.ids(),
        vec![
            GuidanceId::CardPlace,
            GuidanceId::CardPinLastTry,
            GuidanceId::ReceptionCancelled
        ]
    );
}

#[test]
fn wrong_pin_down_to_one_try_asks_before_the_last() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C2\n> 0020009804 39393939\n< 63C1\n",
        cert_reads()
    );
    let (r, patient, _) = run(&script, vec![pin("9999"), Reply::No]);
    assert_eq!(r.unwrap_err(), FlowError::LastTryDeclined);
    assert_eq!(
        &patient.ids()[1..4],
        &[
            GuidanceId::CardPinEnter,
            GuidanceId::CardPinWrong,
            GuidanceId::CardPinLastTry
        ]
    );
}

#[test]
fn blocked_card() {
    for sw in ["63C0", "6984"] {
        let script = format!(
            "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< {sw}\n",
            cert_reads()
        );
        let (r, patient, _) = run(&script, vec![]);
        assert_eq!(r.unwrap_err(), FlowError::PinBlocked);
        assert_eq!(patient.ids().last(), Some(&GuidanceId::CardPinBlocked));
    }
    // The last try spent on a wrong PIN.
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C1\n> 0020009804 39393939\n< 63C0\n",
        cert_reads()
    );
    let (r, _, _) = run(&script, vec![Reply::Yes, pin("9999")]);
    assert_eq!(r.unwrap_err(), FlowError::PinBlocked);
}

#[test]
fn not_a_jpki_card() {
    let (r, _, _) = run(&format!("> {SELECT_JPKI}\n< 6A82\n"), vec![]);
    assert_eq!(r.unwrap_err(), FlowError::NotJpki);
}

#[test]
fn removal_at_every_card_step_gives_no_identity() {
    // Cut the happy script after each command and make that command fail.
    let full = happy_script();
    let lines: Vec<&str> = full.lines().collect();
    let commands = lines.len() / 2;
    for cut in 0..commands {
        let mut script = String::new();
        for pair in 0..cut {
            script.push_str(lines[2 * pair]);
            script.push('\n');
            script.push_str(lines[2 * pair + 1]);
            script.push('\n');
        }
        script.push_str(lines[2 * cut]);
        script.push_str("\n<! removed\n");
        let mut replies = vec![pin("1234")];
        replies.extend(yes4());
        let (r, patient, _) = run(&script, replies);
        match r {
            Err(FlowError::CardRemoved { .. }) => {}
            other => panic!("cut {cut}: {other:?}"),
        }
        assert_eq!(
            patient.ids().last(),
            Some(&GuidanceId::CardRemoved),
            "cut {cut}"
        );
    }
}

#[test]
fn cancel_at_pin_entry() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n",
        cert_reads()
    );
    let (r, _, _) = run(&script, vec![Reply::Cancel]);
    assert_eq!(r.unwrap_err(), FlowError::Cancelled);
}

#[test]
fn garbage_signature_is_not_an_identity() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 31323334\n< 9000\n> {}\n< 0102 9000\n",
        cert_reads(),
        select_then_sign(),
    );
    let (r, patient, _) = run(&script, vec![pin("1234")]);
    assert!(matches!(
        r,
        Err(FlowError::Card {
            error: crate::card::CardError::File(crate::card::FileError {
                kind: crate::card::FileErrorKind::Length {
                    expected: 256,
                    got: 2
                },
                ..
            }),
            ..
        })
    ));
    assert_eq!(patient.ids().last(), Some(&GuidanceId::VerifyFailed));
}

#[test]
fn signature_the_verifier_refuses_is_not_an_identity() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 31323334\n< 9000\n> {}\n< {} 9000\n",
        cert_reads(),
        select_then_sign(),
        hex(&[0xA5; 256]),
    );
    let (r, patient, _) = run(&script, vec![pin("1234")]);
    assert!(matches!(
        r,
        Err(FlowError::Verification(PkiError::ChallengeSignatureInvalid))
    ));
    assert_eq!(patient.ids().last(), Some(&GuidanceId::VerifyFailed));
}

#[test]
fn flow_rejects_inputs_out_of_order_and_after_the_end() {
    let mut flow = CardPinFlow::new(facility(), challenge(), pki());
    assert!(matches!(
        flow.resume(Input::Continue),
        Err(FlowError::UnexpectedInput {
            expected: "start",
            ..
        })
    ));
    assert_eq!(
        flow.resume(Input::Start(crate::transport::LinkCapabilities::SHORT))
            .unwrap_err(),
        FlowError::Finished
    );
    let mut flow = CardPinFlow::new(facility(), challenge(), pki());
    assert!(matches!(
        flow.resume(Input::Start(crate::transport::LinkCapabilities::SHORT)),
        Ok(Event::Guide(_))
    ));
    assert!(matches!(flow.resume(Input::Continue), Ok(Event::Send(_))));
    assert!(matches!(
        flow.resume(Input::YesNo(true)),
        Err(FlowError::UnexpectedInput { .. })
    ));
}

fn token(label: &str) -> String {
    let mut b = label.as_bytes().to_vec();
    b.resize(32, b' ');
    hex(&b)
}

#[test]
fn android_pin_before_certificate() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n> 00B0860020\n< {} 9000\n> 00200098\n< 63C3\n> 0020009804 34363830\n< 9000\n{}> {}\n< {} 9000\n",
        token("JPKIAPGPSETOKEN"),
        reads_of(ITO_CERT),
        select_then_sign(),
        hex(&sig_by(ITO_KEY))
    );
    let mut runner = Runner::new(Transcript::parse(&script).unwrap());
    let mut replies = vec![pin("4680")];
    replies.extend(yes4());
    let mut patient = Scripted::new(replies);
    let mut flow = SmartphoneFlow::new(facility(), challenge(), pki());
    let out = runner.run(&mut flow, &mut patient, &mut NoCamera).unwrap();
    runner.transport().finish().unwrap();
    assert_eq!(out.method, Method::SmartphoneAndroid);
    assert_eq!(
        out.identity.verified().unwrap().token(),
        Some(TokenKind::Android)
    );
    assert_eq!(patient.ids()[1], GuidanceId::PhoneAndroidPinEnter);
}

#[test]
fn iphone_no_verify_and_end_of_transaction() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n> 00B0860020\n< {} 9000\n{}> {}\n< {} 9000\n> 80FC0000\n< 9000\n",
        token("JPKIAPIOSTOKEN"),
        reads_of(KATO_CERT),
        select_then_sign(),
        hex(&sig_by(KATO_KEY))
    );
    let mut runner = Runner::new(Transcript::parse(&script).unwrap());
    let mut patient = Scripted::new(yes4());
    let mut flow = SmartphoneFlow::new(facility(), challenge(), pki());
    let out = runner.run(&mut flow, &mut patient, &mut NoCamera).unwrap();
    runner.transport().finish().unwrap();
    assert_eq!(out.method, Method::SmartphoneIphone);
    assert_eq!(
        out.identity.verified().unwrap().token(),
        Some(TokenKind::Iphone)
    );
}

#[test]
fn phone_label_on_a_card_certificate_is_refused() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n> 00B0860020\n< {} 9000\n{}> {}\n< {} 9000\n> 80FC0000\n< 9000\n",
        token("JPKIAPIOSTOKEN"),
        cert_reads(),
        select_then_sign(),
        hex(&sig())
    );
    let mut runner = Runner::new(Transcript::parse(&script).unwrap());
    let mut flow = SmartphoneFlow::new(facility(), challenge(), pki());
    let r = runner.run(&mut flow, &mut Scripted::new(yes4()), &mut NoCamera);
    assert_eq!(
        r.unwrap_err(),
        FlowError::FormMismatch {
            token: TokenKind::Iphone,
            form: crate::pki::Form::Card
        }
    );
}

#[test]
fn phone_certificate_in_the_card_flow_is_not_a_card_visit() {
    // The certificate says smartphone: the card flow reads the token label (one
    // READ of EF 0006) to name the phone, and the request is a smartphone visit.
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 34363830\n< 9000\n> {}\n< {} 9000\n> 00B0860020\n< {} 9000\n",
        reads_of(ITO_CERT),
        select_then_sign(),
        hex(&sig_by(ITO_KEY)),
        token("JPKIAPGPSETOKEN"),
    );
    let mut replies = vec![pin("4680")];
    replies.extend(yes4());
    let (r, _, runner) = run(&script, replies);
    runner.transport().finish().unwrap();
    let out = r.unwrap();
    let id = out.identity.verified().unwrap();
    assert_eq!(id.token(), Some(TokenKind::Android));
    assert_eq!(id.form(), Some(crate::pki::Form::Smartphone));
    assert_eq!(out.method, Method::SmartphoneAndroid);
    // A verified card or phone makes no request: the terminal writes the face
    // result, which the hospital system matches as a smartphone visit.
    assert!(out.request.is_none());
    assert_eq!(
        out.face_match.unwrap().method,
        VerificationMethod::Smartphone
    );
}

#[test]
fn card_certificate_in_the_card_flow_reads_no_token_label() {
    // The common path: the certificate states the form; no EF 0006 read (the
    // transcript would fail on an unexpected command).
    let mut replies = vec![pin("1234")];
    replies.extend(yes4());
    let (r, _, runner) = run(&happy_script(), replies);
    runner.transport().finish().unwrap();
    let out = r.unwrap();
    let id = out.identity.verified().unwrap();
    assert_eq!(id.token(), None);
    assert_eq!(
        id.pki().form_source(),
        Some(crate::pki::FormSource::Certificate)
    );
}

#[test]
fn card_in_the_phone_flow_is_refused() {
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n> 00B0860020\n< {} 9000\n",
        token("JPKIAPICCTOKEN2")
    );
    let mut runner = Runner::new(Transcript::parse(&script).unwrap());
    let mut flow = SmartphoneFlow::new(facility(), challenge(), pki());
    let r = runner.run(&mut flow, &mut Scripted::default(), &mut NoCamera);
    assert_eq!(
        r.unwrap_err(),
        FlowError::UnexpectedToken {
            found: TokenKind::Card
        }
    );
}

#[test]
fn identifiers_flow_asks_only_the_limit_consent() {
    let search = SearchInfo {
        insurer_number: InsurerNumber::parse("01130012").unwrap(),
        insured_card_symbol: Some(PersonalText::new("記号１")),
        insured_identification_number: PersonalText::new("1234"),
        insured_branch_number: Some(PersonalText::new("01")),
        birthdate: BirthDate::parse_yyyymmdd("19900401").unwrap(),
        limit_application_consent: false,
        arbitrary_identifier: None,
        unknown: Default::default(),
    };
    let mut runner = Runner::new(Transcript::parse("").unwrap());
    let mut patient = Scripted::new(vec![Reply::Yes]);
    let mut flow = IdentifiersFlow::new(facility(), search.clone());
    let out = runner.run(&mut flow, &mut patient, &mut NoCamera).unwrap();
    assert_eq!(runner.counters().commands, 0);
    assert_eq!(
        patient.ids(),
        vec![
            GuidanceId::IdentifiersCheck,
            GuidanceId::ConsentLimit,
            GuidanceId::ReceptionDone
        ]
    );
    assert_eq!(out.identity, Identity::InsuranceIdentifiers);
    assert_eq!(out.method, Method::InsuranceIdentifiers);
    let expected = EligibilityRequest::by_identifiers(
        facility(),
        SearchInfo {
            limit_application_consent: true,
            ..search
        },
    );
    assert_eq!(out.request, Some(expected));
}

/// A transcript's run of `flow` that must consume the whole transcript.
fn run_transcript(script: &str, flow: &mut dyn Flow, replies: Vec<Reply>) -> outcome::Outcome {
    let mut runner = Runner::new(Transcript::parse(script).unwrap());
    let out = runner
        .run(flow, &mut Scripted::new(replies), &mut NoCamera)
        .unwrap();
    runner.transport().finish().unwrap();
    out
}

/// The card + PIN transcript up to the signature, then `sign`.
fn card_pin_script(sign: &str) -> String {
    format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 31323334\n< 9000\n> {sign}\n< {} 9000\n",
        cert_reads(),
        hex(&sig())
    )
}

fn iphone_script(sign: &str) -> String {
    format!(
        "> {SELECT_JPKI}\n< 9000\n> 00B0860020\n< {} 9000\n{}> {sign}\n< {} 9000\n> 80FC0000\n< 9000\n",
        token("JPKIAPIOSTOKEN"),
        reads_of(KATO_CERT),
        hex(&sig_by(KATO_KEY))
    )
}

fn with_pin_then_yes4(p: &str) -> Vec<Reply> {
    let mut r = vec![pin(p)];
    r.extend(yes4());
    r
}

#[test]
fn card_pin_flow_selects_the_key_then_signs_by_default() {
    let mut flow = CardPinFlow::new(facility(), challenge(), pki());
    let script = card_pin_script(&select_then_sign());
    assert!(script.contains("802A0080"));
    let out = run_transcript(&script, &mut flow, with_pin_then_yes4("1234"));
    assert!(out.identity.verified().is_some());
}

#[test]
fn card_pin_flow_signs_by_sfi_when_configured() {
    let mut flow = CardPinFlow::new(facility(), challenge(), pki())
        .with_sign_addressing(crate::card::SignAddressing::BySfi);
    let out = run_transcript(
        &card_pin_script(&sign_cmd("97")),
        &mut flow,
        with_pin_then_yes4("1234"),
    );
    assert!(out.identity.verified().is_some());
}

#[test]
fn smartphone_flow_selects_the_key_then_signs_by_default() {
    let mut flow = SmartphoneFlow::new(facility(), challenge(), pki());
    let out = run_transcript(&iphone_script(&select_then_sign()), &mut flow, yes4());
    assert_eq!(out.method, Method::SmartphoneIphone);
}

#[test]
fn smartphone_flow_signs_by_sfi_when_configured() {
    let mut flow = SmartphoneFlow::new(facility(), challenge(), pki())
        .with_options(KeyProofOptions::new().with_addressing(crate::card::SignAddressing::BySfi));
    let out = run_transcript(&iphone_script(&sign_cmd("97")), &mut flow, yes4());
    assert_eq!(out.method, Method::SmartphoneIphone);
}

fn face_flow_pin_script(sign: &str) -> String {
    card_pin_script(sign)
}

fn scanned() -> crate::flows::ScannedCardFace {
    crate::flows::ScannedCardFace {
        birth_date: crate::date::CalendarDate::new(1990, 4, 1).unwrap(),
        expiry_year: 2035,
        security_code: "2285".into(),
    }
}

fn choose_pin_then(p: &str) -> Vec<Reply> {
    let mut r = vec![Reply::Choice(crate::flows::Choice::Pin)];
    r.extend(with_pin_then_yes4(p));
    r
}

#[test]
fn card_face_flow_selects_the_key_then_signs_by_default() {
    let mut flow = CardFaceFlow::new(facility(), challenge(), pki(), scanned());
    let out = run_transcript(
        &face_flow_pin_script(&select_then_sign()),
        &mut flow,
        choose_pin_then("1234"),
    );
    assert_eq!(out.method, Method::Pin);
}

#[test]
fn card_face_flow_signs_by_sfi_when_configured() {
    let mut flow = CardFaceFlow::new(facility(), challenge(), pki(), scanned())
        .with_sign_addressing(crate::card::SignAddressing::BySfi);
    let out = run_transcript(
        &face_flow_pin_script(&sign_cmd("97")),
        &mut flow,
        choose_pin_then("1234"),
    );
    assert_eq!(out.method, Method::Pin);
}

#[test]
fn last_try_policy_refuse_never_asks_nor_spends_the_last_try() {
    // One try left: with LastTryPolicy::Refuse the flow ends without a prompt
    // and without a VERIFY (the transcript has none).
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C1\n",
        cert_reads()
    );
    let mut runner = Runner::new(Transcript::parse(&script).unwrap());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki())
        .with_options(KeyProofOptions::new().with_last_try(LastTryPolicy::Refuse));
    let mut patient = Scripted::new(vec![pin("1234")]);
    let r = runner.run(&mut flow, &mut patient, &mut NoCamera);
    runner.transport().finish().unwrap();
    assert_eq!(r.unwrap_err(), FlowError::LastTryDeclined);
    assert!(!patient.ids().contains(&GuidanceId::CardPinLastTry));
}

#[test]
fn unattended_patient_never_resends_a_refused_pin() {
    // One VERIFY with the PIN, refused; the unattended patient cancels at the
    // second prompt instead of typing it again (the transcript has no second VERIFY).
    let script = format!(
        "> {SELECT_JPKI}\n< 9000\n{}> 00200098\n< 63C3\n> 0020009804 39393939\n< 63C2\n",
        cert_reads()
    );
    let mut runner = Runner::new(Transcript::parse(&script).unwrap());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki());
    let mut patient = super::UnattendedPatient::with_pin("9999");
    let r = runner.run(&mut flow, &mut patient, &mut NoCamera);
    runner.transport().finish().unwrap();
    assert_eq!(r.unwrap_err(), FlowError::Cancelled);
    assert!(
        patient
            .shown()
            .iter()
            .any(|g| g.id() == GuidanceId::CardPinWrong)
    );
}

#[test]
fn unattended_patient_consents_only_to_its_items() {
    let mut runner = Runner::new(Transcript::parse(&happy_script()).unwrap());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki());
    let mut patient =
        super::UnattendedPatient::with_pin("1234").consenting(&[ConsentItem::Medication]);
    let out = runner.run(&mut flow, &mut patient, &mut NoCamera).unwrap();
    assert_eq!(
        out.consents.answer(ConsentItem::Medication),
        ConsentAnswer::Given
    );
    assert_eq!(
        out.consents.answer(ConsentItem::Clinical),
        ConsentAnswer::Refused
    );
}
