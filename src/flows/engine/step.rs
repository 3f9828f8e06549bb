//! The engine's step vocabulary, one for every conversation (the reception flows, the
//! employer intake): logical card operations ("send this command and give me its final
//! answer", "read this whole file") that the link adaptor ([`super::link`]) turns into raw
//! command APDUs, and the conversation's own public events passed through as they are. The
//! public [`Input`] and events carry bytes only.

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::apdu::{Command, Response};
use crate::exchange::{FileRef, Framing};
use crate::flows::awaits::Choice;
use crate::flows::event::{Event, Input};
use crate::flows::face::FaceVerdict;

/// What a state machine asks for next; `E` is its conversation's public event.
#[derive(Debug)]
pub(crate) enum Out<E> {
    /// Send this command (with the transmission rules) and resume with its final answer.
    Send(Command),
    /// Read this whole file of the current application and resume with its bytes.
    Read { file: FileRef, framing: Framing },
    /// Hand this event to the caller as it is (a guidance, a face comparison, the end).
    Emit(E),
}

impl<E> Out<E> {
    /// A whole-file read by short EF identifier.
    pub(crate) const fn read_sfi(sfi: u8, framing: Framing) -> Self {
        Self::Read {
            file: FileRef::Sfi(sfi),
            framing,
        }
    }
}

/// What a state machine is fed: the caller's inputs, and the final answers of the card
/// operations the link adaptor ran for it.
#[derive(Debug)]
pub(crate) enum In {
    /// The conversation starts on a link that carries this (extended APDUs or not).
    Start(crate::exchange::LinkCapabilities),
    Continue,
    /// The final answer to [`Out::Send`].
    Response(Response),
    /// The content asked for by [`Out::Read`].
    File(Zeroizing<Vec<u8>>),
    /// The card operation failed (link, or the transmission rules).
    CardFailed(crate::ExchangeError),
    Digits(Zeroizing<String>),
    PinPad(Response),
    YesNo(bool),
    Choice(Choice),
    Face(FaceVerdict),
    Cancel,
}

impl In {
    /// A short name for error messages (never the content).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::File(_) => "file content",
            Self::Start(_) => "start",
            Self::Continue => "continue",
            Self::Response(_) => "card response",
            Self::CardFailed(_) => "card failure",
            Self::Digits(_) => "keypad digits",
            Self::PinPad(_) => "PIN-pad response",
            Self::YesNo(_) => "yes/no",
            Self::Choice(_) => "choice",
            Self::Face(_) => "face verdict",
            Self::Cancel => "cancel",
        }
    }

    /// The caller's input, as the state machines see it (the link adaptor has
    /// already taken the card's raw answers).
    pub(crate) fn from_input(input: Input) -> Self {
        match input {
            Input::Start(caps) => Self::Start(caps),
            Input::Continue => Self::Continue,
            Input::Response(r) => Self::Response(r),
            Input::CardFailed(e) => Self::CardFailed(e),
            Input::Digits(d) => Self::Digits(d),
            Input::PinPad(r) => Self::PinPad(r),
            Input::YesNo(b) => Self::YesNo(b),
            Input::Choice(c) => Self::Choice(c),
            Input::Face(v) => Self::Face(v),
            Input::Cancel => Self::Cancel,
        }
    }
}

/// A conversation's public event type: how it asks for a command's bytes to be sent.
pub(crate) trait Sends {
    /// The event "send this command APDU as it is".
    fn send(command: Command) -> Self;
    /// What the event is and its detail (a guidance id, a method), for the step's trace:
    /// names and codes only, never what it carries.
    fn traced(&self) -> (&'static str, &'static str);
}

/// A conversation's failure as the step's trace names it: its stable code.
pub(crate) trait Coded {
    /// The stable error code.
    fn code(&self) -> &'static str;
}

impl Coded for crate::flows::FlowError {
    fn code(&self) -> &'static str {
        crate::flows::FlowError::code(self)
    }
}

/// A conversation's state machine in the engine's vocabulary.
pub(crate) trait Machine {
    /// The public event it emits.
    type Event: Sends;
    /// The failure that ends it.
    type Error: Coded;
    /// Feeds one input; the next request, or the failure that ends the conversation.
    fn step(&mut self, input: In) -> Result<Out<Self::Event>, Self::Error>;
}

impl Sends for Event {
    fn send(command: Command) -> Self {
        Self::Send(command)
    }

    fn traced(&self) -> (&'static str, &'static str) {
        match self {
            Self::Send(_) => ("send", ""),
            Self::Guide(g) => ("guide", g.id().as_str()),
            Self::CompareFace(_) => ("compare_face", ""),
            Self::Done(o) => ("done", o.method.code()),
        }
    }
}
