//! The intake as the outside sees it: bytes only. Every command the card must
//! receive comes out as [`IntakeEvent::Send`] and its raw answer goes back in
//! as `Input::Response`; ISO 7816-4's `61xx` / `6Cxx` rules and whole-file reads
//! are applied inside by the exchange layer's sans-IO machines
//! ([`Transmit`], [`ReadFile`]), so a caller needs no blocking `Exchange`: a
//! reader firmware, an NFC app or an async server drives it the same way.

use super::error::IntakeError;
use super::event::{IntakeEvent, IntakeOptions, IntakeVerifier};
use super::flow::{In, Intake, Step};
use crate::apdu::{Command, Response};
use crate::exchange::{FirstCommand, ReadFile, Transmit};
use crate::flows::Input;
use crate::flows::KeyProofChallenge;
use crate::transport::LinkCapabilities;

/// The exchange in flight for the logic.
enum Io {
    /// One command (with its GET RESPONSE / re-issue rounds).
    Command(Transmit),
    /// A whole file: a READ BINARY at a time, each through its own [`Transmit`].
    File { read: ReadFile, chunk: Transmit },
}

/// The employer's intake of a new hire's 個人番号: 番号確認 + 身元確認 with the
/// card, as a sans-IO state machine that emits only command bytes, guidance and
/// the outcome (see the [module docs](super)).
pub struct EmployerIntakeFlow<'a> {
    logic: Intake<'a>,
    io: Option<Io>,
    options: IntakeOptions,
    link: LinkCapabilities,
    /// The first command after the start, until its answer: resent once on the power-up
    /// `6F00` ([`FirstCommand`]).
    first: FirstCommand,
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
            logic: Intake::new(challenge, verifier, options),
            io: None,
            options,
            link: LinkCapabilities::SHORT,
            first: FirstCommand::armed(),
        }
    }

    /// Feeds one input and returns the next event, or the failure that ends the
    /// intake (no record is ever produced after a failure). After
    /// [`IntakeEvent::Send`], resume with `Input::Response` (the card's raw
    /// answer, parsed by [`Response::from_vec`]) or `Input::CardFailed`.
    pub fn resume(&mut self, input: Input) -> Result<IntakeEvent, IntakeError> {
        let response = match &input {
            Input::Response(r) => Some(r),
            _ => None,
        };
        if let Some(first) = self.first.resend(response) {
            return Ok(IntakeEvent::Send(first));
        }
        let result = self.step(input);
        if result.is_err() {
            self.io = None;
        }
        if let Ok(IntakeEvent::Send(cmd)) = &result {
            self.first.sent(cmd);
        }
        result
    }

    fn step(&mut self, input: Input) -> Result<IntakeEvent, IntakeError> {
        let step = match (self.io.take(), input) {
            (None, Input::Start(caps)) => {
                self.link = caps;
                self.logic.resume(In::Start)?
            }
            (Some(io), Input::Response(r)) => match self.answer(io, r) {
                Ok(Some(cmd)) => return Ok(IntakeEvent::Send(cmd)),
                Ok(None) => return Err(IntakeError::Finished),
                Err(fed) => self.logic.resume(fed)?,
            },
            (Some(_), other @ (Input::Cancel | Input::CardFailed(_))) => {
                self.logic.resume(In::from_input(other))?
            }
            (Some(_), other) => {
                return Err(IntakeError::UnexpectedInput {
                    expected: "card response",
                    got: other.kind(),
                });
            }
            (None, Input::Response(_)) => {
                return Err(IntakeError::UnexpectedInput {
                    expected: "no card response",
                    got: "card response",
                });
            }
            (None, input) => self.logic.resume(In::from_input(input))?,
        };
        self.start(step)
    }

    /// Turns the logic's step into an event, starting the exchange it needs.
    fn start(&mut self, step: Step) -> Result<IntakeEvent, IntakeError> {
        match step {
            Step::Send(cmd) => {
                let mut t = Transmit::new(cmd, self.options.limits);
                let first = t.next_command();
                self.io = Some(Io::Command(t));
                first.map(IntakeEvent::Send).ok_or(IntakeError::Finished)
            }
            Step::Read { file, framing } => {
                let started = ReadFile::new(file, framing, self.link, self.options.limits);
                let mut read = match started {
                    Ok(read) => read,
                    Err(e) => return self.fed(In::CardFailed(e)),
                };
                match read.next_command() {
                    Some(cmd) => {
                        let mut chunk = Transmit::new(cmd, self.options.limits);
                        let first = chunk.next_command();
                        self.io = Some(Io::File { read, chunk });
                        first.map(IntakeEvent::Send).ok_or(IntakeError::Finished)
                    }
                    None => {
                        let input = read.finish().map_or_else(In::CardFailed, In::File);
                        self.fed(input)
                    }
                }
            }
            Step::Guide(g) => Ok(IntakeEvent::Guide(g)),
            Step::Done(outcome) => Ok(IntakeEvent::Done(outcome)),
        }
    }

    /// Feeds the logic an answer it was waiting for and starts what it asks next.
    fn fed(&mut self, input: In) -> Result<IntakeEvent, IntakeError> {
        let step = self.logic.resume(input)?;
        self.start(step)
    }

    /// Gives a raw response to the exchange in flight: `Ok(Some(cmd))` to send
    /// next, or `Err(input)` — the exchange ended, with what the logic gets.
    fn answer(&mut self, io: Io, response: Response) -> Result<Option<Command>, In> {
        match io {
            Io::Command(mut t) => {
                if let Err(e) = t.on_response(response) {
                    return Err(In::CardFailed(e));
                }
                match t.next_command() {
                    Some(cmd) => {
                        self.io = Some(Io::Command(t));
                        Ok(Some(cmd))
                    }
                    None => Err(t.finish().map_or_else(In::CardFailed, In::Response)),
                }
            }
            Io::File {
                mut read,
                mut chunk,
            } => {
                if let Err(e) = chunk.on_response(response) {
                    return Err(In::CardFailed(e));
                }
                if let Some(cmd) = chunk.next_command() {
                    self.io = Some(Io::File { read, chunk });
                    return Ok(Some(cmd));
                }
                let answer = match chunk.finish() {
                    Ok(a) => a,
                    Err(e) => return Err(In::CardFailed(e)),
                };
                if let Err(e) = read.on_response(answer) {
                    return Err(In::CardFailed(e));
                }
                match read.next_command() {
                    Some(cmd) => {
                        let mut chunk = Transmit::new(cmd, self.options.limits);
                        let first = chunk.next_command();
                        self.io = Some(Io::File { read, chunk });
                        Ok(first)
                    }
                    None => Err(read.finish().map_or_else(In::CardFailed, In::File)),
                }
            }
        }
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
        assert_ne!(a.logic.challenge(), b.logic.challenge());
        let fixed = KeyProofChallenge::new([7; 32]);
        let c = EmployerIntakeFlow::with_fixed_challenge(
            fixed.clone(),
            verifier(),
            IntakeOptions::default(),
        );
        assert_eq!(c.logic.challenge(), &fixed);
    }
}
