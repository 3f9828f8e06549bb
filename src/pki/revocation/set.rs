//! Many CRLs at once, as JPKI publishes them: one partition per issuing municipality (about
//! 1,900), plus complete CRLs and ARLs.
//!
//! A certificate is answered by the newest CRL of its issuing anchor whose scope covers it: a
//! complete CRL, or a partition whose issuingDistributionPoint is one of the certificate's own
//! distribution points. A partition for another municipality is never consulted. Finding the
//! partition is one probe of an open-addressing table per distribution point of the
//! certificate (JPKI: one), so a set of 1,900 partitions answers as fast as one CRL of the same
//! total (see `benches/pki.rs`); a partition of a few hundred entries needs no bucket table, so
//! it costs no more memory per entry either.

use super::scope::{CertificatePoints, point_hash};
use super::{CrlIndex, NotCheckedReason, RevocationSource, RevocationStatus, StalenessPolicy};
use crate::pki::{Certificate, PkiError, TrustStore, UnixTime, VerifiedCertificate};
use alloc::vec::Vec;

/// A set of verified CRLs: complete CRLs, partitions (by distribution point) and ARLs.
#[derive(Debug, Clone, Default)]
pub struct CrlSet {
    crls: Vec<CrlIndex>,
    /// CRLs with no distribution-point restriction (complete CRLs, ARLs without a name).
    unnamed: Vec<u32>,
    /// Partitions by `(hash(anchor fingerprint, distribution point), CRL)`.
    by_point: PointTable,
}

/// An open-addressing (linear probing) table of `(point key, CRL index)`: a power-of-two
/// number of slots, at most half full, so a probe reads one or two adjacent slots. Keys may
/// repeat (two scopes for one point, or a hash collision): a lookup yields every slot of its
/// key up to the first empty slot.
#[derive(Debug, Clone, Default)]
struct PointTable {
    slots: Vec<(u64, u32)>,
    len: usize,
}

/// The probe sequence of one key: slots from the key's home slot up to the first empty one.
struct PointProbe<'a> {
    table: &'a PointTable,
    at: usize,
    left: usize,
    key: u64,
}

impl Iterator for PointProbe<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.left > 0 {
            let &(k, i) = self.table.slots.get(self.at)?;
            if i == PointTable::EMPTY {
                return None;
            }
            self.left -= 1;
            self.at = (self.at + 1) & self.table.mask();
            if k == self.key {
                return Some(i);
            }
        }
        None
    }
}

impl PointTable {
    const EMPTY: u32 = u32::MAX;

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    fn insert(&mut self, key: u64, crl: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            let old = core::mem::take(&mut self.slots);
            self.slots = alloc::vec![(0, Self::EMPTY); (old.len() * 2).max(16)];
            for (k, i) in old.into_iter().filter(|(_, i)| *i != Self::EMPTY) {
                self.place(k, i);
            }
        }
        self.place(key, crl);
        self.len += 1;
    }

    fn place(&mut self, key: u64, crl: u32) {
        let mask = self.mask();
        let mut at = (key as usize) & mask;
        while let Some(slot) = self.slots.get_mut(at) {
            if slot.1 == Self::EMPTY {
                *slot = (key, crl);
                return;
            }
            at = (at + 1) & mask;
        }
    }

    /// The CRLs filed under `key`, in probe order (a plain loop: this is the hot path).
    fn get(&self, key: u64) -> PointProbe<'_> {
        PointProbe {
            table: self,
            at: (key as usize) & self.mask(),
            left: self.slots.len(),
            key,
        }
    }

    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * core::mem::size_of::<(u64, u32)>()
    }
}

/// A cheap 64-bit key for (anchor, distribution point) from the point's [`point_hash`]. Not
/// collision-resistant, and need not be: candidates are compared by fingerprint and name
/// before use, and only CRLs signed by a trust anchor are ever inserted.
fn point_key(anchor: &[u8; 32], point_hash: u64) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let a = u64::from_le_bytes(anchor[..8].try_into().unwrap_or_default());
    let h = (point_hash ^ a).wrapping_mul(K);
    h ^ (h >> 32)
}

impl CrlSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a verified CRL. A CRL with the same issuer and scope as one already held replaces
    /// it when newer (by thisUpdate) and is dropped otherwise: refreshing a partition keeps one
    /// copy.
    pub fn insert(&mut self, crl: CrlIndex) {
        if let Some(i) = self.same_scope(&crl) {
            if let Some(held) = self.crls.get_mut(i)
                && crl.this_update() > held.this_update()
            {
                *held = crl;
            }
            return;
        }
        let Ok(i) = u32::try_from(self.crls.len()) else {
            return;
        };
        if crl.scope().distribution_points().is_empty() {
            self.unnamed.push(i);
        } else {
            for dp in crl.scope().distribution_points() {
                let key = point_key(crl.anchor_fingerprint(), point_hash(dp.as_der()));
                self.by_point.insert(key, i);
            }
        }
        self.crls.push(crl);
    }

    fn same_scope(&self, crl: &CrlIndex) -> Option<usize> {
        let same = |i: &u32| {
            self.crls.get(*i as usize).is_some_and(|c| {
                c.anchor_fingerprint() == crl.anchor_fingerprint() && c.scope() == crl.scope()
            })
        };
        let found = match crl.scope().distribution_points().first() {
            None => self.unnamed.iter().copied().find(|i| same(i)),
            Some(dp) => self
                .by_point
                .get(point_key(crl.anchor_fingerprint(), point_hash(dp.as_der())))
                .find(|i| same(i)),
        };
        found.map(|i| i as usize)
    }

    /// The CRLs held.
    pub fn crls(&self) -> &[CrlIndex] {
        &self.crls
    }

    /// Number of CRLs held.
    pub fn len(&self) -> usize {
        self.crls.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.crls.is_empty()
    }

    /// Total revoked serials over all CRLs.
    pub fn entry_count(&self) -> usize {
        self.crls.iter().map(|c| c.entries().len()).sum()
    }

    /// Heap bytes held by the set (indexes, scopes, the partition map).
    pub fn heap_bytes(&self) -> usize {
        let crls: usize = self.crls.iter().map(CrlIndex::heap_bytes).sum();
        let own = self.crls.capacity() * core::mem::size_of::<CrlIndex>()
            + self.unnamed.capacity() * 4
            + self.by_point.heap_bytes();
        crls + own
    }

    /// The newest CRL of anchor `fingerprint` whose scope covers `cert` (whose distribution
    /// points are `points`), if any.
    fn find<'s>(
        &'s self,
        fingerprint: &[u8; 32],
        cert: &Certificate,
        points: &CertificatePoints,
    ) -> Option<&'s CrlIndex> {
        let mut best: Option<&CrlIndex> = None;
        let mut consider = |c: &'s CrlIndex| {
            if best.is_none_or(|b| c.this_update() > b.this_update()) {
                best = Some(c);
            }
        };
        for c in self
            .unnamed
            .iter()
            .filter_map(|&i| self.crls.get(i as usize))
        {
            if c.anchor_fingerprint() == fingerprint && c.scope().covers_kind(cert) {
                consider(c);
            }
        }
        if self.by_point.is_empty() {
            return best;
        }
        points.each(cert, |hash, dp| {
            for c in self
                .by_point
                .get(point_key(fingerprint, hash))
                .filter_map(|i| self.crls.get(i as usize))
            {
                if c.anchor_fingerprint() == fingerprint
                    && c.scope().covers_kind(cert)
                    && c.scope().names(dp)
                {
                    consider(c);
                }
            }
        });
        best
    }

    fn not_checked(&self, fingerprint: &[u8; 32], cert: &Certificate) -> RevocationStatus {
        let issuer_known = self
            .crls
            .iter()
            .any(|c| c.anchor_fingerprint() == fingerprint);
        RevocationStatus::NotChecked {
            reason: if issuer_known {
                super::scope::missing_partition(cert)
            } else {
                NotCheckedReason::NoCrlForIssuer
            },
        }
    }

    /// The status of a CA certificate (a trust anchor, or a CA certificate issued by one) from
    /// the ARLs and complete CRLs of its issuer: the anchor that issued it is found in `store`
    /// by name, key identifier and signature. A self-issued anchor is looked up in its own
    /// ARL.
    pub fn ca_status(
        &self,
        ca: &Certificate,
        store: &TrustStore,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        if ca.is_ca() != Some(true) {
            return Err(PkiError::NotACaCertificate);
        }
        let issuer = store
            .candidates(ca.issuer(), ca.authority_key_id())
            .take(store.options.max_signature_checks as usize)
            .find(|a| {
                a.key
                    .verify(ca.signature_algorithm(), ca.tbs_der(), ca.signature_bytes())
                    .is_ok()
            })
            .ok_or(PkiError::UnknownIssuer)?;
        let fp = issuer.sha256_fingerprint();
        match self.find(&fp, ca, &CertificatePoints::read(ca)) {
            Some(crl) => crl.answer(ca.serial(), time, staleness),
            None => Ok(self.not_checked(&fp, ca)),
        }
    }
}

impl RevocationSource for CrlSet {
    fn status(
        &self,
        cert: &VerifiedCertificate,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        let fp = cert.anchor_fingerprint();
        match self.find(fp, cert.certificate(), cert.crl_points()) {
            Some(crl) => crl.answer(cert.serial(), time, staleness),
            None => Ok(self.not_checked(fp, cert.certificate())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PointTable;
    use alloc::vec::Vec;

    fn found(t: &PointTable, key: u64) -> Vec<u32> {
        let mut v: Vec<u32> = t.get(key).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn point_table_files_repeated_and_colliding_keys_and_misses_absent_ones() {
        let mut t = PointTable::default();
        assert_eq!(found(&t, 7), Vec::<u32>::new());
        // Same key twice (two scopes of one point), keys sharing a home slot (equal low bits),
        // and enough keys to grow the table several times.
        t.insert(7, 0);
        t.insert(7, 1);
        t.insert(7 + (1 << 40), 2);
        for i in 0..1000u32 {
            t.insert(u64::from(i) << 20 | 3, 3 + i);
        }
        assert_eq!(found(&t, 7), [0, 1]);
        assert_eq!(found(&t, 7 + (1 << 40)), [2]);
        for i in 0..1000u32 {
            assert_eq!(found(&t, u64::from(i) << 20 | 3), [3 + i]);
        }
        assert_eq!(found(&t, 8), Vec::<u32>::new());
        assert_eq!(found(&t, 1000 << 20 | 3), Vec::<u32>::new());
        assert!(t.slots.len() >= 2 * 1003 && t.slots.len().is_power_of_two());
        assert_eq!(t.len, 1003);
    }
}
