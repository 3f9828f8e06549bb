//! The qualification record (`ResultOfQualificationConfirmation`) and its
//! sub-records: 高齢受給者証, 限度額適用認定証, 特定疾病療養受療証, consents, and
//! 公費 (医療費助成) recipients.
//!
//! Element names of the sub-records that the fact sheet marks ⚠ (it names the
//! blocks but not all of their children) are this crate's choice and are listed
//! on each field; unknown elements anywhere in a record are skipped.

use super::codes::{
    ConsentFlag, InsuredCardClassification, LimitApplicationCertificateClassification,
    LimitCategory, PersonalFamilyClassification, PreschoolClassification, PrescriptionIssueSelect,
    ReasonOfLoss, Sex, SpecificDisease, SpecificDiseasesConsentFlag,
};
use super::dates::{Date, DateTime};
use super::error::{EligibilityError, ValueError};
use super::fields::{At, opt_date, opt_datetime, opt_personal, wire};
use super::ids::{
    CheckDigitPolicy, InsurerNumber, PublicExpensePayerNumber, PublicExpenseRecipientNumber,
};
use super::personal::{BirthDate, PersonalText};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// 一部負担金割合 as a percentage: the file's 3 digits (`030` = 3割 = 30 %) ⚠.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct BurdenRatio {
    percent: u8,
}

impl BurdenRatio {
    /// A ratio of 0–100 %.
    pub fn from_percent(percent: u8) -> Option<Self> {
        (percent <= 100).then_some(Self { percent })
    }

    /// Parses the file's 3 digits (`010`, `020`, `030`).
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let bad = || ValueError::Number {
            found: s.to_owned(),
            expected: "3 digits of percent (000-100)",
        };
        if s.len() != 3 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let v = s.bytes().fold(0u16, |a, c| a * 10 + u16::from(c - b'0'));
        u8::try_from(v)
            .ok()
            .and_then(Self::from_percent)
            .ok_or_else(bad)
    }

    /// The percentage.
    pub fn percent(&self) -> u8 {
        self.percent
    }

    /// In 割 (tenths), when it is a whole number of 割.
    pub fn wari(&self) -> Option<u8> {
        self.percent.is_multiple_of(10).then_some(self.percent / 10)
    }

    /// The file's 3 digits.
    pub fn to_code(&self) -> String {
        format!("{:03}", self.percent)
    }
}

/// A consent flag with its times (`…ConsFlg`, `…ConsTime`, `…AvailableTime`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Consent<F> {
    /// The flag (`…ConsFlg`).
    pub flag: F,
    /// When consent was given (`…ConsTime`).
    pub time: Option<DateTime>,
    /// Until when the information may be viewed (`…AvailableTime`); views only.
    pub available_time: Option<DateTime>,
}

impl<F> Consent<F> {
    /// A flag without times.
    pub fn new(flag: F) -> Self {
        Self {
            flag,
            time: None,
            available_time: None,
        }
    }
}

/// 高齢受給者証 (`ElderlyRecipientCertificateInfo`) ⚠.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ElderlyRecipientCertificate {
    /// 交付年月日 (`ElderlyRecipientCertificateDate`).
    pub issuance_date: Option<Date>,
    /// 有効開始日 (`ElderlyRecipientValidStartDate`).
    pub valid_from: Option<Date>,
    /// 有効終了日 (`ElderlyRecipientValidEndDate`).
    pub valid_until: Option<Date>,
    /// 一部負担金割合 (`ElderlyRecipientContributionRatio`).
    pub contribution_ratio: Option<BurdenRatio>,
}

/// 限度額適用認定証 (`LimitApplicationCertificateRelatedInfo`) ⚠.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct LimitApplicationCertificate {
    /// 種類 (`LimitApplicationCertificateClassification`, mandatory).
    pub classification: LimitApplicationCertificateClassification,
    /// 適用区分 (`LimitApplicationCertificateClassificationFlag`).
    pub category: Option<LimitCategory>,
    /// 交付年月日 (`LimitApplicationCertificateDate`).
    pub issuance_date: Option<Date>,
    /// 有効開始日 (`LimitApplicationCertificateValidStartDate`).
    pub valid_from: Option<Date>,
    /// 有効終了日 (`LimitApplicationCertificateValidEndDate`).
    pub valid_until: Option<Date>,
    /// 長期入院該当年月日 (`LimitApplicationCertificateLongTermDate`).
    pub long_term_date: Option<Date>,
}

/// 特定疾病療養受療証 (`SpecificDiseasesCertificateInfo`, may repeat) ⚠.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct SpecificDiseaseCertificate {
    /// 認定疾病区分 (`SpecificDiseasesDiseaseCategory`, mandatory, OQSCD013).
    pub disease: SpecificDisease,
    /// 交付年月日 (`SpecificDiseasesCertificateDate`).
    pub issuance_date: Option<Date>,
    /// 有効開始日 (`SpecificDiseasesValidStartDate`).
    pub valid_from: Option<Date>,
    /// 有効終了日 (`SpecificDiseasesValidEndDate`).
    pub valid_until: Option<Date>,
    /// 自己負担限度額 in yen (`SpecificDiseasesSelfPay`).
    pub self_pay_limit: Option<u64>,
}

/// A 公費 (医療費助成) recipient record (`PublicExpenseRecipientInfo`, may
/// repeat) ⚠: the seed's 受給者証 integration, rolling out in FY2026.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct PublicExpenseRecipient {
    /// 公費負担者番号 (`PublicExpensePayerNumber`, mandatory).
    pub payer_number: PublicExpensePayerNumber,
    /// 受給者番号 (`PublicExpenseRecipientNumber`).
    pub recipient_number: Option<PublicExpenseRecipientNumber>,
    /// 有効開始日 (`PublicExpenseValidStartDate`).
    pub valid_from: Option<Date>,
    /// 有効終了日 (`PublicExpenseValidEndDate`).
    pub valid_until: Option<Date>,
    /// 負担上限月額 in yen (`PublicExpenseSelfPayLimit`).
    pub monthly_limit: Option<u64>,
}

/// One qualification (`ResultOfQualificationConfirmation`). Mandatory:
/// `InsurerNumber`, `InsuredIdentificationNumber`, `Name`, `Birthdate`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct QualificationRecord {
    /// 被保険者証の種類 (`InsuredCardClassification`).
    pub insured_card_classification: Option<InsuredCardClassification>,
    /// 保険者番号 (`InsurerNumber`).
    pub insurer_number: InsurerNumber,
    /// 保険者名 (`InsurerName`).
    pub insurer_name: Option<String>,
    /// 記号 (`InsuredCardSymbol`).
    pub insured_card_symbol: Option<PersonalText>,
    /// 番号 (`InsuredIdentificationNumber`).
    pub insured_identification_number: PersonalText,
    /// 枝番 (`InsuredBranchNumber`).
    pub insured_branch_number: Option<PersonalText>,
    /// 本人・家族 (`PersonalFamilyClassification`).
    pub personal_family_classification: Option<PersonalFamilyClassification>,
    /// 被保険者氏名 (世帯主) (`InsuredName`).
    pub insured_name: Option<PersonalText>,
    /// 氏名 (`Name`).
    pub name: PersonalText,
    /// カナ氏名 (`NameKana`).
    pub name_kana: Option<PersonalText>,
    /// 通称 (`NameOfOther`).
    pub name_of_other: Option<PersonalText>,
    /// 通称カナ (`NameOfOtherKana`).
    pub name_of_other_kana: Option<PersonalText>,
    /// 性別 (`Sex1`).
    pub sex1: Option<Sex>,
    /// 券面表記の性別 (`Sex2`).
    pub sex2: Option<Sex>,
    /// 生年月日 (`Birthdate`).
    pub birthdate: BirthDate,
    /// 住所 (`Address`).
    pub address: Option<PersonalText>,
    /// 郵便番号 (`PostNumber`).
    pub post_number: Option<PersonalText>,
    /// 交付年月日 (`InsuredCertificateIssuanceDate`).
    pub issuance_date: Option<Date>,
    /// 有効開始日 (`InsuredCardValidDate`).
    pub valid_from: Option<Date>,
    /// 有効終了日 (`InsuredCardExpirationDate`).
    pub valid_until: Option<Date>,
    /// 資格取得年月日 (`QualificationDate`).
    pub qualification_date: Option<Date>,
    /// 資格喪失日 (`DisqualificationDate`).
    pub disqualification_date: Option<Date>,
    /// 喪失事由 (`ReasonOfLoss`).
    pub reason_of_loss: Option<ReasonOfLoss>,
    /// 一部負担金割合 (`InsuredPartialContributionRatio`).
    pub contribution_ratio: Option<BurdenRatio>,
    /// 未就学区分 (`PreschoolClassification`).
    pub preschool: Option<PreschoolClassification>,
    /// 高齢受給者証 (`ElderlyRecipientCertificateInfo`).
    pub elderly_recipient: Option<ElderlyRecipientCertificate>,
    /// 限度額情報の提供同意 (`LimitApplicationCertificateRelatedCons…`).
    pub limit_application_consent: Option<Consent<ConsentFlag>>,
    /// 限度額適用認定証 (`LimitApplicationCertificateRelatedInfo`).
    pub limit_application_certificate: Option<LimitApplicationCertificate>,
    /// 特定疾病療養受療証の提供同意 (`SpecificDiseasesCertificateRelatedCons…`).
    pub specific_diseases_consent: Option<Consent<SpecificDiseasesConsentFlag>>,
    /// 特定疾病療養受療証 (`SpecificDiseasesCertificateInfo`, repeated).
    pub specific_diseases: Vec<SpecificDiseaseCertificate>,
    /// 薬剤情報 閲覧同意 (`PharmacistsInfoCons…`, `PharmacistsInfoAvailableTime`).
    pub medication_consent: Option<Consent<ConsentFlag>>,
    /// 特定健診等情報 閲覧同意 (`SpecificHealthCheckupsInfoCons…`).
    pub health_checkups_consent: Option<Consent<ConsentFlag>>,
    /// 診療情報 閲覧同意 (`DiagnosisInfoCons…`).
    pub clinical_consent: Option<Consent<ConsentFlag>>,
    /// 手術情報 閲覧同意 (`OperationInfoCons…`) ⚠.
    pub operation_consent: Option<Consent<ConsentFlag>>,
    /// 処方箋発行形態 (`PrescriptionIssueSelect`).
    pub prescription_issue: Option<PrescriptionIssueSelect>,
    /// 公費 recipients (`PublicExpenseRecipientInfo`, repeated) ⚠.
    pub public_expense: Vec<PublicExpenseRecipient>,
}

impl QualificationRecord {
    /// A record with the mandatory fields only.
    pub fn new(
        insurer_number: InsurerNumber,
        insured_identification_number: PersonalText,
        name: PersonalText,
        birthdate: BirthDate,
    ) -> Self {
        Self {
            insured_card_classification: None,
            insurer_number,
            insurer_name: None,
            insured_card_symbol: None,
            insured_identification_number,
            insured_branch_number: None,
            personal_family_classification: None,
            insured_name: None,
            name,
            name_kana: None,
            name_of_other: None,
            name_of_other_kana: None,
            sex1: None,
            sex2: None,
            birthdate,
            address: None,
            post_number: None,
            issuance_date: None,
            valid_from: None,
            valid_until: None,
            qualification_date: None,
            disqualification_date: None,
            reason_of_loss: None,
            contribution_ratio: None,
            preschool: None,
            elderly_recipient: None,
            limit_application_consent: None,
            limit_application_certificate: None,
            specific_diseases_consent: None,
            specific_diseases: Vec::new(),
            medication_consent: None,
            health_checkups_consent: None,
            clinical_consent: None,
            operation_consent: None,
            prescription_issue: None,
            public_expense: Vec::new(),
        }
    }
}

wire! {
    struct WireElderly {
        elderly_recipient_certificate_date: Option<String>,
        elderly_recipient_valid_start_date: Option<String>,
        elderly_recipient_valid_end_date: Option<String>,
        elderly_recipient_contribution_ratio: Option<String>,
    }
}

wire! {
    struct WireLimit {
        limit_application_certificate_classification: Option<String>,
        limit_application_certificate_classification_flag: Option<String>,
        limit_application_certificate_date: Option<String>,
        limit_application_certificate_valid_start_date: Option<String>,
        limit_application_certificate_valid_end_date: Option<String>,
        limit_application_certificate_long_term_date: Option<String>,
    }
}

wire! {
    struct WireSpecificDisease {
        specific_diseases_disease_category: Option<String>,
        specific_diseases_certificate_date: Option<String>,
        specific_diseases_valid_start_date: Option<String>,
        specific_diseases_valid_end_date: Option<String>,
        specific_diseases_self_pay: Option<String>,
    }
}

wire! {
    struct WirePublicExpense {
        public_expense_payer_number: Option<String>,
        public_expense_recipient_number: Option<String>,
        public_expense_valid_start_date: Option<String>,
        public_expense_valid_end_date: Option<String>,
        public_expense_self_pay_limit: Option<String>,
    }
}

wire! {
    /// `ResultOfQualificationConfirmation` as quick-xml sees it (element order
    /// is the order written).
    struct WireRecord {
        insured_card_classification: Option<String>,
        insurer_number: Option<String>,
        insurer_name: Option<String>,
        insured_card_symbol: Option<String>,
        insured_identification_number: Option<String>,
        insured_branch_number: Option<String>,
        personal_family_classification: Option<String>,
        insured_name: Option<String>,
        name: Option<String>,
        name_kana: Option<String>,
        name_of_other: Option<String>,
        name_of_other_kana: Option<String>,
        sex1: Option<String>,
        sex2: Option<String>,
        birthdate: Option<String>,
        address: Option<String>,
        post_number: Option<String>,
        insured_certificate_issuance_date: Option<String>,
        insured_card_valid_date: Option<String>,
        insured_card_expiration_date: Option<String>,
        qualification_date: Option<String>,
        disqualification_date: Option<String>,
        reason_of_loss: Option<String>,
        insured_partial_contribution_ratio: Option<String>,
        preschool_classification: Option<String>,
        elderly_recipient_certificate_info: Option<WireElderly>,
        limit_application_certificate_related_cons_flg: Option<String>,
        limit_application_certificate_related_cons_time: Option<String>,
        limit_application_certificate_related_info: Option<WireLimit>,
        specific_diseases_certificate_related_cons_flg: Option<String>,
        specific_diseases_certificate_related_cons_time: Option<String>,
        specific_diseases_certificate_info: Vec<WireSpecificDisease>,
        pharmacists_info_cons_flg: Option<String>,
        pharmacists_info_cons_time: Option<String>,
        pharmacists_info_available_time: Option<String>,
        specific_health_checkups_info_cons_flg: Option<String>,
        specific_health_checkups_info_cons_time: Option<String>,
        specific_health_checkups_info_available_time: Option<String>,
        diagnosis_info_cons_flg: Option<String>,
        diagnosis_info_cons_time: Option<String>,
        diagnosis_info_available_time: Option<String>,
        operation_info_cons_flg: Option<String>,
        operation_info_cons_time: Option<String>,
        operation_info_available_time: Option<String>,
        prescription_issue_select: Option<String>,
        public_expense_recipient_info: Vec<WirePublicExpense>,
    }
}

#[allow(clippy::type_complexity)]
fn consent<F>(
    at: At,
    flag: (Option<String>, &'static str),
    time: (Option<String>, &'static str),
    available: (Option<String>, &'static str),
    from_code: fn(&str) -> F,
) -> Result<Option<Consent<F>>, EligibilityError> {
    let time_v = at.datetime(time.0, time.1)?;
    let available_v = at.datetime(available.0, available.1)?;
    match at.code(flag.0, from_code) {
        Some(flag) => Ok(Some(Consent {
            flag,
            time: time_v,
            available_time: available_v,
        })),
        None if time_v.is_some() || available_v.is_some() => Err(at.missing(flag.1)),
        None => Ok(None),
    }
}

fn ratio(
    at: At,
    v: Option<String>,
    element: &'static str,
) -> Result<Option<BurdenRatio>, EligibilityError> {
    at.parsed(v, element, BurdenRatio::parse)
}

impl QualificationRecord {
    pub(crate) fn from_wire(
        w: WireRecord,
        index: usize,
        policy: CheckDigitPolicy,
    ) -> Result<Self, EligibilityError> {
        let at = At::record(index);
        let elderly = w
            .elderly_recipient_certificate_info
            .map(|e| -> Result<_, EligibilityError> {
                Ok(ElderlyRecipientCertificate {
                    issuance_date: at.date(
                        e.elderly_recipient_certificate_date,
                        "ElderlyRecipientCertificateDate",
                    )?,
                    valid_from: at.date(
                        e.elderly_recipient_valid_start_date,
                        "ElderlyRecipientValidStartDate",
                    )?,
                    valid_until: at.date(
                        e.elderly_recipient_valid_end_date,
                        "ElderlyRecipientValidEndDate",
                    )?,
                    contribution_ratio: ratio(
                        at,
                        e.elderly_recipient_contribution_ratio,
                        "ElderlyRecipientContributionRatio",
                    )?,
                })
            })
            .transpose()?;
        let limit = w
            .limit_application_certificate_related_info
            .map(|l| -> Result<_, EligibilityError> {
                Ok(LimitApplicationCertificate {
                    classification: at.required_code(
                        l.limit_application_certificate_classification,
                        "LimitApplicationCertificateClassification",
                        LimitApplicationCertificateClassification::from_code,
                    )?,
                    category: at.code(
                        l.limit_application_certificate_classification_flag,
                        LimitCategory::from_code,
                    ),
                    issuance_date: at.date(
                        l.limit_application_certificate_date,
                        "LimitApplicationCertificateDate",
                    )?,
                    valid_from: at.date(
                        l.limit_application_certificate_valid_start_date,
                        "LimitApplicationCertificateValidStartDate",
                    )?,
                    valid_until: at.date(
                        l.limit_application_certificate_valid_end_date,
                        "LimitApplicationCertificateValidEndDate",
                    )?,
                    long_term_date: at.date(
                        l.limit_application_certificate_long_term_date,
                        "LimitApplicationCertificateLongTermDate",
                    )?,
                })
            })
            .transpose()?;
        let specific_diseases = w
            .specific_diseases_certificate_info
            .into_iter()
            .map(|s| -> Result<_, EligibilityError> {
                Ok(SpecificDiseaseCertificate {
                    disease: at.required_code(
                        s.specific_diseases_disease_category,
                        "SpecificDiseasesDiseaseCategory",
                        SpecificDisease::from_code,
                    )?,
                    issuance_date: at.date(
                        s.specific_diseases_certificate_date,
                        "SpecificDiseasesCertificateDate",
                    )?,
                    valid_from: at.date(
                        s.specific_diseases_valid_start_date,
                        "SpecificDiseasesValidStartDate",
                    )?,
                    valid_until: at.date(
                        s.specific_diseases_valid_end_date,
                        "SpecificDiseasesValidEndDate",
                    )?,
                    self_pay_limit: at
                        .amount(s.specific_diseases_self_pay, "SpecificDiseasesSelfPay")?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let public_expense = w
            .public_expense_recipient_info
            .into_iter()
            .map(|p| -> Result<_, EligibilityError> {
                Ok(PublicExpenseRecipient {
                    payer_number: at.required_parsed(
                        p.public_expense_payer_number,
                        "PublicExpensePayerNumber",
                        |s| PublicExpensePayerNumber::parse_with(s, policy),
                    )?,
                    recipient_number: at.parsed(
                        p.public_expense_recipient_number,
                        "PublicExpenseRecipientNumber",
                        |s| PublicExpenseRecipientNumber::parse_with(s, policy),
                    )?,
                    valid_from: at.date(
                        p.public_expense_valid_start_date,
                        "PublicExpenseValidStartDate",
                    )?,
                    valid_until: at
                        .date(p.public_expense_valid_end_date, "PublicExpenseValidEndDate")?,
                    monthly_limit: at
                        .amount(p.public_expense_self_pay_limit, "PublicExpenseSelfPayLimit")?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            insured_card_classification: at.code(
                w.insured_card_classification,
                InsuredCardClassification::from_code,
            ),
            insurer_number: at.required_parsed(w.insurer_number, "InsurerNumber", |s| {
                InsurerNumber::parse_with(s, policy)
            })?,
            insurer_name: at.text(w.insurer_name),
            insured_card_symbol: at.personal(w.insured_card_symbol),
            insured_identification_number: PersonalText::new(at.required(
                w.insured_identification_number,
                "InsuredIdentificationNumber",
            )?),
            insured_branch_number: at.personal(w.insured_branch_number),
            personal_family_classification: at.code(
                w.personal_family_classification,
                PersonalFamilyClassification::from_code,
            ),
            insured_name: at.personal(w.insured_name),
            name: PersonalText::new(at.required(w.name, "Name")?),
            name_kana: at.personal(w.name_kana),
            name_of_other: at.personal(w.name_of_other),
            name_of_other_kana: at.personal(w.name_of_other_kana),
            sex1: at.code(w.sex1, Sex::from_code),
            sex2: at.code(w.sex2, Sex::from_code),
            birthdate: at.birth_date(w.birthdate, "Birthdate")?,
            address: at.personal(w.address),
            post_number: at.personal(w.post_number),
            issuance_date: at.date(
                w.insured_certificate_issuance_date,
                "InsuredCertificateIssuanceDate",
            )?,
            valid_from: at.date(w.insured_card_valid_date, "InsuredCardValidDate")?,
            valid_until: at.date(w.insured_card_expiration_date, "InsuredCardExpirationDate")?,
            qualification_date: at.date(w.qualification_date, "QualificationDate")?,
            disqualification_date: at.date(w.disqualification_date, "DisqualificationDate")?,
            reason_of_loss: at.code(w.reason_of_loss, ReasonOfLoss::from_code),
            contribution_ratio: ratio(
                at,
                w.insured_partial_contribution_ratio,
                "InsuredPartialContributionRatio",
            )?,
            preschool: at.code(
                w.preschool_classification,
                PreschoolClassification::from_code,
            ),
            elderly_recipient: elderly,
            limit_application_consent: consent(
                at,
                (
                    w.limit_application_certificate_related_cons_flg,
                    "LimitApplicationCertificateRelatedConsFlg",
                ),
                (
                    w.limit_application_certificate_related_cons_time,
                    "LimitApplicationCertificateRelatedConsTime",
                ),
                (None, ""),
                ConsentFlag::from_code,
            )?,
            limit_application_certificate: limit,
            specific_diseases_consent: consent(
                at,
                (
                    w.specific_diseases_certificate_related_cons_flg,
                    "SpecificDiseasesCertificateRelatedConsFlg",
                ),
                (
                    w.specific_diseases_certificate_related_cons_time,
                    "SpecificDiseasesCertificateRelatedConsTime",
                ),
                (None, ""),
                SpecificDiseasesConsentFlag::from_code,
            )?,
            specific_diseases,
            medication_consent: consent(
                at,
                (w.pharmacists_info_cons_flg, "PharmacistsInfoConsFlg"),
                (w.pharmacists_info_cons_time, "PharmacistsInfoConsTime"),
                (
                    w.pharmacists_info_available_time,
                    "PharmacistsInfoAvailableTime",
                ),
                ConsentFlag::from_code,
            )?,
            health_checkups_consent: consent(
                at,
                (
                    w.specific_health_checkups_info_cons_flg,
                    "SpecificHealthCheckupsInfoConsFlg",
                ),
                (
                    w.specific_health_checkups_info_cons_time,
                    "SpecificHealthCheckupsInfoConsTime",
                ),
                (
                    w.specific_health_checkups_info_available_time,
                    "SpecificHealthCheckupsInfoAvailableTime",
                ),
                ConsentFlag::from_code,
            )?,
            clinical_consent: consent(
                at,
                (w.diagnosis_info_cons_flg, "DiagnosisInfoConsFlg"),
                (w.diagnosis_info_cons_time, "DiagnosisInfoConsTime"),
                (
                    w.diagnosis_info_available_time,
                    "DiagnosisInfoAvailableTime",
                ),
                ConsentFlag::from_code,
            )?,
            operation_consent: consent(
                at,
                (w.operation_info_cons_flg, "OperationInfoConsFlg"),
                (w.operation_info_cons_time, "OperationInfoConsTime"),
                (
                    w.operation_info_available_time,
                    "OperationInfoAvailableTime",
                ),
                ConsentFlag::from_code,
            )?,
            prescription_issue: at.code(
                w.prescription_issue_select,
                PrescriptionIssueSelect::from_code,
            ),
            public_expense,
        })
    }

    pub(crate) fn to_wire(&self) -> WireRecord {
        fn code<T>(v: &Option<T>, f: fn(&T) -> &str) -> Option<String> {
            v.as_ref().map(|c| f(c).to_owned())
        }
        fn flag<F>(c: &Option<Consent<F>>, f: fn(&F) -> &str) -> Option<String> {
            c.as_ref().map(|c| f(&c.flag).to_owned())
        }
        fn time<F>(c: &Option<Consent<F>>) -> Option<String> {
            c.as_ref().and_then(|c| opt_datetime(&c.time))
        }
        fn avail<F>(c: &Option<Consent<F>>) -> Option<String> {
            c.as_ref().and_then(|c| opt_datetime(&c.available_time))
        }
        let ratio = |r: &Option<BurdenRatio>| r.as_ref().map(BurdenRatio::to_code);
        WireRecord {
            insured_card_classification: code(
                &self.insured_card_classification,
                InsuredCardClassification::code,
            ),
            insurer_number: Some(self.insurer_number.as_str().to_owned()),
            insurer_name: self.insurer_name.clone(),
            insured_card_symbol: opt_personal(&self.insured_card_symbol),
            insured_identification_number: Some(
                self.insured_identification_number.expose().to_owned(),
            ),
            insured_branch_number: opt_personal(&self.insured_branch_number),
            personal_family_classification: code(
                &self.personal_family_classification,
                PersonalFamilyClassification::code,
            ),
            insured_name: opt_personal(&self.insured_name),
            name: Some(self.name.expose().to_owned()),
            name_kana: opt_personal(&self.name_kana),
            name_of_other: opt_personal(&self.name_of_other),
            name_of_other_kana: opt_personal(&self.name_of_other_kana),
            sex1: code(&self.sex1, Sex::code),
            sex2: code(&self.sex2, Sex::code),
            birthdate: Some(self.birthdate.expose().to_yyyymmdd()),
            address: opt_personal(&self.address),
            post_number: opt_personal(&self.post_number),
            insured_certificate_issuance_date: opt_date(&self.issuance_date),
            insured_card_valid_date: opt_date(&self.valid_from),
            insured_card_expiration_date: opt_date(&self.valid_until),
            qualification_date: opt_date(&self.qualification_date),
            disqualification_date: opt_date(&self.disqualification_date),
            reason_of_loss: code(&self.reason_of_loss, ReasonOfLoss::code),
            insured_partial_contribution_ratio: ratio(&self.contribution_ratio),
            preschool_classification: code(&self.preschool, PreschoolClassification::code),
            elderly_recipient_certificate_info: self.elderly_recipient.as_ref().map(|e| {
                WireElderly {
                    elderly_recipient_certificate_date: opt_date(&e.issuance_date),
                    elderly_recipient_valid_start_date: opt_date(&e.valid_from),
                    elderly_recipient_valid_end_date: opt_date(&e.valid_until),
                    elderly_recipient_contribution_ratio: ratio(&e.contribution_ratio),
                }
            }),
            limit_application_certificate_related_cons_flg: flag(
                &self.limit_application_consent,
                ConsentFlag::code,
            ),
            limit_application_certificate_related_cons_time: time(&self.limit_application_consent),
            limit_application_certificate_related_info: self
                .limit_application_certificate
                .as_ref()
                .map(|l| WireLimit {
                    limit_application_certificate_classification: Some(
                        l.classification.code().to_owned(),
                    ),
                    limit_application_certificate_classification_flag: code(
                        &l.category,
                        LimitCategory::code,
                    ),
                    limit_application_certificate_date: opt_date(&l.issuance_date),
                    limit_application_certificate_valid_start_date: opt_date(&l.valid_from),
                    limit_application_certificate_valid_end_date: opt_date(&l.valid_until),
                    limit_application_certificate_long_term_date: opt_date(&l.long_term_date),
                }),
            specific_diseases_certificate_related_cons_flg: flag(
                &self.specific_diseases_consent,
                SpecificDiseasesConsentFlag::code,
            ),
            specific_diseases_certificate_related_cons_time: time(&self.specific_diseases_consent),
            specific_diseases_certificate_info: self
                .specific_diseases
                .iter()
                .map(|s| WireSpecificDisease {
                    specific_diseases_disease_category: Some(s.disease.code().to_owned()),
                    specific_diseases_certificate_date: opt_date(&s.issuance_date),
                    specific_diseases_valid_start_date: opt_date(&s.valid_from),
                    specific_diseases_valid_end_date: opt_date(&s.valid_until),
                    specific_diseases_self_pay: s.self_pay_limit.map(|v| v.to_string()),
                })
                .collect(),
            pharmacists_info_cons_flg: flag(&self.medication_consent, ConsentFlag::code),
            pharmacists_info_cons_time: time(&self.medication_consent),
            pharmacists_info_available_time: avail(&self.medication_consent),
            specific_health_checkups_info_cons_flg: flag(
                &self.health_checkups_consent,
                ConsentFlag::code,
            ),
            specific_health_checkups_info_cons_time: time(&self.health_checkups_consent),
            specific_health_checkups_info_available_time: avail(&self.health_checkups_consent),
            diagnosis_info_cons_flg: flag(&self.clinical_consent, ConsentFlag::code),
            diagnosis_info_cons_time: time(&self.clinical_consent),
            diagnosis_info_available_time: avail(&self.clinical_consent),
            operation_info_cons_flg: flag(&self.operation_consent, ConsentFlag::code),
            operation_info_cons_time: time(&self.operation_consent),
            operation_info_available_time: avail(&self.operation_consent),
            prescription_issue_select: code(
                &self.prescription_issue,
                PrescriptionIssueSelect::code,
            ),
            public_expense_recipient_info: self
                .public_expense
                .iter()
                .map(|p| WirePublicExpense {
                    public_expense_payer_number: Some(p.payer_number.as_str().to_owned()),
                    public_expense_recipient_number: p
                        .recipient_number
                        .as_ref()
                        .map(|r| r.as_str().to_owned()),
                    public_expense_valid_start_date: opt_date(&p.valid_from),
                    public_expense_valid_end_date: opt_date(&p.valid_until),
                    public_expense_self_pay_limit: p.monthly_limit.map(|v| v.to_string()),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burden_ratio() {
        let r = BurdenRatio::parse("030").unwrap();
        assert_eq!(
            (r.percent(), r.wari(), r.to_code()),
            (30, Some(3), "030".to_owned())
        );
        assert_eq!(
            BurdenRatio::parse("30"),
            Err(ValueError::Number {
                found: "30".to_owned(),
                expected: "3 digits of percent (000-100)"
            })
        );
        assert!(BurdenRatio::parse("101").is_err());
        assert_eq!(BurdenRatio::parse("015").unwrap().wari(), None);
    }
}
