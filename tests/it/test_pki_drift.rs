//! The committed TEST PKI (`crates/mynacard-virtual-card/data/pki/`) must be exactly what `common::gen_test_pki` generates.

use crate::common::gen_test_pki;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

#[test]
fn committed_test_pki_matches_the_generator_byte_for_byte() {
    let committed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/mynacard-virtual-card/data/pki");
    let holders = include_str!("../../crates/mynacard-virtual-card/data/holders.tsv");
    if std::env::var_os("MYNACARD_REGENERATE").is_some() {
        gen_test_pki::generate(holders, &committed).expect("generator writes");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let written = gen_test_pki::generate(holders, tmp.path()).expect("generator runs");
    assert_eq!(written.len(), 64, "file count changed: {written:?}");
    for file in &written {
        let fresh = fs::read(tmp.path().join(file)).expect("generated file");
        let old = fs::read(committed.join(file)).unwrap_or_else(|e| {
            panic!(
                "{file} missing from crates/mynacard-virtual-card/data/pki: {e}; run `MYNACARD_REGENERATE=1 cargo test --test it test_pki_drift::`"
            )
        });
        assert!(
            fresh == old,
            "{file} drifted from the generator; run `MYNACARD_REGENERATE=1 cargo test --test it test_pki_drift::`"
        );
    }
    // Nothing stale: every committed DER file is one the generator writes.
    let written: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    for entry in fs::read_dir(&committed).expect("committed dir") {
        let name = entry
            .expect("dir entry")
            .file_name()
            .into_string()
            .expect("utf-8 name");
        if name.ends_with(".der") {
            assert!(
                written.contains(name.as_str()),
                "{name} is not produced by the generator"
            );
        }
    }
}
