//! Signed PDFs (`adbe.pkcs7.detached`, `ETSI.CAdES.detached`): [`verify_pdf`] finds every
//! signature dictionary, checks that each ByteRange covers its revision of the file except
//! its own /Contents, verifies each CMS over its ranges, and reports bytes appended after the
//! last signed revision (an incremental update) instead of calling the document signed.

use alloc::vec::Vec;
use core::ops::Range;

use super::pdf_syntax::{self, Dict, Reader, Value};
use super::verify::verify_cms_parts;
use super::{CmsVerifyOptions, DocumentError, SignedDocument};
use crate::pki::{RevocationSource, TrustStore, UnixTime};

/// Signature dictionaries read at most (more is refused).
pub const MAX_PDF_SIGNATURES: usize = 64;
/// How far back from a /ByteRange key its dictionary's `<<` is looked for.
const DICT_WINDOW: usize = 64 << 10;
/// `<<` candidates tried per /ByteRange.
const DICT_CANDIDATES: usize = 64;

/// The /SubFilter of a signature dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubFilter {
    /// `adbe.pkcs7.detached`.
    AdbePkcs7Detached,
    /// `ETSI.CAdES.detached` (PAdES).
    EtsiCadesDetached,
    /// Another value (`adbe.pkcs7.sha1`, `ETSI.RFC3161` document time-stamps…): not verified.
    Other,
    /// No /SubFilter.
    Missing,
}

impl SubFilter {
    /// `"adbe.pkcs7.detached"`, `"ETSI.CAdES.detached"`, `"other"`, `"missing"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::AdbePkcs7Detached => "adbe.pkcs7.detached",
            Self::EtsiCadesDetached => "ETSI.CAdES.detached",
            Self::Other => "other",
            Self::Missing => "missing",
        }
    }
}

/// One signature dictionary of a PDF and what became of it.
#[derive(Debug, Clone)]
pub struct PdfSignature {
    /// Offset of its `/ByteRange` key in the file.
    pub offset: usize,
    /// The /SubFilter.
    pub sub_filter: SubFilter,
    /// The ByteRange `[0, a, b, c]`, when it is four non-negative integers.
    pub byte_range: Option<[usize; 4]>,
    /// The end of the revision it signs (`b + c`), when the ByteRange covers it.
    pub revision_end: Option<usize>,
    /// The verified signature, or why it was refused.
    pub outcome: Result<SignedDocument, DocumentError>,
}

/// The overall verdict on a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfVerdict {
    /// Every signature verified, each ByteRange covers its revision, and the last covers the
    /// whole file.
    Signed,
    /// The PDF has no signature dictionary.
    Unsigned,
    /// A signature was refused: the first one (in file order) and its error code.
    SignatureRefused {
        /// Index in [`PdfReport::signatures`].
        index: usize,
        /// Its [`DocumentError::code`].
        code: &'static str,
    },
    /// Every signature verified, but bytes were appended after the last signed revision (an
    /// incremental update nobody signed): the signatures say nothing about them.
    ModifiedAfterSigning {
        /// Where the unsigned bytes start (the end of the last signed revision).
        signed_until: usize,
        /// How many bytes follow.
        appended_bytes: usize,
    },
}

impl PdfVerdict {
    /// `"signed"`, `"unsigned"`, `"signature_refused"`, `"modified_after_signing"`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Signed => "signed",
            Self::Unsigned => "unsigned",
            Self::SignatureRefused { .. } => "signature_refused",
            Self::ModifiedAfterSigning { .. } => "modified_after_signing",
        }
    }
}

/// What [`verify_pdf`] found: every signature, each with its own outcome, and the verdict.
#[derive(Debug, Clone)]
pub struct PdfReport {
    signatures: Vec<PdfSignature>,
    file_len: usize,
}

impl PdfReport {
    /// The signatures, in file order.
    pub fn signatures(&self) -> &[PdfSignature] {
        &self.signatures
    }

    /// The verdict: [`PdfVerdict::Signed`] only when every signature verified and the last
    /// signed revision ends at the end of the file.
    pub fn verdict(&self) -> PdfVerdict {
        if self.signatures.is_empty() {
            return PdfVerdict::Unsigned;
        }
        if let Some((index, e)) = self
            .signatures
            .iter()
            .enumerate()
            .find_map(|(i, s)| s.outcome.as_ref().err().map(|e| (i, e)))
        {
            return PdfVerdict::SignatureRefused {
                index,
                code: e.code(),
            };
        }
        let signed_until = self
            .signatures
            .iter()
            .filter_map(|s| s.revision_end)
            .max()
            .unwrap_or(0);
        if signed_until < self.file_len {
            PdfVerdict::ModifiedAfterSigning {
                signed_until,
                appended_bytes: self.file_len - signed_until,
            }
        } else {
            PdfVerdict::Signed
        }
    }

    /// Serialises the report (feature `serde`), **each verified signer's name, address,
    /// birth date and sex included** (as
    /// [`SignedDocument::serialize_disclosing_attributes`]): send it only where the purpose
    /// of the signatures lets it go, never to a log.
    ///
    /// Shape: `{"verdict": {"code": "signed" | "unsigned"} | {"code": "signature_refused",
    /// "index", "error": <code>} | {"code": "modified_after_signing", "signed_until",
    /// "appended_bytes"}, "signatures": [{"offset", "sub_filter", "byte_range",
    /// "revision_end", "signed": <SignedDocument> | "error": {"code", "message"}}]}`.
    #[cfg(feature = "serde")]
    pub fn serialize_disclosing_attributes<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::serde_out::serialize_pdf_report(self, serializer)
    }

    /// The verified signatures, when the verdict is [`PdfVerdict::Signed`].
    pub fn signed(&self) -> Option<Vec<&SignedDocument>> {
        (self.verdict() == PdfVerdict::Signed).then(|| {
            self.signatures
                .iter()
                .filter_map(|s| s.outcome.as_ref().ok())
                .collect()
        })
    }
}

/// Verifies every signature of a PDF (see the module docs of [`super`] for what is checked)
/// and reports each with its own outcome. Fails only when the bytes are not a PDF, or hold
/// more than [`MAX_PDF_SIGNATURES`] signature dictionaries.
pub fn verify_pdf(
    pdf: &[u8],
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    options: &CmsVerifyOptions,
    now: UnixTime,
) -> Result<PdfReport, DocumentError> {
    crate::trace::decision(
        "document.pdf",
        |r: &PdfReport| r.verdict().code(),
        DocumentError::code,
        || {
            let signatures = signature_keys(pdf)?
                .into_iter()
                .map(|at| signature_at(pdf, at, trust, revocation, options, now))
                .collect();
            Ok(PdfReport {
                signatures,
                file_len: pdf.len(),
            })
        },
    )
}

/// The dictionaries and ByteRange checks of [`verify_pdf`], without CMS verification.
pub(crate) fn scan(pdf: &[u8]) -> Result<Vec<Result<usize, DocumentError>>, DocumentError> {
    let keys = signature_keys(pdf)?;
    Ok(keys
        .into_iter()
        .map(|at| {
            let dict = enclosing_dict(pdf, at).ok_or(no_dictionary(at))?;
            let br = byte_range(dict.get(pdf, b"ByteRange"));
            let (contents, _, end) = signed_revision(pdf, at, &dict, br)?;
            contents_der(pdf, contents)?;
            Ok(end)
        })
        .collect())
}

/// The offsets of the file's `/ByteRange` keys, one per signature dictionary (bounded).
fn signature_keys(pdf: &[u8]) -> Result<Vec<usize>, DocumentError> {
    check_is_pdf(pdf)?;
    pdf_syntax::find_all(pdf, b"/ByteRange", MAX_PDF_SIGNATURES).ok_or(DocumentError::TooLarge {
        what: "PDF signature dictionaries",
        limit: MAX_PDF_SIGNATURES,
    })
}

fn no_dictionary(at: usize) -> DocumentError {
    DocumentError::PdfMalformed {
        at,
        detail: "no dictionary holds this /ByteRange",
    }
}

/// The dictionary's /Contents string, its ByteRange, and the end of the revision that
/// ByteRange covers ([`covered_revision`]).
fn signed_revision(
    pdf: &[u8],
    at: usize,
    dict: &Dict,
    byte_range: Option<[usize; 4]>,
) -> Result<(Range<usize>, [usize; 4], usize), DocumentError> {
    let Some(Value::Hex(contents)) = dict.get(pdf, b"Contents") else {
        return Err(DocumentError::PdfMalformed {
            at,
            detail: "/Contents is not a hex string",
        });
    };
    let br = byte_range.ok_or(DocumentError::ByteRangeNotCovering {
        detail: "not four non-negative integers",
    })?;
    let end = covered_revision(pdf, br, contents)?;
    Ok((contents.clone(), br, end))
}

pub(crate) fn check_is_pdf(pdf: &[u8]) -> Result<(), DocumentError> {
    let head = pdf.get(..pdf.len().min(1024)).unwrap_or_default();
    if pdf_syntax::find_all(head, b"%PDF-", 1).is_none_or(|v| v.is_empty()) {
        return Err(DocumentError::NotPdf {
            detail: "no %PDF- header in the first 1024 bytes",
        });
    }
    if pdf_syntax::rfind(pdf, b"%%EOF", pdf.len()).is_none() {
        return Err(DocumentError::NotPdf {
            detail: "no %%EOF marker",
        });
    }
    Ok(())
}

/// The dictionary whose top-level /ByteRange key is at `key_at`: the nearest `<<` before it
/// that opens a dictionary holding that key.
pub(crate) fn enclosing_dict(pdf: &[u8], key_at: usize) -> Option<Dict> {
    let floor = key_at.saturating_sub(DICT_WINDOW);
    let mut end = key_at;
    for _ in 0..DICT_CANDIDATES {
        let c = pdf_syntax::rfind(pdf, b"<<", end)?;
        if c < floor {
            return None;
        }
        if let Ok(d) = Reader::new(pdf, c).dict(0)
            && d.entries.iter().any(|(_, at, _)| *at == key_at)
        {
            return Some(d);
        }
        // The next candidate ends before this one's second `<` (`<<<` holds two).
        end = c + 1;
    }
    None
}

fn signature_at(
    pdf: &[u8],
    at: usize,
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    options: &CmsVerifyOptions,
    now: UnixTime,
) -> PdfSignature {
    let mut sig = PdfSignature {
        offset: at,
        sub_filter: SubFilter::Missing,
        byte_range: None,
        revision_end: None,
        outcome: Err(no_dictionary(at)),
    };
    let Some(dict) = enclosing_dict(pdf, at) else {
        return sig;
    };
    sig.sub_filter = match dict.get(pdf, b"SubFilter") {
        Some(Value::Name(n)) => match pdf.get(n.clone()) {
            Some(b"adbe.pkcs7.detached") => SubFilter::AdbePkcs7Detached,
            Some(b"ETSI.CAdES.detached") => SubFilter::EtsiCadesDetached,
            _ => SubFilter::Other,
        },
        _ => SubFilter::Missing,
    };
    sig.byte_range = byte_range(dict.get(pdf, b"ByteRange"));
    sig.outcome = (|| {
        let (contents, br, end) = signed_revision(pdf, at, &dict, sig.byte_range)?;
        sig.revision_end = Some(end);
        if !matches!(
            sig.sub_filter,
            SubFilter::AdbePkcs7Detached | SubFilter::EtsiCadesDetached
        ) {
            return Err(DocumentError::UnsupportedSubFilter);
        }
        let cms = contents_der(pdf, contents)?;
        let parts: [&[u8]; 2] = [
            pdf.get(..br[1]).unwrap_or_default(),
            pdf.get(br[2]..end).unwrap_or_default(),
        ];
        verify_cms_parts(&cms, Some(&parts), trust, revocation, options, now)
    })();
    sig
}

fn byte_range(v: Option<&Value>) -> Option<[usize; 4]> {
    let Some(Value::Array(items)) = v else {
        return None;
    };
    let mut out = [0usize; 4];
    if items.len() != 4 {
        return None;
    }
    for (o, i) in out.iter_mut().zip(items) {
        let Value::Int(n) = i else { return None };
        *o = usize::try_from(*n).ok()?;
    }
    Some(out)
}

/// Checks that `[0, a, b, c]` covers `pdf[..b + c]` except exactly this dictionary's
/// /Contents string, and that `b + c` ends a revision (`%%EOF`); returns `b + c`.
pub(crate) fn covered_revision(
    pdf: &[u8],
    br: [usize; 4],
    contents: &Range<usize>,
) -> Result<usize, DocumentError> {
    let fail = |detail| Err(DocumentError::ByteRangeNotCovering { detail });
    let [start, a, b, c] = br;
    if start != 0 {
        return fail("does not start at the beginning of the file");
    }
    if a != contents.start || b != contents.end {
        return fail("the gap is not exactly this signature's /Contents");
    }
    let Some(end) = b.checked_add(c).filter(|e| *e <= pdf.len()) else {
        return fail("extends past the end of the file");
    };
    let tail = pdf.get(..end).unwrap_or_default();
    let trimmed = tail
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0))
        .map_or(0, |i| i + 1);
    if !tail.get(..trimmed).unwrap_or_default().ends_with(b"%%EOF") {
        return fail("does not end at the end of a revision (%%EOF)");
    }
    Ok(end)
}

/// The DER in a /Contents hex string: one element, then only zero padding.
fn contents_der(pdf: &[u8], contents: Range<usize>) -> Result<Vec<u8>, DocumentError> {
    let raw = pdf_syntax::decode_hex(pdf, contents.clone());
    let bad = |detail| DocumentError::PdfMalformed {
        at: contents.start,
        detail,
    };
    // A SEQUENCE whose whole length fits: the crate's TLV header reader sizes it.
    let len = Some(&raw)
        .filter(|r| r.first() == Some(&0x30))
        .and_then(|r| crate::tlv::Header::parse(r).ok())
        .map(|h| h.total_len())
        .filter(|&total| total <= raw.len())
        .ok_or(bad("/Contents does not start with a DER element"))?;
    let (der, padding) = raw.split_at(len.min(raw.len()));
    if padding.iter().any(|b| *b != 0) {
        return Err(bad("/Contents has non-zero bytes after its DER element"));
    }
    Ok(der.to_vec())
}
