//! The writer every eligibility file goes through: indented elements, text
//! escaped, unknown elements written back as they were read, into a zeroizing
//! buffer; Shift_JIS output is encoded in one pre-sized pass.
//!
//! Every write round-trips exactly or fails naming the field
//! ([`EligibilityError::NotWritable`]): a character XML 1.0 forbids
//! (U+0000–U+001F but tab, LF, CR; U+FFFE, U+FFFF) is refused anywhere; in
//! Shift_JIS, a character that would read back as another
//! ([`SHIFT_JIS_CHANGED`]: U+2212 → U+FF0D …) is refused anywhere, and a
//! character Shift_JIS lacks is written as a character reference in text
//! (read back unchanged) but refused inside a kept unknown element (where a
//! reference would change the element as written, or break its tag).

use super::codes::CharacterCode;
use super::error::EligibilityError;
use super::unknown::{Parent, UnknownElements};
use super::zbuf::ZBuf;
use alloc::borrow::ToOwned;
use alloc::vec::Vec;

/// The characters Shift_JIS (as `encoding_rs` writes it: the WHATWG
/// encoder) encodes to bytes that read back as another character: ¥ (as `\`),
/// ‾ (as `~`), − U+2212 (as － U+FF0D). Every other character either
/// round-trips or is unmappable (a test checks all of Unicode).
pub const SHIFT_JIS_CHANGED: [char; 3] = ['\u{A5}', '\u{203E}', '\u{2212}'];

pub(crate) use crate::xml_text::forbidden_char;

/// The byte offset of the first character of `s` Shift_JIS would read back
/// as another.
fn sjis_changed(s: &str) -> Option<usize> {
    if s.is_ascii() {
        return None;
    }
    s.char_indices()
        .find(|(_, c)| SHIFT_JIS_CHANGED.contains(c))
        .map(|(i, _)| i)
}

/// The byte offset of the first character of `s` Shift_JIS lacks.
fn sjis_unmappable(s: &str) -> Option<usize> {
    if s.is_ascii() {
        return None;
    }
    let mut encoder = encoding_rs::SHIFT_JIS.new_encoder();
    let mut scratch = [0u8; 256];
    let mut done = 0usize;
    let found = loop {
        let rest = s.get(done..).unwrap_or("");
        let (result, read, _) =
            encoder.encode_from_utf8_without_replacement(rest, &mut scratch, true);
        done += read;
        match result {
            encoding_rs::EncoderResult::InputEmpty => break None,
            encoding_rs::EncoderResult::OutputFull => {}
            encoding_rs::EncoderResult::Unmappable(c) => break Some(done - c.len_utf8()),
        }
    };
    zeroize::Zeroize::zeroize(&mut scratch);
    found
}

/// An XML document being written.
pub(crate) struct XmlOut {
    buf: ZBuf,
    depth: usize,
    encoding: XmlEncoding,
    /// The first value refused; `finish` returns it.
    refused: Option<EligibilityError>,
}

impl XmlOut {
    /// A document with a declaration naming `encoding`.
    pub(crate) fn new(encoding: XmlEncoding) -> Self {
        let label = match encoding {
            XmlEncoding::Utf8 => "UTF-8",
            XmlEncoding::ShiftJis => "Shift_JIS",
        };
        let mut buf = ZBuf::with_capacity(4096);
        buf.push_str("<?xml version=\"1.0\" encoding=\"");
        buf.push_str(label);
        buf.push_str("\" standalone=\"yes\"?>");
        Self {
            buf,
            depth: 0,
            encoding,
            refused: None,
        }
    }

    fn refuse(&mut self, field: &dyn Fn() -> String, reason: &'static str, offset: usize) {
        if self.refused.is_none() {
            self.refused = Some(EligibilityError::NotWritable {
                field: field(),
                reason,
                offset,
            });
        }
    }

    /// Checks a value before it is written (`kept`: a kept unknown element,
    /// where no character reference may stand in for a character).
    fn check(&mut self, field: &dyn Fn() -> String, text: &str, kept: bool) {
        if let Some(at) = forbidden_char(text) {
            self.refuse(field, "a character XML 1.0 forbids", at);
        } else if self.encoding == XmlEncoding::ShiftJis {
            if let Some(at) = sjis_changed(text) {
                self.refuse(field, "a character Shift_JIS reads back as another", at);
            } else if kept && let Some(at) = sjis_unmappable(text) {
                self.refuse(field, "a character Shift_JIS lacks, in a kept element", at);
            }
        }
    }

    fn line(&mut self) {
        self.buf.push_char('\n');
        for _ in 0..self.depth {
            self.buf.push_str("  ");
        }
    }

    /// `<name>` on a new line; what follows is nested.
    pub(crate) fn open(&mut self, name: &str) {
        self.line();
        self.buf.push_char('<');
        self.buf.push_str(name);
        self.buf.push_char('>');
        self.depth += 1;
    }

    /// `</name>` on a new line.
    pub(crate) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line();
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push_char('>');
    }

    /// `<name>text</name>`, the text escaped.
    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.check(&|| name.to_owned(), text, false);
        self.line();
        self.buf.push_char('<');
        self.buf.push_str(name);
        self.buf.push_char('>');
        let mut rest = text;
        while let Some(i) = rest.find(['&', '<', '>']) {
            self.buf.push_str(rest.get(..i).unwrap_or(""));
            self.buf.push_str(match rest.as_bytes().get(i) {
                Some(b'&') => "&amp;",
                Some(b'<') => "&lt;",
                _ => "&gt;",
            });
            rest = rest.get(i + 1..).unwrap_or("");
        }
        self.buf.push_str(rest);
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push_char('>');
    }

    /// A leaf when there is a value.
    pub(crate) fn opt(&mut self, name: &str, text: Option<&str>) {
        if let Some(t) = text {
            self.leaf(name, t);
        }
    }

    /// The unknown elements of the block being written, as they were read.
    pub(crate) fn unknown(&mut self, unknown: &UnknownElements) {
        for u in unknown.iter() {
            self.check(&|| u.path(), u.raw_xml(), true);
            self.line();
            self.buf.push_str(u.raw_xml());
        }
    }

    /// The unknown elements that sat under `parent`.
    pub(crate) fn unknown_under(&mut self, unknown: &UnknownElements, parent: Parent) {
        for u in unknown.under(parent) {
            self.check(&|| u.path(), u.raw_xml(), true);
            self.line();
            self.buf.push_str(u.raw_xml());
        }
    }

    /// The document's bytes in `encoding`, or the first value refused.
    /// Characters Shift_JIS cannot encode become numeric character references
    /// (in text only: see the module docs).
    pub(crate) fn finish(mut self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        if let Some(e) = self.refused.take() {
            return Err(e);
        }
        self.buf.push_char('\n');
        match encoding {
            XmlEncoding::Utf8 => Ok(self.buf.into_bytes()),
            XmlEncoding::ShiftJis => {
                let text = self.buf.as_str();
                let mut encoder = encoding_rs::SHIFT_JIS.new_encoder();
                // Worst case: a 4-byte character as `&#1114111;` (10 bytes).
                let mut out = Vec::with_capacity(text.len().saturating_mul(3).saturating_add(16));
                let (result, _, _) = encoder.encode_from_utf8_to_vec(text, &mut out, true);
                match result {
                    encoding_rs::CoderResult::InputEmpty => Ok(out),
                    encoding_rs::CoderResult::OutputFull => {
                        zeroize::Zeroize::zeroize(&mut out);
                        Err(EligibilityError::Write(
                            "Shift_JIS output larger than reserved".to_owned(),
                        ))
                    }
                }
            }
        }
    }
}
/// The encoding a writer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum XmlEncoding {
    /// UTF-8 (`CharacterCodeIdentifier` 0).
    #[default]
    Utf8,
    /// Shift_JIS (Windows-31J; `CharacterCodeIdentifier` 1). Characters it
    /// cannot encode are written as numeric character references in text; a
    /// character it would read back as another ([`SHIFT_JIS_CHANGED`]), or
    /// lacks inside a kept unknown element, fails the write naming the field.
    ShiftJis,
}

impl XmlEncoding {
    /// The matching `CharacterCodeIdentifier`.
    pub fn character_code(self) -> CharacterCode {
        match self {
            Self::Utf8 => CharacterCode::Utf8,
            Self::ShiftJis => CharacterCode::ShiftJis,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list of characters that do not round-trip is exact: every other
    /// character of Unicode either reads back unchanged or is unmappable.
    #[test]
    fn shift_jis_changes_exactly_the_listed_characters() {
        let mut changed = Vec::new();
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            let mut b = [0u8; 4];
            let s = c.encode_utf8(&mut b);
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
            if unmappable {
                continue;
            }
            let (back, _) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
            if back != *s {
                changed.push(c);
            }
        }
        assert_eq!(changed, SHIFT_JIS_CHANGED);
    }

    #[test]
    fn unmappable_characters_are_found_at_their_offset() {
        assert_eq!(sjis_unmappable("試験😀"), Some(6));
        assert_eq!(sjis_unmappable("試験"), None);
    }
}
