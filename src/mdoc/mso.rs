//! The MobileSecurityObject (ISO/IEC 18013-5 §9.1.2.4): the issuer-signed digests of every
//! element, the device key and its authorizations, the docType and the validity window.

use alloc::string::String;
use alloc::vec::Vec;

use super::MdocError;
use super::cbor::{self, Node, Value, get, require};
use super::cose_key::CoseKey;
use crate::date::CalendarDate;
use crate::pki::{HashAlgorithm, UnixTime};

/// Most digests accepted per namespace, and namespaces per MSO.
pub const MAX_DIGESTS: usize = 1024;

/// A parsed MSO (its signature is checked by the caller).
#[derive(Debug, Clone)]
pub struct Mso {
    /// The digest algorithm of valueDigests.
    pub digest_algorithm: HashAlgorithm,
    /// `(namespace, digestID, digest)`.
    pub digests: Vec<(String, u64, Vec<u8>)>,
    /// The holder's static device key.
    pub device_key: CoseKey,
    /// keyAuthorizations.nameSpaces (whole namespaces the device key may sign).
    pub authorized_namespaces: Vec<String>,
    /// keyAuthorizations.dataElements: `(namespace, element)`.
    pub authorized_elements: Vec<(String, String)>,
    /// The docType.
    pub doc_type: String,
    /// validityInfo.signed.
    pub signed: UnixTime,
    /// validityInfo.validFrom.
    pub valid_from: UnixTime,
    /// validityInfo.validUntil.
    pub valid_until: UnixTime,
}

impl Mso {
    /// Parses MobileSecurityObject bytes (the content of the `#6.24` in the issuerAuth payload).
    pub fn parse(bytes: &[u8]) -> Result<Self, MdocError> {
        let root = cbor::decode(bytes)?;
        let m = root.map("MobileSecurityObject")?;
        let digest_algorithm = match require(m, "digestAlgorithm")?.text("digestAlgorithm")? {
            "SHA-256" => HashAlgorithm::Sha256,
            "SHA-384" => HashAlgorithm::Sha384,
            "SHA-512" => HashAlgorithm::Sha512,
            _ => return Err(MdocError::DigestAlgorithm),
        };
        let mut digests = Vec::new();
        for (ns, ids) in require(m, "valueDigests")?.map("valueDigests")? {
            let ns = ns.text("valueDigests")?;
            let ids = ids.map("valueDigests")?;
            if ids.len() > MAX_DIGESTS || digests.len() > MAX_DIGESTS * 8 {
                return Err(MdocError::Field {
                    field: "valueDigests",
                    reason: "too many digests",
                });
            }
            for (id, d) in ids {
                let d = d.bytes("valueDigests")?;
                if d.len() != digest_algorithm.digest_len() {
                    return Err(MdocError::Field {
                        field: "valueDigests",
                        reason: "digest length differs from the algorithm's",
                    });
                }
                digests.push((String::from(ns), id.uint("digestID")?, d.to_vec()));
            }
        }
        let dki = require(m, "deviceKeyInfo")?.map("deviceKeyInfo")?;
        let device_key = CoseKey::from_node(require(dki, "deviceKey")?)?;
        let mut authorized_namespaces = Vec::new();
        let mut authorized_elements = Vec::new();
        if let Some(ka) = get(dki, "keyAuthorizations") {
            let ka = ka.map("keyAuthorizations")?;
            if let Some(nss) = get(ka, "nameSpaces") {
                for ns in nss.array("keyAuthorizations")? {
                    authorized_namespaces.push(String::from(ns.text("keyAuthorizations")?));
                }
            }
            if let Some(des) = get(ka, "dataElements") {
                for (ns, elems) in des.map("keyAuthorizations")? {
                    let ns = ns.text("keyAuthorizations")?;
                    for e in elems.array("keyAuthorizations")? {
                        authorized_elements
                            .push((String::from(ns), String::from(e.text("keyAuthorizations")?)));
                    }
                }
            }
        }
        let doc_type = String::from(require(m, "docType")?.text("docType")?);
        let vi = require(m, "validityInfo")?.map("validityInfo")?;
        Ok(Mso {
            digest_algorithm,
            digests,
            device_key,
            authorized_namespaces,
            authorized_elements,
            doc_type,
            signed: tdate(require(vi, "signed")?, "signed")?,
            valid_from: tdate(require(vi, "validFrom")?, "validFrom")?,
            valid_until: tdate(require(vi, "validUntil")?, "validUntil")?,
        })
    }

    /// The MSO digest for `(namespace, digest_id)`.
    pub fn digest(&self, namespace: &str, digest_id: u64) -> Option<&[u8]> {
        self.digests
            .iter()
            .find(|(ns, id, _)| ns == namespace && *id == digest_id)
            .map(|(_, _, d)| d.as_slice())
    }

    /// Whether the device key may sign `element` of `namespace`.
    pub fn authorizes(&self, namespace: &str, element: &str) -> bool {
        self.authorized_namespaces.iter().any(|n| n == namespace)
            || self
                .authorized_elements
                .iter()
                .any(|(n, e)| n == namespace && e == element)
    }
}

/// `tdate` = `#6.0(tstr)` in RFC 3339 form (`2020-10-01T13:30:02Z`, fraction and offset
/// accepted).
pub fn tdate(node: &Node<'_>, field: &'static str) -> Result<UnixTime, MdocError> {
    let bad = MdocError::Field {
        field,
        reason: "not an RFC 3339 date-time (tag 0)",
    };
    let Value::Tag(0, inner) = &node.value else {
        return Err(bad);
    };
    parse_rfc3339(inner.text(field)?).ok_or(bad)
}

fn parse_rfc3339(s: &str) -> Option<UnixTime> {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b.get(10), Some(b'T' | b't')) {
        return None;
    }
    let day = CalendarDate::parse_iso(s.get(..10)?)
        .ok()?
        .start_of_day_utc()
        .ok()?;
    let num = |r: core::ops::Range<usize>| -> Option<u64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[13] != b':' || b[16] != b':' || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = frac.get(digits..)?;
    }
    let offset: i64 = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let d = |c: &u8| c.is_ascii_digit().then(|| i64::from(c - b'0'));
            let v = (d(h1)? * 10 + d(h2)?) * 3600 + (d(m1)? * 10 + d(m2)?) * 60;
            if *sign == b'+' { v } else { -v }
        }
        _ => return None,
    };
    let local = day.as_secs().checked_add(h * 3600 + mi * 60 + sec)?;
    let utc = i64::try_from(local).ok()?.checked_sub(offset)?;
    Some(UnixTime::from_secs(u64::try_from(utc).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_forms() {
        assert_eq!(
            parse_rfc3339("2020-10-01T13:30:02Z").map(UnixTime::as_secs),
            Some(1_601_559_002)
        );
        assert_eq!(
            parse_rfc3339("2020-10-01T22:30:02.5+09:00").map(UnixTime::as_secs),
            Some(1_601_559_002)
        );
        assert_eq!(parse_rfc3339("2020-10-01 13:30:02Z"), None);
        assert_eq!(parse_rfc3339("2020-13-01T13:30:02Z"), None);
    }
}
