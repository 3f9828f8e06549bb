//! JPKI token information (EF 0006) and certificate availability (EF 0008).

use super::error::{FileError, FileErrorKind};
pub use super::model::TokenKind;
use alloc::string::String;

const FILE: &str = "JPKI EF 0006 (token info)";

/// Length of EF 0006 (a PKCS#11 `CK_TOKEN_INFO`).
pub const TOKEN_INFO_LEN: usize = 160;

/// The parsed `CK_TOKEN_INFO` of EF 0006 (32-bit big-endian integers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Label (trailing spaces and NULs removed), e.g. `JPKIAPICCTOKEN2`.
    pub label: String,
    /// The kind named by the label.
    pub kind: TokenKind,
    /// `manufacturerID` (trimmed).
    pub manufacturer: String,
    /// `model` (trimmed).
    pub model: String,
    /// `serialNumber` (trimmed).
    pub serial_number: String,
    /// `flags`.
    pub flags: u32,
}

fn text(bytes: &[u8], field: &'static str) -> Result<String, FileError> {
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |i| i + 1);
    let t = bytes.get(..end).unwrap_or_default();
    if !t.iter().all(|b| (0x20..0x7F).contains(b)) {
        return Err(FileError {
            file: FILE,
            kind: FileErrorKind::InvalidField {
                field,
                reason: "not printable ASCII",
            },
        });
    }
    Ok(t.iter().map(|&b| b as char).collect())
}

impl TokenInfo {
    /// Parses EF 0006. At least the 32-byte label must be present; the other
    /// fields are read when the file has them (the label is all peers rely on).
    pub fn parse(bytes: &[u8]) -> Result<Self, FileError> {
        let label_bytes = bytes.get(..32).ok_or(FileError {
            file: FILE,
            kind: FileErrorKind::InvalidField {
                field: "label",
                reason: "file shorter than the 32-byte label",
            },
        })?;
        let label = text(label_bytes, "label")?;
        let field = |r: core::ops::Range<usize>, name| match bytes.get(r) {
            Some(b) => text(b, name),
            None => Ok(String::new()),
        };
        let flags = bytes
            .get(96..100)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_be_bytes);
        Ok(Self {
            kind: TokenKind::from_label(&label),
            label,
            manufacturer: field(32..64, "manufacturerID")?,
            model: field(64..80, "model")?,
            serial_number: field(80..96, "serialNumber")?,
            flags,
        })
    }
}

/// One byte of EF 0008.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Availability {
    /// `8F`: the certificate is present.
    Present,
    /// `00`: absent (not issued — under 15, opted out — or revoked and removed).
    Absent,
    /// Another value (meaning not documented).
    Other(u8),
}

impl From<u8> for Availability {
    fn from(b: u8) -> Self {
        match b {
            0x8F => Self::Present,
            0x00 => Self::Absent,
            b => Self::Other(b),
        }
    }
}

/// EF 0008: which certificates the token holds (byte 0 sign, byte 1 auth; the
/// meaning is single-source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertAvailability {
    /// The 署名用 certificate.
    pub sign: Availability,
    /// The 利用者証明用 certificate.
    pub auth: Availability,
    /// The three bytes as read.
    pub raw: [u8; 3],
}

/// Length of EF 0008.
pub const CERT_AVAILABILITY_LEN: usize = 3;

impl CertAvailability {
    /// Parses the 3 bytes of EF 0008.
    pub fn parse(bytes: &[u8]) -> Result<Self, FileError> {
        let raw: [u8; 3] = bytes.try_into().map_err(|_| FileError {
            file: "JPKI EF 0008 (certificate availability)",
            kind: FileErrorKind::InvalidField {
                field: "content",
                reason: "not 3 bytes",
            },
        })?;
        Ok(Self {
            sign: raw[0].into(),
            auth: raw[1].into(),
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn ef0006(label: &str) -> Vec<u8> {
        let mut v = Vec::new();
        for (t, w) in [(label, 32), ("J-LIS", 32), ("M1", 16), ("0001", 16)] {
            let s = v.len();
            v.extend_from_slice(t.as_bytes());
            v.resize(s + w, b' ');
        }
        v.extend_from_slice(&0x0000_040Du32.to_be_bytes());
        v.resize(160, 0);
        v
    }

    #[test]
    fn token_kinds() {
        for (label, kind) in [
            ("JPKIAPICCTOKEN2", TokenKind::Card),
            ("JPKIAPICCTOKEN", TokenKind::JukiCard),
            ("JPKIAPGPSETOKEN", TokenKind::Android),
            ("JPKIAPIOSTOKEN", TokenKind::Iphone),
            ("SOMETHING", TokenKind::Unknown),
        ] {
            let t = TokenInfo::parse(&ef0006(label)).unwrap();
            assert_eq!(t.label, label);
            assert_eq!(t.kind, kind);
        }
        let t = TokenInfo::parse(&ef0006("JPKIAPICCTOKEN2")).unwrap();
        assert_eq!(t.manufacturer, "J-LIS");
        assert_eq!(t.model, "M1");
        assert_eq!(t.serial_number, "0001");
        assert_eq!(t.flags, 0x40D);
    }

    #[test]
    fn label_only_and_hostile() {
        let mut label = b"JPKIAPICCTOKEN2".to_vec();
        label.resize(32, 0);
        assert_eq!(TokenInfo::parse(&label).unwrap().kind, TokenKind::Card);
        assert!(matches!(
            TokenInfo::parse(&label[..31]),
            Err(FileError {
                kind: FileErrorKind::InvalidField { field: "label", .. },
                ..
            })
        ));
        let mut bad = ef0006("JPKI");
        bad[1] = 0xE3;
        assert!(matches!(
            TokenInfo::parse(&bad),
            Err(FileError {
                kind: FileErrorKind::InvalidField {
                    reason: "not printable ASCII",
                    ..
                },
                ..
            })
        ));
    }

    #[test]
    fn availability() {
        let a = CertAvailability::parse(&[0x8F, 0x8F, 0x00]).unwrap();
        assert_eq!(
            (a.sign, a.auth),
            (Availability::Present, Availability::Present)
        );
        let a = CertAvailability::parse(&[0x00, 0x8F, 0x00]).unwrap();
        assert_eq!(a.sign, Availability::Absent);
        assert_eq!(
            CertAvailability::parse(&[0x12, 0, 0]).unwrap().sign,
            Availability::Other(0x12)
        );
        assert!(CertAvailability::parse(&[0x8F, 0x8F]).is_err());
    }
}
