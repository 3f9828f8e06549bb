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

mod ber;
mod builder;
mod builtin;
mod challenge;
mod command;
mod commands;
mod cv_certificate;
mod file_system;
mod holder;
mod images;
mod options;
mod pin;
mod profile;
mod records;
mod status;
mod trace;
pub mod vpcd;

pub use builder::{BuildError, VirtualCardBuilder, rsa_key_from_pkcs8_der};
pub use builtin::{RECORD_FILES, TEST_AUTH_CA_DER, TEST_HOLDER_IDS, TEST_SIGN_CA_DER};
pub use file_system::CardApplication;
pub use holder::{Holder, HolderSex};
pub use options::{BlockedStatus, CONTACT_ATR, VirtualCardOptions};
pub use profile::Profile;
pub use status::Sw;
pub use trace::ProcessedCommand;

use std::collections::VecDeque;

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
    present: bool,
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

    pub(crate) fn from_parts(profile: Profile, options: VirtualCardOptions, dfs: Vec<Df>) -> Self {
        Self {
            profile,
            challenge: ChallengeGenerator::new(options.challenge_seed),
            options,
            dfs,
            current_df: None,
            current_ef: None,
            verified: Vec::new(),
            present: true,
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

    /// Warm/cold reset: back to the MF, every security state cleared (PIN counters
    /// are kept). Returns the ATR.
    pub fn reset(&mut self) -> &[u8] {
        self.current_df = None;
        self.current_ef = None;
        self.verified.clear();
        &self.options.atr
    }

    /// Takes the card out of the reader: every `transmit` fails with
    /// [`TransportError::CardRemoved`] until [`VirtualCard::insert`].
    pub fn remove(&mut self) {
        self.present = false;
        self.reset();
    }

    /// Puts the card back (freshly reset).
    pub fn insert(&mut self) {
        self.present = true;
        self.reset();
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
        let (mut response, sw) = match self.execute(apdu) {
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
        if !self.present {
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
}

/// README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
