//! Elements a parser does not know are kept, not dropped: a file from a newer
//! terminal version (医療費助成 tags, new consent flags…) keeps every element
//! through a parse and a write.
//!
//! Each block of a parsed file holds the unknown child elements it met, as
//! written (start tag to end tag, references unresolved), in one zeroizing
//! buffer — they may hold personal data — with 12 bytes of bookkeeping per
//! element. The writer puts them back at the end of the same block.

use super::error::EligibilityError;
#[cfg(feature = "std")]
use super::input::XmlLimits;
#[cfg(feature = "std")]
use super::tree::Tree;
use super::zbuf::ZBuf;
use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Deepest nesting accepted inside one element added by a caller.
#[cfg(feature = "std")]
const MAX_ADDED_DEPTH: usize = 64;

/// Checks that `raw` is exactly one balanced, well-formed element, with the
/// crate's one XML parser ([`Tree`], strict); on failure, the reason and the
/// byte offset.
#[cfg(feature = "std")]
pub(crate) fn check_one_element(raw: &str) -> Result<(), (&'static str, usize)> {
    let limits = XmlLimits {
        max_input_bytes: usize::MAX,
        max_depth: MAX_ADDED_DEPTH,
        max_text_bytes: usize::MAX,
        max_elements: usize::MAX,
    };
    let at = |o: u64| usize::try_from(o).unwrap_or(usize::MAX);
    let tree = Tree::parse_with(raw, &limits, true).map_err(|e| match e {
        EligibilityError::Xml { offset, reason } => (reason, at(offset)),
        EligibilityError::TooDeep { offset, .. } => ("nested more than 64 deep", at(offset)),
        EligibilityError::UndeclaredEntity { offset } => {
            ("a reference to an undeclared entity", at(offset))
        }
        EligibilityError::Doctype { offset } => ("a DOCTYPE", at(offset)),
        EligibilityError::InputTooLarge { .. } => ("larger than 4 GiB", 0),
        _ => ("not one complete element", raw.len()),
    })?;
    let root = tree.root();
    if root.offset() != 0 {
        return Err(("something before the element", 0));
    }
    let end = root.raw().len();
    if end != raw.len() {
        return Err(("something after the element", end));
    }
    Ok(())
}

/// The blocks that can hold unknown elements, by path from `XmlMsg`.
pub(crate) const PARENTS: &[&str] = &[
    "XmlMsg",
    "XmlMsg/MessageHeader",
    "XmlMsg/MessageBody",
    "XmlMsg/MessageBody/ResultList",
    "XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation",
    "ResultOfQualificationConfirmation/ElderlyRecipientCertificateInfo",
    "ResultOfQualificationConfirmation/LimitApplicationCertificateRelatedInfo",
    "ResultOfQualificationConfirmation/SpecificDiseasesCertificateList",
    "SpecificDiseasesCertificateList/SpecificDiseasesCertificateInfo",
    "ResultOfQualificationConfirmation/PublicExpenseResultList",
    "PublicExpenseResultList/MedicalTicketInfo",
    "QualificationConfirmSearchInfo",
    "XmlMsg/MessageBody/BulkConfirmUnit",
    // The views (YZKsiquc01res, TKKsiquc01res).
    "XmlMsg/MessageHeader/QuaInf",
    "XmlMsg/MessageHeader/QualificationsInfo",
    "XmlMsg/MessageBody/MeTrMonthInf",
    "MeTrMonthInf/DiDateInfs",
    "DiDateInfs/DiDateInf",
    "DiDateInf/DrugInfs",
    "DrugInfs/DrugInf",
    "DiDateInf/MeTrInfs",
    "MeTrInfs/MeTrInf",
    "XmlMsg/MessageBody/CzDiInf",
    "CzDiInf/CzDiMonthInf",
    "CzDiMonthInf/CzDiDateInfs",
    "CzDiDateInfs/CzDiDateInf",
    "CzDiDateInf/CzDrugInfs",
    "CzDrugInfs/CzDrugInf",
    "XmlMsg/MessageBody/ShPrInf",
    "ShPrInf/ShPrMonthInf",
    "ShPrMonthInf/ShPrDateInfs",
    "ShPrDateInfs/ShPrDateInf",
    "ShPrDateInf/ShDrugInfs",
    "ShDrugInfs/ShDrugInf",
    "XmlMsg/MessageBody/SpecificHealthCheckupInfo",
    "SpecificHealthCheckupInfo/HealthCheckupResultAndQuestionInfos",
    "HealthCheckupResultAndQuestionInfos/HealthCheckupResultAndQuestionInfo",
];

/// Index into [`PARENTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parent(pub(crate) u16);

impl Parent {
    pub(crate) const ROOT: Parent = Parent(0);
    pub(crate) const HEADER: Parent = Parent(1);
    pub(crate) const BODY: Parent = Parent(2);
    pub(crate) const RESULT_LIST: Parent = Parent(3);
    pub(crate) const RECORD: Parent = Parent(4);
    pub(crate) const ELDERLY: Parent = Parent(5);
    pub(crate) const LIMIT: Parent = Parent(6);
    pub(crate) const DISEASE_LIST: Parent = Parent(7);
    pub(crate) const DISEASE: Parent = Parent(8);
    pub(crate) const TICKET_LIST: Parent = Parent(9);
    pub(crate) const TICKET: Parent = Parent(10);
    pub(crate) const SEARCH: Parent = Parent(11);
    pub(crate) const BULK_UNIT: Parent = Parent(12);
    pub(crate) const QUA_INF: Parent = Parent(13);
    pub(crate) const QUALIFICATIONS_INFO: Parent = Parent(14);
    /// The first of the medication families' six blocks each (month, date
    /// list, date, drug list, drug), claims family; then 診療 (2 blocks).
    pub(crate) const ME_TR_MONTH: Parent = Parent(15);
    pub(crate) const ME_TR_INFS: Parent = Parent(20);
    pub(crate) const ME_TR_INF: Parent = Parent(21);
    /// The 調剤 family: wrapper, then its five blocks.
    pub(crate) const CZ_WRAPPER: Parent = Parent(22);
    /// The 処方 family: wrapper, then its five blocks.
    pub(crate) const SH_WRAPPER: Parent = Parent(28);
    pub(crate) const CHECKUP: Parent = Parent(34);
    pub(crate) const CHECKUP_ITEMS: Parent = Parent(35);
    pub(crate) const CHECKUP_ITEM: Parent = Parent(36);

    /// The block `n` places after this one in [`PARENTS`].
    pub(crate) const fn then(self, n: u16) -> Parent {
        Parent(self.0 + n)
    }

    fn path(self) -> &'static str {
        PARENTS.get(usize::from(self.0)).copied().unwrap_or("")
    }
}

/// The unknown elements of one or more blocks, kept as written, one after
/// the other in one buffer: 4 bytes of bookkeeping per element (where it
/// starts; it ends where the next starts) and one run entry per change of
/// parent block. `Debug` shows their paths only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct UnknownElements {
    raw: ZBuf,
    starts: Vec<u32>,
    /// (index of the first element, parent) for each run of one parent.
    runs: Vec<(u32, u16)>,
}

/// One unknown element.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct UnknownElement<'a> {
    parent: &'static str,
    raw: &'a str,
}

impl<'a> UnknownElement<'a> {
    /// The element's name.
    pub fn name(&self) -> &'a str {
        let tag = self.raw.get(1..).unwrap_or("");
        let end = tag
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(tag.len());
        tag.get(..end).unwrap_or("")
    }

    /// Where it sat: the path of its parent block, e.g.
    /// `XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation`.
    pub fn parent(&self) -> &'static str {
        self.parent
    }

    /// `parent/name`.
    pub fn path(&self) -> String {
        format!("{}/{}", self.parent, self.name())
    }

    /// The element as written in the file, start tag to end tag. May hold
    /// personal data.
    pub fn raw_xml(&self) -> &'a str {
        self.raw
    }

    /// The text of a leaf element (references unresolved), `None` when it has
    /// child elements.
    pub fn raw_text(&self) -> Option<&'a str> {
        let open_end = self.raw.find('>')?;
        if self.raw.get(..open_end + 1)?.ends_with("/>") {
            return Some("");
        }
        let inner = self.raw.get(open_end + 1..)?;
        let close = inner.rfind("</")?;
        let inner = inner.get(..close)?;
        (!inner.contains('<') || inner.trim_start().starts_with("<![CDATA[")).then_some(inner)
    }
}

impl fmt::Debug for UnknownElement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnknownElement({}, <redacted>)", self.path())
    }
}

impl UnknownElements {
    /// No element.
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `elements` more elements of `bytes` bytes in all.
    pub(crate) fn reserve(&mut self, elements: usize, bytes: usize) {
        self.starts.reserve(elements);
        self.raw.reserve(bytes);
    }

    pub(crate) fn push(&mut self, parent: Parent, raw: &str) {
        let index = u32::try_from(self.starts.len()).unwrap_or(u32::MAX);
        if self.runs.last().map(|r| r.1) != Some(parent.0) {
            self.runs.push((index, parent.0));
        }
        let start = u32::try_from(self.raw.as_str().len()).unwrap_or(u32::MAX);
        self.raw.push_str(raw);
        self.starts.push(start);
    }

    /// Adds an element written as XML under the block at `parent` (one of
    /// the paths [`UnknownElement::parent`] gives). `raw_xml` must be exactly
    /// one balanced, well-formed element — start tag to end tag (or one empty
    /// element), nothing before or after, only XML's predefined entities and
    /// character references, no declaration, DOCTYPE or processing
    /// instruction, no character XML 1.0 forbids, nested at most 64 deep —
    /// else [`EligibilityError::NotWritable`] names the parent (or the
    /// element) and the byte offset; a `parent` that is not a block of these
    /// files is refused the same way. The serde form and the bindings go
    /// through here.
    ///
    /// ```
    /// use mynacard::eligibility::UnknownElements;
    /// let mut u = UnknownElements::new();
    /// assert!(u.add("XmlMsg/MessageBody", "<New a=\"1\">x &amp; y</New>").is_ok());
    /// // A value that closes its block and opens another is not one element.
    /// assert!(u.add("XmlMsg/MessageBody", "<X/></MessageBody><MessageBody>").is_err());
    /// assert_eq!(u.len(), 1);
    /// ```
    pub fn add(&mut self, parent: &str, raw_xml: &str) -> Result<(), EligibilityError> {
        let refused = |field: String, (reason, offset): (&'static str, usize)| {
            EligibilityError::NotWritable {
                field,
                reason,
                offset,
            }
        };
        let i = PARENTS
            .iter()
            .position(|p| *p == parent)
            .and_then(|i| u16::try_from(i).ok())
            .ok_or_else(|| refused("unknown".to_owned(), ("not a block of these files", 0)))?;
        // Without std there is no XML reader to check the element with: refused.
        #[cfg(not(feature = "std"))]
        return Err(refused(
            format!("{parent}/(kept element)"),
            ("not checkable without feature std", 0),
        ));
        #[cfg(feature = "std")]
        {
            check_one_element(raw_xml)
                .map_err(|r| refused(format!("{parent}/(kept element)"), r))?;
            self.push(Parent(i), raw_xml);
            Ok(())
        }
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The elements kept under one block.
    pub(crate) fn under(&self, parent: Parent) -> impl Iterator<Item = UnknownElement<'_>> {
        let want = parent.path();
        self.iter().filter(move |u| core::ptr::eq(u.parent, want))
    }

    /// The elements, in file order.
    pub fn iter(&self) -> impl Iterator<Item = UnknownElement<'_>> {
        let raw = self.raw.as_str();
        let mut run = 0usize;
        self.starts.iter().enumerate().map(move |(i, &start)| {
            while self
                .runs
                .get(run + 1)
                .is_some_and(|&(first, _)| first as usize <= i)
            {
                run += 1;
            }
            let parent = self.runs.get(run).map_or(0, |r| r.1);
            let end = self.starts.get(i + 1).map_or(raw.len(), |&e| e as usize);
            UnknownElement {
                parent: Parent(parent).path(),
                raw: raw.get(start as usize..end).unwrap_or(""),
            }
        })
    }
}

impl fmt::Debug for UnknownElements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|u| u.path()))
            .finish()
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::*;
    use alloc::borrow::ToOwned;
    use serde::ser::SerializeSeq;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Json {
        parent: String,
        xml: String,
    }

    impl serde::Serialize for UnknownElements {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.len()))?;
            for u in self.iter() {
                seq.serialize_element(&Json {
                    parent: u.parent().to_owned(),
                    xml: u.raw_xml().to_owned(),
                })?;
            }
            seq.end()
        }
    }

    impl<'de> serde::Deserialize<'de> for UnknownElements {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let list = <Vec<Json> as serde::Deserialize>::deserialize(d)?;
            let mut out = UnknownElements::new();
            for j in list {
                out.add(&j.parent, &j.xml)
                    .map_err(serde::de::Error::custom)?;
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;

    #[test]
    fn names_paths_and_text() {
        let mut u = UnknownElements::new();
        u.push(Parent::RECORD, "<PmhInfo a=\"1\"><X>1</X></PmhInfo>");
        u.push(Parent::HEADER, "<New>v&amp;w</New>");
        u.push(Parent::BODY, "<Empty/>");
        let v: Vec<_> = u.iter().map(|e| (e.path(), e.raw_text())).collect();
        assert_eq!(
            v,
            [
                (
                    "XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/PmhInfo"
                        .to_owned(),
                    None
                ),
                ("XmlMsg/MessageHeader/New".to_owned(), Some("v&amp;w")),
                ("XmlMsg/MessageBody/Empty".to_owned(), Some("")),
            ]
        );
        assert!(!format!("{u:?}").contains("v&amp;w"));
    }

    #[test]
    fn only_one_balanced_well_formed_element_is_kept() {
        let body = "XmlMsg/MessageBody";
        for good in [
            "<New/>",
            "<New a=\"1\" b='&amp;&#x41;'>t &lt; u<X>1</X><![CDATA[<c>]]><!-- n --></New>",
            "<新項目>値&#12354;</新項目>",
        ] {
            assert_eq!(UnknownElements::new().add(body, good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "text",
            " <New/>",
            "<New/> ",
            "<New/><Other/>",
            "<X/></MessageBody><MessageBody><Search>other patient</Search>",
            "<New>",
            "<New></Old>",
            "</New>",
            "<New>&ent;</New>",
            "<New>a & b</New>",
            "<New a=\"<\"/>",
            "<New a=\"&x;\"/>",
            "<New a=\"1\" a=\"2\"/>",
            "<New>\u{1}</New>",
            "<New>&#1;</New>",
            "<?xml version=\"1.0\"?><New/>",
            "<New><?pi x?></New>",
            "<!DOCTYPE x><New/>",
            "<1New/>",
        ] {
            let e = UnknownElements::new().add(body, bad).unwrap_err();
            assert_eq!(e.code(), "eligibility.not_writable", "{bad}");
            if !bad.is_empty() {
                assert!(!e.to_string().contains(bad), "{e}");
            }
        }
        let deep = format!("{}{}", "<a>".repeat(65), "</a>".repeat(65));
        assert!(UnknownElements::new().add(body, &deep).is_err());
        assert!(
            UnknownElements::new()
                .add("XmlMsg/Elsewhere", "<X/>")
                .is_err()
        );
    }
}
