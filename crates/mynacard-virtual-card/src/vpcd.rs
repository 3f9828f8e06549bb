//! Serving the virtual card to pcscd through vsmartcard's `vpcd` reader driver.
//!
//! The card connects as a TCP client to vpcd (default `127.0.0.1:35963`, reader
//! "Virtual PCD 00 00"). Every message in either direction is a 2-byte big-endian
//! length followed by the payload. A 1-byte payload from vpcd is a control code:
//! `0` power off, `1` power on, `2` reset, `4` "send the ATR"; anything longer is a
//! command APDU, answered with the response APDU. Only `4` and APDUs get an answer.
//!
//! [`answer`] is the sans-IO core; [`serve`] runs it over any byte stream.

use std::io::{self, Read, Write};

use super::VirtualCard;

/// The TCP port vpcd listens on by default.
pub const DEFAULT_PORT: u16 = 35963;

/// A vpcd control code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Control {
    /// `0`: power off.
    PowerOff,
    /// `1`: power on.
    PowerOn,
    /// `2`: reset.
    Reset,
    /// `4`: send the ATR.
    GetAtr,
}

impl Control {
    /// Decodes a control byte.
    pub fn from_byte(b: u8) -> Option<Self> {
        match b {
            0 => Some(Control::PowerOff),
            1 => Some(Control::PowerOn),
            2 => Some(Control::Reset),
            4 => Some(Control::GetAtr),
            _ => None,
        }
    }
}

/// Handles one message payload from vpcd and returns the payload to send back, if
/// any. Unknown control codes and empty payloads are ignored.
pub fn answer(card: &mut VirtualCard, payload: &[u8]) -> Option<Vec<u8>> {
    match payload {
        [] => None,
        [code] => match Control::from_byte(*code)? {
            Control::PowerOff => {
                card.power_off();
                None
            }
            Control::PowerOn => {
                card.power_on();
                None
            }
            Control::Reset => {
                card.reset();
                None
            }
            Control::GetAtr => Some(card.atr().to_vec()),
        },
        apdu => Some(card.process(apdu)),
    }
}

/// Runs the vpcd protocol over `stream` until vpcd closes it (returns `Ok(())`)
/// or an I/O error occurs.
pub fn serve<S: Read + Write>(card: &mut VirtualCard, stream: &mut S) -> io::Result<()> {
    let mut len = [0u8; 2];
    let mut payload = Vec::new();
    loop {
        match stream.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        payload.clear();
        payload.resize(usize::from(u16::from_be_bytes(len)), 0);
        stream.read_exact(&mut payload)?;
        if let Some(reply) = answer(card, &payload) {
            let reply_len = u16::try_from(reply.len()).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidData, "response over 65535 bytes")
            })?;
            stream.write_all(&reply_len.to_be_bytes())?;
            stream.write_all(&reply)?;
            stream.flush()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A byte stream: reads from `input`, collects writes in `output`.
    struct Duplex {
        input: io::Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Duplex {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.input.read(buf)
        }
    }

    impl Write for Duplex {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.output.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn frame(payload: &[u8]) -> Vec<u8> {
        let mut v = (payload.len() as u16).to_be_bytes().to_vec();
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn control_codes_and_apdus() {
        let mut card = VirtualCard::test_holder("yamada").unwrap();
        assert_eq!(answer(&mut card, &[1]), None);
        assert_eq!(answer(&mut card, &[4]), Some(card.atr().to_vec()));
        assert_eq!(answer(&mut card, &[3]), None);
        assert_eq!(answer(&mut card, &[]), None);
        assert_eq!(
            answer(&mut card, &[0x00, 0x84, 0x00, 0x00, 0x02]).map(|r| r.len()),
            Some(4)
        );
        assert_eq!(answer(&mut card, &[2]), None);
        assert_eq!(Control::from_byte(0), Some(Control::PowerOff));
    }

    #[test]
    fn serve_frames_requests_and_answers() {
        let mut card = VirtualCard::test_holder("yamada").unwrap();
        let mut input = frame(&[1]);
        input.extend(frame(&[4]));
        input.extend(frame(&[
            0x00, 0xA4, 0x04, 0x0C, 0x05, 0xD3, 0x92, 0xF0, 0x00, 0x26,
        ]));
        input.extend(frame(&[0x00, 0x20, 0x00, 0x98]));
        input.extend(frame(&[0]));
        let mut stream = Duplex {
            input: io::Cursor::new(input),
            output: Vec::new(),
        };
        serve(&mut card, &mut stream).unwrap();
        let mut expected = frame(&super::super::CONTACT_ATR);
        expected.extend(frame(&[0x90, 0x00]));
        expected.extend(frame(&[0x63, 0xC3]));
        assert_eq!(stream.output, expected);

        // A frame cut short is an I/O error, not a panic.
        let mut truncated = Duplex {
            input: io::Cursor::new(vec![0x00, 0x05, 0x00, 0xA4]),
            output: Vec::new(),
        };
        assert_eq!(
            serve(&mut card, &mut truncated).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }
}
