//! A kit for verification servers (relying parties): challenges that can be used once, and a
//! verifier that redeems the challenge before checking the presentation, so a replayed
//! presentation is refused without the caller writing any bookkeeping. The same server
//! verifies signed documents ([`RelyingParty::verify_document`]: CMS and PDF, see
//! [`crate::document`]) under its trust store and revocation source.
//!
//! ```
//! use mynacard::pki::{CrlIndex, CrlLimits, CrlSet, RelyingPartyPolicy, TrustStore, test_pki};
//! use mynacard::relying_party::{ChallengeIssuer, RelyingParty, RelyingPartyError};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let trust = TrustStore::test_only_mynacard_test_pki()?; // production: TrustStore::jlis()?
//! let mut crls = CrlSet::new();
//! // Production: the partitions of the municipalities you serve, refreshed daily.
//! crls.insert(CrlIndex::from_der(
//!     include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.dp.Chiyoda-ku.crl.der"),
//!     &trust,
//!     CrlLimits::default(),
//! )?);
//! let server = RelyingParty::new(trust, crls, RelyingPartyPolicy::strict(), ChallengeIssuer::new(300));
//!
//! let now = test_pki::REFERENCE_TIME; // production: UnixTime::now()
//! let challenge = server.challenges().issue(now)?; // send challenge.bytes() to the client
//! # #[cfg(feature = "virtual-card")] {
//! let presented = mynacard::relying_party::testing::present("yamada", challenge.bytes())?;
//! let identity = server.verify(&presented.presentation(), now)?;
//! assert_eq!(identity.serial(), [0x32, 0x9B, 0xCA, 0x3A]);
//! // The same presentation again: refused, the challenge was used.
//! assert!(matches!(
//!     server.verify(&presented.presentation(), now),
//!     Err(RelyingPartyError::UnknownChallenge)
//! ));
//! # }
//! # Ok(()) }
//! ```

mod challenge;
#[cfg(feature = "virtual-card")]
pub mod testing;
mod verifier;

pub use challenge::{CHALLENGE_LEN, Challenge, ChallengeIssuer};
pub use verifier::{DocumentVerdict, RelyingParty, RelyingPartyError, SignedInput};
