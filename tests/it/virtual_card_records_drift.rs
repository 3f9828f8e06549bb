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
        let files = card.dump_files();
        assert!(
            files.len() > RECORD_FILES.len(),
            "{id}: the measured files are dumped too"
        );
        for (name, content) in files {
            let path = base.join(id).join(&name);
            let committed = std::fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; run `cargo run --example dump_virtual_card`",
                    path.display()
                )
            });
            assert!(
                committed == content,
                "{} drifted from the virtual card; run `cargo run --example dump_virtual_card` and review the diff",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 6 * RECORD_FILES.len());
}
