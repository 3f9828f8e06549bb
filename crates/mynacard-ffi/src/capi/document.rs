//! Signed documents through the C ABI: CMS SignedData and signed PDFs.

use std::ffi::c_char;

use super::boundary::{
    MynacardStatus, bytes, guard, optional_str, out_param, unix_time, write_out,
};
use super::memory::{give_string, handle};
use super::pki::MynacardTrust;
use crate::jobs::document::DocumentOptions;
use crate::jobs::pki::time_or_now;

/// Verifies a DER CMS SignedData made with a 署名用 key, under the store's roots and CRLs,
/// at `unix_time_secs` (negative: the system clock). `content` NULL: the content is
/// attached; otherwise the detached content (`content_len` bytes, 0 allowed).
/// `options_json` (NULL: defaults): `{"check_at": "verification_time" | "signing_time",
/// "revocation": "required" | "best_effort"}`.
///
/// On success `*result_json` holds the verified signature **with the holder's name,
/// address, birth date and sex** (`{"holder", "certificate", "revocation", "checked_at",
/// "checked_time", "claimed_signing_time", "digest_algorithm"}`; free with `mynacard_free`,
/// which zeroizes). A refusal returns `MYNACARD_STATUS_REFUSED` with its code
/// (`document.message_digest_mismatch`, `pki.expired`, …).
///
/// # Safety
/// `trust` from `mynacard_trust_new`; `cms` valid for `cms_len` bytes; `content` NULL or
/// valid for `content_len` bytes; `options_json` NULL or NUL-terminated; `result_json` a
/// valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_verify_cms(
    trust: *const MynacardTrust,
    cms: *const u8,
    cms_len: usize,
    content: *const u8,
    content_len: usize,
    options_json: *const c_char,
    unix_time_secs: i64,
    result_json: *mut *mut c_char,
) -> MynacardStatus {
    guard(|| {
        out_param(result_json, "result_json")?;
        let trust = handle(trust, "trust")?;
        // SAFETY (three calls): per this function's contract.
        let cms = unsafe { bytes(cms, cms_len, "cms") }?;
        let content = if content.is_null() {
            None
        } else {
            Some(unsafe { bytes(content, content_len, "content") }?)
        };
        let options =
            DocumentOptions::from_json(unsafe { optional_str(options_json, "options_json") }?)?;
        let json = trust.inner.verify_cms(
            cms,
            content,
            &options,
            time_or_now(unix_time(unix_time_secs)),
        )?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(result_json, give_string(json)) };
        Ok(())
    })
}

/// Verifies every signature of a PDF under the store's roots and CRLs at `unix_time_secs`
/// (negative: now), with `options_json` as for `mynacard_verify_cms`.
///
/// On success `*report_json` holds `{"verdict": {"code": "signed" | "unsigned" |
/// "signature_refused" | "modified_after_signing", …}, "signatures": [{"offset",
/// "sub_filter", "byte_range", "revision_end", "signed" | "error"}]}` (free with
/// `mynacard_free`). A refused signature is reported there, not as a failure; only bytes
/// that are not a PDF fail (`MYNACARD_STATUS_MALFORMED`, `document.not_pdf`).
///
/// # Safety
/// `trust` from `mynacard_trust_new`; `pdf` valid for `pdf_len` bytes; `options_json` NULL
/// or NUL-terminated; `report_json` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_verify_pdf(
    trust: *const MynacardTrust,
    pdf: *const u8,
    pdf_len: usize,
    options_json: *const c_char,
    unix_time_secs: i64,
    report_json: *mut *mut c_char,
) -> MynacardStatus {
    guard(|| {
        out_param(report_json, "report_json")?;
        let trust = handle(trust, "trust")?;
        // SAFETY (two calls): per this function's contract.
        let pdf = unsafe { bytes(pdf, pdf_len, "pdf") }?;
        let options =
            DocumentOptions::from_json(unsafe { optional_str(options_json, "options_json") }?)?;
        let json = trust
            .inner
            .verify_pdf(pdf, &options, time_or_now(unix_time(unix_time_secs)))?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(report_json, give_string(json)) };
        Ok(())
    })
}
