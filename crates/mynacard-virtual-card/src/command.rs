//! The card's own decoding of command APDUs (ISO/IEC 7816-4 cases 1–4, short and
//! extended).
//!
//! Deliberately independent of the host-side codec in `crate::apdu`: the virtual
//! card must not share decoding code with the host operations it is used to test.

use super::status::Sw;

/// A decoded command APDU, borrowing its data field from the received bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CardCommand<'a> {
    pub(crate) cla: u8,
    pub(crate) ins: u8,
    pub(crate) p1: u8,
    pub(crate) p2: u8,
    /// The data field (empty for cases 1 and 2).
    pub(crate) data: &'a [u8],
    /// Whether Lc was present (cases 3 and 4).
    pub(crate) has_lc: bool,
    /// Ne, the maximum number of response bytes (`None` for cases 1 and 3;
    /// short `00` = 256, extended `00 00` = 65536).
    pub(crate) ne: Option<usize>,
    /// Whether the command used the extended-length encoding.
    pub(crate) extended: bool,
}

impl<'a> CardCommand<'a> {
    /// Decodes `bytes`; a malformed length structure is answered `6700`.
    pub(crate) fn decode(bytes: &'a [u8]) -> Result<Self, Sw> {
        let (header, body) = bytes.split_at_checked(4).ok_or(Sw::WRONG_LENGTH)?;
        let &[cla, ins, p1, p2] = header else {
            return Err(Sw::WRONG_LENGTH);
        };
        let mut cmd = CardCommand {
            cla,
            ins,
            p1,
            p2,
            data: &[],
            has_lc: false,
            ne: None,
            extended: false,
        };
        match body {
            // Case 1.
            [] => {}
            // Case 2 short.
            [le] => cmd.ne = Some(short_ne(*le)),
            // Extended forms start with a 00 byte followed by two length bytes.
            [0x00, rest @ ..] if rest.len() >= 2 => {
                cmd.extended = true;
                let (len_bytes, after) = rest.split_at(2);
                let value = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
                if after.is_empty() {
                    // Case 2 extended: the two bytes are Le.
                    cmd.ne = Some(extended_ne(value));
                } else {
                    // Cases 3E / 4E: the two bytes are Lc (never 0).
                    if value == 0 {
                        return Err(Sw::WRONG_LENGTH);
                    }
                    cmd.has_lc = true;
                    cmd.data = after.get(..value).ok_or(Sw::WRONG_LENGTH)?;
                    match after.get(value..) {
                        Some([]) => {}
                        Some([hi, lo]) => {
                            cmd.ne = Some(extended_ne(usize::from(u16::from_be_bytes([*hi, *lo]))))
                        }
                        _ => return Err(Sw::WRONG_LENGTH),
                    }
                }
            }
            [0x00, ..] => return Err(Sw::WRONG_LENGTH),
            // Cases 3S / 4S.
            [lc, rest @ ..] => {
                let lc = usize::from(*lc);
                cmd.has_lc = true;
                cmd.data = rest.get(..lc).ok_or(Sw::WRONG_LENGTH)?;
                match rest.get(lc..) {
                    Some([]) => {}
                    Some([le]) => cmd.ne = Some(short_ne(*le)),
                    _ => return Err(Sw::WRONG_LENGTH),
                }
            }
        }
        Ok(cmd)
    }

    /// Case 1: neither data nor Le.
    pub(crate) fn is_case1(&self) -> bool {
        !self.has_lc && self.ne.is_none()
    }

    /// `P1 P2` as one big-endian number.
    pub(crate) fn p1p2(&self) -> u16 {
        u16::from_be_bytes([self.p1, self.p2])
    }
}

fn short_ne(le: u8) -> usize {
    if le == 0 { 256 } else { usize::from(le) }
}

fn extended_ne(le: usize) -> usize {
    if le == 0 { 65536 } else { le }
}

/// How the class byte was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// `0X`: inter-industry (ISO) commands.
    InterIndustry,
    /// `8X`: proprietary (JICSAP / JPKI) commands.
    Proprietary,
}

/// Checks the class byte: only channel 0, no secure messaging, classes `00`/`80`.
pub(crate) fn classify(cla: u8) -> Result<Class, Sw> {
    let class = match cla & 0xF0 {
        0x00 => Class::InterIndustry,
        0x80 => Class::Proprietary,
        _ => return Err(Sw::CLA_NOT_SUPPORTED),
    };
    if cla & 0x03 != 0 {
        return Err(Sw::LOGICAL_CHANNEL_NOT_SUPPORTED);
    }
    if cla & 0x0C != 0 {
        return Err(Sw::SECURE_MESSAGING_NOT_SUPPORTED);
    }
    Ok(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(bytes: &[u8]) -> Result<CardCommand<'_>, Sw> {
        CardCommand::decode(bytes)
    }

    #[test]
    fn cases_short() {
        let c = d(&[0x00, 0x20, 0x00, 0x80]).unwrap();
        assert!(c.is_case1());
        let c = d(&[0x00, 0xB0, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!((c.ne, c.has_lc, c.extended), (Some(256), false, false));
        let c = d(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]).unwrap();
        assert_eq!((c.data, c.ne), (&[0x00, 0x0A][..], None));
        let c = d(&[0x80, 0x2A, 0x00, 0x80, 0x01, 0xAA, 0x00]).unwrap();
        assert_eq!((c.data, c.ne), (&[0xAA][..], Some(256)));
    }

    #[test]
    fn cases_extended() {
        let c = d(&[0x00, 0xB0, 0x81, 0x00, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!((c.ne, c.extended), (Some(65536), true));
        let c = d(&[0x00, 0xB0, 0x81, 0x00, 0x00, 0x01, 0x02]).unwrap();
        assert_eq!(c.ne, Some(258));
        let c = d(&[0x80, 0x2A, 0x00, 0x80, 0x00, 0x00, 0x01, 0xAA, 0x01, 0x00]).unwrap();
        assert_eq!((c.data, c.ne, c.extended), (&[0xAA][..], Some(256), true));
        let c = d(&[0x80, 0x2A, 0x00, 0x80, 0x00, 0x00, 0x01, 0xAA]).unwrap();
        assert_eq!((c.data, c.ne), (&[0xAA][..], None));
    }

    #[test]
    fn malformed_lengths() {
        for bad in [
            &[0x00][..],
            &[0x00, 0xA4, 0x02],
            &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00],
            &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A, 0x00, 0x00],
            &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00],
            &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01],
            &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01],
            &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00],
        ] {
            assert_eq!(d(bad), Err(Sw::WRONG_LENGTH), "{bad:02X?}");
        }
    }

    #[test]
    fn class_byte() {
        assert_eq!(classify(0x00), Ok(Class::InterIndustry));
        assert_eq!(classify(0x80), Ok(Class::Proprietary));
        assert_eq!(classify(0x01), Err(Sw::LOGICAL_CHANNEL_NOT_SUPPORTED));
        assert_eq!(classify(0x83), Err(Sw::LOGICAL_CHANNEL_NOT_SUPPORTED));
        assert_eq!(classify(0x0C), Err(Sw::SECURE_MESSAGING_NOT_SUPPORTED));
        assert_eq!(classify(0x40), Err(Sw::CLA_NOT_SUPPORTED));
        assert_eq!(classify(0xFF), Err(Sw::CLA_NOT_SUPPORTED));
    }
}
