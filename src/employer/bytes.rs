//! The intake as the outside sees it: bytes only. Every command the card must
//! receive comes out as [`IntakeEvent::Send`] and its raw answer goes back in
//! as `Input::Response`; ISO 7816-4's `61xx` / `6Cxx` rules, whole-file reads and the
//! power-up `6F00` resend are applied inside by the engine's link adaptor (the one of
//! every reception flow, over the exchange layer's sans-IO
//! [`Transmit`](crate::exchange::Transmit) and [`ReadFile`](crate::exchange::ReadFile)),
//! so a caller needs no blocking `Exchange`: a
//! reader firmware, an NFC app or an async server drives it the same way.

use super::error::IntakeError;
use super::event::{IntakeEvent, IntakeOptions, IntakeVerifier};
use super::flow::Intake;
use crate::flows::Input;
use crate::flows::KeyProofChallenge;
use crate::flows::engine::link::Linked;

/// The employer's intake of a new hire's 個人番号: 番号確認 + 身元確認 with the
/// card, as a sans-IO state machine that emits only command bytes, guidance and
/// the outcome (see the [module docs](super)).
pub struct EmployerIntakeFlow<'a> {
    /// The intake's logic behind the engine's link adaptor (the one every reception flow
    /// has too).
    link: Linked<Intake<'a>>,
}

impl<'a> EmployerIntakeFlow<'a> {
    /// An intake over a challenge drawn from the operating system's CSPRNG,
    /// `verifier` holding the J-LIS signature roots, the revocation source,
    /// the CV CA key and the time. Start it with `Input::Start(caps)`: the
    /// link's capabilities decide how files are read (256-byte chunks on a
    /// short link, one READ on an extended one). Feature `std` (the OS's
    /// randomness); without it, draw 32 bytes from your platform's CSPRNG and
    /// use [`EmployerIntakeFlow::with_fixed_challenge`].
    #[cfg(feature = "std")]
    pub fn new(verifier: IntakeVerifier<'a>) -> Result<Self, IntakeError> {
        Self::with_options(verifier, IntakeOptions::default())
    }

    /// An intake with options (limits, how the card is read, the kana
    /// otherName), over a challenge from the CSPRNG (feature `std`).
    #[cfg(feature = "std")]
    pub fn with_options(
        verifier: IntakeVerifier<'a>,
        options: IntakeOptions,
    ) -> Result<Self, IntakeError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| IntakeError::RandomUnavailable)?;
        Ok(Self::with_fixed_challenge(
            KeyProofChallenge::new(bytes),
            verifier,
            options,
        ))
    }

    /// An intake over a challenge the caller chose: **tests** (a fixed,
    /// reproducible challenge), or a challenge the caller's own server issued
    /// and will check. A predictable challenge lets a signature made earlier be
    /// presented again: in production use [`EmployerIntakeFlow::new`].
    pub fn with_fixed_challenge(
        challenge: KeyProofChallenge,
        verifier: IntakeVerifier<'a>,
        options: IntakeOptions,
    ) -> Self {
        Self {
            link: Linked::new(Intake::new(challenge, verifier, options))
                .with_limits(options.limits),
        }
    }

    /// Feeds one input and returns the next event, or the failure that ends the
    /// intake (no record is ever produced after a failure). After
    /// [`IntakeEvent::Send`], resume with `Input::Response` (the card's raw
    /// answer, parsed by [`crate::apdu::Response::from_vec`]) or `Input::CardFailed`.
    pub fn resume(&mut self, input: Input) -> Result<IntakeEvent, IntakeError> {
        self.link.resume(input)
    }
}

#[cfg(all(test, feature = "test-pki"))]
mod tests {
    use super::*;
    use crate::card::CvTrust;
    use crate::pki::{CrlSet, StalenessPolicy, TrustStore, test_pki};

    /// Attack: a predictable intake challenge lets a signature made earlier be
    /// presented again. `new` draws it from the CSPRNG; only
    /// `with_fixed_challenge` (tests) takes one from the caller.
    #[test]
    fn the_intake_challenge_is_random_unless_fixed_explicitly() {
        let trust = TrustStore::test_only_mynacard_test_pki().unwrap();
        let crls = CrlSet::new();
        let cv = CvTrust::test_only();
        let verifier = || IntakeVerifier {
            trust: &trust,
            revocation: &crls,
            staleness: StalenessPolicy::Reject,
            cv_trust: &cv,
            time: test_pki::REFERENCE_TIME,
        };
        let a = EmployerIntakeFlow::new(verifier()).unwrap();
        let b = EmployerIntakeFlow::new(verifier()).unwrap();
        assert_ne!(a.link.machine().challenge(), b.link.machine().challenge());
        let fixed = KeyProofChallenge::new([7; 32]);
        let c = EmployerIntakeFlow::with_fixed_challenge(
            fixed.clone(),
            verifier(),
            IntakeOptions::default(),
        );
        assert_eq!(c.link.machine().challenge(), &fixed);
    }
}
