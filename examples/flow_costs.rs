//! Command APDUs and bytes per card operation, against the virtual card, with a
//! short-only link and with an extended link, beside the peers' figures from the
//! fact sheet (card-apdu.md §9).
//!
//! ```sh
//! cargo run --example flow_costs
//! ```

use mynacard::card::digest_info::{HashAlgorithm, SignInput};
use mynacard::card::era::CalendarDate;
use mynacard::card::jpki::{CertificateKind, JpkiKey, SignAddressing};
use mynacard::card::pin::{Pin, VerificationNumberB};
use mynacard::card::{Card, CardOptions, KenhojoCredential, KenkakuCredential, LastTry};
use mynacard::transport::{LinkCapabilities, Traced};
use mynacard::virtual_card::{CardOptions as VirtualOptions, VirtualCard};

type Op = fn(&mut Card<Traced<VirtualCard>>) -> Result<(), Box<dyn std::error::Error>>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ops: Vec<(&str, &str, Op)> = vec![
        (
            "read auth certificate (000A)",
            "MYNA-RS 12, MYNA-GO/JPKI-RS/GEBO/MIYAKO/LULI 10, OPENSC/PYJPKI ≥10, SOLTIA 9; JSAPDU 2 (extended)",
            |c| {
                c.read_certificate(CertificateKind::Auth)?;
                Ok(())
            },
        ),
        ("token info (0006)", "TRET 3, MYNA-RS 3", |c| {
            c.token_info()?;
            Ok(())
        }),
        (
            "auth PIN + signature (guarded)",
            "SOLTIA 4 (P2=97, unguarded), MYNA-GO/JPKI-RS/OPENSC/GEBO/MIYAKO 5 (unguarded), PYJPKI 6, MYNA-RS 7, LULI 7 (guarded)",
            |c| {
                c.verify_auth_pin(&Pin::new("1234")?, LastTry::Refuse)?;
                c.sign(
                    JpkiKey::Auth,
                    HashAlgorithm::Sha256,
                    SignInput::Message(b"challenge"),
                )?;
                Ok(())
            },
        ),
        (
            "auth PIN + signature, last try allowed (no query)",
            "same peers (none of them guards)",
            |c| {
                c.verify_auth_pin(&Pin::new("1234")?, LastTry::Allow)?;
                c.sign(
                    JpkiKey::Auth,
                    HashAlgorithm::Sha256,
                    SignInput::Message(b"challenge"),
                )?;
                Ok(())
            },
        ),
        (
            "basic 4 info (PIN, guarded)",
            "SOLTIA 5, MYNA-*/JPKI-RS/MIYAKO/PYJPKI 6; JSAPDU 3 (extended, unguarded)",
            |c| {
                c.read_basic_four(KenhojoCredential::Pin(&Pin::new("1234")?), LastTry::Refuse)?;
                Ok(())
            },
        ),
        (
            "basic 4 info + integrity check (EF 0003, 0004)",
            "— (no peer checks it on the host)",
            |c| {
                c.read_basic_four_checked(
                    KenhojoCredential::Pin(&Pin::new("1234")?),
                    LastTry::Refuse,
                    None,
                )?;
                Ok(())
            },
        ),
        ("card face (照合番号B) + signature check", "—", |c| {
            let b = VerificationNumberB::from_parts(CalendarDate::new(1990, 4, 1)?, 2035, "2285")?;
            c.read_card_face(KenkakuCredential::NumberB(&b), LastTry::Refuse, None)?;
            Ok(())
        }),
    ];
    println!(
        "| operation | link | commands | bytes sent | bytes received | peers (card-apdu.md §9) |"
    );
    println!("|---|---|---:|---:|---:|---|");
    for (name, peers, op) in &ops {
        for (link, caps) in [
            ("short", LinkCapabilities::SHORT),
            ("extended", LinkCapabilities::extended(65536)),
        ] {
            let mut options = VirtualOptions::default();
            options.capabilities = caps;
            let mut card = Card::new(Traced::new(VirtualCard::test_holder_with(
                "yamada", options,
            )?));
            op(&mut card)?;
            let t = card.transport();
            println!(
                "| {name} | {link} | {} | {} | {} | {} |",
                t.commands(),
                t.bytes_sent(),
                t.bytes_received(),
                if link == "short" { *peers } else { "" }
            );
        }
    }
    // The single-source P2 = 80|SFI signing form, opt-in.
    let mut card =
        Card::new(Traced::new(VirtualCard::test_holder("yamada")?)).with_options(CardOptions {
            sign_addressing: SignAddressing::BySfi,
        });
    card.verify_auth_pin(&Pin::new("1234")?, LastTry::Refuse)?;
    card.sign(
        JpkiKey::Auth,
        HashAlgorithm::Sha256,
        SignInput::Message(b"challenge"),
    )?;
    let t = card.transport();
    println!(
        "| auth PIN + signature, guarded, sign with P2=97 (opt-in) | short | {} | {} | {} | SOLTIA 4 |",
        t.commands(),
        t.bytes_sent(),
        t.bytes_received()
    );
    let mut card = Card::new(Traced::new(VirtualCard::test_holder("yamada")?));
    let n = card.read_certificate(CertificateKind::Auth)?.der().len();
    println!("\nAuth certificate of the virtual card: {n} bytes (peers' figures assume ≈1573).");
    Ok(())
}
