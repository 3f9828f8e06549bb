//! Fuzz target bodies. Each target in `fuzz_targets/` is one line calling a
//! function here; `tests/it/fuzz_corpora.rs` in the main crate includes this file
//! to replay every corpus and regression input under plain `cargo test`.
#![allow(missing_docs)]

include!("targets.rs");
