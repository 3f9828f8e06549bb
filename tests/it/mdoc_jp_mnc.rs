//! The jp.mnc mdoc end to end against the virtual iPhone (a holder written independently in
//! `mynacard-virtual-card`): negotiated NFC handover with not-ready answers, session,
//! DeviceResponse verification to the TEST IACA, the typed result; then each attack fails with
//! its own error.
#![cfg(feature = "virtual-card")]

use mynacard::mdoc::handover::{HandoverStep, NdefRecord, NegotiatedHandover, encode_ndef};
use mynacard::mdoc::{
    self, DOC_TYPE_JP_MNC, DeviceAuthKind, DeviceEngagement, Handover, IssuerAnchors, JpMncElement,
    JpMncIdentity, MdocError, ReaderSession, SessionEvent, VerifiedDocument,
};
use mynacard::pki::UnixTime;
use mynacard::virtual_card::iphone::{IphoneOptions, VirtualIphone, test_iaca_der};

/// 2026-12-06T00:00:00Z.
const NOW: UnixTime = UnixTime::from_secs(1_796_515_200);
const ALL: [JpMncElement; 7] = [
    JpMncElement::FullName,
    JpMncElement::ResidentAddress,
    JpMncElement::BirthDate,
    JpMncElement::BirthDateUnicode,
    JpMncElement::Sex,
    JpMncElement::Portrait,
    JpMncElement::IndividualNumber,
];

fn phone(options: IphoneOptions) -> VirtualIphone {
    VirtualIphone::test_holder("yamada", [0x42; 32], options).expect("phone")
}

fn handover_request() -> Vec<u8> {
    encode_ndef(&[NdefRecord {
        tnf: 1,
        record_type: b"Hr",
        id: &[],
        payload: &[0x15],
    }])
}

/// Drives the negotiated handover; returns the engagement, the handover and the waits made.
fn negotiate(
    phone: &mut VirtualIphone,
    max_polls: u32,
) -> Result<(DeviceEngagement, Handover, u32), MdocError> {
    let (mut h, step) =
        NegotiatedHandover::start(&phone.nfc_read(), handover_request(), max_polls)?;
    let mut step = step;
    let mut waits = 0;
    loop {
        match step {
            HandoverStep::Write(m) => phone.nfc_write(&m).expect("write"),
            HandoverStep::WaitThenRead { millis } => {
                assert_eq!(millis, h.wait_millis());
                waits += 1;
            }
            _ => unreachable!(),
        }
        match h.on_read(&phone.nfc_read())? {
            Ok(next) => step = next,
            Err((e, ho)) => return Ok((e, ho, waits)),
        }
    }
}

fn exchange(phone: &mut VirtualIphone, asked: &[JpMncElement]) -> (ReaderSession, Vec<u8>) {
    let (engagement, handover, _) = negotiate(phone, 8).expect("handover");
    let mut session = ReaderSession::new(&engagement, &handover, &[0x07; 32]).expect("session");
    let request = mdoc::device_request(
        DOC_TYPE_JP_MNC,
        &JpMncElement::request(asked),
        session.transcript(),
        None,
    );
    let answer = phone
        .handle(&session.establish(&request).expect("establish"))
        .expect("holder answers");
    let SessionEvent::Data(plain) = session.receive(&answer).expect("decrypt") else {
        panic!("data expected")
    };
    (session, plain.to_vec())
}

fn anchors() -> IssuerAnchors {
    IssuerAnchors::from_der(&[&test_iaca_der().expect("iaca")]).expect("anchors")
}

fn verify(
    session: &ReaderSession,
    response: &[u8],
    time: UnixTime,
) -> Result<VerifiedDocument, MdocError> {
    mdoc::verify_device_response(response, DOC_TYPE_JP_MNC, session, &anchors(), time)
}

#[test]
fn iphone_jp_mnc_verified_and_typed() {
    let mut p = phone(IphoneOptions::default());
    let (session, response) = exchange(&mut p, &ALL);
    let doc = verify(&session, &response, NOW).expect("verified");
    assert_eq!(doc.evidence().device_auth, DeviceAuthKind::Signature);
    let id = JpMncIdentity::from_document(doc, &ALL).expect("typed");
    assert_eq!(
        id.full_name.as_deref().map(String::as_str),
        Some("山田　太郎")
    );
    assert_eq!(
        id.birth_date.map(|d| d.to_string()).as_deref(),
        Some("1990-04-01")
    );
    assert_eq!(
        id.birth_date_unicode.as_deref().map(String::as_str),
        Some("1990年4月1日")
    );
    assert_eq!(id.sex, Some(1));
    assert_eq!(
        id.my_number.as_ref().map(|n| n.expose_digits().to_vec()),
        Some(b"123456789018".to_vec())
    );
    assert!(
        id.portrait
            .as_ref()
            .is_some_and(|p| p.starts_with(b"\x89PNG"))
    );
    // Debug redacts; serde discloses only what the method names.
    let dbg = format!("{id:?}");
    assert!(!dbg.contains("山田") && !dbg.contains("123456789018") && !dbg.contains("1990"));
    let without = serde_json::to_string(&id.disclose(false)).expect("json");
    assert!(without.contains("山田") && !without.contains("123456789018"));
    let with = serde_json::to_string(&id.disclose(true)).expect("json");
    assert!(with.contains("123456789018") && !with.contains("portrait"));
}

#[test]
fn number_only_when_asked_and_mac_device_auth() {
    let asked = [JpMncElement::FullName, JpMncElement::BirthDate];
    let mut p = phone(IphoneOptions {
        device_mac: true,
        ..IphoneOptions::default()
    });
    let (session, response) = exchange(&mut p, &asked);
    let doc = verify(&session, &response, NOW).expect("verified");
    assert_eq!(doc.evidence().device_auth, DeviceAuthKind::Mac);
    assert!(
        doc.element(mdoc::NS_JP, "individual_number_unicode")
            .is_none()
    );
    let e = JpMncIdentity::from_document(doc, &[JpMncElement::IndividualNumber]).unwrap_err();
    assert_eq!(
        e,
        MdocError::ElementMissing {
            element: "individual_number_unicode"
        }
    );
}

#[test]
fn negotiated_handover_polls_within_its_bound() {
    let mut p = phone(IphoneOptions::default());
    let (_, handover, waits) = negotiate(&mut p, 8).expect("handover");
    assert_eq!(waits, 2, "two not-ready answers, each waited for");
    assert!(matches!(
        handover,
        Handover::Nfc {
            request: Some(_),
            ..
        }
    ));
    let Handover::Nfc { request, .. } = &handover else {
        panic!("NFC handover expected")
    };
    assert_eq!(request.as_deref(), Some(handover_request().as_slice()));
    let mut slow = phone(IphoneOptions {
        not_ready_reads: 10,
        ..IphoneOptions::default()
    });
    assert_eq!(
        negotiate(&mut slow, 3).unwrap_err(),
        MdocError::HandoverTimeout { polls: 3 }
    );
}

#[test]
fn engagement_reencoding_differs_and_raw_bytes_are_used() {
    let p = phone(IphoneOptions::default());
    let e = DeviceEngagement::from_qr_uri(&p.qr_uri()).expect("qr");
    assert_eq!(e.raw(), p.engagement());
    assert_eq!(e.version(), mdoc::EngagementVersion::V1_1);
    // The version text is in the two-byte length form: a canonical re-encoding is shorter.
    assert_eq!(&e.raw()[2..4], &[0x78, 0x03]);
    let s = ReaderSession::new(&e, &Handover::Qr, &[0x07; 32]).expect("session");
    let t = s.transcript().encoded();
    assert!(t.windows(e.raw().len()).any(|w| w == e.raw()));
    // The QR session decrypts against the holder (which hashes its own bytes).
    let mut p = phone(IphoneOptions::default());
    let mut s = ReaderSession::new(&e, &Handover::Qr, &[0x07; 32]).expect("session");
    let req = mdoc::device_request(
        DOC_TYPE_JP_MNC,
        &JpMncElement::request(&ALL[..1]),
        s.transcript(),
        None,
    );
    let answer = p
        .handle(&s.establish(&req).expect("establish"))
        .expect("answer");
    let SessionEvent::Data(plain) = s.receive(&answer).expect("decrypts") else {
        panic!()
    };
    verify(&s, &plain, NOW).expect("verified over the raw engagement");
}

#[test]
fn attacks_fail_each_with_its_own_error() {
    let mut p = phone(IphoneOptions::default());
    let (session, response) = exchange(&mut p, &ALL);
    // An altered element value (a byte of the name).
    let name = "山田".as_bytes();
    let at = response
        .windows(name.len())
        .position(|w| w == name)
        .expect("name");
    let mut altered = response.clone();
    altered[at + 2] ^= 1;
    let e = verify(&session, &altered, NOW).unwrap_err();
    assert!(
        matches!(
            e,
            MdocError::DigestMismatch {
                element: "full_name_unicode",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e,
        MdocError::DigestMismatch {
            element: "full_name_unicode",
            digest_id: 0
        }
    );
    // An MSO outside its window (2028-06-01; the DS certificate is still valid).
    let e = verify(&session, &response, UnixTime::from_secs(1_843_430_400)).unwrap_err();
    assert_eq!(e, MdocError::MsoValidity { which: "expired" });
    // A wrong docType.
    let e = mdoc::verify_device_response(&response, mdoc::DOC_TYPE_MDL, &session, &anchors(), NOW)
        .unwrap_err();
    assert_eq!(e, MdocError::DocTypeMismatch { which: "document" });
    // An issuer chain to an unknown IACA (the TEST JPKI CA is no mdoc issuer).
    let other =
        IssuerAnchors::from_der(&[mynacard::virtual_card::TEST_AUTH_CA_DER]).expect("anchor");
    let e = mdoc::verify_device_response(&response, DOC_TYPE_JP_MNC, &session, &other, NOW)
        .unwrap_err();
    assert_eq!(e, MdocError::UnknownIssuer);
    // A device key that is not the MSO's.
    let mut hostile = phone(IphoneOptions {
        foreign_device_key: true,
        ..IphoneOptions::default()
    });
    let (session, response) = exchange(&mut hostile, &ALL);
    assert_eq!(
        verify(&session, &response, NOW).unwrap_err(),
        MdocError::DeviceSignature
    );
}
