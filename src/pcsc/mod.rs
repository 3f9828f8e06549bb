//! PC/SC readers (feature `pcsc`): list readers, wait for a card in one reader or
//! in any reader (with timeout and cancellation), connect (T=1 or contactless,
//! exclusive for signing), reconnect after a reset, power the card off to log out,
//! report extended-APDU capability, and verify a PIN on the reader's keypad (CCID
//! FEATURE_VERIFY_PIN_DIRECT) so the PIN never passes through the host.
//!
//! Nothing here depends on the card's ATR: cards issued from about 2024 answer a
//! different (19-byte) ATR than older ones, and phones another again.
//!
//! **Reset semantics, as measured on real cards** (soltia48/myna-card,
//! `src/transport/pcsc.rs`): a warm reset (`SCARD_RESET_CARD`) and a reconnect keep
//! every verified PIN; only removing power (`SCARD_UNPOWER_CARD`,
//! [`PcscTransport::power_cycle`](crate::transport::Transport::power_cycle)) clears
//! them, and the first command after that power-up is answered `6F00`, which
//! [`PcscTransport`] absorbs by sending it once more.

use alloc::string::ToString;
mod features;
mod pin_verify;

use alloc::string::String;
use alloc::vec::Vec;
pub use features::{
    FEATURE_GET_TLV_PROPERTIES, FEATURE_IFD_PIN_PROPERTIES, FEATURE_MODIFY_PIN_DIRECT,
    FEATURE_VERIFY_PIN_DIRECT, FeatureError, FeatureList, GET_FEATURE_REQUEST_CODE,
    PROPERTY_MAX_APDU_DATA_SIZE, max_apdu_data_size,
};
pub use pin_verify::{PinPadPrompt, pin_verify_structure};

use crate::exchange::PowerUp;
use std::ffi::{CStr, CString};
use std::time::{Duration, Instant};

use crate::card::Card;
use crate::transport::{LinkCapabilities, PinPad, PinPadRequest, Transport, TransportError};

fn map_err(e: ::pcsc::Error) -> TransportError {
    use ::pcsc::Error as E;
    match e {
        E::RemovedCard | E::NoSmartcard => TransportError::CardRemoved,
        E::ResetCard => TransportError::CardReset,
        E::Timeout => TransportError::Timeout,
        E::Cancelled | E::SystemCancelled => TransportError::Cancelled,
        E::ReaderUnavailable | E::UnknownReader | E::NoReadersAvailable => {
            TransportError::ReaderUnavailable
        }
        e => TransportError::Other(e.to_string()),
    }
}

/// A PC/SC context: the entry point to the readers.
#[derive(Clone)]
pub struct PcscContext {
    ctx: ::pcsc::Context,
}

impl core::fmt::Debug for PcscContext {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PcscContext")
    }
}

/// Cancels a [`PcscContext::wait_for_card`] from another thread
/// (`SCardCancel`).
#[derive(Clone)]
pub struct Canceller(::pcsc::Context);

impl core::fmt::Debug for Canceller {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Canceller")
    }
}

impl Canceller {
    /// Makes the pending wait return [`TransportError::Cancelled`].
    pub fn cancel(&self) -> Result<(), TransportError> {
        self.0.cancel().map_err(map_err)
    }
}

/// How the link's extended-APDU capability is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExtendedApdu {
    /// Short APDUs only (default: always works; CCID readers in short-APDU mode
    /// cannot carry extended ones).
    #[default]
    Short,
    /// Ask the reader (FEATURE_GET_TLV_PROPERTIES → `dwMaxAPDUDataSize`); short
    /// when it does not say.
    FromReader,
    /// The caller knows the reader carries extended APDUs.
    Extended,
}

/// How to connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Exclusive access (recommended for signing: the security state persists
    /// until the card leaves, so another process could use an unlocked key).
    pub exclusive: bool,
    /// Extended-APDU policy.
    pub extended: ExtendedApdu,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            exclusive: true,
            extended: ExtendedApdu::Short,
        }
    }
}

impl PcscContext {
    /// Establishes a user-scope context with the PC/SC service.
    pub fn establish() -> Result<Self, TransportError> {
        ::pcsc::Context::establish(::pcsc::Scope::User)
            .map(|ctx| Self { ctx })
            .map_err(map_err)
    }

    /// A handle that cancels waits on this context.
    pub fn canceller(&self) -> Canceller {
        Canceller(self.ctx.clone())
    }

    /// The reader names (empty when there is none).
    pub fn list_readers(&self) -> Result<Vec<String>, TransportError> {
        match self.ctx.list_readers_owned() {
            Ok(r) => Ok(r
                .into_iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect()),
            Err(::pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
            Err(e) => Err(map_err(e)),
        }
    }

    /// Waits until a card is present in `reader` (returns at once if one is),
    /// up to `timeout` (`None` = forever). [`Canceller::cancel`] ends the wait
    /// with [`TransportError::Cancelled`].
    pub fn wait_for_card(
        &self,
        reader: &str,
        timeout: Option<Duration>,
    ) -> Result<(), TransportError> {
        let name = CString::new(reader).map_err(|_| TransportError::ReaderUnavailable)?;
        let mut states = [::pcsc::ReaderState::new(name, ::pcsc::State::UNAWARE)];
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            self.ctx
                .get_status_change(left, &mut states)
                .map_err(map_err)?;
            let s = states[0].event_state();
            if s.contains(::pcsc::State::UNKNOWN) || s.contains(::pcsc::State::IGNORE) {
                return Err(TransportError::ReaderUnavailable);
            }
            if s.contains(::pcsc::State::PRESENT) && !s.contains(::pcsc::State::MUTE) {
                return Ok(());
            }
            states[0].sync_current_state();
        }
    }

    /// Waits until a card is present in **any** reader — including readers plugged in
    /// while waiting — and returns that reader's name (the first in list order when
    /// several have one; returns at once if a card is already there). Up to `timeout`
    /// (`None` = forever); [`Canceller::cancel`] ends the wait with
    /// [`TransportError::Cancelled`]; the deadline gives [`TransportError::Timeout`].
    pub fn wait_for_any_card(&self, timeout: Option<Duration>) -> Result<String, TransportError> {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let readers = self.list_readers()?;
            let mut states: Vec<::pcsc::ReaderState> = readers
                .iter()
                .filter_map(|r| CString::new(r.as_str()).ok())
                .map(|name| ::pcsc::ReaderState::new(name, ::pcsc::State::UNAWARE))
                .collect();
            // Reader arrivals and departures end the wait too (pcsc-lite's PnP reader).
            states.push(::pcsc::ReaderState::new(
                ::pcsc::PNP_NOTIFICATION(),
                ::pcsc::State::UNAWARE,
            ));
            loop {
                let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
                self.ctx
                    .get_status_change(left, &mut states)
                    .map_err(map_err)?;
                if let Some(found) = first_with_card(&states) {
                    return Ok(found);
                }
                let pnp = states.last().map(::pcsc::ReaderState::event_state);
                // Without PnP support (the pseudo-reader is unknown), poll the reader list.
                let no_pnp = pnp.is_some_and(|e| {
                    e.contains(::pcsc::State::UNKNOWN) || e.contains(::pcsc::State::IGNORE)
                });
                let readers_changed =
                    no_pnp || pnp.is_some_and(|e| e.contains(::pcsc::State::CHANGED));
                for s in &mut states {
                    s.sync_current_state();
                }
                if no_pnp {
                    std::thread::sleep(Duration::from_millis(250));
                }
                if readers_changed {
                    break;
                }
            }
        }
    }

    /// Connects to the card in `reader` (T=1 on contact; contactless readers
    /// present ISO-DEP as T=1 too).
    pub fn connect(
        &self,
        reader: &str,
        options: ConnectOptions,
    ) -> Result<PcscTransport, TransportError> {
        let name = CString::new(reader).map_err(|_| TransportError::ReaderUnavailable)?;
        let share = share_mode(options.exclusive);
        let card = self
            .ctx
            .connect(&name, share, ::pcsc::Protocols::T1)
            .or_else(|_| self.ctx.connect(&name, share, ::pcsc::Protocols::ANY))
            .map_err(map_err)?;
        let mut t = PcscTransport {
            card,
            reader: name,
            options,
            caps: LinkCapabilities::SHORT,
            features: FeatureList::default(),
            prompt: PinPadPrompt::default(),
            power_up: PowerUp::armed(),
        };
        t.features = t.read_features().unwrap_or_default();
        t.caps = t.decide_capabilities();
        Ok(t)
    }
}

/// The first reader (not the PnP pseudo-reader) whose state shows a usable card.
fn first_with_card(states: &[::pcsc::ReaderState]) -> Option<String> {
    states
        .iter()
        .filter(|s| s.name() != ::pcsc::PNP_NOTIFICATION())
        .find(|s| {
            let e = s.event_state();
            e.contains(::pcsc::State::PRESENT) && !e.contains(::pcsc::State::MUTE)
        })
        .map(|s| s.name().to_string_lossy().into_owned())
}

fn share_mode(exclusive: bool) -> ::pcsc::ShareMode {
    if exclusive {
        ::pcsc::ShareMode::Exclusive
    } else {
        ::pcsc::ShareMode::Shared
    }
}

/// A card in a PC/SC reader, as a [`Transport`].
pub struct PcscTransport {
    card: ::pcsc::Card,
    reader: CString,
    options: ConnectOptions,
    caps: LinkCapabilities,
    features: FeatureList,
    prompt: PinPadPrompt,
    /// No command was sent since the card was (possibly) powered up: a `6F00` answer to
    /// the next one is the power-up quirk and the command is sent once more.
    power_up: PowerUp,
}

impl core::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("caps", &self.caps)
            .field("features", &self.features)
            .finish()
    }
}

impl PcscTransport {
    /// The reader's name.
    pub fn reader(&self) -> &CStr {
        &self.reader
    }

    /// The card's ATR.
    pub fn atr(&self) -> Result<Vec<u8>, TransportError> {
        self.card
            .status2_owned()
            .map(|s| s.atr().to_vec())
            .map_err(map_err)
    }

    /// The reader's CCID features (empty if it answered none).
    pub fn features(&self) -> &FeatureList {
        &self.features
    }

    /// Sets the keypad prompt options.
    pub fn set_pin_pad_prompt(&mut self, prompt: PinPadPrompt) {
        self.prompt = prompt;
    }

    fn read_features(&self) -> Result<FeatureList, TransportError> {
        let mut buf = [0u8; 256];
        let code = ::pcsc::ctl_code(3400);
        let answer = self.card.control(code, &[], &mut buf).map_err(map_err)?;
        FeatureList::parse(answer).map_err(|e| TransportError::Other(e.to_string()))
    }

    fn decide_capabilities(&self) -> LinkCapabilities {
        match self.options.extended {
            ExtendedApdu::Short => LinkCapabilities::SHORT,
            ExtendedApdu::Extended => LinkCapabilities::extended(65536),
            ExtendedApdu::FromReader => {
                let Some(code) = self.features.control_code(FEATURE_GET_TLV_PROPERTIES) else {
                    return LinkCapabilities::SHORT;
                };
                let mut buf = [0u8; 256];
                match self.card.control(code.into(), &[], &mut buf) {
                    Ok(props) => match max_apdu_data_size(props) {
                        Ok(Some(n)) if n > 261 => {
                            LinkCapabilities::extended((n as usize).min(65536))
                        }
                        _ => LinkCapabilities::SHORT,
                    },
                    Err(_) => LinkCapabilities::SHORT,
                }
            }
        }
    }

    /// Reconnects after a reset (`reset = false`: the card was reset by someone
    /// else; `true`: warm-reset it now, `SCARD_RESET_CARD`).
    ///
    /// **This does not log out.** Real My Number Cards were measured to keep every
    /// verified PIN across a warm reset and a reconnect (soltia48/myna-card,
    /// `src/transport/pcsc.rs`); on a shared reader a key unlocked before the reset
    /// stays usable. To log out, power the card off with
    /// [`Transport::power_cycle`] (what [`crate::session::logout`] does). Use
    /// [`Card::reconnect`] so the driver selects again.
    pub fn reconnect(&mut self, reset: bool) -> Result<(), TransportError> {
        let disposition = if reset {
            ::pcsc::Disposition::ResetCard
        } else {
            ::pcsc::Disposition::LeaveCard
        };
        self.reconnect_with(disposition)
    }

    fn reconnect_with(&mut self, disposition: ::pcsc::Disposition) -> Result<(), TransportError> {
        self.card
            .reconnect(
                share_mode(self.options.exclusive),
                ::pcsc::Protocols::T1 | ::pcsc::Protocols::ANY,
                disposition,
            )
            .map_err(map_err)?;
        self.power_up.arm();
        Ok(())
    }

    fn transmit_once(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut buf = vec![0u8; self.caps.max_response_len.max(258)];
        let r = self.card.transmit(command, &mut buf).map_err(map_err)?;
        Ok(r.to_vec())
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if command.len() > self.caps.max_command_len {
            return Err(TransportError::CommandTooLong {
                len: command.len(),
                max: self.caps.max_command_len,
            });
        }
        let response = self.transmit_once(command)?;
        if self.power_up.resend(&response) {
            // The first command after power-up is answered 6F00 (measured; see the
            // module documentation): the card did not run it, so send it once more.
            return self.transmit_once(command);
        }
        Ok(response)
    }

    fn capabilities(&self) -> LinkCapabilities {
        self.caps
    }

    /// `SCardReconnect` with `SCARD_UNPOWER_CARD`: the card loses power, and with it
    /// every verified PIN (the reader powers it up again at once).
    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        self.reconnect_with(::pcsc::Disposition::UnpowerCard)?;
        Ok(true)
    }
}

impl PinPad for PcscTransport {
    fn has_pin_pad(&self) -> bool {
        self.features.verify_pin_direct().is_some()
    }

    fn verify_on_pin_pad(&mut self, request: &PinPadRequest) -> Result<Vec<u8>, TransportError> {
        let code = self.features.verify_pin_direct().ok_or_else(|| {
            TransportError::Other("reader has no FEATURE_VERIFY_PIN_DIRECT".into())
        })?;
        let structure = pin_verify_structure(request, self.prompt);
        let mut buf = [0u8; 258];
        let r = self
            .card
            .control(code.into(), &structure, &mut buf)
            .map_err(map_err)?;
        Ok(r.to_vec())
    }
}

impl Card<PcscTransport> {
    /// Reconnects the reader after a reset and makes the driver forget the
    /// selected application and verified PINs, so the next operation selects
    /// again.
    pub fn reconnect(&mut self, reset: bool) -> Result<(), TransportError> {
        let r = self.transport_mut().reconnect(reset);
        self.forget_state();
        r
    }
}
