//! Observability (issue 26, feature `tracing`): a reception on the virtual card and a
//! relying party's decisions under a capturing subscriber. Spans appear for each flow step
//! and decision, events for each exchange (instruction and status word) and each decision's
//! code — and no captured name or field holds the PIN, the holder's name, birth date,
//! address or 個人番号, or a command's data.

#![cfg(all(feature = "tracing", feature = "virtual-card"))]

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::{Awaits, CardPinFlow, Event, Flow, Input, KeyProofChallenge, PkiCheck};
use mynacard::pki::{CrlIndex, CrlLimits, CrlSet, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::relying_party::{ChallengeIssuer, RelyingParty, testing};
use mynacard::transport::LinkCapabilities;
use mynacard::virtual_card::VirtualCard;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event as TraceEvent, Metadata, Subscriber};

/// One captured span or event: its name and `field=value` pairs.
#[derive(Debug, Clone)]
struct Captured {
    span: bool,
    name: String,
    fields: String,
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Captured>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(String::new());
        span.record(&mut fields);
        let mut all = self.0.lock().unwrap();
        all.push(Captured {
            span: true,
            name: span.metadata().name().to_owned(),
            fields: fields.0,
        });
        Id::from_u64(all.len() as u64)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        self.0.lock().unwrap().push(Captured {
            span: false,
            name: "record".into(),
            fields: fields.0,
        });
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &TraceEvent<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(Captured {
            span: false,
            name: event.metadata().name().to_owned(),
            fields: fields.0,
        });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const AUTH_CRL: &[u8] = include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");

fn crls(trust: &TrustStore) -> CrlSet {
    let mut set = CrlSet::new();
    set.insert(CrlIndex::from_der(AUTH_CRL, trust, CrlLimits::default()).expect("CRL"));
    set
}

/// A card + PIN reception of yamada (PIN 1234), driven step by step.
fn reception() {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let crls = crls(&trust);
    let policy = RelyingPartyPolicy::strict();
    let check = PkiCheck {
        trust: &trust,
        revocation: &crls,
        policy: &policy,
        time: test_pki::REFERENCE_TIME,
    };
    let facility = MedicalInstitutionCode::parse("1310012345").expect("code");
    let mut flow = CardPinFlow::new(facility, KeyProofChallenge::new([7; 32]), check);
    let mut card = VirtualCard::test_holder("yamada").expect("card");
    let mut input = Input::Start(LinkCapabilities::SHORT);
    loop {
        input = match flow.resume(input).expect("step") {
            Event::Send(c) => Input::from_card(Ok::<_, mynacard::ExchangeError>(
                card.process(&c.encode_auto(false).expect("encode")),
            )),
            Event::Guide(g) if g.id().as_str() == "card.pin.enter" => {
                Input::Digits("1234".to_owned().into())
            }
            Event::Guide(g) => match g.awaits() {
                Awaits::Nothing => Input::Continue,
                Awaits::YesNo | Awaits::Consent(_) => Input::YesNo(true),
                other => panic!("unexpected prompt {other:?}"),
            },
            Event::Done(_) => break,
            other => panic!("unexpected {other:?}"),
        };
    }
}

/// A relying party verifies yamada, then refuses the replay.
fn relying_party() {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let crls = crls(&trust);
    let server = RelyingParty::new(
        trust,
        crls,
        RelyingPartyPolicy::strict(),
        ChallengeIssuer::new(300).expect("issuer"),
    );
    let now = test_pki::REFERENCE_TIME;
    let challenge = server.challenges().issue(now).expect("challenge");
    let presented = testing::present("yamada", challenge.bytes()).expect("presented");
    server
        .verify(&presented.presentation(), now)
        .expect("verified");
    server
        .verify(&presented.presentation(), now)
        .expect_err("replay");
}

#[test]
fn steps_exchanges_and_decisions_are_traced_without_personal_values() {
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        reception();
        relying_party();
    });
    let all = capture.0.lock().unwrap().clone();
    let count = |span: bool, name: &str, field: &str| {
        all.iter()
            .filter(|c| c.span == span && c.name == name && c.fields.contains(field))
            .count()
    };

    // A span per flow step, ending with what came out.
    assert!(
        count(true, "mynacard.flow.step", r#"input="start""#) == 1,
        "{all:#?}"
    );
    assert!(count(true, "mynacard.flow.step", r#"input="keypad digits""#) == 1);
    assert!(count(true, "mynacard.flow.step", r#"input="card response""#) > 5);
    let steps = count(true, "mynacard.flow.step", "input=");
    let ends = all
        .iter()
        .filter(|c| c.fields.contains("mynacard.flow.step_end"))
        .count();
    assert_eq!(steps, ends);
    assert!(all.iter().any(|c| {
        c.fields
            .contains(r#"event="guide" detail="card.pin.enter""#)
    }));
    assert!(
        all.iter()
            .any(|c| c.fields.contains(r#"event="done" detail="pin""#))
    );

    // Exchanges: the PIN's tries asked (VERIFY without data: 63C3), then after the keypad
    // digits the VERIFY (INS 0x20) with the PIN and its 9000 — named, nothing of its data.
    let digits = all
        .iter()
        .position(|c| c.span && c.fields.contains(r#"input="keypad digits""#))
        .expect("the keypad step");
    let exchange: Vec<&str> = all[digits..]
        .iter()
        .filter(|c| c.fields.contains("mynacard.exchange."))
        .take(2)
        .map(|c| c.fields.as_str())
        .collect();
    assert!(
        exchange[0].ends_with(r#" cla=0 ins=32 name="VERIFY" "#),
        "{exchange:?}"
    );
    assert!(exchange[1].ends_with(" sw=36864 "), "{exchange:?}");
    assert!(
        all[..digits]
            .iter()
            .any(|c| c.fields.ends_with(" sw=25539 ")),
        "the tries left before the PIN"
    );

    // Decisions: the flow's presentation, the server's, and the replay's code.
    assert_eq!(
        count(true, "mynacard.verify", r#"what="pki.presentation""#),
        2
    );
    assert_eq!(
        count(
            true,
            "mynacard.verify",
            r#"what="relying_party.presentation""#
        ),
        2
    );
    let results: Vec<&str> = all
        .iter()
        .filter(|c| c.fields.contains("mynacard.verify.result"))
        .map(|c| c.fields.as_str())
        .collect();
    assert_eq!(results.len(), 4, "{results:#?}");
    assert_eq!(
        results
            .iter()
            .filter(|f| f.contains(r#" code="verified""#))
            .count(),
        3
    );
    assert!(results[3].contains(r#" code="relying_party.challenge_unknown""#));

    // Nothing personal anywhere: the PIN (as text, hex or bytes), yamada's name, birth date,
    // address and 個人番号, the challenge.
    let text = format!("{all:?}");
    for secret in [
        "1234",
        "31323334",
        "49, 50, 51, 52",
        "山田",
        "ﾔﾏﾀﾞ",
        "yamada",
        "1990",
        "千代田",
        "123456789018",
        "[7, 7, 7",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}
