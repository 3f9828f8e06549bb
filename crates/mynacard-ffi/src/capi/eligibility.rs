//! Eligibility files through the C ABI.

use std::ffi::c_char;

use super::boundary::{
    MynacardStatus, bytes, guard, optional_str, out_param, required_str, write_out,
};
use super::memory::{give_bytes, give_string};
use crate::jobs::eligibility::{self, FileKind};

/// Parses an eligibility file (資格確認結果, 薬剤情報 (+ 診療情報) / 特定健診情報
/// views, or a request file; UTF-8 or Shift_JIS; a result also as the
/// terminal's JSON answer, 照会区分 2) into JSON:
/// `{"kind": "result" | "medication" | "health_checkups" | "request",
/// "file": {...}}` — the JSON Rust's serde gives. A result's records each carry a
/// `"derived"` object: `effective_burden` (the 負担割合 that applies on the
/// file's `check_date`, its `rule` and `source` element: a valid 高齢受給者証's
/// ratio wins over the record's), `check_digits`, `summary` (the receptionist's
/// line as `text` and its parts) and `labels` (each code's meaning).
///
/// `kind` is NULL or `"auto"` to detect the file's kind, or one of the kinds above.
/// On success `*json_out` is a string to free with `mynacard_free`. Malformed
/// input: `MYNACARD_STATUS_MALFORMED`, code `eligibility.*`.
///
/// # Safety
/// `data` is valid for `len` bytes (NULL only if `len` is 0); `kind` is NULL or a
/// NUL-terminated string; `json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_eligibility_parse(
    data: *const u8,
    len: usize,
    kind: *const c_char,
    json_out: *mut *mut c_char,
) -> MynacardStatus {
    guard(|| {
        out_param(json_out, "json_out")?;
        // SAFETY: per this function's contract.
        let data = unsafe { bytes(data, len, "data") }?;
        // SAFETY: per this function's contract.
        let kind = match unsafe { optional_str(kind, "kind") }? {
            None | Some("auto") => None,
            Some(name) => Some(FileKind::from_name(name)?),
        };
        let json = eligibility::parse(data, kind)?;
        // SAFETY: checked non-NULL above; valid per the contract.
        unsafe { write_out(json_out, give_string(json)) };
        Ok(())
    })
}

/// Parses a result file (XML or the terminal's JSON answer) keeping what it
/// can: `{"kind": "result", "file": {...}, "record_errors": [...]}`. A record
/// with a bad or missing element is left out of `file` and reported in
/// `record_errors` as `{"list", "record", "offset", "element", "code",
/// "message"}` (never its value); what is not a record (the XML, the header)
/// still fails with `MYNACARD_STATUS_MALFORMED`, code `eligibility.*`.
///
/// # Safety
/// `data` is valid for `len` bytes (NULL only if `len` is 0); `json_out` is a
/// valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_eligibility_parse_partial(
    data: *const u8,
    len: usize,
    json_out: *mut *mut c_char,
) -> MynacardStatus {
    guard(|| {
        out_param(json_out, "json_out")?;
        // SAFETY: per this function's contract.
        let data = unsafe { bytes(data, len, "data") }?;
        let json = eligibility::parse_partial(data)?;
        // SAFETY: checked non-NULL above; valid per the contract.
        unsafe { write_out(json_out, give_string(json)) };
        Ok(())
    })
}

/// Builds a request file (XML for the 資格確認端末) from the JSON form of a
/// request (as `mynacard_eligibility_parse` returns under `"file"` for a request
/// file). `encoding` is NULL or `"utf-8"`, or `"shift_jis"`. On success
/// `*xml_out` / `*xml_len` hold the XML bytes (free with `mynacard_free`).
///
/// # Safety
/// `request_json` is a NUL-terminated string; `encoding` NULL or one; `xml_out`
/// and `xml_len` valid pointers to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_eligibility_build_request(
    request_json: *const c_char,
    encoding: *const c_char,
    xml_out: *mut *mut u8,
    xml_len: *mut usize,
) -> MynacardStatus {
    guard(|| {
        out_param(xml_out, "xml_out")?;
        out_param(xml_len, "xml_len")?;
        // SAFETY: per this function's contract.
        let json = unsafe { required_str(request_json, "request_json") }?;
        // SAFETY: per this function's contract.
        let encoding = match unsafe { optional_str(encoding, "encoding") }? {
            None => mynacard::eligibility::XmlEncoding::Utf8,
            Some(name) => eligibility::encoding_from_name(name)?,
        };
        let xml = eligibility::build_request(json, encoding)?;
        let (ptr, len) = give_bytes(xml);
        // SAFETY: checked non-NULL above; valid per the contract.
        unsafe {
            write_out(xml_out, ptr);
            write_out(xml_len, len);
        }
        Ok(())
    })
}
