//! Command APDUs and bytes per card operation, against the virtual card, with a
//! short-only link and with an extended link, beside the peers' figures from the
//! fact sheet (card-apdu.md §9).
//!
//! ```sh
//! cargo run --example flow_costs
//! ```

use mynacard::card::CvTrust;
use mynacard::card::{Card, CardOptions, KenhojoCredential, KenkakuCredential, LastTryGuard};
use mynacard::card::{HashAlgorithm, SignInput};
use mynacard::card::{JpkiCertificateKind, JpkiKey, SignAddressing};
use mynacard::card::{Pin, VerificationNumberB};
use mynacard::date::CalendarDate;
use mynacard::transport::{LinkCapabilities, Traced};
use mynacard::virtual_card::{VirtualCard, VirtualCardOptions as VirtualOptions};

type Op = fn(&mut Card<Traced<VirtualCard>>) -> Result<(), Box<dyn std::error::Error>>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ops: Vec<(&str, &str, Op)> = vec![
        (
            "read auth certificate (000A)",
            "MYNA-RS 12, MYNA-GO/JPKI-RS/GEBO/MIYAKO/LULI 10, OPENSC/PYJPKI ≥10, SOLTIA 9; JSAPDU 2 (extended)",
            |c| {
                c.read_certificate(JpkiCertificateKind::Auth)?;
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
                c.verify_auth_pin(&Pin::new("1234")?, LastTryGuard::Refuse)?;
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
                c.verify_auth_pin(&Pin::new("1234")?, LastTryGuard::Allow)?;
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
                c.read_basic_four(
                    KenhojoCredential::Pin(&Pin::new("1234")?),
                    LastTryGuard::Refuse,
                )?;
                Ok(())
            },
        ),
        (
            "basic 4 info + integrity check (EF 0003, 0004)",
            "— (no peer checks it on the host)",
            |c| {
                c.read_basic_four_checked(
                    KenhojoCredential::Pin(&Pin::new("1234")?),
                    LastTryGuard::Refuse,
                    &CvTrust::test_only(),
                )?;
                Ok(())
            },
        ),
        ("card face (照合番号B) + signature check", "—", |c| {
            let b = VerificationNumberB::from_parts(CalendarDate::new(1990, 4, 1)?, 2035, "2285")?;
            c.read_card_face(
                KenkakuCredential::NumberB(&b),
                LastTryGuard::Refuse,
                &CvTrust::test_only(),
            )?;
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
            // Per operation, not per power-up: the power-up 6F00 (one more command once
            // per insertion) is left out of the figures.
            options.answer_6f00_after_power_up = false;
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
    let mut quiet = VirtualOptions::default();
    quiet.answer_6f00_after_power_up = false;
    let mut card = Card::new(Traced::new(VirtualCard::test_holder_with(
        "yamada",
        quiet.clone(),
    )?))
    .with_options(CardOptions {
        sign_addressing: SignAddressing::BySfi,
    });
    card.verify_auth_pin(&Pin::new("1234")?, LastTryGuard::Refuse)?;
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
    // The card proof (issue 21.1), paid only when a decision needs the form: after the
    // token label (above), SELECT ISD, GET DATA 00F8 and 7F21, SELECT 共通AP, INTERNAL
    // AUTHENTICATE. 00F8 is 561 bytes: a short-only link cannot carry it.
    let mut options = VirtualOptions::default();
    options.answer_6f00_after_power_up = false;
    let mut card = Card::new(Traced::new(VirtualCard::test_holder_with(
        "yamada", options,
    )?));
    let challenge = [0x5Au8; 32];
    card.card_proof(&challenge)?
        .verify(&CvTrust::test_only(), &challenge)?;
    let t = card.transport();
    println!(
        "| card proof (MF CV chain + INTERNAL AUTHENTICATE; only when the form is needed) | extended | {} | {} | {} | — |",
        t.commands(),
        t.bytes_sent(),
        t.bytes_received()
    );
    let mut card = Card::new(Traced::new(VirtualCard::test_holder("yamada")?));
    let n = card
        .read_certificate(JpkiCertificateKind::Auth)?
        .der()
        .len();
    println!("\nAuth certificate of the virtual card: {n} bytes (peers' figures assume ≈1573).");
    flows()?;
    Ok(())
}

/// The reception flows (`mynacard::flows`), end to end, on the virtual card: each
/// flow's command APDUs and bytes with a short-only and an extended link.
fn flows() -> Result<(), Box<dyn std::error::Error>> {
    use mynacard::eligibility::MedicalInstitutionCode;
    use mynacard::flows::Choice;
    use mynacard::flows::{CardFaceFlow, CardPinFlow, Flow, SmartphoneFlow};
    use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
    use mynacard::flows::{KeyProofChallenge, PkiCheck};
    use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};
    use mynacard::runner::{Reply, Runner, ScriptedPatient};
    use zeroize::Zeroizing;

    struct Matches;
    impl FaceMatcher for Matches {
        fn compare(&mut self, _photo: &FaceImage) -> FaceVerdict {
            FaceVerdict::Match
        }
    }
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let crl = CrlIndex::from_der(
        include_bytes!("../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der"),
        &trust,
        CrlLimits::default(),
    )?;
    let policy = RelyingPartyPolicy::strict();
    let check = PkiCheck {
        trust: &trust,
        revocation: &crl,
        policy: &policy,
        time: test_pki::REFERENCE_TIME,
    };
    let facility = MedicalInstitutionCode::parse("1310012345")?;
    let pin = |p: &str| Reply::Digits(Zeroizing::new(p.into()));
    let consents = || [Reply::Yes, Reply::Yes, Reply::Yes, Reply::Yes];

    println!("\n## Reception flows (mynacard::flows), whole flow incl. verification\n");
    println!("| flow | holder | link | commands | bytes sent | bytes received |");
    println!("|---|---|---|---|---|---|");
    for (name, holder) in [
        ("card + PIN", "yamada"),
        (
            "card + face (照合番号B, photo), then PIN for the signature",
            "yamada",
        ),
        ("smartphone, Android (PIN on the keypad)", "ito"),
        ("smartphone, iPhone (no VERIFY, 80 FC)", "kato"),
    ] {
        for (link, caps) in [
            ("short", LinkCapabilities::SHORT),
            ("extended", LinkCapabilities::extended(65536)),
        ] {
            let challenge = KeyProofChallenge::new([0x11; 32]);
            let (mut flow, mut replies): (Box<dyn Flow>, Vec<Reply>) = match name {
                n if n.starts_with("card + PIN") => (
                    Box::new(CardPinFlow::new(facility.clone(), challenge, check)),
                    vec![pin("1234")],
                ),
                n if n.starts_with("card + face") => (
                    Box::new(CardFaceFlow::new(
                        facility.clone(),
                        challenge,
                        check,
                        ScannedCardFace {
                            birth_date: CalendarDate::new(1990, 4, 1)?,
                            expiry_year: 2035,
                            security_code: "2285".into(),
                        },
                    )),
                    vec![Reply::Choice(Choice::Face), pin("1234")],
                ),
                n if n.contains("Android") => (
                    Box::new(SmartphoneFlow::new(facility.clone(), challenge, check)),
                    vec![pin("4680")],
                ),
                _ => (
                    Box::new(SmartphoneFlow::new(facility.clone(), challenge, check)),
                    vec![],
                ),
            };
            replies.extend(consents());
            let mut options = VirtualOptions::default();
            options.capabilities = caps;
            options.answer_6f00_after_power_up = false;
            let mut runner =
                Runner::new(Traced::new(VirtualCard::test_holder_with(holder, options)?));
            runner.run(
                flow.as_mut(),
                &mut ScriptedPatient::new(replies),
                &mut Matches,
            )?;
            let t = runner.transport();
            println!(
                "| {name} | {holder} | {link} | {} | {} | {} |",
                t.commands(),
                t.bytes_sent(),
                t.bytes_received()
            );
        }
    }
    Ok(())
}
