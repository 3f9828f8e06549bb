//! Issue 12.6 and issue 21.5: a production build — the DEFAULT features, as `cargo add
//! mynacard` gives, and with default features off — carries no TEST material. The library is
//! built as a consumer would build it and its rlib searched for the TEST CAs' and the J-LIS
//! test roots' public keys and the TEST CV CA moduli; the same search on a `test-pki` /
//! `jlis-test` build finds them (the probe works). A consumer crate's `cargo tree -e features`
//! shows no virtual card and no TEST feature.

use std::path::PathBuf;
use std::process::Command;

/// The public keys of this crate's TEST CAs and of the JPKI-TEST roots, and the moduli of
/// the TEST CV CA keys (the virtual card's and J-LIS's test ones): `(what, bytes, feature)`.
fn test_material() -> Vec<(String, Vec<u8>, &'static str)> {
    let mut out: Vec<(String, Vec<u8>, &'static str)> = test_ca_keys()
        .into_iter()
        .enumerate()
        .map(|(i, k)| (format!("TEST CA key {i}"), k, "test-pki"))
        .collect();
    for r in &mynacard::pki::JLIS_TEST_ROOTS {
        out.push((r.label.to_owned(), r.spki.to_vec(), "jlis-test"));
    }
    for k in mynacard::card::CvTrust::test_only().keys() {
        out.push((
            format!("CV key {}", k.name()),
            k.modulus().to_vec(),
            "test-pki",
        ));
    }
    for k in mynacard::card::CvTrust::test_only_jlis_test_cards().keys() {
        out.push((
            format!("CV key {}", k.name()),
            k.modulus().to_vec(),
            "jlis-test",
        ));
    }
    out
}

fn test_ca_keys() -> Vec<Vec<u8>> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/mynacard-virtual-card/data/pki/"
    );
    ["auth_ca.der", "sign_ca.der"]
        .iter()
        .map(|f| {
            let der = std::fs::read(format!("{dir}{f}")).expect("TEST CA");
            let c = mynacard::pki::Certificate::from_der(&der).expect("TEST CA parses");
            c.spki_der().expect("SPKI").to_vec()
        })
        .collect()
}

/// `cargo` with the variables cargo sets for *this* test removed.
fn cargo() -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    // The test runs with the variables cargo sets for *this* crate; the nested build must not
    // inherit them (they would leak into the dependencies' build scripts and compilations).
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if (k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_TARGET_DIR")
            || k == "OUT_DIR"
            || k.starts_with("RUST_TEST")
        {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// Builds the library (`--lib`: no dev-dependency, so the crate's dev-dependency on itself
/// with its TEST features plays no part) with the default features or none, plus `features`,
/// and returns the rlib's path.
fn build_rlib(default_features: bool, features: &[&str]) -> Option<PathBuf> {
    let mut cmd = cargo();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "build",
        "--quiet",
        "--lib",
        "-p",
        "mynacard",
        "--message-format=json",
    ]);
    if !default_features {
        cmd.arg("--no-default-features");
    }
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    let out = cmd.output().expect("cargo runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("\"level\":\"error\""))
            .collect::<Vec<_>>()
            .join("\n")
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "mynacard")
        .flat_map(|m| {
            m["filenames"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
        })
        .filter_map(|f| f.as_str().map(PathBuf::from))
        .find(|f| f.extension().is_some_and(|e| e == "rlib"))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_free_of_test_material(features: &[&str], rlib: &std::path::Path) {
    let bytes = std::fs::read(rlib).expect("rlib");
    for (what, k, feature) in test_material() {
        assert!(
            features.contains(&feature) || !contains(&bytes, &k),
            "{what} (feature {feature}) in {} built with {features:?}",
            rlib.display()
        );
    }
}

#[test]
fn default_features_build_contains_no_test_material() {
    let rlib = build_rlib(true, &[]).expect("rlib of the default build");
    assert_free_of_test_material(&[], &rlib);
    let rlib = build_rlib(false, &[]).expect("rlib of the build without default features");
    assert_free_of_test_material(&[], &rlib);
    // Each TEST feature brings only its own material; the probe finds it where it belongs.
    for feature in ["test-pki", "jlis-test"] {
        let rlib = build_rlib(true, &[feature]).expect("rlib of a TEST build");
        assert_free_of_test_material(&[feature], &rlib);
        let bytes = std::fs::read(&rlib).expect("rlib");
        // The probe finds every piece of the feature's material, not just one.
        let missing: Vec<String> = test_material()
            .into_iter()
            .filter(|(_, k, f)| *f == feature && !contains(&bytes, k))
            .map(|(what, _, _)| what)
            .collect();
        assert!(
            missing.is_empty(),
            "probe: {missing:?} not found in {}",
            rlib.display()
        );
    }
}

/// A crate that depends on mynacard with default features, as `cargo add mynacard` writes it:
/// its feature tree has no virtual card and no TEST feature.
#[test]
fn a_dependent_crate_with_default_features_gets_no_virtual_card_and_no_test_feature() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let repo = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\nmynacard = {{ path = {repo:?} }}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), "").unwrap();
    // The workspace's lock file: the same versions, resolved offline.
    std::fs::copy(format!("{repo}/Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    let out = cargo()
        .current_dir(dir.path())
        .args(["tree", "-e", "features", "--offline", "--prefix", "none"])
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("mynacard feature \"default\""), "{tree}");
    assert!(
        tree.contains("mynacard feature \"terminal-files\""),
        "{tree}"
    );
    for absent in [
        "mynacard-virtual-card",
        "feature \"virtual-card\"",
        "feature \"test-pki\"",
        "feature \"jlis-test\"",
    ] {
        assert!(
            !tree.contains(absent),
            "{absent} in the default tree:\n{tree}"
        );
    }
}
