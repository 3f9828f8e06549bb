//! ISO 7816-4 command and response APDUs and status words.
//!
//! Pure codecs: nothing here talks to a card. The exchange rules (GET RESPONSE on
//! `61xx`, re-issue on `6Cxx`, chunked reads) are in [`crate::exchange`].

mod command;
mod response;
mod status;

#[allow(unused_imports)]
pub(crate) use command::Hex;
pub use command::{ApduError, Case, Command, LengthForm};
pub use response::{Response, ResponseError};
pub use status::StatusWord;
