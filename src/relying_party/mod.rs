//! A kit for verification servers (relying parties): challenges that can be used once, and a
//! verifier that checks the challenge, then the presentation, then marks the challenge used,
//! so a replayed presentation is refused without the caller writing any bookkeeping.
//! Challenges are stateless (expiry ‖ random ‖ HMAC-SHA256 under a server key): a flood of
//! anonymous `issue()` calls stores nothing and locks no one out (bounds in
//! [`ChallengeIssuer`]'s module docs).
//!
//! **A bare JPKI challenge carries no purpose or origin.** The card signs the DigestInfo of
//! whatever bytes it is given; nothing in them says which service asked, or why. A
//! malicious terminal or app can relay a challenge it got from your server to a user who
//! believes they are logging in elsewhere, and present the signature to you as its own
//! login. What a relying party can do: keep the TTL short (seconds to a few minutes); bind
//! the session to the channel the challenge was issued on (issue it inside the TLS session
//! that will carry the presentation, and accept the presentation only there — channel
//! binding); have the client sign a structured message that names your origin and the
//! purpose (e.g. `origin ‖ purpose ‖ challenge`) and check those fields before the
//! signature; and require the login to complete on the device that started it.
//!
//! The same server verifies signed documents ([`RelyingParty::verify_document`]: CMS and PDF,
//! see [`crate::document`]) under its trust store and revocation source.
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
//! let server = RelyingParty::new(trust, crls, RelyingPartyPolicy::strict(), ChallengeIssuer::new(300)?);
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
