//! 薬剤情報 (medication) view: one record per dispensed drug
//! (`PharmacistsInfoList/PharmacistsInfo`) ⚠ names are this crate's.

use crate::date::CalendarDate;
use crate::eligibility::error::EligibilityError;
use crate::eligibility::fields::{At, opt_date, wire};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// One dispensed drug. Mandatory: `DispensingDate`, `DrugName`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct MedicationRecord {
    /// 調剤年月日 (`DispensingDate`).
    pub dispensing_date: CalendarDate,
    /// 医療機関・薬局名 (`MedicalInstitutionName`).
    pub facility: Option<String>,
    /// 薬剤名 (`DrugName`).
    pub drug_name: String,
    /// 薬剤コード (`DrugCode`, e.g. YJ code).
    pub drug_code: Option<String>,
    /// 数量 (`Quantity`, kept as written: it may be a decimal).
    pub quantity: Option<String>,
    /// 単位 (`Unit`).
    pub unit: Option<String>,
    /// 用法 (`Dosage`).
    pub dosage: Option<String>,
    /// 調剤日数 (`DispensingDays`).
    pub days: Option<u64>,
}

/// A 薬剤情報 file.
pub type MedicationFile = super::ViewFile<MedicationRecord>;

wire! {
    struct WireMedication {
        dispensing_date: Option<String>,
        medical_institution_name: Option<String>,
        drug_name: Option<String>,
        drug_code: Option<String>,
        quantity: Option<String>,
        unit: Option<String>,
        dosage: Option<String>,
        dispensing_days: Option<String>,
    }
}

impl MedicationRecord {
    fn from_wire(w: WireMedication, at: At) -> Result<Self, EligibilityError> {
        Ok(Self {
            dispensing_date: at
                .date(w.dispensing_date, "DispensingDate")?
                .ok_or(at.missing("DispensingDate"))?,
            facility: at.text(w.medical_institution_name),
            drug_name: at.required(w.drug_name, "DrugName")?,
            drug_code: at.text(w.drug_code),
            quantity: at.text(w.quantity),
            unit: at.text(w.unit),
            dosage: at.text(w.dosage),
            days: at.amount(w.dispensing_days, "DispensingDays")?,
        })
    }

    fn to_wire(&self) -> WireMedication {
        WireMedication {
            dispensing_date: opt_date(&Some(self.dispensing_date)),
            medical_institution_name: self.facility.clone(),
            drug_name: Some(self.drug_name.clone()),
            drug_code: self.drug_code.clone(),
            quantity: self.quantity.clone(),
            unit: self.unit.clone(),
            dosage: self.dosage.clone(),
            dispensing_days: self.days.map(|d| d.to_string()),
        }
    }
}

super::view_file! {
    record = MedicationRecord, wire_record = WireMedication,
    list = WireMedicationList { pharmacists_info }, list_field = pharmacists_info_list,
    body = WireMedicationBody, file = WireMedicationFile,
    parse = parse_medication, parse_with = parse_medication_with, doc = "薬剤情報"
}
