//! Every code table of the terminal's files as an enum.
//!
//! Each enum has one variant per code of the fact sheet's table and an
//! `Unknown(String)` variant keeping the raw value, so a code added by the
//! national system never makes a valid file unreadable. [`code`](SexCode::code)
//! gives back exactly the string that was read; [`meaning`](SexCode::meaning) gives
//! the table's Japanese meaning (`None` for an unknown code).
//!
//! With the `serde` feature each enum is (de)serialised as its code string.

use alloc::borrow::ToOwned;
use alloc::string::String;
/// Defines a code-table enum with `from_code`, `code`, `meaning` and `KNOWN`.
macro_rules! code_table {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $meaning:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $code, "` ", $meaning)] $variant, )+
            /// A code not in this crate's table, kept as read.
            Unknown(String),
        }

        impl $name {
            /// Every known code with its meaning, in table order.
            pub const KNOWN: &'static [(&'static str, &'static str)] = &[ $( ($code, $meaning), )+ ];

            /// The variant for a code; an unlisted code becomes `Unknown`.
            pub fn from_code(code: &str) -> Self {
                match code {
                    $( $code => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            /// The code as written in the file.
            pub fn code(&self) -> &str {
                match self {
                    $( Self::$variant => $code, )+
                    Self::Unknown(raw) => raw,
                }
            }

            /// The code table's meaning, or `None` for an unknown code.
            pub fn meaning(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => Some($meaning), )+
                    Self::Unknown(_) => None,
                }
            }

            /// Whether the code is in this crate's table.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.meaning() {
                    Some(m) => write!(f, "{} ({})", self.code(), m),
                    None => write!(f, "{} (unknown code)", self.code()),
                }
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok(Self::from_code(&s))
            }
        }
    };
}

code_table! {
    /// 照会区分 (`ReferenceClassification`): how the patient is identified.
    ReferenceClassification {
        MyNumberCard = "1" => "マイナンバーカード",
        InsuranceCardInfo = "2" => "被保険者証情報",
    }
}

code_table! {
    /// 処理結果区分 (`SegmentOfResult`) of the message header.
    SegmentOfResult {
        Completed = "1" => "正常終了",
        InProgress = "2" => "処理中",
        Abnormal = "9" => "異常終了",
    }
}

code_table! {
    /// `CharacterCodeIdentifier`: the encoding of the file (OQSCD005 ⚠:
    /// most sources have 0 UTF-8 / 1 Shift_JIS, one code table 1 UTF-8 /
    /// 2 Shift_JIS; the reader treats 1 and 2 as Shift_JIS only when the bytes
    /// say nothing else, see [`parse_result`](super::parse_result)).
    CharacterCode {
        Utf8 = "0" => "UTF-8",
        ShiftJis = "1" => "Shift_JIS",
        ShiftJisAlternative = "2" => "Shift_JIS (code table variant)",
    }
}

code_table! {
    /// `ProcessingResultStatus` of the message body.
    ProcessingResultStatus {
        Completed = "1" => "正常終了",
        Error = "2" => "エラー",
    }
}

code_table! {
    /// 資格有効性 (`QualificationValidity`, code table OQSCD006).
    QualificationValidity {
        Valid = "1" => "有効",
        Invalid = "2" => "無効",
        InvalidNewerExists = "3" => "無効（新しい資格あり）",
        NoQualification = "4" => "該当資格なし",
        Multiple = "5" => "複数該当",
        /// 医療扶助 only.
        ValidUnregistered = "6" => "有効（未登録）",
    }
}

code_table! {
    /// 被保険者証の種類 (`InsuredCardClassification`).
    InsuredCardClassification {
        General = "01" => "被保険者証（一般）",
        Retired = "02" => "被保険者証（退職）",
        ShortTermGeneral = "03" => "短期被保険者証（一般）",
        ShortTermRetired = "04" => "短期被保険者証（退職）",
        QualificationCertificate = "05" => "被保険者資格証明書",
        SpecialRetired = "06" => "特例退職被保険者証",
        SelfDefenseForces = "07" => "自衛官診療証",
        MedicalAssistance = "A1" => "医療扶助",
    }
}

code_table! {
    /// 本人・家族 (`PersonalFamilyClassification`).
    PersonalFamilyClassification {
        Insured = "1" => "本人",
        Family = "2" => "家族",
    }
}

code_table! {
    /// 性別 (`Sex1`, `Sex2`, OQSCD007) as the file codes it; the crate's
    /// [`crate::person::Sex`] is the holder's sex from every source.
    SexCode {
        Male = "1" => "男",
        Female = "2" => "女",
        NotSet = "3" => "未設定",
    }
}

code_table! {
    /// 喪失事由 (`ReasonOfLoss`).
    ReasonOfLoss {
        Death = "01" => "死亡",
        PublicAssistance = "02" => "生活保護受給開始",
        OtherInsurance = "03" => "医療保険等の資格取得",
        Other = "99" => "その他",
    }
}

code_table! {
    /// 未就学区分 (`PreschoolClassification`).
    PreschoolClassification {
        Preschool = "1" => "未就学該当",
        /// Later code-table versions only (⚠).
        InSchool = "2" => "就学中",
    }
}

code_table! {
    /// 限度額適用認定証提供同意フラグ (`LimitApplicationCertificateRelatedConsFlg`,
    /// OQSCD001).
    ConsentFlag {
        NotConsented = "0" => "未同意",
        Consented = "1" => "同意",
    }
}

code_table! {
    /// 同意区分 (OQSCD016): every other `…ConsFlg` (特定疾病, 薬剤, 特定健診,
    /// 診療, 手術, and the 電子カルテ情報共有 flags). 2 occurs only in the
    /// 訪問診療等・オンライン診療等 interfaces, 3 only in the 救急 interface.
    ConsentStatus {
        NotConsented = "0" => "同意なし",
        Consented = "1" => "同意あり",
        Expired = "2" => "同意有効期限切れ",
        Difficult = "3" => "同意取得困難",
    }
}

code_table! {
    /// 限度額適用認定証情報変更有無 (`LimitApplicationCertificateChanged`,
    /// OQSCD014, 1 src).
    LimitCertificateChanged {
        Unchanged = "0" => "変更なし",
        ChangedOrUndetermined = "1" => "変更あり または 判定不能",
    }
}

code_table! {
    /// 医療券・調剤券別 (`TicketType`, OQSCD018, 1 src).
    TicketType {
        MedicalTicket = "01" => "医療券",
        DispensingTicket = "02" => "調剤券",
    }
}

code_table! {
    /// 診療別 (`MedicalTreatmentType`, OQSCD019, 1 src).
    MedicalTreatmentType {
        Inpatient = "01" => "入院",
        Outpatient = "02" => "入院外",
        Dental = "03" => "歯科",
        Dispensing = "04" => "調剤",
        HomeNursing = "05" => "訪問看護",
    }
}

code_table! {
    /// 単独・併用別 (`SingleOrCombinedUse`, OQSCD020, 1 src).
    SingleOrCombinedUse {
        Single = "01" => "単独",
        Combined = "02" => "併用",
    }
}

code_table! {
    /// あり / なし of the 医療券 status fields (`StatusOfSocialInsurance`,
    /// `StatusOfInfecton`, `StatusOfElderlyMedicalCare`,
    /// `StatusOfPrefecturalExpenses`: OQSCD021, 023, 024, 025, 1 src).
    Applicability {
        Applies = "01" => "あり",
        DoesNotApply = "02" => "なし",
    }
}

code_table! {
    /// 社会保険状況の整合性フラグ (`ConsistencyFlag`, OQSCD022, 1 src).
    ConsistencyFlag {
        Inconsistent = "1" => "不整合あり",
    }
}

code_table! {
    /// 指定医療機関確認フラグ (`DesignatedMedicalInstitutionFlag`, OQSCD026, 1 src).
    DesignatedInstitutionFlag {
        Matches = "0" => "一致",
        DoesNotMatch = "1" => "不一致",
    }
}

code_table! {
    /// 限度額適用認定証の種類 (`LimitApplicationCertificateClassification`).
    LimitApplicationCertificateClassification {
        LimitApplication = "01" => "限度額適用認定証",
        LimitApplicationAndReduction = "02" => "限度額適用・標準負担額減額認定証",
        StandardReduction = "03" => "標準負担額減額認定証",
    }
}

code_table! {
    /// 限度額区分 (`LimitApplicationCertificateClassificationFlag`).
    LimitCategory {
        A = "A01" => "ア",
        I = "A02" => "イ",
        U = "A03" => "ウ",
        E = "A04" => "エ",
        O = "A05" => "オ",
        OBoundary = "A06" => "オ（境）",
        ActiveIncome3 = "B01" => "現役並みⅢ",
        ActiveIncome2 = "B02" => "現役並みⅡ",
        ActiveIncome1 = "B03" => "現役並みⅠ",
        General = "B04" => "一般",
        LowIncome2 = "B05" => "低所得Ⅱ",
        LowIncome1 = "B06" => "低所得Ⅰ",
        LowIncome1Welfare = "B07" => "低所得Ⅰ（老福）",
        LowIncome1Boundary = "B08" => "低所得Ⅰ（境）",
        General2 = "B09" => "一般Ⅱ",
        General1 = "B10" => "一般Ⅰ",
    }
}

code_table! {
    /// 認定疾病区分 (OQSCD013) of a 特定疾病療養受療証.
    SpecificDisease {
        ChronicRenalFailureDialysis = "1" => "人工透析を必要とする慢性腎不全",
        CongenitalCoagulationDisorder = "2" => "先天性血液凝固因子障害",
        HivFromCoagulationFactor = "3" => "血液凝固因子製剤の投与に起因するHIV感染症",
    }
}

code_table! {
    /// 処方箋発行形態 (`PrescriptionIssueSelect`).
    PrescriptionIssueSelect {
        Electronic = "1" => "電子処方箋",
        Paper = "2" => "紙の処方箋",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    macro_rules! round_trip {
        ($($t:ty),+) => {$(
            for &(code, meaning) in <$t>::KNOWN {
                let v = <$t>::from_code(code);
                assert!(v.is_known(), "{code}");
                assert_eq!(v.code(), code);
                assert_eq!(v.meaning(), Some(meaning));
            }
            let u = <$t>::from_code("ZZ9");
            assert_eq!(u, <$t>::Unknown("ZZ9".to_owned()));
            assert_eq!(u.code(), "ZZ9");
            assert_eq!(u.meaning(), None);
        )+};
    }

    #[test]
    fn every_code_table_round_trips() {
        round_trip!(
            ReferenceClassification,
            SegmentOfResult,
            CharacterCode,
            ProcessingResultStatus,
            QualificationValidity,
            InsuredCardClassification,
            PersonalFamilyClassification,
            SexCode,
            ReasonOfLoss,
            PreschoolClassification,
            ConsentFlag,
            ConsentStatus,
            LimitCertificateChanged,
            TicketType,
            MedicalTreatmentType,
            SingleOrCombinedUse,
            Applicability,
            ConsistencyFlag,
            DesignatedInstitutionFlag,
            LimitApplicationCertificateClassification,
            LimitCategory,
            SpecificDisease,
            PrescriptionIssueSelect
        );
    }

    #[test]
    fn table_sizes_match_the_fact_sheet() {
        assert_eq!(QualificationValidity::KNOWN.len(), 6);
        assert_eq!(InsuredCardClassification::KNOWN.len(), 8);
        assert_eq!(ConsentStatus::KNOWN.len(), 4);
        assert_eq!(PreschoolClassification::KNOWN.len(), 2);
        assert_eq!(LimitCategory::KNOWN.len(), 16);
        assert_eq!(ReasonOfLoss::KNOWN.len(), 4);
    }

    #[test]
    fn exact_meanings_and_display() {
        assert_eq!(LimitCategory::from_code("A06"), LimitCategory::OBoundary);
        assert_eq!(LimitCategory::from_code("B10"), LimitCategory::General1);
        assert_eq!(LimitCategory::General1.meaning(), Some("一般Ⅰ"));
        assert_eq!(
            QualificationValidity::from_code("3").to_string(),
            "3 (無効（新しい資格あり）)"
        );
        assert_eq!(SexCode::from_code("9").to_string(), "9 (unknown code)");
        // Codes are compared exactly: "1" is not "01".
        assert_eq!(
            InsuredCardClassification::from_code("1"),
            InsuredCardClassification::Unknown("1".to_owned())
        );
    }
}
