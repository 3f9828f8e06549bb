//! JPKI CRLs, verified before they are read: the outer structure and the TBS header are split
//! without touching the entry list, the signature is checked over the original TBS bytes, and
//! only then are the entries parsed (streaming, no allocation per entry) into a [`CrlIndex`].
//!
//! An unsigned or forged CRL therefore costs one signature check, whatever its size, and a
//! signed one never allocates more than a fixed fraction of its own length (an entry takes at
//! least [`MIN_ENTRY_BYTES`] bytes of DER and at most 16 bytes of index).

use alloc::vec::Vec;
use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::name::Name;
use x509_cert::time::Time;

use super::index::{SerialIndex, SerialIndexBuilder};
use super::scope::CrlScope;
use super::{
    NotCheckedReason, RevocationMethod, RevocationReason, RevocationSource, RevocationStatus,
    StalenessPolicy,
};
use crate::pki::certificate::parse_algorithm;
use crate::pki::{PkiError, SignatureAlgorithm, TrustStore, UnixTime, VerifiedCertificate};

const OID_CRL_REASON: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const OID_INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");
const OID_CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const OID_IDP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");

/// The smallest DER a CRL entry can take: `SEQUENCE { INTEGER (1 byte), UTCTime }` = 2 + 3 + 15.
pub const MIN_ENTRY_BYTES: usize = 20;

/// Bounds on what a CRL may make us allocate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrlLimits {
    /// Maximum number of entries.
    pub max_entries: usize,
}

impl Default for CrlLimits {
    fn default() -> Self {
        Self {
            max_entries: 50_000_000,
        }
    }
}

/// A verified CRL reduced to what revocation checks need.
#[derive(Debug, Clone)]
pub struct CrlIndex {
    anchor: alloc::sync::Arc<str>,
    anchor_fingerprint: [u8; 32],
    this_update: UnixTime,
    next_update: Option<UnixTime>,
    scope: CrlScope,
    /// Seconds a thisUpdate may lie ahead of the verification time.
    clock_skew: u64,
    entries: SerialIndex,
}

fn mal(what: &'static str) -> impl Fn(der::Error) -> PkiError {
    move |e| PkiError::malformed(what, e)
}

struct Outer<'a> {
    tbs: &'a [u8],
    algorithm: AlgorithmIdentifierOwned,
    signature: &'a [u8],
}

/// `CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }`, with the
/// TBS kept as its original bytes.
fn split(der: &[u8]) -> der::Result<Outer<'_>> {
    let mut r = SliceReader::new(der)?;
    let p = r.sequence(|outer| {
        let tbs = outer.tlv_bytes()?;
        let algorithm = AlgorithmIdentifierOwned::decode(outer)?;
        let sig = BitStringRef::decode(outer)?;
        let signature = sig.as_bytes().ok_or_else(|| {
            der::Error::from(der::ErrorKind::Length {
                tag: Tag::BitString,
            })
        })?;
        Ok::<_, der::Error>(Outer {
            tbs,
            algorithm,
            signature,
        })
    })?;
    r.finish()?;
    Ok(p)
}

/// The TBSCertList without its entries: `revokedCertificates` is kept as raw bytes (one TLV
/// skipped, whatever its length) so nothing proportional to the entry count is built before the
/// signature is checked.
struct Header<'a> {
    algorithm: AlgorithmIdentifierOwned,
    issuer: Name,
    this_update: Time,
    next_update: Option<Time>,
    /// Contents of the `revokedCertificates` SEQUENCE (empty when absent).
    entries: &'a [u8],
    /// Byte offset of `entries` inside the TBS (for error positions).
    entries_at: usize,
    aki: Option<Vec<u8>>,
    idp: Option<IssuingDistributionPoint>,
}

fn is_time(tag: Tag) -> bool {
    matches!(tag, Tag::UtcTime | Tag::GeneralizedTime)
}

/// The fields of one X.509 `Extension` (`extnID`, `critical` DEFAULT FALSE,
/// `extnValue`), read inside its SEQUENCE.
fn extension_fields<'a, R: Reader<'a>>(
    x: &mut R,
) -> der::Result<(ObjectIdentifier, bool, &'a OctetStringRef)> {
    let oid = ObjectIdentifier::decode(x)?;
    let critical = if Tag::peek(x)? == Tag::Boolean {
        bool::decode(x)?
    } else {
        false
    };
    let value = <&OctetStringRef>::decode(x)?;
    Ok((oid, critical, value))
}

fn parse_header(tbs: &[u8]) -> Result<Header<'_>, PkiError> {
    let mut r = SliceReader::new(tbs).map_err(mal("CRL"))?;
    let mut failure: Option<PkiError> = None;
    let out = r.sequence(|t| {
        if Tag::peek(t)? == Tag::Integer {
            let v = u8::decode(t)?;
            if v != 1 {
                return Err(der::Error::from(der::ErrorKind::Value {
                    tag: Tag::Integer,
                }));
            }
        }
        let algorithm = AlgorithmIdentifierOwned::decode(t)?;
        let issuer = Name::decode(t)?;
        let this_update = Time::decode(t)?;
        let next_update = if !t.is_finished() && is_time(Tag::peek(t)?) {
            Some(Time::decode(t)?)
        } else {
            None
        };
        let mut entries: &[u8] = &[];
        let mut entries_at = 0;
        if !t.is_finished() && Tag::peek(t)? == Tag::Sequence {
            let tlv = t.tlv_bytes()?;
            let mut er = SliceReader::new(tlv)?;
            let h = der::Header::decode(&mut er)?;
            let header_len = usize::try_from(h.encoded_len()?)?;
            entries = tlv.get(header_len..).unwrap_or_default();
            entries_at = usize::try_from(t.position())?.saturating_sub(entries.len());
        }
        let mut aki = None;
        let mut idp = None;
        if !t.is_finished() {
            let ctx = Tag::peek(t)?;
            if ctx
                != (Tag::ContextSpecific {
                    constructed: true,
                    number: der::TagNumber(0),
                })
            {
                return Err(der::Error::from(der::ErrorKind::TagUnexpected {
                    expected: None,
                    actual: ctx,
                }));
            }
            let exts = AnyRef::decode(t)?;
            let mut xr = SliceReader::new(exts.value())?;
            xr.sequence(|list| {
                while !list.is_finished() {
                    list.sequence(|x| {
                        let (oid, critical, value) = extension_fields(x)?;
                        if oid == OID_AKI {
                            let a = x509_cert::ext::pkix::AuthorityKeyIdentifier::from_der(
                                value.as_bytes(),
                            )?;
                            aki = a.key_identifier.map(|k| k.as_bytes().to_vec());
                        } else if oid == OID_IDP {
                            // A partitioned CRL (RFC 5280 §5.2.5): its scope is evaluated for
                            // every certificate, so a critical IDP is understood.
                            if idp.is_some() {
                                failure = Some(PkiError::DuplicateExtension { oid });
                                return Err(der::Error::from(der::ErrorKind::Failed));
                            }
                            idp = Some(IssuingDistributionPoint::from_der(value.as_bytes())?);
                        } else if critical && oid != OID_CRL_NUMBER {
                            failure = Some(PkiError::UnknownCriticalExtension { oid });
                            return Err(der::Error::from(der::ErrorKind::Failed));
                        }
                        Ok(())
                    })?;
                }
                Ok::<_, der::Error>(())
            })?;
            xr.finish()?;
        }
        Ok(Header {
            algorithm,
            issuer,
            this_update,
            next_update,
            entries,
            entries_at,
            aki,
            idp,
        })
    });
    match (out, failure) {
        (_, Some(f)) => Err(f),
        (Ok(h), None) => {
            r.finish().map_err(mal("CRL"))?;
            Ok(h)
        }
        (Err(e), None) => Err(PkiError::malformed("CRL", e)),
    }
}

/// Parses one `crlEntryExtensions`: the reason code; unknown critical extensions are refused.
fn entry_reason<'a, R: Reader<'a>>(r: &mut R) -> Result<Option<RevocationReason>, PkiError> {
    let mut reason = None;
    r.sequence(|exts| {
        while !exts.is_finished() {
            exts.sequence(|x| {
                let (oid, critical, value) = extension_fields(x)?;
                if oid == OID_CRL_REASON {
                    let any = AnyRef::from_der(value.as_bytes())?;
                    any.tag().assert_eq(Tag::Enumerated)?;
                    let code = match any.value() {
                        [c] => *c,
                        _ => {
                            return Err(der::Error::from(der::ErrorKind::Length {
                                tag: Tag::Enumerated,
                            }));
                        }
                    };
                    reason = Some(RevocationReason::from_code(code).ok_or_else(|| {
                        der::Error::from(der::ErrorKind::Value {
                            tag: Tag::Enumerated,
                        })
                    })?);
                } else if critical && oid != OID_INVALIDITY_DATE {
                    return Err(der::Error::from(der::ErrorKind::Value {
                        tag: Tag::ObjectIdentifier,
                    }));
                }
                Ok(())
            })?;
        }
        Ok(())
    })
    .map_err(mal("CRL entry extension"))?;
    Ok(reason)
}

/// Parses the contents of `revokedCertificates` (already signature-checked) into an index.
/// The pre-allocation is bounded by the bytes present, never by a declared length.
fn parse_entries(
    entries: &[u8],
    at: usize,
    limits: CrlLimits,
) -> Result<SerialIndexBuilder, PkiError> {
    let cap = (entries.len() / MIN_ENTRY_BYTES).min(limits.max_entries);
    let mut out = SerialIndexBuilder::with_capacity(cap);
    let mut r = SliceReader::new(entries).map_err(mal("CRL entry"))?;
    let mut failure: Option<PkiError> = None;
    while !r.is_finished() {
        if out.len() >= limits.max_entries {
            return Err(PkiError::CrlTooLarge {
                limit: limits.max_entries,
            });
        }
        let res = r.sequence(|e| {
            let serial = AnyRef::decode(e)?;
            serial.tag().assert_eq(Tag::Integer)?;
            if serial.value().is_empty() {
                return Err(der::Error::from(der::ErrorKind::Length {
                    tag: Tag::Integer,
                }));
            }
            let date = Time::decode(e)?;
            let reason = if e.is_finished() {
                None
            } else {
                match entry_reason(e) {
                    Ok(r) => r,
                    Err(err) => {
                        failure = Some(err);
                        return Err(der::Error::from(der::ErrorKind::Failed));
                    }
                }
            };
            out.push(serial.value(), date.into(), reason);
            Ok(())
        });
        if let Err(e) = res {
            return Err(failure.take().unwrap_or_else(|| {
                let mut err = PkiError::malformed("CRL entry", e);
                if let PkiError::Malformed { at: Some(p), .. } = &mut err {
                    *p = p.saturating_add(at);
                }
                err
            }));
        }
    }
    Ok(out)
}

/// The signature algorithm of a CRL or OCSP response (`what`), SHA-1 refused
/// ([`PkiError::Sha1Refused`]).
pub(crate) fn signed_object_algorithm(
    ai: &AlgorithmIdentifierOwned,
    what: &'static str,
) -> Result<SignatureAlgorithm, PkiError> {
    parse_algorithm(ai, what)
}

/// Header and entries without the signature check (fuzzing only, see `internal`).
pub(crate) fn parse_unverified(der: &[u8], limits: CrlLimits) -> Result<usize, PkiError> {
    let outer = split(der).map_err(mal("CRL"))?;
    let header = parse_header(outer.tbs)?;
    CrlScope::from_idp(header.idp.as_ref(), &header.issuer)?;
    Ok(parse_entries(header.entries, header.entries_at, limits)?.len())
}

impl CrlIndex {
    /// Parses a DER CRL, verifies its signature against the issuing anchor of `store`
    /// (resolved by name, key identifier and signature) and indexes its entries.
    ///
    /// Order of work: outer structure and TBS header (entry list skipped as one element) →
    /// algorithm (SHA-1 refused) → issuer → signature over the original TBS bytes → entries.
    /// A CRL with a critical issuingDistributionPoint is a partition: its scope is kept and
    /// consulted for every certificate ([`CrlSet`](super::CrlSet)).
    pub fn from_der(der: &[u8], store: &TrustStore, limits: CrlLimits) -> Result<Self, PkiError> {
        let outer = split(der).map_err(mal("CRL"))?;
        let header = parse_header(outer.tbs)?;
        if header.algorithm != outer.algorithm {
            return Err(PkiError::SignatureAlgorithmMismatch);
        }
        let alg = signed_object_algorithm(&outer.algorithm, "CRL")?;
        let mut candidates = store
            .candidates(&header.issuer, header.aki.as_deref())
            .peekable();
        if candidates.peek().is_none() {
            return Err(PkiError::CrlUnknownIssuer);
        }
        let anchor = candidates
            .take(store.options.max_signature_checks as usize)
            .find(|a| a.key.verify(alg, outer.tbs, outer.signature).is_ok())
            .ok_or(PkiError::CrlBadSignature)?;
        let scope = CrlScope::from_idp(header.idp.as_ref(), &header.issuer)?;
        let entries = parse_entries(header.entries, header.entries_at, limits)?;
        Ok(CrlIndex {
            anchor: anchor.label_arc(),
            anchor_fingerprint: anchor.sha256_fingerprint(),
            this_update: header.this_update.into(),
            next_update: header.next_update.map(Into::into),
            scope,
            entries: entries.build(),
            clock_skew: super::DEFAULT_CLOCK_SKEW_SECS,
        })
    }

    /// Convenience: reads a DER CRL file and calls [`CrlIndex::from_der`]; one
    /// `Result` for both steps.
    #[cfg(feature = "std")]
    pub fn from_file(
        path: impl AsRef<std::path::Path>,
        store: &TrustStore,
        limits: CrlLimits,
    ) -> Result<Self, super::CrlFileError> {
        let der = std::fs::read(path).map_err(super::CrlFileError::Read)?;
        Ok(Self::from_der(&der, store, limits)?)
    }

    /// Accepts a thisUpdate up to `secs` seconds after the verification time
    /// (clocks differ between the CA and this host; default
    /// [`super::DEFAULT_CLOCK_SKEW_SECS`], 5 minutes; 0: none).
    pub fn with_clock_skew(mut self, secs: u64) -> Self {
        self.clock_skew = secs;
        self
    }

    /// The clock skew allowed (seconds).
    pub fn clock_skew(&self) -> u64 {
        self.clock_skew
    }

    /// Label of the anchor that issued the CRL.
    pub fn anchor(&self) -> &str {
        &self.anchor
    }
    /// SHA-256 of the issuing anchor's certificate.
    pub fn anchor_fingerprint(&self) -> &[u8; 32] {
        &self.anchor_fingerprint
    }
    /// thisUpdate.
    pub fn this_update(&self) -> UnixTime {
        self.this_update
    }
    /// nextUpdate.
    pub fn next_update(&self) -> Option<UnixTime> {
        self.next_update
    }
    /// The revoked serials.
    pub fn entries(&self) -> &SerialIndex {
        &self.entries
    }
    /// What the CRL covers (its issuingDistributionPoint).
    pub fn scope(&self) -> &CrlScope {
        &self.scope
    }

    /// Heap bytes held by this CRL (index and scope).
    pub fn heap_bytes(&self) -> usize {
        // The anchor label is shared with the trust store.
        self.entries.heap_bytes() + self.scope.heap_bytes()
    }

    /// The status of a serial under this CRL at `time`, the scope having been checked.
    pub(crate) fn answer(
        &self,
        serial: &[u8],
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        if time.saturating_add_secs(self.clock_skew) < self.this_update {
            return Err(PkiError::CrlNotYetValid {
                this_update: self.this_update,
                time,
            });
        }
        if self.is_stale(time, staleness) {
            if staleness == StalenessPolicy::ReportNotChecked {
                return Ok(RevocationStatus::NotChecked {
                    reason: NotCheckedReason::Stale,
                });
            }
            return Err(PkiError::CrlStale {
                next_update: self.next_update,
                time,
            });
        }
        Ok(match self.entries.lookup(serial) {
            Some((date, reason)) => RevocationStatus::Revoked {
                reason,
                date,
                source: RevocationMethod::Crl,
            },
            None => RevocationStatus::Good {
                this_update: self.this_update,
                next_update: self.next_update,
                source: RevocationMethod::Crl,
            },
        })
    }

    /// Whether `time` is past nextUpdate (plus tolerance), or the CRL has no nextUpdate.
    pub(crate) fn is_stale(&self, time: UnixTime, staleness: StalenessPolicy) -> bool {
        match (self.next_update, staleness) {
            (None, _) => true,
            (Some(n), StalenessPolicy::Tolerate { secs }) => time > n.saturating_add_secs(secs),
            (Some(n), _) => time > n,
        }
    }
}

impl RevocationSource for CrlIndex {
    fn status(
        &self,
        cert: &VerifiedCertificate,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        if &self.anchor_fingerprint != cert.anchor_fingerprint() {
            return Ok(RevocationStatus::NotChecked {
                reason: NotCheckedReason::NoCrlForIssuer,
            });
        }
        if !self.scope.covers(cert.certificate()) {
            return Ok(RevocationStatus::NotChecked {
                reason: super::scope::missing_partition(cert.certificate()),
            });
        }
        self.answer(cert.serial(), time, staleness)
    }
}
