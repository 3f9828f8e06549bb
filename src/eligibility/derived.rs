//! What a hospital system reads first off a result file, computed once in
//! Rust and carried in the one JSON shape every binding produces: per record
//! the effective 負担割合 with its rule and source ([`EffectiveBurden`]), the
//! 検証番号 status of its identifiers, the receptionist's summary and the
//! meaning of every code it holds.
//!
//! JSON (feature `serde`): a result file serialises as
//! `{"header": …, "body": …, "unknown": […], "check_date": "YYYY-MM-DD" | null,
//! "labels": {…}}` and each record of `body.results` (and of
//! `body.bulk_units[].results`) carries, beside its fields, a `"derived"`
//! object:
//!
//! ```json
//! "derived": {
//!   "effective_burden": {"ratio": {"percent": 20}, "rule": "elderly_recipient_certificate",
//!                        "source": "ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio"},
//!   "check_digits": {"insurer_number": "valid", "public_expense_number": null,
//!                    "beneficiary_number": null},
//!   "summary": {"text": "氏名 … / 負担割合 2割 / …", "name": "…", …},
//!   "labels": {"insured_card_classification": "被保険者証（一般）", "sex1": "男", …}
//! }
//! ```
//!
//! `check_date`, `labels` and `derived` are output only: reading the JSON
//! back ignores them and recomputes them from the fields.

use super::burden::EffectiveBurden;
use super::qualification::QualificationRecord;
use super::result_file::ResultFile;
use super::summary::ReceptionSummary;
use crate::date::CalendarDate;
use alloc::vec::Vec;

#[cfg(feature = "serde")]
use serde::Serialize;

/// The 検証番号 (check digit) status of one identifier. JSON: `"valid"` /
/// `"invalid"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CheckDigitStatus {
    /// The 検証番号 matches the rule.
    Valid,
    /// It does not (kept because the file was read with
    /// [`CheckDigitPolicy::Record`](super::CheckDigitPolicy::Record), the default).
    Invalid,
}

impl CheckDigitStatus {
    fn of(matches: bool) -> Self {
        if matches { Self::Valid } else { Self::Invalid }
    }
}

/// The 検証番号 status of a record's identifiers (`None`: the record has no
/// such identifier; a 6-digit 国保 保険者番号 has one too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct CheckDigits {
    /// 保険者番号 (`InsurerNumber`).
    pub insurer_number: Option<CheckDigitStatus>,
    /// 公費負担者番号 (`PublicExpenseNumber`).
    pub public_expense_number: Option<CheckDigitStatus>,
    /// 受給者番号 (`BeneficiaryNumber`).
    pub beneficiary_number: Option<CheckDigitStatus>,
}

/// Everything [`QualificationRecord::derived`] computes for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct RecordDerived {
    /// The 負担割合 that applies on the check date.
    pub effective_burden: Option<EffectiveBurden>,
    /// The 検証番号 status of the identifiers.
    pub check_digits: CheckDigits,
    /// The receptionist's summary (its `burden` is `effective_burden`'s ratio).
    pub summary: ReceptionSummary,
    /// The meaning of each code the record holds, by its JSON field path
    /// (`"limit_application_certificate.category"`); unknown codes are left out.
    #[cfg_attr(feature = "serde", serde(serialize_with = "labels_as_map"))]
    pub labels: Vec<(&'static str, &'static str)>,
}

impl QualificationRecord {
    /// The 検証番号 status of the record's identifiers.
    pub fn check_digits(&self) -> CheckDigits {
        CheckDigits {
            insurer_number: self
                .insurer_number
                .as_ref()
                .map(|n| CheckDigitStatus::of(n.check_digit_matches())),
            public_expense_number: self
                .public_expense_number
                .as_ref()
                .map(|n| CheckDigitStatus::of(n.check_digit_matches())),
            beneficiary_number: self
                .beneficiary_number
                .as_ref()
                .map(|n| CheckDigitStatus::of(n.check_digit_matches())),
        }
    }

    /// The meaning of each code the record holds, by JSON field path, in field
    /// order (unknown codes left out).
    pub fn labels(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        let mut put = |path: &'static str, meaning: Option<&'static str>| {
            if let Some(m) = meaning {
                out.push((path, m));
            }
        };
        macro_rules! code {
            ($path:literal, $v:expr) => {
                put($path, $v.as_ref().and_then(|c| c.meaning()))
            };
        }
        code!(
            "insured_card_classification",
            self.insured_card_classification
        );
        code!(
            "personal_family_classification",
            self.personal_family_classification
        );
        code!("sex1", self.sex1);
        code!("sex2", self.sex2);
        code!("reason_of_loss", self.reason_of_loss);
        code!("preschool", self.preschool);
        if let Some(l) = &self.limit_application_certificate {
            put(
                "limit_application_certificate.classification",
                l.classification.meaning(),
            );
            code!("limit_application_certificate.category", l.category);
        }
        code!(
            "limit_application_certificate_changed",
            self.limit_application_certificate_changed
        );
        let c = &self.consents;
        put(
            "consents.limit_application.flag",
            c.limit_application.as_ref().and_then(|c| c.flag.meaning()),
        );
        put(
            "consents.specific_diseases.flag",
            c.specific_diseases.as_ref().and_then(|c| c.flag.meaning()),
        );
        put(
            "consents.medication.flag",
            c.medication.as_ref().and_then(|c| c.flag.meaning()),
        );
        put(
            "consents.health_checkups.flag",
            c.health_checkups.as_ref().and_then(|c| c.flag.meaning()),
        );
        put(
            "consents.clinical.flag",
            c.clinical.as_ref().and_then(|c| c.flag.meaning()),
        );
        put(
            "consents.operation.flag",
            c.operation.as_ref().and_then(|c| c.flag.meaning()),
        );
        code!("prescription_issue", self.prescription_issue);
        out
    }

    /// What an EHR reads first, for the check date `on` (see
    /// [`ResultFile::check_date`]).
    pub fn derived(&self, on: Option<CalendarDate>) -> RecordDerived {
        RecordDerived {
            effective_burden: self.effective_burden_ratio(on),
            check_digits: self.check_digits(),
            summary: ReceptionSummary::on(self, on),
            labels: self.labels(),
        }
    }
}

impl ResultFile {
    /// The date eligibility is checked for: the header's
    /// `QualificationConfirmationDate`, else the date of its
    /// `ProcessExecutionTime`.
    pub fn check_date(&self) -> Option<CalendarDate> {
        self.header
            .qualification_confirmation_date
            .or_else(|| self.header.process_execution_time.map(|t| t.date()))
    }

    /// The meaning of each code of the header and body, by JSON field path
    /// (`"header.segment_of_result"`; unknown codes left out).
    pub fn labels(&self) -> Vec<(&'static str, &'static str)> {
        let h = &self.header;
        let b = self.body.as_ref();
        [
            (
                "header.reference_classification",
                h.reference_classification
                    .as_ref()
                    .and_then(|c| c.meaning()),
            ),
            ("header.segment_of_result", h.segment_of_result.meaning()),
            (
                "header.character_code",
                h.character_code.as_ref().and_then(|c| c.meaning()),
            ),
            (
                "body.processing_result_status",
                b.and_then(|b| b.processing_result_status.as_ref())
                    .and_then(|c| c.meaning()),
            ),
            (
                "body.qualification_validity",
                b.and_then(|b| b.qualification_validity.as_ref())
                    .and_then(|c| c.meaning()),
            ),
            (
                "body.prescription_issue",
                b.and_then(|b| b.prescription_issue.as_ref())
                    .and_then(|c| c.meaning()),
            ),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }
}

#[cfg(feature = "serde")]
fn labels_as_map<S: serde::Serializer>(
    labels: &[(&'static str, &'static str)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(labels.iter().copied())
}

#[cfg(feature = "serde")]
pub(crate) mod json {
    //! The serde form of a result file with its derived values.
    use super::*;
    use crate::eligibility::result_file::{BulkConfirmUnit, ResultBody};
    use serde::ser::{SerializeStruct, Serializer};

    struct Record<'a> {
        record: &'a QualificationRecord,
        on: Option<CalendarDate>,
    }

    impl Serialize for Record<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            #[derive(Serialize)]
            struct Out<'a> {
                #[serde(flatten)]
                record: &'a QualificationRecord,
                derived: RecordDerived,
            }
            Out {
                record: self.record,
                derived: self.record.derived(self.on),
            }
            .serialize(s)
        }
    }

    fn records<'a>(
        records: &'a [QualificationRecord],
        on: Option<CalendarDate>,
    ) -> Vec<Record<'a>> {
        records.iter().map(|record| Record { record, on }).collect()
    }

    struct Unit<'a> {
        unit: &'a BulkConfirmUnit,
        on: Option<CalendarDate>,
    }

    impl Serialize for Unit<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let u = self.unit;
            let mut st = s.serialize_struct("BulkConfirmUnit", 8)?;
            st.serialize_field("search", &u.search)?;
            st.serialize_field("processing_result_status", &u.processing_result_status)?;
            st.serialize_field("processing_result_code", &u.processing_result_code)?;
            st.serialize_field("processing_result_message", &u.processing_result_message)?;
            st.serialize_field("qualification_validity", &u.qualification_validity)?;
            st.serialize_field("results", &records(&u.results, self.on))?;
            st.serialize_field("reference_numbers", &u.reference_numbers)?;
            st.serialize_field("unknown", &u.unknown)?;
            st.end()
        }
    }

    struct Body<'a> {
        body: &'a ResultBody,
        on: Option<CalendarDate>,
    }

    impl Serialize for Body<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let b = self.body;
            let units: Vec<Unit<'_>> = b
                .bulk_units
                .iter()
                .map(|unit| Unit { unit, on: self.on })
                .collect();
            let mut st = s.serialize_struct("ResultBody", 9)?;
            st.serialize_field("processing_result_status", &b.processing_result_status)?;
            st.serialize_field("processing_result_code", &b.processing_result_code)?;
            st.serialize_field("processing_result_message", &b.processing_result_message)?;
            st.serialize_field("qualification_validity", &b.qualification_validity)?;
            st.serialize_field("search", &b.search)?;
            st.serialize_field("prescription_issue", &b.prescription_issue)?;
            st.serialize_field("results", &records(&b.results, self.on))?;
            st.serialize_field("reception", &b.reception)?;
            st.serialize_field("bulk_units", &units)?;
            st.end()
        }
    }

    impl Serialize for ResultFile {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let on = self.check_date();
            let mut st = s.serialize_struct("ResultFile", 5)?;
            st.serialize_field("header", &self.header)?;
            st.serialize_field("body", &self.body.as_ref().map(|body| Body { body, on }))?;
            st.serialize_field("unknown", &self.unknown)?;
            st.serialize_field("check_date", &on)?;
            st.serialize_field("labels", &Labels(self.labels()))?;
            st.end()
        }
    }

    struct Labels(Vec<(&'static str, &'static str)>);

    impl Serialize for Labels {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            labels_as_map(&self.0, s)
        }
    }
}
