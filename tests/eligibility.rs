//! Eligibility files: the fact sheet's sample, files covering every optional
//! block, Shift_JIS, requests, views, sample results for the test holders,
//! hostile XML.

use mynacard::eligibility::codes::*;
use mynacard::eligibility::*;

const MINIMAL: &[u8] = include_bytes!("data/eligibility/minimal.xml");
const MINIMAL_SJIS: &[u8] = include_bytes!("data/eligibility/minimal_sjis_no_declaration.xml");
const FULL: &[u8] = include_bytes!("data/eligibility/full_utf8.xml");
const FULL_SJIS: &[u8] = include_bytes!("data/eligibility/full_sjis.xml");
const REQUEST_CARD: &[u8] = include_bytes!("data/eligibility/request_card.xml");
const REQUEST_IDS: &[u8] = include_bytes!("data/eligibility/request_identifiers.xml");
const MEDICATION: &[u8] = include_bytes!("data/eligibility/medication.xml");
const CHECKUP: &[u8] = include_bytes!("data/eligibility/health_checkup.xml");
const CLINICAL: &[u8] = include_bytes!("data/eligibility/clinical.xml");
const HOLDERS: &str = include_str!("../crates/mynacard-virtual-card/data/holders.tsv");

fn d(s: &str) -> Date {
    Date::parse_yyyymmdd(s).unwrap()
}

fn t(s: &str) -> DateTime {
    DateTime::parse_compact(s).unwrap()
}

fn p(o: &Option<PersonalText>) -> Option<&str> {
    o.as_ref().map(PersonalText::expose)
}

fn facility() -> MedicalInstitutionCode {
    MedicalInstitutionCode::parse("1310012345").unwrap()
}

#[test]
fn fact_sheet_minimal_file() {
    let f = parse_result(MINIMAL).unwrap();
    assert_eq!(f.header.medical_institution_code.as_str(), "0110012345");
    assert_eq!(f.header.segment_of_result, SegmentOfResult::Completed);
    assert_eq!(f.header.character_code, None);
    let body = f.body.unwrap();
    assert_eq!(
        body.processing_result_status,
        ProcessingResultStatus::Completed
    );
    assert_eq!(body.qualification_validity, None);
    let [r] = body.results.as_slice() else {
        panic!("one result expected")
    };
    assert_eq!(r.name.expose(), "試験患者");
    assert_eq!(p(&r.name_kana), Some("テスト"));
    assert_eq!(r.birthdate.expose(), d("20000101"));
    assert_eq!(r.insurer_number.as_str(), "12345678");
    assert!(!r.insurer_number.check_digit_matches());
    assert_eq!(r.insured_identification_number.expose(), "001");
    assert_eq!(p(&r.insured_branch_number), Some("00"));
    assert_eq!(r.insured_card_classification, None);
    assert!(r.public_expense.is_empty());

    let mut strict = ParseOptions::default();
    strict.check_digits = CheckDigitPolicy::Enforce;
    assert_eq!(
        parse_result_with(MINIMAL, &strict),
        Err(EligibilityError::InvalidValue {
            element: "InsurerNumber",
            record: Some(0),
            reason: ValueError::Id(IdError::CheckDigit {
                kind: IdKind::InsurerNumber,
                position: 8,
                found: 8,
                expected: 4
            })
        })
    );
}

#[test]
fn shift_jis_identified_only_by_character_code_identifier() {
    let f = parse_result(MINIMAL_SJIS).unwrap();
    assert_eq!(f.header.character_code, Some(CharacterCode::ShiftJis));
    let body = f.body.unwrap();
    assert_eq!(body.results[0].name.expose(), "試験患者");
    assert_eq!(p(&body.results[0].name_kana), Some("テスト"));
}

#[test]
fn full_file_every_optional_block() {
    let f = parse_result(FULL).unwrap();
    let h = &f.header;
    assert_eq!(
        h.arbitrary_file_identifier.as_deref(),
        Some("REQ-2026-0001")
    );
    assert_eq!(
        h.reference_classification,
        Some(ReferenceClassification::MyNumberCard)
    );
    assert_eq!(h.process_execution_time, Some(t("20260115093000")));
    assert_eq!(h.qualification_confirmation_date, Some(d("20260115")));
    assert_eq!(h.character_code, Some(CharacterCode::Utf8));
    assert_eq!(
        (h.error_code.as_ref(), h.error_message.as_ref()),
        (None, None)
    );
    let b = f.body.as_ref().unwrap();
    assert_eq!(b.processing_result_code.as_deref(), Some("0000"));
    assert_eq!(b.processing_result_message.as_deref(), Some("正常終了"));
    assert_eq!(
        b.qualification_validity,
        Some(QualificationValidity::Multiple)
    );
    assert_eq!(b.results.len(), 2);

    let r = &b.results[0];
    assert_eq!(
        r.insured_card_classification,
        Some(InsuredCardClassification::General)
    );
    assert_eq!(r.insurer_number.law_number(), Some("39"));
    assert!(r.insurer_number.check_digit_matches());
    assert_eq!(
        r.insurer_name.as_deref(),
        Some("東京都後期高齢者医療広域連合")
    );
    assert_eq!(p(&r.insured_card_symbol), Some("東京 あ"));
    assert_eq!(r.insured_identification_number.expose(), "00123456");
    assert_eq!(p(&r.insured_branch_number), Some("01"));
    assert_eq!(
        r.personal_family_classification,
        Some(PersonalFamilyClassification::Insured)
    );
    assert_eq!(p(&r.insured_name), Some("鈴木　一郎"));
    assert_eq!(r.name.expose(), "鈴木　一郎");
    assert_eq!(p(&r.name_kana), Some("ｽｽﾞｷ ｲﾁﾛｳ"));
    assert_eq!(p(&r.name_of_other), Some("鈴木　一朗"));
    assert_eq!(p(&r.name_of_other_kana), Some("ｽｽﾞｷ ｲﾁﾛｳ"));
    assert_eq!(
        (r.sex1.clone(), r.sex2.clone()),
        (Some(Sex::Male), Some(Sex::NotSet))
    );
    assert_eq!(r.birthdate.expose(), d("19450818"));
    assert_eq!(p(&r.address), Some("北海道札幌市中央区北一条西２－１"));
    assert_eq!(p(&r.post_number), Some("060-0001"));
    assert_eq!(r.issuance_date, Some(d("20250801")));
    assert_eq!(r.valid_from, Some(d("20250801")));
    assert_eq!(r.valid_until, Some(d("20260731")));
    assert_eq!(r.qualification_date, Some(d("20200818")));
    assert_eq!(r.disqualification_date, None);
    assert_eq!(r.contribution_ratio.map(|c| c.wari()), Some(Some(1)));
    assert_eq!(r.preschool, Some(PreschoolClassification::Preschool));
    assert_eq!(
        r.elderly_recipient,
        Some(ElderlyRecipientCertificate {
            issuance_date: Some(d("20250701")),
            valid_from: Some(d("20250801")),
            valid_until: Some(d("20260731")),
            contribution_ratio: BurdenRatio::from_percent(20),
        })
    );
    assert_eq!(
        r.limit_application_consent,
        Some(Consent {
            flag: ConsentFlag::Consented,
            time: Some(t("20260115092955")),
            available_time: None
        })
    );
    assert_eq!(
        r.limit_application_certificate,
        Some(LimitApplicationCertificate {
            classification: LimitApplicationCertificateClassification::LimitApplicationAndReduction,
            category: Some(LimitCategory::LowIncome1),
            issuance_date: Some(d("20250725")),
            valid_from: Some(d("20250801")),
            valid_until: Some(d("20260731")),
            long_term_date: Some(d("20251001")),
        })
    );
    assert_eq!(
        r.specific_diseases_consent,
        Some(Consent {
            flag: SpecificDiseasesConsentFlag::Consented,
            time: Some(t("20260115092956")),
            available_time: None
        })
    );
    assert_eq!(
        r.specific_diseases,
        vec![
            SpecificDiseaseCertificate {
                disease: SpecificDisease::ChronicRenalFailureDialysis,
                issuance_date: Some(d("20230401")),
                valid_from: Some(d("20230401")),
                valid_until: None,
                self_pay_limit: Some(10_000),
            },
            SpecificDiseaseCertificate {
                disease: SpecificDisease::Unknown("4".to_owned()),
                issuance_date: None,
                valid_from: None,
                valid_until: None,
                self_pay_limit: None,
            }
        ]
    );
    assert_eq!(
        r.medication_consent,
        Some(Consent {
            flag: ConsentFlag::Consented,
            time: Some(t("20260115092957")),
            available_time: Some(t("20260115235959"))
        })
    );
    assert_eq!(
        r.health_checkups_consent,
        Some(Consent::new(ConsentFlag::NotConsented))
    );
    assert_eq!(
        r.clinical_consent.as_ref().map(|c| c.time),
        Some(Some(t("20260115092958")))
    );
    assert_eq!(
        r.operation_consent.as_ref().map(|c| &c.flag),
        Some(&ConsentFlag::Consented)
    );
    assert_eq!(
        r.prescription_issue,
        Some(PrescriptionIssueSelect::Electronic)
    );
    assert_eq!(r.public_expense.len(), 2);
    let pe = &r.public_expense[0];
    assert_eq!(pe.payer_number.as_str(), "54016027");
    assert_eq!(pe.payer_number.law_number(), "54");
    assert_eq!(
        pe.recipient_number.as_ref().map(|n| n.as_str()),
        Some("1234566")
    );
    assert_eq!(
        (pe.valid_from, pe.valid_until, pe.monthly_limit),
        (Some(d("20250401")), Some(d("20260331")), Some(5000))
    );
    assert_eq!(r.public_expense[1].payer_number.law_number(), "12");
    assert_eq!(r.public_expense[1].recipient_number, None);

    let r2 = &b.results[1];
    assert_eq!(
        r2.insured_card_classification,
        Some(InsuredCardClassification::Unknown("08".to_owned()))
    );
    assert!(r2.insurer_number.is_national_health_insurance());
    assert_eq!(
        r2.personal_family_classification,
        Some(PersonalFamilyClassification::Family)
    );
    assert_eq!(r2.disqualification_date, Some(d("20250731")));
    assert_eq!(r2.reason_of_loss, Some(ReasonOfLoss::OtherInsurance));
}

#[test]
fn shift_jis_and_utf8_files_read_the_same() {
    let utf8 = parse_result(FULL).unwrap();
    let mut sjis = parse_result(FULL_SJIS).unwrap();
    assert_eq!(sjis.header.character_code, Some(CharacterCode::ShiftJis));
    // Windows-31J 0x817C, written for U+FF0D, reads back as U+FF0D.
    assert_eq!(
        p(&sjis.body.as_ref().unwrap().results[0].address),
        Some("北海道札幌市中央区北一条西２－１")
    );
    sjis.header.character_code = Some(CharacterCode::Utf8);
    assert_eq!(sjis, utf8);
}

#[test]
fn result_files_round_trip_in_both_encodings() {
    for src in [MINIMAL, FULL, FULL_SJIS] {
        let f = parse_result(src).unwrap();
        for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
            let xml = f.to_xml(enc).unwrap();
            assert_eq!(parse_result(&xml).unwrap(), f);
        }
    }
    let sjis = parse_result(FULL)
        .unwrap()
        .to_xml(XmlEncoding::ShiftJis)
        .unwrap();
    assert!(sjis.starts_with(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"yes\"?>"));
    // 鈴木 in Shift_JIS.
    assert!(sjis.windows(4).any(|w| w == [0x97, 0xE9, 0x96, 0xD8]));
    assert!(std::str::from_utf8(&sjis).is_err());
}

fn replace(src: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = std::str::from_utf8(src).unwrap();
    assert!(s.contains(from), "{from}");
    s.replacen(from, to, 1).into_bytes()
}

#[test]
fn missing_and_invalid_elements_are_named() {
    let no_name = replace(
        FULL,
        "<Name>鈴木　一郎</Name>\n        <Birthdate>19450818</Birthdate>\n        <InsuredCardExpirationDate>",
        "<Birthdate>19450818</Birthdate>\n        <InsuredCardExpirationDate>",
    );
    assert_eq!(
        parse_result(&no_name),
        Err(EligibilityError::MissingElement {
            element: "Name",
            record: Some(1)
        })
    );
    let empty_number = replace(
        MINIMAL,
        "<InsurerNumber>12345678</InsurerNumber>",
        "<InsurerNumber> </InsurerNumber>",
    );
    let err = parse_result(&empty_number).unwrap_err();
    assert_eq!(
        err,
        EligibilityError::MissingElement {
            element: "InsurerNumber",
            record: Some(0)
        }
    );
    assert_eq!(
        err.to_string(),
        "missing mandatory element <InsurerNumber> in record 0"
    );
    let no_code = replace(
        MINIMAL,
        "<MedicalInstitutionCode>0110012345</MedicalInstitutionCode>",
        "",
    );
    assert_eq!(
        parse_result(&no_code),
        Err(EligibilityError::MissingElement {
            element: "MedicalInstitutionCode",
            record: None
        })
    );
    let bad_birth = replace(MINIMAL, "20000101", "20001301");
    assert_eq!(
        parse_result(&bad_birth),
        Err(EligibilityError::InvalidValue {
            element: "Birthdate",
            record: Some(0),
            reason: ValueError::Date(DateError::Month(13))
        })
    );
    let bad_limit = replace(
        FULL,
        "<LimitApplicationCertificateClassification>02</LimitApplicationCertificateClassification>",
        "",
    );
    assert_eq!(
        parse_result(&bad_limit),
        Err(EligibilityError::MissingElement {
            element: "LimitApplicationCertificateClassification",
            record: Some(0)
        })
    );
    let time_without_flag = replace(
        FULL,
        "<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>",
        "",
    );
    assert_eq!(
        parse_result(&time_without_flag),
        Err(EligibilityError::MissingElement {
            element: "PharmacistsInfoConsFlg",
            record: Some(0)
        })
    );
    let bad_payer = replace(
        FULL,
        "<PublicExpensePayerNumber>12136016",
        "<PublicExpensePayerNumber>1213601",
    );
    assert_eq!(
        parse_result(&bad_payer),
        Err(EligibilityError::InvalidValue {
            element: "PublicExpensePayerNumber",
            record: Some(0),
            reason: ValueError::Id(IdError::Length {
                kind: IdKind::PublicExpensePayerNumber,
                expected: "8",
                found: 7
            })
        })
    );
    let bad_ratio = replace(
        FULL,
        "<InsuredPartialContributionRatio>010",
        "<InsuredPartialContributionRatio>3割",
    );
    assert!(matches!(
        parse_result(&bad_ratio),
        Err(EligibilityError::InvalidValue {
            element: "InsuredPartialContributionRatio",
            record: Some(0),
            reason: ValueError::Number { .. }
        })
    ));
    let twice = replace(
        MINIMAL,
        "<Name>試験患者</Name>",
        "<Name>試験患者</Name><Name>別名</Name>",
    );
    assert!(matches!(
        parse_result(&twice),
        Err(EligibilityError::Structure(_))
    ));
    let no_status = replace(
        MINIMAL,
        "<ProcessingResultStatus>1</ProcessingResultStatus>",
        "",
    );
    assert_eq!(
        parse_result(&no_status),
        Err(EligibilityError::MissingElement {
            element: "ProcessingResultStatus",
            record: None
        })
    );
}

#[test]
fn an_error_answer_without_body() {
    let xml = "<XmlMsg><MessageHeader><MedicalInstitutionCode>0110012345</MedicalInstitutionCode>\
        <SegmentOfResult>9</SegmentOfResult><ErrorCode>EQ0001</ErrorCode>\
        <ErrorMessage>資格確認端末でエラーが発生しました</ErrorMessage></MessageHeader></XmlMsg>";
    let f = parse_result(xml.as_bytes()).unwrap();
    assert_eq!(f.header.segment_of_result, SegmentOfResult::Abnormal);
    assert_eq!(f.header.error_code.as_deref(), Some("EQ0001"));
    assert_eq!(
        f.header.error_message.as_deref(),
        Some("資格確認端末でエラーが発生しました")
    );
    assert_eq!(f.body, None);
}

fn card_request() -> EligibilityRequest {
    let mut r = EligibilityRequest::verified(
        facility(),
        VerificationMethod::Smartphone,
        Consents {
            medication: true,
            clinical: false,
            health_checkups: true,
            limit_application: true,
        },
    )
    .unwrap();
    r.arbitrary_file_identifier = Some("REQ-2026-0001".to_owned());
    r
}

fn identifiers_request() -> EligibilityRequest {
    EligibilityRequest::by_identifiers(
        facility(),
        SearchInfo {
            insurer_number: InsurerNumber::parse("01130012").unwrap(),
            insured_card_symbol: Some(PersonalText::new("1234")),
            insured_identification_number: PersonalText::new("0401"),
            insured_branch_number: Some(PersonalText::new("00")),
            birthdate: BirthDate::parse_yyyymmdd("19900401").unwrap(),
            limit_application_consent: false,
            arbitrary_identifier: Some("受付123".to_owned()),
        },
    )
}

#[test]
fn request_files_are_written_exactly() {
    let card = card_request();
    assert_eq!(card.method(), VerificationMethod::Smartphone);
    assert_eq!(
        String::from_utf8(card.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
        std::str::from_utf8(REQUEST_CARD).unwrap()
    );
    let ids = identifiers_request();
    assert_eq!(ids.method(), VerificationMethod::InsuranceIdentifiers);
    assert_eq!(
        String::from_utf8(ids.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
        std::str::from_utf8(REQUEST_IDS).unwrap()
    );
    assert_eq!(
        EligibilityRequest::verified(
            facility(),
            VerificationMethod::InsuranceIdentifiers,
            Consents::ALL
        ),
        None
    );
}

/// The element paths of a document, in order (leaves only).
fn leaf_paths(xml: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut had_child = Vec::new();
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).unwrap() {
            Event::Start(e) => {
                if let Some(last) = had_child.last_mut() {
                    *last = true;
                }
                stack.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                had_child.push(false);
            }
            Event::End(_) => {
                if !had_child.pop().unwrap() {
                    out.push(stack.join("/"));
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[test]
fn request_xml_has_the_fact_sheet_structure() {
    assert_eq!(
        leaf_paths(&identifiers_request().to_xml(XmlEncoding::ShiftJis).unwrap()),
        [
            "XmlMsg/MessageHeader/MedicalInstitutionCode",
            "XmlMsg/MessageHeader/ReferenceClassification",
            "XmlMsg/MessageHeader/CharacterCodeIdentifier",
            "XmlMsg/MessageBody/QualificationConfirmSearchInfo/InsurerNumber",
            "XmlMsg/MessageBody/QualificationConfirmSearchInfo/InsuredCardSymbol",
            "XmlMsg/MessageBody/QualificationConfirmSearchInfo/InsuredIdentificationNumber",
            "XmlMsg/MessageBody/QualificationConfirmSearchInfo/InsuredBranchNumber",
            "XmlMsg/MessageBody/QualificationConfirmSearchInfo/Birthdate",
            "XmlMsg/MessageBody/QualificationConfirmSearchInfo/LimitApplicationCertificateRelatedConsFlg",
            "XmlMsg/MessageBody/QualificationConfirmSearchInfo/ArbitraryIdentifier",
        ]
    );
    assert_eq!(
        leaf_paths(&card_request().to_xml(XmlEncoding::Utf8).unwrap()),
        [
            "XmlMsg/MessageHeader/MedicalInstitutionCode",
            "XmlMsg/MessageHeader/ArbitraryFileIdentifier",
            "XmlMsg/MessageHeader/ReferenceClassification",
            "XmlMsg/MessageHeader/CharacterCodeIdentifier",
            "XmlMsg/MessageBody/ConfirmationDevice",
            "XmlMsg/MessageBody/LimitApplicationCertificateRelatedConsFlg",
            "XmlMsg/MessageBody/PharmacistsInfoConsFlg",
            "XmlMsg/MessageBody/SpecificHealthCheckupsInfoConsFlg",
            "XmlMsg/MessageBody/DiagnosisInfoConsFlg",
        ]
    );
}

#[test]
fn requests_round_trip() {
    for req in [card_request(), identifiers_request()] {
        for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
            assert_eq!(parse_request(&req.to_xml(enc).unwrap()).unwrap(), req);
        }
    }
    let no_search = replace(REQUEST_IDS, "<InsurerNumber>01130012</InsurerNumber>", "");
    assert_eq!(
        parse_request(&no_search),
        Err(EligibilityError::MissingElement {
            element: "InsurerNumber",
            record: None
        })
    );
    let bad_flag = replace(
        REQUEST_CARD,
        "<PharmacistsInfoConsFlg>1<",
        "<PharmacistsInfoConsFlg>2<",
    );
    assert_eq!(
        parse_request(&bad_flag),
        Err(EligibilityError::InvalidValue {
            element: "PharmacistsInfoConsFlg",
            record: None,
            reason: ValueError::Code {
                found: "2".to_owned(),
                expected: "0 or 1"
            }
        })
    );
    // A typed-in 保険者番号 with a wrong 検証番号 is refused.
    let typo = replace(REQUEST_IDS, "01130012", "01130013");
    assert!(matches!(
        parse_request(&typo),
        Err(EligibilityError::InvalidValue {
            element: "InsurerNumber",
            reason: ValueError::Id(IdError::CheckDigit {
                position: 8,
                found: 3,
                expected: 2,
                ..
            }),
            ..
        })
    ));
}

#[test]
fn views_parse_to_exact_values_and_round_trip() {
    let m = parse_medication(MEDICATION).unwrap();
    let patient = m.patient.as_ref().unwrap();
    assert_eq!(patient.insurer_number.as_str(), "01130012");
    assert_eq!(p(&patient.name), Some("山田　太郎"));
    assert_eq!(
        patient.birthdate.as_ref().map(BirthDate::expose),
        Some(d("19900401"))
    );
    assert_eq!(
        m.records,
        vec![
            MedicationRecord {
                dispensing_date: d("20251201"),
                facility: Some("霞が関薬局".to_owned()),
                drug_name: "アムロジピン錠５ｍｇ".to_owned(),
                drug_code: Some("2171022F1ZZZ".to_owned()),
                quantity: Some("1".to_owned()),
                unit: Some("錠".to_owned()),
                dosage: Some("1日1回朝食後".to_owned()),
                days: Some(28),
            },
            MedicationRecord {
                dispensing_date: d("20251215"),
                facility: None,
                drug_name: "ロキソプロフェンＮａ錠６０ｍｇ".to_owned(),
                drug_code: None,
                quantity: Some("1.5".to_owned()),
                unit: None,
                dosage: None,
                days: None,
            }
        ]
    );
    let c = parse_health_checkups(CHECKUP).unwrap();
    assert_eq!(c.patient, None);
    assert_eq!(
        c.records,
        vec![HealthCheckupRecord {
            date: d("20250610"),
            institution: Some("霞が関健診センター".to_owned()),
            items: vec![
                CheckupItem {
                    code: Some("9N001000000000001".to_owned()),
                    name: "身長".to_owned(),
                    value: Some("171.2".to_owned()),
                    unit: Some("cm".to_owned()),
                },
                CheckupItem {
                    code: None,
                    name: "HbA1c".to_owned(),
                    value: Some("5.6".to_owned()),
                    unit: Some("%".to_owned()),
                }
            ]
        }]
    );
    let k = parse_clinical(CLINICAL).unwrap();
    assert_eq!(
        k.records,
        vec![ClinicalRecord {
            date: d("20251120"),
            facility: Some("霞が関クリニック".to_owned()),
            diagnoses: vec![CodedEntry {
                code: Some("4019002".to_owned()),
                name: "高血圧症".to_owned()
            }],
            procedures: vec![
                CodedEntry {
                    code: Some("112007410".to_owned()),
                    name: "再診料".to_owned()
                },
                CodedEntry {
                    code: None,
                    name: "外来管理加算".to_owned()
                }
            ]
        }]
    );
    for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        assert_eq!(parse_medication(&m.to_xml(enc).unwrap()).unwrap(), m);
        assert_eq!(parse_health_checkups(&c.to_xml(enc).unwrap()).unwrap(), c);
        assert_eq!(parse_clinical(&k.to_xml(enc).unwrap()).unwrap(), k);
    }
    let no_drug = replace(
        MEDICATION,
        "<DrugName>ロキソプロフェンＮａ錠６０ｍｇ</DrugName>",
        "",
    );
    assert_eq!(
        parse_medication(&no_drug),
        Err(EligibilityError::MissingElement {
            element: "DrugName",
            record: Some(1)
        })
    );
    let no_date = replace(CLINICAL, "<TreatmentDate>20251120</TreatmentDate>", "");
    assert_eq!(
        parse_clinical(&no_date),
        Err(EligibilityError::MissingElement {
            element: "TreatmentDate",
            record: Some(0)
        })
    );
}

fn holders() -> Vec<SamplePatient> {
    HOLDERS
        .lines()
        .filter_map(SamplePatient::from_holders_row)
        .collect()
}

#[test]
fn sample_results_for_every_test_holder() {
    let holders = holders();
    assert_eq!(holders.len(), 8);
    let at = t("20260115093000");
    for patient in &holders {
        for method in [VerificationMethod::Card, VerificationMethod::Smartphone] {
            let req = EligibilityRequest::verified(facility(), method, Consents::ALL).unwrap();
            let file = sample_result(&req, patient, at);
            for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
                assert_eq!(parse_result(&file.to_xml(enc).unwrap()).unwrap(), file);
            }
            let r = &file.body.as_ref().unwrap().results[0];
            assert_eq!(r.name, patient.name);
            assert_eq!(r.birthdate, patient.birthdate);
            assert!(r.insurer_number.check_digit_matches());
        }
    }
    // yamada (1990-04-01): 協会けんぽ東京, 3割; suzuki (1945-08-18): 後期高齢者, 1割;
    // nakamura (2019-05-01): 未就学, 2割.
    let req =
        EligibilityRequest::verified(facility(), VerificationMethod::Card, Consents::NONE).unwrap();
    let record = |i: usize| {
        sample_result(&req, &holders[i], at)
            .body
            .unwrap()
            .results
            .remove(0)
    };
    let yamada = record(0);
    assert_eq!(yamada.insurer_number.as_str(), "01130012");
    assert_eq!(yamada.contribution_ratio, BurdenRatio::from_percent(30));
    assert_eq!(
        yamada.medication_consent,
        Some(Consent::new(ConsentFlag::NotConsented))
    );
    assert_eq!(yamada.limit_application_certificate, None);
    assert_eq!(p(&yamada.address), Some("東京都千代田区霞が関２－１－２"));
    let suzuki = record(2);
    assert_eq!(suzuki.insurer_number.as_str(), "39131156");
    assert_eq!(suzuki.contribution_ratio, BurdenRatio::from_percent(10));
    let nakamura = record(5);
    assert_eq!(nakamura.preschool, Some(PreschoolClassification::Preschool));
    assert_eq!(nakamura.contribution_ratio, BurdenRatio::from_percent(20));
}

#[test]
fn sample_result_by_identifiers() {
    let holders = holders();
    let at = t("20260115093000");
    let req = identifiers_request();
    let f = sample_result(&req, &holders[0], at);
    let r = &f.body.as_ref().unwrap().results[0];
    assert_eq!(r.insured_identification_number.expose(), "0401");
    assert_eq!(r.medication_consent, None);
    assert_eq!(
        f.header.reference_classification,
        Some(ReferenceClassification::InsuranceCardInfo)
    );
    // Birth date of another holder: 該当資格なし.
    let none = sample_result(&req, &holders[1], at);
    let body = none.body.unwrap();
    assert_eq!(
        body.qualification_validity,
        Some(QualificationValidity::NoQualification)
    );
    assert!(body.results.is_empty());
}

#[test]
fn hostile_xml_is_refused_with_bounded_memory() {
    let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<XmlMsg><MessageHeader><MedicalInstitutionCode>&lol2;</MedicalInstitutionCode></MessageHeader></XmlMsg>"#;
    assert_eq!(
        parse_result(laughs),
        Err(EligibilityError::Doctype { offset: 22 })
    );
    let xxe = br#"<!DOCTYPE XmlMsg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><XmlMsg><MessageHeader><MedicalInstitutionCode>&xxe;</MedicalInstitutionCode></MessageHeader></XmlMsg>"#;
    assert_eq!(
        parse_medication(xxe),
        Err(EligibilityError::Doctype { offset: 0 })
    );
    let undeclared = replace(MINIMAL, "試験患者", "&xxe;");
    assert!(matches!(
        parse_result(&undeclared),
        Err(EligibilityError::UndeclaredEntity { ref name, .. }) if name == "xxe"
    ));
    // 1,000,000 levels: refused at level 33, before any allocation per level.
    let deep = "<XmlMsg>".repeat(1_000_000);
    assert_eq!(
        parse_result(deep.as_bytes()),
        Err(EligibilityError::TooDeep {
            limit: 32,
            offset: 32 * 8
        })
    );
    let huge = format!(
        "<XmlMsg><MessageHeader><ErrorMessage>{}</ErrorMessage></MessageHeader></XmlMsg>",
        "あ".repeat(3_000_000)
    );
    assert!(matches!(
        parse_result(huge.as_bytes()),
        Err(EligibilityError::TextTooLong { limit: 65536, .. })
    ));
    let big = vec![b' '; 16 * 1024 * 1024 + 1];
    assert_eq!(
        parse_clinical(&big),
        Err(EligibilityError::InputTooLarge {
            size: 16 * 1024 * 1024 + 1,
            limit: 16 * 1024 * 1024
        })
    );
    assert_eq!(
        parse_result(b"<Other/>"),
        Err(EligibilityError::WrongRoot {
            found: "Other".to_owned(),
            expected: "XmlMsg"
        })
    );
}

#[test]
fn usage_statistics_from_requests() {
    let reqs = [card_request(), identifiers_request()];
    let confirmations: Vec<Confirmation> = reqs
        .iter()
        .map(|r| {
            let c = r.consents();
            Confirmation {
                facility: FacilityKind::Pharmacy,
                method: r.method(),
                views: ViewsUsed {
                    health_checkups: c.health_checkups,
                    medication: c.medication,
                    clinical: c.clinical,
                },
            }
        })
        .collect();
    let m = MonthlyUsage::tally(&confirmations);
    let row = m.row(FacilityKind::Pharmacy);
    assert_eq!(
        (row.total, row.myna_card, row.smartphone, row.certificate),
        (2, 1, 1, 1)
    );
    assert_eq!(
        (
            row.health_checkup_views,
            row.medication_views,
            row.clinical_views
        ),
        (1, 1, 0)
    );
    assert_eq!(
        usage_rate(row.myna_card, 4).map(|r| r.per_mille()),
        Some(250)
    );
}

#[cfg(feature = "serde")]
#[test]
fn json_field_names_and_round_trip() {
    let f = parse_result(FULL).unwrap();
    let json = serde_json::to_value(&f).unwrap();
    let r = &json["body"]["results"][0];
    assert_eq!(r["insurer_number"], "39131156");
    assert_eq!(r["name"], "鈴木　一郎");
    assert_eq!(r["birthdate"], "1945-08-18");
    assert_eq!(r["insured_card_classification"], "01");
    assert_eq!(r["limit_application_certificate"]["category"], "B06");
    assert_eq!(r["medication_consent"]["time"], "2026-01-15T09:29:57");
    assert_eq!(r["contribution_ratio"]["percent"], 10);
    assert_eq!(r["public_expense"][0]["payer_number"], "54016027");
    assert_eq!(json["header"]["segment_of_result"], "1");
    let back: ResultFile = serde_json::from_value(json).unwrap();
    assert_eq!(back, f);
}

#[test]
fn unknown_elements_between_repeated_records_are_skipped() {
    let interleaved = replace(
        FULL,
        "      </ResultOfQualificationConfirmation>\n      <ResultOfQualificationConfirmation>",
        "      </ResultOfQualificationConfirmation>\n      <Notice>新しい要素</Notice>\n      <ResultOfQualificationConfirmation>",
    );
    let interleaved = replace(
        &interleaved,
        "        </SpecificDiseasesCertificateInfo>\n        <SpecificDiseasesCertificateInfo>",
        "        </SpecificDiseasesCertificateInfo>\n        <Unknown/>\n        <SpecificDiseasesCertificateInfo>",
    );
    assert_eq!(
        parse_result(&interleaved).unwrap(),
        parse_result(FULL).unwrap()
    );
}
