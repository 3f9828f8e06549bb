//! The consent-gated views in the shapes the one public production client
//! reads (single source: OQSDrug2; names only, meanings inferred):
//!
//! ```text
//! YZKsiquc01res  薬剤情報 (+ 診療情報)         TKKsiquc01res  特定健診情報
//! XmlMsg                                      XmlMsg
//!   MessageHeader                               MessageHeader
//!     QuaInf: Name KanaName Birth AdmGendCode     QualificationsInfo: Name KanasName
//!     ResultCode? MessageContents?                  Birthday AdministrativeGenderCode
//!   MessageBody                                   ResultCode? MessageContents?
//!     MeTrMonthInf*            (レセプト)        MessageBody
//!     CzDiInf/CzDiMonthInf*    (調剤)              SpecificHealthCheckupInfo*
//!     ShPrInf/ShPrMonthInf*    (処方)                EffectiveTime
//!       … DiDateInfs/DiDateInf*                      HealthCheckupResultAndQuestionInfos/
//!           DrugInfs/DrugInf*                          HealthCheckupResultAndQuestionInfo*
//!           MeTrInfs/MeTrInf*  (診療, レセプト only)
//! ```
//!
//! Where `ResultCode` (`1` = success) and `MessageContents` sit is not known:
//! they are read in `MessageHeader` or `MessageBody` and written in
//! `MessageHeader`. The root's name is not checked (none is published); the
//! writer names it `XmlMsg`. No element is mandatory: the source reads every
//! one as optional. Every element not listed is kept, as written, in the
//! block's [`UnknownElements`] and written back; the patient's and the
//! records' free text is [`PersonalText`] (medication and check-up data are
//! sensitive health data).

pub mod health_checkup;
pub mod medication;

use super::error::EligibilityError;
use super::input::ParseOptions;
use super::input::decoded;
use super::personal::PersonalText;
use super::read::{Ctx, Slot, keep, set};
use super::tree::{El, Tree};
use super::unknown::{Parent, UnknownElements};
use super::xml_out::XmlOut;
use alloc::string::String;
use alloc::vec::Vec;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The patient a view is about: `QuaInf` (薬剤) or `QualificationsInfo` (特定健診).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ViewPatient {
    /// 氏名 (`Name`).
    pub name: Option<PersonalText>,
    /// カナ氏名 (`KanaName` / `KanasName`).
    pub kana: Option<PersonalText>,
    /// 生年月日 as written (`Birth` / `Birthday`; the format is not published).
    pub birth: Option<PersonalText>,
    /// 性別コード (`AdmGendCode` / `AdministrativeGenderCode`).
    pub gender_code: Option<PersonalText>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// The header of a view answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ViewHeader {
    /// The patient (`QuaInf` / `QualificationsInfo`).
    pub patient: Option<ViewPatient>,
    /// `ResultCode`: `1` is success.
    pub result_code: Option<String>,
    /// `MessageContents`: the error text.
    pub message: Option<String>,
}

impl ViewHeader {
    /// Whether `ResultCode` is `1`.
    pub fn is_success(&self) -> bool {
        self.result_code.as_deref() == Some("1")
    }
}

/// The element names of one patient block.
pub(crate) struct PatientTags {
    pub(crate) block: &'static str,
    pub(crate) parent: Parent,
    /// Name, kana, birth, gender.
    pub(crate) leaves: [&'static str; 4],
}

/// One walk over `el`'s children: the `leaves` (at most once each) into
/// slots, the `lists` (repeated) into lists, every other child kept in
/// `unknown` under `parent`.
pub(crate) fn walk<'t, 'a, const N: usize, const L: usize>(
    el: El<'t, 'a>,
    leaves: [&str; N],
    lists: [&str; L],
    parent: Parent,
    unknown: &mut UnknownElements,
) -> Result<([Slot<'t, 'a>; N], [Vec<El<'t, 'a>>; L]), EligibilityError> {
    let mut slots: [Slot<'t, 'a>; N] = [None; N];
    let mut found: [Vec<El<'t, 'a>>; L] = core::array::from_fn(|_| Vec::new());
    for c in el.children() {
        let name = c.name();
        if let Some(slot) = leaves
            .iter()
            .position(|n| *n == name)
            .and_then(|i| slots.get_mut(i))
        {
            set(slot, c)?;
        } else if let Some(list) = lists
            .iter()
            .position(|n| *n == name)
            .and_then(|i| found.get_mut(i))
        {
            list.push(c);
        } else {
            keep(unknown, parent, c);
        }
    }
    Ok((slots, found))
}

/// Personal texts of `slots`, in order.
pub(crate) fn personal<const N: usize>(
    ctx: Ctx,
    slots: [Slot<'_, '_>; N],
    names: [&'static str; N],
) -> Result<[Option<PersonalText>; N], EligibilityError> {
    let mut out: [Option<PersonalText>; N] = core::array::from_fn(|_| None);
    for ((o, s), n) in out.iter_mut().zip(slots).zip(names) {
        *o = ctx.personal(s, n)?;
    }
    Ok(out)
}

/// Plain texts (codes, dates as written) of `slots`, in order.
pub(crate) fn strings<const N: usize>(
    ctx: Ctx,
    slots: [Slot<'_, '_>; N],
    names: [&'static str; N],
) -> Result<[Option<String>; N], EligibilityError> {
    let mut out: [Option<String>; N] = core::array::from_fn(|_| None);
    for ((o, s), n) in out.iter_mut().zip(slots).zip(names) {
        *o = ctx.string(s, n)?;
    }
    Ok(out)
}

/// The text of an optional personal value, for the writers.
pub(crate) fn expose(v: &Option<PersonalText>) -> Option<&str> {
    v.as_ref().map(PersonalText::expose)
}

/// Writes `values` as leaves named `names` (absent ones are skipped).
pub(crate) fn write_leaves<const N: usize>(
    out: &mut XmlOut,
    names: [&str; N],
    values: [Option<&str>; N],
) {
    for (n, v) in names.into_iter().zip(values) {
        out.opt(n, v);
    }
}

/// A view document read: its root, with the header and body blocks found
/// and the root's and header's other children kept.
pub(crate) struct Envelope<'t, 'a> {
    pub(crate) header: ViewHeader,
    pub(crate) body: Option<El<'t, 'a>>,
    pub(crate) ctx: Ctx,
}

/// Decodes and parses `bytes` under `options`, then hands the tree to `f`.
#[cfg(feature = "std")]
pub(crate) fn with_tree<T>(
    bytes: &[u8],
    options: &ParseOptions,
    f: impl FnOnce(El<'_, '_>) -> Result<T, EligibilityError>,
) -> Result<T, EligibilityError> {
    let text = decoded(bytes, &options.limits)?;
    let tree = Tree::parse(&text, &options.limits)?;
    f(tree.root())
}

/// Reads the root and `MessageHeader`; `ResultCode` / `MessageContents` found
/// in `MessageBody` are taken too (`body_slots` are the body's own leaves).
pub(crate) fn envelope<'t, 'a>(
    root: El<'t, 'a>,
    tags: &PatientTags,
    unknown: &mut UnknownElements,
) -> Result<Envelope<'t, 'a>, EligibilityError> {
    let ctx = Ctx::top(root);
    let ([header, body], []) = walk(
        root,
        ["MessageHeader", "MessageBody"],
        [],
        Parent::ROOT,
        unknown,
    )?;
    let mut out = ViewHeader::default();
    if let Some(h) = header {
        let hctx = ctx.block(h);
        let ([code, message, patient], []) = walk(
            h,
            ["ResultCode", "MessageContents", tags.block],
            [],
            Parent::HEADER,
            unknown,
        )?;
        out.result_code = hctx.string(code, "ResultCode")?;
        out.message = hctx.string(message, "MessageContents")?;
        out.patient = patient
            .map(|p| ViewPatient::from_tree(hctx, p, tags))
            .transpose()?;
    }
    Ok(Envelope {
        header: out,
        body,
        ctx,
    })
}

/// Takes `ResultCode` / `MessageContents` found in the body when the header
/// had none; a second one is a structure error.
pub(crate) fn body_status(
    ctx: Ctx,
    header: &mut ViewHeader,
    code: Slot<'_, '_>,
    message: Slot<'_, '_>,
) -> Result<(), EligibilityError> {
    for (field, slot, name) in [
        (&mut header.result_code, code, "ResultCode"),
        (&mut header.message, message, "MessageContents"),
    ] {
        if let Some(el) = slot {
            if field.is_some() {
                return Err(EligibilityError::Structure(format!(
                    "element <{name}> repeated at byte offset {}",
                    el.offset()
                )));
            }
            *field = ctx.string(slot, name)?;
        }
    }
    Ok(())
}

impl ViewPatient {
    fn from_tree(ctx: Ctx, el: El<'_, '_>, tags: &PatientTags) -> Result<Self, EligibilityError> {
        let ctx = ctx.block(el);
        let mut unknown = UnknownElements::new();
        let (slots, []) = walk(el, tags.leaves, [], tags.parent, &mut unknown)?;
        let [name, kana, birth, gender_code] = personal(ctx, slots, tags.leaves)?;
        Ok(Self {
            name,
            kana,
            birth,
            gender_code,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut, tags: &PatientTags) {
        out.open(tags.block);
        let values = [&self.name, &self.kana, &self.birth, &self.gender_code]
            .map(|v| v.as_ref().map(PersonalText::expose));
        write_leaves(out, tags.leaves, values);
        out.unknown(&self.unknown);
        out.close(tags.block);
    }
}

/// Writes the root's start and `MessageHeader` (the caller writes the body,
/// the root's unknown children and closes the root).
pub(crate) fn write_header(
    out: &mut XmlOut,
    header: &ViewHeader,
    tags: &PatientTags,
    unknown: &UnknownElements,
) {
    out.open("XmlMsg");
    out.open("MessageHeader");
    if let Some(p) = &header.patient {
        p.write(out, tags);
    }
    out.opt("ResultCode", header.result_code.as_deref());
    out.opt("MessageContents", header.message.as_deref());
    out.unknown_under(unknown, Parent::HEADER);
    out.close("MessageHeader");
}
