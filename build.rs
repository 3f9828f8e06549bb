//! Compiles in every trust-anchor PEM found in `src/pki/anchors/` (so adding J-LIS's missing
//! 2019 auth root is just adding its file).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pki/anchors");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "pem"));
    files.sort();
    let mut out =
        String::from("/// (label, PEM) of every file in `src/pki/anchors/`, sorted by name.\n");
    out.push_str("pub(super) const ANCHOR_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let label = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({label:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("anchor_files.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("writing {}: {e}", dest.display());
    }
}
