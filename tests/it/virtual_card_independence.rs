//! The virtual card shares no encoding/decoding code with the host side it is used to
//! test. Cargo guarantees it: the crate `mynacard-virtual-card` may depend on no crate of
//! this workspace but `mynacard-transport` (the `Transport` trait, no codec), in any
//! dependency section. This test reads the workspace's metadata and checks exactly that.

use std::process::Command;

#[test]
fn virtual_card_depends_on_the_transport_crate_only() {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let workspace: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(workspace.contains(&"mynacard-transport"), "{workspace:?}");
    let card = packages
        .iter()
        .find(|p| p["name"] == "mynacard-virtual-card")
        .expect("the virtual card is a workspace member");
    let mut workspace_deps: Vec<&str> = card["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["name"].as_str())
        .filter(|name| workspace.contains(name))
        .collect();
    workspace_deps.sort_unstable();
    workspace_deps.dedup();
    assert_eq!(workspace_deps, ["mynacard-transport"]);
}
