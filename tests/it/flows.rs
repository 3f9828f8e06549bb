//! The reception flows end to end on the virtual card, with the TEST PKI at its
//! reference time (never the clock): every way in, success and each failure.

#![cfg(feature = "virtual-card")]

use std::collections::VecDeque;

use mynacard::card::TokenKind;
use mynacard::date::CalendarDate;
use mynacard::eligibility::VerificationMethod;
use mynacard::flows::KeyProofChallenge;
use mynacard::flows::WithoutPinlessAccess;
use mynacard::flows::{CardFaceFlow, CardPinFlow, Flow, FlowError, SmartphoneFlow};
use mynacard::flows::{Choice, Guidance, GuidanceId};
use mynacard::flows::{ConsentAnswer, ConsentItem};
use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
use mynacard::flows::{Identity, Method, Outcome};
use mynacard::pki::{PkiError, RelyingPartyPolicy, RevocationReason};
use mynacard::runner::{NoCamera, Patient, Reply, Runner};
use mynacard::transport::{LinkCapabilities, Traced, Transport, TransportError};
use mynacard::virtual_card::{CardApplication, VirtualCard, VirtualCardOptions};
use zeroize::Zeroizing;

use crate::common::reception::{TestPki, facility};

const KENHOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

fn challenge() -> KeyProofChallenge {
    KeyProofChallenge::new([0x3C; 32])
}

fn vcard(id: &str, caps: LinkCapabilities) -> VirtualCard {
    let mut o = VirtualCardOptions::default();
    o.capabilities = caps;
    VirtualCard::test_holder_with(id, o).unwrap()
}

#[derive(Default)]
struct Scripted {
    replies: VecDeque<Reply>,
    shown: Vec<GuidanceId>,
}

impl Scripted {
    fn new(replies: Vec<Reply>) -> Self {
        Self {
            replies: replies.into(),
            shown: Vec::new(),
        }
    }
}

impl Patient for Scripted {
    fn show(&mut self, g: &Guidance) {
        assert!(!g.ja().is_empty() && !g.en().is_empty());
        self.shown.push(g.id());
    }
    fn reply(&mut self, _g: &Guidance) -> Reply {
        self.replies.pop_front().unwrap_or(Reply::Cancel)
    }
}

fn pin(s: &str) -> Reply {
    Reply::Digits(Zeroizing::new(s.into()))
}

/// PIN, then yes / no / yes / yes to the four consent items.
fn with_consents(mut first: Vec<Reply>) -> Vec<Reply> {
    first.extend([Reply::Yes, Reply::No, Reply::Yes, Reply::Yes]);
    first
}

struct Verdict(FaceVerdict, usize);
impl FaceMatcher for Verdict {
    fn compare(&mut self, photo: &FaceImage) -> FaceVerdict {
        // The photo really is the card's JPEG 2000 (JP2 signature box).
        assert_eq!(photo.jpeg2000().get(..12), Some(&JP2_SIGNATURE[..]));
        self.1 += 1;
        self.0
    }
}

const JP2_SIGNATURE: [u8; 12] = [
    0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
];

fn yamada_face() -> ScannedCardFace {
    ScannedCardFace {
        birth_date: CalendarDate::new(1990, 4, 1).unwrap(),
        expiry_year: 2035,
        security_code: "2285".into(),
    }
}

struct Run {
    result: Result<Outcome, FlowError>,
    shown: Vec<GuidanceId>,
    trace: Traced<VirtualCard>,
}

fn run_flow<F: Flow>(
    card: VirtualCard,
    mut flow: F,
    replies: Vec<Reply>,
    matcher: &mut dyn FaceMatcher,
) -> Run {
    let mut runner = Runner::new(Traced::new(card));
    let mut patient = Scripted::new(replies);
    let result = runner.run(&mut flow, &mut patient, matcher);
    let trace = runner.transport_mut();
    let trace = std::mem::replace(trace, Traced::new(vcard("yamada", LinkCapabilities::SHORT)));
    Run {
        result,
        shown: patient.shown,
        trace,
    }
}

fn card_pin(id: &str, caps: LinkCapabilities, pki: &TestPki, replies: Vec<Reply>) -> Run {
    run_flow(
        vcard(id, caps),
        CardPinFlow::new(facility(), challenge(), pki.check()),
        replies,
        &mut NoCamera,
    )
}

fn auth_pin_tries(card: &VirtualCard) -> Option<u8> {
    card.remaining_tries(CardApplication::Jpki, 0x0018)
}

/// Spends `n` wrong auth-PIN tries on the card before the flow runs.
fn burn_tries(card: &mut VirtualCard, n: usize) {
    let select = [
        0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
    ];
    assert_eq!(card.transmit(&select).unwrap(), [0x90, 0x00]);
    for _ in 0..n {
        let r = card
            .transmit(&[0x00, 0x20, 0x00, 0x98, 0x04, b'9', b'9', b'9', b'9'])
            .unwrap();
        assert_eq!(r[0], 0x63);
    }
}

fn never_touches_the_my_number(trace: &Traced<VirtualCard>) {
    for e in trace.entries() {
        let c = &e.command;
        assert!(
            !(c.get(1) == Some(&0xA4)
                && c.get(2) == Some(&0x04)
                && c.get(5..15) == Some(&KENHOJO_AID[..])),
            "the input-support AP was selected: {c:02X?}"
        );
    }
    for read in trace.file_reads() {
        assert!(
            !(read.aid.as_deref() == Some(&KENHOJO_AID[..]) && read.fid == Some(1)),
            "EF 0001 of the input-support AP was read"
        );
    }
}

#[test]
fn card_pin_success_short_and_extended() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    // The flow's commands, then the runner's logout (a power cycle of the virtual card
    // and the SELECT of the Issuer Security Domain, answered 6F00 after the power-up as
    // measured, and sent again).
    for (caps, commands) in [
        // SELECT key EF + `80 2A 00 80` (the default addressing) included.
        (LinkCapabilities::SHORT, 11 + 2),
        (LinkCapabilities::extended(65536), 6 + 2),
    ] {
        let r = card_pin("yamada", caps, &pki, with_consents(vec![pin("1234")]));
        let out = r.result.unwrap();
        assert_eq!(r.trace.commands(), commands, "{caps:?}");
        assert!(r.trace.commands() <= 13);
        let last = r.trace.entries().last().unwrap();
        assert_eq!(
            last.command,
            mynacard::session::SELECT_ISSUER_SECURITY_DOMAIN
        );
        assert_eq!(out.method, Method::Pin);
        let Identity::Verified(id) = &out.identity else {
            panic!("{:?}", out.identity)
        };
        assert_eq!(id.serial(), [0x32, 0x9B, 0xCA, 0x3A]);
        assert_eq!(id.token(), None);
        assert_eq!(
            id.certificate_kind().entry().unwrap().purpose,
            mynacard::pki::Purpose::Authentication
        );
        assert_eq!(
            out.consents.answer(ConsentItem::Clinical),
            ConsentAnswer::Refused
        );
        assert_eq!(out.request, None);
        assert_eq!(out.face_match.unwrap().method, VerificationMethod::Card);
        assert_eq!(
            r.shown,
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
        never_touches_the_my_number(&r.trace);
        assert_eq!(auth_pin_tries(r.trace.inner()), Some(3));
    }
}

#[test]
fn wrong_pin_then_right_pin() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let r = card_pin(
        "yamada",
        LinkCapabilities::SHORT,
        &pki,
        with_consents(vec![pin("0000"), pin("1234")]),
    );
    assert!(r.result.unwrap().identity.verified().is_some());
    assert_eq!(
        &r.shown[..4],
        &[
            GuidanceId::CardPlace,
            GuidanceId::CardPinEnter,
            GuidanceId::CardPinWrong,
            GuidanceId::CardPinEnter
        ]
    );
    // A correct PIN resets the counter.
    assert_eq!(auth_pin_tries(r.trace.inner()), Some(3));
}

#[test]
fn last_try_guard_holds() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    // Two wrong PINs on the card, then the patient declines the last try.
    let mut card = vcard("yamada", LinkCapabilities::SHORT);
    burn_tries(&mut card, 2);
    let r = run_flow(
        card,
        CardPinFlow::new(facility(), challenge(), pki.check()),
        vec![Reply::No],
        &mut NoCamera,
    );
    assert_eq!(r.result.unwrap_err(), FlowError::LastTryDeclined);
    assert!(r.shown.contains(&GuidanceId::CardPinLastTry));
    assert_eq!(
        auth_pin_tries(r.trace.inner()),
        Some(1),
        "the last try was kept"
    );
    // No VERIFY with data was sent.
    assert!(
        r.trace
            .entries()
            .iter()
            .all(|e| !(e.command.get(1) == Some(&0x20) && e.command.len() > 4))
    );

    // Wrong twice inside the flow: the third prompt is the last-try warning.
    let r = card_pin(
        "yamada",
        LinkCapabilities::SHORT,
        &pki,
        vec![pin("0000"), pin("1111"), Reply::No],
    );
    assert_eq!(r.result.unwrap_err(), FlowError::LastTryDeclined);
    assert_eq!(auth_pin_tries(r.trace.inner()), Some(1));

    // Confirmed: the last try is spent, correctly.
    let mut card = vcard("yamada", LinkCapabilities::SHORT);
    burn_tries(&mut card, 2);
    let r = run_flow(
        card,
        CardPinFlow::new(facility(), challenge(), pki.check()),
        with_consents(vec![Reply::Yes, pin("1234")]),
        &mut NoCamera,
    );
    assert!(r.result.unwrap().identity.verified().is_some());
}

#[test]
fn blocked_card() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let mut card = vcard("yamada", LinkCapabilities::SHORT);
    burn_tries(&mut card, 3);
    let r = run_flow(
        card,
        CardPinFlow::new(facility(), challenge(), pki.check()),
        vec![],
        &mut NoCamera,
    );
    assert_eq!(r.result.unwrap_err(), FlowError::PinBlocked);
    assert_eq!(r.shown.last(), Some(&GuidanceId::CardPinBlocked));
    // Blocked by the last wrong PIN inside the flow.
    let mut card = vcard("yamada", LinkCapabilities::SHORT);
    burn_tries(&mut card, 2);
    let r = run_flow(
        card,
        CardPinFlow::new(facility(), challenge(), pki.check()),
        vec![Reply::Yes, pin("0000")],
        &mut NoCamera,
    );
    assert_eq!(r.result.unwrap_err(), FlowError::PinBlocked);
    assert_eq!(auth_pin_tries(r.trace.inner()), Some(0));
}

#[test]
fn revoked_certificate() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let r = card_pin(
        "sato",
        LinkCapabilities::SHORT,
        &pki,
        with_consents(vec![pin("4321")]),
    );
    match r.result {
        Err(FlowError::Verification(PkiError::Revoked { reason, .. })) => {
            assert_eq!(reason, Some(RevocationReason::KeyCompromise));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.shown.last(), Some(&GuidanceId::VerifyRevoked));
    assert!(!r.shown.contains(&GuidanceId::ConsentMedication));
}

#[test]
fn expired_certificate() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let r = card_pin(
        "suzuki",
        LinkCapabilities::SHORT,
        &pki,
        with_consents(vec![pin("2580")]),
    );
    assert!(matches!(
        r.result,
        Err(FlowError::Verification(PkiError::Expired { .. }))
    ));
    assert_eq!(r.shown.last(), Some(&GuidanceId::VerifyExpired));
    // Expired on 2026-04-15: refused strictly, accepted under the clinic's
    // 3-month grace for physical cards (reported in the identity).
    let r = card_pin(
        "watanabe",
        LinkCapabilities::SHORT,
        &pki,
        with_consents(vec![pin("1357")]),
    );
    assert!(matches!(
        r.result,
        Err(FlowError::Verification(PkiError::Expired { .. }))
    ));
    let medical = TestPki::new(RelyingPartyPolicy::medical_eligibility());
    let r = card_pin(
        "watanabe",
        LinkCapabilities::SHORT,
        &medical,
        with_consents(vec![pin("1357")]),
    );
    let out = r.result.unwrap();
    assert!(out.identity.verified().unwrap().pki().grace().is_some());
}

/// Removes the card right before the n-th command.
struct RemovedAt {
    card: VirtualCard,
    at: usize,
    sent: usize,
}

impl Transport for RemovedAt {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.sent == self.at {
            self.card.remove();
        }
        self.sent += 1;
        self.card.transmit(command)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.card.capabilities()
    }
}

fn removal_at_every_step<F: Flow>(
    id: &str,
    make: impl Fn() -> F,
    replies: impl Fn() -> Vec<Reply>,
    mut matcher: impl FnMut() -> Box<dyn FaceMatcher>,
) {
    // Count the commands of a successful run first.
    let mut runner = Runner::new(vcard(id, LinkCapabilities::SHORT));
    let mut flow = make();
    runner
        .run(&mut flow, &mut Scripted::new(replies()), matcher().as_mut())
        .unwrap();
    let total = runner.counters().commands;
    assert!(total > 3);
    for at in 0..total {
        let mut runner = Runner::new(RemovedAt {
            card: vcard(id, LinkCapabilities::SHORT),
            at,
            sent: 0,
        });
        let mut flow = make();
        let mut patient = Scripted::new(replies());
        let r = runner.run(&mut flow, &mut patient, matcher().as_mut());
        assert!(
            matches!(r, Err(FlowError::CardRemoved { .. })),
            "{id}: removed before command {at}: {r:?}"
        );
        assert_eq!(patient.shown.last(), Some(&GuidanceId::CardRemoved));
    }
}

#[test]
fn card_removed_at_every_step() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    removal_at_every_step(
        "yamada",
        || CardPinFlow::new(facility(), challenge(), pki.check()),
        || with_consents(vec![pin("1234")]),
        || Box::new(NoCamera),
    );
    removal_at_every_step(
        "yamada",
        || CardFaceFlow::new(facility(), challenge(), pki.check(), yamada_face()),
        || with_consents(vec![Reply::Choice(Choice::Face), pin("1234")]),
        || Box::new(Verdict(FaceVerdict::Match, 0)),
    );
    removal_at_every_step(
        "ito",
        || SmartphoneFlow::new(facility(), challenge(), pki.check()),
        || with_consents(vec![pin("4680")]),
        || Box::new(NoCamera),
    );
    removal_at_every_step(
        "kato",
        || SmartphoneFlow::new(facility(), challenge(), pki.check()),
        || with_consents(vec![]),
        || Box::new(NoCamera),
    );
}

#[test]
fn face_match_then_pin_for_the_signature() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let mut matcher = Verdict(FaceVerdict::Match, 0);
    let r = run_flow(
        vcard("yamada", LinkCapabilities::SHORT),
        CardFaceFlow::new(facility(), challenge(), pki.check(), yamada_face()),
        with_consents(vec![Reply::Choice(Choice::Face), pin("1234")]),
        &mut matcher,
    );
    let out = r.result.unwrap();
    assert_eq!(matcher.1, 1);
    assert_eq!(out.method, Method::FaceAndPin);
    assert_eq!(
        out.identity.verified().unwrap().serial(),
        [0x32, 0x9B, 0xCA, 0x3A]
    );
    assert_eq!(
        &r.shown[..5],
        &[
            GuidanceId::CardPlace,
            GuidanceId::MethodChoose,
            GuidanceId::FaceLook,
            GuidanceId::FaceMatched,
            GuidanceId::CardPinEnter
        ]
    );
    never_touches_the_my_number(&r.trace);
}

#[test]
fn face_match_without_key_proof_is_no_identity() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let r = run_flow(
        vcard("yamada", LinkCapabilities::SHORT),
        CardFaceFlow::new(facility(), challenge(), pki.check(), yamada_face())
            .without_pinless(WithoutPinlessAccess::ReportWithoutKeyProof),
        with_consents(vec![Reply::Choice(Choice::Face)]),
        &mut Verdict(FaceVerdict::Match, 0),
    );
    let out = r.result.unwrap();
    assert_eq!(out.identity, Identity::HolderCheckedWithoutKeyProof);
    assert_eq!(out.method, Method::Face);
    assert_eq!(out.request, None);
    // The JPKI AP was never used.
    assert!(
        r.trace
            .entries()
            .iter()
            .all(|e| e.command.get(1) != Some(&0x2A))
    );
}

#[test]
fn face_mismatch_then_pin() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let r = run_flow(
        vcard("yamada", LinkCapabilities::SHORT),
        CardFaceFlow::new(facility(), challenge(), pki.check(), yamada_face()),
        with_consents(vec![
            Reply::Choice(Choice::Face),
            Reply::Choice(Choice::Pin),
            pin("1234"),
        ]),
        &mut Verdict(FaceVerdict::Mismatch, 0),
    );
    let out = r.result.unwrap();
    assert_eq!(out.method, Method::PinAfterFace);
    assert!(out.identity.verified().is_some());
    assert!(r.shown.contains(&GuidanceId::FaceMismatch));
}

#[test]
fn face_mismatch_then_staff_visual_check() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let r = run_flow(
        vcard("yamada", LinkCapabilities::SHORT),
        CardFaceFlow::new(facility(), challenge(), pki.check(), yamada_face()),
        with_consents(vec![
            Reply::Choice(Choice::Face),
            Reply::Choice(Choice::StaffCheck),
            Reply::Yes,
        ]),
        &mut Verdict(FaceVerdict::Mismatch, 0),
    );
    let out = r.result.unwrap();
    assert_eq!(out.method, Method::StaffVisualCheck);
    assert_eq!(out.identity, Identity::HolderCheckedWithoutKeyProof);
    let r = run_flow(
        vcard("yamada", LinkCapabilities::SHORT),
        CardFaceFlow::new(facility(), challenge(), pki.check(), yamada_face()),
        vec![
            Reply::Choice(Choice::Face),
            Reply::Choice(Choice::StaffCheck),
            Reply::No,
        ],
        &mut Verdict(FaceVerdict::Mismatch, 0),
    );
    assert_eq!(r.result.unwrap_err(), FlowError::StaffRejected);
}

#[test]
fn misread_card_face_falls_back_to_pin() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let mut misread = yamada_face();
    misread.security_code = "9999".into();
    let mut matcher = Verdict(FaceVerdict::Match, 0);
    let r = run_flow(
        vcard("yamada", LinkCapabilities::SHORT),
        CardFaceFlow::new(facility(), challenge(), pki.check(), misread),
        with_consents(vec![
            Reply::Choice(Choice::Face),
            Reply::Choice(Choice::Pin),
            pin("1234"),
        ]),
        &mut matcher,
    );
    assert_eq!(r.result.unwrap().method, Method::PinAfterFace);
    assert_eq!(matcher.1, 0, "no photo, no comparison");
    assert!(r.shown.contains(&GuidanceId::FaceScanFailed));
}

#[test]
fn android_pin_then_certificate() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let r = run_flow(
        vcard("ito", LinkCapabilities::SHORT),
        SmartphoneFlow::new(facility(), challenge(), pki.check()),
        with_consents(vec![pin("4680")]),
        &mut NoCamera,
    );
    let out = r.result.unwrap();
    assert_eq!(out.method, Method::SmartphoneAndroid);
    let id = out.identity.verified().unwrap();
    assert_eq!(id.token(), Some(TokenKind::Android));
    assert_eq!(id.form(), Some(mynacard::pki::Form::Smartphone));
    assert_eq!(
        out.face_match.unwrap().method,
        VerificationMethod::Smartphone
    );
    assert_eq!(r.shown[1], GuidanceId::PhoneAndroidPinEnter);
    // VERIFY (data) comes before the first READ of EF 000A.
    let e = r.trace.entries();
    let verify = e
        .iter()
        .position(|e| e.command.get(1) == Some(&0x20) && e.command.len() > 4);
    let read = e
        .iter()
        .position(|e| e.command.get(..3) == Some(&[0x00, 0xB0, 0x8A][..]));
    assert!(verify.unwrap() < read.unwrap());
    never_touches_the_my_number(&r.trace);
}

#[test]
fn phone_token_without_pin() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    // iPhone: no VERIFY at all; the exchange ends with 80 FC 00 00.
    let r = run_flow(
        vcard("kato", LinkCapabilities::SHORT),
        SmartphoneFlow::new(facility(), challenge(), pki.check()),
        with_consents(vec![]),
        &mut NoCamera,
    );
    let out = r.result.unwrap();
    assert_eq!(out.method, Method::SmartphoneIphone);
    assert_eq!(
        out.identity.verified().unwrap().token(),
        Some(TokenKind::Iphone)
    );
    let e = r.trace.entries();
    assert!(e.iter().all(|e| e.command.get(1) != Some(&0x20)));
    assert_eq!(e.last().unwrap().command, [0x80, 0xFC, 0x00, 0x00]);
    assert!(!r.shown.contains(&GuidanceId::PhoneAndroidPinEnter));
    never_touches_the_my_number(&r.trace);

    // Android without the PIN: the patient cancels; the auth certificate was never
    // asked for, and the token itself refuses it without the PIN.
    let r = run_flow(
        vcard("ito", LinkCapabilities::SHORT),
        SmartphoneFlow::new(facility(), challenge(), pki.check()),
        vec![Reply::Cancel],
        &mut NoCamera,
    );
    assert_eq!(r.result.unwrap_err(), FlowError::Cancelled);
    assert!(r.trace.file_reads().iter().all(|f| f.fid != Some(0x0A)));
    let mut ito = vcard("ito", LinkCapabilities::SHORT);
    let select = [
        0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
    ];
    assert_eq!(ito.transmit(&select).unwrap(), [0x90, 0x00]);
    assert_eq!(
        ito.transmit(&[0x00, 0xB0, 0x8A, 0x00, 0x00]).unwrap(),
        [0x69, 0x82]
    );

    // A physical card in the smartphone flow is refused by its token label.
    let r = run_flow(
        vcard("yamada", LinkCapabilities::SHORT),
        SmartphoneFlow::new(facility(), challenge(), pki.check()),
        vec![],
        &mut NoCamera,
    );
    assert_eq!(
        r.result.unwrap_err(),
        FlowError::UnexpectedToken {
            found: mynacard::card::TokenKind::Card
        }
    );
}

#[test]
fn no_flow_touches_the_my_number() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let runs = [
        card_pin(
            "takahashi",
            LinkCapabilities::SHORT,
            &pki,
            with_consents(vec![pin("9753")]),
        ),
        card_pin(
            "nakamura",
            LinkCapabilities::extended(65536),
            &pki,
            with_consents(vec![pin("0501")]),
        ),
        run_flow(
            vcard("takahashi", LinkCapabilities::SHORT),
            CardFaceFlow::new(
                facility(),
                challenge(),
                pki.check(),
                ScannedCardFace {
                    birth_date: CalendarDate::new(1989, 1, 7).unwrap(),
                    expiry_year: 2034,
                    security_code: "6402".into(),
                },
            ),
            with_consents(vec![Reply::Choice(Choice::Face), pin("9753")]),
            &mut Verdict(FaceVerdict::Match, 0),
        ),
    ];
    for r in runs {
        assert!(r.result.unwrap().identity.verified().is_some());
        never_touches_the_my_number(&r.trace);
    }
}

/// A reader with a keypad: it collects the PIN itself (from this list) and sends
/// the VERIFY; `None` in the list stands for the holder pressing cancel.
struct KeypadReader {
    card: VirtualCard,
    typed: VecDeque<Option<&'static str>>,
    headers: Vec<[u8; 4]>,
}

impl Transport for KeypadReader {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.card.transmit(command)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.card.capabilities()
    }
}

impl mynacard::transport::PinPad for KeypadReader {
    fn has_pin_pad(&self) -> bool {
        true
    }
    fn verify_on_pin_pad(
        &mut self,
        request: &mynacard::transport::PinPadRequest,
    ) -> Result<Vec<u8>, TransportError> {
        self.headers.push(request.header);
        match self.typed.pop_front().flatten() {
            Some(pin) => {
                let mut apdu = request.header.to_vec();
                apdu.push(pin.len() as u8);
                apdu.extend(pin.as_bytes());
                self.card.transmit(&apdu)
            }
            None => Ok(vec![0x64, 0x01]),
        }
    }
}

#[test]
fn pin_pad_reader_collects_the_pin() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let reader = KeypadReader {
        card: vcard("yamada", LinkCapabilities::SHORT),
        typed: [Some("0000"), Some("1234")].into(),
        headers: vec![],
    };
    let mut runner = Runner::new(reader);
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    // The patient is never asked for digits: only the consents.
    let mut patient = Scripted::new(with_consents(vec![]));
    let out = runner
        .run_with_pin_pad(&mut flow, &mut patient, &mut NoCamera)
        .unwrap();
    assert!(out.identity.verified().is_some());
    assert_eq!(runner.transport().headers, [[0x00, 0x20, 0x00, 0x98]; 2]);
    assert!(patient.shown.contains(&GuidanceId::CardPinWrong));
    assert!(patient.replies.is_empty());

    // Cancel on the reader's keypad.
    let reader = KeypadReader {
        card: vcard("ito", LinkCapabilities::SHORT),
        typed: [None].into(),
        headers: vec![],
    };
    let mut runner = Runner::new(reader);
    let mut flow = SmartphoneFlow::new(facility(), challenge(), pki.check());
    let r = runner.run_with_pin_pad(&mut flow, &mut Scripted::default(), &mut NoCamera);
    assert_eq!(r.unwrap_err(), FlowError::Cancelled);
}
