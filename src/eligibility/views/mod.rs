//! The consent-gated views (seed table 2): 薬剤情報, 特定健診等情報 and 診療情報
//! result files, modelled at the level of their main records.
//!
//! The fact sheet describes what each view carries but not its element names
//! (⚠); the names below are this crate's, chosen in the style of the result
//! file. Every view file has the result file's `MessageHeader`, and a body of
//! `ProcessingResultStatus`, `ProcessingResultMessage`?, `PatientInfo`? (the
//! patient's identifiers) and the view's record list. Unknown elements are
//! skipped; a record's mandatory element is named when missing.

pub mod clinical;
pub mod health_checkup;
pub mod medication;

use super::codes::ProcessingResultStatus;
use super::codes::{CharacterCode, ReferenceClassification, SegmentOfResult};
use super::error::EligibilityError;
use super::fields::{At, opt_personal, wire};
use super::fields::{opt_date, opt_datetime};
use super::ids::MedicalInstitutionCode;
use super::ids::{CheckDigitPolicy, InsurerNumber};
use super::personal::{BirthDate, PersonalText};
use super::result_file::ResultHeader;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The patient a view file is about (`PatientInfo`). Mandatory: `InsurerNumber`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ViewPatient {
    /// 保険者番号 (`InsurerNumber`).
    pub insurer_number: InsurerNumber,
    /// 記号 (`InsuredCardSymbol`).
    pub insured_card_symbol: Option<PersonalText>,
    /// 番号 (`InsuredIdentificationNumber`).
    pub insured_identification_number: Option<PersonalText>,
    /// 枝番 (`InsuredBranchNumber`).
    pub insured_branch_number: Option<PersonalText>,
    /// 氏名 (`Name`).
    pub name: Option<PersonalText>,
    /// 生年月日 (`Birthdate`).
    pub birthdate: Option<BirthDate>,
}

/// A view file: header, status, patient, records.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ViewFile<R> {
    /// `MessageHeader` (as in the result file).
    pub header: ResultHeader,
    /// `ProcessingResultStatus` (mandatory).
    pub processing_result_status: ProcessingResultStatus,
    /// `ProcessingResultMessage`.
    pub processing_result_message: Option<String>,
    /// `PatientInfo`.
    pub patient: Option<ViewPatient>,
    /// The view's records, in file order.
    pub records: Vec<R>,
}

wire! {
    struct WirePatient {
        insurer_number: Option<String>,
        insured_card_symbol: Option<String>,
        insured_identification_number: Option<String>,
        insured_branch_number: Option<String>,
        name: Option<String>,
        birthdate: Option<String>,
    }
}

impl ViewPatient {
    fn from_wire(p: WirePatient, policy: CheckDigitPolicy) -> Result<Self, EligibilityError> {
        let at = At::TOP;
        Ok(Self {
            insurer_number: at.required_parsed(p.insurer_number, "InsurerNumber", |s| {
                InsurerNumber::parse_with(s, policy)
            })?,
            insured_card_symbol: at.personal(p.insured_card_symbol),
            insured_identification_number: at.personal(p.insured_identification_number),
            insured_branch_number: at.personal(p.insured_branch_number),
            name: at.personal(p.name),
            birthdate: at.birth_date(p.birthdate, "Birthdate")?,
        })
    }

    fn to_wire(&self) -> WirePatient {
        WirePatient {
            insurer_number: Some(self.insurer_number.as_str().to_owned()),
            insured_card_symbol: opt_personal(&self.insured_card_symbol),
            insured_identification_number: opt_personal(&self.insured_identification_number),
            insured_branch_number: opt_personal(&self.insured_branch_number),
            name: opt_personal(&self.name),
            birthdate: self
                .birthdate
                .as_ref()
                .map(|b| crate::eligibility::dates::yyyymmdd(&b.expose())),
        }
    }
}

wire! {
    /// The views' header.
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

/// The result header as the views' wire structs carry it.
pub(crate) struct ViewHeader;

impl ViewHeader {
    pub(crate) fn from_wire(h: Option<WireResultHeader>) -> Result<ResultHeader, EligibilityError> {
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
            reception_number: None,
            bulk_counts: None,
        })
    }

    pub(crate) fn to_wire(h: &ResultHeader) -> WireResultHeader {
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

/// Declares a view's wire file, body and list, and its parse / write glue.
macro_rules! view_file {
    (
        record = $rec:ty, wire_record = $wrec:ident,
        list = $list:ident { $item:ident }, list_field = $list_field:ident,
        body = $body:ident, file = $file:ident,
        parse = $parse:ident, parse_with = $parse_with:ident, doc = $doc:literal
    ) => {
        crate::eligibility::fields::wire! {
            struct $list {
                $item: Vec<$wrec>,
            }
        }

        crate::eligibility::fields::wire! {
            struct $body {
                processing_result_status: Option<String>,
                processing_result_message: Option<String>,
                patient_info: Option<crate::eligibility::views::WirePatient>,
                $list_field: Option<$list>,
            }
        }

        crate::eligibility::fields::wire! {
            struct $file {
                message_header: Option<crate::eligibility::views::WireResultHeader>,
                message_body: Option<$body>,
            }
        }

        #[doc = concat!("Parses a ", $doc, " file with the default options.")]
        pub fn $parse(
            bytes: &[u8],
        ) -> Result<crate::eligibility::views::ViewFile<$rec>, crate::eligibility::EligibilityError>
        {
            $parse_with(bytes, &crate::eligibility::ParseOptions::default())
        }

        #[doc = concat!("Parses a ", $doc, " file with explicit options.")]
        pub fn $parse_with(
            bytes: &[u8],
            options: &crate::eligibility::ParseOptions,
        ) -> Result<crate::eligibility::views::ViewFile<$rec>, crate::eligibility::EligibilityError>
        {
            let text = crate::eligibility::input::prepare(bytes, &options.limits)?;
            let w: $file = crate::eligibility::fields::deserialize(&text)?;
            let at = crate::eligibility::fields::At::TOP;
            let header = crate::eligibility::views::ViewHeader::from_wire(w.message_header)?;
            let b = w.message_body.ok_or(at.missing("MessageBody"))?;
            Ok(crate::eligibility::views::ViewFile {
                header,
                processing_result_status: at.required_code(
                    b.processing_result_status,
                    "ProcessingResultStatus",
                    crate::eligibility::codes::ProcessingResultStatus::from_code,
                )?,
                processing_result_message: at.text(b.processing_result_message),
                patient: b
                    .patient_info
                    .map(|p| {
                        crate::eligibility::views::ViewPatient::from_wire(p, options.check_digits)
                    })
                    .transpose()?,
                records: b
                    .$list_field
                    .map(|l| l.$item)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| <$rec>::from_wire(r, crate::eligibility::fields::At::record(i)))
                    .collect::<Result<_, _>>()?,
            })
        }

        impl crate::eligibility::views::ViewFile<$rec> {
            /// Writes the file (indented, with an XML declaration).
            pub fn to_xml(
                &self,
                encoding: crate::eligibility::XmlEncoding,
            ) -> Result<Vec<u8>, crate::eligibility::EligibilityError> {
                let w = $file {
                    message_header: Some(crate::eligibility::views::ViewHeader::to_wire(
                        &self.header,
                    )),
                    message_body: Some($body {
                        processing_result_status: Some(
                            self.processing_result_status.code().to_owned(),
                        ),
                        processing_result_message: self.processing_result_message.clone(),
                        patient_info: self.patient.as_ref().map(|p| p.to_wire()),
                        $list_field: (!self.records.is_empty()).then(|| $list {
                            $item: self.records.iter().map(<$rec>::to_wire).collect(),
                        }),
                    }),
                };
                crate::eligibility::fields::serialize(&w, encoding)
            }
        }
    };
}
pub(crate) use view_file;
