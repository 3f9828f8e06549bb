//! The holder's 基本4情報 in a signature certificate's subjectAltName otherNames
//! (`1.2.392.200149.8.5.5.1`–`.6`), decoded by OID, never by position.
//!
//! Only reachable through [`super::VerifiedCertificate::holder_attributes`].

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use der::asn1::{AnyRef, ObjectIdentifier, Utf8StringRef};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::PkiError;
use crate::date::Era;
use crate::person::Sex;

const ARC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5");
/// 氏名.
pub const OID_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.1");
/// Substitute-character flags of the name.
pub const OID_NAME_FLAGS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.2");
/// 性別.
pub const OID_SEX: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.3");
/// 生年月日.
pub const OID_BIRTH_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.4");
/// 住所.
pub const OID_ADDRESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.5");
/// Substitute-character flags of the address.
pub const OID_ADDRESS_FLAGS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.6");

/// The certificate's birth date: era digit + Gregorian date, where parts may be unknown
/// (`0` era, `00`/`0000` parts) — hence not a [`crate::date::CalendarDate`] (use
/// [`CertificateBirthDate::calendar_date`] when complete).
#[derive(Clone, Copy, PartialEq, Eq, Zeroize)]
pub struct CertificateBirthDate {
    #[zeroize(skip)]
    era: Option<Era>,
    year: Option<u16>,
    month: Option<u8>,
    day: Option<u8>,
}

impl CertificateBirthDate {
    /// The era (`None`: the certificate's era digit is `0`, unknown).
    pub fn era(&self) -> Option<Era> {
        self.era
    }
    /// Gregorian year, if known.
    pub fn year(&self) -> Option<u16> {
        self.year
    }
    /// Month 1–12, if known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }
    /// Day 1–31, if known.
    pub fn day(&self) -> Option<u8> {
        self.day
    }
    /// `(year, month, day)` when the date is complete.
    pub fn complete(&self) -> Option<(u16, u8, u8)> {
        Some((self.year?, self.month?, self.day?))
    }
    /// The date in the crate's calendar, when complete and valid.
    pub fn calendar_date(&self) -> Option<crate::date::CalendarDate> {
        let (y, m, d) = self.complete()?;
        crate::date::CalendarDate::new(y, m, d).ok()
    }

    fn parse(s: &str) -> Result<Self, &'static str> {
        let b = s.as_bytes();
        if b.len() != 9 || !b.iter().all(u8::is_ascii_digit) {
            return Err("birth date is not 9 digits (era + YYYYMMDD)");
        }
        let num = |r: core::ops::Range<usize>| -> u16 {
            b.get(r)
                .unwrap_or_default()
                .iter()
                .fold(0u16, |a, d| a * 10 + u16::from(d - b'0'))
        };
        let era = match b.first().copied() {
            Some(b'0') => None,
            Some(d) => Some(Era::from_digit(d).ok_or("unknown era code")?),
            None => return Err("unknown era code"),
        };
        let (y, m, d) = (num(1..5), num(5..7), num(7..9));
        if m > 12 || d > 31 {
            return Err("month or day out of range");
        }
        let nz16 = |v: u16| (v != 0).then_some(v);
        let nz8 = |v: u16| u8::try_from(v).ok().filter(|v| *v != 0);
        Ok(CertificateBirthDate {
            era,
            year: nz16(y),
            month: nz8(m),
            day: nz8(d),
        })
    }
}

impl fmt::Debug for CertificateBirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CertificateBirthDate(<redacted>)")
    }
}

/// Per-character substitute-character flags (`1` = that character was replaced by a 代替文字).
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SubstituteFlags(Vec<bool>);

impl SubstituteFlags {
    /// One flag per character of the text.
    pub fn flags(&self) -> &[bool] {
        &self.0
    }
    /// Whether any character was substituted.
    pub fn any(&self) -> bool {
        self.0.iter().any(|f| *f)
    }

    fn parse(s: &str) -> Result<Self, &'static str> {
        s.chars()
            .map(|c| match c {
                '0' => Ok(false),
                '1' => Ok(true),
                _ => Err("flag is not 0 or 1"),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(SubstituteFlags)
    }
}

impl fmt::Debug for SubstituteFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SubstituteFlags(<{} flags>)", self.0.len())
    }
}

/// An otherName this library does not decode, kept raw (e.g. a future furigana item).
#[derive(Clone, PartialEq, Eq)]
pub struct RawOtherName {
    /// The type-id OID.
    pub oid: ObjectIdentifier,
    /// The DER of the `[0] EXPLICIT` value's content.
    pub value_der: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for RawOtherName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RawOtherName({}, <{} bytes redacted>)",
            self.oid,
            self.value_der.len()
        )
    }
}

/// The holder's attributes from a verified signature certificate. Zeroized on drop; `Debug`
/// redacts everything.
#[derive(Clone)]
pub struct HolderAttributes {
    name: Zeroizing<String>,
    name_flags: SubstituteFlags,
    address: Zeroizing<String>,
    address_flags: SubstituteFlags,
    birth_date: CertificateBirthDate,
    sex: Sex,
    other: Vec<RawOtherName>,
}

impl HolderAttributes {
    /// 氏名 (family and given name separated by U+3000).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Which characters of the name are substitutes.
    pub fn name_flags(&self) -> &SubstituteFlags {
        &self.name_flags
    }
    /// 住所.
    pub fn address(&self) -> &str {
        &self.address
    }
    /// Which characters of the address are substitutes.
    pub fn address_flags(&self) -> &SubstituteFlags {
        &self.address_flags
    }
    /// 生年月日.
    pub fn birth_date(&self) -> CertificateBirthDate {
        self.birth_date
    }
    /// 性別.
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// otherNames not decoded here, in certificate order.
    pub fn other_names(&self) -> &[RawOtherName] {
        &self.other
    }
}

impl fmt::Debug for HolderAttributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HolderAttributes(<redacted>)")
    }
}

fn bad(oid: ObjectIdentifier, detail: &'static str) -> PkiError {
    PkiError::BadAttribute { oid, detail }
}

/// One otherName, borrowed from the certificate's (zeroized) DER.
struct OtherNameRef<'a> {
    type_id: ObjectIdentifier,
    value: AnyRef<'a>,
}

/// The otherNames of a subjectAltName value, read with borrowed readers: no owned copy of the
/// personal values is made (only the `Zeroizing` strings below).
fn other_names(san_der: &[u8]) -> der::Result<Vec<OtherNameRef<'_>>> {
    const OTHER_NAME: Tag = Tag::ContextSpecific {
        constructed: true,
        number: der::TagNumber(0),
    };
    let mut r = SliceReader::new(san_der)?;
    let mut out = Vec::new();
    r.sequence(|names| {
        while !names.is_finished() {
            let h = der::Header::decode(names)?;
            if h.tag() != OTHER_NAME {
                names.read_slice(h.length())?;
                continue;
            }
            let on = names.read_nested(h.length(), |on| {
                let type_id = ObjectIdentifier::decode(on)?;
                // value [0] EXPLICIT ANY
                let w = der::Header::decode(on)?;
                w.tag().assert_eq(OTHER_NAME)?;
                let value = on.read_nested(w.length(), AnyRef::decode)?;
                Ok::<_, der::Error>(OtherNameRef { type_id, value })
            })?;
            out.push(on);
        }
        Ok::<_, der::Error>(())
    })?;
    r.finish()?;
    Ok(out)
}

/// Decodes the six JPKI otherNames from a subjectAltName extension value.
pub(crate) fn parse(san_der: &[u8]) -> Result<HolderAttributes, PkiError> {
    let names = other_names(san_der).map_err(|e| PkiError::malformed("subjectAltName", e))?;
    let mut slots: [Option<Zeroizing<String>>; 6] = Default::default();
    let mut other = Vec::new();
    for on in &names {
        let arc = on
            .type_id
            .parent()
            .filter(|p| *p == ARC)
            .and_then(|_| on.type_id.arcs().last());
        let slot = arc
            .and_then(|a| a.checked_sub(1))
            .and_then(|i| slots.get_mut(usize::try_from(i).ok()?));
        match slot {
            Some(slot) => {
                if slot.is_some() {
                    return Err(bad(on.type_id, "attribute appears twice"));
                }
                if on.value.tag() != Tag::Utf8String {
                    return Err(bad(on.type_id, "value is not a UTF8String"));
                }
                let s = Utf8StringRef::try_from(on.value)
                    .map_err(|_| bad(on.type_id, "invalid UTF-8"))?;
                *slot = Some(Zeroizing::new(s.as_str().to_owned()));
            }
            None => {
                let der = der::Encode::to_der(&on.value)
                    .map_err(|e| PkiError::malformed("otherName", e))?;
                other.push(RawOtherName {
                    oid: on.type_id,
                    value_der: Zeroizing::new(der),
                });
            }
        }
    }
    let [name, name_flags, sex, birth, address, address_flags] = slots;
    let name = name.ok_or(bad(OID_NAME, "missing"))?;
    let address = address.ok_or(bad(OID_ADDRESS, "missing"))?;
    let name_flags = SubstituteFlags::parse(&name_flags.ok_or(bad(OID_NAME_FLAGS, "missing"))?)
        .map_err(|d| bad(OID_NAME_FLAGS, d))?;
    if name_flags.0.len() != name.chars().count() {
        return Err(bad(OID_NAME_FLAGS, "one flag per name character expected"));
    }
    let address_flags =
        SubstituteFlags::parse(&address_flags.ok_or(bad(OID_ADDRESS_FLAGS, "missing"))?)
            .map_err(|d| bad(OID_ADDRESS_FLAGS, d))?;
    if address_flags.0.len() != address.chars().count() {
        return Err(bad(
            OID_ADDRESS_FLAGS,
            "one flag per address character expected",
        ));
    }
    let birth_date = CertificateBirthDate::parse(&birth.ok_or(bad(OID_BIRTH_DATE, "missing"))?)
        .map_err(|d| bad(OID_BIRTH_DATE, d))?;
    let sex = match sex.ok_or(bad(OID_SEX, "missing"))?.as_bytes() {
        [code] => Sex::from_jpki_code(*code),
        _ => None,
    }
    .ok_or(bad(OID_SEX, "not 1, 2 or 3"))?;
    Ok(HolderAttributes {
        name,
        name_flags,
        address,
        address_flags,
        birth_date,
        sex,
        other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn birth_date_handles_full_partial_and_bad_values() {
        let d = CertificateBirthDate::parse("419900401").expect("full");
        assert_eq!(
            (d.era(), d.complete()),
            (Some(Era::Heisei), Some((1990, 4, 1)))
        );
        assert_eq!(
            d.calendar_date().map(|c| c.to_string()),
            Some("1990-04-01".into())
        );
        let p = CertificateBirthDate::parse("319450000").expect("partial");
        assert_eq!(
            (p.year(), p.month(), p.day(), p.complete()),
            (Some(1945), None, None, None)
        );
        assert_eq!(
            CertificateBirthDate::parse("000000000").map(|d| d.era()),
            Ok(None)
        );
        assert_eq!(
            CertificateBirthDate::parse("619900401"),
            Err("unknown era code")
        );
        assert_eq!(
            CertificateBirthDate::parse("41990041"),
            Err("birth date is not 9 digits (era + YYYYMMDD)")
        );
        assert_eq!(
            CertificateBirthDate::parse("419901301"),
            Err("month or day out of range")
        );
        assert_eq!(format!("{d:?}"), "CertificateBirthDate(<redacted>)");
    }

    proptest::proptest! {
        #[test]
        fn hostile_subject_alt_names_fail_typed(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            // Arbitrary bytes never panic; a DER SEQUENCE that decodes still needs all six items.
            let r = parse(&bytes);
            proptest::prop_assert!(r.is_err());
        }
    }

    #[test]
    fn flags_parse_per_character() {
        let f = SubstituteFlags::parse("10000").expect("flags");
        assert_eq!(f.flags(), &[true, false, false, false, false]);
        assert!(f.any());
        assert!(SubstituteFlags::parse("10x").is_err());
    }
}
