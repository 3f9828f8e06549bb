//! A compact revoked-serial index: ~16.5 bytes per entry, one or two cache lines per lookup
//! (16 bytes per entry and a plain binary search up to 2,048 entries).
//!
//! Each serial becomes a 64-bit key: serials of up to 7 bytes (JPKI's are 4) exactly
//! (`length << 56 | value`), longer ones as `0xFF << 56 | 56-bit hash` (a collision can only
//! make a good certificate look revoked, never the reverse). The key is scrambled by a
//! bijective mixer; records `(mixed key, date, reason)` are sorted by mixed key, and a table of
//! bucket offsets indexed by the top bits of the mixed key narrows a lookup to a handful of
//! adjacent records.

use alloc::vec::Vec;
use core::hash::{Hash, Hasher};

use super::RevocationReason;
use crate::pki::UnixTime;

const NO_REASON: u8 = 0xFF;
/// Up to this many entries an index has no bucket table (a binary search over at most 2 KiB
/// of keys' worth of records is as fast as a bucket probe).
const SMALL_INDEX: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    key: u64,
    date: u32,
    reason: u8,
}

/// Sorted revoked-serial index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerialIndex {
    entries: Vec<Entry>,
    /// `offsets[b]..offsets[b + 1]` are the entries of bucket `b` (top `bits` bits of the key).
    offsets: Vec<u32>,
    bits: u32,
}

impl Default for SerialIndex {
    fn default() -> Self {
        SerialIndexBuilder::default().build()
    }
}

/// murmur3's 64-bit finaliser: a bijection on `u64` that spreads sequential serials.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The (mixed) 64-bit key of a serial (magnitude bytes; a leading sign byte is ignored).
pub(crate) fn serial_key(serial: &[u8]) -> u64 {
    let serial = match serial {
        [0, rest @ ..] if !rest.is_empty() => rest,
        s => s,
    };
    let key = if serial.len() <= 7 {
        let value = serial
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        ((serial.len() as u64) << 56) | value
    } else {
        // SipHash-2-4 with fixed keys, as std's `DefaultHasher::new()` (1-3) was: core has it.
        #[allow(deprecated)]
        let mut h = core::hash::SipHasher::new();
        serial.hash(&mut h);
        (0xFF << 56) | (h.finish() & 0x00FF_FFFF_FFFF_FFFF)
    };
    mix(key)
}

/// Builds a [`SerialIndex`].
#[derive(Debug, Default)]
pub(crate) struct SerialIndexBuilder {
    entries: Vec<Entry>,
}

impl SerialIndexBuilder {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            entries: Vec::with_capacity(n),
        }
    }

    pub(crate) fn push(&mut self, serial: &[u8], date: UnixTime, reason: Option<RevocationReason>) {
        let date = u32::try_from(date.as_secs()).unwrap_or(u32::MAX);
        let reason = reason.map_or(NO_REASON, RevocationReason::code);
        self.entries.push(Entry {
            key: serial_key(serial),
            date,
            reason,
        });
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn build(mut self) -> SerialIndex {
        // Sort by key then earliest date; keep the earliest entry of duplicates.
        self.entries.sort_unstable();
        self.entries.dedup_by_key(|e| e.key);
        self.entries.shrink_to_fit();
        let n = self.entries.len();
        // Small indexes (a JPKI municipality partition holds hundreds) are searched whole:
        // no bucket table, so a partition costs no more per entry than one large CRL.
        if n <= SMALL_INDEX {
            return SerialIndex {
                entries: self.entries,
                offsets: Vec::new(),
                bits: 0,
            };
        }
        // About 8 entries per bucket, at least 1 bucket bit, at most 2^24 buckets.
        let bits = (usize::BITS - (n / 8).leading_zeros()).clamp(1, 24);
        let buckets = 1usize << bits;
        let mut offsets = Vec::with_capacity(buckets + 1);
        let mut i = 0usize;
        for b in 0..buckets {
            while self
                .entries
                .get(i)
                .is_some_and(|e| (e.key >> (64 - bits)) < b as u64)
            {
                i += 1;
            }
            offsets.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        offsets.push(u32::try_from(n).unwrap_or(u32::MAX));
        SerialIndex {
            entries: self.entries,
            offsets,
            bits,
        }
    }
}

impl SerialIndex {
    /// Number of revoked serials.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no serial is revoked.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Revocation date and reason of `serial` (magnitude bytes), if listed.
    pub fn lookup(&self, serial: &[u8]) -> Option<(UnixTime, Option<RevocationReason>)> {
        let key = serial_key(serial);
        let bucket = if self.offsets.is_empty() {
            &self.entries[..]
        } else {
            let b = usize::try_from(key >> (64 - self.bits)).ok()?;
            let start = *self.offsets.get(b)? as usize;
            let end = *self.offsets.get(b + 1)? as usize;
            self.entries.get(start..end)?
        };
        let e = bucket.get(bucket.binary_search_by_key(&key, |e| e.key).ok()?)?;
        Some((
            UnixTime::from_secs(u64::from(e.date)),
            RevocationReason::from_code(e.reason),
        ))
    }

    /// Heap bytes used by the index.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * core::mem::size_of::<Entry>() + self.offsets.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_serials_are_exact_and_leading_zero_is_ignored() {
        assert_eq!(
            serial_key(&[0x07, 0x05, 0xd9, 0x90]),
            mix((4 << 56) | 0x0705_d990)
        );
        assert_eq!(serial_key(&[0x00, 0x80]), serial_key(&[0x80]));
        assert_ne!(serial_key(&[0x01]), serial_key(&[0x00, 0x01, 0x00]));
        assert_eq!(
            serial_key(&[1, 2, 3, 4, 5, 6, 7]),
            mix((7 << 56) | 0x0001_0203_0405_0607)
        );
        assert_ne!(serial_key(&[1; 20]), serial_key(&[1; 19]));
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
        assert_eq!(idx.heap_bytes(), 3 * 16);
        assert_eq!(SerialIndex::default().lookup(&[1]), None);
    }

    #[test]
    fn many_sequential_serials_all_found() {
        let mut b = SerialIndexBuilder::with_capacity(10_000);
        for i in 0..10_000u32 {
            b.push(
                &(0x1000_0000 + i).to_be_bytes(),
                UnixTime::from_secs(u64::from(i)),
                None,
            );
        }
        let idx = b.build();
        for i in (0..10_000u32).step_by(7) {
            assert_eq!(
                idx.lookup(&(0x1000_0000 + i).to_be_bytes()),
                Some((UnixTime::from_secs(u64::from(i)), None))
            );
        }
        assert_eq!(idx.lookup(&0x2000_0000u32.to_be_bytes()), None);
    }
}
