//! The committed C header is what cbindgen generates from the sources today.
//! `MYNACARD_BLESS=1 cargo test -p mynacard-ffi --test header` rewrites it.

use std::path::Path;

#[test]
fn committed_header_matches_the_sources() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let path = dir.join("include/mynacard.h");
    if std::env::var_os("MYNACARD_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write include/mynacard.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/mynacard.h is out of date: run MYNACARD_BLESS=1 cargo test -p mynacard-ffi --test header and commit it"
    );
}
