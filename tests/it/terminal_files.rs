//! The req/res folder exchange with the virtual 資格確認端末: real files in a
//! temporary folder, every TEST patient shape, face files, name reuse,
//! timeout and cancellation.

use crate::common::reception::facility;
use mynacard::eligibility::*;
use mynacard::terminal::*;
use std::time::Duration;

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

// --- A hostile share (issue 22): every entry of the folders is an attacker's. ---

fn station(n: u8) -> Station {
    Station::new(n).unwrap()
}

/// Attack: a symlink planted where the writer puts its temporary file (the old
/// fixed name `.<name>.tmp`) or under the request's own name, pointing at a
/// file outside the terminal folder. `submit` never opens or truncates it.
#[cfg(unix)]
#[test]
fn a_planted_symlink_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(&dir.path().join("t")).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"untouched").unwrap();
    let name = RequestName::for_station(FilePrefix::Qualification, station(1), 1);
    std::os::unix::fs::symlink(&victim, folder.req.join(format!(".{name}.tmp"))).unwrap();
    folder.submit(&name, b"<XmlMsg/>").unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
    assert_eq!(
        std::fs::read(folder.req.join(name.to_string())).unwrap(),
        b"<XmlMsg/>"
    );
    // A link under the request's name itself: refused, not followed.
    let other = RequestName::for_station(FilePrefix::Qualification, station(1), 2);
    std::os::unix::fs::symlink(&victim, folder.req.join(other.to_string())).unwrap();
    assert!(matches!(
        folder.submit(&other, b"<XmlMsg/>"),
        Err(TerminalError::NameInUse(_))
    ));
    assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
}

/// Attack: two writers submit one name at once (300 races). Exactly one is
/// told `Ok` and the request holds exactly its bytes; the other gets
/// `NameInUse`. The publish is a hard link, which never replaces: the design,
/// not the timing, decides.
#[test]
fn two_writers_of_one_name_exactly_one_wins_with_its_own_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    for round in 0..300u64 {
        let name = RequestName::for_station(FilePrefix::Qualification, station(2), round);
        let barrier = std::sync::Barrier::new(2);
        let results: Vec<(Vec<u8>, Result<(), TerminalError>)> = std::thread::scope(|s| {
            let writers: Vec<_> = [b'A', b'B']
                .into_iter()
                .map(|who| {
                    let (folder, name, barrier) = (&folder, &name, &barrier);
                    s.spawn(move || {
                        let bytes = vec![who; 64 * 1024];
                        barrier.wait();
                        let r = folder.submit(name, &bytes);
                        (bytes, r)
                    })
                })
                .collect();
            writers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        let winners: Vec<_> = results.iter().filter(|(_, r)| r.is_ok()).collect();
        assert_eq!(winners.len(), 1, "round {round}");
        assert!(
            results
                .iter()
                .any(|(_, r)| matches!(r, Err(TerminalError::NameInUse(_)))),
            "round {round}"
        );
        let written = std::fs::read(folder.req.join(name.to_string())).unwrap();
        assert!(
            written == winners[0].0,
            "round {round}: a mix or the other's bytes"
        );
    }
    // No temporary is left behind.
    assert!(
        std::fs::read_dir(&folder.req).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.'))
    );
}

/// Attack: two workstations counting alike (the old `yyMMddHH` + serial).
/// Names of the station scheme differ between stations for every serial; two
/// writers of one station get two names from `submit_new`.
#[test]
fn request_names_of_two_workstations_never_collide() {
    let mut seen = std::collections::HashSet::new();
    for serial in [0, 1, 42, 1_000_000, 9_999_999_999] {
        for s in [0, 1, 2, 99] {
            let n = RequestName::for_station(FilePrefix::Qualification, station(s), serial);
            assert_eq!(n.suffix().len(), 12);
            assert!(seen.insert(n.to_string()), "{n}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let names: Vec<RequestName> = std::thread::scope(|s| {
        let w: Vec<_> = (0..4)
            .map(|_| {
                let folder = &folder;
                s.spawn(move || {
                    folder
                        .submit_new(FilePrefix::Qualification, station(3), b"<XmlMsg/>")
                        .unwrap()
                })
            })
            .collect();
        w.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let distinct: std::collections::HashSet<_> = names.iter().collect();
    assert_eq!(distinct.len(), 4);
    assert!(names.iter().all(|n| n.suffix().starts_with("03")));
}

/// Attack: an answer far over `max_answer` (8 MiB against 4 KiB). Refused on
/// the bytes read through the opened handle; nothing over the limit is kept.
#[test]
fn an_answer_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut folder = TerminalFolder::at(dir.path()).unwrap();
    folder.max_answer = 4096;
    let name = RequestName::for_station(FilePrefix::Qualification, station(4), 1);
    folder.submit(&name, b"<XmlMsg/>").unwrap();
    std::fs::write(
        folder.res.join(name.answer(AnswerKind::Xml)),
        vec![b' '; 8 << 20],
    )
    .unwrap();
    let e = folder
        .wait_answer(&name, Duration::from_secs(10), &Cancel::new())
        .unwrap_err();
    assert!(
        matches!(e, TerminalError::TooLarge { limit: 4096, .. }),
        "{e}"
    );
}

/// Attack: the answer is a symlink to a file outside the folder (planted, or
/// swapped in for the listed file). It is never followed: not seen as an
/// answer, and refused when it replaces the file between lookup and read.
#[cfg(unix)]
#[test]
fn an_answer_that_is_a_symlink_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(&dir.path().join("t")).unwrap();
    let secret = dir.path().join("other-patient.xml");
    std::fs::write(&secret, b"<XmlMsg>someone else</XmlMsg>").unwrap();
    let name = RequestName::for_station(FilePrefix::Qualification, station(5), 1);
    folder.submit(&name, b"<XmlMsg/>").unwrap();
    std::os::unix::fs::symlink(&secret, folder.res.join(name.answer(AnswerKind::Xml))).unwrap();
    let e = folder
        .wait_answer(&name, Duration::from_millis(200), &Cancel::new())
        .unwrap_err();
    assert_eq!(e.code(), "terminal.timed_out");
}

/// Attack: more than 10,000 junk files in `res/`. The answer is still found
/// (looked up by name), and the flood is reported: `list` and a timed-out wait
/// say `Flooded` instead of timing out silently.
#[test]
fn a_flooded_res_folder_hides_no_answer_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    for i in 0..(MAX_LISTING + 50) {
        std::fs::write(folder.res.join(format!("junk{i:05}")), b"x").unwrap();
    }
    assert!(matches!(
        TerminalFolder::list(&folder.res),
        Err(TerminalError::Flooded {
            limit: MAX_LISTING,
            ..
        })
    ));
    let _terminal = VirtualTerminal::start(folder.clone(), facility(), clock);
    let mut req = request("01130012", "0401", "19900401");
    let name = RequestName::for_station(FilePrefix::Qualification, station(6), 1);
    req.arbitrary_file_identifier = Some(name.suffix().to_owned());
    folder
        .submit(&name, &req.to_xml(XmlEncoding::Utf8).unwrap())
        .unwrap();
    let (got, file) = folder
        .wait_result(&name, &req, Duration::from_secs(20), &Cancel::new())
        .unwrap();
    assert_eq!(file.body.unwrap().results[0].name.expose(), "試験　一郎");
    folder.consume(&got).unwrap();
    let lost = RequestName::for_station(FilePrefix::Qualification, station(6), 2);
    let e = folder
        .wait_answer(&lost, Duration::from_millis(50), &Cancel::new())
        .unwrap_err();
    assert_eq!(e.code(), "terminal.flooded");
}

/// Attack: an answer in `res/` under our name that is another request's
/// (another patient, or our patient for another request). Refused by the
/// echo check, naming the element, never the value.
#[test]
fn an_answer_for_another_request_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let name = RequestName::for_station(FilePrefix::Qualification, station(7), 1);
    let mut ours = request("01130012", "0401", "19900401");
    ours.arbitrary_file_identifier = Some(name.suffix().to_owned());
    folder
        .submit(&name, &ours.to_xml(XmlEncoding::Utf8).unwrap())
        .unwrap();
    let path = folder.res.join(name.answer(AnswerKind::Xml));
    // The terminal's answer to `theirs`, planted under our answer's name.
    let planted = |theirs: &EligibilityRequest| {
        let answer = answer_qualification(
            &facility(),
            &theirs.to_xml(XmlEncoding::Utf8).unwrap(),
            clock(),
        );
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, answer.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
        folder
            .wait_result(&name, &ours, Duration::from_secs(10), &Cancel::new())
            .unwrap_err()
    };
    // Another patient's answer.
    let mut theirs = request("138016", "7001", "19600701");
    theirs.arbitrary_file_identifier = ours.arbitrary_file_identifier.clone();
    let e = planted(&theirs);
    assert_eq!(e.code(), "terminal.not_for_this_request");
    assert!(e.to_string().contains("<InsurerNumber>"), "{e}");
    assert!(!e.to_string().contains("7001"), "{e}");
    // Our patient, but the answer to another request of ours.
    let mut earlier = ours.clone();
    earlier.arbitrary_file_identifier = Some("070000000000".to_owned());
    let e = planted(&earlier);
    assert!(e.to_string().contains("ArbitraryFileIdentifier"), "{e}");
}

/// Attack: two counters wait for a face result of the same facility at the
/// same time (20 rounds). Exactly one gets each file: the claim is a rename,
/// which one counter wins and the other sees as gone.
#[test]
fn two_counters_never_get_the_same_face_result() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let terminal = VirtualTerminal::start(folder.clone(), facility(), clock);
    let row =
        "yamada\tcard\t山田　太郎\t00000\t東京都千代田区霞が関２－１－２\t0\t19900401\t1\t1\t-";
    let patient = SamplePatient::from_holders_row(row).unwrap();
    let consents = ConsentFlags::given_at(clock(), true, false, true, true);
    let wanted = FaceMatch::new(facility(), VerificationMethod::Card).since(clock());
    for round in 0..20 {
        terminal.reception_completed(&patient, &consents).unwrap();
        // The round ends when a counter got the file (the other is cancelled
        // then): the outcome does not depend on a timeout.
        let done = Cancel::new();
        let got: Vec<Option<FaceFileName>> = std::thread::scope(|s| {
            let counters: Vec<_> = (0..2)
                .map(|_| {
                    let (folder, wanted, done) = (&folder, &wanted, &done);
                    s.spawn(move || {
                        let mut watch = FaceWatch::new();
                        let r = folder.wait_face(&mut watch, wanted, Duration::from_secs(30), done);
                        r.ok().map(|(name, received, _)| {
                            folder.consume(&received).unwrap();
                            done.cancel();
                            name
                        })
                    })
                })
                .collect();
            counters.into_iter().map(|c| c.join().unwrap()).collect()
        });
        assert_eq!(got.iter().flatten().count(), 1, "round {round}: {got:?}");
    }
}

/// Attack: a face result of another patient of the same facility and time.
/// With the 照会番号 registered, the counter waiting for patient B2 does not
/// take A1's file; the counter waiting for A1 gets it.
#[test]
fn a_face_result_goes_to_the_counter_of_its_reference_number() {
    let dir = tempfile::tempdir().unwrap();
    let folder = TerminalFolder::at(dir.path()).unwrap();
    let row =
        "yamada\tcard\t山田　太郎\t00000\t東京都千代田区霞が関２－１－２\t0\t19900401\t1\t1\t-";
    let patient = SamplePatient::from_holders_row(row).unwrap();
    let consents = ConsentFlags::given_at(clock(), true, false, true, true);
    let mut file = sample_face_result(&facility(), &patient, &consents, clock());
    file.body.as_mut().unwrap().results[0].reference_number = Some(PersonalText::new("A1"));
    let name = FaceFileName {
        medical_institution_code: facility(),
        id: "0a".to_owned(),
        written_at: clock(),
    };
    TerminalFolder::write_atomically(
        &folder.face,
        &name.to_string(),
        &file.to_xml(XmlEncoding::Utf8).unwrap(),
    )
    .unwrap();
    let base = FaceMatch::new(facility(), VerificationMethod::Card).since(clock());
    let b2 = base.clone().with_reference_number(PersonalText::new("B2"));
    let e = folder
        .wait_face(
            &mut FaceWatch::new(),
            &b2,
            Duration::from_millis(200),
            &Cancel::new(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "terminal.timed_out");
    let a1 = base.with_reference_number(PersonalText::new("A1"));
    let (got, received, _) = folder
        .wait_face(
            &mut FaceWatch::new(),
            &a1,
            Duration::from_secs(5),
            &Cancel::new(),
        )
        .unwrap();
    assert_eq!(got, name);
    folder.consume(&received).unwrap();
}
