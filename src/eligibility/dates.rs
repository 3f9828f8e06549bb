//! Dates (`YYYYMMDD`) and times (`YYYYMMDDHHMMSS`) of the terminal's files.
//!
//! No clock is read here: these are values carried by files. With the `serde`
//! feature a [`Date`] is a JSON string `"YYYY-MM-DD"` and a [`DateTime`]
//! `"YYYY-MM-DDTHH:MM:SS"` (local Japan time, as in the file).

use core::fmt;

/// Why a string is not a date or time of the expected format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Wrong number of characters.
    #[error("expected {expected} digits, got {found} characters")]
    Length {
        /// Digits expected (8 or 14).
        expected: usize,
        /// Characters found.
        found: usize,
    },
    /// A character that is not an ASCII digit (1-based position).
    #[error("character {0} is not a digit")]
    NotDigit(usize),
    /// Year over 9999 (files write 4 digits).
    #[error("year {0} has more than 4 digits")]
    Year(u16),
    /// Month outside 1–12.
    #[error("month {0} does not exist")]
    Month(u8),
    /// Day outside the month.
    #[error("day {day} does not exist in {year:04}-{month:02}")]
    Day {
        /// Year.
        year: u16,
        /// Month.
        month: u8,
        /// Day found.
        day: u8,
    },
    /// Hour, minute or second out of range.
    #[error("time {hour:02}:{minute:02}:{second:02} does not exist")]
    Time {
        /// Hour.
        hour: u8,
        /// Minute.
        minute: u8,
        /// Second.
        second: u8,
    },
}

fn digits(s: &str, n: usize) -> Result<&[u8], DateError> {
    let b = s.as_bytes();
    if let Some(i) = s.chars().position(|c| !c.is_ascii_digit()) {
        return Err(DateError::NotDigit(i + 1));
    }
    if b.len() != n {
        return Err(DateError::Length {
            expected: n,
            found: b.len(),
        });
    }
    Ok(b)
}

fn num(b: &[u8]) -> u16 {
    b.iter().fold(0u16, |a, &c| {
        a.wrapping_mul(10).wrapping_add(u16::from(c - b'0'))
    })
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// 0001-01-01, the smallest date.
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// A checked date.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if year > 9999 {
            return Err(DateError::Year(year));
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let last = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day == 0 || day > last {
            return Err(DateError::Day { year, month, day });
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYYMMDD`.
    ///
    /// ```
    /// use mynacard::eligibility::Date;
    /// let d = Date::parse_yyyymmdd("20000229").unwrap();
    /// assert_eq!((d.year(), d.month(), d.day()), (2000, 2, 29));
    /// assert!(Date::parse_yyyymmdd("20010229").is_err());
    /// ```
    pub fn parse_yyyymmdd(s: &str) -> Result<Self, DateError> {
        let b = digits(s, 8)?;
        Self::new(num(&b[..4]), num(&b[4..6]) as u8, num(&b[6..8]) as u8)
    }

    /// `YYYYMMDD`.
    pub fn to_yyyymmdd(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// Year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// Month (1–12).
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Day of month.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Full years of age on `on` for someone born on `self` (0 if `on` is
    /// before `self`).
    pub fn age_on(&self, on: Date) -> u16 {
        let had_birthday = (on.month, on.day) >= (self.month, self.day);
        on.year
            .saturating_sub(self.year)
            .saturating_sub(u16::from(!had_birthday))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date and time of day (seconds precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
}

impl DateTime {
    /// A checked date and time.
    pub fn new(date: Date, hour: u8, minute: u8, second: u8) -> Result<Self, DateError> {
        if hour > 23 || minute > 59 || second > 59 {
            return Err(DateError::Time {
                hour,
                minute,
                second,
            });
        }
        Ok(Self {
            date,
            hour,
            minute,
            second,
        })
    }

    /// Parses `YYYYMMDDHHMMSS`.
    pub fn parse_compact(s: &str) -> Result<Self, DateError> {
        let b = digits(s, 14)?;
        let date = Date::new(num(&b[..4]), num(&b[4..6]) as u8, num(&b[6..8]) as u8)?;
        Self::new(
            date,
            num(&b[8..10]) as u8,
            num(&b[10..12]) as u8,
            num(&b[12..14]) as u8,
        )
    }

    /// `YYYYMMDDHHMMSS`.
    pub fn to_compact(&self) -> String {
        format!(
            "{}{:02}{:02}{:02}",
            self.date.to_yyyymmdd(),
            self.hour,
            self.minute,
            self.second
        )
    }

    /// The date.
    pub fn date(&self) -> Date {
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

    impl serde::Serialize for Date {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> serde::Deserialize<'de> for Date {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = <String as serde::Deserialize>::deserialize(d)?;
            Date::parse_yyyymmdd(&s.replace('-', "")).map_err(serde::de::Error::custom)
        }
    }

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

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse_yyyymmdd("20240131").unwrap().to_yyyymmdd(),
            "20240131"
        );
        assert_eq!(Date::parse_yyyymmdd("20241301"), Err(DateError::Month(13)));
        assert_eq!(Date::new(10_000, 1, 1), Err(DateError::Year(10_000)));
        assert_eq!(
            Date::parse_yyyymmdd("19000229"),
            Err(DateError::Day {
                year: 1900,
                month: 2,
                day: 29
            })
        );
        assert_eq!(
            Date::parse_yyyymmdd("2024-1-1"),
            Err(DateError::NotDigit(5))
        );
        assert_eq!(
            Date::parse_yyyymmdd("2024011"),
            Err(DateError::Length {
                expected: 8,
                found: 7
            })
        );
        let b = Date::new(2000, 1, 1).unwrap();
        assert_eq!(b.age_on(Date::new(2025, 12, 31).unwrap()), 25);
        assert_eq!(b.age_on(Date::new(2025, 1, 1).unwrap()), 25);
        assert_eq!(
            Date::new(2000, 3, 2)
                .unwrap()
                .age_on(Date::new(2025, 3, 1).unwrap()),
            24
        );
    }

    #[test]
    fn times() {
        let t = DateTime::parse_compact("20250115093005").unwrap();
        assert_eq!(t.to_string(), "2025-01-15T09:30:05");
        assert_eq!(t.to_compact(), "20250115093005");
        assert_eq!(
            DateTime::parse_compact("20250115246000"),
            Err(DateError::Time {
                hour: 24,
                minute: 60,
                second: 0
            })
        );
    }
}
