//! Signs a file with a TEST holder's (virtual) card and verifies it back, as CMS (detached
//! `.p7s`) and as a signed PDF; then shows that bytes appended after the signature are
//! reported, not called signed.
//!
//! ```sh
//! cargo run --example sign_document                 # a built-in contract text
//! cargo run --example sign_document -- FILE [OUT]   # sign FILE (a .pdf is signed as a PDF)
//! ```
//!
//! TEST ONLY: the virtual card, its TEST PKI and its TEST CRL; a real deployment reads the
//! card on a PC/SC reader and verifies under `TrustStore::jlis()` with J-LIS revocation data.

use mynacard::VirtualCard;
use mynacard::card::{Card, LastTry, SignPassword};
use mynacard::document::{self, Content, Encapsulation};
use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};
use mynacard::relying_party::{ChallengeIssuer, DocumentVerdict, RelyingParty, SignedInput};

/// A one-page PDF (classic cross-reference table), when no PDF is given.
fn sample_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (content, is_pdf) = match args.first() {
        Some(path) => {
            let bytes = std::fs::read(path)?;
            let is_pdf = bytes.starts_with(b"%PDF-");
            (bytes, is_pdf)
        }
        None => ("契約書: TEST ONLY\n".as_bytes().to_vec(), false),
    };
    let now = test_pki::REFERENCE_TIME; // production: UnixTime::now()

    // The holder: the TEST card of 山田 太郎, his sign password typed on the keypad.
    let mut card = Card::new(VirtualCard::test_holder("yamada")?);
    let password = SignPassword::new("YAMADA2024")?;

    // The business: TEST trust store and TEST CRL (production: J-LIS roots and J-LIS CRLs).
    let trust = TrustStore::test_only_mynacard_test_pki()?;
    let crl = CrlIndex::from_der(
        include_bytes!("../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der"),
        &trust,
        CrlLimits::default(),
    )?;
    let party = RelyingParty::new(
        trust,
        crl,
        RelyingPartyPolicy::strict(),
        ChallengeIssuer::new(300)?,
    );

    // 1. CMS, detached (.p7s beside the file).
    let cms = document::sign_cms_with_card(
        &mut card,
        &password,
        &content,
        Encapsulation::Detached,
        Some(now),
        LastTry::Refuse,
    )?;
    println!("CMS: {} bytes (detached)", cms.len());
    if let Some(out) = args.get(1) {
        std::fs::write(format!("{out}.p7s"), &cms)?;
        println!(
            "  written to {out}.p7s (openssl cms -verify -binary -inform DER -in {out}.p7s -content FILE -CAfile sign_ca.pem -purpose any)"
        );
    }
    match party.verify_document(
        SignedInput::Cms {
            cms: &cms,
            content: Content::Detached(&content),
        },
        now,
    )? {
        DocumentVerdict::Cms(signed) => println!(
            "  verified: signed by {} (certificate {}, checked at the {}, revocation {:?})",
            signed.holder().name(),
            signed.certificate().serial_hex(),
            signed.checked_at().code(),
            signed.revocation()
        ),
        DocumentVerdict::Pdf(_) => unreachable!("a CMS was given"),
    }
    let other = party.verify_document(
        SignedInput::Cms {
            cms: &cms,
            content: Content::Detached(b"another text"),
        },
        now,
    );
    println!(
        "  the same signature over other content: {}",
        other.err().map_or("accepted?!", |e| e.code())
    );

    // 2. PDF: an incremental update with an ETSI.CAdES.detached signature.
    let pdf = if is_pdf {
        content.clone()
    } else {
        sample_pdf()
    };
    let signed_pdf =
        document::sign_pdf_with_card(&mut card, &password, &pdf, now, LastTry::Refuse)?;
    println!("PDF: {} bytes signed into {}", pdf.len(), signed_pdf.len());
    if let Some(out) = args.get(1) {
        std::fs::write(format!("{out}.signed.pdf"), &signed_pdf)?;
        println!("  written to {out}.signed.pdf");
    }
    if let DocumentVerdict::Pdf(report) =
        party.verify_document(SignedInput::Pdf(&signed_pdf), now)?
    {
        println!("  verdict: {}", report.verdict().code());
        for s in report.signed().unwrap_or_default() {
            println!("  signed by {}", s.holder().name());
        }
    }

    // 3. Someone appends an incremental update after the signature.
    let mut tampered = signed_pdf.clone();
    tampered.extend_from_slice(b"9 0 obj\n<< /Injected true >>\nendobj\n%%EOF\n");
    if let DocumentVerdict::Pdf(report) = party.verify_document(SignedInput::Pdf(&tampered), now)? {
        println!(
            "  after an unsigned incremental update: {:?}",
            report.verdict()
        );
    }
    Ok(())
}
