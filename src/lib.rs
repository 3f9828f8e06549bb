// Without feature `std` the crate is `no_std` + `alloc` (`.ci/nostd.sh` builds it for a
// target without std); sans-IO modules import `alloc::`/`core::` paths either way.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
//! A Rust library for Japan's **My Number Card** (マイナンバーカード) and the smartphones that
//! carry its certificates: the card's APDUs, JPKI certificate validation, the reception
//! counter's flows as sans-IO state machines, the online eligibility (オンライン資格確認) files,
//! and a virtual card for testing without hardware.
//!
//! ```sh
//! cargo run --example reception   # the clinic counter on the built-in virtual card
//! cargo test                      # the test suite (no card, no reader needed)
//! ```
//!
//! # Entry points
//!
//! - **A card on a reader**: [`Card`] — the blocking driver of the JPKI AP, the
//!   券面事項入力補助AP and the 券面事項確認AP over any
//!   [`Transport`](transport::Transport); [`PcscContext`] finds PC/SC readers (feature
//!   `pcsc`), [`VirtualCard`] is a TEST card in process (feature `virtual-card`).
//! - **The reception counter**: [`CardPinFlow`], [`CardFaceFlow`], [`SmartphoneFlow`] and
//!   [`IdentifiersFlow`] (sans-IO, see [`flows`]), driven by [`runner::Runner`] or by your
//!   own loop.
//! - **An employer's intake** of a new hire's 個人番号: [`EmployerIntakeFlow`] (see
//!   [`employer`]).
//! - **Verifying what a card or phone presents**: [`verify_presentation`] of a
//!   [`Presentation`] against a [`TrustStore`] under a [`RelyingPartyPolicy`] (see [`pki`];
//!   a verification server: [`relying_party`]).
//! - **Online eligibility**: [`eligibility::parse_result`] reads the terminal's result file,
//!   [`EligibilityRequest`] builds the request (see [`eligibility`]).
//! - **Values**: [`MyNumber`] (the 個人番号, redacted), [`CalendarDate`] (with 和暦), and
//!   [`ExchangeError`], what any card exchange fails with.
//!
//! The low-level parsers of untrusted bytes, for fuzzing and research, are in `internal`
//! (unstable, hidden from these docs).
//!
//! # The manual
//!
//! [`manual`] has a chapter for each part, with examples that compile:
//! [architecture](manual::architecture), [card operations](manual::card),
//! [the virtual card](manual::virtual_card), [PKI and presentations](manual::pki),
//! [verification servers](manual::relying_party), [reception flows](manual::reception),
//! [employers](manual::employer), [speakable guidance](manual::speech),
//! [eligibility](manual::eligibility), [security](manual::security),
//! [for researchers](manual::researchers) and [the C and Python bindings](manual::bindings).

#[macro_use]
extern crate alloc;

pub mod apdu;
pub mod card;
pub mod crypto;
pub mod date;
/// The hash algorithms and `DigestInfo`: [`crypto::digest`], also at this older path.
pub use crypto::digest;
pub mod document;
pub mod eligibility;
pub mod employer;
mod error;
#[cfg(feature = "serde")]
mod error_report;
pub mod exchange;
pub mod flows;
#[doc(hidden)]
pub mod internal;
pub mod manual;
pub mod mdoc;
mod my_number;
#[cfg(feature = "pcsc")]
pub mod pcsc;
pub mod person;
pub mod pki;
#[cfg(feature = "std")]
pub mod relying_party;
#[cfg(feature = "std")]
pub mod runner;
pub mod session;
pub mod speech;
#[cfg(feature = "terminal-files")]
pub mod terminal;
pub mod tlv;
mod trace;
pub mod transport;
mod xml_text;
/// The virtual My Number Card: the crate `mynacard-virtual-card`, re-exported.
#[cfg(feature = "virtual-card")]
#[doc(inline)]
pub use mynacard_virtual_card as virtual_card;

pub use card::Card;
pub use date::CalendarDate;
pub use eligibility::EligibilityRequest;
pub use employer::EmployerIntakeFlow;
pub use error::ExchangeError;
#[cfg(feature = "serde")]
pub use error_report::ErrorReport;
pub use flows::{CardFaceFlow, CardPinFlow, IdentifiersFlow, SmartphoneFlow};
pub use my_number::{MyNumber, MyNumberError};
#[cfg(feature = "pcsc")]
pub use pcsc::PcscContext;
pub use pki::{Presentation, RelyingPartyPolicy, TrustStore, verify_presentation};
#[cfg(feature = "virtual-card")]
#[doc(no_inline)]
pub use virtual_card::VirtualCard;

/// README.md's code blocks, compiled and run as doctests (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
