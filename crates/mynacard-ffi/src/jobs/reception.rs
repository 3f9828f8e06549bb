//! Reception flows — card + PIN, card + face, smartphone, 資格確認書 — on a PC/SC
//! reader, the in-process virtual card or the host's own link
//! ([`run_with_transport`]), with the host program answering through a [`Host`]:
//! every guidance is shown, the ones that await input are answered (PIN,
//! consents, choices), face comparisons go to [`Host::compare_face`], and a
//! [`CancelToken`] stops the flow from any thread. An empty reader is waited for
//! (`card_wait_ms`); `timeout_ms` bounds the whole flow.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mynacard::eligibility::{MedicalInstitutionCode, SearchInfo};
use mynacard::flows::{Awaits, Choice, Guidance};
use mynacard::flows::{
    CardFaceFlow, CardPinFlow, Flow, FlowError, IdentifiersFlow, SmartphoneFlow,
};
use mynacard::flows::{FaceImage, FaceMatcher, FaceVerdict, ScannedCardFace};
use mynacard::flows::{KeyProofChallenge, Outcome, PkiCheck};
use mynacard::runner::{ChallengeSource, OsRandom, Patient, Reply, Runner};
use mynacard::transport::Transport;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::card::{Guarded, HostLink, NoLink, Waits};
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
    /// Card + face: captures the patient's face and compares it with the card's
    /// photo (JPEG 2000, verified to a J-LIS CV CA key before it is handed over).
    /// The default, for terminals without a camera: unavailable (the flow then
    /// offers PIN or a staff check).
    fn compare_face(&mut self, card_photo: &[u8]) -> Result<FaceVerdict, String> {
        let _ = card_photo;
        Ok(FaceVerdict::Unavailable)
    }
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
    /// Card + face at the face-auth reader (needs `scanned_card_face`; the
    /// comparison through [`Host::compare_face`]), with PIN and staff-check
    /// fallbacks.
    CardFace,
    /// Smartphone (Android: phone PIN; iPhone: Face ID on the phone).
    Smartphone,
    /// 資格確認書 / 記号・番号: no card; needs `identifiers`.
    Identifiers,
}

/// A reception's settings, as JSON:
///
/// ```json
/// {"flow": "card_pin", "facility": "1310012345",
///  "virtual_card": "yamada",            // or "reader": "PC/SC reader name", or neither
///                                        // with the host's own transport
///  "policy": {"preset": "medical_eligibility"}, "time": 1767225600, "pin_pad": false,
///  "card_wait_ms": 30000, "timeout_ms": 120000,
///  "scanned_card_face": {"birth_date": "1990-04-01", "expiry_year": 2035,
///                        "security_code": "2285"},          // flow card_face
///  "identifiers": {...}}                                    // flow identifiers
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
    /// How long an empty reader is waited for (ms; default
    /// [`super::card::DEFAULT_CARD_WAIT_MS`]; 0: fail at once with
    /// `transport.no_card`).
    #[serde(default)]
    pub card_wait_ms: Option<u64>,
    /// The whole flow's limit (ms; default none): past it the next card command
    /// or question ends the flow with `flow.timeout`.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Flow `card_face`: what the reader scanned off the printed card face
    /// (照合番号B's parts). Personal data: zeroized, never echoed.
    #[serde(default)]
    pub scanned_card_face: Option<ScannedCardFace>,
    /// Flow `identifiers`: the 資格確認書's numbers (the core's `SearchInfo`
    /// serde form).
    #[serde(default)]
    pub identifiers: Option<SearchInfo>,
}

impl ReceptionOptions {
    /// Parses the JSON form.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        super::input::from_json("options", json)
    }

    pub(crate) fn waits(&self) -> Waits {
        Waits::new(self.card_wait_ms, self.timeout_ms)
    }
}

/// The flow `options` names, checking presentations with `check`.
pub(crate) fn build_flow<'a>(
    options: &ReceptionOptions,
    challenge: KeyProofChallenge,
    check: PkiCheck<'a>,
) -> Result<Box<dyn Flow + 'a>, Error> {
    let facility = MedicalInstitutionCode::parse(&options.facility)
        .map_err(|e| Error::argument("facility", e.to_string()))?;
    Ok(match options.flow {
        FlowKind::CardPin => Box::new(CardPinFlow::new(facility, challenge, check)),
        FlowKind::Smartphone => Box::new(SmartphoneFlow::new(facility, challenge, check)),
        FlowKind::CardFace => {
            let scanned = options.scanned_card_face.clone().ok_or_else(|| {
                Error::argument(
                    "scanned_card_face",
                    "flow card_face needs \"scanned_card_face\"",
                )
            })?;
            Box::new(CardFaceFlow::new(facility, challenge, check, scanned))
        }
        FlowKind::Identifiers => {
            let search = options.identifiers.clone().ok_or_else(|| {
                Error::argument("identifiers", "flow identifiers needs \"identifiers\"")
            })?;
            Box::new(IdentifiersFlow::new(facility, search))
        }
    })
}

/// Remembers the tries left a guidance mentions (after a wrong PIN) in `last`
/// and puts them on the keypad or password prompt that follows, which does not
/// mention them.
pub(crate) fn carry_tries_left(last: &mut Option<u8>, mut view: GuidanceView) -> GuidanceView {
    match (&view.prompt, view.tries_left) {
        (_, Some(n)) => *last = Some(n),
        (Prompt::Keypad { .. } | Prompt::Password { .. }, None) => view.tries_left = *last,
        _ => {}
    }
    view
}

/// Adapts a [`Host`] to the core's `Patient` and `FaceMatcher`: remembers the
/// first callback error, carries the PIN tries left onto the next keypad
/// prompt, and after a cancel shows the cancel guidance (once) instead of the
/// failure the cancelled exchange caused.
pub(crate) struct Counter<'h> {
    pub(crate) host: &'h mut dyn Host,
    pub(crate) cancel: CancelToken,
    pub(crate) failure: Option<String>,
    /// The tries left the last guidance mentioned (after a wrong PIN).
    tries_left: Option<u8>,
    /// The cancel guidance was shown.
    cancel_shown: bool,
    waits: Waits,
    /// A question came after the deadline.
    pub(crate) timed_out: bool,
}

impl<'h> Counter<'h> {
    pub(crate) fn new(host: &'h mut dyn Host, cancel: CancelToken, waits: Waits) -> Self {
        Self {
            host,
            cancel,
            failure: None,
            tries_left: None,
            cancel_shown: false,
            waits,
            timed_out: false,
        }
    }

    pub(crate) fn fail(&mut self, message: String) {
        if self.failure.is_none() {
            self.failure = Some(message);
        }
        self.cancel.cancel();
    }

    /// The view of `g`, with the remembered tries left on a keypad prompt.
    pub(crate) fn view(&mut self, view: GuidanceView) -> GuidanceView {
        carry_tries_left(&mut self.tries_left, view)
    }

    /// Shows a guidance unless a callback failed; after a cancel, the cancel
    /// guidance once and nothing else.
    pub(crate) fn show_view(&mut self, view: GuidanceView, cancelled: GuidanceView) {
        if self.failure.is_some() {
            return;
        }
        let view = if self.cancel.is_cancelled() {
            if core::mem::replace(&mut self.cancel_shown, true) {
                return;
            }
            cancelled
        } else {
            self.view(view)
        };
        if let Err(m) = self.host.show(&view) {
            self.fail(m);
        }
    }

    /// Whether a question must not be asked (cancelled, deadline passed).
    pub(crate) fn stopped(&mut self) -> bool {
        if self.waits.expired() {
            self.timed_out = true;
        }
        self.timed_out || self.cancel.is_cancelled()
    }
}

impl Patient for Counter<'_> {
    fn show(&mut self, guidance: &Guidance) {
        let cancelled = GuidanceView::from(&FlowError::Cancelled.guidance());
        self.show_view(GuidanceView::from(guidance), cancelled);
    }

    fn reply(&mut self, guidance: &Guidance) -> Reply {
        if self.stopped() {
            return Reply::Cancel;
        }
        let view = self.view(GuidanceView::from(guidance));
        match self.host.reply(&view) {
            Ok(Answer::Digits(d)) => Reply::Digits(d),
            Ok(Answer::Yes) => Reply::Yes,
            Ok(Answer::No) => Reply::No,
            Ok(Answer::Cancel) => Reply::Cancel,
            Ok(Answer::Choice(name)) => match offered(guidance, &name) {
                Some(c) => Reply::Choice(c),
                None => {
                    self.fail(format!("choice {name:?} is not offered by {}", view.id));
                    Reply::Cancel
                }
            },
            Err(m) => {
                self.fail(m);
                Reply::Cancel
            }
        }
    }
}

/// The offered choice named `name`.
pub(crate) fn offered(guidance: &Guidance, name: &str) -> Option<Choice> {
    let offered = match guidance.awaits() {
        Awaits::Choice(options) => options,
        _ => &[],
    };
    offered.iter().copied().find(|c| choice_name(*c) == name)
}

impl FaceMatcher for Counter<'_> {
    fn compare(&mut self, card_photo: &FaceImage) -> FaceVerdict {
        if self.stopped() || self.failure.is_some() {
            return FaceVerdict::Unavailable;
        }
        match self.host.compare_face(card_photo.jpeg2000()) {
            Ok(v) => v,
            Err(m) => {
                self.fail(m);
                FaceVerdict::Unavailable
            }
        }
    }
}

/// The run's result as the bindings report it: a callback failure first, then
/// a cancel, a deadline or an empty reader, then the flow's own error.
pub(crate) fn settle<T, E: Into<Error>>(
    result: Result<T, E>,
    counter: &Counter<'_>,
    stop: Option<super::card::Stop>,
) -> Result<T, Error> {
    if let Some(m) = &counter.failure {
        return Err(Error::new(
            ErrorKind::Callback,
            "callback.failed",
            m.clone(),
        ));
    }
    match result {
        Ok(v) => Ok(v),
        Err(_) if counter.cancel.is_cancelled() && !counter.timed_out => Err(Error::new(
            ErrorKind::Cancelled,
            "flow.cancelled",
            "cancelled by the caller",
        )),
        Err(_) if counter.timed_out => Err(super::card::Stop::Timeout.error(&counter.waits)),
        Err(e) => match stop {
            Some(s) => Err(s.error(&counter.waits)),
            None => Err(e.into()),
        },
    }
}

fn outcome_string(outcome: &Outcome) -> Result<String, Error> {
    super::json::outcome(outcome)
        .map(|v| v.to_string())
        .map_err(|e| Error::new(ErrorKind::Internal, "internal.json", e.to_string()))
}

/// One side of the [`Counter`] for the runner, which takes the patient and the
/// face matcher as two arguments.
pub(crate) struct Seat<'c, 'h>(pub(crate) &'c RefCell<Counter<'h>>);

impl Patient for Seat<'_, '_> {
    fn show(&mut self, guidance: &Guidance) {
        Patient::show(&mut *self.0.borrow_mut(), guidance);
    }
    fn reply(&mut self, guidance: &Guidance) -> Reply {
        Patient::reply(&mut *self.0.borrow_mut(), guidance)
    }
}

impl FaceMatcher for Seat<'_, '_> {
    fn compare(&mut self, card_photo: &FaceImage) -> FaceVerdict {
        self.0.borrow_mut().compare(card_photo)
    }
}

/// Runs `flow` over `card` (guarded: card wait, cancel, deadline).
fn drive<T: Transport>(
    card: T,
    flow: &mut dyn Flow,
    host: &mut dyn Host,
    cancel: &CancelToken,
    waits: Waits,
) -> Result<String, Error> {
    let counter = RefCell::new(Counter::new(host, cancel.clone(), waits));
    let mut runner = Runner::new(Guarded::new(card, cancel.clone(), waits));
    let result = runner.run(flow, &mut Seat(&counter), &mut Seat(&counter));
    settle(result, &counter.borrow(), runner.transport().stop).and_then(|o| outcome_string(&o))
}

/// Runs `flow` on a PC/SC reader, its PIN pad taking the PIN when `pin_pad`.
#[cfg(feature = "pcsc")]
fn on_reader(
    reader: &str,
    options: &ReceptionOptions,
    flow: &mut dyn Flow,
    host: &mut dyn Host,
    cancel: &CancelToken,
) -> Result<String, Error> {
    let waits = options.waits();
    let transport = super::card::connect_reader(reader, cancel, &waits)?;
    if !options.pin_pad {
        return drive(transport, flow, host, cancel, waits);
    }
    let counter = RefCell::new(Counter::new(host, cancel.clone(), waits));
    let mut runner = Runner::new(Guarded::new(transport, cancel.clone(), waits));
    let result = runner.run_with_pin_pad(flow, &mut Seat(&counter), &mut Seat(&counter));
    settle(result, &counter.borrow(), runner.transport().stop).and_then(|o| outcome_string(&o))
}

#[cfg(not(feature = "pcsc"))]
fn on_reader(
    _reader: &str,
    _options: &ReceptionOptions,
    _flow: &mut dyn Flow,
    _host: &mut dyn Host,
    _cancel: &CancelToken,
) -> Result<String, Error> {
    Err(super::card::no_pcsc())
}

/// Runs the reception described by `options` on the card it names (`reader` or
/// `virtual_card`; neither for `identifiers`), checking presentations against
/// `trust` (and its CRLs); the outcome's JSON form.
pub fn run(
    trust: &Trust,
    options: &ReceptionOptions,
    host: &mut dyn Host,
    cancel: &CancelToken,
) -> Result<String, Error> {
    with_flow(trust, options, |flow| {
        match (&options.reader, &options.virtual_card) {
            (Some(reader), None) => on_reader(reader, options, flow, host, cancel),
            (None, Some(holder)) => drive(
                super::card::virtual_card(holder)?,
                flow,
                host,
                cancel,
                options.waits(),
            ),
            (None, None) if options.flow == FlowKind::Identifiers => {
                drive(NoLink, flow, host, cancel, options.waits())
            }
            _ => Err(Error::argument(
                "options",
                "exactly one of \"reader\" and \"virtual_card\" must be given",
            )),
        }
    })
}

/// Runs the reception described by `options` over the host's own link
/// (`options` names no `reader` nor `virtual_card`).
pub fn run_with_transport(
    trust: &Trust,
    options: &ReceptionOptions,
    transport: &mut dyn Transport,
    host: &mut dyn Host,
    cancel: &CancelToken,
) -> Result<String, Error> {
    if options.reader.is_some() || options.virtual_card.is_some() || options.pin_pad {
        return Err(Error::argument(
            "options",
            "with the host's transport, \"reader\", \"virtual_card\" and \"pin_pad\" are not taken",
        ));
    }
    with_flow(trust, options, |flow| {
        drive(HostLink(transport), flow, host, cancel, options.waits())
    })
}

/// Builds the flow `options` names over `trust`'s store and CRL snapshot.
fn with_flow<R>(
    trust: &Trust,
    options: &ReceptionOptions,
    go: impl FnOnce(&mut dyn Flow) -> Result<R, Error>,
) -> Result<R, Error> {
    let policy = options.policy.policy()?;
    let crls = trust.crls();
    let check = PkiCheck {
        trust: trust.store(),
        revocation: &crls,
        policy: &policy,
        time: time_or_now(options.time),
    };
    let mut flow = build_flow(options, OsRandom.challenge()?, check)?;
    go(&mut *flow)
}

/// The PC/SC readers present (feature `pcsc`).
pub fn readers() -> Result<Vec<String>, Error> {
    #[cfg(feature = "pcsc")]
    {
        Ok(mynacard::pcsc::PcscContext::establish()?.list_readers()?)
    }
    #[cfg(not(feature = "pcsc"))]
    {
        Err(super::card::no_pcsc())
    }
}
