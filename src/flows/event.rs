//! The sans-IO interface of every flow: what goes in ([`Input`]) and what comes
//! out ([`Event`]).
//!
//! A flow never performs I/O, reads a clock or draws randomness. The caller (the
//! blocking [`crate::flows::runner::Runner`], or a vendor's own event loop) does
//! what each event asks and resumes the flow with the matching input:
//!
//! | event | caller does | resumes with |
//! |---|---|---|
//! | [`Event::Send`] | transmits the command (through [`crate::exchange::Exchange::transmit`]) | [`Input::Response`] or [`Input::CardFailed`] |
//! | [`Event::Read`] | reads the whole file ([`crate::exchange::Exchange::read_file`]) | [`Input::File`] or [`Input::CardFailed`] |
//! | [`Event::Guide`] | shows / speaks it, collects what it awaits (for `Nothing` and `FaceCapture`: nothing) | [`Input::Continue`], [`Input::Digits`], [`Input::YesNo`], [`Input::Choice`] or [`Input::Cancel`] |
//! | [`Event::Guide`] awaiting the keypad, on a reader with a PIN pad | lets the reader collect the PIN and VERIFY ([`crate::flows::runner::Runner::run_with_pin_pad`]) | [`Input::PinPad`] or [`Input::CardFailed`] |
//! | [`Event::CompareFace`] | asks the vendor's [`crate::flows::face::FaceMatcher`] | [`Input::Face`] |
//! | [`Event::Done`] | hands the outcome to the terminal | — |
//!
//! A flow fails with a [`crate::flows::FlowError`] whose
//! [`guidance`](crate::flows::FlowError::guidance) tells the patient what to do.

use zeroize::Zeroizing;

use super::face::{FaceImage, FaceVerdict};
use super::guidance::{Choice, Guidance};
use super::outcome::Outcome;
use crate::apdu::{Command, Response};
use crate::exchange::{FileRef, Framing};

/// What a flow asks its caller to do next.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// Send this command APDU to the card and resume with its response.
    Send(Command),
    /// Read this whole file of the current application and resume with its bytes.
    Read {
        /// Which EF (by SFI: the first READ BINARY selects it).
        file: FileRef,
        /// How its length is known.
        framing: Framing,
    },
    /// Show and speak this guidance; resume with what it awaits.
    Guide(Guidance),
    /// Compare the live camera image with this card photo; resume with the verdict.
    /// (The guidance `face.look` has already been emitted.)
    CompareFace(FaceImage),
    /// The flow ended with this outcome.
    Done(Box<Outcome>),
}

/// What the caller feeds a flow.
#[derive(Debug)]
#[non_exhaustive]
pub enum Input {
    /// Start the flow (the first call).
    Start,
    /// A guidance that awaited nothing was shown.
    Continue,
    /// The card's answer to [`Event::Send`] (after GET RESPONSE / re-issue).
    Response(Response),
    /// The content of the file asked for by [`Event::Read`].
    File(Zeroizing<Vec<u8>>),
    /// The exchange for the last [`Event::Send`] / [`Event::Read`] failed.
    CardFailed(crate::ExchangeError),
    /// Digits typed on the keypad (ASCII `0`–`9`).
    Digits(Zeroizing<String>),
    /// At a keypad prompt, a reader with a PIN pad collected the PIN and sent the
    /// VERIFY itself (the PIN never reached the host): the card's answer
    /// (`6400` / `6401` = the reader's timeout / cancel).
    PinPad(Response),
    /// A yes / no answer (patient, consent item, or staff for 目視確認).
    YesNo(bool),
    /// One of the offered choices.
    Choice(Choice),
    /// The face matcher's verdict.
    Face(FaceVerdict),
    /// The patient or staff cancelled.
    Cancel,
}

impl Input {
    /// A short name for error messages (never the content).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Start => "start",
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
}

/// A reception flow: a sans-IO state machine.
pub trait Flow {
    /// Feeds one input and returns the next event, or the failure that ends the flow.
    fn resume(&mut self, input: Input) -> Result<Event, super::FlowError>;
}
