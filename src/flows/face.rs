//! Face recognition at the face-auth reader (顔認証付きカードリーダー): the trait
//! the reader vendor implements, and what the reader scanned off the card face.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The face photo stored on the card (券面事項確認AP EF 0002, tag `DF27`), JPEG 2000.
///
/// Personal data: zeroized on drop, redacted by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct FaceImage(Zeroizing<Vec<u8>>);

impl FaceImage {
    /// Wraps the photo bytes as read from the card.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(Zeroizing::new(bytes.into()))
    }

    /// The JPEG 2000 bytes, for the vendor's matcher.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for FaceImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FaceImage({} bytes, redacted)", self.0.len())
    }
}

/// What the vendor's matcher concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
/// 照合番号B. Personal data: zeroized on drop, redacted by `Debug`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct ScannedCardFace {
    /// Birth date, Gregorian (year, month, day).
    pub birth_date: (u16, u8, u8),
    /// The card's expiry year (Gregorian), as printed.
    pub expiry_year: u16,
    /// The 4-digit security code printed on the front, ASCII digits.
    pub security_code: [u8; 4],
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
        let img = FaceImage::new(vec![0x00, 0x00, 0x00, 0x0C]);
        assert_eq!(format!("{img:?}"), "FaceImage(4 bytes, redacted)");
        let face = ScannedCardFace {
            birth_date: (1990, 4, 1),
            expiry_year: 2035,
            security_code: *b"2285",
        };
        let dbg = format!("{face:?}");
        assert!(!dbg.contains("1990") && !dbg.contains("2285"));
    }
}
