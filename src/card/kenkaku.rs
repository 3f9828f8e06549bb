//! 券面事項確認AP (kenkaku): the card face — photo (JPEG 2000), name and address
//! images, birth date, sex, expiry — and the check of its signature.
//!
//! Parsers only; the [`Card`](super::Card) driver runs them.

use alloc::vec::Vec;
use core::fmt;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::cv_certificate::{Check, CvCertificate, CvChainError, chain_result};
use super::cv_trust::CvTrust;
use super::error::{FileError, FileErrorKind, tlv};
use super::kenhojo::parse_sex;
use crate::date::CalendarDate;
use crate::person::Sex;
use crate::tlv::Reader;

const EF2: &str = "券面事項確認AP EF 0002 (card face)";
/// File name used in errors about the AP's CV certificate.
pub const EF4: &str = "券面事項確認AP EF 0004 (CV certificate)";

/// The face photo: JPEG 2000 bytes (JP2 container) as stored. Zeroized on drop;
/// `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct FaceImage(Vec<u8>);

impl FaceImage {
    /// The JPEG 2000 bytes.
    pub fn jpeg2000(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for FaceImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FaceImage(<{} bytes redacted>)", self.0.len())
    }
}

/// The card face (EF 0002). Zeroized on drop; `Debug` redacts.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct CardFace {
    birth_date: CalendarDate,
    #[zeroize(skip)]
    sex: Sex,
    name_image: Vec<u8>,
    address_image: Vec<u8>,
    face: FaceImage,
    expiry: Option<CalendarDate>,
    security_code_image: Vec<u8>,
}

impl fmt::Debug for CardFace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardFace(<redacted>)")
    }
}

impl CardFace {
    /// Birth date.
    pub fn birth_date(&self) -> CalendarDate {
        self.birth_date
    }
    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// Name as printed, a PNG image.
    pub fn name_image(&self) -> &[u8] {
        &self.name_image
    }
    /// Address as printed, a PNG image.
    pub fn address_image(&self) -> &[u8] {
        &self.address_image
    }
    /// The photo.
    pub fn face(&self) -> &FaceImage {
        &self.face
    }
    /// Card expiry (`DF29`; not covered by the signature), when present.
    pub fn expiry(&self) -> Option<CalendarDate> {
        self.expiry
    }
    /// The security code as printed, a PNG image (`DF2A`, not signed); empty when absent.
    pub fn security_code_image(&self) -> &[u8] {
        &self.security_code_image
    }
}

/// A parsed EF 0002 with the material needed to check its signature.
#[derive(Debug)]
pub struct CardFaceFile {
    /// The card face.
    pub face: CardFace,
    /// SHA-256(DF22‖DF23‖DF24) ‖ SHA-256(DF25‖DF26) ‖ SHA-256(DF27), TLVs as stored.
    pub signed_digests: [u8; 96],
    /// `DF28`.
    pub signature: Vec<u8>,
}

fn date(field: &'static str, v: &[u8]) -> Result<CalendarDate, FileError> {
    CalendarDate::parse_yyyymmdd(v).map_err(|_| FileError {
        file: EF2,
        kind: FileErrorKind::InvalidField {
            field,
            reason: "not a YYYYMMDD date",
        },
    })
}

/// Parses EF 0002 (`FF 20 { DF21 offsets, DF22 birth date, DF23 sex, DF24 card
/// key, DF25 name PNG, DF26 address PNG, DF27 photo, DF28 signature, DF29 expiry,
/// DF2A security-code PNG }`).
pub fn parse_card_face(bytes: &[u8]) -> Result<CardFaceFile, FileError> {
    let outer = Reader::new(bytes)
        .find(&[0xFF, 0x20])
        .map_err(tlv(EF2))?
        .ok_or(FileError {
            file: EF2,
            kind: FileErrorKind::MissingObject { tag: "FF20" },
        })?;
    let mut raw: [Option<crate::tlv::Tlv<'_>>; 10] = [None; 10];
    for item in outer.children() {
        let t = item.map_err(tlv(EF2))?;
        if let [0xDF, n @ 0x21..=0x2A] = t.tag()
            && let Some(slot) = raw.get_mut(usize::from(n - 0x21))
        {
            *slot = Some(t);
        }
    }
    const TAGS: [&str; 10] = [
        "DF21", "DF22", "DF23", "DF24", "DF25", "DF26", "DF27", "DF28", "DF29", "DF2A",
    ];
    let get = |i: usize| -> Result<crate::tlv::Tlv<'_>, FileError> {
        raw.get(i).copied().flatten().ok_or(FileError {
            file: EF2,
            kind: FileErrorKind::MissingObject { tag: TAGS[i % 10] },
        })
    };
    let (dob, sex, key, name, addr, photo, sig) = (
        get(1)?,
        get(2)?,
        get(3)?,
        get(4)?,
        get(5)?,
        get(6)?,
        get(7)?,
    );
    let cat = |parts: &[&[u8]]| -> [u8; 32] {
        let mut h = Sha256::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().into()
    };
    let mut signed_digests = [0u8; 96];
    signed_digests[..32].copy_from_slice(&cat(&[dob.raw(), sex.raw(), key.raw()]));
    signed_digests[32..64].copy_from_slice(&cat(&[name.raw(), addr.raw()]));
    signed_digests[64..].copy_from_slice(&cat(&[photo.raw()]));
    let expiry = match raw[8] {
        Some(t) => Some(date("expiry", t.value())?),
        None => None,
    };
    Ok(CardFaceFile {
        face: CardFace {
            birth_date: date("birth date", dob.value())?,
            sex: parse_sex(EF2, sex.value())?,
            name_image: name.value().to_vec(),
            address_image: addr.value().to_vec(),
            face: FaceImage(photo.value().to_vec()),
            expiry,
            security_code_image: raw[9].map(|t| t.value().to_vec()).unwrap_or_default(),
        },
        signed_digests,
        signature: sig.value().to_vec(),
    })
}

/// What the card-face check established, down the whole chain: the `DF28`
/// signature over the three segment digests (photo included) under EF 0004's
/// subject key, then EF 0004 under the J-LIS CV CA key named by its issuer key ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaceSignatureReport {
    /// `DF28` with the key in EF 0004 (covers birth date, sex, card key, name and
    /// address images and the photo; not the expiry nor the security code).
    pub signature: Check,
    /// EF 0004's own signature under the J-LIS CV CA key its issuer key ID names
    /// ("not checked: unknown CV CA" when the trust does not hold that key).
    pub cv_certificate: Check,
    /// The name of the CV CA key EF 0004 was checked with (`"5000023"`…).
    pub cv_ca: Option<&'static str>,
}

impl FaceSignatureReport {
    /// Whether the whole chain verified down to a known J-LIS CV CA key.
    pub fn chain_verified(&self) -> bool {
        self.signature.is_verified() && self.cv_certificate.is_verified()
    }

    /// The chain as a result: `Ok` only when [`FaceSignatureReport::chain_verified`].
    pub fn verified(self) -> Result<Self, CvChainError> {
        chain_result(self.signature, self.cv_certificate)?;
        Ok(self)
    }
}

impl CardFaceFile {
    /// Checks the card-face record (photo included) down the whole chain before
    /// anyone compares faces: `Ok` only when the `DF28` signature verifies under
    /// EF 0004's subject key and EF 0004 under a J-LIS CV CA key `trust` holds.
    ///
    /// `cv_certificate` is the 券面事項確認AP's EF 0004, parsed with
    /// [`CvCertificate::parse`] (file name [`EF4`]).
    pub fn verify(
        &self,
        cv_certificate: &CvCertificate,
        trust: &CvTrust,
    ) -> Result<FaceSignatureReport, CvChainError> {
        check_face(self, cv_certificate, trust).verified()
    }
}

/// The DigestInfo the `DF28` signature is over: SHA-256 OID with a 96-byte
/// OCTET STRING (three concatenated digests).
pub fn face_digest_info(signed_digests: &[u8; 96]) -> Vec<u8> {
    let mut di = vec![
        0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x60,
    ];
    di.extend_from_slice(signed_digests);
    di
}

/// Checks the card face signature and EF 0004, as a report (see
/// [`CardFaceFile::verify`] for the result form).
pub fn check_face(
    file: &CardFaceFile,
    cv_certificate: &CvCertificate,
    trust: &CvTrust,
) -> FaceSignatureReport {
    let signature = match cv_certificate.subject_key(EF4, trust.backend()) {
        Ok(key) => Check::from_bool(
            key.verify_raw_pkcs1(&face_digest_info(&file.signed_digests), &file.signature)
                .is_ok(),
        ),
        Err(_) => Check::NotChecked("the CV certificate's public key is not usable"),
    };
    let (cv_check, cv_ca) = cv_certificate.check(trust);
    FaceSignatureReport {
        signature,
        cv_certificate: cv_check,
        cv_ca,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tag: u8, v: &[u8]) -> Vec<u8> {
        let mut o = vec![0xDF, tag, 0x82, (v.len() >> 8) as u8, v.len() as u8];
        o.extend_from_slice(v);
        o
    }

    fn ef() -> Vec<u8> {
        let mut body = t(0x21, &[0; 18]);
        for (tag, v) in [
            (0x22, &b"19900401"[..]),
            (0x23, b"1"),
            (0x24, &[0x90, 0x01, 0x03][..]),
            (0x25, b"\x89PNG name"),
            (0x26, b"\x89PNG addr"),
            (0x27, &[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20][..]),
            (0x28, &[0x55; 256][..]),
            (0x29, b"20350401"),
            (0x2A, b"\x89PNG code"),
        ] {
            body.extend_from_slice(&t(tag, v));
        }
        let mut out = vec![0xFF, 0x20, 0x82, (body.len() >> 8) as u8, body.len() as u8];
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn parses_the_face() {
        let f = parse_card_face(&ef()).unwrap();
        assert_eq!(f.face.birth_date(), CalendarDate::new(1990, 4, 1).unwrap());
        assert_eq!(f.face.sex(), Sex::Male);
        assert_eq!(
            f.face.expiry(),
            Some(CalendarDate::new(2035, 4, 1).unwrap())
        );
        assert_eq!(
            f.face.face().jpeg2000(),
            &[0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20]
        );
        assert_eq!(f.face.name_image(), b"\x89PNG name");
        assert_eq!(f.signature, vec![0x55; 256]);
        let dob = t(0x22, b"19900401");
        let sex = t(0x23, b"1");
        let key = t(0x24, &[0x90, 0x01, 0x03]);
        let first: [u8; 32] = Sha256::digest([dob, sex, key].concat()).into();
        assert_eq!(&f.signed_digests[..32], &first);
        assert_eq!(format!("{:?}", f.face), "CardFace(<redacted>)");
        assert_eq!(
            format!("{:?}", f.face.face()),
            "FaceImage(<8 bytes redacted>)"
        );
        assert_eq!(face_digest_info(&f.signed_digests).len(), 0x73);
    }

    #[test]
    fn missing_and_lying() {
        let mut e = ef();
        e[4] = e[4].wrapping_add(1); // outer length one byte too long
        assert!(matches!(
            parse_card_face(&e),
            Err(FileError {
                kind: FileErrorKind::Tlv { .. },
                ..
            })
        ));
        let e = [0xFF, 0x20, 0x05, 0xDF, 0x22, 0x01, 0x31, 0x00];
        assert!(matches!(
            parse_card_face(&e),
            Err(FileError {
                kind: FileErrorKind::MissingObject { .. },
                ..
            })
        ));
    }
}
