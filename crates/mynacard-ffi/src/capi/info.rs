//! Version and feature queries, and the PC/SC reader list.

use std::ffi::{CString, c_char};
use std::sync::LazyLock;

use super::boundary::{MynacardStatus, guard, out_param, write_out};
use super::memory::give_string;
use crate::jobs;

static VERSION: LazyLock<CString> =
    LazyLock::new(|| CString::new(jobs::VERSION).unwrap_or_default());
static FEATURES: LazyLock<CString> = LazyLock::new(|| {
    CString::new(serde_json::to_string(&jobs::features()).unwrap_or_default()).unwrap_or_default()
});

/// This library's version (`"0.1.0"`), a static string (do not free).
///
/// # Safety
/// `out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_version(out: *mut *const c_char) -> MynacardStatus {
    guard(|| {
        out_param(out, "out")?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(out, VERSION.as_ptr()) };
        Ok(())
    })
}

/// The optional features compiled in, as a JSON array (`["virtual-card","pcsc"]`),
/// a static string (do not free).
///
/// # Safety
/// `out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_features(out: *mut *const c_char) -> MynacardStatus {
    guard(|| {
        out_param(out, "out")?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(out, FEATURES.as_ptr()) };
        Ok(())
    })
}

/// The PC/SC readers present, as a JSON array of names (free with
/// `mynacard_free`). Without the `pcsc` feature: `MYNACARD_STATUS_UNSUPPORTED`.
///
/// # Safety
/// `json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_pcsc_readers(json_out: *mut *mut c_char) -> MynacardStatus {
    guard(|| {
        out_param(json_out, "json_out")?;
        let readers = jobs::reception::readers()?;
        let json = serde_json::to_string(&readers).map_err(crate::jobs::Error::from)?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(json_out, give_string(json)) };
        Ok(())
    })
}
