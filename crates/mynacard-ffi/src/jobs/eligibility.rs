//! Eligibility files (オンライン資格確認): parse any result / view / request file into
//! its JSON (serde) form, and build a request file's XML from its JSON form.

use mynacard::eligibility::{self, EligibilityRequest, XmlEncoding};
use serde::Serialize;

use super::error::Error;

/// Which file a byte string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileKind {
    /// 資格確認結果 (`ResultList`).
    Result,
    /// 薬剤情報 + 診療情報 view (`YZKsiquc01res`).
    Medication,
    /// 特定健診情報 view (`TKKsiquc01res`).
    HealthCheckups,
    /// A request file written for the 資格確認端末.
    Request,
}

impl FileKind {
    /// Every kind, in the order [`FileKind::detect`] tries them.
    pub const ALL: &'static [FileKind] = &[
        Self::Medication,
        Self::HealthCheckups,
        Self::Request,
        Self::Result,
    ];

    /// The name used in the C API, in Python and in the JSON (`"health_checkups"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Result => "result",
            Self::Medication => "medication",
            Self::HealthCheckups => "health_checkups",
            Self::Request => "request",
        }
    }

    /// The kind named `name` (see [`FileKind::as_str`]); `"auto"` is handled by the
    /// caller.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                Error::argument(
                    "file_kind",
                    format!(
                        "unknown eligibility file kind {name:?} (auto, result, medication, health_checkups, request)"
                    ),
                )
            })
    }

    /// The element that only this kind of file carries (element names are ASCII,
    /// so the same bytes in UTF-8 and Shift_JIS).
    const fn marker(self) -> &'static [u8] {
        match self {
            Self::Result => b"<ResultList",
            Self::Medication => b"<QuaInf",
            Self::HealthCheckups => b"<QualificationsInfo",
            Self::Request => b"<ConfirmationDevice",
        }
    }

    /// Which kind `bytes` is, from the list element it carries; a file carrying
    /// none of them (an error answer without records, or a request by
    /// identifiers) is read as a result file unless it has the request's search
    /// block and no processing status.
    pub fn detect(bytes: &[u8]) -> Self {
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        for kind in Self::ALL {
            if has(kind.marker()) {
                return *kind;
            }
        }
        if has(b"<QualificationConfirmSearchInfo") && !has(b"<ProcessingResultStatus") {
            Self::Request
        } else {
            Self::Result
        }
    }
}

#[derive(Serialize)]
struct Parsed<T: Serialize> {
    kind: &'static str,
    file: T,
}

fn to_json<T: Serialize>(kind: FileKind, file: T) -> Result<String, Error> {
    serde_json::to_string(&Parsed {
        kind: kind.as_str(),
        file,
    })
    .map_err(|e| Error::new(super::ErrorKind::Internal, "internal.json", e.to_string()))
}

/// Parses an eligibility file of `kind` (`None`: detected, see
/// [`FileKind::detect`]) into `{"kind": "...", "file": {...}}`, the file in its
/// serde form.
pub fn parse(bytes: &[u8], kind: Option<FileKind>) -> Result<String, Error> {
    let kind = kind.unwrap_or_else(|| FileKind::detect(bytes));
    match kind {
        FileKind::Result => to_json(kind, eligibility::parse_result(bytes)?),
        FileKind::Medication => to_json(kind, eligibility::parse_medication(bytes)?),
        FileKind::HealthCheckups => to_json(kind, eligibility::parse_health_checkups(bytes)?),
        FileKind::Request => to_json(kind, eligibility::parse_request(bytes)?),
    }
}

/// The XML encoding named `name` (`"utf-8"` or `"shift_jis"`).
pub fn encoding_from_name(name: &str) -> Result<XmlEncoding, Error> {
    match name.to_ascii_lowercase().replace('-', "_").as_str() {
        "utf_8" | "utf8" => Ok(XmlEncoding::Utf8),
        "shift_jis" | "sjis" | "windows_31j" => Ok(XmlEncoding::ShiftJis),
        _ => Err(Error::argument(
            "encoding",
            format!("unknown XML encoding {name:?} (utf-8, shift_jis)"),
        )),
    }
}

/// Builds a request file's XML from the JSON form of an
/// [`EligibilityRequest`] (as `parse` returns it under `"file"`).
pub fn build_request(json: &str, encoding: XmlEncoding) -> Result<Vec<u8>, Error> {
    let request: EligibilityRequest = super::input::from_json("json", json)?;
    Ok(request.to_xml(encoding)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_markers_in_either_encoding() {
        assert_eq!(
            FileKind::detect(b"<XmlMsg><MessageHeader><QualificationsInfo>"),
            FileKind::HealthCheckups
        );
        assert_eq!(FileKind::detect(b"<XmlMsg/>"), FileKind::Result);
        assert_eq!(
            FileKind::detect(b"<XmlMsg><QualificationConfirmSearchInfo>"),
            FileKind::Request
        );
    }

    #[test]
    fn unknown_kind_is_an_argument_error() {
        let e = FileKind::from_name("x").unwrap_err();
        assert_eq!(e.code(), "argument.file_kind");
    }
}
