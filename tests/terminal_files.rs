//! The req/res folder exchange with the virtual 資格確認端末: real files in a
//! temporary folder, every TEST patient shape, face files, name reuse,
//! timeout and cancellation.

use mynacard::eligibility::*;
use mynacard::terminal::*;
use std::time::Duration;

fn facility() -> MedicalInstitutionCode {
    MedicalInstitutionCode::parse("1310012345").unwrap()
}

fn clock() -> DateTime {
    DateTime::parse_compact("20260115093000").unwrap()
}

fn request(insurer: &str, number: &str, birth: &str) -> EligibilityRequest {
    let mut s = SearchInfo::new(
        InsurerNumber::parse(insurer).unwrap(),
        PersonalText::new(number),
        BirthDate::parse_yyyymmdd(birth).unwrap(),
    );
    s.limit_application_consent = true;
    EligibilityRequest::by_identifiers(facility(), s)
        .on(CalendarDate::parse_yyyymmdd(b"20260115").unwrap())
}

fn ask(folder: &TerminalFolder, serial: u64, req: &EligibilityRequest) -> (ResultFile, String) {
    let name = RequestName::numbered(FilePrefix::Qualification, serial);
    folder
        .submit(&name, &req.to_xml(XmlEncoding::Utf8).unwrap())
        .unwrap();
    let got = folder
        .wait_answer(&name, Duration::from_secs(20), &Cancel::new())
        .unwrap();
    let text = String::from_utf8(got.bytes.to_vec()).unwrap();
    let file = parse_result(&got.bytes).unwrap();
    folder.consume(&got).unwrap();
    (file, text)
}

#[test]
fn every_test_patient_shape_through_real_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let terminal = VirtualTerminal::start(folder.clone(), facility(), clock);

    let (f, _) = ask(&folder, 1, &request("01130012", "0401", "19900401"));
    let r = &f.body.as_ref().unwrap().results[0];
    assert_eq!(
        r.summary().to_string(),
        "氏名 試験　一郎 / 保険者番号 01130012 / 記号・番号・枝番 1234・0401・00 / 負担割合 3割 / 有効期限 - / 限度額区分 A03 ウ"
    );
    assert_eq!(
        f.body
            .as_ref()
            .unwrap()
            .search
            .as_ref()
            .unwrap()
            .insurer_number
            .as_str(),
        "01130012"
    );

    let (f, text) = ask(&folder, 2, &request("138016", "7001", "19600701"));
    assert!(
        text.contains("<InsurerNumber>  138016</InsurerNumber>"),
        "{text}"
    );
    assert!(text.contains("<SpecificDiseasesCertificateList>"));
    let r = &f.body.as_ref().unwrap().results[0];
    assert_eq!(
        r.specific_diseases[0].disease,
        SpecificDisease::ChronicRenalFailureDialysis
    );
    assert_eq!(r.specific_diseases[0].self_pay_limit, Some(10_000));

    let (f, _) = ask(&folder, 3, &request("01130012", "1201", "19701201"));
    let body = f.body.as_ref().unwrap();
    assert_eq!(
        body.qualification_validity,
        Some(QualificationValidity::ValidUnregistered)
    );
    let r = &body.results[0];
    assert!(r.is_medical_assistance());
    assert_eq!(r.insurer_number, None);
    assert_eq!(
        r.medical_tickets[0].treatment_month.as_deref(),
        Some("202601")
    );

    let (f, _) = ask(&folder, 4, &request("01130012", "7201", "19530601"));
    let r = &f.body.as_ref().unwrap().results[0];
    assert_eq!(
        r.summary().burden.map(|b| b.to_string()).as_deref(),
        Some("2割")
    );
    assert_eq!(
        r.limit_application_certificate
            .as_ref()
            .and_then(|l| l.category.clone()),
        Some(LimitCategory::General)
    );

    let (f, _) = ask(&folder, 5, &request("01130012", "9999", "19900401"));
    assert_eq!(f.header.segment_of_result, SegmentOfResult::Abnormal);
    assert_eq!(f.header.error_code.as_deref(), Some("EVT9999"));

    let (f, _) = ask(&folder, 6, &request("01130012", "0401", "19900402"));
    assert_eq!(
        f.body.unwrap().qualification_validity,
        Some(QualificationValidity::NoQualification)
    );
    assert_eq!(terminal.answered(), 6);
    // Consumed answers and their requests are gone; nothing else is.
    assert!(TerminalFolder::list(&folder.req).unwrap().is_empty());
    assert!(TerminalFolder::list(&folder.res).unwrap().is_empty());
}

#[test]
fn unconsumed_answers_stay_and_names_are_never_reused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let _terminal = VirtualTerminal::start(folder.clone(), facility(), clock);
    let name = RequestName::numbered(FilePrefix::Qualification, 7);
    let xml = request("01130012", "0401", "19900401")
        .to_xml(XmlEncoding::ShiftJis)
        .unwrap();
    folder.submit(&name, &xml).unwrap();
    let got = folder
        .wait_answer(&name, Duration::from_secs(20), &Cancel::new())
        .unwrap();
    assert!(parse_result(&got.bytes).is_ok());
    // Not consumed: still there, and the name cannot be used again.
    assert!(got.path.exists());
    assert!(matches!(
        folder.submit(&name, &xml),
        Err(TerminalError::NameInUse(_))
    ));
    folder.consume(&got).unwrap();
    assert!(!got.path.exists());
}

#[test]
fn waiting_times_out_and_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    // No terminal running.
    let name = RequestName::numbered(FilePrefix::Qualification, 8);
    folder.submit(&name, b"<XmlMsg/>").unwrap();
    let e = folder
        .wait_answer(&name, Duration::from_millis(100), &Cancel::new())
        .unwrap_err();
    assert_eq!(e.code(), "terminal.timed_out");
    let cancel = Cancel::new();
    cancel.cancel();
    assert!(matches!(
        folder.wait_answer(&name, Duration::from_secs(60), &cancel),
        Err(TerminalError::Cancelled)
    ));
    // The request was written atomically: no temporary file is left.
    let names: Vec<String> = std::fs::read_dir(&folder.req)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec![name.to_string()]);
}

#[test]
fn face_results_are_written_when_a_reception_completes() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let terminal = VirtualTerminal::start(folder.clone(), facility(), clock);
    let row =
        "yamada\tcard\t山田　太郎\t00000\t東京都千代田区霞が関２－１－２\t0\t19900401\t1\t1\t-";
    let patient = SamplePatient::from_holders_row(row).unwrap();
    let consents = ConsentFlags::given_at(clock(), true, false, true, true);
    let written = terminal.reception_completed(&patient, &consents).unwrap();
    let wanted = FaceMatch::new(facility(), VerificationMethod::Card).since(clock());
    let mut watch = FaceWatch::new();
    let (name, got, file) = folder
        .wait_face(&mut watch, &wanted, Duration::from_secs(20), &Cancel::new())
        .unwrap();
    assert_eq!(name, written);
    assert_eq!(parse_result(&got.bytes).unwrap(), file);
    assert!(wanted.matches_result(&file));
    let r = &file.body.as_ref().unwrap().results[0];
    assert_eq!(r.name.expose(), "山田　太郎");
    assert_eq!(r.consents, consents);
    // Reported once; a facility elsewhere does not match.
    let other = FaceMatch::new(
        MedicalInstitutionCode::parse("2710012345").unwrap(),
        VerificationMethod::Card,
    );
    assert!(!other.matches_name(&name));
    folder.consume(&got).unwrap();
}

#[test]
fn bulk_upload_then_still_processing_then_results() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let _terminal = VirtualTerminal::start(folder.clone(), facility(), clock);
    let searches = vec![
        request("01130012", "0401", "19900401").search,
        request("138016", "7001", "19600701").search,
        request("01130012", "5555", "19900401").search,
    ];
    let upload = BulkRequest::upload(facility(), searches);
    let xml = upload.to_xml(XmlEncoding::ShiftJis).unwrap();
    assert_eq!(parse_bulk_request(&xml).unwrap(), upload);
    let exchange = |serial: u64, prefix: FilePrefix, bytes: Vec<u8>| {
        let name = RequestName::numbered(prefix, serial);
        folder.submit(&name, &bytes).unwrap();
        let got = folder
            .wait_answer(&name, Duration::from_secs(20), &Cancel::new())
            .unwrap();
        let file = parse_result(&got.bytes).unwrap();
        folder.consume(&got).unwrap();
        file
    };
    let up = exchange(1, FilePrefix::BulkUpload, xml);
    let (number, time) = up.body.unwrap().reception.unwrap();
    assert_eq!(time, Some(clock()));
    let download = BulkRequest::download(facility(), &number)
        .to_xml(XmlEncoding::Utf8)
        .unwrap();
    let first = exchange(2, FilePrefix::BulkDownload, download.clone());
    assert_eq!(first.header.segment_of_result, SegmentOfResult::InProgress);
    assert_eq!(
        first.header.reception_number.as_deref(),
        Some(number.as_str())
    );
    let done = exchange(3, FilePrefix::BulkDownload, download);
    assert_eq!(done.header.segment_of_result, SegmentOfResult::Completed);
    assert_eq!(done.header.bulk_counts, Some([3, 2, 1]));
    let units = &done.body.as_ref().unwrap().bulk_units;
    assert_eq!(units.len(), 3);
    assert_eq!(units[0].results[0].name.expose(), "試験　一郎");
    assert_eq!(units[1].results[0].specific_diseases.len(), 1);
    assert_eq!(
        units[2].qualification_validity,
        Some(QualificationValidity::NoQualification)
    );
    // The bulk result round-trips through the writer.
    assert_eq!(
        parse_result(&done.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
        done
    );
}
