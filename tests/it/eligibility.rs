//! Eligibility files in the real terminal's shapes: the fact sheet's sample,
//! files the project writes in the real shapes (every block, 医療扶助, both
//! 特定疾病 shapes, unknown elements), Shift_JIS, requests as real clients write
//! them, face files, the real public samples (read from `../shared` when
//! present), views, sample results for the test holders, hostile XML.

use crate::common::reception::facility;
use mynacard::eligibility::*;

const MINIMAL: &[u8] = include_bytes!("../data/eligibility/minimal.xml");
const MINIMAL_SJIS: &[u8] = include_bytes!("../data/eligibility/minimal_sjis_no_declaration.xml");
const FULL: &[u8] = include_bytes!("../data/eligibility/full_utf8.xml");
const FULL_SJIS: &[u8] = include_bytes!("../data/eligibility/full_sjis.xml");
const REQUEST_IDS: &[u8] = include_bytes!("../data/eligibility/request_identifiers.xml");
const HOLDERS: &str = include_str!("../../crates/mynacard-virtual-card/data/holders.tsv");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/onshi-samples/");

fn d(s: &str) -> CalendarDate {
    CalendarDate::parse_yyyymmdd(s.as_bytes()).unwrap()
}

fn t(s: &str) -> DateTime {
    DateTime::parse_compact(s).unwrap()
}

fn p(o: &Option<PersonalText>) -> Option<&str> {
    o.as_ref().map(PersonalText::expose)
}

fn replace(src: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = std::str::from_utf8(src).unwrap();
    assert!(s.contains(from), "{from:?} not in the file");
    s.replacen(from, to, 1).into_bytes()
}

fn shared(name: &str) -> Option<Vec<u8>> {
    match std::fs::read(format!("{SAMPLES}{name}")) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipped: ../shared absent ({name})");
            None
        }
    }
}

#[test]
fn fact_sheet_minimal_file() {
    let f = parse_result(MINIMAL).unwrap();
    assert_eq!(f.header.medical_institution_code.as_str(), "0110012345");
    assert_eq!(f.header.segment_of_result, SegmentOfResult::Completed);
    let body = f.body.unwrap();
    let [r] = body.results.as_slice() else {
        panic!("one result expected")
    };
    assert_eq!(r.name.expose(), "試験患者");
    assert_eq!(r.birthdate.expose(), d("20000101"));
    let insurer = r.insurer_number.as_ref().unwrap();
    assert_eq!(insurer.as_str(), "12345678");
    assert!(!insurer.check_digit_matches());
    assert_eq!(p(&r.insured_identification_number), Some("001"));
    let mut strict = ParseOptions::default();
    strict.check_digits = CheckDigitPolicy::Enforce;
    assert!(matches!(
        parse_result_with(MINIMAL, &strict),
        Err(EligibilityError::InvalidValue {
            element: "InsurerNumber",
            record: Some(0),
            ..
        })
    ));
}

#[test]
fn shift_jis_identified_only_by_character_code_identifier() {
    let a = parse_result(MINIMAL_SJIS).unwrap();
    assert_eq!(a.body.unwrap().results[0].name.expose(), "試験患者");
}

#[test]
fn encoding_order_bom_declaration_valid_utf8_then_character_code() {
    let utf8 = String::from_utf8(MINIMAL.to_vec()).unwrap();
    // A UTF-8 file that says CharacterCodeIdentifier 1 (or 2) is still UTF-8:
    // the code never overrides bytes that decode cleanly.
    for code in ["1", "2"] {
        let s = utf8.replace(
            "<SegmentOfResult>",
            &format!("<CharacterCodeIdentifier>{code}</CharacterCodeIdentifier><SegmentOfResult>"),
        );
        let f = parse_result(s.as_bytes()).unwrap();
        assert_eq!(f.body.unwrap().results[0].name.expose(), "試験患者");
    }
    // Shift_JIS bytes (not valid UTF-8) with either code: Shift_JIS.
    for code in ["1", "2"] {
        let s = utf8.replace(
            "<SegmentOfResult>",
            &format!("<CharacterCodeIdentifier>{code}</CharacterCodeIdentifier><SegmentOfResult>"),
        );
        let sjis = encoding_rs::SHIFT_JIS.encode(&s).0.into_owned();
        let f = parse_result(&sjis).unwrap();
        assert_eq!(f.body.unwrap().results[0].name.expose(), "試験患者");
    }
    // A declaration wins over the code; a BOM wins over the declaration.
    let declared = format!("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>{utf8}");
    let sjis = encoding_rs::SHIFT_JIS.encode(&declared).0.into_owned();
    assert!(parse_result(&sjis).is_ok());
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(MINIMAL);
    assert!(parse_result(&bom).is_ok());
}

#[test]
fn full_file_every_block_in_the_real_shapes() {
    let f = parse_result(FULL).unwrap();
    let h = &f.header;
    assert_eq!(
        h.arbitrary_file_identifier.as_deref(),
        Some("REQ-2026-0001")
    );
    assert_eq!(h.process_execution_time, Some(t("20260115093000")));
    assert_eq!(h.character_code, Some(CharacterCode::Utf8));
    let body = f.body.as_ref().unwrap();
    assert_eq!(
        body.qualification_validity,
        Some(QualificationValidity::Multiple)
    );
    assert_eq!(
        body.prescription_issue,
        Some(PrescriptionIssueSelect::Paper)
    );
    let [r, assistance] = body.results.as_slice() else {
        panic!("two records")
    };
    assert_eq!(r.insurer_number.as_ref().unwrap().as_str(), "39131156");
    assert_eq!(p(&r.name_of_other), Some("鈴木　一朗"));
    assert_eq!(
        r.contribution_ratio.map(|b| b.to_string()).as_deref(),
        Some("1割")
    );
    let e = r.elderly_recipient.as_ref().unwrap();
    assert_eq!(e.contribution_ratio, BurdenRatio::from_percent(20));
    let l = r.limit_application_certificate.as_ref().unwrap();
    assert_eq!(l.category, Some(LimitCategory::LowIncome1));
    assert_eq!(l.long_term_date, Some(d("20251001")));
    assert_eq!(
        r.limit_application_certificate_changed,
        Some(LimitCertificateChanged::Unchanged)
    );
    // 特定疾病: both certificates of the list, an unknown category kept.
    assert_eq!(r.specific_diseases.len(), 2);
    assert_eq!(
        r.specific_diseases[0].disease,
        SpecificDisease::ChronicRenalFailureDialysis
    );
    assert_eq!(r.specific_diseases[0].self_pay_limit, Some(10000));
    assert_eq!(
        r.specific_diseases[1].disease,
        SpecificDisease::Unknown("4".into())
    );
    let c = &r.consents;
    assert_eq!(
        c.limit_application.as_ref().map(|c| c.time),
        Some(Some(t("20260115092955")))
    );
    assert_eq!(
        c.specific_diseases.as_ref().map(|c| &c.flag),
        Some(&ConsentStatus::Consented)
    );
    assert_eq!(
        c.medication.as_ref().and_then(|c| c.available_time),
        Some(t("20260115235959"))
    );
    assert_eq!(
        c.health_checkups.as_ref().map(|c| &c.flag),
        Some(&ConsentStatus::NotConsented)
    );
    assert!(c.clinical.is_some() && c.operation.is_some());
    assert_eq!(
        r.prescription_issue,
        Some(PrescriptionIssueSelect::Electronic)
    );
    assert_eq!(p(&r.reference_number), Some("P-000123"));
    assert_eq!(r.arbitrary_identifier.as_deref(), Some("karte-4711"));
    // 医療扶助: no 保険者番号 / 番号, the 公費 numbers and the 医療券 instead.
    assert!(assistance.is_medical_assistance());
    assert_eq!(assistance.insurer_number, None);
    assert_eq!(assistance.insured_identification_number, None);
    assert_eq!(
        assistance
            .public_expense_number
            .as_ref()
            .map(|n| n.law_number()),
        Some("12")
    );
    assert_eq!(
        assistance.beneficiary_number.as_ref().map(|n| n.as_str()),
        Some("1234566")
    );
    assert_eq!(
        assistance.welfare_office_name.as_deref(),
        Some("千代田区福祉事務所")
    );
    let [ticket] = assistance.medical_tickets.as_slice() else {
        panic!("one 医療券")
    };
    assert_eq!(ticket.ticket_type, Some(TicketType::MedicalTicket));
    assert_eq!(ticket.treatment_month.as_deref(), Some("202601"));
    assert_eq!(
        ticket.designated_institution_flag,
        Some(DesignatedInstitutionFlag::Matches)
    );
    assert_eq!(p(&ticket.injury_names[2]), Some("腰痛症"));
    assert_eq!(
        ticket.treatment_type,
        Some(MedicalTreatmentType::Outpatient)
    );
    assert_eq!(ticket.self_pay_amount, Some(0));
    assert_eq!(ticket.single_or_combined, Some(SingleOrCombinedUse::Single));
    assert_eq!(ticket.consistency, Some(ConsistencyFlag::Inconsistent));
    assert_eq!(ticket.elderly_medical_care, Some(Applicability::Applies));
    assert_eq!(ticket.infection_act, Some(Applicability::DoesNotApply));
    assert_eq!(p(&ticket.remarks[0]), Some("備考一"));
}

#[test]
fn unknown_elements_are_kept_reported_and_written_back() {
    let f = parse_result(FULL).unwrap();
    let unknown: Vec<(String, Option<String>)> = f
        .unknown_elements()
        .map(|u| (u.path(), u.raw_text().map(str::to_owned)))
        .collect();
    let record = "XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation";
    assert_eq!(
        unknown,
        vec![
            (
                "XmlMsg/MessageHeader/TerminalVersion".to_owned(),
                Some("9.9 (an element this crate does not know)".to_owned())
            ),
            (
                format!("{record}/DiagnosisNameConsFlg"),
                Some("1".to_owned())
            ),
            (format!("{record}/FutureBlock"), None),
        ]
    );
    let future = f.unknown_elements().last().unwrap();
    assert_eq!(
        future.raw_xml(),
        "<FutureBlock kind=\"pmh\"><Nested>kept &amp; written back</Nested></FutureBlock>"
    );
    for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        let xml = f.to_xml(enc).unwrap();
        let again = parse_result(&xml).unwrap();
        assert_eq!(again, f);
        let text = encoding_rs::SHIFT_JIS.decode(&xml).0.into_owned();
        assert!(text.contains(
            "<FutureBlock kind=\"pmh\"><Nested>kept &amp; written back</Nested></FutureBlock>"
        ));
    }
    // Unknown elements between records and inside every sub-block.
    let interleaved = replace(
        FULL,
        "      </ResultOfQualificationConfirmation>\n      <ResultOfQualificationConfirmation>",
        "      </ResultOfQualificationConfirmation>\n      <Notice>新しい要素</Notice>\n      <ResultOfQualificationConfirmation>",
    );
    let interleaved = replace(
        &interleaved,
        "<SpecificDiseasesSelfPay>10000</SpecificDiseasesSelfPay>",
        "<SpecificDiseasesSelfPay>10000</SpecificDiseasesSelfPay><PmhX>1</PmhX>",
    );
    let g = parse_result(&interleaved).unwrap();
    let paths: Vec<String> = g.unknown_elements().map(|u| u.path()).collect();
    assert!(paths.contains(&"XmlMsg/MessageBody/ResultList/Notice".to_owned()));
    assert!(paths.contains(
        &"SpecificDiseasesCertificateList/SpecificDiseasesCertificateInfo/PmhX".to_owned()
    ));
    assert_eq!(
        parse_result(&g.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
        g
    );
}

#[test]
fn specific_diseases_in_the_other_observed_shape() {
    // A repeated SpecificDiseasesCertificateList holding the fields directly.
    let other = replace(
        FULL,
        "<SpecificDiseasesCertificateList>",
        "<SpecificDiseasesCertificateList><SpecificDiseasesDiseaseCategory>2</SpecificDiseasesDiseaseCategory><SpecificDiseasesSelfPay>20000</SpecificDiseasesSelfPay></SpecificDiseasesCertificateList><SpecificDiseasesCertificateList>",
    );
    let f = parse_result(&other).unwrap();
    let r = &f.body.as_ref().unwrap().results[0];
    assert_eq!(r.specific_diseases.len(), 3);
    assert_eq!(
        r.specific_diseases[0].disease,
        SpecificDisease::CongenitalCoagulationDisorder
    );
    assert_eq!(r.specific_diseases[0].self_pay_limit, Some(20000));
    // Written back in the first shape (List/Info*), read back equal.
    let xml = f.to_xml(XmlEncoding::Utf8).unwrap();
    let text = String::from_utf8(xml.clone()).unwrap();
    assert_eq!(text.matches("<SpecificDiseasesCertificateList>").count(), 1);
    assert_eq!(text.matches("<SpecificDiseasesCertificateInfo>").count(), 3);
    assert_eq!(parse_result(&xml).unwrap(), f);
}

#[test]
fn shift_jis_and_utf8_files_read_the_same() {
    let a = parse_result(FULL).unwrap();
    let b = parse_result(FULL_SJIS).unwrap();
    assert_eq!(b.header.character_code, Some(CharacterCode::ShiftJis));
    assert_eq!(a.body, b.body);
}

#[test]
fn result_files_round_trip_in_both_encodings() {
    for src in [MINIMAL, FULL, FULL_SJIS] {
        let f = parse_result(src).unwrap();
        for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
            assert_eq!(parse_result(&f.to_xml(enc).unwrap()).unwrap(), f);
        }
    }
}

#[test]
fn missing_and_invalid_elements_are_named_with_their_position() {
    let no_name = replace(MINIMAL, "<Name>試験患者</Name>", "");
    assert!(matches!(
        parse_result(&no_name),
        Err(EligibilityError::MissingElement {
            element: "Name",
            record: Some(0),
            offset: Some(_)
        })
    ));
    let no_segment = replace(MINIMAL, "<SegmentOfResult>1</SegmentOfResult>", "");
    assert!(matches!(
        parse_result(&no_segment),
        Err(EligibilityError::MissingElement {
            element: "SegmentOfResult",
            record: None,
            ..
        })
    ));
    let bad_ratio = replace(
        FULL,
        "<InsuredPartialContributionRatio>010",
        "<InsuredPartialContributionRatio>10",
    );
    let e = parse_result(&bad_ratio).unwrap_err();
    assert!(matches!(
        e,
        EligibilityError::InvalidValue {
            element: "InsuredPartialContributionRatio",
            record: Some(0),
            offset: Some(_),
            ..
        }
    ));
    assert_eq!(e.code(), "eligibility.invalid_value");
    let twice = replace(
        MINIMAL,
        "<Name>試験患者</Name>",
        "<Name>a</Name><Name>b</Name>",
    );
    assert!(matches!(
        parse_result(&twice),
        Err(EligibilityError::Structure(ref m)) if m.contains("<Name> repeated")
    ));
    let nested = replace(MINIMAL, "<Name>試験患者</Name>", "<Name><b/></Name>");
    assert!(matches!(
        parse_result(&nested),
        Err(EligibilityError::Structure(_))
    ));
}

#[test]
fn invalid_birthdate_error_names_the_element_not_the_date() {
    let xml = replace(MINIMAL, "<Birthdate>20000101", "<Birthdate>19450231");
    let err = parse_result(&xml).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("Birthdate"), "{text}");
    assert!(text.contains("record 0"), "{text}");
    for leak in ["1945", "02", "31"] {
        assert!(!text.contains(leak), "{leak} in {text:?}");
        assert!(!format!("{err:?}").contains(leak), "{leak} in {err:?}");
    }
    // The same in a request.
    let req = replace(REQUEST_IDS, "<Birthdate>19900401", "<Birthdate>19900231");
    let err = parse_request(&req).unwrap_err();
    assert!(!err.to_string().contains("1990"), "{err}");
}

#[test]
fn an_error_answer_with_segment_of_result_9() {
    let xml = "<XmlMsg><MessageHeader><MedicalInstitutionCode>1310012345</MedicalInstitutionCode>\
        <SegmentOfResult>9</SegmentOfResult><ErrorCode>EOQS0001</ErrorCode>\
        <ErrorMessage>資格情報が見つかりません</ErrorMessage></MessageHeader></XmlMsg>";
    let f = parse_result(xml.as_bytes()).unwrap();
    assert_eq!(f.header.segment_of_result, SegmentOfResult::Abnormal);
    assert_eq!(f.header.error_code.as_deref(), Some("EOQS0001"));
    assert_eq!(f.body, None);
}

fn identifiers_request() -> EligibilityRequest {
    let mut search = SearchInfo::new(
        InsurerNumber::parse("01130012").unwrap(),
        PersonalText::new("0401"),
        BirthDate::parse_yyyymmdd("19900401").unwrap(),
    );
    search.insured_card_symbol = Some(PersonalText::new("1234"));
    search.insured_branch_number = Some(PersonalText::new("00"));
    search.arbitrary_identifier = Some("受付123".to_owned());
    EligibilityRequest::by_identifiers(facility(), search).on(d("20260115"))
}

#[test]
fn request_files_are_written_as_real_clients_write_them() {
    let written = identifiers_request().to_xml(XmlEncoding::Utf8).unwrap();
    assert_eq!(
        String::from_utf8(written).unwrap(),
        String::from_utf8(REQUEST_IDS.to_vec()).unwrap()
    );
    assert_eq!(parse_request(REQUEST_IDS).unwrap(), identifiers_request());
}

#[test]
fn six_digit_insurer_numbers_are_right_aligned_and_read_either_way() {
    let mut req = identifiers_request();
    req.search.insurer_number = InsurerNumber::parse("138016").unwrap();
    let xml = String::from_utf8(req.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
    assert!(
        xml.contains("<InsurerNumber>  138016</InsurerNumber>"),
        "{xml}"
    );
    assert_eq!(parse_request(xml.as_bytes()).unwrap(), req);
    for field in ["138016", "00138016", "  138016"] {
        let other = xml.replace("  138016", field);
        let back = parse_request(other.as_bytes()).unwrap();
        assert_eq!(back.search.insurer_number.as_str(), "138016", "{field:?}");
    }
    // A request without QualificationConfirmationDate or ArbitraryFileIdentifier
    // (ReferenceClassification is not a request element) still reads.
    let bare = xml.replace(
        "<QualificationConfirmationDate>20260115</QualificationConfirmationDate>",
        "",
    );
    assert_eq!(
        parse_request(bare.as_bytes())
            .unwrap()
            .qualification_confirmation_date,
        None
    );
}

#[test]
fn requests_round_trip_in_both_encodings() {
    let r = identifiers_request();
    for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        assert_eq!(parse_request(&r.to_xml(enc).unwrap()).unwrap(), r);
    }
    let with_unknown = replace(
        REQUEST_IDS,
        "</QualificationConfirmSearchInfo>",
        "<NewKey>x</NewKey></QualificationConfirmSearchInfo>",
    );
    let u = parse_request(&with_unknown).unwrap();
    assert_eq!(u.search.unknown.len(), 1);
    assert_eq!(
        parse_request(&u.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
        u
    );
}

#[test]
fn face_file_names_and_matching() {
    let name = FaceFileName::parse("OQSsiquc01res_face_1310012345ab01_20260115093005.xml").unwrap();
    assert_eq!(name.medical_institution_code, facility());
    let m = FaceMatch::new(facility(), VerificationMethod::Card).since(t("20260115093000"));
    assert!(m.matches_name(&name));
    let earlier = FaceFileName {
        written_at: t("20260115092959"),
        ..name.clone()
    };
    assert!(!m.matches_name(&earlier));
    let holders = holders();
    let at = t("20260115093000");
    let face = sample_face_result(
        &facility(),
        &holders[0],
        &ConsentFlags::given_at(at, true, false, true, false),
        at,
    );
    assert!(m.matches_result(&face));
}

#[test]
fn real_face_sample_parses_with_its_padded_insurer_number() {
    for name in [
        "hangilc-myclinic-ts_onshi-face-test_result.xml",
        "hangilc-myclinic-ts_cypress-fixture_onshi-kakunin.xml",
    ] {
        let Some(bytes) = shared(name) else { return };
        let f = parse_result(&bytes).unwrap();
        assert_eq!(
            f.header.reference_classification,
            Some(ReferenceClassification::MyNumberCard)
        );
        let r = &f.body.as_ref().unwrap().results[0];
        assert_eq!(r.insurer_number.as_ref().unwrap().as_str(), "123456");
        assert_eq!(p(&r.insured_card_symbol), Some("12-34"));
        assert_eq!(r.name.expose(), "診療　太郎");
        let xml = f.to_xml(XmlEncoding::Utf8).unwrap();
        let text = String::from_utf8(xml.clone()).unwrap();
        assert!(text.contains("<InsurerNumber>  123456</InsurerNumber>"));
        assert_eq!(parse_result(&xml).unwrap(), f);
    }
}

/// The terminal's JSON (照会区分 2) as the XML it mirrors: objects become
/// elements, arrays repeat their element.
fn json_to_xml(name: &str, v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in m {
                json_to_xml(k, v, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        serde_json::Value::Array(items) => {
            for item in items {
                // ResultList is an array of {ResultOfQualificationConfirmation: …}.
                json_to_xml(name, item, out);
            }
        }
        serde_json::Value::String(s) => out.push_str(&format!("<{name}>{s}</{name}>")),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

#[test]
fn real_reference_classification_2_json_converted_to_xml_parses() {
    let Some(bytes) = shared("hangilc-myclinic-ts_onshi-lib-properties-test_result.json") else {
        return;
    };
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let mut xml = String::new();
    json_to_xml("XmlMsg", &json["XmlMsg"], &mut xml);
    let f = parse_result(xml.as_bytes()).unwrap();
    assert_eq!(
        f.header.reference_classification,
        Some(ReferenceClassification::InsuranceCardInfo)
    );
    let body = f.body.as_ref().unwrap();
    let search = body.search.as_ref().unwrap();
    assert_eq!(search.insurer_number.as_str(), "01234567");
    assert!(search.limit_application_consent);
    let r = &body.results[0];
    assert_eq!(
        r.limit_application_certificate
            .as_ref()
            .and_then(|l| l.category.clone()),
        Some(LimitCategory::U)
    );
    assert_eq!(f.unknown_elements().count(), 0);
    assert_eq!(
        parse_result(&f.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
        f
    );
    let summary = r.summary().to_string();
    assert_eq!(
        summary,
        "氏名 診療　太郎 / 保険者番号 01234567 / 記号・番号・枝番 1234・1987654・01 / 負担割合 - / 有効期限 - / 限度額区分 A03 ウ"
    );
    // The JSON answer itself, not converted by the caller: the same file.
    #[cfg(feature = "serde")]
    assert_eq!(parse_result(&bytes).unwrap(), f);
}

/// Issue 26: the terminal's JSON answer (照会区分 2) is read by every parser
/// entry as it comes (no `eligibility.no_root`), with the derived values.
#[cfg(feature = "serde")]
#[test]
fn real_reference_classification_2_json_is_read_as_it_comes() {
    let Some(bytes) = shared("hangilc-myclinic-ts_onshi-lib-properties-test_result.json") else {
        return;
    };
    let f = parse_result(&bytes).unwrap();
    assert_eq!(f.check_date(), Some(d("20230304")));
    let r = &f.body.as_ref().unwrap().results[0];
    // No ratio in the sample: no effective 負担割合, said as such.
    assert_eq!(r.effective_burden_ratio(f.check_date()), None);
    let json = serde_json::to_value(&f).unwrap();
    let derived = &json["body"]["results"][0]["derived"];
    assert_eq!(derived["effective_burden"], serde_json::Value::Null);
    assert_eq!(
        derived["labels"]["limit_application_certificate.category"],
        "ウ"
    );
    assert_eq!(
        derived["labels"]["insured_card_classification"],
        "被保険者証（一般）"
    );
    assert_eq!(
        json["labels"]["header.reference_classification"],
        "被保険者証情報"
    );
    // The partial mode reads it the same.
    let p = parse_result_partial(&bytes).unwrap();
    assert_eq!((p.file, p.record_errors.len()), (f, 0));
    // A JSON answer cut short is a JSON error naming line and column.
    let e = parse_result(bytes.get(..bytes.len() / 2).unwrap()).unwrap_err();
    assert_eq!(e.code(), "eligibility.json");
    assert!(!e.to_string().contains("1987654"), "{e}");
}

/// Issue 26: on the real face file, a record with a bad element is left out
/// and named (element, position, reason — never the value) while the good
/// ones are kept; the 検証番号 status of the synthetic 保険者番号 is reported.
#[test]
fn real_face_sample_partial_mode_and_check_digits() {
    let Some(bytes) = shared("hangilc-myclinic-ts_onshi-face-test_result.xml") else {
        return;
    };
    let text = String::from_utf8(bytes).unwrap();
    let start = text.find("<ResultOfQualificationConfirmation>").unwrap();
    let end = text.find("</ResultList>").unwrap();
    let record = &text[start..end];
    let bad_birth = record.replace(
        "<Birthdate>20010327</Birthdate>",
        "<Birthdate>20010231</Birthdate>",
    );
    let three = format!(
        "{}{record}{bad_birth}{record}{}",
        &text[..start],
        &text[end..]
    );
    assert_ne!(bad_birth, record);
    assert!(parse_result(three.as_bytes()).is_err());
    let p = parse_result_partial(three.as_bytes()).unwrap();
    let results = &p.file.body.as_ref().unwrap().results;
    assert_eq!(results.len(), 2);
    assert_eq!(p.record_errors.len(), 1);
    let e = &p.record_errors[0];
    assert_eq!(
        (e.list.as_str(), e.record, e.element()),
        ("results", 1, Some("Birthdate"))
    );
    assert_eq!(e.error.code(), "eligibility.invalid_value");
    assert!(three[e.offset as usize..].starts_with("<ResultOfQualificationConfirmation>"));
    assert!(!e.error.to_string().contains("20010231"), "{}", e.error);
    // A repeated element in a record is that record's error too.
    let twice = record.replace("<Sex1>1</Sex1>", "<Sex1>1</Sex1><Sex1>2</Sex1>");
    let doc = format!("{}{twice}{record}{}", &text[..start], &text[end..]);
    let p = parse_result_partial(doc.as_bytes()).unwrap();
    assert_eq!(
        (p.file.body.unwrap().results.len(), p.record_errors.len()),
        (1, 1)
    );
    // The synthetic 国保 number `123456` (README: its check digit need not hold).
    let f = parse_result(text.as_bytes()).unwrap();
    let r = &f.body.as_ref().unwrap().results[0];
    // 1+4+6+2+2 (weights 2,1,2,1,2; digits of products summed) = 15 → 5, not the 6 it
    // ends with: kept (CheckDigitPolicy::Record) and reported invalid.
    assert_eq!(check_digit(b"12345"), 5);
    assert_eq!(
        r.check_digits().insurer_number,
        Some(CheckDigitStatus::Invalid)
    );
    assert_eq!(r.check_digits().public_expense_number, None);
}

#[test]
fn receptionist_summary_of_a_record() {
    let f = parse_result(FULL).unwrap();
    let r = &f.body.as_ref().unwrap().results[0];
    assert_eq!(
        r.summary().to_string(),
        "氏名 鈴木　一郎 / 保険者番号 39131156 / 記号・番号・枝番 東京 あ・00123456・01 / 負担割合 2割 / 有効期限 2026-07-31 / 限度額区分 B06 低所得Ⅰ"
    );
    assert!(!format!("{:?}", r.summary()).contains("鈴木"));
    let a = &f.body.as_ref().unwrap().results[1];
    assert!(a.summary().to_string().contains("保険者番号 12136016"));
}

fn holders() -> Vec<SamplePatient> {
    HOLDERS
        .lines()
        .filter_map(SamplePatient::from_holders_row)
        .collect()
}

#[test]
fn sample_face_results_for_every_test_holder() {
    let holders = holders();
    assert_eq!(holders.len(), 8);
    let at = t("20260115093000");
    let all = ConsentFlags::given_at(at, true, true, true, true);
    for patient in &holders {
        let file = sample_face_result(&facility(), patient, &all, at);
        for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
            assert_eq!(parse_result(&file.to_xml(enc).unwrap()).unwrap(), file);
        }
        let r = &file.body.as_ref().unwrap().results[0];
        assert_eq!(r.name, patient.name);
        assert_eq!(r.birthdate, patient.birthdate);
        assert!(r.insurer_number.as_ref().unwrap().check_digit_matches());
    }
    // yamada (1990-04-01): 協会けんぽ東京, 3割; suzuki (1945-08-18): 後期高齢者, 1割;
    // nakamura (2019-05-01): 未就学, 2割.
    let none = ConsentFlags::given_at(at, false, false, false, false);
    let record = |i: usize| {
        sample_face_result(&facility(), &holders[i], &none, at)
            .body
            .unwrap()
            .results
            .remove(0)
    };
    let yamada = record(0);
    assert_eq!(yamada.insurer_number.as_ref().unwrap().as_str(), "01130012");
    assert_eq!(yamada.contribution_ratio, BurdenRatio::from_percent(30));
    assert_eq!(
        yamada.consents.medication,
        Some(Consent::new(ConsentStatus::NotConsented))
    );
    assert_eq!(yamada.limit_application_certificate, None);
    assert_eq!(p(&yamada.address), Some("東京都千代田区霞が関２－１－２"));
    let suzuki = record(2);
    assert_eq!(suzuki.insurer_number.as_ref().unwrap().as_str(), "39131156");
    assert_eq!(suzuki.contribution_ratio, BurdenRatio::from_percent(10));
    let nakamura = record(5);
    assert_eq!(nakamura.preschool, Some(PreschoolClassification::Preschool));
    assert_eq!(nakamura.contribution_ratio, BurdenRatio::from_percent(20));
}

#[test]
fn sample_result_by_identifiers_echoes_the_search() {
    let holders = holders();
    let at = t("20260115093000");
    let req = identifiers_request();
    let f = sample_result(&req, &holders[0], at);
    let body = f.body.as_ref().unwrap();
    assert_eq!(body.search.as_ref(), Some(&req.search));
    let r = &body.results[0];
    assert_eq!(p(&r.insured_identification_number), Some("0401"));
    assert_eq!(r.consents.medication, None);
    assert_eq!(
        f.header.reference_classification,
        Some(ReferenceClassification::InsuranceCardInfo)
    );
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
        Err(EligibilityError::UndeclaredEntity { .. })
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
        parse_health_checkups(&big),
        Err(EligibilityError::InputTooLarge {
            size: 16 * 1024 * 1024 + 1,
            limit: 16 * 1024 * 1024
        })
    );
    assert_eq!(
        parse_result(b"<Other/>"),
        Err(EligibilityError::WrongRoot { expected: "XmlMsg" })
    );
}

#[test]
fn usage_statistics_from_confirmations() {
    let confirmations: Vec<Confirmation> = [
        VerificationMethod::Card,
        VerificationMethod::InsuranceIdentifiers,
    ]
    .into_iter()
    .map(|method| Confirmation {
        facility: FacilityKind::Pharmacy,
        method,
        views: ViewsUsed {
            health_checkups: method == VerificationMethod::Card,
            medication: true,
            clinical: false,
        },
    })
    .collect();
    let m = MonthlyUsage::tally(&confirmations);
    let row = m.row(FacilityKind::Pharmacy);
    assert_eq!(
        (row.total, row.myna_card, row.smartphone, row.certificate),
        (2, 1, 0, 1)
    );
    assert_eq!(
        (
            row.health_checkup_views,
            row.medication_views,
            row.clinical_views
        ),
        (1, 2, 0)
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
    assert_eq!(r["consents"]["medication"]["time"], "2026-01-15T09:29:57");
    assert_eq!(r["contribution_ratio"]["percent"], 10);
    assert_eq!(
        r["unknown"][1]["parent"],
        "XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation"
    );
    assert_eq!(
        json["body"]["results"][1]["medical_tickets"][0]["ticket_type"],
        "01"
    );
    assert_eq!(json["header"]["segment_of_result"], "1");
    let back: ResultFile = serde_json::from_value(json).unwrap();
    assert_eq!(back, f);
    let e = parse_result(b"<Other/>").unwrap_err();
    assert_eq!(
        serde_json::to_value(&e).unwrap()["code"],
        "eligibility.wrong_root"
    );
}

/// Partial mode without ../shared: one record with an impossible birth date (2月31日) and one
/// good record — the good one is kept, the bad one reported by list, index, offset and element,
/// never its value; the whole-file parse refuses the file with the same reason.
#[test]
fn partial_mode_keeps_the_good_record_and_names_the_bad_one() {
    const TWO: &str = "<XmlMsg><MessageHeader><MedicalInstitutionCode>0110012345</MedicalInstitutionCode>\
        <SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody><ResultList>\
        <ResultOfQualificationConfirmation><Name>甲</Name><Birthdate>19900231</Birthdate>\
        </ResultOfQualificationConfirmation><ResultOfQualificationConfirmation><Name>乙</Name>\
        <Birthdate>19900201</Birthdate></ResultOfQualificationConfirmation></ResultList>\
        </MessageBody></XmlMsg>";
    assert_eq!(
        parse_result(TWO.as_bytes()).unwrap_err().code(),
        "eligibility.invalid_value"
    );
    let p = parse_result_partial(TWO.as_bytes()).unwrap();
    let results = &p.file.body.as_ref().unwrap().results;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].name.expose(), "乙");
    assert_eq!(p.record_errors.len(), 1);
    let e = &p.record_errors[0];
    assert_eq!(
        (e.list.as_str(), e.record, e.element(), e.error.code()),
        ("results", 0, Some("Birthdate"), "eligibility.invalid_value")
    );
    assert_eq!(
        e.offset,
        TWO.find("<ResultOfQualificationConfirmation>").unwrap() as u64
    );
    let shown = format!("{e:?} {}", e.error);
    assert!(
        !shown.contains("19900231") && !shown.contains('甲'),
        "{shown}"
    );
}
