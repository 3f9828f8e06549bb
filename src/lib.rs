#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![doc = include_str!("../README.md")]

pub mod apdu;
pub mod card;
pub mod date;
pub mod digest;
pub mod eligibility;
pub mod employer;
pub mod error;
pub mod exchange;
pub mod flows;
pub mod my_number;
#[cfg(feature = "pcsc")]
pub mod pcsc;
pub mod person;
pub mod pki;
pub mod relying_party;
pub mod runner;
pub mod session;
pub mod speech;
#[cfg(feature = "terminal-files")]
pub mod terminal;
pub mod tlv;
pub mod transport;
/// The virtual My Number Card: the crate `mynacard-virtual-card`, re-exported.
#[cfg(feature = "virtual-card")]
#[doc(inline)]
pub use mynacard_virtual_card as virtual_card;

pub use error::ExchangeError;
pub use my_number::MyNumber;
