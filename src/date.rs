//! The crate's one calendar: a validated Gregorian [`CalendarDate`], the Japanese
//! [`Era`]s, and one [`DateError`].
//!
//! Every date the crate reads — a birth date or expiry on the card, a birth date
//! in a signature certificate, a date in an eligibility file — is a
//! [`CalendarDate`]: `YYYYMMDD` in and out ([`CalendarDate::parse_yyyymmdd`],
//! [`CalendarDate::yyyymmdd`]), ISO 8601 `YYYY-MM-DD` for people and JSON
//! ([`Display`](core::fmt::Display), and with the `serde` feature), and
//! conversions to and from the PKI's [`UnixTime`].
//!
//! Era boundaries (first day of each era, Gregorian): 明治 from 1873-01-01 (the day
//! Japan adopted the Gregorian calendar, 明治6年; earlier dates have no era here),
//! 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
//!
//! Errors name the 1-based position of what is wrong in the input, never the
//! value: a birth date must not end up in a log line.
//!
//! ```
//! use mynacard::date::{CalendarDate, Era};
//! let d = CalendarDate::parse_yyyymmdd(b"19890107")?;
//! assert_eq!(d.to_string(), "1989-01-07");
//! let j = d.to_japanese()?;
//! assert_eq!((j.era, j.year), (Era::Showa, 64));
//! assert_eq!(&d.yyyymmdd(), b"19890107");
//! # Ok::<(), mynacard::date::DateError>(())
//! ```

#[cfg(feature = "serde")]
use alloc::string::String;
use core::fmt;

use der::DateTime;
use zeroize::Zeroize;

/// Why a date is not accepted. Positions are 1-based, in the input string (or, for
/// dates given as numbers, in the `YYYYMMDD` layout: year 1, month 5, day 7).
/// No variant carries the date's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not the expected number of characters.
    #[error("expected {expected} characters, found {found}")]
    Length {
        /// Characters expected (8 for `YYYYMMDD`, 10 for `YYYY-MM-DD`).
        expected: usize,
        /// Characters found.
        found: usize,
    },
    /// A character that is not an ASCII digit (or not the `-` separator).
    #[error("character {position} is not a digit")]
    NotDigit {
        /// 1-based position.
        position: usize,
    },
    /// A year outside 1–9999.
    #[error("the year at position {position} is out of range")]
    Year {
        /// 1-based position of the year.
        position: usize,
    },
    /// A month outside 1–12.
    #[error("the month at position {position} does not exist")]
    Month {
        /// 1-based position of the month.
        position: usize,
    },
    /// A day outside its month.
    #[error("the day at position {position} does not exist in its month")]
    Day {
        /// 1-based position of the day.
        position: usize,
    },
    /// An era digit that names no era.
    #[error("the era digit at position {position} names no era")]
    EraDigit {
        /// 1-based position of the digit.
        position: usize,
    },
    /// Before 1873-01-01, when Japan adopted the Gregorian calendar: no era date.
    #[error("date before 1873-01-01 (Gregorian calendar adoption in Japan)")]
    BeforeGregorianAdoption,
    /// Before 1970-01-01: not representable as a [`UnixTime`].
    #[error("date before 1970-01-01 has no Unix time")]
    BeforeUnixEpoch,
}

impl DateError {
    /// A stable machine-readable code, e.g. `"date.day"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length { .. } => "date.length",
            Self::NotDigit { .. } => "date.not_digit",
            Self::Year { .. } => "date.year",
            Self::Month { .. } => "date.month",
            Self::Day { .. } => "date.day",
            Self::EraDigit { .. } => "date.era_digit",
            Self::BeforeGregorianAdoption => "date.before_gregorian_adoption",
            Self::BeforeUnixEpoch => "date.before_unix_epoch",
        }
    }
}

mod unix_time;

pub use unix_time::UnixTime;

/// Whether `year` is a Gregorian leap year.
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A validated Gregorian calendar date, year 1–9999.
///
/// Zeroizable (birth dates are personal); `Debug` and `Display` print ISO 8601
/// `YYYY-MM-DD` — types that hold a personal date redact it in their own `Debug`.
/// With the `serde` feature it is the JSON string `"YYYY-MM-DD"`.
#[derive(Zeroize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Positions of the fields in `YYYYMMDD` and in `YYYY-MM-DD`.
const COMPACT: [usize; 3] = [1, 5, 7];
const ISO: [usize; 3] = [1, 6, 9];

impl CalendarDate {
    /// A validated date.
    pub const fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        Self::checked(year, month, day, COMPACT)
    }

    const fn checked(year: u16, month: u8, day: u8, at: [usize; 3]) -> Result<Self, DateError> {
        if year == 0 || year > 9999 {
            return Err(DateError::Year { position: at[0] });
        }
        if month == 0 || month > 12 {
            return Err(DateError::Month { position: at[1] });
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Day { position: at[2] });
        }
        Ok(Self { year, month, day })
    }

    /// Parses 8 ASCII digits `YYYYMMDD` (the card's and the files' format).
    pub fn parse_yyyymmdd(s: &[u8]) -> Result<Self, DateError> {
        if let Some(i) = s.iter().position(|c| !c.is_ascii_digit()) {
            return Err(DateError::NotDigit { position: i + 1 });
        }
        if s.len() != 8 {
            return Err(DateError::Length {
                expected: 8,
                found: s.len(),
            });
        }
        Self::checked(
            number(&s[0..4]),
            number(&s[4..6]) as u8,
            number(&s[6..8]) as u8,
            COMPACT,
        )
    }

    /// Parses ISO 8601 `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        for (i, c) in b.iter().enumerate().take(10) {
            let ok = if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            };
            if !ok {
                return Err(DateError::NotDigit { position: i + 1 });
            }
        }
        if b.len() != 10 {
            return Err(DateError::Length {
                expected: 10,
                found: s.chars().count(),
            });
        }
        Self::checked(
            number(&b[0..4]),
            number(&b[5..7]) as u8,
            number(&b[8..10]) as u8,
            ISO,
        )
    }

    /// Year (1–9999).
    pub const fn year(&self) -> u16 {
        self.year
    }
    /// Month 1–12.
    pub const fn month(&self) -> u8 {
        self.month
    }
    /// Day of month.
    pub const fn day(&self) -> u8 {
        self.day
    }

    /// The date as 8 ASCII digits `YYYYMMDD`.
    pub fn yyyymmdd(&self) -> [u8; 8] {
        let mut out = [0u8; 8];
        let digits = |n: u16, out: &mut [u8]| {
            let mut n = n;
            for c in out.iter_mut().rev() {
                *c = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        digits(self.year, &mut out[0..4]);
        digits(u16::from(self.month), &mut out[4..6]);
        digits(u16::from(self.day), &mut out[6..8]);
        out
    }

    /// The era this date falls in, if any (none before 1873-01-01).
    pub fn era(&self) -> Option<Era> {
        Era::ALL.into_iter().rev().find(|e| *self >= e.first_day())
    }

    /// The date in the Japanese era calendar.
    pub fn to_japanese(&self) -> Result<JapaneseDate, DateError> {
        let era = self.era().ok_or(DateError::BeforeGregorianAdoption)?;
        Ok(JapaneseDate {
            era,
            year: (self.year - era.first_gregorian_year() + 1) as u8,
            month: self.month,
            day: self.day,
        })
    }

    /// The calendar date (UTC) of a point in time.
    pub fn from_unix_time_utc(time: UnixTime) -> Result<Self, DateError> {
        let dt = DateTime::from_unix_duration(core::time::Duration::from_secs(time.as_secs()))
            .map_err(|_| DateError::Year { position: 1 })?;
        Self::new(dt.year(), dt.month(), dt.day())
    }

    /// The calendar date in Japan (JST, UTC+9, no daylight saving) of a point in
    /// time: the date a reception desk, a card's expiry and an eligibility file
    /// mean.
    pub fn from_unix_time_jst(time: UnixTime) -> Result<Self, DateError> {
        Self::from_unix_time_utc(time.saturating_add_secs(JST_OFFSET_SECS))
    }

    /// 00:00:00 UTC of this date.
    pub fn start_of_day_utc(&self) -> Result<UnixTime, DateError> {
        if self.year < 1970 {
            return Err(DateError::BeforeUnixEpoch);
        }
        DateTime::new(self.year, self.month, self.day, 0, 0, 0)
            .map(UnixTime::from)
            .map_err(|_| DateError::Year { position: 1 })
    }

    /// 00:00:00 JST (UTC+9) of this date, i.e. 15:00 UTC the day before.
    pub fn start_of_day_jst(&self) -> Result<UnixTime, DateError> {
        let utc = self.start_of_day_utc()?;
        utc.as_secs()
            .checked_sub(JST_OFFSET_SECS)
            .map(UnixTime::from_secs)
            .ok_or(DateError::BeforeUnixEpoch)
    }
}

/// Japan Standard Time's offset from UTC, in seconds (UTC+9, no daylight saving).
pub const JST_OFFSET_SECS: u64 = 9 * 3600;

fn number(b: &[u8]) -> u16 {
    b.iter()
        .fold(0u16, |a, &c| a * 10 + u16::from(c.wrapping_sub(b'0')))
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl core::str::FromStr for CalendarDate {
    type Err = DateError;

    /// `YYYY-MM-DD` or `YYYYMMDD`.
    fn from_str(s: &str) -> Result<Self, DateError> {
        if s.as_bytes().get(4) == Some(&b'-') {
            Self::parse_iso(s)
        } else {
            Self::parse_yyyymmdd(s.as_bytes())
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CalendarDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for CalendarDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = zeroize::Zeroizing::new(String::deserialize(deserializer)?);
        Self::parse_iso(&s).map_err(serde::de::Error::custom)
    }
}

/// A Japanese era (from 明治, when Japan adopted the Gregorian calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Era {
    /// 明治 (1868–1912; dates from 1873-01-01).
    Meiji,
    /// 大正 (1912-07-30 – 1926-12-24).
    Taisho,
    /// 昭和 (1926-12-25 – 1989-01-07).
    Showa,
    /// 平成 (1989-01-08 – 2019-04-30).
    Heisei,
    /// 令和 (from 2019-05-01).
    Reiwa,
}

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// The era's name in kanji.
    pub const fn kanji(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The first Gregorian date of the era in this calendar (明治: 1873-01-01,
    /// the adoption of the Gregorian calendar).
    pub const fn first_day(self) -> CalendarDate {
        let (year, month, day) = match self {
            Era::Meiji => (1873, 1, 1),
            Era::Taisho => (1912, 7, 30),
            Era::Showa => (1926, 12, 25),
            Era::Heisei => (1989, 1, 8),
            Era::Reiwa => (2019, 5, 1),
        };
        CalendarDate { year, month, day }
    }

    /// The Gregorian year of the era's first year (元年).
    pub const fn first_gregorian_year(self) -> u16 {
        match self {
            Era::Meiji => 1868,
            Era::Taisho => 1912,
            Era::Showa => 1926,
            Era::Heisei => 1989,
            Era::Reiwa => 2019,
        }
    }

    /// The era digit of the JPKI signature certificate's birth date
    /// (`1` 明治 … `5` 令和; `0` means "unknown" and is no era).
    pub const fn digit(self) -> u8 {
        match self {
            Era::Meiji => b'1',
            Era::Taisho => b'2',
            Era::Showa => b'3',
            Era::Heisei => b'4',
            Era::Reiwa => b'5',
        }
    }

    /// The era of a certificate era digit (`b'1'`–`b'5'`); `None` for `b'0'`
    /// (unknown) and anything else.
    pub const fn from_digit(digit: u8) -> Option<Self> {
        match digit {
            b'1' => Some(Era::Meiji),
            b'2' => Some(Era::Taisho),
            b'3' => Some(Era::Showa),
            b'4' => Some(Era::Heisei),
            b'5' => Some(Era::Reiwa),
            _ => None,
        }
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

/// A date in the Japanese era calendar (year 1 = 元年).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JapaneseDate {
    /// The era.
    pub era: Era,
    /// Year of the era, 1 = 元年.
    pub year: u8,
    /// Month 1–12.
    pub month: u8,
    /// Day of month.
    pub day: u8,
}

impl JapaneseDate {
    /// `YYMMDD` as 6 ASCII digits (the era is not encoded, as on the card face).
    pub fn yymmdd(&self) -> [u8; 6] {
        let d = |n: u8| [b'0' + n / 10 % 10, b'0' + n % 10];
        let [y0, y1] = d(self.year);
        let [m0, m1] = d(self.month);
        let [d0, d1] = d(self.day);
        [y0, y1, m0, m1, d0, d1]
    }
}

impl fmt::Display for JapaneseDate {
    /// `令和元年5月1日` style.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.era.kanji())?;
        if self.year == 1 {
            f.write_str("元")?;
        } else {
            write!(f, "{}", self.year)?;
        }
        write!(f, "年{}月{}日", self.month, self.day)
    }
}

#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(DateError);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn jp(y: u16, m: u8, d: u8) -> (Era, u8) {
        let j = CalendarDate::new(y, m, d).unwrap().to_japanese().unwrap();
        (j.era, j.year)
    }

    #[test]
    fn era_boundaries_are_exact() {
        assert_eq!(jp(2019, 4, 30), (Era::Heisei, 31));
        assert_eq!(jp(2019, 5, 1), (Era::Reiwa, 1));
        assert_eq!(jp(1989, 1, 7), (Era::Showa, 64));
        assert_eq!(jp(1989, 1, 8), (Era::Heisei, 1));
        assert_eq!(jp(1926, 12, 24), (Era::Taisho, 15));
        assert_eq!(jp(1926, 12, 25), (Era::Showa, 1));
        assert_eq!(jp(1912, 7, 29), (Era::Meiji, 45));
        assert_eq!(jp(1912, 7, 30), (Era::Taisho, 1));
        assert_eq!(jp(1873, 1, 1), (Era::Meiji, 6));
        assert_eq!(
            CalendarDate::new(1872, 12, 31).unwrap().to_japanese(),
            Err(DateError::BeforeGregorianAdoption)
        );
        let reiwa1 = CalendarDate::new(2019, 5, 1)
            .unwrap()
            .to_japanese()
            .unwrap();
        assert_eq!(reiwa1.to_string(), "令和元年5月1日");
    }

    #[test]
    fn era_digits_round_trip() {
        for era in Era::ALL {
            assert_eq!(Era::from_digit(era.digit()), Some(era));
        }
        assert_eq!(Era::from_digit(b'0'), None);
        assert_eq!(Era::from_digit(b'6'), None);
        assert_eq!(Era::Showa.to_string(), "昭和");
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(CalendarDate::new(2024, 2, 29).is_ok());
        assert!(CalendarDate::new(2000, 2, 29).is_ok());
        assert_eq!(
            CalendarDate::new(2023, 2, 29),
            Err(DateError::Day { position: 7 })
        );
        assert_eq!(
            CalendarDate::new(1900, 2, 29),
            Err(DateError::Day { position: 7 })
        );
        assert_eq!(
            CalendarDate::new(2024, 13, 1),
            Err(DateError::Month { position: 5 })
        );
        assert_eq!(
            CalendarDate::new(0, 1, 1),
            Err(DateError::Year { position: 1 })
        );
    }

    #[test]
    fn errors_name_positions_never_values() {
        let e = CalendarDate::parse_yyyymmdd(b"19450231").unwrap_err();
        assert_eq!(e, DateError::Day { position: 7 });
        let text = e.to_string();
        assert!(!text.contains("1945") && !text.contains("31"), "{text}");
        assert_eq!(
            CalendarDate::parse_yyyymmdd(b"1990041"),
            Err(DateError::Length {
                expected: 8,
                found: 7
            })
        );
        assert_eq!(
            CalendarDate::parse_yyyymmdd(b"1990-4-1"),
            Err(DateError::NotDigit { position: 5 })
        );
        assert_eq!(
            CalendarDate::parse_iso("1990-04-31"),
            Err(DateError::Day { position: 9 })
        );
        assert_eq!(
            CalendarDate::parse_iso("1990/04/01"),
            Err(DateError::NotDigit { position: 5 })
        );
        assert_eq!(e.code(), "date.day");
    }

    #[test]
    fn yyyymmdd_and_iso_round_trip() {
        let d = CalendarDate::parse_yyyymmdd(b"19900401").unwrap();
        assert_eq!(&d.yyyymmdd(), b"19900401");
        assert_eq!(d.to_string(), "1990-04-01");
        assert_eq!("1990-04-01".parse::<CalendarDate>(), Ok(d));
        assert_eq!("19900401".parse::<CalendarDate>(), Ok(d));
        assert_eq!(&CalendarDate::new(1, 2, 3).unwrap().yyyymmdd(), b"00010203");
    }

    #[test]
    fn unix_time_conversions_use_japan_time_where_asked() {
        // 2026-06-01T00:00:00Z is 09:00 JST the same day.
        let t = UnixTime::from_secs(1_780_272_000);
        let d = CalendarDate::new(2026, 6, 1).unwrap();
        assert_eq!(CalendarDate::from_unix_time_utc(t), Ok(d));
        assert_eq!(d.start_of_day_utc(), Ok(t));
        // 15:00 UTC on 2026-05-31 is midnight JST on 2026-06-01.
        let jst_midnight = UnixTime::from_secs(1_780_272_000 - 9 * 3600);
        assert_eq!(d.start_of_day_jst(), Ok(jst_midnight));
        assert_eq!(CalendarDate::from_unix_time_jst(jst_midnight), Ok(d));
        assert_eq!(
            CalendarDate::from_unix_time_utc(jst_midnight),
            CalendarDate::new(2026, 5, 31)
        );
        assert_eq!(
            CalendarDate::new(1969, 12, 31).unwrap().start_of_day_utc(),
            Err(DateError::BeforeUnixEpoch)
        );
        assert_eq!(
            CalendarDate::new(1970, 1, 1).unwrap().start_of_day_jst(),
            Err(DateError::BeforeUnixEpoch)
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_is_iso_8601() {
        let d = CalendarDate::new(1989, 1, 7).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"1989-01-07\"");
        assert_eq!(
            serde_json::from_str::<CalendarDate>("\"1989-01-07\"").unwrap(),
            d
        );
        assert!(serde_json::from_str::<CalendarDate>("\"1989-02-30\"").is_err());
    }
}
