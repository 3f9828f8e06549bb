//! The virtual card answers every byte string with a response APDU and never
//! panics (card-side decoding of untrusted command APDUs).

#![cfg(feature = "virtual-card")]

use std::sync::{Mutex, OnceLock};

use mynacard::virtual_card::{Profile, VirtualCard};
use proptest::prelude::*;

fn cards() -> &'static Mutex<Vec<VirtualCard>> {
    static CARDS: OnceLock<Mutex<Vec<VirtualCard>>> = OnceLock::new();
    CARDS.get_or_init(|| {
        Mutex::new(
            ["yamada", "ito", "kato"]
                .into_iter()
                .map(|id| VirtualCard::test_holder(id).unwrap())
                .collect(),
        )
    })
}

/// Commands biased towards what the card understands, so the fuzzing gets past
/// the class and instruction checks.
fn command() -> impl Strategy<Value = Vec<u8>> {
    let structured = (
        prop::sample::select(vec![0x00u8, 0x80, 0x01, 0x0C, 0x40, 0xFF]),
        prop::sample::select(vec![0xA4u8, 0xB0, 0x20, 0x84, 0x2A, 0xFC, 0xCA, 0x24]),
        any::<u8>(),
        any::<u8>(),
        prop::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(cla, ins, p1, p2, body)| {
            let mut c = vec![cla, ins, p1, p2];
            c.extend(body);
            c
        });
    let select_then = (prop::sample::select(vec![
        vec![0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01],
        vec![0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08],
        vec![0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02],
    ]),)
        .prop_map(|(aid,)| {
            let mut c = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
            c.extend(aid);
            c
        });
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..16),
        prop::collection::vec(any::<u8>(), 0..600),
        structured,
        select_then,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_command_sequence_gets_a_response(
        which in 0usize..3,
        commands in prop::collection::vec(command(), 1..12),
    ) {
        let mut cards = cards().lock().unwrap_or_else(|e| e.into_inner());
        let card = &mut cards[which];
        for c in &commands {
            let r = card.process(c);
            prop_assert!(r.len() >= 2 && r.len() <= 65536 + 2);
            // SW1 is never 00 and a success never comes without 90 00.
            prop_assert!(r[r.len() - 2] != 0x00);
        }
        prop_assert!(matches!(card.profile(), Profile::Card | Profile::Android | Profile::Iphone));
        card.reset();
    }
}
