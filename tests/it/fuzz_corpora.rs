//! Replays every committed fuzz corpus and crash-regression input through the
//! same target bodies the fuzzers run, so findings stay fixed without a fuzzer.
//! (The fuzz crate always enables the virtual card and the terminal files; so
//! does this test.)
#![cfg(all(feature = "virtual-card", feature = "terminal-files"))]

#[allow(dead_code, clippy::all)]
mod targets {
    include!("../../fuzz/src/targets.rs");
}

use std::path::Path;

#[test]
fn replay_corpora_and_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0usize;
    for (name, target) in targets::TARGETS {
        let before = replayed;
        for dir in ["corpus", "regressions"] {
            // A `_verified` variant replays its fast twin's inputs.
            let seeds = name.trim_end_matches("_verified");
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(seeds)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            for path in paths {
                let data = std::fs::read(&path).expect("readable corpus file");
                let outcome = std::panic::catch_unwind(|| target(&data));
                assert!(outcome.is_ok(), "{name}: input {} panicked", path.display());
                replayed += 1;
            }
        }
        // A target without seeds would replay nothing and pass unnoticed.
        assert!(
            replayed > before,
            "{name}: no seed under fuzz/corpus/{name}"
        );
    }
    assert!(
        replayed > 0,
        "no corpus files found under {}",
        root.display()
    );
}

/// Every fuzz target the fuzzer builds (`fuzz/fuzz_targets/<name>.rs`) is a body of `TARGETS`
/// calling the function of that name (`mynacard_fuzz::` or `mynacard::internal::`), and the
/// other way round: none escapes the replay.
#[test]
fn every_fuzz_target_is_replayed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    let mut built: Vec<String> = std::fs::read_dir(&dir)
        .expect("fuzz/fuzz_targets")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".rs")?.to_owned();
            let text = std::fs::read_to_string(e.path()).expect("fuzz target source");
            assert!(
                text.contains(&format!("mynacard_fuzz::{stem}(data)"))
                    || text.contains(&format!("mynacard::internal::{stem}(data)")),
                "{name} calls neither mynacard_fuzz::{stem} nor mynacard::internal::{stem}"
            );
            Some(stem)
        })
        .collect();
    built.sort();
    let mut replayed: Vec<String> = targets::TARGETS
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    replayed.sort();
    assert_eq!(built, replayed);
}
