//! The 個人番号 (My Number): 12 digits, the last one a statutory check digit.
//!
//! A medical facility may not collect or keep it: no reception flow of this crate
//! ever reads it. It is held in zeroizing storage and redacted by `Debug`.

use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Why a string is not a 個人番号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MyNumberError {
    /// Not exactly 12 characters.
    #[error("a My Number has 12 digits, got {0} characters")]
    Length(usize),
    /// A character that is not an ASCII digit, at this 0-based position.
    #[error("character {0} of the My Number is not a digit")]
    NotDigit(usize),
    /// The 12th digit is not the check digit of the first 11 (neither digit
    /// is kept: both are the number, or derived from it).
    #[error("check digit (12th) does not match the first 11 digits")]
    CheckDigit,
}

/// A validated 個人番号. Zeroized on drop; `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct MyNumber([u8; 12]);

impl MyNumber {
    /// Parses 12 ASCII digits and checks the check digit.
    pub fn parse(digits: &[u8]) -> Result<Self, MyNumberError> {
        if digits.len() != 12 {
            return Err(MyNumberError::Length(digits.len()));
        }
        let mut d = [0u8; 12];
        for (i, (&c, slot)) in digits.iter().zip(d.iter_mut()).enumerate() {
            if !c.is_ascii_digit() {
                d.zeroize();
                return Err(MyNumberError::NotDigit(i));
            }
            *slot = c - b'0';
        }
        let mut first11 = [0u8; 11];
        first11.copy_from_slice(&d[..11]);
        let expected = Self::check_digit(&first11);
        first11.zeroize();
        if d[11] != expected {
            d.zeroize();
            return Err(MyNumberError::CheckDigit);
        }
        let mut ascii = [0u8; 12];
        ascii.copy_from_slice(digits);
        d.zeroize();
        Ok(Self(ascii))
    }

    /// The statutory check digit of the first 11 digits (values 0–9, most
    /// significant first): with P(n) the n-th digit from the right and
    /// Q(n) = n + 1 for n ≤ 6, n − 5 for n ≥ 7, r = Σ P(n)·Q(n) mod 11;
    /// the check digit is 0 when r ≤ 1, else 11 − r.
    pub fn check_digit(first11: &[u8; 11]) -> u8 {
        let sum: u32 = first11
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &p)| {
                let n = i as u32 + 1;
                let q = if n <= 6 { n + 1 } else { n - 5 };
                p as u32 * q
            })
            .sum();
        let r = (sum % 11) as u8;
        if r <= 1 { 0 } else { 11 - r }
    }

    /// The 12 ASCII digits. Handle with care: this is the secret itself.
    pub fn expose_digits(&self) -> &[u8; 12] {
        &self.0
    }
}

impl fmt::Debug for MyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MyNumber(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers() {
        for n in [
            "123456789018",
            "234567890121",
            "812345678900",
            "000000000000",
        ] {
            let m = MyNumber::parse(n.as_bytes()).unwrap();
            assert_eq!(m.expose_digits(), n.as_bytes());
        }
    }

    #[test]
    fn every_single_digit_corruption_of_the_check_digit_is_caught() {
        let good = *b"123456789018";
        for wrong in (b'0'..=b'9').filter(|&c| c != b'8') {
            let mut bad = good;
            bad[11] = wrong;
            assert_eq!(MyNumber::parse(&bad), Err(MyNumberError::CheckDigit));
        }
    }

    #[test]
    fn format_errors() {
        assert_eq!(
            MyNumber::parse(b"12345678901"),
            Err(MyNumberError::Length(11))
        );
        assert_eq!(
            MyNumber::parse(b"12345678901A"),
            Err(MyNumberError::NotDigit(11))
        );
        assert_eq!(
            MyNumber::parse("１２３".as_bytes()),
            Err(MyNumberError::Length(9))
        );
    }

    #[test]
    fn debug_is_redacted() {
        let m = MyNumber::parse(b"123456789018").unwrap();
        assert_eq!(format!("{m:?}"), "MyNumber(<redacted>)");
    }
}
