//! The C ABI. Every `extern "C"` function here:
//!
//! - returns a [`MynacardStatus`]; results go to out-parameters, written only when
//!   the status is `MYNACARD_STATUS_OK`;
//! - on any other status records, for the calling thread, a message and a stable
//!   code ([`mynacard_last_error_message`], [`mynacard_last_error_code`]);
//! - catches panics (status `MYNACARD_STATUS_INTERNAL`): no unwind crosses the
//!   boundary;
//! - takes and returns UTF-8, NUL-terminated strings; byte buffers as
//!   pointer + length (the pointer may be NULL only when the length is 0).
//!
//! Memory: every string or byte buffer the library returns is freed with
//! [`mynacard_free`] (which zeroizes it first — results can hold personal data);
//! each handle type has its own `_free`. Both check that the pointer is live, so a
//! double free or a foreign pointer is reported (`MYNACARD_STATUS_INVALID_ARGUMENT`)
//! instead of corrupting memory.
//!
//! Threads: every function may be called from any thread; handles may be shared
//! between threads (a handle freed while another thread uses it stays alive until
//! that call returns). Callbacks run on the thread that called
//! `mynacard_reception_run`. Last-error state is per thread.

mod boundary;
mod document;
mod eligibility;
mod info;
mod memory;
mod pki;
mod reception;
mod step;
mod transport;

pub use boundary::{MynacardStatus, mynacard_last_error_code, mynacard_last_error_message};
pub use document::{mynacard_verify_cms, mynacard_verify_pdf};
pub use eligibility::{
    mynacard_eligibility_build_request, mynacard_eligibility_parse,
    mynacard_eligibility_parse_partial,
};
pub use info::{mynacard_features, mynacard_pcsc_readers, mynacard_version};
pub use memory::mynacard_free;
pub use pki::{
    MynacardTrust, mynacard_trust_add_crl, mynacard_trust_free, mynacard_trust_new,
    mynacard_verify_certificate, mynacard_verify_presentation,
};
pub use reception::{
    MYNACARD_ANSWER_CANCEL, MYNACARD_ANSWER_CHOICE, MYNACARD_ANSWER_DIGITS, MYNACARD_ANSWER_NO,
    MYNACARD_ANSWER_YES, MYNACARD_FACE_MATCH, MYNACARD_FACE_MISMATCH, MYNACARD_FACE_UNAVAILABLE,
    MynacardAnswer, MynacardCancel, MynacardGuidance, MynacardHost, mynacard_cancel_free,
    mynacard_cancel_new, mynacard_cancel_request, mynacard_employer_intake_run,
    mynacard_employer_intake_run_on, mynacard_reception_run, mynacard_reception_run_on,
};
pub use step::{
    MYNACARD_INPUT_ANSWER, MYNACARD_INPUT_CARD_FAILED, MYNACARD_INPUT_CONTINUE,
    MYNACARD_INPUT_FACE, MYNACARD_INPUT_RESPONSE, MYNACARD_INPUT_START, MYNACARD_STEP_COMPARE_FACE,
    MYNACARD_STEP_DONE, MYNACARD_STEP_GUIDE, MYNACARD_STEP_SEND, MynacardFlow, MynacardInput,
    MynacardStep, mynacard_flow_free, mynacard_flow_new, mynacard_flow_resume,
};
pub use transport::{
    MYNACARD_TRANSMIT_CANCELLED, MYNACARD_TRANSMIT_CARD_REMOVED, MYNACARD_TRANSMIT_NO_CARD,
    MYNACARD_TRANSMIT_OK, MYNACARD_TRANSMIT_READER_UNAVAILABLE, MYNACARD_TRANSMIT_TIMEOUT,
    MynacardTransport, MynacardVirtualCard, mynacard_virtual_card_free, mynacard_virtual_card_new,
    mynacard_virtual_card_transmit,
};
