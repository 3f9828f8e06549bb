//! JSON forms: the core's serde forms (the flows' outcome, the PKI's verified
//! identity), so Rust, C and Python give the same JSON. Enum names are the
//! core's variant names in snake case.

use mynacard::flows::Outcome;
use mynacard::pki::VerifiedIdentity;
use serde_json::Value;

use super::error::code_from_debug;

/// `Debug` name of a fieldless value in snake case (`SmartphoneAndroid` →
/// `smartphone_android`).
pub(crate) fn name<T: core::fmt::Debug>(value: &T) -> String {
    let code = code_from_debug("x", &format!("{value:?}"));
    code["x.".len()..].to_owned()
}

/// A verified presentation: the core's serde form (`serial`, `kind`, `form`,
/// `form_source`, `anchor`, `not_after`, `revocation`, `grace`), the same JSON
/// from Rust, C and Python.
pub fn verified_identity(id: &VerifiedIdentity) -> Result<Value, serde_json::Error> {
    serde_json::to_value(id)
}

/// A reception flow's outcome: the core's serde form.
pub fn outcome(o: &Outcome) -> Result<Value, serde_json::Error> {
    serde_json::to_value(o)
}
