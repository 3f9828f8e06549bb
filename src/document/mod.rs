//! 署名用 signatures in documents: CMS SignedData made with the card's 署名用 key
//! ([`sign_cms_with_card`], [`CmsSigner`]) and verified to the J-LIS signature roots
//! ([`verify_cms`]), and signed PDFs ([`verify_pdf`]).

mod asn1;
mod error;
mod pdf;
mod pdf_sign;
mod pdf_syntax;
#[cfg(feature = "serde")]
mod serde_out;
mod sign;
mod signed;
mod verify;

pub use error::DocumentError;
pub use pdf::{
    MAX_PDF_SIGNATURES, PdfReport, PdfSignature, PdfVerdict, SubFilter, verify_pdf,
};
pub use pdf_sign::{
    PLACEHOLDER_BYTES, PdfPlaceholder, prepare_pdf_signature, sign_pdf_with_card,
};
pub use sign::{CmsSigner, Encapsulation, sign_cms_with_card};
pub use signed::{CheckTime, SignedDocument};
pub use verify::{CmsLimits, CmsVerifyOptions, Content, verify_cms};
