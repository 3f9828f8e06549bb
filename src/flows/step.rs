//! The flows' internal vocabulary: logical card operations ("send this command
//! and give me its final answer", "read this whole file") that the link layer
//! ([`super::link`]) turns into raw command APDUs. The public [`super::Event`] /
//! [`super::Input`] carry bytes only.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::event::Input;
use super::face::{FaceImage, FaceVerdict};
use super::guidance::{Choice, Guidance};
use super::outcome::Outcome;
use crate::apdu::{Command, Response};
use crate::exchange::{FileRef, Framing};

/// What a state machine asks for next.
#[derive(Debug)]
pub(crate) enum Out {
    /// Send this command (with the transmission rules) and resume with its final answer.
    Send(Command),
    /// Read this whole file of the current application and resume with its bytes.
    Read { file: FileRef, framing: Framing },
    /// Show and speak this guidance.
    Guide(Guidance),
    /// Compare the live image with this card photo.
    CompareFace(FaceImage),
    /// The flow ended with this outcome.
    Done(Box<Outcome>),
}

/// What a state machine is fed.
#[derive(Debug)]
pub(crate) enum In {
    /// The flow starts on a link that carries this (extended APDUs or not).
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
            Self::Start(_) => "start",
            Self::Continue => "continue",
            Self::Response(_) => "card response",
            Self::File(_) => "file content",
            Self::CardFailed(_) => "card failure",
            Self::Digits(_) => "keypad digits",
            Self::PinPad(_) => "PIN-pad response",
            Self::YesNo(_) => "yes/no",
            Self::Choice(_) => "choice",
            Self::Face(_) => "face verdict",
            Self::Cancel => "cancel",
        }
    }

    /// The caller's input, as the state machines see it (the link layer has
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

/// A flow's state machine in the logical vocabulary.
pub(crate) trait Machine {
    /// Feeds one input; the next request, or the failure that ends the flow.
    fn step(&mut self, input: In) -> Result<Out, super::FlowError>;
}
