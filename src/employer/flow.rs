//! The intake state machine: inputs in, events out, no I/O.
//!
//! Commands, in order, on a physical card:
//!
//! 1. SELECT JPKI AP, READ EF 0006 (token info): a スマホ用電子証明書 ends here
//!    with [`IntakeOutcome::NumberCheckNeedsCard`];
//! 2. SELECT 券面事項入力補助AP, VERIFY query (`00 20 00 91`), the 4-digit PIN,
//!    VERIFY, READ EF 0001 (17 bytes), EF 0002, EF 0003, EF 0004 → 番号確認;
//! 3. SELECT JPKI AP, VERIFY query (`00 20 00 9B`), the 署名用パスワード, VERIFY,
//!    READ EF 0001 (署名用証明書), SELECT EF 001A, COMPUTE DIGITAL SIGNATURE over
//!    the SHA-256 DigestInfo of the challenge → 身元確認.
//!
//! Lockout guard for both secrets, the clinic flows' own (the engine's PIN stage,
//! [`crate::flows::engine::pin`]): with one try left the new hire is warned and must say
//! yes; a blocked secret ends the flow; a malformed secret is never sent (it would cost a
//! try). The signature is the engine's too ([`crate::flows::engine::key::Signing`]).

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::compare;
use super::error::{Attributes, FailedChecks, IntakeError};
use super::event::{IntakeEvent, IntakeOptions, IntakeVerifier, ReaderKind};
use super::guidance::{IntakeGuidance, IntakeGuidanceId};
use super::outcome::IntakeOutcome;
use super::record::{EmployeeIdentityRecord, Evidence, number_check_failures};
use crate::apdu::StatusWord;
use crate::card::CvCertificate;
use crate::card::HashAlgorithm;
use crate::card::kenhojo::{self, BasicFourInfo, IntegrityRecord};
use crate::card::{Application, CardError, KeyRef, files};
use crate::card::{JpkiKey, SignAddressing};
use crate::card::{TokenInfo, TokenKind};
use crate::exchange::Framing;
use crate::flows::KeyProofChallenge;
use crate::flows::LastTryPolicy;
use crate::flows::engine::key::{self, Signed, Signing};
use crate::flows::engine::pin::{PinFail, PinStage, PinStep};
use crate::flows::engine::step::{In, Machine, Out};
use crate::pki::{PkiError, Purpose, RevocationStatus};

/// Bytes of EF 0006 read: the 32-byte label.
const TOKEN_LABEL_LEN: usize = 32;

/// Which secret a PIN state is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Secret {
    /// 券面事項入力補助用暗証番号 (4 digits, 3 tries).
    Kenhojo,
    /// 署名用パスワード (6–16 characters, 5 tries).
    Sign,
}

impl Secret {
    const fn key(self) -> KeyRef {
        match self {
            Self::Kenhojo => KeyRef::KenhojoPin,
            Self::Sign => KeyRef::JpkiSignPassword,
        }
    }
    const fn enter(self) -> IntakeGuidanceId {
        match self {
            Self::Kenhojo => IntakeGuidanceId::KenhojoPinEnter,
            Self::Sign => IntakeGuidanceId::SignPasswordEnter,
        }
    }
    const fn wrong(self) -> IntakeGuidanceId {
        match self {
            Self::Kenhojo => IntakeGuidanceId::KenhojoPinWrong,
            Self::Sign => IntakeGuidanceId::SignPasswordWrong,
        }
    }
    const fn last_try(self) -> IntakeGuidanceId {
        match self {
            Self::Kenhojo => IntakeGuidanceId::KenhojoPinLastTry,
            Self::Sign => IntakeGuidanceId::SignPasswordLastTry,
        }
    }
}

/// The engine's PIN stage, with the secret it is about (its words).
#[derive(Debug, Clone, Copy)]
struct PinState {
    secret: Secret,
    pin: PinStage,
}

/// What 番号確認 read, kept until the 身元確認 is done.
struct NumberRead {
    my_number_file: Zeroizing<Vec<u8>>,
    basic_four_file: Zeroizing<Vec<u8>>,
    integrity_file: Vec<u8>,
}

/// 番号確認's result: a verified number and attributes.
struct NumberChecked {
    my_number: crate::MyNumber,
    basic_four: BasicFourInfo,
    cv_ca: Option<&'static str>,
}

enum State {
    Start,
    Opened,
    SelectJpki,
    Token,
    PhoneShown(TokenKind),
    SelectKenhojo,
    Query(PinState),
    LastTry(PinState),
    Enter(PinState),
    Verify(PinState),
    Wrong(PinState),
    ReadMyNumber,
    ReadBasicFour(Zeroizing<Vec<u8>>),
    ReadIntegrity(Box<NumberRead>),
    ReadCv(Box<NumberRead>),
    NumberShown,
    SelectJpkiForSign,
    ReadSignCert,
    /// The engine's signing in flight, with the signature certificate read.
    Signing(Zeroizing<Vec<u8>>, Signing),
    DoneShown(Box<IntakeOutcome>),
    Finished,
}

impl State {
    const fn step(&self) -> &'static str {
        match self {
            Self::Start | Self::Opened | Self::SelectJpki => "SELECT JPKI AP",
            Self::Token => "READ token info",
            Self::PhoneShown(_) => "smartphone guidance",
            Self::SelectKenhojo => "SELECT 券面事項入力補助AP",
            Self::Query(_) => "VERIFY query",
            Self::LastTry(_) => "last-try confirmation",
            Self::Enter(_) => "PIN / password entry",
            Self::Verify(_) => "VERIFY",
            Self::Wrong(_) => "wrong-secret guidance",
            Self::ReadMyNumber => "READ EF 0001 (個人番号)",
            Self::ReadBasicFour(_) => "READ EF 0002 (基本4情報)",
            Self::ReadIntegrity(_) => "READ EF 0003 (integrity record)",
            Self::ReadCv(_) => "READ EF 0004 (CV certificate)",
            Self::NumberShown => "番号確認 guidance",
            Self::SelectJpkiForSign => "SELECT JPKI AP",
            Self::ReadSignCert => "READ 署名用証明書",
            Self::Signing(_, s) if s.selecting() => "SELECT 署名用秘密鍵",
            Self::Signing(..) => "COMPUTE DIGITAL SIGNATURE",
            Self::DoneShown(_) => "done guidance",
            Self::Finished => "finished",
        }
    }

    const fn expects(&self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Opened | Self::PhoneShown(_) | Self::Wrong(_) | Self::NumberShown => "continue",
            Self::DoneShown(_) => "continue",
            Self::LastTry(_) => "yes/no",
            Self::Enter(_) => "keypad digits",
            Self::Token
            | Self::ReadMyNumber
            | Self::ReadBasicFour(_)
            | Self::ReadIntegrity(_)
            | Self::ReadCv(_)
            | Self::ReadSignCert => "file content",
            Self::Finished => "nothing",
            _ => "card response",
        }
    }

    const fn awaits_card(&self) -> bool {
        !matches!(
            self,
            Self::Start
                | Self::Opened
                | Self::PhoneShown(_)
                | Self::LastTry(_)
                | Self::Enter(_)
                | Self::Wrong(_)
                | Self::NumberShown
                | Self::DoneShown(_)
                | Self::Finished
        )
    }
}

/// What the intake logic asks for: a command, a whole file (the engine's link adaptor
/// turns both into raw commands), or one of its events (a guidance, the end).
type Step = Out<IntakeEvent>;

/// The intake's logic, one command or file at a time (see the module docs).
pub(crate) struct Intake<'a> {
    state: State,
    challenge: KeyProofChallenge,
    verifier: IntakeVerifier<'a>,
    options: IntakeOptions,
    number: Option<NumberChecked>,
}

impl<'a> Intake<'a> {
    pub(crate) fn new(
        challenge: KeyProofChallenge,
        verifier: IntakeVerifier<'a>,
        options: IntakeOptions,
    ) -> Self {
        Self {
            state: State::Start,
            challenge,
            verifier,
            options,
            number: None,
        }
    }

    /// The challenge the card signs.
    #[cfg(test)]
    pub(crate) fn challenge(&self) -> &KeyProofChallenge {
        &self.challenge
    }

    /// Feeds one input and returns the next step, or the failure that ends the
    /// intake (no record is ever produced after a failure).
    pub(crate) fn resume(&mut self, input: In) -> Result<Step, IntakeError> {
        let result = self.handle(input);
        if result.is_err() {
            self.state = State::Finished;
            self.number = None;
        }
        result
    }

    fn go(&mut self, state: State, event: Step) -> Result<Step, IntakeError> {
        self.state = state;
        Ok(event)
    }

    fn guide(&mut self, state: State, g: IntakeGuidance) -> Result<Step, IntakeError> {
        self.go(state, Out::Emit(IntakeEvent::Guide(g)))
    }

    fn read(&mut self, state: State, sfi: u8, framing: Framing) -> Result<Step, IntakeError> {
        self.go(state, Out::read_sfi(sfi, framing))
    }

    fn card(&self, error: impl Into<CardError>) -> IntakeError {
        IntakeError::from_card(self.state.step(), error.into())
    }

    fn status(&self, r: &crate::apdu::Response, command: &'static str) -> Result<(), IntakeError> {
        key::answered(r, command).map_err(|e| self.card(e))
    }

    /// The engine's PIN stage decided: the intake shows its words, or goes on once the
    /// secret is verified.
    fn pin_step(
        &mut self,
        pin: PinState,
        result: Result<PinStep, PinFail>,
    ) -> Result<Step, IntakeError> {
        let step = result.map_err(|e| match e {
            PinFail::Card(error) => self.card(error),
            PinFail::LastTryDeclined => IntakeError::LastTryDeclined,
            PinFail::Cancelled => IntakeError::Cancelled,
        })?;
        match step {
            PinStep::Prompt => {
                self.guide(State::Enter(pin), IntakeGuidance::new(pin.secret.enter()))
            }
            PinStep::Malformed => {
                let id = match pin.secret {
                    Secret::Kenhojo => pin.secret.enter(),
                    Secret::Sign => IntakeGuidanceId::SignPasswordFormat,
                };
                self.guide(State::Enter(pin), IntakeGuidance::new(id))
            }
            PinStep::AskLastTry => self.guide(
                State::LastTry(pin),
                IntakeGuidance::new(pin.secret.last_try()),
            ),
            PinStep::Verify(cmd) => self.go(State::Verify(pin), Out::Send(cmd)),
            PinStep::Wrong { remaining } => self.guide(
                State::Wrong(pin),
                IntakeGuidance::with_tries_left(pin.secret.wrong(), remaining),
            ),
            PinStep::Verified => match pin.secret {
                Secret::Kenhojo => self.read(
                    State::ReadMyNumber,
                    files::kenhojo::MY_NUMBER.sfi(),
                    Framing::Fixed(kenhojo::MY_NUMBER_EF_LEN),
                ),
                Secret::Sign => self.read(
                    State::ReadSignCert,
                    files::jpki::SIGN_CERT.sfi(),
                    Framing::Tlv,
                ),
            },
        }
    }

    /// 番号確認: the integrity chain over the raw records, then the parse.
    fn check_number(&mut self, read: NumberRead, cv_file: &[u8]) -> Result<Step, IntakeError> {
        let basic = kenhojo::parse_basic_four(&read.basic_four_file).map_err(|e| self.card(e))?;
        let record = IntegrityRecord::parse(&read.integrity_file).map_err(|e| self.card(e))?;
        let cv = CvCertificate::parse(kenhojo::EF4, cv_file).map_err(|e| self.card(e))?;
        let report = kenhojo::check_integrity(
            &basic,
            Some(&read.my_number_file),
            &record,
            &cv,
            self.verifier.cv_trust,
        );
        let failed = number_check_failures(&report);
        if !failed.is_empty() {
            return Err(IntakeError::NumberCheck(FailedChecks(failed)));
        }
        let my_number = kenhojo::parse_my_number(&read.my_number_file).map_err(|e| self.card(e))?;
        self.number = Some(NumberChecked {
            my_number,
            basic_four: basic.info,
            cv_ca: report.cv_ca,
        });
        self.guide(
            State::NumberShown,
            IntakeGuidance::new(IntakeGuidanceId::NumberChecked),
        )
    }

    /// 身元確認: certificate path, challenge signature, revocation, attributes.
    fn check_identity(
        &mut self,
        certificate: &[u8],
        signature: &[u8],
    ) -> Result<Step, IntakeError> {
        let v = &self.verifier;
        let verified = v
            .trust
            .verify_certificate(certificate, Purpose::Signature, v.time)
            .map_err(IntakeError::Identity)?;
        verified
            .verify_message(HashAlgorithm::Sha256, self.challenge.bytes(), signature)
            .map_err(IntakeError::Identity)?;
        let revocation = v
            .revocation
            .status(&verified, v.time, v.staleness)
            .map_err(IntakeError::Identity)?;
        match revocation {
            RevocationStatus::Good { .. } => {}
            RevocationStatus::Revoked { reason, date, .. } => {
                return Err(IntakeError::Identity(PkiError::Revoked { reason, date }));
            }
            RevocationStatus::NotChecked { reason } => {
                return Err(IntakeError::Identity(PkiError::RevocationNotChecked {
                    reason: reason.as_str(),
                }));
            }
        }
        let attributes = verified
            .holder_attributes()
            .map_err(IntakeError::Identity)?;
        let number = self.number.take().ok_or(IntakeError::Finished)?;
        let matched = compare::compare(&number.basic_four, &attributes, self.options.comparison)
            .map_err(|a| IntakeError::AttributeMismatch(Attributes(a)))?;
        let kana = self.options.kana_oid.and_then(|oid| {
            attributes
                .other_names()
                .iter()
                .find(|o| o.oid == oid)
                .and_then(|o| {
                    <der::asn1::Utf8StringRef<'_> as der::Decode>::from_der(&o.value_der).ok()
                })
                .map(|s| Zeroizing::new(s.as_str().to_owned()))
        });
        let evidence = Evidence::new(
            verified.serial().to_vec(),
            verified.certificate().issuer().to_string(),
            verified.anchor().to_owned(),
            revocation,
            matched,
            number.cv_ca,
            v.time,
        );
        let record =
            EmployeeIdentityRecord::new(number.my_number, &number.basic_four, kana, evidence);
        self.guide(
            State::DoneShown(Box::new(IntakeOutcome::Recorded(Box::new(record)))),
            IntakeGuidance::new(IntakeGuidanceId::Done),
        )
    }

    fn handle(&mut self, input: In) -> Result<Step, IntakeError> {
        if let In::Cancel = input {
            return Err(IntakeError::Cancelled);
        }
        if let In::CardFailed(e) = input {
            if !self.state.awaits_card() {
                return Err(IntakeError::UnexpectedInput {
                    expected: self.state.expects(),
                    got: "card failure",
                });
            }
            return Err(self.card(CardError::Exchange(e)));
        }
        let state = core::mem::replace(&mut self.state, State::Finished);
        match (state, input) {
            (State::Start, In::Start(_)) => {
                let opening = match self.options.reader {
                    ReaderKind::Reader => IntakeGuidanceId::CardPlace,
                    ReaderKind::PhoneNfc => IntakeGuidanceId::CardHoldToPhone,
                };
                self.guide(State::Opened, IntakeGuidance::new(opening))
            }
            (State::Opened, In::Continue) => {
                self.go(State::SelectJpki, Out::Send(Application::Jpki.select()))
            }
            (State::SelectJpki, In::Response(r)) => {
                if r.status() == StatusWord::FileNotFound {
                    return Err(IntakeError::NotMyNumberCard {
                        detail: "no JPKI AP",
                    });
                }
                self.status(&r, "SELECT")?;
                self.read(
                    State::Token,
                    files::jpki::TOKEN_INFO.sfi(),
                    Framing::Fixed(TOKEN_LABEL_LEN),
                )
            }
            (State::Token, In::File(bytes)) => {
                self.state = State::Token;
                let info = TokenInfo::parse(&bytes).map_err(|e| self.card(e))?;
                match info.kind {
                    TokenKind::Android | TokenKind::Iphone => self.guide(
                        State::PhoneShown(info.kind),
                        IntakeGuidance::new(IntakeGuidanceId::PhoneNeedsCard),
                    ),
                    _ => self.go(
                        State::SelectKenhojo,
                        Out::Send(Application::Kenhojo.select()),
                    ),
                }
            }
            (State::PhoneShown(token), In::Continue) => self.go(
                State::Finished,
                Out::Emit(IntakeEvent::Done(Box::new(
                    IntakeOutcome::NumberCheckNeedsCard { token },
                ))),
            ),
            (State::SelectKenhojo, In::Response(r)) => {
                self.state = State::SelectKenhojo;
                if r.status() == StatusWord::FileNotFound {
                    return Err(IntakeError::NotMyNumberCard {
                        detail: "no 券面事項入力補助AP",
                    });
                }
                self.status(&r, "SELECT")?;
                self.query(Secret::Kenhojo)
            }
            (State::Query(mut pin), In::Response(r)) => {
                self.state = State::Query(pin);
                let result = pin.pin.on_query(r.status(), LastTryPolicy::Ask);
                self.pin_step(pin, result)
            }
            (State::LastTry(mut pin), In::YesNo(yes)) => {
                self.state = State::LastTry(pin);
                let result = pin.pin.on_last_try(yes);
                self.pin_step(pin, result)
            }
            (State::Enter(pin), In::Digits(typed)) => {
                self.state = State::Enter(pin);
                self.pin_step(pin, pin.pin.on_typed(&typed))
            }
            (State::Enter(mut pin), In::PinPad(r)) if pin.secret == Secret::Kenhojo => {
                self.state = State::Verify(pin);
                let result = pin.pin.on_pin_pad(r.status());
                self.pin_step(pin, result)
            }
            (State::Verify(mut pin), In::Response(r)) => {
                self.state = State::Verify(pin);
                let result = pin.pin.on_verify(r.status());
                self.pin_step(pin, result)
            }
            (State::Wrong(pin), In::Continue) => {
                self.state = State::Wrong(pin);
                self.pin_step(pin, pin.pin.guard(LastTryPolicy::Ask))
            }
            (State::ReadMyNumber, In::File(f)) => self.read(
                State::ReadBasicFour(f),
                files::kenhojo::BASIC_FOUR.sfi(),
                Framing::Tlv,
            ),
            (State::ReadBasicFour(ef1), In::File(f)) => self.read(
                State::ReadIntegrity(Box::new(NumberRead {
                    my_number_file: ef1,
                    basic_four_file: f,
                    integrity_file: Vec::new(),
                })),
                files::kenhojo::INTEGRITY.sfi(),
                Framing::Tlv,
            ),
            (State::ReadIntegrity(mut read), In::File(f)) => {
                read.integrity_file = f.to_vec();
                self.read(
                    State::ReadCv(read),
                    files::kenhojo::CV_CERT.sfi(),
                    Framing::Tlv,
                )
            }
            (State::ReadCv(read), In::File(f)) => {
                self.state = State::ReadCv(Box::new(NumberRead {
                    my_number_file: Zeroizing::new(Vec::new()),
                    basic_four_file: Zeroizing::new(Vec::new()),
                    integrity_file: Vec::new(),
                }));
                self.check_number(*read, &f)
            }
            (State::NumberShown, In::Continue) => self.go(
                State::SelectJpkiForSign,
                Out::Send(Application::Jpki.select()),
            ),
            (State::SelectJpkiForSign, In::Response(r)) => {
                self.state = State::SelectJpkiForSign;
                self.status(&r, "SELECT")?;
                self.query(Secret::Sign)
            }
            (State::ReadSignCert, In::File(cert)) => {
                let (signing, cmd) = Signing::start(
                    JpkiKey::Sign,
                    &self.challenge,
                    SignAddressing::SelectThenCurrent,
                );
                self.go(State::Signing(cert, signing), Out::Send(cmd))
            }
            (State::Signing(cert, signing), In::Response(r)) => {
                self.state = State::Signing(Zeroizing::new(Vec::new()), signing);
                let signed = signing
                    .on_response(r, &self.challenge)
                    .map_err(|e| self.card(e))?;
                match signed {
                    Signed::Send(signing, cmd) => {
                        self.go(State::Signing(cert, signing), Out::Send(cmd))
                    }
                    Signed::Signature(signature) => self.check_identity(&cert, &signature),
                }
            }
            (State::DoneShown(outcome), In::Continue) => {
                self.go(State::Finished, Out::Emit(IntakeEvent::Done(outcome)))
            }
            (State::Finished, _) => Err(IntakeError::Finished),
            (state, other) => Err(IntakeError::UnexpectedInput {
                expected: state.expects(),
                got: other.kind(),
            }),
        }
    }

    fn query(&mut self, secret: Secret) -> Result<Step, IntakeError> {
        self.go(
            State::Query(PinState {
                secret,
                pin: PinStage::new(secret.key()),
            }),
            Out::Send(PinStage::new(secret.key()).query()),
        )
    }
}

impl Machine for Intake<'_> {
    type Event = IntakeEvent;
    type Error = IntakeError;

    fn step(&mut self, input: In) -> Result<Step, IntakeError> {
        self.resume(input)
    }
}
