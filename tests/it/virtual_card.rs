//! In-process tests of the virtual My Number Card: every command row of the
//! issue, success and failure, with exact status words.

#![cfg(feature = "virtual-card")]

use std::sync::OnceLock;

use mynacard::transport::{LinkCapabilities, Transport, TransportError};
use mynacard::virtual_card::{
    BlockedStatus, BuildError, CardApplication, Holder, Profile, VirtualCard, VirtualCardOptions,
};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, PrivateKey};
use sha2::{Digest, Sha256};

struct Keys {
    auth: PrivateKey,
    sign: PrivateKey,
    signer: PrivateKey,
    cv_ca: PrivateKey,
    card: PrivateKey,
}

/// SHA-256 in counter mode: a deterministic generator for test keys only.
struct TestRng(Vec<u8>, u64);

impl rsa::rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(32) {
            self.1 += 1;
            let block = Sha256::new()
                .chain_update(&self.0)
                .chain_update(self.1.to_be_bytes())
                .finalize();
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}
impl rsa::rand_core::TryCryptoRng for TestRng {}

fn test_key(label: &str) -> PrivateKey {
    PrivateKey::new(&mut TestRng(label.as_bytes().to_vec(), 0), 2048).unwrap()
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys {
        auth: test_key("auth"),
        sign: test_key("sign"),
        signer: test_key("signer"),
        cv_ca: test_key("cv ca"),
        card: test_key("card"),
    })
}

/// A DER-shaped stand-in certificate of `len` content bytes.
fn fake_cert(marker: u8, len: u16) -> Vec<u8> {
    let mut v = vec![0x30, 0x82];
    v.extend_from_slice(&len.to_be_bytes());
    v.extend((0..len).map(|i| marker ^ (i as u8)));
    v
}

const AUTH_CERT_LEN: u16 = 1500;

fn build(id: &str, options: VirtualCardOptions) -> VirtualCard {
    try_build(id, options).unwrap()
}

fn try_build(id: &str, options: VirtualCardOptions) -> Result<VirtualCard, BuildError> {
    let (holder, profile) = VirtualCard::test_holder_description(id).unwrap();
    let k = keys();
    let mut b = VirtualCard::builder(holder.clone())
        .profile(profile)
        .options(options)
        .auth(k.auth.clone(), fake_cert(0xA0, AUTH_CERT_LEN))
        .auth_ca_certificate(fake_cert(0xAC, 900))
        .sign_ca_certificate(fake_cert(0x5C, 900))
        .card_data_signer(k.signer.clone())
        .cv_ca(k.cv_ca.clone())
        .card_key(k.card.clone());
    if id != "nakamura" {
        b = b.sign(k.sign.clone(), fake_cert(0x50, 1800));
    }
    b.build()
}

fn card(id: &str) -> VirtualCard {
    build(id, VirtualCardOptions::default())
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Sends `apdu` (hex) and returns (data, SW).
fn tx(card: &mut VirtualCard, apdu: &str) -> (Vec<u8>, u16) {
    tx_bytes(card, &hex(apdu))
}

fn tx_bytes(card: &mut VirtualCard, apdu: &[u8]) -> (Vec<u8>, u16) {
    let mut r = card.transmit(apdu).unwrap();
    assert!(r.len() >= 2);
    let sw = r.split_off(r.len() - 2);
    (r, u16::from_be_bytes([sw[0], sw[1]]))
}

fn sw(card: &mut VirtualCard, apdu: &str) -> u16 {
    tx(card, apdu).1
}

const JPKI: &str = "00A4040C0AD392F000260100000001";
const KENHOJO: &str = "00A4040C0AD3921000310001010408";
const KENKAKU: &str = "00A4040C0AD3921000310001010402";
const JUKI: &str = "00A4040C0AD3921000310001010401";
const COMMON: &str = "00A4040C0AD3921000310001010100";

fn select_ef(fid: u16) -> String {
    format!("00A4020C02{fid:04X}")
}

fn verify(pin: &str) -> String {
    let mut s = format!("00200080{:02X}", pin.len());
    for b in pin.bytes() {
        s.push_str(&format!("{b:02X}"));
    }
    s
}

fn sha256_digest_info(msg: &[u8]) -> Vec<u8> {
    let mut di = hex("3031300D060960864801650304020105000420");
    di.extend_from_slice(&Sha256::digest(msg));
    di
}

fn sign_cmd(p2: u8, data: &[u8]) -> Vec<u8> {
    let mut c = vec![0x80, 0x2A, 0x00, p2, data.len() as u8];
    c.extend_from_slice(data);
    c.push(0x00);
    c
}

// ---------------------------------------------------------------- SELECT

#[test]
fn select_applications_by_aid() {
    let mut c = card("yamada");
    for (aid, app) in [
        (JPKI, CardApplication::Jpki),
        (KENHOJO, CardApplication::Kenhojo),
        (KENKAKU, CardApplication::Kenkaku),
        (JUKI, CardApplication::Juki),
        (COMMON, CardApplication::Common),
    ] {
        assert_eq!(tx(&mut c, aid), (vec![], 0x9000));
        assert_eq!(c.current_application(), Some(app));
    }
    // Unknown AID: 6A82, selection unchanged.
    assert_eq!(sw(&mut c, "00A4040C0AD392F000260100000002"), 0x6A82);
    assert_eq!(c.current_application(), Some(CardApplication::Common));
    // Partial DF name.
    assert_eq!(sw(&mut c, "00A4040C05D392F00026"), 0x9000);
    assert_eq!(c.current_application(), Some(CardApplication::Jpki));
    // Bad P2, bad P1, empty / too long name.
    assert_eq!(sw(&mut c, "00A404040AD392F000260100000001"), 0x6A86);
    assert_eq!(sw(&mut c, "00A4080C0AD392F000260100000001"), 0x6A86);
    assert_eq!(sw(&mut c, "00A4040C"), 0x6700);
    assert_eq!(
        sw(
            &mut c,
            "00A4040C11D392F000260100000001D392F00026010000000100"
        ),
        0x6700
    );
}

#[test]
fn select_ef_by_fid_and_mf() {
    let mut c = card("yamada");
    // Nothing at MF level.
    assert_eq!(sw(&mut c, "00A40000"), 0x6A86);
    assert_eq!(sw(&mut c, &select_ef(0x000A)), 0x6A82);
    assert_eq!(sw(&mut c, "00A4000C023F00"), 0x6A82);
    assert_eq!(sw(&mut c, JPKI), 0x9000);
    assert_eq!(sw(&mut c, "00A40000"), 0x9000);
    assert_eq!(c.current_application(), Some(CardApplication::Jpki));
    for fid in [
        0x0001, 0x0002, 0x0006, 0x0008, 0x000A, 0x000B, 0x0017, 0x0018, 0x001A, 0x001B,
    ] {
        assert_eq!(sw(&mut c, &select_ef(fid)), 0x9000, "{fid:04X}");
    }
    assert_eq!(sw(&mut c, &select_ef(0x0003)), 0x6A82);
    assert_eq!(sw(&mut c, "00A4020C03000A00"), 0x6700);
    assert_eq!(sw(&mut c, "00A4020102000A"), 0x6A86);
}

#[test]
fn phone_profiles_have_only_the_jpki_ap() {
    for id in ["ito", "kato"] {
        let mut c = card(id);
        assert_eq!(sw(&mut c, KENHOJO), 0x6A82, "{id}");
        assert_eq!(sw(&mut c, KENKAKU), 0x6A82, "{id}");
        assert_eq!(sw(&mut c, JPKI), 0x9000, "{id}");
    }
}

// ---------------------------------------------------------------- READ BINARY

#[test]
fn read_binary_by_offset_short_chunks_and_end() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x000A));
    let cert = fake_cert(0xA0, AUTH_CERT_LEN);
    // Header probe as OpenSC does it.
    assert_eq!(tx(&mut c, "00B0000004"), (cert[..4].to_vec(), 0x9000));
    // 256-byte chunks (Le 00).
    let mut got = Vec::new();
    let mut offset = 0usize;
    while got.len() < cert.len() {
        let (data, s) = tx(&mut c, &format!("00B0{offset:04X}00"));
        assert_eq!((data.len(), s), (256, 0x9000));
        got.extend_from_slice(&data);
        offset += 256;
    }
    assert_eq!(got[..cert.len()], cert[..]);
    // FF filler after the object; the EF is 2048 bytes.
    assert!(got[cert.len()..].iter().all(|&b| b == 0xFF));
    // Partial last chunk answered with 9000.
    let (data, s) = tx(&mut c, "00B007F000");
    assert_eq!((data.len(), s), (16, 0x9000));
    assert_eq!(data, vec![0xFF; 16]);
    // At / past the end.
    assert_eq!(sw(&mut c, "00B0080001"), 0x6B00);
    assert_eq!(sw(&mut c, "00B07FFF01"), 0x6B00);
    // Wrong forms.
    assert_eq!(sw(&mut c, "00B00000"), 0x6700);
    assert_eq!(sw(&mut c, "00B000000100"), 0x6700);
    // Key reference EFs are not readable.
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, "00B0000004"), 0x6981);
}

#[test]
fn read_binary_without_current_ef() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, "00B0000004"), 0x6986);
}

#[test]
fn read_binary_by_sfi_and_extended_le() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    let cert = fake_cert(0xA0, AUTH_CERT_LEN);
    let (data, s) = tx(&mut c, "00B08A0004");
    assert_eq!((data, s), (cert[..4].to_vec(), 0x9000));
    // SFI read made 000A current: offset reads continue on it.
    assert_eq!(tx(&mut c, "00B0000402").0, cert[4..6].to_vec());
    // Whole EF with extended Le 0000.
    let (data, s) = tx(&mut c, "00B08A00000000");
    assert_eq!((data.len(), s), (2048, 0x9000));
    assert_eq!(data[..cert.len()], cert[..]);
    // Extended Le of a given size.
    let (data, s) = tx(&mut c, "00B000000001F4");
    assert_eq!((data.len(), s), (500, 0x9000));
    // SFI of an absent EF; bad SFI bits.
    assert_eq!(sw(&mut c, "00B0830000"), 0x6A82);
    assert_eq!(sw(&mut c, "00B0E10000"), 0x6A86);
    assert_eq!(sw(&mut c, "00B0800000"), 0x6A86);
}

#[test]
fn short_only_link_refuses_extended_apdus() {
    let mut options = VirtualCardOptions::default();
    options.capabilities = LinkCapabilities::SHORT;
    let mut c = build("yamada", options);
    assert_eq!(c.capabilities(), LinkCapabilities::SHORT);
    sw(&mut c, JPKI);
    assert!(matches!(
        c.transmit(&hex("00B08A00000000")),
        Err(TransportError::Other(_))
    ));
    assert_eq!(tx(&mut c, "00B08A0000").0.len(), 256);
}

#[test]
fn sign_certificate_needs_the_sign_password() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0001));
    assert_eq!(sw(&mut c, "00B0000004"), 0x6982);
    // The auth PIN does not open it.
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify("1234")), 0x9000);
    sw(&mut c, &select_ef(0x0001));
    assert_eq!(sw(&mut c, "00B0000004"), 0x6982);
    sw(&mut c, &select_ef(0x001B));
    assert_eq!(sw(&mut c, &verify("YAMADA2024")), 0x9000);
    sw(&mut c, &select_ef(0x0001));
    assert_eq!(tx(&mut c, "00B0000004"), (hex("30820708"), 0x9000));
    // Free files.
    sw(&mut c, &select_ef(0x0002));
    assert_eq!(tx(&mut c, "00B0000004").1, 0x9000);
    sw(&mut c, &select_ef(0x000B));
    assert_eq!(tx(&mut c, "00B0000004").1, 0x9000);
}

#[test]
fn token_info_and_certificate_availability() {
    for (id, label) in [
        ("yamada", "JPKIAPICCTOKEN2"),
        ("ito", "JPKIAPGPSETOKEN"),
        ("kato", "JPKIAPIOSTOKEN"),
    ] {
        let mut c = card(id);
        sw(&mut c, JPKI);
        sw(&mut c, &select_ef(0x0006));
        let (data, s) = tx(&mut c, "00B0000020");
        assert_eq!(s, 0x9000);
        let mut expected = label.as_bytes().to_vec();
        expected.resize(32, b' ');
        assert_eq!(data, expected, "{id}");
        assert_eq!(tx(&mut c, "00B0000000").0.len(), 160);
    }
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    assert_eq!(tx(&mut c, "00B0880000"), (hex("8F8F00"), 0x9000));
    let mut c = card("nakamura");
    sw(&mut c, JPKI);
    assert_eq!(tx(&mut c, "00B0880000"), (hex("008F00"), 0x9000));
    assert_eq!(sw(&mut c, &select_ef(0x0001)), 0x6A82);
    assert_eq!(sw(&mut c, &select_ef(0x001B)), 0x6A82);
}

// ---------------------------------------------------------------- kenhojo / kenkaku access

#[test]
fn kenhojo_my_number_is_17_bytes_and_opened_by_pin_or_a() {
    let expected = hex("FF100C313233343536373839303138FFFF");
    for key in [(0x0011, "1234"), (0x0014, "123456789018")] {
        let mut c = card("yamada");
        sw(&mut c, KENHOJO);
        sw(&mut c, &select_ef(0x0001));
        assert_eq!(sw(&mut c, "00B0000000"), 0x6982);
        sw(&mut c, &select_ef(key.0));
        assert_eq!(sw(&mut c, &verify(key.1)), 0x9000);
        sw(&mut c, &select_ef(0x0001));
        assert_eq!(tx(&mut c, "00B0000000"), (expected.clone(), 0x9000));
        assert_eq!(sw(&mut c, "00B0001100"), 0x6B00);
    }
    // 照合番号B does not open EF 0001 but opens 0002. yamada: 1990-04-01 = 平成2.
    let mut c = card("yamada");
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, "00200095" /* query by SFI */), 0x63CA);
    assert_eq!(
        sw(
            &mut c,
            &format!("002000950E{}", ascii_hex("02040120352285"))
        ),
        0x9000
    );
    assert_eq!(sw(&mut c, "00B0810000"), 0x6982);
    assert_eq!(tx(&mut c, "00B0820000").1, 0x9000);
    assert_eq!(tx(&mut c, "00B0830000").1, 0x9000);
    // 照合番号A does not open 0002.
    let mut c = card("yamada");
    sw(&mut c, KENHOJO);
    assert_eq!(
        sw(&mut c, &format!("002000940C{}", ascii_hex("123456789018"))),
        0x9000
    );
    assert_eq!(sw(&mut c, "00B0820000"), 0x6982);
    // Free: CV certificate and basic info.
    assert_eq!(tx(&mut c, "00B0840000").1, 0x9000);
    assert_eq!(tx(&mut c, "00B0850000").0[..5], hex("FF4082009F")[..]);
}

fn ascii_hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn kenkaku_access_rules() {
    // A opens 0002 and 0005; B opens 0002 but not 0005; birth key opens only 0001.
    let mut c = card("yamada");
    sw(&mut c, KENKAKU);
    for sfi in [1, 2, 5] {
        assert_eq!(sw(&mut c, &format!("00B0{:02X}0000", 0x80 | sfi)), 0x6982);
    }
    assert_eq!(tx(&mut c, "00B0830000").1, 0x9000);
    assert_eq!(tx(&mut c, "00B0840000").0[..5], hex("7F21820233")[..]);
    assert_eq!(
        sw(&mut c, &format!("002000930C{}", ascii_hex("123456789018"))),
        0x9000
    );
    assert_eq!(tx(&mut c, "00B0820000").1, 0x9000);
    assert_eq!(tx(&mut c, "00B0850000").1, 0x9000);
    assert_eq!(sw(&mut c, "00B0810000"), 0x6982);

    let mut c = card("yamada");
    sw(&mut c, KENKAKU);
    assert_eq!(
        sw(
            &mut c,
            &format!("002000920E{}", ascii_hex("02040120352285"))
        ),
        0x9000
    );
    assert_eq!(tx(&mut c, "00B0820000").1, 0x9000);
    assert_eq!(sw(&mut c, "00B0850000"), 0x6982);

    let mut c = card("yamada");
    sw(&mut c, KENKAKU);
    assert_eq!(sw(&mut c, "00200091"), 0x63CA);
    assert_eq!(
        sw(&mut c, &format!("0020009106{}", ascii_hex("020401"))),
        0x9000
    );
    assert_eq!(tx(&mut c, "00B0810000").0[..5], hex("FF1082021E")[..]);
    assert_eq!(sw(&mut c, "00B0820000"), 0x6982);
}

#[test]
fn security_state_is_per_application_kept_by_warm_reset_and_cleared_by_power_off() {
    let mut c = card("yamada");
    sw(&mut c, KENHOJO);
    sw(&mut c, &select_ef(0x0011));
    assert_eq!(sw(&mut c, &verify("1234")), 0x9000);
    // Survives EF selection and re-selection of the same AP.
    assert_eq!(tx(&mut c, "00B0820000").1, 0x9000);
    sw(&mut c, KENHOJO);
    assert_eq!(tx(&mut c, "00B0820000").1, 0x9000);
    // Another AP clears it.
    sw(&mut c, JPKI);
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, "00B0820000"), 0x6982);
    // A warm reset keeps it (measured on real cards: soltia48/myna-card
    // src/transport/pcsc.rs, power_cycle); losing power clears it.
    assert_eq!(
        sw(&mut c, "0020009104313233 34".replace(' ', "").as_str()),
        0x9000
    );
    assert_eq!(tx(&mut c, "00B0820000").1, 0x9000);
    assert_eq!(c.reset(), &hex("3BE000FF8131FE4514")[..]);
    assert_eq!(c.current_application(), Some(CardApplication::Kenhojo));
    assert_eq!(tx(&mut c, "00B0820000").1, 0x9000);
    c.power_off();
    assert_eq!(c.power_on(), &hex("3BE000FF8131FE4514")[..]);
    assert_eq!(c.current_application(), None);
    // The first command after power-up is answered 6F00 (measured; the default).
    assert_eq!(sw(&mut c, KENHOJO), 0x6F00);
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, "00B0820000"), 0x6982);

    // With the ISO reading of a reset (option), a warm reset clears it too.
    let mut options = VirtualCardOptions::default();
    options.warm_reset_keeps_security_state = false;
    let mut c = build("yamada", options);
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, "002000910431323334"), 0x9000);
    c.reset();
    assert_eq!(c.current_application(), None);
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, "00B0820000"), 0x6982);
}

// ---------------------------------------------------------------- VERIFY

#[test]
fn verify_counts_down_blocks_and_query_spends_nothing() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
    assert_eq!(sw(&mut c, &verify("0000")), 0x63C2);
    assert_eq!(sw(&mut c, "00200080"), 0x63C2);
    assert_eq!(sw(&mut c, "00200080"), 0x63C2);
    assert_eq!(sw(&mut c, &verify("0000")), 0x63C1);
    assert_eq!(sw(&mut c, &verify("0000")), 0x63C0);
    assert_eq!(sw(&mut c, &verify("1234")), 0x6984);
    assert_eq!(sw(&mut c, &verify("0000")), 0x6984);
    assert_eq!(sw(&mut c, "00200080"), 0x63C0);
    assert_eq!(c.remaining_tries(CardApplication::Jpki, 0x0018), Some(0));
    // Blocked key: signing stays refused.
    sw(&mut c, &select_ef(0x0017));
    assert_eq!(
        tx_bytes(&mut c, &sign_cmd(0x80, &sha256_digest_info(b"x"))).1,
        0x6982
    );
}

#[test]
fn correct_verify_resets_the_counter() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify("9999")), 0x63C2);
    assert_eq!(sw(&mut c, &verify("9998")), 0x63C1);
    assert_eq!(sw(&mut c, &verify("1234")), 0x9000);
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
    // A failed VERIFY withdraws the verified state.
    assert_eq!(sw(&mut c, &verify("9999")), 0x63C2);
    sw(&mut c, &select_ef(0x0017));
    assert_eq!(
        tx_bytes(&mut c, &sign_cmd(0x80, &sha256_digest_info(b"x"))).1,
        0x6982
    );
}

#[test]
fn verify_forms() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    // Query with Le: 6700, no try spent.
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, "0020008000"), 0x6700);
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
    // By SFI without SELECT.
    assert_eq!(sw(&mut c, "002000980431323334"), 0x9000);
    assert_eq!(sw(&mut c, "0020009B"), 0x63C5);
    // Bad P1 / P2, VERIFY with Le, more than 16 bytes, non-PIN EF, absent SFI.
    assert_eq!(sw(&mut c, "002001800431323334"), 0x6A86);
    assert_eq!(sw(&mut c, "002000000431323334"), 0x6A86);
    assert_eq!(sw(&mut c, "00200080043132333400"), 0x6700);
    assert_eq!(sw(&mut c, &verify("12345678901234567")), 0x6700);
    assert_eq!(sw(&mut c, "0020008A0431323334"), 0x6981);
    assert_eq!(sw(&mut c, "002000830431323334"), 0x6A82);
    sw(&mut c, JPKI);
    assert_eq!(sw(&mut c, "00200080"), 0x6986);
    assert_eq!(sw(&mut c, "0020009B"), 0x63C5);
}

#[test]
fn sign_password_has_five_tries_and_is_case_sensitive() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x001B));
    assert_eq!(sw(&mut c, "00200080"), 0x63C5);
    assert_eq!(sw(&mut c, &verify("yamada2024")), 0x63C4);
    assert_eq!(sw(&mut c, &verify("YAMADA2024")), 0x9000);
}

#[test]
fn wrong_length_pin_costs_a_try_by_default_or_answers_6700() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify("123")), 0x63C2);
    assert_eq!(sw(&mut c, &verify("12345")), 0x63C1);

    let mut options = VirtualCardOptions::default();
    options.wrong_length_costs_try = false;
    let mut c = build("yamada", options);
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify("123")), 0x6700);
    assert_eq!(sw(&mut c, "00200080"), 0x63C3);
}

#[test]
fn configurable_blocked_status_query_and_retry_limits() {
    let mut options = VirtualCardOptions::default();
    options.blocked_status = BlockedStatus::Sw6983;
    options.query_ok_when_verified = true;
    options.verification_number_retries = 3;
    options.birth_key_retries = 5;
    let mut c = build("yamada", options);
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify("1234")), 0x9000);
    assert_eq!(sw(&mut c, "00200080"), 0x9000);
    for expected in [0x63C2, 0x63C1, 0x63C0, 0x6983] {
        assert_eq!(sw(&mut c, &verify("0000")), expected);
    }
    sw(&mut c, KENHOJO);
    assert_eq!(sw(&mut c, "00200094"), 0x63C3);
    assert_eq!(sw(&mut c, "00200095"), 0x63C3);
    sw(&mut c, KENKAKU);
    assert_eq!(sw(&mut c, "00200091"), 0x63C5);

    let mut options = VirtualCardOptions::default();
    options.verification_number_retries = 16;
    assert_eq!(
        try_build("yamada", options).unwrap_err(),
        BuildError::RetryLimit {
            what: "照合番号A/B",
            value: 16
        }
    );
}

#[test]
fn kenhojo_0012_is_blocked_and_juki_common_pins_work() {
    let mut c = card("yamada");
    sw(&mut c, KENHOJO);
    // 券面事項入力補助用暗証番号: 4 digits, 3 tries.
    assert_eq!(sw(&mut c, "00200091"), 0x63C3);
    assert_eq!(sw(&mut c, "002000910439393939"), 0x63C2);
    let snapshot = c.clone();
    assert_eq!(sw(&mut c, "002000910439393939"), 0x63C1);
    assert_eq!(sw(&mut c, "002000910431323334"), 0x9000);
    assert_eq!(sw(&mut c, "00200091"), 0x63C3);
    let mut c = snapshot;
    assert_eq!(sw(&mut c, "00200091"), 0x63C2);
    assert_eq!(sw(&mut c, "00200092"), 0x63C0);
    assert_eq!(sw(&mut c, "002000920431323334"), 0x6984);
    for ap in [JUKI, COMMON] {
        sw(&mut c, ap);
        sw(&mut c, &select_ef(0x001C));
        assert_eq!(sw(&mut c, "00200080"), 0x63C3);
        assert_eq!(sw(&mut c, &verify("0000")), 0x63C2);
        assert_eq!(sw(&mut c, &verify("1234")), 0x9000);
    }
}

// ---------------------------------------------------------------- COMPUTE DIGITAL SIGNATURE

fn verify_sig(key: &PrivateKey, msg: &[u8], sig: &[u8]) {
    key.to_public_key()
        .verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg), sig)
        .unwrap();
}

#[test]
fn auth_signature_after_pin() {
    let mut c = card("yamada");
    let di = sha256_digest_info(b"hello");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x0017));
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x80, &di)), (vec![], 0x6982));
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify("1234")), 0x9000);
    sw(&mut c, &select_ef(0x0017));
    let (sig, s) = tx_bytes(&mut c, &sign_cmd(0x80, &di));
    assert_eq!((sig.len(), s), (256, 0x9000));
    verify_sig(&keys().auth, b"hello", &sig);
    // Key by SFI (P2 = 97), without selecting it.
    sw(&mut c, &select_ef(0x000A));
    let (sig2, s) = tx_bytes(&mut c, &sign_cmd(0x97, &di));
    assert_eq!((sig2.clone(), s), (sig, 0x9000));
    // The auth PIN does not open the sign key.
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x9A, &di)).1, 0x6982);
}

#[test]
fn sign_key_after_password_and_signature_failures() {
    let mut c = card("yamada");
    let di = sha256_digest_info(b"document");
    sw(&mut c, JPKI);
    assert_eq!(
        sw(&mut c, &format!("0020009B0A{}", ascii_hex("YAMADA2024"))),
        0x9000
    );
    let (sig, s) = tx_bytes(&mut c, &sign_cmd(0x9A, &di));
    assert_eq!(s, 0x9000);
    verify_sig(&keys().sign, b"document", &sig);
    // P1 beyond the measured schemes 00-05, unknown P2, no Le, short Le, too long, not a key.
    let mut bad = sign_cmd(0x9A, &di);
    bad[2] = 0x06;
    assert_eq!(tx_bytes(&mut c, &bad).1, 0x6A86);
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x00, &di)).1, 0x6A86);
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x40, &di)).1, 0x6A86);
    let no_le = &sign_cmd(0x9A, &di)[..5 + di.len()];
    assert_eq!(tx_bytes(&mut c, no_le).1, 0x6700);
    let mut short_le = sign_cmd(0x9A, &di);
    *short_le.last_mut().unwrap() = 0x80;
    assert_eq!(tx_bytes(&mut c, &short_le).1, 0x6700);
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x9A, &[0x11; 246])).1, 0x6700);
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x9A, &[0x11; 245])).1, 0x9000);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x80, &di)).1, 0x6981);
    sw(&mut c, JPKI);
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x80, &di)).1, 0x6986);
}

#[test]
fn kenkaku_card_key_signs_without_credential() {
    let mut c = card("yamada");
    sw(&mut c, KENKAKU);
    let di = sha256_digest_info(b"challenge");
    let (sig, s) = tx_bytes(&mut c, &sign_cmd(0x00, &di));
    assert_eq!(s, 0x9000);
    verify_sig(&keys().card, b"challenge", &sig);
}

// ---------------------------------------------------------------- profiles

#[test]
fn android_auth_certificate_needs_the_auth_pin() {
    let mut c = card("ito");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x000A));
    assert_eq!(sw(&mut c, "00B0000004"), 0x6982);
    sw(&mut c, &select_ef(0x0018));
    assert_eq!(sw(&mut c, &verify("4680")), 0x9000);
    sw(&mut c, &select_ef(0x000A));
    assert_eq!(tx(&mut c, "00B0000004"), (hex("308205DC"), 0x9000));
    assert_eq!(sw(&mut c, "80FC0000"), 0x6700);
}

#[test]
fn physical_card_auth_certificate_is_free_and_80fc_is_6700() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, &select_ef(0x000A));
    assert_eq!(tx(&mut c, "00B0000004"), (hex("308205DC"), 0x9000));
    assert_eq!(sw(&mut c, "80FC0000"), 0x6700);
}

#[test]
fn iphone_signs_without_verify_and_ends_transactions() {
    let mut c = card("kato");
    let di = sha256_digest_info(b"iphone");
    sw(&mut c, JPKI);
    let (sig, s) = tx_bytes(&mut c, &sign_cmd(0x97, &di));
    assert_eq!(s, 0x9000);
    verify_sig(&keys().auth, b"iphone", &sig);
    assert_eq!(tx(&mut c, "00B0810004").1, 0x9000);
    assert_eq!(sw(&mut c, "80FC0000"), 0x9000);
    assert_eq!(sw(&mut c, "80FC0100"), 0x6A86);
    assert_eq!(sw(&mut c, "80FC000000"), 0x6700);

    let mut options = VirtualCardOptions::default();
    options.iphone_requires_verify = true;
    let mut c = build("kato", options);
    sw(&mut c, JPKI);
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x97, &di)).1, 0x6982);
    assert_eq!(
        sw(
            &mut c,
            "0020009804{}".replace("{}", &ascii_hex("8642")).as_str()
        ),
        0x9000
    );
    assert_eq!(tx_bytes(&mut c, &sign_cmd(0x97, &di)).1, 0x9000);
}

// ---------------------------------------------------------------- GET CHALLENGE and generic errors

#[test]
fn get_challenge() {
    let mut c = card("yamada");
    let (a, s) = tx(&mut c, "0084000008");
    assert_eq!((a.len(), s), (8, 0x9000));
    let (b, _) = tx(&mut c, "0084000008");
    assert_ne!(a, b);
    assert_eq!(tx(&mut c, "0084000000").0.len(), 256);
    assert_eq!(sw(&mut c, "00840000000010"), 0x6985);
    assert_eq!(sw(&mut c, "0084010008"), 0x6A86);
    assert_eq!(sw(&mut c, "00840000"), 0x6700);
    // Deterministic for a given seed.
    let mut again = card("yamada");
    assert_eq!(tx(&mut again, "0084000008").0, a);
}

#[test]
fn generic_errors() {
    let mut c = card("yamada");
    assert_eq!(sw(&mut c, "00FF0000"), 0x6D00);
    assert_eq!(sw(&mut c, "00120000"), 0x6D00);
    assert_eq!(sw(&mut c, "40A4040C0AD392F000260100000001"), 0x6E00);
    assert_eq!(sw(&mut c, "FFCA000000"), 0x6E00);
    assert_eq!(sw(&mut c, "80A4040C0AD392F000260100000001"), 0x6E00);
    assert_eq!(sw(&mut c, "002A00800100"), 0x6E00);
    assert_eq!(sw(&mut c, "01A4040C0AD392F000260100000001"), 0x6881);
    assert_eq!(sw(&mut c, "0CA4040C0AD392F000260100000001"), 0x6882);
    assert_eq!(sw(&mut c, "00A4"), 0x6700);
    assert_eq!(sw(&mut c, "00A4040C0AD392F0002601000000"), 0x6700);
}

#[test]
fn trace_records_headers_and_status_words_but_no_data() {
    let mut c = card("yamada");
    sw(&mut c, JPKI);
    sw(&mut c, "002000980431323334");
    let trace: Vec<_> = c.trace().copied().collect();
    assert_eq!(trace.len(), 2);
    assert_eq!(
        trace[1].header,
        [Some(0x00), Some(0x20), Some(0x00), Some(0x98)]
    );
    assert_eq!(trace[1].sw.0, 0x9000);
    assert_eq!(trace[1].command_len, 9);
    assert_eq!(c.command_count(), 2);
    c.clear_trace();
    assert_eq!(c.trace().count(), 0);
}

#[test]
fn removed_card_fails_the_transport() {
    let mut c = card("yamada");
    c.remove();
    assert_eq!(c.transmit(&hex(JPKI)), Err(TransportError::CardRemoved));
    c.insert();
    assert_eq!(sw(&mut c, JPKI), 0x6F00, "powered up again: 6F00 first");
    assert_eq!(sw(&mut c, JPKI), 0x9000);
}

// ---------------------------------------------------------------- builder

#[test]
fn builder_rejects_bad_holders_and_missing_credentials() {
    let (holder, _) = VirtualCard::test_holder_description("yamada").unwrap();
    let k = keys();
    let base = || {
        VirtualCard::builder(holder.clone())
            .auth(k.auth.clone(), fake_cert(1, 10))
            .auth_ca_certificate(fake_cert(2, 10))
            .sign(k.sign.clone(), fake_cert(3, 10))
            .card_data_signer(k.signer.clone())
            .cv_ca(k.cv_ca.clone())
    };
    assert_eq!(
        base().build().unwrap_err(),
        BuildError::MissingCredential("card key")
    );
    assert!(base().card_key(k.card.clone()).build().is_ok());
    let bad = holder.clone().with_sign_password("lower123");
    assert_eq!(
        VirtualCard::builder(bad)
            .auth(k.auth.clone(), fake_cert(1, 10))
            .auth_ca_certificate(fake_cert(2, 10))
            .sign(k.sign.clone(), fake_cert(3, 10))
            .build()
            .unwrap_err(),
        BuildError::InvalidSecret("sign password")
    );
    let bad = holder.clone().with_auth_pin("12a4");
    assert_eq!(
        VirtualCard::builder(bad)
            .auth(k.auth.clone(), fake_cert(1, 10))
            .auth_ca_certificate(fake_cert(2, 10))
            .build()
            .unwrap_err(),
        BuildError::InvalidSecret("auth PIN")
    );
    let nobody = Holder::new(
        "試験　太郎",
        "東京都",
        "1990041",
        mynacard::virtual_card::HolderSex::Male,
        "123456789018",
        "20350401",
    );
    assert_eq!(
        VirtualCard::builder(nobody).build().unwrap_err(),
        BuildError::InvalidDate("birth date")
    );
    assert_eq!(
        VirtualCard::builder(holder.clone())
            .profile(Profile::Android)
            .auth(k.auth.clone(), fake_cert(1, 10))
            .auth_ca_certificate(fake_cert(2, 10))
            .build()
            .unwrap_err(),
        BuildError::MissingCredential("sign key")
    );
    assert!(matches!(
        mynacard::virtual_card::rsa_key_from_pkcs8_der(&[0x30, 0x00], "auth key"),
        Err(BuildError::KeyEncoding("auth key"))
    ));
    let _ = k.auth.size();
}
