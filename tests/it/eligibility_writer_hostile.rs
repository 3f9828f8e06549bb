//! The eligibility writer under hostile values (issue 22): kept unknown elements
//! are exactly one well-formed element, characters XML 1.0 forbids are refused,
//! and a Shift_JIS write round-trips exactly or fails naming the field.

use crate::common::reception::facility;
use mynacard::eligibility::*;

fn at() -> DateTime {
    DateTime::parse_compact("20260115093000").unwrap()
}

fn face_file(name: &str) -> ResultFile {
    let row = format!("p\tcard\t{name}\t00000\t東京都千代田区\t0\t19900401\t1\t1\t-");
    let patient = SamplePatient::from_holders_row(&row).unwrap();
    sample_face_result(&facility(), &patient, &ConsentFlags::default(), at())
}

fn request(number: &str) -> EligibilityRequest {
    EligibilityRequest::by_identifiers(
        facility(),
        SearchInfo::new(
            InsurerNumber::parse("01130012").unwrap(),
            PersonalText::new(number),
            BirthDate::parse_yyyymmdd("19900401").unwrap(),
        ),
    )
}

/// Attack: a kept "unknown element" that closes the search block and opens a
/// second one for another patient. Refused when added; the file written holds
/// one search block.
#[test]
fn a_kept_element_that_closes_its_block_is_refused() {
    let mut req = request("0401");
    let injected = "<X/></QualificationConfirmSearchInfo><QualificationConfirmSearchInfo><InsuredIdentificationNumber>7001</InsuredIdentificationNumber>";
    let e = req.unknown.add("XmlMsg/MessageBody", injected).unwrap_err();
    assert_eq!(e.code(), "eligibility.not_writable");
    assert!(!e.to_string().contains("7001"), "{e}");
    let xml = String::from_utf8(req.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
    assert_eq!(xml.matches("<QualificationConfirmSearchInfo>").count(), 1);
}

/// The same injection through the serde form (what the C ABI and Python
/// pass in): refused on deserialise, the message naming no value.
#[cfg(feature = "serde")]
#[test]
fn a_kept_element_that_closes_its_block_is_refused_on_deserialise() {
    let mut json = serde_json::to_value(request("0401")).unwrap();
    json["unknown"] = serde_json::json!([{
        "parent": "XmlMsg/MessageBody",
        "xml": "<X/></MessageBody><MessageBody><Secret>7001</Secret>"
    }]);
    let e = serde_json::from_value::<EligibilityRequest>(json.clone()).unwrap_err();
    assert!(
        e.to_string().contains("not_writable") || e.to_string().contains("cannot write"),
        "{e}"
    );
    assert!(!e.to_string().contains("7001"), "{e}");
    json["unknown"] = serde_json::json!([{"parent": "XmlMsg/MessageBody", "xml": "<New>1</New>"}]);
    let ok: EligibilityRequest = serde_json::from_value(json).unwrap();
    assert_eq!(ok.unknown.len(), 1);
}

/// Attack: a control character in a value (written raw, the file is no longer
/// XML). Refused with the field named, in UTF-8 and Shift_JIS.
#[test]
fn a_character_xml_forbids_is_refused_naming_the_field() {
    for encoding in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        let e = request("04\u{1}01").to_xml(encoding).unwrap_err();
        assert_eq!(
            e,
            EligibilityError::NotWritable {
                field: "InsuredIdentificationNumber".to_owned(),
                reason: "a character XML 1.0 forbids",
                offset: 2
            }
        );
        assert_eq!(e.code(), "eligibility.not_writable");
        let e = face_file("試験\u{FFFF}").to_xml(encoding).unwrap_err();
        assert!(e.to_string().starts_with("cannot write <Name>"), "{e}");
    }
}

/// Attack: a Shift_JIS write that changes a value: U+2212 MINUS SIGN would be
/// read back as U+FF0D. Refused naming the field; UTF-8 writes it unchanged.
#[test]
fn a_shift_jis_write_that_would_change_a_value_is_refused() {
    for c in SHIFT_JIS_CHANGED {
        let file = face_file(&format!("試験{c}一郎"));
        let e = file.to_xml(XmlEncoding::ShiftJis).unwrap_err();
        assert_eq!(
            e,
            EligibilityError::NotWritable {
                field: "Name".to_owned(),
                reason: "a character Shift_JIS reads back as another",
                offset: 6
            }
        );
        let back = parse_result(&file.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
        assert_eq!(back, file);
    }
}

/// A character Shift_JIS lacks, in text: written as a character reference and
/// read back unchanged. In a kept element's name (where a reference would
/// break the tag): refused naming the kept element's path.
#[test]
fn a_shift_jis_write_round_trips_exactly_or_fails() {
    let file = face_file("試験😀髙");
    let back = parse_result(&file.to_xml(XmlEncoding::ShiftJis).unwrap()).unwrap();
    assert_eq!(
        back.body.as_ref().unwrap().results[0].name.expose(),
        "試験😀髙"
    );

    let mut kept = face_file("試験　一郎");
    kept.unknown
        .add("XmlMsg/MessageBody", "<新項目 属性=\"値\">値</新項目>")
        .unwrap();
    let back = parse_result(&kept.to_xml(XmlEncoding::ShiftJis).unwrap()).unwrap();
    assert_eq!(back.unknown, kept.unknown);

    let mut lacking = face_file("試験　一郎");
    lacking
        .unknown
        .add("XmlMsg/MessageBody", "<項目😀>x</項目😀>")
        .unwrap();
    let e = lacking.to_xml(XmlEncoding::ShiftJis).unwrap_err();
    assert_eq!(
        e,
        EligibilityError::NotWritable {
            field: "XmlMsg/MessageBody/項目😀".to_owned(),
            reason: "a character Shift_JIS lacks, in a kept element",
            offset: 7
        }
    );
    // UTF-8 keeps it as it was.
    let back = parse_result(&lacking.to_xml(XmlEncoding::Utf8).unwrap()).unwrap();
    assert_eq!(back.unknown, lacking.unknown);
}
