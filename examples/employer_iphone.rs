//! The employer's intake from a new hire's iPhone (the カード代替電磁的記録, an mdoc) on the
//! virtual iPhone, in five cases: the QR code with a signature, the NFC negotiated handover
//! with a MAC, a portrait the employer does not recognise, a response altered on its way, and
//! an issuer the employer did not configure. Then a clinic's 本人確認 from the same phone,
//! without the 個人番号.
//!
//! ```sh
//! cargo run --example employer_iphone
//! ```
//!
//! Prints each outcome as `Debug` shows it: redacted.

use mynacard::employer::{MdocIdentityBasis, MdocIntake, PortraitComparison};
use mynacard::flows::MdocIdentityCheck;
use mynacard::mdoc::handover::{HandoverStep, NdefRecord, NegotiatedHandover, encode_ndef};
use mynacard::mdoc::{DeviceEngagement, Handover, IssuerAnchors};
use mynacard::pki::UnixTime;
use mynacard::virtual_card::iphone::{IphoneOptions, VirtualIphone, test_iaca_der};

type Error = Box<dyn std::error::Error>;

/// 2026-12-06T00:00:00Z (inside the TEST MSO's validity).
const NOW: UnixTime = UnixTime::from_secs(1_796_515_200);

/// The reader's ephemeral scalar: fresh CSPRNG bytes for every session.
fn fresh_scalar() -> Result<[u8; 32], Error> {
    let mut s = [0u8; 32];
    getrandom::fill(&mut s).map_err(|e| format!("getrandom: {e}"))?;
    Ok(s)
}

/// The NFC negotiated handover (Apple Wallet answers an empty NDEF until it is ready).
fn nfc_engagement(phone: &mut VirtualIphone) -> Result<(DeviceEngagement, Handover), Error> {
    let request = encode_ndef(&[NdefRecord {
        tnf: 1,
        record_type: b"Hr",
        id: &[],
        payload: &[0x15],
    }]);
    let (mut h, mut step) = NegotiatedHandover::start(&phone.nfc_read(), request, 8)?;
    loop {
        match step {
            HandoverStep::Write(m) => phone.nfc_write(&m)?,
            HandoverStep::WaitThenRead { millis } => {
                println!("  (holder not ready: wait {millis} ms, read again)")
            }
            _ => return Err("unexpected handover step".into()),
        }
        match h.on_read(&phone.nfc_read())? {
            Ok(next) => step = next,
            Err(done) => return Ok(done),
        }
    }
}

fn intake(
    title: &str,
    phone: &mut VirtualIphone,
    nfc: bool,
    anchors: &IssuerAnchors,
    comparison: PortraitComparison,
    alter: bool,
) -> Result<(), Error> {
    println!("\n=== {title}");
    let (engagement, handover) = if nfc {
        nfc_engagement(phone)?
    } else {
        (
            DeviceEngagement::from_qr_uri(&phone.qr_uri())?,
            Handover::Qr,
        )
    };
    let (intake, establishment) = MdocIntake::start(
        &engagement,
        &handover,
        &fresh_scalar()?,
        None,
        MdocIdentityBasis::default(),
    )?;
    let mut answer = phone.handle(&establishment)?;
    if alter {
        // One byte of the encrypted response changed on its way.
        let last = answer.len() - 20;
        answer[last] ^= 1;
    }
    let check = match intake.receive(&answer, anchors, NOW) {
        Ok(c) => c,
        Err(e) => {
            println!("  refused ({}): {e}", e.code());
            return Ok(());
        }
    };
    println!(
        "  portrait shown to the employer: {} bytes; the employer answers {comparison:?}",
        check.portrait().len()
    );
    match check.complete(comparison) {
        Ok(record) => println!("  record: {record:#?}"),
        Err(e) => println!("  refused ({}): {e}", e.code()),
    }
    Ok(())
}

fn main() -> Result<(), Error> {
    // Production: the issuer's IACA certificate(s), configured at run time.
    let anchors = IssuerAnchors::from_der(&[&test_iaca_der()?])?;
    let phone = |options| -> Result<VirtualIphone, Error> {
        Ok(VirtualIphone::test_holder(
            "yamada",
            fresh_scalar()?,
            options,
        )?)
    };

    intake(
        "QR code, device signature, the portrait matches",
        &mut phone(IphoneOptions::default())?,
        false,
        &anchors,
        PortraitComparison::Matches,
        false,
    )?;
    intake(
        "NFC negotiated handover, device MAC, the portrait matches",
        &mut phone(IphoneOptions {
            device_mac: true,
            ..IphoneOptions::default()
        })?,
        true,
        &anchors,
        PortraitComparison::Matches,
        false,
    )?;
    intake(
        "the portrait is not the person presenting",
        &mut phone(IphoneOptions::default())?,
        false,
        &anchors,
        PortraitComparison::DoesNotMatch,
        false,
    )?;
    intake(
        "a response altered on its way",
        &mut phone(IphoneOptions::default())?,
        false,
        &anchors,
        PortraitComparison::Matches,
        true,
    )?;
    // An employer that configured another issuer (here: the document signer of nobody).
    let other = IssuerAnchors::from_der(&[include_bytes!(
        "../crates/mynacard-virtual-card/data/pki/auth_ca.der"
    )])?;
    intake(
        "an issuer the employer did not configure",
        &mut phone(IphoneOptions::default())?,
        false,
        &other,
        PortraitComparison::Matches,
        false,
    )?;

    println!("\n=== a clinic's 本人確認 from the same phone (no 個人番号 asked)");
    let mut p = phone(IphoneOptions::default())?;
    let engagement = DeviceEngagement::from_qr_uri(&p.qr_uri())?;
    let (check, establishment) =
        MdocIdentityCheck::start(&engagement, &Handover::Qr, &fresh_scalar()?, None)?;
    let holder = check.finish(&p.handle(&establishment)?, &anchors, NOW)?;
    println!("  verified: {holder:#?}");
    Ok(())
}
