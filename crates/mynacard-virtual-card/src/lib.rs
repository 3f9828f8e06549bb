//! A virtual My Number Card: the card itself, in software, faithful to the fact
//! sheet (`card-apdu.md` §2–§5, §7). The `mynacard` library re-exports this crate
//! as `mynacard::virtual_card` (its feature `virtual-card`).
//!
//! It is a peer, not a mock: it decodes command APDUs on its own. Among the
//! `mynacard` crates it depends on `mynacard-transport` only, so Cargo guarantees
//! that it shares no code with the host-side APDU / TLV / exchange codec. It keeps
//! a file system with access rules, real PIN counters and per-application
//! security state, and signs with its own RSA-2048 keys. It implements
//! [`Transport`], so host code runs against it in-process, and it can be served
//! to pcscd through vsmartcard's vpcd ([`vpcd`]).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mynacard_virtual_card::Transport;
//! use mynacard_virtual_card::VirtualCard;
//!
//! let mut card = VirtualCard::test_holder("yamada")?;
//! // SELECT the JPKI AP, then its auth PIN EF, and ask for the remaining tries.
//! let select_jpki = [0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
//! assert_eq!(card.transmit(&select_jpki)?, [0x90, 0x00]);
//! assert_eq!(card.transmit(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18])?, [0x90, 0x00]);
//! assert_eq!(card.transmit(&[0x00, 0x20, 0x00, 0x80])?, [0x63, 0xC3]);
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod authenticate;
mod ber;
mod builder;
mod builtin;
mod card_manager;
mod challenge;
mod command;
mod commands;
mod cv_certificate;
mod file_system;
mod holder;
mod images;
pub mod iphone;
mod options;
mod pin;
mod profile;
mod read_record;
mod records;
mod secure_messaging;
mod signature_schemes;
mod status;
mod trace;
pub mod vpcd;

pub use builder::{BuildError, VirtualCardBuilder, rsa_key_from_pkcs8_der};
pub use builtin::{RECORD_FILES, TEST_AUTH_CA_DER, TEST_HOLDER_IDS, TEST_SIGN_CA_DER};
pub use card_manager::{ISSUER_SECURITY_DOMAIN_AID, TAG_CONTACT_ATR};
pub use file_system::CardApplication;
pub use holder::{Holder, HolderSex};
pub use options::{BlockedStatus, CONTACT_ATR, CONTACT_ATR_2024, VirtualCardOptions};
pub use profile::Profile;
pub use status::Sw;
pub use trace::ProcessedCommand;

use std::collections::VecDeque;

use card_manager::MfObjects;
use challenge::ChallengeGenerator;
use file_system::{Df, EfBody};
pub use mynacard_transport::{LinkCapabilities, Transport, TransportError};

/// Most trace entries kept (oldest dropped first).
pub const TRACE_CAPACITY: usize = 4096;

/// The virtual card. Build one with [`VirtualCard::builder`] or take a built-in
/// test holder with [`VirtualCard::test_holder`]. `Clone` snapshots the whole
/// card state (files, PIN counters, selection, security state, trace).
#[derive(Clone)]
pub struct VirtualCard {
    profile: Profile,
    options: VirtualCardOptions,
    dfs: Vec<Df>,
    /// Index into `dfs` of the selected application (`None` = MF).
    current_df: Option<usize>,
    /// Index into the current DF's EFs of the current EF.
    current_ef: Option<usize>,
    /// Key references (FIDs) verified in the current application.
    verified: Vec<u16>,
    /// The MF-level GET DATA objects.
    mf_objects: MfObjects,
    /// The MF's internal EF `001E` is the current EF (no application selected).
    mf_ef_selected: bool,
    present: bool,
    /// Whether the card has power (a PC/SC reader powers it; vpcd says when).
    powered: bool,
    /// The next command is answered `6F00` (first command after power-up, by option).
    power_up_pending: bool,
    challenge: ChallengeGenerator,
    trace: VecDeque<ProcessedCommand>,
    commands: u64,
}

impl core::fmt::Debug for VirtualCard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VirtualCard")
            .field("profile", &self.profile)
            .field("current_df", &self.current_application())
            .field("commands", &self.commands)
            .finish_non_exhaustive()
    }
}

impl VirtualCard {
    /// Starts building a card for `holder`.
    pub fn builder(holder: Holder) -> VirtualCardBuilder {
        VirtualCardBuilder::new(holder)
    }

    pub(crate) fn from_parts(
        profile: Profile,
        options: VirtualCardOptions,
        dfs: Vec<Df>,
        mf_objects: MfObjects,
    ) -> Self {
        Self {
            profile,
            challenge: ChallengeGenerator::new(options.challenge_seed),
            options,
            dfs,
            current_df: None,
            current_ef: None,
            verified: Vec::new(),
            mf_objects,
            mf_ef_selected: false,
            present: true,
            powered: true,
            power_up_pending: false,
            trace: VecDeque::new(),
            commands: 0,
        }
    }

    /// The profile the card was built with.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The options the card was built with.
    pub fn options(&self) -> &VirtualCardOptions {
        &self.options
    }

    /// The answer to reset.
    pub fn atr(&self) -> &[u8] {
        &self.options.atr
    }

    /// The selected application, if any.
    pub fn current_application(&self) -> Option<CardApplication> {
        self.current_df
            .and_then(|i| self.dfs.get(i))
            .map(|df| df.app)
    }

    /// Warm reset (PC/SC `SCARD_RESET_CARD`, vpcd's reset): with
    /// [`VirtualCardOptions::warm_reset_keeps_security_state`] (the default, as measured
    /// on real cards) the selected application and its verified PINs survive; without it
    /// the card goes back to the MF with every security state cleared. PIN counters are
    /// always kept. Returns the ATR.
    pub fn reset(&mut self) -> &[u8] {
        if !self.options.warm_reset_keeps_security_state {
            self.clear_session();
        }
        &self.options.atr
    }

    /// Removes power (PC/SC `SCARD_UNPOWER_CARD`, vpcd's power-off, the card leaving the
    /// field): back to the MF, every verified PIN forgotten — the only thing that always
    /// logs out. Commands sent in-process before [`VirtualCard::power_on`] fail with
    /// [`TransportError::CardRemoved`] (no reader would deliver them).
    pub fn power_off(&mut self) {
        self.powered = false;
        self.power_up_pending = false;
        self.clear_session();
    }

    /// Restores power after [`VirtualCard::power_off`] (a cold reset). With
    /// [`VirtualCardOptions::answer_6f00_after_power_up`] the next command is answered
    /// `6F00`. Returns the ATR.
    pub fn power_on(&mut self) -> &[u8] {
        if !self.powered {
            self.powered = true;
            self.power_up_pending = self.options.answer_6f00_after_power_up;
        }
        &self.options.atr
    }

    /// Whether the card has power.
    pub fn is_powered(&self) -> bool {
        self.powered
    }

    fn clear_session(&mut self) {
        self.current_df = None;
        self.current_ef = None;
        self.mf_ef_selected = false;
        self.verified.clear();
    }

    /// Takes the card out of the reader (it loses power): every `transmit` fails with
    /// [`TransportError::CardRemoved`] until [`VirtualCard::insert`].
    pub fn remove(&mut self) {
        self.present = false;
        self.power_off();
    }

    /// Puts the card back: the reader powers it up (see [`VirtualCard::power_on`]).
    pub fn insert(&mut self) {
        self.present = true;
        self.power_on();
    }

    /// The physical content (object + `FF` filler) of a transparent EF, for tests
    /// and for dumping test records. `None` for absent files and for PIN/key EFs.
    pub fn file_content(&self, app: CardApplication, fid: u16) -> Option<&[u8]> {
        let df = self.dfs.iter().find(|d| d.app == app)?;
        match &df.ef(fid)?.body {
            EfBody::Binary(content) => Some(content),
            _ => None,
        }
    }

    /// Record `n` (from 1) of a record-structured EF (共通AP / 住基AP), for tests and
    /// dumps. `None` for absent files, records and non-record EFs.
    pub fn record_content(&self, app: CardApplication, fid: u16, n: usize) -> Option<&[u8]> {
        let df = self.dfs.iter().find(|d| d.app == app)?;
        match &df.ef(fid)?.body {
            EfBody::Records(records) => records.get(n.checked_sub(1)?).map(Vec::as_slice),
            _ => None,
        }
    }

    /// The MF-level GET DATA objects (tag, value), in tag order of the card's answers.
    pub fn mf_data_objects(&self) -> impl Iterator<Item = (u16, &[u8])> {
        self.mf_objects
            .objects
            .iter()
            .map(|(tag, value)| (*tag, value.as_slice()))
    }

    /// Every file and object `examples/dump_virtual_card.rs` writes for this card, as
    /// (file name, bytes): the signed 券面 records of [`RECORD_FILES`], JPKI EF `0006`,
    /// the 券面事項確認AP's EF `0006`, the records of the 共通AP and 住基AP and the MF-level
    /// GET DATA objects. Empty for phone profiles.
    pub fn dump_files(&self) -> Vec<(String, Vec<u8>)> {
        if !self.profile.has_card_face_applications() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (app, fid, name) in RECORD_FILES {
            if let Some(content) = self.file_content(app, fid) {
                out.push((format!("{name}.bin"), content.to_vec()));
            }
        }
        for (app, fid, name) in [
            (CardApplication::Jpki, 0x0006, "jpki_0006"),
            (CardApplication::Kenkaku, 0x0006, "kenkaku_0006"),
        ] {
            if let Some(content) = self.file_content(app, fid) {
                out.push((format!("{name}.bin"), content.to_vec()));
            }
        }
        for (app, fid, name) in [
            (CardApplication::Common, 0x0001, "common_0001"),
            (CardApplication::Common, 0x0002, "common_0002"),
            (CardApplication::Juki, 0x0002, "juki_0002"),
        ] {
            if let Some(record) = self.record_content(app, fid, 1) {
                out.push((format!("{name}_record1.bin"), record.to_vec()));
            }
        }
        for (tag, value) in self.mf_data_objects() {
            out.push((format!("mf_get_data_{tag:04X}.bin"), value.to_vec()));
        }
        out
    }

    /// Remaining tries of a key reference (PIN EF) without going through VERIFY.
    pub fn remaining_tries(&self, app: CardApplication, fid: u16) -> Option<u8> {
        let df = self.dfs.iter().find(|d| d.app == app)?;
        match &df.ef(fid)?.body {
            EfBody::Pin(p) => Some(p.remaining()),
            _ => None,
        }
    }

    /// The most recent commands (up to [`TRACE_CAPACITY`]), oldest first. Data
    /// fields are not recorded (they may hold PINs).
    pub fn trace(&self) -> impl Iterator<Item = &ProcessedCommand> {
        self.trace.iter()
    }

    /// Forgets the trace (the command counter keeps counting).
    pub fn clear_trace(&mut self) {
        self.trace.clear();
    }

    /// Commands processed since the card was built.
    pub fn command_count(&self) -> u64 {
        self.commands
    }

    /// Processes one command APDU and returns the response APDU (data + SW1 SW2).
    /// Never panics, whatever the bytes.
    pub fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        let result = if core::mem::take(&mut self.power_up_pending) {
            Err(Sw::NO_PRECISE_DIAGNOSIS)
        } else {
            self.execute(apdu)
        };
        let (mut response, sw) = match result {
            Ok(data) => (data, Sw::OK),
            Err(sw) => (Vec::new(), sw),
        };
        self.commands = self.commands.saturating_add(1);
        if self.trace.len() >= TRACE_CAPACITY {
            self.trace.pop_front();
        }
        self.trace
            .push_back(ProcessedCommand::new(apdu, sw, response.len()));
        response.extend_from_slice(&sw.to_bytes());
        response
    }
}

impl Transport for VirtualCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if !self.present || !self.powered {
            return Err(TransportError::CardRemoved);
        }
        let caps = self.options.capabilities;
        if command.len() > caps.max_command_len {
            return Err(TransportError::CommandTooLong {
                len: command.len(),
                max: caps.max_command_len,
            });
        }
        let extended = command.len() >= 7 && command.get(4) == Some(&0);
        if extended && !caps.extended {
            return Err(TransportError::Other(
                "extended-length APDU on a short-only link".to_owned(),
            ));
        }
        Ok(self.process(command))
    }

    fn capabilities(&self) -> LinkCapabilities {
        self.options.capabilities
    }

    /// Powers the card down and up again, as a PC/SC reader does for
    /// `SCARD_UNPOWER_CARD`: every verified PIN is forgotten.
    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        if !self.present {
            return Err(TransportError::CardRemoved);
        }
        self.power_off();
        self.power_on();
        Ok(true)
    }
}

/// README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
