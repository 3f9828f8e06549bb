//! JPKI verification through the C ABI.

use std::ffi::c_char;

use super::boundary::{
    Failure, MynacardStatus, bytes, guard, optional_str, out_param, required_str, unix_time,
    write_out,
};
use super::memory::{free_handle, give_string, handle, new_handle};
use crate::jobs::pki::{PolicyOptions, Trust, TrustKind, purpose_from_name, time_or_now};

/// A trust store (roots, policy table) and the CRLs loaded into it. Opaque;
/// thread-safe.
pub struct MynacardTrust {
    pub(crate) inner: Trust,
}

/// Creates a trust store: `kind` is `"jlis"` (the J-LIS production roots) or
/// `"test"` (**TEST ONLY**: this crate's TEST PKI, as on the virtual card).
/// Free with `mynacard_trust_free`.
///
/// # Safety
/// `kind` is a NUL-terminated string; `out` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_trust_new(
    kind: *const c_char,
    out: *mut *mut MynacardTrust,
) -> MynacardStatus {
    guard(|| {
        out_param(out, "out")?;
        // SAFETY: per this function's contract.
        let kind = TrustKind::from_name(unsafe { required_str(kind, "kind") }?)?;
        let trust = MynacardTrust {
            inner: Trust::new(kind)?,
        };
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(out, new_handle(trust)) };
        Ok(())
    })
}

/// Releases a trust store (NULL is ignored; a stale pointer is refused with
/// `MYNACARD_STATUS_INVALID_ARGUMENT`).
///
/// # Safety
/// `trust` is NULL or was returned by `mynacard_trust_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_trust_free(trust: *mut MynacardTrust) -> MynacardStatus {
    free_handle(trust.cast_const(), "trust")
}

/// Verifies a CRL (DER) against the store's roots and loads it; later checks use
/// it. `summary_out` (may be NULL) receives
/// `{"anchor", "this_update", "next_update", "entries"}` (free with
/// `mynacard_free`).
///
/// # Safety
/// `trust` from `mynacard_trust_new`; `der` valid for `len` bytes;
/// `summary_out` NULL or a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_trust_add_crl(
    trust: *const MynacardTrust,
    der: *const u8,
    len: usize,
    summary_out: *mut *mut c_char,
) -> MynacardStatus {
    guard(|| {
        let trust = handle(trust, "trust")?;
        // SAFETY: per this function's contract.
        let der = unsafe { bytes(der, len, "der") }?;
        let summary = trust.inner.add_crl(der)?;
        if !summary_out.is_null() {
            // SAFETY: non-NULL; valid per the contract.
            unsafe { write_out(summary_out, give_string(summary)) };
        }
        Ok(())
    })
}

/// Verifies a presentation: the user-authentication certificate (DER), the
/// relying party's challenge, and the token's signature over its SHA-256
/// DigestInfo, at `unix_time` (seconds; negative: the system clock), under
/// `policy_json` (NULL: `{"preset": "medical_eligibility"}`; also `"strict"`,
/// `"revocation": "best_effort"`, `"accept_smartphone": false`).
///
/// On success `*identity_json` holds the verified identity (serial, kind, form,
/// anchor, not_after, revocation, grace). A refusal returns
/// `MYNACARD_STATUS_REFUSED` with the reason's code (`pki.revoked`,
/// `pki.expired`, `pki.challenge_signature_invalid`, …).
///
/// # Safety
/// `trust` from `mynacard_trust_new`; each buffer valid for its length;
/// `policy_json` NULL or a NUL-terminated string; `identity_json` a valid
/// pointer to write to.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mynacard_verify_presentation(
    trust: *const MynacardTrust,
    certificate: *const u8,
    certificate_len: usize,
    challenge: *const u8,
    challenge_len: usize,
    signature: *const u8,
    signature_len: usize,
    policy_json: *const c_char,
    unix_time_secs: i64,
    identity_json: *mut *mut c_char,
) -> MynacardStatus {
    guard(|| {
        out_param(identity_json, "identity_json")?;
        let trust = handle(trust, "trust")?;
        // SAFETY (three calls): per this function's contract.
        let certificate = unsafe { bytes(certificate, certificate_len, "certificate") }?;
        let challenge = unsafe { bytes(challenge, challenge_len, "challenge") }?;
        let signature = unsafe { bytes(signature, signature_len, "signature") }?;
        // SAFETY: per this function's contract.
        let policy =
            PolicyOptions::from_json(unsafe { optional_str(policy_json, "policy_json") }?)?;
        let json = trust.inner.verify_presentation(
            certificate,
            challenge,
            signature,
            &policy,
            time_or_now(unix_time(unix_time_secs)),
        )?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(identity_json, give_string(json)) };
        Ok::<(), Failure>(())
    })
}

/// Validates a certificate's path (chain, validity, key usage, policy) to the
/// store's roots for `purpose` (`"authentication"` or `"signature"`) at
/// `unix_time` (negative: now). No revocation check. On success `*json_out`
/// holds `{"serial", "purpose", "policy", "anchor", "verified_at"}`; a refusal
/// returns `MYNACARD_STATUS_REFUSED` (code `pki.*`).
///
/// # Safety
/// `trust` from `mynacard_trust_new`; `der` valid for `len` bytes; `purpose`
/// NUL-terminated; `json_out` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mynacard_verify_certificate(
    trust: *const MynacardTrust,
    der: *const u8,
    len: usize,
    purpose: *const c_char,
    unix_time_secs: i64,
    json_out: *mut *mut c_char,
) -> MynacardStatus {
    guard(|| {
        out_param(json_out, "json_out")?;
        let trust = handle(trust, "trust")?;
        // SAFETY: per this function's contract.
        let der = unsafe { bytes(der, len, "der") }?;
        // SAFETY: per this function's contract.
        let purpose = purpose_from_name(unsafe { required_str(purpose, "purpose") }?)?;
        let json =
            trust
                .inner
                .verify_certificate(der, purpose, time_or_now(unix_time(unix_time_secs)))?;
        // SAFETY: checked non-NULL; valid per the contract.
        unsafe { write_out(json_out, give_string(json)) };
        Ok(())
    })
}
