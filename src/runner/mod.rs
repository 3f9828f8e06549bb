//! The blocking runner: drives any reception flow ([`crate::flows`]) over any
//! [`Transport`], beside the other blocking drivers (`Exchange`, `Card`), with the patient's
//! inputs from a [`Patient`], face verdicts from a [`FaceMatcher`], and challenges
//! from a [`ChallengeSource`] (the OS CSPRNG by default).
//!
//! The runner only moves bytes: each [`Event::Send`] is encoded for the link,
//! transmitted, and its raw answer handed back; its [`Counters`] give each
//! flow's APDU count. Any other driver (async, firmware, NFC) does the same —
//! see `examples/async_card_pin.rs`.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::apdu::Command;
use crate::exchange::Counters;
use crate::flows::ConsentItem;
use crate::flows::KeyProofChallenge;
use crate::flows::Outcome;
use crate::flows::{Awaits, Choice, Guidance};
use crate::flows::{Event, Flow, FlowError, Input};
use crate::flows::{FaceImage, FaceMatcher, FaceVerdict};
use crate::transport::{LinkCapabilities, PinPad, PinPadRequest, Transport, TransportError};

/// What a reader with a PIN pad is asked to do at a keypad prompt: the VERIFY
/// header of the JPKI auth PIN (`00 20 00 98`), 4 digits.
const AUTH_PIN_PAD: PinPadRequest = PinPadRequest {
    header: [0x00, 0x20, 0x00, crate::card::KeyRef::JpkiAuthPin.p2()],
    min_digits: 4,
    max_digits: 4,
};

/// What the patient (or staff) answered to a guidance that awaits input.
#[derive(Debug)]
#[non_exhaustive]
pub enum Reply {
    /// Digits typed on the keypad.
    Digits(Zeroizing<String>),
    /// Yes (also: consent given, staff confirms).
    Yes,
    /// No.
    No,
    /// One of the offered options.
    Choice(Choice),
    /// Cancel the reception.
    Cancel,
}

impl Reply {
    /// Keypad digits (held in zeroizing storage).
    pub fn digits(digits: &str) -> Self {
        Self::Digits(Zeroizing::new(digits.to_owned()))
    }

    /// The input a conversation is fed for this reply (every driver's one mapping).
    pub(crate) fn into_input(self) -> Input {
        match self {
            Self::Digits(d) => Input::Digits(d),
            Self::Yes => Input::YesNo(true),
            Self::No => Input::YesNo(false),
            Self::Choice(c) => Input::Choice(c),
            Self::Cancel => Input::Cancel,
        }
    }
}

/// Whether `cmd` presents a secret to the card (a VERIFY with a value: a PIN, a password
/// or a 照合番号), after which the card session must be logged out.
pub(crate) fn presents_secret(cmd: &Command) -> bool {
    cmd.ins == 0x20 && !cmd.data().is_empty()
}

/// Sends one command of a conversation as is over `transport` and returns the card's raw
/// answer as the conversation's input; every driver's one transmission (the reception
/// runner, the intake's `run_intake`). A command the link cannot carry (longer than
/// `caps.max_command_len`) is never sent: it comes back as [`Input::CardFailed`].
pub(crate) fn transmit<T: Transport + ?Sized>(
    transport: &mut T,
    cmd: &Command,
    caps: LinkCapabilities,
    counters: &mut Counters,
) -> Input {
    let bytes = match crate::exchange::encode_for_link(cmd, caps) {
        Ok(bytes) => bytes,
        Err(e) => return Input::CardFailed(e),
    };
    // The power-up `6F00` is the conversation's to resend (the engine's link adaptor), not
    // the driver's: a second retry here would send a command three times on a card that
    // means it.
    let answer = transport.transmit(&bytes);
    counters.commands += 1;
    counters.bytes_sent += bytes.len();
    if let Ok(raw) = &answer {
        counters.bytes_received += raw.len();
    }
    Input::from_card(answer)
}

/// Ends a card session after a conversation: when a secret was presented, logs out
/// ([`crate::session::logout`]: power cycle, else a SELECT that leaves no application
/// current), because a real card keeps the verified state across warm resets.
pub(crate) fn end_session<T: Transport + ?Sized>(
    transport: &mut T,
    presented: bool,
) -> Option<Result<crate::session::Logout, TransportError>> {
    presented.then(|| crate::session::logout(transport))
}

/// A conversation's event, as the one driver sees it (the reception's [`Event`], the
/// intake's event).
pub(crate) enum Ask<G, O> {
    /// Send this command as it is.
    Send(Command),
    /// Show this guidance; answer what it awaits.
    Guide(G),
    /// Compare the live image with this card photo.
    CompareFace(FaceImage),
    /// The conversation ended with this outcome.
    Done(alloc::boxed::Box<O>),
}

impl From<Event> for Ask<Guidance, Outcome> {
    fn from(event: Event) -> Self {
        match event {
            Event::Send(cmd) => Self::Send(cmd),
            Event::Guide(g) => Self::Guide(g),
            Event::CompareFace(photo) => Self::CompareFace(photo),
            Event::Done(outcome) => Self::Done(outcome),
        }
    }
}

/// What a guidance waits for, as the one driver sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// Nothing (the driver resumes with `Continue`; a face capture follows as its own event).
    Nothing,
    /// Keypad digits: the reader's PIN pad takes them when it can.
    Keypad,
    /// Any other answer of the person.
    Answer,
}

/// The person at the reader, as the one driver sees it: shown guidance `G`, answering
/// with the conversation's input.
pub(crate) trait Person<G> {
    /// What `guidance` waits for.
    fn wait(guidance: &G) -> Wait;
    /// Shows and speaks a guidance.
    fn show(&mut self, guidance: &G);
    /// Answers a guidance that awaits input.
    fn answer(&mut self, guidance: &G) -> Input;
}

impl Person<Guidance> for dyn Patient + '_ {
    fn wait(guidance: &Guidance) -> Wait {
        match guidance.awaits() {
            // The camera capture follows as Event::CompareFace.
            Awaits::Nothing | Awaits::FaceCapture => Wait::Nothing,
            Awaits::Keypad { .. } => Wait::Keypad,
            _ => Wait::Answer,
        }
    }
    fn show(&mut self, guidance: &Guidance) {
        Patient::show(self, guidance);
    }
    fn answer(&mut self, guidance: &Guidance) -> Input {
        self.reply(guidance).into_input()
    }
}

/// The one driver loop of every conversation (the reception [`Runner`], the intake's
/// `run_intake`): starts it with the link's capabilities, sends each command's bytes as
/// they are ([`transmit`]), shows each guidance and answers what it awaits (a keypad
/// prompt goes to the reader's PIN pad when `pin_pad` takes it), asks `matcher` for face
/// comparisons, until the outcome or the failure. `presented` turns true once a secret
/// reached the card.
pub(crate) fn converse<T, G, O, E, P>(
    transport: &mut T,
    counters: &mut Counters,
    presented: &mut bool,
    resume: &mut dyn FnMut(Input) -> Result<Ask<G, O>, E>,
    person: &mut P,
    matcher: &mut dyn FaceMatcher,
    pin_pad: &mut PinPadHook<'_, T>,
) -> Result<O, E>
where
    T: Transport + ?Sized,
    P: Person<G> + ?Sized,
{
    let caps = transport.capabilities();
    let mut input = Input::Start(caps);
    loop {
        input = match resume(input)? {
            Ask::Send(cmd) => {
                *presented |= presents_secret(&cmd);
                transmit(transport, &cmd, caps, counters)
            }
            Ask::Guide(g) => {
                person.show(&g);
                match P::wait(&g) {
                    Wait::Nothing => Input::Continue,
                    wait => {
                        let from_pad = match wait {
                            Wait::Keypad => pin_pad(transport),
                            _ => None,
                        };
                        match from_pad {
                            Some(r) => {
                                *presented = true;
                                match Input::from_card(r) {
                                    Input::Response(resp) => Input::PinPad(resp),
                                    other => other,
                                }
                            }
                            None => person.answer(&g),
                        }
                    }
                }
            }
            Ask::CompareFace(photo) => Input::Face(matcher.compare(&photo)),
            Ask::Done(outcome) => return Ok(*outcome),
        };
    }
}

/// The person at the reader: sees and hears every guidance, answers those that
/// await input (keypad, yes/no per consent item, choices; staff for 目視確認).
pub trait Patient {
    /// Shows and speaks a guidance (every guidance passes here, in order).
    fn show(&mut self, guidance: &Guidance);

    /// Answers a guidance whose [`Guidance::awaits`] is a keypad entry, a yes/no
    /// (patient, consent item or staff) or a choice.
    fn reply(&mut self, guidance: &Guidance) -> Reply;
}

impl<P: Patient + ?Sized> Patient for &mut P {
    fn show(&mut self, guidance: &Guidance) {
        (**self).show(guidance);
    }
    fn reply(&mut self, guidance: &Guidance) -> Reply {
        (**self).reply(guidance)
    }
}

/// A person at the reader who answers from a fixed list, in order, and remembers every
/// guidance shown: for demos, tests and fuzzing. When the list runs out the answer is
/// [`Reply::Cancel`]. `G` is the conversation's guidance: [`ScriptedPatient`] at the
/// reception, [`crate::employer::ScriptedNewHire`] for the intake.
#[derive(Debug)]
pub struct Scripted<G> {
    replies: alloc::collections::VecDeque<Reply>,
    shown: Vec<G>,
}

impl<G> Default for Scripted<G> {
    fn default() -> Self {
        Self {
            replies: alloc::collections::VecDeque::new(),
            shown: Vec::new(),
        }
    }
}

impl<G: Copy> Scripted<G> {
    /// A person who will give these replies.
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Self {
        Self {
            replies: replies.into_iter().collect(),
            shown: Vec::new(),
        }
    }

    /// Every guidance shown so far, in order.
    pub fn shown(&self) -> &[G] {
        &self.shown
    }

    /// Replies not used yet.
    pub fn remaining(&self) -> usize {
        self.replies.len()
    }

    /// Remembers a guidance shown.
    pub(crate) fn record(&mut self, guidance: &G) {
        self.shown.push(*guidance);
    }

    /// The next reply of the script ([`Reply::Cancel`] once it ran out).
    pub(crate) fn next_reply(&mut self) -> Reply {
        self.replies.pop_front().unwrap_or(Reply::Cancel)
    }
}

/// A patient who answers from a fixed list, in order, and remembers every
/// guidance shown: for demos, tests and fuzzing. When the list runs out the
/// answer is [`Reply::Cancel`].
pub type ScriptedPatient = Scripted<Guidance>;

impl Patient for Scripted<Guidance> {
    fn show(&mut self, guidance: &Guidance) {
        self.record(guidance);
    }

    fn reply(&mut self, _guidance: &Guidance) -> Reply {
        self.next_reply()
    }
}

/// A non-interactive patient for kiosks, batch tests and demos: answers from a
/// fixed configuration and **never re-sends a refused PIN** — asked for the PIN
/// a second time (after a wrong PIN, or a malformed one), it cancels; it never
/// agrees to spend the last try, and there is no staff to confirm a visual check.
///
/// ```
/// use mynacard::flows::ConsentItem;
/// use mynacard::runner::UnattendedPatient;
/// let patient = UnattendedPatient::with_pin("1234")
///     .consenting(&[ConsentItem::Medication, ConsentItem::LimitAmount]);
/// # let _ = patient;
/// ```
#[derive(Debug)]
pub struct UnattendedPatient {
    pin: Option<Zeroizing<String>>,
    pin_given: bool,
    consents: Vec<ConsentItem>,
    choice: Choice,
    shown: Vec<Guidance>,
}

impl UnattendedPatient {
    /// A patient who types `pin` once at the first keypad prompt, chooses the
    /// PIN where a choice is offered, and consents to nothing.
    pub fn with_pin(pin: &str) -> Self {
        Self {
            pin: Some(Zeroizing::new(pin.to_owned())),
            ..Self::without_pin()
        }
    }

    /// A patient with no PIN to give (iPhone, face, 資格確認書): any keypad prompt
    /// cancels.
    pub fn without_pin() -> Self {
        Self {
            pin: None,
            pin_given: false,
            consents: Vec::new(),
            choice: Choice::Pin,
            shown: Vec::new(),
        }
    }

    /// Consents to exactly these items (the others are refused).
    pub fn consenting(mut self, items: &[ConsentItem]) -> Self {
        self.consents = items.to_vec();
        self
    }

    /// Chooses this option where it is offered (otherwise cancels).
    pub fn choosing(mut self, choice: Choice) -> Self {
        self.choice = choice;
        self
    }

    /// Every guidance shown so far, in order.
    pub fn shown(&self) -> &[Guidance] {
        &self.shown
    }
}

impl Patient for UnattendedPatient {
    fn show(&mut self, guidance: &Guidance) {
        self.shown.push(*guidance);
    }

    fn reply(&mut self, guidance: &Guidance) -> Reply {
        match guidance.awaits() {
            Awaits::Keypad { .. } => match (&self.pin, self.pin_given) {
                (Some(pin), false) => {
                    self.pin_given = true;
                    Reply::Digits(pin.clone())
                }
                // Never a second time: a refused PIN is not sent again.
                _ => Reply::Cancel,
            },
            Awaits::Consent(item) => {
                if self.consents.contains(&item) {
                    Reply::Yes
                } else {
                    Reply::No
                }
            }
            Awaits::Choice(options) if options.contains(&self.choice) => Reply::Choice(self.choice),
            Awaits::Choice(_) => Reply::Cancel,
            // The last-try question, a staff confirmation, any other yes/no: no.
            _ => Reply::No,
        }
    }
}

/// A matcher for terminals without a camera: every comparison is
/// [`FaceVerdict::Unavailable`] (the face flow then offers PIN or staff check).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCamera;

impl FaceMatcher for NoCamera {
    fn compare(&mut self, _card_photo: &FaceImage) -> FaceVerdict {
        FaceVerdict::Unavailable
    }
}

/// Where challenges come from.
pub trait ChallengeSource {
    /// A fresh, unpredictable challenge.
    fn challenge(&mut self) -> Result<KeyProofChallenge, FlowError>;
}

/// The operating system's CSPRNG (`getrandom`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl ChallengeSource for OsRandom {
    fn challenge(&mut self) -> Result<KeyProofChallenge, FlowError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| FlowError::RandomUnavailable)?;
        Ok(KeyProofChallenge::new(bytes))
    }
}

/// At a keypad prompt: `Some(response)` when the reader's PIN pad collected the
/// PIN and sent the VERIFY, `None` to ask the patient instead.
pub(crate) type PinPadHook<'a, T> =
    dyn FnMut(&mut T) -> Option<Result<Vec<u8>, TransportError>> + 'a;

/// Drives flows over one card link: sends each command's bytes as the flow asks
/// and hands back the raw answer (the flow itself applies GET RESPONSE, re-issue
/// and chunked reads).
///
/// After a run in which a PIN (or 照合番号) was presented, the runner logs out
/// ([`crate::session::logout`]: power cycle, else SELECT of the Issuer Security Domain),
/// because a real card keeps the verified state across warm resets and reconnects;
/// [`Runner::last_logout`] tells how.
#[derive(Debug)]
pub struct Runner<T> {
    transport: T,
    counters: Counters,
    pin_presented: bool,
    last_logout: Option<Result<crate::session::Logout, TransportError>>,
}

impl<T: Transport> Runner<T> {
    /// A runner over `transport`.
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            counters: Counters::default(),
            pin_presented: false,
            last_logout: None,
        }
    }

    /// How the last run that presented a PIN ended the card session (`None` before any).
    pub fn last_logout(&self) -> Option<&Result<crate::session::Logout, TransportError>> {
        self.last_logout.as_ref()
    }

    /// Logs out if the run presented a PIN.
    fn end_session(&mut self) {
        let presented = core::mem::take(&mut self.pin_presented);
        if let Some(logout) = end_session(&mut self.transport, presented) {
            self.last_logout = Some(logout);
        }
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The transport, mutably.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// The transport back.
    pub fn into_inner(self) -> T {
        self.transport
    }

    /// Commands and bytes exchanged so far (all runs).
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Runs `flow` to its end. Every guidance (including the one for a failure)
    /// is shown to `patient`; face comparisons go to `matcher`.
    pub fn run(
        &mut self,
        flow: &mut dyn Flow,
        patient: &mut dyn Patient,
        matcher: &mut dyn FaceMatcher,
    ) -> Result<Outcome, FlowError> {
        let result = self.drive(flow, patient, matcher, &mut |_| None);
        self.end_session();
        if let Err(e) = &result {
            patient.show(&e.guidance());
        }
        result
    }

    fn drive(
        &mut self,
        flow: &mut dyn Flow,
        patient: &mut dyn Patient,
        matcher: &mut dyn FaceMatcher,
        pin_pad: &mut PinPadHook<'_, T>,
    ) -> Result<Outcome, FlowError> {
        converse(
            &mut self.transport,
            &mut self.counters,
            &mut self.pin_presented,
            &mut |input| flow.resume(input).map(Ask::from),
            patient,
            matcher,
            pin_pad,
        )
    }
}

impl<T: Transport + PinPad> Runner<T> {
    /// Like [`Runner::run`], but when the reader has a PIN pad
    /// ([`PinPad::has_pin_pad`]) every keypad prompt is answered by the reader:
    /// the holder types the PIN on the reader, which sends the VERIFY itself, so
    /// the PIN never passes through the host.
    pub fn run_with_pin_pad(
        &mut self,
        flow: &mut dyn Flow,
        patient: &mut dyn Patient,
        matcher: &mut dyn FaceMatcher,
    ) -> Result<Outcome, FlowError> {
        let result = self.drive(flow, patient, matcher, &mut |t: &mut T| {
            t.has_pin_pad().then(|| t.verify_on_pin_pad(&AUTH_PIN_PAD))
        });
        self.end_session();
        if let Err(e) = &result {
            patient.show(&e.guidance());
        }
        result
    }
}

#[cfg(test)]
mod tests;
