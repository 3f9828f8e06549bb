//! The employer's side: collecting a new hire's 個人番号 from the card, proven by
//! J-LIS signatures, under the 番号法. Separate from the clinic flows
//! ([`crate::flows`]), which never read the 個人番号.
//!
//! An employer (a 個人番号関係事務実施者) collects the 個人番号 for 社会保険 and 税
//! procedures — the 資格取得届 to the 健保組合 puts it on record, and the new
//! hire's card works at the clinic from the first day — and must make a
//! 本人確認 = **番号確認** + **身元確認** (番号法 第16条). [`EmployerIntakeFlow`]
//! makes both with the card alone:
//!
//! | check | how | law |
//! |---|---|---|
//! | 番号確認 | 券面事項入力補助AP (4-digit PIN): EF 0001 (個人番号) and EF 0002 (基本4情報) hash to EF 0003's digests; EF 0003's signature verifies under EF 0004's key; EF 0004 verifies under the J-LIS CV CA key | 番号法 第16条 (the number is right) |
//! | 身元確認 | 署名用電子証明書 (6–16 character password, 5 tries): a signature over a fresh challenge, the certificate valid to a J-LIS signature root and not revoked, its four subjectAltName attributes equal to EF 0002's | 番号法 第16条 (the person is its holder) |
//!
//! The outcome is an [`EmployeeIdentityRecord`] (no public constructor; zeroized;
//! `Debug` redacts; serialised only by a method that says it discloses the
//! 個人番号) — its docs state the caller's duties (purpose, retention, deletion).
//! A スマホ用電子証明書 carries JPKI only: the intake recognises the token and
//! ends with [`IntakeOutcome::NumberCheckNeedsCard`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mynacard::employer::{EmployerIntakeFlow, IntakeVerifier, ScriptedNewHire, run_intake};
//! use mynacard::flows::KeyProofChallenge;
//! use mynacard::runner::Reply;
//! use mynacard::pki::{CrlIndex, CrlLimits, StalenessPolicy, TrustStore, test_pki};
//! use mynacard::card::CvTrust;
//! use mynacard::virtual_card::VirtualCard;
//!
//! let trust = TrustStore::test_only_mynacard_test_pki()?; // production: TrustStore::jlis()?
//! let crl = CrlIndex::from_der(include_bytes!("../../crates/mynacard-virtual-card/data/pki/sign_ca.crl.der"), &trust, CrlLimits::default())?;
//! let cv_trust = CvTrust::test_only(); // production: CvTrust::jlis_production()
//! let verifier = IntakeVerifier {
//!     trust: &trust,
//!     revocation: &crl,
//!     staleness: StalenessPolicy::Reject,
//!     cv_trust: &cv_trust,
//!     time: test_pki::REFERENCE_TIME, // production: now
//! };
//! // A challenge from the CSPRNG: `EmployerIntakeFlow::new(verifier)?`; a test opts into a
//! // fixed one explicitly.
//! let mut flow =
//!     EmployerIntakeFlow::with_fixed_challenge(KeyProofChallenge::new([7; 32]), verifier, Default::default());
//! let mut card = VirtualCard::test_holder("yamada")?;
//! let mut new_hire = ScriptedNewHire::new([Reply::digits("1234"), Reply::digits("YAMADA2024")]);
//! let record = run_intake(&mut card, &mut flow, &mut new_hire)?.into_record().unwrap();
//! assert_eq!(record.my_number().expose_digits(), b"123456789018");
//! assert_eq!(record.evidence().checks_passed().len(), 8);
//! assert!(!format!("{record:?}").contains("123456789018"));
//! # Ok(()) }
//! ```

mod bytes;
mod compare;
#[cfg(feature = "std")]
mod driver;
mod error;
mod event;
mod flow;
mod guidance;
mod outcome;
mod record;

pub use bytes::EmployerIntakeFlow;
pub use compare::{Attribute, AttributeMatch, Comparison};
#[cfg(feature = "std")]
pub use driver::{NewHire, ScriptedNewHire, run_intake};
pub use error::{Attributes, FailedChecks, IntakeError};
pub use event::{IntakeEvent, IntakeOptions, IntakeVerifier, ReaderKind};
pub use guidance::{IntakeAwaits, IntakeGuidance, IntakeGuidanceId};
pub use outcome::IntakeOutcome;
pub use record::{EmployeeIdentityRecord, Evidence, IntakeCheck};
