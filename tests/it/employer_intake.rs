//! The employer intake end to end on the virtual card: every case of
//! `examples/employer_intake.rs`, each asserting the outcome type, the checks
//! reported and the APDU trace (which EFs were read); and the clinic flows never
//! reading the 個人番号.

#![cfg(feature = "virtual-card")]

use mynacard::card::CvTrust;
use mynacard::card::TokenKind;
use mynacard::employer::{
    Attribute, EmployerIntakeFlow, IntakeCheck, IntakeError, IntakeGuidanceId, IntakeOptions,
    IntakeOutcome, IntakeVerifier, ScriptedNewHire, run_intake,
};
use mynacard::flows::Choice;
use mynacard::flows::KeyProofChallenge;
use mynacard::flows::{CardFaceFlow, CardPinFlow, Flow, SmartphoneFlow};
use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
use mynacard::person::Sex;
use mynacard::pki::{
    CrlIndex, CrlLimits, PkiError, RelyingPartyPolicy, RevocationReason, RevocationStatus,
    StalenessPolicy, TrustStore, test_pki,
};
use mynacard::runner::{NoCamera, Reply, Runner, ScriptedPatient};
use mynacard::transport::{LinkCapabilities, Traced, Transport, TransportError};
use mynacard::virtual_card::{
    CardApplication, Holder, HolderSex, VirtualCard, VirtualCardOptions, rsa_key_from_pkcs8_der,
};

use crate::common::reception::{TestPki, facility};

const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const KENHOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
const SIGN_CRL: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der");
const AUTH_CRL: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");
const CV_CA_KEY: &[u8] =
    include_bytes!("../../crates/mynacard-virtual-card/data/pki/cv_ca.key.der");

struct Pki {
    trust: TrustStore,
    crl: CrlIndex,
    cv_trust: CvTrust,
}

impl Pki {
    fn new() -> Self {
        let trust = TrustStore::test_only_mynacard_test_pki().unwrap();
        let crl = CrlIndex::from_der(SIGN_CRL, &trust, CrlLimits::default()).unwrap();
        // The J-LIS TEST CV keys and the virtual card's TEST CV CA.
        let cv_trust = CvTrust::test_only();
        Self {
            trust,
            crl,
            cv_trust,
        }
    }

    fn verifier(&self) -> IntakeVerifier<'_> {
        IntakeVerifier {
            trust: &self.trust,
            revocation: &self.crl,
            staleness: StalenessPolicy::Reject,
            cv_trust: &self.cv_trust,
            time: test_pki::REFERENCE_TIME,
        }
    }
}

/// A link that changes bytes of one EF of the 券面事項入力補助AP as they are read
/// (a forged or corrupted record): `(sfi, offset in the file, new byte)`.
struct Tampering {
    card: VirtualCard,
    patches: Vec<(u8, usize, u8)>,
    kenhojo: bool,
    sfi: Option<u8>,
}

impl Transport for Tampering {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut response = self.card.transmit(command)?;
        match (command.get(1), command.get(2), command.get(3)) {
            (Some(0xA4), Some(0x04), _) => {
                self.kenhojo = command.get(5..15) == Some(&KENHOJO_AID[..]);
                self.sfi = None;
            }
            (Some(0xB0), Some(&p1), Some(&p2)) if self.kenhojo => {
                let offset = if p1 & 0x80 != 0 {
                    self.sfi = Some(p1 & 0x1F);
                    usize::from(p2)
                } else {
                    usize::from(u16::from_be_bytes([p1, p2]))
                };
                let data_len = response.len().saturating_sub(2);
                for &(sfi, at, byte) in &self.patches {
                    if Some(sfi) == self.sfi && (offset..offset + data_len).contains(&at) {
                        response[at - offset] = byte;
                    }
                }
            }
            _ => {}
        }
        Ok(response)
    }

    fn capabilities(&self) -> LinkCapabilities {
        self.card.capabilities()
    }

    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        self.card.power_cycle()
    }
}

fn tampering(card: VirtualCard, patches: Vec<(u8, usize, u8)>) -> Tampering {
    Tampering {
        card,
        patches,
        kenhojo: false,
        sfi: None,
    }
}

struct Run {
    result: Result<IntakeOutcome, IntakeError>,
    shown: Vec<IntakeGuidanceId>,
    tries: Vec<Option<u8>>,
    trace: Traced<Tampering>,
}

impl Run {
    /// `(application, EF)` of every READ BINARY, in order.
    fn reads(&self) -> Vec<(&'static str, u16)> {
        self.trace
            .file_reads()
            .iter()
            .map(|r| {
                let app = match r.aid.as_deref() {
                    Some(a) if a == JPKI_AID => "jpki",
                    Some(a) if a == KENHOJO_AID => "kenhojo",
                    _ => "?",
                };
                (app, r.fid.unwrap_or(0))
            })
            .collect()
    }

    fn commands_with_ins(&self, ins: u8) -> usize {
        self.trace
            .entries()
            .iter()
            .filter(|e| e.ins() == Some(ins))
            .count()
    }

    /// VERIFY commands with data (each spends a try when wrong) on `p2`.
    fn verifies_with_data(&self, p2: u8) -> usize {
        self.trace
            .entries()
            .iter()
            .filter(|e| {
                e.ins() == Some(0x20) && e.command.get(3) == Some(&p2) && e.command.len() > 4
            })
            .count()
    }
}

fn run(pki: &Pki, card: Tampering, replies: Vec<Reply>) -> Run {
    let mut trace = Traced::new(card);
    let mut flow = EmployerIntakeFlow::with_fixed_challenge(
        KeyProofChallenge::new([0x42; 32]),
        pki.verifier(),
        IntakeOptions::default(),
    );
    let mut new_hire = ScriptedNewHire::new(replies);
    let result = run_intake(&mut trace, &mut flow, &mut new_hire);
    let card = &trace.inner().card;
    let tries = vec![
        card.remaining_tries(CardApplication::Kenhojo, 0x0011),
        card.remaining_tries(CardApplication::Jpki, 0x001B),
    ];
    Run {
        result,
        shown: new_hire.shown().iter().map(|g| g.id()).collect(),
        tries,
        trace,
    }
}

fn holder(id: &str) -> Tampering {
    tampering(VirtualCard::test_holder(id).unwrap(), Vec::new())
}

fn digits(s: &str) -> Reply {
    Reply::digits(s)
}

const FULL_READS: [(&str, u16); 6] = [
    ("jpki", 6),
    ("kenhojo", 1),
    ("kenhojo", 2),
    ("kenhojo", 3),
    ("kenhojo", 4),
    ("jpki", 1),
];

#[test]
fn happy_path_yields_a_record_with_all_eight_checks() {
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("yamada"),
        vec![digits("1234"), digits("YAMADA2024")],
    );
    let outcome = r.result.as_ref().unwrap();
    let record = outcome.record().expect("a record");
    assert_eq!(record.my_number().expose_digits(), b"123456789018");
    assert_eq!(record.name(), "山田　太郎");
    assert_eq!(record.address(), "東京都千代田区霞が関２－１－２");
    let d = record.birth_date();
    assert_eq!((d.year(), d.month(), d.day()), (1990, 4, 1));
    assert_eq!(record.sex(), Sex::Male);
    assert_eq!(record.kana(), None);
    let e = record.evidence();
    let mut all = IntakeCheck::NUMBER.to_vec();
    all.extend(IntakeCheck::IDENTITY);
    assert_eq!(e.checks_passed(), all.as_slice());
    assert!(matches!(e.revocation(), RevocationStatus::Good { .. }));
    // The TEST sign CRL's thisUpdate: 2026-01-01T00:00:00Z.
    assert_eq!(
        e.crl_this_update().map(|t| t.as_secs()),
        Some(1_767_225_600)
    );
    assert_eq!(e.time(), test_pki::REFERENCE_TIME);
    assert!(
        e.certificate_issuer()
            .contains("JPKI for digital signature TEST")
    );
    assert!(!e.certificate_serial_hex().is_empty());
    assert_eq!(e.substituted_characters().name_substituted, 0);
    // EF 0004 verified under the virtual card's TEST CV CA (input-support key).
    assert_eq!(e.cv_ca_key(), Some("6900033"));
    // Debug redacts every personal value.
    let debug = format!("{outcome:?}");
    for secret in ["123456789018", "山田", "霞が関", "1990"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert_eq!(r.reads(), FULL_READS);
    assert_eq!(r.commands_with_ins(0x2A), 1, "one signature");
    assert_eq!(r.tries, [Some(3), Some(5)]);
    assert_eq!(
        r.shown,
        [
            IntakeGuidanceId::CardPlace,
            IntakeGuidanceId::KenhojoPinEnter,
            IntakeGuidanceId::NumberChecked,
            IntakeGuidanceId::SignPasswordEnter,
            IntakeGuidanceId::Done,
        ]
    );
}

#[cfg(feature = "serde")]
#[test]
fn serialising_discloses_only_through_the_named_method() {
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("yamada"),
        vec![digits("1234"), digits("YAMADA2024")],
    );
    let record = r.result.unwrap().into_record().unwrap();
    let mut out = Vec::new();
    record
        .serialize_disclosing_my_number(&mut serde_json::Serializer::new(&mut out))
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["my_number"], "123456789018");
    assert_eq!(v["birth_date"], "1990-04-01");
    assert_eq!(v["sex"], "male");
    assert_eq!(v["evidence"]["revocation"], "good");
    assert_eq!(v["evidence"]["checks_passed"].as_array().unwrap().len(), 8);
}

#[test]
fn wrong_password_with_tries_left_then_right() {
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("yamada"),
        vec![digits("1234"), digits("WRONG123"), digits("YAMADA2024")],
    );
    assert!(r.result.as_ref().unwrap().record().is_some());
    assert!(r.shown.contains(&IntakeGuidanceId::SignPasswordWrong));
    assert_eq!(r.verifies_with_data(0x9B), 2);
    assert_eq!(r.reads(), FULL_READS);
    // A right password resets the counter.
    assert_eq!(r.tries, [Some(3), Some(5)]);
}

#[test]
fn malformed_password_is_never_sent() {
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("yamada"),
        vec![digits("1234"), digits("yamada2024"), digits("YAMADA2024")],
    );
    assert!(r.result.as_ref().unwrap().record().is_some());
    assert!(r.shown.contains(&IntakeGuidanceId::SignPasswordFormat));
    assert_eq!(r.verifies_with_data(0x9B), 1);
}

/// Spends `n` wrong sign-password tries before the intake.
fn burn_sign_tries(card: &mut VirtualCard, n: usize) {
    let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
    select.extend_from_slice(&JPKI_AID);
    assert_eq!(card.transmit(&select).unwrap(), [0x90, 0x00]);
    for _ in 0..n {
        let r = card
            .transmit(&[
                0x00, 0x20, 0x00, 0x9B, 0x06, b'W', b'R', b'O', b'N', b'G', b'1',
            ])
            .unwrap();
        assert_eq!(r[0], 0x63);
    }
    card.reset();
}

#[test]
fn last_try_refused_spends_nothing() {
    let pki = Pki::new();
    let mut card = VirtualCard::test_holder("yamada").unwrap();
    burn_sign_tries(&mut card, 4);
    let r = run(
        &pki,
        tampering(card, Vec::new()),
        vec![digits("1234"), Reply::No],
    );
    assert!(matches!(r.result, Err(IntakeError::LastTryDeclined)));
    assert!(r.shown.contains(&IntakeGuidanceId::SignPasswordLastTry));
    assert_eq!(r.verifies_with_data(0x9B), 0);
    assert_eq!(r.tries, [Some(3), Some(1)]);
    // 番号確認 ran; no certificate was read, nothing was signed.
    assert_eq!(r.reads(), FULL_READS[..5]);
    assert_eq!(r.commands_with_ins(0x2A), 0);
}

#[test]
fn last_try_accepted_then_right_password() {
    let pki = Pki::new();
    let mut card = VirtualCard::test_holder("yamada").unwrap();
    burn_sign_tries(&mut card, 4);
    let r = run(
        &pki,
        tampering(card, Vec::new()),
        vec![digits("1234"), Reply::Yes, digits("YAMADA2024")],
    );
    assert!(r.result.as_ref().unwrap().record().is_some());
    assert_eq!(r.tries, [Some(3), Some(5)]);
}

#[test]
fn kenhojo_pin_wrong_then_right() {
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("yamada"),
        vec![digits("9999"), digits("1234"), digits("YAMADA2024")],
    );
    assert!(r.result.as_ref().unwrap().record().is_some());
    assert!(r.shown.contains(&IntakeGuidanceId::KenhojoPinWrong));
    assert_eq!(r.verifies_with_data(0x91), 2);
}

fn integrity_failure(patches: impl FnOnce(&VirtualCard) -> Vec<(u8, usize, u8)>) -> Run {
    let pki = Pki::new();
    let card = VirtualCard::test_holder("yamada").unwrap();
    let patches = patches(&card);
    run(
        &pki,
        tampering(card, patches),
        vec![digits("1234"), digits("YAMADA2024")],
    )
}

#[test]
fn tampered_my_number_fails_the_number_check_by_name() {
    // One digit of the 個人番号 (EF 0001 = FF 10 0C + 12 digits): 1 → 2.
    let r = integrity_failure(|_| vec![(1, 3, b'2')]);
    let e = r.result.as_ref().unwrap_err();
    assert_eq!(e.failed_checks(), [IntakeCheck::MyNumberDigest]);
    assert_eq!(e.code(), "employer.number_check");
    assert!(e.to_string().contains("number.my_number_digest failed"));
    assert!(!e.to_string().contains("123456789018"));
    assert_eq!(e.guidance().id(), IntakeGuidanceId::NumberFailed);
    // Stopped after the four records: no password asked, no signature.
    assert_eq!(r.reads(), FULL_READS[..5]);
    assert_eq!(r.commands_with_ins(0x2A), 0);
    assert!(!r.shown.contains(&IntakeGuidanceId::SignPasswordEnter));
}

#[test]
fn tampered_address_fails_the_number_check_by_name() {
    let r = integrity_failure(|card| {
        let ef2 = card.file_content(CardApplication::Kenhojo, 0x0002).unwrap();
        let ga = "が".as_bytes();
        let at = ef2.windows(3).position(|w| w == ga).unwrap();
        // 霞が関 → 霞ヶ関: same length, another address.
        "ヶ"
            .as_bytes()
            .iter()
            .enumerate()
            .map(|(i, b)| (2, at + i, *b))
            .collect()
    });
    let e = r.result.as_ref().unwrap_err();
    assert_eq!(e.failed_checks(), [IntakeCheck::BasicFourDigest]);
    assert!(!e.to_string().contains("霞"));
    assert_eq!(r.reads(), FULL_READS[..5]);
    assert_eq!(r.commands_with_ins(0x2A), 0);
}

#[test]
fn without_the_cv_ca_key_the_number_check_is_incomplete() {
    // Production CV keys only: the virtual card's TEST CV CA is unknown there.
    let pki = Pki::new();
    let production = CvTrust::jlis_production();
    let mut verifier = pki.verifier();
    verifier.cv_trust = &production;
    let mut card = holder("yamada");
    let mut flow = EmployerIntakeFlow::with_fixed_challenge(
        KeyProofChallenge::new([1; 32]),
        verifier,
        IntakeOptions::default(),
    );
    let mut new_hire = ScriptedNewHire::new([digits("1234"), digits("YAMADA2024")]);
    let e = run_intake(&mut card, &mut flow, &mut new_hire).unwrap_err();
    assert_eq!(e.failed_checks(), [IntakeCheck::CvCertificate]);
    assert!(e.to_string().contains("not checked"));
}

#[test]
fn revoked_signature_certificate_is_refused() {
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("sato"),
        vec![digits("4321"), digits("SATO1985X")],
    );
    let e = r.result.as_ref().unwrap_err();
    assert!(matches!(
        e,
        IntakeError::Identity(PkiError::Revoked {
            reason: Some(RevocationReason::AffiliationChanged),
            ..
        })
    ));
    assert_eq!(e.code(), "employer.identity.revoked");
    assert_eq!(e.guidance().id(), IntakeGuidanceId::IdentityRevoked);
    assert_eq!(r.reads(), FULL_READS);
    assert_eq!(r.commands_with_ins(0x2A), 1);
}

#[test]
fn a_crl_of_the_wrong_ca_is_no_revocation_answer() {
    let pki = Pki::new();
    let auth_crl = CrlIndex::from_der(AUTH_CRL, &pki.trust, CrlLimits::default()).unwrap();
    let mut verifier = pki.verifier();
    verifier.revocation = &auth_crl;
    let mut card = holder("yamada");
    let mut flow = EmployerIntakeFlow::with_fixed_challenge(
        KeyProofChallenge::new([1; 32]),
        verifier,
        IntakeOptions::default(),
    );
    let mut new_hire = ScriptedNewHire::new([digits("1234"), digits("YAMADA2024")]);
    let e = run_intake(&mut card, &mut flow, &mut new_hire).unwrap_err();
    assert!(matches!(
        e,
        IntakeError::Identity(PkiError::RevocationNotChecked { .. })
    ));
}

#[test]
fn phone_tokens_end_with_number_check_needs_card() {
    let pki = Pki::new();
    for (id, token) in [("ito", TokenKind::Android), ("kato", TokenKind::Iphone)] {
        let r = run(&pki, holder(id), Vec::new());
        match r.result.as_ref().unwrap() {
            IntakeOutcome::NumberCheckNeedsCard { token: t } => assert_eq!(*t, token),
            other => panic!("{id}: {other:?}"),
        }
        assert_eq!(r.reads(), [("jpki", 6)], "{id}");
        assert_eq!(r.commands_with_ins(0x20), 0, "{id}: no VERIFY");
        assert_eq!(
            r.shown,
            [
                IntakeGuidanceId::CardPlace,
                IntakeGuidanceId::PhoneNeedsCard
            ]
        );
    }
}

#[test]
fn attributes_that_differ_are_named_never_shown() {
    // A card whose (J-LIS-signed) records give another address than the
    // signature certificate: yamada's keys and certificates, a moved holder.
    let pki = Pki::new();
    let (_, profile) = VirtualCard::test_holder_description("yamada").unwrap();
    let moved = Holder::new(
        "山田　太郎",
        "東京都港区芝公園４－２－８",
        "19900401",
        HolderSex::Male,
        "123456789018",
        "20350401",
    )
    .with_auth_pin("1234")
    .with_sign_password("YAMADA2024")
    .with_kenhojo_pin("1234")
    .with_security_code("2285");
    let key = |f: &[u8]| rsa_key_from_pkcs8_der(f, "key").unwrap();
    let card = VirtualCard::builder(moved)
        .profile(profile)
        .options(VirtualCardOptions::default())
        .auth(
            key(include_bytes!(
                "../../crates/mynacard-virtual-card/data/pki/yamada_auth.key.der"
            )),
            include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.der").to_vec(),
        )
        .sign(
            key(include_bytes!(
                "../../crates/mynacard-virtual-card/data/pki/yamada_sign.key.der"
            )),
            include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_sign.der").to_vec(),
        )
        .auth_ca_certificate(mynacard::virtual_card::TEST_AUTH_CA_DER.to_vec())
        .sign_ca_certificate(mynacard::virtual_card::TEST_SIGN_CA_DER.to_vec())
        .card_data_signer(key(include_bytes!(
            "../../crates/mynacard-virtual-card/data/pki/card_data_signer.key.der"
        )))
        .cv_ca(key(CV_CA_KEY))
        .card_key(key(include_bytes!(
            "../../crates/mynacard-virtual-card/data/pki/card_internal.key.der"
        )))
        .build()
        .unwrap();
    let r = run(
        &pki,
        tampering(card, Vec::new()),
        vec![digits("1234"), digits("YAMADA2024")],
    );
    let e = r.result.as_ref().unwrap_err();
    assert_eq!(e.mismatched_attributes(), [Attribute::Address]);
    assert_eq!(e.code(), "employer.attribute_mismatch");
    let text = e.to_string();
    assert!(text.contains("address"), "{text}");
    assert!(!text.contains("港区") && !text.contains("霞"), "{text}");
    assert_eq!(e.guidance().id(), IntakeGuidanceId::IdentityMismatch);
    assert_eq!(r.reads(), FULL_READS);
}

#[test]
fn substitute_characters_are_respected() {
    // takahashi's certificate flags a substitute character in name and address.
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("takahashi"),
        vec![digits("9753"), digits("TAKA89JAN")],
    );
    let outcome = r.result.unwrap();
    let m = outcome
        .record()
        .unwrap()
        .evidence()
        .substituted_characters();
    assert_eq!((m.name_substituted, m.address_substituted), (1, 1));
}

#[test]
fn card_removed_mid_intake_gives_no_record() {
    let pki = Pki::new();
    struct Removing(VirtualCard, usize);
    impl Transport for Removing {
        fn transmit(&mut self, c: &[u8]) -> Result<Vec<u8>, TransportError> {
            if self.1 == 0 {
                self.0.remove();
            }
            self.1 = self.1.saturating_sub(1);
            self.0.transmit(c)
        }
        fn capabilities(&self) -> LinkCapabilities {
            self.0.capabilities()
        }
    }
    for at in 0..14 {
        let mut card = Removing(VirtualCard::test_holder("yamada").unwrap(), at);
        let mut flow = EmployerIntakeFlow::with_fixed_challenge(
            KeyProofChallenge::new([1; 32]),
            pki.verifier(),
            IntakeOptions::default(),
        );
        let mut new_hire = ScriptedNewHire::new([digits("1234"), digits("YAMADA2024")]);
        let e = run_intake(&mut card, &mut flow, &mut new_hire).unwrap_err();
        assert!(matches!(e, IntakeError::CardRemoved { .. }), "{at}: {e}");
        assert_eq!(e.guidance().id(), IntakeGuidanceId::CardRemoved);
    }
}

// ---- clinic flows never read the 個人番号 ---------------------------------

fn assert_no_my_number_read<T>(trace: &Traced<T>, flow: &str) {
    for e in trace.entries() {
        assert!(
            !(e.command.get(1) == Some(&0xA4) && e.command.get(5..15) == Some(&KENHOJO_AID[..])),
            "{flow} selected the input-support AP"
        );
    }
    let reads = trace.file_reads();
    assert!(!reads.is_empty(), "{flow} read nothing");
    for read in reads {
        assert!(
            !(read.aid.as_deref() == Some(&KENHOJO_AID[..]) && read.fid == Some(1)),
            "{flow} read EF 0001 of the input-support AP"
        );
    }
}

/// (flow name, holder id, flow, the patient's replies, face matcher).
type ReceptionRun<'a> = (
    &'static str,
    &'static str,
    Box<dyn Flow + 'a>,
    Vec<Reply>,
    Box<dyn FaceMatcher>,
);

struct Matches;
impl FaceMatcher for Matches {
    fn compare(&mut self, _photo: &FaceImage) -> FaceVerdict {
        FaceVerdict::Match
    }
}

#[test]
fn no_reception_flow_reads_ef_0001_of_the_input_support_ap() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let check = pki.check();
    let facility = facility();
    let consents = || [Reply::Yes, Reply::Yes, Reply::Yes, Reply::Yes];
    let face = ScannedCardFace {
        birth_date: mynacard::date::CalendarDate::new(1990, 4, 1).unwrap(),
        expiry_year: 2035,
        security_code: "2285".into(),
    };
    let runs: Vec<ReceptionRun<'_>> = vec![
        (
            "card + PIN",
            "yamada",
            Box::new(CardPinFlow::new(
                facility.clone(),
                KeyProofChallenge::new([1; 32]),
                check,
            )),
            [Reply::digits("1234")]
                .into_iter()
                .chain(consents())
                .collect(),
            Box::new(NoCamera),
        ),
        (
            "face",
            "yamada",
            Box::new(CardFaceFlow::new(
                facility.clone(),
                KeyProofChallenge::new([2; 32]),
                check,
                face,
            )),
            [Reply::Choice(Choice::Face), Reply::digits("1234")]
                .into_iter()
                .chain(consents())
                .collect(),
            Box::new(Matches),
        ),
        (
            "Android",
            "ito",
            Box::new(SmartphoneFlow::new(
                facility.clone(),
                KeyProofChallenge::new([3; 32]),
                check,
            )),
            [Reply::digits("4680")]
                .into_iter()
                .chain(consents())
                .collect(),
            Box::new(NoCamera),
        ),
        (
            "iPhone",
            "kato",
            Box::new(SmartphoneFlow::new(
                facility,
                KeyProofChallenge::new([4; 32]),
                check,
            )),
            consents().into_iter().collect(),
            Box::new(NoCamera),
        ),
    ];
    for (name, id, mut flow, replies, mut matcher) in runs {
        let mut runner = Runner::new(Traced::new(VirtualCard::test_holder(id).unwrap()));
        let mut patient = ScriptedPatient::new(replies);
        let outcome = runner.run(flow.as_mut(), &mut patient, matcher.as_mut());
        assert!(outcome.is_ok(), "{name}: {outcome:?}");
        assert_no_my_number_read(runner.transport(), name);
    }
}

/// The intake, by contrast, reads it — and only after the PIN.
#[test]
fn the_intake_reads_ef_0001_only_after_the_kenhojo_pin() {
    let pki = Pki::new();
    let r = run(
        &pki,
        holder("yamada"),
        vec![digits("1234"), digits("YAMADA2024")],
    );
    let entries = r.trace.entries();
    let verify = entries
        .iter()
        .position(|e| {
            e.ins() == Some(0x20) && e.command.get(3) == Some(&0x91) && e.command.len() > 4
        })
        .unwrap();
    let read = entries
        .iter()
        .position(|e| e.ins() == Some(0xB0) && e.command.get(2) == Some(&0x81))
        .unwrap();
    assert!(verify < read);
}

/// Bytes only: on a short link every file comes in 256-byte READ BINARYs, all
/// emitted by the flow itself (no blocking exchange in between); on an
/// extended link one READ per file.
#[test]
fn short_and_extended_links() {
    let pki = Pki::new();
    let mut counts = Vec::new();
    for caps in [LinkCapabilities::SHORT, LinkCapabilities::extended(65536)] {
        let mut options = VirtualCardOptions::default();
        options.capabilities = caps;
        let card = VirtualCard::test_holder_with("yamada", options).unwrap();
        let mut trace = Traced::new(card);
        let mut flow = EmployerIntakeFlow::with_fixed_challenge(
            KeyProofChallenge::new([9; 32]),
            pki.verifier(),
            IntakeOptions::default(),
        );
        let mut new_hire = ScriptedNewHire::new([digits("1234"), digits("YAMADA2024")]);
        let outcome = run_intake(&mut trace, &mut flow, &mut new_hire).unwrap();
        assert!(outcome.record().is_some(), "{caps:?}");
        let reads = trace.file_reads();
        let cert_reads = reads
            .iter()
            .filter(|r| r.aid.as_deref() == Some(&JPKI_AID[..]) && r.fid == Some(1))
            .count();
        if caps.extended {
            assert_eq!(cert_reads, 1);
        } else {
            assert!(cert_reads > 1, "the certificate needs several short reads");
            // No extended-length command ever left the host.
            assert!(trace.entries().iter().all(|e| e.command.len() <= 261));
        }
        counts.push(trace.commands());
        // Logged out: the signature key is locked again.
        let card = trace.inner_mut();
        let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
        select.extend_from_slice(&JPKI_AID);
        assert_eq!(card.transmit(&select).unwrap(), [0x90, 0x00]);
        assert_eq!(
            card.transmit(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x1A])
                .unwrap(),
            [0x90, 0x00]
        );
        let mut sign = vec![0x80, 0x2A, 0x00, 0x80, 0x33];
        sign.extend_from_slice(&[0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01]);
        sign.extend_from_slice(&[0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);
        sign.extend_from_slice(&[0x11; 32]);
        sign.push(0x00);
        assert_eq!(card.transmit(&sign).unwrap(), [0x69, 0x82], "{caps:?}");
    }
    // Short: the 1.3 kB 署名用証明書 and EF 0004 in 256-byte chunks; +2 on each:
    // the logout's SELECT after the power cycle, answered 6F00 once (measured) and resent.
    assert_eq!(counts, [26, 17]);
}

#[test]
fn blocked_kenhojo_pin_ends_before_any_read() {
    let pki = Pki::new();
    let mut card = VirtualCard::test_holder("yamada").unwrap();
    let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
    select.extend_from_slice(&KENHOJO_AID);
    assert_eq!(card.transmit(&select).unwrap(), [0x90, 0x00]);
    for _ in 0..3 {
        card.transmit(&[0x00, 0x20, 0x00, 0x91, 0x04, b'9', b'9', b'9', b'9'])
            .unwrap();
    }
    card.reset();
    let r = run(&pki, tampering(card, Vec::new()), vec![digits("1234")]);
    let e = r.result.as_ref().unwrap_err();
    assert!(matches!(e, IntakeError::KenhojoPinBlocked), "{e}");
    assert_eq!(e.guidance().id(), IntakeGuidanceId::KenhojoPinBlocked);
    assert_eq!(r.verifies_with_data(0x91), 0);
    assert_eq!(r.reads(), [("jpki", 6)]);
}

/// A card that answers every command with data by `61xx` first, handing the
/// data out only through GET RESPONSE (T=0 style), in chunks of at most 256.
struct GetResponseCard {
    card: VirtualCard,
    pending: Vec<u8>,
    get_responses: usize,
}

impl GetResponseCard {
    fn answer(&mut self, command: &[u8]) -> Vec<u8> {
        if command.get(1) == Some(&0xC0) {
            self.get_responses += 1;
            let le = match command.get(4) {
                Some(0) | None => 256,
                Some(&n) => usize::from(n),
            };
            let take = le.min(self.pending.len());
            let mut out: Vec<u8> = self.pending.drain(..take).collect();
            match self.pending.len() {
                0 => out.extend_from_slice(&[0x90, 0x00]),
                n => out.extend_from_slice(&[0x61, n.min(256) as u8]),
            }
            return out;
        }
        let mut r = self.card.process(command);
        if r.len() > 2 && r[r.len() - 2..] == [0x90, 0x00] {
            r.truncate(r.len() - 2);
            let n = r.len();
            self.pending = r;
            return vec![0x61, n.min(256) as u8];
        }
        r
    }
}

/// Bytes only, by hand: no `Transport`, no `Exchange` — the flow's commands are
/// encoded and handed to the card's byte interface, its raw answers fed back,
/// and the 61xx / GET RESPONSE rounds happen inside the flow.
#[test]
fn driven_by_bytes_with_get_response_inside_the_flow() {
    use mynacard::employer::IntakeEvent;
    use mynacard::flows::Input;
    let pki = Pki::new();
    let mut card = GetResponseCard {
        card: VirtualCard::test_holder("yamada").unwrap(),
        pending: Vec::new(),
        get_responses: 0,
    };
    let mut flow = EmployerIntakeFlow::with_fixed_challenge(
        KeyProofChallenge::new([5; 32]),
        pki.verifier(),
        IntakeOptions::default(),
    );
    let mut replies = vec![digits("YAMADA2024"), digits("1234")];
    let mut input = Input::Start(LinkCapabilities::SHORT);
    let outcome = loop {
        input = match flow.resume(input).unwrap() {
            IntakeEvent::Send(cmd) => {
                let bytes = cmd.encode_auto(false).unwrap();
                let raw = card.answer(&bytes);
                Input::Response(mynacard::apdu::Response::from_vec(raw).unwrap())
            }
            IntakeEvent::Guide(g) => match g.awaits() {
                mynacard::employer::IntakeAwaits::Nothing => Input::Continue,
                _ => match replies.pop() {
                    Some(Reply::Digits(d)) => Input::Digits(d),
                    _ => Input::Cancel,
                },
            },
            IntakeEvent::Done(outcome) => break outcome,
            other => panic!("unexpected {other:?}"),
        };
    };
    let record = outcome.record().expect("a record");
    assert_eq!(record.evidence().checks_passed().len(), 8);
    // Every answer with data came through GET RESPONSE: files, certificate,
    // signature.
    assert!(card.get_responses >= 10, "{}", card.get_responses);
}

/// A reader whose link carries commands of at most 40 bytes.
struct Narrow(VirtualCard);

impl Transport for Narrow {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.0.transmit(command)
    }

    fn capabilities(&self) -> LinkCapabilities {
        let mut caps = self.0.capabilities();
        caps.max_command_len = 40;
        caps
    }

    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        self.0.power_cycle()
    }
}

/// Behaviour: the intake's driver is the reception runner's one transmission (the engine's
/// driver), so a command longer than the link carries — the 57-byte COMPUTE DIGITAL
/// SIGNATURE on a 40-byte link — is never put on the wire: the intake ends with a typed
/// card error naming the step, and the card never saw a signature command. (The intake's
/// own driver used to encode and send it without the check.)
#[test]
fn a_command_longer_than_the_link_is_never_sent_by_the_intake_driver() {
    let pki = Pki::new();
    let mut trace = Traced::new(Narrow(VirtualCard::test_holder("yamada").unwrap()));
    let mut flow = EmployerIntakeFlow::with_fixed_challenge(
        KeyProofChallenge::new([0x42; 32]),
        pki.verifier(),
        IntakeOptions::default(),
    );
    let mut new_hire = ScriptedNewHire::new([digits("1234"), digits("YAMADA2024")]);
    let error = run_intake(&mut trace, &mut flow, &mut new_hire).unwrap_err();
    assert_eq!(
        error,
        IntakeError::Card {
            step: "COMPUTE DIGITAL SIGNATURE",
            error: mynacard::card::CardError::Exchange(mynacard::ExchangeError::Apdu(
                mynacard::apdu::ApduError::TooLongForLink { len: 57, max: 40 }
            )),
        }
    );
    assert!(trace.entries().iter().all(|e| e.ins() != Some(0x2A)));
    assert!(trace.entries().iter().all(|e| e.command.len() <= 40));
    // It got as far as the signature: the password's VERIFY (`00 20 00 9B`) was sent.
    assert!(trace.entries().iter().any(|e| {
        e.ins() == Some(0x20) && e.command.get(3) == Some(&0x9B) && e.command.len() > 4
    }));
}
