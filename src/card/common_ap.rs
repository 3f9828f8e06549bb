//! The 共通カードAP (common card application, `D3 92 10 00 31 00 01 01 01 00`), sans-IO:
//! its card-info record and INTERNAL AUTHENTICATE with its key `0019`, as measured
//! (soltia48/myna-card `src/ap/common.rs`, `src/card.rs`; card-apdu.md §3.4 and §5.6,
//! single source).
//!
//! - EF `0001` is record-structured; record 1 is the simple TLV `01 1C` followed by 28
//!   ASCII digits: serial number (15), 全国地方公共団体コード (5), expiry `YYYYMMDD`.
//!   Readable without a PIN.
//! - INTERNAL AUTHENTICATE `00 88 00 99 Lc <challenge> 00` makes the card sign the
//!   challenge with sha256WithRSAEncryption (PKCS#1 v1.5) under the key `0019`, with no
//!   credential — card authenticity without a PIN, as facility systems use it. The
//!   key's public half is on no file of the card: a verifier needs it from elsewhere.

use super::{Card, CardError, FileError, FileErrorKind};
use crate::apdu::Command;
use crate::transport::Transport;
use alloc::vec::Vec;

/// The 共通カードAP's DF name.
pub const COMMON_AP_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00];

/// The INTERNAL AUTHENTICATE key's EF.
pub const INTERNAL_AUTHENTICATION_KEY: u16 = 0x0019;

/// `00 A4 04 0C 0A <AID>`: select the 共通カードAP.
pub(crate) fn select() -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(COMMON_AP_AID)
}

/// `00 B2 01 0C 00`: READ RECORD of record 1 of EF `0001` by its short EF identifier.
pub(crate) fn read_card_info() -> Command {
    Command::new(0x00, 0xB2, 0x01, (0x01 << 3) | 0x04).with_le(256)
}

/// Longest challenge INTERNAL AUTHENTICATE takes.
pub const MAX_CHALLENGE: usize = 255;

/// `00 88 00 99 Lc <challenge> 00`: INTERNAL AUTHENTICATE with key `0019` (by SFI).
/// `None` for an empty challenge or one over [`MAX_CHALLENGE`] bytes.
pub fn internal_authenticate(challenge: &[u8]) -> Option<Command> {
    (1..=MAX_CHALLENGE).contains(&challenge.len()).then(|| {
        Command::new(0x00, 0x88, 0x00, 0x80 | INTERNAL_AUTHENTICATION_KEY as u8)
            .with_data(challenge.to_vec())
            .with_le(256)
    })
}

/// Why record 1 of EF `0001` is not a card-info record. Never carries the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardInfoError {
    /// Shorter than the 2-byte simple-TLV header.
    #[error("共通AP EF 0001 record 1: {len} bytes, shorter than a simple-TLV header")]
    Truncated {
        /// The record's length.
        len: usize,
    },
    /// The tag is not `01`.
    #[error("共通AP EF 0001 record 1: tag {tag:02X} at offset 0, expected 01")]
    Tag {
        /// The tag found.
        tag: u8,
    },
    /// The length byte is not `1C` or the value is not that long.
    #[error(
        "共通AP EF 0001 record 1: length {declared} at offset 1 with {available} value bytes, expected 28"
    )]
    Length {
        /// The declared length.
        declared: u8,
        /// The bytes after the header.
        available: usize,
    },
    /// A value byte is not an ASCII digit.
    #[error("共通AP EF 0001 record 1: byte at offset {offset} is not a digit")]
    NotDigit {
        /// Offset in the record.
        offset: usize,
    },
}

/// Record 1 of the 共通カードAP's EF `0001`: what the card says about itself.
#[derive(Clone, PartialEq, Eq)]
pub struct CommonCardInfo {
    digits: [u8; 28],
}

impl core::fmt::Debug for CommonCardInfo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CommonCardInfo")
            .field("municipality_code", &self.municipality_code())
            .field("expiry", &self.expiry())
            .finish_non_exhaustive()
    }
}

impl CommonCardInfo {
    /// Parses the record (`01 1C` + 28 ASCII digits).
    pub fn parse(record: &[u8]) -> Result<Self, CardInfoError> {
        let [tag, len, value @ ..] = record else {
            return Err(CardInfoError::Truncated { len: record.len() });
        };
        if *tag != 0x01 {
            return Err(CardInfoError::Tag { tag: *tag });
        }
        let digits: [u8; 28] =
            value
                .try_into()
                .ok()
                .filter(|_| *len == 0x1C)
                .ok_or(CardInfoError::Length {
                    declared: *len,
                    available: value.len(),
                })?;
        if let Some(i) = digits.iter().position(|b| !b.is_ascii_digit()) {
            return Err(CardInfoError::NotDigit { offset: i + 2 });
        }
        Ok(Self { digits })
    }

    fn text(&self, range: core::ops::Range<usize>) -> &str {
        // Checked to be ASCII digits by `parse`.
        core::str::from_utf8(self.digits.get(range).unwrap_or_default()).unwrap_or_default()
    }

    /// The card's serial number, 15 digits.
    pub fn serial_number(&self) -> &str {
        self.text(0..15)
    }

    /// The issuing municipality's 全国地方公共団体コード, 5 digits.
    pub fn municipality_code(&self) -> &str {
        self.text(15..20)
    }

    /// The prefecture code: the first two digits of the municipality code.
    pub fn prefecture_code(&self) -> &str {
        self.text(15..17)
    }

    /// The card's expiry, `YYYYMMDD` as stored.
    pub fn expiry(&self) -> &str {
        self.text(20..28)
    }
}

impl<T: Transport> Card<T> {
    fn enter_common_ap(&mut self) -> Result<(), CardError> {
        // Leaving the current application ends its verified state on the card.
        self.forget_state();
        self.run(|ex| ex.transmit_ok(&select()).map(drop))
    }

    /// Reads the 共通カードAP's card info (serial number, municipality, expiry); no PIN.
    pub fn common_card_info(&mut self) -> Result<CommonCardInfo, CardError> {
        self.enter_common_ap()?;
        let record = self.run(|ex| ex.transmit_ok(&read_card_info()).map(|r| r.data().to_vec()))?;
        CommonCardInfo::parse(&record).map_err(|e| {
            CardError::File(FileError {
                file: "共通AP EF 0001",
                kind: FileErrorKind::InvalidField {
                    field: "record 1",
                    reason: match e {
                        CardInfoError::Truncated { .. } => "truncated",
                        CardInfoError::Tag { .. } => "tag is not 01",
                        CardInfoError::Length { .. } => "not 28 bytes",
                        _ => "not digits",
                    },
                },
            })
        })
    }

    /// INTERNAL AUTHENTICATE with the 共通カードAP key `0019`: the card's
    /// sha256WithRSAEncryption signature over `challenge` (use a fresh random one), without
    /// a PIN. Verify it with the key's public half, which the issuer — not the card —
    /// provides. (Other challenge sizes, 1–255 bytes: [`crate::internal::internal_authenticate`].)
    pub fn common_internal_authenticate(
        &mut self,
        challenge: &[u8; 32],
    ) -> Result<Vec<u8>, CardError> {
        let command = Command::new(0x00, 0x88, 0x00, 0x80 | INTERNAL_AUTHENTICATION_KEY as u8)
            .with_data(challenge.to_vec())
            .with_le(256);
        self.enter_common_ap()?;
        let signature = self.run(|ex| ex.transmit_ok(&command).map(|r| r.data().to_vec()))?;
        if signature.len() != 256 {
            return Err(CardError::File(FileError {
                file: "INTERNAL AUTHENTICATE response",
                kind: FileErrorKind::Length {
                    expected: 256,
                    got: signature.len(),
                },
            }));
        }
        Ok(signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apdu::LengthForm;

    const RECORD: &[u8] = b"\x01\x1c9000000000000011322120350217";

    #[test]
    fn parses_the_record_layout() {
        let info = CommonCardInfo::parse(RECORD).unwrap();
        assert_eq!(info.serial_number(), "900000000000001");
        assert_eq!(info.municipality_code(), "13221");
        assert_eq!(info.prefecture_code(), "13");
        assert_eq!(info.expiry(), "20350217");
        assert!(!format!("{info:?}").contains("900000000000001"));
    }

    #[test]
    fn malformed_records_name_the_offset() {
        assert_eq!(
            CommonCardInfo::parse(&[0x01]),
            Err(CardInfoError::Truncated { len: 1 })
        );
        assert_eq!(
            CommonCardInfo::parse(b"\x02\x1c9000000000000011322120350217"),
            Err(CardInfoError::Tag { tag: 2 })
        );
        assert_eq!(
            CommonCardInfo::parse(b"\x01\x1b900000000000001132212035021"),
            Err(CardInfoError::Length {
                declared: 0x1B,
                available: 27
            })
        );
        assert_eq!(
            CommonCardInfo::parse(b"\x01\x1c90000000000000113221203502X7"),
            Err(CardInfoError::NotDigit { offset: 28 })
        );
    }

    #[test]
    fn command_bytes() {
        assert_eq!(
            read_card_info().encode(LengthForm::Short).unwrap(),
            [0x00, 0xB2, 0x01, 0x0C, 0x00]
        );
        assert_eq!(
            internal_authenticate(&[1, 2, 3])
                .unwrap()
                .encode(LengthForm::Short)
                .unwrap(),
            [0x00, 0x88, 0x00, 0x99, 0x03, 1, 2, 3, 0x00]
        );
        assert!(internal_authenticate(&[]).is_none());
        assert!(internal_authenticate(&[0; 256]).is_none());
    }
}
