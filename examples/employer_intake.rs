//! The employer's intake of a new hire's 個人番号 on the virtual card, in six
//! cases: happy path, wrong password with tries left, last try refused, records
//! that fail the integrity chain, a revoked signature certificate, a phone.
//!
//! ```sh
//! cargo run --example employer_intake
//! ```
//!
//! Prints every guidance (Japanese, its kana reading, English) and the outcome
//! as `Debug` shows it: redacted.

use mynacard::card::CvTrust;
use mynacard::employer::{EmployerIntakeFlow, IntakeGuidance, IntakeVerifier, NewHire, run_intake};
use mynacard::pki::{CrlIndex, CrlLimits, StalenessPolicy, TrustStore, test_pki};
use mynacard::runner::Reply;
use mynacard::transport::{LinkCapabilities, Traced, Transport, TransportError};
use mynacard::virtual_card::VirtualCard;

/// A new hire at the keyboard who prints what they see and types from a script.
struct Printed(Vec<Reply>);

impl NewHire for Printed {
    fn show(&mut self, g: &IntakeGuidance) {
        println!("  [{}] {}", g.id(), g.ja());
        println!("      よみ: {}", g.kana());
        println!("      en:   {}", g.en());
    }
    fn reply(&mut self, _g: &IntakeGuidance) -> Reply {
        let r = if self.0.is_empty() {
            Reply::Cancel
        } else {
            self.0.remove(0)
        };
        match &r {
            Reply::Digits(d) => println!("  > typed {} characters", d.len()),
            other => println!("  > {other:?}"),
        }
        r
    }
}

/// A relay that changes one byte of the 個人番号 (EF 0001 of the
/// 券面事項入力補助AP) on its way: a forged record.
struct ForgedNumber(VirtualCard);

impl Transport for ForgedNumber {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut r = self.0.transmit(command)?;
        // READ BINARY of SFI 1 at offset 0 while the input-support AP is selected.
        let kenhojo =
            self.0.current_application() == Some(mynacard::virtual_card::CardApplication::Kenhojo);
        if kenhojo && command.get(1..4) == Some(&[0xB0, 0x81, 0x00]) && r.len() > 5 {
            r[3] = if r[3] == b'9' { b'0' } else { r[3] + 1 };
        }
        Ok(r)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.0.capabilities()
    }
}

fn case<T: Transport>(
    title: &str,
    card: T,
    verifier: IntakeVerifier<'_>,
    replies: Vec<Reply>,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("\n=== {title}");
    let mut card = Traced::new(card);
    // A fresh challenge for every intake, from the OS CSPRNG.
    let mut flow = EmployerIntakeFlow::new(verifier)?;
    match run_intake(&mut card, &mut flow, &mut Printed(replies)) {
        Ok(outcome) => println!("  outcome: {outcome:#?}"),
        Err(e) => println!("  refused ({}): {e}", e.code()),
    }
    println!("  commands sent: {}", card.commands());
    Ok(())
}

fn burn_sign_tries(card: &mut VirtualCard, n: usize) -> Result<(), TransportError> {
    card.transmit(&[
        0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
    ])?;
    for _ in 0..n {
        card.transmit(&[
            0x00, 0x20, 0x00, 0x9B, 0x06, b'W', b'R', b'O', b'N', b'G', b'1',
        ])?;
    }
    card.reset();
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // TEST trust material; production: TrustStore::jlis(), the J-LIS signature
    // CA's current CRL, CvTrust::jlis_production(), and the current time.
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let crl = CrlIndex::from_der(
        include_bytes!("../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der"),
        &trust,
        CrlLimits::default(),
    )?;
    let cv_trust = CvTrust::test_only();
    let verifier = IntakeVerifier {
        trust: &trust,
        revocation: &crl,
        staleness: StalenessPolicy::Reject,
        cv_trust: &cv_trust,
        time: test_pki::REFERENCE_TIME,
    };
    let d = Reply::digits;

    case(
        "1. happy path (山田 太郎, card)",
        VirtualCard::test_holder("yamada")?,
        verifier,
        vec![d("1234"), d("YAMADA2024")],
    )?;
    case(
        "2. wrong password, tries left, then right",
        VirtualCard::test_holder("yamada")?,
        verifier,
        vec![d("1234"), d("WRONG123"), d("YAMADA2024")],
    )?;
    let mut last = VirtualCard::test_holder("yamada")?;
    burn_sign_tries(&mut last, 4)?;
    case(
        "3. one password try left: the new hire declines",
        last,
        verifier,
        vec![d("1234"), Reply::No],
    )?;
    case(
        "4. records that fail the integrity chain (one digit of EF 0001 changed)",
        ForgedNumber(VirtualCard::test_holder("yamada")?),
        verifier,
        vec![d("1234"), d("YAMADA2024")],
    )?;
    case(
        "5. revoked signature certificate (佐藤 花子)",
        VirtualCard::test_holder("sato")?,
        verifier,
        vec![d("4321"), d("SATO1985X")],
    )?;
    case(
        "6. a phone (スマホ用電子証明書, Android)",
        VirtualCard::test_holder("ito")?,
        verifier,
        vec![],
    )?;
    Ok(())
}
