//! Observability (feature `tracing`): what a flow did, without what it carried.
//!
//! With the feature, the crate reports to the [`tracing`](https://docs.rs/tracing) subscriber
//! the application installed (target `mynacard`, level TRACE for exchanges, DEBUG for steps and
//! decisions):
//!
//! - a span `mynacard.flow.step` around each `resume` of a reception flow (field `input`: the
//!   kind of input), ending with an event naming what came out (`event`: `send`, `guide`,
//!   `compare_face`, `done` or `error`; `detail`: the guidance id, the method or the error
//!   code);
//! - an event per card command (`mynacard.exchange.command`: `cla`, `ins` and the
//!   instruction's name) and per answer (`mynacard.exchange.status`: the status word) — never
//!   the command data or the answer's data (a VERIFY's data is the PIN);
//! - a span `mynacard.verify` around each verification decision (`what`: `pki.presentation`,
//!   `document.cms`, `document.pdf`, `relying_party.presentation`) with an event giving its
//!   result (`code`: `verified`, the PDF's verdict, or the error's stable code).
//!
//! Fields are codes, names of steps and status words only: no PIN, no personal value, no
//! certificate, no challenge. Without the feature every hook compiles to nothing. `tracing`
//! is used without its default features, so the feature also builds in the `no_std` core.

/// An entered span: dropped when the step or decision ends.
#[cfg(feature = "tracing")]
pub(crate) type Guard = tracing::span::EnteredSpan;
/// Nothing to hold without the feature.
#[cfg(not(feature = "tracing"))]
pub(crate) type Guard = ();

/// Enters the span of one flow step; `input` is the kind of input fed.
#[inline]
pub(crate) fn step(input: &'static str) -> Guard {
    #[cfg(feature = "tracing")]
    return tracing::debug_span!(target: "mynacard", "mynacard.flow.step", input).entered();
    #[cfg(not(feature = "tracing"))]
    let _ = input;
}

/// What a flow step gave: `event` and its `detail` (a guidance id, a method, an error code).
#[inline]
pub(crate) fn step_end(event: &'static str, detail: &'static str) {
    #[cfg(feature = "tracing")]
    tracing::debug!(target: "mynacard", event, detail, "mynacard.flow.step_end");
    #[cfg(not(feature = "tracing"))]
    let _ = (event, detail);
}

/// A command handed to the card: its class, instruction and the instruction's name.
#[inline]
pub(crate) fn command(cla: u8, ins: u8, name: &'static str) {
    #[cfg(feature = "tracing")]
    tracing::trace!(target: "mynacard", cla, ins, name, "mynacard.exchange.command");
    #[cfg(not(feature = "tracing"))]
    let _ = (cla, ins, name);
}

/// The card's status word for the command last handed out.
#[inline]
pub(crate) fn status(sw: u16) {
    #[cfg(feature = "tracing")]
    tracing::trace!(target: "mynacard", sw, "mynacard.exchange.status");
    #[cfg(not(feature = "tracing"))]
    let _ = sw;
}

/// Runs one verification decision (`what`: `pki.presentation`…) in its span and reports its
/// result: `ok`'s code for a success (`verified`, a PDF's verdict), the error's stable code.
#[inline]
pub(crate) fn decision<T, E>(
    what: &'static str,
    ok: impl FnOnce(&T) -> &'static str,
    err: impl FnOnce(&E) -> &'static str,
    decide: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    #[cfg(feature = "tracing")]
    {
        let _span = tracing::debug_span!(target: "mynacard", "mynacard.verify", what).entered();
        let result = decide();
        let code = match &result {
            Ok(t) => ok(t),
            Err(e) => err(e),
        };
        tracing::debug!(target: "mynacard", code, "mynacard.verify.result");
        result
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = (what, ok, err);
        decide()
    }
}
