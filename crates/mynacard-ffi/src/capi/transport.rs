//! The host's own link to the card through the C ABI: a transmit callback (its
//! reader driver, an NFC front end, firmware glue), and the in-process virtual
//! card as a handle a C program can put behind that callback in tests.

use std::ffi::{c_char, c_void};
use std::sync::Mutex;

use mynacard::transport::{LinkCapabilities, Transport, TransportError};

use super::boundary::{MynacardStatus, bytes, guard, out_param, required_str, write_out};
use super::memory::{free_handle, handle, new_handle};
use crate::jobs::Error;

/// Transmit result: the response is in the buffer.
pub const MYNACARD_TRANSMIT_OK: i32 = 0;
/// Transmit result: no card in the reader (before the first answer: the
/// library waits and asks again, up to `card_wait_ms`).
pub const MYNACARD_TRANSMIT_NO_CARD: i32 = 1;
/// Transmit result: the card left the reader (the phone left the field).
pub const MYNACARD_TRANSMIT_CARD_REMOVED: i32 = 2;
/// Transmit result: the reader timed out.
pub const MYNACARD_TRANSMIT_TIMEOUT: i32 = 3;
/// Transmit result: the host cancelled.
pub const MYNACARD_TRANSMIT_CANCELLED: i32 = 4;
/// Transmit result: the reader is gone. Any other value is a reader failure too.
pub const MYNACARD_TRANSMIT_READER_UNAVAILABLE: i32 = 5;

/// Sends one command APDU (`command`, `command_len` bytes, as is) to the card
/// and writes its complete response (data + SW1 SW2) to `response` (room for
/// `response_capacity` bytes: 258 on a short link, 65 538 on an extended one),
/// its length to `*response_len`. Returns one of `MYNACARD_TRANSMIT_*`.
pub type MynacardTransmitFn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        command: *const u8,
        command_len: usize,
        response: *mut u8,
        response_capacity: usize,
        response_len: *mut usize,
    ) -> i32,
>;

/// The host's link to the card: a transmit callback and its context. The
/// callback runs on the thread that called the `*_run_on` function and must not
/// unwind or `longjmp` out. The library never retains the buffers.
#[repr(C)]
pub struct MynacardTransport {
    /// Passed back to `transmit`.
    pub user_data: *mut c_void,
    /// Sends one command APDU (required).
    pub transmit: MynacardTransmitFn,
    /// Whether the link carries extended-length APDUs (Lc/Le over 255/256).
    pub extended: bool,
}

/// The C callback as a [`Transport`].
pub(crate) struct CTransport {
    user_data: *mut c_void,
    transmit:
        unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8, usize, *mut usize) -> i32,
    caps: LinkCapabilities,
}

impl CTransport {
    /// Reads the caller's struct.
    ///
    /// # Safety
    /// `t` NULL or valid for the call.
    pub(crate) unsafe fn from_c(
        t: *const MynacardTransport,
    ) -> Result<Self, super::boundary::Failure> {
        if t.is_null() {
            return Err(super::boundary::Failure::null("transport"));
        }
        // SAFETY: non-NULL and valid for the call per the contract.
        let t = unsafe { &*t };
        let transmit = t
            .transmit
            .ok_or_else(|| super::boundary::Failure::null("transport->transmit"))?;
        Ok(Self {
            user_data: t.user_data,
            transmit,
            caps: if t.extended {
                LinkCapabilities::extended(65536)
            } else {
                LinkCapabilities::SHORT
            },
        })
    }
}

impl Transport for CTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut response = zeroize::Zeroizing::new(vec![0u8; self.caps.max_response_len]);
        let mut len = 0usize;
        // SAFETY: the caller supplied `transmit` for this signature; `command`
        // and `response` are valid for the lengths given during the call.
        let rc = unsafe {
            (self.transmit)(
                self.user_data,
                command.as_ptr(),
                command.len(),
                response.as_mut_ptr(),
                response.len(),
                &mut len,
            )
        };
        match rc {
            MYNACARD_TRANSMIT_OK if len <= response.len() => Ok(response[..len].to_vec()),
            MYNACARD_TRANSMIT_OK => Err(TransportError::Other(format!(
                "transmit callback reported {len} bytes for a {}-byte buffer",
                response.len()
            ))),
            MYNACARD_TRANSMIT_NO_CARD => Err(TransportError::NoCard),
            MYNACARD_TRANSMIT_CARD_REMOVED => Err(TransportError::CardRemoved),
            MYNACARD_TRANSMIT_TIMEOUT => Err(TransportError::Timeout),
            MYNACARD_TRANSMIT_CANCELLED => Err(TransportError::Cancelled),
            MYNACARD_TRANSMIT_READER_UNAVAILABLE => Err(TransportError::ReaderUnavailable),
            other => Err(TransportError::Other(format!(
                "transmit callback returned {other}"
            ))),
        }
    }

    fn capabilities(&self) -> LinkCapabilities {
        self.caps
    }
}

/// **TEST ONLY**: the in-process virtual My Number Card (a TEST holder), to put
/// behind a `MynacardTransport` in tests and demos. Opaque; thread-safe.
pub struct MynacardVirtualCard {
    card: Mutex<Box<dyn Transport + Send>>,
}

/// Creates a virtual card for the TEST holder `holder` (`"yamada"`, `"ito"`, …;
/// feature `virtual-card`). Free with `mynacard_virtual_card_free`.
///
/// # Safety
/// `holder` NUL-terminated; `out` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_virtual_card_new(
    holder: *const c_char,
    out: *mut *mut MynacardVirtualCard,
) -> MynacardStatus {
    guard(|| {
        out_param(out, "out")?;
        // SAFETY: per this function's contract.
        let holder = unsafe { required_str(holder, "holder") }?;
        let card = crate::jobs::card::virtual_card(holder)?;
        let card = MynacardVirtualCard {
            card: Mutex::new(Box::new(card)),
        };
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(out, new_handle(card)) };
        Ok(())
    })
}

/// Sends one command APDU to the virtual card; the same shape as a
/// `MynacardTransmitFn`, so a transmit callback can forward to it. Returns
/// `MYNACARD_STATUS_OK` with the response in `response` / `*response_len`;
/// `MYNACARD_STATUS_INVALID_ARGUMENT` (code `argument.response_capacity`) when
/// it does not fit.
///
/// # Safety
/// `card` from `mynacard_virtual_card_new`; `command` valid for `command_len`
/// bytes; `response` valid for `response_capacity` bytes; `response_len` a
/// valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_virtual_card_transmit(
    card: *const MynacardVirtualCard,
    command: *const u8,
    command_len: usize,
    response: *mut u8,
    response_capacity: usize,
    response_len: *mut usize,
) -> MynacardStatus {
    guard(|| {
        out_param(response_len, "response_len")?;
        out_param(response, "response")?;
        let card = handle(card, "card")?;
        // SAFETY: per this function's contract.
        let command = unsafe { bytes(command, command_len, "command") }?;
        let answer = card
            .card
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .transmit(command)
            .map_err(Error::from)?;
        if answer.len() > response_capacity {
            return Err(Error::argument(
                "response_capacity",
                format!("the response has {} bytes", answer.len()),
            )
            .into());
        }
        // SAFETY: `response` is valid for `response_capacity` ≥ `answer.len()`
        // bytes per the contract; `response_len` checked non-NULL.
        unsafe {
            std::ptr::copy_nonoverlapping(answer.as_ptr(), response, answer.len());
            write_out(response_len, answer.len());
        }
        Ok(())
    })
}

/// Releases a virtual card (NULL is ignored; a stale pointer is refused).
///
/// # Safety
/// `card` is NULL or from `mynacard_virtual_card_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_virtual_card_free(
    card: *mut MynacardVirtualCard,
) -> MynacardStatus {
    free_handle(card.cast_const(), "card")
}
