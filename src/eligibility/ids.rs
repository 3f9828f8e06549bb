//! Identifiers with check digits: 保険者番号, 公費負担者番号, 受給者番号, and the
//! 医療機関コード (format only).
//!
//! The 検証番号 rule (fact sheet): multiply the digits before the check digit,
//! from the right, alternately by 2 and 1 (rightmost × 2); add the products,
//! counting a two-digit product as the sum of its digits; the check digit is 10
//! minus the last digit of that sum, or 0 when that last digit is 0. It is the
//! MHLW rule for 公費負担者番号 and is used here for 保険者番号 and 受給者番号 as
//! well (⚠ in the fact sheet; it holds on the public real numbers listed in the
//! tests). Because of that ⚠, a [`CheckDigitPolicy`] lets a caller keep numbers
//! whose 検証番号 disagrees (as the result-file parser does by default: a file from
//! the national system is not refused over this crate's reading of the rule).

use alloc::borrow::ToOwned;
use alloc::string::String;
use core::fmt;

/// Which identifier an [`IdError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdKind {
    /// 保険者番号.
    InsurerNumber,
    /// 公費負担者番号.
    PublicExpensePayerNumber,
    /// 公費負担医療の受給者番号.
    PublicExpenseRecipientNumber,
    /// 医療機関コード.
    MedicalInstitutionCode,
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InsurerNumber => "保険者番号",
            Self::PublicExpensePayerNumber => "公費負担者番号",
            Self::PublicExpenseRecipientNumber => "受給者番号",
            Self::MedicalInstitutionCode => "医療機関コード",
        })
    }
}

/// Why a string is not a valid identifier. Positions are 1-based, counted from
/// the left in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Wrong number of characters.
    #[error("{kind} has {expected} digits, got {found} characters")]
    Length {
        /// The identifier.
        kind: IdKind,
        /// The allowed length(s), e.g. `"6 or 8"`.
        expected: &'static str,
        /// Characters found.
        found: usize,
    },
    /// A character that is not an ASCII digit.
    #[error("{kind}: character {position} is not a digit")]
    NotDigit {
        /// The identifier.
        kind: IdKind,
        /// 1-based position of the character.
        position: usize,
    },
    /// The 検証番号 (last digit) does not match the other digits. Neither the
    /// digit found nor the one the rule gives is kept: both are the value (or
    /// derived from it).
    #[error("{kind}: check digit (digit {position}) does not match the other digits")]
    CheckDigit {
        /// The identifier.
        kind: IdKind,
        /// 1-based position of the check digit (the last one).
        position: usize,
    },
}

/// Whether constructing an identifier refuses a wrong 検証番号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CheckDigitPolicy {
    /// A wrong 検証番号 is an [`IdError::CheckDigit`].
    #[default]
    Enforce,
    /// A wrong 検証番号 is kept; the identifier reports it through
    /// `check_digit_matches()`.
    Record,
}

/// The 検証番号 of `digits` (ASCII digits, most significant first) by the
/// 2-1 weighted rule described in the module documentation.
///
/// ```
/// use mynacard::eligibility::check_digit;
/// assert_eq!(check_digit(b"0113001"), 2); // 協会けんぽ東京 01130012
/// ```
pub fn check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let d = u32::from(c.wrapping_sub(b'0') % 10);
            let p = if i % 2 == 0 { d * 2 } else { d };
            p / 10 + p % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Checks the format and the 検証番号; returns whether the check digit matched.
fn validate(
    s: &str,
    kind: IdKind,
    lengths: &[usize],
    expected: &'static str,
    policy: CheckDigitPolicy,
) -> Result<bool, IdError> {
    let b = s.as_bytes();
    if let Some(i) = b.iter().position(|c| !c.is_ascii_digit()) {
        // Report the character position (not the byte offset).
        let position = s
            .char_indices()
            .position(|(o, _)| o >= i)
            .map_or(i + 1, |p| p + 1);
        if !lengths.contains(&s.chars().count()) {
            return Err(IdError::Length {
                kind,
                expected,
                found: s.chars().count(),
            });
        }
        return Err(IdError::NotDigit { kind, position });
    }
    if !lengths.contains(&b.len()) {
        return Err(IdError::Length {
            kind,
            expected,
            found: b.len(),
        });
    }
    let Some((&last, body)) = b.split_last() else {
        return Err(IdError::Length {
            kind,
            expected,
            found: 0,
        });
    };
    let want = check_digit(body);
    let found = last - b'0';
    if found == want {
        Ok(true)
    } else if policy == CheckDigitPolicy::Enforce {
        Err(IdError::CheckDigit {
            kind,
            position: b.len(),
        })
    } else {
        Ok(false)
    }
}

macro_rules! serde_as_digits {
    ($t:ty, $ctor:expr) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                let f: fn(&str) -> Result<$t, IdError> = $ctor;
                f(&s).map_err(serde::de::Error::custom)
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// 保険者番号: 8 digits (法別番号 2 + 都道府県番号 2 + 保険者別番号 3 + 検証番号)
/// or 6 digits for 国民健康保険 (no 法別番号).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InsurerNumber {
    digits: String,
    check_ok: bool,
}

impl InsurerNumber {
    /// Parses 6 or 8 digits and enforces the 検証番号.
    ///
    /// ```
    /// use mynacard::eligibility::InsurerNumber;
    /// let n = InsurerNumber::parse("01130012").unwrap();
    /// assert_eq!(n.law_number(), Some("01"));
    /// assert_eq!(n.prefecture(), "13");
    /// assert!(InsurerNumber::parse("01130013").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, IdError> {
        Self::parse_with(s, CheckDigitPolicy::Enforce)
    }

    /// Parses 6 or 8 digits; the policy says what a wrong 検証番号 does.
    pub fn parse_with(s: &str, policy: CheckDigitPolicy) -> Result<Self, IdError> {
        let check_ok = validate(s, IdKind::InsurerNumber, &[6, 8], "6 or 8", policy)?;
        Ok(Self {
            digits: s.to_owned(),
            check_ok,
        })
    }

    /// Parses the file's field: 8 characters where a 6-digit 国民健康保険
    /// number is right-aligned with spaces (`  123456`) or zero-padded
    /// (`00123456`, there is no 法別番号 00); both read as the 6 digits.
    pub fn parse_field(s: &str, policy: CheckDigitPolicy) -> Result<Self, IdError> {
        let t = s.trim_matches(' ');
        match t.strip_prefix("00") {
            Some(six) if t.len() == 8 => Self::parse_with(six, policy),
            _ => Self::parse_with(t, policy),
        }
    }

    /// The file's 8-character field: a 6-digit number right-aligned with two
    /// spaces (`  123456`), as the terminal and real clients write it.
    pub fn to_field(&self) -> String {
        format!("{:>8}", self.digits)
    }

    /// A number this crate ships (sample data); its check digit is computed,
    /// not trusted.
    pub(crate) fn known(digits: &'static str) -> Self {
        let check_ok = digits
            .as_bytes()
            .split_last()
            .is_some_and(|(&last, body)| check_digit(body) == last.wrapping_sub(b'0'));
        Self {
            digits: digits.to_owned(),
            check_ok,
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// Whether this is a 6-digit 国民健康保険 number.
    pub fn is_national_health_insurance(&self) -> bool {
        self.digits.len() == 6
    }

    fn offset(&self) -> usize {
        if self.is_national_health_insurance() {
            0
        } else {
            2
        }
    }

    /// 法別番号 (first 2 digits), absent for a 6-digit 国保 number.
    pub fn law_number(&self) -> Option<&str> {
        (!self.is_national_health_insurance()).then(|| self.digits.get(..2).unwrap_or(""))
    }

    /// 都道府県番号 (2 digits).
    pub fn prefecture(&self) -> &str {
        let o = self.offset();
        self.digits.get(o..o + 2).unwrap_or("")
    }

    /// 保険者別番号 (3 digits).
    pub fn insurer_code(&self) -> &str {
        let o = self.offset() + 2;
        self.digits.get(o..o + 3).unwrap_or("")
    }

    /// 検証番号 (the last digit).
    pub fn check_digit(&self) -> u8 {
        self.digits.bytes().last().map_or(0, |c| c - b'0')
    }

    /// Whether the 検証番号 matches the rule (always true unless built with
    /// [`CheckDigitPolicy::Record`]).
    pub fn check_digit_matches(&self) -> bool {
        self.check_ok
    }
}
serde_as_digits!(InsurerNumber, |s| InsurerNumber::parse_with(
    s,
    CheckDigitPolicy::Record
));

/// 公費負担者番号: 法別番号 2 + 都道府県番号 2 + 実施機関番号 3 + 検証番号.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicExpensePayerNumber {
    digits: String,
    check_ok: bool,
}

impl PublicExpensePayerNumber {
    /// Parses 8 digits and enforces the 検証番号.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        Self::parse_with(s, CheckDigitPolicy::Enforce)
    }

    /// Parses 8 digits; the policy says what a wrong 検証番号 does.
    pub fn parse_with(s: &str, policy: CheckDigitPolicy) -> Result<Self, IdError> {
        let check_ok = validate(s, IdKind::PublicExpensePayerNumber, &[8], "8", policy)?;
        Ok(Self {
            digits: s.to_owned(),
            check_ok,
        })
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// 法別番号 (e.g. `54` 難病 特定医療, `12` 生活保護).
    pub fn law_number(&self) -> &str {
        self.digits.get(..2).unwrap_or("")
    }

    /// 都道府県番号.
    pub fn prefecture(&self) -> &str {
        self.digits.get(2..4).unwrap_or("")
    }

    /// 実施機関番号.
    pub fn agency_code(&self) -> &str {
        self.digits.get(4..7).unwrap_or("")
    }

    /// 検証番号.
    pub fn check_digit(&self) -> u8 {
        self.digits.bytes().last().map_or(0, |c| c - b'0')
    }

    /// Whether the 検証番号 matches the rule.
    pub fn check_digit_matches(&self) -> bool {
        self.check_ok
    }
}
serde_as_digits!(PublicExpensePayerNumber, |s| {
    PublicExpensePayerNumber::parse_with(s, CheckDigitPolicy::Record)
});

/// 公費負担医療の受給者番号: 受給者区分 6 + 検証番号.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicExpenseRecipientNumber {
    digits: String,
    check_ok: bool,
}

impl PublicExpenseRecipientNumber {
    /// Parses 7 digits and enforces the 検証番号.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        Self::parse_with(s, CheckDigitPolicy::Enforce)
    }

    /// Parses 7 digits; the policy says what a wrong 検証番号 does.
    pub fn parse_with(s: &str, policy: CheckDigitPolicy) -> Result<Self, IdError> {
        let check_ok = validate(s, IdKind::PublicExpenseRecipientNumber, &[7], "7", policy)?;
        Ok(Self {
            digits: s.to_owned(),
            check_ok,
        })
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// 検証番号.
    pub fn check_digit(&self) -> u8 {
        self.digits.bytes().last().map_or(0, |c| c - b'0')
    }

    /// Whether the 検証番号 matches the rule.
    pub fn check_digit_matches(&self) -> bool {
        self.check_ok
    }
}
serde_as_digits!(PublicExpenseRecipientNumber, |s| {
    PublicExpenseRecipientNumber::parse_with(s, CheckDigitPolicy::Record)
});

/// 医療機関コード: 10 digits (都道府県 2 + 点数表 1 + 医療機関 7). Format only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MedicalInstitutionCode(String);

impl MedicalInstitutionCode {
    /// Parses 10 ASCII digits.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let kind = IdKind::MedicalInstitutionCode;
        if let Some(i) = s.chars().position(|c| !c.is_ascii_digit()) {
            return Err(IdError::NotDigit {
                kind,
                position: i + 1,
            });
        }
        if s.len() != 10 {
            return Err(IdError::Length {
                kind,
                expected: "10",
                found: s.len(),
            });
        }
        Ok(Self(s.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 都道府県番号.
    pub fn prefecture(&self) -> &str {
        self.0.get(..2).unwrap_or("")
    }

    /// 点数表番号 (`1` 医科, `3` 歯科, `4` 調剤).
    pub fn point_table(&self) -> &str {
        self.0.get(2..3).unwrap_or("")
    }

    /// 医療機関番号 (7 digits).
    pub fn institution(&self) -> &str {
        self.0.get(3..).unwrap_or("")
    }
}
serde_as_digits!(MedicalInstitutionCode, MedicalInstitutionCode::parse);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    /// Public real numbers: 協会けんぽ東京 01130012 and 宮城支部 01040013
    /// (kyoukaikenpo.or.jp), and the 公費負担者番号 54016027 (難病 特定医療,
    /// worked example on a public clinic page).
    const REAL_INSURERS: &[&str] = &["01130012", "01040013"];
    const REAL_PAYERS: &[&str] = &["54016027"];

    /// Every single-digit change of a valid number: returns (position, new digit).
    fn corruptions(s: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (i, c) in s.bytes().enumerate() {
            for d in b'0'..=b'9' {
                if d != c {
                    let mut b = s.as_bytes().to_vec();
                    b[i] = d;
                    out.push((i, String::from_utf8(b).unwrap()));
                }
            }
        }
        out
    }

    #[test]
    fn rule_on_real_numbers() {
        for n in REAL_INSURERS {
            assert!(InsurerNumber::parse(n).is_ok(), "{n}");
        }
        for n in REAL_PAYERS {
            assert!(PublicExpensePayerNumber::parse(n).is_ok(), "{n}");
        }
        assert_eq!(check_digit(b"5401602"), 7);
    }

    #[test]
    fn every_single_digit_corruption_is_caught() {
        // The 2-1 rule catches every single-digit substitution.
        let valid_insurers = ["01130012", "01040013", "06139992", "39131156", "138016"];
        for good in valid_insurers {
            let n = InsurerNumber::parse(good).unwrap();
            assert!(n.check_digit_matches());
            for (_, bad) in corruptions(good) {
                match InsurerNumber::parse(&bad) {
                    Err(IdError::CheckDigit {
                        kind: IdKind::InsurerNumber,
                        position,
                    }) => {
                        assert_eq!(position, good.len());
                        let body = &bad.as_bytes()[..good.len() - 1];
                        assert_ne!(bad.as_bytes()[good.len() - 1] - b'0', check_digit(body));
                    }
                    other => panic!("{bad}: {other:?}"),
                }
            }
        }
        for good in ["54016027", "12136016", "21130018"] {
            PublicExpensePayerNumber::parse(good).unwrap();
            for (_, bad) in corruptions(good) {
                assert!(matches!(
                    PublicExpensePayerNumber::parse(&bad),
                    Err(IdError::CheckDigit {
                        kind: IdKind::PublicExpensePayerNumber,
                        position: 8,
                        ..
                    })
                ));
            }
        }
        for good in ["1234566", "0000000", "9876541"] {
            PublicExpenseRecipientNumber::parse(good).unwrap();
            for (_, bad) in corruptions(good) {
                assert!(matches!(
                    PublicExpenseRecipientNumber::parse(&bad),
                    Err(IdError::CheckDigit {
                        kind: IdKind::PublicExpenseRecipientNumber,
                        position: 7,
                        ..
                    })
                ));
            }
        }
    }

    #[test]
    fn parts_of_insurer_numbers() {
        let n = InsurerNumber::parse("39131156").unwrap();
        assert_eq!(n.law_number(), Some("39"));
        assert_eq!(n.prefecture(), "13");
        assert_eq!(n.insurer_code(), "115");
        assert_eq!(n.check_digit(), 6);
        let k = InsurerNumber::parse("138016").unwrap();
        assert!(k.is_national_health_insurance());
        assert_eq!(k.law_number(), None);
        assert_eq!(k.prefecture(), "13");
        assert_eq!(k.insurer_code(), "801");
        let p = PublicExpensePayerNumber::parse("54016027").unwrap();
        assert_eq!(
            (
                p.law_number(),
                p.prefecture(),
                p.agency_code(),
                p.check_digit()
            ),
            ("54", "01", "602", 7)
        );
    }

    #[test]
    fn format_errors_name_the_position() {
        assert_eq!(
            InsurerNumber::parse("0113001"),
            Err(IdError::Length {
                kind: IdKind::InsurerNumber,
                expected: "6 or 8",
                found: 7
            })
        );
        assert_eq!(
            InsurerNumber::parse("011X0012"),
            Err(IdError::NotDigit {
                kind: IdKind::InsurerNumber,
                position: 4
            })
        );
        assert_eq!(
            InsurerNumber::parse("０1130012"),
            Err(IdError::NotDigit {
                kind: IdKind::InsurerNumber,
                position: 1
            })
        );
        assert_eq!(
            PublicExpenseRecipientNumber::parse("123456"),
            Err(IdError::Length {
                kind: IdKind::PublicExpenseRecipientNumber,
                expected: "7",
                found: 6
            })
        );
        assert_eq!(
            InsurerNumber::parse("12345678").unwrap_err().to_string(),
            "保険者番号: check digit (digit 8) does not match the other digits"
        );
    }

    #[test]
    fn record_policy_keeps_a_wrong_check_digit() {
        let n = InsurerNumber::parse_with("12345678", CheckDigitPolicy::Record).unwrap();
        assert!(!n.check_digit_matches());
        assert_eq!(n.as_str(), "12345678");
        assert!(InsurerNumber::parse_with("1234567", CheckDigitPolicy::Record).is_err());
    }

    #[test]
    fn medical_institution_code() {
        let c = MedicalInstitutionCode::parse("0110012345").unwrap();
        assert_eq!(
            (c.prefecture(), c.point_table(), c.institution()),
            ("01", "1", "0012345")
        );
        assert_eq!(
            MedicalInstitutionCode::parse("011001234"),
            Err(IdError::Length {
                kind: IdKind::MedicalInstitutionCode,
                expected: "10",
                found: 9
            })
        );
    }
}
