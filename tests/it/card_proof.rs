//! Issue 21.1: a card's grace rests on a proof of a card, not on the token's label.
//!
//! The proof (`mynacard::card::CardProofEvidence`): GET DATA `00F8` at the MF verified under
//! a J-LIS CV CA key of the MF family, `7F21` under `00F8`'s subject key, and INTERNAL
//! AUTHENTICATE (共通AP key `0019`) over the presentation's own challenge under the key the
//! chain certifies. Here against the virtual card (TEST CV CA `6900020`).

#![cfg(feature = "virtual-card")]

use mynacard::card::{Card, CardProofError, CardProofEvidence, CvTrust, proof_commands};
use mynacard::exchange::Exchange;
use mynacard::pki::{
    self, CrlIndex, CrlLimits, Form, FormSource, PkiError, Presentation, ProvenCard,
    RelyingPartyPolicy,
};
use mynacard::virtual_card::VirtualCard;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};

const CHALLENGE: &[u8] = b"mynacard TEST challenge for issue 21.1";

use crate::common::pki::{data, formless_store};

/// The card's answers to the proof's five commands, over `challenge`.
fn evidence_of(card: VirtualCard, challenge: &[u8]) -> Result<CardProofEvidence, u16> {
    let mut ex = Exchange::new(card);
    let extended = ex.capabilities().extended;
    let [isd, upper, lower, common, authenticate] =
        proof_commands(challenge, extended).expect("challenge length");
    let mut data = Vec::new();
    for cmd in [isd, upper, lower, common, authenticate] {
        let r = ex.transmit(&cmd).expect("link");
        if !r.status().is_ok() {
            return Err(r.status().to_u16());
        }
        data.push(r.data().to_vec());
    }
    Ok(CardProofEvidence::new(
        data[1].clone(),
        Some(data[2].clone()),
        data[4].clone(),
    ))
}

fn signed(holder: &str, challenge: &[u8]) -> Vec<u8> {
    let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(&data(&format!("{holder}_auth.key.der")))
        .expect("key");
    key.sign(challenge).to_vec()
}

fn present(
    cert: &[u8],
    signature: &[u8],
    label: Option<Form>,
    proven: Option<&ProvenCard>,
    policy: &RelyingPartyPolicy,
) -> Result<pki::VerifiedIdentity, PkiError> {
    let store = formless_store();
    let crl =
        CrlIndex::from_der(&data("auth_ca.crl.der"), &store, CrlLimits::default()).expect("CRL");
    let mut p = Presentation::new(cert, CHALLENGE, signature);
    p.token_form = label;
    p.proven_card = proven;
    pki::verify_presentation(&p, &store, &crl, policy, pki::test_pki::REFERENCE_TIME)
}

#[test]
fn an_expired_phone_certificate_on_a_token_labelled_card_gets_expired() {
    // watanabe's certificate expired 2026-04-15, inside a 3-month grace; the token says
    // "card" and nothing proves it: the grace needs a proof, so it is refused.
    let cert = data("watanabe_auth.der");
    let sig = signed("watanabe", CHALLENGE);
    let medical = RelyingPartyPolicy::medical_eligibility();
    let r = present(&cert, &sig, Some(Form::Card), None, &medical);
    assert!(matches!(r, Err(PkiError::Expired { .. })), "{r:?}");
    // Nothing read at all: the caller is told the form is needed (and may prove it).
    let r = present(&cert, &sig, None, None, &medical);
    assert_eq!(r.map(|_| ()), Err(PkiError::FormNotEstablished));
    // A label saying "card" does not pass `accept_smartphone = false` either.
    let mut no_phones = RelyingPartyPolicy::strict();
    no_phones.accept_smartphone = false;
    let r = present(
        &data("yamada_auth.der"),
        &signed("yamada", CHALLENGE),
        Some(Form::Card),
        None,
        &no_phones,
    );
    assert_eq!(r.map(|_| ()), Err(PkiError::FormNotEstablished));
    // The named opt-in believes the label (its documented risk).
    let mut label_grace = medical;
    label_grace.trust_token_label = true;
    let id = present(&cert, &sig, Some(Form::Card), None, &label_grace).expect("opt-in");
    assert_eq!(id.form_source(), Some(FormSource::TokenLabel));
}

#[test]
fn a_genuine_card_in_grace_passes_with_its_proof() {
    let card = VirtualCard::test_holder("watanabe").expect("card");
    let evidence = evidence_of(card, CHALLENGE).expect("a card answers the proof");
    let proven = evidence
        .verify(&CvTrust::test_only(), CHALLENGE)
        .expect("the chain and the signature verify");
    assert_eq!(proven.root(), "6900020");
    let id = present(
        &data("watanabe_auth.der"),
        &signed("watanabe", CHALLENGE),
        Some(Form::Card),
        Some(&proven),
        &RelyingPartyPolicy::medical_eligibility(),
    )
    .expect("card in grace");
    assert_eq!(
        (id.form(), id.form_source(), id.grace().map(|g| g.months)),
        (Some(Form::Card), Some(FormSource::CardProof), Some(3))
    );
    // A production CV trust does not hold the TEST root: no proof.
    assert_eq!(
        evidence.verify(&CvTrust::jlis_production(), CHALLENGE),
        Err(CardProofError::UnknownRoot)
    );
}

#[test]
fn a_proof_is_bound_to_the_presentations_challenge() {
    let card = VirtualCard::test_holder("watanabe").expect("card");
    let other = b"a challenge of another session";
    let proven = evidence_of(card, other)
        .expect("proof")
        .verify(&CvTrust::test_only(), other)
        .expect("verifies over its own challenge");
    let r = present(
        &data("watanabe_auth.der"),
        &signed("watanabe", CHALLENGE),
        Some(Form::Card),
        Some(&proven),
        &RelyingPartyPolicy::medical_eligibility(),
    );
    assert_eq!(r.map(|_| ()), Err(PkiError::CardProofMismatch));
}

#[test]
fn a_relayed_or_forged_chain_fails() {
    let card = VirtualCard::test_holder("yamada").expect("card");
    let real = evidence_of(card.clone(), CHALLENGE).expect("proof");
    let trust = CvTrust::test_only();
    let (upper, lower) = {
        let mut ex = Card::new(card);
        (
            ex.get_mf_data(0x00F8).expect("00F8"),
            ex.get_mf_data(0x7F21).expect("7F21"),
        )
    };
    // Relayed: a real card's chain, but the INTERNAL AUTHENTICATE answered by another key (a
    // phone's, here its auth key signing the challenge the same way).
    let relayed = CardProofEvidence::new(
        upper.clone(),
        Some(lower.clone()),
        signed("kato", CHALLENGE),
    );
    assert_eq!(
        relayed.verify(&trust, CHALLENGE),
        Err(CardProofError::Authentication)
    );
    // Replayed: the card's answer to another challenge.
    assert_eq!(
        real.verify(&trust, b"another challenge"),
        Err(CardProofError::Authentication)
    );
    // Forged 00F8: one bit of the certified key changed.
    let mut forged = upper.clone();
    let last = forged.len() - 300;
    forged[last] ^= 0x01;
    let forged_proof =
        CardProofEvidence::new(forged, Some(lower.clone()), signed("kato", CHALLENGE));
    assert_eq!(
        forged_proof.verify(&trust, CHALLENGE),
        Err(CardProofError::Signature { which: "00F8" })
    );
    // A chain rooted at a CV CA key outside the MF family (a 券面 AP's EF 0004 certificate).
    let kenkaku_cv = VirtualCard::test_holder("yamada")
        .expect("card")
        .file_content(mynacard::virtual_card::CardApplication::Kenkaku, 0x0004)
        .expect("EF 0004")
        .to_vec();
    let wrong_root = CardProofEvidence::new(kenkaku_cv, None, signed("kato", CHALLENGE));
    assert_eq!(
        wrong_root.verify(&trust, CHALLENGE),
        Err(CardProofError::UnknownRoot)
    );
    // 7F21 of another chain: the links do not meet.
    let mut other_lower = lower;
    other_lower[17] ^= 0x01;
    let broken =
        CardProofEvidence::new(upper.clone(), Some(other_lower), signed("kato", CHALLENGE));
    assert_eq!(
        broken.verify(&trust, CHALLENGE),
        Err(CardProofError::BrokenChain)
    );
    // Bytes that are no chain at all.
    let junk = CardProofEvidence::new(vec![0x5F, 0x4E, 0x01], None, Vec::new());
    assert!(matches!(
        junk.verify(&trust, CHALLENGE),
        Err(CardProofError::Malformed { which: "00F8" })
    ));
}

#[test]
fn phones_cannot_answer_the_proof() {
    for holder in ["ito", "kato"] {
        let phone = VirtualCard::test_holder(holder).expect("phone");
        // No Issuer Security Domain, no MF-level CV chain, no 共通AP.
        assert_eq!(
            evidence_of(phone, CHALLENGE).unwrap_err(),
            0x6A82,
            "{holder}"
        );
    }
}

#[test]
fn a_short_only_link_cannot_carry_the_proof() {
    let mut options = mynacard::virtual_card::VirtualCardOptions::default();
    options.capabilities = mynacard::transport::LinkCapabilities::SHORT;
    let card = VirtualCard::test_holder_with("watanabe", options).expect("card");
    // 00F8 is 561 bytes: a short Le is answered 6700.
    assert_eq!(evidence_of(card, CHALLENGE).unwrap_err(), 0x6700);
}
