//! 特定健診等情報 (specific health check-up) view: one record per check-up
//! (`SpecificHealthCheckupsInfoList/SpecificHealthCheckupsInfo`) with its items
//! (`CheckupItem`) ⚠ names are this crate's.

use crate::date::CalendarDate;
use crate::eligibility::error::EligibilityError;
use crate::eligibility::fields::{At, opt_date, wire};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// One check-up item and its value. Mandatory: `ItemName`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CheckupItem {
    /// 項目コード (`ItemCode`).
    pub code: Option<String>,
    /// 項目名 (`ItemName`).
    pub name: String,
    /// 結果値 (`ItemValue`, kept as written).
    pub value: Option<String>,
    /// 単位 (`ItemUnit`).
    pub unit: Option<String>,
}

/// One check-up. Mandatory: `CheckupDate`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct HealthCheckupRecord {
    /// 実施年月日 (`CheckupDate`).
    pub date: CalendarDate,
    /// 実施機関名 (`CheckupInstitutionName`).
    pub institution: Option<String>,
    /// Items (`CheckupItem`, repeated).
    pub items: Vec<CheckupItem>,
}

/// A 特定健診等情報 file.
pub type HealthCheckupFile = super::ViewFile<HealthCheckupRecord>;

wire! {
    struct WireItem {
        item_code: Option<String>,
        item_name: Option<String>,
        item_value: Option<String>,
        item_unit: Option<String>,
    }
}

wire! {
    struct WireCheckup {
        checkup_date: Option<String>,
        checkup_institution_name: Option<String>,
        checkup_item: Vec<WireItem>,
    }
}

impl HealthCheckupRecord {
    fn from_wire(w: WireCheckup, at: At) -> Result<Self, EligibilityError> {
        Ok(Self {
            date: at
                .date(w.checkup_date, "CheckupDate")?
                .ok_or(at.missing("CheckupDate"))?,
            institution: at.text(w.checkup_institution_name),
            items: w
                .checkup_item
                .into_iter()
                .map(|i| -> Result<_, EligibilityError> {
                    Ok(CheckupItem {
                        code: at.text(i.item_code),
                        name: at.required(i.item_name, "ItemName")?,
                        value: at.text(i.item_value),
                        unit: at.text(i.item_unit),
                    })
                })
                .collect::<Result<_, _>>()?,
        })
    }

    fn to_wire(&self) -> WireCheckup {
        WireCheckup {
            checkup_date: opt_date(&Some(self.date)),
            checkup_institution_name: self.institution.clone(),
            checkup_item: self
                .items
                .iter()
                .map(|i| WireItem {
                    item_code: i.code.clone(),
                    item_name: Some(i.name.clone()),
                    item_value: i.value.clone(),
                    item_unit: i.unit.clone(),
                })
                .collect(),
        }
    }
}

super::view_file! {
    record = HealthCheckupRecord, wire_record = WireCheckup,
    list = WireCheckupList { specific_health_checkups_info },
    list_field = specific_health_checkups_info_list,
    body = WireCheckupBody, file = WireCheckupFile,
    parse = parse_health_checkups, parse_with = parse_health_checkups_with,
    doc = "特定健診等情報"
}
