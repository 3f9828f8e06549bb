//! The crate's layered error for card exchanges: transport → card status → parse.
//!
//! Certificate and signature validation have their own flat error in
//! [`crate::pki`]; eligibility files have theirs in [`crate::eligibility`].

use crate::apdu::{ApduError, ResponseError, StatusWord};
use crate::tlv::TlvError;
use crate::transport::TransportError;
#[cfg(feature = "serde")]
use alloc::string::ToString;

/// An error from an exchange with a card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The link failed (card removed, reader gone, timeout…). No partial result
    /// is returned.
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    /// The card answered a command with a status word other than success.
    #[error("{command}: card answered {sw}")]
    Status {
        /// The command's name (`SELECT`, `READ BINARY`, `VERIFY`…).
        command: &'static str,
        /// What the card answered.
        sw: StatusWord,
    },
    /// A command could not be encoded for this link.
    #[error("command encoding: {0}")]
    Apdu(#[from] ApduError),
    /// The card's response is not a response APDU.
    #[error("response: {0}")]
    Response(#[from] ResponseError),
    /// The card's data is not well-formed BER-TLV / DER.
    #[error("data: {0}")]
    Tlv(#[from] TlvError),
    /// The data declares a length over the configured limit; nothing was allocated.
    #[error("declared length {declared} exceeds the limit of {limit} bytes")]
    LengthLimit {
        /// What the data declared.
        declared: usize,
        /// The configured limit ([`crate::exchange::Limits`]).
        limit: usize,
    },
    /// The file ended before the length its header declares.
    #[error("file ended after {got} bytes; its header declares {declared}")]
    FileShorterThanDeclared {
        /// Declared total length.
        declared: usize,
        /// Bytes actually read.
        got: usize,
    },
    /// The card returned more data than requested.
    #[error("card returned {got} bytes where at most {requested} were requested")]
    TooMuchData {
        /// Le of the command.
        requested: usize,
        /// Bytes returned.
        got: usize,
    },
    /// A file is larger than READ BINARY's 15-bit offset can address.
    #[error("offset {0} is beyond READ BINARY's 15-bit range")]
    OffsetOutOfRange(usize),
    /// The card answered `6Cxx` to a command already re-issued with its Le.
    #[error("card repeated 6Cxx after the command was re-issued with its Le")]
    RepeatedWrongLe,
    /// A GET RESPONSE was answered `61xx` ("more data") without any data: a card
    /// that would keep the exchange going forever.
    #[error("GET RESPONSE answered 61xx without data")]
    GetResponseWithoutData,
    /// One command took more GET RESPONSE rounds than its response size limit
    /// allows ([`crate::exchange::Limits::max_get_response_rounds`]).
    #[error("more than {limit} GET RESPONSE rounds for one command")]
    TooManyGetResponseRounds {
        /// The round limit.
        limit: usize,
    },
    /// A sans-IO exchange was given a response while no command was outstanding.
    #[error("a response was given while no command was outstanding")]
    NoCommandOutstanding,
    /// A sans-IO exchange was asked for its result before it ended with one.
    #[error("the exchange has not finished")]
    Unfinished,
}

impl ExchangeError {
    /// A stable machine-readable code, e.g. `"exchange.get_response_without_data"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Transport(_) => "exchange.transport",
            Self::Status { .. } => "exchange.status",
            Self::Apdu(_) => "exchange.command_encoding",
            Self::Response(_) => "exchange.response",
            Self::Tlv(_) => "exchange.tlv",
            Self::LengthLimit { .. } => "exchange.length_limit",
            Self::FileShorterThanDeclared { .. } => "exchange.file_shorter_than_declared",
            Self::TooMuchData { .. } => "exchange.too_much_data",
            Self::OffsetOutOfRange(_) => "exchange.offset_out_of_range",
            Self::RepeatedWrongLe => "exchange.repeated_wrong_le",
            Self::GetResponseWithoutData => "exchange.get_response_without_data",
            Self::TooManyGetResponseRounds { .. } => "exchange.get_response_unbounded",
            Self::NoCommandOutstanding => "exchange.no_command_outstanding",
            Self::Unfinished => "exchange.unfinished",
        }
    }

    /// The status word, when the card answered with one.
    pub fn status(&self) -> Option<StatusWord> {
        match self {
            Self::Status { sw, .. } => Some(*sw),
            _ => None,
        }
    }
}

/// With the `serde` feature: `{"code": …, "message": …}`.
#[cfg(feature = "serde")]
impl serde::Serialize for ExchangeError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ExchangeError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

/// The conventional name of an instruction byte, for error messages and traces.
pub fn instruction_name(cla: u8, ins: u8) -> &'static str {
    match (cla & 0x80, ins) {
        (0x00, 0xA4) => "SELECT",
        (0x00, 0xB0) => "READ BINARY",
        (0x00, 0xB2) => "READ RECORD",
        (0x00, 0x20) => "VERIFY",
        (0x00, 0x24) => "CHANGE REFERENCE DATA",
        (0x00, 0x84) => "GET CHALLENGE",
        (0x00, 0x88) => "INTERNAL AUTHENTICATE",
        (0x00, 0xC0) => "GET RESPONSE",
        (0x00, 0xCA) => "GET DATA",
        (0x80, 0x2A) => "COMPUTE DIGITAL SIGNATURE",
        (0x80, 0xFC) => "END OF TRANSACTION",
        (0x80, 0xA2) => "SET PUBLIC IC KEY",
        _ => "command",
    }
}
