//! The holder's sex, one type for every source: the card's 券面 APs, the JPKI
//! signature certificate and the eligibility files.
//!
//! Two code spaces meet here:
//! - the card's 券面事項入力補助AP / 券面事項確認AP (ISO 5218 / JIS X 0303):
//!   `0` not known, `1` male, `2` female, `9` not applicable;
//! - the JPKI signature certificate's 性別 attribute: `1` 男, `2` 女, `3` 不明.

use core::fmt;

/// Sex as recorded by the card, a certificate or a file.
///
/// `Display` gives the Japanese label printed on the card face and in reception
/// screens (`男`, `女`, `不明`, `適用不能`).
///
/// ```
/// use mynacard::person::Sex;
/// assert_eq!(Sex::from_card_code(b'2'), Some(Sex::Female));
/// assert_eq!(Sex::from_jpki_code(b'3'), Some(Sex::NotKnown));
/// assert_eq!(Sex::Male.to_string(), "男");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Sex {
    /// 男.
    Male,
    /// 女.
    Female,
    /// 不明: not known (card `0`, certificate `3`).
    NotKnown,
    /// 適用不能: not applicable (card `9`; the certificate has no such code).
    NotApplicable,
}

impl Sex {
    /// The sex of a card 券面 AP code (`b'0'`, `b'1'`, `b'2'`, `b'9'`).
    pub const fn from_card_code(code: u8) -> Option<Self> {
        match code {
            b'0' => Some(Self::NotKnown),
            b'1' => Some(Self::Male),
            b'2' => Some(Self::Female),
            b'9' => Some(Self::NotApplicable),
            _ => None,
        }
    }

    /// The card 券面 AP code (ISO 5218).
    pub const fn card_code(self) -> u8 {
        match self {
            Self::NotKnown => b'0',
            Self::Male => b'1',
            Self::Female => b'2',
            Self::NotApplicable => b'9',
        }
    }

    /// The sex of a JPKI signature certificate code (`b'1'`, `b'2'`, `b'3'`).
    pub const fn from_jpki_code(code: u8) -> Option<Self> {
        match code {
            b'1' => Some(Self::Male),
            b'2' => Some(Self::Female),
            b'3' => Some(Self::NotKnown),
            _ => None,
        }
    }

    /// The JPKI signature certificate code; `None` for
    /// [`Sex::NotApplicable`], which that code space lacks.
    pub const fn jpki_code(self) -> Option<u8> {
        match self {
            Self::Male => Some(b'1'),
            Self::Female => Some(b'2'),
            Self::NotKnown => Some(b'3'),
            Self::NotApplicable => None,
        }
    }

    /// The Japanese label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
            Self::NotKnown => "不明",
            Self::NotApplicable => "適用不能",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn both_code_spaces_round_trip() {
        for s in [Sex::Male, Sex::Female, Sex::NotKnown, Sex::NotApplicable] {
            assert_eq!(Sex::from_card_code(s.card_code()), Some(s));
            if let Some(c) = s.jpki_code() {
                assert_eq!(Sex::from_jpki_code(c), Some(s));
            }
        }
        assert_eq!(Sex::from_card_code(b'3'), None);
        assert_eq!(Sex::from_jpki_code(b'9'), None);
        assert_eq!(Sex::from_jpki_code(b'0'), None);
        assert_eq!(Sex::Female.to_string(), "女");
    }
}
