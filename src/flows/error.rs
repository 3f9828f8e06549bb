//! Why a reception flow ended without an outcome.

use super::guidance::{Guidance, GuidanceId};
use super::terminal::PinlessError;
use crate::card::CardError;
use crate::card::PinError;
use crate::exchange::TransportError;
use crate::pki::PkiError;
#[cfg(feature = "serde")]
use alloc::string::ToString;

/// Why a reception flow ended without an outcome. No variant carries a partial
/// identity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FlowError {
    /// The card or phone left the reader (or was reset, or is no longer there).
    #[error("the card was removed during {step}")]
    CardRemoved {
        /// The step that was running.
        step: &'static str,
    },
    /// The link failed for another reason (reader gone, timeout…).
    #[error("transport failure during {step}: {error}")]
    Transport {
        /// The step that was running.
        step: &'static str,
        /// What the link reported.
        error: TransportError,
    },
    /// The card answered something unexpected, or sent malformed data.
    #[error("card error during {step}: {error}")]
    Card {
        /// The step that was running.
        step: &'static str,
        /// What went wrong.
        error: CardError,
    },
    /// The card has no JPKI application (not a My Number Card or phone token).
    #[error("no JPKI application on the card")]
    NotJpki,
    /// The PIN is blocked (too many wrong tries): the municipal office resets it.
    #[error("the PIN is blocked")]
    PinBlocked,
    /// One try was left and the patient chose not to spend it.
    #[error("one PIN try left; the patient declined to use it")]
    LastTryDeclined,
    /// The patient or staff cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The staff member did not confirm the holder (目視確認).
    #[error("the staff visual check did not confirm the holder")]
    StaffRejected,
    /// The token presented is not the kind this flow handles.
    #[error("unexpected token: {found:?}")]
    UnexpectedToken {
        /// The kind its label (EF 0006) names; the label's own bytes are not
        /// kept (an unknown token's label is input text).
        found: crate::card::TokenKind,
    },
    /// The token label (EF 0006) and the verified certificate's form disagree
    /// (e.g. a phone label on a card certificate): no identity.
    #[error("token {token:?} presented a certificate of form {form:?}")]
    FormMismatch {
        /// The token kind read from EF 0006.
        token: crate::card::TokenKind,
        /// The form the certificate's policy gives.
        form: crate::pki::Form,
    },
    /// The terminal's 特定機関認証 failed.
    #[error("特定機関認証: {0}")]
    Pinless(#[from] PinlessError),
    /// The card-face record (photo included) does not verify to a J-LIS CV key
    /// (production, or TEST under a test store): no face comparison; staff
    /// check the card (`face.photo_unverified`).
    #[error("the card face record does not verify: {0}")]
    CardFaceNotVerified(crate::card::CvChainError),
    /// The PKI presentation check failed: no identity.
    #[error("verification failed: {0}")]
    Verification(PkiError),
    /// The caller fed an input the flow was not waiting for.
    #[error("unexpected input {got} while waiting for {expected}")]
    UnexpectedInput {
        /// What the flow waited for.
        expected: &'static str,
        /// What it got.
        got: &'static str,
    },
    /// The operating system's random source failed (no challenge could be drawn).
    #[error("no random challenge available")]
    RandomUnavailable,
    /// The flow already ended.
    #[error("the flow has already ended")]
    Finished,
}

impl FlowError {
    /// A stable, machine-readable code for this failure (logs, JSON, a hospital
    /// system's error table). Never changes once published:
    ///
    /// | code | variant |
    /// |---|---|
    /// | `flow.card.removed` | [`FlowError::CardRemoved`] |
    /// | `flow.card.transport` | [`FlowError::Transport`] |
    /// | `flow.card.error` | [`FlowError::Card`] |
    /// | `flow.card.not_jpki` | [`FlowError::NotJpki`] |
    /// | `flow.pin.blocked` | [`FlowError::PinBlocked`] |
    /// | `flow.pin.last_try_declined` | [`FlowError::LastTryDeclined`] |
    /// | `flow.cancelled` | [`FlowError::Cancelled`] |
    /// | `flow.staff.rejected` | [`FlowError::StaffRejected`] |
    /// | `flow.token.unexpected` | [`FlowError::UnexpectedToken`] |
    /// | `flow.token.form_mismatch` | [`FlowError::FormMismatch`] |
    /// | `flow.pinless.failed` | [`FlowError::Pinless`] |
    /// | `flow.face.photo_not_verified` | [`FlowError::CardFaceNotVerified`] |
    /// | `flow.verification.revoked` / `.expired` / `.kind_not_accepted` / `.form_not_established` / `.failed` | [`FlowError::Verification`] |
    /// | `flow.input.unexpected` | [`FlowError::UnexpectedInput`] |
    /// | `flow.random.unavailable` | [`FlowError::RandomUnavailable`] |
    /// | `flow.finished` | [`FlowError::Finished`] |
    ///
    /// ```
    /// assert_eq!(mynacard::flows::FlowError::PinBlocked.code(), "flow.pin.blocked");
    /// ```
    pub const fn code(&self) -> &'static str {
        match self {
            Self::CardRemoved { .. } => "flow.card.removed",
            Self::Transport { .. } => "flow.card.transport",
            Self::Card { .. } => "flow.card.error",
            Self::NotJpki => "flow.card.not_jpki",
            Self::PinBlocked => "flow.pin.blocked",
            Self::LastTryDeclined => "flow.pin.last_try_declined",
            Self::Cancelled => "flow.cancelled",
            Self::StaffRejected => "flow.staff.rejected",
            Self::UnexpectedToken { .. } => "flow.token.unexpected",
            Self::FormMismatch { .. } => "flow.token.form_mismatch",
            Self::Pinless(_) => "flow.pinless.failed",
            Self::CardFaceNotVerified(_) => "flow.face.photo_not_verified",
            Self::Verification(PkiError::Revoked { .. }) => "flow.verification.revoked",
            Self::Verification(PkiError::Expired { .. }) => "flow.verification.expired",
            Self::Verification(PkiError::KindNotAccepted { .. }) => {
                "flow.verification.kind_not_accepted"
            }
            Self::Verification(PkiError::FormNotEstablished) => {
                "flow.verification.form_not_established"
            }
            Self::Verification(_) => "flow.verification.failed",
            Self::UnexpectedInput { .. } => "flow.input.unexpected",
            Self::RandomUnavailable => "flow.random.unavailable",
            Self::Finished => "flow.finished",
        }
    }

    /// The guidance to show and speak for this failure.
    pub fn guidance(&self) -> Guidance {
        let id = match self {
            Self::CardRemoved { .. } => GuidanceId::CardRemoved,
            Self::NotJpki | Self::UnexpectedToken { .. } => GuidanceId::CardNotJpki,
            Self::PinBlocked => GuidanceId::CardPinBlocked,
            Self::StaffRejected => GuidanceId::StaffVisualCheckRejected,
            Self::CardFaceNotVerified(_) => GuidanceId::FacePhotoUnverified,
            Self::Verification(PkiError::Revoked { .. }) => GuidanceId::VerifyRevoked,
            Self::Verification(PkiError::Expired { .. }) => GuidanceId::VerifyExpired,
            Self::Verification(_) => GuidanceId::VerifyFailed,
            Self::LastTryDeclined | Self::Cancelled => GuidanceId::ReceptionCancelled,
            _ => GuidanceId::VerifyFailed,
        };
        Guidance::new(id)
    }

    /// Maps an exchange failure to the flow's error for `step`.
    pub(crate) fn from_card(step: &'static str, error: crate::ExchangeError) -> Self {
        Self::from_card_error(step, CardError::Exchange(error))
    }

    /// Maps a card-operation failure to the flow's error for `step`.
    pub(crate) fn from_card_error(step: &'static str, error: CardError) -> Self {
        match error {
            CardError::Exchange(crate::ExchangeError::Transport(
                TransportError::CardRemoved | TransportError::NoCard | TransportError::CardReset,
            ))
            | CardError::Pin(PinError::VerifyInterrupted {
                source:
                    TransportError::CardRemoved | TransportError::NoCard | TransportError::CardReset,
                ..
            }) => Self::CardRemoved { step },
            CardError::Exchange(crate::ExchangeError::Transport(error))
            | CardError::Pin(PinError::VerifyInterrupted { source: error, .. }) => {
                Self::Transport { step, error }
            }
            CardError::Pin(PinError::Blocked { .. }) => Self::PinBlocked,
            CardError::Pin(PinError::LastTryRefused { .. }) => Self::LastTryDeclined,
            error => Self::Card { step, error },
        }
    }
}

/// `{"code": "flow.pin.blocked", "message": "the PIN is blocked", "guidance":
/// "card.pin.blocked"}`: no personal value is ever part of a flow error.
#[cfg(feature = "serde")]
impl serde::Serialize for FlowError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("FlowError", 3)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.serialize_field("guidance", &self.guidance().id())?;
        st.end()
    }
}
