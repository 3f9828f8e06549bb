//! The result file the 資格確認端末 answers with: `XmlMsg` → `MessageHeader` +
//! `MessageBody` → `ResultList` → `ResultOfQualificationConfirmation`*.
//!
//! [`parse_result`] reads one (UTF-8 or Shift_JIS, hostile input refused
//! while the document is read); [`ResultFile::to_xml`] writes one, so tests and
//! demos can play the terminal. Elements this crate does not know are kept
//! ([`ResultFile::unknown_elements`]) and written back; a missing mandatory
//! element is [`EligibilityError::MissingElement`] naming it.
//!
//! The same layout is the face result the terminal writes on its own after a
//! card or phone is verified at the reader (`OQSsiquc01res_face_…`).

use super::codes::{
    CharacterCode, PrescriptionIssueSelect, ProcessingResultStatus, QualificationValidity,
    ReferenceClassification, SegmentOfResult,
};
use super::dates::{DateTime, yyyymmdd};
use super::error::EligibilityError;
use super::ids::{CheckDigitPolicy, MedicalInstitutionCode};
use super::input::{ParseOptions, decoded};
use super::qualification::QualificationRecord;
use super::read::{Ctx, slots};
use super::request_file::SearchInfo;
use super::tree::{El, Tree};
use super::unknown::{Parent, UnknownElement, UnknownElements};
use super::xml_out::{XmlEncoding, XmlOut};
use crate::date::CalendarDate;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// `MessageHeader` of a result file. Mandatory: `MedicalInstitutionCode`,
/// `SegmentOfResult`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ResultHeader {
    /// 医療機関コード (`MedicalInstitutionCode`).
    pub medical_institution_code: MedicalInstitutionCode,
    /// The requester's own id, echoed (`ArbitraryFileIdentifier`); an opaque
    /// value in face files.
    pub arbitrary_file_identifier: Option<String>,
    /// 照会区分 (`ReferenceClassification`).
    pub reference_classification: Option<ReferenceClassification>,
    /// 処理実行日時 (`ProcessExecutionTime`).
    pub process_execution_time: Option<DateTime>,
    /// 資格確認日 (`QualificationConfirmationDate`).
    pub qualification_confirmation_date: Option<CalendarDate>,
    /// 処理結果区分 (`SegmentOfResult`).
    pub segment_of_result: SegmentOfResult,
    /// Error code (`ErrorCode`).
    pub error_code: Option<String>,
    /// Error message (`ErrorMessage`).
    pub error_message: Option<String>,
    /// Encoding identifier (`CharacterCodeIdentifier`).
    pub character_code: Option<CharacterCode>,
    /// 受付番号 of a bulk download result (`ReceptionNumber`, `OQSmuquc02res`).
    pub reception_number: Option<String>,
    /// 処理件数 / 正常件数 / エラー件数 of a bulk download result
    /// (`NumberOfProcessingResult`, `NumberOfNormalProcessing`, `NumberOfError`).
    pub bulk_counts: Option<[u64; 3]>,
}

/// `MessageBody` of a result file. Mandatory: `ProcessingResultStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ResultBody {
    /// `ProcessingResultStatus` (absent in a bulk upload result).
    pub processing_result_status: Option<ProcessingResultStatus>,
    /// `ProcessingResultCode` (also set on success with a notice).
    pub processing_result_code: Option<String>,
    /// `ProcessingResultMessage`.
    pub processing_result_message: Option<String>,
    /// 資格有効性 (`QualificationValidity`).
    pub qualification_validity: Option<QualificationValidity>,
    /// The request's search keys, echoed (`QualificationConfirmSearchInfo`,
    /// 照会区分 2).
    pub search: Option<SearchInfo>,
    /// 処方箋発行形態 at body level (`PrescriptionIssueSelect`).
    pub prescription_issue: Option<PrescriptionIssueSelect>,
    /// The qualifications (`ResultList/ResultOfQualificationConfirmation`).
    pub results: Vec<QualificationRecord>,
    /// 受付番号 and 受付日時 of a bulk upload result (`ReceptionNumber`,
    /// `ReceptionDateTime`, `OQSmuquc01res`).
    pub reception: Option<(String, Option<DateTime>)>,
    /// The patients of a bulk download result (`BulkConfirmUnit`, `OQSmuquc02res`).
    pub bulk_units: Vec<BulkConfirmUnit>,
}

/// One patient of a bulk download result (`BulkConfirmUnit`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct BulkConfirmUnit {
    /// The search keys of the upload (`QualificationConfirmSearchInfo`).
    pub search: Option<SearchInfo>,
    /// `ProcessingResultStatus`.
    pub processing_result_status: Option<ProcessingResultStatus>,
    /// `ProcessingResultCode`.
    pub processing_result_code: Option<String>,
    /// `ProcessingResultMessage`.
    pub processing_result_message: Option<String>,
    /// 資格有効性 (`QualificationValidity`).
    pub qualification_validity: Option<QualificationValidity>,
    /// The qualifications (`ResultOfQualificationConfirmation`, repeated).
    pub results: Vec<QualificationRecord>,
    /// 照会番号 (`ReferenceNumber`, repeated).
    pub reference_numbers: Vec<super::personal::PersonalText>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

/// A whole result file. Its serde form carries the derived values
/// (effective 負担割合, 検証番号 status, summary, code labels) of
/// [`RecordDerived`](super::RecordDerived), output only.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Deserialize))]
pub struct ResultFile {
    /// `MessageHeader`.
    pub header: ResultHeader,
    /// `MessageBody` (absent in some error answers).
    pub body: Option<ResultBody>,
    /// Unknown elements of the envelope, header, body and result list (those
    /// of a record are on the record).
    pub unknown: UnknownElements,
}

slots! {
    RootSlots {
        header = "MessageHeader",
        body = "MessageBody",
    }
}

slots! {
    HeaderSlots {
        code = "MedicalInstitutionCode",
        file_id = "ArbitraryFileIdentifier",
        classification = "ReferenceClassification",
        time = "ProcessExecutionTime",
        date = "QualificationConfirmationDate",
        segment = "SegmentOfResult",
        error_code = "ErrorCode",
        error_message = "ErrorMessage",
        character_code = "CharacterCodeIdentifier",
        reception_number = "ReceptionNumber",
        n_total = "NumberOfProcessingResult",
        n_normal = "NumberOfNormalProcessing",
        n_error = "NumberOfError",
    }
}

slots! {
    BodySlots {
        status = "ProcessingResultStatus",
        code = "ProcessingResultCode",
        message = "ProcessingResultMessage",
        validity = "QualificationValidity",
        search = "QualificationConfirmSearchInfo",
        prescription = "PrescriptionIssueSelect",
        reception_number = "ReceptionNumber",
        reception_time = "ReceptionDateTime",
    }
    lists { result_lists = "ResultList", units = "BulkConfirmUnit" }
}

slots! {
    UnitSlots {
        search = "QualificationConfirmSearchInfo",
        status = "ProcessingResultStatus",
        code = "ProcessingResultCode",
        message = "ProcessingResultMessage",
        validity = "QualificationValidity",
    }
    lists { records = "ResultOfQualificationConfirmation", references = "ReferenceNumber" }
}

slots! {
    ListSlots {}
    lists { records = "ResultOfQualificationConfirmation" }
}

/// Parses a result file with the default [`ParseOptions`].
///
/// ```
/// let xml = "<XmlMsg><MessageHeader><MedicalInstitutionCode>0110012345</MedicalInstitutionCode>\
///   <SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody>\
///   <ProcessingResultStatus>1</ProcessingResultStatus></MessageBody></XmlMsg>";
/// let file = mynacard::eligibility::parse_result(xml.as_bytes()).unwrap();
/// assert_eq!(file.header.medical_institution_code.as_str(), "0110012345");
/// assert!(file.body.unwrap().results.is_empty());
/// ```
#[cfg(feature = "std")]
pub fn parse_result(bytes: &[u8]) -> Result<ResultFile, EligibilityError> {
    parse_result_with(bytes, &ParseOptions::default())
}

/// Parses a result file with explicit options.
#[cfg(feature = "std")]
pub fn parse_result_with(
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<ResultFile, EligibilityError> {
    read_file(bytes, options, None)
}

/// Decodes, parses and reads a result file; with `errors`, a bad record is
/// reported there instead of failing the file.
#[cfg(feature = "std")]
fn read_file(
    bytes: &[u8],
    options: &ParseOptions,
    errors: Option<&mut Vec<RecordError>>,
) -> Result<ResultFile, EligibilityError> {
    let text = decoded(bytes, &options.limits)?;
    let tree = Tree::parse(&text, &options.limits)?;
    let root = tree.root_named("XmlMsg")?;
    ResultFile::from_tree(root, options.check_digits, errors)
}

/// A result file read in the mode that keeps what it can: the records that
/// parse, and one [`RecordError`] per record that does not.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct PartialResult {
    /// The file, with the records that parsed.
    pub file: ResultFile,
    /// One error per record left out, in file order.
    pub record_errors: Vec<RecordError>,
}

/// Why one record of a result file was left out: which record, where, and
/// the typed error naming the element and the reason — never the value.
/// JSON: `{"list": "results", "record": 1, "offset": 812, "element":
/// "Birthdate", "code": "eligibility.invalid_value", "message": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// The list it sat in: `"results"` (`ResultList`) or `"bulk_units[i].results"`.
    pub list: String,
    /// 0-based position of the record in that list, counting the records left out.
    pub record: usize,
    /// Byte offset of the record's start tag.
    pub offset: u64,
    /// The error.
    pub error: EligibilityError,
}

impl RecordError {
    /// The element the error names, when it names one.
    pub fn element(&self) -> Option<&'static str> {
        match &self.error {
            EligibilityError::MissingElement { element, .. }
            | EligibilityError::InvalidValue { element, .. } => Some(element),
            _ => None,
        }
    }
}

#[cfg(feature = "serde")]
impl Serialize for RecordError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("RecordError", 6)?;
        st.serialize_field("list", &self.list)?;
        st.serialize_field("record", &self.record)?;
        st.serialize_field("offset", &self.offset)?;
        st.serialize_field("element", &self.element())?;
        st.serialize_field("code", self.error.code())?;
        st.serialize_field("message", &self.error.to_string())?;
        st.end()
    }
}

/// Reads a result file keeping what it can: a record with a bad or missing
/// element is left out with a [`RecordError`] instead of failing the file.
/// What is not a record (the envelope, header, body fields, the XML itself)
/// still fails the whole file, as [`parse_result`] does.
///
/// ```
/// let xml = "<XmlMsg><MessageHeader><MedicalInstitutionCode>0110012345</MedicalInstitutionCode>\
///   <SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody><ResultList>\
///   <ResultOfQualificationConfirmation><Name>甲</Name><Birthdate>19900231</Birthdate></ResultOfQualificationConfirmation>\
///   <ResultOfQualificationConfirmation><Name>乙</Name><Birthdate>19900201</Birthdate></ResultOfQualificationConfirmation>\
///   </ResultList></MessageBody></XmlMsg>";
/// assert!(mynacard::eligibility::parse_result(xml.as_bytes()).is_err());
/// let p = mynacard::eligibility::parse_result_partial(xml.as_bytes()).unwrap();
/// assert_eq!(p.file.body.unwrap().results.len(), 1);
/// let e = &p.record_errors[0];
/// assert_eq!((e.record, e.element()), (0, Some("Birthdate")));
/// assert!(!e.error.to_string().contains("19900231"));
/// ```
#[cfg(feature = "std")]
pub fn parse_result_partial(bytes: &[u8]) -> Result<PartialResult, EligibilityError> {
    parse_result_partial_with(bytes, &ParseOptions::default())
}

/// [`parse_result_partial`] with explicit options.
#[cfg(feature = "std")]
pub fn parse_result_partial_with(
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<PartialResult, EligibilityError> {
    let mut record_errors = Vec::new();
    let file = read_file(bytes, options, Some(&mut record_errors))?;
    Ok(PartialResult {
        file,
        record_errors,
    })
}

/// Reads the records of one list: each failing one fails the whole read, or
/// (with `errors`) is left out and reported there.
fn read_records<'t, 'a: 't>(
    list: &str,
    records: impl IntoIterator<Item = El<'t, 'a>>,
    policy: CheckDigitPolicy,
    results: &mut Vec<QualificationRecord>,
    errors: &mut Option<&mut Vec<RecordError>>,
) -> Result<(), EligibilityError> {
    for (index, record) in records.into_iter().enumerate() {
        match QualificationRecord::from_tree(record, index, policy) {
            Ok(r) => results.push(r),
            Err(error) => match errors {
                Some(errors) => errors.push(RecordError {
                    list: list.into(),
                    record: index,
                    offset: record.offset(),
                    error,
                }),
                None => return Err(error),
            },
        }
    }
    Ok(())
}

impl ResultHeader {
    pub(crate) fn from_tree(
        ctx: Ctx,
        el: El<'_, '_>,
        unknown: &mut UnknownElements,
    ) -> Result<Self, EligibilityError> {
        let ctx = ctx.block(el);
        let h = HeaderSlots::collect(el, Parent::HEADER, unknown)?;
        Ok(ResultHeader {
            medical_institution_code: ctx.required_parsed(
                h.code,
                "MedicalInstitutionCode",
                MedicalInstitutionCode::parse,
            )?,
            arbitrary_file_identifier: ctx.string(h.file_id, "ArbitraryFileIdentifier")?,
            reference_classification: ctx.code(
                h.classification,
                "ReferenceClassification",
                ReferenceClassification::from_code,
            )?,
            process_execution_time: ctx.datetime(h.time, "ProcessExecutionTime")?,
            qualification_confirmation_date: ctx.date(h.date, "QualificationConfirmationDate")?,
            segment_of_result: ctx.required_code(
                h.segment,
                "SegmentOfResult",
                SegmentOfResult::from_code,
            )?,
            error_code: ctx.string(h.error_code, "ErrorCode")?,
            error_message: ctx.string(h.error_message, "ErrorMessage")?,
            character_code: ctx.code(
                h.character_code,
                "CharacterCodeIdentifier",
                CharacterCode::from_code,
            )?,
            reception_number: ctx.string(h.reception_number, "ReceptionNumber")?,
            bulk_counts: match (
                ctx.amount(h.n_total, "NumberOfProcessingResult")?,
                ctx.amount(h.n_normal, "NumberOfNormalProcessing")?,
                ctx.amount(h.n_error, "NumberOfError")?,
            ) {
                (None, None, None) => None,
                (a, b, c) => Some([a.unwrap_or(0), b.unwrap_or(0), c.unwrap_or(0)]),
            },
        })
    }

    pub(crate) fn write(&self, out: &mut XmlOut, unknown: &UnknownElements) {
        out.open("MessageHeader");
        out.opt(
            "ProcessExecutionTime",
            self.process_execution_time
                .map(|t| t.to_compact())
                .as_deref(),
        );
        out.opt(
            "QualificationConfirmationDate",
            self.qualification_confirmation_date
                .as_ref()
                .map(yyyymmdd)
                .as_deref(),
        );
        out.leaf(
            "MedicalInstitutionCode",
            self.medical_institution_code.as_str(),
        );
        out.opt(
            "ArbitraryFileIdentifier",
            self.arbitrary_file_identifier.as_deref(),
        );
        out.opt(
            "ReferenceClassification",
            self.reference_classification.as_ref().map(|c| c.code()),
        );
        out.leaf("SegmentOfResult", self.segment_of_result.code());
        out.opt("ErrorCode", self.error_code.as_deref());
        out.opt("ErrorMessage", self.error_message.as_deref());
        out.opt(
            "CharacterCodeIdentifier",
            self.character_code.as_ref().map(|c| c.code()),
        );
        out.opt("ReceptionNumber", self.reception_number.as_deref());
        if let Some([a, b, c]) = self.bulk_counts {
            out.leaf("NumberOfProcessingResult", &a.to_string());
            out.leaf("NumberOfNormalProcessing", &b.to_string());
            out.leaf("NumberOfError", &c.to_string());
        }
        out.unknown_under(unknown, Parent::HEADER);
        out.close("MessageHeader");
    }
}

impl ResultFile {
    fn from_tree(
        root: El<'_, '_>,
        policy: CheckDigitPolicy,
        errors: Option<&mut Vec<RecordError>>,
    ) -> Result<Self, EligibilityError> {
        let ctx = Ctx::top(root);
        let mut unknown = UnknownElements::new();
        let r = RootSlots::collect(root, Parent::ROOT, &mut unknown)?;
        let header = ResultHeader::from_tree(
            ctx,
            r.header.ok_or(ctx.missing("MessageHeader"))?,
            &mut unknown,
        )?;
        let body = match r.body {
            None => None,
            Some(el) => Some(ResultBody::from_tree(
                ctx,
                el,
                policy,
                &mut unknown,
                errors,
            )?),
        };
        Ok(Self {
            header,
            body,
            unknown,
        })
    }

    /// Every element of the file this crate does not know, with the block it
    /// sat in: the envelope's and each record's. Nothing of a file is dropped;
    /// [`to_xml`](Self::to_xml) writes these back.
    pub fn unknown_elements(&self) -> impl Iterator<Item = UnknownElement<'_>> {
        let records = self.body.iter().flat_map(|b| b.results.iter());
        self.unknown
            .iter()
            .chain(
                self.body
                    .iter()
                    .filter_map(|b| b.search.as_ref())
                    .flat_map(|s| s.unknown.iter()),
            )
            .chain(records.flat_map(|r| {
                r.unknown
                    .iter()
                    .chain(r.elderly_recipient.iter().flat_map(|e| e.unknown.iter()))
                    .chain(
                        r.limit_application_certificate
                            .iter()
                            .flat_map(|l| l.unknown.iter()),
                    )
                    .chain(r.specific_diseases.iter().flat_map(|s| s.unknown.iter()))
                    .chain(r.medical_tickets.iter().flat_map(|t| t.unknown.iter()))
            }))
    }

    /// Writes the file as the terminal would (indented, with an XML
    /// declaration naming the encoding). The header's `character_code` is
    /// written as it is, so that `parse_result(&f.to_xml(e)?)? == f`; set it to
    /// `Some(e.character_code())` for a file that says what it is.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        let mut out = XmlOut::new(encoding);
        out.open("XmlMsg");
        self.header.write(&mut out, &self.unknown);
        if let Some(b) = &self.body {
            b.write(&mut out, &self.unknown);
        }
        out.unknown_under(&self.unknown, Parent::ROOT);
        out.close("XmlMsg");
        out.finish(encoding)
    }
}

impl ResultBody {
    fn from_tree(
        ctx: Ctx,
        el: El<'_, '_>,
        policy: CheckDigitPolicy,
        unknown: &mut UnknownElements,
        mut errors: Option<&mut Vec<RecordError>>,
    ) -> Result<Self, EligibilityError> {
        let ctx = ctx.block(el);
        let b = BodySlots::collect(el, Parent::BODY, unknown)?;
        let mut records = Vec::new();
        for list in b.result_lists.iter().copied() {
            records.extend(ListSlots::collect(list, Parent::RESULT_LIST, unknown)?.records);
        }
        let mut results = Vec::new();
        read_records("results", records, policy, &mut results, &mut errors)?;
        let mut bulk_units = Vec::new();
        for (i, unit) in b.units.iter().copied().enumerate() {
            bulk_units.push(BulkConfirmUnit::from_tree(
                ctx,
                unit,
                policy,
                i,
                &mut errors,
            )?);
        }
        let reception = match ctx.string(b.reception_number, "ReceptionNumber")? {
            Some(n) => Some((n, ctx.datetime(b.reception_time, "ReceptionDateTime")?)),
            None => None,
        };
        Ok(ResultBody {
            processing_result_status: ctx.code(
                b.status,
                "ProcessingResultStatus",
                ProcessingResultStatus::from_code,
            )?,
            processing_result_code: ctx.string(b.code, "ProcessingResultCode")?,
            processing_result_message: ctx.string(b.message, "ProcessingResultMessage")?,
            qualification_validity: ctx.code(
                b.validity,
                "QualificationValidity",
                QualificationValidity::from_code,
            )?,
            search: b
                .search
                .map(|s| SearchInfo::from_tree(ctx, s, policy))
                .transpose()?,
            prescription_issue: ctx.code(
                b.prescription,
                "PrescriptionIssueSelect",
                PrescriptionIssueSelect::from_code,
            )?,
            results,
            reception,
            bulk_units,
        })
    }

    fn write(&self, out: &mut XmlOut, unknown: &UnknownElements) {
        out.open("MessageBody");
        if let Some(s) = &self.search {
            s.write(out);
        }
        if let Some((number, time)) = &self.reception {
            out.leaf("ReceptionNumber", number);
            out.opt("ReceptionDateTime", time.map(|t| t.to_compact()).as_deref());
        }
        write_processing(
            out,
            self.processing_result_status.as_ref().map(|c| c.code()),
            self.processing_result_code.as_deref(),
            self.processing_result_message.as_deref(),
            self.qualification_validity.as_ref().map(|c| c.code()),
        );
        let list_unknown = unknown.under(Parent::RESULT_LIST).next().is_some();
        if !self.results.is_empty() || list_unknown {
            out.open("ResultList");
            for r in &self.results {
                r.write(out);
            }
            out.unknown_under(unknown, Parent::RESULT_LIST);
            out.close("ResultList");
        }
        out.opt(
            "PrescriptionIssueSelect",
            self.prescription_issue.as_ref().map(|c| c.code()),
        );
        for u in &self.bulk_units {
            u.write(out);
        }
        out.unknown_under(unknown, Parent::BODY);
        out.close("MessageBody");
    }
}

impl BulkConfirmUnit {
    fn from_tree(
        ctx: Ctx,
        el: El<'_, '_>,
        policy: CheckDigitPolicy,
        position: usize,
        errors: &mut Option<&mut Vec<RecordError>>,
    ) -> Result<Self, EligibilityError> {
        let ctx = ctx.block(el);
        let mut unknown = UnknownElements::new();
        let u = UnitSlots::collect(el, Parent::BULK_UNIT, &mut unknown)?;
        let mut results = Vec::new();
        let list = alloc::format!("bulk_units[{position}].results");
        read_records(&list, u.records, policy, &mut results, errors)?;
        let mut reference_numbers = Vec::new();
        for r in u.references {
            if let Some(p) = ctx.personal(Some(r), "ReferenceNumber")? {
                reference_numbers.push(p);
            }
        }
        Ok(Self {
            search: u
                .search
                .map(|s| SearchInfo::from_tree(ctx, s, policy))
                .transpose()?,
            processing_result_status: ctx.code(
                u.status,
                "ProcessingResultStatus",
                ProcessingResultStatus::from_code,
            )?,
            processing_result_code: ctx.string(u.code, "ProcessingResultCode")?,
            processing_result_message: ctx.string(u.message, "ProcessingResultMessage")?,
            qualification_validity: ctx.code(
                u.validity,
                "QualificationValidity",
                QualificationValidity::from_code,
            )?,
            results,
            reference_numbers,
            unknown,
        })
    }

    fn write(&self, out: &mut XmlOut) {
        out.open("BulkConfirmUnit");
        if let Some(s) = &self.search {
            s.write(out);
        }
        write_processing(
            out,
            self.processing_result_status.as_ref().map(|c| c.code()),
            self.processing_result_code.as_deref(),
            self.processing_result_message.as_deref(),
            self.qualification_validity.as_ref().map(|c| c.code()),
        );
        for r in &self.results {
            r.write(out);
        }
        for n in &self.reference_numbers {
            out.leaf("ReferenceNumber", n.expose());
        }
        out.unknown(&self.unknown);
        out.close("BulkConfirmUnit");
    }
}

/// The four processing elements a result body and a bulk unit both carry, in order.
fn write_processing(
    out: &mut XmlOut,
    status: Option<&str>,
    code: Option<&str>,
    message: Option<&str>,
    validity: Option<&str>,
) {
    out.opt("ProcessingResultStatus", status);
    out.opt("ProcessingResultCode", code);
    out.opt("ProcessingResultMessage", message);
    out.opt("QualificationValidity", validity);
}
