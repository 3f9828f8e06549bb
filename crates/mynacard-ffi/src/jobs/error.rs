//! One error type for every job: a coarse [`ErrorKind`] (what the C status code and
//! the Python exception class say), a stable machine-readable code (`pki.revoked`)
//! and a message that never contains personal values (the core's `Display` forms).

use core::fmt;

/// What went wrong, coarsely: enough to pick a branch in the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument was not what the function takes (bad UTF-8, bad JSON, an
    /// unknown option name).
    InvalidArgument,
    /// Input bytes (an eligibility file, a certificate, a CRL) could not be read.
    Malformed,
    /// A PKI check refused (chain, validity, revocation, signature).
    Refused,
    /// A reception flow ended without an outcome (PIN blocked, staff rejected,
    /// verification failed, …).
    Flow,
    /// The caller cancelled the flow (cancel handle or a cancel answer).
    Cancelled,
    /// A caller's callback reported an error; the flow was aborted.
    Callback,
    /// The card or the reader failed (removed, unavailable, transport).
    Card,
    /// The library was built without what this needs (a feature).
    Unsupported,
    /// A bug in this library (a caught panic).
    Internal,
}

impl ErrorKind {
    /// Short name (`"refused"`), as the Python exceptions carry it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidArgument => "invalid_argument",
            Self::Malformed => "malformed",
            Self::Refused => "refused",
            Self::Flow => "flow",
            Self::Cancelled => "cancelled",
            Self::Callback => "callback",
            Self::Card => "card",
            Self::Unsupported => "unsupported",
            Self::Internal => "internal",
        }
    }
}

/// A job's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    code: String,
    message: String,
}

impl Error {
    /// An error of `kind` with a stable `code` and a message.
    pub fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: code.into(),
            message: message.into(),
        }
    }

    /// A bad argument; `code` is `argument.<what>`.
    pub fn argument(what: &str, message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::InvalidArgument,
            format!("argument.{what}"),
            message,
        )
    }

    /// The coarse kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable machine-readable code, e.g. `pki.revoked`, `flow.pin.blocked`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// A human-readable message (no personal values).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// `prefix.variant_name` from a value's `Debug` form (`CardRemoved` →
/// `transport.card_removed`), for the core types without a `code()` of their own
/// (the transport errors) and the JSON names of unit enums.
pub(crate) fn code_from_debug(prefix: &str, debug: &str) -> String {
    let name: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let mut code = String::with_capacity(prefix.len() + name.len() + 4);
    code.push_str(prefix);
    code.push('.');
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(c.to_ascii_lowercase());
        } else {
            code.push(c);
        }
    }
    code
}

impl From<mynacard::pki::PkiError> for Error {
    fn from(e: mynacard::pki::PkiError) -> Self {
        use mynacard::pki::PkiError as P;
        let kind = match e {
            P::Malformed { .. }
            | P::UnsupportedVersion
            | P::DuplicateExtension { .. }
            | P::CrlTooLarge { .. }
            | P::BadTrustAnchor { .. }
            | P::BadAttribute { .. } => ErrorKind::Malformed,
            _ => ErrorKind::Refused,
        };
        Self::new(kind, e.code(), e.to_string())
    }
}

impl From<mynacard::eligibility::EligibilityError> for Error {
    fn from(e: mynacard::eligibility::EligibilityError) -> Self {
        Self::new(ErrorKind::Malformed, e.code(), e.to_string())
    }
}

impl From<mynacard::flows::FlowError> for Error {
    fn from(e: mynacard::flows::FlowError) -> Self {
        use mynacard::flows::FlowError as F;
        let kind = match e {
            F::Cancelled | F::LastTryDeclined => ErrorKind::Cancelled,
            F::CardRemoved { .. } | F::Transport { .. } | F::Card { .. } => ErrorKind::Card,
            _ => ErrorKind::Flow,
        };
        Self::new(kind, e.code(), e.to_string())
    }
}

impl From<mynacard::transport::TransportError> for Error {
    fn from(e: mynacard::transport::TransportError) -> Self {
        Self::new(
            ErrorKind::Card,
            code_from_debug("transport", &format!("{e:?}")),
            e.to_string(),
        )
    }
}

/// serde's own message quotes the offending value: only its category and
/// position are kept.
impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Self::argument("json", super::input::describe("$", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_variant_names() {
        assert_eq!(
            code_from_debug("pki", "Revoked { reason: None }"),
            "pki.revoked"
        );
        assert_eq!(
            code_from_debug("transport", "CardRemoved"),
            "transport.card_removed"
        );
        assert_eq!(code_from_debug("pki", "CrlStale(3)"), "pki.crl_stale");
    }
}
