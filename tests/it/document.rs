//! `mynacard::document`: CMS SignedData and signed PDFs — made with the (virtual) card or a
//! TEST key, verified by the crate and by the `openssl` CLI, and the refusals of jpki/myna's
//! advisory cases.

use std::path::PathBuf;
use std::process::Command;

use mynacard::VirtualCard;
use mynacard::card::{Card, LastTry, SignPassword};
use mynacard::document::{
    self, CheckTime, CmsSigner, CmsVerifyOptions, Content, DocumentError, Encapsulation, PdfVerdict,
};
use mynacard::pki::{
    CrlIndex, CrlLimits, NoRevocationSource, RevocationRequirement, RevocationSource,
    RevocationStatus, TrustStore, UnixTime, test_pki::REFERENCE_TIME,
};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};

const CONTENT: &[u8] = b"\xe5\xa5\x91\xe7\xb4\x84\xe6\x9b\xb8 (contract) v1\n";

fn pki_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/mynacard-virtual-card/data/pki"
    ))
}

fn pki(name: &str) -> Vec<u8> {
    std::fs::read(pki_dir().join(name)).expect("TEST PKI file")
}

fn trust() -> TrustStore {
    TrustStore::test_only_mynacard_test_pki().expect("TEST trust store")
}

fn crl(trust: &TrustStore) -> CrlIndex {
    CrlIndex::from_der(&pki("sign_ca.crl.der"), trust, CrlLimits::default()).expect("CRL")
}

fn verify(cms: &[u8], content: Content<'_>) -> Result<document::SignedDocument, DocumentError> {
    let t = trust();
    verify_under(&t, &crl(&t), &CmsVerifyOptions::strict(), cms, content)
}

/// [`document::verify_cms`] at [`REFERENCE_TIME`] under this store, revocation and options.
fn verify_under(
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    options: &CmsVerifyOptions,
    cms: &[u8],
    content: Content<'_>,
) -> Result<document::SignedDocument, DocumentError> {
    document::verify_cms(cms, content, trust, revocation, options, REFERENCE_TIME)
}

/// The virtual card of yamada and his sign password.
fn yamada_card() -> (Card<VirtualCard>, SignPassword) {
    let card = Card::new(VirtualCard::test_holder("yamada").expect("card"));
    (card, SignPassword::new("YAMADA2024").expect("password"))
}

/// A CMS made by the crate, signed with a TEST key file (no card).
fn sign_with_key(
    holder: &str,
    content: &[u8],
    encapsulation: Encapsulation,
    time: Option<UnixTime>,
) -> Vec<u8> {
    cms_with_key(
        &pki(&format!("{holder}_sign.der")),
        &format!("{holder}_sign.key.der"),
        content,
        encapsulation,
        time,
    )
}

/// A CMS made by the crate for the certificate `cert`, signed with the TEST key file.
fn cms_with_key(
    cert: &[u8],
    key_file: &str,
    content: &[u8],
    encapsulation: Encapsulation,
    time: Option<UnixTime>,
) -> Vec<u8> {
    let signer = CmsSigner::new(cert, content, encapsulation, time).expect("signer");
    let sig = rsa_sign(key_file, signer.signed_attributes_der());
    signer.finish(&sig).expect("SignedData")
}

fn rsa_sign(key_file: &str, message: &[u8]) -> Vec<u8> {
    let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(&pki(key_file)).expect("key");
    key.sign(message).to_vec()
}

fn code<T: std::fmt::Debug>(r: Result<T, DocumentError>) -> &'static str {
    r.expect_err("refused").code()
}

/// `openssl` on PATH, or `None` with a note (CI sets MYNACARD_REQUIRE_OPENSSL=1: then absent
/// is a failure).
fn openssl() -> Option<()> {
    if cfg!(windows) {
        // The Windows build runs under Wine in CI, where the host's openssl is not a Windows
        // program: the interoperability tests run in the Linux stages.
        eprintln!("skipped: openssl interoperability is tested on Linux");
        return None;
    }
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(());
    }
    assert!(
        std::env::var_os("MYNACARD_REQUIRE_OPENSSL").is_none(),
        "openssl CLI required (MYNACARD_REQUIRE_OPENSSL is set) but not found"
    );
    eprintln!("skipped: openssl CLI not found");
    None
}

fn run(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs")
}

/// PEM files of the TEST signature CA, and of a holder's certificate and key.
fn pem_files(dir: &std::path::Path, holder: &str) {
    let p = pki_dir();
    let p = p.to_str().expect("utf-8 path");
    for (tool, input, output) in [
        ("x509", format!("{p}/sign_ca.der"), "ca.pem"),
        ("x509", format!("{p}/{holder}_sign.der"), "cert.pem"),
        ("pkey", format!("{p}/{holder}_sign.key.der"), "key.pem"),
    ] {
        let args = [tool, "-inform", "DER", "-in", &input, "-out", output];
        assert!(run(&args, dir).status.success(), "openssl {args:?}");
    }
}

// ---- CMS made with the card ------------------------------------------------------------

#[test]
fn the_virtual_card_signs_cms_that_verifies_detached_and_attached() {
    let (mut card, password) = yamada_card();
    for (enc, content) in [
        (Encapsulation::Detached, Content::Detached(CONTENT)),
        (Encapsulation::Attached, Content::Attached),
    ] {
        let cms = document::sign_cms_with_card(
            &mut card,
            &password,
            CONTENT,
            enc,
            Some(REFERENCE_TIME),
            LastTry::Refuse,
        )
        .expect("signed by the card");
        let signed = verify(&cms, content).expect("verifies");
        assert_eq!(signed.holder().name(), "山田　太郎");
        assert_eq!(signed.holder().address(), "東京都千代田区霞が関２－１－２");
        assert_eq!(signed.holder().birth_date().complete(), Some((1990, 4, 1)));
        assert!(!signed.holder().name_flags().any());
        assert_eq!(signed.checked_at(), CheckTime::VerificationTime);
        assert_eq!(signed.checked_time(), REFERENCE_TIME);
        assert_eq!(signed.claimed_signing_time(), Some(REFERENCE_TIME));
        assert!(matches!(signed.revocation(), RevocationStatus::Good { .. }));
        assert_eq!(
            signed.content(),
            (enc == Encapsulation::Attached).then_some(CONTENT)
        );
        // Debug redacts the holder.
        assert!(!format!("{signed:?}").contains("山田"));
    }
}

#[test]
fn a_wrong_sign_password_is_a_typed_card_error_and_the_last_try_is_kept() {
    let (mut card, _) = yamada_card();
    let wrong = SignPassword::new("WRONG1").expect("format");
    let err = document::sign_cms_with_card(
        &mut card,
        &wrong,
        CONTENT,
        Encapsulation::Detached,
        None,
        LastTry::Refuse,
    )
    .expect_err("wrong password");
    assert_eq!(err.code(), "card.pin.wrong");
    assert!(!err.to_string().contains("WRONG1"));
}

// ---- openssl both ways -------------------------------------------------------------------

#[test]
fn openssl_cms_verify_accepts_what_the_crate_signs() {
    let Some(()) = openssl() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    pem_files(dir.path(), "yamada");
    std::fs::write(dir.path().join("content.bin"), CONTENT).expect("write");
    let (mut card, password) = yamada_card();
    for enc in [Encapsulation::Detached, Encapsulation::Attached] {
        let cms = document::sign_cms_with_card(
            &mut card,
            &password,
            CONTENT,
            enc,
            Some(REFERENCE_TIME),
            LastTry::Refuse,
        )
        .expect("signed");
        std::fs::write(dir.path().join("sig.p7s"), &cms).expect("write");
        let mut args = vec![
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "sig.p7s",
            "-CAfile",
            "ca.pem",
            "-attime",
            "1780272000",
            "-purpose",
            "any",
            "-out",
            "out.bin",
        ];
        if enc == Encapsulation::Detached {
            args.extend(["-content", "content.bin"]);
        }
        let out = run(&args, dir.path());
        assert!(
            out.status.success(),
            "openssl cms -verify ({enc:?}): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read(dir.path().join("out.bin")).expect("out"),
            CONTENT
        );
    }
}

#[test]
fn the_crate_verifies_what_openssl_cms_sign_makes() {
    let Some(()) = openssl() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    pem_files(dir.path(), "yamada");
    std::fs::write(dir.path().join("content.bin"), CONTENT).expect("write");
    // detached, attached, signer by subjectKeyIdentifier, SHA-384, and SHA-1 (refused).
    let cases: [(&[&str], Content<'_>, Result<(), &str>); 5] = [
        (&[], Content::Detached(CONTENT), Ok(())),
        (&["-nodetach"], Content::Attached, Ok(())),
        (&["-keyid"], Content::Detached(CONTENT), Ok(())),
        (&["-md", "sha384"], Content::Detached(CONTENT), Ok(())),
        (
            &["-md", "sha1"],
            Content::Detached(CONTENT),
            Err("document.sha1_refused"),
        ),
    ];
    for (extra, content, expected) in cases {
        let mut args = vec![
            "cms",
            "-sign",
            "-binary",
            "-in",
            "content.bin",
            "-signer",
            "cert.pem",
            "-inkey",
            "key.pem",
            "-outform",
            "DER",
            "-out",
            "sig.p7s",
        ];
        args.extend_from_slice(extra);
        let out = run(&args, dir.path());
        assert!(out.status.success(), "openssl cms -sign {extra:?}");
        let cms = std::fs::read(dir.path().join("sig.p7s")).expect("read");
        match (verify(&cms, content), expected) {
            (Ok(signed), Ok(())) => {
                assert_eq!(signed.holder().name(), "山田　太郎", "{extra:?}");
                assert!(signed.claimed_signing_time().is_some(), "{extra:?}");
            }
            (Err(e), Err(code)) => assert_eq!(e.code(), code, "{extra:?}"),
            (got, want) => panic!("{extra:?}: got {got:?}, want {want:?}"),
        }
    }
}

// ---- refusals: jpki/myna's advisory cases and more --------------------------------------

#[test]
fn an_expired_signer_is_refused_now_and_accepted_at_its_claimed_signing_time() {
    // suzuki's certificates ended 2024-08-01; the signature claims 2024-06-01.
    let claimed = UnixTime::from_secs(1_717_200_000);
    let cms = sign_with_key("suzuki", CONTENT, Encapsulation::Detached, Some(claimed));
    assert_eq!(
        code(verify(&cms, Content::Detached(CONTENT))),
        "pki.expired"
    );

    let t = trust();
    let options = CmsVerifyOptions::strict().with_check_at(CheckTime::SigningTime);
    let signed = verify_under(&t, &crl(&t), &options, &cms, Content::Detached(CONTENT))
        .expect("valid at the claimed signing time");
    assert_eq!(signed.checked_at(), CheckTime::SigningTime);
    assert_eq!(signed.checked_time(), claimed);

    // Asking for the signing time when the signature claims none.
    let no_time = sign_with_key("yamada", CONTENT, Encapsulation::Detached, None);
    let r = verify_under(&t, &crl(&t), &options, &no_time, Content::Detached(CONTENT));
    assert_eq!(code(r), "document.no_signing_time");
}

#[test]
fn a_revoked_signer_is_refused() {
    let cms = sign_with_key("sato", CONTENT, Encapsulation::Detached, None);
    assert_eq!(
        code(verify(&cms, Content::Detached(CONTENT))),
        "pki.revoked"
    );
}

#[test]
fn revocation_not_checked_is_refused_unless_best_effort() {
    let cms = sign_with_key("yamada", CONTENT, Encapsulation::Detached, None);
    let t = trust();
    let strict = CmsVerifyOptions::strict();
    let r = verify_under(
        &t,
        &NoRevocationSource,
        &strict,
        &cms,
        Content::Detached(CONTENT),
    );
    assert_eq!(code(r), "pki.revocation_not_checked");
    let best = strict.with_revocation(RevocationRequirement::BestEffort);
    let signed = verify_under(
        &t,
        &NoRevocationSource,
        &best,
        &cms,
        Content::Detached(CONTENT),
    )
    .expect("best effort");
    assert!(matches!(
        signed.revocation(),
        RevocationStatus::NotChecked { .. }
    ));
}

#[test]
fn an_authentication_certificate_cannot_sign_documents() {
    // yamada's 利用者証明用 key and certificate: keyUsage digitalSignature only.
    let cms = cms_with_key(
        &pki("yamada_auth.der"),
        "yamada_auth.key.der",
        CONTENT,
        Encapsulation::Detached,
        None,
    );
    assert_eq!(
        code(verify(&cms, Content::Detached(CONTENT))),
        "pki.wrong_key_usage"
    );
}

#[test]
fn a_signature_certificate_without_non_repudiation_is_refused() {
    // The same certificate with keyUsage 03 02 06 C0 → 03 02 07 80 (digitalSignature only).
    let mut cert = pki("yamada_sign.der");
    let at = cert
        .windows(4)
        .position(|w| w == [0x03, 0x02, 0x06, 0xC0])
        .expect("keyUsage bits");
    cert[at + 2..at + 4].copy_from_slice(&[0x07, 0x80]);
    let cms = cms_with_key(
        &cert,
        "yamada_sign.key.der",
        CONTENT,
        Encapsulation::Detached,
        None,
    );
    assert_eq!(
        code(verify(&cms, Content::Detached(CONTENT))),
        "pki.wrong_key_usage"
    );
}

#[test]
fn certificates_of_another_hierarchy_are_refused() {
    // A TEST signature under the production store.
    let cms = sign_with_key("yamada", CONTENT, Encapsulation::Detached, None);
    let jlis = TrustStore::jlis().expect("J-LIS store");
    let r = verify_under(
        &jlis,
        &NoRevocationSource,
        &CmsVerifyOptions::strict(),
        &cms,
        Content::Detached(CONTENT),
    );
    assert_eq!(code(r), "pki.unknown_issuer");

    // A J-LIS production certificate under the TEST store.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/jlis-trust-anchors/sign_ca_2023.pem"
    );
    let Ok(pem) = std::fs::read_to_string(path) else {
        eprintln!("skipped: ../shared absent (J-LIS production root)");
        return;
    };
    let (_, der) = der::pem::decode_vec(pem.as_bytes()).expect("PEM");
    let signer = CmsSigner::new(&der, CONTENT, Encapsulation::Detached, None).expect("signer");
    let cms = signer.finish(&[0u8; 256]).expect("cms");
    let e = verify(&cms, Content::Detached(CONTENT)).expect_err("refused");
    assert!(
        matches!(
            e.code(),
            "pki.unknown_issuer" | "pki.end_entity_is_ca" | "pki.wrong_key_usage"
        ),
        "{e:?}"
    );
}

#[test]
fn a_message_digest_mismatch_is_refused() {
    let mut cms = sign_with_key("yamada", CONTENT, Encapsulation::Attached, None);
    let at = cms
        .windows(CONTENT.len())
        .position(|w| w == CONTENT)
        .expect("eContent");
    cms[at] ^= 1;
    assert_eq!(
        code(verify(&cms, Content::Attached)),
        "document.message_digest_mismatch"
    );
}

#[test]
fn a_detached_signature_over_other_content_is_refused() {
    let cms = sign_with_key("yamada", CONTENT, Encapsulation::Detached, None);
    assert_eq!(
        code(verify(&cms, Content::Detached(b"another contract"))),
        "document.message_digest_mismatch"
    );
    assert_eq!(
        code(verify(&cms, Content::Attached)),
        "document.content_missing"
    );
    let attached = sign_with_key("yamada", CONTENT, Encapsulation::Attached, None);
    assert_eq!(
        code(verify(&attached, Content::Detached(CONTENT))),
        "document.content_given_twice"
    );
}

/// The signed attributes' DER (`31 len …`), and the same attributes in reversed order.
fn attrs_and_reversed(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use der::{Decode, Encode};
    let set = der::asn1::SetOfVec::<der::asn1::Any>::from_der(der).expect("SET");
    let items: Vec<Vec<u8>> = set.iter().map(|a| a.to_der().expect("der")).collect();
    let header = der.len() - items.iter().map(Vec::len).sum::<usize>();
    let reversed: Vec<u8> = der[..header]
        .iter()
        .copied()
        .chain(items.iter().rev().flatten().copied())
        .collect();
    assert_ne!(
        reversed, der,
        "at least two attributes of different encodings"
    );
    (der.to_vec(), reversed)
}

#[test]
fn signed_attributes_are_verified_in_der_set_order() {
    let cert = pki("yamada_sign.der");
    let signer = CmsSigner::new(
        &cert,
        CONTENT,
        Encapsulation::Detached,
        Some(REFERENCE_TIME),
    )
    .expect("signer");
    let (sorted, reversed) = attrs_and_reversed(signer.signed_attributes_der());
    let sig = rsa_sign("yamada_sign.key.der", &sorted);
    let cms = signer.clone().finish(&sig).expect("cms");
    // In the SignerInfo the SET is tagged [0] IMPLICIT: swap its contents in place.
    let header = if sorted[1] & 0x80 == 0 {
        2
    } else {
        2 + usize::from(sorted[1] & 0x7F)
    };
    let body = &sorted[header..];
    let at = cms
        .windows(body.len())
        .position(|w| w == body)
        .expect("signed attributes in the CMS");
    let content_len = body.len();
    let mut reordered = cms.clone();
    reordered[at..at + content_len].copy_from_slice(&reversed[reversed.len() - content_len..]);
    assert_ne!(reordered, cms);
    // An attacker re-ordering the SET changes nothing: the signature covers its DER.
    verify(&reordered, Content::Detached(CONTENT)).expect("same set, same signature");

    // A signer that signed a non-DER order is refused (as by OpenSSL).
    let bad_sig = rsa_sign("yamada_sign.key.der", &reversed);
    let cms = signer.finish(&bad_sig).expect("cms");
    assert_eq!(
        code(verify(&cms, Content::Detached(CONTENT))),
        "document.signature_invalid"
    );
}

#[test]
fn errors_name_no_value_and_serialize_with_a_code() {
    let cms = sign_with_key("sato", CONTENT, Encapsulation::Detached, None);
    let e = verify(&cms, Content::Detached(CONTENT)).expect_err("revoked");
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains("佐藤"), "{text}");
    }
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["code"], "pki.revoked");
    }
    for bytes in [&b""[..], b"\x30\x00", b"\x30\x80\x00\x00", &[0x30; 64]] {
        assert_eq!(code(verify(bytes, Content::Attached)), "document.malformed");
    }
}

#[cfg(feature = "serde")]
#[test]
fn the_result_serializes_only_through_the_disclosing_method() {
    let cms = sign_with_key(
        "yamada",
        CONTENT,
        Encapsulation::Detached,
        Some(REFERENCE_TIME),
    );
    let signed = verify(&cms, Content::Detached(CONTENT)).expect("verifies");
    let mut out = Vec::new();
    signed
        .serialize_disclosing_attributes(&mut serde_json::Serializer::new(&mut out))
        .expect("json");
    let json: serde_json::Value = serde_json::from_slice(&out).expect("parse");
    assert_eq!(json["holder"]["name"], "山田　太郎");
    assert_eq!(json["holder"]["birth_date"]["year"], 1990);
    assert_eq!(json["checked_at"], "verification_time");
    assert_eq!(json["revocation"]["status"], "good");
    assert_eq!(json["claimed_signing_time"], "2026-06-01T00:00:00Z");
}

// ---- PDFs ----------------------------------------------------------------------------------

/// A one-page PDF with a classic cross-reference table.
fn minimal_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

/// Signs with a TEST key file (the card path is tested once, below).
fn sign_pdf_with_key(holder: &str, pdf: &[u8]) -> Vec<u8> {
    let placeholder = document::prepare_pdf_signature(pdf, REFERENCE_TIME).expect("prepare");
    let cert = pki(&format!("{holder}_sign.der"));
    let signer = CmsSigner::for_digest(&cert, &placeholder.sha256(), None).expect("signer");
    let sig = rsa_sign(
        &format!("{holder}_sign.key.der"),
        signer.signed_attributes_der(),
    );
    placeholder
        .fill(&signer.finish(&sig).expect("cms"))
        .expect("fill")
}

fn verify_pdf(pdf: &[u8]) -> document::PdfReport {
    let t = trust();
    document::verify_pdf(
        pdf,
        &t,
        &crl(&t),
        &CmsVerifyOptions::strict(),
        REFERENCE_TIME,
    )
    .expect("a PDF")
}

#[test]
fn a_pdf_signed_with_the_virtual_card_verifies() {
    let (mut card, password) = yamada_card();
    let signed = document::sign_pdf_with_card(
        &mut card,
        &password,
        &minimal_pdf(),
        REFERENCE_TIME,
        LastTry::Refuse,
    )
    .expect("signed");
    let report = verify_pdf(&signed);
    assert_eq!(report.verdict(), PdfVerdict::Signed);
    let sigs = report.signed().expect("signed");
    assert_eq!(sigs.len(), 1);
    assert_eq!(sigs[0].holder().name(), "山田　太郎");
    assert_eq!(
        report.signatures()[0].sub_filter,
        document::SubFilter::EtsiCadesDetached
    );
}

#[test]
fn a_pdf_without_signature_is_unsigned_and_other_bytes_are_not_a_pdf() {
    assert_eq!(verify_pdf(&minimal_pdf()).verdict(), PdfVerdict::Unsigned);
    let t = trust();
    let r = document::verify_pdf(
        b"hello",
        &t,
        &NoRevocationSource,
        &CmsVerifyOptions::strict(),
        REFERENCE_TIME,
    );
    assert_eq!(code(r), "document.not_pdf");
}

#[test]
fn bytes_appended_after_the_signed_revision_are_reported_not_signed() {
    let mut pdf = sign_pdf_with_key("yamada", &minimal_pdf());
    let signed_len = pdf.len();
    pdf.extend_from_slice(b"4 0 obj\n<< /Injected true >>\nendobj\n%%EOF\n");
    let report = verify_pdf(&pdf);
    assert!(report.signatures()[0].outcome.is_ok());
    assert_eq!(
        report.verdict(),
        PdfVerdict::ModifiedAfterSigning {
            signed_until: signed_len,
            appended_bytes: pdf.len() - signed_len
        }
    );
    assert!(report.signed().is_none());
}

#[test]
fn a_second_signature_added_by_an_incremental_update_is_checked_too() {
    let once = sign_pdf_with_key("yamada", &minimal_pdf());
    // A valid second signature over the whole updated file: both verify.
    let twice = sign_pdf_with_key("takahashi", &once);
    let report = verify_pdf(&twice);
    assert_eq!(report.verdict(), PdfVerdict::Signed);
    assert_eq!(report.signatures().len(), 2);
    assert!(report.signatures()[0].revision_end < report.signatures()[1].revision_end);

    // A second "signature" whose CMS signs other content: refused on its own.
    let placeholder = document::prepare_pdf_signature(&once, REFERENCE_TIME).expect("prepare");
    let forged = sign_with_key(
        "takahashi",
        b"something else",
        Encapsulation::Detached,
        None,
    );
    let pdf = placeholder.fill(&forged).expect("fill");
    let report = verify_pdf(&pdf);
    assert!(report.signatures()[0].outcome.is_ok());
    assert_eq!(
        report.verdict(),
        PdfVerdict::SignatureRefused {
            index: 1,
            code: "document.message_digest_mismatch"
        }
    );
}

#[cfg(feature = "serde")]
#[test]
fn the_pdf_report_serializes_only_through_the_disclosing_method() {
    let json = |report: &document::PdfReport| {
        report
            .serialize_disclosing_attributes(serde_json::value::Serializer)
            .expect("json")
    };
    // Verified, then with an update appended.
    let mut pdf = sign_pdf_with_key("yamada", &minimal_pdf());
    let signed_len = pdf.len();
    let report = verify_pdf(&pdf);
    let [_, a, b, c] = report.signatures()[0].byte_range.expect("range");
    let v = json(&report);
    assert_eq!(v["verdict"], serde_json::json!({ "code": "signed" }));
    let sig = &v["signatures"][0];
    assert_eq!(sig["offset"], report.signatures()[0].offset);
    assert_eq!(sig["sub_filter"], "ETSI.CAdES.detached");
    assert_eq!(sig["byte_range"], serde_json::json!([0, a, b, c]));
    assert_eq!(sig["revision_end"], signed_len);
    assert_eq!(sig["signed"]["holder"]["name"], "山田　太郎");
    assert_eq!(sig["signed"]["digest_algorithm"], "sha256");
    assert!(sig.get("error").is_none());
    pdf.extend_from_slice(b"4 0 obj\n<< /Injected true >>\nendobj\n%%EOF\n");
    assert_eq!(
        json(&verify_pdf(&pdf))["verdict"],
        serde_json::json!({
            "code": "modified_after_signing",
            "signed_until": signed_len,
            "appended_bytes": pdf.len() - signed_len,
        })
    );
    // A refused signature: its error as {"code", "message"}, no "signed".
    let placeholder =
        document::prepare_pdf_signature(&minimal_pdf(), REFERENCE_TIME).expect("prepare");
    let forged = sign_with_key("yamada", b"other", Encapsulation::Detached, None);
    let v = json(&verify_pdf(&placeholder.fill(&forged).expect("fill")));
    assert_eq!(
        v["verdict"],
        serde_json::json!({
            "code": "signature_refused",
            "index": 0,
            "error": "document.message_digest_mismatch",
        })
    );
    assert_eq!(
        v["signatures"][0]["error"],
        serde_json::json!({
            "code": "document.message_digest_mismatch",
            "message": "messageDigest does not match the content",
        })
    );
    assert!(v["signatures"][0].get("signed").is_none());
}

/// Rewrites the ByteRange array of the last signature in place (same width).
fn with_byte_range(pdf: &[u8], text: &str) -> Vec<u8> {
    let at = pdf
        .windows(11)
        .rposition(|w| w == b"/ByteRange ")
        .expect("ByteRange")
        + 11;
    let mut out = pdf.to_vec();
    let end = at + out[at..].iter().position(|b| *b == b']').expect("]") + 1;
    let mut slot = text.as_bytes().to_vec();
    slot.resize(end - at, b' ');
    out[at..end].copy_from_slice(&slot);
    out
}

#[test]
fn a_byte_range_that_does_not_cover_the_file_is_refused() {
    let pdf = sign_pdf_with_key("yamada", &minimal_pdf());
    let report = verify_pdf(&pdf);
    let [_, a, b, c] = report.signatures()[0].byte_range.expect("range");
    for (text, detail) in [
        // the second range stops short of the end of the revision
        (
            format!("[0 {a} {b} {}]", c - 10),
            "does not end at the end of a revision (%%EOF)",
        ),
        // the gap is wider than /Contents (excludes signed-looking bytes)
        (
            format!("[0 {} {b} {c}]", a - 20),
            "the gap is not exactly this signature's /Contents",
        ),
        // the first range does not start at 0
        (
            format!("[5 {a} {b} {c}]"),
            "does not start at the beginning of the file",
        ),
        // past the end of the file
        (
            format!("[0 {a} {b} {}]", c + 1),
            "extends past the end of the file",
        ),
    ] {
        let report = verify_pdf(&with_byte_range(&pdf, &text));
        let e = report.signatures()[0].outcome.as_ref().expect_err(&text);
        assert_eq!(e, &DocumentError::ByteRangeNotCovering { detail }, "{text}");
        assert_eq!(
            report.verdict(),
            PdfVerdict::SignatureRefused {
                index: 0,
                code: "document.byte_range_not_covering"
            }
        );
    }
}

#[test]
fn hostile_pdfs_never_panic() {
    let pdf = sign_pdf_with_key("yamada", &minimal_pdf());
    let t = trust();
    let src = NoRevocationSource;
    let opts = CmsVerifyOptions::strict();
    // Truncations and byte flips over the signature dictionary and its surroundings.
    let sig_at = pdf
        .windows(10)
        .position(|w| w == b"/ByteRange")
        .expect("sig");
    for cut in (0..pdf.len()).step_by(97) {
        let _ = document::verify_pdf(&pdf[..cut], &t, &src, &opts, REFERENCE_TIME);
    }
    for i in sig_at.saturating_sub(200)..(sig_at + 400).min(pdf.len()) {
        for v in [b'<', b'>', b'[', b'(', b'/', b'0', 0xFF] {
            let mut m = pdf.clone();
            m[i] = v;
            if let Ok(r) = document::verify_pdf(&m, &t, &src, &opts, REFERENCE_TIME) {
                let _ = r.verdict();
            }
        }
    }
    let many = [
        b"%PDF-1.7\n".as_slice(),
        &b"/ByteRange ".repeat(100),
        b"%%EOF",
    ]
    .concat();
    assert_eq!(
        code(document::verify_pdf(&many, &t, &src, &opts, REFERENCE_TIME)),
        "document.too_large"
    );
}

// ---- fixtures for the bindings' tests (C, Python) ------------------------------------------

/// `tests/data/document/`: a detached CMS by yamada over `contract.txt` and a PDF signed by
/// yamada, made here (deterministic: PKCS#1 v1.5, fixed signing time).
/// `MYNACARD_BLESS=1 cargo test --test it document::` rewrites them.
#[test]
fn the_binding_fixtures_are_what_the_crate_makes_and_verify() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/document"));
    let made = [
        ("contract.txt", CONTENT.to_vec()),
        (
            "yamada_detached.p7s",
            sign_with_key(
                "yamada",
                CONTENT,
                Encapsulation::Detached,
                Some(REFERENCE_TIME),
            ),
        ),
        (
            "yamada_signed.pdf",
            sign_pdf_with_key("yamada", &minimal_pdf()),
        ),
    ];
    if std::env::var_os("MYNACARD_BLESS").is_some() {
        std::fs::create_dir_all(&dir).expect("mkdir");
        for (name, bytes) in &made {
            std::fs::write(dir.join(name), bytes).expect("write fixture");
        }
    }
    for (name, bytes) in &made {
        let committed = std::fs::read(dir.join(name)).unwrap_or_default();
        assert!(
            &committed == bytes,
            "tests/data/document/{name} is out of date: MYNACARD_BLESS=1 cargo test --test it document::"
        );
    }
    verify(&made[1].1, Content::Detached(CONTENT)).expect("CMS fixture verifies");
    assert_eq!(verify_pdf(&made[2].1).verdict(), PdfVerdict::Signed);
}
