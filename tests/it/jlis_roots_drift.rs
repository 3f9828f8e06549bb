//! The compiled-in J-LIS anchors (`src/pki/jlis_roots.rs`) must be exactly what
//! `examples/gen_jlis_roots.rs` generates from `../shared/data/jlis-trust-anchors/*.pem`.

#[allow(dead_code)]
#[path = "../../examples/gen_jlis_roots.rs"]
mod gen_jlis_roots;

#[test]
fn compiled_in_jlis_roots_match_the_generator() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/jlis-trust-anchors");
    if !dir.exists() {
        eprintln!("skipped: ../shared absent ({})", dir.display());
        return;
    }
    let fresh = gen_jlis_roots::generate(&dir).expect("generator runs");
    let committed = include_str!("../../src/pki/jlis_roots.rs");
    assert!(
        fresh == committed,
        "src/pki/jlis_roots.rs drifted from ../shared/data/jlis-trust-anchors; run `cargo run --example gen_jlis_roots`"
    );
}

#[test]
fn compiled_in_jlis_test_roots_match_the_generator() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/jpki-test-card");
    if !dir.exists() {
        eprintln!("skipped: ../shared absent ({})", dir.display());
        return;
    }
    let fresh = gen_jlis_roots::generate_jlis_test(&dir).expect("generator runs");
    let committed = include_str!("../../src/pki/jlis_test_roots.rs");
    assert!(
        fresh == committed,
        "src/pki/jlis_test_roots.rs drifted from ../shared/data/jpki-test-card; run `cargo run --example gen_jlis_roots`"
    );
}

#[test]
fn compiled_in_test_pki_roots_match_the_generator() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/mynacard-virtual-card/data/pki");
    let fresh = gen_jlis_roots::generate_mynacard_test(&dir).expect("generator runs");
    let committed = include_str!("../../src/pki/test_pki_roots.rs");
    assert!(
        fresh == committed,
        "src/pki/test_pki_roots.rs drifted from crates/mynacard-virtual-card/data/pki; run `cargo run --example gen_jlis_roots`"
    );
}
