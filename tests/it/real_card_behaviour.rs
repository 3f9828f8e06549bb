//! Conformance of the virtual card (and of the host code that meets it) with what
//! systematic probes of **real JPKI test cards** recorded: the public crate
//! soltia48/myna-card (each test cites the file and item). Every behaviour here is
//! single-source; where the virtual card makes it configurable the test names the
//! option. Where our fact sheet (`../shared/docs/card-apdu.md`) and a measurement
//! disagree, the test follows the measurement.
//!
//! Physical-card behaviours run on the card profile; the phone profiles are checked
//! where the measurement says something about them (no card manager, no 券面 APs).

#![cfg(feature = "virtual-card")]

use mynacard::card::Card;
use mynacard::card::CommonCardInfo;
use mynacard::card::ContactAtr;
use mynacard::session::{Logout, logout};
use mynacard::transport::Transport;
use mynacard::virtual_card::{
    CONTACT_ATR, CONTACT_ATR_2024, CardApplication, Profile, VirtualCard, VirtualCardOptions,
};
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, PrivateKey, Pss, PublicKey};
use sha2::{Digest, Sha256};

const JPKI: &[u8] = &[
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
];
const KENHOJO: &[u8] = &[
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08,
];
const KENKAKU: &[u8] = &[
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02,
];
const JUKI: &[u8] = &[
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01,
];
const COMMON: &[u8] = &[
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00,
];
const ISD: &[u8] = &[
    0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00,
];
/// VERIFY of the JPKI auth PIN `1234` (yamada) by SFI.
const VERIFY_AUTH: &[u8] = &[0x00, 0x20, 0x00, 0x98, 0x04, b'1', b'2', b'3', b'4'];

fn card() -> VirtualCard {
    VirtualCard::test_holder("yamada").unwrap()
}

fn card_with(options: VirtualCardOptions) -> VirtualCard {
    VirtualCard::test_holder_with("yamada", options).unwrap()
}

/// A card powered up again answers its first command `6F00` (measured, the default): these
/// raw-APDU tests spend it on a SELECT of the Issuer Security Domain, which changes nothing.
fn powered_up(mut c: VirtualCard) -> VirtualCard {
    assert_eq!(c.transmit(ISD).unwrap(), [0x6F, 0x00]);
    c
}

fn tx(card: &mut VirtualCard, apdu: &[u8]) -> (Vec<u8>, u16) {
    let mut r = card.transmit(apdu).unwrap();
    let sw2 = r.pop().unwrap();
    let sw1 = r.pop().unwrap();
    (r, u16::from_be_bytes([sw1, sw2]))
}

fn sw(card: &mut VirtualCard, apdu: &[u8]) -> u16 {
    tx(card, apdu).1
}

fn select_ef(fid: u16) -> Vec<u8> {
    let [hi, lo] = fid.to_be_bytes();
    vec![0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo]
}

/// `80 2A <p1> 97 Lc data 00`: sign with the auth key by SFI.
fn sign_auth(p1: u8, data: &[u8]) -> Vec<u8> {
    let mut c = vec![0x80, 0x2A, p1, 0x97, data.len() as u8];
    c.extend_from_slice(data);
    c.push(0x00);
    c
}

fn sha256_digest_info(message: &[u8]) -> Vec<u8> {
    let mut di = vec![
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    di.extend_from_slice(&Sha256::digest(message));
    di
}

fn test_key(file: &str) -> PrivateKey {
    let path = format!(
        "{}/crates/mynacard-virtual-card/data/pki/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    PrivateKey::from_pkcs8_der(&std::fs::read(path).unwrap()).unwrap()
}

fn auth_public() -> PublicKey {
    test_key("yamada_auth.key.der").to_public_key()
}

/// Every profile's card, for the behaviours measured on phones as well.
fn every_profile() -> [(Profile, VirtualCard); 3] {
    [
        (Profile::Card, card()),
        (Profile::Android, VirtualCard::test_holder("ito").unwrap()),
        (Profile::Iphone, VirtualCard::test_holder("kato").unwrap()),
    ]
}

// ------------------------------------------------------------ reset and power

/// soltia48/myna-card `src/transport/pcsc.rs`, `PcscTransport::power_cycle`: "A warm
/// reset does not [clear the security status], and neither does disconnecting and
/// reconnecting". Option `warm_reset_keeps_security_state` (default true).
#[test]
fn warm_reset_keeps_the_verified_pin() {
    let mut c = card();
    assert_eq!(sw(&mut c, JPKI), 0x9000);
    assert_eq!(sw(&mut c, VERIFY_AUTH), 0x9000);
    c.reset();
    assert_eq!(sw(&mut c, JPKI), 0x9000);
    assert_eq!(
        sw(&mut c, &sign_auth(0x00, &sha256_digest_info(b"x"))),
        0x9000
    );
}

/// Same source: powering the card down "is the only thing that clears the card's
/// security status".
#[test]
fn power_off_clears_the_verified_pin() {
    let mut c = card();
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, VERIFY_AUTH), 0x9000);
    c.power_off();
    c.power_on();
    assert_eq!(c.current_application(), None);
    let mut c = powered_up(c);
    sw(&mut c, JPKI);
    assert_eq!(
        sw(&mut c, &sign_auth(0x00, &sha256_digest_info(b"x"))),
        0x6982
    );
}

/// Same source: "The first command after the card comes back is answered 6F00".
/// Option `answer_6f00_after_power_up` (default **true**, as measured; issue 21.3): a card
/// powered up again (also through `Transport::power_cycle`); once, then normal.
#[test]
fn first_command_after_power_up_is_6f00() {
    let mut c = card();
    c.power_off();
    c.power_on();
    assert_eq!(sw(&mut c, JPKI), 0x6F00);
    assert_eq!(sw(&mut c, JPKI), 0x9000);
    assert!(c.power_cycle().unwrap());
    assert_eq!(sw(&mut c, JPKI), 0x6F00);
    assert_eq!(sw(&mut c, JPKI), 0x9000);
    let mut o = VirtualCardOptions::default();
    o.answer_6f00_after_power_up = false;
    let mut quiet = card_with(o);
    quiet.power_off();
    quiet.power_on();
    assert_eq!(sw(&mut quiet, JPKI), 0x9000);
}

/// Issue 21.3: every host path copes with the power-up 6F00, once — here the exchange (the
/// flows and the intake resend it themselves, so the runner and the intake driver do not:
/// `runner::tests::power_up_6f00_is_resent_once_by_the_flow_not_again_by_the_runner`,
/// tests/it/flows_bytes.rs) — and still fails on a 6F00 that is the card's answer to a later
/// command.
#[test]
fn every_host_path_absorbs_the_power_up_6f00_once() {
    use mynacard::card::{Application, JpkiCertificateKind};
    use mynacard::exchange::Exchange;
    let fresh = || {
        let mut c = card();
        c.power_off();
        c.power_on();
        c
    };
    // The exchange (under the Card driver).
    let mut host = Card::new(fresh());
    let cert = host.read_certificate(JpkiCertificateKind::Auth).unwrap();
    assert_eq!(
        cert.der(),
        include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.der")
    );
    // A bare exchange: the first command is sent twice, counted twice.
    let mut ex = Exchange::new(fresh());
    let r = ex.transmit(&Application::Jpki.select()).unwrap();
    assert_eq!(r.status().to_u16(), 0x9000);
    assert_eq!(ex.counters().commands, 2);
    // After the first answer, a 6F00 is an answer: powered down and up behind the
    // exchange's back, the next command fails instead of being resent forever.
    ex.transport_mut().power_off();
    ex.transport_mut().power_on();
    let r = ex.transmit(&Application::Jpki.select()).unwrap();
    assert_eq!(r.status().to_u16(), 0x6F00);
}

/// Host side of the same measurement: `session::logout` power-cycles, absorbs the
/// 6F00 and leaves no verified PIN.
#[test]
fn host_logout_logs_out_and_absorbs_6f00() {
    let mut o = VirtualCardOptions::default();
    o.answer_6f00_after_power_up = true;
    let mut c = card_with(o);
    sw(&mut c, JPKI);
    sw(&mut c, VERIFY_AUTH);
    assert_eq!(logout(&mut c).unwrap(), Logout::PowerCycled);
    assert_eq!(sw(&mut c, JPKI), 0x9000, "the 6F00 was absorbed by logout");
    assert_eq!(
        sw(&mut c, &sign_auth(0x00, &sha256_digest_info(b"x"))),
        0x6982
    );
}

/// soltia48/myna-card `src/sm.rs` (`SecureSession`: "cleared when an application is
/// selected … exactly like a security status"): selecting another application ends
/// the verified state.
#[test]
fn selecting_another_application_clears_the_verified_pin() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, VERIFY_AUTH);
    sw(&mut c, KENKAKU);
    sw(&mut c, JPKI);
    assert_eq!(
        sw(&mut c, &sign_auth(0x00, &sha256_digest_info(b"x"))),
        0x6982
    );
}

// ------------------------------------------------------------ card manager / MF

/// soltia48/myna-card `src/card.rs` (comment on `select_mf`): `00 A4 00 00` answers
/// 6A86 after a reset and 9000 without changing the DF once an AP is selected; 3F00
/// answers 6A82.
#[test]
fn iso_select_mf_is_not_a_select() {
    let mut c = card();
    assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x00, 0x00]), 0x6A86);
    assert_eq!(
        sw(&mut c, &[0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00]),
        0x6A82
    );
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x00, 0x00]), 0x9000);
    assert_eq!(c.current_application(), Some(CardApplication::Jpki));
}

/// soltia48/myna-card `src/mf.rs` (`MasterFile::select`): the GP Issuer Security Domain
/// `A0 00 00 01 51 00 00` is selectable and restores the MF-level GET DATA state.
/// Phones have no card manager (6A82).
#[test]
fn issuer_security_domain_restores_the_mf_state() {
    let mut c = card();
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, &[0x00, 0xCA, 0x00, 0xF0, 0x00]), 0x6A88);
    assert_eq!(sw(&mut c, ISD), 0x9000);
    assert_eq!(c.current_application(), None);
    let (value, s) = tx(&mut c, &[0x00, 0xCA, 0x00, 0xF0, 0x00]);
    assert_eq!((value.len(), s), (5, 0x9000));
    for (profile, mut c) in every_profile() {
        if profile != Profile::Card {
            assert_eq!(sw(&mut c, ISD), 0x6A82, "{profile:?}");
        }
    }
}

/// soltia48/myna-card `src/mf.rs`, module `tag`: the objects GET DATA answers at the
/// MF (0042 16 bytes, 0045 ASCII, 0066, 00F0 5 digits, 00F2 8 digits, 00F7 16 bytes,
/// 00F8 a CV certificate without its 7F21 wrapper); an absent one (7F21 here, "absent on
/// some cards") is 6A88.
#[test]
fn get_data_at_the_mf() {
    let mut c = card();
    let mut get = |tag: u16| {
        let [hi, lo] = tag.to_be_bytes();
        tx(&mut c, &[0x00, 0xCA, hi, lo, 0x00, 0x00, 0x00])
    };
    assert_eq!(get(0x0042).0.len(), 16);
    assert!(get(0x0045).0.iter().all(u8::is_ascii_digit));
    assert_eq!(get(0x0066).0.first(), Some(&0x73));
    let f0 = get(0x00F0).0;
    assert!(f0.len() == 5 && f0.iter().all(u8::is_ascii_digit));
    let f2 = get(0x00F2).0;
    assert!(f2.len() == 8 && f2.iter().all(u8::is_ascii_digit));
    assert_eq!(get(0x00F7).0.len(), 16);
    let f8 = get(0x00F8).0;
    assert_eq!(&f8[..2], &[0x5F, 0x4E], "no 7F21 wrapper");
    let lower = get(0x7F21).0;
    assert_eq!(&lower[..2], &[0x5F, 0x4E], "no 7F21 wrapper");
    assert_eq!(get(0x00F7).0, lower[5..21], "00F7 names 7F21's issuer");
    assert_eq!(get(0x1234).1, 0x6A88);
    for (profile, mut c) in every_profile() {
        if profile != Profile::Card {
            assert_eq!(sw(&mut c, &[0x00, 0xCA, 0x00, 0xF0, 0x00]), 0x6A88);
        }
    }
}

/// soltia48/myna-card `src/card.rs` (`Card::get_data`; card-apdu.md §3.5): an object
/// over 256 bytes needs an extended Le; a short Le is answered 6700, not 6Cxx.
#[test]
fn get_data_of_a_large_object_needs_extended_le() {
    let mut c = card();
    assert_eq!(sw(&mut c, &[0x00, 0xCA, 0x00, 0xF8, 0x00]), 0x6700);
    let (v, s) = tx(&mut c, &[0x00, 0xCA, 0x00, 0xF8, 0x00, 0x00, 0x00]);
    assert!(s == 0x9000 && v.len() > 256);
}

/// soltia48/myna-card `src/mf.rs`, `tag::CONTACT_ATR`: 5F51 is the contact ATR without
/// TS, answered with an application current too — for the older ATR and the 2024 one
/// (option `atr`); the host's `Card::contact_atr` restores and checks it.
#[test]
fn get_data_5f51_is_the_contact_atr_without_ts() {
    for atr in [CONTACT_ATR.to_vec(), CONTACT_ATR_2024.to_vec()] {
        let mut o = VirtualCardOptions::default();
        o.atr = atr.clone();
        let mut c = card_with(o);
        assert_eq!(tx(&mut c, &[0x00, 0xCA, 0x5F, 0x51, 0x00]).0, atr[1..]);
        sw(&mut c, JPKI);
        assert_eq!(tx(&mut c, &[0x00, 0xCA, 0x5F, 0x51, 0x00]).0, atr[1..]);
        let mut host = Card::new(c);
        let parsed: ContactAtr = host.contact_atr().unwrap();
        assert_eq!(parsed.as_bytes(), atr);
    }
}

/// soltia48/myna-card `src/mf.rs` (module docs): MF EF 001E can be selected but READ
/// BINARY and READ RECORD answer 6981; sweeping SFIs at the MF finds nothing (6A82).
#[test]
fn mf_ef_001e_is_internal_and_the_mf_has_no_readable_ef() {
    let mut c = card();
    assert_eq!(sw(&mut c, &select_ef(0x001E)), 0x9000);
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x00]), 0x6981);
    assert_eq!(sw(&mut c, &[0x00, 0xB2, 0x01, 0x04, 0x00]), 0x6981);
    for sfi in 1..=30u8 {
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x80 | sfi, 0x00, 0x00]), 0x6A82);
    }
}

// ------------------------------------------------------------ 共通AP, 住基AP

/// soltia48/myna-card `src/ap/common.rs` (`CardInfo`): EF 0001 record 1 is `01 1C` + 28
/// digits (serial 15, municipality 5, expiry), read without a PIN; the host parser.
#[test]
fn common_ap_card_info_record() {
    let mut c = card();
    sw(&mut c, COMMON);
    let (record, s) = tx(&mut c, &[0x00, 0xB2, 0x01, 0x0C, 0x00]);
    assert_eq!(s, 0x9000);
    assert_eq!(&record[..2], &[0x01, 0x1C]);
    let info = CommonCardInfo::parse(&record).unwrap();
    assert_eq!(info.municipality_code(), "99999");
    assert_eq!(info.expiry().len(), 8);
    let mut host = Card::new(card());
    assert_eq!(host.common_card_info().unwrap(), info);
}

/// soltia48/myna-card `src/mf.rs` (`read_all_records`): the multi-record form may answer
/// 6A81, a record past the last 6A83; a transparent EF answers READ RECORD 6981.
#[test]
fn read_record_edges() {
    let mut c = card();
    sw(&mut c, COMMON);
    assert_eq!(sw(&mut c, &[0x00, 0xB2, 0x02, 0x0C, 0x00]), 0x6A83);
    assert_eq!(sw(&mut c, &[0x00, 0xB2, 0x01, 0x0D, 0x00]), 0x6A81);
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, &[0x00, 0xB2, 0x01, 0x2C, 0x00]), 0x6981);
}

/// soltia48/myna-card `src/ap/common.rs` and `src/ap/juki.rs` (`ef::KEY_REFERENCE`): EF
/// 0002 of both holds one identical 16-byte key reference.
#[test]
fn common_and_juki_ef_0002_are_identical() {
    let c = card();
    let a = c
        .record_content(CardApplication::Common, 0x0002, 1)
        .unwrap();
    let b = c.record_content(CardApplication::Juki, 0x0002, 1).unwrap();
    assert_eq!((a.len(), a), (16, b));
    let mut c = card();
    sw(&mut c, JUKI);
    assert_eq!(tx(&mut c, &[0x00, 0xB2, 0x01, 0x14, 0x00]).0, b);
}

/// soltia48/myna-card `src/ap/common.rs` (`internal_authenticate`) and `src/card.rs`:
/// the 共通AP key 0019 answers INTERNAL AUTHENTICATE with sha256WithRSAEncryption over
/// the challenge, without a credential. (TEST: the key is the card key here.)
#[test]
fn internal_authenticate_with_the_common_ap_key() {
    let mut c = card();
    sw(&mut c, COMMON);
    let challenge = [0xA5; 32];
    let mut cmd = vec![0x00, 0x88, 0x00, 0x99, 32];
    cmd.extend_from_slice(&challenge);
    cmd.push(0x00);
    let (sig, s) = tx(&mut c, &cmd);
    assert_eq!((s, sig.len()), (0x9000, 256));
    let key = test_key("card_internal.key.der").to_public_key();
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(challenge),
        &sig,
    )
    .unwrap();
    let mut host = Card::new(card());
    let sig2 = host.common_internal_authenticate(&challenge).unwrap();
    assert_eq!(sig2, sig, "PKCS#1 v1.5 is deterministic");
}

/// soltia48/myna-card `src/card.rs` (card-apdu.md §5.6): INTERNAL AUTHENTICATE with a
/// PIN-protected key answers 6982, with a 券面 AP's key 6985.
#[test]
fn internal_authenticate_with_other_keys_is_refused() {
    let mut c = card();
    sw(&mut c, JPKI);
    assert_eq!(
        sw(&mut c, &[0x00, 0x88, 0x00, 0x97, 0x01, 0x00, 0x00]),
        0x6982
    );
    sw(&mut c, KENHOJO);
    assert_eq!(
        sw(&mut c, &[0x00, 0x88, 0x00, 0x93, 0x01, 0x00, 0x00]),
        0x6985
    );
    sw(&mut c, KENKAKU);
    assert_eq!(
        sw(&mut c, &[0x00, 0x88, 0x00, 0x9A, 0x01, 0x00, 0x00]),
        0x6985
    );
}

// ------------------------------------------------------------ secure messaging

/// soltia48/myna-card `src/ap/common.rs`, `src/ap/surface.rs` (SET SESSION KEY 66F1),
/// `src/ap/jpki.rs`, `src/ap/juki.rs` (6982 whatever was verified) and `src/sm.rs`
/// (kenhojo: 6982 until the PIN was presented; 照合番号A does not count).
#[test]
fn set_session_key_answers_by_application() {
    let delivery = {
        let mut c = vec![0x80, 0xAE, 0x00, 0x00, 0x00, 0x01, 0x00];
        c.extend_from_slice(&[0x11; 256]);
        c
    };
    let mut c = card();
    for (app, expected) in [(COMMON, 0x66F1), (KENKAKU, 0x66F1), (JUKI, 0x6982)] {
        sw(&mut c, app);
        assert_eq!(sw(&mut c, &delivery), expected);
    }
    sw(&mut c, JPKI);
    sw(&mut c, VERIFY_AUTH);
    assert_eq!(sw(&mut c, &delivery), 0x6982);
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, &delivery), 0x6982);
    let mut a = vec![0x00, 0x20, 0x00, 0x94, 0x0C];
    a.extend_from_slice(b"123456789018");
    assert_eq!(sw(&mut c, &a), 0x9000, "照合番号A");
    assert_eq!(sw(&mut c, &delivery), 0x6982);
}

/// soltia48/myna-card `src/sm.rs` and `src/ap/jpki.rs` ("CLA=08 on a read answers
/// 69FC"); card-apdu.md §5.7: a secure-messaging class without a session answers 69FC
/// for READ BINARY and VERIFY, 6882 for SELECT.
#[test]
fn secure_messaging_class_without_a_session() {
    let mut c = card();
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, &[0x08, 0xB0, 0x8A, 0x00, 0x00]), 0x69FC);
    assert_eq!(sw(&mut c, &[0x08, 0x20, 0x00, 0x98]), 0x69FC);
    assert_eq!(
        sw(&mut c, &[0x08, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]),
        0x6882
    );
    assert_eq!(
        sw(&mut c, &[0x0C, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]),
        0x6882
    );
}

/// soltia48/myna-card `src/card.rs`, `ins::SET_PUBLIC_IC_KEY`: `80 A2` with every P1-P2
/// tried answers 6A86.
#[test]
fn set_public_ic_key_answers_6a86() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0016));
    for (p1, p2) in [(0x00, 0x00), (0x00, 0xAE), (0x80, 0x00), (0x00, 0xB6)] {
        assert_eq!(sw(&mut c, &[0x80, 0xA2, p1, p2, 0x01, 0x00]), 0x6A86);
    }
}

// ------------------------------------------------------------ JPKI AP

/// soltia48/myna-card `src/ap/jpki.rs`, `SignatureScheme`: P1 00–05 of `80 2A`
/// (verbatim, on-card SHA-256 bare, DigestInfo of a given hash, on-card SHA-256 +
/// DigestInfo, PSS of a given hash, on-card SHA-256 + PSS); other P1 6A86; a 02/04
/// input that is not 32 bytes 6985. On every profile that signs.
#[test]
fn compute_signature_schemes() {
    for (profile, mut c) in every_profile() {
        let (public, verify): (PublicKey, &[u8]) = match profile {
            Profile::Card => (auth_public(), VERIFY_AUTH),
            Profile::Android => (
                test_key("ito_auth.key.der").to_public_key(),
                &[0x00, 0x20, 0x00, 0x98, 0x04, b'4', b'6', b'8', b'0'],
            ),
            _ => (test_key("kato_auth.key.der").to_public_key(), &[]),
        };
        sw(&mut c, JPKI);
        if !verify.is_empty() {
            assert_eq!(sw(&mut c, verify), 0x9000, "{profile:?}");
        }
        let message = b"measured schemes";
        let hash = Sha256::digest(message);
        let (s1, w) = tx(&mut c, &sign_auth(0x01, message));
        assert_eq!(w, 0x9000);
        public
            .verify(Pkcs1v15Sign::new_unprefixed(), &hash, &s1)
            .unwrap();
        for p1 in [0x02, 0x03] {
            let input: &[u8] = if p1 == 0x02 { &hash } else { message };
            let (sig, w) = tx(&mut c, &sign_auth(p1, input));
            assert_eq!(w, 0x9000);
            public
                .verify(Pkcs1v15Sign::new::<Sha256>(), &hash, &sig)
                .unwrap();
        }
        for p1 in [0x04, 0x05] {
            let input: &[u8] = if p1 == 0x04 { &hash } else { message };
            let (sig, w) = tx(&mut c, &sign_auth(p1, input));
            assert_eq!((w, sig.len()), (0x9000, public.size()));
            public.verify(Pss::<Sha256>::new(), &hash, &sig).unwrap();
        }
        assert_eq!(sw(&mut c, &sign_auth(0x06, &hash)), 0x6A86);
        assert_eq!(sw(&mut c, &sign_auth(0x02, &hash[..31])), 0x6985);
        assert_eq!(sw(&mut c, &sign_auth(0x04, &[0; 33])), 0x6985);
    }
}

/// soltia48/myna-card `src/card.rs`, `ins::LAST_COMMAND_INDICATOR`: `80 FC 00 00` is the
/// iPhone token's; physical cards answer 6700.
#[test]
fn last_command_indicator_by_profile() {
    for (profile, mut c) in every_profile() {
        sw(&mut c, JPKI);
        let expected = if profile == Profile::Iphone {
            0x9000
        } else {
            0x6700
        };
        assert_eq!(
            sw(&mut c, &[0x80, 0xFC, 0x00, 0x00]),
            expected,
            "{profile:?}"
        );
    }
}

/// soltia48/myna-card `src/ap/jpki.rs`, `token_tests::parses_the_physical_card_token_info_layout`:
/// EF 0006 is 160 bytes; one session, maximum PIN length 16, minimum 6, memory fields
/// FFFFFFFF, versions ASCII "03"/"01". The host's parser reads it on every profile.
#[test]
fn token_info_values() {
    for (profile, mut c) in every_profile() {
        sw(&mut c, JPKI);
        sw(&mut c, &select_ef(0x0006));
        let (raw, s) = tx(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x00]);
        assert_eq!((s, raw.len()), (0x9000, 160), "{profile:?}");
        let word = |o: usize| u32::from_be_bytes(raw[o..o + 4].try_into().unwrap());
        assert_eq!((word(100), word(104), word(108), word(112)), (1, 0, 1, 0));
        assert_eq!((word(116), word(120)), (16, 6));
        for o in [124, 128, 132, 136] {
            assert_eq!(word(o), u32::MAX);
        }
        assert_eq!(&raw[140..144], b"0301");
        mynacard::card::TokenInfo::parse(&raw).unwrap();
    }
}

/// soltia48/myna-card `src/ap/jpki.rs`, `CertificateAvailability`: EF 0008 is exactly
/// `8F 8F 00` on a card with both certificates, `00 8F 00` without the signature one.
#[test]
fn certificate_availability_bytes() {
    let c = card();
    assert_eq!(
        c.file_content(CardApplication::Jpki, 0x0008).unwrap(),
        [0x8F, 0x8F, 0x00]
    );
    let nakamura = VirtualCard::test_holder("nakamura").unwrap();
    assert_eq!(
        nakamura
            .file_content(CardApplication::Jpki, 0x0008)
            .unwrap(),
        [0x00, 0x8F, 0x00]
    );
}

/// soltia48/myna-card `src/ap/jpki.rs`, `ef::UNKNOWN_0009`: protected, opened by neither
/// cardholder credential; 0010 and 0016 are key references (internal).
#[test]
fn jpki_protected_and_internal_files() {
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, VERIFY_AUTH);
    let (_, holder_profile) = VirtualCard::test_holder_description("yamada").unwrap();
    assert_eq!(holder_profile, Profile::Card);
    let mut sign = vec![0x00, 0x20, 0x00, 0x9B, 0x0A];
    sign.extend_from_slice(b"YAMADA2024");
    assert_eq!(sw(&mut c, &sign), 0x9000);
    assert_eq!(sw(&mut c, &select_ef(0x0009)), 0x9000);
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x00]), 0x6982);
    for fid in [0x0010, 0x0016] {
        assert_eq!(sw(&mut c, &select_ef(fid)), 0x9000);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x00]), 0x6981);
    }
}

// ------------------------------------------------------------ 券面 APs

/// soltia48/myna-card `src/ap/surface.rs` (module docs): 照合番号A opens 0002–0006,
/// 照合番号B the same without 0005 — so EF 0006 opens with either.
#[test]
fn kenkaku_ef_0006_opens_with_either_verification_number() {
    let (holder, _) = VirtualCard::test_holder_description("yamada").unwrap();
    let b = holder.verification_number_b().unwrap();
    for (key, value) in [
        (0x93u8, b"123456789018".to_vec()),
        (0x92, b.as_bytes().to_vec()),
    ] {
        let mut c = card();
        sw(&mut c, KENKAKU);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x86, 0x00, 0x00]), 0x6982);
        let mut v = vec![0x00, 0x20, 0x00, key, value.len() as u8];
        v.extend_from_slice(&value);
        assert_eq!(sw(&mut c, &v), 0x9000);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x86, 0x00, 0x00]), 0x9000);
        let five = sw(&mut c, &[0x00, 0xB0, 0x85, 0x00, 0x00]);
        assert_eq!(five, if key == 0x93 { 0x9000 } else { 0x6982 });
    }
}

/// soltia48/myna-card `src/ap/surface.rs`, `ApBasicData::public_key_id`: kenkaku EF 0003
/// DF32 is "not the key EF 0004 certifies"; likewise the kenhojo EF 0005 DF42 key ID
/// (issue 15). Host parsers must not assume they match.
#[test]
fn basic_info_key_ids_differ_from_the_cv_subject() {
    let c = card();
    for (app, info, df) in [
        (CardApplication::Kenkaku, 0x0003, [0xDF, 0x32]),
        (CardApplication::Kenhojo, 0x0005, [0xDF, 0x42]),
    ] {
        let info = c.file_content(app, info).unwrap();
        let cv = c.file_content(app, 0x0004).unwrap();
        let at = info
            .windows(3)
            .position(|w| w == [df[0], df[1], 0x10])
            .unwrap();
        let key_id = &info[at + 3..at + 19];
        // CV certificate body: 7F21 82 LL LL 5F4E 82 LL LL, issuer (16), subject (16).
        let subject = &cv[9 + 16..9 + 32];
        assert_ne!(key_id, subject, "{app:?}");
    }
    // The host reads the card face (signature check included) all the same.
    let (holder, _) = VirtualCard::test_holder_description("yamada").unwrap();
    let number_b =
        mynacard::card::VerificationNumberB::new(holder.verification_number_b().unwrap().as_str())
            .unwrap();
    let mut host = Card::new(card());
    let (_, report) = host
        .read_card_face(
            mynacard::card::KenkakuCredential::NumberB(&number_b),
            mynacard::card::LastTryGuard::Refuse,
            &mynacard::card::CvTrust::test_only(),
        )
        .unwrap();
    assert!(report.chain_verified(), "{report:?}");
}

/// soltia48/myna-card `src/sm.rs` (`SecureSession::establish`: the delivery key is "the
/// one from EF 0006") and issue 15: the input-support AP's EF 0006 holds a key that is
/// not the card key of EF 0007.
#[test]
fn kenhojo_ef_0006_is_a_third_key() {
    let c = card();
    let session = c.file_content(CardApplication::Kenhojo, 0x0006).unwrap();
    let signed_card_key = c.file_content(CardApplication::Kenhojo, 0x0007).unwrap();
    let modulus_of = |bytes: &[u8]| {
        let at = bytes
            .windows(4)
            .position(|w| w == [0x91, 0x82, 0x01, 0x00])
            .unwrap();
        bytes[at + 4..at + 4 + 256].to_vec()
    };
    assert_ne!(modulus_of(session), modulus_of(signed_card_key));
}

/// soltia48/myna-card `src/apdu.rs` (card-apdu.md §1): only logical channel 0 (6881).
#[test]
fn only_channel_zero() {
    let mut c = card();
    let mut select = JPKI.to_vec();
    select[0] = 0x01;
    assert_eq!(sw(&mut c, &select), 0x6881);
}

/// soltia48/myna-card `src/card.rs` (card-apdu.md §5.6): GET CHALLENGE works at the MF and
/// in an AP; the extended form answers 6985.
#[test]
fn get_challenge_forms() {
    let mut c = card();
    assert_eq!(tx(&mut c, &[0x00, 0x84, 0x00, 0x00, 0x08]).0.len(), 8);
    sw(&mut c, KENKAKU);
    assert_eq!(tx(&mut c, &[0x00, 0x84, 0x00, 0x00, 0x10]).0.len(), 16);
    assert_eq!(
        sw(&mut c, &[0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x10]),
        0x6985
    );
}

// ------------------------------------------------------------ issue 21.3

/// soltia48/myna-card's probe found EFs 0014 and 0015 in the 券面事項確認AP (SELECT → 9000).
/// Their content is unknown: modelled (guessed) as internal EFs, READ BINARY → 6981 as the
/// MF's internal EF answers.
#[test]
fn kenkaku_efs_0014_and_0015_are_selectable_and_internal() {
    let mut c = card();
    assert_eq!(sw(&mut c, KENKAKU), 0x9000);
    for fid in [0x0014, 0x0015] {
        assert_eq!(sw(&mut c, &select_ef(fid)), 0x9000, "{fid:04X}");
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x00]), 0x6981);
    }
    assert_eq!(sw(&mut c, &select_ef(0x0016)), 0x6A82);
}

/// soltia48/myna-card `tests/signatures.rs` (real J-LIS test card): in the 券面事項確認AP's
/// EF 0003, DF32 names `6000024/001` and DF35 another key, `5900025/001`, followed by 256
/// opaque bytes.
#[test]
fn kenkaku_ef_0003_df35_names_another_key_then_256_opaque_bytes() {
    let c = card();
    let ef = c.file_content(CardApplication::Kenkaku, 0x0003).unwrap();
    let find = |tag: [u8; 2]| {
        let at = ef.windows(2).position(|w| w == tag).unwrap();
        let (len, skip) = match ef[at + 2] {
            0x82 => (usize::from(u16::from_be_bytes([ef[at + 3], ef[at + 4]])), 5),
            0x81 => (usize::from(ef[at + 3]), 4),
            n => (usize::from(n), 3),
        };
        &ef[at + skip..at + skip + len]
    };
    let df32 = find([0xDF, 0x32]);
    let df35 = find([0xDF, 0x35]);
    assert_eq!(&df32[..12], b"6000024\x08\x05001");
    assert_eq!(df35.len(), 16 + 256);
    assert_eq!(&df35[..12], b"5900025\x08\x05001");
    assert_ne!(&df35[..16], df32);
    assert!(df35[16..].iter().any(|&b| b != 0) && df35[16..].iter().any(|&b| b != 0xFF));
}

/// card-apdu.md §5.4 (weaker evidence: one source, tested against a mock): CHANGE REFERENCE
/// DATA `00 24 01 80` for the JPKI PINs and the 券面事項入力補助AP PIN, JICSAP CHANGE KEY
/// `80 32 00 80` for the 共通AP / 住基AP PIN; both on the current key EF after its VERIFY.
#[test]
fn pin_change_forms_are_answered_as_a_card_would() {
    let change = |cla: u8, ins: u8, p1: u8, new: &[u8]| {
        let mut c = vec![cla, ins, p1, 0x80, new.len() as u8];
        c.extend_from_slice(new);
        c
    };
    let verify = |pin: &[u8]| {
        let mut c = vec![0x00, 0x20, 0x00, 0x80, pin.len() as u8];
        c.extend_from_slice(pin);
        c
    };
    let mut c = card();
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0018));
    // Not verified yet: 6982, nothing changed.
    assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x01, b"5678")), 0x6982);
    assert_eq!(sw(&mut c, &verify(b"1234")), 0x9000);
    // The other form, a wrong P1, a wrong length: refused, nothing changed.
    assert_eq!(sw(&mut c, &change(0x80, 0x32, 0x00, b"5678")), 0x6985);
    assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x00, b"5678")), 0x6A86);
    assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x01, b"56789")), 0x6700);
    assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x01, b"5678")), 0x9000);
    // The new PIN is the PIN from now on; the old one costs a try.
    c.power_off();
    c.power_on();
    let mut c = powered_up(c);
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify(b"1234")), 0x63C2);
    assert_eq!(sw(&mut c, &verify(b"5678")), 0x9000);
    assert_eq!(c.remaining_tries(CardApplication::Jpki, 0x0018), Some(3));

    // The sign password: upper-case letters and digits only.
    sw(&mut c, &select_ef(0x001B));
    assert_eq!(sw(&mut c, &verify(b"YAMADA2024")), 0x9000);
    assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x01, b"yamada2025")), 0x6700);
    assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x01, b"YAMADA2025")), 0x9000);

    // 共通AP and 住基AP: CHANGE KEY, not CHANGE REFERENCE DATA.
    for app in [COMMON, JUKI] {
        sw(&mut c, app);
        sw(&mut c, &select_ef(0x001C));
        assert_eq!(sw(&mut c, &verify(b"1234")), 0x9000);
        assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x01, b"2468")), 0x6985);
        assert_eq!(sw(&mut c, &change(0x80, 0x32, 0x00, b"2468")), 0x9000);
        assert_eq!(sw(&mut c, &verify(b"2468")), 0x9000);
    }
    // A file that is not a key EF.
    sw(&mut c, KENHOJO);
    sw(&mut c, &select_ef(0x0004));
    assert_eq!(sw(&mut c, &change(0x00, 0x24, 0x01, b"1111")), 0x6981);
}
