//! The one line a receptionist reads off a qualification record: 氏名,
//! 保険者番号, 記号・番号・枝番, 負担割合, 有効期限, 限度額区分.

use super::personal::PersonalText;
use super::qualification::{BurdenRatio, QualificationRecord};
use crate::date::CalendarDate;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

/// A receptionist's summary of a [`QualificationRecord`]. Its `Display` shows
/// the personal values (that is its purpose: the reception screen); its
/// `Debug` redacts them.
/// JSON (feature `serde`): its fields and `"text"`, the `Display` line.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceptionSummary {
    /// 氏名.
    pub name: PersonalText,
    /// 保険者番号 (or, for 医療扶助, the 公費負担者番号).
    pub insurer: Option<String>,
    /// 記号・番号・枝番, joined with `・` (absent parts left out).
    pub symbol_number_branch: PersonalText,
    /// 負担割合: the effective one
    /// ([`QualificationRecord::effective_burden_ratio`]).
    pub burden: Option<BurdenRatio>,
    /// 有効期限 (`InsuredCardExpirationDate`).
    pub valid_until: Option<CalendarDate>,
    /// 限度額区分: code and meaning (e.g. `A03 ウ`).
    pub limit_category: Option<String>,
}

impl ReceptionSummary {
    /// Summarises a record, its 負担割合 for an unknown check date (a
    /// 高齢受給者証's ratio applies whatever its validity).
    pub fn of(r: &QualificationRecord) -> Self {
        Self::on(r, None)
    }

    /// Summarises a record, its 負担割合 the one that applies on `on`.
    pub fn on(r: &QualificationRecord, on: Option<CalendarDate>) -> Self {
        let parts: Vec<&str> = [
            r.insured_card_symbol.as_ref(),
            r.insured_identification_number.as_ref(),
            r.insured_branch_number.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(PersonalText::expose)
        .collect();
        let joined = zeroize::Zeroizing::new(parts.join("・"));
        Self {
            name: r.name.clone(),
            insurer: r
                .insurer_number
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .or_else(|| {
                    r.public_expense_number
                        .as_ref()
                        .map(|n| n.as_str().to_owned())
                }),
            symbol_number_branch: PersonalText::new(joined.as_str()),
            burden: r.effective_burden_ratio(on).map(|e| e.ratio),
            valid_until: r.valid_until,
            limit_category: r
                .limit_application_certificate
                .as_ref()
                .and_then(|l| l.category.as_ref())
                .map(|c| match c.meaning() {
                    Some(m) => format!("{} {m}", c.code()),
                    None => c.code().to_owned(),
                }),
        }
    }
}

impl QualificationRecord {
    /// The receptionist's one-line summary.
    pub fn summary(&self) -> ReceptionSummary {
        ReceptionSummary::of(self)
    }
}

/// `氏名 … / 保険者番号 … / 記号・番号・枝番 … / 負担割合 3割 / 有効期限 2026-03-31 / 限度額区分 A03 ウ`
/// (`-` for what the record does not say).
impl fmt::Display for ReceptionSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dash = |o: Option<String>| o.unwrap_or_else(|| "-".to_owned());
        write!(
            f,
            "氏名 {} / 保険者番号 {} / 記号・番号・枝番 {} / 負担割合 {} / 有効期限 {} / 限度額区分 {}",
            self.name.expose(),
            dash(self.insurer.clone()),
            if self.symbol_number_branch.expose().is_empty() {
                "-"
            } else {
                self.symbol_number_branch.expose()
            },
            dash(self.burden.map(|b| b.to_string())),
            dash(self.valid_until.map(|d| d.to_string())),
            dash(self.limit_category.clone()),
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ReceptionSummary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let text = zeroize::Zeroizing::new(self.to_string());
        let mut st = s.serialize_struct("ReceptionSummary", 7)?;
        st.serialize_field("text", text.as_str())?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("insurer", &self.insurer)?;
        st.serialize_field("symbol_number_branch", &self.symbol_number_branch)?;
        st.serialize_field("burden", &self.burden)?;
        st.serialize_field("valid_until", &self.valid_until)?;
        st.serialize_field("limit_category", &self.limit_category)?;
        st.end()
    }
}

impl fmt::Debug for ReceptionSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceptionSummary")
            .field("name", &self.name)
            .field("insurer", &self.insurer)
            .field("symbol_number_branch", &self.symbol_number_branch)
            .field("burden", &self.burden.map(|b| b.to_string()))
            .field("valid_until", &self.valid_until)
            .field("limit_category", &self.limit_category)
            .finish()
    }
}
