//! No-panic properties of the eligibility parsers over arbitrary bytes and over
//! mutations of the sample files; whatever parses writes back to an equal value.

use mynacard::eligibility::{
    XmlEncoding, parse_health_checkups, parse_medication, parse_request, parse_result,
};
use proptest::prelude::*;

const SAMPLES: &[&[u8]] = &[
    include_bytes!("../data/eligibility/minimal.xml"),
    include_bytes!("../data/eligibility/full_utf8.xml"),
    include_bytes!("../data/eligibility/full_sjis.xml"),
    include_bytes!("../data/eligibility/request_identifiers.xml"),
    include_bytes!("../data/eligibility/medication.xml"),
    include_bytes!("../data/eligibility/health_checkup.xml"),
];

/// Every parser on the same bytes; parsed values must survive a write + read.
fn all_parsers(data: &[u8]) {
    if let Ok(f) = parse_result(data) {
        let xml = f.to_xml(XmlEncoding::Utf8).expect("a parsed file writes");
        assert_eq!(parse_result(&xml).expect("written file parses"), f);
    }
    if let Ok(r) = parse_request(data) {
        let xml = r
            .to_xml(XmlEncoding::Utf8)
            .expect("a parsed request writes");
        assert_eq!(parse_request(&xml).expect("written request parses"), r);
    }
    if let Ok(m) = parse_medication(data) {
        assert_eq!(
            parse_medication(&m.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
            m
        );
    }
    if let Ok(c) = parse_health_checkups(data) {
        assert_eq!(
            parse_health_checkups(&c.to_xml(XmlEncoding::Utf8).unwrap()).unwrap(),
            c
        );
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
}

fn edit() -> impl Strategy<Value = Edit> {
    let markup = prop::sample::select(vec![
        b"<".to_vec(),
        b">".to_vec(),
        b"</".to_vec(),
        b"&amp;".to_vec(),
        b"&x;".to_vec(),
        b"<![CDATA[".to_vec(),
        b"<Name>".to_vec(),
        b"</Name>".to_vec(),
        b"<ResultOfQualificationConfirmation>".to_vec(),
        "試".as_bytes().to_vec(),
        vec![0x82, 0xA0],
        vec![0xFF],
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), 0usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<usize>(), markup).prop_map(|(i, m)| Edit::Insert(i, m)),
    ]
}

fn apply(mut data: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = data.len().max(1);
        match e {
            Edit::Set(i, b) => {
                if let Some(slot) = data.get_mut(i % len) {
                    *slot = *b;
                }
            }
            Edit::Delete(i, n) => {
                let start = (i % len).min(data.len());
                let end = (start + n).min(data.len());
                data.drain(start..end);
            }
            Edit::Insert(i, m) => {
                let at = (i % len).min(data.len());
                data.splice(at..at, m.iter().copied());
            }
        }
    }
    data
}

/// Replaces the text of the `n`-th text-only element (modulo their count)
/// with `text`, escaped: the document stays well-formed, values go wild.
fn replace_text(sample: &[u8], n: usize, text: &str) -> Vec<u8> {
    let s = String::from_utf8_lossy(sample).into_owned();
    let spans: Vec<(usize, usize)> = s
        .match_indices('>')
        .filter_map(|(i, _)| {
            let rest = &s[i + 1..];
            let end = rest.find('<')?;
            (rest[end..].starts_with("</") && !rest[..end].trim().is_empty())
                .then_some((i + 1, i + 1 + end))
        })
        .collect();
    if spans.is_empty() {
        return sample.to_vec();
    }
    let (a, b) = spans[n % spans.len()];
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("{}{}{}", &s[..a], escaped, &s[b..]).into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        all_parsers(&data);
    }

    #[test]
    fn mutated_samples_never_panic(
        which in 0..SAMPLES.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let data = apply(SAMPLES[which].to_vec(), &edits);
        all_parsers(&data);
    }

    #[test]
    fn wild_element_values_never_panic_and_round_trip(
        which in 0..SAMPLES.len(),
        changes in prop::collection::vec(
            (any::<usize>(), prop_oneof![
                "\\PC{0,16}",
                "[0-9]{0,15}",
                "[ \t\r\n0-9A-Z&<>]{0,8}",
            ]),
            1..4,
        ),
    ) {
        // Shift_JIS samples are edited as text after a UTF-8 round.
        let mut data = SAMPLES[which].to_vec();
        if std::str::from_utf8(&data).is_err() {
            data = include_bytes!("../data/eligibility/full_utf8.xml").to_vec();
        }
        for (n, text) in &changes {
            data = replace_text(&data, *n, text);
        }
        all_parsers(&data);
    }
}
