//! A stand-in for the 資格確認端末: builds the result file it would answer to a
//! request, for a test patient. For tests and demos only — the values are
//! plausible, not the national system's.
//!
//! ```
//! use mynacard::eligibility::{sample_face_result, ConsentFlags, DateTime,
//!     MedicalInstitutionCode, SamplePatient, XmlEncoding, parse_result};
//! let row = "yamada\tcard\t山田　太郎\t00000\t東京都千代田区霞が関２－１－２\t0\t19900401\t1\t1\t-";
//! let patient = SamplePatient::from_holders_row(row).unwrap();
//! let facility = MedicalInstitutionCode::parse("1310012345").unwrap();
//! let at = DateTime::parse_compact("20260115093000").unwrap();
//! let consents = ConsentFlags::given_at(at, true, true, true, true);
//! let mut file = sample_face_result(&facility, &patient, &consents, at);
//! file.header.character_code = Some(XmlEncoding::ShiftJis.character_code());
//! let xml = file.to_xml(XmlEncoding::ShiftJis).unwrap();
//! assert_eq!(parse_result(&xml).unwrap(), file);
//! ```

use super::codes::{
    CharacterCode, InsuredCardClassification, LimitApplicationCertificateClassification,
    LimitCategory, PersonalFamilyClassification, PreschoolClassification, PrescriptionIssueSelect,
    ProcessingResultStatus, QualificationValidity, ReferenceClassification, SegmentOfResult,
    SexCode,
};
use super::dates::DateTime;
use super::ids::{InsurerNumber, MedicalInstitutionCode};
use super::personal::{BirthDate, PersonalText};
use super::qualification::{
    BurdenRatio, ConsentFlags, ElderlyRecipientCertificate, LimitApplicationCertificate,
    QualificationRecord,
};
use super::request_file::EligibilityRequest;
use super::result_file::{ResultBody, ResultFile, ResultHeader};
use super::unknown::UnknownElements;
use crate::date::CalendarDate;
use alloc::borrow::ToOwned;
use alloc::vec::Vec;

/// A test patient: what a sample result needs to know about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamplePatient {
    /// 氏名.
    pub name: PersonalText,
    /// カナ氏名.
    pub name_kana: Option<PersonalText>,
    /// 生年月日.
    pub birthdate: BirthDate,
    /// 性別.
    pub sex: SexCode,
    /// 住所.
    pub address: Option<PersonalText>,
}

impl SamplePatient {
    /// Reads one row of `crates/mynacard-virtual-card/data/holders.tsv` (tab-separated: id, token,
    /// name, name_flags, address, address_flags, birth `YYYYMMDD`, cert_sex…).
    /// `None` for comment lines and rows that do not have these columns.
    pub fn from_holders_row(row: &str) -> Option<Self> {
        if row.starts_with('#') {
            return None;
        }
        let cols: Vec<&str> = row.split('\t').collect();
        let (name, address, birth, sex) = (cols.get(2)?, cols.get(4)?, cols.get(6)?, cols.get(7)?);
        Some(Self {
            name: PersonalText::new(*name),
            name_kana: None,
            birthdate: BirthDate::parse_yyyymmdd(birth).ok()?,
            sex: SexCode::from_code(sex),
            address: Some(PersonalText::new(*address)),
        })
    }
}

/// 協会けんぽ東京支部 (public real number).
const KYOKAI_TOKYO: &str = "01130012";
/// 東京都後期高齢者医療広域連合.
const KOUKI_TOKYO: &str = "39131156";

fn header(
    facility: &MedicalInstitutionCode,
    classification: ReferenceClassification,
    processed_at: DateTime,
) -> ResultHeader {
    ResultHeader {
        medical_institution_code: facility.clone(),
        arbitrary_file_identifier: None,
        reference_classification: Some(classification),
        process_execution_time: Some(processed_at),
        qualification_confirmation_date: Some(processed_at.date()),
        segment_of_result: SegmentOfResult::Completed,
        error_code: None,
        error_message: None,
        character_code: Some(CharacterCode::Utf8),
        reception_number: None,
        bulk_counts: None,
    }
}

fn file(
    header: ResultHeader,
    validity: QualificationValidity,
    results: Vec<QualificationRecord>,
) -> ResultFile {
    ResultFile {
        header,
        body: Some(ResultBody {
            processing_result_status: Some(ProcessingResultStatus::Completed),
            processing_result_code: None,
            processing_result_message: None,
            qualification_validity: Some(validity),
            search: None,
            prescription_issue: None,
            results,
            reception: None,
            bulk_units: Vec::new(),
        }),
        unknown: UnknownElements::new(),
    }
}

/// The record the terminal would hold for `patient` on `today`: a 協会けんぽ東京
/// qualification (後期高齢者 from 75), 負担割合 by age (2割 before school
/// (未就学) and 70–74, 1割 from 75, else 3割), a 高齢受給者証 from 70 to 74,
/// and a 限度額適用認定証 when `limit` (the patient consented).
pub fn sample_record(
    patient: &SamplePatient,
    today: CalendarDate,
    limit: bool,
) -> QualificationRecord {
    let birth = patient.birthdate.expose();
    let age = super::dates::age_on(&birth, today);
    let (number, name) = if age >= 75 {
        (KOUKI_TOKYO, "東京都後期高齢者医療広域連合")
    } else {
        (KYOKAI_TOKYO, "全国健康保険協会東京支部")
    };
    let mut record = QualificationRecord::insured(
        InsurerNumber::known(number),
        PersonalText::new(format!("{:02}{:02}", birth.month(), birth.day())),
        patient.name.clone(),
        patient.birthdate.clone(),
    );
    record.insurer_name = Some(name.to_owned());
    record.insured_card_symbol = Some(PersonalText::new("1234"));
    record.insured_branch_number = Some(PersonalText::new("00"));
    record.insured_card_classification = Some(InsuredCardClassification::General);
    record.personal_family_classification = Some(PersonalFamilyClassification::Insured);
    record.name_kana = patient.name_kana.clone();
    record.sex1 = Some(patient.sex.clone());
    record.sex2 = Some(patient.sex.clone());
    record.address = patient.address.clone();
    let start = CalendarDate::new(today.year(), 4, 1)
        .ok()
        .filter(|d| *d <= today);
    let start = start.or_else(|| CalendarDate::new(today.year().saturating_sub(1), 4, 1).ok());
    record.qualification_date = start;
    record.valid_from = start;
    // 未就学: until the 31 March before the school year in which the child
    // is 6 on 1 April (a child born on 1 April goes a year early).
    let years_to_school = if (birth.month(), birth.day()) <= (4, 1) {
        6
    } else {
        7
    };
    let entry_year = birth.year().saturating_add(years_to_school);
    let preschool = CalendarDate::new(entry_year, 4, 1).is_ok_and(|entry| today < entry);
    let percent = match age {
        _ if preschool => 20,
        70..=74 => 20,
        75.. => 10,
        _ => 30,
    };
    record.contribution_ratio = BurdenRatio::from_percent(percent);
    if preschool {
        record.preschool = Some(PreschoolClassification::Preschool);
    }
    if (70..75).contains(&age) {
        record.elderly_recipient = Some(ElderlyRecipientCertificate {
            issuance_date: start,
            valid_from: start,
            valid_until: None,
            contribution_ratio: BurdenRatio::from_percent(percent),
            unknown: UnknownElements::new(),
        });
    }
    if limit {
        record.limit_application_certificate = Some(LimitApplicationCertificate {
            classification: LimitApplicationCertificateClassification::LimitApplication,
            category: Some(if age >= 70 {
                LimitCategory::General
            } else {
                LimitCategory::U
            }),
            issuance_date: start,
            valid_from: start,
            valid_until: None,
            long_term_date: None,
            unknown: UnknownElements::new(),
        });
    }
    record
}

/// The face result the terminal writes on its own after `patient` was
/// verified at the reader and gave `consents` there (照会区分 1).
pub fn sample_face_result(
    facility: &MedicalInstitutionCode,
    patient: &SamplePatient,
    consents: &ConsentFlags,
    processed_at: DateTime,
) -> ResultFile {
    let limit = consents
        .limit_application
        .as_ref()
        .is_some_and(|c| c.flag == super::codes::ConsentFlag::Consented);
    let mut record = sample_record(patient, processed_at.date(), limit);
    record.consents = consents.clone();
    record.prescription_issue = Some(PrescriptionIssueSelect::Electronic);
    file(
        header(
            facility,
            ReferenceClassification::MyNumberCard,
            processed_at,
        ),
        QualificationValidity::Valid,
        vec![record],
    )
}

/// The result the terminal answers to a 記号・番号 `request` for `patient`
/// (照会区分 2, the search keys echoed): the request's identifiers on the
/// patient's record; a birth date that is not the patient's gives 資格有効性
/// `4` 該当資格なし and no record.
pub fn sample_result(
    request: &EligibilityRequest,
    patient: &SamplePatient,
    processed_at: DateTime,
) -> ResultFile {
    let search = &request.search;
    let mut h = header(
        &request.medical_institution_code,
        ReferenceClassification::InsuranceCardInfo,
        processed_at,
    );
    h.arbitrary_file_identifier = request.arbitrary_file_identifier.clone();
    if let Some(d) = request.qualification_confirmation_date {
        h.qualification_confirmation_date = Some(d);
    }
    let today = h
        .qualification_confirmation_date
        .unwrap_or(processed_at.date());
    let mut f = if search.birthdate != patient.birthdate {
        file(h, QualificationValidity::NoQualification, Vec::new())
    } else {
        let mut record = sample_record(patient, today, search.limit_application_consent);
        record.insurer_number = Some(search.insurer_number.clone());
        record.insured_card_symbol = search.insured_card_symbol.clone();
        record.insured_identification_number = Some(search.insured_identification_number.clone());
        record.insured_branch_number = search.insured_branch_number.clone();
        record.arbitrary_identifier = search.arbitrary_identifier.clone();
        record.consents.limit_application = Some(super::qualification::Consent {
            flag: if search.limit_application_consent {
                super::codes::ConsentFlag::Consented
            } else {
                super::codes::ConsentFlag::NotConsented
            },
            time: search.limit_application_consent.then_some(processed_at),
            available_time: None,
        });
        file(h, QualificationValidity::Valid, vec![record])
    };
    if let Some(b) = f.body.as_mut() {
        b.search = Some(search.clone());
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::codes::PreschoolClassification;

    fn record_for(birth: &str, on: &str) -> QualificationRecord {
        let patient = SamplePatient {
            name: PersonalText::new("試験　花子"),
            name_kana: None,
            birthdate: BirthDate::parse_yyyymmdd(birth).unwrap(),
            sex: SexCode::Female,
            address: None,
        };
        let facility = MedicalInstitutionCode::parse("1310012345").unwrap();
        let at = DateTime::new(super::super::dates::parse_date(on).unwrap(), 9, 0, 0).unwrap();
        let consents = ConsentFlags::given_at(at, true, true, true, true);
        sample_face_result(&facility, &patient, &consents, at)
            .body
            .unwrap()
            .results
            .remove(0)
    }

    #[test]
    fn preschool_ends_with_the_school_year() {
        // Born 1 April: school from April of the year they turn 6.
        let early = record_for("20190401", "20250501");
        assert_eq!(early.preschool, None);
        assert_eq!(early.contribution_ratio.map(|r| r.percent()), Some(30));
        // Born 2 April: one more year of 未就学.
        let late = record_for("20190402", "20250501");
        assert_eq!(late.preschool, Some(PreschoolClassification::Preschool));
        assert_eq!(late.contribution_ratio.map(|r| r.percent()), Some(20));
        assert_eq!(record_for("20190402", "20260401").preschool, None);
    }

    #[test]
    fn elderly_and_limit_certificates_by_age() {
        let seventy_two = record_for("19530601", "20260115");
        assert_eq!(
            seventy_two.contribution_ratio.map(|r| r.percent()),
            Some(20)
        );
        assert!(seventy_two.elderly_recipient.is_some());
        assert_eq!(
            seventy_two
                .limit_application_certificate
                .and_then(|l| l.category),
            Some(LimitCategory::General)
        );
        let forty = record_for("19851231", "20260115");
        assert_eq!(
            forty.limit_application_certificate.and_then(|l| l.category),
            Some(LimitCategory::U)
        );
        assert_eq!(forty.qualification_date, CalendarDate::new(2025, 4, 1).ok());
    }
}
