//! What the terminal can do besides talking to the card: 特定機関認証.
//!
//! After a face match (or a staff visual check) the medical reader uses the card's
//! user-authentication key **without** the PIN. Public material says only that the
//! terminal holds a 特定機関 certificate and key provisioned in advance, which the
//! card accepts (single source; the card-level hints — EF `0016`, `80 A2` SET
//! PUBLIC IC KEY, a card-verifiable certificate chain — are single-source too and
//! their parameters are not established). So the library does not guess those
//! APDUs: a terminal that has the capability implements [`PinlessKeyAccess`] and
//! drives the exchange itself, one command at a time, inside the JPKI AP.
//!
//! A terminal without it configures [`WithoutPinlessAccess`]: the face flow then
//! asks for the PIN to make the signature (default), or ends with a clearly typed
//! outcome that carries **no** verified identity
//! ([`crate::flows::Identity::HolderCheckedWithoutKeyProof`]).

use crate::apdu::{Command, Response};
use alloc::boxed::Box;
use alloc::string::String;

/// Why the terminal's 特定機関認証 failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinlessError {
    /// The terminal's 特定機関 credential is not provisioned or not usable.
    #[error("the terminal's 特定機関 credential is unavailable: {0}")]
    CredentialUnavailable(String),
    /// The card refused a step of the exchange.
    #[error("the card refused 特定機関認証 (SW {sw:04X})")]
    Refused {
        /// The status word the card answered.
        sw: u16,
    },
}

/// The terminal's 特定機関認証 capability: authorises the card's
/// user-authentication key without a PIN, by an exchange the terminal knows.
///
/// The flow calls [`PinlessKeyAccess::next_command`] with `None` once the JPKI AP is
/// selected, sends each command returned, and passes the card's response back,
/// until the implementation returns `Ok(None)` (the key is authorised). The flow
/// then selects the key EF and signs the challenge as usual; the signature still
/// goes through the PKI presentation check.
pub trait PinlessKeyAccess {
    /// The next command of the exchange, given the response to the previous one
    /// (`None` at the start). `Ok(None)` means the key is now usable.
    fn next_command(
        &mut self,
        previous: Option<&Response>,
    ) -> Result<Option<Command>, PinlessError>;
}

impl<P: PinlessKeyAccess + ?Sized> PinlessKeyAccess for &mut P {
    fn next_command(
        &mut self,
        previous: Option<&Response>,
    ) -> Result<Option<Command>, PinlessError> {
        (**self).next_command(previous)
    }
}

impl<P: PinlessKeyAccess + ?Sized> PinlessKeyAccess for Box<P> {
    fn next_command(
        &mut self,
        previous: Option<&Response>,
    ) -> Result<Option<Command>, PinlessError> {
        (**self).next_command(previous)
    }
}

/// What the face flow does after a face match (or staff check) when the terminal
/// has no [`PinlessKeyAccess`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum WithoutPinlessAccess {
    /// Ask for the PIN to make the signature: the outcome carries a verified
    /// identity, method [`crate::flows::Method::Pin`] after a face match.
    #[default]
    AskPin,
    /// End with [`crate::flows::Identity::HolderCheckedWithoutKeyProof`]:
    /// the holder matched the card's photo and the card opened with 照合番号B, but
    /// no key proved the card genuine, so there is no verified identity.
    ReportWithoutKeyProof,
}
