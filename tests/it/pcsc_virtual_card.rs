//! The virtual card through real PC/SC: pcscd + vsmartcard's vpcd, with
//! `examples/vpcd_card.rs` attached (started by `.ci/pcsc.sh`). Reads the auth
//! certificate with this crate's host-side exchange over the `pcsc` crate and
//! checks a signature made by the card.
//!
//! Ignored by default; run with
//! `cargo test --features pcsc --test it pcsc_virtual_card:: -- --include-ignored`.
//! Skips (passes with a message on stderr) when pcscd is not running or no
//! "Virtual PCD" reader holds a card. `VCARD_HOLDER` names the TEST holder the card
//! was started with (default `yamada`).

#![cfg(all(feature = "pcsc", feature = "virtual-card"))]

use der::{Decode, Encode};
use mynacard::apdu::{Command, StatusWord};
use mynacard::exchange::{Exchange, FileRef, Framing};
use mynacard::transport::{Transport, TransportError};
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, PublicKey};
use sha2::{Digest, Sha256};

const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

/// A minimal `Transport` over a `pcsc::Card`, for this test only.
struct PcscLink(pcsc::Card);

impl Transport for PcscLink {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut buf = vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        self.0
            .transmit(command, &mut buf)
            .map(<[u8]>::to_vec)
            .map_err(|e| TransportError::Other(e.to_string()))
    }
}

/// Connects to the first "Virtual PCD" reader with a card, or explains why not.
fn connect() -> Result<pcsc::Card, String> {
    let ctx = pcsc::Context::establish(pcsc::Scope::User)
        .map_err(|e| format!("pcscd not reachable ({e})"))?;
    let readers = ctx
        .list_readers_owned()
        .map_err(|e| format!("no readers ({e})"))?;
    for reader in readers
        .iter()
        .filter(|r| r.to_string_lossy().contains("Virtual PCD"))
    {
        if let Ok(card) = ctx.connect(reader, pcsc::ShareMode::Shared, pcsc::Protocols::ANY) {
            return Ok(card);
        }
    }
    Err(format!(
        "no Virtual PCD reader with a card among {readers:?}"
    ))
}

fn holder() -> String {
    std::env::var("VCARD_HOLDER").unwrap_or_else(|_| "yamada".to_owned())
}

/// The holder's auth PIN, from the TEST holder table (column `auth_pin`).
fn auth_pin(id: &str) -> String {
    let table = include_str!("../../crates/mynacard-virtual-card/data/holders.tsv");
    let row = table
        .lines()
        .find(|l| l.split('\t').next() == Some(id))
        .unwrap_or_else(|| panic!("no TEST holder {id}"));
    row.split('\t').nth(10).unwrap().to_owned()
}

fn pki(file: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/crates/mynacard-virtual-card/data/pki/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
#[ignore = "needs pcscd + vpcd with examples/vpcd_card attached (.ci/pcsc.sh)"]
fn reads_the_auth_certificate_and_signs_through_pcsc() {
    let card = match connect() {
        Ok(card) => card,
        Err(why) => {
            eprintln!(
                "SKIPPED pcsc_virtual_card: {why}; start pcscd and `cargo run --example vpcd_card` (see .ci/pcsc.sh)"
            );
            return;
        }
    };
    let id = holder();
    let mut ex = Exchange::new(PcscLink(card));
    ex.transmit_ok(&Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(JPKI_AID.to_vec()))
        .unwrap();
    let cert = ex.read_file(FileRef::Sfi(0x0A), Framing::Tlv).unwrap();
    assert_eq!(&cert[..], &pki(&format!("{id}_auth.der"))[..]);

    // Retry query (case 1), VERIFY, signature with the auth key.
    ex.transmit_ok(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x00, 0x18]))
        .unwrap();
    let query = ex.transmit(&Command::new(0x00, 0x20, 0x00, 0x80)).unwrap();
    assert_eq!(query.status(), StatusWord::RemainingTries(3));
    let pin = auth_pin(&id);
    ex.transmit_ok(&Command::new(0x00, 0x20, 0x00, 0x80).with_sensitive_data(pin.into_bytes()))
        .unwrap();
    ex.transmit_ok(&Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x00, 0x17]))
        .unwrap();
    let mut digest_info = vec![
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    digest_info.extend_from_slice(&Sha256::digest(b"pcsc"));
    let sig = ex
        .transmit_ok(
            &Command::new(0x80, 0x2A, 0x00, 0x80)
                .with_data(digest_info)
                .with_le(256),
        )
        .unwrap();
    let parsed = x509_cert::Certificate::from_der(&cert).unwrap();
    let spki = parsed
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    PublicKey::from_public_key_der(&spki)
        .unwrap()
        .verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(b"pcsc"),
            sig.data(),
        )
        .unwrap();
}
