//! JSON forms: the flows' outcome is the core's serde form; the PKI's verified
//! identity, which the core does not serialize, is written here. Enum names are the core's variant names in snake case; times are ISO 8601
//! UTC plus Unix seconds; serials upper-case hex.

use mynacard::flows::Outcome;
use mynacard::pki::{CertificateKind, RevocationStatus, UnixTime, VerifiedIdentity};
use serde_json::{Value, json};

use super::error::code_from_debug;

/// `Debug` name of a fieldless value in snake case (`SmartphoneAndroid` →
/// `smartphone_android`).
pub(crate) fn name<T: core::fmt::Debug>(value: &T) -> String {
    let code = code_from_debug("x", &format!("{value:?}"));
    code["x.".len()..].to_owned()
}

fn time(t: UnixTime) -> Value {
    json!({ "iso": t.to_string(), "unix": t.as_secs() })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn kind(kind: &CertificateKind) -> Value {
    match kind {
        CertificateKind::Known(e) => json!({
            "policy": e.oid.to_string(),
            "purpose": name(&e.purpose),
            "form": e.form.as_ref().map(name),
            "hierarchy": name(&e.hierarchy),
        }),
        CertificateKind::Unknown(oid) => json!({ "policy": oid.to_string(), "known": false }),
    }
}

fn revocation(status: &RevocationStatus) -> Value {
    match status {
        RevocationStatus::Good {
            this_update,
            next_update,
        } => json!({
            "status": "good",
            "crl_this_update": time(*this_update),
            "crl_next_update": next_update.map(time),
        }),
        RevocationStatus::Revoked { reason, date } => json!({
            "status": "revoked",
            "reason": reason.map(|r| r.name()),
            "date": time(*date),
        }),
        RevocationStatus::NotChecked { reason } => json!({
            "status": "not_checked",
            "reason": reason.as_str(),
        }),
        other => json!({ "status": name(other) }),
    }
}

/// A verified presentation.
pub fn verified_identity(id: &VerifiedIdentity) -> Value {
    json!({
        "serial": hex(id.serial()),
        "kind": kind(id.kind()),
        "form": id.form().as_ref().map(name),
        "anchor": id.anchor(),
        "not_after": time(id.not_after()),
        "revocation": revocation(&id.revocation()),
        "grace": id.grace().map(|g| json!({ "expired_at": time(g.expired_at), "months": g.months })),
    })
}

/// A reception flow's outcome: the core's serde form.
pub fn outcome(o: &Outcome) -> Result<Value, serde_json::Error> {
    serde_json::to_value(o)
}
