//! Personal data of a qualification record: zeroized on drop, redacted by `Debug`.
//!
//! Name, kana, address, post code, 記号・番号 and birth date are personal data.
//! They are held in [`PersonalText`] / [`BirthDate`]; reading them is an explicit
//! `expose()` call. With the `serde` feature they serialise as plain strings
//! (JSON is what a hospital system asked for; it is then that system's data).

use super::dates::parse_date;
use crate::date::{CalendarDate, DateError};
use alloc::string::String;
use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A piece of personal text (name, kana, address…). Zeroized on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct PersonalText(String);

impl PersonalText {
    /// Wraps a string.
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The text itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PersonalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonalText(<redacted>)")
    }
}

impl From<&str> for PersonalText {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

/// A birth date. Zeroized on drop; `Debug` redacts it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct BirthDate(CalendarDate);

impl BirthDate {
    /// Wraps a date.
    pub fn new(date: CalendarDate) -> Self {
        Self(date)
    }

    /// Parses `YYYYMMDD`.
    pub fn parse_yyyymmdd(s: &str) -> Result<Self, DateError> {
        parse_date(s).map(Self::new)
    }

    /// The date itself.
    pub fn expose(&self) -> CalendarDate {
        self.0
    }
}

impl fmt::Debug for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BirthDate(<redacted>)")
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::*;

    impl serde::Serialize for PersonalText {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&self.0)
        }
    }

    impl<'de> serde::Deserialize<'de> for PersonalText {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            <String as serde::Deserialize>::deserialize(d).map(Self)
        }
    }

    impl serde::Serialize for BirthDate {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serde::Serialize::serialize(&self.expose(), s)
        }
    }

    impl<'de> serde::Deserialize<'de> for BirthDate {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            <CalendarDate as serde::Deserialize>::deserialize(d).map(Self::new)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let n = PersonalText::new("試験患者");
        assert_eq!(format!("{n:?}"), "PersonalText(<redacted>)");
        assert_eq!(n.expose(), "試験患者");
        let b = BirthDate::parse_yyyymmdd("20000101").unwrap();
        assert_eq!(format!("{b:?}"), "BirthDate(<redacted>)");
        assert_eq!(b.expose(), CalendarDate::new(2000, 1, 1).unwrap());
    }
}
