//! Recognising a My Number Card by what it answers, not by its ATR.
//!
//! Readers synthesise a contactless ATR from the card's ATQB, so it differs per reader
//! (jpki/myna #12: a tool that only knew `3B 88 80 01 …` missed real cards; OpenSC #3021: the
//! 2024 card's contact ATR was unknown). The ATR is therefore only a **hint**
//! ([`AtrHint`]); what decides is the card's answer to SELECT of the JPKI AP and its token
//! label (EF `0006`): a 住基カード or a driving licence whose ATR shares the `3B 88 80 01`
//! prefix gets a typed [`NotMyNumberCard`] naming what was found — and a My Number Card
//! behind an ATR nobody listed is still recognised.
//!
//! ```
//! use mynacard::card::{AtrHint, NotMyNumberReason, Recognition, recognise};
//! use mynacard::apdu::StatusWord;
//! // A driving licence (its pcsc-tools ATR) answers the JPKI SELECT with 6A82.
//! let atr = [0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x91, 0x81, 0xC1, 0x00, 0xD8];
//! let err = recognise(&atr, StatusWord::FileNotFound, None).unwrap_err();
//! assert_eq!(err.hint, AtrHint::DrivingLicence);
//! assert_eq!(err.reason, NotMyNumberReason::NoJpkiApplication);
//! assert_eq!(err.code(), "card.not_my_number_card");
//! ```

use super::model::TokenKind;
use crate::apdu::StatusWord;

/// What an ATR suggests (never decides): the Japanese entries of pcsc-tools'
/// `smartcard_list.txt` and card-apdu.md §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AtrHint {
    /// A My Number Card's contact ATR, or a contactless ATR whose historical bytes a My
    /// Number Card was seen with (`00 00 05|41 E0 B3 81 A1 00`).
    MyNumberCard,
    /// A 住基カード's contactless ATR (`00 00 14 E0 B3 81 91 00`).
    JukiCard,
    /// A Japanese driving licence's contactless ATR (`00 00 00 00 91 81 C1 00`).
    DrivingLicence,
    /// Anything else (including every ATR a reader synthesises differently).
    Unknown,
}

impl AtrHint {
    /// The hint of an ATR.
    pub fn of(atr: &[u8]) -> Self {
        const CONTACT: [&[u8]; 5] = [
            &[0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14],
            &[
                0x3B, 0xDA, 0x13, 0xFF, 0x81, 0x31, 0xFB, 0x46, 0x80, 0x12, 0x39, 0x2F, 0x31, 0xC1,
                0x73, 0xC6, 0x01, 0xC0, 0x3B,
            ],
            &[
                0x3B, 0xC5, 0xFF, 0x81, 0x31, 0xFB, 0x45, 0x80, 0x73, 0xC6, 0x01, 0x00, 0x00,
            ],
            &[
                0x3B, 0xF5, 0x91, 0x00, 0xFF, 0x91, 0x81, 0x71, 0xFE, 0x40, 0x00, 0x42, 0x00, 0x01,
                0x00, 0xD1, 0xD6,
            ],
            &[
                0x3B, 0xF5, 0x91, 0x00, 0xFF, 0x91, 0x81, 0x71, 0xFE, 0x40, 0x00, 0x42, 0x00, 0x01,
                0xB3, 0xA1, 0x15,
            ],
        ];
        if CONTACT.contains(&atr) {
            return Self::MyNumberCard;
        }
        // PC/SC's contactless ATR: 3B 88 80 01, 8 historical bytes (ATQB application data
        // and protocol info), TCK.
        match atr {
            [0x3B, 0x88, 0x80, 0x01, historical @ .., _] if historical.len() == 8 => {
                match historical {
                    [0x00, 0x00, 0x05 | 0x41, 0xE0, 0xB3, 0x81, 0xA1, 0x00] => Self::MyNumberCard,
                    [0x00, 0x00, 0x14, 0xE0, 0xB3, 0x81, 0x91, 0x00] => Self::JukiCard,
                    [0x00, 0x00, 0x00, 0x00, 0x91, 0x81, 0xC1, 0x00] => Self::DrivingLicence,
                    _ => Self::Unknown,
                }
            }
            _ => Self::Unknown,
        }
    }

    /// A stable plain-string form: `"my_number_card"`, `"juki_card"`, `"driving_licence"`,
    /// `"unknown"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::MyNumberCard => "my_number_card",
            Self::JukiCard => "juki_card",
            Self::DrivingLicence => "driving_licence",
            Self::Unknown => "unknown",
        }
    }
}

/// What answered as a My Number credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Recognition {
    /// A physical My Number Card (JPKI AP, label `JPKIAPICCTOKEN2`).
    MyNumberCard,
    /// A phone serving the JPKI AP (`JPKIAPGPSETOKEN`, `JPKIAPIOSTOKEN`).
    Smartphone(TokenKind),
}

/// Why the card is not a My Number Card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotMyNumberReason {
    /// SELECT of the JPKI AP was refused (`6A82` and the like): a driving licence, a 住基カード
    /// without JPKI, any other card.
    NoJpkiApplication,
    /// The JPKI AP answers with the 住基カード's label (`JPKIAPICCTOKEN`).
    JukiCard,
    /// The JPKI AP answers with a label this library does not know.
    UnknownToken,
}

/// The card is not a My Number Card (nor a phone's JPKI token). Names the ATR's hint and what
/// the card answered, never a value it returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("not a My Number Card: {} (the ATR suggested {})", reason_text(self.reason), self.hint.code())]
pub struct NotMyNumberCard {
    /// What the ATR suggested.
    pub hint: AtrHint,
    /// What the card answered.
    pub reason: NotMyNumberReason,
}

const fn reason_text(reason: NotMyNumberReason) -> &'static str {
    match reason {
        NotMyNumberReason::NoJpkiApplication => "no JPKI application",
        NotMyNumberReason::JukiCard => "a 住基カード's JPKI token",
        NotMyNumberReason::UnknownToken => "an unknown JPKI token label",
    }
}

impl NotMyNumberCard {
    /// `"card.not_my_number_card"`.
    pub const fn code(&self) -> &'static str {
        "card.not_my_number_card"
    }
}

/// Decides from the card's answers: the status word of SELECT JPKI AP
/// ([`super::Application::Jpki`]`.select()`) and, when it was `9000`, the kind its token label
/// names (EF `0006`, [`super::TokenInfo::kind`]; `None` when it was not read). The ATR only
/// supplies the hint of the error.
pub fn recognise(
    atr: &[u8],
    select: StatusWord,
    token: Option<TokenKind>,
) -> Result<Recognition, NotMyNumberCard> {
    let not = |reason| NotMyNumberCard {
        hint: AtrHint::of(atr),
        reason,
    };
    if !select.is_ok() {
        return Err(not(NotMyNumberReason::NoJpkiApplication));
    }
    match token {
        Some(TokenKind::Card) => Ok(Recognition::MyNumberCard),
        Some(kind @ (TokenKind::Android | TokenKind::Iphone)) => Ok(Recognition::Smartphone(kind)),
        Some(TokenKind::JukiCard) => Err(not(NotMyNumberReason::JukiCard)),
        _ => Err(not(NotMyNumberReason::UnknownToken)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_only_hints() {
        assert_eq!(AtrHint::of(&[]), AtrHint::Unknown);
        assert_eq!(AtrHint::of(&[0x3B, 0x88, 0x80, 0x01]), AtrHint::Unknown);
        // A My Number Card behind an unlisted ATR is still recognised by its answers.
        let label = TokenKind::from_label("JPKIAPICCTOKEN2");
        assert_eq!(
            recognise(&[0x3B, 0x00], StatusWord::Ok, Some(label)),
            Ok(Recognition::MyNumberCard)
        );
        let juki = TokenKind::from_label("JPKIAPICCTOKEN");
        let err = recognise(&[0x3B, 0x00], StatusWord::Ok, Some(juki)).unwrap_err();
        assert_eq!(err.reason, NotMyNumberReason::JukiCard);
        assert!(!err.to_string().contains("JPKIAPICCTOKEN"));
    }
}
