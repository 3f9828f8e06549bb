//! Reception flows at the clinic counter, as sans-IO state machines.
//!
//! One flow per way in: [`CardPinFlow`] (card + PIN), [`CardFaceFlow`] (card at
//! the face-auth reader, with PIN and staff-check fallbacks), [`SmartphoneFlow`]
//! (Android / iPhone, detected) and [`IdentifiersFlow`] (資格確認書, 記号・番号).
//! Each is fed [`Input`]s and answers [`Event`]s (see [`Flow`]); the blocking
//! [`crate::runner::Runner`] drives any of them over a [`crate::transport::Transport`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mynacard::eligibility::MedicalInstitutionCode;
//! use mynacard::flows::CardPinFlow;
//! use mynacard::flows::PkiCheck;
//! use mynacard::runner::{ChallengeSource, NoCamera, OsRandom, Reply, Runner, ScriptedPatient};
//! use mynacard::pki::{CrlIndex, CrlLimits, RelyingPartyPolicy, TrustStore, test_pki};
//! use mynacard::virtual_card::VirtualCard;
//!
//! let trust = TrustStore::test_only_mynacard_test_pki()?; // production: TrustStore::jlis()?
//! let crl = CrlIndex::from_der(include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der"), &trust, CrlLimits::default())?;
//! let policy = RelyingPartyPolicy::medical_eligibility();
//! let check = PkiCheck { trust: &trust, revocation: &crl, policy: &policy, time: test_pki::REFERENCE_TIME };
//!
//! let facility = MedicalInstitutionCode::parse("1310012345")?;
//! let mut flow = CardPinFlow::new(facility, OsRandom.challenge()?, check);
//! let mut runner = Runner::new(VirtualCard::test_holder("yamada")?);
//! // The patient types 1234 on the keypad and agrees to share all four items.
//! let pin = Reply::Digits(zeroize::Zeroizing::new("1234".into()));
//! let mut patient = ScriptedPatient::new([pin, Reply::Yes, Reply::Yes, Reply::Yes, Reply::Yes]);
//! let outcome = runner.run(&mut flow, &mut patient, &mut NoCamera)?;
//! assert_eq!(outcome.identity.verified().unwrap().serial_hex(), "329BCA3A");
//! assert!(outcome.request.is_none() && outcome.face_match.is_some());
//! # Ok(()) }
//! ```
//!
//! Guarantees: a flow never yields an identity that the PKI presentation check
//! did not verify ([`Identity::Verified`] is only made from its result);
//! a card removed at any step ends the flow with [`FlowError::CardRemoved`] and no
//! partial identity; no flow selects or reads the input-support AP (個人番号).

pub(crate) mod awaits;
mod card_face;
mod card_pin;
pub(crate) mod catalogue;
mod completion;
pub(crate) mod consent;
mod error;
pub(crate) mod event;
pub(crate) mod face;
pub(crate) mod guidance;
mod identifiers;
mod key_proof;
mod link;
pub(crate) mod outcome;
pub(crate) mod pinless;
pub(crate) mod presentation;
mod smartphone;
mod step;

/// The photo read from the 券面事項確認AP (the card's own type).
#[doc(no_inline)]
pub use crate::card::FaceImage;
pub use awaits::{Awaits, Choice};
pub use card_face::CardFaceFlow;
pub use card_pin::CardPinFlow;
pub use catalogue::GuidanceId;
pub use consent::{ConsentAnswer, ConsentItem, Consents};
pub use error::FlowError;
pub use event::{Event, Flow, Input};
pub use face::{FaceMatcher, FaceVerdict, ScannedCardFace};
pub use guidance::Guidance;
pub use identifiers::IdentifiersFlow;
pub use key_proof::{KeyProofOptions, LastTryPolicy};
pub use outcome::VerifiedHolder;
pub use outcome::{Identity, Method, Outcome};
pub use pinless::{PinlessError, PinlessKeyAccess, WithoutPinlessAccess};
pub use presentation::{KeyProofChallenge, PkiCheck, PresentationVerifier};
pub use smartphone::SmartphoneFlow;
