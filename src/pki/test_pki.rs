//! Facts about the TEST-ONLY PKI committed in `crates/mynacard-virtual-card/data/pki/` (made by
//! `tests/it/common/gen_test_pki.rs`). Nothing here is trusted in production: the TEST anchors
//! are only reachable through an explicitly named test constructor.

use super::UnixTime;

/// The reference time of the tests: 2026-06-01T00:00:00Z.
///
/// At this time, in the TEST PKI: `valid` holders' certificates are within validity
/// (2024-04-01 → 2030-03-31); `expired` ones ended 2024-08-01; `expired_recent` ones ended
/// 2026-04-15 (inside a 3-month grace period); the CRLs (`*_ca.crl.der`, 2026-01-01 → 2036-01-01)
/// are fresh and the `*_ca.crl.stale.der` variants (nextUpdate 2025-01-02) are stale.
pub const REFERENCE_TIME: UnixTime = UnixTime::from_secs(1_780_272_000);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn reference_time_is_2026_06_01_utc() {
        assert_eq!(REFERENCE_TIME.to_string(), "2026-06-01T00:00:00Z");
    }
}
