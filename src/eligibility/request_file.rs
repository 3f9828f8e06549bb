//! The 資格確認 request (`OQSsiquc01req_…xml`) as real clients write it: the
//! patient is identified by the numbers of a 資格確認書 / 資格情報のお知らせ
//! (保険者番号 + 記号 + 番号 + 枝番 + 生年月日).
//!
//! ```text
//! XmlMsg
//!   MessageHeader: QualificationConfirmationDate, MedicalInstitutionCode,
//!                  ArbitraryFileIdentifier?
//!   MessageBody: QualificationConfirmSearchInfo: InsurerNumber (8 characters,
//!                  a 6-digit number right-aligned), InsuredCardSymbol?,
//!                  InsuredIdentificationNumber, InsuredBranchNumber?, Birthdate,
//!                  LimitApplicationCertificateRelatedConsFlg, ArbitraryIdentifier?
//! ```
//!
//! There is no request after a card or smartphone is verified at the reader:
//! the terminal then writes an unsolicited face result
//! (`OQSsiquc01res_face_…`, [`FaceFileName`](super::FaceFileName)).

use super::codes::ConsentFlag;
use super::dates::yyyymmdd;
use super::error::EligibilityError;
use super::ids::{CheckDigitPolicy, InsurerNumber, MedicalInstitutionCode};
use super::input::ParseOptions;
use super::input::decoded;
use super::personal::{BirthDate, PersonalText};
use super::read::{Ctx, slots};
use super::tree::{El, Tree};
use super::unknown::{Parent, UnknownElements};
use super::xml_out::XmlEncoding;
use super::xml_out::XmlOut;
use crate::date::CalendarDate;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// How the patient's eligibility was looked up.
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

/// `QualificationConfirmSearchInfo`: the numbers a 資格確認書 carries, in a
/// request and echoed in its result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct SearchInfo {
    /// 保険者番号 (`InsurerNumber`).
    pub insurer_number: InsurerNumber,
    /// 記号 (`InsuredCardSymbol`).
    pub insured_card_symbol: Option<PersonalText>,
    /// 番号 (`InsuredIdentificationNumber`).
    pub insured_identification_number: PersonalText,
    /// 枝番 (`InsuredBranchNumber`).
    pub insured_branch_number: Option<PersonalText>,
    /// 生年月日 (`Birthdate`).
    pub birthdate: BirthDate,
    /// The patient consents to the 限度額 information
    /// (`LimitApplicationCertificateRelatedConsFlg`).
    pub limit_application_consent: bool,
    /// The client's own id for this patient, echoed (`ArbitraryIdentifier`).
    pub arbitrary_identifier: Option<String>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

impl SearchInfo {
    /// The mandatory fields; no 記号, 枝番 or consent.
    pub fn new(
        insurer_number: InsurerNumber,
        insured_identification_number: PersonalText,
        birthdate: BirthDate,
    ) -> Self {
        Self {
            insurer_number,
            insured_card_symbol: None,
            insured_identification_number,
            insured_branch_number: None,
            birthdate,
            limit_application_consent: false,
            arbitrary_identifier: None,
            unknown: UnknownElements::new(),
        }
    }
}

/// A 資格確認 request file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct EligibilityRequest {
    /// 医療機関コード (`MedicalInstitutionCode`).
    pub medical_institution_code: MedicalInstitutionCode,
    /// 資格確認日 (`QualificationConfirmationDate`): the day eligibility is
    /// asked for. Real clients always write it; [`None`] writes nothing.
    pub qualification_confirmation_date: Option<CalendarDate>,
    /// The client's own id for the file, echoed (`ArbitraryFileIdentifier`).
    pub arbitrary_file_identifier: Option<String>,
    /// Who is asked for (`QualificationConfirmSearchInfo`).
    pub search: SearchInfo,
    /// Elements this crate does not know, as read (header, body).
    pub unknown: UnknownElements,
}

impl EligibilityRequest {
    /// A request for the patient with these numbers.
    pub fn by_identifiers(facility: MedicalInstitutionCode, search: SearchInfo) -> Self {
        Self {
            medical_institution_code: facility,
            qualification_confirmation_date: None,
            arbitrary_file_identifier: None,
            search,
            unknown: UnknownElements::new(),
        }
    }

    /// The same request for the day `date`.
    pub fn on(mut self, date: CalendarDate) -> Self {
        self.qualification_confirmation_date = Some(date);
        self
    }

    /// Always [`VerificationMethod::InsuranceIdentifiers`]: card and phone
    /// visits have no request.
    pub fn method(&self) -> VerificationMethod {
        VerificationMethod::InsuranceIdentifiers
    }

    /// Writes the file.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        let mut out = open_request(
            encoding,
            self.qualification_confirmation_date.as_ref(),
            &self.medical_institution_code,
            self.arbitrary_file_identifier.as_deref(),
            &self.unknown,
        );
        self.search.write(&mut out);
        close_request(out, &self.unknown, encoding)
    }
}

/// Opens a request file up to `<MessageBody>`: the header every request carries
/// (資格確認日, 医療機関コード, the client's own file id, unknown header elements).
fn open_request(
    encoding: XmlEncoding,
    date: Option<&CalendarDate>,
    facility: &MedicalInstitutionCode,
    file_id: Option<&str>,
    unknown: &UnknownElements,
) -> XmlOut {
    let mut out = XmlOut::new(encoding);
    out.open("XmlMsg");
    out.open("MessageHeader");
    out.opt(
        "QualificationConfirmationDate",
        date.map(yyyymmdd).as_deref(),
    );
    out.leaf("MedicalInstitutionCode", facility.as_str());
    out.opt("ArbitraryFileIdentifier", file_id);
    out.unknown_under(unknown, Parent::HEADER);
    out.close("MessageHeader");
    out.open("MessageBody");
    out
}

/// Closes what [`open_request`] opened (with the unknown body and root elements)
/// and encodes the file.
fn close_request(
    mut out: XmlOut,
    unknown: &UnknownElements,
    encoding: XmlEncoding,
) -> Result<Vec<u8>, EligibilityError> {
    out.unknown_under(unknown, Parent::BODY);
    out.close("MessageBody");
    out.unknown_under(unknown, Parent::ROOT);
    out.close("XmlMsg");
    out.finish(encoding)
}

slots! {
    SearchSlots {
        insurer_number = "InsurerNumber",
        symbol = "InsuredCardSymbol",
        number = "InsuredIdentificationNumber",
        branch = "InsuredBranchNumber",
        birthdate = "Birthdate",
        consent = "LimitApplicationCertificateRelatedConsFlg",
        arbitrary_identifier = "ArbitraryIdentifier",
    }
}

impl SearchInfo {
    pub(crate) fn from_tree(
        ctx: Ctx,
        el: El<'_, '_>,
        policy: CheckDigitPolicy,
    ) -> Result<Self, EligibilityError> {
        let ctx = ctx.block(el);
        let mut unknown = UnknownElements::new();
        let s = SearchSlots::collect(el, Parent::SEARCH, &mut unknown)?;
        Ok(SearchInfo {
            insurer_number: ctx.required_parsed(s.insurer_number, "InsurerNumber", |t| {
                InsurerNumber::parse_field(t, policy)
            })?,
            insured_card_symbol: ctx.personal(s.symbol, "InsuredCardSymbol")?,
            insured_identification_number: ctx
                .required_personal(s.number, "InsuredIdentificationNumber")?,
            insured_branch_number: ctx.personal(s.branch, "InsuredBranchNumber")?,
            birthdate: ctx
                .birth_date(s.birthdate, "Birthdate")?
                .ok_or(ctx.missing("Birthdate"))?,
            limit_application_consent: ctx.code(
                s.consent,
                "LimitApplicationCertificateRelatedConsFlg",
                ConsentFlag::from_code,
            )? == Some(ConsentFlag::Consented),
            arbitrary_identifier: ctx.string(s.arbitrary_identifier, "ArbitraryIdentifier")?,
            unknown,
        })
    }

    pub(crate) fn write(&self, out: &mut XmlOut) {
        out.open("QualificationConfirmSearchInfo");
        out.leaf("InsurerNumber", &self.insurer_number.to_field());
        out.opt(
            "InsuredCardSymbol",
            self.insured_card_symbol.as_ref().map(PersonalText::expose),
        );
        out.leaf(
            "InsuredIdentificationNumber",
            self.insured_identification_number.expose(),
        );
        out.opt(
            "InsuredBranchNumber",
            self.insured_branch_number
                .as_ref()
                .map(PersonalText::expose),
        );
        let birth = zeroize::Zeroizing::new(yyyymmdd(&self.birthdate.expose()));
        out.leaf("Birthdate", &birth);
        out.leaf(
            "LimitApplicationCertificateRelatedConsFlg",
            if self.limit_application_consent {
                "1"
            } else {
                "0"
            },
        );
        out.opt("ArbitraryIdentifier", self.arbitrary_identifier.as_deref());
        out.unknown(&self.unknown);
        out.close("QualificationConfirmSearchInfo");
    }
}

slots! {
    RequestHeaderSlots {
        date = "QualificationConfirmationDate",
        code = "MedicalInstitutionCode",
        file_id = "ArbitraryFileIdentifier",
    }
}

slots! {
    RequestBodySlots {
        search = "QualificationConfirmSearchInfo",
    }
}

slots! {
    RootSlots {
        header = "MessageHeader",
        body = "MessageBody",
    }
}

/// Parses a request file with the default [`ParseOptions`].
#[cfg(feature = "std")]
pub fn parse_request(bytes: &[u8]) -> Result<EligibilityRequest, EligibilityError> {
    parse_request_with(bytes, &ParseOptions::default())
}

/// Parses a request file with explicit options.
#[cfg(feature = "std")]
pub fn parse_request_with(
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<EligibilityRequest, EligibilityError> {
    let text = decoded(bytes, &options.limits)?;
    let tree = Tree::parse(&text, &options.limits)?;
    let root = tree.root_named("XmlMsg")?;
    let ctx = Ctx::top(root);
    let mut unknown = UnknownElements::new();
    let r = RootSlots::collect(root, Parent::ROOT, &mut unknown)?;
    let header = r.header.ok_or(ctx.missing("MessageHeader"))?;
    let h = RequestHeaderSlots::collect(header, Parent::HEADER, &mut unknown)?;
    let hctx = ctx.block(header);
    let body = r.body.ok_or(ctx.missing("MessageBody"))?;
    let b = RequestBodySlots::collect(body, Parent::BODY, &mut unknown)?;
    let bctx = ctx.block(body);
    Ok(EligibilityRequest {
        medical_institution_code: hctx.required_parsed(
            h.code,
            "MedicalInstitutionCode",
            MedicalInstitutionCode::parse,
        )?,
        qualification_confirmation_date: hctx.date(h.date, "QualificationConfirmationDate")?,
        arbitrary_file_identifier: hctx.string(h.file_id, "ArbitraryFileIdentifier")?,
        search: SearchInfo::from_tree(
            bctx,
            b.search
                .ok_or(bctx.missing("QualificationConfirmSearchInfo"))?,
            options.check_digits,
        )?,
        unknown,
    })
}

/// A bulk request: the upload `OQSmuquc01req` (many patients' search keys) or
/// the download `OQSmuquc02req` (the 受付番号 the upload was given).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct BulkRequest {
    /// 医療機関コード (`MedicalInstitutionCode`).
    pub medical_institution_code: MedicalInstitutionCode,
    /// 資格確認日 (`QualificationConfirmationDate`).
    pub qualification_confirmation_date: Option<CalendarDate>,
    /// The client's own id for the file (`ArbitraryFileIdentifier`).
    pub arbitrary_file_identifier: Option<String>,
    /// Upload: the patients (`QualificationConfirmSearchInfo`, repeated).
    pub searches: Vec<SearchInfo>,
    /// Download: 受付番号 (`ReceptionNumber`).
    pub reception_number: Option<String>,
    /// Elements this crate does not know, as read.
    pub unknown: UnknownElements,
}

impl BulkRequest {
    /// An upload of these patients.
    pub fn upload(facility: MedicalInstitutionCode, searches: Vec<SearchInfo>) -> Self {
        Self {
            medical_institution_code: facility,
            qualification_confirmation_date: None,
            arbitrary_file_identifier: None,
            searches,
            reception_number: None,
            unknown: UnknownElements::new(),
        }
    }

    /// A download of the results of the upload given `reception_number`.
    pub fn download(facility: MedicalInstitutionCode, reception_number: &str) -> Self {
        let mut r = Self::upload(facility, Vec::new());
        r.reception_number = Some(reception_number.to_owned());
        r
    }

    /// Writes the file.
    pub fn to_xml(&self, encoding: XmlEncoding) -> Result<Vec<u8>, EligibilityError> {
        let mut out = open_request(
            encoding,
            self.qualification_confirmation_date.as_ref(),
            &self.medical_institution_code,
            self.arbitrary_file_identifier.as_deref(),
            &self.unknown,
        );
        for s in &self.searches {
            s.write(&mut out);
        }
        out.opt("ReceptionNumber", self.reception_number.as_deref());
        close_request(out, &self.unknown, encoding)
    }
}

slots! {
    BulkBodySlots {
        reception_number = "ReceptionNumber",
    }
    lists { searches = "QualificationConfirmSearchInfo" }
}

/// Parses a bulk request (upload or download).
#[cfg(feature = "std")]
pub fn parse_bulk_request(bytes: &[u8]) -> Result<BulkRequest, EligibilityError> {
    let options = ParseOptions::default();
    let text = decoded(bytes, &options.limits)?;
    let tree = Tree::parse(&text, &options.limits)?;
    let root = tree.root_named("XmlMsg")?;
    let ctx = Ctx::top(root);
    let mut unknown = UnknownElements::new();
    let r = RootSlots::collect(root, Parent::ROOT, &mut unknown)?;
    let header = r.header.ok_or(ctx.missing("MessageHeader"))?;
    let h = RequestHeaderSlots::collect(header, Parent::HEADER, &mut unknown)?;
    let hctx = ctx.block(header);
    let body = r.body.ok_or(ctx.missing("MessageBody"))?;
    let b = BulkBodySlots::collect(body, Parent::BODY, &mut unknown)?;
    let bctx = ctx.block(body);
    let mut searches = Vec::new();
    for s in b.searches {
        searches.push(SearchInfo::from_tree(bctx, s, options.check_digits)?);
    }
    Ok(BulkRequest {
        medical_institution_code: hctx.required_parsed(
            h.code,
            "MedicalInstitutionCode",
            MedicalInstitutionCode::parse,
        )?,
        qualification_confirmation_date: hctx.date(h.date, "QualificationConfirmationDate")?,
        arbitrary_file_identifier: hctx.string(h.file_id, "ArbitraryFileIdentifier")?,
        searches,
        reception_number: bctx.string(b.reception_number, "ReceptionNumber")?,
        unknown,
    })
}
