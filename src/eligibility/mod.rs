//! Online eligibility confirmation (オンライン資格確認): the result types, the
//! 資格確認端末's XML files, identifiers with check digits, and usage statistics.
//!
//! After a card or phone is verified, the receipt system asks the facility's
//! 資格確認端末 for the patient's eligibility by writing a request file
//! ([`EligibilityRequest`]) and reads the result file ([`ResultFile`]). The
//! consent-gated views (薬剤情報, 特定健診等情報, 診療情報) are separate files
//! ([`views`]).
//!
//! # Entry points (one call each, for fuzz targets too)
//!
//! | Input | Function |
//! |---|---|
//! | result file (XML, or the terminal's JSON answer with feature `serde`) | [`parse_result`] / [`parse_result_with`] |
//! | result file, keeping the records that parse ([`RecordError`] for the others) | [`parse_result_partial`] / [`parse_result_partial_with`] |
//! | request file | [`parse_request`] / [`parse_request_with`] |
//! | 薬剤情報 + 診療情報 (`YZKsiquc01res`) | [`parse_medication`] |
//! | 特定健診情報 (`TKKsiquc01res`) | [`parse_health_checkups`] |
//!
//! Writers: [`ResultFile::to_xml`], [`EligibilityRequest::to_xml`],
//! [`MedicationFile::to_xml`], [`HealthCheckupFile::to_xml`], in UTF-8 or Shift_JIS ([`XmlEncoding`]); every parser
//! reads what its writer wrote back to an equal value.
//!
//! # Untrusted input
//!
//! Bytes are bounded ([`XmlLimits`]), decoded (UTF-8 / Shift_JIS, from the
//! XML declaration or `CharacterCodeIdentifier`) and read in one pass into an
//! arena that refuses DOCTYPE (so entity declarations, billion laughs, external
//! entities), undeclared entity references, nesting, text length and element
//! count over the limits with a typed [`EligibilityError`]. Unknown elements
//! are kept ([`UnknownElements`]) and written back; an unknown code is kept
//! (`Unknown(raw)` variants of the code tables such as [`ConsentFlag`]); a
//! missing mandatory element is
//! [`EligibilityError::MissingElement`] naming it.
//!
//! # JSON (feature `serde`)
//!
//! The public types derive `Serialize`/`Deserialize`. Field names are the
//! Rust field names (snake_case, documented on each field with the XML element
//! they come from). Codes are their code strings (`"01"`, `"A03"`); dates are
//! `"YYYY-MM-DD"`, times `"YYYY-MM-DDTHH:MM:SS"`; identifiers their digits;
//! personal text ([`PersonalText`], [`BirthDate`]) plain strings. `Option`s
//! that are absent are `null`. This crate's own enums (not national code
//! tables) use serde's default external tagging: [`VerificationMethod`] and
//! [`FacilityKind`] are their variant names (`"Smartphone"`, `"Pharmacy"`),
//! `RequestKind` is `{"Verified": {"device": "2", "consents": {…}}}` or
//! `{"Identifiers": {…}}`.
//!
//! # For an EHR
//!
//! [`QualificationRecord::effective_burden_ratio`] gives the 負担割合 that
//! applies on the check date ([`ResultFile::check_date`]) with the rule that
//! chose it and the element it came from ([`EffectiveBurden`]): a 高齢受給者証
//! valid on that date wins over the record's own ratio.
//! [`QualificationRecord::check_digits`], [`QualificationRecord::summary`] and
//! [`QualificationRecord::labels`] give the 検証番号 status, the receptionist's
//! line and each code's meaning; [`QualificationRecord::derived`] gathers them
//! ([`RecordDerived`]) and a [`ResultFile`]'s serde form carries them in each
//! record's `"derived"` object — the one JSON shape the C and Python bindings
//! return too.
//!
//! The terminal's JSON answer (照会区分 2, `{"XmlMsg": {…}}`) is read by the
//! same parsers (feature `serde`): it is rewritten into the XML it mirrors.
//!
//! # Personal data
//!
//! Name, kana, address, post code, 記号・番号 and birth date are held in
//! zeroizing types whose `Debug` is redacted. The 個人番号 is never part of
//! these files (a facility may not collect it); [`crate::MyNumber`] is the
//! crate's type for it.
//!
//! Reading the files needs feature `std` (the XML reader, quick-xml, needs it); the types,
//! the request writer and the XML writers are in the `no_std` core.

// Without `std`, the tree reader behind the `parse_*` functions is not built.
#![cfg_attr(
    not(feature = "std"),
    allow(dead_code, unused_imports, unused_variables)
)]

mod burden;
pub(crate) mod codes;
mod dates;
mod derived;
mod echo;
pub(crate) mod error;
mod face;
mod fields;
mod ids;
mod input;
#[cfg(feature = "serde")]
mod json_in;
mod personal;
pub(crate) mod qualification;
mod read;
pub(crate) mod request_file;
pub(crate) mod result_file;
mod sample;
pub(crate) mod stats;
mod summary;
mod tree;
mod unknown;
mod view_request;
pub mod views;
mod xml_out;
mod zbuf;

pub use crate::date::{CalendarDate, DateError};
pub use burden::{BurdenRule, EffectiveBurden};
/// The code tables (コード表) of the result and request files.
pub use codes::{
    Applicability, CharacterCode, ConsentFlag, ConsentStatus, ConsistencyFlag,
    DesignatedInstitutionFlag, InsuredCardClassification,
    LimitApplicationCertificateClassification, LimitCategory, LimitCertificateChanged,
    MedicalTreatmentType, PersonalFamilyClassification, PreschoolClassification,
    PrescriptionIssueSelect, ProcessingResultStatus, QualificationValidity, ReasonOfLoss,
    ReferenceClassification, SegmentOfResult, SexCode, SingleOrCombinedUse, SpecificDisease,
    TicketType,
};
pub use dates::DateTime;
pub use derived::{CheckDigitStatus, CheckDigits, RecordDerived};
pub use echo::EchoMismatch;
pub use error::{EligibilityError, ValueError};
pub use face::{FaceFileName, FaceMatch, FileNameError};
pub use ids::{
    CheckDigitPolicy, IdError, IdKind, InsurerNumber, MedicalInstitutionCode,
    PublicExpensePayerNumber, PublicExpenseRecipientNumber, check_digit,
};
pub use input::ParseOptions;
pub use input::XmlLimits;
pub use input::is_json_answer;
pub use personal::{BirthDate, PersonalText};
pub use qualification::{
    BurdenRatio, Consent, ConsentFlags, ElderlyRecipientCertificate, LimitApplicationCertificate,
    MedicalTicket, QualificationRecord, SpecificDiseaseCertificate,
};
pub use request_file::{BulkRequest, EligibilityRequest, SearchInfo, VerificationMethod};
#[cfg(feature = "std")]
pub use request_file::{parse_bulk_request, parse_request, parse_request_with};
pub use result_file::{
    BulkConfirmUnit, PartialResult, RecordError, ResultBody, ResultFile, ResultHeader,
};
#[cfg(feature = "std")]
pub use result_file::{
    parse_result, parse_result_partial, parse_result_partial_with, parse_result_with,
};
pub use sample::{SamplePatient, sample_face_result, sample_record, sample_result};
pub use stats::{Confirmation, FacilityKind, MonthlyUsage, Ratio, UsageRow, ViewsUsed, usage_rate};
pub use summary::ReceptionSummary;
pub use unknown::{UnknownElement, UnknownElements};
pub use view_request::{PdfAnswer, ViewKind, ViewRequest};
pub use views::health_checkup::{CheckupItem, HealthCheckup, HealthCheckupFile};
#[cfg(feature = "std")]
pub use views::health_checkup::{parse_health_checkups, parse_health_checkups_with};
pub use views::medication::{
    Drug, MedicationDay, MedicationFile, MedicationMonth, MedicationSource, Treatment,
};
#[cfg(feature = "std")]
pub use views::medication::{parse_medication, parse_medication_with};
pub use views::{ViewHeader, ViewPatient};
pub use xml_out::{SHIFT_JIS_CHANGED, XmlEncoding};
