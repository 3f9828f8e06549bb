//! The eligibility module's error: one variant per reason a file is refused.
//!
//! Byte offsets count bytes of the document as decoded to UTF-8 (the same as
//! input offsets for a UTF-8 file).

use super::ids::IdError;
use crate::date::DateError;
use alloc::string::String;
#[cfg(feature = "serde")]
use alloc::string::ToString;

/// Why an element's text is not a valid value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// An identifier with a wrong format or check digit.
    #[error("{0}")]
    Id(#[from] IdError),
    /// A date or time with a wrong format.
    #[error("{0}")]
    Date(#[from] DateError),
    /// A code outside the values this element allows (the text itself is
    /// never kept: a malformed file is exactly when personal data sits in the
    /// wrong element).
    #[error("not one of the codes {expected}")]
    Code {
        /// The allowed codes, e.g. "0 or 1".
        expected: &'static str,
    },
    /// Not a number of the expected form (the text itself is never kept).
    #[error("not {expected}")]
    Number {
        /// What was expected, e.g. "3 digits (percent)".
        expected: &'static str,
    },
    /// A time of day out of range (1-based position in `YYYYMMDDHHMMSS`).
    #[error("the time at position {position} does not exist")]
    Time {
        /// 1-based position of the hour, minute or second.
        position: usize,
    },
    /// A personal element (birth date…) is not valid; its value is withheld.
    #[error("not {expected} (value withheld: personal data)")]
    Personal {
        /// What was expected, e.g. "a date YYYYMMDD".
        expected: &'static str,
    },
}

impl ValueError {
    /// A stable machine-readable code, e.g. `"eligibility.value.date"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Id(_) => "eligibility.value.id",
            Self::Date(_) => "eligibility.value.date",
            Self::Code { .. } => "eligibility.value.code",
            Self::Number { .. } => "eligibility.value.number",
            Self::Personal { .. } => "eligibility.value.personal",
            Self::Time { .. } => "eligibility.value.time",
        }
    }
}

/// An error reading or writing an eligibility XML file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EligibilityError {
    /// The input is larger than [`XmlLimits::max_input_bytes`](super::XmlLimits);
    /// nothing was decoded.
    #[error("input is {size} bytes, over the limit of {limit}")]
    InputTooLarge {
        /// Input size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The declared (or detected) encoding is neither UTF-8 nor Shift_JIS:
    /// the encoding's canonical name when it is a known one (`"EUC-JP"`,
    /// `"UTF-16"`), else `"an unknown label"` — never the label's text.
    #[error("unsupported encoding {0} (only UTF-8 and Shift_JIS)")]
    UnsupportedEncoding(&'static str),
    /// The bytes are not valid in the file's encoding.
    #[error("bytes are not valid {encoding} at byte offset {offset}")]
    MalformedEncoding {
        /// `UTF-8` or `Shift_JIS`.
        encoding: &'static str,
        /// Input byte offset of the first bad byte.
        offset: usize,
    },
    /// A `<!DOCTYPE …>`: DTDs (and with them entity declarations) are refused.
    #[error("DOCTYPE at byte offset {offset}: DTDs and entity declarations are refused")]
    Doctype {
        /// Offset of the declaration.
        offset: u64,
    },
    /// A reference to an entity other than XML's five predefined ones (its
    /// name is input text and is not kept).
    #[error("entity reference ending at byte offset {offset} is not a predefined entity")]
    UndeclaredEntity {
        /// Offset after the reference.
        offset: u64,
    },
    /// Elements nested deeper than the limit.
    #[error("elements nested deeper than {limit} at byte offset {offset}")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Offset of the element that went over.
        offset: u64,
    },
    /// An element's text is longer than the limit.
    #[error("text longer than {limit} bytes at byte offset {offset}")]
    TextTooLong {
        /// The limit.
        limit: usize,
        /// Offset where the limit was crossed.
        offset: u64,
    },
    /// More elements than the limit.
    #[error("more than {limit} elements")]
    TooManyElements {
        /// The limit.
        limit: usize,
    },
    /// Not well-formed XML.
    #[error("not well-formed XML at byte offset {offset}: {reason}")]
    Xml {
        /// Offset of the error.
        offset: u64,
        /// What is wrong, e.g. `"mismatched end tag"` (a fixed text: quick-xml's
        /// own messages quote names and character references, so they are not
        /// passed on).
        reason: &'static str,
    },
    /// A JSON answer (照会区分 2) that is not well-formed JSON or not the
    /// terminal's shape (line and column 1-based; no input text).
    #[error("JSON at line {line}, column {column}: {reason}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong (a fixed text).
        reason: &'static str,
    },
    /// No root element.
    #[error("the document has no root element")]
    NoRoot,
    /// The root element is not the expected one (the name found is input
    /// text and is not kept).
    #[error("root element is not <{expected}>")]
    WrongRoot {
        /// The root expected (`XmlMsg`).
        expected: &'static str,
    },
    /// The elements do not fit the file's structure (e.g. a block where text
    /// was expected, or a single-valued element repeated).
    #[error("element structure: {0}")]
    Structure(String),
    /// A mandatory element is absent or empty.
    #[error("missing mandatory element <{element}>{}{}", in_record(.record), at_offset(.offset, "in the block at"))]
    MissingElement {
        /// The element's name.
        element: &'static str,
        /// 0-based index of the result record or view record, when inside one.
        record: Option<usize>,
        /// Byte offset of the block that should hold it, when known.
        offset: Option<u64>,
    },
    /// An element's text is not a valid value.
    #[error("invalid <{element}>{}{}: {reason}", in_record(.record), at_offset(.offset, "at"))]
    InvalidValue {
        /// The element's name.
        element: &'static str,
        /// 0-based index of the result record or view record, when inside one.
        record: Option<usize>,
        /// Byte offset of the element, when known.
        offset: Option<u64>,
        /// What is wrong with it.
        reason: ValueError,
    },
    /// quick-xml could not serialise a document.
    #[error("writing XML: {0}")]
    Write(String),
    /// A value cannot be written as given: a character XML 1.0 forbids, a
    /// character the chosen encoding would read back as another, or a kept
    /// unknown element that is not exactly one well-formed element. Names the
    /// field and the byte offset within its value, never the value.
    #[error("cannot write <{field}>: {reason} (byte {offset} of its value)")]
    NotWritable {
        /// The element (or kept element's path) whose value is refused.
        field: String,
        /// What is wrong with it.
        reason: &'static str,
        /// 0-based byte offset within the value.
        offset: usize,
    },
}

fn at_offset(offset: &Option<u64>, what: &str) -> String {
    match offset {
        Some(o) => format!(" {what} byte offset {o}"),
        None => String::new(),
    }
}

impl EligibilityError {
    /// A stable machine-readable code, e.g. `"eligibility.missing_element"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InputTooLarge { .. } => "eligibility.input_too_large",
            Self::UnsupportedEncoding(_) => "eligibility.unsupported_encoding",
            Self::MalformedEncoding { .. } => "eligibility.malformed_encoding",
            Self::Doctype { .. } => "eligibility.doctype",
            Self::UndeclaredEntity { .. } => "eligibility.undeclared_entity",
            Self::TooDeep { .. } => "eligibility.too_deep",
            Self::TextTooLong { .. } => "eligibility.text_too_long",
            Self::TooManyElements { .. } => "eligibility.too_many_elements",
            Self::Xml { .. } => "eligibility.xml",
            Self::Json { .. } => "eligibility.json",
            Self::NoRoot => "eligibility.no_root",
            Self::WrongRoot { .. } => "eligibility.wrong_root",
            Self::Structure(_) => "eligibility.structure",
            Self::MissingElement { .. } => "eligibility.missing_element",
            Self::InvalidValue { .. } => "eligibility.invalid_value",
            Self::Write(_) => "eligibility.write",
            Self::NotWritable { .. } => "eligibility.not_writable",
        }
    }
}

/// JSON: `{"code": "eligibility.missing_element", "message": "…"}` (the
/// message never holds personal values).
#[cfg(feature = "serde")]
impl serde::Serialize for EligibilityError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("EligibilityError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

fn in_record(record: &Option<usize>) -> String {
    match record {
        Some(i) => format!(" in record {i}"),
        None => String::new(),
    }
}

#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(ValueError);
