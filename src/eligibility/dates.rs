//! Dates (`YYYYMMDD`) and times (`YYYYMMDDHHMMSS`) of the terminal's files.
//!
//! Dates are the crate's one calendar, [`CalendarDate`]; this module adds the
//! file's date-time and the conversions from the PKI's [`UnixTime`]. No clock
//! is read here. With the `serde` feature a [`DateTime`] is
//! `"YYYY-MM-DDTHH:MM:SS"` (local Japan time, as in the file).

use super::error::ValueError;
use crate::date::{CalendarDate, DateError};
use crate::date::{JST_OFFSET_SECS, UnixTime};
use alloc::string::String;
use core::fmt;

/// Parses a file's `YYYYMMDD`.
pub(crate) fn parse_date(s: &str) -> Result<CalendarDate, DateError> {
    CalendarDate::parse_yyyymmdd(s.as_bytes())
}

/// A date as the file writes it (`YYYYMMDD`).
pub(crate) fn yyyymmdd(d: &CalendarDate) -> String {
    d.yyyymmdd().iter().map(|&b| char::from(b)).collect()
}

/// Age in whole years on `on` of someone born on `birth` (0 before birth).
pub(crate) fn age_on(birth: &CalendarDate, on: CalendarDate) -> u16 {
    let years = on.year().saturating_sub(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years.saturating_sub(1)
    } else {
        years
    }
}

/// A date and time of day (seconds precision), Japan time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    date: CalendarDate,
    hour: u8,
    minute: u8,
    second: u8,
}

impl DateTime {
    /// A checked date and time.
    pub fn new(date: CalendarDate, hour: u8, minute: u8, second: u8) -> Result<Self, ValueError> {
        let position = match (hour, minute, second) {
            (24.., _, _) => 9,
            (_, 60.., _) => 11,
            (_, _, 60..) => 13,
            _ => {
                return Ok(Self {
                    date,
                    hour,
                    minute,
                    second,
                });
            }
        };
        Err(ValueError::Time { position })
    }

    /// Parses `YYYYMMDDHHMMSS`.
    pub fn parse_compact(s: &str) -> Result<Self, ValueError> {
        let b = s.as_bytes();
        if let Some(i) = b.iter().position(|c| !c.is_ascii_digit()) {
            return Err(ValueError::Date(DateError::NotDigit { position: i + 1 }));
        }
        if b.len() != 14 {
            return Err(ValueError::Date(DateError::Length {
                expected: 14,
                found: b.len(),
            }));
        }
        let two = |i: usize| -> u8 {
            let hi = b.get(i).map_or(0, |c| c - b'0');
            let lo = b.get(i + 1).map_or(0, |c| c - b'0');
            hi * 10 + lo
        };
        let date = CalendarDate::parse_yyyymmdd(b.get(..8).unwrap_or_default())?;
        Self::new(date, two(8), two(10), two(12))
    }

    /// Japan time of a Unix time (the PKI's clock type).
    pub fn from_unix_time_jst(time: UnixTime) -> Result<Self, DateError> {
        let date = CalendarDate::from_unix_time_jst(time)?;
        let secs = (time.as_secs() + JST_OFFSET_SECS) % 86_400;
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        // Always in range: h < 24, m < 60, s < 60.
        Ok(Self {
            date,
            hour: u8::try_from(h).unwrap_or(0),
            minute: u8::try_from(m).unwrap_or(0),
            second: u8::try_from(s).unwrap_or(0),
        })
    }

    /// Midnight (Japan time) at the start of `date`.
    pub fn start_of(date: CalendarDate) -> Self {
        Self {
            date,
            hour: 0,
            minute: 0,
            second: 0,
        }
    }

    /// `YYYYMMDDHHMMSS`.
    pub fn to_compact(&self) -> String {
        format!(
            "{}{:02}{:02}{:02}",
            yyyymmdd(&self.date),
            self.hour,
            self.minute,
            self.second
        )
    }

    /// The date.
    pub fn date(&self) -> CalendarDate {
        self.date
    }

    /// Hour (0–23).
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// Minute.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// Second.
    pub fn second(&self) -> u8 {
        self.second
    }
}

impl From<CalendarDate> for DateTime {
    fn from(date: CalendarDate) -> Self {
        Self::start_of(date)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::*;

    impl serde::Serialize for DateTime {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> serde::Deserialize<'de> for DateTime {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = <String as serde::Deserialize>::deserialize(d)?;
            let compact: String = s.chars().filter(char::is_ascii_digit).collect();
            if compact.len() + 5 != s.len() {
                return Err(serde::de::Error::custom("expected YYYY-MM-DDTHH:MM:SS"));
            }
            DateTime::parse_compact(&compact).map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn dates_and_ages() {
        let d = parse_date("20240131").unwrap();
        assert_eq!(yyyymmdd(&d), "20240131");
        let b = CalendarDate::new(2000, 1, 1).unwrap();
        assert_eq!(age_on(&b, CalendarDate::new(2025, 12, 31).unwrap()), 25);
        assert_eq!(age_on(&b, CalendarDate::new(2025, 1, 1).unwrap()), 25);
        let march = CalendarDate::new(2000, 3, 2).unwrap();
        assert_eq!(age_on(&march, CalendarDate::new(2025, 3, 1).unwrap()), 24);
    }

    #[test]
    fn times() {
        let t = DateTime::parse_compact("20250115093005").unwrap();
        assert_eq!(t.to_string(), "2025-01-15T09:30:05");
        assert_eq!(t.to_compact(), "20250115093005");
        assert_eq!(
            DateTime::parse_compact("20250115246000"),
            Err(ValueError::Time { position: 9 })
        );
        // 2026-01-15T00:30:05Z is 09:30:05 in Japan.
        let u = UnixTime::from_secs(1_768_437_005);
        assert_eq!(
            DateTime::from_unix_time_jst(u).unwrap().to_compact(),
            "20260115093005"
        );
        assert_eq!(
            DateTime::from(CalendarDate::new(2026, 1, 15).unwrap()).to_compact(),
            "20260115000000"
        );
    }
}
