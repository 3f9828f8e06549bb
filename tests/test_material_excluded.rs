//! Issue 12.6: a production build (default features off) carries no TEST PKI material. The
//! library is built as a consumer would build it and its rlib searched for the TEST CAs'
//! public keys; the same search on a `test-pki` build finds them (the probe works).

use std::path::PathBuf;
use std::process::Command;

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

/// Builds the library with `features` and returns the rlib's path.
fn build_rlib(features: &[&str]) -> Option<PathBuf> {
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
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "build",
        "--quiet",
        "--lib",
        "-p",
        "mynacard",
        "--no-default-features",
        "--message-format=json",
    ]);
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

#[test]
fn default_features_off_build_contains_no_test_ca_key() {
    let keys = test_ca_keys();
    let production = build_rlib(&[]).expect("rlib of the production build");
    let bytes = std::fs::read(&production).expect("rlib");
    for (i, k) in keys.iter().enumerate() {
        assert!(
            !contains(&bytes, k),
            "TEST CA key {i} in {}",
            production.display()
        );
    }
    // The probe finds them where they belong.
    let test = build_rlib(&["test-pki"]).expect("rlib of a test-pki build");
    let bytes = std::fs::read(&test).expect("rlib");
    assert!(
        keys.iter().any(|k| contains(&bytes, k)),
        "probe: no TEST CA key found in the test-pki build {}",
        test.display()
    );
}
