//! Element text ⇄ typed values shared by the readers.

use super::error::ValueError;

pub(crate) fn parse_amount(s: &str) -> Result<u64, ValueError> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(ValueError::Number {
            expected: "an amount of at most 10 digits",
        });
    }
    Ok(s.bytes().fold(0u64, |a, c| a * 10 + u64::from(c - b'0')))
}
