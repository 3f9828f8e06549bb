//! Signing a PDF, minimally: [`prepare_pdf_signature`] appends an incremental update (a
//! signature dictionary with a zero-filled /Contents placeholder, an invisible signature
//! field, the catalog with its /AcroForm, a cross-reference section) and fixes the
//! ByteRange; [`PdfPlaceholder::fill`] writes the CMS into the placeholder.
//! [`sign_pdf_with_card`] does both around the card. The original bytes are never changed.
//!
//! Minimal means: the catalog must be a plain dictionary whose /AcroForm, if any, is a
//! direct dictionary (what this writer itself produces); other PDFs are refused with
//! [`DocumentError::PdfNotPreparable`].

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::DocumentError;
use super::pdf::check_is_pdf;
use super::pdf_syntax::{self, Reader, Value};
use super::sign::{CmsSigner, sign_prepared, unlock_sign_key};
use crate::card::{Card, HashAlgorithm, LastTry, SignPassword};
use crate::pki::UnixTime;
use crate::transport::Transport;

/// Bytes reserved for the CMS in the placeholder (written as twice as many hex digits).
pub const PLACEHOLDER_BYTES: usize = 8192;
/// Width of the ByteRange array as written (`[0 a b c]` padded with spaces).
const BYTE_RANGE_WIDTH: usize = 48;

/// A PDF with an incremental update holding an empty signature: hash
/// [`PdfPlaceholder::signed_parts`], sign, then [`PdfPlaceholder::fill`].
#[derive(Debug, Clone)]
pub struct PdfPlaceholder {
    pdf: Vec<u8>,
    byte_range: [usize; 4],
}

impl PdfPlaceholder {
    /// The two byte ranges the signature covers (everything but the /Contents string).
    pub fn signed_parts(&self) -> [&[u8]; 2] {
        let [_, a, b, c] = self.byte_range;
        [
            self.pdf.get(..a).unwrap_or_default(),
            self.pdf.get(b..b + c).unwrap_or_default(),
        ]
    }

    /// SHA-256 of [`PdfPlaceholder::signed_parts`], for [`CmsSigner::for_digest`].
    pub fn sha256(&self) -> Vec<u8> {
        HashAlgorithm::Sha256.hash_parts(&self.signed_parts())
    }

    /// The ByteRange written.
    pub fn byte_range(&self) -> [usize; 4] {
        self.byte_range
    }

    /// Writes the DER CMS into the placeholder; returns the signed PDF.
    pub fn fill(mut self, cms: &[u8]) -> Result<Vec<u8>, DocumentError> {
        if cms.len() > PLACEHOLDER_BYTES {
            return Err(DocumentError::PlaceholderTooSmall {
                needed: cms.len(),
                reserved: PLACEHOLDER_BYTES,
            });
        }
        let start = self.byte_range[1] + 1;
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for (i, b) in cms.iter().enumerate() {
            if let Some(slot) = self.pdf.get_mut(start + 2 * i..start + 2 * i + 2) {
                slot.copy_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
        }
        Ok(self.pdf)
    }
}

fn not_preparable(detail: &'static str) -> DocumentError {
    DocumentError::PdfNotPreparable { detail }
}

/// Appends the signature's incremental update to `pdf` (see the module docs).
/// `signing_time` goes to the signature dictionary's /M (the signer's claim).
pub fn prepare_pdf_signature(
    pdf: &[u8],
    signing_time: UnixTime,
) -> Result<PdfPlaceholder, DocumentError> {
    check_is_pdf(pdf)?;
    let sx =
        pdf_syntax::rfind(pdf, b"startxref", pdf.len()).ok_or(not_preparable("no startxref"))?;
    let mut r = Reader::new(pdf, sx + b"startxref".len());
    let prev = match r.value(0) {
        Ok(Value::Int(n)) if n >= 0 => n,
        _ => return Err(not_preparable("startxref is not an offset")),
    };
    // The trailer: a classic `trailer` dictionary, or the xref stream's dictionary.
    let trailer_at = match pdf_syntax::rfind(pdf, b"trailer", sx) {
        Some(t) if usize::try_from(prev).is_ok_and(|p| t > p) => t + b"trailer".len(),
        _ => {
            let p = usize::try_from(prev).map_err(|_| not_preparable("bad startxref"))?;
            object_dict_start(pdf, p).ok_or(not_preparable("no trailer"))?
        }
    };
    let trailer = Reader::new(pdf, trailer_at)
        .dict(0)
        .map_err(|_| not_preparable("trailer is not a dictionary"))?;
    let Some(&Value::Ref(root, root_gen)) = trailer.get(pdf, b"Root") else {
        return Err(not_preparable("trailer has no /Root"));
    };
    let size = match trailer.get(pdf, b"Size") {
        Some(&Value::Int(n)) => u32::try_from(n).map_err(|_| not_preparable("bad /Size"))?,
        _ => return Err(not_preparable("trailer has no /Size")),
    };
    let catalog_at = find_object(pdf, root, root_gen).ok_or(not_preparable("no catalog"))?;
    let catalog = Reader::new(pdf, catalog_at)
        .dict(0)
        .map_err(|_| not_preparable("catalog is not a dictionary"))?;

    // The catalog again, with the new field in its /AcroForm.
    let (sig, widget) = (size, size + 1);
    let mut fields = String::new();
    let mut body = String::from("<<");
    let ends: Vec<usize> = catalog
        .entries
        .iter()
        .skip(1)
        .map(|(_, at, _)| *at)
        .chain([catalog.span.end - 2])
        .collect();
    for ((key, at, value), end) in catalog.entries.iter().zip(ends) {
        if pdf.get(key.clone()) == Some(b"AcroForm".as_slice()) {
            let Value::Dict(form) = value else {
                return Err(not_preparable("/AcroForm is not a direct dictionary"));
            };
            if let Some(Value::Array(items)) = form.get(pdf, b"Fields") {
                for item in items {
                    let Value::Ref(n, g) = item else {
                        return Err(not_preparable("/Fields holds a non-reference"));
                    };
                    let _ = write!(fields, "{n} {g} R ");
                }
            }
            continue;
        }
        let raw = pdf.get(*at..end).unwrap_or_default();
        body.push(' ');
        body.push_str(core::str::from_utf8(raw).map_err(|_| not_preparable("catalog bytes"))?);
    }
    let _ = write!(
        body,
        " /AcroForm << /Fields [{fields}{widget} 0 R] /SigFlags 3 >> >>"
    );

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let sig_off = out.len();
    out.extend_from_slice(
        format!(
            "{sig} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M ({}) /ByteRange ",
            pdf_date(signing_time)
        )
        .as_bytes(),
    );
    let br_at = out.len();
    out.extend_from_slice(&[b' '; BYTE_RANGE_WIDTH]);
    out.extend_from_slice(b" /Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.extend(core::iter::repeat_n(b'0', 2 * PLACEHOLDER_BYTES));
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(b" >>\nendobj\n");
    let widget_off = out.len();
    out.extend_from_slice(
        format!(
            "{widget} 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature{sig}) /V {sig} 0 R /F 132 /Rect [0 0 0 0] >>\nendobj\n"
        )
        .as_bytes(),
    );
    let root_off = out.len();
    out.extend_from_slice(format!("{root} {root_gen} obj\n{body}\nendobj\n").as_bytes());
    let xref_off = out.len();
    out.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{sig} 2\n{sig_off:010} 00000 n \n{widget_off:010} 00000 n \n{root} 1\n{root_off:010} {root_gen:05} n \ntrailer\n<< /Size {} /Root {root} {root_gen} R /Prev {prev} >>\nstartxref\n{xref_off}\n%%EOF\n",
            widget + 1
        )
        .as_bytes(),
    );
    let byte_range = [0, contents_at, contents_end, out.len() - contents_end];
    let text = format!("[0 {} {} {}]", byte_range[1], byte_range[2], byte_range[3]);
    let slot = out
        .get_mut(br_at..br_at + BYTE_RANGE_WIDTH)
        .ok_or(not_preparable("layout"))?;
    let Some(head) = slot.get_mut(..text.len()) else {
        return Err(not_preparable("ByteRange does not fit"));
    };
    head.copy_from_slice(text.as_bytes());
    Ok(PdfPlaceholder {
        pdf: out,
        byte_range,
    })
}

/// `D:YYYYMMDDHHmmSSZ`.
fn pdf_date(t: UnixTime) -> String {
    match der::DateTime::from_unix_duration(core::time::Duration::from_secs(t.as_secs())) {
        Ok(d) => format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minutes(),
            d.seconds()
        ),
        Err(_) => String::from("D:19700101000000Z"),
    }
}

/// Where the dictionary of the object at `offset` (`n g obj <<…`) starts.
fn object_dict_start(pdf: &[u8], offset: usize) -> Option<usize> {
    let rest = pdf.get(offset..offset.checked_add(64)?.min(pdf.len()))?;
    let obj = pdf_syntax::find_all(rest, b"obj", 1)?.first().copied()?;
    Some(offset + obj + 3)
}

/// The dictionary start of the last `n g obj` in the file.
fn find_object(pdf: &[u8], n: u32, g: u16) -> Option<usize> {
    let needle = format!("{n} {g} obj");
    let mut end = pdf.len();
    loop {
        let at = pdf_syntax::rfind(pdf, needle.as_bytes(), end)?;
        let boundary = at == 0
            || pdf
                .get(at - 1)
                .is_some_and(|b| matches!(b, b'\n' | b'\r' | b' '));
        if boundary {
            return Some(at + needle.len());
        }
        end = at + needle.len() - 1;
    }
}

/// Signs a PDF with the card's 署名用 key (sign password through the lockout guard): an
/// `ETSI.CAdES.detached` signature in an incremental update; returns the signed PDF.
pub fn sign_pdf_with_card<T: Transport>(
    card: &mut Card<T>,
    password: &SignPassword,
    pdf: &[u8],
    signing_time: UnixTime,
    last_try: LastTry,
) -> Result<Vec<u8>, DocumentError> {
    let placeholder = prepare_pdf_signature(pdf, signing_time)?;
    let certificate = unlock_sign_key(card, password, last_try)?;
    let signer = CmsSigner::for_digest(&certificate, &placeholder.sha256(), None)?;
    let cms = sign_prepared(card, signer)?;
    placeholder.fill(&cms)
}
