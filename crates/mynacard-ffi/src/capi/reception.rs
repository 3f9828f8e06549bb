//! Reception flows through the C ABI: the caller's callbacks show guidance and
//! answer questions; a cancel handle stops the flow from any thread.

use std::ffi::{CString, c_char, c_void};

use mynacard::flows::FaceVerdict;

use zeroize::{Zeroize, Zeroizing};

use super::boundary::{Failure, MynacardStatus, guard, out_param, required_str, write_out};
use super::memory::{free_handle, give_secret, give_string, handle, new_handle};
use super::pki::MynacardTrust;
use super::transport::{CTransport, MynacardTransport};
use crate::jobs::employer::{self, IntakeRunOptions};
use crate::jobs::reception::{
    self, Answer, CancelToken, GuidanceView, Host, Prompt, ReceptionOptions,
};

/// Answer kind: digits typed on the keypad (in `MynacardAnswer::digits`).
pub const MYNACARD_ANSWER_DIGITS: i32 = 0;
/// Answer kind: yes (consent given, staff confirms).
pub const MYNACARD_ANSWER_YES: i32 = 1;
/// Answer kind: no.
pub const MYNACARD_ANSWER_NO: i32 = 2;
/// Answer kind: the option at `MynacardAnswer::choice` of `MynacardGuidance::choices`.
pub const MYNACARD_ANSWER_CHOICE: i32 = 3;
/// Answer kind: cancel the reception.
pub const MYNACARD_ANSWER_CANCEL: i32 = 4;

/// One guidance, valid only during the callback that receives it. All strings
/// UTF-8 and NUL-terminated.
#[repr(C)]
pub struct MynacardGuidance {
    /// Stable id, e.g. `"card.pin.enter"`, `"consent.medication"`.
    pub id: *const c_char,
    /// Japanese text, to show and to speak.
    pub ja: *const c_char,
    /// English text.
    pub en: *const c_char,
    /// What it waits for: `"nothing"`, `"keypad"`, `"yes_no"`, `"consent"`,
    /// `"choice"`, `"face_capture"`, `"staff_confirmation"`.
    pub prompt: *const c_char,
    /// For `"consent"`: the item (`"medication"`, `"clinical"`, `"checkup"`,
    /// `"limit_amount"`); otherwise NULL.
    pub consent_item: *const c_char,
    /// For `"choice"`: the options (`"face"`, `"pin"`, `"staff_check"`).
    pub choices: *const *const c_char,
    /// Number of `choices`.
    pub choices_len: usize,
    /// For `"keypad"`: how many digits; otherwise 0.
    pub keypad_digits: u8,
    /// PIN tries left when known: on the wrong-PIN message and on the keypad
    /// prompt that follows it; otherwise -1.
    pub tries_left: i32,
}

/// The caller's answer, filled by the `reply` callback. The library zeroizes
/// `digits` after reading it.
#[repr(C)]
pub struct MynacardAnswer {
    /// One of `MYNACARD_ANSWER_*` (preset to `MYNACARD_ANSWER_CANCEL`).
    pub kind: i32,
    /// For `MYNACARD_ANSWER_DIGITS`: NUL-terminated digits.
    pub digits: [c_char; 32],
    /// For `MYNACARD_ANSWER_CHOICE`: index into the guidance's `choices`.
    pub choice: usize,
}

/// Shows a guidance. Return 0 to go on; any other value aborts the flow
/// (`MYNACARD_STATUS_CALLBACK`).
pub type MynacardShowFn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, guidance: *const MynacardGuidance) -> i32>;

/// Answers a guidance that awaits input by filling `answer`. Return 0 to go on;
/// any other value aborts the flow (`MYNACARD_STATUS_CALLBACK`).
pub type MynacardReplyFn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        guidance: *const MynacardGuidance,
        answer: *mut MynacardAnswer,
    ) -> i32,
>;

/// Face verdict: the live image matches the card's photo.
pub const MYNACARD_FACE_MATCH: i32 = 0;
/// Face verdict: it does not match (the flow offers PIN or a staff check).
pub const MYNACARD_FACE_MISMATCH: i32 = 1;
/// Face verdict: no usable capture (no face, camera failure, patient left).
pub const MYNACARD_FACE_UNAVAILABLE: i32 = 2;

/// Card + face: captures the patient's face and compares it with the card's
/// photo (`photo`, `photo_len` bytes of JPEG 2000, verified to a J-LIS CV CA key
/// before it is handed over; valid only during the call). Returns one of
/// `MYNACARD_FACE_*`; a negative value aborts the flow
/// (`MYNACARD_STATUS_CALLBACK`).
pub type MynacardCompareFaceFn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, photo: *const u8, photo_len: usize) -> i32>;

/// The program at the counter: its callbacks and their context. Callbacks run
/// on the thread that called the `*_run` / `*_run_on` function and must not
/// unwind or `longjmp` out.
#[repr(C)]
pub struct MynacardHost {
    /// Passed back to every callback.
    pub user_data: *mut c_void,
    /// Called for every guidance, in order (may be NULL: nothing shown).
    pub show: MynacardShowFn,
    /// Called for each guidance that awaits input (required).
    pub reply: MynacardReplyFn,
    /// Card + face flow: the face comparison (may be NULL: a terminal without a
    /// camera; every comparison is `MYNACARD_FACE_UNAVAILABLE`).
    pub compare_face: MynacardCompareFaceFn,
}

/// Cancels a running reception from any thread. Opaque.
pub struct MynacardCancel {
    token: CancelToken,
}

/// Creates a cancel handle (free with `mynacard_cancel_free`).
///
/// # Safety
/// `out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_cancel_new(out: *mut *mut MynacardCancel) -> MynacardStatus {
    guard(|| {
        out_param(out, "out")?;
        let cancel = MynacardCancel {
            token: CancelToken::new(),
        };
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(out, new_handle(cancel)) };
        Ok(())
    })
}

/// Requests cancellation: the reception using this handle stops at its next
/// card command or question, with `MYNACARD_STATUS_CANCELLED`. Callable from any
/// thread, also from inside a callback.
///
/// # Safety
/// `cancel` from `mynacard_cancel_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_cancel_request(cancel: *const MynacardCancel) -> MynacardStatus {
    guard(|| {
        handle(cancel, "cancel")?.token.cancel();
        Ok(())
    })
}

/// Releases a cancel handle (NULL is ignored; a stale pointer is refused).
///
/// # Safety
/// `cancel` is NULL or from `mynacard_cancel_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_cancel_free(cancel: *mut MynacardCancel) -> MynacardStatus {
    free_handle(cancel.cast_const(), "cancel")
}

/// The C callbacks as a [`Host`].
struct CHost {
    user_data: *mut c_void,
    show: MynacardShowFn,
    reply: unsafe extern "C" fn(*mut c_void, *const MynacardGuidance, *mut MynacardAnswer) -> i32,
    compare_face: MynacardCompareFaceFn,
}

/// The C strings behind one `MynacardGuidance`.
pub(crate) struct GuidanceStrings {
    id: CString,
    ja: CString,
    en: CString,
    prompt: CString,
    consent_item: Option<CString>,
    choices: Vec<CString>,
    choice_ptrs: Vec<*const c_char>,
}

fn c(s: &str) -> CString {
    CString::new(s).unwrap_or_default()
}

impl GuidanceStrings {
    pub(crate) fn new(g: &GuidanceView) -> Self {
        let (consent_item, choices) = match &g.prompt {
            Prompt::Consent(item) => (Some(c(item)), Vec::new()),
            Prompt::Choice(options) => (None, options.iter().map(|o| c(o)).collect()),
            _ => (None, Vec::new()),
        };
        let choice_ptrs = choices.iter().map(|s| s.as_ptr()).collect();
        Self {
            id: c(g.id),
            ja: c(&g.ja),
            en: c(&g.en),
            prompt: c(g.prompt.as_str()),
            consent_item,
            choices,
            choice_ptrs,
        }
    }

    pub(crate) fn view(&self, g: &GuidanceView) -> MynacardGuidance {
        MynacardGuidance {
            id: self.id.as_ptr(),
            ja: self.ja.as_ptr(),
            en: self.en.as_ptr(),
            prompt: self.prompt.as_ptr(),
            consent_item: self
                .consent_item
                .as_ref()
                .map_or(std::ptr::null(), |s| s.as_ptr()),
            choices: if self.choice_ptrs.is_empty() {
                std::ptr::null()
            } else {
                self.choice_ptrs.as_ptr()
            },
            choices_len: self.choice_ptrs.len(),
            keypad_digits: match g.prompt {
                Prompt::Keypad { digits } => digits,
                _ => 0,
            },
            tries_left: g.tries_left.map_or(-1, i32::from),
        }
    }
}

impl Host for CHost {
    fn show(&mut self, guidance: &GuidanceView) -> Result<(), String> {
        let Some(show) = self.show else {
            return Ok(());
        };
        let strings = GuidanceStrings::new(guidance);
        let view = strings.view(guidance);
        // SAFETY: the caller supplied `show` for this signature; `view` and the
        // strings it points to live until the call returns.
        let rc = unsafe { show(self.user_data, &view) };
        if rc == 0 {
            Ok(())
        } else {
            Err(format!("show callback returned {rc} at {}", guidance.id))
        }
    }

    fn reply(&mut self, guidance: &GuidanceView) -> Result<Answer, String> {
        let strings = GuidanceStrings::new(guidance);
        let view = strings.view(guidance);
        let mut answer = MynacardAnswer {
            kind: MYNACARD_ANSWER_CANCEL,
            digits: [0; 32],
            choice: 0,
        };
        // SAFETY: the caller supplied `reply` for this signature; `view`, its
        // strings and `answer` live until the call returns.
        let rc = unsafe { (self.reply)(self.user_data, &view, &mut answer) };
        let result = if rc != 0 {
            Err(format!("reply callback returned {rc} at {}", guidance.id))
        } else {
            read_answer(&answer, &strings, guidance.id)
        };
        answer.digits.zeroize();
        result
    }

    fn compare_face(&mut self, card_photo: &[u8]) -> Result<FaceVerdict, String> {
        let Some(compare) = self.compare_face else {
            return Ok(FaceVerdict::Unavailable);
        };
        // SAFETY: the caller supplied `compare_face` for this signature; the
        // photo lives until the call returns.
        let rc = unsafe { compare(self.user_data, card_photo.as_ptr(), card_photo.len()) };
        match rc {
            MYNACARD_FACE_MATCH => Ok(FaceVerdict::Match),
            MYNACARD_FACE_MISMATCH => Ok(FaceVerdict::Mismatch),
            MYNACARD_FACE_UNAVAILABLE => Ok(FaceVerdict::Unavailable),
            other => Err(format!("compare_face callback returned {other}")),
        }
    }
}

pub(crate) fn read_answer(
    answer: &MynacardAnswer,
    strings: &GuidanceStrings,
    id: &str,
) -> Result<Answer, String> {
    match answer.kind {
        MYNACARD_ANSWER_DIGITS => {
            let raw: Zeroizing<Vec<u8>> =
                Zeroizing::new(answer.digits.iter().map(|&b| b as u8).collect());
            let end = raw
                .iter()
                .position(|&b| b == 0)
                .ok_or_else(|| format!("answer to {id}: digits are not NUL-terminated"))?;
            let digits = std::str::from_utf8(&raw[..end])
                .map_err(|_| format!("answer to {id}: digits are not UTF-8"))?;
            Ok(Answer::Digits(Zeroizing::new(digits.to_owned())))
        }
        MYNACARD_ANSWER_YES => Ok(Answer::Yes),
        MYNACARD_ANSWER_NO => Ok(Answer::No),
        MYNACARD_ANSWER_CANCEL => Ok(Answer::Cancel),
        MYNACARD_ANSWER_CHOICE => strings
            .choices
            .get(answer.choice)
            .map(|s| Answer::Choice(s.to_string_lossy().into_owned()))
            .ok_or_else(|| format!("answer to {id}: choice {} is out of range", answer.choice)),
        other => Err(format!("answer to {id}: unknown answer kind {other}")),
    }
}

/// The C host's callbacks and the cancel token (a fresh one when `cancel` is
/// NULL), shared by every flow entry point.
///
/// # Safety
/// `host` NULL or valid for the call; `cancel` NULL or from `mynacard_cancel_new`.
unsafe fn host_and_cancel(
    host: *const MynacardHost,
    cancel: *const MynacardCancel,
) -> Result<(CHost, CancelToken), Failure> {
    if host.is_null() {
        return Err(Failure::null("host"));
    }
    // SAFETY: non-NULL and valid for the call per the contract.
    let host = unsafe { &*host };
    let reply = host.reply.ok_or_else(|| Failure::null("host->reply"))?;
    let token = if cancel.is_null() {
        CancelToken::new()
    } else {
        handle(cancel, "cancel")?.token.clone()
    };
    let c_host = CHost {
        user_data: host.user_data,
        show: host.show,
        reply,
        compare_face: host.compare_face,
    };
    Ok((c_host, token))
}

/// The arguments every blocking flow entry point takes.
struct Call {
    trust: *const MynacardTrust,
    options_json: *const c_char,
    /// `Some` for the `*_run_on` entry points (the host's own link).
    transport: Option<*const MynacardTransport>,
    host: *const MynacardHost,
    cancel: *const MynacardCancel,
}

/// The one body of the blocking flow entry points: checks `out`, the trust
/// handle, the options (`parse`), the host's link (for `*_run_on`), the host's
/// callbacks and the cancel token, in that order; runs `run` (the link `None`
/// when the options name the card) and writes its string to `*out`.
///
/// # Safety
/// The entry points' contract (`mynacard_reception_run`, `_run_on`).
unsafe fn run_blocking<O>(
    call: Call,
    (out, out_name): (*mut *mut c_char, &str),
    parse: fn(&str) -> Result<O, crate::jobs::Error>,
    run: fn(
        &crate::jobs::pki::Trust,
        &O,
        Link<'_>,
        &mut CHost,
        &CancelToken,
    ) -> Result<*mut c_char, crate::jobs::Error>,
) -> MynacardStatus {
    guard(|| {
        out_param(out, out_name)?;
        let trust = handle(call.trust, "trust")?;
        // SAFETY: per the entry point's contract.
        let options = parse(unsafe { required_str(call.options_json, "options_json") }?)?;
        let mut link = match call.transport {
            // SAFETY: per the entry point's contract.
            Some(t) => Some(unsafe { CTransport::from_c(t) }?),
            None => None,
        };
        // SAFETY: per the entry point's contract.
        let (mut c_host, token) = unsafe { host_and_cancel(call.host, call.cancel) }?;
        let link = link
            .as_mut()
            .map(|l| l as &mut dyn mynacard::transport::Transport);
        let text = run(&trust.inner, &options, link, &mut c_host, &token)?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(out, text) };
        Ok(())
    })
}

type Link<'a> = Option<&'a mut dyn mynacard::transport::Transport>;

/// A reception on the card the options name, or on the host's link.
fn reception_job(
    trust: &crate::jobs::pki::Trust,
    options: &ReceptionOptions,
    link: Link<'_>,
    host: &mut CHost,
    cancel: &CancelToken,
) -> Result<*mut c_char, crate::jobs::Error> {
    match link {
        None => reception::run(trust, options, host, cancel),
        Some(link) => reception::run_with_transport(trust, options, link, host, cancel),
    }
    .map(give_string)
}

/// An intake on the card the options name, or on the host's link.
fn intake_job(
    trust: &crate::jobs::pki::Trust,
    options: &IntakeRunOptions,
    link: Link<'_>,
    host: &mut CHost,
    cancel: &CancelToken,
) -> Result<*mut c_char, crate::jobs::Error> {
    match link {
        None => employer::run(trust, options, host, cancel),
        Some(link) => employer::run_with_transport(trust, options, link, host, cancel),
    }
    .map(|json| give_secret(&json))
}

/// Runs a reception flow to its end and returns its outcome as JSON.
///
/// `options_json`:
/// `{"flow": "card_pin" | "card_face" | "smartphone" | "identifiers",
///   "facility": "1310012345",
///   "virtual_card": "yamada"` (a TEST holder of the in-process virtual card)
/// `| "reader": "NAME"` (PC/SC, feature `pcsc`; neither for `identifiers`)`,
///   "policy": {...}, "time": unix_seconds, "pin_pad": false,
///   "card_wait_ms": 30000, "timeout_ms": 120000,
///   "scanned_card_face": {"birth_date": "1990-04-01", "expiry_year": 2035,
///   "security_code": "2285"}` (flow `card_face`)`,
///   "identifiers": {...}` (flow `identifiers`: the request's
/// `search_info` JSON form)`}` — `policy` as for
/// `mynacard_verify_presentation`, `time` the verification time (default: now),
/// `pin_pad` to let a PIN-pad reader take the PIN, `card_wait_ms` how long an
/// empty reader is waited for (default 30 000; 0: at once), `timeout_ms` the
/// whole flow's limit (default none).
///
/// `host->show` sees every guidance; `host->reply` answers PIN, consent and choice
/// prompts; `host->compare_face` compares faces (flow `card_face`). `cancel`
/// (may be NULL) stops the flow from any thread.
///
/// On success `*outcome_json` holds the outcome's JSON (the core's serde form:
/// `identity`, `method`, `consents`, `face_match`, `request`; free with
/// `mynacard_free`). Otherwise `MYNACARD_STATUS_FLOW` (code `flow.*`),
/// `_CANCELLED` (`flow.cancelled`, `flow.pin.last_try_declined`,
/// `flow.timeout`), `_CALLBACK` (`callback.failed`: a callback returned
/// non-zero or gave an invalid answer), `_CARD` (`flow.card.*`,
/// `transport.no_card` when no card came within `card_wait_ms`).
///
/// # Safety
/// `trust` from `mynacard_trust_new`; `options_json` NUL-terminated; `host`
/// valid for the call, its callbacks callable with its `user_data`; `cancel`
/// NULL or from `mynacard_cancel_new`; `outcome_json` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_reception_run(
    trust: *const MynacardTrust,
    options_json: *const c_char,
    host: *const MynacardHost,
    cancel: *const MynacardCancel,
    outcome_json: *mut *mut c_char,
) -> MynacardStatus {
    // SAFETY: per this function's contract.
    unsafe {
        run_blocking(
            Call {
                trust,
                options_json,
                transport: None,
                host,
                cancel,
            },
            (outcome_json, "outcome_json"),
            ReceptionOptions::from_json,
            reception_job,
        )
    }
}

/// The employer's intake (雇入れ時の番号確認・身元確認) on the new hire's card:
/// `options_json` is `{"virtual_card": "yamada"}` or `{"reader": "NAME"}`, with
/// `"time"` optional. `host->reply` answers the 券面事項入力補助AP PIN (prompt
/// `"keypad"`) and the 署名用 password (prompt `"password"`, in `digits`), and
/// yes/no for a last try. Load the signing CA's CRL into `trust` first.
///
/// `"card_wait_ms"` and `"timeout_ms"` as for `mynacard_reception_run`.
///
/// On success `*record_json` holds `{"kind": "recorded", "record": {...}}` —
/// **the 個人番号 in clear**, for the payroll / 社会保険 system only; never log
/// it; `mynacard_free` zeroizes it — or `{"kind": "number_check_needs_card",
/// "token": ...}` for a smartphone. Failures: `MYNACARD_STATUS_FLOW` (code
/// `employer.*`), `_CANCELLED` (`employer.cancelled`,
/// `employer.last_try_declined`, `flow.cancelled`, `flow.timeout`),
/// `_CALLBACK` (`callback.failed`), `_CARD` (`employer.card*`,
/// `transport.no_card`).
///
/// # Safety
/// As `mynacard_reception_run`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_employer_intake_run(
    trust: *const MynacardTrust,
    options_json: *const c_char,
    host: *const MynacardHost,
    cancel: *const MynacardCancel,
    record_json: *mut *mut c_char,
) -> MynacardStatus {
    // SAFETY: per this function's contract.
    unsafe {
        run_blocking(
            Call {
                trust,
                options_json,
                transport: None,
                host,
                cancel,
            },
            (record_json, "record_json"),
            IntakeRunOptions::from_json,
            intake_job,
        )
    }
}

/// `mynacard_reception_run` over the host's own link: every command APDU goes
/// to `transport->transmit` (its reader driver, NFC front end, firmware glue).
/// `options_json` as for `mynacard_reception_run` without `"reader"`,
/// `"virtual_card"` and `"pin_pad"`. A transmit answering
/// `MYNACARD_TRANSMIT_NO_CARD` (or `_CARD_REMOVED`) before the card's first
/// answer is asked again every 50 ms up to `card_wait_ms`.
///
/// # Safety
/// As `mynacard_reception_run`; `transport` valid for the call, its callback
/// callable with its `user_data`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_reception_run_on(
    trust: *const MynacardTrust,
    options_json: *const c_char,
    transport: *const MynacardTransport,
    host: *const MynacardHost,
    cancel: *const MynacardCancel,
    outcome_json: *mut *mut c_char,
) -> MynacardStatus {
    // SAFETY: per this function's contract.
    unsafe {
        run_blocking(
            Call {
                trust,
                options_json,
                transport: Some(transport),
                host,
                cancel,
            },
            (outcome_json, "outcome_json"),
            ReceptionOptions::from_json,
            reception_job,
        )
    }
}

/// `mynacard_employer_intake_run` over the host's own link (as
/// `mynacard_reception_run_on`); `options_json` without `"reader"` and
/// `"virtual_card"`.
///
/// # Safety
/// As `mynacard_reception_run_on`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_employer_intake_run_on(
    trust: *const MynacardTrust,
    options_json: *const c_char,
    transport: *const MynacardTransport,
    host: *const MynacardHost,
    cancel: *const MynacardCancel,
    record_json: *mut *mut c_char,
) -> MynacardStatus {
    // SAFETY: per this function's contract.
    unsafe {
        run_blocking(
            Call {
                trust,
                options_json,
                transport: Some(transport),
                host,
                cancel,
            },
            (record_json, "record_json"),
            IntakeRunOptions::from_json,
            intake_job,
        )
    }
}
