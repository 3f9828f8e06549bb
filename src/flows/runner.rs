//! A blocking runner: drives any flow over any [`Transport`], with the patient's
//! inputs from a [`Patient`], face verdicts from a [`FaceMatcher`], and challenges
//! from a [`ChallengeSource`] (the OS CSPRNG by default).
//!
//! Card commands go through [`Exchange`] (GET RESPONSE, re-issue, whole-file
//! reads), so its counters give each flow's APDU count.

use zeroize::Zeroizing;

use super::error::FlowError;
use super::event::{Event, Flow, Input};
use super::face::{FaceImage, FaceMatcher, FaceVerdict};
use super::guidance::{Awaits, Choice, Guidance};
use super::outcome::Outcome;
use super::presentation::Challenge;
use crate::apdu::Response;
use crate::exchange::{Counters, Exchange};
use crate::transport::{PinPad, Transport, TransportError};

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

/// A patient who answers from a fixed list, in order, and remembers every
/// guidance shown: for demos, tests and fuzzing. When the list runs out the
/// answer is [`Reply::Cancel`].
#[derive(Debug, Default)]
pub struct ScriptedPatient {
    replies: std::collections::VecDeque<Reply>,
    shown: Vec<Guidance>,
}

impl ScriptedPatient {
    /// A patient who will give these replies.
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Self {
        Self {
            replies: replies.into_iter().collect(),
            shown: Vec::new(),
        }
    }

    /// Every guidance shown so far, in order.
    pub fn shown(&self) -> &[Guidance] {
        &self.shown
    }

    /// Replies not used yet.
    pub fn remaining(&self) -> usize {
        self.replies.len()
    }
}

impl Patient for ScriptedPatient {
    fn show(&mut self, guidance: &Guidance) {
        self.shown.push(*guidance);
    }

    fn reply(&mut self, _guidance: &Guidance) -> Reply {
        self.replies.pop_front().unwrap_or(Reply::Cancel)
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
    fn challenge(&mut self) -> Result<Challenge, FlowError>;
}

/// The operating system's CSPRNG (`getrandom`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl ChallengeSource for OsRandom {
    fn challenge(&mut self) -> Result<Challenge, FlowError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| FlowError::RandomUnavailable)?;
        Ok(Challenge::new(bytes))
    }
}

/// At a keypad prompt: `Some(response)` when the reader's PIN pad collected the
/// PIN and sent the VERIFY, `None` to ask the patient instead.
type PinPadHook<'a, T> = dyn FnMut(&mut T) -> Option<Result<Vec<u8>, TransportError>> + 'a;

/// Drives flows over one card link.
#[derive(Debug)]
pub struct Runner<T> {
    exchange: Exchange<T>,
}

impl<T: Transport> Runner<T> {
    /// A runner over `transport`.
    pub fn new(transport: T) -> Self {
        Self {
            exchange: Exchange::new(transport),
        }
    }

    /// The exchange (link capabilities, limits, transport).
    pub fn exchange(&self) -> &Exchange<T> {
        &self.exchange
    }

    /// The exchange, mutably.
    pub fn exchange_mut(&mut self) -> &mut Exchange<T> {
        &mut self.exchange
    }

    /// Commands and bytes exchanged so far (all runs).
    pub fn counters(&self) -> Counters {
        self.exchange.counters()
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
        let mut input = Input::Start;
        loop {
            input = match flow.resume(input)? {
                Event::Send(cmd) => match self.exchange.transmit(&cmd) {
                    Ok(resp) => Input::Response(resp),
                    Err(e) => Input::CardFailed(e),
                },
                Event::Read { file, framing } => match self.exchange.read_file(file, framing) {
                    Ok(bytes) => Input::File(bytes),
                    Err(e) => Input::CardFailed(e),
                },
                Event::Guide(g) => {
                    patient.show(&g);
                    match g.awaits() {
                        // The camera capture follows as Event::CompareFace.
                        Awaits::Nothing | Awaits::FaceCapture => Input::Continue,
                        Awaits::Keypad { .. }
                            if let Some(r) = pin_pad(self.exchange.transport_mut()) =>
                        {
                            match r.map_err(crate::ExchangeError::from).and_then(|bytes| {
                                Response::from_vec(bytes).map_err(crate::ExchangeError::from)
                            }) {
                                Ok(resp) => Input::PinPad(resp),
                                Err(e) => Input::CardFailed(e),
                            }
                        }
                        _ => match patient.reply(&g) {
                            Reply::Digits(d) => Input::Digits(d),
                            Reply::Yes => Input::YesNo(true),
                            Reply::No => Input::YesNo(false),
                            Reply::Choice(c) => Input::Choice(c),
                            Reply::Cancel => Input::Cancel,
                        },
                    }
                }
                Event::CompareFace(photo) => Input::Face(matcher.compare(&photo)),
                Event::Done(outcome) => return Ok(*outcome),
            };
        }
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
            t.has_pin_pad()
                .then(|| t.verify_on_pin_pad(&super::key_proof::AUTH_PIN_PAD))
        });
        if let Err(e) = &result {
            patient.show(&e.guidance());
        }
        result
    }
}
