//! The manual: one chapter per part of the crate, each a guide with examples that compile
//! (they run as doctests). The API reference is the rest of these docs; the README has the
//! pitch, the status and the two commands.
//!
//! | chapter | for |
//! |---|---|
//! | [`architecture`] | everyone: the layers, from the `no_std` core to the drivers |
//! | [`card`] | reader vendors: the card's applications, PINs, the lockout guard, the CV chain |
//! | [`virtual_card`] | everyone testing: the TEST card and phones, in process and through pcscd |
//! | [`pki`] | verification servers: JPKI certificates, trust anchors, revocation, presentations |
//! | [`relying_party`] | verification servers: challenges, revocation sources, the kit |
//! | [`reception`] | reception systems: the counter's flows, guidance, consent |
//! | [`employer`] | employers: collecting a new hire's 個人番号 under the 番号法 |
//! | [`mdoc`] | employers and counters: the iPhone's カード代替電磁的記録 (ISO 18013-5 mdoc) |
//! | [`speech`] | reader vendors: speakable guidance (kana, SSML) |
//! | [`eligibility`] | hospital IT: the 資格確認端末's files, code tables, check digits |
//! | [`security`] | everyone: what is refused, what is bounded, how memory is checked |
//! | [`researchers`] | security researchers: the raw parsers, transcripts, fuzzing |
//! | [`bindings`] | C, C++, C#, Java and Python hosts |
//!
//! Contributors: `CONTRIBUTING.md` in the repository (benchmarks, MSRV, fuzzing, publishing);
//! changes: `CHANGELOG.md`.

#[doc = include_str!("architecture.md")]
pub mod architecture {}
#[doc = include_str!("card.md")]
pub mod card {}
#[doc = include_str!("virtual_card.md")]
pub mod virtual_card {}
#[doc = include_str!("pki.md")]
pub mod pki {}
#[doc = include_str!("relying_party.md")]
pub mod relying_party {}
#[doc = include_str!("reception.md")]
pub mod reception {}
#[doc = include_str!("employer.md")]
pub mod employer {}
#[doc = include_str!("mdoc.md")]
pub mod mdoc {}
#[doc = include_str!("speech.md")]
pub mod speech {}
#[doc = include_str!("eligibility.md")]
pub mod eligibility {}
#[doc = include_str!("security.md")]
pub mod security {}
#[doc = include_str!("researchers.md")]
pub mod researchers {}
#[doc = include_str!("bindings.md")]
pub mod bindings {}
