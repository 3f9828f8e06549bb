//! Errors of the typed card operations.

use crate::apdu::StatusWord;
use crate::tlv::TlvError;

use super::pin::PinFormatError;
use super::pin_status::KeyRef;
use super::token::TokenKind;

/// Why a card operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardError {
    /// The exchange failed (transport, unexpected status word, length limits…).
    /// No partial result is returned.
    #[error(transparent)]
    Exchange(#[from] crate::ExchangeError),
    /// The secret failed local validation; nothing was sent and no try was spent.
    #[error("not sent (no try spent): {0}")]
    Format(#[from] PinFormatError),
    /// Only one try is left and the caller did not allow spending it.
    #[error("{key}: 1 try left — refused to spend the last try without explicit permission")]
    LastTryRefused {
        /// The PIN or 照合番号.
        key: KeyRef,
    },
    /// The PIN is blocked (before or by this attempt).
    #[error("{key}: blocked — go to the municipal office to reset it")]
    Blocked {
        /// The PIN or 照合番号.
        key: KeyRef,
    },
    /// The card rejected the PIN; this many tries remain (at least 1).
    #[error("{key}: wrong, {remaining} tries left")]
    WrongPin {
        /// The PIN or 照合番号.
        key: KeyRef,
        /// Tries left.
        remaining: u8,
    },
    /// The link failed while a VERIFY was in flight: the try may have been
    /// counted. The library does not retry; query the status before trying again.
    #[error("{key}: link failed during VERIFY ({source}); the try may have been counted")]
    VerifyInterrupted {
        /// The PIN or 照合番号.
        key: KeyRef,
        /// The transport failure.
        source: crate::transport::TransportError,
    },
    /// The card answered VERIFY (or its query) with a status that means neither
    /// success, a counter nor blocked.
    #[error("{key}: unexpected VERIFY status {sw}")]
    UnexpectedVerifyStatus {
        /// The PIN or 照合番号.
        key: KeyRef,
        /// What the card answered.
        sw: StatusWord,
    },
    /// The holder typed nothing on the reader's keypad in time (`6400`); no try
    /// was spent.
    #[error("{key}: PIN pad timed out")]
    PinPadTimeout {
        /// The PIN.
        key: KeyRef,
    },
    /// The holder pressed Cancel on the reader's keypad (`6401`); no try was spent.
    #[error("{key}: PIN entry cancelled on the PIN pad")]
    PinPadCancelled {
        /// The PIN.
        key: KeyRef,
    },
    /// The secret is not of the kind this key takes (nothing was sent).
    #[error("{key} does not take this kind of secret")]
    WrongSecretKind {
        /// The key reference.
        key: KeyRef,
    },
    /// The operation does not exist on this kind of token.
    #[error("{operation} is not available on a {token:?} token")]
    NotOnThisToken {
        /// What was asked.
        operation: &'static str,
        /// The token kind read from EF 0006.
        token: TokenKind,
    },
    /// A file's TLV structure is broken.
    #[error("{file}: {source}")]
    Tlv {
        /// Which file.
        file: &'static str,
        /// The TLV error, with its byte offset.
        source: TlvError,
    },
    /// A required data object is absent.
    #[error("{file}: data object {tag} missing")]
    MissingObject {
        /// Which file.
        file: &'static str,
        /// The missing tag, in hex.
        tag: &'static str,
    },
    /// A data object is present but its content is not valid.
    #[error("{file}: {field} invalid: {reason}")]
    InvalidField {
        /// Which file.
        file: &'static str,
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A certificate is not valid DER X.509.
    #[error("{file}: not an X.509 certificate: {source}")]
    Certificate {
        /// Which file.
        file: &'static str,
        /// The DER error (with its position).
        source: der::Error,
    },
    /// The card returned a signature of the wrong length.
    #[error("signature of {got} bytes, expected {expected}")]
    SignatureLength {
        /// Expected length (the key's modulus length).
        expected: usize,
        /// Bytes returned.
        got: usize,
    },
    /// The digest given does not match the algorithm.
    #[error(transparent)]
    DigestLength(#[from] super::digest_info::DigestLengthError),
}

impl CardError {
    /// The status word, when the card answered with one.
    pub fn status(&self) -> Option<StatusWord> {
        match self {
            Self::Exchange(e) => e.status(),
            Self::UnexpectedVerifyStatus { sw, .. } => Some(*sw),
            _ => None,
        }
    }
}

pub(crate) fn tlv(file: &'static str) -> impl Fn(TlvError) -> CardError {
    move |source| CardError::Tlv { file, source }
}
