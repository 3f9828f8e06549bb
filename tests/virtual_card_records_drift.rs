//! The committed record files in `tests/data/card/` are exactly what the virtual
//! card builds for the built-in TEST holders (regenerate with
//! `cargo run --example dump_virtual_card`).

#![cfg(feature = "virtual-card")]

use mynacard::virtual_card::{Profile, RECORD_FILES, TEST_HOLDER_IDS, VirtualCard};

#[test]
fn committed_records_match_the_virtual_card() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/card");
    let mut checked = 0;
    for id in TEST_HOLDER_IDS {
        let card = VirtualCard::test_holder(id).unwrap();
        if card.profile() != Profile::Card {
            assert!(!base.join(id).exists(), "{id} is not a physical card");
            continue;
        }
        for (app, fid, name) in RECORD_FILES {
            let path = base.join(id).join(format!("{name}.bin"));
            let committed = std::fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; run `cargo run --example dump_virtual_card`",
                    path.display()
                )
            });
            assert!(
                committed == card.file_content(app, fid).unwrap(),
                "{} drifted from the virtual card; run `cargo run --example dump_virtual_card` and review the diff",
                path.display()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6 * RECORD_FILES.len());
}
