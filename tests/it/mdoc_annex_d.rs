//! ISO/IEC 18013-5 Annex D end to end, on the example values in
//! `../shared/data/iso18013-5-annex-d/` (read at test time, never copied): session keys, the
//! request and the response, reader authentication, issuer authentication, deviceMac and every
//! digest; then each tampering fails with its own error.

use std::path::PathBuf;

use mynacard::mdoc::{
    self, DeviceAuthKind, DeviceEngagement, Handover, IssuerAnchors, MdocError, ReaderSession,
    SessionEvent, cbor,
};
use mynacard::pki::UnixTime;
use mynacard::pki::backend::RustCrypto;

fn dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/iso18013-5-annex-d"
    ))
}

fn hex(name: &str) -> Option<Vec<u8>> {
    let text = std::fs::read_to_string(dir().join(name)).ok()?;
    let t = text.trim();
    (0..t.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&t[i..i + 2], 16).ok())
        .collect()
}

const MDL: &str = "org.iso.18013.5.1.mDL";
/// 2021-01-01T00:00:00Z: inside the DS certificate's and the MSO's validity.
const INSIDE: UnixTime = UnixTime::from_secs(1_609_459_200);

struct Example {
    engagement: DeviceEngagement,
    handover: Handover,
    reader_d: [u8; 32],
    transcript_bytes: Vec<u8>,
    device_request: Vec<u8>,
    session_establishment: Vec<u8>,
    session_data: Vec<u8>,
    device_response: Vec<u8>,
    ds_cert: Vec<u8>,
    reader_cert: Vec<u8>,
    portrait: Vec<u8>,
}

/// The handover as the example's SessionTranscript carries it.
fn handover_of(transcript_bytes: &[u8]) -> Handover {
    let outer = cbor::decode(transcript_bytes).expect("transcript");
    let inner = cbor::decode(outer.tag24("SessionTranscriptBytes").expect("tag24")).expect("inner");
    let items = inner.array("SessionTranscript").expect("array");
    match &items[2].value {
        cbor::Value::Null => Handover::Qr,
        cbor::Value::Array(a) => Handover::Nfc {
            select: a[0].bytes("select").expect("select").to_vec(),
            request: match a[1].value {
                cbor::Value::Bytes(b) => Some(b.to_vec()),
                _ => None,
            },
        },
        _ => panic!("unexpected handover"),
    }
}

fn load() -> Option<Example> {
    let Some(de) = hex("device_engagement.hex") else {
        eprintln!("skipped: ../shared absent (iso18013-5-annex-d)");
        return None;
    };
    // The QR form of the engagement parses; the session itself was engaged over NFC: its
    // DeviceEngagement is the record in the Handover Select the transcript carries.
    let qr = DeviceEngagement::parse(&de).expect("engagement");
    assert_eq!(
        qr.e_device_key_bytes(),
        hex("e_device_key_bytes.hex")?.as_slice()
    );
    let transcript_bytes = hex("session_transcript_bytes.hex")?;
    let Handover::Nfc { select, request } = handover_of(&transcript_bytes) else {
        panic!("the example is an NFC handover");
    };
    let (engagement, handover) =
        mdoc::handover::read_handover_select(&select, request).expect("handover select");
    assert_eq!(engagement.e_device_key(), qr.e_device_key());
    Some(Example {
        engagement,
        handover,
        reader_d: hex("ephemeral_reader_key_d.hex")?.try_into().ok()?,
        transcript_bytes,
        device_request: hex("device_request.hex")?,
        session_establishment: hex("session_establishment.hex")?,
        session_data: hex("session_data.hex")?,
        device_response: hex("device_response.hex")?,
        ds_cert: hex("ds_cert.hex")?,
        reader_cert: hex("reader_cert.hex")?,
        portrait: hex("device_response_portrait_data.hex")?,
    })
}

fn session(ex: &Example) -> ReaderSession {
    ReaderSession::new(&ex.engagement, &ex.handover, &ex.reader_d).expect("session")
}

fn anchors(ex: &Example) -> IssuerAnchors {
    IssuerAnchors::from_der(&[&ex.ds_cert]).expect("anchor")
}

#[test]
fn annex_d_end_to_end() {
    let Some(ex) = load() else { return };
    // The transcript is rebuilt byte for byte over the raw engagement bytes.
    let mut s = session(&ex);
    assert_eq!(s.transcript().bytes(), ex.transcript_bytes.as_slice());
    // SKReader, counter 1: our SessionEstablishment is the example's, byte for byte.
    assert_eq!(
        s.establish(&ex.device_request).expect("establish"),
        ex.session_establishment
    );
    // Reader authentication verifies under the reader certificate.
    let requests = mdoc::parse_device_request(&ex.device_request).expect("request");
    let reader = requests[0]
        .verify_reader_auth(s.transcript(), &RustCrypto)
        .expect("reader auth");
    assert_eq!(reader.der(), ex.reader_cert.as_slice());
    // SKDevice, counter 1: the SessionData decrypts to the DeviceResponse.
    let SessionEvent::Data(plain) = s.receive(&ex.session_data).expect("decrypt") else {
        panic!("expected data");
    };
    assert_eq!(plain.as_slice(), ex.device_response.as_slice());
    let doc =
        mdoc::verify_device_response(&plain, MDL, &s, &anchors(&ex), INSIDE).expect("verified");
    assert_eq!(doc.evidence().device_auth, DeviceAuthKind::Mac);
    assert_eq!(
        doc.evidence().issuer_certificate.der(),
        ex.ds_cert.as_slice()
    );
    assert!(doc.elements().len() >= 6, "every element checked");
    let ids: Vec<&str> = doc
        .elements()
        .iter()
        .map(|e| e.identifier.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "family_name",
            "issue_date",
            "expiry_date",
            "document_number",
            "portrait",
            "driving_privileges"
        ]
    );
    let portrait = doc
        .value("org.iso.18013.5.1", "portrait")
        .expect("disclosed")
        .expect("decodes");
    assert_eq!(
        portrait.bytes("portrait").expect("bytes"),
        ex.portrait.as_slice()
    );
    // Session termination.
    let mut s2 = session(&ex);
    let term = hex("session_termination.hex").expect("file");
    assert!(matches!(s2.receive(&term), Ok(SessionEvent::Ended)));
    assert_eq!(
        s2.receive(&ex.session_data).unwrap_err(),
        MdocError::SessionEnded
    );
}

fn verify(ex: &Example, response: &[u8], time: UnixTime) -> Result<(), MdocError> {
    mdoc::verify_device_response(response, MDL, &session(ex), &anchors(ex), time).map(|_| ())
}

/// Flips one byte at the first occurrence of `needle` (plus `at`).
fn flip(bytes: &[u8], needle: &[u8], at: usize) -> Vec<u8> {
    let pos = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present");
    let mut out = bytes.to_vec();
    out[pos + at] ^= 0x01;
    out
}

#[test]
fn annex_d_tamperings_each_fail_with_their_own_error() {
    let Some(ex) = load() else { return };
    let r = &ex.device_response;
    // A disclosed element's value (the family name "Doe").
    let e = verify(
        &ex,
        &flip(r, b"family_name\x6celementValue\x63Doe", 25),
        INSIDE,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            MdocError::DigestMismatch {
                element: "family_name",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e,
        MdocError::DigestMismatch {
            element: "family_name",
            digest_id: 0
        }
    );
    assert_eq!(e.code(), "mdoc.digest_mismatch");
    // A byte of the MSO (its validity date) and of the issuer signature.
    let e = verify(&ex, &flip(r, b"2021-10-01T13:30:02Z", 3), INSIDE).unwrap_err();
    assert_eq!(e, MdocError::IssuerSignature);
    let root = cbor::decode(r).expect("response");
    let doc = &cbor::get(root.map("r").expect("map"), "documents")
        .expect("documents")
        .array("documents")
        .expect("array")[0];
    let issuer_signed = cbor::get(doc.map("doc").expect("map"), "issuerSigned").expect("is");
    let auth = cbor::get(issuer_signed.map("is").expect("map"), "issuerAuth").expect("auth");
    let sig = &auth.array("auth").expect("array")[3];
    let mut s = r.clone();
    s[sig.offset + sig.raw.len() - 5] ^= 1;
    assert_eq!(
        verify(&ex, &s, INSIDE).unwrap_err(),
        MdocError::IssuerSignature
    );
    // The session transcript: the deviceMac no longer verifies, and the SessionData no longer
    // decrypts.
    let Handover::Nfc { select, request } = &ex.handover else {
        panic!("NFC handover expected")
    };
    let mut other = select.clone();
    other[5] ^= 1;
    let tampered = Handover::Nfc {
        select: other,
        request: request.clone(),
    };
    let mut ts = ReaderSession::new(&ex.engagement, &tampered, &ex.reader_d).expect("session");
    let e = mdoc::verify_device_response(r, MDL, &ts, &anchors(&ex), INSIDE).unwrap_err();
    assert_eq!(e, MdocError::DeviceMac);
    assert_eq!(
        ts.receive(&ex.session_data).unwrap_err(),
        MdocError::SessionDecrypt
    );
    // A wrong docType, an MSO outside its window, an unknown IACA.
    let e = mdoc::verify_device_response(
        r,
        mdoc::DOC_TYPE_JP_MNC,
        &session(&ex),
        &anchors(&ex),
        INSIDE,
    )
    .unwrap_err();
    assert_eq!(e, MdocError::DocTypeMismatch { which: "document" });
    let before_mso = UnixTime::from_secs(1_601_553_600); // 2020-10-01T12:00:00Z
    let e = verify(&ex, r, before_mso).unwrap_err();
    assert_eq!(
        e,
        MdocError::MsoValidity {
            which: "not yet valid"
        }
    );
    let e = verify(&ex, r, UnixTime::from_secs(1_700_000_000)).unwrap_err();
    assert_eq!(e, MdocError::IssuerCertificateExpired);
    let unknown = IssuerAnchors::from_der(&[&ex.reader_cert]).expect("anchor");
    let e = mdoc::verify_device_response(r, MDL, &session(&ex), &unknown, INSIDE).unwrap_err();
    assert_eq!(e, MdocError::UnknownIssuer);
}

#[test]
fn annex_d_replayed_and_reordered_session_data() {
    let Some(ex) = load() else { return };
    let mut s = session(&ex);
    s.establish(&ex.device_request).expect("establish");
    assert!(matches!(
        s.receive(&ex.session_data),
        Ok(SessionEvent::Data(_))
    ));
    // The same SessionData again: counter 1 was used.
    assert_eq!(
        s.receive(&ex.session_data).unwrap_err(),
        MdocError::SessionReplayed { counter: 1 }
    );
    assert_eq!(
        s.receive(&ex.session_data).unwrap_err(),
        MdocError::SessionEnded
    );

    // Acting as the holder with the example's ephemeral device key: a message sealed under
    // counter 2 while the reader expects 1 is refused as reordered.
    let device_d = hex("ephemeral_device_key_d.hex").expect("file");
    let device = p256::SecretKey::from_slice(&device_d).expect("key");
    let mut s = session(&ex);
    let reader_pub = p256::SecretKey::from_slice(&ex.reader_d)
        .expect("key")
        .public_key();
    let z = mdoc::ecdh(&device, &reader_pub);
    let sk_device = mdoc::derive_key(z.as_slice(), s.transcript(), b"SKDevice");
    let mut msg = vec![0xa1, 0x64, b'd', b'a', b't', b'a'];
    let sealed = mdoc::seal(&sk_device, true, 2, b"later");
    cbor::put_bytes(&mut msg, &sealed);
    assert_eq!(
        s.receive(&msg).unwrap_err(),
        MdocError::SessionReordered {
            expected: 1,
            found: 2
        }
    );
}
