//! The request file a receipt system writes for the 資格確認端末, for the two
//! ways in (seed table 1):
//!
//! - **verified** — the patient was verified with the card or a smartphone at
//!   the face-auth / generic reader; the request carries the per-item consents
//!   (薬剤情報, 診療情報, 特定健診等情報, 限度額) — `ReferenceClassification` `1`;
//! - **by identifiers** — 保険者番号 + 記号 + 番号 + 枝番 + birth date
//!   (`QualificationConfirmSearchInfo`, the 資格確認書 path) —
//!   `ReferenceClassification` `2`.
//!
//! Layout written (elements in this order; optional ones only when set):
//!
//! ```text
//! XmlMsg
//!   MessageHeader: MedicalInstitutionCode, ArbitraryFileIdentifier?,
//!                  ReferenceClassification, CharacterCodeIdentifier
//!   MessageBody (verified): ConfirmationDevice ⚠, LimitApplicationCertificateRelatedConsFlg,
//!                  PharmacistsInfoConsFlg, SpecificHealthCheckupsInfoConsFlg, DiagnosisInfoConsFlg
//!   MessageBody (identifiers): QualificationConfirmSearchInfo: InsurerNumber,
//!                  InsuredCardSymbol?, InsuredIdentificationNumber, InsuredBranchNumber?,
//!                  Birthdate, LimitApplicationCertificateRelatedConsFlg, ArbitraryIdentifier?
//! ```
//!
//! `ConfirmationDevice` is this crate's element (⚠, not in the fact sheet).

use super::codes::{CharacterCode, ConfirmationDevice, ReferenceClassification};
use super::error::{EligibilityError, ValueError};
use super::fields::{At, opt_personal, wire};
use super::ids::{CheckDigitPolicy, InsurerNumber, MedicalInstitutionCode};
use super::input::prepare;
use super::personal::{BirthDate, PersonalText};
use super::result_file::{ParseOptions, XmlEncoding, deserialize, serialize};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// How the patient's eligibility is looked up (the seed's methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub enum VerificationMethod {
    /// マイナ保険証: the card at a reader.
    Card,
    /// マイナ保険証 on a smartphone.
    Smartphone,
    /// 資格確認書 / 記号・番号 (insurance identifiers typed in).
    InsuranceIdentifiers,
}

impl VerificationMethod {
    /// Whether this counts as マイナ保険証 use (card or smartphone).
    pub fn is_myna_hokensho(self) -> bool {
        matches!(self, Self::Card | Self::Smartphone)
    }
}

/// The patient's consents given at the reader, item by item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Consents {
    /// 薬剤情報 (`PharmacistsInfoConsFlg`).
    pub medication: bool,
    /// 診療情報 (`DiagnosisInfoConsFlg`).
    pub clinical: bool,
    /// 特定健診等情報 (`SpecificHealthCheckupsInfoConsFlg`).
    pub health_checkups: bool,
    /// 限度額情報 (`LimitApplicationCertificateRelatedConsFlg`).
    pub limit_application: bool,
}

impl Consents {
    /// Every item consented.
    pub const ALL: Consents = Consents {
        medication: true,
        clinical: true,
        health_checkups: true,
        limit_application: true,
    };

    /// No item consented.
    pub const NONE: Consents = Consents {
        medication: false,
        clinical: false,
        health_checkups: false,
        limit_application: false,
    };
}

/// 記号・番号 search (`QualificationConfirmSearchInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct SearchInfo {
    /// 保険者番号.
    pub insurer_number: InsurerNumber,
    /// 記号.
    pub insured_card_symbol: Option<PersonalText>,
    /// 番号.
    pub insured_identification_number: PersonalText,
    /// 枝番.
    pub insured_branch_number: Option<PersonalText>,
    /// 生年月日.
    pub birthdate: BirthDate,
    /// 限度額情報の提供同意.
    pub limit_application_consent: bool,
    /// The facility's own identifier (`ArbitraryIdentifier`).
    pub arbitrary_identifier: Option<String>,
}

/// What the request asks by.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub enum RequestKind {
    /// The patient was verified with a card or phone.
    Verified {
        /// Card or smartphone.
        device: ConfirmationDevice,
        /// The consents given at the reader.
        consents: Consents,
    },
    /// 記号・番号 search.
    Identifiers(SearchInfo),
}

/// A request file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct EligibilityRequest {
    /// 医療機関コード.
    pub medical_institution_code: MedicalInstitutionCode,
    /// The requester's own file id, echoed by the terminal.
    pub arbitrary_file_identifier: Option<String>,
    /// Verified or by identifiers.
    pub kind: RequestKind,
}

impl EligibilityRequest {
    /// A request after card / smartphone verification, carrying the consents.
    ///
    /// ```
    /// use mynacard::eligibility::{Consents, EligibilityRequest, MedicalInstitutionCode,
    ///     VerificationMethod, XmlEncoding, parse_request};
    /// let facility = MedicalInstitutionCode::parse("1310012345").unwrap();
    /// let consents = Consents { medication: true, ..Consents::NONE };
    /// let req = EligibilityRequest::verified(facility, VerificationMethod::Smartphone, consents)
    ///     .unwrap();
    /// let xml = req.to_xml(XmlEncoding::Utf8).unwrap();
    /// assert_eq!(parse_request(&xml).unwrap(), req);
    /// ```
    ///
    /// Returns `None` for [`VerificationMethod::InsuranceIdentifiers`], which
    /// needs [`EligibilityRequest::by_identifiers`].
    pub fn verified(
        facility: MedicalInstitutionCode,
        method: VerificationMethod,
        consents: Consents,
    ) -> Option<Self> {
        let device = match method {
            VerificationMethod::Card => ConfirmationDevice::Card,
            VerificationMethod::Smartphone => ConfirmationDevice::Smartphone,
            VerificationMethod::InsuranceIdentifiers => return None,
        };
        Some(Self {
            medical_institution_code: facility,
            arbitrary_file_identifier: None,
            kind: RequestKind::Verified { device, consents },
        })
    }

    /// A 記号・番号 request (the 資格確認書 path).
    pub fn by_identifiers(facility: MedicalInstitutionCode, search: SearchInfo) -> Self {
        Self {
            medical_institution_code: facility,
            arbitrary_file_identifier: None,
            kind: RequestKind::Identifiers(search),
        }
    }

    /// The method, for usage statistics (an unknown device counts as card).
    pub fn method(&self) -> VerificationMethod {
        match &self.kind {
            RequestKind::Verified {
                device: ConfirmationDevice::Smartphone,
                ..
            } => VerificationMethod::Smartphone,
            RequestKind::Verified { .. } => VerificationMethod::Card,
            RequestKind::Identifiers(_) => VerificationMethod::InsuranceIdentifiers,
        }
    }

    /// The consents this request carries (only 限度額 on the identifiers path).
    pub fn consents(&self) -> Consents {
        match &self.kind {
            RequestKind::Verified { consents, .. } => *consents,
            RequestKind::Identifiers(s) => Consents {
                limit_application: s.limit_application_consent,
                ..Consents::NONE
            },
        }
    }

    /// 照会区分 of this request.
    pub fn reference_classification(&self) -> ReferenceClassification {
        match self.kind {
            RequestKind::Verified { .. } => ReferenceClassification::MyNumberCard,
            RequestKind::Identifiers(_) => ReferenceClassification::InsuranceCardInfo,
        }
    }

    /// Writes the request file.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        serialize(&self.to_wire(encoding), encoding)
    }

    fn to_wire(&self, encoding: XmlEncoding) -> WireRequest {
        let flag = |b: bool| Some(if b { "1" } else { "0" }.to_owned());
        let mut body = WireRequestBody::default();
        match &self.kind {
            RequestKind::Verified { device, consents } => {
                body.confirmation_device = Some(device.code().to_owned());
                body.limit_application_certificate_related_cons_flg =
                    flag(consents.limit_application);
                body.pharmacists_info_cons_flg = flag(consents.medication);
                body.specific_health_checkups_info_cons_flg = flag(consents.health_checkups);
                body.diagnosis_info_cons_flg = flag(consents.clinical);
            }
            RequestKind::Identifiers(s) => {
                body.qualification_confirm_search_info = Some(WireSearch {
                    insurer_number: Some(s.insurer_number.as_str().to_owned()),
                    insured_card_symbol: opt_personal(&s.insured_card_symbol),
                    insured_identification_number: Some(
                        s.insured_identification_number.expose().to_owned(),
                    ),
                    insured_branch_number: opt_personal(&s.insured_branch_number),
                    birthdate: Some(s.birthdate.expose().to_yyyymmdd()),
                    limit_application_certificate_related_cons_flg: flag(
                        s.limit_application_consent,
                    ),
                    arbitrary_identifier: s.arbitrary_identifier.clone(),
                });
            }
        }
        WireRequest {
            message_header: Some(WireRequestHeader {
                medical_institution_code: Some(self.medical_institution_code.as_str().to_owned()),
                arbitrary_file_identifier: self.arbitrary_file_identifier.clone(),
                reference_classification: Some(self.reference_classification().code().to_owned()),
                character_code_identifier: Some(encoding.character_code().code().to_owned()),
            }),
            message_body: Some(body),
        }
    }
}

wire! {
    struct WireRequestHeader {
        medical_institution_code: Option<String>,
        arbitrary_file_identifier: Option<String>,
        reference_classification: Option<String>,
        character_code_identifier: Option<String>,
    }
}

wire! {
    struct WireSearch {
        insurer_number: Option<String>,
        insured_card_symbol: Option<String>,
        insured_identification_number: Option<String>,
        insured_branch_number: Option<String>,
        birthdate: Option<String>,
        limit_application_certificate_related_cons_flg: Option<String>,
        arbitrary_identifier: Option<String>,
    }
}

wire! {
    struct WireRequestBody {
        confirmation_device: Option<String>,
        limit_application_certificate_related_cons_flg: Option<String>,
        pharmacists_info_cons_flg: Option<String>,
        specific_health_checkups_info_cons_flg: Option<String>,
        diagnosis_info_cons_flg: Option<String>,
        qualification_confirm_search_info: Option<WireSearch>,
    }
}

wire! {
    struct WireRequest {
        message_header: Option<WireRequestHeader>,
        message_body: Option<WireRequestBody>,
    }
}

fn flag(at: At, v: Option<String>, element: &'static str) -> Result<bool, EligibilityError> {
    match at.text(v).as_deref() {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(at.invalid(
            element,
            ValueError::Code {
                found: other.to_owned(),
                expected: "0 or 1",
            },
        )),
    }
}

/// Parses a request file (what a terminal, or a test standing in for one,
/// reads), with the default [`ParseOptions`] except that check digits of the
/// typed-in 保険者番号 are enforced.
pub fn parse_request(bytes: &[u8]) -> Result<EligibilityRequest, EligibilityError> {
    let options = ParseOptions {
        check_digits: CheckDigitPolicy::Enforce,
        ..ParseOptions::default()
    };
    parse_request_with(bytes, &options)
}

/// Parses a request file with explicit options.
pub fn parse_request_with(
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<EligibilityRequest, EligibilityError> {
    let text = prepare(bytes, &options.limits)?;
    let w: WireRequest = deserialize(&text)?;
    let at = At::TOP;
    let h = w.message_header.ok_or(at.missing("MessageHeader"))?;
    let body = w.message_body.ok_or(at.missing("MessageBody"))?;
    let reference = at.required_code(
        h.reference_classification,
        "ReferenceClassification",
        ReferenceClassification::from_code,
    )?;
    // The identifier is informative here: the bytes were already decoded.
    let _: Option<CharacterCode> = at.code(h.character_code_identifier, CharacterCode::from_code);
    let kind = match reference {
        ReferenceClassification::InsuranceCardInfo => {
            let s = body
                .qualification_confirm_search_info
                .ok_or(at.missing("QualificationConfirmSearchInfo"))?;
            RequestKind::Identifiers(SearchInfo {
                insurer_number: at.required_parsed(s.insurer_number, "InsurerNumber", |v| {
                    InsurerNumber::parse_with(v, options.check_digits)
                })?,
                insured_card_symbol: at.personal(s.insured_card_symbol),
                insured_identification_number: PersonalText::new(at.required(
                    s.insured_identification_number,
                    "InsuredIdentificationNumber",
                )?),
                insured_branch_number: at.personal(s.insured_branch_number),
                birthdate: at.birth_date(s.birthdate, "Birthdate")?,
                limit_application_consent: flag(
                    at,
                    s.limit_application_certificate_related_cons_flg,
                    "LimitApplicationCertificateRelatedConsFlg",
                )?,
                arbitrary_identifier: at.text(s.arbitrary_identifier),
            })
        }
        _ => RequestKind::Verified {
            device: at
                .code(body.confirmation_device, ConfirmationDevice::from_code)
                .unwrap_or(ConfirmationDevice::Card),
            consents: Consents {
                medication: flag(at, body.pharmacists_info_cons_flg, "PharmacistsInfoConsFlg")?,
                clinical: flag(at, body.diagnosis_info_cons_flg, "DiagnosisInfoConsFlg")?,
                health_checkups: flag(
                    at,
                    body.specific_health_checkups_info_cons_flg,
                    "SpecificHealthCheckupsInfoConsFlg",
                )?,
                limit_application: flag(
                    at,
                    body.limit_application_certificate_related_cons_flg,
                    "LimitApplicationCertificateRelatedConsFlg",
                )?,
            },
        },
    };
    Ok(EligibilityRequest {
        medical_institution_code: at.required_parsed(
            h.medical_institution_code,
            "MedicalInstitutionCode",
            MedicalInstitutionCode::parse,
        )?,
        arbitrary_file_identifier: at.text(h.arbitrary_file_identifier),
        kind,
    })
}
