//! The face result: after a card or smartphone is verified at the reader
//! (顔認証付きカードリーダー), the 資格確認端末 writes a result file on its own,
//! with no request, named
//! `OQSsiquc01res_face_<医療機関コード><id>_<yyyyMMddHHmmss>.xml`. Its content is
//! a result file ([`parse_result`](super::parse_result), `ReferenceClassification`
//! `1`).
//!
//! The hospital system matches such a file with the patient at the counter by
//! the facility, the time the reception completed, and — when the 照会番号 was
//! registered — the `ReferenceNumber`; [`FaceMatch`] is what a reception flow
//! hands over for that.

use super::codes::ReferenceClassification;
use super::dates::DateTime;
use super::ids::MedicalInstitutionCode;
use super::personal::PersonalText;
use super::request_file::VerificationMethod;
use super::result_file::ResultFile;
use alloc::borrow::ToOwned;
use alloc::string::String;
use core::fmt;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Why a file name is not the expected pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileNameError {
    /// The name does not start with the expected prefix.
    #[error("file name does not start with {expected}")]
    Prefix {
        /// The prefix expected.
        expected: &'static str,
    },
    /// A part is missing or malformed (1-based character position).
    #[error("file name: {part} malformed at character {position}")]
    Part {
        /// Which part.
        part: &'static str,
        /// 1-based character position where it went wrong.
        position: usize,
    },
    /// The extension is not one of the expected ones.
    #[error("file name: extension is not {expected}")]
    Extension {
        /// The extensions expected.
        expected: &'static str,
    },
}

/// `OQSsiquc01res_face_<MIC><id>_<yyyyMMddHHmmss>.xml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct FaceFileName {
    /// 医療機関コード.
    pub medical_institution_code: MedicalInstitutionCode,
    /// The terminal's id for the reception (hex in observed files).
    pub id: String,
    /// When the terminal wrote it.
    pub written_at: DateTime,
}

impl FaceFileName {
    /// The fixed prefix.
    pub const PREFIX: &'static str = "OQSsiquc01res_face_";

    /// Parses a file name (no directory).
    ///
    /// ```
    /// use mynacard::eligibility::FaceFileName;
    /// let n = FaceFileName::parse("OQSsiquc01res_face_13100123450a1b2c_20250401093015.xml").unwrap();
    /// assert_eq!(n.medical_institution_code.as_str(), "1310012345");
    /// assert_eq!(n.id, "0a1b2c");
    /// assert_eq!(n.to_string(), "OQSsiquc01res_face_13100123450a1b2c_20250401093015.xml");
    /// ```
    pub fn parse(name: &str) -> Result<Self, FileNameError> {
        let rest = name
            .strip_prefix(Self::PREFIX)
            .ok_or(FileNameError::Prefix {
                expected: Self::PREFIX,
            })?;
        let at = Self::PREFIX.len();
        let rest = rest
            .strip_suffix(".xml")
            .ok_or(FileNameError::Extension { expected: ".xml" })?;
        let mic = rest.get(..10).ok_or(FileNameError::Part {
            part: "医療機関コード",
            position: at + 1,
        })?;
        let medical_institution_code =
            MedicalInstitutionCode::parse(mic).map_err(|_| FileNameError::Part {
                part: "医療機関コード",
                position: at + 1,
            })?;
        let tail = rest.get(10..).unwrap_or("");
        let underscore = tail.rfind('_').ok_or(FileNameError::Part {
            part: "timestamp",
            position: at + 11,
        })?;
        let id = tail.get(..underscore).unwrap_or("");
        if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(FileNameError::Part {
                part: "id",
                position: at + 11,
            });
        }
        let stamp = tail.get(underscore + 1..).unwrap_or("");
        let written_at = DateTime::parse_compact(stamp).map_err(|_| FileNameError::Part {
            part: "timestamp",
            position: at + 11 + underscore + 1,
        })?;
        Ok(Self {
            medical_institution_code,
            id: id.to_owned(),
            written_at,
        })
    }
}

impl fmt::Display for FaceFileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}_{}.xml",
            Self::PREFIX,
            self.medical_institution_code.as_str(),
            self.id,
            self.written_at.to_compact()
        )
    }
}

/// What a reception flow hands the hospital system so it can pick the face
/// result for this patient: the facility, how the patient was verified, and
/// (set by the caller, who owns the clock) when the reception completed, and —
/// when the facility registered one — the patient's 照会番号.
///
/// Every field a face file carries is matched: the facility (name and
/// header), the time (name, `ProcessExecutionTime`, 資格確認日), the method
/// (照会区分 `1` マイナンバーカード for a card or a smartphone — the sources show
/// no other value for a smartphone; a 記号・番号 reception never has a face
/// file) and the 照会番号 (`ReferenceNumber` of a record). Without a 照会番号,
/// two receptions of one facility at the same time fit the same files: the
/// folder driver then hands each file to exactly one counter
/// ([`TerminalFolder::wait_face`](crate::terminal::TerminalFolder::wait_face)
/// claims it), but which patient reaches which counter is only decided by the
/// 照会番号.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct FaceMatch {
    /// The facility whose terminal writes the face result.
    pub medical_institution_code: MedicalInstitutionCode,
    /// Card or smartphone.
    pub method: VerificationMethod,
    /// Face files written before this are not this reception's.
    pub not_before: Option<DateTime>,
    /// The patient's 照会番号 (`ReferenceNumber`, e.g. the 診察券番号 the
    /// facility registered): a file whose records do not carry it is not
    /// this patient's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub reference_number: Option<PersonalText>,
}

impl FaceMatch {
    /// A match for a reception at `facility` verified by `method`.
    pub fn new(facility: MedicalInstitutionCode, method: VerificationMethod) -> Self {
        Self {
            medical_institution_code: facility,
            method,
            not_before: None,
            reference_number: None,
        }
    }

    /// Only files whose records carry this 照会番号.
    pub fn with_reference_number(mut self, number: PersonalText) -> Self {
        self.reference_number = Some(number);
        self
    }

    /// Only files written at or after `time`.
    pub fn since(mut self, time: DateTime) -> Self {
        self.not_before = Some(time);
        self
    }

    /// Whether a face file's name fits (facility, time, and a method that
    /// has face files at all).
    pub fn matches_name(&self, name: &FaceFileName) -> bool {
        self.method.is_myna_hokensho()
            && name.medical_institution_code == self.medical_institution_code
            && self.not_before.is_none_or(|t| name.written_at >= t)
    }

    /// Whether a parsed face file fits: facility, 照会区分 1 for a card or a
    /// smartphone, `ProcessExecutionTime` and 資格確認日 not before the
    /// reception, and the 照会番号 when one is expected.
    pub fn matches_result(&self, file: &ResultFile) -> bool {
        let h = &file.header;
        let on_time = match self.not_before {
            Some(t) => {
                h.process_execution_time.is_none_or(|p| p >= t)
                    && h.qualification_confirmation_date
                        .is_none_or(|d| d >= t.date())
            }
            None => true,
        };
        let reference = match &self.reference_number {
            None => true,
            Some(want) => file.body.as_ref().is_some_and(|b| {
                b.results
                    .iter()
                    .any(|r| r.reference_number.as_ref() == Some(want))
                    || b.bulk_units
                        .iter()
                        .any(|u| u.reference_numbers.contains(want))
            }),
        };
        self.method.is_myna_hokensho()
            && h.medical_institution_code == self.medical_institution_code
            && h.reference_classification == Some(ReferenceClassification::MyNumberCard)
            && on_time
            && reference
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn face_names_parse_and_build() {
        let n =
            FaceFileName::parse("OQSsiquc01res_face_1311111111ab12_20230221174835.xml").unwrap();
        assert_eq!(n.id, "ab12");
        assert_eq!(n.written_at.to_compact(), "20230221174835");
        assert_eq!(
            n.to_string(),
            "OQSsiquc01res_face_1311111111ab12_20230221174835.xml"
        );
        for bad in [
            "OQSsiquc01res_1311111111ab12_20230221174835.xml",
            "OQSsiquc01res_face_1311111111ab12_20230221174835.tmp",
            "OQSsiquc01res_face_13111_20230221174835.xml",
            "OQSsiquc01res_face_1311111111_20230221174835.xml",
            "OQSsiquc01res_face_1311111111ab12_20231321174835.xml",
            "OQSsiquc01res_face_1311111111a-b_20230221174835.xml",
        ] {
            assert!(FaceFileName::parse(bad).is_err(), "{bad}");
        }
    }
}
