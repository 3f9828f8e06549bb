//! The My Number Card's カード代替電磁的記録 (`org.iso.23220.1.jp.mnc`) as one typed result.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::MdocError;
use super::cbor::Value;
use super::document::{MdocEvidence, VerifiedDocument};
use super::names::{DOC_TYPE_JP_MNC, NS_23220, NS_JP};
use crate::MyNumber;
use crate::date::CalendarDate;

/// An element of the jp.mnc document this reader can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JpMncElement {
    /// `full_name_unicode` (氏名, one string: no given/family split).
    FullName,
    /// `resident_address_unicode` (住所).
    ResidentAddress,
    /// `birth_date` (full-date, namespace `org.iso.23220.1`).
    BirthDate,
    /// `birth_date_unicode` (a string such as "1971年9月1日").
    BirthDateUnicode,
    /// `sex` (ISO/IEC 5218, namespace `org.iso.23220.1`).
    Sex,
    /// `portrait` (the face photo, for the comparison the verifier makes).
    Portrait,
    /// `individual_number_unicode` (個人番号): disclosed only when asked.
    IndividualNumber,
}

impl JpMncElement {
    /// `(namespace, element identifier)`.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            JpMncElement::FullName => (NS_JP, "full_name_unicode"),
            JpMncElement::ResidentAddress => (NS_JP, "resident_address_unicode"),
            JpMncElement::BirthDate => (NS_23220, "birth_date"),
            JpMncElement::BirthDateUnicode => (NS_JP, "birth_date_unicode"),
            JpMncElement::Sex => (NS_23220, "sex"),
            JpMncElement::Portrait => (NS_JP, "portrait"),
            JpMncElement::IndividualNumber => (NS_JP, "individual_number_unicode"),
        }
    }

    /// The request entries for `elements` (no intent to retain).
    pub fn request(elements: &[JpMncElement]) -> Vec<(&'static str, &'static str, bool)> {
        elements
            .iter()
            .map(|e| {
                let (ns, id) = e.names();
                (ns, id, false)
            })
            .collect()
    }
}

/// The verified attributes of a jp.mnc document, zeroized on drop; `Debug` shows which are
/// present, never a value.
pub struct JpMncIdentity {
    /// 氏名.
    pub full_name: Option<Zeroizing<String>>,
    /// 住所.
    pub resident_address: Option<Zeroizing<String>>,
    /// 生年月日.
    pub birth_date: Option<CalendarDate>,
    /// 生年月日 as written on the card.
    pub birth_date_unicode: Option<Zeroizing<String>>,
    /// ISO/IEC 5218 sex code (1 male, 2 female, 0 unknown, 9 not applicable).
    pub sex: Option<u8>,
    /// The face photo (JPEG or JPEG 2000 bytes).
    pub portrait: Option<Zeroizing<Vec<u8>>>,
    /// 個人番号 (only when asked for).
    pub my_number: Option<MyNumber>,
    /// What was checked.
    pub evidence: MdocEvidence,
}

impl core::fmt::Debug for JpMncIdentity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JpMncIdentity")
            .field("full_name", &self.full_name.as_ref().map(|_| "<redacted>"))
            .field(
                "resident_address",
                &self.resident_address.as_ref().map(|_| "<redacted>"),
            )
            .field("birth_date", &self.birth_date.map(|_| "<redacted>"))
            .field(
                "birth_date_unicode",
                &self.birth_date_unicode.as_ref().map(|_| "<redacted>"),
            )
            .field("sex", &self.sex.map(|_| "<redacted>"))
            .field("portrait", &self.portrait.as_ref().map(|p| p.len()))
            .field("my_number", &self.my_number.as_ref().map(|_| "<redacted>"))
            .field("evidence", &self.evidence)
            .finish()
    }
}

impl JpMncIdentity {
    /// Reads the `asked` elements of a verified jp.mnc document: each must be disclosed and
    /// well-formed; an element not asked for (the number above all) is not read.
    pub fn from_document(doc: VerifiedDocument, asked: &[JpMncElement]) -> Result<Self, MdocError> {
        if doc.doc_type() != DOC_TYPE_JP_MNC {
            return Err(MdocError::DocTypeMismatch { which: "document" });
        }
        let mut id = JpMncIdentity {
            full_name: None,
            resident_address: None,
            birth_date: None,
            birth_date_unicode: None,
            sex: None,
            portrait: None,
            my_number: None,
            evidence: doc.evidence().clone(),
        };
        for e in asked {
            let (ns, name) = e.names();
            let node = doc
                .value(ns, name)
                .ok_or(MdocError::ElementMissing { element: name })??;
            let form = |reason| MdocError::ElementForm {
                element: name,
                reason,
            };
            let text = || match node.value {
                Value::Text(t) => Ok(Zeroizing::new(String::from(t))),
                _ => Err(form("not a text string")),
            };
            match e {
                JpMncElement::FullName => id.full_name = Some(text()?),
                JpMncElement::ResidentAddress => id.resident_address = Some(text()?),
                JpMncElement::BirthDateUnicode => id.birth_date_unicode = Some(text()?),
                JpMncElement::BirthDate => {
                    let t = match &node.value {
                        Value::Tag(1004, inner) => inner.text(name)?,
                        Value::Text(t) => t,
                        _ => return Err(form("not a full-date")),
                    };
                    id.birth_date =
                        Some(CalendarDate::parse_iso(t).map_err(|_| form("not a full-date"))?);
                }
                JpMncElement::Sex => {
                    let s = node.int().filter(|s| matches!(s, 0 | 1 | 2 | 9));
                    id.sex = Some(s.ok_or(form("not an ISO/IEC 5218 code"))? as u8);
                }
                JpMncElement::Portrait => match node.value {
                    Value::Bytes(b) => id.portrait = Some(Zeroizing::new(b.to_vec())),
                    _ => return Err(form("not a byte string")),
                },
                JpMncElement::IndividualNumber => {
                    let t = text()?;
                    id.my_number = Some(
                        MyNumber::parse(t.as_bytes()).map_err(|_| form("not a valid My Number"))?,
                    );
                }
            }
        }
        Ok(id)
    }

    /// [`JpMncIdentity::sex`] as the crate's [`crate::person::Sex`] (ISO/IEC 5218: `0` not
    /// known, `1` male, `2` female, `9` not applicable — the card's codes).
    pub fn person_sex(&self) -> Option<crate::person::Sex> {
        self.sex
            .and_then(|s| crate::person::Sex::from_card_code(b'0' + s))
    }

    /// Takes the 基本4情報 and the portrait out; each must have been asked for and disclosed
    /// ([`MdocError::ElementMissing`] names the first that was not).
    pub fn take_basic_four(&mut self) -> Result<JpMncBasicFour, MdocError> {
        let missing = |e: JpMncElement| MdocError::ElementMissing {
            element: e.names().1,
        };
        let sex = self.person_sex().ok_or(missing(JpMncElement::Sex))?;
        Ok(JpMncBasicFour {
            name: self
                .full_name
                .take()
                .ok_or(missing(JpMncElement::FullName))?,
            address: self
                .resident_address
                .take()
                .ok_or(missing(JpMncElement::ResidentAddress))?,
            birth_date: self.birth_date.ok_or(missing(JpMncElement::BirthDate))?,
            sex,
            portrait: self
                .portrait
                .take()
                .ok_or(missing(JpMncElement::Portrait))?,
        })
    }

    /// The attributes for serialization, naming what they disclose: with `include_my_number`
    /// the 個人番号 is in the output too. The portrait is never serialized (compare it, do not
    /// store it).
    pub fn disclose(&self, include_my_number: bool) -> JpMncDisclosure<'_> {
        JpMncDisclosure {
            identity: self,
            include_my_number,
        }
    }
}

/// The 基本4情報 and the portrait of a verified jp.mnc document, each present (what an
/// identity check at a counter or an employer reads). Texts and portrait zeroized on drop;
/// `Debug` redacts.
pub struct JpMncBasicFour {
    /// 氏名 (`full_name_unicode`).
    pub name: Zeroizing<String>,
    /// 住所 (`resident_address_unicode`).
    pub address: Zeroizing<String>,
    /// 生年月日 (`birth_date`).
    pub birth_date: CalendarDate,
    /// 性別 (`sex`, ISO/IEC 5218 read as the card's codes).
    pub sex: crate::person::Sex,
    /// The portrait, for the comparison the verifier makes; not to be stored.
    pub portrait: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for JpMncBasicFour {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JpMncBasicFour")
            .field("portrait_bytes", &self.portrait.len())
            .finish_non_exhaustive()
    }
}

/// A serializable view of a [`JpMncIdentity`] that states what it discloses.
#[derive(Debug)]
pub struct JpMncDisclosure<'a> {
    identity: &'a JpMncIdentity,
    include_my_number: bool,
}

impl serde::Serialize for JpMncDisclosure<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let i = self.identity;
        let mut st = s.serialize_struct("JpMncDisclosure", 7)?;
        st.serialize_field("full_name", &i.full_name.as_ref().map(|v| v.as_str()))?;
        st.serialize_field(
            "resident_address",
            &i.resident_address.as_ref().map(|v| v.as_str()),
        )?;
        st.serialize_field(
            "birth_date",
            &i.birth_date.map(|d| alloc::string::ToString::to_string(&d)),
        )?;
        st.serialize_field(
            "birth_date_unicode",
            &i.birth_date_unicode.as_ref().map(|v| v.as_str()),
        )?;
        st.serialize_field("sex", &i.sex)?;
        let number = if self.include_my_number {
            i.my_number
                .as_ref()
                .map(|n| core::str::from_utf8(n.expose_digits()).unwrap_or_default())
        } else {
            None
        };
        st.serialize_field("my_number", &number)?;
        st.serialize_field("device_auth", i.evidence.device_auth.as_str())?;
        st.end()
    }
}
