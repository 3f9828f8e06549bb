//! Any error of the crate as received over the wire (feature `serde`): every error
//! serialises as `{"code": "pki.revoked", "message": "…"}` (a flow's error adds
//! `"guidance"`), and [`ErrorReport`] is what such JSON deserialises to — in Rust, from C's or
//! Python's output, or from another server (`schema/error.json`). A code names a variant, not
//! its fields, so a report is not turned back into the error enum it came from: the code is
//! what a program branches on, the message what a person reads (neither carries a personal
//! value).
//!
//! ```
//! use mynacard::ErrorReport;
//! use mynacard::pki::PkiError;
//! let json = serde_json::to_string(&PkiError::FormNotEstablished)?;
//! let report: ErrorReport = serde_json::from_str(&json)?;
//! assert_eq!(report.code, "pki.form_not_established");
//! assert_eq!(report.message, PkiError::FormNotEstablished.to_string());
//! assert_eq!(serde_json::to_string(&report)?, json);
//! # Ok::<(), serde_json::Error>(())
//! ```

use alloc::string::String;
use core::fmt;

/// An error's wire form: its stable code and its message, and for a flow's error the
/// guidance to show (`card.pin.blocked`…).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ErrorReport {
    /// The stable code (`docs/error-codes.md`).
    pub code: String,
    /// The message for people (may change between versions).
    pub message: String,
    /// The guidance id a flow's error carries (`FlowError`), absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
}

impl fmt::Display for ErrorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl core::error::Error for ErrorReport {}

/// `impl Serialize` as `{"code": self.code(), "message": self.to_string()}` for error types
/// with a `code()` and a `Display`.
macro_rules! serialize_coded {
    ($($t:ty),+ $(,)?) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut st = s.serialize_struct(stringify!($t), 2)?;
                st.serialize_field("code", self.code())?;
                st.serialize_field("message", &alloc::string::ToString::to_string(self))?;
                st.end()
            }
        }
    )+};
}
pub(crate) use serialize_coded;
