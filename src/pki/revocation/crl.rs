//! JPKI CRLs: streaming parse (no allocation per entry), signature check against the issuing
//! trust anchor, and the resulting [`CrlIndex`].

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use spki::AlgorithmIdentifierOwned;
use x509_cert::name::Name;
use x509_cert::time::Time;

use super::index::{SerialIndex, SerialIndexBuilder};
use super::{
    NotCheckedReason, RevocationReason, RevocationSource, RevocationStatus, StalenessPolicy,
};
use crate::pki::certificate::parse_algorithm;
use crate::pki::{PkiError, TrustStore, UnixTime, VerifiedCertificate};

const OID_CRL_REASON: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const OID_INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");
const OID_CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

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
    anchor: String,
    anchor_fingerprint: [u8; 32],
    this_update: UnixTime,
    next_update: Option<UnixTime>,
    entries: SerialIndex,
}

fn mal(what: &'static str) -> impl Fn(der::Error) -> PkiError {
    move |e| PkiError::malformed(what, e)
}

struct Parsed<'a> {
    tbs: &'a [u8],
    algorithm: AlgorithmIdentifierOwned,
    signature: &'a [u8],
}

fn split(der: &[u8]) -> der::Result<Parsed<'_>> {
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
        Ok::<_, der::Error>(Parsed {
            tbs,
            algorithm,
            signature,
        })
    })?;
    r.finish()?;
    Ok(p)
}

struct Tbs {
    algorithm: AlgorithmIdentifierOwned,
    issuer: Name,
    this_update: Time,
    next_update: Option<Time>,
    aki: Option<Vec<u8>>,
    entries: SerialIndexBuilder,
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

fn parse_tbs(tbs: &[u8], limits: CrlLimits) -> Result<Tbs, PkiError> {
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
        let mut entries = SerialIndexBuilder::with_capacity(0);
        if !t.is_finished() && Tag::peek(t)? == Tag::Sequence {
            // Rough capacity from the list length (an entry is at least ~30 bytes), never more
            // than the bytes actually present can hold.
            let h = der::Header::peek(t)?;
            let declared = usize::try_from(h.length()).unwrap_or(0);
            let present = usize::try_from(t.remaining_len()).unwrap_or(0);
            let cap = declared.min(present) / 32;
            entries = SerialIndexBuilder::with_capacity(cap.min(limits.max_entries));
            t.sequence(|list| {
                while !list.is_finished() {
                    if entries.len() >= limits.max_entries {
                        failure = Some(PkiError::CrlTooLarge {
                            limit: limits.max_entries,
                        });
                        return Err(der::Error::from(der::ErrorKind::Overlength));
                    }
                    list.sequence(|e| {
                        let serial = AnyRef::decode(e)?;
                        serial.tag().assert_eq(Tag::Integer)?;
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
                        entries.push(serial.value(), date.into(), reason);
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        }
        let mut aki = None;
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
                        } else if critical && oid != OID_CRL_NUMBER {
                            // e.g. a critical issuingDistributionPoint: a partitioned CRL whose
                            // scope we do not evaluate. Refuse rather than answer "good".
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
        Ok(Tbs {
            algorithm,
            issuer,
            this_update,
            next_update,
            aki,
            entries,
        })
    });
    match (out, failure) {
        (_, Some(f)) => Err(f),
        (Ok(t), None) => {
            r.finish().map_err(mal("CRL"))?;
            Ok(t)
        }
        (Err(e), None) => Err(PkiError::malformed("CRL", e)),
    }
}

impl CrlIndex {
    /// Parses a DER CRL, verifies its signature against the issuing anchor of `store`
    /// (resolved by name, key identifier and signature) and indexes its entries.
    pub fn from_der(der: &[u8], store: &TrustStore, limits: CrlLimits) -> Result<Self, PkiError> {
        let p = split(der).map_err(mal("CRL"))?;
        let tbs = parse_tbs(p.tbs, limits)?;
        if tbs.algorithm != p.algorithm {
            return Err(PkiError::SignatureAlgorithmMismatch);
        }
        let alg = parse_algorithm(&p.algorithm, "CRL")?;
        let mut candidates = store.candidates(&tbs.issuer, tbs.aki.as_deref()).peekable();
        if candidates.peek().is_none() {
            return Err(PkiError::CrlUnknownIssuer {
                issuer: tbs.issuer.to_string(),
            });
        }
        let anchor = candidates
            .take(store.options.max_signature_checks as usize)
            .find(|a| a.key.verify(alg, p.tbs, p.signature).is_ok())
            .ok_or(PkiError::CrlBadSignature)?;
        Ok(CrlIndex {
            anchor: anchor.label().to_owned(),
            anchor_fingerprint: anchor.sha256_fingerprint(),
            this_update: tbs.this_update.into(),
            next_update: tbs.next_update.map(Into::into),
            entries: tbs.entries.build(),
        })
    }

    /// Convenience: reads a DER CRL file and calls [`CrlIndex::from_der`].
    pub fn from_file(
        path: impl AsRef<std::path::Path>,
        store: &TrustStore,
        limits: CrlLimits,
    ) -> std::io::Result<Result<Self, PkiError>> {
        Ok(Self::from_der(&std::fs::read(path)?, store, limits))
    }

    /// Label of the anchor that issued the CRL.
    pub fn anchor(&self) -> &str {
        &self.anchor
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

    fn applies_to(&self, cert: &VerifiedCertificate) -> bool {
        &self.anchor_fingerprint == cert.anchor_fingerprint()
    }
}

impl RevocationSource for CrlIndex {
    fn status(
        &self,
        cert: &VerifiedCertificate,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        if !self.applies_to(cert) {
            return Ok(RevocationStatus::NotChecked {
                reason: NotCheckedReason::NoCrlForIssuer,
            });
        }
        if time < self.this_update {
            return Err(PkiError::CrlNotYetValid {
                this_update: self.this_update,
                time,
            });
        }
        let stale = match (self.next_update, staleness) {
            (None, _) => true,
            (Some(n), StalenessPolicy::Tolerate { secs }) => time > n.saturating_add_secs(secs),
            (Some(n), _) => time > n,
        };
        if stale {
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
        Ok(match self.entries.lookup(cert.serial()) {
            Some((date, reason)) => RevocationStatus::Revoked { reason, date },
            None => RevocationStatus::Good {
                this_update: self.this_update,
                next_update: self.next_update,
            },
        })
    }
}

/// Several CRLs (e.g. the sign CA's and the auth CA's). For a certificate, the newest CRL of its
/// issuing anchor answers.
#[derive(Debug, Clone, Default)]
pub struct CrlSet {
    crls: Vec<CrlIndex>,
}

impl CrlSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a verified CRL.
    pub fn insert(&mut self, crl: CrlIndex) {
        self.crls.push(crl);
    }
    /// The CRLs held.
    pub fn crls(&self) -> &[CrlIndex] {
        &self.crls
    }
}

impl RevocationSource for CrlSet {
    fn status(
        &self,
        cert: &VerifiedCertificate,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        match self
            .crls
            .iter()
            .filter(|c| c.applies_to(cert))
            .max_by_key(|c| c.this_update)
        {
            Some(crl) => crl.status(cert, time, staleness),
            None => Ok(RevocationStatus::NotChecked {
                reason: NotCheckedReason::NoCrlForIssuer,
            }),
        }
    }
}
