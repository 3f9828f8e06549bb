//! Card operations through pcscd + vsmartcard's vpcd with the virtual card
//! attached: the real PC/SC path (`PcscTransport`).
//!
//! Needs a running pcscd with the vpcd driver (reader "Virtual PCD 00 00").
//! If the reader has no card, the test serves the built-in TEST holder `yamada`
//! to vpcd itself (TCP 127.0.0.1:35963). Without pcscd or the reader it prints
//! why and skips. `.ci/pcsc.sh` starts both.

#![cfg(all(feature = "pcsc", feature = "virtual-card"))]

use std::net::TcpStream;
use std::time::Duration;

use mynacard::card::Pin;
use mynacard::card::TokenKind;
use mynacard::card::{Card, KeyRef, LastTryGuard};
use mynacard::card::{HashAlgorithm, SignInput};
use mynacard::card::{JpkiCertificateKind, JpkiKey};
use mynacard::pcsc::{ConnectOptions, ExtendedApdu, PcscContext};
use mynacard::session::{Logout, logout};
use mynacard::transport::{Traced, Transport};
use mynacard::virtual_card::{VirtualCard, vpcd};

/// The TEST holder on the virtual card (`VCARD_HOLDER`, default `yamada`), its
/// token kind and auth PIN from crates/mynacard-virtual-card/data/holders.tsv.
fn holder() -> (String, String, String) {
    let id = std::env::var("VCARD_HOLDER").unwrap_or_else(|_| "yamada".into());
    let table = include_str!("../../crates/mynacard-virtual-card/data/holders.tsv");
    let row = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|c| c.first() == Some(&id.as_str()))
        .expect("VCARD_HOLDER names a row of crates/mynacard-virtual-card/data/holders.tsv");
    (id, row[1].to_owned(), row[10].to_owned())
}

/// The vpcd reader to use: `VCARD_READER` if set, else the first "Virtual PCD".
fn virtual_reader(ctx: &PcscContext) -> Option<String> {
    let wanted = std::env::var("VCARD_READER").ok();
    ctx.list_readers()
        .ok()?
        .into_iter()
        .find(|r| match &wanted {
            Some(w) => r == w,
            None => r.starts_with("Virtual PCD"),
        })
}

/// A reader holding the virtual card, or why the test is skipped.
fn reader_with_card(ctx: &PcscContext) -> Option<String> {
    let reader = virtual_reader(ctx)?;
    ctx.wait_for_card(&reader, Some(Duration::from_secs(5)))
        .ok()
        .map(|()| reader)
}

fn sw(response: &[u8]) -> u16 {
    match response {
        [.., a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    }
}

const SELECT_JPKI: [u8; 15] = [
    0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
];

/// COMPUTE DIGITAL SIGNATURE with the auth key by SFI over a SHA-256 DigestInfo:
/// `9000` exactly when the auth PIN is verified.
fn sign_with_auth_key(t: &mut impl Transport) -> u16 {
    let mut cmd = vec![0x80, 0x2A, 0x00, 0x97, 51];
    cmd.extend_from_slice(&[
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ]);
    cmd.extend_from_slice(&[0x5A; 32]);
    cmd.push(0x00);
    sw(&t.transmit(&cmd).expect("sign"))
}

/// Issue 15: through pcscd + vpcd, a warm reset (`SCARD_RESET_CARD`) keeps the verified
/// auth PIN (as measured on real cards), a power-off clears it, and
/// `mynacard::session::logout` really logs out. Also: nothing depends on the ATR (run
/// once per ATR by .ci/pcsc.sh), and a card answering `6F00` after power-up is handled.
#[test]
fn reset_keeps_and_power_off_clears_the_verified_state() {
    let Ok(ctx) = PcscContext::establish() else {
        eprintln!("SKIPPED: pcscd is not running");
        return;
    };
    let Some(reader) = reader_with_card(&ctx) else {
        eprintln!("SKIPPED: no vpcd reader with a card");
        return;
    };
    let (_, token, auth_pin) = holder();
    if token != "card" {
        eprintln!("SKIPPED: reset semantics are measured on physical cards only");
        return;
    }
    let mut t = ctx
        .connect(&reader, ConnectOptions::default())
        .expect("connect");
    println!("ATR {:02X?}", t.atr().expect("ATR"));
    assert_eq!(sw(&t.transmit(&SELECT_JPKI).unwrap()), 0x9000);
    let mut verify = vec![0x00, 0x20, 0x00, 0x98, auth_pin.len() as u8];
    verify.extend_from_slice(auth_pin.as_bytes());
    assert_eq!(sw(&t.transmit(&verify).unwrap()), 0x9000);
    assert_eq!(sign_with_auth_key(&mut t), 0x9000);

    t.reconnect(true).expect("SCARD_RESET_CARD");
    assert_eq!(sw(&t.transmit(&SELECT_JPKI).unwrap()), 0x9000);
    let after_reset = sign_with_auth_key(&mut t);
    println!("after a warm reset: sign answers {after_reset:04X} (verified state kept)");
    assert_eq!(after_reset, 0x9000, "a warm reset keeps the verified PIN");

    let how = logout(&mut t).expect("logout");
    assert_eq!(how, Logout::PowerCycled);
    assert_eq!(sw(&t.transmit(&SELECT_JPKI).unwrap()), 0x9000);
    let after_logout = sign_with_auth_key(&mut t);
    println!("after logout (SCARD_UNPOWER_CARD): sign answers {after_logout:04X} (logged out)");
    assert_eq!(after_logout, 0x6982, "power-off clears the verified PIN");
}

/// Item 12.8: waiting for a card on any reader finds the vpcd reader holding one.
#[test]
fn wait_for_a_card_on_any_reader() {
    let Ok(ctx) = PcscContext::establish() else {
        eprintln!("SKIPPED: pcscd is not running");
        return;
    };
    let Some(reader) = reader_with_card(&ctx) else {
        eprintln!("SKIPPED: no vpcd reader with a card");
        return;
    };
    let found = ctx
        .wait_for_any_card(Some(Duration::from_secs(5)))
        .expect("a reader holds a card");
    assert!(found.starts_with("Virtual PCD"), "{found}");
    assert!(ctx.wait_for_card(&found, Some(Duration::ZERO)).is_ok());
    println!("wait_for_any_card: {found} (expected at least {reader})");
}

#[test]
fn read_certificates_and_sign_through_pcscd() {
    let Ok(ctx) = PcscContext::establish() else {
        eprintln!("SKIPPED: pcscd is not running (start it as in .ci/pcsc.sh)");
        return;
    };
    let Some(reader) = virtual_reader(&ctx) else {
        eprintln!(
            "SKIPPED: no vpcd reader \"Virtual PCD 00 00\" (install vsmartcard-vpcd, restart pcscd)"
        );
        return;
    };
    if ctx
        .wait_for_card(&reader, Some(Duration::from_millis(300)))
        .is_err()
    {
        // Serve the virtual card ourselves.
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", vpcd::DEFAULT_PORT)) else {
            eprintln!(
                "SKIPPED: reader has no card and vpcd's port {} refuses connections",
                vpcd::DEFAULT_PORT
            );
            return;
        };
        std::thread::spawn(move || {
            let mut card = VirtualCard::test_holder(&holder().0).expect("built-in holder");
            let _ = vpcd::serve(&mut card, &mut stream);
        });
        ctx.wait_for_card(&reader, Some(Duration::from_secs(10)))
            .expect("the served virtual card appears in the reader");
    }
    let transport = ctx
        .connect(
            &reader,
            ConnectOptions {
                exclusive: true,
                extended: ExtendedApdu::Short,
            },
        )
        .expect("connect");
    assert!(!transport.atr().expect("ATR").is_empty());
    let mut card = Card::new(Traced::new(transport));
    let (_, token, auth_pin) = holder();
    let info = card.token_info().expect("token info");
    let expected = match token.as_str() {
        "android" => TokenKind::Android,
        "iphone" => TokenKind::Iphone,
        _ => TokenKind::Card,
    };
    assert_eq!(info.kind, expected);
    card.read_certificate(JpkiCertificateKind::AuthCa)
        .expect("auth CA certificate");
    if expected != TokenKind::Iphone {
        let status = card.pin_status(KeyRef::JpkiAuthPin).expect("PIN status");
        assert!(status.remaining.is_some_and(|n| n >= 2), "{status:?}");
        card.verify_auth_pin(&Pin::new(&auth_pin).unwrap(), LastTryGuard::Refuse)
            .expect("VERIFY");
    }
    let auth = card
        .read_certificate(JpkiCertificateKind::Auth)
        .expect("auth certificate");
    let sig = card
        .sign(
            JpkiKey::Auth,
            HashAlgorithm::Sha256,
            SignInput::Message(b"pcsc challenge"),
        )
        .expect("signature");
    auth.verification_key(&mynacard::pki::backend::RustCrypto)
        .unwrap()
        .verify(
            mynacard::pki::SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
            b"pcsc challenge",
            &sig,
        )
        .expect("signature verifies with the auth certificate");
    card.end_transaction().expect("end of transaction");
    // A reset: the driver selects again afterwards.
    card.transport_mut()
        .inner_mut()
        .reconnect(true)
        .expect("reconnect");
    card.forget_state();
    card.read_certificate(JpkiCertificateKind::AuthCa)
        .expect("read after reset");
}

#[test]
fn cancelling_a_wait() {
    let Ok(ctx) = PcscContext::establish() else {
        eprintln!("SKIPPED: pcscd is not running");
        return;
    };
    // vpcd offers two readers; the card (if any) sits in the first one. Use an
    // empty one, and the timeout path when none is empty.
    let readers: Vec<String> = ctx
        .list_readers()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.starts_with("Virtual PCD"))
        .collect();
    if readers.is_empty() {
        eprintln!("SKIPPED: no vpcd reader");
        return;
    }
    let empty = readers.iter().find(|r| {
        ctx.wait_for_card(r, Some(Duration::from_millis(100)))
            == Err(mynacard::transport::TransportError::Timeout)
    });
    let Some(reader) = empty.cloned() else {
        eprintln!("every vpcd reader holds a card; cancellation not exercised");
        return;
    };
    let c = ctx.canceller();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        c.cancel()
    });
    assert_eq!(
        ctx.wait_for_card(&reader, Some(Duration::from_secs(20))),
        Err(mynacard::transport::TransportError::Cancelled)
    );
    t.join().unwrap().unwrap();
}
