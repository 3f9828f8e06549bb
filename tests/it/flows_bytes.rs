//! Every flow run by feeding bytes only (issue 12.1): no `Transport`, no
//! `Exchange`, no runner. The card is a function from command bytes to answer
//! bytes; the flow asks for bytes to be sent and gets the raw answers back,
//! applying GET RESPONSE, re-issue and chunked reads itself.

#![cfg(feature = "virtual-card")]

use mynacard::card::{CvChainError, CvTrust};
use mynacard::date::CalendarDate;
use mynacard::eligibility::{BirthDate, InsurerNumber, PersonalText, SearchInfo};
use mynacard::flows::KeyProofChallenge;
use mynacard::flows::{Awaits, Choice, GuidanceId};
use mynacard::flows::{
    CardFaceFlow, CardPinFlow, Event, Flow, FlowError, IdentifiersFlow, Input, SmartphoneFlow,
};
use mynacard::flows::{FaceVerdict, ScannedCardFace};
use mynacard::flows::{Identity, Method, Outcome};
use mynacard::pki::RelyingPartyPolicy;
use mynacard::tlv::Tlv;
use mynacard::transport::LinkCapabilities;
use mynacard::virtual_card::{CardApplication, VirtualCard};
use zeroize::Zeroizing;

use crate::common::reception::{TestPki as Pki, facility};

fn challenge() -> KeyProofChallenge {
    KeyProofChallenge::new([0x42; 32])
}

/// A card as a function: command bytes in, answer bytes out. With `piece`, every
/// answer longer than `piece` data bytes comes in `61xx` pieces fetched with GET
/// RESPONSE (as a T=0 card or a cautious reader answers).
struct BytesCard {
    card: VirtualCard,
    piece: Option<usize>,
    pending: Vec<u8>,
    sent: usize,
    get_responses: usize,
    /// Flip one bit of this file (EF id, byte offset) in every READ BINARY answer.
    tamper: Option<(u8, usize)>,
    current_ef: Option<u8>,
    compared: usize,
}

impl BytesCard {
    fn new(id: &str, piece: Option<usize>) -> Self {
        Self {
            card: VirtualCard::test_holder(id).unwrap(),
            piece,
            pending: Vec::new(),
            sent: 0,
            get_responses: 0,
            tamper: None,
            current_ef: None,
            compared: 0,
        }
    }

    /// Flips one bit of EF `fid` (under the AP in use) at `offset` as it is read.
    fn tampering(mut self, fid: u8, offset: usize) -> Self {
        self.tamper = Some((fid, offset));
        self
    }

    /// The READ BINARY answer with the tampered byte, if it is in this chunk.
    fn tampered(&mut self, command: &[u8], mut answer: Vec<u8>) -> Vec<u8> {
        if command.get(1) != Some(&0xB0) || command.len() < 4 {
            return answer;
        }
        let (p1, p2) = (command[2], command[3]);
        let offset = if p1 & 0x80 != 0 {
            self.current_ef = Some(p1 & 0x1F);
            usize::from(p2)
        } else {
            usize::from(p1) << 8 | usize::from(p2)
        };
        if let (Some((fid, at)), Some(ef)) = (self.tamper, self.current_ef)
            && fid == ef
            && answer.len() > 2
            && (offset..offset + answer.len() - 2).contains(&at)
        {
            answer[at - offset] ^= 0x01;
        }
        answer
    }

    fn answer(&mut self, command: &[u8]) -> Vec<u8> {
        self.sent += 1;
        let full = if command.get(1) == Some(&0xC0) && !self.pending.is_empty() {
            self.get_responses += 1;
            let mut rest = std::mem::take(&mut self.pending);
            rest.extend([0x90, 0x00]);
            rest
        } else {
            let answer = self.card.process(command);
            self.tampered(command, answer)
        };
        match self.piece {
            Some(n) if full.len() > n + 2 && full[full.len() - 2..] == [0x90, 0x00] => {
                let data = &full[..full.len() - 2];
                self.pending = data[n..].to_vec();
                let left = self.pending.len().min(255) as u8;
                let mut out = data[..n].to_vec();
                out.extend([0x61, if self.pending.len() > 255 { 0 } else { left }]);
                out
            }
            _ => full,
        }
    }
}

/// Drives `flow` with bytes: PIN `pin` at the keypad, yes to every question,
/// `choice` at a choice, `verdict` at a face comparison.
fn drive(
    flow: &mut dyn Flow,
    card: &mut BytesCard,
    caps: LinkCapabilities,
    pin: &str,
    choice: Choice,
    verdict: FaceVerdict,
) -> (Result<Outcome, FlowError>, Vec<GuidanceId>) {
    let mut shown = Vec::new();
    let mut input = Input::Start(caps);
    loop {
        let event = match flow.resume(input) {
            Ok(e) => e,
            Err(e) => return (Err(e), shown),
        };
        input = match event {
            Event::Send(command) => {
                let bytes = command.encode_auto(caps.extended).unwrap();
                assert!(bytes.len() <= caps.max_command_len);
                let answer = card.answer(&bytes);
                assert!(answer.len() <= caps.max_response_len);
                Input::from_card(Ok::<_, mynacard::ExchangeError>(answer))
            }
            Event::Guide(g) => {
                shown.push(g.id());
                match g.awaits() {
                    Awaits::Nothing | Awaits::FaceCapture => Input::Continue,
                    Awaits::Keypad { .. } => Input::Digits(Zeroizing::new(pin.into())),
                    Awaits::Choice(_) => Input::Choice(choice),
                    _ => Input::YesNo(true),
                }
            }
            Event::CompareFace(photo) => {
                assert!(!photo.jpeg2000().is_empty());
                card.compared += 1;
                Input::Face(verdict)
            }
            Event::Done(outcome) => return (Ok(*outcome), shown),
            other => panic!("unexpected event {other:?}"),
        };
    }
}

const LINKS: [LinkCapabilities; 2] = [LinkCapabilities::SHORT, LinkCapabilities::extended(65536)];

#[test]
fn card_pin_flow_runs_on_bytes_only() {
    let pki = Pki::new(RelyingPartyPolicy::strict());
    for caps in LINKS {
        for piece in [None, Some(100)] {
            let mut card = BytesCard::new("yamada", piece);
            let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
            let (r, _) = drive(
                &mut flow,
                &mut card,
                caps,
                "1234",
                Choice::Pin,
                FaceVerdict::Match,
            );
            let out = r.unwrap();
            assert_eq!(out.identity.verified().unwrap().serial_hex(), "329BCA3A");
            assert_eq!(out.method, Method::Pin);
            // With 100-byte pieces the certificate and the signature came through
            // GET RESPONSE, driven by the flow itself.
            assert_eq!(
                card.get_responses > 0,
                piece.is_some(),
                "{caps:?} {piece:?}"
            );
        }
    }
}

#[test]
fn card_face_flow_runs_on_bytes_only() {
    let pki = Pki::new(RelyingPartyPolicy::strict());
    let scanned = ScannedCardFace {
        birth_date: CalendarDate::new(1990, 4, 1).unwrap(),
        expiry_year: 2035,
        security_code: "2285".into(),
    };
    for caps in LINKS {
        let mut card = BytesCard::new("yamada", Some(200));
        let mut flow = CardFaceFlow::new(facility(), challenge(), pki.check(), scanned.clone());
        let (r, shown) = drive(
            &mut flow,
            &mut card,
            caps,
            "1234",
            Choice::Face,
            FaceVerdict::Match,
        );
        let out = r.unwrap();
        assert_eq!(out.method, Method::FaceAndPin);
        assert!(out.identity.verified().is_some());
        assert!(shown.contains(&GuidanceId::FaceMatched));
    }
}

#[test]
fn smartphone_flow_runs_on_bytes_only() {
    let pki = Pki::new(RelyingPartyPolicy::strict());
    for caps in LINKS {
        for (id, pin, method) in [
            ("ito", "4680", Method::SmartphoneAndroid),
            ("kato", "", Method::SmartphoneIphone),
        ] {
            let mut card = BytesCard::new(id, Some(120));
            let mut flow = SmartphoneFlow::new(facility(), challenge(), pki.check());
            let (r, _) = drive(
                &mut flow,
                &mut card,
                caps,
                pin,
                Choice::Pin,
                FaceVerdict::Match,
            );
            let out = r.unwrap();
            assert_eq!(out.method, method);
        }
    }
}

#[test]
fn identifiers_flow_runs_without_a_card() {
    let mut search = SearchInfo::new(
        InsurerNumber::parse("01130012").unwrap(),
        PersonalText::new("1234"),
        BirthDate::parse_yyyymmdd("19900401").unwrap(),
    );
    search.insured_card_symbol = Some(PersonalText::new("記号１"));
    search.insured_branch_number = Some(PersonalText::new("01"));
    let mut card = BytesCard::new("yamada", None);
    let mut flow = IdentifiersFlow::new(facility(), search);
    let (r, _) = drive(
        &mut flow,
        &mut card,
        LinkCapabilities::SHORT,
        "",
        Choice::Pin,
        FaceVerdict::Match,
    );
    assert_eq!(r.unwrap().identity, Identity::InsuranceIdentifiers);
    assert_eq!(card.sent, 0);
}

#[test]
fn a_card_that_answers_61xx_without_data_ends_the_flow() {
    // The flow's own GET RESPONSE handling is bounded (exchange::Transmit).
    let pki = Pki::new(RelyingPartyPolicy::strict());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let mut input = Input::Start(LinkCapabilities::SHORT);
    let mut sent = 0;
    let result = loop {
        match flow.resume(input) {
            Ok(Event::Guide(_)) => input = Input::Continue,
            Ok(Event::Send(_)) => {
                sent += 1;
                // SELECT succeeds; every later answer is 61 FF with no data.
                input = Input::from_card(Ok::<_, mynacard::ExchangeError>(if sent == 1 {
                    vec![0x90, 0x00]
                } else {
                    vec![0x61, 0xFF]
                }));
            }
            Ok(other) => panic!("{other:?}"),
            Err(e) => break e,
        }
        assert!(sent < 1000, "unbounded");
    };
    assert!(matches!(result, FlowError::Card { .. }), "{result:?}");
}

fn yamada_face() -> ScannedCardFace {
    ScannedCardFace {
        birth_date: CalendarDate::new(1990, 4, 1).unwrap(),
        expiry_year: 2035,
        security_code: "2285".into(),
    }
}

/// Absolute offset of the middle of a TLV child's value in `FF 20` / `7F 21` files.
fn middle_of(file: &[u8], tag: [u8; 2]) -> usize {
    let (outer, _) = Tlv::parse(file, 0).unwrap();
    let t = outer
        .children()
        .map(Result::unwrap)
        .find(|t| t.tag() == tag)
        .unwrap();
    t.value_offset() + t.value().len() / 2
}

fn kenkaku_file(fid: u16) -> Vec<u8> {
    VirtualCard::test_holder("yamada")
        .unwrap()
        .file_content(CardApplication::Kenkaku, fid)
        .unwrap()
        .to_vec()
}

/// Runs the face flow (face chosen, matcher says Match) on `card`.
fn face_flow_on(
    card: &mut BytesCard,
    trust: Option<CvTrust>,
) -> (Result<Outcome, FlowError>, Vec<GuidanceId>) {
    let pki = Pki::new(RelyingPartyPolicy::strict());
    let mut flow = CardFaceFlow::new(facility(), challenge(), pki.check(), yamada_face());
    if let Some(trust) = trust {
        flow = flow.with_cv_trust(trust);
    }
    drive(
        &mut flow,
        card,
        LinkCapabilities::SHORT,
        "1234",
        Choice::Face,
        FaceVerdict::Match,
    )
}

#[test]
fn verified_card_face_photo_reaches_the_face_comparison() {
    let mut card = BytesCard::new("yamada", None);
    let (r, _) = face_flow_on(&mut card, None);
    assert_eq!(r.unwrap().method, Method::FaceAndPin);
    assert_eq!(card.compared, 1);
}

#[test]
fn tampered_photo_is_refused_and_never_compared() {
    let at = middle_of(&kenkaku_file(2), [0xDF, 0x27]);
    let mut card = BytesCard::new("yamada", None).tampering(2, at);
    let (r, shown) = face_flow_on(&mut card, None);
    let e = r.unwrap_err();
    assert_eq!(
        e,
        FlowError::CardFaceNotVerified(CvChainError::RecordSignature)
    );
    assert_eq!(e.code(), "flow.face.photo_not_verified");
    assert_eq!(e.guidance().id(), GuidanceId::FacePhotoUnverified);
    assert_eq!(card.compared, 0);
    assert!(!shown.contains(&GuidanceId::FaceLook));
}

#[test]
fn tampered_cv_certificate_is_refused_and_never_compared() {
    // A byte of the CV certificate's signed body (its subject key ID) that plays
    // no part in the record signature: only the J-LIS CV CA signature catches it.
    let cv = kenkaku_file(4);
    let (outer, _) = Tlv::parse(&cv, 0).unwrap();
    let body = outer
        .children()
        .map(Result::unwrap)
        .find(|t| t.tag() == [0x5F, 0x4E])
        .unwrap()
        .value_offset();
    let mut card = BytesCard::new("yamada", None).tampering(4, body + 16);
    let (r, _) = face_flow_on(&mut card, None);
    assert_eq!(
        r.unwrap_err(),
        FlowError::CardFaceNotVerified(CvChainError::CvCertificateSignature)
    );
    assert_eq!(card.compared, 0);
}

#[test]
fn photo_under_an_unknown_cv_ca_is_refused_and_never_compared() {
    // Production keys only: the virtual card's TEST CV CA is not among them.
    let mut card = BytesCard::new("yamada", None);
    let (r, _) = face_flow_on(&mut card, Some(CvTrust::jlis_production()));
    assert_eq!(
        r.unwrap_err(),
        FlowError::CardFaceNotVerified(CvChainError::UnknownCvCa)
    );
    assert_eq!(card.compared, 0);
}

/// Issue 21.3: a card powered up again answers its first command `6F00` (measured, the
/// virtual card's default). The flow itself resends that command once, so any driver of its
/// bytes copes — with no runner, no exchange in between.
#[test]
fn a_flow_driven_by_bytes_copes_with_the_power_up_6f00() {
    let pki = Pki::new(RelyingPartyPolicy::strict());
    for caps in LINKS {
        let mut card = BytesCard::new("yamada", None);
        card.card.power_off();
        card.card.power_on();
        let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
        let (r, _) = drive(
            &mut flow,
            &mut card,
            caps,
            "1234",
            Choice::Pin,
            FaceVerdict::Match,
        );
        assert_eq!(
            r.unwrap().identity.verified().unwrap().serial_hex(),
            "329BCA3A"
        );
        let first = card.card.trace().next().unwrap();
        assert_eq!(first.sw.to_bytes(), [0x6F, 0x00]);
    }
}
