//! The untrusted-input path shared by every parser: size bound, encoding
//! detection and decoding; the one-pass tree parser (`tree.rs`) then refuses
//! hostile XML while it reads.
//!
//! Encoding, in this order: a UTF-8 byte-order mark; else the XML
//! declaration's `encoding`; else, when the bytes are valid UTF-8, UTF-8;
//! only then the `CharacterCodeIdentifier` element (`1` or `2` = Shift_JIS:
//! sources disagree which, and both are accepted); else UTF-8 (which then
//! fails with the offset of the first invalid byte). The code never overrides
//! bytes that decode cleanly as declared.
//! Shift_JIS is decoded as encoding_rs's `Shift_JIS` (Windows-31J, which the
//! terminal's files use for NEC/IBM extension characters such as ①, Ⅲ).

use super::error::EligibilityError;
use super::ids::CheckDigitPolicy;
use alloc::borrow::Cow;
use alloc::string::String;
use encoding_rs::{DecoderResult, SHIFT_JIS};

/// Bounds on untrusted XML. Every parser checks them before deserialising.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct XmlLimits {
    /// Largest input accepted, in bytes (default 16 MiB).
    pub max_input_bytes: usize,
    /// Deepest element nesting (default 32; result files need 6).
    pub max_depth: usize,
    /// Longest text of one element, in bytes (default 64 KiB).
    pub max_text_bytes: usize,
    /// Most elements in one document (default 1,000,000).
    pub max_elements: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        Self {
            max_input_bytes: 16 * 1024 * 1024,
            max_depth: 32,
            max_text_bytes: 64 * 1024,
            max_elements: 1_000_000,
        }
    }
}

/// The encodings the terminal's files use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileEncoding {
    Utf8,
    ShiftJis,
}

fn encoding_from_label(label: &[u8]) -> Result<FileEncoding, EligibilityError> {
    match encoding_rs::Encoding::for_label(label) {
        Some(e) if e == encoding_rs::UTF_8 => Ok(FileEncoding::Utf8),
        Some(e) if e == SHIFT_JIS => Ok(FileEncoding::ShiftJis),
        Some(e) => Err(EligibilityError::UnsupportedEncoding(e.name())),
        None => Err(EligibilityError::UnsupportedEncoding("an unknown label")),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The encoding named by the XML declaration, if there is one.
fn declared_encoding(bytes: &[u8]) -> Result<Option<FileEncoding>, EligibilityError> {
    if !bytes.starts_with(b"<?xml") {
        return Ok(None);
    }
    let head = bytes.get(..bytes.len().min(256)).unwrap_or(bytes);
    let Some(end) = find(head, b"?>") else {
        return Ok(None);
    };
    let decl = head.get(..end).unwrap_or(head);
    let Some(at) = find(decl, b"encoding") else {
        return Ok(None);
    };
    let rest = decl.get(at + 8..).unwrap_or(&[]);
    let rest = rest
        .iter()
        .position(|&c| c == b'"' || c == b'\'')
        .and_then(|q| rest.get(q..))
        .unwrap_or(&[]);
    let Some((&quote, value)) = rest.split_first() else {
        return Ok(None);
    };
    let Some(len) = value.iter().position(|&c| c == quote) else {
        return Ok(None);
    };
    encoding_from_label(value.get(..len).unwrap_or(&[])).map(Some)
}

/// Detects the encoding (see the module documentation).
pub(crate) fn detect_encoding(bytes: &[u8]) -> Result<FileEncoding, EligibilityError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(FileEncoding::Utf8);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(EligibilityError::UnsupportedEncoding("UTF-16"));
    }
    if let Some(e) = declared_encoding(bytes)? {
        return Ok(e);
    }
    if core::str::from_utf8(bytes).is_ok() {
        return Ok(FileEncoding::Utf8);
    }
    // '<' (0x3C) is never a Shift_JIS trail byte, so this match is a real tag.
    const TAG: &[u8] = b"<CharacterCodeIdentifier>";
    if let Some(at) = find(bytes, TAG)
        && matches!(bytes.get(at + TAG.len()), Some(b'1' | b'2'))
    {
        return Ok(FileEncoding::ShiftJis);
    }
    Ok(FileEncoding::Utf8)
}

/// Bounds the size, then decodes to UTF-8 without replacement characters.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    limits: &XmlLimits,
) -> Result<Cow<'a, str>, EligibilityError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(EligibilityError::InputTooLarge {
            size: bytes.len(),
            limit: limits.max_input_bytes,
        });
    }
    match detect_encoding(bytes)? {
        FileEncoding::Utf8 => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            let skipped = bytes.len() - body.len();
            core::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| {
                EligibilityError::MalformedEncoding {
                    encoding: "UTF-8",
                    offset: skipped + e.valid_up_to(),
                }
            })
        }
        FileEncoding::ShiftJis => {
            let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
            let cap = decoder
                .max_utf8_buffer_length_without_replacement(bytes.len())
                .ok_or(EligibilityError::InputTooLarge {
                    size: bytes.len(),
                    limit: limits.max_input_bytes,
                })?;
            let mut out = String::with_capacity(cap);
            let (result, read) =
                decoder.decode_to_string_without_replacement(bytes, &mut out, true);
            match result {
                DecoderResult::InputEmpty => Ok(Cow::Owned(out)),
                DecoderResult::Malformed(bad, after) => Err(EligibilityError::MalformedEncoding {
                    encoding: "Shift_JIS",
                    offset: read
                        .saturating_sub(usize::from(after))
                        .saturating_sub(usize::from(bad)),
                }),
                DecoderResult::OutputFull => Err(EligibilityError::InputTooLarge {
                    size: bytes.len(),
                    limit: limits.max_input_bytes,
                }),
            }
        }
    }
}

/// Decoded document text. A Shift_JIS file's UTF-8 copy holds the patient's
/// personal data, so it is zeroized on drop (a UTF-8 file is borrowed from the
/// caller, who owns it).
pub(crate) struct Decoded<'a>(Cow<'a, str>);

impl core::ops::Deref for Decoded<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for Decoded<'_> {
    fn drop(&mut self) {
        if let Cow::Owned(s) = &mut self.0 {
            zeroize::Zeroize::zeroize(s);
        }
    }
}

/// Decodes (the tree parsers scan while they build); returns the text.
///
/// A JSON document (the terminal's JSON answer, see `json_in`) is rewritten
/// into the XML it mirrors (feature `serde`; without it, refused).
pub(crate) fn decoded<'a>(
    bytes: &'a [u8],
    limits: &XmlLimits,
) -> Result<Decoded<'a>, EligibilityError> {
    if is_json_answer(bytes) {
        if bytes.len() > limits.max_input_bytes {
            return Err(EligibilityError::InputTooLarge {
                size: bytes.len(),
                limit: limits.max_input_bytes,
            });
        }
        return json_document(bytes).map(|xml| Decoded(Cow::Owned(xml)));
    }
    Ok(Decoded(decode(bytes, limits)?))
}

/// Whether `bytes` is a JSON document — the 資格確認端末's JSON answer (照会区分 2) —:
/// its first byte after an optional UTF-8 BOM and whitespace is `{` (an XML document
/// starts with `<`). The parsers decide with this; bindings that pick a file kind use it
/// too.
///
/// ```
/// use mynacard::eligibility::is_json_answer;
/// assert!(is_json_answer(b"\xEF\xBB\xBF {\"XmlMsg\": {}}"));
/// assert!(!is_json_answer(b"\xBB{}") && !is_json_answer(b"<XmlMsg/>"));
/// ```
pub fn is_json_answer(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

#[cfg(feature = "serde")]
fn json_document(bytes: &[u8]) -> Result<String, EligibilityError> {
    super::json_in::to_xml(bytes)
}

#[cfg(not(feature = "serde"))]
fn json_document(_: &[u8]) -> Result<String, EligibilityError> {
    Err(EligibilityError::Json {
        line: 1,
        column: 1,
        reason: "a JSON answer is read with feature serde",
    })
}

/// How the parsers treat untrusted files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Size, depth, text and element bounds.
    pub limits: XmlLimits,
    /// What a wrong 検証番号 in a file does. Default [`CheckDigitPolicy::Record`]:
    /// the national system's data is kept and the mismatch is reported by
    /// `check_digit_matches()` (the rule for 保険者番号 is ⚠ in the fact sheet).
    pub check_digits: CheckDigitPolicy,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            limits: XmlLimits::default(),
            check_digits: CheckDigitPolicy::Record,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass tree parser refuses what these tests feed it; the root's
    /// name is what it gives back.
    fn scan(s: &str, limits: &XmlLimits) -> Result<String, EligibilityError> {
        super::super::tree::Tree::parse(s, limits)
            .map(|t| alloc::borrow::ToOwned::to_owned(t.root().name()))
    }

    fn scan_default(s: &str) -> Result<String, EligibilityError> {
        scan(s, &XmlLimits::default())
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(
            detect_encoding(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>").unwrap(),
            FileEncoding::ShiftJis
        );
        assert_eq!(
            detect_encoding(b"<?xml version='1.0' encoding='UTF-8'?><a/>").unwrap(),
            FileEncoding::Utf8
        );
        // Valid UTF-8 stays UTF-8 whatever the code says; Shift_JIS bytes
        // (0x8E 0x8E, not UTF-8) follow the code, 1 or 2.
        assert_eq!(
            detect_encoding(b"<a><CharacterCodeIdentifier>1</CharacterCodeIdentifier></a>")
                .unwrap(),
            FileEncoding::Utf8
        );
        for code in [b'1', b'2'] {
            let mut f = b"<a><CharacterCodeIdentifier>".to_vec();
            f.push(code);
            f.extend_from_slice(b"</CharacterCodeIdentifier>\x8e\x8e</a>");
            assert_eq!(detect_encoding(&f).unwrap(), FileEncoding::ShiftJis);
        }
        assert_eq!(
            detect_encoding(b"<?xml version=\"1.0\" encoding=\"EUC-JP\"?><a/>"),
            Err(EligibilityError::UnsupportedEncoding("EUC-JP"))
        );
        assert_eq!(
            detect_encoding(&[0xFF, 0xFE, b'<', 0]),
            Err(EligibilityError::UnsupportedEncoding("UTF-16"))
        );
    }

    #[test]
    fn malformed_bytes_name_the_offset() {
        let l = XmlLimits::default();
        assert_eq!(
            decode(b"<a>\xFF</a>", &l),
            Err(EligibilityError::MalformedEncoding {
                encoding: "UTF-8",
                offset: 3
            })
        );
        let sjis = b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x82\xa0\x82</a>";
        assert_eq!(
            decode(sjis, &l),
            Err(EligibilityError::MalformedEncoding {
                encoding: "Shift_JIS",
                offset: 47
            })
        );
        let ok = b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x8e\x8e\x8c\xb1</a>";
        assert!(decode(ok, &l).unwrap().contains("<a>試験</a>"));
    }

    #[test]
    fn hostile_xml_is_refused() {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
            <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\
            <XmlMsg>&lol2;</XmlMsg>";
        assert_eq!(
            scan_default(laughs),
            Err(EligibilityError::Doctype { offset: 21 })
        );
        let xxe =
            "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><XmlMsg>&xxe;</XmlMsg>";
        assert_eq!(
            scan_default(xxe),
            Err(EligibilityError::Doctype { offset: 0 })
        );
        // Without a DTD an undeclared entity is refused too.
        assert!(matches!(
            scan_default("<XmlMsg>&xxe;</XmlMsg>"),
            Err(EligibilityError::UndeclaredEntity { offset: 13 })
        ));
        assert_eq!(
            scan_default("<XmlMsg>&lt;&#x8A66;&amp;</XmlMsg>").unwrap(),
            "XmlMsg"
        );
    }

    #[test]
    fn limits_are_enforced() {
        let deep = "<a>".repeat(33) + &"</a>".repeat(33);
        assert!(matches!(
            scan_default(&deep),
            Err(EligibilityError::TooDeep {
                limit: 32,
                offset: 96
            })
        ));
        let ok = "<a>".repeat(32) + &"</a>".repeat(32);
        assert_eq!(scan_default(&ok).unwrap(), "a");
        let huge = format!("<a>{}</a>", "x".repeat(64 * 1024 + 1));
        assert!(matches!(
            scan_default(&huge),
            Err(EligibilityError::TextTooLong { limit: 65536, .. })
        ));
        // Text split by references still counts as one run.
        let split = format!("<a>{}&amp;{}</a>", "x".repeat(40_000), "y".repeat(40_000));
        assert!(matches!(
            scan_default(&split),
            Err(EligibilityError::TextTooLong { .. })
        ));
        let small = XmlLimits {
            max_input_bytes: 10,
            ..XmlLimits::default()
        };
        assert_eq!(
            decode(b"<XmlMsg></XmlMsg>", &small),
            Err(EligibilityError::InputTooLarge {
                size: 17,
                limit: 10
            })
        );
        let small = XmlLimits {
            max_elements: 3,
            ..XmlLimits::default()
        };
        assert_eq!(
            scan("<a><b/><c/><d/></a>", &small),
            Err(EligibilityError::TooManyElements { limit: 3 })
        );
    }

    #[test]
    fn malformed_markup_and_roots() {
        assert!(matches!(
            scan_default("<a><b></a>"),
            Err(EligibilityError::Xml { .. })
        ));
        assert!(matches!(
            scan_default("<a>"),
            Err(EligibilityError::Xml { .. })
        ));
        assert_eq!(scan_default("  "), Err(EligibilityError::NoRoot));
    }
}
