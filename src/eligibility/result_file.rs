//! The result file the 資格確認端末 answers with: `XmlMsg` → `MessageHeader` +
//! `MessageBody` → `ResultList` → `ResultOfQualificationConfirmation`*.
//!
//! [`parse_result`] reads one (UTF-8 or Shift_JIS, hostile input refused before
//! deserialisation); [`ResultFile::to_xml`] writes one, so tests and demos can
//! play the terminal. Unknown elements are skipped; a missing mandatory element
//! is [`EligibilityError::MissingElement`] naming it.

use super::codes::{
    CharacterCode, ProcessingResultStatus, QualificationValidity, ReferenceClassification,
    SegmentOfResult,
};
use super::dates::{Date, DateTime};
use super::error::EligibilityError;
use super::fields::{At, opt_date, opt_datetime, wire};
use super::ids::{CheckDigitPolicy, MedicalInstitutionCode};
use super::input::{XmlLimits, prepare};
use super::qualification::{QualificationRecord, WireRecord};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

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

/// `MessageHeader` of a result file. Mandatory: `MedicalInstitutionCode`,
/// `SegmentOfResult`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ResultHeader {
    /// 医療機関コード (`MedicalInstitutionCode`).
    pub medical_institution_code: MedicalInstitutionCode,
    /// The requester's own id, echoed (`ArbitraryFileIdentifier`) ⚠.
    pub arbitrary_file_identifier: Option<String>,
    /// 照会区分 (`ReferenceClassification`).
    pub reference_classification: Option<ReferenceClassification>,
    /// 処理実行日時 (`ProcessExecutionTime`) ⚠.
    pub process_execution_time: Option<DateTime>,
    /// 資格確認日 (`QualificationConfirmationDate`) ⚠.
    pub qualification_confirmation_date: Option<Date>,
    /// 処理結果区分 (`SegmentOfResult`).
    pub segment_of_result: SegmentOfResult,
    /// Error code (`ErrorCode`) ⚠.
    pub error_code: Option<String>,
    /// Error message (`ErrorMessage`) ⚠.
    pub error_message: Option<String>,
    /// Encoding identifier (`CharacterCodeIdentifier`).
    pub character_code: Option<CharacterCode>,
}

/// `MessageBody` of a result file. Mandatory: `ProcessingResultStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ResultBody {
    /// `ProcessingResultStatus`.
    pub processing_result_status: ProcessingResultStatus,
    /// `ProcessingResultCode` ⚠.
    pub processing_result_code: Option<String>,
    /// `ProcessingResultMessage` ⚠.
    pub processing_result_message: Option<String>,
    /// 資格有効性 (`QualificationValidity`).
    pub qualification_validity: Option<QualificationValidity>,
    /// The qualifications (`ResultList/ResultOfQualificationConfirmation`).
    pub results: Vec<QualificationRecord>,
}

/// A whole result file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ResultFile {
    /// `MessageHeader`.
    pub header: ResultHeader,
    /// `MessageBody` (absent in some error answers).
    pub body: Option<ResultBody>,
}

wire! {
    struct WireResultHeader {
        medical_institution_code: Option<String>,
        arbitrary_file_identifier: Option<String>,
        reference_classification: Option<String>,
        process_execution_time: Option<String>,
        qualification_confirmation_date: Option<String>,
        segment_of_result: Option<String>,
        error_code: Option<String>,
        error_message: Option<String>,
        character_code_identifier: Option<String>,
    }
}

wire! {
    struct WireResultList {
        result_of_qualification_confirmation: Vec<WireRecord>,
    }
}

wire! {
    struct WireResultBody {
        processing_result_status: Option<String>,
        processing_result_code: Option<String>,
        processing_result_message: Option<String>,
        qualification_validity: Option<String>,
        result_list: Option<WireResultList>,
    }
}

wire! {
    struct WireResultFile {
        message_header: Option<WireResultHeader>,
        message_body: Option<WireResultBody>,
    }
}

/// Deserialises checked text into a wire struct.
pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, EligibilityError> {
    quick_xml::de::from_str(text).map_err(|e| EligibilityError::Structure(e.to_string()))
}

/// Serialises a wire struct under `XmlMsg` with a declaration, in `encoding`.
pub(crate) fn serialize<T: serde::Serialize>(
    wire: &T,
    encoding: XmlEncoding,
) -> Result<Vec<u8>, EligibilityError> {
    let label = match encoding {
        XmlEncoding::Utf8 => "UTF-8",
        XmlEncoding::ShiftJis => "Shift_JIS",
    };
    let mut out = format!("<?xml version=\"1.0\" encoding=\"{label}\" standalone=\"yes\"?>\n");
    let mut ser = quick_xml::se::Serializer::with_root(&mut out, Some("XmlMsg"))
        .map_err(|e| EligibilityError::Write(e.to_string()))?;
    ser.indent(' ', 2);
    wire.serialize(ser)
        .map_err(|e| EligibilityError::Write(e.to_string()))?;
    out.push('\n');
    Ok(match encoding {
        XmlEncoding::Utf8 => out.into_bytes(),
        XmlEncoding::ShiftJis => {
            let bytes = encoding_rs::SHIFT_JIS.encode(&out).0.into_owned();
            // The UTF-8 copy holds personal data; only the caller's bytes remain.
            zeroize::Zeroize::zeroize(&mut out);
            bytes
        }
    })
}

/// Parses a result file with the default [`ParseOptions`].
///
/// ```
/// let xml = "<XmlMsg><MessageHeader><MedicalInstitutionCode>0110012345</MedicalInstitutionCode>\
///   <SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody>\
///   <ProcessingResultStatus>1</ProcessingResultStatus></MessageBody></XmlMsg>";
/// let file = mynacard::eligibility::parse_result(xml.as_bytes()).unwrap();
/// assert_eq!(file.header.medical_institution_code.as_str(), "0110012345");
/// assert!(file.body.unwrap().results.is_empty());
/// ```
pub fn parse_result(bytes: &[u8]) -> Result<ResultFile, EligibilityError> {
    parse_result_with(bytes, &ParseOptions::default())
}

/// Parses a result file with explicit options.
pub fn parse_result_with(
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<ResultFile, EligibilityError> {
    let text = prepare(bytes, &options.limits)?;
    let wire: WireResultFile = deserialize(&text)?;
    ResultFile::from_wire(wire, options.check_digits)
}

impl ResultHeader {
    pub(crate) fn from_wire(h: Option<WireResultHeader>) -> Result<Self, EligibilityError> {
        let at = At::TOP;
        let h = h.ok_or(at.missing("MessageHeader"))?;
        Ok(ResultHeader {
            medical_institution_code: at.required_parsed(
                h.medical_institution_code,
                "MedicalInstitutionCode",
                MedicalInstitutionCode::parse,
            )?,
            arbitrary_file_identifier: at.text(h.arbitrary_file_identifier),
            reference_classification: at.code(
                h.reference_classification,
                ReferenceClassification::from_code,
            ),
            process_execution_time: at
                .datetime(h.process_execution_time, "ProcessExecutionTime")?,
            qualification_confirmation_date: at.date(
                h.qualification_confirmation_date,
                "QualificationConfirmationDate",
            )?,
            segment_of_result: at.required_code(
                h.segment_of_result,
                "SegmentOfResult",
                SegmentOfResult::from_code,
            )?,
            error_code: at.text(h.error_code),
            error_message: at.text(h.error_message),
            character_code: at.code(h.character_code_identifier, CharacterCode::from_code),
        })
    }

    pub(crate) fn to_wire(&self) -> WireResultHeader {
        let h = self;
        WireResultHeader {
            medical_institution_code: Some(h.medical_institution_code.as_str().to_owned()),
            arbitrary_file_identifier: h.arbitrary_file_identifier.clone(),
            reference_classification: h
                .reference_classification
                .as_ref()
                .map(|c| c.code().to_owned()),
            process_execution_time: opt_datetime(&h.process_execution_time),
            qualification_confirmation_date: opt_date(&h.qualification_confirmation_date),
            segment_of_result: Some(h.segment_of_result.code().to_owned()),
            error_code: h.error_code.clone(),
            error_message: h.error_message.clone(),
            character_code_identifier: h.character_code.as_ref().map(|c| c.code().to_owned()),
        }
    }
}

impl ResultFile {
    fn from_wire(w: WireResultFile, policy: CheckDigitPolicy) -> Result<Self, EligibilityError> {
        let at = At::TOP;
        let header = ResultHeader::from_wire(w.message_header)?;
        let body = w
            .message_body
            .map(|b| -> Result<_, EligibilityError> {
                Ok(ResultBody {
                    processing_result_status: at.required_code(
                        b.processing_result_status,
                        "ProcessingResultStatus",
                        ProcessingResultStatus::from_code,
                    )?,
                    processing_result_code: at.text(b.processing_result_code),
                    processing_result_message: at.text(b.processing_result_message),
                    qualification_validity: at
                        .code(b.qualification_validity, QualificationValidity::from_code),
                    results: b
                        .result_list
                        .map(|l| l.result_of_qualification_confirmation)
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                        .map(|(i, r)| QualificationRecord::from_wire(r, i, policy))
                        .collect::<Result<_, _>>()?,
                })
            })
            .transpose()?;
        Ok(Self { header, body })
    }

    fn to_wire(&self) -> WireResultFile {
        WireResultFile {
            message_header: Some(self.header.to_wire()),
            message_body: self.body.as_ref().map(|b| WireResultBody {
                processing_result_status: Some(b.processing_result_status.code().to_owned()),
                processing_result_code: b.processing_result_code.clone(),
                processing_result_message: b.processing_result_message.clone(),
                qualification_validity: b
                    .qualification_validity
                    .as_ref()
                    .map(|c| c.code().to_owned()),
                result_list: (!b.results.is_empty()).then(|| WireResultList {
                    result_of_qualification_confirmation: b
                        .results
                        .iter()
                        .map(QualificationRecord::to_wire)
                        .collect(),
                }),
            }),
        }
    }

    /// Writes the file as the terminal would (indented, with an XML
    /// declaration naming the encoding). The header's `character_code` is
    /// written as it is, so that `parse_result(&f.to_xml(e)?)? == f`; set it to
    /// `Some(e.character_code())` for a file that says what it is.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        serialize(&self.to_wire(), encoding)
    }
}
