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

use super::Out;
use super::engine::key::{self, Signed, Signing};
use super::engine::pin::{LastTryPolicy, PinFail, PinStage, PinStep};
use super::engine::step::{In, Machine};
use super::error::FlowError;
use super::event::Event;
use super::guidance::{Guidance, GuidanceId};
use super::outcome::VerifiedHolder;
use super::pinless::PinlessKeyAccess;
use super::presentation::{KeyProofChallenge, PresentationVerifier, Presented, Verdict};
use crate::apdu::{Command, Response, StatusWord};
use crate::card::{Application, CardError, KeyRef, files};
use crate::card::{CardProofEvidence, TAG_CHAIN_LOWER, TAG_CHAIN_UPPER};
use crate::card::{JpkiKey, SignAddressing};
use crate::card::{TokenInfo, TokenKind};
use crate::exchange::Framing;
use crate::pki::Form;

/// The auth PIN's key reference.
pub(crate) const AUTH_PIN: KeyRef = KeyRef::JpkiAuthPin;

/// Bytes of EF 0006 read: the 32-byte label is all the flows need.
const TOKEN_LABEL_LEN: usize = 32;

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
    Out::read_sfi(files::jpki::AUTH_CERT.sfi(), Framing::Tlv)
}

fn token_info() -> Out {
    Out::read_sfi(
        files::jpki::TOKEN_INFO.sfi(),
        Framing::Fixed(TOKEN_LABEL_LEN),
    )
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
    /// The link carries extended APDUs (the card proof's GET DATA need them).
    extended: bool,
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

/// The PIN steps: the engine's [`PinStage`] and what this proof knows around it.
struct Unlocking {
    token: Option<TokenKind>,
    /// Read before the PIN (card, iPhone) or not yet (Android).
    certificate: Option<Zeroizing<Vec<u8>>>,
    pin: PinStage,
}

impl Unlocking {
    fn new(token: Option<TokenKind>, certificate: Option<Zeroizing<Vec<u8>>>) -> (Self, Command) {
        let pin = PinStage::new(AUTH_PIN);
        let query = pin.query();
        (
            Self {
                token,
                certificate,
                pin,
            },
            query,
        )
    }

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
    /// The PIN stage: its query, last-try question, prompt, VERIFY or wrong-PIN guidance
    /// in flight.
    Pin(Unlocking, PinWait),
    /// iPhone guidance shown.
    IphoneShown,
    /// A command of the terminal's 特定機関認証 sent.
    Pinless(Held),
    /// The engine's signing in flight (SELECT of the key EF, COMPUTE DIGITAL SIGNATURE).
    Signing(Held, Signing),
    /// END OF TRANSACTION sent (iPhone).
    EndOfTransaction(Presented),
    /// EF 0006 asked for because the PKI check needs the token's form.
    TokenForCheck(Presented),
    /// A command of the card proof sent (the label said "card" and the check needs the
    /// form): [`crate::card::CardProofEvidence`].
    Proof(Box<Proving>),
}

/// What the PIN stage waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PinWait {
    /// The answer to the try-count query.
    Query,
    /// The patient's yes / no to spending the last try.
    LastTry,
    /// The PIN (keypad digits, or the reader's PIN pad).
    Entry,
    /// The answer to the VERIFY.
    Verify,
    /// Continue after the wrong-PIN guidance.
    Wrong,
}

/// The card proof in progress: what it has gathered.
pub(crate) struct Proving {
    presented: Presented,
    step: ProofStep,
    upper: Vec<u8>,
    lower: Option<Vec<u8>>,
}

/// The command of the card proof in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProofStep {
    SelectIssuerSecurityDomain,
    ChainUpper,
    ChainLower,
    SelectCommon,
    InternalAuthenticate,
}

impl State {
    const fn step(&self) -> &'static str {
        match self {
            Self::SelectAp => "SELECT JPKI AP",
            Self::ReadToken | Self::TokenForCheck(_) => "READ token info",
            Self::ReadCertificate { .. } => "READ auth certificate",
            Self::Pin(_, wait) => match wait {
                PinWait::Query => "VERIFY query",
                PinWait::LastTry => "last-try confirmation",
                PinWait::Entry => "PIN entry",
                PinWait::Verify => "VERIFY",
                PinWait::Wrong => "wrong-PIN guidance",
            },
            Self::IphoneShown => "iPhone guidance",
            Self::Pinless(_) => "特定機関認証",
            Self::Signing(_, s) if s.selecting() => "SELECT auth key",
            Self::Signing(..) => "COMPUTE DIGITAL SIGNATURE",
            Self::EndOfTransaction(_) => "END OF TRANSACTION",
            Self::Proof(p) => match p.step {
                ProofStep::SelectIssuerSecurityDomain => "SELECT Issuer Security Domain",
                ProofStep::ChainUpper => "GET DATA 00F8",
                ProofStep::ChainLower => "GET DATA 7F21",
                ProofStep::SelectCommon => "SELECT 共通AP",
                ProofStep::InternalAuthenticate => "INTERNAL AUTHENTICATE",
            },
        }
    }

    const fn expects(&self) -> &'static str {
        match self {
            Self::ReadToken | Self::ReadCertificate { .. } | Self::TokenForCheck(_) => {
                "file content"
            }
            Self::Pin(_, PinWait::LastTry) => "yes/no",
            Self::Pin(_, PinWait::Entry) => "keypad digits",
            Self::Pin(_, PinWait::Wrong) | Self::IphoneShown => "continue",
            _ => "card response",
        }
    }

    /// Whether the state waits for the card (so a card failure is an answer).
    const fn awaits_card(&self) -> bool {
        !matches!(
            self,
            Self::Pin(_, PinWait::LastTry | PinWait::Wrong) | Self::IphoneShown
        )
    }
}

/// How a state's handling ends: the next state and what it asks for, or the verified
/// holder (the end of the key proof). A failure is the `Err` of [`Step`].
enum Next {
    To(State, Out),
    Verified(Box<VerifiedHolder>),
}

type Step = Result<Next, FlowError>;

fn next(state: State, event: Out) -> Step {
    Ok(Next::To(state, event))
}

fn send(state: State, command: Command) -> Step {
    next(state, Out::Send(command))
}

fn guide(state: State, guidance: Guidance) -> Step {
    next(state, Out::Emit(Event::Guide(guidance)))
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
        extended: bool,
    ) -> (Self, Out) {
        let proof = Self {
            cx: Context {
                expect,
                extended,
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
        match handle(&mut self.cx, verifier, state, input)? {
            Next::To(state, event) => {
                self.state = Some(state);
                Ok(Progress::Event(event))
            }
            Next::Verified(holder) => Ok(Progress::Verified(*holder)),
        }
    }
}

fn fail(step: &'static str, error: CardError) -> FlowError {
    FlowError::from_card_error(step, error)
}

/// One input in one state: a card failure ends the proof (or is unexpected), then the
/// state's own handler.
fn handle<V: PresentationVerifier + ?Sized>(
    cx: &mut Context,
    verifier: &V,
    state: State,
    input: In,
) -> Step {
    let step = state.step();
    match (state, input) {
        (state, In::CardFailed(e)) if state.awaits_card() => {
            Err(fail(step, CardError::Exchange(e)))
        }
        (state, In::CardFailed(_)) => Err(FlowError::UnexpectedInput {
            expected: state.expects(),
            got: "card failure",
        }),
        (State::SelectAp, In::Response(r)) => selected(cx, step, &r),
        (State::ReadToken, In::File(bytes)) => token_read(step, &bytes),
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
                let (unlocking, query) = Unlocking::new(token, Some(certificate));
                return send(State::Pin(unlocking, PinWait::Query), query);
            }
            unlock_or_sign(cx, Held { token, certificate }, None)
        }
        (State::Pin(unlocking, wait), input) => pin(cx, unlocking, wait, input),
        (State::Pinless(held), In::Response(r)) => unlock_or_sign(cx, held, Some(&r)),
        (State::Signing(held, signing), In::Response(r)) => {
            match signing
                .on_response(r, &cx.challenge)
                .map_err(|e| fail(step, e))?
            {
                Signed::Send(signing, cmd) => send(State::Signing(held, signing), cmd),
                Signed::Signature(signature) => signed(cx, verifier, held, signature),
            }
        }
        (State::EndOfTransaction(presented), In::Response(r)) => {
            key::answered(&r, "END OF TRANSACTION").map_err(|e| fail(step, e))?;
            check(cx, verifier, presented)
        }
        (State::TokenForCheck(presented), In::File(bytes)) => {
            label_read(cx, verifier, step, presented, &bytes)
        }
        (State::Proof(proving), In::Response(r)) => prove(cx, verifier, *proving, r),
        (state, other) => Err(FlowError::UnexpectedInput {
            expected: state.expects(),
            got: other.kind(),
        }),
    }
}

/// SELECT JPKI AP answered: the token info (phone) or the auth certificate (card).
fn selected(cx: &Context, step: &'static str, r: &Response) -> Step {
    if r.status() == StatusWord::FileNotFound {
        return Err(FlowError::NotJpki);
    }
    key::answered(r, "SELECT").map_err(|e| fail(step, e))?;
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

/// A phone's token info: Android asks the PIN first, an iPhone gets its guidance.
fn token_read(step: &'static str, bytes: &[u8]) -> Step {
    let info = TokenInfo::parse(bytes).map_err(|e| fail(step, e.into()))?;
    match info.kind {
        TokenKind::Android => {
            let (unlocking, query) = Unlocking::new(Some(TokenKind::Android), None);
            send(State::Pin(unlocking, PinWait::Query), query)
        }
        TokenKind::Iphone => guide(
            State::IphoneShown,
            Guidance::new(GuidanceId::PhoneIphoneReady),
        ),
        _ => Err(FlowError::UnexpectedToken { found: info.kind }),
    }
}

/// The PIN stage, in this proof's words: the engine's [`PinStage`] decides, the
/// proof shows its guidance and goes on with the certificate once the PIN is verified.
fn pin(cx: &mut Context, mut unlocking: Unlocking, wait: PinWait, input: In) -> Step {
    let policy = cx.options.last_try;
    let stage = &mut unlocking.pin;
    let (result, step) = match (wait, input) {
        (PinWait::Query, In::Response(r)) => (stage.on_query(r.status(), policy), "VERIFY query"),
        (PinWait::LastTry, In::YesNo(yes)) => (stage.on_last_try(yes), "last-try confirmation"),
        (PinWait::Entry, In::Digits(digits)) => (stage.on_typed(&digits), "PIN entry"),
        // The reader's keypad collected the PIN and sent the VERIFY itself.
        (PinWait::Entry, In::PinPad(r)) => (stage.on_pin_pad(r.status()), "VERIFY"),
        (PinWait::Verify, In::Response(r)) => (stage.on_verify(r.status()), "VERIFY"),
        (PinWait::Wrong, In::Continue) => (stage.guard(policy), "VERIFY query"),
        (wait, other) => {
            return Err(FlowError::UnexpectedInput {
                expected: State::Pin(unlocking, wait).expects(),
                got: other.kind(),
            });
        }
    };
    let pin_step = result.map_err(|e| match e {
        PinFail::Card(error) => fail(step, error),
        PinFail::LastTryDeclined => FlowError::LastTryDeclined,
        PinFail::Cancelled => FlowError::Cancelled,
    })?;
    match pin_step {
        PinStep::Prompt | PinStep::Malformed => {
            let g = unlocking.prompt();
            guide(State::Pin(unlocking, PinWait::Entry), g)
        }
        PinStep::AskLastTry => guide(
            State::Pin(unlocking, PinWait::LastTry),
            Guidance::new(GuidanceId::CardPinLastTry),
        ),
        PinStep::Verify(cmd) => send(State::Pin(unlocking, PinWait::Verify), cmd),
        PinStep::Wrong { remaining } => guide(
            State::Pin(unlocking, PinWait::Wrong),
            Guidance::with_tries_left(GuidanceId::CardPinWrong, remaining),
        ),
        PinStep::Verified => match unlocking.certificate {
            None => next(
                State::ReadCertificate {
                    token: unlocking.token,
                    pin_verified: true,
                },
                auth_cert(),
            ),
            Some(certificate) => unlock_or_sign(
                cx,
                Held {
                    token: unlocking.token,
                    certificate,
                },
                None,
            ),
        },
    }
}

/// The signature made: the presentation (an iPhone is closed first).
fn signed<V: PresentationVerifier + ?Sized>(
    cx: &mut Context,
    verifier: &V,
    held: Held,
    signature: Vec<u8>,
) -> Step {
    let presented = Presented {
        certificate: held.certificate,
        signature,
        token: held.token,
        proven: None,
    };
    if held.token.is_some_and(TokenKind::verifies_on_device) {
        return send(
            State::EndOfTransaction(presented),
            crate::card::jpki::end_of_transaction_command(),
        );
    }
    check(cx, verifier, presented)
}

/// The token label read for the check: a label saying "card" is proven before it counts.
fn label_read<V: PresentationVerifier + ?Sized>(
    cx: &mut Context,
    verifier: &V,
    step: &'static str,
    mut presented: Presented,
    bytes: &[u8],
) -> Step {
    let info = TokenInfo::parse(bytes).map_err(|e| fail(step, e.into()))?;
    presented.token = Some(info.kind);
    if super::presentation::form_of(info.kind) == Some(Form::Card) {
        return send(
            State::Proof(Box::new(Proving {
                presented,
                step: ProofStep::SelectIssuerSecurityDomain,
                upper: Vec::new(),
                lower: None,
            })),
            crate::card::card_proof::select_issuer_security_domain(),
        );
    }
    check(cx, verifier, presented)
}

/// The PKI check; reads the token label when the check needs the token's form.
fn check<V: PresentationVerifier + ?Sized>(
    cx: &mut Context,
    verifier: &V,
    presented: Presented,
) -> Step {
    match super::presentation::verify(verifier, &cx.challenge, &presented)? {
        Verdict::Verified(holder) => Ok(Next::Verified(Box::new(holder))),
        Verdict::NeedsTokenLabel => next(State::TokenForCheck(presented), token_info()),
    }
}

/// One answer of the card proof. A card that cannot answer (a phone, an older card, a
/// short-APDU-only link for the 561-byte `00F8`) leaves the form unproven: the check then
/// decides without it (no grace). An answer that does not verify ends the flow.
fn prove<V: PresentationVerifier + ?Sized>(
    cx: &mut Context,
    verifier: &V,
    mut proving: Proving,
    r: Response,
) -> Step {
    let sw = r.status();
    let absent = sw == StatusWord::Other(0x6A88) || sw == StatusWord::FileNotFound;
    let lower_absent = proving.step == ProofStep::ChainLower && absent;
    if !(sw.is_ok() || lower_absent) {
        return check(cx, verifier, proving.presented);
    }
    let extended = cx.extended;
    let (next_step, command) = match proving.step {
        ProofStep::SelectIssuerSecurityDomain => (
            ProofStep::ChainUpper,
            crate::card::contact_atr::get_data(TAG_CHAIN_UPPER, extended),
        ),
        ProofStep::ChainUpper => {
            proving.upper = r.into_data();
            (
                ProofStep::ChainLower,
                crate::card::contact_atr::get_data(TAG_CHAIN_LOWER, extended),
            )
        }
        ProofStep::ChainLower => {
            proving.lower = sw.is_ok().then(|| r.into_data());
            (ProofStep::SelectCommon, crate::card::common_ap::select())
        }
        ProofStep::SelectCommon => {
            match crate::card::common_ap::internal_authenticate(cx.challenge.bytes()) {
                Some(cmd) => (ProofStep::InternalAuthenticate, cmd),
                None => return check(cx, verifier, proving.presented),
            }
        }
        ProofStep::InternalAuthenticate => {
            let evidence = CardProofEvidence::new(proving.upper, proving.lower, r.into_data());
            let proven = evidence
                .verify(&verifier.cv_trust(), cx.challenge.bytes())
                .map_err(FlowError::CardProof)?;
            let mut presented = proving.presented;
            presented.proven = Some(proven);
            return check(cx, verifier, presented);
        }
    };
    proving.step = next_step;
    send(State::Proof(Box::new(proving)), command)
}

/// The terminal's 特定機関認証 (if that is the access), then the signature.
fn unlock_or_sign(cx: &mut Context, held: Held, previous: Option<&Response>) -> Step {
    if let KeyAccess::Pinless(terminal) = &mut cx.access
        && let Some(cmd) = terminal
            .next_command(previous)
            .map_err(FlowError::Pinless)?
    {
        return send(State::Pinless(held), cmd);
    }
    let (signing, cmd) = Signing::start(JpkiKey::Auth, &cx.challenge, cx.options.addressing);
    send(State::Signing(held, signing), cmd)
}

impl<V: PresentationVerifier> Machine for KeyFlow<V> {
    type Event = Event;
    type Error = FlowError;

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
    extended: bool,
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
            extended: false,
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
                In::Start(caps) => {
                    self.extended = caps.extended;
                    self.stage = KeyFlowStage::Opened;
                    Ok(Out::Emit(Event::Guide(Guidance::new(self.opening))))
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
                        self.extended,
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

/// The public surface of a flow made of a [`KeyFlow`] (card + PIN, smartphone), written
/// once: `new` with the flow's opening guidance and expected token, the key-proof options,
/// and its [`super::Flow`] impl over the engine's link adaptor.
macro_rules! key_flow {
    ($flow:ident, $opening:expr, $expect:expr) => {
        impl<V: $crate::flows::PresentationVerifier> $flow<V> {
            /// A flow for one visit at `facility`: `challenge` fresh from a CSPRNG,
            /// `verifier` holding the trust store, revocation index and time of the visit.
            pub fn new(
                facility: $crate::eligibility::MedicalInstitutionCode,
                challenge: $crate::flows::KeyProofChallenge,
                verifier: V,
            ) -> Self {
                Self($crate::flows::engine::link::Linked::new(
                    $crate::flows::key_proof::KeyFlow::new(
                        facility, $opening, $expect, challenge, verifier,
                    ),
                ))
            }

            /// How the signature command names the auth key (default SELECT `0017` +
            /// `80 2A 00 80`; [`SignAddressing::BySfi`](crate::card::SignAddressing::BySfi)
            /// is the opt-in `80 2A 00 97`).
            pub fn with_sign_addressing(
                mut self,
                addressing: $crate::card::SignAddressing,
            ) -> Self {
                self.0.machine_mut().options_mut().addressing = addressing;
                self
            }

            /// The key-proof options (sign addressing, last-try policy).
            pub fn with_options(mut self, options: $crate::flows::KeyProofOptions) -> Self {
                *self.0.machine_mut().options_mut() = options;
                self
            }
        }

        impl<V: $crate::flows::PresentationVerifier> $crate::flows::Flow for $flow<V> {
            fn resume(
                &mut self,
                input: $crate::flows::Input,
            ) -> Result<$crate::flows::Event, $crate::flows::FlowError> {
                self.0.resume(input)
            }
        }
    };
}
pub(crate) use key_flow;
