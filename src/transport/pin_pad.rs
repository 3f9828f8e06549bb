//! Readers with a keypad: VERIFY with the PIN typed on the reader.

use super::TransportError;
use alloc::vec::Vec;

/// A VERIFY whose PIN the reader's keypad collects. The host supplies only the
/// command header; the reader builds `CLA INS P1 P2 Lc <PIN>` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPadRequest {
    /// `CLA INS P1 P2` of the VERIFY (e.g. `00 20 00 98`).
    pub header: [u8; 4],
    /// Fewest digits the keypad accepts.
    pub min_digits: u8,
    /// Most digits the keypad accepts.
    pub max_digits: u8,
}

/// A link whose reader can collect a PIN on its own keypad.
pub trait PinPad {
    /// Whether the reader offers a secure PIN entry right now.
    fn has_pin_pad(&self) -> bool;

    /// Lets the holder type the PIN on the keypad; returns the card's response
    /// APDU (status word `9000`, `63Cx`…, or the reader's `6400` timeout / `6401`
    /// cancelled).
    fn verify_on_pin_pad(&mut self, request: &PinPadRequest) -> Result<Vec<u8>, TransportError>;
}

impl<T: PinPad + ?Sized> PinPad for &mut T {
    fn has_pin_pad(&self) -> bool {
        (**self).has_pin_pad()
    }
    fn verify_on_pin_pad(&mut self, request: &PinPadRequest) -> Result<Vec<u8>, TransportError> {
        (**self).verify_on_pin_pad(request)
    }
}
