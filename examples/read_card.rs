//! Reads a My Number Card (or a phone's JPKI token) through PC/SC: readers,
//! token info, certificates, PIN status; with `--pin` signs a challenge with the
//! auth key and verifies the signature with the auth certificate.
//!
//! ```sh
//! cargo run --example read_card --features pcsc -- [--reader NAME] [--pin 1234 | --pin-pad] [--extended]
//! ```
//!
//! Works against real readers and against the virtual card through pcscd + vpcd
//! (`cargo run --example vpcd_card`).

use std::time::{Duration, SystemTime};

use mynacard::card::Pin;
use mynacard::card::{Card, KeyRef, LastTryGuard};
use mynacard::card::{HashAlgorithm, SignInput};
use mynacard::card::{JpkiCertificateKind, JpkiKey};
use mynacard::pcsc::{ConnectOptions, ExtendedApdu, PcscContext};
use mynacard::transport::{PinPad, Transport};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut reader = None;
    let mut pin = None;
    let mut pin_pad = false;
    let mut extended = ExtendedApdu::FromReader;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--reader" => reader = Some(args.next().ok_or("--reader needs a name")?),
            "--pin" => pin = Some(Pin::new(&args.next().ok_or("--pin needs 4 digits")?)?),
            "--pin-pad" => pin_pad = true,
            "--extended" => extended = ExtendedApdu::Extended,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let ctx = PcscContext::establish()?;
    let readers = ctx.list_readers()?;
    println!("readers:");
    for r in &readers {
        println!("  {r}");
    }
    let reader = reader
        .or_else(|| readers.first().cloned())
        .ok_or("no reader")?;
    println!("waiting for a card in {reader} …");
    ctx.wait_for_card(&reader, Some(Duration::from_secs(30)))?;
    let transport = ctx.connect(
        &reader,
        ConnectOptions {
            exclusive: true,
            extended,
        },
    )?;
    println!("ATR {}", hex(&transport.atr()?));
    println!(
        "link: {}, PIN pad: {}",
        if transport.capabilities().extended {
            "extended APDUs"
        } else {
            "short APDUs"
        },
        if transport.has_pin_pad() { "yes" } else { "no" }
    );
    let mut card = Card::new(transport);

    let info = card.token_info()?;
    println!("token: {} ({:?})", info.label, info.kind);
    let avail = card.cert_availability()?;
    println!("certificates: sign {:?}, auth {:?}", avail.sign, avail.auth);
    for key in [KeyRef::JpkiAuthPin, KeyRef::JpkiSignPassword] {
        if !info.kind.verifies_on_device() {
            println!("{key}: {:?}", card.pin_status(key)?);
        }
    }
    for kind in [JpkiCertificateKind::AuthCa, JpkiCertificateKind::SignCa] {
        let c = card.read_certificate(kind)?;
        println!(
            "{kind:?}: {} bytes, subject {}",
            c.der().len(),
            c.certificate().tbs_certificate().subject()
        );
    }
    if !info.kind.auth_cert_needs_pin() {
        let c = card.read_certificate(JpkiCertificateKind::Auth)?;
        println!(
            "Auth: {} bytes, issuer {}",
            c.der().len(),
            c.certificate().tbs_certificate().issuer()
        );
    }

    if pin.is_none() && !pin_pad && !info.kind.verifies_on_device() {
        println!("(pass --pin or --pin-pad to sign a challenge)");
        return Ok(());
    }
    if pin_pad {
        println!("type the auth PIN on the reader's keypad …");
        card.verify_on_pin_pad(KeyRef::JpkiAuthPin, LastTryGuard::Refuse)?;
    } else if let Some(pin) = &pin {
        card.verify_auth_pin(pin, LastTryGuard::Refuse)?;
    }
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)?
        .as_nanos();
    let challenge = HashAlgorithm::Sha256.hash(&nanos.to_be_bytes());
    let sig = card.sign(
        JpkiKey::Auth,
        HashAlgorithm::Sha256,
        SignInput::Message(&challenge),
    )?;
    card.end_transaction()?;
    let cert = card.read_certificate(JpkiCertificateKind::Auth)?;
    cert.verification_key(&mynacard::pki::backend::RustCrypto)?
        .verify(
            mynacard::pki::SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
            &challenge,
            &sig,
        )
        .map_err(|_| "signature does not verify")?;
    println!(
        "signed a {}-byte challenge; the signature verifies with the auth certificate",
        challenge.len()
    );
    println!("commands: {:?}", card.counters());
    Ok(())
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}
