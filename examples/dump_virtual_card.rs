//! Writes the signed 券面 records (kenhojo EF 0001–0007, kenkaku EF 0001–0005), JPKI
//! EF 0006 (token info), kenkaku EF 0006, the records of 共通AP EF 0001 / 0002 and 住基AP
//! EF 0002 and the MF-level GET DATA objects (`VirtualCard::dump_files`) of
//! every built-in TEST holder with a physical-card profile to
//! `tests/data/card/<id>/`, plus an `index.txt` (size and SHA-256 per file) so
//! changes show up in diffs. `tests/it/virtual_card_records_drift.rs` fails when the
//! committed files differ from what the virtual card builds.
//!
//! ```sh
//! cargo run --example dump_virtual_card            # writes tests/data/card/
//! cargo run --example dump_virtual_card -- OUT_DIR # or somewhere else
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;

use mynacard::virtual_card::{Profile, TEST_HOLDER_IDS, VirtualCard};
use sha2::{Digest, Sha256};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/card"));
    for id in TEST_HOLDER_IDS {
        let card = VirtualCard::test_holder(id)?;
        if card.profile() != Profile::Card {
            continue;
        }
        let dir = out.join(id);
        std::fs::create_dir_all(&dir)?;
        let mut index =
            String::from("# TEST-ONLY virtual My Number Card records: file, size, SHA-256\n");
        for (name, content) in card.dump_files() {
            std::fs::write(dir.join(&name), &content)?;
            let digest: String = Sha256::digest(&content)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            writeln!(index, "{name} {} {digest}", content.len())?;
        }
        std::fs::write(dir.join("index.txt"), index)?;
        println!("{}", dir.display());
    }
    Ok(())
}
