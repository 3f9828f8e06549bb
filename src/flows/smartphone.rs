//! Smartphone (スマホのマイナ保険証): the phone answers with the same JPKI AP.
//!
//! The token kind is read from EF `0006`:
//! - **Android** (`JPKIAPGPSETOKEN`): the patient types the phone's 4-digit auth PIN
//!   on the reader's keypad (`phone.android.pin.enter`); the auth certificate is
//!   readable only after it, so the PIN comes first.
//! - **iPhone** (`JPKIAPIOSTOKEN`): the holder was verified on the phone (Face ID /
//!   Touch ID); no VERIFY is sent, and the end-of-transaction command `80 FC 00 00`
//!   closes the exchange.
//!
//! A physical card (or any other token) ends the flow with
//! [`FlowError::UnexpectedToken`]. The certificate and signature go through the
//! same PKI check as a card's; the token kind is carried in the outcome.

use super::engine::link::Linked;
use super::guidance::GuidanceId;
use super::key_proof::{Expect, KeyFlow, key_flow};

/// The smartphone flow (Android or iPhone, detected).
pub struct SmartphoneFlow<V>(Linked<KeyFlow<V>>);

key_flow!(SmartphoneFlow, GuidanceId::PhoneHold, Expect::Phone);
