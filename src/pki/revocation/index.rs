//! A compact, sorted index of revoked serial numbers: 13 bytes per entry.
//!
//! Each serial becomes a 64-bit key: serials of up to 7 bytes (JPKI's are 4) are stored
//! exactly (`length << 56 | value`); longer ones as `0xFF << 56 | 56-bit hash`, where a
//! collision can only make a good certificate look revoked, never the reverse. Keys, dates
//! (`u32` Unix seconds) and reason codes live in three parallel arrays sorted by key; lookup is a
//! binary search.

use std::hash::{Hash, Hasher};

use super::RevocationReason;
use crate::pki::UnixTime;

const NO_REASON: u8 = 0xFF;

/// Sorted revoked-serial index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SerialIndex {
    keys: Vec<u64>,
    dates: Vec<u32>,
    reasons: Vec<u8>,
}

/// The 64-bit key of a serial (magnitude bytes, no sign byte).
pub(crate) fn serial_key(serial: &[u8]) -> u64 {
    let serial = match serial {
        [0, rest @ ..] if !rest.is_empty() => rest,
        s => s,
    };
    if serial.len() <= 7 {
        let value = serial
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        ((serial.len() as u64) << 56) | value
    } else {
        let mut h = std::hash::DefaultHasher::new();
        serial.hash(&mut h);
        (0xFF << 56) | (h.finish() & 0x00FF_FFFF_FFFF_FFFF)
    }
}

/// Builds a [`SerialIndex`].
#[derive(Debug, Default)]
pub(crate) struct SerialIndexBuilder {
    rows: Vec<(u64, u32, u8)>,
}

impl SerialIndexBuilder {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            rows: Vec::with_capacity(n),
        }
    }

    pub(crate) fn push(&mut self, serial: &[u8], date: UnixTime, reason: Option<RevocationReason>) {
        let date = u32::try_from(date.as_secs()).unwrap_or(u32::MAX);
        self.rows.push((
            serial_key(serial),
            date,
            reason.map_or(NO_REASON, RevocationReason::code),
        ));
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn build(mut self) -> SerialIndex {
        // Sort by key, then earliest date first; keep the earliest entry of duplicates.
        self.rows.sort_unstable();
        self.rows.dedup_by_key(|r| r.0);
        let n = self.rows.len();
        let mut idx = SerialIndex {
            keys: Vec::with_capacity(n),
            dates: Vec::with_capacity(n),
            reasons: Vec::with_capacity(n),
        };
        for (k, d, r) in self.rows {
            idx.keys.push(k);
            idx.dates.push(d);
            idx.reasons.push(r);
        }
        idx
    }
}

impl SerialIndex {
    /// Number of revoked serials.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no serial is revoked.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Revocation date and reason of `serial` (magnitude bytes), if listed.
    pub fn lookup(&self, serial: &[u8]) -> Option<(UnixTime, Option<RevocationReason>)> {
        let i = self.keys.binary_search(&serial_key(serial)).ok()?;
        let date = UnixTime::from_secs(u64::from(*self.dates.get(i)?));
        let reason = RevocationReason::from_code(*self.reasons.get(i)?);
        Some((date, reason))
    }

    /// Heap bytes used by the index.
    pub fn heap_bytes(&self) -> usize {
        self.keys.capacity() * 8 + self.dates.capacity() * 4 + self.reasons.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_serials_are_exact_and_leading_zero_is_ignored() {
        assert_eq!(
            serial_key(&[0x07, 0x05, 0xd9, 0x90]),
            (4 << 56) | 0x0705_d990
        );
        assert_eq!(serial_key(&[0x00, 0x80]), serial_key(&[0x80]));
        assert_ne!(serial_key(&[0x01]), serial_key(&[0x00, 0x01, 0x00]));
        assert_eq!(
            serial_key(&[1, 2, 3, 4, 5, 6, 7]),
            (7 << 56) | 0x0001_0203_0405_0607
        );
        assert_eq!(serial_key(&[1; 20]) >> 56, 0xFF);
    }

    #[test]
    fn builds_sorted_and_looks_up() {
        let mut b = SerialIndexBuilder::with_capacity(3);
        b.push(
            &[0x30],
            UnixTime::from_secs(20),
            Some(RevocationReason::CertificateHold),
        );
        b.push(&[0x10], UnixTime::from_secs(10), None);
        b.push(
            &[9; 16],
            UnixTime::from_secs(30),
            Some(RevocationReason::KeyCompromise),
        );
        b.push(
            &[0x10],
            UnixTime::from_secs(40),
            Some(RevocationReason::Superseded),
        );
        let idx = b.build();
        assert_eq!(idx.len(), 3);
        assert_eq!(idx.lookup(&[0x10]), Some((UnixTime::from_secs(10), None)));
        assert_eq!(
            idx.lookup(&[0x30]),
            Some((
                UnixTime::from_secs(20),
                Some(RevocationReason::CertificateHold)
            ))
        );
        assert_eq!(
            idx.lookup(&[9; 16]),
            Some((
                UnixTime::from_secs(30),
                Some(RevocationReason::KeyCompromise)
            ))
        );
        assert_eq!(idx.lookup(&[0x20]), None);
        assert_eq!(idx.heap_bytes(), 3 * 13);
    }
}
