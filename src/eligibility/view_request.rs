//! Requests for the consent-gated views as the one public production client
//! writes them (single source: OQSDrug2): `YZKsiquc01req_` 薬剤情報 (+ 診療情報)
//! and `TKKsiquc01req_` 特定健診情報, and their PDF answers.
//!
//! ```text
//! XmlMsg
//!   MessageHeader: MedicalInstitutionCode, InsurerNumber, InsuranceCardSymbol?,
//!                  InsuredPersonIdentificationNumber, BranchNumber?, ArbitraryFileIdentifier?
//!   MessageBody:   StartDate?, EndDate? (薬剤 only), FileCategory,
//!                  PrDiInfClassification, MedicalTreatmentFlag
//! ```
//!
//! Note the tag names differ from the 資格確認 request's (`InsuranceCardSymbol`,
//! `InsuredPersonIdentificationNumber`, `BranchNumber`).

use super::dates::yyyymmdd;
use super::error::EligibilityError;
use super::ids::{InsurerNumber, MedicalInstitutionCode};
use super::personal::PersonalText;
use super::xml_out::XmlEncoding;
use super::xml_out::XmlOut;
use crate::date::CalendarDate;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// Which view, and as XML or PDF (`FileCategory`, inferred from OQSDrug2's
/// settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ViewKind {
    /// 薬剤情報 as PDF (`YZK`, `FileCategory` 1).
    MedicationPdf,
    /// 薬剤情報 as XML (`YZK`, 2).
    MedicationXml,
    /// 薬剤 + 診療情報 as PDF (`YZK`, 3).
    MedicationAndClinicalPdf,
    /// 薬剤 + 診療情報 as XML (`YZK`, 4).
    MedicationAndClinicalXml,
    /// 特定健診情報 as PDF (`TKK`, 1).
    HealthCheckupPdf,
    /// 特定健診情報 as XML (`TKK`, 2).
    HealthCheckupXml,
}

impl ViewKind {
    /// `FileCategory`.
    pub fn file_category(self) -> &'static str {
        match self {
            Self::MedicationPdf | Self::HealthCheckupPdf => "1",
            Self::MedicationXml | Self::HealthCheckupXml => "2",
            Self::MedicationAndClinicalPdf => "3",
            Self::MedicationAndClinicalXml => "4",
        }
    }

    /// Whether the answer is a PDF.
    pub fn is_pdf(self) -> bool {
        matches!(
            self,
            Self::MedicationPdf | Self::MedicationAndClinicalPdf | Self::HealthCheckupPdf
        )
    }

    /// Whether it is a 特定健診 (`TKK`) request, else 薬剤 (`YZK`).
    pub fn is_health_checkup(self) -> bool {
        matches!(self, Self::HealthCheckupPdf | Self::HealthCheckupXml)
    }

    /// The file name prefix (`YZKsiquc01` / `TKKsiquc01`).
    pub fn file_prefix(self) -> &'static str {
        if self.is_health_checkup() {
            "TKKsiquc01"
        } else {
            "YZKsiquc01"
        }
    }
}

/// A 薬剤 / 特定健診 view request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRequest {
    /// 医療機関コード.
    pub medical_institution_code: MedicalInstitutionCode,
    /// 保険者番号 (`InsurerNumber`).
    pub insurer_number: InsurerNumber,
    /// 記号 (`InsuranceCardSymbol`).
    pub symbol: Option<PersonalText>,
    /// 番号 (`InsuredPersonIdentificationNumber`).
    pub number: PersonalText,
    /// 枝番 (`BranchNumber`).
    pub branch: Option<PersonalText>,
    /// The client's own id for the file (`ArbitraryFileIdentifier`).
    pub arbitrary_file_identifier: Option<String>,
    /// Which view.
    pub kind: ViewKind,
    /// Period (`StartDate`, `EndDate`; 薬剤 only).
    pub period: Option<(CalendarDate, CalendarDate)>,
    /// 診療区分 (`MedicalTreatmentFlag`, OQSCD028: 1 外来, 2 訪問診療等,
    /// 3 オンライン診療等).
    pub treatment_flag: u8,
}

impl ViewRequest {
    /// Writes the file (`PrDiInfClassification` is 1, as the source writes it).
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        let mut out = XmlOut::new(encoding);
        out.open("XmlMsg");
        out.open("MessageHeader");
        out.leaf(
            "MedicalInstitutionCode",
            self.medical_institution_code.as_str(),
        );
        out.leaf("InsurerNumber", &self.insurer_number.to_field());
        out.opt(
            "InsuranceCardSymbol",
            self.symbol.as_ref().map(PersonalText::expose),
        );
        out.leaf("InsuredPersonIdentificationNumber", self.number.expose());
        out.opt(
            "BranchNumber",
            self.branch.as_ref().map(PersonalText::expose),
        );
        out.opt(
            "ArbitraryFileIdentifier",
            self.arbitrary_file_identifier.as_deref(),
        );
        out.close("MessageHeader");
        out.open("MessageBody");
        if let (false, Some((from, to))) = (self.kind.is_health_checkup(), self.period) {
            out.leaf("StartDate", &yyyymmdd(&from));
            out.leaf("EndDate", &yyyymmdd(&to));
        }
        out.leaf("FileCategory", self.kind.file_category());
        out.leaf("PrDiInfClassification", "1");
        out.leaf("MedicalTreatmentFlag", &self.treatment_flag.to_string());
        out.close("MessageBody");
        out.close("XmlMsg");
        out.finish(encoding)
    }
}

/// A view answered as a PDF (`…res_….pdf`): the bytes, checked to be a PDF,
/// zeroized on drop (they hold the patient's medical data).
#[derive(Clone, PartialEq, Eq)]
pub struct PdfAnswer(Zeroizing<Vec<u8>>);

impl PdfAnswer {
    /// Wraps an answer's bytes; `None` when they do not start with `%PDF-`.
    pub fn new(bytes: Vec<u8>) -> Option<Self> {
        let bytes = Zeroizing::new(bytes);
        bytes.starts_with(b"%PDF-").then_some(Self(bytes))
    }

    /// The PDF.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for PdfAnswer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PdfAnswer(<{} bytes redacted>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_requests_in_the_source_shape() {
        let r = ViewRequest {
            medical_institution_code: MedicalInstitutionCode::parse("1310012345").unwrap(),
            insurer_number: InsurerNumber::parse("138016").unwrap(),
            symbol: Some(PersonalText::new("1234")),
            number: PersonalText::new("0401"),
            branch: Some(PersonalText::new("00")),
            arbitrary_file_identifier: None,
            kind: ViewKind::MedicationAndClinicalXml,
            period: Some((
                CalendarDate::new(2025, 7, 1).unwrap(),
                CalendarDate::new(2026, 1, 15).unwrap(),
            )),
            treatment_flag: 1,
        };
        let xml = String::from_utf8(r.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
        for part in [
            "<InsurerNumber>  138016</InsurerNumber>",
            "<InsuranceCardSymbol>1234</InsuranceCardSymbol>",
            "<InsuredPersonIdentificationNumber>0401</InsuredPersonIdentificationNumber>",
            "<BranchNumber>00</BranchNumber>",
            "<StartDate>20250701</StartDate>",
            "<EndDate>20260115</EndDate>",
            "<FileCategory>4</FileCategory>",
            "<PrDiInfClassification>1</PrDiInfClassification>",
            "<MedicalTreatmentFlag>1</MedicalTreatmentFlag>",
        ] {
            assert!(xml.contains(part), "{part} in {xml}");
        }
        let checkup = ViewRequest {
            kind: ViewKind::HealthCheckupPdf,
            ..r
        };
        let xml = String::from_utf8(checkup.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
        assert!(!xml.contains("StartDate") && xml.contains("<FileCategory>1</FileCategory>"));
        assert_eq!(checkup.kind.file_prefix(), "TKKsiquc01");
        assert!(PdfAnswer::new(b"%PDF-1.7\n...".to_vec()).is_some());
        assert!(PdfAnswer::new(b"<XmlMsg/>".to_vec()).is_none());
        let pdf = PdfAnswer::new(b"%PDF-1.7".to_vec()).unwrap();
        assert_eq!(format!("{pdf:?}"), "PdfAnswer(<8 bytes redacted>)");
    }
}
