//! The employer intake from an iPhone's カード代替電磁的記録 (mdoc) against the virtual iPhone:
//! the record and its evidence as `examples/employer_iphone.rs` prints them, each refusal with
//! its own error, and the clinic's identity check that never reads the 個人番号.
#![cfg(feature = "virtual-card")]

use mynacard::employer::{
    EmployeeIdentityRecord, IntakeCheck, IntakeError, MdocIdentityBasis, MdocIntake,
    PortraitComparison,
};
use mynacard::flows::MdocIdentityCheck;
use mynacard::mdoc::{DeviceAuthKind, DeviceEngagement, Handover, IssuerAnchors, MdocError};
use mynacard::person::Sex;
use mynacard::pki::{NotCheckedReason, RevocationStatus, UnixTime};
use mynacard::virtual_card::iphone::{IphoneOptions, VirtualIphone, test_iaca_der};

/// 2026-12-06T00:00:00Z.
const NOW: UnixTime = UnixTime::from_secs(1_796_515_200);
/// The TEST MSO's validity: 2026-01-01T00:00:00Z … 2027-12-31T23:59:59Z.
const MSO_FROM: u64 = 1_767_225_600;
const MSO_UNTIL: u64 = 1_830_297_599;

fn anchors() -> IssuerAnchors {
    IssuerAnchors::from_der(&[&test_iaca_der().expect("iaca")]).expect("anchors")
}

fn phone(options: IphoneOptions) -> VirtualIphone {
    VirtualIphone::test_holder("yamada", [0x42; 32], options).expect("phone")
}

/// The intake up to the portrait comparison.
fn intake(
    options: IphoneOptions,
    basis: MdocIdentityBasis,
    anchors: &IssuerAnchors,
    time: UnixTime,
    comparison: PortraitComparison,
) -> Result<EmployeeIdentityRecord, IntakeError> {
    let mut p = phone(options);
    let engagement = DeviceEngagement::from_qr_uri(&p.qr_uri()).expect("engagement");
    let (intake, establishment) =
        MdocIntake::start(&engagement, &Handover::Qr, &[0x07; 32], None, basis)?;
    let answer = p.handle(&establishment).expect("holder answers");
    let check = intake.receive(&answer, anchors, time)?;
    assert!(check.portrait().starts_with(b"\x89PNG"), "portrait shown");
    check.complete(comparison)
}

fn ok(options: IphoneOptions) -> EmployeeIdentityRecord {
    intake(
        options,
        MdocIdentityBasis::default(),
        &anchors(),
        NOW,
        PortraitComparison::Matches,
    )
    .expect("record")
}

#[test]
fn iphone_intake_gives_the_card_paths_record_with_mdoc_evidence() {
    let record = ok(IphoneOptions::default());
    assert_eq!(record.my_number().expose_digits(), b"123456789018");
    assert_eq!(record.name(), "山田　太郎");
    assert_eq!(record.address(), "東京都千代田区霞が関２－１－２");
    assert_eq!(record.birth_date().to_string(), "1990-04-01");
    assert_eq!(record.sex(), Sex::Male);
    assert_eq!(record.kana(), None);

    let ev = record.evidence();
    assert_eq!(
        ev.checks_passed(),
        [
            IntakeCheck::MdocIssuerSignature,
            IntakeCheck::MdocValidity,
            IntakeCheck::MdocDigests,
            IntakeCheck::MdocDeviceAuthentication,
            IntakeCheck::PortraitCompared,
        ]
    );
    assert_eq!(
        ev.certificate_issuer(),
        "CN=mynacard TEST IACA,O=mynacard TEST,C=JP"
    );
    assert_eq!(ev.anchor(), ev.certificate_issuer());
    assert_eq!(ev.certificate_serial(), [2]);
    assert_eq!(
        ev.revocation(),
        &RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoSource
        }
    );
    assert_eq!(ev.cv_ca_key(), None);
    assert_eq!(ev.time(), NOW);
    let m = ev.mdoc().expect("mdoc evidence");
    assert_eq!(
        m.document_signer_subject(),
        "CN=mynacard TEST document signer,O=mynacard TEST,C=JP"
    );
    let ds = mynacard::pki::Certificate::from_der(m.document_signer_der()).expect("DS");
    assert_eq!(ds.serial(), [2]);
    assert_eq!(m.issuer_algorithm_name(), "ES256");
    assert_eq!(m.signed().as_secs(), MSO_FROM);
    assert_eq!(m.valid_from().as_secs(), MSO_FROM);
    assert_eq!(m.valid_until().as_secs(), MSO_UNTIL);
    assert_eq!(m.device_auth(), DeviceAuthKind::Signature);
    assert_eq!(m.basis(), MdocIdentityBasis::PortraitComparedByEmployer);
    assert!(m.portrait_compared());

    // Debug redacts; the named serializer discloses the number and the mdoc evidence, never
    // the portrait.
    let dbg = format!("{record:?}");
    assert!(!dbg.contains("123456789018") && !dbg.contains("山田") && !dbg.contains("1990"));
    assert!(dbg.contains("device_auth: Signature"), "{dbg}");
    let mut json = Vec::new();
    record
        .serialize_disclosing_my_number(&mut serde_json::Serializer::new(&mut json))
        .expect("json");
    let v: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(v["my_number"], "123456789018");
    assert_eq!(v["evidence"]["mdoc"]["device_auth"], "signature");
    assert_eq!(v["evidence"]["mdoc"]["valid_until"], MSO_UNTIL);
    assert_eq!(v["evidence"]["mdoc"]["issuer_algorithm"], "ES256");
    assert_eq!(
        v["evidence"]["checks_passed"][0],
        "number.mdoc_issuer_signature"
    );
    // The whole mdoc block and the record's members: no portrait anywhere.
    assert_eq!(
        v["evidence"]["mdoc"],
        serde_json::json!({
            "document_signer_subject": "CN=mynacard TEST document signer,O=mynacard TEST,C=JP",
            "issuer_algorithm": "ES256",
            "signed": MSO_FROM,
            "valid_from": MSO_FROM,
            "valid_until": MSO_UNTIL,
            "device_auth": "signature",
            "basis": "portrait_compared_by_employer",
            "portrait_compared": true,
        })
    );
    let mut members: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    members.sort_unstable();
    assert_eq!(
        members,
        [
            "address",
            "birth_date",
            "evidence",
            "kana",
            "my_number",
            "name",
            "sex"
        ]
    );
    // For schema/employer-record.json (validated with the other bindings' outputs by
    // .ci/ffi.sh).
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("json-contract");
    std::fs::create_dir_all(&dir).expect("contract dir");
    std::fs::write(dir.join("employer_mdoc.employer-record.json"), &json).expect("written");
}

#[test]
fn device_mac_is_recorded_as_such() {
    let record = ok(IphoneOptions {
        device_mac: true,
        ..IphoneOptions::default()
    });
    let m = record.evidence().mdoc().expect("mdoc");
    assert_eq!(m.device_auth(), DeviceAuthKind::Mac);
}

#[test]
fn the_portrait_comparison_decides_per_the_configured_basis() {
    let run =
        |basis, comparison| intake(IphoneOptions::default(), basis, &anchors(), NOW, comparison);
    let e = run(
        MdocIdentityBasis::default(),
        PortraitComparison::DoesNotMatch,
    )
    .unwrap_err();
    assert_eq!(e, IntakeError::PortraitMismatch);
    assert_eq!(e.code(), "employer.portrait_mismatch");
    let e = run(MdocIdentityBasis::default(), PortraitComparison::NotMade).unwrap_err();
    assert_eq!(e, IntakeError::PortraitNotCompared);
    // Device authentication alone: no comparison, no PortraitCompared check; a mismatch
    // still refuses.
    let r = run(
        MdocIdentityBasis::DeviceAuthentication,
        PortraitComparison::NotMade,
    )
    .expect("record");
    assert_eq!(
        r.evidence().checks_passed().last(),
        Some(&IntakeCheck::MdocDeviceAuthentication)
    );
    let m = r.evidence().mdoc().expect("mdoc");
    assert_eq!(m.basis(), MdocIdentityBasis::DeviceAuthentication);
    assert!(!m.portrait_compared());
    assert_eq!(
        run(
            MdocIdentityBasis::DeviceAuthentication,
            PortraitComparison::DoesNotMatch
        )
        .unwrap_err(),
        IntakeError::PortraitMismatch
    );
}

#[test]
fn mdoc_failures_end_the_intake_each_with_its_own_error() {
    let basis = MdocIdentityBasis::default();
    let matches = PortraitComparison::Matches;
    // An issuer the employer did not configure.
    let other = IssuerAnchors::from_der(&[include_bytes!(
        "../../crates/mynacard-virtual-card/data/pki/auth_ca.der"
    )])
    .expect("anchors");
    let e = intake(IphoneOptions::default(), basis, &other, NOW, matches).unwrap_err();
    assert_eq!(e, IntakeError::Mdoc(MdocError::UnknownIssuer));
    assert_eq!(e.code(), "employer.mdoc");
    // The MSO has expired (2028-06-01; the DS certificate is still valid).
    let later = UnixTime::from_secs(1_843_430_400);
    let e = intake(IphoneOptions::default(), basis, &anchors(), later, matches).unwrap_err();
    assert_eq!(
        e,
        IntakeError::Mdoc(MdocError::MsoValidity { which: "expired" })
    );
    // A device key that is not the MSO's.
    let hostile = IphoneOptions {
        foreign_device_key: true,
        ..IphoneOptions::default()
    };
    let e = intake(hostile, basis, &anchors(), NOW, matches).unwrap_err();
    assert_eq!(e, IntakeError::Mdoc(MdocError::DeviceSignature));
    // A holder that discloses more than asked (birth_date_unicode).
    let chatty = IphoneOptions {
        disclose_unasked: true,
        ..IphoneOptions::default()
    };
    let e = intake(chatty, basis, &anchors(), NOW, matches).unwrap_err();
    assert_eq!(
        e,
        IntakeError::Mdoc(MdocError::UnaskedElement {
            element: "birth_date_unicode"
        })
    );
    // No error shows a value.
    assert!(!e.to_string().contains("1990"));
}

#[test]
fn clinic_identity_check_never_reads_the_my_number() {
    use mynacard::mdoc::JpMncElement;
    assert!(!MdocIdentityCheck::ELEMENTS.contains(&JpMncElement::IndividualNumber));
    let check = |options| {
        let mut p = phone(options);
        let engagement = DeviceEngagement::from_qr_uri(&p.qr_uri()).expect("engagement");
        let (check, establishment) =
            MdocIdentityCheck::start(&engagement, &Handover::Qr, &[0x07; 32], None)?;
        check.finish(&p.handle(&establishment).expect("answer"), &anchors(), NOW)
    };
    let holder = check(IphoneOptions::default()).expect("verified");
    let person = holder.person();
    assert_eq!(person.name.as_str(), "山田　太郎");
    assert_eq!(person.address.as_str(), "東京都千代田区霞が関２－１－２");
    assert_eq!(person.birth_date.to_string(), "1990-04-01");
    assert_eq!(person.sex, Sex::Male);
    assert!(person.portrait.starts_with(b"\x89PNG"));
    assert_eq!(holder.evidence().device_auth, DeviceAuthKind::Signature);
    assert!(!format!("{holder:?}").contains("山田"));
    // A phone that sends the 個人番号 unasked: refused before anything is read (the first
    // unasked element in the holder's order is birth_date_unicode, then the number).
    let e = check(IphoneOptions {
        disclose_unasked: true,
        ..IphoneOptions::default()
    })
    .unwrap_err();
    assert_eq!(
        e,
        MdocError::UnaskedElement {
            element: "birth_date_unicode"
        }
    );
    assert_eq!(e.code(), "mdoc.unasked_element");
}
