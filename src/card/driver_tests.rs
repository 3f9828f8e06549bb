//! Transcript tests of the driver: exact command bytes, counts, and failures.

use super::*;
use crate::apdu::StatusWord;
use crate::card::token::Availability;
use crate::card::{FileError, FileErrorKind, PinError};
use crate::transport::{LinkCapabilities, Traced, Transcript, TransportError};
use alloc::string::String;

const CA_DER: &[u8] = include_bytes!("../../tests/data/card/auth_ca_2023.der");
const SEL_JPKI: &str = "> 00A4040C0A D392F000260100000001\n< 9000\n";
const SEL_KENHOJO: &str = "> 00A4040C0A D3921000310001010408\n< 9000\n";

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

fn card(script: &str) -> Card<Transcript> {
    Card::new(Transcript::parse(script).unwrap())
}

fn finish(c: &Card<Transcript>) {
    c.transport().finish().unwrap();
}

/// READ BINARY exchanges for a file read by SFI in 256-byte chunks.
fn short_reads(sfi: u8, file: &[u8], filler: usize) -> String {
    let mut s = String::new();
    let mut padded = file.to_vec();
    padded.extend(std::iter::repeat_n(0xFF, filler));
    let first = &padded[..256.min(padded.len())];
    s += &format!("> 00B0{:02X}0000\n< {} 9000\n", 0x80 | sfi, hex(first));
    let mut off = 256;
    while off < file.len() {
        let n = 256.min(file.len() - off);
        s += &format!(
            "> 00B0{:04X}{:02X}\n< {} 9000\n",
            off,
            n & 0xFF,
            hex(&file[off..off + n])
        );
        off += n;
    }
    s
}

#[test]
fn reads_a_certificate_in_select_plus_chunks() {
    let script = format!("{SEL_JPKI}{}", short_reads(0x0B, CA_DER, 300));
    let mut c = card(&script);
    let cert = c.read_certificate(JpkiCertificateKind::AuthCa).unwrap();
    assert_eq!(cert.der(), CA_DER);
    assert_eq!(
        cert.certificate()
            .tbs_certificate()
            .serial_number()
            .as_bytes(),
        &CA_DER[15..19]
    );
    // 1319 bytes: SELECT + 6 READs.
    assert_eq!(c.counters().commands, 7);
    finish(&c);
}

#[test]
fn one_extended_read_when_the_link_allows() {
    let mut padded = CA_DER.to_vec();
    padded.extend([0xFF; 500]);
    let script = format!("{SEL_JPKI}> 00B08B00000000\n< {} 9000\n", hex(&padded));
    let t = Transcript::parse(&script)
        .unwrap()
        .with_capabilities(LinkCapabilities::extended(65536));
    let mut c = Card::new(t);
    assert_eq!(
        c.read_certificate(JpkiCertificateKind::AuthCa)
            .unwrap()
            .der(),
        CA_DER
    );
    assert_eq!(c.counters().commands, 2);
    finish(&c);
}

#[test]
fn no_reselect_of_the_selected_application() {
    let mut ti = b"JPKIAPICCTOKEN2".to_vec();
    ti.resize(160, b' ');
    let script = format!(
        "{SEL_JPKI}> 00B086 00 A0\n< {} 9000\n> 00B0880003\n< 8F8F00 9000\n",
        hex(&ti)
    );
    let mut c = card(&script);
    assert_eq!(c.token_info().unwrap().kind, TokenKind::Card);
    assert_eq!(c.token_kind(), Some(TokenKind::Card));
    assert_eq!(c.cert_availability().unwrap().auth, Availability::Present);
    assert_eq!(c.counters().commands, 3);
    finish(&c);
}

fn signature() -> String {
    "5A".repeat(256)
}

#[test]
fn pin_then_signature_in_five_commands() {
    let di = hex(&HashAlgorithm::Sha256
        .digest_info(&HashAlgorithm::Sha256.hash(b"challenge"))
        .unwrap());
    let script = format!(
        "{SEL_JPKI}> 00200098\n< 63C3\n> 0020009804 31323334\n< 9000\n\
         > 00A4020C02 0017\n< 9000\n> 802A008033 {di} 00\n< {} 9000\n",
        signature()
    );
    let mut c = card(&script);
    c.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Refuse)
        .unwrap();
    let sig = c
        .sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha256,
            SignInput::Message(b"challenge"),
        )
        .unwrap();
    assert_eq!(sig, vec![0x5A; 256]);
    assert_eq!(c.counters().commands, 5);
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap(),
        PinStatus::VERIFIED
    );
    finish(&c);
}

#[test]
fn sign_by_sfi_option_skips_the_key_select() {
    let di = hex(&HashAlgorithm::Sha384.digest_info(&[7; 48]).unwrap());
    let script = format!(
        "{SEL_JPKI}> 0020009B\n< 63C5\n> 0020009B06 414231323334\n< 9000\n> 802A009A43 {di} 00\n< {} 9000\n",
        signature()
    );
    let mut c = card(&script).with_options(CardOptions {
        sign_addressing: SignAddressing::BySfi,
    });
    c.verify_sign_password(&SignPassword::new("AB1234").unwrap(), LastTry::Refuse)
        .unwrap();
    c.sign(
        JpkiKey::Sign,
        HashAlgorithm::Sha384,
        SignInput::Digest(&[7; 48]),
    )
    .unwrap();
    assert_eq!(c.counters().commands, 4);
    finish(&c);
}

#[test]
fn last_try_is_refused_without_sending_the_pin() {
    let mut c = card(&format!("{SEL_JPKI}> 00200098\n< 63C1\n"));
    assert_eq!(
        c.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Refuse),
        Err(CardError::Pin(PinError::LastTryRefused {
            key: KeyRef::JpkiAuthPin
        }))
    );
    finish(&c);
    // Refused again from the cached status: no command at all.
    assert_eq!(
        c.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Refuse),
        Err(CardError::Pin(PinError::LastTryRefused {
            key: KeyRef::JpkiAuthPin
        }))
    );
    assert_eq!(c.counters().commands, 2);
}

#[test]
fn allowed_last_try_that_fails_reports_blocked() {
    // Known: 1 left, allowed.
    let mut c = card(&format!(
        "{SEL_JPKI}> 00200098\n< 63C1\n> 0020009804 31313131\n< 63C0\n"
    ));
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap().remaining,
        Some(1)
    );
    assert_eq!(
        c.verify_auth_pin(&Pin::new("1111").unwrap(), LastTry::Allow),
        Err(CardError::Pin(PinError::Blocked {
            key: KeyRef::JpkiAuthPin
        }))
    );
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap(),
        PinStatus {
            remaining: Some(0),
            blocked: true
        }
    );
    finish(&c);
}

#[test]
fn blocked_pin_is_never_sent() {
    let mut c = card(&format!("{SEL_KENHOJO}> 00200091\n< 6984\n"));
    let pin = Pin::new("1234").unwrap();
    assert_eq!(
        c.read_basic_four(KenhojoCredential::Pin(&pin), LastTry::Refuse)
            .unwrap_err(),
        CardError::Pin(PinError::Blocked {
            key: KeyRef::KenhojoPin
        })
    );
    finish(&c);
}

#[test]
fn wrong_pins_count_down_with_one_query() {
    let mut c = card(&format!(
        "{SEL_JPKI}> 00200098\n< 63C3\n> 0020009804 31313131\n< 63C2\n> 0020009804 32323232\n< 63C1\n"
    ));
    assert_eq!(
        c.verify_auth_pin(&Pin::new("1111").unwrap(), LastTry::Refuse),
        Err(CardError::Pin(PinError::WrongPin {
            key: KeyRef::JpkiAuthPin,
            remaining: 2
        }))
    );
    assert_eq!(
        c.verify_auth_pin(&Pin::new("2222").unwrap(), LastTry::Refuse),
        Err(CardError::Pin(PinError::WrongPin {
            key: KeyRef::JpkiAuthPin,
            remaining: 1
        }))
    );
    assert_eq!(
        c.verify_auth_pin(&Pin::new("3333").unwrap(), LastTry::Refuse),
        Err(CardError::Pin(PinError::LastTryRefused {
            key: KeyRef::JpkiAuthPin
        }))
    );
    finish(&c);
}

#[test]
fn verify_is_never_retried_after_a_link_failure() {
    let mut c = card(&format!(
        "{SEL_JPKI}> 00200098\n< 63C3\n> 0020009804 31323334\n<! removed\n"
    ));
    assert_eq!(
        c.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Refuse),
        Err(CardError::Pin(PinError::VerifyInterrupted {
            key: KeyRef::JpkiAuthPin,
            source: TransportError::CardRemoved
        }))
    );
    assert_eq!(c.selected(), None);
    finish(&c);
}

#[test]
fn card_removed_mid_read_gives_no_partial_result() {
    let file_head = &CA_DER[..256];
    let script = format!(
        "{SEL_JPKI}> 00B08B0000\n< {} 9000\n> 00B0010000\n<! removed\n",
        hex(file_head)
    );
    let mut c = card(&script);
    assert_eq!(
        c.read_certificate(JpkiCertificateKind::AuthCa).unwrap_err(),
        CardError::Exchange(crate::ExchangeError::Transport(TransportError::CardRemoved))
    );
    assert_eq!(c.selected(), None, "the next operation selects again");
    finish(&c);
}

#[test]
fn hostile_lengths_are_refused_before_allocation() {
    // A certificate header declaring 16 MiB.
    let mut c = card(&format!("{SEL_JPKI}> 00B08A0000\n< 3083FFFFFF 9000\n"));
    assert_eq!(
        c.read_certificate(JpkiCertificateKind::Auth).unwrap_err(),
        CardError::Exchange(crate::ExchangeError::LengthLimit {
            declared: 0xFFFFFF + 5,
            limit: 65536
        })
    );
    // A header that promises more than the file holds.
    let mut c = card(&format!("{SEL_JPKI}> 00B08A0000\n< 30820400 3003 9000\n"));
    assert_eq!(
        c.read_certificate(JpkiCertificateKind::Auth).unwrap_err(),
        CardError::Exchange(crate::ExchangeError::FileShorterThanDeclared {
            declared: 1028,
            got: 6
        })
    );
    // More data than asked for.
    let mut c = card(&format!("{SEL_JPKI}> 00B0880003\n< 8F8F0000 9000\n"));
    assert_eq!(
        c.cert_availability().unwrap_err(),
        CardError::Exchange(crate::ExchangeError::TooMuchData {
            requested: 3,
            got: 4
        })
    );
    // A well-framed object that is not a certificate.
    let mut c = card(&format!("{SEL_JPKI}> 00B08A0000\n< 300302010A 9000\n"));
    assert!(matches!(
        c.read_certificate(JpkiCertificateKind::Auth).unwrap_err(),
        CardError::File(FileError {
            kind: FileErrorKind::Certificate { .. },
            ..
        })
    ));
}

#[test]
fn unexpected_status_words_are_typed() {
    let mut c = card("> 00A4040C0A D392F000260100000001\n< 6A82\n");
    assert_eq!(
        c.token_info().unwrap_err().status(),
        Some(StatusWord::FileNotFound)
    );
    assert_eq!(c.selected(), None);
    let mut c = card(&format!("{SEL_JPKI}> 00200098\n< 6700\n"));
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap_err(),
        CardError::Pin(PinError::UnexpectedVerifyStatus {
            key: KeyRef::JpkiAuthPin,
            sw: StatusWord::WrongLength
        })
    );
    let di = hex(&HashAlgorithm::Sha1.digest_info(&[1; 20]).unwrap());
    let mut c = card(&format!(
        "{SEL_JPKI}> 00A4020C02 0017\n< 9000\n> 802A008023 {di} 00\n< 6982\n"
    ));
    assert_eq!(
        c.sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha1,
            SignInput::Digest(&[1; 20])
        )
        .unwrap_err()
        .status(),
        Some(StatusWord::SecurityStatusNotSatisfied)
    );
    let mut c = card(&format!(
        "{SEL_JPKI}> 00A4020C02 0017\n< 9000\n> 802A008023 {di} 00\n< 0102 9000\n"
    ));
    assert_eq!(
        c.sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha1,
            SignInput::Digest(&[1; 20])
        )
        .unwrap_err(),
        CardError::File(FileError {
            file: crate::card::jpki::SIGNATURE,
            kind: FileErrorKind::Length {
                expected: 256,
                got: 2
            }
        })
    );
}

#[test]
fn allowed_and_unknown_sends_verify_without_query() {
    let mut c = card(&format!("{SEL_JPKI}> 0020009804 31323334\n< 6984\n"));
    assert_eq!(
        c.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Allow),
        Err(CardError::Pin(PinError::Blocked {
            key: KeyRef::JpkiAuthPin
        }))
    );
    // Now known blocked: nothing more is sent even when allowed.
    assert_eq!(
        c.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Allow),
        Err(CardError::Pin(PinError::Blocked {
            key: KeyRef::JpkiAuthPin
        }))
    );
    assert_eq!(c.counters().commands, 2);
    finish(&c);
}

#[test]
fn wrong_digest_length_sends_nothing() {
    let mut c = card("");
    assert!(matches!(
        c.sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha256,
            SignInput::Digest(&[0; 20])
        ),
        Err(CardError::Format(crate::card::FormatError::DigestLength(_)))
    ));
    finish(&c);
}

#[test]
fn iphone_token_has_no_verify_and_ends_the_transaction() {
    let di = hex(&HashAlgorithm::Sha256.digest_info(&[2; 32]).unwrap());
    let mut c = card(&format!(
        "{SEL_JPKI}> 00A4020C02 0017\n< 9000\n> 802A008033 {di} 00\n< {} 9000\n> 80FC0000\n< 9000\n",
        signature()
    ));
    c.set_token_kind(TokenKind::Iphone);
    assert!(matches!(
        c.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Refuse),
        Err(CardError::NotOnThisToken {
            token: TokenKind::Iphone,
            ..
        })
    ));
    c.sign(
        JpkiKey::Auth,
        HashAlgorithm::Sha256,
        SignInput::Digest(&[2; 32]),
    )
    .unwrap();
    assert!(c.end_transaction().unwrap());
    finish(&c);
    let mut c = card("");
    c.set_token_kind(TokenKind::Card);
    assert!(!c.end_transaction().unwrap());
}

fn ef0002() -> Vec<u8> {
    let name = "山田　太郎".as_bytes();
    let mut fields = Vec::new();
    for (tag, v) in [
        (0x22u8, name),
        (0x23, "東京都".as_bytes()),
        (0x24, b"19900401"),
        (0x25, b"1"),
    ] {
        fields.extend_from_slice(&[0xDF, tag, v.len() as u8]);
        fields.extend_from_slice(v);
    }
    let mut out = vec![0xFF, 0x20, (11 + fields.len()) as u8];
    out.extend_from_slice(&[0xDF, 0x21, 0x08, 0, 0x0E, 0, 0x20, 0, 0x2C, 0, 0x37]);
    out.extend_from_slice(&fields);
    out
}

#[test]
fn basic_four_with_pin_never_touches_ef0001() {
    let mut padded = ef0002();
    padded.resize(256, 0xFF);
    let script = format!(
        "{SEL_KENHOJO}> 00200091\n< 63C3\n> 0020009104 31323334\n< 9000\n> 00B0820000\n< {} 9000\n",
        hex(&padded)
    );
    let mut c = Card::new(Traced::new(Transcript::parse(&script).unwrap()));
    let pin = Pin::new("1234").unwrap();
    let info = c
        .read_basic_four(KenhojoCredential::Pin(&pin), LastTry::Refuse)
        .unwrap();
    assert_eq!(info.name(), "山田　太郎");
    assert_eq!(info.sex(), crate::person::Sex::Male);
    assert_eq!(c.counters().commands, 4);
    let reads = c.transport().file_reads();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].fid, Some(2));
    assert!(
        c.transport()
            .entries()
            .iter()
            .all(|e| !e.command.windows(4).any(|w| w == b"1234"))
    );
    c.transport().inner().finish().unwrap();
}

#[test]
fn basic_four_with_number_b() {
    let script = format!(
        "{SEL_KENHOJO}> 00200095\n< 63CA\n> 002000950E 3535303231373230333532323835\n< 9000\n> 00B0820000\n< {} 9000\n",
        hex(&ef0002())
    );
    let mut c = card(&script);
    let b = VerificationNumberB::new("55021720352285").unwrap();
    let info = c
        .read_basic_four(KenhojoCredential::NumberB(&b), LastTry::Refuse)
        .unwrap();
    assert_eq!(info.address(), "東京都");
    finish(&c);
}

#[test]
fn my_number_only_through_its_named_method() {
    let script = format!(
        "{SEL_KENHOJO}> 00200091\n< 63C3\n> 0020009104 31323334\n< 9000\n\
         > 00B0810011\n< FF100C313233343536373839303138FFFF 9000\n"
    );
    let mut c = Card::new(Traced::new(Transcript::parse(&script).unwrap()));
    let n = c
        .read_my_number_with_pin(&Pin::new("1234").unwrap(), LastTry::Refuse)
        .unwrap();
    assert_eq!(n.expose_digits(), b"123456789018");
    assert_eq!(c.transport().file_reads()[0].fid, Some(1));
    let script = format!(
        "{SEL_KENHOJO}> 00200094\n< 63CA\n> 002000940C 313233343536373839303138\n< 9000\n\
         > 00B0810011\n< FF100C313233343536373839303138FFFF 9000\n"
    );
    let mut c = card(&script);
    let a = VerificationNumberA::new("123456789018").unwrap();
    c.read_my_number_with_verification_number_a(&a, LastTry::Refuse)
        .unwrap();
    finish(&c);
}

#[test]
fn reset_forgets_selection_and_verification() {
    let mut c = card(&format!(
        "{SEL_JPKI}> 00200098\n< 9000\n{SEL_JPKI}> 00200098\n< 63C3\n"
    ));
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap(),
        PinStatus::VERIFIED
    );
    c.forget_state();
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap(),
        PinStatus {
            remaining: Some(3),
            blocked: false
        }
    );
    finish(&c);
}

/// A transcript whose reader has a keypad: records the PIN-pad requests.
struct Keypad {
    t: Transcript,
    answer: Vec<u8>,
    requests: Vec<crate::transport::PinPadRequest>,
}

impl Transport for Keypad {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.t.transmit(command)
    }
}

impl crate::transport::PinPad for Keypad {
    fn has_pin_pad(&self) -> bool {
        true
    }
    fn verify_on_pin_pad(
        &mut self,
        request: &crate::transport::PinPadRequest,
    ) -> Result<Vec<u8>, TransportError> {
        self.requests.push(*request);
        Ok(self.answer.clone())
    }
}

#[test]
fn pin_pad_verify_is_guarded_and_sends_no_pin() {
    let keypad = |answer: &[u8], script: &str| Keypad {
        t: Transcript::parse(script).unwrap(),
        answer: answer.to_vec(),
        requests: Vec::new(),
    };
    let mut c = Card::new(Traced::new(keypad(
        &[0x90, 0x00],
        &format!("{SEL_JPKI}> 00200098\n< 63C3\n"),
    )));
    c.verify_on_pin_pad(KeyRef::JpkiAuthPin, LastTry::Refuse)
        .unwrap();
    let k = c.transport().inner();
    assert_eq!(
        k.requests,
        [crate::transport::PinPadRequest {
            header: [0x00, 0x20, 0x00, 0x98],
            min_digits: 4,
            max_digits: 4
        }]
    );
    let last = c.transport().entries().last().unwrap();
    assert!(last.pin_pad);
    assert_eq!(last.command, [0x00, 0x20, 0x00, 0x98]);
    assert_eq!(
        c.pin_status(KeyRef::JpkiAuthPin).unwrap(),
        PinStatus::VERIFIED
    );

    let mut c = Card::new(keypad(
        &[0x63, 0xC1],
        &format!("{SEL_KENHOJO}> 00200091\n< 63C2\n"),
    ));
    assert_eq!(
        c.verify_on_pin_pad(KeyRef::KenhojoPin, LastTry::Refuse),
        Err(CardError::Pin(PinError::WrongPin {
            key: KeyRef::KenhojoPin,
            remaining: 1
        }))
    );
    assert_eq!(
        c.verify_on_pin_pad(KeyRef::KenhojoPin, LastTry::Refuse),
        Err(CardError::Pin(PinError::LastTryRefused {
            key: KeyRef::KenhojoPin
        }))
    );
    assert_eq!(c.transport().requests.len(), 1);
    // Keypad timeout / cancel are typed and spend nothing.
    let mut c = Card::new(keypad(
        &[0x64, 0x00],
        &format!("{SEL_JPKI}> 00200098\n< 63C3\n"),
    ));
    assert_eq!(
        c.verify_on_pin_pad(KeyRef::JpkiAuthPin, LastTry::Refuse),
        Err(CardError::Pin(PinError::PinPadTimeout {
            key: KeyRef::JpkiAuthPin
        }))
    );
    let mut c = Card::new(keypad(
        &[0x64, 0x01],
        &format!("{SEL_JPKI}> 00200098\n< 63C3\n"),
    ));
    assert_eq!(
        c.verify_on_pin_pad(KeyRef::JpkiAuthPin, LastTry::Refuse),
        Err(CardError::Pin(PinError::PinPadCancelled {
            key: KeyRef::JpkiAuthPin
        }))
    );
}

#[test]
fn a_secret_of_the_wrong_kind_sends_nothing() {
    let mut c = card("");
    let pin = Pin::new("1234").unwrap();
    assert_eq!(
        c.verify(KeyRef::KenkakuNumberB, &pin, LastTry::Allow),
        Err(CardError::Pin(PinError::WrongSecretKind {
            key: KeyRef::KenkakuNumberB
        }))
    );
    let pw = SignPassword::new("AB1234").unwrap();
    assert_eq!(
        c.verify(KeyRef::JpkiAuthPin, &pw, LastTry::Allow),
        Err(CardError::Pin(PinError::WrongSecretKind {
            key: KeyRef::JpkiAuthPin
        }))
    );
    assert_eq!(c.counters().commands, 0);
    // The generic form, right kind.
    let mut c = card(&format!(
        "{SEL_KENHOJO}> 00200091\n< 63C3\n> 0020009104 31323334\n< 9000\n"
    ));
    c.verify(KeyRef::KenhojoPin, &pin, LastTry::Refuse).unwrap();
    finish(&c);
}
