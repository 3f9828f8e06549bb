//! GET DATA and the card's contact ATR (tag `5F51`), sans-IO.
//!
//! Over a contactless link PC/SC synthesises an ATR from the ATQB; the card's own
//! contact-interface ATR is available with `GET DATA 00 CA 5F 51` (measured,
//! soltia48/myna-card `src/card.rs` / `src/mf.rs`; card-apdu.md §1, single source). The
//! card answers it without the initial byte TS; [`ContactAtr::parse`] restores `3B` and
//! checks the structure and the check byte TCK. Objects over 256 bytes need an
//! extended Le (a short Le is answered `6700`, not `6Cxx`); an absent object `6A88`.
//!
//! Nothing in this crate depends on the ATR: cards issued from about 2024 answer a
//! 19-byte ATR (`3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B`), older ones
//! `3B E0 00 FF 81 31 FE 45 14`.

use super::{Card, CardError, FileError, FileErrorKind};
use crate::apdu::Command;
use crate::session::SELECT_ISSUER_SECURITY_DOMAIN;
use crate::transport::Transport;
use alloc::vec::Vec;

/// GET DATA tag of the contact ATR.
pub const TAG_CONTACT_ATR: u16 = 0x5F51;

/// `00 CA <tag> Le`: GET DATA of a data object; `extended` asks for up to 65536 bytes
/// (needed for objects over 256 bytes, such as the MF's CV certificates).
pub(crate) fn get_data(tag: u16, extended: bool) -> Command {
    let [p1, p2] = tag.to_be_bytes();
    Command::new(0x00, 0xCA, p1, p2).with_le(if extended { 65536 } else { 256 })
}

/// Why the bytes answered for `5F51` are not an ATR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AtrError {
    /// The answer was empty (not even T0).
    #[error("ATR: empty")]
    Empty,
    /// The interface or historical bytes the ATR announces end early.
    #[error("ATR: ends at byte {offset} where more interface or historical bytes are announced")]
    Truncated {
        /// Offset (TS included) where a byte was missing.
        offset: usize,
    },
    /// Bytes follow the ATR's end.
    #[error("ATR: {extra} byte(s) after its end")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
    /// The XOR of T0 … TCK is not zero.
    #[error("ATR: check byte TCK does not match")]
    Checksum,
    /// Longer than the 33 bytes ISO/IEC 7816-3 allows.
    #[error("ATR: {len} bytes, more than 33")]
    TooLong {
        /// The length, TS included.
        len: usize,
    },
}

/// A contact ATR, TS included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactAtr {
    bytes: Vec<u8>,
    historical: core::ops::Range<usize>,
}

impl ContactAtr {
    /// Parses the value of GET DATA `5F51` (the ATR without TS).
    pub fn parse(without_ts: &[u8]) -> Result<Self, AtrError> {
        if without_ts.is_empty() {
            return Err(AtrError::Empty);
        }
        let mut bytes = Vec::with_capacity(without_ts.len() + 1);
        bytes.push(0x3B);
        bytes.extend_from_slice(without_ts);
        if bytes.len() > 33 {
            return Err(AtrError::TooLong { len: bytes.len() });
        }
        let at = |offset: usize| {
            bytes
                .get(offset)
                .copied()
                .ok_or(AtrError::Truncated { offset })
        };
        let t0 = at(1)?;
        let historical_len = usize::from(t0 & 0x0F);
        let mut y = t0 >> 4;
        let mut offset = 2;
        let mut needs_tck = false;
        // At most 4 groups of interface bytes fit in 33 bytes; the loop ends when TDi
        // announces no further TD.
        for _ in 0..8 {
            for bit in 0..3 {
                if y & (1 << bit) != 0 {
                    at(offset)?;
                    offset += 1;
                }
            }
            if y & 0x08 == 0 {
                break;
            }
            let td = at(offset)?;
            offset += 1;
            // TCK is present when any protocol other than T=0 is indicated.
            needs_tck |= td & 0x0F != 0;
            y = td >> 4;
        }
        let historical = offset..offset + historical_len;
        offset += historical_len;
        if needs_tck {
            at(offset)?;
            offset += 1;
            if bytes
                .get(1..offset)
                .unwrap_or_default()
                .iter()
                .fold(0, |a, b| a ^ b)
                != 0
            {
                return Err(AtrError::Checksum);
            }
        } else if offset > bytes.len() {
            return Err(AtrError::Truncated {
                offset: bytes.len(),
            });
        }
        if bytes.len() > offset {
            return Err(AtrError::TrailingBytes {
                extra: bytes.len() - offset,
            });
        }
        Ok(Self { bytes, historical })
    }

    /// The ATR, TS included.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The historical bytes.
    pub fn historical_bytes(&self) -> &[u8] {
        self.bytes.get(self.historical.clone()).unwrap_or_default()
    }
}

impl<T: Transport> Card<T> {
    /// The card's contact ATR through GET DATA `5F51` (works over contactless too, and
    /// with any application selected).
    pub fn contact_atr(&mut self) -> Result<ContactAtr, CardError> {
        let value = self.run(|ex| {
            let extended = ex.capabilities().extended;
            ex.transmit_ok(&get_data(TAG_CONTACT_ATR, extended))
                .map(|r| r.data().to_vec())
        })?;
        ContactAtr::parse(&value).map_err(|e| {
            CardError::File(FileError {
                file: "GET DATA 5F51",
                kind: FileErrorKind::InvalidField {
                    field: "contact ATR",
                    reason: match e {
                        AtrError::Empty => "empty",
                        AtrError::Truncated { .. } => "truncated",
                        AtrError::TrailingBytes { .. } => "trailing bytes",
                        AtrError::Checksum => "TCK mismatch",
                        _ => "longer than 33 bytes",
                    },
                },
            })
        })
    }

    /// GET DATA of a card-manager (MF-level) object, e.g. `00F0` (municipality code) or
    /// `00F8` (CV certificate). The card answers these only with no application
    /// selected, so this first selects the Issuer Security Domain — **which ends the
    /// verified state of the current application** (the driver forgets it too). An
    /// absent object is the card's `6A88`.
    pub fn get_mf_data(&mut self, tag: u16) -> Result<Vec<u8>, CardError> {
        self.forget_state();
        self.run(|ex| {
            let isd = SELECT_ISSUER_SECURITY_DOMAIN.get(5..).unwrap_or_default();
            ex.transmit_ok(&Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(isd.to_vec()))?;
            let extended = ex.capabilities().extended;
            ex.transmit_ok(&get_data(tag, extended))
                .map(|r| r.data().to_vec())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apdu::LengthForm;

    const OLD: [u8; 9] = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];
    const NEW: [u8; 19] = [
        0x3B, 0xDA, 0x13, 0xFF, 0x81, 0x31, 0xFB, 0x46, 0x80, 0x12, 0x39, 0x2F, 0x31, 0xC1, 0x73,
        0xC6, 0x01, 0xC0, 0x3B,
    ];

    #[test]
    fn both_measured_atrs_parse() {
        let old = ContactAtr::parse(&OLD[1..]).unwrap();
        assert_eq!(old.as_bytes(), OLD);
        assert!(old.historical_bytes().is_empty());
        let new = ContactAtr::parse(&NEW[1..]).unwrap();
        assert_eq!(new.as_bytes(), NEW);
        assert_eq!(new.historical_bytes().len(), 10);
        assert_eq!(new.historical_bytes()[0], 0x80);
    }

    #[test]
    fn broken_atrs_are_typed_errors() {
        assert_eq!(ContactAtr::parse(&[]), Err(AtrError::Empty));
        assert_eq!(
            ContactAtr::parse(&OLD[1..8]),
            Err(AtrError::Truncated { offset: 8 })
        );
        let mut bad = OLD[1..].to_vec();
        bad[7] ^= 1;
        assert_eq!(ContactAtr::parse(&bad), Err(AtrError::Checksum));
        let mut long = OLD[1..].to_vec();
        long.push(0);
        assert_eq!(
            ContactAtr::parse(&long),
            Err(AtrError::TrailingBytes { extra: 1 })
        );
        assert_eq!(
            ContactAtr::parse(&[0x0F; 40]),
            Err(AtrError::TooLong { len: 41 })
        );
    }

    #[test]
    fn get_data_bytes() {
        assert_eq!(
            get_data(TAG_CONTACT_ATR, false)
                .encode(LengthForm::Short)
                .unwrap(),
            [0x00, 0xCA, 0x5F, 0x51, 0x00]
        );
        assert_eq!(
            get_data(0x00F8, true).encode(LengthForm::Extended).unwrap(),
            [0x00, 0xCA, 0x00, 0xF8, 0x00, 0x00, 0x00]
        );
    }
}
