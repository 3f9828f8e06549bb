//! Online eligibility confirmation (オンライン資格確認).
pub mod codes;
mod dates;
pub mod error;
mod ids;
mod input;
mod personal;

pub use dates::{Date, DateError, DateTime};
pub use error::{EligibilityError, ValueError};
pub use ids::{
    CheckDigitPolicy, IdError, IdKind, InsurerNumber, MedicalInstitutionCode,
    PublicExpensePayerNumber, PublicExpenseRecipientNumber, check_digit,
};
pub use input::XmlLimits;
pub use personal::{BirthDate, PersonalText};
mod fields;
pub mod qualification;
pub mod result_file;

pub use qualification::{
    BurdenRatio, Consent, ElderlyRecipientCertificate, LimitApplicationCertificate,
    PublicExpenseRecipient, QualificationRecord, SpecificDiseaseCertificate,
};
pub use result_file::{
    ParseOptions, ResultBody, ResultFile, ResultHeader, XmlEncoding, parse_result,
    parse_result_with,
};
pub mod request_file;
pub use request_file::{
    Consents, EligibilityRequest, RequestKind, SearchInfo, VerificationMethod, parse_request,
    parse_request_with,
};
mod sample;
pub use sample::{SamplePatient, sample_result};
