//! Eligibility files (オンライン資格確認): parse any result / view / request file
//! (XML, or the terminal's JSON answer for a result) into its JSON (serde) form —
//! the same JSON Rust's serde gives, with each record's `derived` block (effective
//! 負担割合 with rule and source, 検証番号 status, summary, code labels) — and build
//! a request file's XML from its JSON form.

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
        // The terminal's JSON answer (照会区分 2) is a result.
        if eligibility::is_json_answer(bytes) {
            return Self::Result;
        }
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
struct Parsed<'e, T: Serialize> {
    kind: &'static str,
    file: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_errors: Option<&'e [eligibility::RecordError]>,
}

fn to_json<T: Serialize>(kind: FileKind, file: T) -> Result<String, Error> {
    json_of(&Parsed {
        kind: kind.as_str(),
        file,
        record_errors: None,
    })
}

fn json_of<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| Error::new(super::ErrorKind::Internal, "internal.json", e.to_string()))
}

/// Parses a result file (XML or the terminal's JSON answer) keeping what it
/// can: `{"kind": "result", "file": {...}, "record_errors": [...]}`, the file
/// with the records that parsed and one error per record left out (`list`,
/// `record`, `offset`, `element`, `code`, `message`; never a value).
pub fn parse_partial(bytes: &[u8]) -> Result<String, Error> {
    let partial = eligibility::parse_result_partial(bytes)?;
    json_of(&Parsed {
        kind: FileKind::Result.as_str(),
        file: &partial.file,
        record_errors: Some(&partial.record_errors),
    })
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

    fn request_json() -> serde_json::Value {
        use mynacard::eligibility::*;
        let request = EligibilityRequest::by_identifiers(
            MedicalInstitutionCode::parse("1310012345").unwrap(),
            SearchInfo::new(
                InsurerNumber::parse("01130012").unwrap(),
                PersonalText::new("0401"),
                BirthDate::parse_yyyymmdd("19900401").unwrap(),
            ),
        );
        serde_json::to_value(request).unwrap()
    }

    /// Attack through the C ABI's JSON: a kept element that opens a second
    /// search block, and a control character in a value. Both refused, the
    /// error naming no value.
    #[test]
    fn hostile_kept_elements_and_forbidden_characters_are_refused() {
        let mut json = request_json();
        json["unknown"] = serde_json::json!([{
            "parent": "XmlMsg/MessageBody",
            "xml": "<X/></MessageBody><MessageBody><Secret>7001</Secret>"
        }]);
        let e = build_request(&json.to_string(), XmlEncoding::Utf8).unwrap_err();
        assert!(!e.to_string().contains("7001"), "{e}");
        let mut json = request_json();
        json["search"]["insured_identification_number"] = serde_json::json!("04\u{1}01");
        let e = build_request(&json.to_string(), XmlEncoding::Utf8).unwrap_err();
        assert_eq!(e.code(), "eligibility.not_writable");
    }

    fn repo(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(rel)
    }

    /// The one JSON shape: what C and Python return for the full sample is
    /// byte for byte the committed golden file (which the C and Python tests
    /// compare with too), and its `"file"` is Rust serde's own output.
    /// `MYNACARD_BLESS=1` rewrites the golden file.
    #[test]
    fn the_one_json_of_a_result_matches_the_golden_file() {
        let xml = std::fs::read(repo("tests/data/eligibility/full_utf8.xml")).unwrap();
        let json = parse(&xml, None).unwrap();
        let golden = repo("tests/data/eligibility/full_utf8.expected.json");
        if std::env::var_os("MYNACARD_BLESS").is_some() {
            std::fs::write(&golden, format!("{json}\n")).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap();
        assert_eq!(json, expected.trim_end());
        let rust = serde_json::to_value(eligibility::parse_result(&xml).unwrap()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["file"], rust);
        // The EHR's first line: 1割 on the record, a valid 高齢受給者証 with 2割.
        let record = &v["file"]["body"]["results"][0];
        assert_eq!(record["contribution_ratio"]["percent"], 10);
        let derived = &record["derived"];
        assert_eq!(
            derived["effective_burden"],
            serde_json::json!({"ratio": {"percent": 20}, "rule": "elderly_recipient_certificate",
                "source": "ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio"})
        );
        assert_eq!(v["file"]["check_date"], "2026-01-15");
        assert_eq!(derived["check_digits"]["insurer_number"], "valid");
        assert!(
            derived["summary"]["text"]
                .as_str()
                .unwrap()
                .contains("負担割合 2割")
        );
        assert_eq!(
            derived["labels"]["limit_application_certificate.category"],
            "低所得Ⅰ"
        );
    }

    /// The terminal's JSON answer is detected as a result and read; a broken
    /// one is `eligibility.json`, not the misleading `eligibility.no_root`.
    #[test]
    fn the_terminals_json_answer_is_a_result() {
        let json = br#" {"XmlMsg": {"MessageHeader": {"MedicalInstitutionCode": "1311111111",
            "SegmentOfResult": "1", "ReferenceClassification": "2"},
            "MessageBody": {"ProcessingResultStatus": "1"}}}"#;
        assert_eq!(FileKind::detect(json), FileKind::Result);
        let v: serde_json::Value = serde_json::from_str(&parse(json, None).unwrap()).unwrap();
        assert_eq!(v["file"]["header"]["reference_classification"], "2");
        let e = parse(b"{\"XmlMsg\": ", None).unwrap_err();
        assert_eq!(e.code(), "eligibility.json");
    }

    #[test]
    fn unknown_kind_is_an_argument_error() {
        let e = FileKind::from_name("x").unwrap_err();
        assert_eq!(e.code(), "argument.file_kind");
    }
}
