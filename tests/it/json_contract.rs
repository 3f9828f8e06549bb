//! One JSON contract (issue 26): the Rust serde output of every result that `schema/`
//! describes, written to `target/tmp/json-contract/<name>.<schema>.json` for `.ci/ffi.sh`,
//! whose bindings stage validates them — with the C programs' and Python's outputs — against
//! the published schemas (`crates/mynacard-py/tests/test_schema.py`, Python's `jsonschema`).
//! Here: every error round-trips through [`ErrorReport`], and a presentation through its wire
//! form to the same verified identity.

#![cfg(all(feature = "serde", feature = "virtual-card"))]

use std::path::PathBuf;

use mynacard::ErrorReport;
use mynacard::document::{self, CmsVerifyOptions, Content};
use mynacard::flows::{CardPinFlow, ConsentItem, FlowError, KeyProofChallenge};
use mynacard::pki::{
    CrlIndex, CrlLimits, CrlSet, OwnedPresentation, PkiError, RelyingPartyPolicy, TrustStore,
    test_pki,
};
use mynacard::relying_party::{ChallengeIssuer, RelyingParty, RelyingPartyError, testing};
use mynacard::runner::{NoCamera, Runner, UnattendedPatient};
use mynacard::virtual_card::VirtualCard;
use serde_json::Value;

use crate::common::reception::{TestPki, facility};

const PKI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/mynacard-virtual-card/data/pki/"
);
const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/document/");

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("json-contract");
    std::fs::create_dir_all(&dir).expect("output folder");
    dir
}

/// Writes `value` as `<name>.<schema>.json` and checks the schema file exists.
fn publish(name: &str, schema: &str, value: &Value) {
    let schema_file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(format!("{schema}.json"));
    let text = std::fs::read_to_string(&schema_file).expect("published schema");
    let parsed: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert!(
        parsed["$id"]
            .as_str()
            .is_some_and(|id| id.ends_with(&format!("/schema/{schema}.json")))
    );
    std::fs::write(
        out_dir().join(format!("{name}.{schema}.json")),
        serde_json::to_string_pretty(value).expect("json"),
    )
    .expect("write");
}

fn auth_crls(trust: &TrustStore) -> CrlSet {
    let mut set = CrlSet::new();
    set.insert(
        CrlIndex::from_file(format!("{PKI}auth_ca.crl.der"), trust, CrlLimits::default())
            .expect("CRL"),
    );
    set
}

fn server() -> RelyingParty<CrlSet> {
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let crls = auth_crls(&trust);
    RelyingParty::new(
        trust,
        crls,
        RelyingPartyPolicy::strict(),
        ChallengeIssuer::new(300).expect("issuer"),
    )
}

#[test]
fn a_presentation_travels_as_json_and_verifies_to_the_same_identity() {
    let now = test_pki::REFERENCE_TIME;
    let (direct, wired) = (server(), server());
    let issued = [
        direct.challenges().issue(now).expect("challenge"),
        wired.challenges().issue(now).expect("challenge"),
    ];
    let [a, b] = issued.map(|c| testing::present("yamada", c.bytes()).expect("presented"));
    let identity = direct.verify(&a.presentation(), now).expect("verified");

    // The client's JSON, as a server receives it.
    let json = serde_json::to_value(b.presentation()).expect("json");
    publish("presentation", "presentation", &json);
    let received: OwnedPresentation = serde_json::from_value(json.clone()).expect("parses");
    let over_the_wire = wired
        .verify(&received.presentation(), now)
        .expect("verified");
    assert_eq!(over_the_wire.serial(), identity.serial());
    assert_eq!(serde_json::to_value(&received).expect("json"), json);

    let identity = serde_json::to_value(&over_the_wire).expect("json");
    assert_eq!(identity["revocation"]["source"], "crl");
    publish("identity", "verified-identity", &identity);

    // The same presentation again: the error's JSON.
    let replay = wired
        .verify(&received.presentation(), now)
        .expect_err("replay");
    assert!(matches!(replay, RelyingPartyError::UnknownChallenge));
    publish(
        "replay",
        "error",
        &serde_json::to_value(&replay).expect("json"),
    );
}

/// Serialises `e`, reads it back as an [`ErrorReport`], and checks nothing was lost or added.
fn round_trip<E: serde::Serialize + std::fmt::Display>(name: &str, e: &E, code: &str) {
    let json = serde_json::to_value(e).expect("json");
    let report: ErrorReport = serde_json::from_value(json.clone()).expect("an error report");
    assert_eq!(report.code, code, "{name}");
    assert_eq!(report.message, e.to_string(), "{name}");
    assert_eq!(serde_json::to_value(&report).expect("json"), json, "{name}");
    publish(name, "error", &json);
}

#[test]
fn every_error_type_round_trips_through_its_report() {
    use mynacard::card::{CardError, CvChainError, KeyRef, PinError};
    use mynacard::date::DateError;
    use mynacard::document::DocumentError;
    use mynacard::mdoc::MdocError;

    round_trip(
        "pki",
        &PkiError::FormNotEstablished,
        "pki.form_not_established",
    );
    round_trip(
        "exchange",
        &mynacard::ExchangeError::GetResponseWithoutData,
        "exchange.get_response_without_data",
    );
    round_trip(
        "card",
        &CardError::from(PinError::WrongPin {
            key: KeyRef::JpkiAuthPin,
            remaining: 2,
        }),
        "card.pin.wrong",
    );
    round_trip(
        "cv_chain",
        &CvChainError::RecordDigest,
        "card.cv_chain.record_digest",
    );
    round_trip(
        "document",
        &DocumentError::MessageDigestMismatch,
        "document.message_digest_mismatch",
    );
    round_trip("mdoc", &MdocError::SessionEnded, "mdoc.session_ended");
    round_trip(
        "relying_party",
        &RelyingPartyError::UnknownChallenge,
        "relying_party.challenge_unknown",
    );
    round_trip(
        "date",
        &DateError::BeforeUnixEpoch,
        "date.before_unix_epoch",
    );
    round_trip(
        "employer",
        &mynacard::employer::IntakeError::LastTryDeclined,
        "employer.last_try_declined",
    );
    round_trip(
        "echo",
        &mynacard::eligibility::EchoMismatch {
            element: "MedicalInstitutionCode",
        },
        "eligibility.echo_mismatch",
    );
    let missing = CrlIndex::from_file(
        format!("{PKI}no_such.crl.der"),
        &TrustStore::test_only_mynacard_test_pki().expect("store"),
        CrlLimits::default(),
    )
    .expect_err("no file");
    round_trip("crl_file", &missing, "pki.crl_file.read");
    let eligibility = mynacard::eligibility::parse_result(b"<not xml").expect_err("malformed");
    round_trip("eligibility", &eligibility, "eligibility.xml");

    // A flow's error carries its guidance too.
    let json = serde_json::to_value(FlowError::PinBlocked).expect("json");
    let report: ErrorReport = serde_json::from_value(json.clone()).expect("report");
    assert_eq!(report.guidance.as_deref(), Some("card.pin.blocked"));
    assert_eq!(serde_json::to_value(&report).expect("json"), json);
    publish("flow", "error", &json);
}

#[test]
fn a_reception_outcome_and_signed_documents_are_published() {
    let pki = TestPki::new(RelyingPartyPolicy::strict());
    let mut flow = CardPinFlow::new(facility(), KeyProofChallenge::new([1; 32]), pki.check());
    let trust = TrustStore::test_only_mynacard_test_pki().expect("store");
    let mut runner = Runner::new(VirtualCard::test_holder("yamada").expect("card"));
    let mut patient = UnattendedPatient::with_pin("1234").consenting(&[ConsentItem::Medication]);
    let outcome = runner
        .run(&mut flow, &mut patient, &mut NoCamera)
        .expect("outcome");
    let json = serde_json::to_value(&outcome).expect("json");
    assert_eq!(json["identity"]["revocation"]["source"], "crl");
    publish("outcome", "reception-outcome", &json);

    let mut sign = CrlSet::new();
    sign.insert(
        CrlIndex::from_file(
            format!("{PKI}sign_ca.crl.der"),
            &trust,
            CrlLimits::default(),
        )
        .expect("CRL"),
    );
    let read = |f: &str| std::fs::read(format!("{DOCS}{f}")).expect("fixture");
    let options = CmsVerifyOptions::strict();
    let signed = document::verify_cms(
        &read("yamada_detached.p7s"),
        Content::Detached(&read("contract.txt")),
        &trust,
        &sign,
        &options,
        test_pki::REFERENCE_TIME,
    )
    .expect("verified");
    let json = signed
        .serialize_disclosing_attributes(serde_json::value::Serializer)
        .expect("json");
    publish("cms", "signed-document", &json);
    let report = document::verify_pdf(
        &read("yamada_signed.pdf"),
        &trust,
        &sign,
        &options,
        test_pki::REFERENCE_TIME,
    )
    .expect("a PDF");
    let json = report
        .serialize_disclosing_attributes(serde_json::value::Serializer)
        .expect("json");
    assert_eq!(json["verdict"]["code"], "signed");
    publish("pdf", "pdf-report", &json);
}
