//! The My Number Card model: applications, files, PINs, and typed operations on
//! the JPKI AP, the 券面事項入力補助AP and the 券面事項確認AP.
//!
//! Two layers:
//! - **sans-IO** types: the card's model ([`JpkiCertificateKind`], [`KeyRef`],
//!   [`TokenKind`]), PINs ([`Pin`], [`SignPassword`], [`VerificationNumberA`],
//!   [`VerificationNumberB`]), the files it returns ([`JpkiCertificate`],
//!   [`BasicFourInfo`], [`CardFace`], [`TokenInfo`], [`CvCertificate`]) and what
//!   to sign ([`SignInput`]) — the flows' state machines reuse them;
//!   the raw parsers are in [`crate::internal`] for fuzzing and research;
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

pub(crate) mod card_proof;
pub(crate) mod common_ap;
pub(crate) mod contact_atr;
pub(crate) mod cv_certificate;
pub(crate) mod cv_trust;
pub(crate) mod digest_info;
mod driver;
mod error;
pub(crate) mod files;
pub(crate) mod jpki;
pub(crate) mod kenhojo;
pub(crate) mod kenkaku;
pub(crate) mod model;
pub(crate) mod pin;
pub(crate) mod pin_status;
pub(crate) mod recognise;
pub(crate) mod token;

pub use card_proof::{
    CardProofError, CardProofEvidence, ProvenCard, TAG_CHAIN_LOWER, TAG_CHAIN_UPPER, proof_commands,
};
pub use common_ap::{CardInfoError, CommonCardInfo};
pub use contact_atr::{AtrError, ContactAtr};
pub use cv_certificate::{Check, CvCertificate, CvChainError, IntegrityCheck};
pub use cv_trust::{CvCaKey, CvHierarchy, CvTrust};
pub use digest_info::{DigestLengthError, HashAlgorithm, SignInput};
pub use driver::{Card, CardOptions, KenhojoCredential, KenkakuCredential};
pub use error::{CardError, FileError, FileErrorKind, FormatError, PinError};
pub use jpki::{JpkiCertificate, SignAddressing};
pub use kenhojo::{BasicFourFile, BasicFourInfo, IntegrityRecord, IntegrityReport};
pub use kenkaku::{CardFace, CardFaceFile, FaceImage, FaceSignatureReport};
pub use model::{Application, JpkiCertificateKind, JpkiKey, KeyRef, TokenKind};
pub use pin::{
    BirthDateKey, Pin, PinFormatError, Secret, SignPassword, VerificationNumberA,
    VerificationNumberB,
};
pub use pin_status::{LastTry, LastTryGuard, PinStatus};
pub use recognise::{AtrHint, NotMyNumberCard, NotMyNumberReason, Recognition, recognise};
pub use token::{Availability, CertAvailability, TokenInfo};

/// The raw parsers and checks, re-exported by [`crate::internal`].
pub(crate) mod internal {
    pub use super::common_ap::{MAX_CHALLENGE, internal_authenticate};
    pub use super::jpki::parse_signature;
    pub use super::kenhojo::EF4 as KENHOJO_EF4;
    pub use super::kenhojo::{check_integrity, parse_basic_four, parse_my_number};
    pub use super::kenkaku::EF4 as KENKAKU_EF4;
    pub use super::kenkaku::{check_face, face_digest_info, parse_card_face};
    pub use super::pin_status::{guard, parse_verify, status_after_verify};
}
