//! 署名用 signatures in documents: CMS SignedData made with the card's 署名用 key
//! ([`sign_cms_with_card`], or [`CmsSigner`] for a caller that drives the card itself) and
//! verified to the J-LIS signature roots ([`verify_cms`]); signed PDFs ([`verify_pdf`],
//! [`sign_pdf_with_card`]). Sans-IO: time, trust anchors and revocation data are arguments.
//!
//! # What [`verify_cms`] checks
//!
//! | Check | Refusal code |
//! |---|---|
//! | DER `ContentInfo` → `SignedData`, exactly one `SignerInfo`, bounded ([`CmsLimits`]) | `document.malformed`, `document.not_signed_data`, `document.signer_count`, `document.too_large` |
//! | signed attributes present; one `contentType` (= the encapsulated type) and one `messageDigest` (= the digest of the content, attached or given) | `document.no_signed_attributes`, `document.missing_attribute`, `document.attribute_not_single`, `document.content_type_mismatch`, `document.message_digest_mismatch`, `document.content_missing`, `document.content_given_twice` |
//! | digest SHA-256/384/512; signature `rsaEncryption` (what jpki/myna writes) or `shaNNNWithRSAEncryption` of the same hash; SHA-1 refused | `document.sha1_refused`, `document.unsupported_digest_algorithm`, `document.unsupported_signature_algorithm`, `document.algorithm_mismatch` |
//! | the signer's certificate, by IssuerAndSerialNumber or SubjectKeyIdentifier, among the SignedData's certificates | `document.signer_certificate_not_found` |
//! | the certificate: a 署名用 certificate chained to the [`TrustStore`](crate::pki::TrustStore) (J-LIS roots, or the store given), keyUsage digitalSignature + nonRepudiation, at the verification time or at the signature's signingTime ([`CheckTime`]; the result says which) | the PKI's code: `pki.expired`, `pki.wrong_key_usage`, `pki.unknown_issuer`, `pki.wrong_policy`, …; `document.no_signing_time` |
//! | signingCertificateV2 (CAdES), when present, names that certificate | `document.signing_certificate_mismatch` |
//! | the key's signature over the **DER** signed attributes (a SET, RFC 5652 §5.4: re-ordering them changes nothing; a signature over another order is refused, as OpenSSL refuses it) | `document.signature_invalid` |
//! | revocation through any [`RevocationSource`](crate::pki::RevocationSource) (CRLs, partitions, OCSP) at the verification time | `pki.revoked`; `pki.revocation_not_checked` unless [`RevocationRequirement::BestEffort`](crate::pki::RevocationRequirement) |
//!
//! The result, [`SignedDocument`], carries the holder's 基本4情報 (name, address, birth date,
//! sex, substitute-character flags), the certificate and the revocation evidence; it is
//! zeroized on drop, its `Debug` redacts, and it serialises only through
//! [`SignedDocument::serialize_disclosing_attributes`]. The signingTime is reported **as
//! claimed**: nothing authenticates it.
//!
//! # Signed PDFs
//!
//! [`verify_pdf`] finds every signature dictionary (a bounded scanner of the few PDF objects
//! needed, never a full PDF parser), and for each: /SubFilter `adbe.pkcs7.detached` or
//! `ETSI.CAdES.detached`; a ByteRange `[0 a b c]` whose gap is exactly that dictionary's own
//! /Contents and whose end is the end of a revision (`%%EOF`); the CMS in /Contents (DER,
//! then only zero padding) verified as above over the two ranges. Each signature gets its own
//! outcome; [`PdfReport::verdict`] is [`PdfVerdict::Signed`] only when all verified **and**
//! the last signed revision ends at the end of the file — bytes appended after it (an
//! incremental update: new pages, changed form values, a second unchecked signature) give
//! [`PdfVerdict::ModifiedAfterSigning`] instead, with their offset and length. These are the
//! cases of jpki/myna's May 2026 advisories (an expired or wrong-key-usage certificate
//! accepted; an incremental update adding a second, unchecked signature).
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynacard::card::{Card, LastTry, SignPassword};
//! use mynacard::document::{self, CmsVerifyOptions, PdfVerdict};
//! use mynacard::pki::{CrlIndex, CrlLimits, TrustStore, test_pki};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF\n";
//! // The holder signs (a TEST card here; a PC/SC reader in production).
//! let mut card = Card::new(mynacard::VirtualCard::test_holder("yamada")?);
//! let password = SignPassword::new("YAMADA2024")?;
//! let signed = document::sign_pdf_with_card(
//!     &mut card, &password, pdf, test_pki::REFERENCE_TIME, LastTry::Refuse)?;
//!
//! // The business verifies.
//! let trust = TrustStore::test_only_mynacard_test_pki()?; // production: TrustStore::jlis()?
//! let crl = CrlIndex::from_der(
//!     include_bytes!("../../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der"),
//!     &trust,
//!     CrlLimits::default(),
//! )?;
//! let report = document::verify_pdf(
//!     &signed, &trust, &crl, &CmsVerifyOptions::strict(), test_pki::REFERENCE_TIME)?;
//! assert_eq!(report.verdict(), PdfVerdict::Signed);
//! let signers = report.signed().expect("signed");
//! assert_eq!(signers[0].holder().name(), "山田　太郎");
//! # Ok(()) }
//! # main().unwrap();
//! # }
//! ```
//!
//! # What the law asks of a business that verifies signatures
//!
//! 公的個人認証法 (電子署名等に係る地方公共団体情報システム機構の認証業務に関する法律,
//! 平成14年法律第153号; e-Gov law id `414AC0000000153`, text as amended by 令和6年法律第59号):
//!
//! - **§17(1)**: only the bodies it lists — administrative organs, courts, certified
//!   certification businesses, and businesses certified by the Minister for Internal Affairs
//!   (the "platform operators", and the service providers that entrust verification wholly
//!   to one) — may become 署名検証者, and must **notify J-LIS in advance** to receive the
//!   revocation information (CRLs, OCSP) of 署名用 certificates. A company that is none of
//!   these verifies through a platform operator.
//! - **§19** (the duty §52 refers to): a 署名検証者 that receives a signed document and the
//!   signer's certificate confirms that the certificate has **not lost its effect**
//!   (revocation) and that the signature was made with the key the certificate certifies —
//!   [`verify_cms`] with a J-LIS revocation source and [`RevocationRequirement::Required`](crate::pki::RevocationRequirement).
//! - **§52**: the revocation information received may be used only for that confirmation,
//!   never for another purpose nor given to others; the verification key likewise serves only
//!   to check that signature (§20(3), §21(2) for 団体署名検証者 / 署名確認者).
//!
//! The 基本4情報 in the result are personal data: keep them only for the purpose the
//! signature serves (個人情報保護法), never in a log.
//!
//! Sources: the law's text on iuris.jp (§20, §21, §52, in force 2024-06-21) and the §17(1)
//! text quoted in cyberlawissues.hatenablog.com (2021-09-05); J-LIS's procedure page for
//! verifiers (j-lis.go.jp/jpki/procedure/procedure1_2.html), as summarised in the crate's
//! JPKI fact sheet (§A3.3).
//!
//! # The CMS structures
//!
//! Derived on der 0.8 (as OCSP's are), not RustCrypto's `cms` crate: its der-0.8 generation
//! is `0.3.0-rc.0`, a release candidate (a published library would have to pin it exactly,
//! and RustCrypto release candidates change their API between candidates); it turns on der's
//! `ber` feature and const-oid's OID database for every user; and this module needs seven
//! structures, with the certificates kept as read.

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
pub use pdf::{MAX_PDF_SIGNATURES, PdfReport, PdfSignature, PdfVerdict, SubFilter, verify_pdf};
pub use pdf_sign::{PLACEHOLDER_BYTES, PdfPlaceholder, prepare_pdf_signature, sign_pdf_with_card};
pub use sign::{CmsSigner, Encapsulation, sign_cms_with_card};
pub use signed::{CheckTime, SignedDocument};
pub use verify::{CmsLimits, CmsVerifyOptions, Content, verify_cms};

/// The raw parsers, re-exported by [`crate::internal`] for fuzzing.
pub(crate) mod internal {
    use super::DocumentError;

    /// Parses a CMS SignedData, its one SignerInfo and its signed attributes — no
    /// certificate, digest or signature check.
    pub fn parse_cms_unverified(cms: &[u8]) -> Result<(), DocumentError> {
        super::verify::parse_unverified(cms)
    }

    /// Finds a PDF's signature dictionaries and checks each ByteRange against its own
    /// /Contents and revision — no CMS verification. One entry per `/ByteRange` key: the
    /// end of the revision it covers, or why not.
    pub fn scan_pdf_signatures(
        pdf: &[u8],
    ) -> Result<Vec<Result<usize, DocumentError>>, DocumentError> {
        super::pdf::scan(pdf)
    }
}
