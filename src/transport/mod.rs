//! The link to a card: one trait, [`Transport`], that sends command APDU bytes and
//! returns response APDU bytes.
//!
//! Everything above this module is sans-IO: it builds command bytes and parses
//! response bytes. A transport never interprets APDUs (no GET RESPONSE handling,
//! no chunking): that lives once, in [`crate::exchange`].
//!
//! [`Transport`], [`TransportError`], [`LinkCapabilities`] and [`Transcript`] are defined
//! in the tiny `mynacard-transport` crate (so a reader driver or the virtual card needs
//! nothing else of this library) and re-exported here; [`Traced`] and [`PinPad`] are host
//! tools that use this library's APDU types.

mod pin_pad;
mod trace;

pub use mynacard_transport::{
    LinkCapabilities, Transcript, TranscriptError, Transport, TransportError,
};
pub use pin_pad::{PinPad, PinPadRequest};
pub use trace::{FileRead, TraceEntry, Traced};
