//! Why an intake ended without a record: one variant per reason, each with the
//! guidance the new hire is given. No variant carries a personal value.

use alloc::vec::Vec;
use core::fmt;

use super::compare::Attribute;
use super::guidance::{IntakeGuidance, IntakeGuidanceId};
use super::record::IntakeCheck;
use crate::card::IntegrityCheck;
use crate::card::{CardError, KeyRef, PinError};
use crate::pki::PkiError;
use crate::transport::TransportError;

/// The list of attributes that differed, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attributes(pub Vec<Attribute>);

impl fmt::Display for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

/// A failed 番号確認 check and what it established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedChecks(pub Vec<(IntakeCheck, IntegrityCheck)>);

impl fmt::Display for FailedChecks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (check, result)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match result {
                IntegrityCheck::NotChecked(why) => write!(f, "{check} not checked ({why})")?,
                _ => write!(f, "{check} failed")?,
            }
        }
        Ok(())
    }
}

/// Why the intake ended without an [`super::EmployeeIdentityRecord`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntakeError {
    /// The card left the reader.
    #[error("the card was removed during {step}")]
    CardRemoved {
        /// The step.
        step: &'static str,
    },
    /// The card answered or failed in a way the flow cannot go on from.
    #[error("{step}: {error}")]
    Card {
        /// The step.
        step: &'static str,
        /// What went wrong.
        error: CardError,
    },
    /// What is on the reader is not a My Number Card (no JPKI AP or no
    /// 券面事項入力補助AP).
    #[error("not a My Number Card: {detail}")]
    NotMyNumberCard {
        /// What was missing.
        detail: &'static str,
    },
    /// The 券面事項入力補助用暗証番号 is blocked.
    #[error("the 券面事項入力補助用暗証番号 is blocked")]
    KenhojoPinBlocked,
    /// The 署名用パスワード is blocked.
    #[error("the 署名用パスワード is blocked")]
    SignPasswordBlocked,
    /// One try was left and the new hire chose not to spend it.
    #[error("the last try was not spent")]
    LastTryDeclined,
    /// 番号確認 failed: the records do not verify to J-LIS (named checks).
    #[error("番号確認 failed: {0}")]
    NumberCheck(FailedChecks),
    /// 身元確認 failed: the signature certificate, the signature or revocation.
    #[error("身元確認 failed: {0}")]
    Identity(PkiError),
    /// 身元確認 failed: the certificate's attributes differ from the card's.
    #[error("身元確認 failed: the signature certificate's {0} differs from the card's")]
    AttributeMismatch(Attributes),
    /// The new hire (or the employer's staff) cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The flow was fed an input it does not wait for.
    #[error("unexpected input: expected {expected}, got {got}")]
    UnexpectedInput {
        /// What the flow waits for.
        expected: &'static str,
        /// What it got.
        got: &'static str,
    },
    /// The flow already ended.
    #[error("the flow already ended")]
    Finished,
    /// The operating system's random generator failed (no challenge drawn).
    #[error("random generator unavailable")]
    RandomUnavailable,
    /// The iPhone's カード代替電磁的記録 (mdoc) did not verify, or its session failed.
    #[error("mdoc: {0}")]
    Mdoc(crate::mdoc::MdocError),
    /// The employer found that the mdoc's portrait is not the new hire.
    #[error("身元確認 failed: the portrait does not match the person presenting")]
    PortraitMismatch,
    /// The 身元確認 needs the employer's portrait comparison and none was made.
    #[error("身元確認 not made: the portrait was not compared")]
    PortraitNotCompared,
}

impl IntakeError {
    /// A stable machine-readable code, e.g. `employer.number_check`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CardRemoved { .. } => "employer.card_removed",
            Self::Card { .. } => "employer.card",
            Self::NotMyNumberCard { .. } => "employer.not_my_number_card",
            Self::KenhojoPinBlocked => "employer.kenhojo_pin_blocked",
            Self::SignPasswordBlocked => "employer.sign_password_blocked",
            Self::LastTryDeclined => "employer.last_try_declined",
            Self::NumberCheck(_) => "employer.number_check",
            Self::Identity(PkiError::Revoked { .. }) => "employer.identity.revoked",
            Self::Identity(_) => "employer.identity",
            Self::AttributeMismatch(_) => "employer.attribute_mismatch",
            Self::Cancelled => "employer.cancelled",
            Self::UnexpectedInput { .. } => "employer.unexpected_input",
            Self::Finished => "employer.finished",
            Self::RandomUnavailable => "employer.random_unavailable",
            Self::Mdoc(_) => "employer.mdoc",
            Self::PortraitMismatch => "employer.portrait_mismatch",
            Self::PortraitNotCompared => "employer.portrait_not_compared",
        }
    }

    /// What to tell the new hire.
    pub fn guidance(&self) -> IntakeGuidance {
        IntakeGuidance::new(match self {
            Self::CardRemoved { .. } => IntakeGuidanceId::CardRemoved,
            Self::NotMyNumberCard { .. } => IntakeGuidanceId::CardNotMyNumber,
            Self::KenhojoPinBlocked => IntakeGuidanceId::KenhojoPinBlocked,
            Self::SignPasswordBlocked => IntakeGuidanceId::SignPasswordBlocked,
            Self::NumberCheck(_) => IntakeGuidanceId::NumberFailed,
            Self::Identity(PkiError::Revoked { .. }) => IntakeGuidanceId::IdentityRevoked,
            Self::Identity(_) => IntakeGuidanceId::IdentityFailed,
            Self::AttributeMismatch(_) => IntakeGuidanceId::IdentityMismatch,
            Self::Card { .. } => IntakeGuidanceId::CardNotMyNumber,
            Self::Mdoc(_) => IntakeGuidanceId::NumberFailed,
            Self::LastTryDeclined
            | Self::Cancelled
            | Self::UnexpectedInput { .. }
            | Self::Finished
            | Self::RandomUnavailable
            | Self::PortraitMismatch
            | Self::PortraitNotCompared => IntakeGuidanceId::Cancelled,
        })
    }

    /// The attributes that differed, for [`IntakeError::AttributeMismatch`].
    pub fn mismatched_attributes(&self) -> &[Attribute] {
        match self {
            Self::AttributeMismatch(a) => &a.0,
            _ => &[],
        }
    }

    /// The 番号確認 checks that did not pass, for [`IntakeError::NumberCheck`].
    pub fn failed_checks(&self) -> Vec<IntakeCheck> {
        match self {
            Self::NumberCheck(f) => f.0.iter().map(|(c, _)| *c).collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn from_card(step: &'static str, error: CardError) -> Self {
        match error {
            CardError::Exchange(crate::ExchangeError::Transport(TransportError::CardRemoved)) => {
                Self::CardRemoved { step }
            }
            CardError::Pin(PinError::Blocked {
                key: KeyRef::KenhojoPin,
            }) => Self::KenhojoPinBlocked,
            CardError::Pin(PinError::Blocked {
                key: KeyRef::JpkiSignPassword,
            }) => Self::SignPasswordBlocked,
            error => Self::Card { step, error },
        }
    }
}

#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(IntakeError);
