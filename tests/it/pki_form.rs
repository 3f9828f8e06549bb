//! Issue 11.2 / 21.1: the card's grace and `accept_smartphone` are decided on an
//! *established* form — stated by the certificate's policy, or proven by the card
//! (`tests/it/card_proof.rs`); the token's EF 0006 label only where it costs the holder (a phone's
//! admission) or under the policy's named opt-in — never on a guess. No form, no grace.

use mynacard::pki::{
    self, CrlIndex, CrlLimits, CrlSet, Form, FormSource, PkiError, Presentation,
    RelyingPartyPolicy, TrustStore, UnixTime,
};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};

const T: UnixTime = pki::test_pki::REFERENCE_TIME;
const CHALLENGE: &[u8] = b"mynacard TEST challenge 0002";

use crate::common::pki::{data, formless_store};

fn crls(store: &TrustStore) -> CrlSet {
    let mut set = CrlSet::new();
    set.insert(
        CrlIndex::from_der(&data("auth_ca.crl.der"), store, CrlLimits::default()).expect("CRL"),
    );
    set
}

fn present(
    holder: &str,
    store: &TrustStore,
    token_form: Option<Form>,
    policy: &RelyingPartyPolicy,
) -> Result<pki::VerifiedIdentity, PkiError> {
    let cert = data(&format!("{holder}_auth.der"));
    let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(&data(&format!("{holder}_auth.key.der")))
        .expect("key");
    let sig = key.sign(CHALLENGE).to_vec();
    let mut p = Presentation::new(&cert, CHALLENGE, &sig);
    p.token_form = token_form;
    pki::verify_presentation(&p, store, &crls(store), policy, T)
}

#[test]
fn expired_certificate_without_an_established_form_gets_no_grace() {
    // watanabe's card certificate expired 2026-04-15: inside a 3-month grace, but nothing
    // (neither policy nor token label) says it is a card.
    let s = formless_store();
    let r = present(
        "watanabe",
        &s,
        None,
        &RelyingPartyPolicy::medical_eligibility(),
    );
    assert_eq!(r.map(|_| ()), Err(PkiError::FormNotEstablished));
}

#[test]
fn expired_phone_certificate_read_as_a_phone_gets_no_grace() {
    // A phone's certificate whose policy states no form, held to a card reader: the flow reads
    // the token label (a phone's) and the grace is refused.
    let s = formless_store();
    let (der, key) = expired_recently("phone_like");
    let sig = SigningKey::<sha2::Sha256>::new(key)
        .sign(CHALLENGE)
        .to_vec();
    let mut p = Presentation::new(&der, CHALLENGE, &sig);
    p.token_form = Some(Form::Smartphone);
    let r = pki::verify_presentation(
        &p,
        &s,
        &crls(&s),
        &RelyingPartyPolicy::medical_eligibility(),
        T,
    );
    assert!(matches!(r, Err(PkiError::Expired { .. })), "{r:?}");
    p.token_form = None;
    let r = pki::verify_presentation(
        &p,
        &s,
        &crls(&s),
        &RelyingPartyPolicy::medical_eligibility(),
        T,
    );
    assert_eq!(r.map(|_| ()), Err(PkiError::FormNotEstablished));
}

#[test]
fn card_in_grace_is_accepted_with_the_form_source_recorded() {
    let s = formless_store();
    // A label saying "card" is the token's word: no grace on it by default…
    let r = present(
        "watanabe",
        &s,
        Some(Form::Card),
        &RelyingPartyPolicy::medical_eligibility(),
    );
    assert!(matches!(r, Err(PkiError::Expired { .. })), "{r:?}");
    // …only under the named opt-in (the card proof is `tests/it/card_proof.rs`).
    let mut label_grace = RelyingPartyPolicy::medical_eligibility();
    label_grace.trust_token_label = true;
    let id = present("watanabe", &s, Some(Form::Card), &label_grace).expect("card in grace");
    assert_eq!(
        (id.form(), id.form_source(), id.grace().map(|g| g.months)),
        (Some(Form::Card), Some(FormSource::TokenLabel), Some(3))
    );
    // The TEST table states the form: the certificate establishes it, whatever the label.
    let s = TrustStore::test_only_mynacard_test_pki().expect("store");
    let id = present(
        "watanabe",
        &s,
        None,
        &RelyingPartyPolicy::medical_eligibility(),
    )
    .expect("card in grace");
    assert_eq!(
        (id.form(), id.form_source()),
        (Some(Form::Card), Some(FormSource::Certificate))
    );
}

#[test]
fn refusing_phones_needs_an_established_form() {
    let no_phones = RelyingPartyPolicy {
        accept_smartphone: false,
        ..RelyingPartyPolicy::strict()
    };
    let s = formless_store();
    // kato is a phone; nothing establishes it: refused as not established, not let through.
    assert_eq!(
        present("kato", &s, None, &no_phones).map(|_| ()),
        Err(PkiError::FormNotEstablished)
    );
    assert_eq!(
        present("kato", &s, Some(Form::Smartphone), &no_phones).map(|_| ()),
        Err(PkiError::KindNotAccepted {
            detail: "smartphone certificates".into()
        })
    );
    // The certificate says phone: a card label cannot override it.
    let s = TrustStore::test_only_mynacard_test_pki().expect("store");
    assert_eq!(
        present("kato", &s, Some(Form::Card), &no_phones).map(|_| ()),
        Err(PkiError::KindNotAccepted {
            detail: "smartphone certificates".into()
        })
    );
    // A label saying "card" is not enough to pass: the form is not established…
    assert_eq!(
        present("yamada", &formless_store(), Some(Form::Card), &no_phones).map(|_| ()),
        Err(PkiError::FormNotEstablished)
    );
    // …unless the policy opts into the label (its documented risk).
    let mut label = no_phones;
    label.trust_token_label = true;
    let id = present("yamada", &formless_store(), Some(Form::Card), &label).expect("card");
    assert_eq!(id.form_source(), Some(FormSource::TokenLabel));
}

#[test]
fn a_valid_certificate_needs_no_form_under_a_policy_that_does_not_ask() {
    let s = formless_store();
    let id = present("yamada", &s, None, &RelyingPartyPolicy::strict()).expect("valid");
    assert_eq!((id.form(), id.form_source()), (None, None));
}

/// A TEST auth certificate under the card policy OID that expired 2026-04-15.
fn expired_recently(label: &str) -> (Vec<u8>, rsa::PrivateKey) {
    let validity =
        crate::common::gen_test_pki::validity((2021, 4, 16), (2026, 4, 15)).expect("validity");
    crate::common::pki::auth_leaf(label, &[0x55, 0x02], validity, Vec::new())
}
