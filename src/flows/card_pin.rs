//! Card + PIN: the 本則 at the reader — the auth certificate and a signature over
//! a fresh challenge, made after the holder's 4-digit PIN.
//!
//! Commands on a short-only link: SELECT JPKI AP, READ BINARY of the auth
//! certificate by SFI (⌈N/256⌉ reads), VERIFY query (case 1), VERIFY by SFI
//! (`00 20 00 98`), SELECT key EF `0017`, COMPUTE DIGITAL SIGNATURE — plus one
//! VERIFY per wrong PIN. The token info (EF `0006`) is read only when the PKI
//! check needs the token's form (an expired certificate under a grace policy, or
//! phones refused, with a certificate whose policy does not state the form) or
//! the certificate is a phone's (to name the visit's method); a label saying
//! "card" is then proven by the card (5 more commands, extended APDUs: see
//! [`crate::card::CardProofEvidence`]): a phone held to the card reader, or a relay
//! rewriting its label, is never given a card's grace nor counted as a card visit.
//!
//! Lockout guard: with one try left the patient is warned (`card.pin.last_try`,
//! 残り1回) and must say yes before the last try is spent; a blocked PIN ends the
//! flow with `card.pin.blocked`. A PIN that is not 4 digits is never sent.

use super::engine::link::Linked;
use super::guidance::GuidanceId;
use super::key_proof::{Expect, KeyFlow, key_flow};

/// The card + PIN flow.
pub struct CardPinFlow<V>(Linked<KeyFlow<V>>);

key_flow!(CardPinFlow, GuidanceId::CardPlace, Expect::Card);
