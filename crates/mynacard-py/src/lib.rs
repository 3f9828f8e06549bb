//! The native half of the `mynacard` Python package (`mynacard._native`): a thin
//! PyO3 layer over `mynacard_ffi::jobs` (the same jobs, JSON and error codes as
//! the C ABI) plus the virtual card for researchers. The Pythonic API (dataclasses,
//! exception classes, keyword arguments) is in `python/mynacard/__init__.py`.

#![deny(unsafe_code)]

use mynacard::flows::FaceVerdict;
use mynacard::transport::{Transport, TransportError};
use mynacard_ffi::jobs::{self, Error, eligibility, employer, pki, reception};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use zeroize::Zeroizing;

create_exception!(
    _native,
    NativeError,
    PyException,
    "A job failed: args are (kind, code, message)."
);

fn raise(e: Error) -> PyErr {
    NativeError::new_err((
        e.kind().as_str(),
        e.code().to_owned(),
        e.message().to_owned(),
    ))
}

/// The library's version.
#[pyfunction]
fn version() -> &'static str {
    jobs::VERSION
}

/// The optional features compiled in.
#[pyfunction]
fn features() -> Vec<&'static str> {
    jobs::features()
}

/// Parses an eligibility file; `kind` None for detection; `partial` keeps the
/// records that parse and reports the others (result files only). Returns JSON.
#[pyfunction]
#[pyo3(signature = (data, kind=None, partial=false))]
fn parse_eligibility(data: &[u8], kind: Option<&str>, partial: bool) -> PyResult<String> {
    if partial {
        if !matches!(kind, None | Some("auto") | Some("result")) {
            return Err(raise(Error::argument(
                "partial",
                "partial parsing reads result files only".to_owned(),
            )));
        }
        return eligibility::parse_partial(data).map_err(raise);
    }
    let kind = match kind {
        None | Some("auto") => None,
        Some(name) => Some(eligibility::FileKind::from_name(name).map_err(raise)?),
    };
    eligibility::parse(data, kind).map_err(raise)
}

/// Builds a request file's XML from its JSON form.
#[pyfunction]
fn build_request<'py>(
    py: Python<'py>,
    json: &str,
    encoding: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let encoding = eligibility::encoding_from_name(encoding).map_err(raise)?;
    let xml = eligibility::build_request(json, encoding).map_err(raise)?;
    Ok(PyBytes::new(py, &xml))
}

/// The PC/SC readers present (feature `pcsc`).
#[pyfunction]
fn pcsc_readers() -> PyResult<Vec<String>> {
    reception::readers().map_err(raise)
}

/// A trust store and its CRLs.
#[pyclass(frozen, module = "mynacard._native")]
struct Trust {
    inner: pki::Trust,
}

#[pymethods]
impl Trust {
    #[new]
    fn new(kind: &str) -> PyResult<Self> {
        let kind = pki::TrustKind::from_name(kind).map_err(raise)?;
        Ok(Self {
            inner: pki::Trust::new(kind).map_err(raise)?,
        })
    }

    fn add_crl(&self, der: &[u8]) -> PyResult<String> {
        self.inner.add_crl(der).map_err(raise)
    }

    #[pyo3(signature = (certificate, challenge, signature, policy=None, time=None))]
    fn verify_presentation(
        &self,
        certificate: &[u8],
        challenge: &[u8],
        signature: &[u8],
        policy: Option<&str>,
        time: Option<u64>,
    ) -> PyResult<String> {
        let policy = pki::PolicyOptions::from_json(policy).map_err(raise)?;
        self.inner
            .verify_presentation(
                certificate,
                challenge,
                signature,
                &policy,
                pki::time_or_now(time),
            )
            .map_err(raise)
    }

    #[pyo3(signature = (der, purpose, time=None))]
    fn verify_certificate(&self, der: &[u8], purpose: &str, time: Option<u64>) -> PyResult<String> {
        let purpose = pki::purpose_from_name(purpose).map_err(raise)?;
        self.inner
            .verify_certificate(der, purpose, pki::time_or_now(time))
            .map_err(raise)
    }
}

/// Cancels a running reception from any thread.
#[pyclass(frozen, module = "mynacard._native")]
struct CancelToken {
    inner: reception::CancelToken,
}

#[pymethods]
impl CancelToken {
    #[new]
    fn new() -> Self {
        Self {
            inner: reception::CancelToken::new(),
        }
    }

    fn cancel(&self) {
        self.inner.cancel();
    }

    #[getter]
    fn cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }
}

/// The Python object at the counter: `show(dict)` and `reply(dict) -> (kind,
/// value)`; the first exception it raises is kept and re-raised by
/// `run_reception`.
struct PyHost {
    obj: Py<PyAny>,
    error: Option<PyErr>,
}

fn guidance_dict<'py>(
    py: Python<'py>,
    g: &reception::GuidanceView,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", g.id)?;
    d.set_item("ja", &g.ja)?;
    d.set_item("en", &g.en)?;
    d.set_item("prompt", g.prompt.as_str())?;
    let (item, choices, digits) = match &g.prompt {
        reception::Prompt::Consent(item) => (Some(item.clone()), Vec::new(), None),
        reception::Prompt::Choice(options) => (None, options.clone(), None),
        reception::Prompt::Keypad { digits } => (None, Vec::new(), Some(*digits)),
        _ => (None, Vec::new(), None),
    };
    d.set_item("consent_item", item)?;
    d.set_item("choices", choices)?;
    d.set_item("keypad_digits", digits)?;
    d.set_item("tries_left", g.tries_left)?;
    Ok(d)
}

impl PyHost {
    fn keep(&mut self, e: PyErr) -> String {
        let message = e.to_string();
        self.error.get_or_insert(e);
        message
    }
}

impl reception::Host for PyHost {
    fn show(&mut self, g: &reception::GuidanceView) -> Result<(), String> {
        let result = Python::attach(|py| -> PyResult<()> {
            self.obj
                .call_method1(py, "show", (guidance_dict(py, g)?,))?;
            Ok(())
        });
        result.map_err(|e| self.keep(e))
    }

    fn reply(&mut self, g: &reception::GuidanceView) -> Result<reception::Answer, String> {
        let result = Python::attach(|py| -> PyResult<reception::Answer> {
            let answer = self
                .obj
                .call_method1(py, "reply", (guidance_dict(py, g)?,))?;
            let (kind, value): (String, Option<String>) = answer.extract(py)?;
            Ok(match (kind.as_str(), value) {
                ("digits", Some(d)) => reception::Answer::Digits(Zeroizing::new(d)),
                ("yes", _) => reception::Answer::Yes,
                ("no", _) => reception::Answer::No,
                ("choice", Some(c)) => reception::Answer::Choice(c),
                ("cancel", _) => reception::Answer::Cancel,
                (other, _) => {
                    return Err(pyo3::exceptions::PyValueError::new_err(format!(
                        "unknown answer {other:?}"
                    )));
                }
            })
        });
        result.map_err(|e| self.keep(e))
    }

    fn compare_face(&mut self, photo: &[u8]) -> Result<FaceVerdict, String> {
        let result = Python::attach(|py| -> PyResult<FaceVerdict> {
            let obj = self.obj.bind(py);
            if !obj.hasattr("compare_face")? {
                return Ok(FaceVerdict::Unavailable);
            }
            let verdict: String = obj
                .call_method1("compare_face", (PyBytes::new(py, photo),))?
                .extract()?;
            match verdict.as_str() {
                "match" => Ok(FaceVerdict::Match),
                "mismatch" => Ok(FaceVerdict::Mismatch),
                "unavailable" => Ok(FaceVerdict::Unavailable),
                other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "unknown face verdict {other:?} (match, mismatch, unavailable)"
                ))),
            }
        });
        result.map_err(|e| self.keep(e))
    }
}

/// The host's own link: an object with `transmit(apdu: bytes) -> bytes | None`
/// (`None`: no card in the reader); the first exception it raises is kept.
struct PyTransport {
    obj: Py<PyAny>,
    error: Option<PyErr>,
}

impl Transport for PyTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let result = Python::attach(|py| -> PyResult<Option<Vec<u8>>> {
            self.obj
                .call_method1(py, "transmit", (PyBytes::new(py, command),))?
                .extract(py)
        });
        match result {
            Ok(Some(answer)) => Ok(answer),
            Ok(None) => Err(TransportError::NoCard),
            Err(e) => {
                let message = e.to_string();
                self.error.get_or_insert(e);
                Err(TransportError::Other(message))
            }
        }
    }
}

/// Runs a reception; `options` is the JSON of `ReceptionOptions`; `host` has
/// `show(dict)` and `reply(dict) -> (kind, value)`. The GIL is released while the
/// flow runs (callbacks take it back), so another thread can cancel.
#[pyfunction]
#[pyo3(signature = (trust, options, host, cancel=None, transport=None))]
fn run_reception(
    py: Python<'_>,
    trust: &Bound<'_, Trust>,
    options: &str,
    host: Py<PyAny>,
    cancel: Option<&Bound<'_, CancelToken>>,
    transport: Option<Py<PyAny>>,
) -> PyResult<String> {
    let options = reception::ReceptionOptions::from_json(options).map_err(raise)?;
    let token = cancel.map_or_else(reception::CancelToken::new, |c| c.get().inner.clone());
    let trust = trust.get();
    let mut host = PyHost {
        obj: host,
        error: None,
    };
    let mut link = transport.map(|obj| PyTransport { obj, error: None });
    let result = py.detach(|| match &mut link {
        Some(link) => {
            reception::run_with_transport(&trust.inner, &options, link, &mut host, &token)
        }
        None => reception::run(&trust.inner, &options, &mut host, &token),
    });
    settle(result, host.error, link.and_then(|l| l.error))
}

/// The result, or the first exception a Python callback raised.
fn settle<T>(
    result: Result<T, Error>,
    host_error: Option<PyErr>,
    link_error: Option<PyErr>,
) -> PyResult<T> {
    match (result, host_error.or(link_error)) {
        (Ok(v), _) => Ok(v),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(raise(e)),
    }
}

/// Runs the employer's intake; `options` is the JSON of `IntakeRunOptions`;
/// `host` as for `run_reception`. Returns the record's JSON (個人番号 included).
#[pyfunction]
#[pyo3(signature = (trust, options, host, cancel=None, transport=None))]
fn run_employer_intake(
    py: Python<'_>,
    trust: &Bound<'_, Trust>,
    options: &str,
    host: Py<PyAny>,
    cancel: Option<&Bound<'_, CancelToken>>,
    transport: Option<Py<PyAny>>,
) -> PyResult<String> {
    let options = employer::IntakeRunOptions::from_json(options).map_err(raise)?;
    let token = cancel.map_or_else(reception::CancelToken::new, |c| c.get().inner.clone());
    let trust = trust.get();
    let mut host = PyHost {
        obj: host,
        error: None,
    };
    let mut link = transport.map(|obj| PyTransport { obj, error: None });
    let result = py.detach(|| match &mut link {
        Some(link) => employer::run_with_transport(&trust.inner, &options, link, &mut host, &token),
        None => employer::run(&trust.inner, &options, &mut host, &token),
    });
    settle(result, host.error, link.and_then(|l| l.error)).map(|json| json.as_str().to_owned())
}

/// The in-process virtual My Number Card (TEST holders): send it APDUs.
#[pyclass(module = "mynacard._native")]
struct VirtualCard {
    card: mynacard::virtual_card::VirtualCard,
}

#[pymethods]
impl VirtualCard {
    #[new]
    fn new(holder: &str) -> PyResult<Self> {
        let card = mynacard::virtual_card::VirtualCard::test_holder(holder)
            .map_err(|e| raise(Error::argument("virtual_card", e.to_string())))?;
        Ok(Self { card })
    }

    #[staticmethod]
    fn holders() -> Vec<&'static str> {
        mynacard::virtual_card::TEST_HOLDER_IDS.to_vec()
    }

    fn transmit<'py>(&mut self, py: Python<'py>, apdu: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        use mynacard::transport::Transport;
        let response = self
            .card
            .transmit(apdu)
            .map_err(|e| raise(Error::from(e)))?;
        Ok(PyBytes::new(py, &response))
    }
}

mod document;

/// The module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(features, m)?)?;
    m.add_function(wrap_pyfunction!(parse_eligibility, m)?)?;
    m.add_function(wrap_pyfunction!(build_request, m)?)?;
    m.add_function(wrap_pyfunction!(pcsc_readers, m)?)?;
    m.add_function(wrap_pyfunction!(run_reception, m)?)?;
    m.add_function(wrap_pyfunction!(run_employer_intake, m)?)?;
    m.add_class::<Trust>()?;
    m.add_function(wrap_pyfunction!(document::verify_cms, m)?)?;
    m.add_function(wrap_pyfunction!(document::verify_pdf, m)?)?;
    m.add_class::<CancelToken>()?;
    m.add_class::<VirtualCard>()?;
    Ok(())
}
