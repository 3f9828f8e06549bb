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

use mynacard::card::digest_info::{HashAlgorithm, SignInput};
use mynacard::card::jpki::{JpkiCertificateKind, JpkiKey};
use mynacard::card::pin::Pin;
use mynacard::card::token::TokenKind;
use mynacard::card::{Card, KeyRef, LastTry};
use mynacard::pcsc::{ConnectOptions, ExtendedApdu, PcscContext};
use mynacard::transport::Traced;
use mynacard::virtual_card::{VirtualCard, vpcd};

/// The TEST holder on the virtual card (`VCARD_HOLDER`, default `yamada`), its
/// token kind and auth PIN from crates/mynacard-virtual-card/data/holders.tsv.
fn holder() -> (String, String, String) {
    let id = std::env::var("VCARD_HOLDER").unwrap_or_else(|_| "yamada".into());
    let table = include_str!("../crates/mynacard-virtual-card/data/holders.tsv");
    let row = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|c| c.first() == Some(&id.as_str()))
        .expect("VCARD_HOLDER names a row of crates/mynacard-virtual-card/data/holders.tsv");
    (id, row[1].to_owned(), row[10].to_owned())
}

fn virtual_reader(ctx: &PcscContext) -> Option<String> {
    ctx.list_readers()
        .ok()?
        .into_iter()
        .find(|r| r.starts_with("Virtual PCD"))
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
        card.verify_auth_pin(&Pin::new(&auth_pin).unwrap(), LastTry::Refuse)
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
