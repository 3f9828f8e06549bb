//! A virtual 資格確認端末 for tests and demos: a thread that watches `req/`
//! and answers from a table of TEST patients in the real files' shapes, and
//! writes face results when a reception completes at the reader.
//!
//! TEST patients (記号・番号 requests; every value fictitious):
//!
//! | 番号 | who | what the answer shows |
//! |---|---|---|
//! | `0401` | 試験　一郎, 1990-04-01, 協会けんぽ | 3割, 限度額 `A03` ウ (with consent) |
//! | `7001` | 試験　透析, 1960-07-01, 国保 `  138016` | 特定疾病 人工透析 (自己負担 10,000円), 3割 |
//! | `1201` | 試験　扶助, 1970-12-01, 医療扶助 `A1` | 公費負担者番号, 受給者番号, 医療券 |
//! | `7201` | 試験　高齢, 1953-06-01, 協会けんぽ | 高齢受給者証 2割, 限度額 `B04` 一般 |
//! | `9999` | — | `SegmentOfResult` 9 (a system error) |
//!
//! Bulk (`OQSmuquc01req` upload → 受付番号; `OQSmuquc02req` download): the
//! first download of an upload answers `SegmentOfResult` 2 (処理中, "still
//! processing"), the next ones one `BulkConfirmUnit` per patient.
//!
//! Any other number: 資格有効性 4 該当資格なし. A request that does not parse:
//! `SegmentOfResult` 9 with the parser's error code.

use super::folder::{TerminalError, TerminalFolder};
use super::names::{FilePrefix, RequestName};
use super::watch::Settle;
use crate::eligibility::codes::*;
use crate::eligibility::{
    BirthDate, BulkConfirmUnit, BurdenRatio, CalendarDate, ConsentFlags, DateTime,
    EligibilityRequest, FaceFileName, InsurerNumber, LimitApplicationCertificate,
    MedicalInstitutionCode, MedicalTicket, PersonalText, PublicExpensePayerNumber,
    PublicExpenseRecipientNumber, QualificationRecord, ResultBody, ResultFile, ResultHeader,
    SamplePatient, SpecificDiseaseCertificate, UnknownElements, XmlEncoding, parse_bulk_request,
    parse_request, sample_face_result, sample_record,
};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

/// The clock the terminal stamps its files with (tests pass a fixed one).
pub type Clock = Arc<dyn Fn() -> DateTime + Send + Sync>;

fn patient(name: &str, birth: &str) -> SamplePatient {
    SamplePatient {
        name: PersonalText::new(name),
        name_kana: None,
        birthdate: BirthDate::parse_yyyymmdd(birth)
            .unwrap_or_else(|_| BirthDate::new(crate::date::Era::Reiwa.first_day())),
        sex: SexCode::Male,
        address: Some(PersonalText::new("東京都千代田区霞が関１－２－２")),
    }
}

/// The TEST patient's record for a 番号, on `today`, if the table has one.
pub fn test_patient_record(
    number: &str,
    today: CalendarDate,
    limit: bool,
) -> Option<QualificationRecord> {
    let mut r = match number {
        "0401" => sample_record(&patient("試験　一郎", "19900401"), today, limit),
        "7001" => {
            let mut r = sample_record(&patient("試験　透析", "19600701"), today, limit);
            r.insurer_number = Some(InsurerNumber::known("138016"));
            r.insurer_name = Some("千代田区".to_owned());
            r.specific_diseases = vec![SpecificDiseaseCertificate {
                disease: SpecificDisease::ChronicRenalFailureDialysis,
                issuance_date: CalendarDate::new(2020, 4, 1).ok(),
                valid_from: CalendarDate::new(2020, 4, 1).ok(),
                valid_until: None,
                self_pay_limit: Some(10_000),
                unknown: UnknownElements::new(),
            }];
            r
        }
        "1201" => {
            let mut r = QualificationRecord::new(
                PersonalText::new("試験　扶助"),
                BirthDate::parse_yyyymmdd("19701201").ok()?,
            );
            r.insured_card_classification = Some(InsuredCardClassification::MedicalAssistance);
            r.public_expense_number = PublicExpensePayerNumber::parse("12136016").ok();
            r.beneficiary_number = PublicExpenseRecipientNumber::parse("1234566").ok();
            r.welfare_office_name = Some("千代田区福祉事務所".to_owned());
            r.qualification_date = CalendarDate::new(2024, 4, 1).ok();
            r.medical_tickets = vec![MedicalTicket {
                ticket_type: Some(TicketType::MedicalTicket),
                valid_from: CalendarDate::new(today.year(), today.month(), 1).ok(),
                treatment_month: Some(format!("{:04}{:02}", today.year(), today.month())),
                treatment_type: Some(MedicalTreatmentType::Outpatient),
                self_pay_amount: Some(0),
                single_or_combined: Some(SingleOrCombinedUse::Single),
                ..MedicalTicket::default()
            }];
            r
        }
        "7201" => sample_record(&patient("試験　高齢", "19530601"), today, limit),
        _ => return None,
    };
    if number == "0401" && limit {
        // 限度額 ウ, as the sample gives it; spelled out for the table.
        r.limit_application_certificate = Some(LimitApplicationCertificate {
            classification: LimitApplicationCertificateClassification::LimitApplication,
            category: Some(LimitCategory::U),
            issuance_date: CalendarDate::new(today.year(), 4, 1).ok(),
            valid_from: CalendarDate::new(today.year(), 4, 1).ok(),
            valid_until: None,
            long_term_date: None,
            unknown: UnknownElements::new(),
        });
    }
    if r.contribution_ratio.is_none() && !r.is_medical_assistance() {
        r.contribution_ratio = BurdenRatio::from_percent(30);
    }
    Some(r)
}

fn header(facility: &MedicalInstitutionCode, now: DateTime) -> ResultHeader {
    ResultHeader {
        medical_institution_code: facility.clone(),
        arbitrary_file_identifier: None,
        reference_classification: Some(ReferenceClassification::InsuranceCardInfo),
        process_execution_time: Some(now),
        qualification_confirmation_date: Some(now.date()),
        segment_of_result: SegmentOfResult::Completed,
        error_code: None,
        error_message: None,
        character_code: Some(CharacterCode::Utf8),
        reception_number: None,
        bulk_counts: None,
    }
}

fn error_file(
    facility: &MedicalInstitutionCode,
    now: DateTime,
    code: &str,
    message: &str,
) -> ResultFile {
    let mut h = header(facility, now);
    h.segment_of_result = SegmentOfResult::Abnormal;
    h.error_code = Some(code.to_owned());
    h.error_message = Some(message.to_owned());
    ResultFile {
        header: h,
        body: None,
        unknown: UnknownElements::new(),
    }
}

/// The terminal's answer to one 資格確認 request.
pub fn answer_qualification(
    facility: &MedicalInstitutionCode,
    request: &[u8],
    now: DateTime,
) -> ResultFile {
    let req: EligibilityRequest = match parse_request(request) {
        Ok(r) => r,
        Err(e) => return error_file(facility, now, e.code(), "要求ファイルを読めません"),
    };
    let s = &req.search;
    if s.insured_identification_number.expose() == "9999" {
        return error_file(facility, now, "EVT9999", "TEST: システムエラー");
    }
    let today = req.qualification_confirmation_date.unwrap_or(now.date());
    let (validity, results) = lookup(s, today, now);
    let mut h = header(facility, now);
    h.qualification_confirmation_date = Some(today);
    h.arbitrary_file_identifier = req.arbitrary_file_identifier.clone();
    ResultFile {
        header: h,
        body: Some(ResultBody {
            processing_result_status: Some(ProcessingResultStatus::Completed),
            processing_result_code: None,
            processing_result_message: None,
            qualification_validity: Some(validity),
            search: Some(s.clone()),
            prescription_issue: None,
            results,
            reception: None,
            bulk_units: Vec::new(),
        }),
        unknown: UnknownElements::new(),
    }
}

/// The TEST table's answer for one patient's search keys.
fn lookup(
    s: &crate::eligibility::SearchInfo,
    today: CalendarDate,
    now: DateTime,
) -> (QualificationValidity, Vec<QualificationRecord>) {
    let number = s.insured_identification_number.expose();
    let record = test_patient_record(number, today, s.limit_application_consent)
        .filter(|r| r.birthdate == s.birthdate);
    match record {
        Some(mut r) => {
            r.arbitrary_identifier = s.arbitrary_identifier.clone();
            r.consents.limit_application = Some(crate::eligibility::Consent {
                flag: if s.limit_application_consent {
                    ConsentFlag::Consented
                } else {
                    ConsentFlag::NotConsented
                },
                time: s.limit_application_consent.then_some(now),
                available_time: None,
            });
            let valid = if r.is_medical_assistance() {
                QualificationValidity::ValidUnregistered
            } else {
                QualificationValidity::Valid
            };
            (valid, vec![r])
        }
        None => (QualificationValidity::NoQualification, Vec::new()),
    }
}

/// Uploads received and how often their results were asked for.
#[derive(Default)]
struct BulkBook {
    uploads: std::collections::HashMap<String, (Vec<crate::eligibility::SearchInfo>, u32)>,
    serial: u64,
}

fn bulk_body(
    reception: Option<(String, Option<DateTime>)>,
    units: Vec<BulkConfirmUnit>,
) -> ResultBody {
    ResultBody {
        processing_result_status: None,
        processing_result_code: None,
        processing_result_message: None,
        qualification_validity: None,
        search: None,
        prescription_issue: None,
        results: Vec::new(),
        reception,
        bulk_units: units,
    }
}

impl BulkBook {
    /// `OQSmuquc01req`: a 受付番号 for the upload.
    fn upload(
        &mut self,
        facility: &MedicalInstitutionCode,
        request: &[u8],
        now: DateTime,
    ) -> ResultFile {
        let req = match parse_bulk_request(request) {
            Ok(r) if !r.searches.is_empty() => r,
            Ok(_) => return error_file(facility, now, "EVT0003", "TEST: 照会対象がありません"),
            Err(e) => return error_file(facility, now, e.code(), "要求ファイルを読めません"),
        };
        self.serial += 1;
        let number = format!("R{:011}", self.serial);
        self.uploads.insert(number.clone(), (req.searches, 0));
        let mut h = header(facility, now);
        h.reference_classification = None;
        ResultFile {
            header: h,
            body: Some(bulk_body(Some((number, Some(now))), Vec::new())),
            unknown: UnknownElements::new(),
        }
    }

    /// `OQSmuquc02req`: "still processing" the first time, then the results.
    fn download(
        &mut self,
        facility: &MedicalInstitutionCode,
        request: &[u8],
        now: DateTime,
    ) -> ResultFile {
        let req = match parse_bulk_request(request) {
            Ok(r) => r,
            Err(e) => return error_file(facility, now, e.code(), "要求ファイルを読めません"),
        };
        let number = req.reception_number.unwrap_or_default();
        let Some((searches, polls)) = self.uploads.get_mut(&number) else {
            return error_file(facility, now, "EVT0004", "TEST: 受付番号がありません");
        };
        let mut h = header(facility, now);
        h.reference_classification = None;
        h.reception_number = Some(number);
        *polls += 1;
        if *polls == 1 {
            h.segment_of_result = SegmentOfResult::InProgress;
            return ResultFile {
                header: h,
                body: None,
                unknown: UnknownElements::new(),
            };
        }
        let today = now.date();
        let units: Vec<BulkConfirmUnit> = searches
            .iter()
            .map(|s| {
                let (validity, results) = lookup(s, today, now);
                BulkConfirmUnit {
                    search: Some(s.clone()),
                    processing_result_status: Some(ProcessingResultStatus::Completed),
                    qualification_validity: Some(validity),
                    results,
                    ..BulkConfirmUnit::default()
                }
            })
            .collect();
        let total = units.len() as u64;
        let found = units.iter().filter(|u| !u.results.is_empty()).count() as u64;
        h.bulk_counts = Some([total, found, total - found]);
        ResultFile {
            header: h,
            body: Some(bulk_body(None, units)),
            unknown: UnknownElements::new(),
        }
    }
}

/// A running virtual terminal. Stops (and joins its thread) on drop.
pub struct VirtualTerminal {
    folder: TerminalFolder,
    facility: MedicalInstitutionCode,
    clock: Clock,
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicU64>,
    faces: AtomicU64,
    thread: Option<JoinHandle<()>>,
}

impl VirtualTerminal {
    /// Starts watching `folder.req`; `clock` gives the time the terminal
    /// stamps its answers with.
    pub fn start(
        folder: TerminalFolder,
        facility: MedicalInstitutionCode,
        clock: impl Fn() -> DateTime + Send + Sync + 'static,
    ) -> Self {
        let clock: Clock = Arc::new(clock);
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let (f, fac, s, a, c) = (
            folder.clone(),
            facility.clone(),
            stop.clone(),
            answered.clone(),
            clock.clone(),
        );
        let thread = std::thread::spawn(move || serve(&f, &fac, &*c, &s, &a));
        Self {
            folder,
            facility,
            clock,
            stop,
            answered,
            faces: AtomicU64::new(0),
            thread: Some(thread),
        }
    }

    /// How many requests it answered so far.
    pub fn answered(&self) -> u64 {
        self.answered.load(Ordering::SeqCst)
    }

    /// A reception completed at the reader for `patient`, who gave `consents`:
    /// writes the face result into the face folder and returns its name.
    pub fn reception_completed(
        &self,
        patient: &SamplePatient,
        consents: &ConsentFlags,
    ) -> Result<FaceFileName, TerminalError> {
        let now = (self.clock)();
        let file = sample_face_result(&self.facility, patient, consents, now);
        let serial = self.faces.fetch_add(1, Ordering::SeqCst);
        let name = FaceFileName {
            medical_institution_code: self.facility.clone(),
            id: format!("{serial:08x}"),
            written_at: now,
        };
        let xml = zeroize::Zeroizing::new(file.to_xml(XmlEncoding::Utf8).unwrap_or_default());
        TerminalFolder::write_atomically(&self.folder.face, &name.to_string(), &xml)?;
        Ok(name)
    }
}

impl core::fmt::Debug for VirtualTerminal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VirtualTerminal")
            .field("folder", &self.folder)
            .field("facility", &self.facility)
            .field("answered", &self.answered())
            .finish()
    }
}

impl Drop for VirtualTerminal {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    folder: &TerminalFolder,
    facility: &MedicalInstitutionCode,
    clock: &(dyn Fn() -> DateTime + Send + Sync),
    stop: &AtomicBool,
    answered: &AtomicU64,
) {
    let mut settle = Settle::default();
    let mut done: HashSet<String> = HashSet::new();
    let mut bulk = BulkBook::default();
    while !stop.load(Ordering::SeqCst) {
        if let Ok(listing) = TerminalFolder::list(&folder.req) {
            for name in settle.observe(&listing) {
                if done.contains(name) {
                    continue;
                }
                done.insert(name.to_owned());
                let Ok(request) = RequestName::parse(name) else {
                    continue;
                };
                let Ok(Ok(bytes)) =
                    super::fsops::read_listed(&folder.req.join(name), None, folder.max_answer)
                else {
                    continue;
                };
                let now = clock();
                let answer = match request.prefix() {
                    FilePrefix::Qualification => answer_qualification(facility, &bytes, now),
                    FilePrefix::BulkUpload => bulk.upload(facility, &bytes, now),
                    FilePrefix::BulkDownload => bulk.download(facility, &bytes, now),
                    _ => error_file(facility, now, "EVT0002", "TEST: この種別には未対応"),
                };
                let xml =
                    zeroize::Zeroizing::new(answer.to_xml(XmlEncoding::Utf8).unwrap_or_default());
                let res = request.answer(super::names::AnswerKind::Xml);
                if TerminalFolder::write_atomically(&folder.res, &res, &xml).is_ok() {
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        std::thread::sleep(folder.poll);
    }
}
