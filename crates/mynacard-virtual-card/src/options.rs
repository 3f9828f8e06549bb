//! Behaviour that the sources disagree on or leave open, made configurable.
//! Defaults follow the recommendations of the fact sheet (`card-apdu.md`).

use mynacard_transport::LinkCapabilities;

/// The status word of a VERIFY on a blocked key reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BlockedStatus {
    /// `6984` referenced data blocked (MYNA-GO, SOLTIA; the default).
    #[default]
    Sw6984,
    /// `6983` authentication method blocked (ISO generic; only a constant in LULI).
    Sw6983,
}

/// Options of the virtual card. Start from [`VirtualCardOptions::default`] and change
/// fields:
///
/// ```
/// use mynacard_virtual_card::{BlockedStatus, VirtualCardOptions};
/// let mut options = VirtualCardOptions::default();
/// options.blocked_status = BlockedStatus::Sw6983;
/// options.verification_number_retries = 3;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VirtualCardOptions {
    /// Retry limit of 照合番号A and 照合番号B (kenhojo `0014`/`0015`, kenkaku
    /// `0013`/`0012`). ⚠ Unknown on real cards; default 10, 1–15.
    pub verification_number_retries: u8,
    /// Retry limit of the kenkaku birth-date key (`0011`). ⚠ Unknown; default 10, 1–15.
    pub birth_key_retries: u8,
    /// Status word of a VERIFY on a blocked key reference (default `6984`).
    pub blocked_status: BlockedStatus,
    /// Whether the retry query `00 20 00 80` answers `9000` when the key is already
    /// verified in this session (reported on some cards). Default `false`: it
    /// answers `63Cx`.
    pub query_ok_when_verified: bool,
    /// Whether a VERIFY whose value has the wrong length for the key (e.g. 3 digits
    /// for a 4-digit PIN) costs a try (`63Cx`). Undocumented on real cards; default
    /// `true` (the conservative assumption LULI makes). When `false` the card
    /// answers `6700` and keeps the counter.
    pub wrong_length_costs_try: bool,
    /// Whether the iPhone profile demands VERIFY before the sign certificate and
    /// the keys can be used. Default `false` (the holder was verified on the phone).
    pub iphone_requires_verify: bool,
    /// What the link carries: short APDUs only, or extended ones. The card refuses
    /// extended-length commands on a short-only link, as a CCID reader in short
    /// APDU mode would.
    pub capabilities: LinkCapabilities,
    /// Seed of the deterministic generator behind GET CHALLENGE.
    pub challenge_seed: [u8; 32],
    /// The answer to reset (default: the older cards' contact ATR [`CONTACT_ATR`],
    /// `3B E0 00 FF 81 31 FE 45 14`, that OpenSC's JPKI driver matches; cards issued from
    /// about 2024 answer [`CONTACT_ATR_2024`]). GET DATA `5F51` answers it without TS.
    /// Host code must never depend on it.
    pub atr: Vec<u8>,
    /// Whether a warm reset (PC/SC `SCARD_RESET_CARD`, vpcd's reset) keeps the selected
    /// application and its verified PINs. **(1 src)** Default `true`, as measured on a
    /// real card (soltia48/myna-card `src/transport/pcsc.rs`, `power_cycle`: "A warm reset
    /// does not [clear the security status], and neither does disconnecting and
    /// reconnecting"). `false` models the ISO reading (a reset clears everything). Only
    /// losing power ([`VirtualCard::power_off`](crate::VirtualCard::power_off)) always
    /// clears it.
    pub warm_reset_keeps_security_state: bool,
    /// Whether the first command after power-up
    /// ([`VirtualCard::power_on`](crate::VirtualCard::power_on) after
    /// [`VirtualCard::power_off`](crate::VirtualCard::power_off), a PC/SC `SCARD_UNPOWER_CARD` reconnect, vpcd's power
    /// cycle, [`Transport::power_cycle`](mynacard_transport::Transport::power_cycle)) is
    /// answered `6F00` (and then forgotten). **(1 src)** Measured after a PC/SC
    /// `SCARD_UNPOWER_CARD` reconnect (soltia48/myna-card `src/transport/pcsc.rs`,
    /// `power_cycle`). Default `true`, as measured: every host path of `mynacard` (the
    /// byte-driven flows and intake, its exchange, runner, intake driver and PC/SC
    /// transport) sends that command once more. A card just built counts as already
    /// powered (a first insertion was not measured). Turn it off for a tool that does not
    /// expect it (OpenSC).
    pub answer_6f00_after_power_up: bool,
}

/// The contact ATR of older cards, the one OpenSC's JPKI driver lists (card-apdu.md §1).
pub const CONTACT_ATR: [u8; 9] = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];

/// The 19-byte contact ATR of cards issued from about 2024 (issue 13).
pub const CONTACT_ATR_2024: [u8; 19] = [
    0x3B, 0xDA, 0x13, 0xFF, 0x81, 0x31, 0xFB, 0x46, 0x80, 0x12, 0x39, 0x2F, 0x31, 0xC1, 0x73, 0xC6,
    0x01, 0xC0, 0x3B,
];

impl Default for VirtualCardOptions {
    fn default() -> Self {
        Self {
            verification_number_retries: 10,
            birth_key_retries: 10,
            blocked_status: BlockedStatus::Sw6984,
            query_ok_when_verified: false,
            wrong_length_costs_try: true,
            iphone_requires_verify: false,
            capabilities: LinkCapabilities::extended(65536),
            challenge_seed: [0x5A; 32],
            atr: CONTACT_ATR.to_vec(),
            warm_reset_keeps_security_state: true,
            answer_6f00_after_power_up: true,
        }
    }
}
