//! The qualification record (`ResultOfQualificationConfirmation`) and its
//! sub-records, in the real files' shapes (`../shared/docs/eligibility-element-names.md`):
//! 高齢受給者証, 限度額適用認定証, 特定疾病療養受療証 (`SpecificDiseasesCertificateList`),
//! 医療扶助 (`InsuredCardClassification` `A1`, `PublicExpenseResultList/MedicalTicketInfo`)
//! and the consents.
//!
//! 医療費助成 (PMH) results: their XML tags are **not yet specified** in any
//! public source. Whatever the terminal sends for them is kept, with every
//! other element this crate does not know, in [`QualificationRecord::unknown`]
//! and written back by the writer.

use super::codes::{
    Applicability, ConsentFlag, ConsentStatus, ConsistencyFlag, DesignatedInstitutionFlag,
    InsuredCardClassification, LimitApplicationCertificateClassification, LimitCategory,
    LimitCertificateChanged, MedicalTreatmentType, PersonalFamilyClassification,
    PreschoolClassification, PrescriptionIssueSelect, ReasonOfLoss, SexCode, SingleOrCombinedUse,
    SpecificDisease, TicketType,
};
use super::dates::{DateTime, yyyymmdd};
use super::error::{EligibilityError, ValueError};
use super::ids::{
    CheckDigitPolicy, InsurerNumber, PublicExpensePayerNumber, PublicExpenseRecipientNumber,
};
use super::personal::{BirthDate, PersonalText};
use super::read::{Ctx, slots};
use super::tree::El;
use super::unknown::{Parent, UnknownElements};
use super::xml_out::XmlOut;
use crate::date::CalendarDate;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

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

/// `3割`, or `15%` when the ratio is not a whole number of 割.
impl fmt::Display for BurdenRatio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.wari() {
            Some(w) => write!(f, "{w}割"),
            None => write!(f, "{}%", self.percent),
        }
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

/// 高齢受給者証 (`ElderlyRecipientCertificateInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ElderlyRecipientCertificate {
    /// 交付年月日 (`ElderlyRecipientCertificateDate`).
    pub issuance_date: Option<CalendarDate>,
    /// 有効開始日 (`ElderlyRecipientValidStartDate`).
    pub valid_from: Option<CalendarDate>,
    /// 有効終了日 (`ElderlyRecipientValidEndDate`).
    pub valid_until: Option<CalendarDate>,
    /// 一部負担金割合 (`ElderlyRecipientContributionRatio`).
    pub contribution_ratio: Option<BurdenRatio>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// 限度額適用認定証 (`LimitApplicationCertificateRelatedInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct LimitApplicationCertificate {
    /// 種類 (`LimitApplicationCertificateClassification`, mandatory).
    pub classification: LimitApplicationCertificateClassification,
    /// 適用区分 (`LimitApplicationCertificateClassificationFlag`).
    pub category: Option<LimitCategory>,
    /// 交付年月日 (`LimitApplicationCertificateDate`).
    pub issuance_date: Option<CalendarDate>,
    /// 有効開始日 (`LimitApplicationCertificateValidStartDate`).
    pub valid_from: Option<CalendarDate>,
    /// 有効終了日 (`LimitApplicationCertificateValidEndDate`).
    pub valid_until: Option<CalendarDate>,
    /// 長期入院該当年月日 (`LimitApplicationCertificateLongTermDate`).
    pub long_term_date: Option<CalendarDate>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// 特定疾病療養受療証 (`SpecificDiseasesCertificateList/SpecificDiseasesCertificateInfo`,
/// may repeat; a repeated `SpecificDiseasesCertificateList` holding the fields
/// directly is read too).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct SpecificDiseaseCertificate {
    /// 認定疾病区分 (`SpecificDiseasesDiseaseCategory`, mandatory, OQSCD013).
    pub disease: SpecificDisease,
    /// 交付年月日 (`SpecificDiseasesCertificateDate`).
    pub issuance_date: Option<CalendarDate>,
    /// 有効開始日 (`SpecificDiseasesValidStartDate`).
    pub valid_from: Option<CalendarDate>,
    /// 有効終了日 (`SpecificDiseasesValidEndDate`).
    pub valid_until: Option<CalendarDate>,
    /// 自己負担限度額 in yen (`SpecificDiseasesSelfPay`).
    pub self_pay_limit: Option<u64>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// 医療券・調剤券情報 of a 医療扶助 record (`PublicExpenseResultList/MedicalTicketInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct MedicalTicket {
    /// 医療券・調剤券別 (`TicketType`).
    pub ticket_type: Option<TicketType>,
    /// 有効開始年月日 (`MedicalTicketValidDate`).
    pub valid_from: Option<CalendarDate>,
    /// 有効終了年月日 (`MedicalTicketExpirationDate`).
    pub valid_until: Option<CalendarDate>,
    /// 交付番号 (`IssueNumber`).
    pub issue_number: Option<String>,
    /// 診療年月 `YYYYMM` (`MedicalTreatmentMonth`).
    pub treatment_month: Option<String>,
    /// 指定医療機関コード (`DesignatedMedicalInstitutionCode`).
    pub designated_institution_code: Option<String>,
    /// 指定医療機関確認フラグ (`DesignatedMedicalInstitutionFlag`).
    pub designated_institution_flag: Option<DesignatedInstitutionFlag>,
    /// 指定医療機関名 (`DesignatedMedicalInstitutionName`).
    pub designated_institution_name: Option<String>,
    /// 処方箋発行元医療機関コード (`PrescriptionIssuerMedicalInstitutionCode`).
    pub prescription_issuer_code: Option<String>,
    /// 処方箋発行元医療機関名 (`PrescriptionIssuerMedicalInstitutionName`).
    pub prescription_issuer_name: Option<String>,
    /// 傷病名1–3 (`InjuryName1`–`InjuryName3`): health data, zeroized.
    pub injury_names: [Option<PersonalText>; 3],
    /// 診療別 (`MedicalTreatmentType`).
    pub treatment_type: Option<MedicalTreatmentType>,
    /// 本人支払額 in yen (`SelfPayAmount`).
    pub self_pay_amount: Option<u64>,
    /// 地区担当員名 (`DistrictContactName`).
    pub district_contact_name: Option<String>,
    /// 取扱担当者名 (`HandlingContactName`).
    pub handling_contact_name: Option<String>,
    /// 単独・併用別 (`SingleOrCombinedUse`).
    pub single_or_combined: Option<SingleOrCombinedUse>,
    /// 社会保険状況 (`StatusOfSocialInsurance`).
    pub social_insurance: Option<Applicability>,
    /// 社会保険状況の整合性フラグ (`ConsistencyFlag`).
    pub consistency: Option<ConsistencyFlag>,
    /// 感染症法第37条の2の該当状況 (`StatusOfInfecton`, spelled so in the files).
    pub infection_act: Option<Applicability>,
    /// 後期高齢者医療の該当状況 (`StatusOfElderlyMedicalCare`).
    pub elderly_medical_care: Option<Applicability>,
    /// 都道府県費の該当状況 (`StatusOfPrefecturalExpenses`).
    pub prefectural_expenses: Option<Applicability>,
    /// 備考1–3 (`Remarks1`–`Remarks3`): may hold personal data, zeroized.
    pub remarks: [Option<PersonalText>; 3],
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// The consent flags of a record (`…ConsFlg`, `…ConsTime`, `…AvailableTime`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ConsentFlags {
    /// 限度額情報の提供同意 (`LimitApplicationCertificateRelatedCons…`).
    pub limit_application: Option<Consent<ConsentFlag>>,
    /// 特定疾病療養受療証の提供同意 (`SpecificDiseasesCertificateRelatedCons…`).
    pub specific_diseases: Option<Consent<ConsentStatus>>,
    /// 薬剤情報 閲覧同意 (`PharmacistsInfoCons…`, `PharmacistsInfoAvailableTime`).
    pub medication: Option<Consent<ConsentStatus>>,
    /// 特定健診情報 閲覧同意 (`SpecificHealthCheckupsInfoCons…`).
    pub health_checkups: Option<Consent<ConsentStatus>>,
    /// 診療情報 閲覧同意 (`DiagnosisInfoCons…`).
    pub clinical: Option<Consent<ConsentStatus>>,
    /// 手術情報 閲覧同意 (`OperationInfoCons…`).
    pub operation: Option<Consent<ConsentStatus>>,
}

impl ConsentFlags {
    /// The flags a patient sets at the reader: each item consented
    /// (同意あり, consent time `at`) or not (同意なし); 限度額 with OQSCD001.
    pub fn given_at(
        at: DateTime,
        medication: bool,
        clinical: bool,
        health_checkups: bool,
        limit_application: bool,
    ) -> Self {
        let status = |given: bool| {
            Some(Consent {
                flag: if given {
                    ConsentStatus::Consented
                } else {
                    ConsentStatus::NotConsented
                },
                time: given.then_some(at),
                available_time: None,
            })
        };
        Self {
            limit_application: Some(Consent {
                flag: if limit_application {
                    ConsentFlag::Consented
                } else {
                    ConsentFlag::NotConsented
                },
                time: limit_application.then_some(at),
                available_time: None,
            }),
            specific_diseases: None,
            medication: status(medication),
            health_checkups: status(health_checkups),
            clinical: status(clinical),
            operation: None,
        }
    }
}

/// One qualification (`ResultOfQualificationConfirmation`). Mandatory: `Name`,
/// `Birthdate`; a 医療扶助 record (`A1`) carries `PublicExpenseNumber` /
/// `BeneficiaryNumber` instead of `InsurerNumber` / `InsuredIdentificationNumber`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct QualificationRecord {
    /// 被保険者証区分 (`InsuredCardClassification`).
    pub insured_card_classification: Option<InsuredCardClassification>,
    /// 保険者番号 (`InsurerNumber`; a 6-digit number is written `  123456`).
    pub insurer_number: Option<InsurerNumber>,
    /// 保険者名 (`InsurerName`).
    pub insurer_name: Option<String>,
    /// 記号 (`InsuredCardSymbol`).
    pub insured_card_symbol: Option<PersonalText>,
    /// 番号 (`InsuredIdentificationNumber`).
    pub insured_identification_number: Option<PersonalText>,
    /// 枝番 (`InsuredBranchNumber`).
    pub insured_branch_number: Option<PersonalText>,
    /// 本人・家族 (`PersonalFamilyClassification`).
    pub personal_family_classification: Option<PersonalFamilyClassification>,
    /// 被保険者氏名 (世帯主) (`InsuredName`).
    pub insured_name: Option<PersonalText>,
    /// 氏名 (`Name`).
    pub name: PersonalText,
    /// 氏名（その他） (`NameOfOther`).
    pub name_of_other: Option<PersonalText>,
    /// カナ氏名 (`NameKana`).
    pub name_kana: Option<PersonalText>,
    /// 氏名カナ（その他） (`NameOfOtherKana`).
    pub name_of_other_kana: Option<PersonalText>,
    /// 性別1 (`Sex1`).
    pub sex1: Option<SexCode>,
    /// 性別2, 裏面記載 (`Sex2`).
    pub sex2: Option<SexCode>,
    /// 生年月日 (`Birthdate`).
    pub birthdate: BirthDate,
    /// 住所 (`Address`).
    pub address: Option<PersonalText>,
    /// 郵便番号 (`PostNumber`).
    pub post_number: Option<PersonalText>,
    /// 交付年月日 (`InsuredCertificateIssuanceDate`).
    pub issuance_date: Option<CalendarDate>,
    /// 有効開始日 (`InsuredCardValidDate`).
    pub valid_from: Option<CalendarDate>,
    /// 有効終了日 (`InsuredCardExpirationDate`).
    pub valid_until: Option<CalendarDate>,
    /// 資格取得年月日 (`QualificationDate`).
    pub qualification_date: Option<CalendarDate>,
    /// 資格喪失年月日 (`DisqualificationDate`).
    pub disqualification_date: Option<CalendarDate>,
    /// 喪失事由 (`ReasonOfLoss`).
    pub reason_of_loss: Option<ReasonOfLoss>,
    /// 一部負担金割合 (`InsuredPartialContributionRatio`).
    pub contribution_ratio: Option<BurdenRatio>,
    /// 未就学区分 (`PreschoolClassification`).
    pub preschool: Option<PreschoolClassification>,
    /// 公費負担者番号 of a 医療扶助 record (`PublicExpenseNumber`, 1 src).
    pub public_expense_number: Option<PublicExpensePayerNumber>,
    /// 受給者番号 of a 医療扶助 record (`BeneficiaryNumber`, 1 src).
    pub beneficiary_number: Option<PublicExpenseRecipientNumber>,
    /// 福祉事務所名 (`WelfareOfficeName`, 1 src).
    pub welfare_office_name: Option<String>,
    /// 高齢受給者証 (`ElderlyRecipientCertificateInfo`).
    pub elderly_recipient: Option<ElderlyRecipientCertificate>,
    /// 限度額適用認定証 (`LimitApplicationCertificateRelatedInfo`).
    pub limit_application_certificate: Option<LimitApplicationCertificate>,
    /// 限度額適用認定証情報変更有無 (`LimitApplicationCertificateChanged`).
    pub limit_application_certificate_changed: Option<LimitCertificateChanged>,
    /// 特定疾病療養受療証 (`SpecificDiseasesCertificateList`).
    pub specific_diseases: Vec<SpecificDiseaseCertificate>,
    /// 医療券・調剤券 (`PublicExpenseResultList/MedicalTicketInfo`).
    pub medical_tickets: Vec<MedicalTicket>,
    /// Consent flags.
    pub consents: ConsentFlags,
    /// 処方箋発行形態 (`PrescriptionIssueSelect`) at record level (one source
    /// puts it here, two in the message body).
    pub prescription_issue: Option<PrescriptionIssueSelect>,
    /// 照会番号 (`ReferenceNumber`): the hospital's patient id registered with
    /// オン資 (e.g. 診察券番号).
    pub reference_number: Option<PersonalText>,
    /// The request's `ArbitraryIdentifier`, echoed.
    pub arbitrary_identifier: Option<String>,
    /// Elements this crate does not know (医療費助成 tags among them), as read.
    pub unknown: UnknownElements,
}

impl QualificationRecord {
    /// A record with the mandatory fields only.
    pub fn new(name: PersonalText, birthdate: BirthDate) -> Self {
        Self {
            insured_card_classification: None,
            insurer_number: None,
            insurer_name: None,
            insured_card_symbol: None,
            insured_identification_number: None,
            insured_branch_number: None,
            personal_family_classification: None,
            insured_name: None,
            name,
            name_of_other: None,
            name_kana: None,
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
            public_expense_number: None,
            beneficiary_number: None,
            welfare_office_name: None,
            elderly_recipient: None,
            limit_application_certificate: None,
            limit_application_certificate_changed: None,
            specific_diseases: Vec::new(),
            medical_tickets: Vec::new(),
            consents: ConsentFlags::default(),
            prescription_issue: None,
            reference_number: None,
            arbitrary_identifier: None,
            unknown: UnknownElements::new(),
        }
    }

    /// A record of a health insurance qualification with its identifiers.
    pub fn insured(
        insurer_number: InsurerNumber,
        insured_identification_number: PersonalText,
        name: PersonalText,
        birthdate: BirthDate,
    ) -> Self {
        let mut r = Self::new(name, birthdate);
        r.insurer_number = Some(insurer_number);
        r.insured_identification_number = Some(insured_identification_number);
        r
    }

    /// Whether this is a 医療扶助 (生活保護) record.
    pub fn is_medical_assistance(&self) -> bool {
        self.insured_card_classification == Some(InsuredCardClassification::MedicalAssistance)
    }
}

slots! {
    ElderlySlots, ELDERLY: ElderlyNames {
        date = "ElderlyRecipientCertificateDate",
        start = "ElderlyRecipientValidStartDate",
        end = "ElderlyRecipientValidEndDate",
        ratio = "ElderlyRecipientContributionRatio",
    }
}

slots! {
    LimitSlots, LIMIT: LimitNames {
        classification = "LimitApplicationCertificateClassification",
        flag = "LimitApplicationCertificateClassificationFlag",
        date = "LimitApplicationCertificateDate",
        start = "LimitApplicationCertificateValidStartDate",
        end = "LimitApplicationCertificateValidEndDate",
        long_term = "LimitApplicationCertificateLongTermDate",
    }
}

slots! {
    DiseaseSlots, DISEASE: DiseaseNames {
        category = "SpecificDiseasesDiseaseCategory",
        date = "SpecificDiseasesCertificateDate",
        start = "SpecificDiseasesValidStartDate",
        end = "SpecificDiseasesValidEndDate",
        self_pay = "SpecificDiseasesSelfPay",
    }
    lists { infos = "SpecificDiseasesCertificateInfo" }
}

slots! {
    TicketListSlots, TICKET_LIST: TicketListNames {}
    lists { tickets = "MedicalTicketInfo" }
}

slots! {
    TicketSlots, TICKET: TicketNames {
        ticket_type = "TicketType",
        valid = "MedicalTicketValidDate",
        expiration = "MedicalTicketExpirationDate",
        issue_number = "IssueNumber",
        month = "MedicalTreatmentMonth",
        designated_code = "DesignatedMedicalInstitutionCode",
        designated_flag = "DesignatedMedicalInstitutionFlag",
        designated_name = "DesignatedMedicalInstitutionName",
        issuer_code = "PrescriptionIssuerMedicalInstitutionCode",
        issuer_name = "PrescriptionIssuerMedicalInstitutionName",
        injury1 = "InjuryName1",
        injury2 = "InjuryName2",
        injury3 = "InjuryName3",
        treatment_type = "MedicalTreatmentType",
        self_pay = "SelfPayAmount",
        district = "DistrictContactName",
        handling = "HandlingContactName",
        single = "SingleOrCombinedUse",
        social = "StatusOfSocialInsurance",
        consistency = "ConsistencyFlag",
        infection = "StatusOfInfecton",
        elderly = "StatusOfElderlyMedicalCare",
        prefectural = "StatusOfPrefecturalExpenses",
        remarks1 = "Remarks1",
        remarks2 = "Remarks2",
        remarks3 = "Remarks3",
    }
}

slots! {
    RecordSlots, RECORD: RecordNames {
        classification = "InsuredCardClassification",
        insurer_number = "InsurerNumber",
        insurer_name = "InsurerName",
        symbol = "InsuredCardSymbol",
        number = "InsuredIdentificationNumber",
        branch = "InsuredBranchNumber",
        family = "PersonalFamilyClassification",
        insured_name = "InsuredName",
        name = "Name",
        name_of_other = "NameOfOther",
        name_kana = "NameKana",
        name_of_other_kana = "NameOfOtherKana",
        sex1 = "Sex1",
        sex2 = "Sex2",
        birthdate = "Birthdate",
        address = "Address",
        post_number = "PostNumber",
        issuance = "InsuredCertificateIssuanceDate",
        valid = "InsuredCardValidDate",
        expiration = "InsuredCardExpirationDate",
        qualification = "QualificationDate",
        disqualification = "DisqualificationDate",
        reason_of_loss = "ReasonOfLoss",
        ratio = "InsuredPartialContributionRatio",
        preschool = "PreschoolClassification",
        public_expense_number = "PublicExpenseNumber",
        beneficiary_number = "BeneficiaryNumber",
        welfare_office = "WelfareOfficeName",
        elderly = "ElderlyRecipientCertificateInfo",
        limit_flag = "LimitApplicationCertificateRelatedConsFlg",
        limit_time = "LimitApplicationCertificateRelatedConsTime",
        limit = "LimitApplicationCertificateRelatedInfo",
        limit_changed = "LimitApplicationCertificateChanged",
        disease_flag = "SpecificDiseasesCertificateRelatedConsFlg",
        disease_time = "SpecificDiseasesCertificateRelatedConsTime",
        pharm_flag = "PharmacistsInfoConsFlg",
        pharm_time = "PharmacistsInfoConsTime",
        pharm_avail = "PharmacistsInfoAvailableTime",
        checkup_flag = "SpecificHealthCheckupsInfoConsFlg",
        checkup_time = "SpecificHealthCheckupsInfoConsTime",
        checkup_avail = "SpecificHealthCheckupsInfoAvailableTime",
        diag_flag = "DiagnosisInfoConsFlg",
        diag_time = "DiagnosisInfoConsTime",
        diag_avail = "DiagnosisInfoAvailableTime",
        op_flag = "OperationInfoConsFlg",
        op_time = "OperationInfoConsTime",
        op_avail = "OperationInfoAvailableTime",
        prescription = "PrescriptionIssueSelect",
        reference_number = "ReferenceNumber",
        arbitrary_identifier = "ArbitraryIdentifier",
    }
    lists {
        disease_lists = "SpecificDiseasesCertificateList",
        ticket_lists = "PublicExpenseResultList",
    }
}

#[allow(clippy::too_many_arguments)]
fn consent<F>(
    ctx: Ctx,
    flag: (super::read::Slot<'_, '_>, &'static str),
    time: (super::read::Slot<'_, '_>, &'static str),
    available: (super::read::Slot<'_, '_>, &'static str),
    from_code: fn(&str) -> F,
) -> Result<Option<Consent<F>>, EligibilityError> {
    let time_v = ctx.datetime(time.0, time.1)?;
    let available_v = ctx.datetime(available.0, available.1)?;
    match ctx.code(flag.0, flag.1, from_code)? {
        Some(flag) => Ok(Some(Consent {
            flag,
            time: time_v,
            available_time: available_v,
        })),
        None if time_v.is_some() || available_v.is_some() => Err(ctx.missing(flag.1)),
        None => Ok(None),
    }
}

fn elderly(ctx: Ctx, el: El<'_, '_>) -> Result<ElderlyRecipientCertificate, EligibilityError> {
    let ctx = ctx.block(el);
    let mut unknown = UnknownElements::new();
    let s = ElderlySlots::collect(el, Parent::ELDERLY, &mut unknown)?;
    Ok(ElderlyRecipientCertificate {
        issuance_date: ctx.date(s.date, ELDERLY.date)?,
        valid_from: ctx.date(s.start, ELDERLY.start)?,
        valid_until: ctx.date(s.end, ELDERLY.end)?,
        contribution_ratio: ctx.parsed(s.ratio, ELDERLY.ratio, BurdenRatio::parse)?,
        unknown,
    })
}

fn limit(ctx: Ctx, el: El<'_, '_>) -> Result<LimitApplicationCertificate, EligibilityError> {
    let ctx = ctx.block(el);
    let mut unknown = UnknownElements::new();
    let s = LimitSlots::collect(el, Parent::LIMIT, &mut unknown)?;
    Ok(LimitApplicationCertificate {
        classification: ctx.required_code(
            s.classification,
            LIMIT.classification,
            LimitApplicationCertificateClassification::from_code,
        )?,
        category: ctx.code(s.flag, LIMIT.flag, LimitCategory::from_code)?,
        issuance_date: ctx.date(s.date, LIMIT.date)?,
        valid_from: ctx.date(s.start, LIMIT.start)?,
        valid_until: ctx.date(s.end, LIMIT.end)?,
        long_term_date: ctx.date(s.long_term, LIMIT.long_term)?,
        unknown,
    })
}

fn disease(
    ctx: Ctx,
    s: DiseaseSlots<'_, '_>,
    unknown: UnknownElements,
) -> Result<SpecificDiseaseCertificate, EligibilityError> {
    Ok(SpecificDiseaseCertificate {
        disease: ctx.required_code(s.category, DISEASE.category, SpecificDisease::from_code)?,
        issuance_date: ctx.date(s.date, DISEASE.date)?,
        valid_from: ctx.date(s.start, DISEASE.start)?,
        valid_until: ctx.date(s.end, DISEASE.end)?,
        self_pay_limit: ctx.amount(s.self_pay, DISEASE.self_pay)?,
        unknown,
    })
}

/// Both observed shapes: `List/Info*` (written), and a `List` holding the
/// fields directly (read).
fn disease_list(
    ctx: Ctx,
    el: El<'_, '_>,
    out: &mut Vec<SpecificDiseaseCertificate>,
) -> Result<(), EligibilityError> {
    let list_ctx = ctx.block(el);
    let mut list_unknown = UnknownElements::new();
    let s = DiseaseSlots::collect(el, Parent::DISEASE_LIST, &mut list_unknown)?;
    let direct = s.category.is_some();
    let infos = s.infos.clone();
    if direct {
        out.push(disease(list_ctx, s, list_unknown)?);
    } else if !list_unknown.is_empty() {
        return Err(EligibilityError::Structure(format!(
            "<SpecificDiseasesCertificateList> at byte offset {} holds elements of neither known shape",
            el.offset()
        )));
    }
    for info in infos {
        let mut unknown = UnknownElements::new();
        let s = DiseaseSlots::collect(info, Parent::DISEASE, &mut unknown)?;
        out.push(disease(ctx.block(info), s, unknown)?);
    }
    Ok(())
}

fn ticket(ctx: Ctx, el: El<'_, '_>) -> Result<MedicalTicket, EligibilityError> {
    let ctx = ctx.block(el);
    let mut unknown = UnknownElements::new();
    let s = TicketSlots::collect(el, Parent::TICKET, &mut unknown)?;
    Ok(MedicalTicket {
        ticket_type: ctx.code(s.ticket_type, TICKET.ticket_type, TicketType::from_code)?,
        valid_from: ctx.date(s.valid, TICKET.valid)?,
        valid_until: ctx.date(s.expiration, TICKET.expiration)?,
        issue_number: ctx.string(s.issue_number, TICKET.issue_number)?,
        treatment_month: ctx.string(s.month, TICKET.month)?,
        designated_institution_code: ctx.string(s.designated_code, TICKET.designated_code)?,
        designated_institution_flag: ctx.code(
            s.designated_flag,
            TICKET.designated_flag,
            DesignatedInstitutionFlag::from_code,
        )?,
        designated_institution_name: ctx.string(s.designated_name, TICKET.designated_name)?,
        prescription_issuer_code: ctx.string(s.issuer_code, TICKET.issuer_code)?,
        prescription_issuer_name: ctx.string(s.issuer_name, TICKET.issuer_name)?,
        injury_names: [
            ctx.personal(s.injury1, TICKET.injury1)?,
            ctx.personal(s.injury2, TICKET.injury2)?,
            ctx.personal(s.injury3, TICKET.injury3)?,
        ],
        treatment_type: ctx.code(
            s.treatment_type,
            TICKET.treatment_type,
            MedicalTreatmentType::from_code,
        )?,
        self_pay_amount: ctx.amount(s.self_pay, TICKET.self_pay)?,
        district_contact_name: ctx.string(s.district, TICKET.district)?,
        handling_contact_name: ctx.string(s.handling, TICKET.handling)?,
        single_or_combined: ctx.code(s.single, TICKET.single, SingleOrCombinedUse::from_code)?,
        social_insurance: ctx.code(s.social, TICKET.social, Applicability::from_code)?,
        consistency: ctx.code(
            s.consistency,
            TICKET.consistency,
            ConsistencyFlag::from_code,
        )?,
        infection_act: ctx.code(s.infection, TICKET.infection, Applicability::from_code)?,
        elderly_medical_care: ctx.code(s.elderly, TICKET.elderly, Applicability::from_code)?,
        prefectural_expenses: ctx.code(
            s.prefectural,
            TICKET.prefectural,
            Applicability::from_code,
        )?,
        remarks: [
            ctx.personal(s.remarks1, TICKET.remarks1)?,
            ctx.personal(s.remarks2, TICKET.remarks2)?,
            ctx.personal(s.remarks3, TICKET.remarks3)?,
        ],
        unknown,
    })
}

impl QualificationRecord {
    pub(crate) fn from_tree(
        el: El<'_, '_>,
        index: usize,
        policy: CheckDigitPolicy,
    ) -> Result<Self, EligibilityError> {
        let ctx = Ctx::record(index, el);
        let mut unknown = UnknownElements::new();
        let s = RecordSlots::collect(el, Parent::RECORD, &mut unknown)?;
        let mut specific_diseases = Vec::new();
        for list in s.disease_lists.iter().copied() {
            disease_list(ctx, list, &mut specific_diseases)?;
        }
        let mut medical_tickets = Vec::new();
        for list in s.ticket_lists.iter().copied() {
            let mut list_unknown = UnknownElements::new();
            let l = TicketListSlots::collect(list, Parent::TICKET_LIST, &mut list_unknown)?;
            if !list_unknown.is_empty() {
                unknown.push(Parent::RECORD, list.raw());
                continue;
            }
            for t in l.tickets {
                medical_tickets.push(ticket(ctx, t)?);
            }
        }
        Ok(QualificationRecord {
            insured_card_classification: ctx.code(
                s.classification,
                RECORD.classification,
                InsuredCardClassification::from_code,
            )?,
            insurer_number: ctx.parsed(s.insurer_number, RECORD.insurer_number, |t| {
                InsurerNumber::parse_field(t, policy)
            })?,
            insurer_name: ctx.string(s.insurer_name, RECORD.insurer_name)?,
            insured_card_symbol: ctx.personal(s.symbol, RECORD.symbol)?,
            insured_identification_number: ctx.personal(s.number, RECORD.number)?,
            insured_branch_number: ctx.personal(s.branch, RECORD.branch)?,
            personal_family_classification: ctx.code(
                s.family,
                RECORD.family,
                PersonalFamilyClassification::from_code,
            )?,
            insured_name: ctx.personal(s.insured_name, RECORD.insured_name)?,
            name: ctx.required_personal(s.name, RECORD.name)?,
            name_of_other: ctx.personal(s.name_of_other, RECORD.name_of_other)?,
            name_kana: ctx.personal(s.name_kana, RECORD.name_kana)?,
            name_of_other_kana: ctx.personal(s.name_of_other_kana, RECORD.name_of_other_kana)?,
            sex1: ctx.code(s.sex1, RECORD.sex1, SexCode::from_code)?,
            sex2: ctx.code(s.sex2, RECORD.sex2, SexCode::from_code)?,
            birthdate: ctx
                .birth_date(s.birthdate, RECORD.birthdate)?
                .ok_or(ctx.missing(RECORD.birthdate))?,
            address: ctx.personal(s.address, RECORD.address)?,
            post_number: ctx.personal(s.post_number, RECORD.post_number)?,
            issuance_date: ctx.date(s.issuance, RECORD.issuance)?,
            valid_from: ctx.date(s.valid, RECORD.valid)?,
            valid_until: ctx.date(s.expiration, RECORD.expiration)?,
            qualification_date: ctx.date(s.qualification, RECORD.qualification)?,
            disqualification_date: ctx.date(s.disqualification, RECORD.disqualification)?,
            reason_of_loss: ctx.code(
                s.reason_of_loss,
                RECORD.reason_of_loss,
                ReasonOfLoss::from_code,
            )?,
            contribution_ratio: ctx.parsed(s.ratio, RECORD.ratio, BurdenRatio::parse)?,
            preschool: ctx.code(
                s.preschool,
                RECORD.preschool,
                PreschoolClassification::from_code,
            )?,
            public_expense_number: ctx.parsed(
                s.public_expense_number,
                RECORD.public_expense_number,
                |t| PublicExpensePayerNumber::parse_with(t, policy),
            )?,
            beneficiary_number: ctx.parsed(
                s.beneficiary_number,
                RECORD.beneficiary_number,
                |t| PublicExpenseRecipientNumber::parse_with(t, policy),
            )?,
            welfare_office_name: ctx.string(s.welfare_office, RECORD.welfare_office)?,
            elderly_recipient: s.elderly.map(|e| elderly(ctx, e)).transpose()?,
            limit_application_certificate: s.limit.map(|l| limit(ctx, l)).transpose()?,
            limit_application_certificate_changed: ctx.code(
                s.limit_changed,
                RECORD.limit_changed,
                LimitCertificateChanged::from_code,
            )?,
            specific_diseases,
            medical_tickets,
            consents: ConsentFlags {
                limit_application: consent(
                    ctx,
                    (s.limit_flag, RECORD.limit_flag),
                    (s.limit_time, RECORD.limit_time),
                    (None, ""),
                    ConsentFlag::from_code,
                )?,
                specific_diseases: consent(
                    ctx,
                    (s.disease_flag, RECORD.disease_flag),
                    (s.disease_time, RECORD.disease_time),
                    (None, ""),
                    ConsentStatus::from_code,
                )?,
                medication: consent(
                    ctx,
                    (s.pharm_flag, RECORD.pharm_flag),
                    (s.pharm_time, RECORD.pharm_time),
                    (s.pharm_avail, RECORD.pharm_avail),
                    ConsentStatus::from_code,
                )?,
                health_checkups: consent(
                    ctx,
                    (s.checkup_flag, RECORD.checkup_flag),
                    (s.checkup_time, RECORD.checkup_time),
                    (s.checkup_avail, RECORD.checkup_avail),
                    ConsentStatus::from_code,
                )?,
                clinical: consent(
                    ctx,
                    (s.diag_flag, RECORD.diag_flag),
                    (s.diag_time, RECORD.diag_time),
                    (s.diag_avail, RECORD.diag_avail),
                    ConsentStatus::from_code,
                )?,
                operation: consent(
                    ctx,
                    (s.op_flag, RECORD.op_flag),
                    (s.op_time, RECORD.op_time),
                    (s.op_avail, RECORD.op_avail),
                    ConsentStatus::from_code,
                )?,
            },
            prescription_issue: ctx.code(
                s.prescription,
                RECORD.prescription,
                PrescriptionIssueSelect::from_code,
            )?,
            reference_number: ctx.personal(s.reference_number, RECORD.reference_number)?,
            arbitrary_identifier: ctx
                .string(s.arbitrary_identifier, RECORD.arbitrary_identifier)?,
            unknown,
        })
    }

    /// Writes `<ResultOfQualificationConfirmation>` (the element order of the
    /// real files; unknown elements last).
    pub(crate) fn write(&self, out: &mut XmlOut) {
        fn date(d: &Option<CalendarDate>) -> Option<String> {
            d.as_ref().map(yyyymmdd)
        }
        fn time(d: &Option<DateTime>) -> Option<String> {
            d.as_ref().map(DateTime::to_compact)
        }
        fn p(v: &Option<PersonalText>) -> Option<&str> {
            v.as_ref().map(PersonalText::expose)
        }
        fn cons<F>(
            out: &mut XmlOut,
            c: &Option<Consent<F>>,
            code: fn(&F) -> &str,
            names: [&str; 3],
        ) {
            if let Some(c) = c {
                out.leaf(names[0], code(&c.flag));
                out.opt(names[1], time(&c.time).as_deref());
                if !names[2].is_empty() {
                    out.opt(names[2], time(&c.available_time).as_deref());
                }
            }
        }
        let ratio = |r: &Option<BurdenRatio>| r.as_ref().map(BurdenRatio::to_code);
        out.open("ResultOfQualificationConfirmation");
        out.opt(
            RECORD.classification,
            self.insured_card_classification.as_ref().map(|c| c.code()),
        );
        out.opt(
            RECORD.insurer_number,
            self.insurer_number
                .as_ref()
                .map(InsurerNumber::to_field)
                .as_deref(),
        );
        out.opt(RECORD.symbol, p(&self.insured_card_symbol));
        out.opt(RECORD.number, p(&self.insured_identification_number));
        out.opt(RECORD.branch, p(&self.insured_branch_number));
        out.opt(
            RECORD.family,
            self.personal_family_classification
                .as_ref()
                .map(|c| c.code()),
        );
        out.opt(RECORD.insured_name, p(&self.insured_name));
        out.leaf(RECORD.name, self.name.expose());
        out.opt(RECORD.name_of_other, p(&self.name_of_other));
        out.opt(RECORD.name_kana, p(&self.name_kana));
        out.opt(RECORD.name_of_other_kana, p(&self.name_of_other_kana));
        out.opt(RECORD.sex1, self.sex1.as_ref().map(|c| c.code()));
        out.opt(RECORD.sex2, self.sex2.as_ref().map(|c| c.code()));
        let birth = zeroize::Zeroizing::new(yyyymmdd(&self.birthdate.expose()));
        out.leaf(RECORD.birthdate, &birth);
        out.opt(RECORD.address, p(&self.address));
        out.opt(RECORD.post_number, p(&self.post_number));
        out.opt(
            RECORD.qualification,
            date(&self.qualification_date).as_deref(),
        );
        out.opt(
            RECORD.disqualification,
            date(&self.disqualification_date).as_deref(),
        );
        out.opt(RECORD.issuance, date(&self.issuance_date).as_deref());
        out.opt(RECORD.valid, date(&self.valid_from).as_deref());
        out.opt(RECORD.expiration, date(&self.valid_until).as_deref());
        out.opt(RECORD.ratio, ratio(&self.contribution_ratio).as_deref());
        out.opt(RECORD.preschool, self.preschool.as_ref().map(|c| c.code()));
        out.opt(
            RECORD.reason_of_loss,
            self.reason_of_loss.as_ref().map(|c| c.code()),
        );
        out.opt(RECORD.insurer_name, self.insurer_name.as_deref());
        out.opt(
            RECORD.public_expense_number,
            self.public_expense_number.as_ref().map(|n| n.as_str()),
        );
        out.opt(
            RECORD.beneficiary_number,
            self.beneficiary_number.as_ref().map(|n| n.as_str()),
        );
        out.opt(RECORD.welfare_office, self.welfare_office_name.as_deref());
        if let Some(e) = &self.elderly_recipient {
            out.open(RECORD.elderly);
            out.opt(ELDERLY.date, date(&e.issuance_date).as_deref());
            out.opt(ELDERLY.start, date(&e.valid_from).as_deref());
            out.opt(ELDERLY.end, date(&e.valid_until).as_deref());
            out.opt(ELDERLY.ratio, ratio(&e.contribution_ratio).as_deref());
            out.unknown(&e.unknown);
            out.close(RECORD.elderly);
        }
        let c = &self.consents;
        cons(
            out,
            &c.limit_application,
            ConsentFlag::code,
            [RECORD.limit_flag, RECORD.limit_time, ""],
        );
        if let Some(l) = &self.limit_application_certificate {
            out.open(RECORD.limit);
            out.leaf(LIMIT.classification, l.classification.code());
            out.opt(LIMIT.flag, l.category.as_ref().map(|c| c.code()));
            out.opt(LIMIT.date, date(&l.issuance_date).as_deref());
            out.opt(LIMIT.start, date(&l.valid_from).as_deref());
            out.opt(LIMIT.end, date(&l.valid_until).as_deref());
            out.opt(LIMIT.long_term, date(&l.long_term_date).as_deref());
            out.unknown(&l.unknown);
            out.close(RECORD.limit);
        }
        out.opt(
            RECORD.limit_changed,
            self.limit_application_certificate_changed
                .as_ref()
                .map(|c| c.code()),
        );
        cons(
            out,
            &c.specific_diseases,
            ConsentStatus::code,
            [RECORD.disease_flag, RECORD.disease_time, ""],
        );
        if !self.specific_diseases.is_empty() {
            out.open(RECORD.disease_lists);
            for s in &self.specific_diseases {
                out.open(DISEASE.infos);
                out.leaf(DISEASE.category, s.disease.code());
                out.opt(DISEASE.date, date(&s.issuance_date).as_deref());
                out.opt(DISEASE.start, date(&s.valid_from).as_deref());
                out.opt(DISEASE.end, date(&s.valid_until).as_deref());
                out.opt(
                    DISEASE.self_pay,
                    s.self_pay_limit.map(|v| v.to_string()).as_deref(),
                );
                out.unknown(&s.unknown);
                out.close(DISEASE.infos);
            }
            out.close(RECORD.disease_lists);
        }
        if !self.medical_tickets.is_empty() {
            out.open(RECORD.ticket_lists);
            for t in &self.medical_tickets {
                write_ticket(out, t);
            }
            out.close(RECORD.ticket_lists);
        }
        cons(
            out,
            &c.health_checkups,
            ConsentStatus::code,
            [
                RECORD.checkup_flag,
                RECORD.checkup_time,
                RECORD.checkup_avail,
            ],
        );
        cons(
            out,
            &c.medication,
            ConsentStatus::code,
            [RECORD.pharm_flag, RECORD.pharm_time, RECORD.pharm_avail],
        );
        cons(
            out,
            &c.clinical,
            ConsentStatus::code,
            [RECORD.diag_flag, RECORD.diag_time, RECORD.diag_avail],
        );
        cons(
            out,
            &c.operation,
            ConsentStatus::code,
            [RECORD.op_flag, RECORD.op_time, RECORD.op_avail],
        );
        out.opt(
            RECORD.prescription,
            self.prescription_issue.as_ref().map(|c| c.code()),
        );
        out.opt(RECORD.reference_number, p(&self.reference_number));
        out.opt(
            RECORD.arbitrary_identifier,
            self.arbitrary_identifier.as_deref(),
        );
        out.unknown(&self.unknown);
        out.close("ResultOfQualificationConfirmation");
    }
}

fn write_ticket(out: &mut XmlOut, t: &MedicalTicket) {
    let date = |d: &Option<CalendarDate>| d.as_ref().map(yyyymmdd);
    let p = |v: &Option<PersonalText>| v.as_ref().map(|v| v.expose().to_owned());
    out.open(TICKET_LIST.tickets);
    out.opt(TICKET.ticket_type, t.ticket_type.as_ref().map(|c| c.code()));
    out.opt(TICKET.valid, date(&t.valid_from).as_deref());
    out.opt(TICKET.expiration, date(&t.valid_until).as_deref());
    out.opt(TICKET.issue_number, t.issue_number.as_deref());
    out.opt(TICKET.month, t.treatment_month.as_deref());
    out.opt(
        TICKET.designated_code,
        t.designated_institution_code.as_deref(),
    );
    out.opt(
        TICKET.designated_flag,
        t.designated_institution_flag.as_ref().map(|c| c.code()),
    );
    out.opt(
        TICKET.designated_name,
        t.designated_institution_name.as_deref(),
    );
    out.opt(TICKET.issuer_code, t.prescription_issuer_code.as_deref());
    out.opt(TICKET.issuer_name, t.prescription_issuer_name.as_deref());
    for (i, name) in [TICKET.injury1, TICKET.injury2, TICKET.injury3]
        .iter()
        .enumerate()
    {
        if let Some(v) = t.injury_names.get(i).and_then(|v| v.as_ref()) {
            out.leaf(name, v.expose());
        }
    }
    out.opt(
        TICKET.treatment_type,
        t.treatment_type.as_ref().map(|c| c.code()),
    );
    out.opt(
        TICKET.self_pay,
        t.self_pay_amount.map(|v| v.to_string()).as_deref(),
    );
    out.opt(TICKET.district, t.district_contact_name.as_deref());
    out.opt(TICKET.handling, t.handling_contact_name.as_deref());
    out.opt(
        TICKET.single,
        t.single_or_combined.as_ref().map(|c| c.code()),
    );
    out.opt(TICKET.social, t.social_insurance.as_ref().map(|c| c.code()));
    out.opt(TICKET.consistency, t.consistency.as_ref().map(|c| c.code()));
    out.opt(TICKET.infection, t.infection_act.as_ref().map(|c| c.code()));
    out.opt(
        TICKET.elderly,
        t.elderly_medical_care.as_ref().map(|c| c.code()),
    );
    out.opt(
        TICKET.prefectural,
        t.prefectural_expenses.as_ref().map(|c| c.code()),
    );
    for (i, name) in [TICKET.remarks1, TICKET.remarks2, TICKET.remarks3]
        .iter()
        .enumerate()
    {
        if let Some(v) = t.remarks.get(i).and_then(|v| v.as_ref()) {
            out.leaf(name, v.expose());
        }
    }
    let _ = p;
    out.unknown(&t.unknown);
    out.close(TICKET_LIST.tickets);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burden_rule_names_its_source_elements_as_the_name_tables_do() {
        assert_eq!(super::super::burden::RECORD_SOURCE, RECORD.ratio);
        assert_eq!(
            super::super::burden::ELDERLY_SOURCE,
            alloc::format!("{}/{}", RECORD.elderly, ELDERLY.ratio)
        );
    }

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
                expected: "3 digits of percent (000-100)"
            })
        );
        assert!(BurdenRatio::parse("101").is_err());
        assert_eq!(BurdenRatio::parse("015").unwrap().wari(), None);
        assert_eq!(r.to_string(), "3割");
        assert_eq!(BurdenRatio::parse("015").unwrap().to_string(), "15%");
    }
}
