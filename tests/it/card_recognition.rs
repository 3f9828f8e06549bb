//! Issue 21.6: a card is recognised by what it answers, its ATR only a hint.
//!
//! Every Japanese entry of pcsc-tools' `/usr/share/pcsc/smartcard_list.txt` (read at test
//! time; skipped with a note when pcsc-tools is not installed) is tried both ways: a My Number
//! Card behind that ATR is recognised, and any other card behind it (a 住基カード, a driving
//! licence, an ETC or B-CAS card…) gets the typed "not a My Number Card" error.
//! Also: `63C3` right after a correct PIN is a retry counter, never a failure.

#![cfg(feature = "virtual-card")]

use mynacard::card::{
    AtrHint, Card, CardError, KeyRef, LastTry, NotMyNumberCard, NotMyNumberReason, Pin, Recognition,
};
use mynacard::transport::Transcript;
use mynacard::virtual_card::{VirtualCard, VirtualCardOptions};

const SMARTCARD_LIST: &str = "/usr/share/pcsc/smartcard_list.txt";

/// The Japanese entries: (ATR, description). ATR patterns with wildcards are skipped (no
/// card answers with a wildcard).
fn japanese_entries() -> Option<Vec<(Vec<u8>, String)>> {
    let text = std::fs::read(SMARTCARD_LIST).ok()?;
    let text = String::from_utf8_lossy(&text);
    let mut out = Vec::new();
    let mut atr: Option<Vec<u8>> = None;
    let mut description = String::new();
    let mut flush = |atr: &mut Option<Vec<u8>>, description: &mut String| {
        if let Some(a) = atr.take() {
            let d = description.to_lowercase();
            if ["japan", "jpki", "juki", "my number", "kojinbango"]
                .iter()
                .any(|w| d.contains(w))
            {
                out.push((a, description.clone()));
            }
        }
        description.clear();
    };
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            flush(&mut atr, &mut description);
        } else if let Some(rest) = line.strip_prefix('\t') {
            description.push_str(rest);
            description.push(' ');
        } else {
            flush(&mut atr, &mut description);
            atr = line
                .split_whitespace()
                .map(|h| u8::from_str_radix(h, 16).ok())
                .collect();
        }
    }
    flush(&mut atr, &mut description);
    Some(out)
}

/// A card that has no JPKI application (SELECT → 6A82).
fn other_card() -> Card<Transcript> {
    Card::new(Transcript::parse("> 00A4040C0A D392F000260100000001\n< 6A82\n").unwrap())
}

#[test]
fn every_japanese_pcsc_tools_entry_is_decided_by_select() {
    let Some(entries) = japanese_entries() else {
        eprintln!("skipped: {SMARTCARD_LIST} absent (install pcsc-tools)");
        return;
    };
    assert!(entries.len() >= 9, "{} Japanese entries", entries.len());
    let mut my_number_hints = 0;
    for (atr, description) in &entries {
        let hint = AtrHint::of(atr);
        let d = description.to_lowercase();
        if d.contains("jpki")
            || d.contains("my number")
            || d.contains("individual number")
            || d.contains("kojinbango")
            || d.contains("jukicard\", digitally")
        {
            assert_eq!(hint, AtrHint::MyNumberCard, "{description}");
            my_number_hints += 1;
        }
        if d.contains("basic resident registration") {
            assert_eq!(hint, AtrHint::JukiCard, "{description}");
        }
        if d.contains("driving license") {
            assert_eq!(hint, AtrHint::DrivingLicence, "{description}");
        }
        // Whatever the hint, a card without the JPKI AP is not a My Number Card…
        let err = other_card().recognise(atr).unwrap_err();
        assert_eq!(
            err,
            CardError::NotMyNumberCard(NotMyNumberCard {
                hint,
                reason: NotMyNumberReason::NoJpkiApplication
            }),
            "{description}"
        );
        assert_eq!(err.code(), "card.not_my_number_card");
        // …and a My Number Card behind the same ATR is one.
        let mut options = VirtualCardOptions::default();
        options.atr = atr.clone();
        let card = VirtualCard::test_holder_with("yamada", options).unwrap();
        assert_eq!(
            Card::new(card).recognise(atr),
            Ok(Recognition::MyNumberCard),
            "{description}"
        );
    }
    assert!(my_number_hints >= 6, "{my_number_hints}");
}

#[test]
fn a_juki_card_with_jpki_is_not_a_my_number_card() {
    // The 住基カード's contactless ATR, and its JPKI token label (`JPKIAPICCTOKEN`).
    let atr = [
        0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x14, 0xE0, 0xB3, 0x81, 0x91, 0x00, 0x5E,
    ];
    // EF 0006 read whole (160 bytes): the label, then spaces.
    let mut ef = b"JPKIAPICCTOKEN".to_vec();
    ef.resize(160, b' ');
    let label: String = ef.iter().map(|b| format!("{b:02X}")).collect();
    let script =
        format!("> 00A4040C0A D392F000260100000001\n< 9000\n> 00B08600A0\n< {label} 9000\n");
    let err = Card::new(Transcript::parse(&script).unwrap())
        .recognise(&atr)
        .unwrap_err();
    assert_eq!(
        err,
        CardError::NotMyNumberCard(NotMyNumberCard {
            hint: AtrHint::JukiCard,
            reason: NotMyNumberReason::JukiCard
        })
    );
    assert!(err.to_string().contains("not a My Number Card"));
}

#[test]
fn phones_and_unlisted_atrs_are_recognised_by_their_answers() {
    for (holder, expected) in [
        ("yamada", Recognition::MyNumberCard),
        (
            "ito",
            Recognition::Smartphone(mynacard::card::TokenKind::Android),
        ),
        (
            "kato",
            Recognition::Smartphone(mynacard::card::TokenKind::Iphone),
        ),
    ] {
        let card = VirtualCard::test_holder(holder).unwrap();
        // An ATR no list knows (a reader synthesising it differently).
        let atr = [
            0x3B, 0x88, 0x80, 0x01, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x00,
        ];
        assert_eq!(AtrHint::of(&atr), AtrHint::Unknown);
        assert_eq!(Card::new(card).recognise(&atr), Ok(expected), "{holder}");
    }
}

/// card-apdu.md §5.3 (OpenSC PR #959, measured on a real JPKI card): `00 20 00 80 04 <PIN>`
/// → 9000, then at once `00 20 00 80` → `63C3`: the query reports the retry counter even
/// right after a successful VERIFY, so `63C3` there is never an authentication failure.
#[test]
fn retry_counter_right_after_a_correct_pin_is_not_a_failure() {
    let script = "> 00A4040C0A D392F000260100000001\n< 9000\n\
                  > 002000980431323334\n< 9000\n\
                  > 00200098\n< 63C3\n";
    let mut card = Card::new(Transcript::parse(script).unwrap());
    card.verify_auth_pin(&Pin::new("1234").unwrap(), LastTry::Allow)
        .expect("VERIFY 9000 is a success");
    let status = card
        .query_pin_status(KeyRef::JpkiAuthPin)
        .expect("63C3 after a correct PIN is a counter, not a failure");
    assert_eq!(status.remaining, Some(3));
    assert!(!status.blocked);
}
