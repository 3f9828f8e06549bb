//! Issue 21 item 2: an error never repeats an input value. A malformed file is
//! exactly when personal data sits in the wrong field, so personal-looking text
//! (kanji and kana names, addresses, digit strings, dates) is put into every
//! text element of every sample eligibility file — as text, and as the markup
//! a broken file might carry (an entity, an end tag, a character reference) —
//! and no error's `Display`, `Debug` or serde JSON may contain it.

use mynacard::eligibility::{
    EligibilityError, parse_health_checkups, parse_medication, parse_request, parse_result,
};
use proptest::prelude::*;

type Parser = fn(&[u8]) -> Result<(), EligibilityError>;

fn samples() -> Vec<(&'static str, String, Parser)> {
    fn file(name: &str) -> String {
        let path = format!(
            "{}/tests/data/eligibility/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
    vec![
        ("full_utf8.xml", file("full_utf8.xml"), |b| {
            parse_result(b).map(drop)
        }),
        ("minimal.xml", file("minimal.xml"), |b| {
            parse_result(b).map(drop)
        }),
        (
            "request_identifiers.xml",
            file("request_identifiers.xml"),
            |b| parse_request(b).map(drop),
        ),
        ("medication.xml", file("medication.xml"), |b| {
            parse_medication(b).map(drop)
        }),
        ("health_checkup.xml", file("health_checkup.xml"), |b| {
            parse_health_checkups(b).map(drop)
        }),
    ]
}

/// Byte ranges of the text of every element that holds only text
/// (`<Name>text</Name>`, possibly empty).
fn leaves(doc: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = doc[i..].find('<').map(|p| p + i) {
        let rest = &doc[lt + 1..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(0);
        i = lt + 1;
        if name_len == 0 || !rest[name_len..].starts_with('>') {
            continue;
        }
        let name = &rest[..name_len];
        let start = lt + 1 + name_len + 1;
        let close = format!("</{name}>");
        if let Some(end) = doc[start..].find('<').map(|p| p + start)
            && doc[end..].starts_with(&close)
        {
            out.push((start, end, name.to_owned()));
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The ways a value can sit in a file: as text, or as the markup of a broken
/// file (quick-xml's own messages quote names and references).
fn placements(secret: &str) -> Vec<String> {
    vec![
        escape(secret),
        format!("&{secret};"),
        format!("{}</{secret}>", escape(secret)),
        format!("<{secret}>{}", escape(secret)),
        format!("<{secret}/>"),
        format!("{}<", escape(secret)),
        format!("<![CDATA[{secret}"),
    ]
}

/// Every form of `e` a caller might log or send.
fn forms(e: &EligibilityError) -> Vec<String> {
    #[allow(unused_mut)]
    let mut v = vec![e.to_string(), format!("{e:?}"), format!("{e:#?}")];
    #[cfg(feature = "serde")]
    v.push(serde_json::to_string(e).unwrap());
    v
}

fn assert_clean(what: &str, e: &EligibilityError, secrets: &[&str]) {
    for form in forms(e) {
        for s in secrets {
            assert!(
                !form.contains(s),
                "{what}: error text repeats the value {s:?}: {form}"
            );
        }
    }
}

/// Fixed personal-looking values, each of which would be caught by a field's
/// validation (a name where a code or a number belongs, digits where a date
/// belongs, a date of the wrong form…).
const PERSONAL: [&str; 9] = [
    "鈴木",
    "山田花子",
    "スズキタロウ",
    "東京都千代田区霞が関1-2-2",
    "19900401",
    "1990-04-01",
    "平成2年4月1日",
    "123456789018",
    "090-1234-5678",
];

#[test]
fn every_text_element_of_every_sample_file_with_every_personal_value() {
    let mut refused = 0usize;
    for (name, doc, parse) in samples() {
        let leaves = leaves(&doc);
        assert!(leaves.len() > 5, "{name}: {} text elements", leaves.len());
        for (start, end, element) in &leaves {
            for secret in PERSONAL {
                for placed in placements(secret) {
                    let mutated = format!("{}{placed}{}", &doc[..*start], &doc[*end..]);
                    if let Err(e) = parse(mutated.as_bytes()) {
                        refused += 1;
                        assert_clean(&format!("{name} <{element}>"), &e, &[secret]);
                    }
                }
            }
        }
    }
    // Most placements break the file: the test is not vacuous.
    assert!(refused > 1000, "only {refused} refusals");
}

#[test]
fn the_reported_case_names_the_element_and_not_the_value() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/eligibility/full_utf8.xml"
    ))
    .unwrap();
    let (start, end, _) = leaves(&doc)
        .into_iter()
        .find(|(_, _, n)| n == "InsuredPartialContributionRatio")
        .expect("the sample has the element");
    let mutated = format!("{}鈴木{}", &doc[..start], &doc[end..]);
    let e = parse_result(mutated.as_bytes()).unwrap_err();
    assert_clean("InsuredPartialContributionRatio", &e, &["鈴木"]);
    let text = e.to_string();
    assert!(text.contains("<InsuredPartialContributionRatio>"), "{text}");
    assert!(text.contains("byte offset"), "{text}");
}

#[test]
fn declared_encoding_label_is_not_repeated() {
    for label in ["鈴木太郎", "19900401", "x-suzuki"] {
        let doc = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><XmlMsg/>");
        let e = parse_result(doc.as_bytes()).unwrap_err();
        assert_clean("encoding label", &e, &[label]);
    }
}

fn kanji() -> impl Strategy<Value = String> {
    proptest::collection::vec(0x4E00u32..0x9FA0, 2..6)
        .prop_map(|v| v.into_iter().filter_map(char::from_u32).collect())
}

fn kana() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![0x3041u32..0x3097, 0x30A1u32..0x30F7], 3..8)
        .prop_map(|v| v.into_iter().filter_map(char::from_u32).collect())
}

fn name() -> impl Strategy<Value = String> {
    (kanji(), kanji()).prop_map(|(a, b)| format!("{a}\u{3000}{b}"))
}

fn address() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["東京都", "大阪府", "北海道", "沖縄県"]),
        kanji(),
        1u32..50,
        1u32..30,
    )
        .prop_map(|(p, c, a, b)| format!("{p}{c}町{a}丁目{b}番地"))
}

/// Digit strings as long as a 番号 or a phone number: long enough never to be
/// a byte offset or a record index by chance.
fn digits() -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, 8..17)
        .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

fn date() -> impl Strategy<Value = String> {
    (1900u32..2030, 1u32..13, 1u32..29, 0usize..4).prop_map(|(y, m, d, form)| match form {
        0 => format!("{y}{m:02}{d:02}"),
        1 => format!("{y}-{m:02}-{d:02}"),
        2 => format!("{y}年{m}月{d}日"),
        _ => format!("{y}/{m:02}/{d:02}"),
    })
}

fn personal() -> impl Strategy<Value = String> {
    prop_oneof![kanji(), kana(), name(), address(), digits(), date()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random personal-looking text in a random set of text elements of every
    /// sample file, in any placement: no error form contains any of it.
    #[test]
    fn random_personal_text_in_any_fields(
        values in proptest::collection::vec((any::<prop::sample::Index>(), personal(), 0usize..7), 1..5),
    ) {
        for (name, doc, parse) in samples() {
            let leaves = leaves(&doc);
            let mut chosen: Vec<(usize, usize, String)> = values
                .iter()
                .map(|(i, s, p)| {
                    let (start, end, _) = leaves[i.index(leaves.len())].clone();
                    (start, end, placements(s).swap_remove(*p))
                })
                .collect();
            chosen.sort_by_key(|c| std::cmp::Reverse(c.0));
            chosen.dedup_by_key(|c| c.0);
            let mut mutated = doc.clone();
            for (start, end, placed) in &chosen {
                mutated.replace_range(*start..*end, placed);
            }
            if let Err(e) = parse(mutated.as_bytes()) {
                let secrets: Vec<&str> = values.iter().map(|(_, s, _)| s.as_str()).collect();
                for form in forms(&e) {
                    for s in &secrets {
                        prop_assert!(!form.contains(s), "{}: {:?} in {}", name, s, form);
                    }
                }
            }
        }
    }
}
