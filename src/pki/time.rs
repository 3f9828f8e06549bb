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

    /// The current system time; a convenience for applications (library logic never calls it).
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

impl std::fmt::Display for UnixTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match DateTime::from_unix_duration(std::time::Duration::from_secs(self.0)) {
            Ok(dt) => write!(f, "{dt}"),
            Err(_) => write!(f, "@{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_from_der_date_time_and_displays_rfc3339() {
        let dt = DateTime::new(2026, 6, 1, 0, 0, 0).expect("valid date");
        let t = UnixTime::from(dt);
        assert_eq!(t.as_secs(), 1_780_272_000);
        assert_eq!(t.to_string(), "2026-06-01T00:00:00Z");
        assert_eq!(t.saturating_add_secs(u64::MAX).as_secs(), u64::MAX);
    }
}
