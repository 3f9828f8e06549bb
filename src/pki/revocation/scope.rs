//! The scope of a CRL (RFC 5280 §5.2.5 issuingDistributionPoint) and the distribution points
//! of a certificate (§4.2.1.13), compared as in §6.3.3 (b)(2).
//!
//! JPKI publishes one CRL per issuing municipality: a certificate's cRLDistributionPoints is a
//! directory name such as `C=JP, O=JPKI, OU=JPKI for user authentication, OU=CRL Distribution
//! Points, OU=Kanagawa-ken, CN=Yokohama-shi-Naka-ku CRLDP` and the partition's IDP names the
//! same. Names are compared as the DER of the `GeneralName`, exactly.

use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::ext::pkix::CrlDistributionPoints;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::name::{Name, RdnSequence};

use super::NotCheckedReason;
use crate::pki::{Certificate, PkiError};

pub(crate) const OID_CRL_DP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");

/// A distribution point name: the DER of one `GeneralName` (for JPKI, a directoryName).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DistributionPoint(Box<[u8]>);

impl DistributionPoint {
    /// The DER of the `GeneralName`.
    pub fn as_der(&self) -> &[u8] {
        &self.0
    }

    /// A directory-name distribution point, e.g. from
    /// `"CN=Yokohama-shi-Naka-ku CRLDP,OU=Kanagawa-ken,OU=CRL Distribution Points,…"`.
    pub fn directory_name(name: &Name) -> Result<Self, PkiError> {
        Self::from_general_name(&GeneralName::DirectoryName(name.clone()))
    }

    fn from_general_name(name: &GeneralName) -> Result<Self, PkiError> {
        name.to_der()
            .map(|d| Self(d.into_boxed_slice()))
            .map_err(|e| PkiError::malformed("distribution point", e))
    }

    /// The directory name, when this is one.
    pub fn as_directory_name(&self) -> Option<Name> {
        match GeneralName::from_der(&self.0).ok()? {
            GeneralName::DirectoryName(n) => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for DistributionPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match GeneralName::from_der(&self.0) {
            Ok(GeneralName::DirectoryName(n)) => write!(f, "{n}"),
            Ok(GeneralName::UniformResourceIdentifier(u)) => f.write_str(u.as_str()),
            _ => write!(f, "<{}-byte GeneralName>", self.0.len()),
        }
    }
}

impl fmt::Debug for DistributionPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DistributionPoint({self})")
    }
}

/// The full names of a `DistributionPointName` (a name relative to the CRL issuer is appended
/// to `issuer`).
fn full_names(dpn: &DistributionPointName, issuer: &Name) -> Result<Vec<GeneralName>, PkiError> {
    Ok(match dpn {
        DistributionPointName::FullName(names) => names.clone(),
        DistributionPointName::NameRelativeToCRLIssuer(rdn) => {
            let bad = |e| PkiError::malformed("distribution point", e);
            let mut body = Vec::new();
            for r in RdnSequence::from(issuer.clone()).iter() {
                r.encode_to_vec(&mut body).map_err(bad)?;
            }
            rdn.encode_to_vec(&mut body).map_err(bad)?;
            let mut seq = Vec::new();
            der::Header::new(
                der::Tag::Sequence,
                der::Length::try_from(body.len()).map_err(bad)?,
            )
            .encode_to_vec(&mut seq)
            .map_err(bad)?;
            seq.extend(body);
            vec![GeneralName::DirectoryName(
                Name::from_der(&seq).map_err(bad)?,
            )]
        }
    })
}

/// What a CRL covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrlScope {
    distribution_points: Box<[DistributionPoint]>,
    only_user_certs: bool,
    only_ca_certs: bool,
}

impl CrlScope {
    /// The scope of a CRL with this issuingDistributionPoint (none: every certificate of the
    /// issuer). Indirect CRLs, CRLs for some reasons only and attribute-certificate CRLs are
    /// refused: none of them can say a JPKI certificate is good on its own.
    pub(crate) fn from_idp(
        idp: Option<&IssuingDistributionPoint>,
        issuer: &Name,
    ) -> Result<Self, PkiError> {
        let Some(idp) = idp else {
            return Ok(Self::default());
        };
        let refuse = |detail| Err(PkiError::CrlUnsupportedScope { detail });
        if idp.indirect_crl {
            return refuse("indirect CRL");
        }
        if idp.only_some_reasons.is_some() {
            return refuse("onlySomeReasons");
        }
        if idp.only_contains_attribute_certs {
            return refuse("onlyContainsAttributeCerts");
        }
        if idp.only_contains_user_certs && idp.only_contains_ca_certs {
            return refuse("both onlyContainsUserCerts and onlyContainsCACerts");
        }
        let mut distribution_points = Vec::new();
        if let Some(dpn) = &idp.distribution_point {
            for n in full_names(dpn, issuer)? {
                distribution_points.push(DistributionPoint::from_general_name(&n)?);
            }
        }
        Ok(Self {
            distribution_points: distribution_points.into_boxed_slice(),
            only_user_certs: idp.only_contains_user_certs,
            only_ca_certs: idp.only_contains_ca_certs,
        })
    }

    /// The distribution points this CRL is for (empty: not partitioned by name).
    pub fn distribution_points(&self) -> &[DistributionPoint] {
        &self.distribution_points
    }
    /// onlyContainsUserCerts.
    pub fn only_user_certs(&self) -> bool {
        self.only_user_certs
    }
    /// onlyContainsCACerts: an ARL (authority revocation list).
    pub fn only_ca_certs(&self) -> bool {
        self.only_ca_certs
    }
    /// Whether this is a complete CRL (no issuingDistributionPoint restriction).
    pub fn is_complete(&self) -> bool {
        self.distribution_points.is_empty() && !self.only_user_certs && !self.only_ca_certs
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.distribution_points
            .iter()
            .map(|d| d.0.len() + core::mem::size_of::<DistributionPoint>())
            .sum()
    }

    /// Whether the certificate kind (CA or end entity) is in scope.
    pub(crate) fn covers_kind(&self, cert: &Certificate) -> bool {
        let is_ca = cert.is_ca() == Some(true);
        !(self.only_user_certs && is_ca || self.only_ca_certs && !is_ca)
    }

    /// Whether `dp` (the DER of a `GeneralName`) is one of this CRL's distribution points.
    pub(crate) fn names(&self, dp: &[u8]) -> bool {
        self.distribution_points.iter().any(|d| d.as_der() == dp)
    }

    /// RFC 5280 §6.3.3 (b)(2): kind in scope, and when the CRL names distribution points, one
    /// of them is one of the certificate's.
    pub(crate) fn covers(&self, cert: &Certificate) -> bool {
        if !self.covers_kind(cert) {
            return false;
        }
        if self.distribution_points.is_empty() {
            return true;
        }
        let mut found = false;
        each_distribution_point(cert, |dp| found |= self.names(dp));
        found
    }
}

/// The distribution point names of a certificate's cRLDistributionPoints that a CRL of its
/// issuer can answer for (points with a cRLIssuer or restricted reasons are left out: this
/// library handles neither indirect nor reason-partitioned CRLs). A malformed extension gives
/// none (the certificate is then never `Good` under a partitioned CRL).
pub fn certificate_distribution_points(cert: &Certificate) -> Vec<DistributionPoint> {
    let Some(value) = cert.extension_value(OID_CRL_DP) else {
        return Vec::new();
    };
    let Ok(dps) = CrlDistributionPoints::from_der(value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for dp in dps.0 {
        if dp.crl_issuer.is_some() || dp.reasons.is_some() {
            continue;
        }
        let Some(name) = &dp.distribution_point else {
            continue;
        };
        for n in full_names(name, cert.issuer()).unwrap_or_default() {
            if let Ok(d) = DistributionPoint::from_general_name(&n) {
                out.push(d);
            }
        }
    }
    out
}

const CTX0: Tag = Tag::ContextSpecific {
    constructed: true,
    number: TagNumber(0),
};

/// Walks cRLDistributionPoints without building anything: calls `f` with the DER of each
/// full name (`GeneralName`) of each point without reasons or cRLIssuer. Returns `Ok(false)`
/// when a point uses nameRelativeToCRLIssuer (the caller then takes the owned path).
fn walk_full_names<'a>(value: &'a [u8], f: &mut impl FnMut(&'a [u8])) -> der::Result<bool> {
    let mut r = SliceReader::new(value)?;
    let mut simple = true;
    r.sequence(|dps| {
        while !dps.is_finished() {
            dps.sequence(|dp| {
                let mut names: Option<&'a [u8]> = None;
                let mut restricted = false;
                while !dp.is_finished() {
                    let field = AnyRef::decode(dp)?;
                    if field.tag() != CTX0 {
                        restricted = true; // reasons [1] or cRLIssuer [2]
                        continue;
                    }
                    let choice = AnyRef::from_der(field.value())?;
                    if choice.tag() == CTX0 {
                        names = Some(choice.value());
                    } else {
                        simple = false;
                    }
                }
                if let (false, Some(names)) = (restricted, names) {
                    let mut nr = SliceReader::new(names)?;
                    while !nr.is_finished() {
                        f(nr.tlv_bytes()?);
                    }
                }
                Ok::<_, der::Error>(())
            })?;
        }
        Ok::<_, der::Error>(())
    })?;
    r.finish()?;
    Ok(simple)
}

/// Calls `f` with the DER of each distribution point of `cert` a CRL of its issuer can answer
/// for (the same names as [`certificate_distribution_points`], without allocating in the
/// common case of full names).
pub(crate) fn each_distribution_point(cert: &Certificate, mut f: impl FnMut(&[u8])) {
    let Some(value) = cert.extension_value(OID_CRL_DP) else {
        return;
    };
    // Full names go straight to `f`; a relative name (never seen in JPKI) sends the
    // certificate through the owned decoder as well (`f` may then see a name twice).
    if !matches!(walk_full_names(value, &mut f), Ok(true)) {
        certificate_distribution_points(cert)
            .iter()
            .for_each(|d| f(d.as_der()));
    }
}

/// A 64-bit hash of a distribution point's DER (the `GeneralName`), combined with the anchor
/// by the CRL set's partition key. Not collision-resistant, and need not be: candidates are
/// compared by anchor fingerprint and name bytes before use.
pub(crate) fn point_hash(dp: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = dp.len() as u64;
    let mut chunks = dp.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    for (i, b) in chunks.remainder().iter().enumerate() {
        h ^= u64::from(*b) << (8 * i);
    }
    h
}

/// A certificate's distribution points as read once, when it is verified, so that a CRL lookup
/// does not walk cRLDistributionPoints again: the only full name's hash and place in the
/// certificate's DER (JPKI: exactly one directory name). Any other shape (several names, a
/// relative name, a malformed extension) is marked for the walk at lookup time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CertificatePoints {
    /// `(point_hash, range in the certificate's DER)` of the single full name.
    single: Option<(u64, Range<usize>)>,
    /// Not the single-full-name shape: walk the extension at lookup time.
    walk: bool,
}

impl CertificatePoints {
    /// Reads the distribution points of `cert` (one walk of the extension, no allocation).
    pub(crate) fn read(cert: &Certificate) -> Self {
        let Some(value) = cert.extension_value(OID_CRL_DP) else {
            return Self::default();
        };
        let base = cert.der().as_ptr() as usize;
        let mut single: Option<Range<usize>> = None;
        let mut count = 0usize;
        let simple = walk_full_names(value, &mut |dp: &[u8]| {
            count += 1;
            let start = (dp.as_ptr() as usize).wrapping_sub(base);
            single = Some(start..start + dp.len());
        });
        match (simple, count, single) {
            (Ok(true), 0, _) => Self::default(),
            (Ok(true), 1, Some(r)) => match cert.der().get(r.clone()) {
                Some(dp) => Self {
                    single: Some((point_hash(dp), r)),
                    walk: false,
                },
                None => Self::walking(),
            },
            _ => Self::walking(),
        }
    }

    fn walking() -> Self {
        Self {
            single: None,
            walk: true,
        }
    }

    /// Calls `f` with `(point_hash, DER)` of each distribution point of `cert` (the certificate
    /// these points were read from) that a CRL of its issuer can answer for.
    pub(crate) fn each(&self, cert: &Certificate, mut f: impl FnMut(u64, &[u8])) {
        if self.walk {
            each_distribution_point(cert, |dp| f(point_hash(dp), dp));
        } else if let Some((h, r)) = &self.single
            && let Some(dp) = cert.der().get(r.clone())
        {
            f(*h, dp);
        }
    }
}

/// The NotChecked reason for a certificate none of whose partitions is held.
pub(crate) fn missing_partition(cert: &Certificate) -> NotCheckedReason {
    match certificate_distribution_points(cert).into_iter().next() {
        Some(dp) => NotCheckedReason::NoCrlForDistributionPoint(Arc::from(dp.to_string())),
        None => NotCheckedReason::NoDistributionPoint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(der: &[u8]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let cert = Certificate::from_der(der).expect("certificate");
        let mut fast = Vec::new();
        each_distribution_point(&cert, |d| fast.push(d.to_vec()));
        let owned = certificate_distribution_points(&cert)
            .iter()
            .map(|d| d.as_der().to_vec())
            .collect();
        (fast, owned)
    }

    #[test]
    fn borrowed_walk_and_owned_decode_name_the_same_points() {
        let (fast, owned) = both(include_bytes!(
            "../../../crates/mynacard-virtual-card/data/pki/yamada_auth.der"
        ));
        assert_eq!(fast.len(), 1);
        assert_eq!(fast, owned);
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/real-auth-certificates"
        );
        let Ok(entries) = std::fs::read_dir(dir) else {
            std::eprintln!("skipped: ../shared absent");
            return;
        };
        let mut seen = 0;
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "der") {
                let (fast, owned) = both(&std::fs::read(e.path()).expect("readable"));
                assert_eq!(fast, owned);
                let text = DistributionPoint(owned[0].clone().into_boxed_slice()).to_string();
                assert!(text.contains("OU=CRL Distribution Points"), "{text}");
                assert!(text.ends_with("O=JPKI,C=JP"), "{text}");
                seen += 1;
            }
        }
        assert_eq!(seen, 4);
    }
}
