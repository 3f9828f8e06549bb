//! The writer every eligibility file goes through: indented elements, text
//! escaped, unknown elements written back as they were read, into a zeroizing
//! buffer; Shift_JIS output is encoded in one pre-sized pass.

use super::codes::CharacterCode;
use super::error::EligibilityError;
use super::unknown::{Parent, UnknownElements};
use super::zbuf::ZBuf;
use alloc::borrow::ToOwned;
use alloc::vec::Vec;

/// An XML document being written.
pub(crate) struct XmlOut {
    buf: ZBuf,
    depth: usize,
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
        Self { buf, depth: 0 }
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
            self.line();
            self.buf.push_str(u.raw_xml());
        }
    }

    /// The unknown elements that sat under `parent`.
    pub(crate) fn unknown_under(&mut self, unknown: &UnknownElements, parent: Parent) {
        for u in unknown.under(parent) {
            self.line();
            self.buf.push_str(u.raw_xml());
        }
    }

    /// The document's bytes in `encoding`. Characters Shift_JIS cannot
    /// encode become numeric character references.
    pub(crate) fn finish(mut self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
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
    /// cannot encode are written as numeric character references.
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
