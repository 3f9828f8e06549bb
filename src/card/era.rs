//! Gregorian dates, the Japanese era (和暦) calendar, and the two secrets built
//! from the birth date: 照合番号B and the 券面事項確認AP birth-date key.
//!
//! Era boundaries (first day of each era, Gregorian): 明治 from 1873-01-01 (the day
//! Japan adopted the Gregorian calendar, 明治6年; earlier dates are refused),
//! 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.

use core::fmt;

use super::pin::{BirthDateKey, PinFormatError, VerificationNumberB};

/// Why a date is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not 8 ASCII digits `YYYYMMDD`.
    #[error("date must be 8 digits YYYYMMDD")]
    Format,
    /// Month outside 1–12 or day outside the month.
    #[error("no such calendar date")]
    NoSuchDate,
    /// Before 1873-01-01, when Japan adopted the Gregorian calendar.
    #[error("date before 1873-01-01 (Gregorian calendar adoption in Japan)")]
    BeforeGregorianAdoption,
    /// A year outside 1000–9999 where four digits are needed.
    #[error("year must have four digits")]
    Year,
    /// The security code is not 4 digits.
    #[error("security code must be 4 digits")]
    SecurityCode,
}

/// A Gregorian calendar date (validated).
#[derive(zeroize::Zeroize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl CalendarDate {
    /// A validated date.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDate);
        }
        Ok(Self { year, month, day })
    }

    /// Parses 8 ASCII digits `YYYYMMDD` (the card's format).
    pub fn parse_yyyymmdd(s: &[u8]) -> Result<Self, DateError> {
        if s.len() != 8 || !s.iter().all(u8::is_ascii_digit) {
            return Err(DateError::Format);
        }
        let n = |r: core::ops::Range<usize>| {
            s.get(r)
                .unwrap_or_default()
                .iter()
                .fold(0u16, |a, &c| a * 10 + u16::from(c - b'0'))
        };
        Self::new(n(0..4), n(4..6) as u8, n(6..8) as u8)
    }

    /// Year.
    pub fn year(&self) -> u16 {
        self.year
    }
    /// Month 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// Day of month.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The date in the Japanese era calendar.
    pub fn to_japanese(&self) -> Result<JapaneseDate, DateError> {
        let boundaries = [
            (
                Era::Reiwa,
                Self {
                    year: 2019,
                    month: 5,
                    day: 1,
                },
            ),
            (
                Era::Heisei,
                Self {
                    year: 1989,
                    month: 1,
                    day: 8,
                },
            ),
            (
                Era::Showa,
                Self {
                    year: 1926,
                    month: 12,
                    day: 25,
                },
            ),
            (
                Era::Taisho,
                Self {
                    year: 1912,
                    month: 7,
                    day: 30,
                },
            ),
            (
                Era::Meiji,
                Self {
                    year: 1873,
                    month: 1,
                    day: 1,
                },
            ),
        ];
        for (era, start) in boundaries {
            if *self >= start {
                let first_year = if era == Era::Meiji { 1868 } else { start.year };
                return Ok(JapaneseDate {
                    era,
                    year: (self.year - first_year + 1) as u8,
                    month: self.month,
                    day: self.day,
                });
            }
        }
        Err(DateError::BeforeGregorianAdoption)
    }
}

impl fmt::Debug for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A Japanese era.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Era {
    /// 明治 (1868–1912).
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
    /// The era's name in kanji.
    pub fn kanji(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
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

impl VerificationNumberB {
    /// Builds 照合番号B from the birth date (converted to the era year), the card's
    /// expiry year (Gregorian, 4 digits) and the 4-digit security code printed on
    /// the card face.
    ///
    /// ```
    /// use mynacard::card::era::CalendarDate;
    /// use mynacard::card::pin::VerificationNumberB;
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
            return Err(DateError::Year.into());
        }
        let code = security_code.as_bytes();
        if code.len() != 4 || !code.iter().all(u8::is_ascii_digit) {
            return Err(DateError::SecurityCode.into());
        }
        let mut out = [0u8; 14];
        out[..6].copy_from_slice(&birth.to_japanese()?.yymmdd());
        out[6..10].copy_from_slice(format!("{expiry_year:04}").as_bytes());
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
    }

    #[test]
    fn dates_are_validated() {
        assert_eq!(CalendarDate::new(2023, 2, 29), Err(DateError::NoSuchDate));
        assert!(CalendarDate::new(2024, 2, 29).is_ok());
        assert_eq!(CalendarDate::new(1900, 2, 29), Err(DateError::NoSuchDate));
        assert!(CalendarDate::new(2000, 2, 29).is_ok());
        assert_eq!(CalendarDate::new(2024, 13, 1), Err(DateError::NoSuchDate));
        assert_eq!(
            CalendarDate::parse_yyyymmdd(b"19900401").unwrap(),
            CalendarDate::new(1990, 4, 1).unwrap()
        );
        assert_eq!(
            CalendarDate::parse_yyyymmdd(b"1990041"),
            Err(DateError::Format)
        );
        assert_eq!(
            CalendarDate::parse_yyyymmdd(b"1990-4-1"),
            Err(DateError::Format)
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
            Err(PinFormatError::Date(DateError::SecurityCode))
        );
    }
}
