//! Points in time for validity checks. The library never reads a clock: callers pass the time.

use der::DateTime;
use x509_cert::time::Time;

/// Seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds), the time argument of every
/// validity, staleness and revocation check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The time `secs` seconds after the Unix epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// The time `secs` seconds later, saturating at the end of representable time.
    pub const fn saturating_add_secs(self, secs: u64) -> Self {
        Self(self.0.saturating_add(secs))
    }

    /// The same wall-clock time `months` calendar months later (the day clamped to the end of a
    /// shorter month: 2026-01-31 + 1 month = 2026-02-28). `None` past year 9999.
    pub fn add_calendar_months(self, months: u8) -> Option<Self> {
        let dt = DateTime::from_unix_duration(core::time::Duration::from_secs(self.0)).ok()?;
        let total = u32::from(dt.month()) - 1 + u32::from(months);
        let year = dt.year().checked_add(u16::try_from(total / 12).ok()?)?;
        let month = u8::try_from(total % 12 + 1).ok()?;
        let day = dt.day().min(super::days_in_month(year, month));
        DateTime::new(year, month, day, dt.hour(), dt.minutes(), dt.seconds())
            .ok()
            .map(Self::from)
    }

    /// The current system time; a convenience for applications (library logic never calls it).
    #[cfg(feature = "std")]
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self(secs)
    }
}

impl From<DateTime> for UnixTime {
    fn from(dt: DateTime) -> Self {
        Self(dt.unix_duration().as_secs())
    }
}

impl From<Time> for UnixTime {
    fn from(t: Time) -> Self {
        Self(t.to_unix_duration().as_secs())
    }
}

impl core::fmt::Display for UnixTime {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match DateTime::from_unix_duration(core::time::Duration::from_secs(self.0)) {
            Ok(dt) => write!(f, "{dt}"),
            Err(_) => write!(f, "@{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn converts_from_der_date_time_and_displays_rfc3339() {
        let dt = DateTime::new(2026, 6, 1, 0, 0, 0).expect("valid date");
        let t = UnixTime::from(dt);
        assert_eq!(t.as_secs(), 1_780_272_000);
        assert_eq!(t.to_string(), "2026-06-01T00:00:00Z");
        assert_eq!(t.saturating_add_secs(u64::MAX).as_secs(), u64::MAX);
        let end_jan = UnixTime::from(DateTime::new(2026, 1, 31, 14, 59, 59).expect("date"));
        assert_eq!(
            end_jan.add_calendar_months(1).map(|t| t.to_string()),
            Some("2026-02-28T14:59:59Z".into())
        );
        assert_eq!(
            end_jan.add_calendar_months(13).map(|t| t.to_string()),
            Some("2027-02-28T14:59:59Z".into())
        );
        let apr = UnixTime::from(DateTime::new(2026, 4, 15, 14, 59, 59).expect("date"));
        assert_eq!(
            apr.add_calendar_months(3).map(|t| t.to_string()),
            Some("2026-07-15T14:59:59Z".into())
        );
    }
}
