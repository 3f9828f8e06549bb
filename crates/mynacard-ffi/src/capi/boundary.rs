//! The boundary: status codes, the per-thread last error, panic containment, and
//! reading the caller's arguments.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::jobs::{Error, ErrorKind};

/// What a call returned. `MYNACARD_STATUS_OK` is 0; the others name a class of
/// failure, with details in [`mynacard_last_error_message`] /
/// [`mynacard_last_error_code`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MynacardStatus {
    /// Success; out-parameters are written.
    Ok = 0,
    /// A required pointer argument was NULL (code `argument.null`).
    NullPointer = 1,
    /// An argument was not acceptable: not UTF-8, bad JSON, an unknown name, a
    /// pointer that is not a live object of this library (double free) (code
    /// `argument.*`, e.g. `argument.not_live`, `argument.options`).
    InvalidArgument = 2,
    /// Input bytes (eligibility file, certificate, CRL) could not be read
    /// (code `eligibility.*`, or `pki.*` for a certificate or CRL).
    Malformed = 3,
    /// A PKI check refused the certificate or presentation (code `pki.*`).
    Refused = 4,
    /// A reception flow ended without an outcome (code `flow.*`, e.g.
    /// `flow.verification.revoked`; the intake: `employer.*`).
    Flow = 5,
    /// The flow was cancelled: cancel handle or a cancel answer
    /// (`flow.cancelled`, `flow.pin.last_try_declined`, `employer.cancelled`),
    /// or its deadline passed (`flow.timeout`).
    Cancelled = 6,
    /// A callback returned non-zero or gave an invalid answer; the flow was
    /// aborted (code `callback.failed`).
    Callback = 7,
    /// The card or reader failed (code `flow.card.*`, `employer.card*`,
    /// `transport.*`; `transport.no_card` when no card came within
    /// `card_wait_ms`).
    Card = 8,
    /// This build lacks the feature needed (see `mynacard_features`; code
    /// `unsupported.*`).
    Unsupported = 9,
    /// A bug in the library (a panic was caught; code `internal.*`).
    Internal = 10,
}

impl From<ErrorKind> for MynacardStatus {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => Self::InvalidArgument,
            ErrorKind::Malformed => Self::Malformed,
            ErrorKind::Refused => Self::Refused,
            ErrorKind::Flow => Self::Flow,
            ErrorKind::Cancelled => Self::Cancelled,
            ErrorKind::Callback => Self::Callback,
            ErrorKind::Card => Self::Card,
            ErrorKind::Unsupported => Self::Unsupported,
            _ => Self::Internal,
        }
    }
}

/// A failure at the boundary: a status and, except for NULL pointers, a job error.
pub(crate) struct Failure {
    status: MynacardStatus,
    error: Error,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            status: error.kind().into(),
            error,
        }
    }
}

impl Failure {
    /// A NULL where a pointer was required.
    pub(crate) fn null(what: &str) -> Self {
        Self {
            status: MynacardStatus::NullPointer,
            error: Error::new(
                ErrorKind::InvalidArgument,
                "argument.null",
                format!("{what} is NULL"),
            ),
        }
    }
}

struct LastError {
    code: CString,
    message: CString,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

fn set_last_error(error: &Error) {
    let last = LastError {
        code: c_string(error.code()),
        message: c_string(error.message()),
    };
    LAST_ERROR.with(|l| *l.borrow_mut() = Some(last));
}

fn clear_last_error() {
    LAST_ERROR.with(|l| *l.borrow_mut() = None);
}

/// Runs `f`: clears this thread's last error, catches panics, records failures.
pub(crate) fn guard(f: impl FnOnce() -> Result<(), Failure>) -> MynacardStatus {
    clear_last_error();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => MynacardStatus::Ok,
        Ok(Err(failure)) => {
            set_last_error(&failure.error);
            failure.status
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_owned());
            set_last_error(&Error::new(ErrorKind::Internal, "internal.panic", what));
            MynacardStatus::Internal
        }
    }
}

/// The message of this thread's last failure, or NULL when the last call
/// succeeded. Valid until the next `mynacard_*` call on this thread; owned by
/// the library (do not free).
#[unsafe(no_mangle)]
pub extern "C" fn mynacard_last_error_message() -> *const c_char {
    LAST_ERROR.with(|l| {
        l.borrow()
            .as_ref()
            .map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// The stable code of this thread's last failure (`pki.revoked`,
/// `flow.pin.blocked`, `argument.null`, …), or NULL when the last call
/// succeeded. Same lifetime as [`mynacard_last_error_message`].
#[unsafe(no_mangle)]
pub extern "C" fn mynacard_last_error_code() -> *const c_char {
    LAST_ERROR.with(|l| {
        l.borrow()
            .as_ref()
            .map_or(std::ptr::null(), |e| e.code.as_ptr())
    })
}

/// A required UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn required_str<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str()
        .map_err(|e| Error::argument("utf8", format!("{what} is not UTF-8: {e}")).into())
}

/// An optional UTF-8 string argument (NULL: `None`).
///
/// # Safety
/// As [`required_str`].
pub(crate) unsafe fn optional_str<'a>(
    ptr: *const c_char,
    what: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded contract.
        unsafe { required_str(ptr, what) }.map(Some)
    }
}

/// A byte-buffer argument: `ptr` may be NULL only when `len` is 0.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes for the call.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(what))
        };
    }
    if len > isize::MAX as usize {
        return Err(Error::argument("length", format!("{what}: length {len} is too large")).into());
    }
    // SAFETY: non-NULL, valid for `len` bytes per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Checks an out-parameter before any work is done.
pub(crate) fn out_param<T>(ptr: *mut T, what: &str) -> Result<(), Failure> {
    if ptr.is_null() {
        Err(Failure::null(what))
    } else {
        Ok(())
    }
}

/// Writes an out-parameter checked by [`out_param`].
///
/// # Safety
/// `ptr` is non-NULL, aligned and valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(ptr: *mut T, value: T) {
    // SAFETY: per the caller's contract.
    unsafe { ptr.write(value) }
}

/// A time argument: negative means "now".
pub(crate) fn unix_time(t: i64) -> Option<u64> {
    u64::try_from(t).ok()
}
