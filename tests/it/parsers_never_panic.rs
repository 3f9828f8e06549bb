//! Property tests: no byte string makes the response, command or TLV parsers
//! panic, and whatever parses re-encodes to the same bytes.

use mynacard::apdu::{Command, LengthForm, Response, StatusWord};
use mynacard::tlv::{Header, Reader};
use proptest::prelude::*;

fn walk(reader: Reader<'_>, depth: usize) -> usize {
    let mut n = 0;
    for item in reader {
        match item {
            Ok(tlv) => {
                n += 1;
                if tlv.is_constructed() && depth < 8 {
                    n += walk(tlv.children(), depth + 1);
                }
            }
            Err(_) => break,
        }
    }
    n
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn response_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        match Response::parse(&bytes) {
            Ok(r) => {
                prop_assert_eq!(r.to_bytes(), bytes.clone());
                let n = bytes.len();
                prop_assert_eq!(r.status(), StatusWord::new(bytes[n - 2], bytes[n - 1]));
            }
            Err(_) => prop_assert!(bytes.len() < 2),
        }
    }

    #[test]
    fn tlv_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Header::parse(&bytes);
        let _ = walk(Reader::new(&bytes), 0);
    }

    #[test]
    fn tlv_offsets_stay_in_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for tlv in Reader::new(&bytes).flatten() {
            prop_assert!(tlv.offset() + tlv.raw().len() <= bytes.len());
            prop_assert_eq!(&bytes[tlv.offset()..tlv.offset() + tlv.raw().len()], tlv.raw());
        }
    }

    #[test]
    fn command_parse_never_panics_and_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok((cmd, form)) = Command::parse(&bytes) {
            // Case 1 parses as short; everything else must re-encode identically.
            prop_assert_eq!(cmd.encode(form).unwrap(), bytes);
        }
    }

    #[test]
    fn encode_then_parse(
        header in any::<[u8; 4]>(),
        data in proptest::collection::vec(any::<u8>(), 0..400),
        le in proptest::option::of(1usize..=65536),
    ) {
        let mut cmd = Command::new(header[0], header[1], header[2], header[3]).with_data(data);
        if let Some(le) = le {
            cmd = cmd.with_le(le);
        }
        for form in [LengthForm::Short, LengthForm::Extended] {
            if let Ok(bytes) = cmd.encode(form) {
                let (back, _) = Command::parse(&bytes).unwrap();
                prop_assert_eq!(back, cmd.clone());
            }
        }
    }
}
