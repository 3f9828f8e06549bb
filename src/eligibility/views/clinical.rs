//! 診療情報 (clinical) view: one record per visit (`DiagnosisInfoList/
//! DiagnosisInfo`) with its diagnoses (`Diagnosis`) and procedures
//! (`Procedure`) ⚠ names are this crate's.

use crate::date::CalendarDate;
use crate::eligibility::error::EligibilityError;
use crate::eligibility::fields::{At, opt_date, wire};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// A coded entry (diagnosis or procedure). Mandatory: its name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CodedEntry {
    /// Code (`DiseaseCode` / `ProcedureCode`).
    pub code: Option<String>,
    /// Name (`DiseaseName` / `ProcedureName`).
    pub name: String,
}

/// One visit. Mandatory: `TreatmentDate`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ClinicalRecord {
    /// 診療年月日 (`TreatmentDate`).
    pub date: CalendarDate,
    /// 医療機関名 (`MedicalInstitutionName`).
    pub facility: Option<String>,
    /// 傷病名 (`Diagnosis`, repeated).
    pub diagnoses: Vec<CodedEntry>,
    /// 診療行為 (`Procedure`, repeated).
    pub procedures: Vec<CodedEntry>,
}

/// A 診療情報 file.
pub type ClinicalFile = super::ViewFile<ClinicalRecord>;

wire! {
    struct WireDiagnosis {
        disease_code: Option<String>,
        disease_name: Option<String>,
    }
}

wire! {
    struct WireProcedure {
        procedure_code: Option<String>,
        procedure_name: Option<String>,
    }
}

wire! {
    struct WireClinical {
        treatment_date: Option<String>,
        medical_institution_name: Option<String>,
        diagnosis: Vec<WireDiagnosis>,
        procedure: Vec<WireProcedure>,
    }
}

impl ClinicalRecord {
    fn from_wire(w: WireClinical, at: At) -> Result<Self, EligibilityError> {
        Ok(Self {
            date: at
                .date(w.treatment_date, "TreatmentDate")?
                .ok_or(at.missing("TreatmentDate"))?,
            facility: at.text(w.medical_institution_name),
            diagnoses: w
                .diagnosis
                .into_iter()
                .map(|d| {
                    Ok(CodedEntry {
                        code: at.text(d.disease_code),
                        name: at.required(d.disease_name, "DiseaseName")?,
                    })
                })
                .collect::<Result<_, EligibilityError>>()?,
            procedures: w
                .procedure
                .into_iter()
                .map(|p| {
                    Ok(CodedEntry {
                        code: at.text(p.procedure_code),
                        name: at.required(p.procedure_name, "ProcedureName")?,
                    })
                })
                .collect::<Result<_, EligibilityError>>()?,
        })
    }

    fn to_wire(&self) -> WireClinical {
        WireClinical {
            treatment_date: opt_date(&Some(self.date)),
            medical_institution_name: self.facility.clone(),
            diagnosis: self
                .diagnoses
                .iter()
                .map(|d| WireDiagnosis {
                    disease_code: d.code.clone(),
                    disease_name: Some(d.name.clone()),
                })
                .collect(),
            procedure: self
                .procedures
                .iter()
                .map(|p| WireProcedure {
                    procedure_code: p.code.clone(),
                    procedure_name: Some(p.name.clone()),
                })
                .collect(),
        }
    }
}

super::view_file! {
    record = ClinicalRecord, wire_record = WireClinical,
    list = WireClinicalList { diagnosis_info }, list_field = diagnosis_info_list,
    body = WireClinicalBody, file = WireClinicalFile,
    parse = parse_clinical, parse_with = parse_clinical_with, doc = "診療情報"
}
