//! 券面事項入力補助AP (kenhojo): the basic 4 attributes, the 個人番号 (only through
//! explicitly named operations), and the integrity record that signs both.
//!
//! Parsers only; the [`Card`](super::Card) driver runs them.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::cv_certificate::{Check, CvCertificate, CvChainError, chain_result};
use super::cv_trust::CvTrust;
use super::error::{FileError, FileErrorKind, tlv};
use crate::crypto::{HashAlgorithm, SignatureAlgorithm};
use crate::date::CalendarDate;
use crate::my_number::MyNumber;
use crate::person::Sex;
use crate::tlv::Reader;

const EF1: &str = "券面事項入力補助AP EF 0001 (個人番号)";
const EF2: &str = "券面事項入力補助AP EF 0002 (基本4情報)";
const EF3: &str = "券面事項入力補助AP EF 0003 (integrity record)";
/// File name used in errors about the AP's CV certificate.
pub const EF4: &str = "券面事項入力補助AP EF 0004 (CV certificate)";

/// Physical length of EF 0001 (`FF 10 0C` + 12 digits + `FF FF`); its SHA-256 is
/// signed, filler included.
pub const MY_NUMBER_EF_LEN: usize = 17;

/// Parses a card sex code field (one ASCII digit).
pub(crate) fn parse_sex(file: &'static str, v: &[u8]) -> Result<Sex, FileError> {
    match v {
        [c] => Sex::from_card_code(*c),
        _ => None,
    }
    .ok_or(FileError {
        file,
        kind: FileErrorKind::InvalidField {
            field: "sex",
            reason: "not one of the digits 0, 1, 2, 9",
        },
    })
}

/// 基本4情報: name, address, birth date, sex. Zeroized on drop; `Debug` redacts.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct BasicFourInfo {
    name: String,
    address: String,
    birth_date: CalendarDate,
    #[zeroize(skip)]
    sex: Sex,
}

impl fmt::Debug for BasicFourInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BasicFourInfo(<redacted>)")
    }
}

impl BasicFourInfo {
    /// Name (family and given names separated by U+3000).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Address (full-width digits as on the card).
    pub fn address(&self) -> &str {
        &self.address
    }
    /// Birth date (Gregorian).
    pub fn birth_date(&self) -> CalendarDate {
        self.birth_date
    }
    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
}

fn utf8(file: &'static str, field: &'static str, v: &[u8]) -> Result<String, FileError> {
    core::str::from_utf8(v)
        .map(str::to_owned)
        .map_err(|_| FileError {
            file,
            kind: FileErrorKind::InvalidField {
                field,
                reason: "not UTF-8",
            },
        })
}

/// A parsed EF 0002 with the byte range covered by the integrity record's `DF32`
/// digest (from the `DF22` tag to the end of the outer value).
#[derive(Debug)]
pub struct BasicFourFile {
    /// The attributes.
    pub info: BasicFourInfo,
    /// SHA-256 of the signed range.
    pub fields_digest: [u8; 32],
}

/// Parses EF 0002 (`FF 20 { DF21 offsets, DF22 name, DF23 address, DF24 birth
/// date, DF25 sex }`).
pub fn parse_basic_four(bytes: &[u8]) -> Result<BasicFourFile, FileError> {
    let outer = Reader::new(bytes)
        .next()
        .ok_or(FileError {
            file: EF2,
            kind: FileErrorKind::MissingObject { tag: "FF20" },
        })?
        .map_err(tlv(EF2))?;
    if outer.tag() != [0xFF, 0x20] {
        return Err(FileError {
            file: EF2,
            kind: FileErrorKind::MissingObject { tag: "FF20" },
        });
    }
    let (mut name, mut address, mut dob, mut sex, mut start) = (None, None, None, None, None);
    for item in outer.children() {
        let t = item.map_err(tlv(EF2))?;
        match t.tag() {
            [0xDF, 0x22] => {
                start = Some(t.offset());
                name = Some(Zeroizing::new(utf8(EF2, "name", t.value())?));
            }
            [0xDF, 0x23] => address = Some(Zeroizing::new(utf8(EF2, "address", t.value())?)),
            [0xDF, 0x24] => dob = Some(t.value()),
            [0xDF, 0x25] => sex = Some(parse_sex(EF2, t.value())?),
            _ => {}
        }
    }
    let name = name.ok_or(FileError {
        file: EF2,
        kind: FileErrorKind::MissingObject { tag: "DF22" },
    })?;
    let address = address.ok_or(FileError {
        file: EF2,
        kind: FileErrorKind::MissingObject { tag: "DF23" },
    })?;
    let dob = dob.ok_or(FileError {
        file: EF2,
        kind: FileErrorKind::MissingObject { tag: "DF24" },
    })?;
    let sex = sex.ok_or(FileError {
        file: EF2,
        kind: FileErrorKind::MissingObject { tag: "DF25" },
    })?;
    let birth_date = CalendarDate::parse_yyyymmdd(dob).map_err(|_| FileError {
        file: EF2,
        kind: FileErrorKind::InvalidField {
            field: "birth date",
            reason: "not a YYYYMMDD date",
        },
    })?;
    let end = outer.value_offset() + outer.value().len();
    let signed = start.and_then(|s| bytes.get(s..end)).ok_or(FileError {
        file: EF2,
        kind: FileErrorKind::MissingObject { tag: "DF22" },
    })?;
    Ok(BasicFourFile {
        info: BasicFourInfo {
            name: name.to_string(),
            address: address.to_string(),
            birth_date,
            sex,
        },
        fields_digest: Sha256::digest(signed).into(),
    })
}

/// Parses the physical EF 0001 (17 bytes: `FF 10 0C` + 12 digits + filler) into a
/// validated 個人番号.
pub fn parse_my_number(bytes: &[u8]) -> Result<MyNumber, FileError> {
    let t = Reader::new(bytes)
        .find(&[0xFF, 0x10])
        .map_err(tlv(EF1))?
        .ok_or(FileError {
            file: EF1,
            kind: FileErrorKind::MissingObject { tag: "FF10" },
        })?;
    MyNumber::parse(t.value()).map_err(|_| FileError {
        file: EF1,
        kind: FileErrorKind::InvalidField {
            field: "個人番号",
            reason: "not 12 digits with a valid check digit",
        },
    })
}

/// EF 0003: `FF 30 { DF31 SHA-256(EF 0001), DF32 SHA-256(EF 0002 fields), DF33
/// signature }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityRecord {
    /// `DF31`: SHA-256 of the whole physical EF 0001.
    pub my_number_digest: Vec<u8>,
    /// `DF32`: SHA-256 of EF 0002 from `DF22` to the end of the outer value.
    pub basic_four_digest: Vec<u8>,
    signed: Vec<u8>,
    signature: Vec<u8>,
}

impl IntegrityRecord {
    /// Parses EF 0003.
    pub fn parse(bytes: &[u8]) -> Result<Self, FileError> {
        let outer = Reader::new(bytes)
            .find(&[0xFF, 0x30])
            .map_err(tlv(EF3))?
            .ok_or(FileError {
                file: EF3,
                kind: FileErrorKind::MissingObject { tag: "FF30" },
            })?;
        let (mut d1, mut d2, mut sig) = (None, None, None);
        for item in outer.children() {
            let t = item.map_err(tlv(EF3))?;
            match t.tag() {
                [0xDF, 0x31] => d1 = Some(t),
                [0xDF, 0x32] => d2 = Some(t),
                [0xDF, 0x33] => sig = Some(t),
                _ => {}
            }
        }
        let d1 = d1.ok_or(FileError {
            file: EF3,
            kind: FileErrorKind::MissingObject { tag: "DF31" },
        })?;
        let d2 = d2.ok_or(FileError {
            file: EF3,
            kind: FileErrorKind::MissingObject { tag: "DF32" },
        })?;
        let sig = sig.ok_or(FileError {
            file: EF3,
            kind: FileErrorKind::MissingObject { tag: "DF33" },
        })?;
        let mut signed = d1.raw().to_vec();
        signed.extend_from_slice(d2.raw());
        Ok(Self {
            my_number_digest: d1.value().to_vec(),
            basic_four_digest: d2.value().to_vec(),
            signed,
            signature: sig.value().to_vec(),
        })
    }
}

/// What the integrity check of the 券面事項入力補助AP established, down the whole
/// chain: record hashes → record signature under EF 0004's subject key → EF 0004
/// under the J-LIS CV CA key named by its issuer key ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IntegrityReport {
    /// `DF32` against the SHA-256 of EF 0002 as read.
    pub basic_four_digest: Check,
    /// `DF31` against the SHA-256 of EF 0001 — only when the 個人番号 was read
    /// through its named method; otherwise not checked.
    pub my_number_digest: Check,
    /// `DF33` (PKCS#1 v1.5 SHA-256 over `DF31‖DF32`) with the key in EF 0004.
    pub signature: Check,
    /// EF 0004's own signature under the J-LIS CV CA key its issuer key ID names
    /// ("not checked: unknown CV CA" when the trust does not hold that key).
    pub cv_certificate: Check,
    /// The name of the CV CA key EF 0004 was checked with (`"5000033"`…).
    pub cv_ca: Option<&'static str>,
}

impl IntegrityReport {
    /// Whether every check that was possible passed and the record signature and
    /// the basic-4 digest were verified.
    pub fn data_is_authentic(&self) -> bool {
        self.basic_four_digest.is_verified()
            && self.signature.is_verified()
            && self.my_number_digest != Check::Failed
            && self.cv_certificate != Check::Failed
    }

    /// Whether the whole chain is verified: the digests read, the record
    /// signature and EF 0004 under a known J-LIS CV CA key.
    pub fn chain_verified(&self) -> bool {
        self.data_is_authentic() && self.cv_certificate.is_verified()
    }

    /// The chain as a result: `Ok` only when [`IntegrityReport::chain_verified`],
    /// else the first link that did not verify.
    pub fn verified(self) -> Result<Self, CvChainError> {
        if self.basic_four_digest != Check::Verified || self.my_number_digest == Check::Failed {
            return Err(CvChainError::RecordDigest);
        }
        chain_result(self.signature, self.cv_certificate)?;
        Ok(self)
    }
}

/// Checks the integrity record against what was read, down the whole chain.
///
/// `my_number_file` is the whole physical EF 0001, when the caller read it through
/// an explicitly named 個人番号 method; `trust` holds the J-LIS CV CA keys.
pub fn check_integrity(
    basic_four: &BasicFourFile,
    my_number_file: Option<&[u8]>,
    record: &IntegrityRecord,
    cv_certificate: &CvCertificate,
    trust: &CvTrust,
) -> IntegrityReport {
    let signature = match cv_certificate.subject_key(EF4, trust.backend()) {
        Ok(key) => Check::from_bool(
            key.verify(
                SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
                &record.signed,
                &record.signature,
            )
            .is_ok(),
        ),
        Err(_) => Check::NotChecked("the CV certificate's public key is not usable"),
    };
    let (cv_check, cv_ca) = cv_certificate.check(trust);
    IntegrityReport {
        basic_four_digest: Check::from_bool(record.basic_four_digest == basic_four.fields_digest),
        my_number_digest: match my_number_file {
            Some(f) => {
                Check::from_bool(record.my_number_digest.as_slice() == Sha256::digest(f).as_slice())
            }
            None => Check::NotChecked("EF 0001 (個人番号) was not read"),
        },
        signature,
        cv_certificate: cv_check,
        cv_ca,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fact sheet's worked example (card-apdu.md §7.3), rebuilt.
    pub(crate) fn example_ef0002() -> Vec<u8> {
        let name = "山田　太郎".as_bytes();
        let addr = "東京都千代田区霞が関２－１－２".as_bytes();
        let mut fields = Vec::new();
        for (tag, v) in [
            (0x22u8, name),
            (0x23, addr),
            (0x24, b"19900401"),
            (0x25, b"2"),
        ] {
            fields.extend_from_slice(&[0xDF, tag, v.len() as u8]);
            fields.extend_from_slice(v);
        }
        let mut out = vec![0xFF, 0x20, (11 + fields.len()) as u8];
        out.extend_from_slice(&[0xDF, 0x21, 0x08, 0, 0x0E, 0, 0x20, 0, 0x50, 0, 0x5B]);
        out.extend_from_slice(&fields);
        out.extend_from_slice(&[0xFF; 8]);
        out
    }

    #[test]
    fn basic_four_worked_example() {
        let ef = example_ef0002();
        assert_eq!(&ef[..3], &[0xFF, 0x20, 0x5C]);
        let f = parse_basic_four(&ef).unwrap();
        assert_eq!(f.info.name(), "山田　太郎");
        assert_eq!(f.info.address(), "東京都千代田区霞が関２－１－２");
        assert_eq!(f.info.birth_date(), CalendarDate::new(1990, 4, 1).unwrap());
        assert_eq!(f.info.sex(), Sex::Female);
        let expected: [u8; 32] = Sha256::digest(&ef[14..95]).into();
        assert_eq!(f.fields_digest, expected);
        assert_eq!(format!("{:?}", f.info), "BasicFourInfo(<redacted>)");
    }

    #[test]
    fn basic_four_hostile() {
        let mut ef = example_ef0002();
        ef[2] = 0x7F; // outer length lies
        assert!(matches!(
            parse_basic_four(&ef),
            Err(FileError {
                kind: FileErrorKind::Tlv { .. },
                ..
            })
        ));
        let mut ef = example_ef0002();
        ef[94] = b'5';
        assert_eq!(
            parse_basic_four(&ef).unwrap_err(),
            FileError {
                file: EF2,
                kind: FileErrorKind::InvalidField {
                    field: "sex",
                    reason: "not one of the digits 0, 1, 2, 9"
                }
            }
        );
        let mut ef = example_ef0002();
        ef[17] = 0xFF; // name no longer UTF-8
        assert!(matches!(
            parse_basic_four(&ef),
            Err(FileError {
                kind: FileErrorKind::InvalidField { field: "name", .. },
                ..
            })
        ));
        assert!(matches!(
            parse_basic_four(&[0xFF, 0x10, 0x00]),
            Err(FileError {
                kind: FileErrorKind::MissingObject { tag: "FF20", .. },
                ..
            })
        ));
        assert!(parse_basic_four(&[]).is_err());
    }

    #[test]
    fn my_number_file() {
        let ef = [
            0xFF, 0x10, 0x0C, b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8', b'9', b'0', b'1',
            b'8', 0xFF, 0xFF,
        ];
        assert_eq!(
            parse_my_number(&ef).unwrap().expose_digits(),
            b"123456789018"
        );
        let mut bad = ef;
        bad[14] = b'7';
        assert!(matches!(
            parse_my_number(&bad),
            Err(FileError {
                kind: FileErrorKind::InvalidField {
                    field: "個人番号",
                    ..
                },
                ..
            })
        ));
    }
}
