//! Card operations against the in-process virtual card, all three token
//! profiles: success paths, lockout guard, removal, hostile cards, and the APDU
//! trace of what is read.

#![cfg(feature = "virtual-card")]

use mynacard::apdu::StatusWord;
use mynacard::card::CvTrust;
use mynacard::card::IntegrityCheck;
use mynacard::card::{Availability, TokenKind};
use mynacard::card::{
    Card, CardError, KenhojoCredential, KenkakuCredential, KeyRef, LastTryGuard, PinStatus,
};
use mynacard::card::{FileError, FileErrorKind, PinError};
use mynacard::card::{HashAlgorithm, SignInput};
use mynacard::card::{JpkiCertificateKind, JpkiKey};
use mynacard::card::{Pin, SignPassword, VerificationNumberA, VerificationNumberB};
use mynacard::date::CalendarDate;
use mynacard::person::Sex;
use mynacard::pki::SignatureAlgorithm;
use mynacard::pki::backend::RustCrypto;
use mynacard::transport::{LinkCapabilities, Traced, Transport, TransportError};
use mynacard::virtual_card::{VirtualCard, VirtualCardOptions};

const KENHOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

fn vcard(id: &str, caps: LinkCapabilities) -> VirtualCard {
    let mut o = VirtualCardOptions::default();
    o.capabilities = caps;
    VirtualCard::test_holder_with(id, o).unwrap()
}

fn card(id: &str) -> Card<Traced<VirtualCard>> {
    Card::new(Traced::new(vcard(id, LinkCapabilities::SHORT)))
}

/// The TEST CV trust: the virtual card's EF 0004 is signed by this crate's TEST
/// CV CA (6900023 / 6900033).
fn cv_trust() -> CvTrust {
    CvTrust::test_only()
}

fn pin(s: &str) -> Pin {
    Pin::new(s).unwrap()
}

fn check_signature(card: &mut Card<Traced<VirtualCard>>, key: JpkiKey, sig: &[u8], msg: &[u8]) {
    let cert = card.read_certificate(key.certificate()).unwrap();
    let pk = cert.verification_key(&RustCrypto).unwrap();
    pk.verify(
        SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
        msg,
        sig,
    )
    .unwrap();
}

#[test]
fn physical_card_jpki() {
    let mut c = card("yamada");
    let info = c.token_info().unwrap();
    assert_eq!(
        (info.label.as_str(), info.kind),
        ("JPKIAPICCTOKEN2", TokenKind::Card)
    );
    let a = c.cert_availability().unwrap();
    assert_eq!(
        (a.sign, a.auth),
        (Availability::Present, Availability::Present)
    );
    for kind in [
        JpkiCertificateKind::Auth,
        JpkiCertificateKind::AuthCa,
        JpkiCertificateKind::SignCa,
    ] {
        let cert = c.read_certificate(kind).unwrap();
        assert_eq!(cert.der()[0], 0x30);
    }
    assert_eq!(
        c.read_certificate(JpkiCertificateKind::Sign)
            .unwrap_err()
            .status(),
        Some(StatusWord::SecurityStatusNotSatisfied)
    );
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap(),
        PinStatus {
            remaining: Some(3),
            blocked: false
        }
    );
    c.verify_auth_pin(&pin("1234"), LastTryGuard::Refuse)
        .unwrap();
    let sig = c
        .sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha256,
            SignInput::Message(b"nonce-1"),
        )
        .unwrap();
    check_signature(&mut c, JpkiKey::Auth, &sig, b"nonce-1");

    c.verify_sign_password(
        &SignPassword::new("YAMADA2024").unwrap(),
        LastTryGuard::Refuse,
    )
    .unwrap();
    let sign_cert = c.read_certificate(JpkiCertificateKind::Sign).unwrap();
    assert!(sign_cert.der().len() > 1000);
    for alg in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        let digest = alg.hash(b"document");
        let sig = c
            .sign(JpkiKey::Sign, alg, SignInput::Digest(&digest))
            .unwrap();
        sign_cert
            .verification_key(&RustCrypto)
            .unwrap()
            .verify_prehash(SignatureAlgorithm::RsaPkcs1(alg), &digest, &sig)
            .unwrap();
    }
    assert!(!c.end_transaction().unwrap());
}

#[test]
fn android_token_needs_the_pin_for_the_auth_certificate() {
    let mut c = card("ito");
    assert_eq!(c.token_info().unwrap().kind, TokenKind::Android);
    assert_eq!(
        c.read_certificate(JpkiCertificateKind::Auth)
            .unwrap_err()
            .status(),
        Some(StatusWord::SecurityStatusNotSatisfied)
    );
    c.verify_auth_pin(&pin("4680"), LastTryGuard::Refuse)
        .unwrap();
    let sig = c
        .sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha256,
            SignInput::Message(b"x"),
        )
        .unwrap();
    check_signature(&mut c, JpkiKey::Auth, &sig, b"x");
    // The 券面 APs do not exist on a phone.
    assert_eq!(
        c.read_basic_four(KenhojoCredential::Pin(&pin("4680")), LastTryGuard::Refuse)
            .unwrap_err()
            .status(),
        Some(StatusWord::FileNotFound)
    );
}

#[test]
fn iphone_token_signs_without_verify_and_ends_the_transaction() {
    let mut c = card("kato");
    assert_eq!(c.token_info().unwrap().kind, TokenKind::Iphone);
    assert!(matches!(
        c.verify_auth_pin(&pin("8642"), LastTryGuard::Refuse),
        Err(CardError::NotOnThisToken {
            token: TokenKind::Iphone,
            ..
        })
    ));
    let sig = c
        .sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha256,
            SignInput::Message(b"y"),
        )
        .unwrap();
    check_signature(&mut c, JpkiKey::Auth, &sig, b"y");
    assert!(c.end_transaction().unwrap());
    let last = c.transport().entries().last().unwrap();
    assert_eq!(
        (last.command.as_slice(), last.status),
        (&[0x80, 0xFC, 0, 0][..], Some(StatusWord::Ok))
    );
}

#[test]
fn round_trips_for_the_auth_certificate_and_pin_signature() {
    for (caps, cert_max, sign_max) in [
        (LinkCapabilities::SHORT, 8, 5),
        (LinkCapabilities::extended(65536), 3, 5),
    ] {
        let mut c = Card::new(Traced::new(vcard("yamada", caps)));
        c.read_certificate(JpkiCertificateKind::Auth).unwrap();
        let n = c.transport().commands();
        assert!(n <= cert_max, "{caps:?}: {n} commands");
        assert_eq!(
            c.transport().entries()[0].command[..4],
            [0x00, 0xA4, 0x04, 0x0C]
        );

        let mut c = Card::new(Traced::new(vcard("yamada", caps)));
        c.verify_auth_pin(&pin("1234"), LastTryGuard::Refuse)
            .unwrap();
        c.sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha256,
            SignInput::Message(b"z"),
        )
        .unwrap();
        assert_eq!(c.transport().commands(), sign_max);
    }
}

#[test]
fn wrong_pin_then_last_try_refused_then_blocked() {
    let mut c = card("sato");
    let wrong = pin("0000");
    assert_eq!(
        c.verify_auth_pin(&wrong, LastTryGuard::Refuse),
        Err(CardError::Pin(PinError::WrongPin {
            key: KeyRef::JpkiAuthPin,
            remaining: 2
        }))
    );
    assert_eq!(
        c.verify_auth_pin(&wrong, LastTryGuard::Refuse),
        Err(CardError::Pin(PinError::WrongPin {
            key: KeyRef::JpkiAuthPin,
            remaining: 1
        }))
    );
    let before = c.transport().commands();
    assert_eq!(
        c.verify_auth_pin(&pin("4321"), LastTryGuard::Refuse),
        Err(CardError::Pin(PinError::LastTryRefused {
            key: KeyRef::JpkiAuthPin
        }))
    );
    assert_eq!(c.transport().commands(), before, "nothing sent");
    assert_eq!(
        c.transport()
            .inner()
            .remaining_tries(mynacard::virtual_card::CardApplication::Jpki, 0x18),
        Some(1)
    );
    assert_eq!(
        c.verify_auth_pin(&wrong, LastTryGuard::Allow),
        Err(CardError::Pin(PinError::Blocked {
            key: KeyRef::JpkiAuthPin
        }))
    );
    // A fresh session learns it from the query and never sends the PIN.
    let vc = c.into_inner().into_inner();
    let mut c = Card::new(Traced::new(vc));
    assert_eq!(
        c.verify_auth_pin(&pin("4321"), LastTryGuard::Refuse),
        Err(CardError::Pin(PinError::Blocked {
            key: KeyRef::JpkiAuthPin
        }))
    );
    assert!(
        c.transport()
            .entries()
            .iter()
            .all(|e| e.command.len() == 4 || e.command[1] != 0x20)
    );
    // Allowed: the VERIFY goes out unqueried and the card answers 6984.
    let vc = c.into_inner().into_inner();
    let mut c = Card::new(Traced::new(vc));
    assert_eq!(
        c.verify_auth_pin(&pin("4321"), LastTryGuard::Allow),
        Err(CardError::Pin(PinError::Blocked {
            key: KeyRef::JpkiAuthPin
        }))
    );
    assert_eq!(
        c.transport().entries().last().unwrap().status,
        Some(StatusWord::ReferenceDataBlocked)
    );
    // Local format errors cost nothing.
    assert!(Pin::new("12345").is_err());
    assert!(SignPassword::new("sato1985x").is_err());
}

#[test]
fn correct_pin_resets_the_counter() {
    let mut c = card("watanabe");
    assert!(matches!(
        c.verify_auth_pin(&pin("0000"), LastTryGuard::Refuse),
        Err(CardError::Pin(PinError::WrongPin { remaining: 2, .. }))
    ));
    c.verify_auth_pin(&pin("1357"), LastTryGuard::Refuse)
        .unwrap();
    assert_eq!(
        c.transport()
            .inner()
            .remaining_tries(mynacard::virtual_card::CardApplication::Jpki, 0x18),
        Some(3)
    );
}

#[test]
fn basic_four_checked_and_the_ef0001_trace() {
    let mut c = card("yamada");
    let trust = cv_trust();
    let (info, report) = c
        .read_basic_four_checked(
            KenhojoCredential::Pin(&pin("1234")),
            LastTryGuard::Refuse,
            &trust,
        )
        .unwrap();
    assert_eq!(info.name(), "山田　太郎");
    assert_eq!(info.address(), "東京都千代田区霞が関２－１－２");
    assert_eq!(info.birth_date(), CalendarDate::new(1990, 4, 1).unwrap());
    assert_eq!(info.sex(), Sex::Male);
    assert_eq!(report.basic_four_digest, IntegrityCheck::Verified);
    assert_eq!(report.signature, IntegrityCheck::Verified);
    assert!(matches!(
        report.my_number_digest,
        IntegrityCheck::NotChecked(_)
    ));
    assert_eq!(report.cv_certificate, IntegrityCheck::Verified);
    assert!(report.data_is_authentic());

    // With 照合番号B built from its parts, and without the CV CA key: not checked.
    let b = VerificationNumberB::from_parts(CalendarDate::new(1990, 4, 1).unwrap(), 2035, "2285")
        .unwrap();
    let (_, report) = c
        .read_basic_four_checked(
            KenhojoCredential::NumberB(&b),
            LastTryGuard::Refuse,
            &CvTrust::empty(),
        )
        .unwrap();
    assert!(matches!(
        report.cv_certificate,
        IntegrityCheck::NotChecked(_)
    ));
    assert_eq!(report.signature, IntegrityCheck::Verified);
    let plain = c
        .read_basic_four(KenhojoCredential::NumberB(&b), LastTryGuard::Refuse)
        .unwrap();
    assert_eq!(plain.name(), "山田　太郎");

    let ef0001 = |c: &Card<Traced<VirtualCard>>| {
        c.transport()
            .file_reads()
            .iter()
            .filter(|r| r.aid.as_deref() == Some(&KENHOJO_AID[..]) && r.fid == Some(1))
            .count()
    };
    // Nor does any other operation of the crate.
    let face_b =
        VerificationNumberB::from_parts(CalendarDate::new(1990, 4, 1).unwrap(), 2035, "2285")
            .unwrap();
    c.read_card_face(
        KenkakuCredential::NumberB(&face_b),
        LastTryGuard::Refuse,
        &CvTrust::empty(),
    )
    .unwrap();
    c.token_info().unwrap();
    c.cert_availability().unwrap();
    for kind in [
        JpkiCertificateKind::Auth,
        JpkiCertificateKind::AuthCa,
        JpkiCertificateKind::SignCa,
    ] {
        c.read_certificate(kind).unwrap();
    }
    c.verify_sign_password(
        &SignPassword::new("YAMADA2024").unwrap(),
        LastTryGuard::Refuse,
    )
    .unwrap();
    c.read_certificate(JpkiCertificateKind::Sign).unwrap();
    c.read_basic_four_checked(
        KenhojoCredential::Pin(&pin("1234")),
        LastTryGuard::Refuse,
        &CvTrust::empty(),
    )
    .unwrap();
    assert!(c.transport().file_reads().len() > 10);
    assert_eq!(
        ef0001(&c),
        0,
        "no operation but the named ones reads EF 0001"
    );
    let n = c
        .read_my_number_with_pin(&pin("1234"), LastTryGuard::Refuse)
        .unwrap();
    assert_eq!(n.expose_digits(), b"123456789018");
    assert_eq!(ef0001(&c), 1);
    let a = VerificationNumberA::new("123456789018").unwrap();
    c.read_my_number_with_verification_number_a(&a, LastTryGuard::Refuse)
        .unwrap();
    assert_eq!(ef0001(&c), 2);
    let (n, info, report) = c
        .read_my_number_checked_with_pin(&pin("1234"), LastTryGuard::Refuse, &trust)
        .unwrap();
    assert_eq!(n.expose_digits(), b"123456789018");
    assert_eq!(info.sex(), Sex::Male);
    assert_eq!(
        report,
        mynacard::card::IntegrityReport {
            basic_four_digest: IntegrityCheck::Verified,
            my_number_digest: IntegrityCheck::Verified,
            signature: IntegrityCheck::Verified,
            cv_certificate: IntegrityCheck::Verified,
            cv_ca: Some("6900033"),
        }
    );
    assert_eq!(ef0001(&c), 3);
}

#[test]
fn card_face_with_a_and_b() {
    let mut c = card("takahashi");
    let trust = cv_trust();
    let a = VerificationNumberA::new("567890123457").unwrap();
    let (face, report) = c
        .read_card_face(KenkakuCredential::NumberA(&a), LastTryGuard::Refuse, &trust)
        .unwrap();
    assert_eq!(face.birth_date(), CalendarDate::new(1989, 1, 7).unwrap());
    assert_eq!(face.sex(), Sex::Female);
    assert_eq!(face.expiry(), Some(CalendarDate::new(2034, 1, 7).unwrap()));
    assert_eq!(&face.face().jpeg2000()[4..8], b"jP  ");
    assert_eq!(&face.name_image()[..4], b"\x89PNG");
    assert_eq!(report.signature, IntegrityCheck::Verified);
    assert_eq!(report.cv_certificate, IntegrityCheck::Verified);
    // 昭和64年1月7日 → 照合番号B 640107 2034 6402.
    let b = VerificationNumberB::from_parts(face.birth_date(), 2034, "6402").unwrap();
    let mut c = card("takahashi");
    let (_, report) = c
        .read_card_face(
            KenkakuCredential::NumberB(&b),
            LastTryGuard::Refuse,
            &CvTrust::empty(),
        )
        .unwrap();
    assert_eq!(report.signature, IntegrityCheck::Verified);
}

/// Fails with `CardRemoved` from the n-th command on.
struct RemovedAfter<T> {
    inner: T,
    left: usize,
}

impl<T: Transport> Transport for RemovedAfter<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.left == 0 {
            return Err(TransportError::CardRemoved);
        }
        self.left -= 1;
        self.inner.transmit(command)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.inner.capabilities()
    }
}

#[test]
fn card_removed_mid_read_gives_a_typed_error_and_no_result() {
    for left in 1..4 {
        let mut c = Card::new(RemovedAfter {
            inner: vcard("yamada", LinkCapabilities::SHORT),
            left,
        });
        assert_eq!(
            c.read_certificate(JpkiCertificateKind::Auth).unwrap_err(),
            CardError::Exchange(mynacard::ExchangeError::Transport(
                TransportError::CardRemoved
            ))
        );
    }
    let mut c = Card::new(RemovedAfter {
        inner: vcard("yamada", LinkCapabilities::SHORT),
        left: 3,
    });
    let err = c
        .read_basic_four(KenhojoCredential::Pin(&pin("1234")), LastTryGuard::Refuse)
        .unwrap_err();
    assert_eq!(
        err,
        CardError::Exchange(mynacard::ExchangeError::Transport(
            TransportError::CardRemoved
        ))
    );
    let mut c = Card::new(RemovedAfter {
        inner: vcard("yamada", LinkCapabilities::SHORT),
        left: 2,
    });
    assert_eq!(
        c.read_basic_four(KenhojoCredential::Pin(&pin("1234")), LastTryGuard::Refuse)
            .unwrap_err(),
        CardError::Pin(PinError::VerifyInterrupted {
            key: KeyRef::KenhojoPin,
            source: TransportError::CardRemoved
        })
    );
}

/// Rewrites the card's responses.
struct Hostile<T, F> {
    inner: T,
    n: usize,
    f: F,
}

impl<T: Transport, F: FnMut(usize, Vec<u8>) -> Vec<u8>> Transport for Hostile<T, F> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let r = self.inner.transmit(command)?;
        self.n += 1;
        Ok((self.f)(self.n, r))
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.inner.capabilities()
    }
}

/// Rewrites response `n` (1-based).
trait Rewrite: FnMut(usize, Vec<u8>) -> Vec<u8> {}
impl<F: FnMut(usize, Vec<u8>) -> Vec<u8>> Rewrite for F {}

fn hostile(f: impl Rewrite) -> Card<Hostile<VirtualCard, impl Rewrite>> {
    Card::new(Hostile {
        inner: vcard("yamada", LinkCapabilities::SHORT),
        n: 0,
        f,
    })
}

#[test]
fn hostile_cards_fail_typed_without_panic() {
    // The certificate header claims 16 MiB.
    let mut c = hostile(|n, mut r| {
        if n == 2 {
            r[1..5].copy_from_slice(&[0x83, 0xFF, 0xFF, 0xFF]);
        }
        r
    });
    assert!(matches!(
        c.read_certificate(JpkiCertificateKind::Auth).unwrap_err(),
        CardError::Exchange(mynacard::ExchangeError::LengthLimit { .. })
    ));
    // The header claims 1 byte more than the card then delivers.
    let mut c = hostile(|n, mut r| {
        if n == 2 {
            r[3] = r[3].wrapping_add(1);
        }
        r
    });
    assert!(matches!(
        c.read_certificate(JpkiCertificateKind::Auth),
        Err(CardError::File(FileError {
            kind: FileErrorKind::Certificate { .. },
            ..
        })) | Err(CardError::Exchange(_))
    ));
    // A chunk longer than asked for.
    let mut c = hostile(|n, r| if n == 3 { [r.clone(), r].concat() } else { r });
    assert!(matches!(
        c.read_certificate(JpkiCertificateKind::Auth).unwrap_err(),
        CardError::Exchange(mynacard::ExchangeError::TooMuchData { .. })
    ));
    // Unexpected status words everywhere.
    for sw in [[0x6F, 0x00], [0x6A, 0x86], [0x90, 0x01], [0x63, 0x00]] {
        let mut c = hostile(move |_, _| sw.to_vec());
        assert!(c.read_certificate(JpkiCertificateKind::Auth).is_err());
        let mut c = hostile(move |n, r| if n >= 2 { sw.to_vec() } else { r });
        assert!(
            c.verify_auth_pin(&pin("1234"), LastTryGuard::Refuse)
                .is_err()
        );
    }
    // A basic-4 file whose inner lengths lie.
    let mut c = hostile(|n, mut r| {
        if n == 4 && r.len() > 8 {
            r[5] = 0x7F;
        }
        r
    });
    assert!(
        c.read_basic_four(KenhojoCredential::Pin(&pin("1234")), LastTryGuard::Refuse)
            .is_err()
    );
    // A card face whose signature was tampered with reads but does not verify.
    let mut c = Card::new(Hostile {
        inner: vcard("yamada", LinkCapabilities::extended(65536)),
        n: 0,
        f: |_: usize, mut r: Vec<u8>| {
            // Change the signed birth date (DF22) 19900401 → 19900402.
            if let Some(i) = r.windows(8).position(|w| w == b"19900401") {
                r[i + 7] = b'2';
            }
            r
        },
    });
    let a = VerificationNumberA::new("123456789018").unwrap();
    let (face, report) = c
        .read_card_face(
            KenkakuCredential::NumberA(&a),
            LastTryGuard::Refuse,
            &CvTrust::empty(),
        )
        .unwrap();
    assert_eq!(face.birth_date(), CalendarDate::new(1990, 4, 2).unwrap());
    assert_eq!(report.signature, IntegrityCheck::Failed);
}
