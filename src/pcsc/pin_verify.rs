//! The PC/SC part 10 `PIN_VERIFY_STRUCTURE` for FEATURE_VERIFY_PIN_DIRECT: the
//! reader's keypad collects the PIN and inserts it into the VERIFY APDU, so the
//! PIN never passes through the host.

use crate::transport::PinPadRequest;
use alloc::vec::Vec;

/// Options of the keypad prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPadPrompt {
    /// Seconds to wait for the first key (0 = reader default).
    pub timeout_s: u8,
    /// Language of the reader's own messages (`0x0411` Japanese, `0x0409` English).
    pub lang_id: u16,
}

impl Default for PinPadPrompt {
    fn default() -> Self {
        Self {
            timeout_s: 30,
            lang_id: 0x0411,
        }
    }
}

/// Builds the `PIN_VERIFY_STRUCTURE` (little-endian fields, packed) for a VERIFY
/// whose PIN is ASCII digits with no padding (the card's format):
///
/// | field | value |
/// |---|---|
/// | bTimerOut, bTimerOut2 | timeout, timeout |
/// | bmFormatString | `82`: units in bytes, PIN right after Lc, left-justified, ASCII |
/// | bmPINBlockString | `0N`: no length field, PIN block = N = max digits |
/// | bmPINLengthFormat | `00` |
/// | wPINMaxExtraDigit | min digits (high byte), max digits (low byte) |
/// | bEntryValidationCondition | `02`: the OK key |
/// | bNumberMessage, wLangId, bMsgIndex | `01`, language, `00` |
/// | bTeoPrologue | `00 00 00` |
/// | ulDataLength, abData | length, `CLA INS P1 P2 Lc` + N placeholder bytes |
///
/// The placeholder bytes are `FF` and are overwritten by the reader; with
/// min = max digits the block is always filled completely.
pub fn pin_verify_structure(request: &PinPadRequest, prompt: PinPadPrompt) -> Vec<u8> {
    let max = request.max_digits.clamp(1, 15);
    let min = request.min_digits.clamp(1, max);
    let mut apdu = request.header.to_vec();
    apdu.push(max);
    apdu.extend(core::iter::repeat_n(0xFF, usize::from(max)));
    let mut s = Vec::with_capacity(19 + apdu.len());
    s.push(prompt.timeout_s);
    s.push(prompt.timeout_s);
    s.push(0x82);
    s.push(max & 0x0F);
    s.push(0x00);
    s.extend_from_slice(&((u16::from(min) << 8) | u16::from(max)).to_le_bytes());
    s.push(0x02);
    s.push(0x01);
    s.extend_from_slice(&prompt.lang_id.to_le_bytes());
    s.push(0x00);
    s.extend_from_slice(&[0, 0, 0]);
    s.extend_from_slice(&(apdu.len() as u32).to_le_bytes());
    s.extend_from_slice(&apdu);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpki_auth_pin_structure_exact() {
        let req = PinPadRequest {
            header: [0x00, 0x20, 0x00, 0x98],
            min_digits: 4,
            max_digits: 4,
        };
        let s = pin_verify_structure(&req, PinPadPrompt::default());
        assert_eq!(
            s,
            [
                0x1E, 0x1E, // timeouts
                0x82, // bytes, position 0, left, ASCII
                0x04, // PIN block 4 bytes
                0x00, // no length field
                0x04, 0x04, // max 4, min 4
                0x02, // OK key
                0x01, 0x11, 0x04, 0x00, // one message, Japanese, index 0
                0x00, 0x00, 0x00, // TEO prologue
                0x09, 0x00, 0x00, 0x00, // ulDataLength
                0x00, 0x20, 0x00, 0x98, 0x04, 0xFF, 0xFF, 0xFF, 0xFF,
            ]
        );
    }

    #[test]
    fn kenhojo_pin_and_english_prompt() {
        let req = PinPadRequest {
            header: [0x00, 0x20, 0x00, 0x91],
            min_digits: 4,
            max_digits: 4,
        };
        let s = pin_verify_structure(
            &req,
            PinPadPrompt {
                timeout_s: 0,
                lang_id: 0x0409,
            },
        );
        assert_eq!(&s[..2], &[0, 0]);
        assert_eq!(&s[9..11], &[0x09, 0x04]);
        assert_eq!(&s[19..23], &[0x00, 0x20, 0x00, 0x91]);
        assert_eq!(s.len(), 19 + 9);
    }
}
