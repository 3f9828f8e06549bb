//! 特定健診情報 answer, `TKKsiquc01res` (single source: OQSDrug2): repeated
//! `SpecificHealthCheckupInfo` (one per check-up, `EffectiveTime` its date)
//! with `HealthCheckupResultAndQuestionInfos/HealthCheckupResultAndQuestionInfo`
//! items. Coded answers carry an OID and a display name.

use super::{
    PatientTags, ViewHeader, body_status, envelope, personal, strings, walk, write_header,
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

/// One result or question item (`HealthCheckupResultAndQuestionInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CheckupItem {
    /// 項目コード (`ItemCode`; the source groups items by its first 4 characters).
    pub code: Option<String>,
    /// 項目名 (`ItemName`).
    pub name: Option<String>,
    /// データ型 (`DataType`).
    pub data_type: Option<String>,
    /// 結果値 as written (`DataValue`).
    pub value: Option<PersonalText>,
    /// 単位 (`Unit`).
    pub unit: Option<String>,
    /// Code system of a coded value (`Oid`).
    pub oid: Option<String>,
    /// Display name of a coded value (`DataValueName`).
    pub value_name: Option<PersonalText>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// One check-up (`SpecificHealthCheckupInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct HealthCheckup {
    /// 健診実施日 as written, `YYYYMMDD` (`EffectiveTime`).
    pub effective_time: Option<String>,
    /// The items (`HealthCheckupResultAndQuestionInfos/…Info`).
    pub items: Vec<CheckupItem>,
    /// Elements this crate does not know, as read (also those of the list).
    pub unknown: UnknownElements,
}

impl HealthCheckup {
    /// [`effective_time`](Self::effective_time) as a calendar date, when it is
    /// `YYYYMMDD`.
    pub fn date(&self) -> Option<CalendarDate> {
        self.effective_time
            .as_deref()
            .and_then(|d| parse_date(d).ok())
    }
}

/// A `TKKsiquc01res` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct HealthCheckupFile {
    /// `MessageHeader`: the patient and the result.
    pub header: ViewHeader,
    /// The check-ups, in file order.
    pub checkups: Vec<HealthCheckup>,
    /// Unknown elements of the root, header and body.
    pub unknown: UnknownElements,
}

const PATIENT: PatientTags = PatientTags {
    block: "QualificationsInfo",
    parent: Parent::QUALIFICATIONS_INFO,
    leaves: ["Name", "KanasName", "Birthday", "AdministrativeGenderCode"],
};

const CHECKUP: &str = "SpecificHealthCheckupInfo";
const ITEMS: &str = "HealthCheckupResultAndQuestionInfos";
const ITEM: &str = "HealthCheckupResultAndQuestionInfo";
const ITEM_LEAVES: [&str; 7] = [
    "ItemCode",
    "ItemName",
    "DataType",
    "DataValue",
    "Unit",
    "Oid",
    "DataValueName",
];

/// Parses a `TKKsiquc01res` answer with the default [`ParseOptions`].
#[cfg(feature = "std")]
pub fn parse_health_checkups(bytes: &[u8]) -> Result<HealthCheckupFile, EligibilityError> {
    parse_health_checkups_with(bytes, &ParseOptions::default())
}

/// Parses a `TKKsiquc01res` answer with explicit options.
#[cfg(feature = "std")]
pub fn parse_health_checkups_with(
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<HealthCheckupFile, EligibilityError> {
    super::with_tree(bytes, options, HealthCheckupFile::from_tree)
}

impl HealthCheckupFile {
    fn from_tree(root: El<'_, '_>) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        let mut env = envelope(root, &PATIENT, &mut unknown)?;
        let mut checkups = Vec::new();
        if let Some(body) = env.body {
            let ctx = env.ctx.block(body);
            let ([code, message], [found]) = walk(
                body,
                ["ResultCode", "MessageContents"],
                [CHECKUP],
                Parent::BODY,
                &mut unknown,
            )?;
            body_status(ctx, &mut env.header, code, message)?;
            for c in found {
                let index = checkups.len();
                checkups.push(HealthCheckup::from_tree(Ctx::record(index, c), c)?);
            }
        }
        Ok(Self {
            header: env.header,
            checkups,
            unknown,
        })
    }

    /// Every element of the file this crate does not know, in every block.
    pub fn unknown_elements(&self) -> impl Iterator<Item = crate::eligibility::UnknownElement<'_>> {
        let patient = self.header.patient.iter().flat_map(|p| p.unknown.iter());
        let checkups = self.checkups.iter().flat_map(|c| {
            c.unknown
                .iter()
                .chain(c.items.iter().flat_map(|i| i.unknown.iter()))
        });
        self.unknown.iter().chain(patient).chain(checkups)
    }

    /// Writes the answer as the terminal would (indented, with an XML
    /// declaration naming the encoding); parsing it gives `self` back.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        let mut out = XmlOut::new(encoding);
        write_header(&mut out, &self.header, &PATIENT, &self.unknown);
        out.open("MessageBody");
        for c in &self.checkups {
            c.write(&mut out);
        }
        out.unknown_under(&self.unknown, Parent::BODY);
        out.close("MessageBody");
        out.unknown_under(&self.unknown, Parent::ROOT);
        out.close("XmlMsg");
        out.finish(encoding)
    }
}

impl HealthCheckup {
    fn from_tree(ctx: Ctx, el: El<'_, '_>) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        let ([time], [lists]) = walk(
            el,
            ["EffectiveTime"],
            [ITEMS],
            Parent::CHECKUP,
            &mut unknown,
        )?;
        let [effective_time] = strings(ctx, [time], ["EffectiveTime"])?;
        let mut items = Vec::new();
        for list in lists {
            let ([], [found]) = walk(list, [], [ITEM], Parent::CHECKUP_ITEMS, &mut unknown)?;
            for i in found {
                items.push(CheckupItem::from_tree(ctx.block(i), i)?);
            }
        }
        Ok(Self {
            effective_time,
            items,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut) {
        out.open(CHECKUP);
        out.opt("EffectiveTime", self.effective_time.as_deref());
        if !self.items.is_empty() || self.unknown.under(Parent::CHECKUP_ITEMS).next().is_some() {
            out.open(ITEMS);
            for i in &self.items {
                i.write(out);
            }
            out.unknown_under(&self.unknown, Parent::CHECKUP_ITEMS);
            out.close(ITEMS);
        }
        out.unknown_under(&self.unknown, Parent::CHECKUP);
        out.close(CHECKUP);
    }
}

impl CheckupItem {
    fn from_tree(ctx: Ctx, el: El<'_, '_>) -> Result<Self, EligibilityError> {
        let mut unknown = UnknownElements::new();
        let ([code, name, data_type, value, unit, oid, value_name], []) =
            walk(el, ITEM_LEAVES, [], Parent::CHECKUP_ITEM, &mut unknown)?;
        let [code, name, data_type, unit, oid] = strings(
            ctx,
            [code, name, data_type, unit, oid],
            ["ItemCode", "ItemName", "DataType", "Unit", "Oid"],
        )?;
        let [value, value_name] =
            personal(ctx, [value, value_name], ["DataValue", "DataValueName"])?;
        Ok(Self {
            code,
            name,
            data_type,
            value,
            unit,
            oid,
            value_name,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut) {
        out.open(ITEM);
        write_leaves(
            out,
            ITEM_LEAVES,
            [
                self.code.as_deref(),
                self.name.as_deref(),
                self.data_type.as_deref(),
                self.value.as_ref().map(PersonalText::expose),
                self.unit.as_deref(),
                self.oid.as_deref(),
                self.value_name.as_ref().map(PersonalText::expose),
            ],
        );
        out.unknown(&self.unknown);
        out.close(ITEM);
    }
}
