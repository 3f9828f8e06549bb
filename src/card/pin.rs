//! The secrets a holder types: PINs, the sign password, 照合番号A/B and the
//! birth-date key. Each is validated locally before anything is sent, so a typing
//! mistake never costs a try; each is zeroized on drop and redacted by `Debug`.
//!
//! Lowercase sign passwords are **rejected**, not uppercased silently: the card
//! compares bytes, and silently changing what the holder typed hides a mistake.
//! A caller whose input method produces lowercase letters (a phone keyboard) may opt
//! in with [`SignPassword::new_uppercased`].

use alloc::vec::Vec;
use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::model::KeyRef;
use crate::date::{CalendarDate, DateError};
use crate::my_number::{MyNumber, MyNumberError};

/// Why a typed secret was refused before being sent (no try was spent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinFormatError {
    /// Wrong number of characters.
    #[error("{what} must have {expected} characters, got {got}")]
    Length {
        /// Which secret.
        what: &'static str,
        /// The accepted length(s), in words.
        expected: &'static str,
        /// Characters given.
        got: usize,
    },
    /// A character that is not an ASCII digit, at this 0-based position.
    #[error("{what}: character {position} is not a digit 0-9")]
    NotDigit {
        /// Which secret.
        what: &'static str,
        /// 0-based position.
        position: usize,
    },
    /// A lowercase letter in the sign password (the card compares bytes: it would
    /// be a wrong password and cost a try).
    #[error("sign password: character {position} is lowercase; the password uses A-Z and 0-9 only")]
    Lowercase {
        /// 0-based position.
        position: usize,
    },
    /// A character outside A–Z / 0–9 in the sign password.
    #[error("sign password: character {position} is not A-Z or 0-9")]
    NotAlphanumeric {
        /// 0-based position.
        position: usize,
    },
    /// The sign password has no letter (the rules require at least one).
    #[error("sign password must contain at least one letter A-Z")]
    NoLetter,
    /// The sign password has no digit (the rules require at least one).
    #[error("sign password must contain at least one digit 0-9")]
    NoDigit,
    /// 照合番号A is a 個人番号 and its check digit is wrong.
    #[error("照合番号A: {0}")]
    MyNumber(#[from] MyNumberError),
    /// A date or year used to build 照合番号B / the birth-date key is not valid.
    #[error("{0}")]
    Date(#[from] crate::date::DateError),
    /// The security code (セキュリティコード) printed on the card face is not 4 digits.
    #[error("security code must be 4 digits")]
    SecurityCode,
}

fn digits<const N: usize>(
    what: &'static str,
    expected: &'static str,
    s: &[u8],
) -> Result<[u8; N], PinFormatError> {
    if s.len() != N {
        return Err(PinFormatError::Length {
            what,
            expected,
            got: s.len(),
        });
    }
    if let Some(position) = s.iter().position(|c| !c.is_ascii_digit()) {
        return Err(PinFormatError::NotDigit { what, position });
    }
    let mut out = [0u8; N];
    out.copy_from_slice(s);
    Ok(out)
}

mod sealed {
    pub trait Sealed {}
}

/// A validated secret, and which key references it may be sent to. Sealed: only
/// the types of this module implement it, so nothing unvalidated reaches a VERIFY.
pub trait Secret: sealed::Sealed {
    /// Whether `key` takes this kind of secret (a [`Pin`] for the JPKI auth PIN
    /// and the 券面事項入力補助用暗証番号, a [`SignPassword`] for the sign password, …).
    fn opens(key: KeyRef) -> bool;
    /// The ASCII bytes sent in VERIFY.
    fn secret_bytes(&self) -> &[u8];
}

macro_rules! secret {
    ($t:ident, $($k:ident)|+) => {
        impl sealed::Sealed for $t {}
        impl Secret for $t {
            fn opens(key: KeyRef) -> bool {
                matches!(key, $(KeyRef::$k)|+)
            }
            fn secret_bytes(&self) -> &[u8] {
                &self.0
            }
        }
    };
}

secret!(Pin, JpkiAuthPin | KenhojoPin);
secret!(SignPassword, JpkiSignPassword);
secret!(VerificationNumberA, KenhojoNumberA | KenkakuNumberA);
secret!(VerificationNumberB, KenhojoNumberB | KenkakuNumberB);
secret!(BirthDateKey, KenkakuBirthDate);

macro_rules! secret_debug {
    ($t:ident) => {
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($t), "(<redacted>)"))
            }
        }
    };
}

/// A 4-digit PIN: the JPKI 利用者証明用 PIN or the 券面事項入力補助用暗証番号.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Pin([u8; 4]);

impl Pin {
    /// Accepts exactly 4 ASCII digits.
    pub fn new(pin: &str) -> Result<Self, PinFormatError> {
        digits("PIN", "4", pin.as_bytes()).map(Self)
    }

    /// The ASCII bytes sent in VERIFY.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}
secret_debug!(Pin);

/// The JPKI 署名用パスワード: 6–16 characters A–Z / 0–9 with at least one letter
/// and one digit.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SignPassword(Vec<u8>);

impl SignPassword {
    /// Validates the password exactly as typed. Lowercase letters are refused with
    /// [`PinFormatError::Lowercase`] rather than changed.
    pub fn new(password: &str) -> Result<Self, PinFormatError> {
        let b = password.as_bytes();
        if !(6..=16).contains(&b.len()) {
            return Err(PinFormatError::Length {
                what: "sign password",
                expected: "6 to 16",
                got: password.chars().count(),
            });
        }
        for (position, c) in b.iter().enumerate() {
            if c.is_ascii_lowercase() {
                return Err(PinFormatError::Lowercase { position });
            }
            if !(c.is_ascii_uppercase() || c.is_ascii_digit()) {
                return Err(PinFormatError::NotAlphanumeric { position });
            }
        }
        if !b.iter().any(u8::is_ascii_uppercase) {
            return Err(PinFormatError::NoLetter);
        }
        if !b.iter().any(u8::is_ascii_digit) {
            return Err(PinFormatError::NoDigit);
        }
        Ok(Self(b.to_vec()))
    }

    /// Uppercases ASCII letters first, then validates: an explicit opt-in for input
    /// methods that produce lowercase.
    pub fn new_uppercased(password: &str) -> Result<Self, PinFormatError> {
        let upper = Zeroizing::new(password.to_ascii_uppercase());
        Self::new(&upper)
    }

    /// The ASCII bytes sent in VERIFY.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}
secret_debug!(SignPassword);

/// 照合番号A: the holder's 12-digit 個人番号, check digit verified locally.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct VerificationNumberA([u8; 12]);

impl VerificationNumberA {
    /// Accepts 12 ASCII digits whose last digit is the 個人番号 check digit.
    pub fn new(digits: &str) -> Result<Self, PinFormatError> {
        let b = digits.as_bytes();
        if b.len() != 12 {
            return Err(PinFormatError::Length {
                what: "照合番号A",
                expected: "12",
                got: digits.chars().count(),
            });
        }
        let n = MyNumber::parse(b)?;
        Ok(Self::from_my_number(&n))
    }

    /// From an already validated 個人番号.
    pub fn from_my_number(n: &MyNumber) -> Self {
        Self(*n.expose_digits())
    }

    /// The ASCII bytes sent in VERIFY.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}
secret_debug!(VerificationNumberA);

/// 照合番号B: 14 digits = birth date as 和暦 `YYMMDD` + 4-digit expiry year +
/// 4-digit security code. Build it from its parts with
/// [`VerificationNumberB::from_parts`] or accept typed digits.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct VerificationNumberB([u8; 14]);

impl VerificationNumberB {
    /// Accepts 14 ASCII digits.
    pub fn new(digits_14: &str) -> Result<Self, PinFormatError> {
        digits("照合番号B", "14", digits_14.as_bytes()).map(Self)
    }

    pub(crate) fn from_array(b: [u8; 14]) -> Self {
        Self(b)
    }

    /// The ASCII bytes sent in VERIFY.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}
secret_debug!(VerificationNumberB);

/// The 券面事項確認AP birth-date key: 6 digits, 和暦 `YYMMDD`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct BirthDateKey([u8; 6]);

impl BirthDateKey {
    /// Accepts 6 ASCII digits (和暦 `YYMMDD`).
    pub fn new(digits_6: &str) -> Result<Self, PinFormatError> {
        digits("birth-date key", "6", digits_6.as_bytes()).map(Self)
    }

    pub(crate) fn from_array(b: [u8; 6]) -> Self {
        Self(b)
    }

    /// The ASCII bytes sent in VERIFY.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}
secret_debug!(BirthDateKey);

impl VerificationNumberB {
    /// Builds 照合番号B from the birth date (converted to the era year), the card's
    /// expiry year (Gregorian, 4 digits) and the 4-digit security code printed on
    /// the card face.
    ///
    /// ```
    /// use mynacard::date::CalendarDate;
    /// use mynacard::card::VerificationNumberB;
    /// // 1980-02-17 is 昭和55年2月17日.
    /// let b = VerificationNumberB::from_parts(CalendarDate::new(1980, 2, 17).unwrap(), 2035, "2285").unwrap();
    /// assert_eq!(b.expose(), b"55021720352285");
    /// ```
    pub fn from_parts(
        birth: CalendarDate,
        expiry_year: u16,
        security_code: &str,
    ) -> Result<Self, PinFormatError> {
        if !(1000..=9999).contains(&expiry_year) {
            return Err(DateError::Year { position: 1 }.into());
        }
        let code = security_code.as_bytes();
        if code.len() != 4 || !code.iter().all(u8::is_ascii_digit) {
            return Err(PinFormatError::SecurityCode);
        }
        let mut out = [0u8; 14];
        out[..6].copy_from_slice(&birth.to_japanese()?.yymmdd());
        out[6..10].copy_from_slice(&CalendarDate::new(expiry_year, 1, 1)?.yyyymmdd()[..4]);
        out[10..].copy_from_slice(code);
        Ok(Self::from_array(out))
    }
}

impl BirthDateKey {
    /// The birth-date key (和暦 `YYMMDD`) of a birth date.
    pub fn from_birth_date(birth: CalendarDate) -> Result<Self, PinFormatError> {
        Ok(Self::from_array(birth.to_japanese()?.yymmdd()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_format() {
        assert_eq!(Pin::new("1234").unwrap().expose(), b"1234");
        assert_eq!(
            Pin::new("123"),
            Err(PinFormatError::Length {
                what: "PIN",
                expected: "4",
                got: 3
            })
        );
        assert_eq!(
            Pin::new("12a4"),
            Err(PinFormatError::NotDigit {
                what: "PIN",
                position: 2
            })
        );
        assert_eq!(
            Pin::new("１２３４"),
            Err(PinFormatError::Length {
                what: "PIN",
                expected: "4",
                got: 12
            })
        );
    }

    #[test]
    fn sign_password_rules() {
        assert_eq!(
            SignPassword::new("YAMADA2024").unwrap().expose(),
            b"YAMADA2024"
        );
        assert_eq!(
            SignPassword::new("yamada2024"),
            Err(PinFormatError::Lowercase { position: 0 })
        );
        assert_eq!(SignPassword::new("ABCDEF"), Err(PinFormatError::NoDigit));
        assert_eq!(SignPassword::new("123456"), Err(PinFormatError::NoLetter));
        assert_eq!(
            SignPassword::new("ABC-123"),
            Err(PinFormatError::NotAlphanumeric { position: 3 })
        );
        assert!(matches!(
            SignPassword::new("A1234"),
            Err(PinFormatError::Length { got: 5, .. })
        ));
        assert!(matches!(
            SignPassword::new("A1234567890123456"),
            Err(PinFormatError::Length { got: 17, .. })
        ));
        assert_eq!(SignPassword::new("A12345").unwrap().expose(), b"A12345");
        assert_eq!(
            SignPassword::new_uppercased("yamada2024").unwrap().expose(),
            b"YAMADA2024"
        );
    }

    #[test]
    fn verification_numbers() {
        assert_eq!(
            VerificationNumberA::new("123456789018").unwrap().expose(),
            b"123456789018"
        );
        assert_eq!(
            VerificationNumberA::new("123456789017"),
            Err(PinFormatError::MyNumber(MyNumberError::CheckDigit))
        );
        assert_eq!(
            VerificationNumberB::new("55021720352285").unwrap().expose(),
            b"55021720352285"
        );
        assert!(matches!(
            VerificationNumberB::new("5502172035228"),
            Err(PinFormatError::Length { got: 13, .. })
        ));
        assert_eq!(BirthDateKey::new("020401").unwrap().expose(), b"020401");
    }

    #[test]
    fn debug_redacts() {
        assert_eq!(
            format!("{:?}", Pin::new("1234").unwrap()),
            "Pin(<redacted>)"
        );
        assert_eq!(
            format!("{:?}", SignPassword::new("AB1234").unwrap()),
            "SignPassword(<redacted>)"
        );
        assert_eq!(
            format!("{:?}", VerificationNumberA::new("123456789018").unwrap()),
            "VerificationNumberA(<redacted>)"
        );
    }

    #[test]
    fn verification_number_b() {
        // Fact sheet example (card-confirmed): 1980-02-17, 2035, 2285.
        let b =
            VerificationNumberB::from_parts(CalendarDate::new(1980, 2, 17).unwrap(), 2035, "2285")
                .unwrap();
        assert_eq!(b.expose(), b"55021720352285");
        // Test holder yamada: 1990-04-01 = 平成2年.
        let b =
            VerificationNumberB::from_parts(CalendarDate::new(1990, 4, 1).unwrap(), 2035, "2285")
                .unwrap();
        assert_eq!(b.expose(), b"02040120352285");
        // takahashi: 1989-01-07 = 昭和64年1月7日.
        let b =
            VerificationNumberB::from_parts(CalendarDate::new(1989, 1, 7).unwrap(), 2034, "6402")
                .unwrap();
        assert_eq!(b.expose(), b"64010720346402");
        // nakamura: 2019-05-01 = 令和元年.
        let k = BirthDateKey::from_birth_date(CalendarDate::new(2019, 5, 1).unwrap()).unwrap();
        assert_eq!(k.expose(), b"010501");
        assert_eq!(
            VerificationNumberB::from_parts(CalendarDate::new(1980, 2, 17).unwrap(), 2035, "228"),
            Err(PinFormatError::SecurityCode)
        );
    }
}
