//! Signed documents (CMS, PDF) for Python: the jobs of `mynacard-ffi`, so the JSON is the C
//! ABI's. The Python layer is `mynacard.document`.

use mynacard_ffi::jobs::document::DocumentOptions;
use mynacard_ffi::jobs::pki::time_or_now;
use pyo3::prelude::*;

use super::{Trust, raise};

/// Verifies a DER CMS SignedData (`content`: None when attached) under the trust store;
/// the verified signature as JSON (the holder's 基本4情報 included).
#[pyfunction]
#[pyo3(signature = (trust, cms, content=None, options=None, time=None))]
pub(crate) fn verify_cms(
    trust: &Trust,
    cms: &[u8],
    content: Option<&[u8]>,
    options: Option<&str>,
    time: Option<u64>,
) -> PyResult<String> {
    let options = DocumentOptions::from_json(options).map_err(raise)?;
    trust
        .inner
        .verify_cms(cms, content, &options, time_or_now(time))
        .map_err(raise)
}

/// Verifies every signature of a PDF; the report as JSON.
#[pyfunction]
#[pyo3(signature = (trust, pdf, options=None, time=None))]
pub(crate) fn verify_pdf(
    trust: &Trust,
    pdf: &[u8],
    options: Option<&str>,
    time: Option<u64>,
) -> PyResult<String> {
    let options = DocumentOptions::from_json(options).map_err(raise)?;
    trust
        .inner
        .verify_pdf(pdf, &options, time_or_now(time))
        .map_err(raise)
}
