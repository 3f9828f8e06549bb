//! CCID / PC/SC part 10 reader features: the GET_FEATURE_REQUEST answer and the
//! TLV properties.

use alloc::vec::Vec;
/// `CM_IOCTL_GET_FEATURE_REQUEST` = `SCARD_CTL_CODE(3400)`: `0x42000D48` on
/// pcsc-lite (macOS and Windows compute `SCARD_CTL_CODE` differently; the pcsc
/// crate's `ctl_code` knows the platform).
pub const GET_FEATURE_REQUEST_CODE: u32 = 0x4200_0000 + 3400;

/// `FEATURE_VERIFY_PIN_DIRECT`.
pub const FEATURE_VERIFY_PIN_DIRECT: u8 = 0x06;
/// `FEATURE_MODIFY_PIN_DIRECT`.
pub const FEATURE_MODIFY_PIN_DIRECT: u8 = 0x07;
/// `FEATURE_IFD_PIN_PROPERTIES`.
pub const FEATURE_IFD_PIN_PROPERTIES: u8 = 0x0A;
/// `FEATURE_GET_TLV_PROPERTIES`.
pub const FEATURE_GET_TLV_PROPERTIES: u8 = 0x12;

/// `PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize`: 0 = short APDUs only.
pub const PROPERTY_MAX_APDU_DATA_SIZE: u8 = 0x0A;

/// Why a reader's answer could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeatureError {
    /// A TLV's value runs past the end of the answer.
    #[error("feature TLV at offset {offset} declares {declared} bytes; {available} remain")]
    Truncated {
        /// Offset of the TLV.
        offset: usize,
        /// Its declared length.
        declared: usize,
        /// Bytes remaining.
        available: usize,
    },
    /// A feature whose control code is not 4 bytes.
    #[error("feature {tag:#04x} at offset {offset} has a {len}-byte control code, expected 4")]
    ControlCodeLength {
        /// Feature tag.
        tag: u8,
        /// Offset of the TLV.
        offset: usize,
        /// Its length.
        len: usize,
    },
}

/// Splits `tag len value` triplets (1-byte tag, 1-byte length).
fn triplets(bytes: &[u8]) -> impl Iterator<Item = Result<(usize, u8, &[u8]), FeatureError>> {
    let mut pos = 0usize;
    core::iter::from_fn(move || {
        let rest = bytes.get(pos..)?;
        let (&tag, rest) = rest.split_first()?;
        let Some((&len, rest)) = rest.split_first() else {
            let e = FeatureError::Truncated {
                offset: pos,
                declared: 1,
                available: 0,
            };
            pos = bytes.len();
            return Some(Err(e));
        };
        let len = usize::from(len);
        let Some(value) = rest.get(..len) else {
            let e = FeatureError::Truncated {
                offset: pos,
                declared: len,
                available: rest.len(),
            };
            pos = bytes.len();
            return Some(Err(e));
        };
        let at = pos;
        pos += 2 + len;
        Some(Ok((at, tag, value)))
    })
}

/// The reader's features: each feature tag with its control code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureList(Vec<(u8, u32)>);

impl FeatureList {
    /// Parses the GET_FEATURE_REQUEST answer: `tag 04 <control code, big-endian>`…
    pub fn parse(bytes: &[u8]) -> Result<Self, FeatureError> {
        let mut out = Vec::new();
        for t in triplets(bytes) {
            let (offset, tag, value) = t?;
            let code: [u8; 4] = value
                .try_into()
                .map_err(|_| FeatureError::ControlCodeLength {
                    tag,
                    offset,
                    len: value.len(),
                })?;
            out.push((tag, u32::from_be_bytes(code)));
        }
        Ok(Self(out))
    }

    /// The control code of a feature, if the reader has it.
    pub fn control_code(&self, feature: u8) -> Option<u32> {
        self.0.iter().find(|(t, _)| *t == feature).map(|(_, c)| *c)
    }

    /// Whether the reader's keypad can collect a PIN for VERIFY.
    pub fn verify_pin_direct(&self) -> Option<u32> {
        self.control_code(FEATURE_VERIFY_PIN_DIRECT)
    }

    /// All features, in the reader's order.
    pub fn iter(&self) -> impl Iterator<Item = (u8, u32)> + '_ {
        self.0.iter().copied()
    }
}

/// Reads `dwMaxAPDUDataSize` from a FEATURE_GET_TLV_PROPERTIES answer (values
/// little-endian): `Some(0)` means short APDUs only, `Some(n)` extended up to n.
pub fn max_apdu_data_size(properties: &[u8]) -> Result<Option<u32>, FeatureError> {
    for t in triplets(properties) {
        let (_, tag, value) = t?;
        if tag == PROPERTY_MAX_APDU_DATA_SIZE {
            let mut b = [0u8; 4];
            for (dst, src) in b.iter_mut().zip(value) {
                *dst = *src;
            }
            return Ok(Some(u32::from_le_bytes(b)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_code_value() {
        assert_eq!(GET_FEATURE_REQUEST_CODE, 0x4200_0D48);
    }

    #[test]
    fn parses_a_feature_list() {
        // What libccid answers for a pinpad reader (VERIFY / MODIFY direct,
        // PIN properties, TLV properties).
        let answer = [
            0x06, 0x04, 0x42, 0x33, 0x00, 0x06, //
            0x07, 0x04, 0x42, 0x33, 0x00, 0x07, //
            0x0A, 0x04, 0x42, 0x33, 0x00, 0x0A, //
            0x12, 0x04, 0x42, 0x33, 0x00, 0x12,
        ];
        let f = FeatureList::parse(&answer).unwrap();
        assert_eq!(f.verify_pin_direct(), Some(0x4233_0006));
        assert_eq!(f.control_code(FEATURE_MODIFY_PIN_DIRECT), Some(0x4233_0007));
        assert_eq!(
            f.control_code(FEATURE_GET_TLV_PROPERTIES),
            Some(0x4233_0012)
        );
        assert_eq!(f.control_code(0x01), None);
        assert_eq!(f.iter().count(), 4);
        assert_eq!(FeatureList::parse(&[]).unwrap(), FeatureList::default());
    }

    #[test]
    fn rejects_broken_lists() {
        assert_eq!(
            FeatureList::parse(&[0x06, 0x04, 0x42, 0x33]),
            Err(FeatureError::Truncated {
                offset: 0,
                declared: 4,
                available: 2
            })
        );
        assert_eq!(
            FeatureList::parse(&[0x06, 0x04, 0, 0, 0, 1, 0x07, 0x02, 0, 0]),
            Err(FeatureError::ControlCodeLength {
                tag: 0x07,
                offset: 6,
                len: 2
            })
        );
        assert_eq!(
            FeatureList::parse(&[0x06]),
            Err(FeatureError::Truncated {
                offset: 0,
                declared: 1,
                available: 0
            })
        );
    }

    #[test]
    fn max_apdu_size_property() {
        // wLcdLayout 0000, bTimeOut2 00, dwMaxAPDUDataSize 0x00010005 (extended).
        let props = [
            0x01, 0x02, 0x00, 0x00, 0x03, 0x01, 0x00, 0x0A, 0x04, 0x05, 0x00, 0x01, 0x00,
        ];
        assert_eq!(max_apdu_data_size(&props), Ok(Some(0x0001_0005)));
        assert_eq!(max_apdu_data_size(&[0x0A, 0x04, 0, 0, 0, 0]), Ok(Some(0)));
        assert_eq!(max_apdu_data_size(&[0x01, 0x02, 0, 0]), Ok(None));
    }
}
