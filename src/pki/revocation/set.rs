//! Many CRLs at once, as JPKI publishes them: one partition per issuing municipality (about
//! 1,900), plus complete CRLs and ARLs.
//!
//! A certificate is answered by the newest CRL of its issuing anchor whose scope covers it: a
//! complete CRL, or a partition whose issuingDistributionPoint is one of the certificate's own
//! distribution points. A partition for another municipality is never consulted. Finding the
//! partition is one hash-map probe per distribution point of the certificate (JPKI: one), so a
//! set of 1,900 partitions answers as fast as one CRL of the same total (see `benches/pki.rs`);
//! a partition of a few hundred entries needs no bucket table, so it costs no more memory per
//! entry either.

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
    /// Partitions as `(hash(anchor fingerprint, distribution point), CRL)`, sorted.
    by_point: Vec<(u64, u32)>,
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
                let at = self.by_point.partition_point(|(k, _)| *k <= key);
                self.by_point.insert(at, (key, i));
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
            None => self.unnamed.iter().find(|i| same(i)),
            Some(dp) => self
                .partitions(&point_key(
                    crl.anchor_fingerprint(),
                    point_hash(dp.as_der()),
                ))
                .iter()
                .map(|(_, i)| i)
                .find(|i| same(i)),
        };
        found.map(|i| *i as usize)
    }

    /// The entries of `by_point` with this key (one binary search, then a scan of the equal
    /// keys: almost always one).
    fn partitions(&self, key: &u64) -> &[(u64, u32)] {
        let start = self.by_point.partition_point(|(k, _)| k < key);
        let rest = self.by_point.get(start..).unwrap_or_default();
        let len = rest.iter().take_while(|(k, _)| k == key).count();
        rest.get(..len).unwrap_or_default()
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
            + self.by_point.capacity() * core::mem::size_of::<(u64, u32)>();
        crls + own
    }

    /// The newest CRL of anchor `fingerprint` whose scope covers `cert` (whose distribution
    /// points are `points`), if any.
    fn find(
        &self,
        fingerprint: &[u8; 32],
        cert: &Certificate,
        points: &CertificatePoints,
    ) -> Option<&CrlIndex> {
        let mut best: Option<usize> = None;
        let mut consider = |i: usize, c: &CrlIndex| {
            if best
                .and_then(|b| self.crls.get(b))
                .is_none_or(|b| c.this_update() > b.this_update())
            {
                best = Some(i);
            }
        };
        for &i in &self.unnamed {
            if let Some(c) = self.crls.get(i as usize)
                && c.anchor_fingerprint() == fingerprint
                && c.scope().covers_kind(cert)
            {
                consider(i as usize, c);
            }
        }
        if self.by_point.is_empty() {
            return best.and_then(|i| self.crls.get(i));
        }
        points.each(cert, |hash, dp| {
            for &(_, i) in self.partitions(&point_key(fingerprint, hash)) {
                if let Some(c) = self.crls.get(i as usize)
                    && c.anchor_fingerprint() == fingerprint
                    && c.scope().covers_kind(cert)
                    && c.scope().names(dp)
                {
                    consider(i as usize, c);
                }
            }
        });
        best.and_then(|i| self.crls.get(i))
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
