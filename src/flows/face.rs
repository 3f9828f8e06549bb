//! Face recognition at the face-auth reader (顔認証付きカードリーダー): the trait
//! the reader vendor implements, and what the reader scanned off the card face.

use alloc::string::String;
use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::date::CalendarDate;

pub use crate::card::FaceImage;

/// What the vendor's matcher concluded (serde: `"match"`, `"mismatch"`,
/// `"unavailable"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FaceVerdict {
    /// The live camera image matches the card's photo.
    Match,
    /// It does not match.
    Mismatch,
    /// No usable capture (no face found, camera failure, patient left): treated like
    /// a mismatch by the flow (PIN or staff check is offered).
    Unavailable,
}

/// The reader vendor's face matcher: compares the live camera image with the
/// card's face photo. The library never sees the camera image.
pub trait FaceMatcher {
    /// Captures the patient's face and compares it with `card_photo`.
    fn compare(&mut self, card_photo: &FaceImage) -> FaceVerdict;
}

impl<M: FaceMatcher + ?Sized> FaceMatcher for &mut M {
    fn compare(&mut self, card_photo: &FaceImage) -> FaceVerdict {
        (**self).compare(card_photo)
    }
}

/// What the reader scanned off the printed card face: the three parts of
/// 照合番号B. Personal data: zeroized on drop, redacted by `Debug`;
/// deserializable (feature `serde`: `{"birth_date": "1990-04-01", "expiry_year":
/// 2035, "security_code": "2285"}`, what a reader's scanner hands over) but never
/// serialized.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct ScannedCardFace {
    /// Birth date (Gregorian; 照合番号B converts it to the era year).
    #[zeroize(skip)]
    pub birth_date: CalendarDate,
    /// The card's expiry year (Gregorian), as printed.
    pub expiry_year: u16,
    /// The 4-digit security code printed on the front.
    pub security_code: String,
}

impl fmt::Debug for ScannedCardFace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScannedCardFace(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let face = ScannedCardFace {
            birth_date: CalendarDate::new(1990, 4, 1).unwrap(),
            expiry_year: 2035,
            security_code: "2285".into(),
        };
        let dbg = format!("{face:?}");
        assert_eq!(dbg, "ScannedCardFace(redacted)");
    }
}
