//! 薬剤情報 (+ 診療情報) answer, `YZKsiquc01res` (single source: OQSDrug2).
//!
//! Three families of month records, one per source of the data (the meanings
//! are inferred): `MeTrMonthInf` (レセプト, claims), `CzDiInf/CzDiMonthInf`
//! (電子処方箋 調剤結果, dispensing) and `ShPrInf/ShPrMonthInf` (電子処方箋
//! 処方, prescription). Each month holds date records (`DiDateInfs/DiDateInf`,
//! `CzDiDateInfs/CzDiDateInf`, `ShPrDateInfs/ShPrDateInf`) with their drugs
//! (`DrugInfs/DrugInf`, `CzDrugInfs/CzDrugInf`, `ShDrugInfs/ShDrugInf`); a
//! claims date record also holds the 診療情報 (`MeTrInfs/MeTrInf`) when the
//! request asked for it (`FileCategory` 3 / 4).

use super::{
    PatientTags, ViewHeader, body_status, envelope, expose, personal, strings, walk, write_header,
    write_leaves,
};
use crate::date::CalendarDate;
use crate::eligibility::dates::parse_date;
use crate::eligibility::error::EligibilityError;
use crate::eligibility::input::ParseOptions;
use crate::eligibility::personal::PersonalText;
use crate::eligibility::read::Ctx;
use crate::eligibility::tree::El;
use crate::eligibility::unknown::{Parent, UnknownElements};
use crate::eligibility::xml_out::{XmlEncoding, XmlOut};
use alloc::string::String;
use alloc::vec::Vec;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Where a month record comes from (its element family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub enum MedicationSource {
    /// `MeTrMonthInf`: レセプト (claims).
    Claims,
    /// `CzDiInf/CzDiMonthInf`: 電子処方箋 調剤結果 (dispensing).
    Dispensing,
    /// `ShPrInf/ShPrMonthInf`: 電子処方箋 処方 (prescription).
    Prescription,
}

/// One drug (`DrugInf`, `CzDrugInf`, `ShDrugInf`; names given for `DrugInf`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Drug {
    /// 薬剤コード (`DrugC`).
    pub code: Option<String>,
    /// 薬剤名 (`DrugN`).
    pub name: Option<PersonalText>,
    /// 成分名 (`IngreN`).
    pub ingredient: Option<PersonalText>,
    /// 数量 as written (`Qua1`).
    pub quantity: Option<String>,
    /// 単位 (`Unit`).
    pub unit: Option<String>,
    /// 回数・日数 as written (`Times`).
    pub times: Option<String>,
    /// 用法 (`UsageN`).
    pub usage: Option<PersonalText>,
    /// 特別指示 (`SpInst`).
    pub special_instruction: Option<PersonalText>,
    /// 区分 (`MeTrIdCl`, `CzUsageCl`, `ShUsageCl`).
    pub usage_class: Option<String>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// One 診療行為 of a claims date record (`MeTrInfs/MeTrInf`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Treatment {
    /// 診療行為名 (`SinInfN`).
    pub name: Option<PersonalText>,
    /// 診療行為コード (`SinInfCd`).
    pub code: Option<String>,
    /// 区分 (`MeTrIdCl`).
    pub class: Option<String>,
    /// 数量 as written (`Qua1`).
    pub quantity: Option<String>,
    /// 回数 as written (`Times`).
    pub times: Option<String>,
    /// 単位 (`Unit`).
    pub unit: Option<String>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// One date record (`DiDateInf`, `CzDiDateInf`, `ShPrDateInf`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct MedicationDay {
    /// 調剤日 (or 処方日 for the prescription family) as written (`DiDate`,
    /// `CzDiDate`, `ShPrDate`).
    pub date: Option<String>,
    /// 処方日 as written (`PrDate`, `CzPrDate`; the prescription family has none).
    pub prescription_date: Option<String>,
    /// The drugs (`DrugInfs/DrugInf`…).
    pub drugs: Vec<Drug>,
    /// The 診療情報 (`MeTrInfs/MeTrInf`, claims family only).
    pub treatments: Vec<Treatment>,
    /// Elements this crate does not know, as read (also those of the lists).
    pub unknown: UnknownElements,
}

impl MedicationDay {
    /// [`date`](Self::date) as a calendar date, when it is `YYYYMMDD`.
    pub fn calendar_date(&self) -> Option<CalendarDate> {
        self.date.as_deref().and_then(|d| parse_date(d).ok())
    }
}

/// One month record (`MeTrMonthInf`, `CzDiMonthInf`, `ShPrMonthInf`; names
/// given for `MeTrMonthInf`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct MedicationMonth {
    /// Which family the record is in.
    pub source: MedicationSource,
    /// 診療年月 / 調剤年月 as written, `YYYYMM` (`MeTrMonth`).
    pub month: Option<String>,
    /// 機関種別 (`DiOrg`).
    pub organisation: Option<String>,
    /// 調剤・診療機関コード (`MeTrDiHCd`).
    pub institution_code: Option<String>,
    /// 調剤・診療機関名 (`MeTrDiHNm`).
    pub institution_name: Option<PersonalText>,
    /// 処方機関コード (`PrlsHCd`).
    pub prescriber_code: Option<String>,
    /// 処方機関名 (`PrlsHNm`).
    pub prescriber_name: Option<PersonalText>,
    /// 自院 `1` / 他院 `2` (`PrIsOrg`).
    pub own_institution: Option<String>,
    /// 院内・院外 (`InOut`, `CzPrCl`, `ShPrCl`).
    pub in_out: Option<String>,
    /// The date records.
    pub days: Vec<MedicationDay>,
    /// Elements this crate does not know, as read (also those of the list).
    pub unknown: UnknownElements,
}

impl MedicationMonth {
    /// An empty month record of `source`.
    pub fn new(source: MedicationSource) -> Self {
        Self {
            source,
            month: None,
            organisation: None,
            institution_code: None,
            institution_name: None,
            prescriber_code: None,
            prescriber_name: None,
            own_institution: None,
            in_out: None,
            days: Vec::new(),
            unknown: UnknownElements::new(),
        }
    }
}

/// A `YZKsiquc01res` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct MedicationFile {
    /// `MessageHeader`: the patient and the result.
    pub header: ViewHeader,
    /// The month records: claims first, then dispensing, then prescription,
    /// each family in file order.
    pub months: Vec<MedicationMonth>,
    /// Unknown elements of the root, header, body and family wrappers.
    pub unknown: UnknownElements,
}

/// The element names of one family.
struct Family {
    source: MedicationSource,
    wrapper: Option<(&'static str, Parent)>,
    month: &'static str,
    /// The month block; the next four [`Parent`]s are the date list, date,
    /// drug list and drug.
    parent: Parent,
    /// Month, organisation, institution code / name, prescriber code / name,
    /// own/other, in/out.
    month_leaves: [&'static str; 8],
    date_list: &'static str,
    date: &'static str,
    /// Date, prescription date (`""`: none).
    date_leaves: [&'static str; 2],
    drug_list: &'static str,
    drug: &'static str,
    /// Code, name, ingredient, quantity, unit, times, usage, instruction, class.
    drug_leaves: [&'static str; 9],
}

const CLAIMS: Family = Family {
    source: MedicationSource::Claims,
    wrapper: None,
    month: "MeTrMonthInf",
    parent: Parent::ME_TR_MONTH,
    month_leaves: [
        "MeTrMonth",
        "DiOrg",
        "MeTrDiHCd",
        "MeTrDiHNm",
        "PrlsHCd",
        "PrlsHNm",
        "PrIsOrg",
        "InOut",
    ],
    date_list: "DiDateInfs",
    date: "DiDateInf",
    date_leaves: ["DiDate", "PrDate"],
    drug_list: "DrugInfs",
    drug: "DrugInf",
    drug_leaves: [
        "DrugC", "DrugN", "IngreN", "Qua1", "Unit", "Times", "UsageN", "SpInst", "MeTrIdCl",
    ],
};

const DISPENSING: Family = Family {
    source: MedicationSource::Dispensing,
    wrapper: Some(("CzDiInf", Parent::CZ_WRAPPER)),
    month: "CzDiMonthInf",
    parent: Parent::CZ_WRAPPER.then(1),
    month_leaves: [
        "CzDiMonth",
        "CzDiOrg",
        "CzMeTrDiHCd",
        "CzMeTrDiHNm",
        "CzPrlsHCd",
        "CzPrlsHNm",
        "CzPrIsOrg",
        "CzPrCl",
    ],
    date_list: "CzDiDateInfs",
    date: "CzDiDateInf",
    date_leaves: ["CzDiDate", "CzPrDate"],
    drug_list: "CzDrugInfs",
    drug: "CzDrugInf",
    drug_leaves: [
        "CzDrugC",
        "CzDrugN",
        "CzIngreN",
        "CzQua1",
        "CzUnit",
        "CzTimes",
        "CzUsageN",
        "CzSpInst",
        "CzUsageCl",
    ],
};

const PRESCRIPTION: Family = Family {
    source: MedicationSource::Prescription,
    wrapper: Some(("ShPrInf", Parent::SH_WRAPPER)),
    month: "ShPrMonthInf",
    parent: Parent::SH_WRAPPER.then(1),
    month_leaves: [
        "ShPrMonth",
        "ShPrOrg",
        "ShMeTrDiHCd",
        "ShMeTrDiHNm",
        "ShPrHCd",
        "ShPrHNm",
        "ShPrIsOrg",
        "ShPrCl",
    ],
    date_list: "ShPrDateInfs",
    date: "ShPrDateInf",
    date_leaves: ["ShPrDate", ""],
    drug_list: "ShDrugInfs",
    drug: "ShDrugInf",
    drug_leaves: [
        "ShDrugC",
        "ShDrugN",
        "ShIngreN",
        "ShQua1",
        "ShUnit",
        "ShTimes",
        "ShUsageN",
        "ShSpInst",
        "ShUsageCl",
    ],
};

const FAMILIES: [&Family; 3] = [&CLAIMS, &DISPENSING, &PRESCRIPTION];

const TREATMENT_LEAVES: [&str; 6] = ["SinInfN", "SinInfCd", "MeTrIdCl", "Qua1", "Times", "Unit"];

const PATIENT: PatientTags = PatientTags {
    block: "QuaInf",
    parent: Parent::QUA_INF,
    leaves: ["Name", "KanaName", "Birth", "AdmGendCode"],
};

/// Parses a `YZKsiquc01res` answer with the default [`ParseOptions`].
///
/// ```
/// let xml = "<XmlMsg><MessageHeader><QuaInf><Name>テスト</Name></QuaInf>\
///   <ResultCode>1</ResultCode></MessageHeader><MessageBody><MeTrMonthInf>\
///   <MeTrMonth>202511</MeTrMonth><DiDateInfs><DiDateInf><DiDate>20251104</DiDate>\
///   <DrugInfs><DrugInf><DrugN>テスト錠</DrugN></DrugInf></DrugInfs></DiDateInf>\
///   </DiDateInfs></MeTrMonthInf></MessageBody></XmlMsg>";
/// let file = mynacard::eligibility::parse_medication(xml.as_bytes()).unwrap();
/// assert!(file.header.is_success());
/// assert_eq!(file.months[0].days[0].drugs[0].name.as_ref().unwrap().expose(), "テスト錠");
/// ```
#[cfg(feature = "std")]
pub fn parse_medication(bytes: &[u8]) -> Result<MedicationFile, EligibilityError> {
    parse_medication_with(bytes, &ParseOptions::default())
}

/// Parses a `YZKsiquc01res` answer with explicit options.
#[cfg(feature = "std")]
pub fn parse_medication_with(
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<MedicationFile, EligibilityError> {
    super::with_tree(bytes, options, MedicationFile::from_tree)
}

impl MedicationFile {
    fn from_tree(root: El<'_, '_>) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        let mut env = envelope(root, &PATIENT, &mut unknown)?;
        let mut months = Vec::new();
        if let Some(body) = env.body {
            let ctx = env.ctx.block(body);
            let ([code, message], [claims, cz, sh]) = walk(
                body,
                ["ResultCode", "MessageContents"],
                [CLAIMS.month, "CzDiInf", "ShPrInf"],
                Parent::BODY,
                &mut unknown,
            )?;
            body_status(ctx, &mut env.header, code, message)?;
            for (fam, found) in FAMILIES.into_iter().zip([claims, cz, sh]) {
                for el in found {
                    let month_els = match fam.wrapper {
                        None => vec![el],
                        Some((_, parent)) => walk(el, [], [fam.month], parent, &mut unknown)?
                            .1
                            .into_iter()
                            .flatten()
                            .collect(),
                    };
                    for m in month_els {
                        let index = months.len();
                        months.push(MedicationMonth::from_tree(Ctx::record(index, m), m, fam)?);
                    }
                }
            }
        }
        Ok(Self {
            header: env.header,
            months,
            unknown,
        })
    }

    /// Every element of the file this crate does not know, in every block.
    pub fn unknown_elements(&self) -> impl Iterator<Item = crate::eligibility::UnknownElement<'_>> {
        let patient = self.header.patient.iter().flat_map(|p| p.unknown.iter());
        let months = self.months.iter().flat_map(|m| {
            m.unknown.iter().chain(m.days.iter().flat_map(|d| {
                d.unknown
                    .iter()
                    .chain(d.drugs.iter().flat_map(|g| g.unknown.iter()))
                    .chain(d.treatments.iter().flat_map(|t| t.unknown.iter()))
            }))
        });
        self.unknown.iter().chain(patient).chain(months)
    }

    /// Writes the answer as the terminal would (indented, with an XML
    /// declaration naming the encoding); parsing it gives `self` back.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        let mut out = XmlOut::new(encoding);
        write_header(&mut out, &self.header, &PATIENT, &self.unknown);
        out.open("MessageBody");
        for fam in FAMILIES {
            let months = self.months.iter().filter(|m| m.source == fam.source);
            match fam.wrapper {
                None => months.for_each(|m| m.write(&mut out, fam)),
                Some((name, parent)) => {
                    let mut months = months.peekable();
                    if months.peek().is_some() || self.unknown.under(parent).next().is_some() {
                        out.open(name);
                        months.for_each(|m| m.write(&mut out, fam));
                        out.unknown_under(&self.unknown, parent);
                        out.close(name);
                    }
                }
            }
        }
        out.unknown_under(&self.unknown, Parent::BODY);
        out.close("MessageBody");
        out.unknown_under(&self.unknown, Parent::ROOT);
        out.close("XmlMsg");
        out.finish(encoding)
    }
}

impl MedicationMonth {
    fn from_tree(ctx: Ctx, el: El<'_, '_>, fam: &Family) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        let (slots, [lists]) = walk(
            el,
            fam.month_leaves,
            [fam.date_list],
            fam.parent,
            &mut unknown,
        )?;
        let [
            month,
            organisation,
            institution_code,
            name,
            prescriber_code,
            prescriber,
            own,
            in_out,
        ] = slots;
        let [
            month,
            organisation,
            institution_code,
            prescriber_code,
            own_institution,
            in_out,
        ] = strings(
            ctx,
            [
                month,
                organisation,
                institution_code,
                prescriber_code,
                own,
                in_out,
            ],
            [0, 1, 2, 4, 6, 7].map(|i| fam.month_leaves.get(i).copied().unwrap_or("")),
        )?;
        let [institution_name, prescriber_name] = personal(
            ctx,
            [name, prescriber],
            [3, 5].map(|i| fam.month_leaves.get(i).copied().unwrap_or("")),
        )?;
        let mut days = Vec::new();
        for list in lists {
            let ([], [found]) = walk(list, [], [fam.date], fam.parent.then(1), &mut unknown)?;
            for d in found {
                days.push(MedicationDay::from_tree(ctx.block(d), d, fam)?);
            }
        }
        Ok(Self {
            source: fam.source,
            month,
            organisation,
            institution_code,
            institution_name,
            prescriber_code,
            prescriber_name,
            own_institution,
            in_out,
            days,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut, fam: &Family) {
        out.open(fam.month);
        write_leaves(
            out,
            fam.month_leaves,
            [
                self.month.as_deref(),
                self.organisation.as_deref(),
                self.institution_code.as_deref(),
                expose(&self.institution_name),
                self.prescriber_code.as_deref(),
                expose(&self.prescriber_name),
                self.own_institution.as_deref(),
                self.in_out.as_deref(),
            ],
        );
        let list = fam.parent.then(1);
        if !self.days.is_empty() || self.unknown.under(list).next().is_some() {
            out.open(fam.date_list);
            for d in &self.days {
                d.write(out, fam);
            }
            out.unknown_under(&self.unknown, list);
            out.close(fam.date_list);
        }
        out.unknown_under(&self.unknown, fam.parent);
        out.close(fam.month);
    }
}

impl MedicationDay {
    fn from_tree(ctx: Ctx, el: El<'_, '_>, fam: &Family) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        // Only the claims family carries 診療 (`MeTrInfs`); `""` never matches.
        let treatments_list = if fam.source == MedicationSource::Claims {
            "MeTrInfs"
        } else {
            ""
        };
        let (slots, [drug_lists, treatment_lists]) = walk(
            el,
            fam.date_leaves,
            [fam.drug_list, treatments_list],
            fam.parent.then(2),
            &mut unknown,
        )?;
        let [date, prescription_date] = strings(ctx, slots, fam.date_leaves)?;
        let mut drugs = Vec::new();
        for list in drug_lists {
            let ([], [found]) = walk(list, [], [fam.drug], fam.parent.then(3), &mut unknown)?;
            for d in found {
                drugs.push(Drug::from_tree(ctx.block(d), d, fam)?);
            }
        }
        let mut treatments = Vec::new();
        for list in treatment_lists {
            let ([], [found]) = walk(list, [], ["MeTrInf"], Parent::ME_TR_INFS, &mut unknown)?;
            for t in found {
                treatments.push(Treatment::from_tree(ctx.block(t), t)?);
            }
        }
        Ok(Self {
            date,
            prescription_date,
            drugs,
            treatments,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut, fam: &Family) {
        out.open(fam.date);
        write_leaves(
            out,
            fam.date_leaves,
            [self.date.as_deref(), self.prescription_date.as_deref()],
        );
        let drugs = fam.parent.then(3);
        if !self.drugs.is_empty() || self.unknown.under(drugs).next().is_some() {
            out.open(fam.drug_list);
            for d in &self.drugs {
                d.write(out, fam);
            }
            out.unknown_under(&self.unknown, drugs);
            out.close(fam.drug_list);
        }
        if !self.treatments.is_empty() || self.unknown.under(Parent::ME_TR_INFS).next().is_some() {
            out.open("MeTrInfs");
            for t in &self.treatments {
                t.write(out);
            }
            out.unknown_under(&self.unknown, Parent::ME_TR_INFS);
            out.close("MeTrInfs");
        }
        out.unknown_under(&self.unknown, fam.parent.then(2));
        out.close(fam.date);
    }
}

impl Drug {
    fn from_tree(ctx: Ctx, el: El<'_, '_>, fam: &Family) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        let (s, []) = walk(el, fam.drug_leaves, [], fam.parent.then(4), &mut unknown)?;
        let [
            code,
            name,
            ingredient,
            quantity,
            unit,
            times,
            usage,
            instruction,
            class,
        ] = s;
        let n = |i: usize| fam.drug_leaves.get(i).copied().unwrap_or("");
        let [code, quantity, unit, times, usage_class] = strings(
            ctx,
            [code, quantity, unit, times, class],
            [n(0), n(3), n(4), n(5), n(8)],
        )?;
        let [name, ingredient, usage, special_instruction] = personal(
            ctx,
            [name, ingredient, usage, instruction],
            [n(1), n(2), n(6), n(7)],
        )?;
        Ok(Self {
            code,
            name,
            ingredient,
            quantity,
            unit,
            times,
            usage,
            special_instruction,
            usage_class,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut, fam: &Family) {
        out.open(fam.drug);
        write_leaves(
            out,
            fam.drug_leaves,
            [
                self.code.as_deref(),
                expose(&self.name),
                expose(&self.ingredient),
                self.quantity.as_deref(),
                self.unit.as_deref(),
                self.times.as_deref(),
                expose(&self.usage),
                expose(&self.special_instruction),
                self.usage_class.as_deref(),
            ],
        );
        out.unknown(&self.unknown);
        out.close(fam.drug);
    }
}

impl Treatment {
    fn from_tree(ctx: Ctx, el: El<'_, '_>) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        let ([name, code, class, quantity, times, unit], []) =
            walk(el, TREATMENT_LEAVES, [], Parent::ME_TR_INF, &mut unknown)?;
        let [name] = personal(ctx, [name], ["SinInfN"])?;
        let [code, class, quantity, times, unit] = strings(
            ctx,
            [code, class, quantity, times, unit],
            ["SinInfCd", "MeTrIdCl", "Qua1", "Times", "Unit"],
        )?;
        Ok(Self {
            name,
            code,
            class,
            quantity,
            times,
            unit,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut) {
        out.open("MeTrInf");
        write_leaves(
            out,
            TREATMENT_LEAVES,
            [
                self.name.as_ref().map(PersonalText::expose),
                self.code.as_deref(),
                self.class.as_deref(),
                self.quantity.as_deref(),
                self.times.as_deref(),
                self.unit.as_deref(),
            ],
        );
        out.unknown(&self.unknown);
        out.close("MeTrInf");
    }
}
