//! **Unstable, for fuzzing and research.** Low-level parsers and checks of untrusted
//! bytes that the public API runs for you (through [`Card`](crate::Card), the flows and
//! [`verify_presentation`](crate::verify_presentation)).
//!
//! Like rustls' `internal` module, nothing here is covered by semver: names, signatures
//! and behaviour may change in any release. The fuzz targets (`fuzz/src/targets.rs`) and
//! the robustness tests call these directly so that every parser of untrusted bytes is
//! reachable with arbitrary input; an application should use the typed entry points
//! instead.

pub use crate::card::internal::{
    KENHOJO_EF4, KENKAKU_EF4, MAX_CHALLENGE, check_face, check_integrity, face_digest_info, guard,
    internal_authenticate, parse_basic_four, parse_card_face, parse_my_number, parse_signature,
    parse_verify, status_after_verify,
};
pub use crate::document::internal::{parse_cms_unverified, scan_pdf_signatures};
pub use crate::mdoc::internal::{mdoc_cbor_cose, mdoc_engagement, mdoc_handover, mdoc_session};
pub use crate::pki::internal::{parse_crl_unverified, parse_ocsp_response_unverified};
#[cfg(feature = "terminal-files")]
pub use crate::terminal::names::parse_answer;
