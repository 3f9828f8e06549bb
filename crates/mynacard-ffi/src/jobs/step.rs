//! The step-wise (sans-IO) reception for hosts that own their loop — a reader's
//! firmware, an event loop, an NFC stack: feed an input, get the next thing to
//! do ([`Step`]): a command APDU's bytes to send, a guidance to show (and
//! answer), a card photo to compare, or the outcome. No thread, no callback,
//! no clock: the host does each step and resumes with the matching
//! [`StepInput`].
//!
//! After a run in which a PIN was presented the host ends the card session
//! itself (power cycle, or a SELECT of the Issuer Security Domain), as the
//! blocking runs do: a My Number Card keeps the verified state across resets.

use mynacard::flows::FaceVerdict;
use mynacard::flows::{Event, Flow, FlowError, Guidance, Input, PkiCheck};
use mynacard::pki::{CrlSet, RelyingPartyPolicy, TrustStore};
use mynacard::runner::{ChallengeSource, OsRandom};
use mynacard::transport::{LinkCapabilities, TransportError};
use zeroize::Zeroizing;

use super::error::{Error, ErrorKind};
use super::pki::{Trust, time_or_now};
use super::reception::{
    Answer, GuidanceView, ReceptionOptions, build_flow, carry_tries_left, offered,
};

/// What the host feeds the flow.
#[derive(Debug)]
#[non_exhaustive]
pub enum StepInput {
    /// The first input: the link carries extended-length APDUs or not.
    Start {
        /// Extended-length APDUs reach the card.
        extended: bool,
    },
    /// The card's complete answer (data + SW1 SW2) to the last command.
    Response(Zeroizing<Vec<u8>>),
    /// The last command could not be exchanged (card removed, reader gone).
    CardFailed,
    /// A guidance that awaits nothing was shown.
    Continue,
    /// The answer to a guidance that awaits input.
    Answer(Answer),
    /// The face comparison's verdict.
    Face(FaceVerdict),
}

/// What the host does next.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step {
    /// Send this command APDU (complete, encoded for the link) and resume with
    /// [`StepInput::Response`] or [`StepInput::CardFailed`]. A VERIFY carries
    /// the PIN: zeroized when dropped.
    Send(Zeroizing<Vec<u8>>),
    /// Show this guidance; resume with [`StepInput::Continue`] when it awaits
    /// nothing (or the face capture), else with [`StepInput::Answer`].
    Guide(GuidanceView),
    /// Compare the live camera image with this card photo (JPEG 2000, verified);
    /// resume with [`StepInput::Face`].
    CompareFace(Vec<u8>),
    /// The flow ended: the outcome's JSON (as the blocking runs give it).
    Done(String),
}

/// The verifier's inputs, owned by the stepper and borrowed by its flow.
/// An [`Owned`] on the heap, reached only through its raw pointer, so that the
/// `'static` borrows the flow holds stay valid when the stepper moves (a `Box`
/// would be retagged as unique on every move).
struct Held(core::ptr::NonNull<Owned>);

impl Held {
    fn new(owned: Owned) -> Self {
        Self(core::ptr::NonNull::from(Box::leak(Box::new(owned))))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `Box::leak` in `Held::new` and is freed
        // only here, once; the flow that borrowed it was dropped before (it is
        // declared before `_owned` in `Stepper`).
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

struct Owned {
    store: TrustStore,
    crls: CrlSet,
    policy: RelyingPartyPolicy,
}

/// A reception driven one step at a time.
pub struct Stepper {
    /// Borrows `*owned` (see [`Stepper::new`]); declared first, so dropped first.
    flow: Box<dyn Flow + 'static>,
    /// What `flow` borrows: never moved out of its box nor changed while
    /// `flow` lives (only held).
    _owned: Held,
    caps: LinkCapabilities,
    /// The last guidance that awaits input (to resolve a choice by name).
    asked: Option<Guidance>,
    tries_left: Option<u8>,
    finished: bool,
}

// SAFETY: a stepper's parts are `Send` (checked below), except the flows
// themselves: `CardPinFlow`, `SmartphoneFlow` and `CardFaceFlow` are not `Send`
// for one reason only, their optional 特定機関認証 terminal
// (`Box<dyn PinlessKeyAccess>`, the trait not `Send`; the compiler's note for
// `send::<CardPinFlow<PkiCheck>>()` names nothing else), which the flows built
// here never have (`build_flow` never calls `with_pinless`). The flow's
// references point into `owned` (`Send + Sync`, checked), which moves with it.
unsafe impl Send for Stepper {}

/// The parts of a [`Stepper`] its `unsafe impl Send` relies on, checked by the
/// compiler: if one stops being `Send` (or the held trust `Sync`), this fails
/// to build.
const _: () = {
    const fn send<T: Send>() {}
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Owned>();
    send::<PkiCheck<'static>>();
    send::<mynacard::flows::IdentifiersFlow>();
    send::<mynacard::flows::ScannedCardFace>();
    send::<mynacard::flows::KeyProofChallenge>();
    send::<mynacard::eligibility::MedicalInstitutionCode>();
    send::<LinkCapabilities>();
    send::<Option<Guidance>>();
};

impl core::fmt::Debug for Stepper {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Stepper")
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl Stepper {
    /// A stepper for the flow `options` names (no `reader`, `virtual_card`,
    /// `pin_pad`, `card_wait_ms` nor `timeout_ms`: the host owns the link and
    /// the clock; naming one fails with `argument.options`), checking presentations against
    /// `trust` and a snapshot of its CRLs.
    pub fn new(trust: &Trust, options: &ReceptionOptions) -> Result<Self, Error> {
        if options.reader.is_some()
            || options.virtual_card.is_some()
            || options.pin_pad
            || options.card_wait_ms.is_some()
            || options.timeout_ms.is_some()
        {
            return Err(Error::argument(
                "options",
                "a step-wise flow takes no \"reader\", \"virtual_card\", \"pin_pad\", \
                 \"card_wait_ms\" nor \"timeout_ms\" (the host owns the link and the clock)",
            ));
        }
        let owned = Held::new(Owned {
            store: trust.store().clone(),
            crls: trust.crls(),
            policy: options.policy.policy()?,
        });
        // SAFETY: `owned` is a heap allocation reached only through a raw
        // pointer (no `Box` is moved while the borrow lives, so no unique
        // retag invalidates it), never mutated, and freed only by `Held`'s
        // `Drop`, after `flow` (field order); the stepper hands out neither.
        let held: &'static Owned = unsafe { owned.0.as_ref() };
        let check = PkiCheck {
            trust: &held.store,
            revocation: &held.crls,
            policy: &held.policy,
            time: time_or_now(options.time),
        };
        let flow = build_flow(options, OsRandom.challenge()?, check)?;
        Ok(Self {
            flow,
            _owned: owned,
            caps: LinkCapabilities::SHORT,
            asked: None,
            tries_left: None,
            finished: false,
        })
    }

    /// Feeds one input; the next step, or the error that ended the flow (the
    /// same codes as the blocking runs). After [`Step::Done`] or an error every
    /// call fails with `flow.finished`.
    pub fn resume(&mut self, input: StepInput) -> Result<Step, Error> {
        if self.finished {
            return Err(FlowError::Finished.into());
        }
        let input = match input {
            StepInput::Start { extended } => {
                self.caps = if extended {
                    LinkCapabilities::extended(65536)
                } else {
                    LinkCapabilities::SHORT
                };
                Input::Start(self.caps)
            }
            StepInput::Response(bytes) => Input::from_card::<TransportError>(Ok(bytes.to_vec())),
            StepInput::CardFailed => Input::from_card(Err(TransportError::CardRemoved)),
            StepInput::Continue => Input::Continue,
            StepInput::Face(v) => Input::Face(v),
            StepInput::Answer(answer) => self.answer(answer)?,
        };
        match self.flow.resume(input) {
            Ok(event) => self.step(event),
            Err(e) => {
                self.finished = true;
                Err(e.into())
            }
        }
    }

    fn answer(&mut self, answer: Answer) -> Result<Input, Error> {
        Ok(match answer {
            Answer::Digits(d) => Input::Digits(d),
            Answer::Yes => Input::YesNo(true),
            Answer::No => Input::YesNo(false),
            Answer::Cancel => Input::Cancel,
            Answer::Choice(name) => {
                let choice = self
                    .asked
                    .as_ref()
                    .and_then(|g| offered(g, &name))
                    .ok_or_else(|| {
                        Error::argument("answer", format!("choice {name:?} is not offered"))
                    })?;
                Input::Choice(choice)
            }
        })
    }

    fn step(&mut self, event: Event) -> Result<Step, Error> {
        Ok(match event {
            Event::Send(cmd) => {
                let bytes = cmd.encode_auto(self.caps.extended).map_err(|e| {
                    self.finished = true;
                    Error::new(ErrorKind::Card, "flow.card.transport", e.to_string())
                })?;
                Step::Send(Zeroizing::new(bytes))
            }
            Event::Guide(g) => {
                let view = carry_tries_left(&mut self.tries_left, GuidanceView::from(&g));
                self.asked = Some(g);
                Step::Guide(view)
            }
            Event::CompareFace(photo) => Step::CompareFace(photo.jpeg2000().to_vec()),
            Event::Done(outcome) => {
                self.finished = true;
                let json = super::json::outcome(&outcome)
                    .map_err(|e| Error::new(ErrorKind::Internal, "internal.json", e.to_string()))?;
                Step::Done(json.to_string())
            }
            _ => {
                self.finished = true;
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    "unsupported.event",
                    "a flow event this library version does not know",
                ));
            }
        })
    }
}
