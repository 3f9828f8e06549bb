//! Property tests: no byte string makes the card-file parsers panic; structured
//! mutations of valid-looking files fail with typed errors.

use mynacard::card::CvCertificate;
use mynacard::card::IntegrityRecord;
use mynacard::card::{CertAvailability, TokenInfo};
use mynacard::internal::parse_card_face;
use mynacard::internal::{parse_basic_four, parse_my_number};
use proptest::prelude::*;

/// Wraps arbitrary children under a given outer tag so the inner parsers are
/// reached, not just the outer-tag check.
fn wrapped(tag: &[u8], body: &[u8]) -> Vec<u8> {
    let mut v = tag.to_vec();
    v.extend_from_slice(&[0x82, (body.len() >> 8) as u8, body.len() as u8]);
    v.extend_from_slice(body);
    v
}

fn private_tlvs() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        (
            0x20u8..0x2Bu8,
            proptest::collection::vec(any::<u8>(), 0..40),
        ),
        0..12,
    )
    .prop_map(|items| {
        let mut out = Vec::new();
        for (t, v) in items {
            out.extend_from_slice(&[0xDF, t, v.len() as u8]);
            out.extend_from_slice(&v);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn raw_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
        let _ = parse_basic_four(&bytes);
        let _ = parse_my_number(&bytes);
        let _ = parse_card_face(&bytes);
        let _ = IntegrityRecord::parse(&bytes);
        let _ = CvCertificate::parse("EF", &bytes);
        let _ = TokenInfo::parse(&bytes);
        let _ = CertAvailability::parse(&bytes);
        let _ = mynacard::card::JpkiCertificate::parse(
            mynacard::card::JpkiCertificateKind::Auth,
            zeroize::Zeroizing::new(bytes.clone()),
        );
    }

    #[test]
    fn structured_files_never_panic(body in private_tlvs(), cut in 0usize..400) {
        for tag in [&[0xFF, 0x20][..], &[0xFF, 0x30], &[0xFF, 0x10]] {
            let mut f = wrapped(tag, &body);
            let _ = parse_basic_four(&f);
            let _ = parse_card_face(&f);
            let _ = IntegrityRecord::parse(&f);
            f.truncate(cut.min(f.len()));
            let _ = parse_basic_four(&f);
            let _ = parse_card_face(&f);
        }
        let cv = wrapped(&[0x7F, 0x21], &wrapped(&[0x5F, 0x4E], &body));
        let _ = CvCertificate::parse("EF", &cv);
    }
}

#[cfg(feature = "pcsc")]
mod pcsc {
    use mynacard::pcsc::{FeatureList, max_apdu_data_size};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reader_answers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(list) = FeatureList::parse(&bytes) {
                prop_assert_eq!(list.iter().count() * 6, bytes.len());
            }
            let _ = max_apdu_data_size(&bytes);
        }
    }
}
