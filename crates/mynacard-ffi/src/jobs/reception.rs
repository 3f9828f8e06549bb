//! Reception flows (card + PIN, smartphone) on a PC/SC reader or the in-process
//! virtual card, with the host program answering through a [`Host`]: every
//! guidance is shown, the ones that await input are answered (PIN, consents,
//! choices), and a [`CancelToken`] stops the flow from any thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mynacard::eligibility::MedicalInstitutionCode;
use mynacard::flows::Outcome;
use mynacard::flows::PkiCheck;
use mynacard::flows::{Awaits, Choice, Guidance};
use mynacard::flows::{CardPinFlow, Flow, FlowError, SmartphoneFlow};
use mynacard::runner::{ChallengeSource, NoCamera, OsRandom, Patient, Reply, Runner};
use mynacard::transport::{LinkCapabilities, PinPad, PinPadRequest, Transport, TransportError};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::error::{Error, ErrorKind};
use super::pki::{PolicyOptions, Trust, time_or_now};

/// What a guidance waits for, in the bindings' terms.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Prompt {
    /// Nothing: show or speak it.
    Nothing,
    /// Digits on the keypad (the PIN).
    Keypad {
        /// How many digits.
        digits: u8,
    },
    /// Yes or no from the patient.
    YesNo,
    /// Yes or no for one consent item (`medication`, `clinical`, `checkup`,
    /// `limit_amount`).
    Consent(String),
    /// One of these options (`face`, `pin`, `staff_check`).
    Choice(Vec<String>),
    /// A password on a full keyboard (the 署名用 password, 6–16 characters).
    Password {
        /// Fewest characters.
        min: u8,
        /// Most characters.
        max: u8,
    },
    /// The camera (face flows; not run through the bindings).
    FaceCapture,
    /// A staff member's yes or no.
    StaffConfirmation,
}

impl Prompt {
    /// Short name: `nothing`, `keypad`, `yes_no`, `consent`, `choice`,
    /// `face_capture`, `staff_confirmation`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Nothing => "nothing",
            Self::Keypad { .. } => "keypad",
            Self::YesNo => "yes_no",
            Self::Consent(_) => "consent",
            Self::Choice(_) => "choice",
            Self::Password { .. } => "password",
            Self::FaceCapture => "face_capture",
            Self::StaffConfirmation => "staff_confirmation",
        }
    }
}

/// One guidance as the bindings hand it to the host: stable id, Japanese and
/// English text (to show and to speak), what it waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidanceView {
    /// Stable id, e.g. `card.pin.enter` (`employer.…` ids for the intake).
    pub id: &'static str,
    /// Japanese text.
    pub ja: String,
    /// English text.
    pub en: String,
    /// What it waits for.
    pub prompt: Prompt,
    /// PIN tries left, where the message mentions them.
    pub tries_left: Option<u8>,
}

fn choice_name(c: Choice) -> String {
    super::json::name(&c)
}

impl From<&Guidance> for GuidanceView {
    fn from(g: &Guidance) -> Self {
        let prompt = match g.awaits() {
            Awaits::Keypad { digits } => Prompt::Keypad { digits },
            Awaits::YesNo => Prompt::YesNo,
            Awaits::Consent(item) => Prompt::Consent(super::json::name(&item)),
            Awaits::Choice(options) => {
                Prompt::Choice(options.iter().map(|c| choice_name(*c)).collect())
            }
            Awaits::FaceCapture => Prompt::FaceCapture,
            Awaits::StaffConfirmation => Prompt::StaffConfirmation,
            _ => Prompt::Nothing,
        };
        Self {
            id: g.id().as_str(),
            ja: g.ja(),
            en: g.en(),
            prompt,
            tries_left: g.tries_left(),
        }
    }
}

/// The host's answer to a guidance that awaits input.
#[derive(Debug)]
#[non_exhaustive]
pub enum Answer {
    /// Keypad digits (zeroized when dropped).
    Digits(Zeroizing<String>),
    /// Yes / consent given / staff confirms.
    Yes,
    /// No.
    No,
    /// One of the offered options, by name (`face`, `pin`, `staff_check`).
    Choice(String),
    /// Cancel the reception.
    Cancel,
}

/// The program at the counter. An `Err` from either method aborts the flow: the
/// run ends with [`ErrorKind::Callback`] and that message.
pub trait Host {
    /// Shows and speaks a guidance (every guidance, in order).
    fn show(&mut self, guidance: &GuidanceView) -> Result<(), String>;
    /// Answers a guidance that awaits input.
    fn reply(&mut self, guidance: &GuidanceView) -> Result<Answer, String>;
}

/// Cancels a running flow from any thread: the next card command fails and the
/// next question is answered "cancel".
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not cancelled.
    pub fn new() -> Self {
        Self::default()
    }
    /// Requests cancellation.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether cancellation was requested.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Which flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FlowKind {
    /// Card + PIN (利用者証明用 PIN on the keypad or the reader's PIN pad).
    CardPin,
    /// Smartphone (Android: phone PIN; iPhone: Face ID on the phone).
    Smartphone,
}

/// A reception's settings, as JSON:
///
/// ```json
/// {"flow": "card_pin", "facility": "1310012345",
///  "virtual_card": "yamada",            // or "reader": "PC/SC reader name"
///  "policy": {"preset": "medical_eligibility"}, "time": 1767225600, "pin_pad": false}
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceptionOptions {
    /// Which flow.
    pub flow: FlowKind,
    /// 医療機関コード (10 digits).
    pub facility: String,
    /// A PC/SC reader's name (feature `pcsc`).
    #[serde(default)]
    pub reader: Option<String>,
    /// A TEST holder of the in-process virtual card (`yamada`, `ito`, `kato`, …).
    #[serde(default)]
    pub virtual_card: Option<String>,
    /// The relying-party policy.
    #[serde(default)]
    pub policy: PolicyOptions,
    /// Verification time (Unix seconds); the system clock when absent.
    #[serde(default)]
    pub time: Option<u64>,
    /// On a reader with a PIN pad, let the holder type the PIN on the reader.
    #[serde(default)]
    pub pin_pad: bool,
}

impl ReceptionOptions {
    /// Parses the JSON form.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        super::input::from_json("options", json)
    }
}

/// Adapts a [`Host`] to the core's `Patient`, remembering the first callback error.
pub(crate) struct Counter<'h> {
    pub(crate) host: &'h mut dyn Host,
    pub(crate) cancel: CancelToken,
    pub(crate) failure: Option<String>,
}

impl Counter<'_> {
    pub(crate) fn fail(&mut self, message: String) {
        if self.failure.is_none() {
            self.failure = Some(message);
        }
        self.cancel.cancel();
    }
}

impl Patient for Counter<'_> {
    fn show(&mut self, guidance: &Guidance) {
        if self.failure.is_some() {
            return;
        }
        if let Err(m) = self.host.show(&GuidanceView::from(guidance)) {
            self.fail(m);
        }
    }

    fn reply(&mut self, guidance: &Guidance) -> Reply {
        if self.cancel.is_cancelled() {
            return Reply::Cancel;
        }
        let view = GuidanceView::from(guidance);
        match self.host.reply(&view) {
            Ok(Answer::Digits(d)) => Reply::Digits(d),
            Ok(Answer::Yes) => Reply::Yes,
            Ok(Answer::No) => Reply::No,
            Ok(Answer::Cancel) => Reply::Cancel,
            Ok(Answer::Choice(name)) => {
                let offered = match guidance.awaits() {
                    Awaits::Choice(options) => options,
                    _ => &[],
                };
                match offered.iter().find(|c| choice_name(**c) == name) {
                    Some(c) => Reply::Choice(*c),
                    None => {
                        self.fail(format!("choice {name:?} is not offered by {}", view.id));
                        Reply::Cancel
                    }
                }
            }
            Err(m) => {
                self.fail(m);
                Reply::Cancel
            }
        }
    }
}

/// A transport that fails every command once the token is cancelled.
pub(crate) struct Cancellable<T> {
    pub(crate) inner: T,
    pub(crate) cancel: CancelToken,
}

impl<T: Transport> Transport for Cancellable<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        self.inner.transmit(command)
    }
    fn capabilities(&self) -> LinkCapabilities {
        self.inner.capabilities()
    }
}

impl<T: PinPad> PinPad for Cancellable<T> {
    fn has_pin_pad(&self) -> bool {
        self.inner.has_pin_pad()
    }
    fn verify_on_pin_pad(&mut self, request: &PinPadRequest) -> Result<Vec<u8>, TransportError> {
        if self.cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        self.inner.verify_on_pin_pad(request)
    }
}

fn finish(
    result: Result<Outcome, FlowError>,
    counter: Counter<'_>,
    cancel: &CancelToken,
) -> Result<String, Error> {
    if let Some(m) = counter.failure {
        return Err(Error::new(ErrorKind::Callback, "callback.failed", m));
    }
    match result {
        Ok(outcome) => super::json::outcome(&outcome)
            .map(|v| v.to_string())
            .map_err(|e| Error::new(ErrorKind::Internal, "internal.json", e.to_string())),
        Err(_) if cancel.is_cancelled() => Err(Error::new(
            ErrorKind::Cancelled,
            "flow.cancelled",
            "cancelled by the caller",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Runs the reception described by `options`, checking presentations against
/// `trust` (and its CRLs); the outcome's JSON form.
pub fn run(
    trust: &Trust,
    options: &ReceptionOptions,
    host: &mut dyn Host,
    cancel: &CancelToken,
) -> Result<String, Error> {
    let facility = MedicalInstitutionCode::parse(&options.facility)
        .map_err(|e| Error::argument("facility", e.to_string()))?;
    let policy = options.policy.policy()?;
    let crls = trust.crls();
    let check = PkiCheck {
        trust: trust.store(),
        revocation: &crls,
        policy: &policy,
        time: time_or_now(options.time),
    };
    let challenge = OsRandom.challenge()?;
    let mut card_pin;
    let mut smartphone;
    let flow: &mut dyn Flow = match options.flow {
        FlowKind::CardPin => {
            card_pin = CardPinFlow::new(facility, challenge, check);
            &mut card_pin
        }
        FlowKind::Smartphone => {
            smartphone = SmartphoneFlow::new(facility, challenge, check);
            &mut smartphone
        }
    };
    let mut counter = Counter {
        host,
        cancel: cancel.clone(),
        failure: None,
    };
    match (&options.reader, &options.virtual_card) {
        (Some(reader), None) => on_reader(reader, options.pin_pad, flow, counter, cancel),
        (None, Some(holder)) => {
            let card = virtual_card(holder)?;
            let mut runner = Runner::new(Cancellable {
                inner: card,
                cancel: cancel.clone(),
            });
            let result = runner.run(flow, &mut counter, &mut NoCamera);
            finish(result, counter, cancel)
        }
        _ => Err(Error::argument(
            "options",
            "exactly one of \"reader\" and \"virtual_card\" must be given",
        )),
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

#[cfg(feature = "pcsc")]
fn on_reader(
    reader: &str,
    pin_pad: bool,
    flow: &mut dyn Flow,
    mut counter: Counter<'_>,
    cancel: &CancelToken,
) -> Result<String, Error> {
    use mynacard::pcsc::{ConnectOptions, ExtendedApdu, PcscContext};
    let ctx = PcscContext::establish()?;
    let transport = ctx.connect(
        reader,
        ConnectOptions {
            exclusive: true,
            extended: ExtendedApdu::FromReader,
        },
    )?;
    let mut runner = Runner::new(Cancellable {
        inner: transport,
        cancel: cancel.clone(),
    });
    let result = if pin_pad {
        runner.run_with_pin_pad(flow, &mut counter, &mut NoCamera)
    } else {
        runner.run(flow, &mut counter, &mut NoCamera)
    };
    finish(result, counter, cancel)
}

#[cfg(not(feature = "pcsc"))]
fn on_reader(
    _reader: &str,
    _pin_pad: bool,
    _flow: &mut dyn Flow,
    _counter: Counter<'_>,
    _cancel: &CancelToken,
) -> Result<String, Error> {
    Err(Error::new(
        ErrorKind::Unsupported,
        "unsupported.pcsc",
        "built without the pcsc feature",
    ))
}

/// The PC/SC readers present (feature `pcsc`).
pub fn readers() -> Result<Vec<String>, Error> {
    #[cfg(feature = "pcsc")]
    {
        Ok(mynacard::pcsc::PcscContext::establish()?.list_readers()?)
    }
    #[cfg(not(feature = "pcsc"))]
    {
        Err(Error::new(
            ErrorKind::Unsupported,
            "unsupported.pcsc",
            "built without the pcsc feature",
        ))
    }
}
