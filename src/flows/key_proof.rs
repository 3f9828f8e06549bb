//! Proving the card (or phone) holds the user-authentication key: the JPKI part
//! shared by every flow that reads a card or phone.
//!
//! Order on a card: SELECT JPKI AP, READ the auth certificate by SFI (the first
//! READ selects it), VERIFY query, PIN on the keypad, VERIFY by SFI, SELECT the
//! key EF, COMPUTE DIGITAL SIGNATURE. On an Android token the PIN comes before the
//! certificate (the certificate is readable only after it); an iPhone token gets
//! no VERIFY and is closed with the end-of-transaction command. With the
//! terminal's 特定機関認証 the PIN steps are replaced by its exchange.

use zeroize::Zeroizing;

use super::error::FlowError;
use super::event::{Event, Input};
use super::guidance::{Guidance, GuidanceId};
use super::jpki;
use super::outcome::TokenKind;
use super::presentation::Challenge;
use super::terminal::PinlessKeyAccess;
use crate::apdu::{Response, StatusWord};
use crate::exchange::{FileRef, Framing};

/// How the key is unlocked.
pub(crate) enum KeyAccess {
    /// The holder's PIN on the keypad (card, Android).
    Pin,
    /// The terminal's 特定機関認証 (after a face match or staff check).
    Pinless(Box<dyn PinlessKeyAccess>),
}

/// How COMPUTE DIGITAL SIGNATURE names the auth key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum KeyReference {
    /// `80 2A 00 97`: the key by its short file identifier, no SELECT (one command
    /// fewer). Single source (a test card's systematic probe) ⚠: when the card
    /// answers `6A86` / `6A81` / `6986`, the flow falls back to
    /// [`KeyReference::SelectEf`] by itself.
    #[default]
    Sfi,
    /// `00 A4 02 0C 02 00 17` then `80 2A 00 80`: what every reader does.
    SelectEf,
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
            Self::WrongPinShown(_) => "continue",
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
    certificate: Option<Zeroizing<Vec<u8>>>,
    pin_verified: bool,
    signature: Option<Vec<u8>>,
    key_reference: KeyReference,
}

impl KeyProof {
    pub(crate) fn new(expect: Expect, access: KeyAccess, challenge: Challenge) -> Self {
        Self {
            state: State::Start,
            expect,
            access,
            challenge,
            token: TokenKind::Card,
            certificate: None,
            pin_verified: false,
            signature: None,
            key_reference: KeyReference::default(),
        }
    }

    pub(crate) fn with_key_reference(mut self, key_reference: KeyReference) -> Self {
        self.key_reference = key_reference;
        self
    }

    /// Signs, or selects the key EF first, as configured.
    fn sign_or_select(&mut self) -> Result<Progress, FlowError> {
        match self.key_reference {
            KeyReference::Sfi => self.send(
                State::SignBySfi,
                jpki::sign_challenge_by_sfi(self.challenge.bytes()),
            ),
            KeyReference::SelectEf => self.send(State::SelectKey, jpki::select_auth_key()),
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
            return self.send(State::Query, jpki::verify_query());
        }
        self.unlock_or_select_key(None)
    }

    fn after_pin(&mut self) -> Result<Progress, FlowError> {
        if self.certificate.is_none() {
            return self.read(
                State::Certificate,
                FileRef::Sfi(jpki::AUTH_CERT_SFI),
                Framing::Tlv,
            );
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

    fn card_failed(&mut self, error: crate::Error) -> FlowError {
        let step = self.state.step();
        self.state = State::Finished;
        FlowError::from_card(step, error)
    }

    fn status_error(&mut self, resp: &Response, command: &'static str) -> FlowError {
        self.card_failed(crate::Error::Status {
            command,
            sw: resp.status(),
        })
    }

    fn tries_answer(&mut self, sw: StatusWord) -> Result<Progress, FlowError> {
        match sw {
            StatusWord::RemainingTries(0)
            | StatusWord::ReferenceDataBlocked
            | StatusWord::AuthenticationMethodBlocked => {
                self.state = State::Finished;
                Err(FlowError::PinBlocked)
            }
            StatusWord::RemainingTries(1) => {
                self.guide(State::LastTry, Guidance::new(GuidanceId::CardPinLastTry))
            }
            _ => {
                let g = self.pin_prompt();
                self.guide(State::Pin, g)
            }
        }
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
                        | State::Pin
                        | State::WrongPinShown(_)
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
            (State::Start, Input::Start) => self.send(State::SelectAp, jpki::select_jpki_ap()),
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
                        FileRef::Sfi(jpki::TOKEN_INFO_SFI),
                        Framing::Fixed(jpki::TOKEN_LABEL_LEN),
                    ),
                    Expect::Card => self.read(
                        State::Certificate,
                        FileRef::Sfi(jpki::AUTH_CERT_SFI),
                        Framing::Tlv,
                    ),
                }
            }
            (State::Token, Input::File(bytes)) => {
                let token = TokenKind::from_label(&bytes);
                match token {
                    TokenKind::Android => {
                        self.token = token;
                        self.send(State::Query, jpki::verify_query())
                    }
                    TokenKind::Iphone => {
                        self.token = token;
                        self.read(
                            State::Certificate,
                            FileRef::Sfi(jpki::AUTH_CERT_SFI),
                            Framing::Tlv,
                        )
                    }
                    _ => {
                        self.state = State::Finished;
                        Err(FlowError::UnexpectedToken {
                            found: jpki::label_text(&bytes),
                        })
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
            (State::Query, Input::Response(r)) => match r.status() {
                sw @ (StatusWord::RemainingTries(_)
                | StatusWord::ReferenceDataBlocked
                | StatusWord::AuthenticationMethodBlocked
                | StatusWord::Ok) => self.tries_answer(sw),
                _ => Err(self.status_error(&r, "VERIFY")),
            },
            (State::LastTry, Input::YesNo(true)) => {
                let g = self.pin_prompt();
                self.guide(State::Pin, g)
            }
            (State::LastTry, Input::YesNo(false)) => {
                self.state = State::Finished;
                Err(FlowError::LastTryDeclined)
            }
            (State::Pin, Input::Digits(digits)) => match jpki::verify_auth_pin(&digits) {
                Some(cmd) => self.send(State::Verify, cmd),
                // A malformed PIN is never sent: it would cost a try.
                None => {
                    let g = self.pin_prompt();
                    self.guide(State::Pin, g)
                }
            },
            (State::Verify, Input::Response(r)) => match r.status() {
                StatusWord::Ok => {
                    self.pin_verified = true;
                    self.after_pin()
                }
                StatusWord::RemainingTries(0)
                | StatusWord::ReferenceDataBlocked
                | StatusWord::AuthenticationMethodBlocked => self.tries_answer(r.status()),
                StatusWord::RemainingTries(n) => self.guide(
                    State::WrongPinShown(n),
                    Guidance::with_tries_left(GuidanceId::CardPinWrong, n),
                ),
                _ => Err(self.status_error(&r, "VERIFY")),
            },
            (State::WrongPinShown(n), Input::Continue) => {
                self.tries_answer(StatusWord::RemainingTries(n))
            }
            (State::Pinless, Input::Response(r)) => self.unlock_or_select_key(Some(&r)),
            (State::SelectKey, Input::Response(r)) => {
                if !r.status().is_ok() {
                    return Err(self.status_error(&r, "SELECT"));
                }
                self.send(State::Sign, jpki::sign_challenge(self.challenge.bytes()))
            }
            (State::SignBySfi, Input::Response(r))
                if matches!(
                    r.status(),
                    StatusWord::IncorrectP1P2
                        | StatusWord::FunctionNotSupported
                        | StatusWord::NoCurrentEf
                ) =>
            {
                self.key_reference = KeyReference::SelectEf;
                self.send(State::SelectKey, jpki::select_auth_key())
            }
            (State::Sign | State::SignBySfi, Input::Response(r)) => {
                if !r.status().is_ok() {
                    return Err(self.status_error(&r, "COMPUTE DIGITAL SIGNATURE"));
                }
                self.signature = Some(r.into_data());
                if self.token == TokenKind::Iphone {
                    return self.send(State::EndOfTransaction, jpki::end_of_transaction());
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
    opening: GuidanceId,
    expect: Expect,
    challenge: Challenge,
    verifier: V,
    key_reference: KeyReference,
}

enum KeyFlowStage {
    Start,
    Opened,
    Key(KeyProof),
    Tail(super::completion::Completion),
    Finished,
}

impl<V: super::presentation::PresentationVerifier> KeyFlow<V> {
    pub(crate) fn new(
        opening: GuidanceId,
        expect: Expect,
        challenge: Challenge,
        verifier: V,
    ) -> Self {
        Self {
            stage: KeyFlowStage::Start,
            opening,
            expect,
            challenge,
            verifier,
            key_reference: KeyReference::default(),
        }
    }

    pub(crate) fn set_key_reference(&mut self, key_reference: KeyReference) {
        self.key_reference = key_reference;
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
                    self.stage = KeyFlowStage::Key(key);
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
                    None,
                );
                let first = tail.start();
                self.stage = KeyFlowStage::Tail(tail);
                Ok(first)
            }
        }
    }
}
