//! What an integrator gets (issue 12.8): JSON for events, outcomes and errors
//! with stable codes, readable `Debug`, and no PIN or personal value in either.

#![cfg(all(feature = "serde", feature = "virtual-card"))]

use mynacard::flows::ConsentItem;
use mynacard::flows::KeyProofChallenge;
use mynacard::flows::{CardPinFlow, Event, Flow, FlowError, Input};
use mynacard::pki::RelyingPartyPolicy;
use mynacard::runner::{NoCamera, Runner, UnattendedPatient};
use mynacard::transport::LinkCapabilities;
use mynacard::virtual_card::VirtualCard;

use crate::common::reception::{TestPki, facility};

#[test]
fn outcome_json_and_debug_are_readable() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let check = pki.check();
    let facility = facility();
    let mut flow = CardPinFlow::new(facility, KeyProofChallenge::new([1; 32]), check);
    let mut runner = Runner::new(VirtualCard::test_holder("yamada").unwrap());
    let mut patient = UnattendedPatient::with_pin("1234")
        .consenting(&[ConsentItem::Medication, ConsentItem::LimitAmount]);
    let out = runner.run(&mut flow, &mut patient, &mut NoCamera).unwrap();

    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["method"], "pin");
    assert_eq!(json["identity"]["kind"], "verified");
    assert_eq!(json["identity"]["serial"], "329BCA3A");
    assert_eq!(json["identity"]["form"], "card");
    assert_eq!(json["identity"]["form_source"], "certificate");
    assert_eq!(json["identity"]["not_after"], "2030-03-31T14:59:59Z");
    assert_eq!(json["consents"]["medication"], "given");
    assert_eq!(json["consents"]["clinical"], "refused");

    let debug = format!("{out:?}");
    assert!(debug.contains("serial: 329BCA3A"), "{debug}");
    assert!(debug.contains("not_after: 2030-03-31T14:59:59Z"), "{debug}");
    assert!(debug.contains("medication: given"), "{debug}");
    assert_eq!(out.method.to_string(), "pin");
}

#[test]
fn events_never_carry_the_pin_and_errors_have_stable_codes() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let check = pki.check();
    let facility = facility();
    let mut flow = CardPinFlow::new(facility, KeyProofChallenge::new([1; 32]), check);
    let mut card = VirtualCard::test_holder("yamada").unwrap();
    let mut input = Input::Start(LinkCapabilities::SHORT);
    let mut json = Vec::new();
    loop {
        let event = flow.resume(input).unwrap();
        json.push(serde_json::to_string(&event).unwrap());
        input = match event {
            Event::Send(c) => Input::from_card(Ok::<_, mynacard::ExchangeError>(
                card.process(&c.encode_auto(false).unwrap()),
            )),
            Event::Guide(g) if g.id().as_str() == "card.pin.enter" => {
                Input::Digits("1234".to_owned().into())
            }
            Event::Guide(g)
                if g.id().as_str() == "card.place" || g.id().as_str() == "verify.ok" =>
            {
                Input::Continue
            }
            Event::Guide(_) => break,
            _ => unreachable!(),
        };
    }
    let all = json.join("\n");
    assert!(
        all.contains(r#"{"send":{"cla":0,"ins":32,"p1":0,"p2":152,"data_len":4,"le":null}}"#),
        "{all}"
    );
    // "1234" is 31 32 33 34: never as bytes, hex or text.
    assert!(!all.contains("1234") && !all.contains("31323334") && !all.contains("[49,50,51,52]"));
    assert!(all.contains(r#""id":"consent.medication""#));

    let e = serde_json::to_value(FlowError::PinBlocked).unwrap();
    assert_eq!(e["code"], "flow.pin.blocked");
    assert_eq!(e["guidance"], "card.pin.blocked");
}

#[test]
fn a_scanned_card_face_is_read_from_json_and_never_shown() {
    let face: mynacard::flows::ScannedCardFace = serde_json::from_str(
        r#"{"birth_date": "1990-04-01", "expiry_year": 2035, "security_code": "2285"}"#,
    )
    .unwrap();
    assert_eq!(face.expiry_year, 2035);
    assert_eq!(format!("{face:?}"), "ScannedCardFace(redacted)");
    let options: mynacard::flows::KeyProofOptions =
        serde_json::from_str(r#"{"addressing": "by_sfi", "last_try": "refuse"}"#).unwrap();
    assert_eq!(
        options,
        mynacard::flows::KeyProofOptions::new()
            .with_addressing(mynacard::card::SignAddressing::BySfi)
            .with_last_try(mynacard::flows::LastTryPolicy::Refuse)
    );
}
