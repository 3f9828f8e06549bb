//! 身元確認, second half: the four attributes of the signature certificate's
//! subjectAltName against the card's 基本4情報 (券面事項入力補助AP EF 0002).
//!
//! Both come from J-LIS, in two encodings. Only what those encodings
//! legitimately differ in is normalised:
//!
//! - **substitute characters**: a character the certificate flags as a 代替文字
//!   (`1.2.392.200149.8.5.5.2` / `.6`) was replaced because the certificate's
//!   character set lacks it; that position is not compared (the count of
//!   characters still must match), and the evidence records that it was skipped;
//! - **width of spaces, digits and hyphens**: U+0020 and U+3000, ASCII and
//!   full-width digits, and the hyphen forms (`-` U+2010–U+2013, U+2212, U+FF0D)
//!   are each one character (the address allows a full-width hyphen);
//! - **trailing spaces** (fixed-width padding) are ignored;
//! - **sex codes**: the card's `1`/`2` are the certificate's `1`/`2`; the card's
//!   `0` (not known) and `9` (not applicable) both correspond to the
//!   certificate's `3` (不明) — two code spaces, one meaning;
//! - **birth date**: the certificate's era digit is dropped, its Gregorian date
//!   must be complete and equal to the card's (an incomplete date fails: it can
//!   not be confirmed).
//!
//! Nothing else (no kana folding, no old/new kanji forms, no Unicode
//! normalisation): any other difference is a mismatch, reported by attribute,
//! never by value. ⚠ The width / padding list is our reading of the two
//! encodings; [`Comparison::Exact`] turns it off.

use alloc::vec::Vec;
use core::fmt;

use crate::card::BasicFourInfo;
use crate::person::Sex as CardSex;
use crate::person::Sex as CertSex;
use crate::pki::HolderAttributes;

/// One of the four attributes (基本4情報).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Attribute {
    /// 氏名.
    Name,
    /// 住所.
    Address,
    /// 生年月日.
    BirthDate,
    /// 性別.
    Sex,
}

impl Attribute {
    /// A stable machine name (`name`, `address`, `birth_date`, `sex`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Address => "address",
            Self::BirthDate => "birth_date",
            Self::Sex => "sex",
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Name => "name (氏名)",
            Self::Address => "address (住所)",
            Self::BirthDate => "birth date (生年月日)",
            Self::Sex => "sex (性別)",
        })
    }
}

/// How text attributes are compared. Which differences between the card's and
/// the certificate's encodings are legitimate is not published in one place;
/// the default normalises only U+0020 vs U+3000, ASCII vs full-width digits and
/// hyphens (`-`, U+2010–U+2013, U+2212, U+FF0D) and trailing spaces (⚠ our
/// reading of the two encodings), and `Exact` turns that off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Comparison {
    /// Spaces, digit and hyphen widths and trailing padding normalised
    /// (default); substitute characters skipped.
    #[default]
    EncodingDifferences,
    /// Character for character; substitute characters still skipped (their
    /// flags are part of the certificate profile).
    Exact,
}

/// What the comparison found, when every attribute matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeMatch {
    /// Characters of the name not compared because the certificate flags them as
    /// substitute characters.
    pub name_substituted: usize,
    /// Characters of the address not compared for the same reason.
    pub address_substituted: usize,
}

fn normalise(c: char) -> char {
    match c {
        ' ' => '\u{3000}',
        '0'..='9' => char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap_or(c),
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => '\u{FF0D}',
        c => c,
    }
}

fn trimmed(s: &str, how: Comparison) -> Vec<char> {
    if how == Comparison::Exact {
        return s.chars().collect();
    }
    let mut v: Vec<char> = s.chars().map(normalise).collect();
    while v.last() == Some(&'\u{3000}') {
        v.pop();
    }
    v
}

/// Compares a text attribute; `Some(skipped)` when equal outside the flagged positions.
fn text_matches(card: &str, cert: &str, flags: &[bool], how: Comparison) -> Option<usize> {
    let (a, b) = (trimmed(card, how), trimmed(cert, how));
    if a.len() != b.len() {
        return None;
    }
    let mut skipped = 0;
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        if flags.get(i) == Some(&true) {
            skipped += 1;
        } else if x != y {
            return None;
        }
    }
    Some(skipped)
}

fn sex_matches(card: CardSex, cert: CertSex) -> bool {
    matches!(
        (card, cert),
        (CardSex::Male, CertSex::Male)
            | (CardSex::Female, CertSex::Female)
            | (
                CardSex::NotKnown | CardSex::NotApplicable,
                CertSex::NotKnown
            )
    )
}

/// Compares the certificate's attributes with the card's; `Err` lists every
/// attribute that differed (in the order name, address, birth date, sex).
pub(crate) fn compare(
    card: &BasicFourInfo,
    cert: &HolderAttributes,
    how: Comparison,
) -> Result<AttributeMatch, Vec<Attribute>> {
    let mut differ = Vec::new();
    let name = text_matches(card.name(), cert.name(), cert.name_flags().flags(), how);
    if name.is_none() {
        differ.push(Attribute::Name);
    }
    let address = text_matches(
        card.address(),
        cert.address(),
        cert.address_flags().flags(),
        how,
    );
    if address.is_none() {
        differ.push(Attribute::Address);
    }
    let d = card.birth_date();
    if cert.birth_date().complete() != Some((d.year(), d.month(), d.day())) {
        differ.push(Attribute::BirthDate);
    }
    if !sex_matches(card.sex(), cert.sex()) {
        differ.push(Attribute::Sex);
    }
    match (name, address) {
        (Some(name_substituted), Some(address_substituted)) if differ.is_empty() => {
            Ok(AttributeMatch {
                name_substituted,
                address_substituted,
            })
        }
        _ => Err(differ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const N: Comparison = Comparison::EncodingDifferences;

    fn flags(s: &str) -> Vec<bool> {
        s.chars().map(|c| c == '1').collect()
    }

    #[test]
    fn widths_and_padding_are_normalised_nothing_else() {
        let none = flags("000000000000000");
        assert_eq!(
            text_matches(
                "東京都千代田区霞が関２－１－２",
                "東京都千代田区霞が関2-1-2",
                &none[..],
                N
            ),
            Some(0)
        );
        assert_eq!(
            text_matches("山田　太郎　　", "山田 太郎", &flags("00000"), N),
            Some(0)
        );
        assert_eq!(
            text_matches("山田　太郎", "山田　次郎", &flags("00000"), N),
            None
        );
        assert_eq!(
            text_matches("山田　太郎", "山田太郎", &flags("0000"), N),
            None
        );
        // 髙 vs 高: not normalised unless flagged as a substitute character.
        assert_eq!(
            text_matches("髙橋　由美", "高橋　由美", &flags("00000"), N),
            None
        );
        assert_eq!(
            text_matches("髙橋　由美", "高橋　由美", &flags("10000"), N),
            Some(1)
        );
    }

    #[test]
    fn exact_turns_normalisation_off_but_keeps_substitutes() {
        let x = Comparison::Exact;
        assert_eq!(text_matches("２－１", "2-1", &flags("000"), x), None);
        assert_eq!(
            text_matches("山田　太郎", "山田 太郎", &flags("00000"), x),
            None
        );
        assert_eq!(text_matches("髙橋", "高橋", &flags("10"), x), Some(1));
    }

    #[test]
    fn sex_code_spaces() {
        assert!(sex_matches(CardSex::Male, CertSex::Male));
        assert!(sex_matches(CardSex::NotApplicable, CertSex::NotKnown));
        assert!(sex_matches(CardSex::NotKnown, CertSex::NotKnown));
        assert!(!sex_matches(CardSex::Female, CertSex::Male));
        assert!(!sex_matches(CardSex::Male, CertSex::NotKnown));
    }
}
