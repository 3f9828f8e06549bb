//! The link to a My Number Card: one trait, [`Transport`], that sends command APDU bytes
//! and returns response APDU bytes, with its error type [`TransportError`] and what the
//! link can carry, [`LinkCapabilities`].
//!
//! This crate is deliberately tiny (its only dependency is `thiserror`), like
//! openpgp-card's `card-backend`: a card reader driver, a phone's NFC bridge or a
//! simulator implements [`Transport`] without depending on the APDU codec of the
//! `mynacard` host library, and `mynacard-virtual-card` depends on nothing else of the
//! host. A transport never interprets APDUs (no GET RESPONSE handling, no chunking).
//!
//! [`Transcript`] (recorded exchanges replayed in unit tests) lives here because it needs
//! nothing but the trait.
//!
//! ```
//! use mynacard_transport::{Transcript, Transport};
//! let mut link = Transcript::parse("> 00 84 00 00 08\n< 01 02 03 04 05 06 07 08 90 00\n")?;
//! assert_eq!(link.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08])?.len(), 10);
//! link.finish()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

mod transcript;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub use transcript::{Transcript, TranscriptError};

/// What a link can carry, as reported by the transport.
///
/// The exchange core uses this to pick short or extended encodings and to size
/// READ BINARY chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkCapabilities {
    /// Longest command APDU (header + Lc + data + Le) the link carries, in bytes.
    pub max_command_len: usize,
    /// Longest response APDU (data + SW1 SW2) the link carries, in bytes.
    pub max_response_len: usize,
    /// Whether extended-length APDUs (Lc/Le over 255/256) reach the card.
    pub extended: bool,
}

impl LinkCapabilities {
    /// A link that carries short APDUs only (Lc ≤ 255, Le ≤ 256): every CCID reader
    /// in "short APDU" exchange mode, and most phones' NFC stacks.
    pub const SHORT: Self = Self {
        max_command_len: 5 + 255 + 1,
        max_response_len: 256 + 2,
        extended: false,
    };

    /// A link that carries extended APDUs up to the given response size (data
    /// bytes, excluding SW1 SW2). `65536` is the ISO 7816-4 maximum.
    pub const fn extended(max_response_data: usize) -> Self {
        Self {
            max_command_len: 7 + 65535 + 3,
            max_response_len: max_response_data + 2,
            extended: true,
        }
    }
}

impl Default for LinkCapabilities {
    fn default() -> Self {
        Self::SHORT
    }
}

/// A failure of the link itself, below the APDU layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The card left the reader (or the phone left the field).
    #[error("card removed")]
    CardRemoved,
    /// The card was reset by another process or by the reader; security state is lost.
    #[error("card was reset")]
    CardReset,
    /// No card is present in the reader.
    #[error("no card in the reader")]
    NoCard,
    /// The reader disappeared.
    #[error("reader unavailable")]
    ReaderUnavailable,
    /// The operation timed out.
    #[error("timed out")]
    Timeout,
    /// The operation was cancelled by the caller.
    #[error("cancelled")]
    Cancelled,
    /// The command is longer than the link can carry.
    #[error("command of {len} bytes exceeds the link's maximum of {max}")]
    CommandTooLong {
        /// Length of the command that was refused.
        len: usize,
        /// The link's maximum.
        max: usize,
    },
    /// A recorded transcript did not match (see [`Transcript`]).
    #[error(transparent)]
    Transcript(#[from] TranscriptError),
    /// Any other failure, described by the transport (PC/SC error text, socket error…).
    #[error("transport failure: {0}")]
    Other(String),
}

/// A link to a card: send one command APDU, receive one response APDU.
///
/// Implementations: [`Transcript`] (recorded exchanges for unit tests), the virtual
/// card (crate `mynacard-virtual-card`), PC/SC readers (`mynacard`'s feature `pcsc`). A transport must
/// not inspect or rewrite APDUs; it may refuse a command longer than it can carry.
pub trait Transport {
    /// Sends `command` (a complete command APDU) and returns the complete response
    /// APDU (data followed by SW1 SW2).
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// What this link can carry. Defaults to short APDUs only.
    fn capabilities(&self) -> LinkCapabilities {
        LinkCapabilities::SHORT
    }

    /// Removes power from the card and restores it (PC/SC `SCARD_UNPOWER_CARD`), which
    /// clears every verified PIN: on My Number Cards neither a warm reset nor a reconnect
    /// does. Returns `Ok(false)` when the link has no power control (the default: a
    /// transcript, a phone's NFC bridge); the host then logs out another way. The first
    /// command after power-up may be answered `6F00`.
    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        Ok(false)
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
    fn capabilities(&self) -> LinkCapabilities {
        (**self).capabilities()
    }
    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        (**self).power_cycle()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
    fn capabilities(&self) -> LinkCapabilities {
        (**self).capabilities()
    }
    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        (**self).power_cycle()
    }
}

/// README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
