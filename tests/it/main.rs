//! The integration tests of `mynacard`: one test binary, one module per subject.
//!
//! One crate links once (the former one binary per file linked ~50 times, also in the Windows
//! stage's cross-build). Run one subject with its module path as the filter:
//! `cargo test --test it flows_bytes::`. What several modules share, the TEST PKI's generator
//! among it, is in [`common`].
//!
//! Four tests stay binaries of their own (`tests/eligibility_memory.rs`,
//! `tests/freed_memory.rs`, `tests/freed_memory_eligibility.rs`): each installs its own
//! `#[global_allocator]`, which is one per process and sees every thread's allocations. So
//! does `tests/tracing_spans.rs`: `tracing` caches each callsite's interest per process, and
//! a module here running the same flow on another thread without a subscriber made the
//! capturing subscriber miss the exchange events.

mod common;

mod card_parsers_never_panic;
mod card_pcsc;
mod card_proof;
mod card_recognition;
mod card_virtual;
mod cv_ca_keys;
mod cv_chain;
mod document;
mod eligibility;
mod eligibility_props;
mod eligibility_views;
mod eligibility_writer_hostile;
mod employer_intake;
mod employer_mdoc;
mod error_values;
mod error_values_records;
mod flows;
mod flows_bytes;
mod flows_form;
mod flows_hostile;
mod flows_json;
mod fuzz_corpora;
mod guidance_speech;
mod jlis_roots_drift;
mod jlis_test_cards;
mod json_contract;
mod layering;
mod mdoc_annex_d;
mod mdoc_jp_mnc;
mod parsers_never_panic;
mod pcsc_virtual_card;
mod pki;
mod pki_form;
mod pki_real;
mod pki_refusals;
mod pki_robustness;
mod real_card_behaviour;
mod relying_party;
mod revocation;
mod revocation_sources;
#[cfg(feature = "terminal-files")]
mod terminal_files;
mod test_material_excluded;
mod test_pki_drift;
mod virtual_card;
mod virtual_card_host;
mod virtual_card_independence;
mod virtual_card_never_panics;
mod virtual_card_records_drift;
mod wycheproof;
