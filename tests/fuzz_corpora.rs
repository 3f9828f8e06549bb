//! Replays every committed fuzz corpus and crash-regression input through the
//! same target bodies the fuzzers run, so findings stay fixed without a fuzzer.
//! (The fuzz crate always enables the virtual card and the terminal files; so
//! does this test.)
#![cfg(all(feature = "virtual-card", feature = "terminal-files"))]

#[allow(dead_code, clippy::all)]
mod targets {
    include!("../fuzz/src/targets.rs");
}

use std::path::Path;

#[test]
fn replay_corpora_and_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0usize;
    for (name, target) in targets::TARGETS {
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
    }
    assert!(
        replayed > 0,
        "no corpus files found under {}",
        root.display()
    );
}
