//! Every flow run by feeding bytes only (issue 12.1): no `Transport`, no
//! `Exchange`, no runner. The card is a function from command bytes to answer
//! bytes; the flow asks for bytes to be sent and gets the raw answers back,
//! applying GET RESPONSE, re-issue and chunked reads itself.

#![cfg(feature = "virtual-card")]

use mynacard::date::CalendarDate;
use mynacard::eligibility::{
    BirthDate, InsurerNumber, MedicalInstitutionCode, PersonalText, SearchInfo,
};
use mynacard::flows::face::{FaceVerdict, ScannedCardFace};
use mynacard::flows::guidance::{Awaits, Choice, GuidanceId};
use mynacard::flows::outcome::{Identity, Method, Outcome};
use mynacard::flows::presentation::{Challenge, PkiCheck};
use mynacard::flows::{
    CardFaceFlow, CardPinFlow, Event, Flow, FlowError, IdentifiersFlow, Input, SmartphoneFlow,
};
use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::transport::LinkCapabilities;
use mynacard::virtual_card::VirtualCard;
use zeroize::Zeroizing;

struct Pki {
    trust: TrustStore,
    crl: CrlIndex,
    policy: RelyingPartyPolicy,
}

impl Pki {
    fn new() -> Self {
        let trust = TrustStore::test_only_mynacard_test_pki().unwrap();
        let crl = CrlIndex::from_der(
            include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der"),
            &trust,
            CrlLimits::default(),
        )
        .unwrap();
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

fn facility() -> MedicalInstitutionCode {
    MedicalInstitutionCode::parse("1310012345").unwrap()
}

fn challenge() -> Challenge {
    Challenge::new([0x42; 32])
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
}

impl BytesCard {
    fn new(id: &str, piece: Option<usize>) -> Self {
        Self {
            card: VirtualCard::test_holder(id).unwrap(),
            piece,
            pending: Vec::new(),
            sent: 0,
            get_responses: 0,
        }
    }

    fn answer(&mut self, command: &[u8]) -> Vec<u8> {
        self.sent += 1;
        let full = if command.get(1) == Some(&0xC0) && !self.pending.is_empty() {
            self.get_responses += 1;
            let mut rest = std::mem::take(&mut self.pending);
            rest.extend([0x90, 0x00]);
            rest
        } else {
            self.card.process(command)
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
    let pki = Pki::new();
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
    let pki = Pki::new();
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
    let pki = Pki::new();
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
    let search = SearchInfo {
        insurer_number: InsurerNumber::parse("01130012").unwrap(),
        insured_card_symbol: Some(PersonalText::new("記号１")),
        insured_identification_number: PersonalText::new("1234"),
        insured_branch_number: Some(PersonalText::new("01")),
        birthdate: BirthDate::parse_yyyymmdd("19900401").unwrap(),
        limit_application_consent: false,
        arbitrary_identifier: None,
    };
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
    let pki = Pki::new();
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
