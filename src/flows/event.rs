//! The sans-IO interface of every flow: what goes in ([`Input`]) and what comes
//! out ([`Event`]) — bytes for the card, guidance for the person, never I/O.
//!
//! A flow never performs I/O, reads a clock or draws randomness. It is told the
//! link's [`LinkCapabilities`] at the start, asks for each command APDU to be sent
//! as is, and is handed the card's **raw** answer: GET RESPONSE (`61xx`), re-issue
//! (`6Cxx`) and chunked whole-file reads are the flow's own business (the sans-IO
//! [`crate::exchange::Transmit`] / [`crate::exchange::ReadFile`] inside it). The
//! caller — the blocking [`crate::runner::Runner`], an async task, a reader's
//! firmware, a phone's NFC stack — does what each event asks and resumes the flow
//! with the matching input:
//!
//! | event | caller does | resumes with |
//! |---|---|---|
//! | [`Event::Send`] | sends the command's bytes ([`crate::apdu::Command::encode_auto`]) as they are | [`Input::Response`] (raw; [`Input::from_card`] builds it) or [`Input::CardFailed`] |
//! | [`Event::Guide`] | shows / speaks it, collects what it awaits (for `Nothing` and `FaceCapture`: nothing) | [`Input::Continue`], [`Input::Digits`], [`Input::YesNo`], [`Input::Choice`] or [`Input::Cancel`] |
//! | [`Event::Guide`] awaiting the keypad, on a reader with a PIN pad | lets the reader collect the PIN and VERIFY ([`crate::runner::Runner::run_with_pin_pad`]) | [`Input::PinPad`] or [`Input::CardFailed`] |
//! | [`Event::CompareFace`] | asks the vendor's [`crate::flows::FaceMatcher`] | [`Input::Face`] |
//! | [`Event::Done`] | hands the outcome to the terminal | — |
//!
//! A flow fails with a [`crate::flows::FlowError`] whose
//! [`guidance`](crate::flows::FlowError::guidance) tells the patient what to do.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::face::{FaceImage, FaceVerdict};
use super::guidance::{Choice, Guidance};
use super::outcome::Outcome;
use crate::apdu::{Command, Response};
use crate::exchange::LinkCapabilities;

/// What a flow asks its caller to do next.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// Send this command APDU to the card as is and resume with its raw response
    /// (a `61xx` / `6Cxx` answer included: the flow handles them).
    Send(Command),
    /// Show and speak this guidance; resume with what it awaits.
    Guide(Guidance),
    /// Compare the live camera image with this card photo; resume with the verdict.
    /// (The guidance `face.look` has already been emitted.)
    CompareFace(FaceImage),
    /// The flow ended with this outcome.
    Done(Box<Outcome>),
}

/// `{"send": {cla, ins, p1, p2, data_len, le}}` (never the command data: a
/// VERIFY carries the PIN), `{"guide": Guidance}`, `{"compare_face":
/// {"photo_len": n}}` (never the photo), `{"done": Outcome}`.
#[cfg(feature = "serde")]
impl serde::Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// A command's header and lengths.
        #[derive(serde::Serialize)]
        struct Header {
            cla: u8,
            ins: u8,
            p1: u8,
            p2: u8,
            data_len: usize,
            le: Option<usize>,
        }
        /// A photo's size only.
        #[derive(serde::Serialize)]
        struct Photo {
            photo_len: usize,
        }
        let mut m = s.serialize_map(Some(1))?;
        match self {
            Self::Send(c) => m.serialize_entry(
                "send",
                &Header {
                    cla: c.cla,
                    ins: c.ins,
                    p1: c.p1,
                    p2: c.p2,
                    data_len: c.data().len(),
                    le: c.le(),
                },
            )?,
            Self::Guide(g) => m.serialize_entry("guide", g)?,
            Self::CompareFace(photo) => m.serialize_entry(
                "compare_face",
                &Photo {
                    photo_len: photo.jpeg2000().len(),
                },
            )?,
            Self::Done(outcome) => m.serialize_entry("done", outcome)?,
        }
        m.end()
    }
}

/// What the caller feeds a flow.
#[derive(Debug)]
#[non_exhaustive]
pub enum Input {
    /// Start the flow (the first call), on a link with these capabilities
    /// (extended length or not, largest command and response).
    Start(LinkCapabilities),
    /// A guidance that awaited nothing was shown.
    Continue,
    /// The card's raw answer to [`Event::Send`].
    Response(Response),
    /// The last [`Event::Send`] could not be exchanged (card removed, reader
    /// gone, an answer shorter than a status word).
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
}

impl Input {
    /// The card's raw answer bytes (data + SW1 SW2) to the last [`Event::Send`],
    /// or what the link reported: the matching input.
    pub fn from_card<E: Into<crate::ExchangeError>>(answer: Result<Vec<u8>, E>) -> Self {
        match answer
            .map_err(Into::into)
            .and_then(|bytes| Response::from_vec(bytes).map_err(crate::ExchangeError::from))
        {
            Ok(response) => Self::Response(response),
            Err(e) => Self::CardFailed(e),
        }
    }
}

/// A reception flow: a sans-IO state machine.
pub trait Flow {
    /// Feeds one input and returns the next event, or the failure that ends the flow.
    fn resume(&mut self, input: Input) -> Result<Event, super::FlowError>;
}
