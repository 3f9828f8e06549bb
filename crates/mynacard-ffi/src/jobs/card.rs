//! Where the card is and how long to wait for it: the in-process virtual card, a
//! PC/SC reader by name, or the host's own link (its reader driver, an NFC front
//! end, firmware glue) as any [`Transport`]; every one wrapped in [`Guarded`],
//! which waits for a card to be placed, honours the cancel token and the
//! flow's deadline.

use std::time::{Duration, Instant};

use mynacard::transport::{LinkCapabilities, PinPad, PinPadRequest, Transport, TransportError};

use super::error::{Error, ErrorKind};
use super::reception::CancelToken;

/// How often an empty reader (or a host link answering "no card") is asked again.
pub(crate) const CARD_POLL: Duration = Duration::from_millis(50);

/// Default wait for a card to be placed: 30 s (an empty reader waits instead of
/// failing at once).
pub const DEFAULT_CARD_WAIT_MS: u64 = 30_000;

/// The waits of one run: for the card to be placed, and for the whole flow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Waits {
    /// How long the first command may be retried while the link answers "no card".
    pub(crate) card_wait: Duration,
    /// When the whole flow must have ended (`None`: no limit).
    pub(crate) deadline: Option<Instant>,
}

impl Waits {
    pub(crate) fn new(card_wait_ms: Option<u64>, timeout_ms: Option<u64>) -> Self {
        Self {
            card_wait: Duration::from_millis(card_wait_ms.unwrap_or(DEFAULT_CARD_WAIT_MS)),
            deadline: timeout_ms.map(|ms| Instant::now() + Duration::from_millis(ms)),
        }
    }

    pub(crate) fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// What stopped a [`Guarded`] link, for the run's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// No card was placed within the card wait.
    NoCard,
    /// The flow's deadline passed.
    Timeout,
}

impl Stop {
    pub(crate) fn error(self, waits: &Waits) -> Error {
        match self {
            Self::NoCard => Error::new(
                ErrorKind::Card,
                "transport.no_card",
                format!(
                    "no card was placed within {} ms",
                    waits.card_wait.as_millis()
                ),
            ),
            Self::Timeout => Error::new(
                ErrorKind::Cancelled,
                "flow.timeout",
                "the flow did not end before its deadline (timeout_ms)",
            ),
        }
    }
}

/// A link that waits for the card, fails every command once the token is
/// cancelled and after the deadline.
pub(crate) struct Guarded<T> {
    pub(crate) inner: T,
    pub(crate) cancel: CancelToken,
    pub(crate) waits: Waits,
    /// A command was answered: the card is in; "no card" now means removed.
    exchanged: bool,
    pub(crate) stop: Option<Stop>,
}

impl<T> Guarded<T> {
    pub(crate) fn new(inner: T, cancel: CancelToken, waits: Waits) -> Self {
        Self {
            inner,
            cancel,
            waits,
            exchanged: false,
            stop: None,
        }
    }

    fn check(&mut self) -> Result<(), TransportError> {
        if self.cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        if self.waits.expired() {
            self.stop = Some(Stop::Timeout);
            return Err(TransportError::Timeout);
        }
        Ok(())
    }
}

impl<T: Transport> Transport for Guarded<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let start = Instant::now();
        loop {
            self.check()?;
            match self.inner.transmit(command) {
                Err(TransportError::NoCard | TransportError::CardRemoved) if !self.exchanged => {
                    if start.elapsed() >= self.waits.card_wait {
                        self.stop = Some(Stop::NoCard);
                        return Err(TransportError::NoCard);
                    }
                    std::thread::sleep(CARD_POLL);
                }
                Ok(answer) => {
                    self.exchanged = true;
                    return Ok(answer);
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn capabilities(&self) -> LinkCapabilities {
        self.inner.capabilities()
    }

    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        self.inner.power_cycle()
    }
}

impl<T: PinPad> PinPad for Guarded<T> {
    fn has_pin_pad(&self) -> bool {
        self.inner.has_pin_pad()
    }
    fn verify_on_pin_pad(&mut self, request: &PinPadRequest) -> Result<Vec<u8>, TransportError> {
        self.check()?;
        self.inner.verify_on_pin_pad(request)
    }
}

/// The host's own link, whatever it is.
pub struct HostLink<'a>(pub &'a mut dyn Transport);

impl Transport for HostLink<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.0.transmit(command)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.0.capabilities()
    }
    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        self.0.power_cycle()
    }
}

/// The link of a flow that needs no card (資格確认書): any command is refused.
pub(crate) struct NoLink;

impl Transport for NoLink {
    fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
        Err(TransportError::NoCard)
    }
}

#[cfg(feature = "virtual-card")]
pub(crate) fn virtual_card(holder: &str) -> Result<mynacard::virtual_card::VirtualCard, Error> {
    mynacard::virtual_card::VirtualCard::test_holder(holder)
        .map_err(|e| Error::argument("virtual_card", e.to_string()))
}

#[cfg(not(feature = "virtual-card"))]
pub(crate) fn virtual_card(_holder: &str) -> Result<NoVirtualCard, Error> {
    Err(Error::new(
        ErrorKind::Unsupported,
        "unsupported.virtual_card",
        "built without the virtual-card feature",
    ))
}

/// Stands in for the card type when the virtual card is not compiled in.
#[cfg(not(feature = "virtual-card"))]
pub(crate) enum NoVirtualCard {}

#[cfg(not(feature = "virtual-card"))]
impl Transport for NoVirtualCard {
    fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
        match *self {}
    }
}

/// Connects to the PC/SC reader `reader`, first waiting (up to the card wait,
/// polling the cancel token) for a card to be placed.
#[cfg(feature = "pcsc")]
pub(crate) fn connect_reader(
    reader: &str,
    cancel: &CancelToken,
    waits: &Waits,
) -> Result<mynacard::pcsc::PcscTransport, Error> {
    use mynacard::pcsc::{ConnectOptions, ExtendedApdu, PcscContext};
    let ctx = PcscContext::establish()?;
    let start = Instant::now();
    loop {
        if cancel.is_cancelled() {
            return Err(Error::new(
                ErrorKind::Cancelled,
                "flow.cancelled",
                "cancelled by the caller",
            ));
        }
        let left = waits.card_wait.saturating_sub(start.elapsed());
        match ctx.wait_for_card(reader, Some(left.min(Duration::from_millis(200)))) {
            Ok(()) => break,
            Err(TransportError::Timeout) if !left.is_zero() => {}
            Err(TransportError::Timeout) => return Err(Stop::NoCard.error(waits)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(ctx.connect(
        reader,
        ConnectOptions {
            exclusive: true,
            extended: ExtendedApdu::FromReader,
        },
    )?)
}

/// Without the `pcsc` feature: unsupported.
#[cfg(not(feature = "pcsc"))]
pub(crate) fn no_pcsc() -> Error {
    Error::new(
        ErrorKind::Unsupported,
        "unsupported.pcsc",
        "built without the pcsc feature",
    )
}
