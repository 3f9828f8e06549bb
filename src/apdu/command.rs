//! Command APDUs: the four ISO 7816-4 cases, short and extended encodings.

use alloc::vec::Vec;
use core::fmt;
use zeroize::Zeroizing;

/// Why a command APDU cannot be encoded or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduError {
    /// The data field is longer than the chosen encoding carries
    /// (255 bytes short, 65535 extended).
    #[error("data field of {len} bytes exceeds the {form:?} maximum of {max}")]
    DataTooLong {
        /// Data length.
        len: usize,
        /// The maximum for the form.
        max: usize,
        /// The form that was asked for.
        form: LengthForm,
    },
    /// Le is out of range for the chosen encoding (1..=256 short, 1..=65536 extended).
    #[error("Le {le} out of range for the {form:?} form")]
    LeOutOfRange {
        /// Requested Le.
        le: usize,
        /// The form that was asked for.
        form: LengthForm,
    },
    /// The command needs extended lengths and the link carries only short APDUs.
    #[error("command needs extended lengths, which the link does not carry")]
    ExtendedNotSupported,
    /// The encoded command is longer than the link carries.
    #[error("encoded command of {len} bytes exceeds the link's maximum of {max}")]
    TooLongForLink {
        /// Encoded length.
        len: usize,
        /// The link's maximum.
        max: usize,
    },
    /// Bytes that are not a well-formed command APDU.
    #[error("malformed command APDU: {0}")]
    Malformed(&'static str),
}

/// Short (1-byte Lc/Le) or extended (3-byte / 2-byte Lc/Le) length encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthForm {
    /// Lc ≤ 255, Le ≤ 256.
    Short,
    /// Lc ≤ 65535, Le ≤ 65536.
    Extended,
}

/// The ISO 7816-4 case of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// No data, no Le.
    Case1,
    /// Le only.
    Case2,
    /// Data only.
    Case3,
    /// Data and Le.
    Case4,
}

/// A command APDU.
///
/// Data marked sensitive (PINs, passwords, 照合番号) is held in zeroizing storage
/// and redacted by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    data: Zeroizing<Vec<u8>>,
    le: Option<usize>,
    sensitive: bool,
}

impl Command {
    /// A case-1 command (header only).
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Zeroizing::new(Vec::new()),
            le: None,
            sensitive: false,
        }
    }

    /// Sets the data field (case 3, or case 4 with [`Command::with_le`]).
    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = Zeroizing::new(data.into());
        self
    }

    /// Sets a secret data field: zeroized on drop, redacted in `Debug`.
    pub fn with_sensitive_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = Zeroizing::new(data.into());
        self.sensitive = true;
        self
    }

    /// Sets the expected response length Le (1..=65536; 256 and 65536 encode as zeros).
    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Removes Le.
    pub fn without_le(mut self) -> Self {
        self.le = None;
        self
    }

    /// The data field.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Le, if any.
    pub fn le(&self) -> Option<usize> {
        self.le
    }

    /// Whether the data field is a secret.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }

    /// The ISO 7816-4 case.
    pub fn case(&self) -> Case {
        match (self.data.is_empty(), self.le.is_some()) {
            (true, false) => Case::Case1,
            (true, true) => Case::Case2,
            (false, false) => Case::Case3,
            (false, true) => Case::Case4,
        }
    }

    /// Whether the command fits the short form.
    pub fn fits_short(&self) -> bool {
        self.data.len() <= 255 && self.le.is_none_or(|le| (1..=256).contains(&le))
    }

    /// Encodes in the given form. Never truncates: a length the form cannot carry
    /// is an error.
    pub fn encode(&self, form: LengthForm) -> Result<Vec<u8>, ApduError> {
        let (max_data, max_le) = match form {
            LengthForm::Short => (255, 256),
            LengthForm::Extended => (65535, 65536),
        };
        if self.data.len() > max_data {
            return Err(ApduError::DataTooLong {
                len: self.data.len(),
                max: max_data,
                form,
            });
        }
        if let Some(le) = self.le
            && !(1..=max_le).contains(&le)
        {
            return Err(ApduError::LeOutOfRange { le, form });
        }
        let mut out = Vec::with_capacity(4 + 3 + self.data.len() + 3);
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        let nc = self.data.len();
        match form {
            LengthForm::Short => {
                if nc > 0 {
                    out.push(nc as u8);
                    out.extend_from_slice(&self.data);
                }
                if let Some(le) = self.le {
                    out.push((le & 0xFF) as u8); // 256 → 00
                }
            }
            LengthForm::Extended => {
                if nc > 0 {
                    out.extend_from_slice(&[0x00, (nc >> 8) as u8, nc as u8]);
                    out.extend_from_slice(&self.data);
                }
                if let Some(le) = self.le {
                    let v = (le & 0xFFFF) as u16; // 65536 → 00 00
                    if nc == 0 {
                        out.push(0x00);
                    }
                    out.extend_from_slice(&v.to_be_bytes());
                }
            }
        }
        Ok(out)
    }

    /// Encodes in the short form when it fits, else extended if `extended_ok`,
    /// else fails with [`ApduError::ExtendedNotSupported`].
    pub fn encode_auto(&self, extended_ok: bool) -> Result<Vec<u8>, ApduError> {
        if self.fits_short() {
            self.encode(LengthForm::Short)
        } else if extended_ok {
            self.encode(LengthForm::Extended)
        } else {
            Err(ApduError::ExtendedNotSupported)
        }
    }

    /// Parses command APDU bytes (any case, short or extended). Data parsed this
    /// way is not marked sensitive.
    pub fn parse(bytes: &[u8]) -> Result<(Self, LengthForm), ApduError> {
        let (header, body) = bytes
            .split_first_chunk::<4>()
            .ok_or(ApduError::Malformed("shorter than the 4-byte header"))?;
        let cmd = Self::new(header[0], header[1], header[2], header[3]);
        let decode_le_short = |b: u8| if b == 0 { 256 } else { b as usize };
        let decode_le_ext = |hi: u8, lo: u8| {
            let v = ((hi as usize) << 8) | lo as usize;
            if v == 0 { 65536 } else { v }
        };
        match body {
            [] => Ok((cmd, LengthForm::Short)),
            [le] => Ok((cmd.with_le(decode_le_short(*le)), LengthForm::Short)),
            [0x00, hi, lo] => Ok((cmd.with_le(decode_le_ext(*hi, *lo)), LengthForm::Extended)),
            [0x00, hi, lo, rest @ ..] => {
                let nc = ((*hi as usize) << 8) | *lo as usize;
                if nc == 0 {
                    return Err(ApduError::Malformed("extended Lc of zero"));
                }
                match rest.len().checked_sub(nc) {
                    Some(0) => Ok((cmd.with_data(rest), LengthForm::Extended)),
                    Some(2) => Ok((
                        cmd.with_data(&rest[..nc])
                            .with_le(decode_le_ext(rest[nc], rest[nc + 1])),
                        LengthForm::Extended,
                    )),
                    _ => Err(ApduError::Malformed(
                        "body length disagrees with extended Lc",
                    )),
                }
            }
            [0x00, _] => Err(ApduError::Malformed("short Lc of zero")),
            [lc, rest @ ..] => {
                let nc = *lc as usize;
                match rest.len().checked_sub(nc) {
                    Some(0) => Ok((cmd.with_data(rest), LengthForm::Short)),
                    Some(1) => Ok((
                        cmd.with_data(&rest[..nc])
                            .with_le(decode_le_short(rest[nc])),
                        LengthForm::Short,
                    )),
                    _ => Err(ApduError::Malformed("body length disagrees with Lc")),
                }
            }
        }
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Command");
        d.field("cla", &format_args!("{:02X}", self.cla))
            .field("ins", &format_args!("{:02X}", self.ins))
            .field("p1", &format_args!("{:02X}", self.p1))
            .field("p2", &format_args!("{:02X}", self.p2));
        if self.sensitive {
            d.field(
                "data",
                &format_args!("<{} bytes redacted>", self.data.len()),
            );
        } else {
            d.field("data", &format_args!("{}", Hex(&self.data)));
        }
        d.field("le", &self.le).finish()
    }
}

/// Hex rendering for `Debug`/`Display` of non-secret bytes.
pub(crate) struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn h(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[track_caller]
    fn round_trip(cmd: &Command, form: LengthForm, expected: &str) {
        let bytes = cmd.encode(form).unwrap();
        assert_eq!(bytes, h(expected));
        let (parsed, pform) = Command::parse(&bytes).unwrap();
        assert_eq!(&parsed, cmd);
        assert_eq!(pform, form);
    }

    #[test]
    fn case1_short() {
        let c = Command::new(0x00, 0x20, 0x00, 0x80);
        assert_eq!(c.case(), Case::Case1);
        round_trip(&c, LengthForm::Short, "00 20 00 80");
        // Case 1 has no length fields, so the extended encoding is the same bytes
        // (and parses back as short).
        assert_eq!(c.encode(LengthForm::Extended).unwrap(), h("00 20 00 80"));
    }

    #[test]
    fn case2_short_and_extended() {
        let c = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256);
        assert_eq!(c.case(), Case::Case2);
        round_trip(&c, LengthForm::Short, "00 B0 00 00 00");
        round_trip(&c, LengthForm::Extended, "00 B0 00 00 00 01 00");
        let c = Command::new(0x00, 0xB0, 0x8A, 0x00).with_le(65536);
        round_trip(&c, LengthForm::Extended, "00 B0 8A 00 00 00 00");
        let c = Command::new(0x00, 0x84, 0x00, 0x00).with_le(8);
        round_trip(&c, LengthForm::Short, "00 84 00 00 08");
        round_trip(&c, LengthForm::Extended, "00 84 00 00 00 00 08");
    }

    #[test]
    fn case3_short_and_extended() {
        let c = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data([0x00, 0x0A]);
        assert_eq!(c.case(), Case::Case3);
        round_trip(&c, LengthForm::Short, "00 A4 02 0C 02 00 0A");
        round_trip(&c, LengthForm::Extended, "00 A4 02 0C 00 00 02 00 0A");
    }

    #[test]
    fn case4_short_and_extended() {
        let c = Command::new(0x80, 0x2A, 0x00, 0x80)
            .with_data([1, 2, 3])
            .with_le(256);
        assert_eq!(c.case(), Case::Case4);
        round_trip(&c, LengthForm::Short, "80 2A 00 80 03 01 02 03 00");
        round_trip(
            &c,
            LengthForm::Extended,
            "80 2A 00 80 00 00 03 01 02 03 01 00",
        );
        let c = Command::new(0x80, 0x2A, 0x00, 0x80)
            .with_data(vec![7; 300])
            .with_le(65536);
        let bytes = c.encode(LengthForm::Extended).unwrap();
        assert_eq!(&bytes[..7], &h("80 2A 00 80 00 01 2C"));
        assert_eq!(&bytes[bytes.len() - 2..], &[0, 0]);
        assert_eq!(bytes.len(), 4 + 3 + 300 + 2);
        assert_eq!(Command::parse(&bytes).unwrap().0, c);
    }

    #[test]
    fn rejected_encodings() {
        let long = Command::new(0, 0xDA, 0, 0).with_data(vec![0; 256]);
        assert_eq!(
            long.encode(LengthForm::Short),
            Err(ApduError::DataTooLong {
                len: 256,
                max: 255,
                form: LengthForm::Short
            })
        );
        assert_eq!(
            long.encode_auto(false),
            Err(ApduError::ExtendedNotSupported)
        );
        assert_eq!(long.encode_auto(true).unwrap().len(), 4 + 3 + 256);
        let huge = Command::new(0, 0xDA, 0, 0).with_data(vec![0; 65536]);
        assert_eq!(
            huge.encode(LengthForm::Extended),
            Err(ApduError::DataTooLong {
                len: 65536,
                max: 65535,
                form: LengthForm::Extended
            })
        );
        let le = Command::new(0, 0xB0, 0, 0).with_le(257);
        assert_eq!(
            le.encode(LengthForm::Short),
            Err(ApduError::LeOutOfRange {
                le: 257,
                form: LengthForm::Short
            })
        );
        assert!(le.encode(LengthForm::Extended).is_ok());
        let zero = Command::new(0, 0xB0, 0, 0).with_le(0);
        assert_eq!(
            zero.encode(LengthForm::Extended),
            Err(ApduError::LeOutOfRange {
                le: 0,
                form: LengthForm::Extended
            })
        );
        let over = Command::new(0, 0xB0, 0, 0).with_le(65537);
        assert_eq!(
            over.encode(LengthForm::Extended),
            Err(ApduError::LeOutOfRange {
                le: 65537,
                form: LengthForm::Extended
            })
        );
    }

    #[test]
    fn rejected_parses() {
        assert_eq!(
            Command::parse(&h("00 A4 04")),
            Err(ApduError::Malformed("shorter than the 4-byte header"))
        );
        assert_eq!(
            Command::parse(&h("00 A4 02 0C 03 00 0A")),
            Err(ApduError::Malformed("body length disagrees with Lc"))
        );
        assert_eq!(
            Command::parse(&h("00 A4 02 0C 00 01")),
            Err(ApduError::Malformed("short Lc of zero"))
        );
        assert_eq!(
            Command::parse(&h("00 A4 02 0C 00 00 00 01")),
            Err(ApduError::Malformed("extended Lc of zero"))
        );
        assert_eq!(
            Command::parse(&h("00 A4 02 0C 00 00 03 01")),
            Err(ApduError::Malformed(
                "body length disagrees with extended Lc"
            ))
        );
    }

    #[test]
    fn sensitive_data_is_redacted() {
        let c = Command::new(0, 0x20, 0, 0x80).with_sensitive_data(*b"1234");
        let dbg = format!("{c:?}");
        assert!(dbg.contains("<4 bytes redacted>"), "{dbg}");
        assert!(!dbg.contains("31323334"), "{dbg}");
        let c = Command::new(0, 0xA4, 2, 0x0C).with_data([0, 0x18]);
        assert!(format!("{c:?}").contains("0018"));
    }
}
