//! The card-side command trace, for tests: what was sent (header and lengths, never
//! the data) and what the card answered.

use super::status::Sw;

/// One processed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessedCommand {
    /// CLA INS P1 P2 (missing bytes of a truncated command are `None`).
    pub header: [Option<u8>; 4],
    /// Length of the whole command APDU.
    pub command_len: usize,
    /// The status word answered.
    pub sw: Sw,
    /// Response data length (excluding SW1 SW2).
    pub response_len: usize,
}

impl ProcessedCommand {
    pub(crate) fn new(apdu: &[u8], sw: Sw, response_len: usize) -> Self {
        let mut header = [None; 4];
        for (slot, b) in header.iter_mut().zip(apdu) {
            *slot = Some(*b);
        }
        Self {
            header,
            command_len: apdu.len(),
            sw,
            response_len,
        }
    }

    /// The instruction byte, if the command had one.
    pub fn ins(&self) -> Option<u8> {
        self.header[1]
    }
}
