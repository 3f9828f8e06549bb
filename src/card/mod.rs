//! The My Number Card model: applications, files, PINs, and typed operations on
//! the JPKI AP, the 券面事項入力補助AP and the 券面事項確認AP.
//!
//! Two layers:
//! - **sans-IO** builders and parsers in each module ([`model`], [`files`],
//!   [`pin_status`], [`jpki`], [`kenhojo`], [`kenkaku`], [`token`],
//!   [`digest_info`]): they build [`Command`](crate::apdu::Command)s and parse
//!   response data, and do no I/O — state machines reuse them;
//! - the blocking [`Card`] driver, which runs them over an
//!   [`Exchange`](crate::exchange::Exchange) with the fewest round trips.
//!
//! ```
//! use mynacard::card::{Card, JpkiCertificateKind};
//! use mynacard::transport::Transcript;
//! // SELECT JPKI AP, then READ BINARY by SFI; the card says "not found".
//! let t = Transcript::parse(
//!     "> 00A4040C0A D392F000260100000001\n< 9000\n> 00B08A0000\n< 6A82\n",
//! ).unwrap();
//! let mut card = Card::new(t);
//! let err = card.read_certificate(JpkiCertificateKind::Auth).unwrap_err();
//! assert_eq!(err.status(), Some(mynacard::apdu::StatusWord::FileNotFound));
//! ```

pub mod common_ap;
pub mod contact_atr;
pub mod cv_certificate;
pub mod cv_trust;
pub mod digest_info;
mod driver;
mod error;
pub mod files;
pub mod jpki;
pub mod kenhojo;
pub mod kenkaku;
pub mod model;
pub mod pin;
pub mod pin_status;
pub mod token;

pub use cv_certificate::CvChainError;
pub use cv_trust::{CvCaKey, CvTrust};
pub use driver::{Card, CardOptions, KenhojoCredential, KenkakuCredential};
pub use error::{CardError, FileError, FileErrorKind, FormatError, PinError};
pub use model::{Application, JpkiCertificateKind, JpkiKey, KeyRef, TokenKind};
pub use pin_status::{LastTry, PinStatus};
