//! Proving the card (or phone) holds the user-authentication key: the JPKI part
//! shared by every flow that reads a card or phone.
//!
//! Order on a card: SELECT JPKI AP, READ the auth certificate by SFI (the first
//! READ selects it), VERIFY query, PIN on the keypad, VERIFY by SFI, SELECT the
//! key EF, COMPUTE DIGITAL SIGNATURE. On an Android token the PIN comes before the
//! certificate (the certificate is readable only after it); an iPhone token gets
//! no VERIFY and is closed with the end-of-transaction command. With the
//! terminal's 特定機関認証 the PIN steps are replaced by its exchange.

use crate::card::PinError;
use zeroize::Zeroizing;

use super::error::FlowError;
use super::event::{Event, Input};
use super::guidance::{Guidance, GuidanceId};
use super::presentation::Challenge;
use super::terminal::PinlessKeyAccess;
use crate::apdu::{Command, Response, StatusWord};
use crate::card::digest_info::HashAlgorithm;
use crate::card::jpki::{JpkiKey, SignAddressing};
use crate::card::pin::Pin;
use crate::card::token::{TokenInfo, TokenKind};
use crate::card::{Application, CardError, KeyRef, LastTry, PinStatus, files, pin_status};
use crate::exchange::{FileRef, Framing};

/// The auth PIN's key reference.
const AUTH_PIN: KeyRef = KeyRef::JpkiAuthPin;

/// What a reader with a PIN pad is asked to do at a keypad prompt: the VERIFY
/// header of the JPKI auth PIN (`00 20 00 98`), 4 digits.
pub(crate) const AUTH_PIN_PAD: crate::transport::PinPadRequest = crate::transport::PinPadRequest {
    header: [0x00, 0x20, 0x00, AUTH_PIN.p2()],
    min_digits: 4,
    max_digits: 4,
};
/// Bytes of EF 0006 read: the 32-byte label is all the flows need.
const TOKEN_LABEL_LEN: usize = 32;

fn auth_cert() -> FileRef {
    FileRef::Sfi(files::jpki::AUTH_CERT.sfi())
}

fn sign_command(challenge: &Challenge, addressing: SignAddressing) -> Command {
    let sha = HashAlgorithm::Sha256;
    // A SHA-256 digest always has the right length for its DigestInfo.
    let digest_info = sha
        .digest_info(&sha.hash(challenge.bytes()))
        .unwrap_or_default();
    crate::card::jpki::sign_command(JpkiKey::Auth, &digest_info, addressing)
}

/// How the key is unlocked.
pub(crate) enum KeyAccess {
    /// The holder's PIN on the keypad (card, Android).
    Pin,
    /// The terminal's 特定機関認証 (after a face match or staff check).
    Pinless(Box<dyn PinlessKeyAccess>),
}

/// What token the flow expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A physical card: the token info is not read (the certificate's kind tells).
    Card,
    /// A smartphone: the token kind is read from EF 0006 and decides the steps.
    Phone,
}

/// What a finished key proof hands back: still unverified.
pub(crate) struct Presented {
    pub(crate) certificate: Zeroizing<Vec<u8>>,
    pub(crate) signature: Vec<u8>,
    pub(crate) token: TokenKind,
}

/// One step of progress.
pub(crate) enum Progress {
    Event(Event),
    Presented(Presented),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    SelectAp,
    Token,
    Certificate,
    Query,
    LastTry,
    Pin,
    Verify,
    WrongPinShown(u8),
    IphoneShown,
    Pinless,
    SelectKey,
    Sign,
    SignBySfi,
    EndOfTransaction,
    Finished,
}

impl State {
    const fn step(self) -> &'static str {
        match self {
            Self::Start | Self::SelectAp => "SELECT JPKI AP",
            Self::Token => "READ token info",
            Self::Certificate => "READ auth certificate",
            Self::Query => "VERIFY query",
            Self::LastTry => "last-try confirmation",
            Self::Pin => "PIN entry",
            Self::Verify => "VERIFY",
            Self::WrongPinShown(_) => "wrong-PIN guidance",
            Self::IphoneShown => "iPhone guidance",
            Self::Pinless => "特定機関認証",
            Self::SelectKey => "SELECT auth key",
            Self::Sign | Self::SignBySfi => "COMPUTE DIGITAL SIGNATURE",
            Self::EndOfTransaction => "END OF TRANSACTION",
            Self::Finished => "finished",
        }
    }

    const fn expects(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Token | Self::Certificate => "file content",
            Self::LastTry => "yes/no",
            Self::Pin => "keypad digits",
            Self::WrongPinShown(_) | Self::IphoneShown => "continue",
            _ => "card response",
        }
    }
}

/// The key-proof state machine.
pub(crate) struct KeyProof {
    state: State,
    expect: Expect,
    access: KeyAccess,
    challenge: Challenge,
    token: TokenKind,
    status: PinStatus,
    last_try: LastTry,
    certificate: Option<Zeroizing<Vec<u8>>>,
    pin_verified: bool,
    signature: Option<Vec<u8>>,
    addressing: SignAddressing,
}

impl KeyProof {
    pub(crate) fn new(expect: Expect, access: KeyAccess, challenge: Challenge) -> Self {
        Self {
            state: State::Start,
            expect,
            access,
            challenge,
            token: TokenKind::Card,
            status: PinStatus::VERIFIED,
            last_try: LastTry::Refuse,
            certificate: None,
            pin_verified: false,
            signature: None,
            addressing: SignAddressing::BySfi,
        }
    }

    pub(crate) fn with_addressing(mut self, addressing: SignAddressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// Signs, or selects the key EF first, as configured.
    fn sign_or_select(&mut self) -> Result<Progress, FlowError> {
        match self.addressing {
            SignAddressing::BySfi => self.send(
                State::SignBySfi,
                sign_command(&self.challenge, SignAddressing::BySfi),
            ),
            _ => self.send(State::SelectKey, JpkiKey::Auth.file().select()),
        }
    }

    fn unexpected(&self, input: &Input) -> FlowError {
        FlowError::UnexpectedInput {
            expected: self.state.expects(),
            got: input.kind(),
        }
    }

    fn send(&mut self, state: State, cmd: crate::apdu::Command) -> Result<Progress, FlowError> {
        self.state = state;
        Ok(Progress::Event(Event::Send(cmd)))
    }

    fn read(
        &mut self,
        state: State,
        file: FileRef,
        framing: Framing,
    ) -> Result<Progress, FlowError> {
        self.state = state;
        Ok(Progress::Event(Event::Read { file, framing }))
    }

    fn guide(&mut self, state: State, guidance: Guidance) -> Result<Progress, FlowError> {
        self.state = state;
        Ok(Progress::Event(Event::Guide(guidance)))
    }

    fn needs_pin(&self) -> bool {
        matches!(self.access, KeyAccess::Pin) && self.token != TokenKind::Iphone
    }

    fn pin_prompt(&self) -> Guidance {
        Guidance::new(if self.token == TokenKind::Android {
            GuidanceId::PhoneAndroidPinEnter
        } else {
            GuidanceId::CardPinEnter
        })
    }

    /// After the certificate is read (card, iPhone) or the PIN verified (Android).
    fn after_certificate(&mut self) -> Result<Progress, FlowError> {
        if self.needs_pin() && !self.pin_verified {
            return self.send(State::Query, AUTH_PIN.query_command());
        }
        self.unlock_or_select_key(None)
    }

    fn after_pin(&mut self) -> Result<Progress, FlowError> {
        if self.certificate.is_none() {
            return self.read(State::Certificate, auth_cert(), Framing::Tlv);
        }
        self.sign_or_select()
    }

    fn unlock_or_select_key(&mut self, previous: Option<&Response>) -> Result<Progress, FlowError> {
        if let KeyAccess::Pinless(terminal) = &mut self.access
            && let Some(cmd) = terminal.next_command(previous)?
        {
            return self.send(State::Pinless, cmd);
        }
        self.sign_or_select()
    }

    fn card_failed(&mut self, error: crate::ExchangeError) -> FlowError {
        self.fail(CardError::Exchange(error))
    }

    fn status_error(&mut self, resp: &Response, command: &'static str) -> FlowError {
        self.card_failed(crate::ExchangeError::Status {
            command,
            sw: resp.status(),
        })
    }

    /// The lockout guard: blocked ends the flow; one try left asks the patient
    /// first (`card.pin.last_try`); otherwise the PIN prompt.
    fn guarded(&mut self, status: PinStatus) -> Result<Progress, FlowError> {
        self.status = status;
        match pin_status::guard(AUTH_PIN, status, LastTry::Refuse) {
            Ok(()) => {
                let g = self.pin_prompt();
                self.guide(State::Pin, g)
            }
            Err(CardError::Pin(PinError::LastTryRefused { .. })) => {
                self.guide(State::LastTry, Guidance::new(GuidanceId::CardPinLastTry))
            }
            Err(error) => Err(self.fail(error)),
        }
    }

    /// The card's answer to the VERIFY (from the host or the reader's keypad).
    fn verified(&mut self, sw: StatusWord) -> Result<Progress, FlowError> {
        match pin_status::parse_verify(AUTH_PIN, sw) {
            Ok(()) => {
                self.pin_verified = true;
                self.after_pin()
            }
            Err(CardError::Pin(PinError::WrongPin { remaining, .. })) => {
                self.status = PinStatus {
                    remaining: Some(remaining),
                    blocked: false,
                };
                self.last_try = LastTry::Refuse;
                self.guide(
                    State::WrongPinShown(remaining),
                    Guidance::with_tries_left(GuidanceId::CardPinWrong, remaining),
                )
            }
            Err(error) => Err(self.fail(error)),
        }
    }

    /// Ends the flow with a card-level error.
    fn fail(&mut self, error: CardError) -> FlowError {
        let step = self.state.step();
        self.state = State::Finished;
        FlowError::from_card_error(step, error)
    }

    pub(crate) fn resume(&mut self, input: Input) -> Result<Progress, FlowError> {
        if let Input::Cancel = input {
            self.state = State::Finished;
            return Err(FlowError::Cancelled);
        }
        let input = match input {
            Input::CardFailed(e) => {
                if matches!(
                    self.state,
                    State::Start
                        | State::LastTry
                        | State::WrongPinShown(_)
                        | State::IphoneShown
                        | State::Finished
                ) {
                    return Err(FlowError::UnexpectedInput {
                        expected: self.state.expects(),
                        got: "card failure",
                    });
                }
                return Err(self.card_failed(e));
            }
            other => other,
        };
        match (self.state, input) {
            (State::Start, Input::Start) => self.send(State::SelectAp, Application::Jpki.select()),
            (State::SelectAp, Input::Response(r)) => {
                if r.status() == StatusWord::FileNotFound {
                    self.state = State::Finished;
                    return Err(FlowError::NotJpki);
                }
                if !r.status().is_ok() {
                    return Err(self.status_error(&r, "SELECT"));
                }
                match self.expect {
                    Expect::Phone => self.read(
                        State::Token,
                        FileRef::Sfi(files::jpki::TOKEN_INFO.sfi()),
                        Framing::Fixed(TOKEN_LABEL_LEN),
                    ),
                    Expect::Card => self.read(State::Certificate, auth_cert(), Framing::Tlv),
                }
            }
            (State::Token, Input::File(bytes)) => {
                let info = match TokenInfo::parse(&bytes) {
                    Ok(info) => info,
                    Err(error) => return Err(self.fail(error.into())),
                };
                match info.kind {
                    TokenKind::Android => {
                        self.token = info.kind;
                        self.send(State::Query, AUTH_PIN.query_command())
                    }
                    TokenKind::Iphone => {
                        self.token = info.kind;
                        self.guide(
                            State::IphoneShown,
                            Guidance::new(GuidanceId::PhoneIphoneReady),
                        )
                    }
                    _ => {
                        self.state = State::Finished;
                        Err(FlowError::UnexpectedToken { found: info.label })
                    }
                }
            }
            (State::Certificate, Input::File(bytes)) => {
                self.certificate = Some(bytes);
                if self.pin_verified {
                    self.sign_or_select()
                } else {
                    self.after_certificate()
                }
            }
            (State::Query, Input::Response(r)) => {
                match PinStatus::from_query(AUTH_PIN, r.status()) {
                    Ok(status) => self.guarded(status),
                    Err(error) => Err(self.fail(error)),
                }
            }
            (State::LastTry, Input::YesNo(true)) => {
                self.last_try = LastTry::Allow;
                let g = self.pin_prompt();
                self.guide(State::Pin, g)
            }
            (State::LastTry, Input::YesNo(false)) => {
                self.state = State::Finished;
                Err(FlowError::LastTryDeclined)
            }
            (State::Pin, Input::Digits(digits)) => match Pin::new(&digits) {
                Ok(pin) => {
                    // The guard is checked again right before the VERIFY is sent.
                    if let Err(error) = pin_status::guard(AUTH_PIN, self.status, self.last_try) {
                        return Err(self.fail(error));
                    }
                    match AUTH_PIN.verify_command(&pin) {
                        Ok(cmd) => self.send(State::Verify, cmd),
                        Err(error) => Err(self.fail(error)),
                    }
                }
                // A malformed PIN is never sent: it would cost a try.
                Err(_) => {
                    let g = self.pin_prompt();
                    self.guide(State::Pin, g)
                }
            },
            (State::Verify, Input::Response(r)) => self.verified(r.status()),
            // The reader's keypad collected the PIN and sent the VERIFY itself.
            (State::Pin, Input::PinPad(r)) => match r.status() {
                StatusWord::Other(0x6400 | 0x6401) => {
                    self.state = State::Finished;
                    Err(FlowError::Cancelled)
                }
                sw => {
                    self.state = State::Verify;
                    self.verified(sw)
                }
            },
            (State::WrongPinShown(_), Input::Continue) => self.guarded(self.status),
            (State::IphoneShown, Input::Continue) => {
                self.read(State::Certificate, auth_cert(), Framing::Tlv)
            }
            (State::Pinless, Input::Response(r)) => self.unlock_or_select_key(Some(&r)),
            (State::SelectKey, Input::Response(r)) => {
                if !r.status().is_ok() {
                    return Err(self.status_error(&r, "SELECT"));
                }
                self.send(
                    State::Sign,
                    sign_command(&self.challenge, SignAddressing::SelectThenCurrent),
                )
            }
            (State::SignBySfi, Input::Response(r))
                if matches!(
                    r.status(),
                    StatusWord::IncorrectP1P2
                        | StatusWord::FunctionNotSupported
                        | StatusWord::NoCurrentEf
                ) =>
            {
                self.addressing = SignAddressing::SelectThenCurrent;
                self.send(State::SelectKey, JpkiKey::Auth.file().select())
            }
            (State::Sign | State::SignBySfi, Input::Response(r)) => {
                if !r.status().is_ok() {
                    return Err(self.status_error(&r, "COMPUTE DIGITAL SIGNATURE"));
                }
                match crate::card::jpki::parse_signature(r.into_data()) {
                    Ok(signature) => self.signature = Some(signature),
                    Err(error) => return Err(self.fail(error.into())),
                }
                if self.token.verifies_on_device() {
                    return self.send(
                        State::EndOfTransaction,
                        crate::card::jpki::end_of_transaction_command(),
                    );
                }
                self.finish()
            }
            (State::EndOfTransaction, Input::Response(r)) => {
                if !r.status().is_ok() {
                    return Err(self.status_error(&r, "END OF TRANSACTION"));
                }
                self.finish()
            }
            (State::Finished, _) => Err(FlowError::Finished),
            (_, other) => Err(self.unexpected(&other)),
        }
    }

    fn finish(&mut self) -> Result<Progress, FlowError> {
        self.state = State::Finished;
        match (self.certificate.take(), self.signature.take()) {
            (Some(certificate), Some(signature)) => Ok(Progress::Presented(Presented {
                certificate,
                signature,
                token: self.token,
            })),
            _ => Err(FlowError::Finished),
        }
    }
}

/// A whole flow made of an opening guidance, a key proof, and the shared tail:
/// card + PIN and smartphone.
pub(crate) struct KeyFlow<V> {
    stage: KeyFlowStage,
    facility: crate::eligibility::MedicalInstitutionCode,
    opening: GuidanceId,
    expect: Expect,
    challenge: Challenge,
    verifier: V,
    addressing: SignAddressing,
}

enum KeyFlowStage {
    Start,
    Opened,
    Key(Box<KeyProof>),
    Tail(Box<super::completion::Completion>),
    Finished,
}

impl<V: super::presentation::PresentationVerifier> KeyFlow<V> {
    pub(crate) fn new(
        facility: crate::eligibility::MedicalInstitutionCode,
        opening: GuidanceId,
        expect: Expect,
        challenge: Challenge,
        verifier: V,
    ) -> Self {
        Self {
            stage: KeyFlowStage::Start,
            facility,
            opening,
            expect,
            challenge,
            verifier,
            addressing: SignAddressing::BySfi,
        }
    }

    pub(crate) fn set_addressing(&mut self, addressing: SignAddressing) {
        self.addressing = addressing;
    }

    pub(crate) fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        let result = self.step(input);
        if result.is_err() {
            self.stage = KeyFlowStage::Finished;
        }
        result
    }

    fn step(&mut self, input: Input) -> Result<Event, FlowError> {
        match &mut self.stage {
            KeyFlowStage::Start => match input {
                Input::Start => {
                    self.stage = KeyFlowStage::Opened;
                    Ok(Event::Guide(Guidance::new(self.opening)))
                }
                other => Err(FlowError::UnexpectedInput {
                    expected: "start",
                    got: other.kind(),
                }),
            },
            KeyFlowStage::Opened => match input {
                Input::Continue => {
                    let mut key =
                        KeyProof::new(self.expect, KeyAccess::Pin, self.challenge.clone());
                    let progress = key.resume(Input::Start)?;
                    self.stage = KeyFlowStage::Key(Box::new(key));
                    self.advance(progress)
                }
                Input::Cancel => Err(FlowError::Cancelled),
                other => Err(FlowError::UnexpectedInput {
                    expected: "continue",
                    got: other.kind(),
                }),
            },
            KeyFlowStage::Key(key) => {
                let progress = key.resume(input)?;
                self.advance(progress)
            }
            KeyFlowStage::Tail(tail) => tail.resume(input),
            KeyFlowStage::Finished => Err(FlowError::Finished),
        }
    }

    fn advance(&mut self, progress: Progress) -> Result<Event, FlowError> {
        match progress {
            Progress::Event(e) => Ok(e),
            Progress::Presented(p) => {
                let identity = super::completion::verify(&self.verifier, &self.challenge, &p)?;
                let method = match p.token {
                    TokenKind::Android => super::outcome::Method::SmartphoneAndroid,
                    TokenKind::Iphone => super::outcome::Method::SmartphoneIphone,
                    _ => super::outcome::Method::Pin,
                };
                let mut tail = super::completion::Completion::new(
                    super::outcome::Identity::Verified(identity),
                    method,
                    super::consent::ConsentItem::ALL,
                    GuidanceId::VerifyOk,
                    self.facility.clone(),
                    None,
                );
                let first = tail.start();
                self.stage = KeyFlowStage::Tail(Box::new(tail));
                Ok(first)
            }
        }
    }
}
