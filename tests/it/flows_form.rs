//! Issue 11.2 / 21.1: the grace (cards only) and `accept_smartphone` are decided on an
//! *established* form — stated by the certificate, or proven by the card (MF-level CV chain
//! and INTERNAL AUTHENTICATE) in the same session; the token's own label (EF 0006) only
//! where it costs the holder (a phone's admission) or under the policy's opt-in. The card
//! flows read the label, and prove a card, only when the PKI check asks for the form. The
//! policy table here states no form (as the production table does).

#![cfg(feature = "virtual-card")]

use std::collections::VecDeque;

use mynacard::card::TokenKind;
use mynacard::date::CalendarDate;
use mynacard::eligibility::VerificationMethod;
use mynacard::flows::KeyProofChallenge;
use mynacard::flows::{CardFaceFlow, CardPinFlow, Flow, FlowError, SmartphoneFlow};
use mynacard::flows::{Choice, Guidance};
use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
use mynacard::flows::{Method, Outcome};
use mynacard::pki::{Form, FormSource, PkiError, RelyingPartyPolicy, TrustStore};
use mynacard::runner::{Patient, Reply, Runner};
use mynacard::transport::Traced;
use mynacard::virtual_card::{Profile, VirtualCard, rsa_key_from_pkcs8_der};

use crate::common::pki::formless_store as formless_trust;
use crate::common::reception::{TestPki as Pki, facility};

const TOKEN_INFO_FID: u16 = 0x0006;

fn no_phones() -> RelyingPartyPolicy {
    let mut p = RelyingPartyPolicy::strict();
    p.accept_smartphone = false;
    p
}

fn challenge() -> KeyProofChallenge {
    KeyProofChallenge::new([0x5A; 32])
}

struct Scripted(VecDeque<Reply>);

impl Patient for Scripted {
    fn show(&mut self, _g: &Guidance) {}
    fn reply(&mut self, _g: &Guidance) -> Reply {
        self.0.pop_front().unwrap_or(Reply::Cancel)
    }
}

fn pin_then_consents(pin: &str) -> Vec<Reply> {
    vec![
        Reply::digits(pin),
        Reply::Yes,
        Reply::Yes,
        Reply::Yes,
        Reply::Yes,
    ]
}

struct NeverCompared;
impl FaceMatcher for NeverCompared {
    fn compare(&mut self, _photo: &FaceImage) -> FaceVerdict {
        panic!("no face comparison in these tests")
    }
}

/// Runs `flow` on `card`; the result and how many times EF 0006 was read.
fn run(
    card: VirtualCard,
    flow: &mut dyn Flow,
    replies: Vec<Reply>,
) -> (Result<Outcome, FlowError>, usize) {
    let mut runner = Runner::new(Traced::new(card));
    let result = runner.run(flow, &mut Scripted(replies.into()), &mut NeverCompared);
    let label_reads = runner
        .transport()
        .file_reads()
        .iter()
        .filter(|r| r.fid == Some(TOKEN_INFO_FID))
        .count();
    (result, label_reads)
}

/// An iPhone token carrying watanabe's certificate, expired on 2026-04-15
/// (inside a card's 3-month grace at the reference time).
fn expired_iphone() -> VirtualCard {
    let key = |der: &[u8]| rsa_key_from_pkcs8_der(der, "key").unwrap();
    let (holder, _) = VirtualCard::test_holder_description("watanabe").unwrap();
    VirtualCard::builder(holder)
        .sign(
            key(include_bytes!(
                "../../crates/mynacard-virtual-card/data/pki/watanabe_sign.key.der"
            )),
            include_bytes!("../../crates/mynacard-virtual-card/data/pki/watanabe_sign.der")
                .to_vec(),
        )
        .sign_ca_certificate(mynacard::virtual_card::TEST_SIGN_CA_DER.to_vec())
        .card_data_signer(key(include_bytes!(
            "../../crates/mynacard-virtual-card/data/pki/card_data_signer.key.der"
        )))
        .cv_ca(key(include_bytes!(
            "../../crates/mynacard-virtual-card/data/pki/cv_ca.key.der"
        )))
        .card_key(key(include_bytes!(
            "../../crates/mynacard-virtual-card/data/pki/card_internal.key.der"
        )))
        .profile(Profile::Iphone)
        .auth(
            rsa_key_from_pkcs8_der(
                include_bytes!("../../crates/mynacard-virtual-card/data/pki/watanabe_auth.key.der"),
                "auth key",
            )
            .unwrap(),
            include_bytes!("../../crates/mynacard-virtual-card/data/pki/watanabe_auth.der")
                .to_vec(),
        )
        .auth_ca_certificate(mynacard::virtual_card::TEST_AUTH_CA_DER.to_vec())
        .build()
        .unwrap()
}

#[test]
fn expired_phone_certificate_through_the_card_flow_gets_no_grace() {
    let pki = Pki::with_trust(formless_trust(), RelyingPartyPolicy::medical_eligibility());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let (result, label_reads) = run(expired_iphone(), &mut flow, pin_then_consents("1357"));
    assert!(
        matches!(
            result,
            Err(FlowError::Verification(PkiError::Expired { .. }))
        ),
        "{result:?}"
    );
    // The card flow read the label because the check asked for it.
    assert_eq!(label_reads, 1);
}

/// A relay in front of a token that rewrites one answer: the token label (READ BINARY of
/// EF 0006 by SFI) says `JPKIAPICCTOKEN2`, a card's.
struct LabelRewriter(VirtualCard);

impl mynacard::transport::Transport for LabelRewriter {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, mynacard::transport::TransportError> {
        let mut answer = self.0.transmit(command)?;
        if command.starts_with(&[0x00, 0xB0, 0x86]) && answer.len() >= 34 {
            let mut label = *b"JPKIAPICCTOKEN2                 ";
            answer[..32].swap_with_slice(&mut label);
        }
        Ok(answer)
    }

    fn capabilities(&self) -> mynacard::transport::LinkCapabilities {
        self.0.capabilities()
    }
}

#[test]
fn expired_phone_certificate_on_a_token_labelled_card_gets_expired() {
    // Issue 21.1: the label is the token's word. A relay makes a phone say "card"; the card
    // proof it is then asked for fails (a phone has no MF-level CV chain), so no grace.
    let pki = Pki::with_trust(formless_trust(), RelyingPartyPolicy::medical_eligibility());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let mut runner = Runner::new(Traced::new(LabelRewriter(expired_iphone())));
    let result = runner.run(
        &mut flow,
        &mut Scripted(pin_then_consents("1357").into()),
        &mut NeverCompared,
    );
    assert!(
        matches!(
            result,
            Err(FlowError::Verification(PkiError::Expired { .. }))
        ),
        "{result:?}"
    );
    // The proof was tried: SELECT of the Issuer Security Domain, refused by the phone.
    let isd = runner
        .transport()
        .entries()
        .iter()
        .find(|e| e.command.starts_with(&[0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0]))
        .expect("the card proof's SELECT of the Issuer Security Domain");
    assert_eq!(
        (isd.command.as_slice(), isd.status.map(|s| s.to_u16())),
        (
            &[
                0x00u8, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00
            ][..],
            Some(0x6A82)
        )
    );

    // Under the named opt-in, the label is believed — the risk the option states.
    let mut policy = RelyingPartyPolicy::medical_eligibility();
    policy.trust_token_label = true;
    let pki = Pki::with_trust(formless_trust(), policy);
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let mut runner = Runner::new(LabelRewriter(expired_iphone()));
    let out = runner
        .run(
            &mut flow,
            &mut Scripted(pin_then_consents("1357").into()),
            &mut NeverCompared,
        )
        .unwrap();
    let id = out.identity.verified().unwrap();
    assert_eq!(id.pki().form_source(), Some(FormSource::TokenLabel));
}

#[test]
fn card_in_grace_is_accepted_with_the_form_recorded() {
    // The certificate does not state the form: the card proves it (MF-level CV chain under
    // the TEST CV CA 6900020, INTERNAL AUTHENTICATE over the visit's challenge).
    let pki = Pki::with_trust(formless_trust(), RelyingPartyPolicy::medical_eligibility());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let card = VirtualCard::test_holder("watanabe").unwrap();
    let (result, label_reads) = run(card, &mut flow, pin_then_consents("1357"));
    let out = result.unwrap();
    let id = out.identity.verified().unwrap();
    assert_eq!(id.form(), Some(Form::Card));
    assert_eq!(id.pki().form_source(), Some(FormSource::CardProof));
    assert_eq!(id.token(), Some(TokenKind::Card));
    assert_eq!(id.pki().grace().map(|g| g.months), Some(3));
    assert_eq!(out.method, Method::Pin);
    assert_eq!(label_reads, 1);

    // The certificate states the form: no extra command.
    let pki = Pki::with_trust(
        TrustStore::test_only_mynacard_test_pki().unwrap(),
        RelyingPartyPolicy::medical_eligibility(),
    );
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let card = VirtualCard::test_holder("watanabe").unwrap();
    let (result, label_reads) = run(card, &mut flow, pin_then_consents("1357"));
    let out = result.unwrap();
    let id = out.identity.verified().unwrap();
    assert_eq!(id.pki().form_source(), Some(FormSource::Certificate));
    assert!(id.pki().grace().is_some());
    assert_eq!(label_reads, 0);
}

#[test]
fn valid_card_costs_no_label_read_when_no_decision_needs_the_form() {
    let pki = Pki::with_trust(formless_trust(), RelyingPartyPolicy::medical_eligibility());
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let card = VirtualCard::test_holder("yamada").unwrap();
    let (result, label_reads) = run(card, &mut flow, pin_then_consents("1234"));
    let out = result.unwrap();
    assert_eq!(out.identity.verified().unwrap().pki().form_source(), None);
    assert_eq!(label_reads, 0);
}

fn kato_face() -> ScannedCardFace {
    ScannedCardFace {
        birth_date: CalendarDate::new(1999, 9, 9).unwrap(),
        expiry_year: 2035,
        security_code: "0000".into(),
    }
}

#[test]
fn phones_are_refused_in_every_flow_when_accept_smartphone_is_false() {
    for trust in [
        formless_trust(),
        TrustStore::test_only_mynacard_test_pki().unwrap(),
    ] {
        let pki = Pki::with_trust(trust, no_phones());
        let flows: Vec<(Box<dyn Flow>, Vec<Reply>)> = vec![
            (
                Box::new(CardPinFlow::new(facility(), challenge(), pki.check())),
                pin_then_consents("8642"),
            ),
            (
                Box::new(CardFaceFlow::new(
                    facility(),
                    challenge(),
                    pki.check(),
                    kato_face(),
                )),
                {
                    let mut r = vec![Reply::Choice(Choice::Pin)];
                    r.extend(pin_then_consents("8642"));
                    r
                },
            ),
            (
                Box::new(SmartphoneFlow::new(facility(), challenge(), pki.check())),
                vec![Reply::Yes, Reply::Yes, Reply::Yes, Reply::Yes],
            ),
        ];
        for (mut flow, replies) in flows {
            let card = VirtualCard::test_holder("kato").unwrap();
            let (result, _) = run(card, flow.as_mut(), replies);
            assert!(
                matches!(
                    result,
                    Err(FlowError::Verification(PkiError::KindNotAccepted { .. }))
                ),
                "{result:?}"
            );
        }
    }
}

#[test]
fn phone_certificate_in_the_card_flow_is_not_a_card_visit() {
    let pki = Pki::with_trust(
        TrustStore::test_only_mynacard_test_pki().unwrap(),
        RelyingPartyPolicy::strict(),
    );
    let mut flow = CardPinFlow::new(facility(), challenge(), pki.check());
    let card = VirtualCard::test_holder("kato").unwrap();
    let (result, _) = run(card, &mut flow, pin_then_consents("8642"));
    let out = result.unwrap();
    assert_eq!(out.method, Method::SmartphoneIphone);
    // A verified card or phone makes no request: the terminal writes the face
    // result, which the hospital system matches as a smartphone visit.
    assert!(out.request.is_none());
    assert_eq!(
        out.face_match.unwrap().method,
        VerificationMethod::Smartphone
    );
}
