//! The 券面 records verify all the way down: record hashes → record signature under
//! EF 0004's subject key → EF 0004 under the CV CA key named by its full 16-byte
//! issuer key ID. The virtual card's EF 0004 is signed by this crate's TEST CV CA
//! (6900023 / 6900033), held by `CvTrust::test_only()`; the production trust does
//! not know it, so the chain is "not checked: unknown CV CA" there — never failed.

#![cfg(feature = "virtual-card")]

use mynacard::card::CvChainError;
use mynacard::card::IntegrityRecord;
use mynacard::card::Pin;
use mynacard::card::VerificationNumberA;
use mynacard::card::{Card, CvTrust, KenhojoCredential, KenkakuCredential, LastTryGuard};
use mynacard::card::{CvCertificate, IntegrityCheck};
use mynacard::tlv::Tlv;
use mynacard::virtual_card::{CardApplication, VirtualCard};

fn pin(s: &str) -> Pin {
    Pin::new(s).unwrap()
}

#[test]
fn kenhojo_read_is_verified_down_to_the_test_cv_key() {
    let mut c = Card::new(VirtualCard::test_holder("yamada").unwrap());
    let (_, report) = c
        .read_basic_four_checked(
            KenhojoCredential::Pin(&pin("1234")),
            LastTryGuard::Refuse,
            &CvTrust::test_only(),
        )
        .unwrap();
    assert!(report.chain_verified(), "{report:?}");
    assert_eq!(report.cv_ca, Some("6900033"));
    assert_eq!(report.verified(), Ok(report));
    // The 個人番号 read checks DF31 too, down the same chain.
    let (_, _, report) = c
        .read_my_number_checked_with_pin(&pin("1234"), LastTryGuard::Refuse, &CvTrust::test_only())
        .unwrap();
    assert_eq!(report.my_number_digest, IntegrityCheck::Verified);
    assert!(report.chain_verified());
}

#[test]
fn card_face_read_is_verified_down_to_the_test_cv_key() {
    let mut c = Card::new(VirtualCard::test_holder("takahashi").unwrap());
    let a = VerificationNumberA::new("567890123457").unwrap();
    let (_, report) = c
        .read_card_face(
            KenkakuCredential::NumberA(&a),
            LastTryGuard::Refuse,
            &CvTrust::test_only(),
        )
        .unwrap();
    assert!(report.chain_verified(), "{report:?}");
    assert_eq!(report.cv_ca, Some("6900023"));
}

#[test]
fn an_unknown_cv_ca_is_not_checked_never_failed() {
    let mut c = Card::new(VirtualCard::test_holder("yamada").unwrap());
    let (_, report) = c
        .read_basic_four_checked(
            KenhojoCredential::Pin(&pin("1234")),
            LastTryGuard::Refuse,
            &CvTrust::jlis_production(),
        )
        .unwrap();
    assert_eq!(report.signature, IntegrityCheck::Verified);
    assert_eq!(
        report.cv_certificate,
        IntegrityCheck::NotChecked("unknown CV CA")
    );
    assert_eq!(report.cv_ca, None);
    assert!(report.data_is_authentic() && !report.chain_verified());
    assert_eq!(report.verified(), Err(CvChainError::UnknownCvCa));
    assert_eq!(
        CvChainError::UnknownCvCa.to_string(),
        "not checked: unknown CV CA"
    );
}

/// The content of a TLV child of `FF 20` / `FF 30`, as an absolute byte range.
fn value_range(file: &[u8], tag: [u8; 2]) -> std::ops::Range<usize> {
    let (outer, _) = Tlv::parse(file, 0).unwrap();
    let t = outer
        .children()
        .map(Result::unwrap)
        .find(|t| t.tag() == tag)
        .unwrap();
    t.value_offset()..t.value_offset() + t.value().len()
}

struct FaceFiles {
    face: Vec<u8>,
    cv: Vec<u8>,
}

fn face_files() -> FaceFiles {
    let card = VirtualCard::test_holder("takahashi").unwrap();
    FaceFiles {
        face: card
            .file_content(CardApplication::Kenkaku, 0x0002)
            .unwrap()
            .to_vec(),
        cv: card
            .file_content(CardApplication::Kenkaku, 0x0004)
            .unwrap()
            .to_vec(),
    }
}

fn verify_face(f: &FaceFiles) -> Result<mynacard::card::FaceSignatureReport, CvChainError> {
    let face = mynacard::internal::parse_card_face(&f.face).unwrap();
    let cv = CvCertificate::parse(mynacard::internal::KENKAKU_EF4, &f.cv).unwrap();
    face.verify(&cv, &CvTrust::test_only())
}

#[test]
fn card_face_verify_refuses_a_tampered_photo() {
    let mut f = face_files();
    assert!(verify_face(&f).is_ok());
    let photo = value_range(&f.face, [0xDF, 0x27]);
    f.face[photo.start + photo.len() / 2] ^= 0x01;
    assert_eq!(verify_face(&f).unwrap_err(), CvChainError::RecordSignature);
}

#[test]
fn card_face_verify_refuses_a_tampered_cv_certificate() {
    let mut f = face_files();
    // The subject key ID is signed by the CV CA but plays no part in the record
    // signature: only the CV certificate's own signature can catch it.
    let (outer, _) = Tlv::parse(&f.cv, 0).unwrap();
    let body = outer
        .children()
        .map(Result::unwrap)
        .find(|t| t.tag() == [0x5F, 0x4E])
        .unwrap()
        .value_offset();
    f.cv[body + 16] ^= 0x01;
    assert_eq!(
        verify_face(&f).unwrap_err(),
        CvChainError::CvCertificateSignature
    );
}

#[test]
fn kenhojo_chain_refuses_a_tampered_record_and_signature() {
    let card = VirtualCard::test_holder("yamada").unwrap();
    let content = |fid| {
        card.file_content(CardApplication::Kenhojo, fid)
            .unwrap()
            .to_vec()
    };
    let (mut ef2, mut ef3, ef4) = (content(2), content(3), content(4));
    let check = |ef2: &[u8], ef3: &[u8]| {
        mynacard::internal::check_integrity(
            &mynacard::internal::parse_basic_four(ef2).unwrap(),
            None,
            &IntegrityRecord::parse(ef3).unwrap(),
            &CvCertificate::parse(mynacard::internal::KENHOJO_EF4, &ef4).unwrap(),
            &CvTrust::test_only(),
        )
        .verified()
    };
    assert!(check(&ef2, &ef3).is_ok());
    // A changed address no longer matches DF32.
    let address = value_range(&ef2, [0xDF, 0x23]);
    ef2[address.start] ^= 0x01;
    assert_eq!(check(&ef2, &ef3), Err(CvChainError::RecordDigest));
    ef2[address.start] ^= 0x01;
    // A forged DF32 (matching the altered data) fails the record signature.
    let sig = value_range(&ef3, [0xDF, 0x33]);
    ef3[sig.start + 7] ^= 0x01;
    assert_eq!(check(&ef2, &ef3), Err(CvChainError::RecordSignature));
    assert_eq!(
        CvChainError::RecordSignature.code(),
        "card.cv_chain.record_signature"
    );
}
