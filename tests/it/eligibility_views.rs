//! The consent-gated view answers in the single-source (OQSDrug2) shapes:
//! `YZKsiquc01res` 薬剤 + 診療 and `TKKsiquc01res` 特定健診, from files this
//! project writes itself — exact values, round trips in both encodings,
//! unknown elements kept, several months / dates / families, hostile input.

use mynacard::eligibility::*;

const MEDICATION: &[u8] = include_bytes!("../data/eligibility/medication.xml");
const CHECKUP: &[u8] = include_bytes!("../data/eligibility/health_checkup.xml");

fn p(o: &Option<PersonalText>) -> Option<&str> {
    o.as_ref().map(PersonalText::expose)
}

fn s(o: &Option<String>) -> Option<&str> {
    o.as_deref()
}

fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.contains(from), "fixture lacks {from}");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn medication_months_dates_and_families_parse_to_exact_values() {
    let m = parse_medication(MEDICATION).unwrap();
    assert!(m.header.is_success());
    let patient = m.header.patient.as_ref().unwrap();
    assert_eq!(p(&patient.name), Some("試験　花子"));
    assert_eq!(p(&patient.kana), Some("シケン　ハナコ"));
    assert_eq!(p(&patient.birth), Some("19800401"));
    assert_eq!(p(&patient.gender_code), Some("2"));
    let sources: Vec<_> = m.months.iter().map(|x| (x.source, s(&x.month))).collect();
    assert_eq!(
        sources,
        [
            (MedicationSource::Claims, Some("202510")),
            (MedicationSource::Claims, Some("202511")),
            (MedicationSource::Dispensing, Some("202511")),
            (MedicationSource::Prescription, Some("202511")),
        ]
    );
    let oct = &m.months[0];
    assert_eq!(s(&oct.institution_code), Some("1340099999"));
    assert_eq!(p(&oct.institution_name), Some("テスト薬局"));
    assert_eq!(p(&oct.prescriber_name), Some("テスト内科"));
    assert_eq!(s(&oct.own_institution), Some("2"));
    assert_eq!(s(&oct.in_out), Some("2"));
    let dates: Vec<_> = oct.days.iter().map(MedicationDay::calendar_date).collect();
    assert_eq!(
        dates,
        [
            CalendarDate::parse_yyyymmdd(b"20251006").ok(),
            CalendarDate::parse_yyyymmdd(b"20251020").ok()
        ]
    );
    let first = &oct.days[0];
    assert_eq!(s(&first.prescription_date), Some("20251006"));
    assert_eq!(first.drugs.len(), 2);
    let drug = &first.drugs[0];
    assert_eq!(s(&drug.code), Some("620000001"));
    assert_eq!(p(&drug.name), Some("テストロキサン錠６０ｍｇ"));
    assert_eq!(p(&drug.ingredient), Some("テストロキサン"));
    assert_eq!(s(&drug.quantity), Some("3"));
    assert_eq!(s(&drug.unit), Some("錠"));
    assert_eq!(s(&drug.times), Some("7"));
    assert_eq!(p(&drug.usage), Some("1日3回毎食後"));
    assert_eq!(s(&drug.usage_class), Some("21"));
    assert_eq!(s(&first.drugs[1].quantity), Some("1.5"));
    assert_eq!(p(&oct.days[1].drugs[0].special_instruction), Some("痛む時"));
    // 診療情報 of a claims date record.
    let nov = &m.months[1].days[0];
    assert!(nov.drugs.is_empty());
    let treatments: Vec<_> = nov
        .treatments
        .iter()
        .map(|t| (p(&t.name), s(&t.code), s(&t.times), s(&t.unit)))
        .collect();
    assert_eq!(
        treatments,
        [
            (Some("初診料"), Some("111000110"), Some("1"), None),
            (
                Some("末梢血液一般検査"),
                Some("160008010"),
                Some("1"),
                Some("回")
            ),
        ]
    );
    assert_eq!(s(&m.months[1].days[0].treatments[0].class), Some("11"));
    // The dispensing and prescription families.
    let cz = &m.months[2];
    assert_eq!(p(&cz.institution_name), Some("テスト薬局"));
    assert_eq!(s(&cz.days[0].prescription_date), Some("20251104"));
    assert_eq!(s(&cz.days[0].drugs[0].usage_class), Some("3"));
    assert_eq!(p(&cz.days[0].drugs[0].name), Some("テスト点眼液"));
    let sh = &m.months[3];
    assert_eq!(p(&sh.prescriber_name), Some("テスト内科"));
    assert_eq!(s(&sh.days[0].date), Some("20251104"));
    assert_eq!(p(&sh.days[0].drugs[0].usage), Some("1日4回両眼"));
    // Debug shows no personal text.
    assert!(!format!("{m:?}").contains("花子"));
    assert!(!format!("{m:?}").contains("テストロキサン"));
}

#[test]
fn views_round_trip_in_both_encodings() {
    let m = parse_medication(MEDICATION).unwrap();
    let c = parse_health_checkups(CHECKUP).unwrap();
    for enc in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        assert_eq!(parse_medication(&m.to_xml(enc).unwrap()).unwrap(), m);
        assert_eq!(parse_health_checkups(&c.to_xml(enc).unwrap()).unwrap(), c);
    }
    // A file built in code writes in the real tags.
    let mut month = MedicationMonth::new(MedicationSource::Dispensing);
    month.month = Some("202512".to_owned());
    month.days.push(MedicationDay {
        date: Some("20251201".to_owned()),
        drugs: vec![Drug {
            name: Some(PersonalText::new("テスト錠")),
            ..Drug::default()
        }],
        ..MedicationDay::default()
    });
    let built = MedicationFile {
        months: vec![month],
        ..MedicationFile::default()
    };
    let xml = String::from_utf8(built.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
    for tag in [
        "<CzDiInf>",
        "<CzDiMonthInf>",
        "<CzDiMonth>202512</CzDiMonth>",
        "<CzDiDateInfs>",
        "<CzDiDate>20251201</CzDiDate>",
        "<CzDrugInfs>",
        "<CzDrugN>テスト錠</CzDrugN>",
    ] {
        assert!(xml.contains(tag), "{tag} missing");
    }
    assert_eq!(parse_medication(xml.as_bytes()).unwrap(), built);
}

#[test]
fn unknown_elements_are_kept_reported_and_written_back() {
    let m = parse_medication(MEDICATION).unwrap();
    let paths: Vec<_> = m.unknown_elements().map(|u| u.path()).collect();
    assert_eq!(paths, ["DrugInfs/DrugInf/DrugFutureTag"]);
    let raw: Vec<_> = m.unknown_elements().map(|u| u.raw_text()).collect();
    assert_eq!(raw, [Some("新しい要素")]);
    let c = parse_health_checkups(CHECKUP).unwrap();
    let paths: Vec<_> = c.unknown_elements().map(|u| u.path()).collect();
    assert_eq!(
        paths,
        ["XmlMsg/MessageBody/SpecificHealthCheckupInfo/CheckupFutureTag"]
    );
    // Unknown elements at every level, and a MedicalInstitutionCode (not in
    // the source) in the header: all kept, written back in their block.
    let more = replace(
        MEDICATION,
        "<ResultCode>1</ResultCode>",
        "<ResultCode>1</ResultCode><MedicalInstitutionCode>1310012345</MedicalInstitutionCode>",
    );
    let more = replace(
        &more,
        "<CzDiMonth>202511</CzDiMonth>",
        "<CzDiMonth>202511</CzDiMonth><CzNew a=\"1\"><X>1</X></CzNew>",
    );
    let more = replace(&more, "<Birth>", "<Extra>秘密</Extra><Birth>");
    let m2 = parse_medication(&more).unwrap();
    let paths: Vec<_> = m2.unknown_elements().map(|u| u.path()).collect();
    assert_eq!(
        paths,
        [
            "XmlMsg/MessageHeader/MedicalInstitutionCode",
            "XmlMsg/MessageHeader/QuaInf/Extra",
            "DrugInfs/DrugInf/DrugFutureTag",
            "CzDiInf/CzDiMonthInf/CzNew",
        ]
    );
    assert!(!format!("{m2:?}").contains("秘密"));
    let written = m2.to_xml(XmlEncoding::ShiftJis).unwrap();
    assert_eq!(parse_medication(&written).unwrap(), m2);
}

#[test]
fn health_checkups_parse_to_exact_values() {
    let c = parse_health_checkups(CHECKUP).unwrap();
    let patient = c.header.patient.as_ref().unwrap();
    assert_eq!(p(&patient.name), Some("試験　太郎"));
    assert_eq!(p(&patient.kana), Some("シケン　タロウ"));
    assert_eq!(p(&patient.birth), Some("19700515"));
    assert_eq!(p(&patient.gender_code), Some("1"));
    let dates: Vec<_> = c.checkups.iter().map(|x| s(&x.effective_time)).collect();
    assert_eq!(dates, [Some("20240612"), Some("20250610")]);
    assert_eq!(
        c.checkups[1].date(),
        CalendarDate::parse_yyyymmdd(b"20250610").ok()
    );
    let coded = &c.checkups[0].items[1];
    assert_eq!(s(&coded.code), Some("9N701000000000011"));
    assert_eq!(s(&coded.name), Some("服薬１（血圧）"));
    assert_eq!(s(&coded.data_type), Some("CD"));
    assert_eq!(p(&coded.value), Some("2"));
    assert_eq!(s(&coded.oid), Some("1.2.392.200119.6.1005"));
    assert_eq!(p(&coded.value_name), Some("なし"));
    let height = &c.checkups[0].items[0];
    assert_eq!(
        (p(&height.value), s(&height.unit)),
        (Some("170.2"), Some("cm"))
    );
}

#[test]
fn error_answers_and_structure_errors_name_the_element() {
    // An error answer: ResultCode and MessageContents in the body.
    let err = b"<XmlMsg><MessageHeader/><MessageBody><ResultCode>2</ResultCode>\
        <MessageContents>Not found</MessageContents></MessageBody></XmlMsg>";
    let e = parse_health_checkups(err).unwrap();
    assert!(!e.header.is_success());
    assert_eq!(e.header.message.as_deref(), Some("Not found"));
    assert!(e.checkups.is_empty());
    // A repeated leaf names the element and its offset, never the value.
    let twice = replace(
        MEDICATION,
        "<DrugN>テスト貼付剤</DrugN>",
        "<DrugN>テスト貼付剤</DrugN><DrugN>秘密の薬</DrugN>",
    );
    match parse_medication(&twice) {
        Err(EligibilityError::Structure(msg)) => {
            assert!(msg.contains("<DrugN>") && msg.contains("offset"), "{msg}");
            assert!(!msg.contains("秘密"));
        }
        other => panic!("expected a structure error, got {other:?}"),
    }
    // A leaf holding elements.
    let nested = replace(
        MEDICATION,
        "<DiDate>20251020</DiDate>",
        "<DiDate><X/></DiDate>",
    );
    assert!(matches!(
        parse_medication(&nested),
        Err(EligibilityError::Structure(msg)) if msg.contains("<DiDate>")
    ));
}

#[test]
fn hostile_views_are_refused_with_typed_errors() {
    // Deep nesting inside a drug record: refused at the depth limit.
    let deep = format!(
        "<XmlMsg><MessageBody><MeTrMonthInf><DiDateInfs><DiDateInf><DrugInfs><DrugInf>{}",
        "<X>".repeat(100_000)
    );
    assert!(matches!(
        parse_medication(deep.as_bytes()),
        Err(EligibilityError::TooDeep { limit: 32, .. })
    ));
    // Huge counts: more drug records than the element budget.
    let mut options = ParseOptions::default();
    options.limits.max_elements = 10_000;
    let many = format!(
        "<XmlMsg><MessageBody><MeTrMonthInf><DiDateInfs><DiDateInf><DrugInfs>{}\
         </DrugInfs></DiDateInf></DiDateInfs></MeTrMonthInf></MessageBody></XmlMsg>",
        "<DrugInf><DrugN>x</DrugN></DrugInf>".repeat(20_000)
    );
    assert_eq!(
        parse_medication_with(many.as_bytes(), &options),
        Err(EligibilityError::TooManyElements { limit: 10_000 })
    );
    let items = format!(
        "<XmlMsg><MessageBody><SpecificHealthCheckupInfo>{}</SpecificHealthCheckupInfo>\
         </MessageBody></XmlMsg>",
        "<HealthCheckupResultAndQuestionInfos/>".repeat(20_000)
    );
    assert_eq!(
        parse_health_checkups_with(items.as_bytes(), &options),
        Err(EligibilityError::TooManyElements { limit: 10_000 })
    );
    // Entities and DOCTYPE.
    let xxe = br#"<!DOCTYPE XmlMsg [<!ENTITY x SYSTEM "file:///etc/passwd">]><XmlMsg/>"#;
    assert_eq!(
        parse_health_checkups(xxe),
        Err(EligibilityError::Doctype { offset: 0 })
    );
    let undeclared = replace(MEDICATION, "テスト胃薬錠", "&x;");
    assert!(matches!(
        parse_medication(&undeclared),
        Err(EligibilityError::UndeclaredEntity { .. })
    ));
}
