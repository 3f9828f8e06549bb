//! Errors of the typed card operations, layered: the exchange ([`ExchangeError`]),
//! a PIN outcome ([`PinError`]), a file's content ([`FileError`]), a value refused
//! before anything was sent ([`FormatError`]), or an operation the token lacks.
//!
//! Each error has a stable machine-readable [`code`](CardError::code) (for
//! example `"card.pin.blocked"`), and with the `serde` feature serializes as
//! `{"code": …, "message": …}`. No message carries a personal value.

use crate::apdu::StatusWord;
use crate::error::ExchangeError;
use crate::tlv::TlvError;

use super::digest_info::DigestLengthError;
use super::model::{KeyRef, TokenKind};
use super::pin::PinFormatError;

/// Why a card operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardError {
    /// The exchange failed (transport, unexpected status word, length limits…).
    /// No partial result is returned.
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    /// A PIN, password or 照合番号 was refused, blocked, or its VERIFY interrupted.
    #[error(transparent)]
    Pin(#[from] PinError),
    /// A file (or response) the card returned is not what the specification says.
    #[error(transparent)]
    File(#[from] FileError),
    /// A value was refused locally; nothing was sent and no try was spent.
    #[error("not sent (no try spent): {0}")]
    Format(#[from] FormatError),
    /// The operation does not exist on this kind of token.
    #[error("{operation} is not available on a {token:?} token")]
    NotOnThisToken {
        /// What was asked.
        operation: &'static str,
        /// The token kind read from EF 0006.
        token: TokenKind,
    },
    /// The card is not a My Number Card: decided by its answers, the ATR only a hint.
    #[error(transparent)]
    NotMyNumberCard(#[from] super::recognise::NotMyNumberCard),
}

impl From<PinFormatError> for CardError {
    fn from(e: PinFormatError) -> Self {
        Self::Format(FormatError::Secret(e))
    }
}

impl From<DigestLengthError> for CardError {
    fn from(e: DigestLengthError) -> Self {
        Self::Format(FormatError::DigestLength(e))
    }
}

impl CardError {
    /// The status word, when the card answered with one.
    pub fn status(&self) -> Option<StatusWord> {
        match self {
            Self::Exchange(e) => e.status(),
            Self::Pin(PinError::UnexpectedVerifyStatus { sw, .. }) => Some(*sw),
            _ => None,
        }
    }

    /// A stable machine-readable code: `"card.pin.blocked"`,
    /// `"card.file.missing_object"`, `"exchange.get_response_without_data"`…
    pub fn code(&self) -> &'static str {
        match self {
            Self::Exchange(e) => e.code(),
            Self::Pin(e) => e.code(),
            Self::File(e) => e.code(),
            Self::Format(FormatError::Secret(_)) => "card.format.secret",
            Self::Format(FormatError::DigestLength(_)) => "card.format.digest_length",
            Self::Format(FormatError::Challenge) => "card.format.challenge",
            Self::NotOnThisToken { .. } => "card.not_on_this_token",
            Self::NotMyNumberCard(e) => e.code(),
        }
    }
}

/// A value refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The secret failed local validation.
    #[error(transparent)]
    Secret(PinFormatError),
    /// The digest given does not match the algorithm.
    #[error(transparent)]
    DigestLength(DigestLengthError),
    /// A challenge for INTERNAL AUTHENTICATE must be 1 to 255 bytes.
    #[error("the challenge must be 1 to 255 bytes")]
    Challenge,
}

/// The outcome of a VERIFY (or of the guard before it) that is not success.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
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
}

impl PinError {
    /// The key reference concerned.
    pub fn key(&self) -> KeyRef {
        match self {
            Self::LastTryRefused { key }
            | Self::Blocked { key }
            | Self::WrongPin { key, .. }
            | Self::VerifyInterrupted { key, .. }
            | Self::UnexpectedVerifyStatus { key, .. }
            | Self::PinPadTimeout { key }
            | Self::PinPadCancelled { key }
            | Self::WrongSecretKind { key } => *key,
        }
    }

    /// A stable machine-readable code, e.g. `"card.pin.blocked"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::LastTryRefused { .. } => "card.pin.last_try_refused",
            Self::Blocked { .. } => "card.pin.blocked",
            Self::WrongPin { .. } => "card.pin.wrong",
            Self::VerifyInterrupted { .. } => "card.pin.verify_interrupted",
            Self::UnexpectedVerifyStatus { .. } => "card.pin.unexpected_status",
            Self::PinPadTimeout { .. } => "card.pin.pin_pad_timeout",
            Self::PinPadCancelled { .. } => "card.pin.pin_pad_cancelled",
            Self::WrongSecretKind { .. } => "card.pin.wrong_secret_kind",
        }
    }
}

/// A file (or response) whose content is not what the specification says: which
/// file, and what is wrong. Returned by the sans-IO parsers of `card/`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {kind}")]
pub struct FileError {
    /// Which file (`"券面事項入力補助AP EF 0002 (基本4情報)"`…).
    pub file: &'static str,
    /// What is wrong.
    pub kind: FileErrorKind,
}

impl FileError {
    /// A stable machine-readable code, e.g. `"card.file.missing_object"`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            FileErrorKind::Tlv { .. } => "card.file.tlv",
            FileErrorKind::MissingObject { .. } => "card.file.missing_object",
            FileErrorKind::InvalidField { .. } => "card.file.invalid_field",
            FileErrorKind::Certificate { .. } => "card.file.certificate",
            FileErrorKind::Length { .. } => "card.file.length",
        }
    }
}

/// What is wrong with a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileErrorKind {
    /// The TLV structure is broken.
    #[error("{source}")]
    Tlv {
        /// The TLV error, with its byte offset.
        source: TlvError,
    },
    /// A required data object is absent.
    #[error("data object {tag} missing")]
    MissingObject {
        /// The missing tag, in hex.
        tag: &'static str,
    },
    /// A data object is present but its content is not valid.
    #[error("{field} invalid: {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A certificate is not valid DER X.509.
    #[error("not an X.509 certificate: {source}")]
    Certificate {
        /// The DER error (with its position).
        source: der::Error,
    },
    /// The content has the wrong length (a signature of the wrong size…).
    #[error("{got} bytes, expected {expected}")]
    Length {
        /// Expected length.
        expected: usize,
        /// Bytes returned.
        got: usize,
    },
}

pub(crate) fn tlv(file: &'static str) -> impl Fn(TlvError) -> FileError {
    move |source| FileError {
        file,
        kind: FileErrorKind::Tlv { source },
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use alloc::string::ToString;
    use serde::ser::{Serialize, SerializeStruct, Serializer};

    use super::{CardError, FileError, PinError};

    macro_rules! coded {
        ($t:ty, $name:literal) => {
            impl Serialize for $t {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    let mut st = s.serialize_struct($name, 2)?;
                    st.serialize_field("code", self.code())?;
                    st.serialize_field("message", &self.to_string())?;
                    st.end()
                }
            }
        };
    }

    coded!(CardError, "CardError");
    coded!(PinError, "PinError");
    coded!(FileError, "FileError");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::TransportError;

    #[test]
    fn codes_are_stable_and_layered() {
        let blocked = CardError::from(PinError::Blocked {
            key: KeyRef::JpkiAuthPin,
        });
        assert_eq!(blocked.code(), "card.pin.blocked");
        let missing = CardError::from(FileError {
            file: "EF",
            kind: FileErrorKind::MissingObject { tag: "DF22" },
        });
        assert_eq!(missing.code(), "card.file.missing_object");
        assert_eq!(
            CardError::from(ExchangeError::GetResponseWithoutData).code(),
            "exchange.get_response_without_data"
        );
        assert_eq!(
            CardError::from(ExchangeError::Transport(TransportError::CardRemoved)).code(),
            "exchange.transport"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes_as_code_and_message() {
        let e = CardError::from(PinError::WrongPin {
            key: KeyRef::KenhojoPin,
            remaining: 2,
        });
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "card.pin.wrong");
        assert!(json["message"].as_str().unwrap().contains("2 tries left"));
    }
}
