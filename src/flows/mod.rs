//! Reception flows at the clinic counter, as sans-IO state machines.
//!
//! One flow per way in: [`CardPinFlow`] (card + PIN), [`CardFaceFlow`] (card at
//! the face-auth reader, with PIN and staff-check fallbacks), [`SmartphoneFlow`]
//! (Android / iPhone, detected) and [`IdentifiersFlow`] (資格確認書, 記号・番号).
//! Each is fed [`Input`]s and answers [`Event`]s (see [`event`]); the blocking
//! [`runner::Runner`] drives any of them over a [`crate::transport::Transport`].
//!
//! Guarantees: a flow never yields an identity that the PKI presentation check
//! did not verify ([`outcome::Identity::Verified`] is only made from its result);
//! a card removed at any step ends the flow with [`FlowError::CardRemoved`] and no
//! partial identity; no flow selects or reads the input-support AP (個人番号).

mod card_face;
mod card_pin;
mod completion;
pub mod consent;
mod error;
pub mod event;
pub mod face;
pub mod guidance;
mod identifiers;
mod key_proof;
pub mod outcome;
pub mod presentation;
pub mod runner;
mod smartphone;
pub mod terminal;

pub use card_face::CardFaceFlow;
pub use card_pin::CardPinFlow;
pub use error::FlowError;
pub use event::{Event, Flow, Input};
pub use identifiers::IdentifiersFlow;
pub use smartphone::SmartphoneFlow;

#[cfg(test)]
mod tests;
