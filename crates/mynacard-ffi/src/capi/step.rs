//! The step-wise (sans-IO) reception through the C ABI, for hosts that own their
//! loop: `mynacard_flow_resume` takes one input and tells the next thing to do.

use std::ffi::c_char;
use std::sync::Mutex;

use mynacard::flows::FaceVerdict;
use zeroize::Zeroizing;

use super::boundary::{MynacardStatus, bytes, guard, out_param, required_str, write_out};
use super::memory::{free_handle, handle, new_handle};
use super::pki::MynacardTrust;
use super::reception::{
    GuidanceStrings, MYNACARD_FACE_MATCH, MYNACARD_FACE_MISMATCH, MYNACARD_FACE_UNAVAILABLE,
    MynacardAnswer, MynacardGuidance, read_answer,
};
use crate::jobs::Error;
use crate::jobs::reception::ReceptionOptions;
use crate::jobs::step::{Step, StepInput, Stepper};

/// Input kind: start the flow (`MynacardInput::extended` tells the link).
pub const MYNACARD_INPUT_START: i32 = 0;
/// Input kind: the card's answer (`response`, `response_len`: data + SW1 SW2).
pub const MYNACARD_INPUT_RESPONSE: i32 = 1;
/// Input kind: the last command could not be exchanged (card removed, reader gone).
pub const MYNACARD_INPUT_CARD_FAILED: i32 = 2;
/// Input kind: a guidance that awaits nothing was shown.
pub const MYNACARD_INPUT_CONTINUE: i32 = 3;
/// Input kind: the answer to a guidance that awaits input (`answer`).
pub const MYNACARD_INPUT_ANSWER: i32 = 4;
/// Input kind: the face verdict (`face`: one of `MYNACARD_FACE_*`).
pub const MYNACARD_INPUT_FACE: i32 = 5;

/// Step kind: send `data` (`data_len` bytes: a complete command APDU) to the
/// card; resume with `MYNACARD_INPUT_RESPONSE` or `_CARD_FAILED`.
pub const MYNACARD_STEP_SEND: i32 = 0;
/// Step kind: show `guidance`; resume with `MYNACARD_INPUT_CONTINUE` when its
/// prompt is `"nothing"` or `"face_capture"`, else `MYNACARD_INPUT_ANSWER`.
pub const MYNACARD_STEP_GUIDE: i32 = 1;
/// Step kind: compare the camera's image with the card photo in `data`
/// (JPEG 2000, verified); resume with `MYNACARD_INPUT_FACE`.
pub const MYNACARD_STEP_COMPARE_FACE: i32 = 2;
/// Step kind: the flow ended; `outcome_json` holds the outcome.
pub const MYNACARD_STEP_DONE: i32 = 3;

/// One input to a step-wise flow.
#[repr(C)]
pub struct MynacardInput {
    /// One of `MYNACARD_INPUT_*`.
    pub kind: i32,
    /// For `MYNACARD_INPUT_START`: the link carries extended-length APDUs.
    pub extended: bool,
    /// For `MYNACARD_INPUT_RESPONSE`: the card's complete answer.
    pub response: *const u8,
    /// Length of `response`.
    pub response_len: usize,
    /// For `MYNACARD_INPUT_ANSWER` (the library zeroizes `answer.digits` after
    /// reading it); `choice` indexes the last guidance's `choices`.
    pub answer: MynacardAnswer,
    /// For `MYNACARD_INPUT_FACE`: one of `MYNACARD_FACE_*`.
    pub face: i32,
}

/// What to do next. Every pointer is owned by the flow and valid until the next
/// `mynacard_flow_resume` or `mynacard_flow_free` on it.
#[repr(C)]
pub struct MynacardStep {
    /// One of `MYNACARD_STEP_*`.
    pub kind: i32,
    /// `MYNACARD_STEP_SEND`: the command APDU; `_COMPARE_FACE`: the card photo;
    /// otherwise NULL. (A VERIFY carries the PIN: the library zeroizes it.)
    pub data: *const u8,
    /// Length of `data`.
    pub data_len: usize,
    /// `MYNACARD_STEP_GUIDE`: the guidance; otherwise NULL.
    pub guidance: *const MynacardGuidance,
    /// `MYNACARD_STEP_DONE`: the outcome's JSON (as `mynacard_reception_run`
    /// gives it); otherwise NULL.
    pub outcome_json: *const c_char,
}

/// The step's storage, which the pointers handed out point into.
struct Current {
    data: Zeroizing<Vec<u8>>,
    strings: Option<GuidanceStrings>,
    guidance: Option<MynacardGuidance>,
    outcome: Option<std::ffi::CString>,
}

struct State {
    stepper: Stepper,
    current: Current,
}

// SAFETY: `Current`'s raw pointers (in `MynacardGuidance` and
// `GuidanceStrings`) point only into `CString`s and a `Vec` owned by the same
// `Current`, which move with it; `Stepper` is `Send`.
unsafe impl Send for State {}

/// A reception driven step by step. Opaque; one thread at a time (calls on the
/// same flow from several threads are serialized).
pub struct MynacardFlow {
    state: Mutex<State>,
}

/// Creates a step-wise reception: `options_json` as for
/// `mynacard_reception_run` without `"reader"`, `"virtual_card"`, `"pin_pad"`,
/// `"card_wait_ms"` and `"timeout_ms"` (the host owns the link and the clock).
/// The first `mynacard_flow_resume` takes `MYNACARD_INPUT_START`. After a flow
/// that presented a PIN, the host ends the card session (power cycle). Free
/// with `mynacard_flow_free`.
///
/// # Safety
/// `trust` from `mynacard_trust_new`; `options_json` NUL-terminated; `out` a
/// valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_flow_new(
    trust: *const MynacardTrust,
    options_json: *const c_char,
    out: *mut *mut MynacardFlow,
) -> MynacardStatus {
    guard(|| {
        out_param(out, "out")?;
        let trust = handle(trust, "trust")?;
        // SAFETY: per this function's contract.
        let options =
            ReceptionOptions::from_json(unsafe { required_str(options_json, "options_json") }?)?;
        let stepper = Stepper::new(&trust.inner, &options)?;
        let flow = MynacardFlow {
            state: Mutex::new(State {
                stepper,
                current: Current {
                    data: Zeroizing::new(Vec::new()),
                    strings: None,
                    guidance: None,
                    outcome: None,
                },
            }),
        };
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(out, new_handle(flow)) };
        Ok(())
    })
}

/// Feeds `input` to the flow and writes the next step to `*step`. A failure
/// ends the flow with the blocking runs' statuses and codes (`_FLOW`,
/// `_CANCELLED`, `_CARD`); a call after the end fails with `flow.finished`; a
/// bad input (an unknown kind, a choice not offered) with
/// `MYNACARD_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `flow` from `mynacard_flow_new`; `input` valid for the call (its `response`
/// valid for `response_len` bytes); `step` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_flow_resume(
    flow: *const MynacardFlow,
    input: *mut MynacardInput,
    step: *mut MynacardStep,
) -> MynacardStatus {
    guard(|| {
        out_param(step, "step")?;
        out_param(input, "input")?;
        let flow = handle(flow, "flow")?;
        let mut state = flow.state.lock().unwrap_or_else(|p| p.into_inner());
        // SAFETY: non-NULL and valid for the call per the contract.
        let input = unsafe { &mut *input };
        let read = read_input(input, &state.current);
        input.answer.digits.iter_mut().for_each(|b| *b = 0);
        let next = state.stepper.resume(read?)?;
        let state = &mut *state;
        let current = &mut state.current;
        current.strings = None;
        current.guidance = None;
        current.outcome = None;
        current.data = Zeroizing::new(Vec::new());
        let mut out = MynacardStep {
            kind: 0,
            data: std::ptr::null(),
            data_len: 0,
            guidance: std::ptr::null(),
            outcome_json: std::ptr::null(),
        };
        match next {
            Step::Send(bytes) => {
                current.data = bytes;
                out.kind = MYNACARD_STEP_SEND;
                out.data = current.data.as_ptr();
                out.data_len = current.data.len();
            }
            Step::CompareFace(photo) => {
                current.data = Zeroizing::new(photo);
                out.kind = MYNACARD_STEP_COMPARE_FACE;
                out.data = current.data.as_ptr();
                out.data_len = current.data.len();
            }
            Step::Guide(view) => {
                let strings = GuidanceStrings::new(&view);
                current.guidance = Some(strings.view(&view));
                current.strings = Some(strings);
                out.kind = MYNACARD_STEP_GUIDE;
                out.guidance = current
                    .guidance
                    .as_ref()
                    .map_or(std::ptr::null(), |g| g as *const MynacardGuidance);
            }
            Step::Done(json) => {
                let json = std::ffi::CString::new(json).map_err(|e| {
                    Error::new(
                        crate::jobs::ErrorKind::Internal,
                        "internal.nul",
                        e.to_string(),
                    )
                })?;
                out.kind = MYNACARD_STEP_DONE;
                out.outcome_json = json.as_ptr();
                current.outcome = Some(json);
            }
        }
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(step, out) };
        Ok(())
    })
}

fn read_input(input: &MynacardInput, current: &Current) -> Result<StepInput, Error> {
    Ok(match input.kind {
        MYNACARD_INPUT_START => StepInput::Start {
            extended: input.extended,
        },
        MYNACARD_INPUT_RESPONSE => {
            // SAFETY: per `mynacard_flow_resume`'s contract.
            let answer = unsafe { bytes(input.response, input.response_len, "input->response") }
                .map_err(|_| Error::argument("input", "input->response is NULL"))?;
            StepInput::Response(Zeroizing::new(answer.to_vec()))
        }
        MYNACARD_INPUT_CARD_FAILED => StepInput::CardFailed,
        MYNACARD_INPUT_CONTINUE => StepInput::Continue,
        MYNACARD_INPUT_FACE => StepInput::Face(match input.face {
            MYNACARD_FACE_MATCH => FaceVerdict::Match,
            MYNACARD_FACE_MISMATCH => FaceVerdict::Mismatch,
            MYNACARD_FACE_UNAVAILABLE => FaceVerdict::Unavailable,
            other => {
                return Err(Error::argument(
                    "input",
                    format!("unknown face verdict {other}"),
                ));
            }
        }),
        MYNACARD_INPUT_ANSWER => {
            let strings = current
                .strings
                .as_ref()
                .ok_or_else(|| Error::argument("input", "an answer without a guidance"))?;
            let id = current
                .guidance
                .as_ref()
                .map(|g| {
                    // SAFETY: `g.id` points into `strings`, alive here.
                    unsafe { std::ffi::CStr::from_ptr(g.id) }
                        .to_string_lossy()
                        .into_owned()
                })
                .unwrap_or_default();
            StepInput::Answer(
                read_answer(&input.answer, strings, &id)
                    .map_err(|m| Error::argument("answer", m))?,
            )
        }
        other => {
            return Err(Error::argument(
                "input",
                format!("unknown input kind {other}"),
            ));
        }
    })
}

/// Releases a step-wise flow (NULL is ignored; a stale pointer is refused).
///
/// # Safety
/// `flow` is NULL or from `mynacard_flow_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_flow_free(flow: *mut MynacardFlow) -> MynacardStatus {
    free_handle(flow.cast_const(), "flow")
}
