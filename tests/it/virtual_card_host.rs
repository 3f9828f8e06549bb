//! The host side of this crate (APDU encoder, exchange loop, BER-TLV reader)
//! against the built-in TEST holders of the virtual card, and the signed 券面
//! records checked against the TEST keys of `crates/mynacard-virtual-card/data/pki/`.

#![cfg(feature = "virtual-card")]

use der::{Decode, Encode};
use mynacard::apdu::{Command, StatusWord};
use mynacard::exchange::{Exchange, FileRef, Framing};
use mynacard::tlv::{Reader, Tlv};
use mynacard::transport::{LinkCapabilities, Transport};
use mynacard::virtual_card::{
    CardApplication, TEST_AUTH_CA_DER, TEST_HOLDER_IDS, VirtualCard, VirtualCardOptions,
};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, PrivateKey, PublicKey};
use sha2::{Digest, Sha256};

const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const KENHOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

fn pki(file: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/crates/mynacard-virtual-card/data/pki/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn pki_key(file: &str) -> PrivateKey {
    PrivateKey::from_pkcs8_der(&pki(file)).unwrap()
}

fn cert_public_key(der: &[u8]) -> PublicKey {
    let cert = x509_cert::Certificate::from_der(der).unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    use rsa::pkcs8::DecodePublicKey;
    PublicKey::from_public_key_der(&spki).unwrap()
}

fn select_aid(aid: &[u8]) -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(aid.to_vec())
}

fn select_ef(fid: u16) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(fid.to_be_bytes().to_vec())
}

#[test]
fn every_builtin_holder_builds_with_its_profile() {
    for id in TEST_HOLDER_IDS {
        let card = VirtualCard::test_holder(id).unwrap();
        let (_, profile) = VirtualCard::test_holder_description(id).unwrap();
        assert_eq!(card.profile(), profile, "{id}");
        assert_eq!(
            card.file_content(CardApplication::Jpki, 0x000A).unwrap()
                [..pki(&format!("{id}_auth.der")).len()],
            pki(&format!("{id}_auth.der"))[..],
            "{id}"
        );
    }
}

#[test]
fn host_reads_the_auth_certificate_short_and_extended() {
    for caps in [LinkCapabilities::SHORT, LinkCapabilities::extended(65536)] {
        let mut options = VirtualCardOptions::default();
        options.capabilities = caps;
        let card = VirtualCard::test_holder_with("yamada", options).unwrap();
        let mut ex = Exchange::new(card);
        ex.transmit_ok(&select_aid(&JPKI_AID)).unwrap();
        let cert = ex.read_file(FileRef::Sfi(0x0A), Framing::Tlv).unwrap();
        assert_eq!(&cert[..], &pki("yamada_auth.der")[..]);
        let expected_reads = if caps.extended {
            1
        } else {
            1 + (cert.len() - 1) / 256
        };
        assert_eq!(ex.counters().commands, 1 + expected_reads, "{caps:?}");
        ex.transmit_ok(&select_ef(0x000B)).unwrap();
        let ca = ex.read_file(FileRef::Current, Framing::Tlv).unwrap();
        assert_eq!(&ca[..], TEST_AUTH_CA_DER);
    }
}

#[test]
fn host_signs_with_the_auth_key_and_the_certificate_verifies_it() {
    let mut ex = Exchange::new(VirtualCard::test_holder("yamada").unwrap());
    ex.transmit_ok(&select_aid(&JPKI_AID)).unwrap();
    ex.transmit_ok(&select_ef(0x0018)).unwrap();
    let query = ex.transmit(&Command::new(0x00, 0x20, 0x00, 0x80)).unwrap();
    assert_eq!(query.status(), StatusWord::RemainingTries(3));
    ex.transmit_ok(&Command::new(0x00, 0x20, 0x00, 0x80).with_sensitive_data(b"1234".to_vec()))
        .unwrap();
    ex.transmit_ok(&select_ef(0x0017)).unwrap();
    let mut digest_info = vec![
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    digest_info.extend_from_slice(&Sha256::digest(b"reception"));
    let sig = ex
        .transmit_ok(
            &Command::new(0x80, 0x2A, 0x00, 0x80)
                .with_data(digest_info)
                .with_le(256),
        )
        .unwrap();
    assert_eq!(sig.data().len(), 256);
    cert_public_key(&pki("yamada_auth.der"))
        .verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(b"reception"),
            sig.data(),
        )
        .unwrap();
}

#[test]
fn host_reads_kenhojo_basic_four_with_the_pin() {
    let mut ex = Exchange::new(VirtualCard::test_holder("takahashi").unwrap());
    ex.transmit_ok(&select_aid(&KENHOJO_AID)).unwrap();
    ex.transmit_ok(&select_ef(0x0011)).unwrap();
    ex.transmit_ok(&Command::new(0x00, 0x20, 0x00, 0x80).with_sensitive_data(b"9753".to_vec()))
        .unwrap();
    ex.transmit_ok(&select_ef(0x0002)).unwrap();
    let data = ex.read_file(FileRef::Current, Framing::Tlv).unwrap();
    let (outer, _) = Tlv::parse(&data, 0).unwrap();
    assert_eq!(outer.tag(), [0xFF, 0x20]);
    let fields: Vec<_> = outer.children().map(|t| t.unwrap()).collect();
    let tags: Vec<_> = fields.iter().map(|t| t.tag().to_vec()).collect();
    assert_eq!(
        tags,
        [
            [0xDF, 0x21],
            [0xDF, 0x22],
            [0xDF, 0x23],
            [0xDF, 0x24],
            [0xDF, 0x25]
        ]
        .map(|t| t.to_vec())
    );
    assert_eq!(
        std::str::from_utf8(fields[1].value()).unwrap(),
        "高橋　由美"
    );
    assert_eq!(
        std::str::from_utf8(fields[2].value()).unwrap(),
        "福岡県福岡市博多区吉塚本町１３－１"
    );
    assert_eq!(fields[3].value(), b"19890107");
    assert_eq!(fields[4].value(), b"2");
    // The offset table points at each field's tag, from the start of the file.
    let offsets: Vec<usize> = fields[0]
        .value()
        .chunks(2)
        .map(|c| usize::from(u16::from_be_bytes([c[0], c[1]])))
        .collect();
    assert_eq!(
        offsets,
        fields[1..].iter().map(Tlv::offset).collect::<Vec<_>>()
    );
}

#[test]
fn kenhojo_basic_four_matches_the_fact_sheet_layout() {
    // card-apdu.md §7.3 worked example: same name, address and birth date as yamada.
    let card = VirtualCard::test_holder("yamada").unwrap();
    let ef = card.file_content(CardApplication::Kenhojo, 0x0002).unwrap();
    assert_eq!(
        ef[..14],
        [
            0xFF, 0x20, 0x5C, 0xDF, 0x21, 0x08, 0x00, 0x0E, 0x00, 0x20, 0x00, 0x50, 0x00, 0x5B
        ]
    );
    assert_eq!(ef[14..17], [0xDF, 0x22, 0x0F]);
    assert_eq!(ef[0x5B..0x5F], [0xDF, 0x25, 0x01, b'1']);
    assert!(ef[0x5F..].iter().all(|&b| b == 0xFF));
    assert_eq!(ef.len(), 256);
}

fn tlvs(bytes: &[u8]) -> Vec<Tlv<'_>> {
    Reader::new(bytes).map(|t| t.unwrap()).collect()
}

fn verify_sha256(key: &PublicKey, message: &[u8], sig: &[u8]) {
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message), sig)
        .unwrap();
}

#[test]
fn kenhojo_integrity_record_and_cv_certificate_verify() {
    let card = VirtualCard::test_holder("yamada").unwrap();
    let signer = pki_key("card_data_signer.key.der").to_public_key();
    let cv_ca = pki_key("cv_ca.key.der").to_public_key();
    let ef1 = card.file_content(CardApplication::Kenhojo, 0x0001).unwrap();
    let ef2 = card.file_content(CardApplication::Kenhojo, 0x0002).unwrap();
    let ef3 = card.file_content(CardApplication::Kenhojo, 0x0003).unwrap();
    assert_eq!(ef3[..5], [0xFF, 0x30, 0x82, 0x01, 0x4B]);
    let (outer, _) = Tlv::parse(ef3, 0).unwrap();
    let inner = tlvs(outer.value());
    assert_eq!(inner[0].value(), Sha256::digest(ef1).as_slice());
    let (basic4, _) = Tlv::parse(ef2, 0).unwrap();
    let table: Vec<Tlv<'_>> = basic4.children().map(|t| t.unwrap()).collect();
    let fields_start = table[1].offset();
    let fields_end = basic4.value_offset() + basic4.value().len();
    assert_eq!(
        inner[1].value(),
        Sha256::digest(&ef2[fields_start..fields_end]).as_slice()
    );
    let signed = [inner[0].raw(), inner[1].raw()].concat();
    verify_sha256(&signer, &signed, inner[2].value());

    for app in [CardApplication::Kenhojo, CardApplication::Kenkaku] {
        let cv = card.file_content(app, 0x0004).unwrap();
        // 5-byte header + 0x233 = 568 bytes of object, then FF filler.
        assert_eq!(cv.len(), 768);
        assert_eq!(cv[..5], [0x7F, 0x21, 0x82, 0x02, 0x33]);
        assert_eq!(cv[567..569], [cv[567], 0xFF]);
        assert_eq!(Tlv::parse(cv, 0).unwrap().0.raw().len(), 568);
        let (cert, _) = Tlv::parse(cv, 0).unwrap();
        let parts = tlvs(cert.value());
        assert_eq!(parts[0].tag(), [0x5F, 0x4E]);
        let body = parts[0].value();
        assert_eq!(body.len(), 297);
        assert_eq!(
            body[32..41],
            [0x90, 0x03, 0x01, 0x00, 0x01, 0x91, 0x82, 0x01, 0x00]
        );
        let modulus = rsa::traits::PublicKeyParts::n_bytes(&signer);
        assert_eq!(&body[41..], &modulus[..]);
        verify_sha256(&cv_ca, body, parts[1].value());
    }
}

#[test]
fn kenkaku_records_verify() {
    let card = VirtualCard::test_holder("sato").unwrap();
    let signer = pki_key("card_data_signer.key.der").to_public_key();
    let card_key = pki_key("card_internal.key.der").to_public_key();
    let card_modulus = rsa::traits::PublicKeyParts::n_bytes(&card_key);

    // EF 0002: DF28 signs SHA256(DF22‖DF23‖DF24) ‖ SHA256(DF25‖DF26) ‖ SHA256(DF27).
    let face = card.file_content(CardApplication::Kenkaku, 0x0002).unwrap();
    let (outer, _) = Tlv::parse(face, 0).unwrap();
    let f: Vec<Tlv<'_>> = outer.children().map(|t| t.unwrap()).collect();
    let tags: Vec<u8> = f.iter().map(|t| t.tag()[1]).collect();
    assert_eq!(tags, (0x21..=0x2A).collect::<Vec<u8>>());
    assert_eq!(f[1].value(), b"19850615");
    assert_eq!(f[2].value(), b"2");
    assert_eq!(&f[3].value()[9..], &card_modulus[..]);
    assert_eq!(
        f[4].value()[..8],
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]
    );
    assert_eq!(
        f[6].value()[..12],
        [
            0, 0, 0, 0x0C, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A
        ]
    );
    assert_eq!(f[8].value(), b"20331231");
    let mut digests = Vec::new();
    digests.extend_from_slice(&Sha256::digest(
        [f[1].raw(), f[2].raw(), f[3].raw()].concat(),
    ));
    digests.extend_from_slice(&Sha256::digest([f[4].raw(), f[5].raw()].concat()));
    digests.extend_from_slice(&Sha256::digest(f[6].raw()));
    let mut digest_info = vec![
        0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x60,
    ];
    digest_info.extend_from_slice(&digests);
    signer
        .verify(Pkcs1v15Sign::new_unprefixed(), &digest_info, f[7].value())
        .unwrap();
    let offsets: Vec<usize> = f[0]
        .value()
        .chunks(2)
        .map(|c| usize::from(u16::from_be_bytes([c[0], c[1]])))
        .collect();
    assert_eq!(offsets, f[1..].iter().map(Tlv::offset).collect::<Vec<_>>());

    // EF 0001 (age) and EF 0005 (個人番号 image): signature over the TLVs before it.
    for (fid, header) in [
        (0x0001, [0xFF, 0x10, 0x82, 0x02, 0x1E]),
        (0x0005, [0xFF, 0x40, 0x82, 0x01, 0x00]),
    ] {
        let ef = card.file_content(CardApplication::Kenkaku, fid).unwrap();
        assert_eq!(ef[..3], header[..3], "{fid:04X}");
        let (outer, _) = Tlv::parse(ef, 0).unwrap();
        let parts = tlvs(outer.value());
        let signed = [parts[0].raw(), parts[1].raw()].concat();
        verify_sha256(&signer, &signed, parts[2].value());
    }
    // kenhojo EF 0007 (signed card key).
    let ef7 = card.file_content(CardApplication::Kenhojo, 0x0007).unwrap();
    assert_eq!(ef7[..5], [0xFF, 0x50, 0x82, 0x02, 0x13]);
    let (outer, _) = Tlv::parse(ef7, 0).unwrap();
    let parts = tlvs(outer.value());
    verify_sha256(&signer, parts[0].raw(), parts[1].value());
}

#[test]
fn virtual_card_is_a_transport_object() {
    let mut boxed: Box<dyn Transport> = Box::new(VirtualCard::test_holder("kato").unwrap());
    let mut cmd = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
    cmd.extend_from_slice(&JPKI_AID);
    assert_eq!(boxed.transmit(&cmd).unwrap(), [0x90, 0x00]);
    assert_eq!(
        boxed.transmit(&[0x80, 0xFC, 0x00, 0x00]).unwrap(),
        [0x90, 0x00]
    );
}
