//! Proving the card (or phone) holds the user-authentication key: the JPKI part
//! shared by every flow that reads a card or phone, ending in the PKI check.
//!
//! Order on a card: SELECT JPKI AP, READ the auth certificate by SFI (the first
//! READ selects it), VERIFY query, PIN on the keypad, VERIFY by SFI, SELECT the
//! key EF, COMPUTE DIGITAL SIGNATURE (`80 2A 00 80`; the SFI form `80 2A 00 97`
//! without the SELECT is opt-in, [`KeyProofOptions::addressing`]). On an Android
//! token the PIN comes before the certificate (the certificate is readable only
//! after it); an iPhone token gets no VERIFY and is closed with the
//! end-of-transaction command. With the terminal's 特定機関認証 the PIN steps are
//! replaced by its exchange. The token info (EF 0006) is read by the card flows
//! only when the PKI check needs the token's form ([`super::presentation`]).
//!
//! One struct per state, each carrying what it knows (the rustls handshake
//! model): the certificate is in hand from the state that read it on, so the
//! signature state builds the presentation without an impossible branch.

use alloc::boxed::Box;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::error::FlowError;
use super::guidance::{Guidance, GuidanceId};
use super::outcome::VerifiedHolder;
use super::presentation::{KeyProofChallenge, PresentationVerifier, Presented, Verdict};
use super::step::{In, Out};
use super::terminal::PinlessKeyAccess;
use crate::apdu::{Command, Response, StatusWord};
use crate::card::HashAlgorithm;
use crate::card::Pin;
use crate::card::{
    Application, CardError, KeyRef, LastTry, PinError, PinStatus, files, pin_status,
};
use crate::card::{JpkiKey, SignAddressing};
use crate::card::{TokenInfo, TokenKind};
use crate::exchange::{FileRef, Framing};

/// The auth PIN's key reference.
pub(crate) const AUTH_PIN: KeyRef = KeyRef::JpkiAuthPin;

/// Bytes of EF 0006 read: the 32-byte label is all the flows need.
const TOKEN_LABEL_LEN: usize = 32;

/// What the flows do when one PIN try is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LastTryPolicy {
    /// Warn the patient (`card.pin.last_try`, 残り1回) and spend the last try only
    /// after a yes (default).
    #[default]
    Ask,
    /// Never spend the last try: end with [`FlowError::LastTryDeclined`] (an
    /// unattended kiosk).
    Refuse,
}

/// How every flow's key proof talks to the card: one value passed to
/// [`super::CardPinFlow`], [`super::SmartphoneFlow`] and [`super::CardFaceFlow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KeyProofOptions {
    /// How COMPUTE DIGITAL SIGNATURE names the auth key. Default
    /// [`SignAddressing::SelectThenCurrent`] (`SELECT 0017` + `80 2A 00 80`, what every
    /// source shows); [`SignAddressing::BySfi`] (`80 2A 00 97`, one command fewer) is
    /// single-source ⚠ and opt-in — it falls back by itself to SELECT + sign when the
    /// card answers `6A86` / `6A81` / `6986`.
    #[cfg_attr(feature = "serde", serde(with = "addressing_serde"))]
    pub addressing: SignAddressing,
    /// What to do when one PIN try is left.
    pub last_try: LastTryPolicy,
}

impl KeyProofOptions {
    /// The defaults: SELECT + sign, ask before the last try.
    pub const fn new() -> Self {
        Self {
            addressing: SignAddressing::SelectThenCurrent,
            last_try: LastTryPolicy::Ask,
        }
    }

    /// With this sign addressing.
    pub const fn with_addressing(mut self, addressing: SignAddressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// With this last-try policy.
    pub const fn with_last_try(mut self, last_try: LastTryPolicy) -> Self {
        self.last_try = last_try;
        self
    }
}

/// `SignAddressing` as `"select_then_current"` / `"by_sfi"`.
#[cfg(feature = "serde")]
mod addressing_serde {
    use crate::card::SignAddressing;

    pub(super) fn serialize<S: serde::Serializer>(
        a: &SignAddressing,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(match a {
            SignAddressing::BySfi => "by_sfi",
            _ => "select_then_current",
        })
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<SignAddressing, D::Error> {
        let s = <alloc::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        match &*s {
            "by_sfi" => Ok(SignAddressing::BySfi),
            "select_then_current" => Ok(SignAddressing::SelectThenCurrent),
            other => Err(serde::de::Error::unknown_variant(
                other,
                &["select_then_current", "by_sfi"],
            )),
        }
    }
}

fn auth_cert() -> Out {
    Out::Read {
        file: FileRef::Sfi(files::jpki::AUTH_CERT.sfi()),
        framing: Framing::Tlv,
    }
}

fn token_info() -> Out {
    Out::Read {
        file: FileRef::Sfi(files::jpki::TOKEN_INFO.sfi()),
        framing: Framing::Fixed(TOKEN_LABEL_LEN),
    }
}

fn sign_command(challenge: &KeyProofChallenge, addressing: SignAddressing) -> Command {
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
    /// A physical card: the token info is read only if the PKI check needs it.
    Card,
    /// A smartphone: the token kind is read from EF 0006 and decides the steps.
    Phone,
}

/// One step of progress.
pub(crate) enum Progress {
    /// Do this and resume.
    Event(Out),
    /// The key proof ended: the PKI check verified the presentation.
    Verified(VerifiedHolder),
}

/// What does not change during one key proof.
struct Context {
    expect: Expect,
    access: KeyAccess,
    challenge: KeyProofChallenge,
    options: KeyProofOptions,
}

impl Context {
    fn needs_pin(&self, token: Option<TokenKind>) -> bool {
        matches!(self.access, KeyAccess::Pin) && token != Some(TokenKind::Iphone)
    }
}

/// The certificate in hand, and the token label if it was read.
struct Held {
    token: Option<TokenKind>,
    certificate: Zeroizing<Vec<u8>>,
}

/// The PIN steps: what they know.
struct PinStage {
    token: Option<TokenKind>,
    /// Read before the PIN (card, iPhone) or not yet (Android).
    certificate: Option<Zeroizing<Vec<u8>>>,
    status: PinStatus,
    /// The patient agreed to spend the last try.
    last_try: LastTry,
}

impl PinStage {
    fn prompt(&self) -> Guidance {
        Guidance::new(if self.token == Some(TokenKind::Android) {
            GuidanceId::PhoneAndroidPinEnter
        } else {
            GuidanceId::CardPinEnter
        })
    }
}

/// The key proof's states, each with its own data.
enum State {
    /// SELECT JPKI AP sent.
    SelectAp,
    /// EF 0006 asked for (smartphone flow).
    ReadToken,
    /// The auth certificate asked for.
    ReadCertificate {
        token: Option<TokenKind>,
        pin_verified: bool,
    },
    /// VERIFY query sent.
    Query(PinStage),
    /// The last-try warning shown; awaiting yes / no.
    LastTry(PinStage),
    /// The PIN prompt shown; awaiting digits (or the reader's PIN pad).
    Pin(PinStage),
    /// VERIFY with the PIN sent.
    Verify(PinStage),
    /// Wrong-PIN guidance shown.
    WrongPin(PinStage),
    /// iPhone guidance shown.
    IphoneShown,
    /// A command of the terminal's 特定機関認証 sent.
    Pinless(Held),
    /// SELECT of the key EF sent.
    SelectKey(Held),
    /// COMPUTE DIGITAL SIGNATURE sent (`by_sfi`: the opt-in `80 2A 00 97`).
    Sign { held: Held, by_sfi: bool },
    /// END OF TRANSACTION sent (iPhone).
    EndOfTransaction(Presented),
    /// EF 0006 asked for because the PKI check needs the token's form.
    TokenForCheck(Presented),
}

impl State {
    const fn step(&self) -> &'static str {
        match self {
            Self::SelectAp => "SELECT JPKI AP",
            Self::ReadToken | Self::TokenForCheck(_) => "READ token info",
            Self::ReadCertificate { .. } => "READ auth certificate",
            Self::Query(_) => "VERIFY query",
            Self::LastTry(_) => "last-try confirmation",
            Self::Pin(_) => "PIN entry",
            Self::Verify(_) => "VERIFY",
            Self::WrongPin(_) => "wrong-PIN guidance",
            Self::IphoneShown => "iPhone guidance",
            Self::Pinless(_) => "特定機関認証",
            Self::SelectKey(_) => "SELECT auth key",
            Self::Sign { .. } => "COMPUTE DIGITAL SIGNATURE",
            Self::EndOfTransaction(_) => "END OF TRANSACTION",
        }
    }

    const fn expects(&self) -> &'static str {
        match self {
            Self::ReadToken | Self::ReadCertificate { .. } | Self::TokenForCheck(_) => {
                "file content"
            }
            Self::LastTry(_) => "yes/no",
            Self::Pin(_) => "keypad digits",
            Self::WrongPin(_) | Self::IphoneShown => "continue",
            _ => "card response",
        }
    }

    /// Whether the state waits for the card (so a card failure is an answer).
    const fn awaits_card(&self) -> bool {
        !matches!(
            self,
            Self::LastTry(_) | Self::WrongPin(_) | Self::IphoneShown
        )
    }
}

type Step = Result<(State, Out), Finish>;

/// How a state's handling ends other than with a next state.
enum Finish {
    Verified(Box<VerifiedHolder>),
    Failed(FlowError),
}

impl From<FlowError> for Finish {
    fn from(e: FlowError) -> Self {
        Self::Failed(e)
    }
}

fn next(state: State, event: Out) -> Step {
    Ok((state, event))
}

fn send(state: State, command: Command) -> Step {
    next(state, Out::Send(command))
}

fn guide(state: State, guidance: Guidance) -> Step {
    next(state, Out::Guide(guidance))
}

/// The key-proof state machine: `None` once it ended.
pub(crate) struct KeyProof {
    cx: Context,
    state: Option<State>,
}

impl KeyProof {
    /// A key proof that starts with SELECT JPKI AP: the first event.
    pub(crate) fn start(
        expect: Expect,
        access: KeyAccess,
        challenge: KeyProofChallenge,
        options: KeyProofOptions,
    ) -> (Self, Out) {
        let proof = Self {
            cx: Context {
                expect,
                access,
                challenge,
                options,
            },
            state: Some(State::SelectAp),
        };
        (proof, Out::Send(Application::Jpki.select()))
    }

    /// Feeds one input.
    pub(crate) fn resume<V: PresentationVerifier + ?Sized>(
        &mut self,
        verifier: &V,
        input: In,
    ) -> Result<Progress, FlowError> {
        let Some(state) = self.state.take() else {
            return Err(FlowError::Finished);
        };
        if let In::Cancel = input {
            return Err(FlowError::Cancelled);
        }
        match handle(&mut self.cx, verifier, state, input) {
            Ok((state, event)) => {
                self.state = Some(state);
                Ok(Progress::Event(event))
            }
            Err(Finish::Verified(holder)) => Ok(Progress::Verified(*holder)),
            Err(Finish::Failed(e)) => Err(e),
        }
    }
}

fn fail(step: &'static str, error: CardError) -> Finish {
    Finish::Failed(FlowError::from_card_error(step, error))
}

fn status_error(step: &'static str, resp: &Response, command: &'static str) -> Finish {
    fail(
        step,
        CardError::Exchange(crate::ExchangeError::Status {
            command,
            sw: resp.status(),
        }),
    )
}

fn handle<V: PresentationVerifier + ?Sized>(
    cx: &mut Context,
    verifier: &V,
    state: State,
    input: In,
) -> Step {
    let step = state.step();
    let input = match input {
        In::CardFailed(e) if state.awaits_card() => {
            return Err(fail(step, CardError::Exchange(e)));
        }
        In::CardFailed(_) => {
            return Err(Finish::Failed(FlowError::UnexpectedInput {
                expected: state.expects(),
                got: "card failure",
            }));
        }
        other => other,
    };
    match (state, input) {
        (State::SelectAp, In::Response(r)) => {
            if r.status() == StatusWord::FileNotFound {
                return Err(FlowError::NotJpki.into());
            }
            if !r.status().is_ok() {
                return Err(status_error(step, &r, "SELECT"));
            }
            match cx.expect {
                Expect::Phone => next(State::ReadToken, token_info()),
                Expect::Card => next(
                    State::ReadCertificate {
                        token: None,
                        pin_verified: false,
                    },
                    auth_cert(),
                ),
            }
        }
        (State::ReadToken, In::File(bytes)) => {
            let info = TokenInfo::parse(&bytes).map_err(|e| fail(step, e.into()))?;
            match info.kind {
                TokenKind::Android => send(
                    State::Query(PinStage {
                        token: Some(TokenKind::Android),
                        certificate: None,
                        status: PinStatus::VERIFIED,
                        last_try: LastTry::Refuse,
                    }),
                    AUTH_PIN.query_command(),
                ),
                TokenKind::Iphone => guide(
                    State::IphoneShown,
                    Guidance::new(GuidanceId::PhoneIphoneReady),
                ),
                _ => Err(FlowError::UnexpectedToken { found: info.kind }.into()),
            }
        }
        (State::IphoneShown, In::Continue) => next(
            State::ReadCertificate {
                token: Some(TokenKind::Iphone),
                pin_verified: false,
            },
            auth_cert(),
        ),
        (
            State::ReadCertificate {
                token,
                pin_verified,
            },
            In::File(certificate),
        ) => {
            if cx.needs_pin(token) && !pin_verified {
                return send(
                    State::Query(PinStage {
                        token,
                        certificate: Some(certificate),
                        status: PinStatus::VERIFIED,
                        last_try: LastTry::Refuse,
                    }),
                    AUTH_PIN.query_command(),
                );
            }
            unlock_or_sign(cx, Held { token, certificate }, None)
        }
        (State::Query(mut pin), In::Response(r)) => {
            pin.status = PinStatus::from_query(AUTH_PIN, r.status()).map_err(|e| fail(step, e))?;
            guarded(cx, pin)
        }
        (State::LastTry(mut pin), In::YesNo(true)) => {
            pin.last_try = LastTry::Allow;
            let g = pin.prompt();
            guide(State::Pin(pin), g)
        }
        (State::LastTry(_), In::YesNo(false)) => Err(FlowError::LastTryDeclined.into()),
        (State::Pin(pin), In::Digits(digits)) => match Pin::new(&digits) {
            Ok(p) => {
                // The guard is checked again right before the VERIFY is sent.
                pin_status::guard(AUTH_PIN, pin.status, pin.last_try).map_err(|e| fail(step, e))?;
                let cmd = AUTH_PIN.verify_command(&p).map_err(|e| fail(step, e))?;
                send(State::Verify(pin), cmd)
            }
            // A malformed PIN is never sent: it would cost a try.
            Err(_) => {
                let g = pin.prompt();
                guide(State::Pin(pin), g)
            }
        },
        // The reader's keypad collected the PIN and sent the VERIFY itself.
        (State::Pin(pin), In::PinPad(r)) => match r.status() {
            StatusWord::Other(0x6400 | 0x6401) => Err(FlowError::Cancelled.into()),
            sw => verified(cx, pin, sw, "VERIFY"),
        },
        (State::Verify(pin), In::Response(r)) => verified(cx, pin, r.status(), step),
        (State::WrongPin(pin), In::Continue) => guarded(cx, pin),
        (State::Pinless(held), In::Response(r)) => unlock_or_sign(cx, held, Some(&r)),
        (State::SelectKey(held), In::Response(r)) => {
            if !r.status().is_ok() {
                return Err(status_error(step, &r, "SELECT"));
            }
            let cmd = sign_command(&cx.challenge, SignAddressing::SelectThenCurrent);
            send(
                State::Sign {
                    held,
                    by_sfi: false,
                },
                cmd,
            )
        }
        (State::Sign { held, by_sfi: true }, In::Response(r))
            if matches!(
                r.status(),
                StatusWord::IncorrectP1P2
                    | StatusWord::FunctionNotSupported
                    | StatusWord::NoCurrentEf
            ) =>
        {
            send(State::SelectKey(held), JpkiKey::Auth.file().select())
        }
        (State::Sign { held, .. }, In::Response(r)) => {
            if !r.status().is_ok() {
                return Err(status_error(step, &r, "COMPUTE DIGITAL SIGNATURE"));
            }
            let signature = crate::card::jpki::parse_signature(r.into_data())
                .map_err(|e| fail(step, e.into()))?;
            let presented = Presented {
                certificate: held.certificate,
                signature,
                token: held.token,
            };
            if held.token.is_some_and(TokenKind::verifies_on_device) {
                return send(
                    State::EndOfTransaction(presented),
                    crate::card::jpki::end_of_transaction_command(),
                );
            }
            check(cx, verifier, presented)
        }
        (State::EndOfTransaction(presented), In::Response(r)) => {
            if !r.status().is_ok() {
                return Err(status_error(step, &r, "END OF TRANSACTION"));
            }
            check(cx, verifier, presented)
        }
        (State::TokenForCheck(mut presented), In::File(bytes)) => {
            let info = TokenInfo::parse(&bytes).map_err(|e| fail(step, e.into()))?;
            presented.token = Some(info.kind);
            check(cx, verifier, presented)
        }
        (state, other) => Err(FlowError::UnexpectedInput {
            expected: state.expects(),
            got: other.kind(),
        }
        .into()),
    }
}

/// The PKI check; reads the token label when the check needs the token's form.
fn check<V: PresentationVerifier + ?Sized>(
    cx: &mut Context,
    verifier: &V,
    presented: Presented,
) -> Step {
    match super::presentation::verify(verifier, &cx.challenge, &presented)? {
        Verdict::Verified(holder) => Err(Finish::Verified(Box::new(holder))),
        Verdict::NeedsTokenLabel => next(State::TokenForCheck(presented), token_info()),
    }
}

/// The lockout guard: blocked ends the flow; one try left asks the patient first
/// (`card.pin.last_try`) or ends, per the options; otherwise the PIN prompt.
fn guarded(cx: &Context, pin: PinStage) -> Step {
    match pin_status::guard(AUTH_PIN, pin.status, pin.last_try) {
        Ok(()) => {
            let g = pin.prompt();
            guide(State::Pin(pin), g)
        }
        Err(CardError::Pin(PinError::LastTryRefused { .. })) => match cx.options.last_try {
            LastTryPolicy::Ask => guide(
                State::LastTry(pin),
                Guidance::new(GuidanceId::CardPinLastTry),
            ),
            LastTryPolicy::Refuse => Err(FlowError::LastTryDeclined.into()),
        },
        Err(error) => Err(fail("VERIFY query", error)),
    }
}

/// The card's answer to the VERIFY (from the host or the reader's keypad).
fn verified(cx: &mut Context, mut pin: PinStage, sw: StatusWord, step: &'static str) -> Step {
    match pin_status::parse_verify(AUTH_PIN, sw) {
        Ok(()) => match pin.certificate {
            None => next(
                State::ReadCertificate {
                    token: pin.token,
                    pin_verified: true,
                },
                auth_cert(),
            ),
            Some(certificate) => unlock_or_sign(
                cx,
                Held {
                    token: pin.token,
                    certificate,
                },
                None,
            ),
        },
        Err(CardError::Pin(PinError::WrongPin { remaining, .. })) => {
            pin.status = PinStatus {
                remaining: Some(remaining),
                blocked: false,
            };
            pin.last_try = LastTry::Refuse;
            guide(
                State::WrongPin(pin),
                Guidance::with_tries_left(GuidanceId::CardPinWrong, remaining),
            )
        }
        Err(error) => Err(fail(step, error)),
    }
}

/// The terminal's 特定機関認証 (if that is the access), then the signature.
fn unlock_or_sign(cx: &mut Context, held: Held, previous: Option<&Response>) -> Step {
    if let KeyAccess::Pinless(terminal) = &mut cx.access
        && let Some(cmd) = terminal.next_command(previous)?
    {
        return send(State::Pinless(held), cmd);
    }
    match cx.options.addressing {
        SignAddressing::BySfi => {
            let cmd = sign_command(&cx.challenge, SignAddressing::BySfi);
            send(State::Sign { held, by_sfi: true }, cmd)
        }
        _ => send(State::SelectKey(held), JpkiKey::Auth.file().select()),
    }
}

impl From<super::terminal::PinlessError> for Finish {
    fn from(e: super::terminal::PinlessError) -> Self {
        Self::Failed(FlowError::Pinless(e))
    }
}

impl<V: PresentationVerifier> super::step::Machine for KeyFlow<V> {
    fn step(&mut self, input: In) -> Result<Out, FlowError> {
        self.resume(input)
    }
}

/// A whole flow made of an opening guidance, a key proof, and the shared tail:
/// card + PIN and smartphone.
pub(crate) struct KeyFlow<V> {
    stage: KeyFlowStage,
    facility: crate::eligibility::MedicalInstitutionCode,
    opening: GuidanceId,
    expect: Expect,
    challenge: KeyProofChallenge,
    verifier: V,
    options: KeyProofOptions,
}

enum KeyFlowStage {
    Start,
    Opened,
    Key(Box<KeyProof>),
    Tail(Box<super::completion::Completion>),
    Finished,
}

impl<V: PresentationVerifier> KeyFlow<V> {
    pub(crate) fn new(
        facility: crate::eligibility::MedicalInstitutionCode,
        opening: GuidanceId,
        expect: Expect,
        challenge: KeyProofChallenge,
        verifier: V,
    ) -> Self {
        Self {
            stage: KeyFlowStage::Start,
            facility,
            opening,
            expect,
            challenge,
            verifier,
            options: KeyProofOptions::new(),
        }
    }

    pub(crate) fn options_mut(&mut self) -> &mut KeyProofOptions {
        &mut self.options
    }

    pub(crate) fn resume(&mut self, input: In) -> Result<Out, FlowError> {
        let result = self.step(input);
        if result.is_err() {
            self.stage = KeyFlowStage::Finished;
        }
        result
    }

    fn step(&mut self, input: In) -> Result<Out, FlowError> {
        match &mut self.stage {
            KeyFlowStage::Start => match input {
                In::Start => {
                    self.stage = KeyFlowStage::Opened;
                    Ok(Out::Guide(Guidance::new(self.opening)))
                }
                other => Err(FlowError::UnexpectedInput {
                    expected: "start",
                    got: other.kind(),
                }),
            },
            KeyFlowStage::Opened => match input {
                In::Continue => {
                    let (key, first) = KeyProof::start(
                        self.expect,
                        KeyAccess::Pin,
                        self.challenge.clone(),
                        self.options,
                    );
                    self.stage = KeyFlowStage::Key(Box::new(key));
                    Ok(first)
                }
                In::Cancel => Err(FlowError::Cancelled),
                other => Err(FlowError::UnexpectedInput {
                    expected: "continue",
                    got: other.kind(),
                }),
            },
            KeyFlowStage::Key(key) => match key.resume(&self.verifier, input)? {
                Progress::Event(e) => Ok(e),
                Progress::Verified(holder) => {
                    let method = holder.method_for(super::outcome::Method::Pin);
                    let mut tail = super::completion::Completion::new(
                        super::outcome::Identity::Verified(holder),
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
            },
            KeyFlowStage::Tail(tail) => tail.resume(input),
            KeyFlowStage::Finished => Err(FlowError::Finished),
        }
    }
}
