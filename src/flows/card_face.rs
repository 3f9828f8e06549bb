//! Card + face at the face-auth reader (顔認証付きカードリーダー).
//!
//! The patient chooses face recognition or PIN. For face: the reader scanned the
//! printed card face, from which the flow builds 照合番号B (birth date in the
//! Japanese era year YYMMDD + expiry year + security code), opens the 券面事項確認AP
//! with it, reads the face photo (EF `0002`, tag `DF27`) and asks the vendor's
//! [`FaceMatcher`](super::face::FaceMatcher) (through [`Event::CompareFace`]).
//!
//! - **Match**: the auth key is used without a PIN through the terminal's
//!   特定機関認証 ([`PinlessKeyAccess`]); without that capability the flow follows
//!   [`WithoutPinlessAccess`]: ask the PIN for the signature (default, method
//!   [`Method::FaceAndPin`]) or end with
//!   [`Identity::HolderCheckedWithoutKeyProof`] (no verified identity).
//! - **Mismatch / no capture / card face unreadable**: the patient chooses PIN
//!   (method [`Method::PinAfterFace`]) or a staff visual check (目視確認, method
//!   [`Method::StaffVisualCheck`], its own outcome: verified only through
//!   特定機関認証, otherwise [`Identity::HolderCheckedWithoutKeyProof`]).
//!
//! The input-support AP (個人番号) is never selected.

use super::completion::{Completion, verify};
use super::consent::ConsentItem;
use super::error::FlowError;
use super::event::{Event, Flow, Input};
use super::face::{FaceImage, FaceVerdict, ScannedCardFace};
use super::guidance::{Choice, Guidance, GuidanceId};
use super::key_proof::{Expect, KeyAccess, KeyProof, Progress};
use super::outcome::{Identity, Method};
use super::presentation::{Challenge, PresentationVerifier};
use super::terminal::{PinlessKeyAccess, WithoutPinlessAccess};
use crate::apdu::{Command, StatusWord};
use crate::card::jpki::SignAddressing;
use crate::card::kenkaku::parse_card_face;
use crate::card::pin::VerificationNumberB;
use crate::card::{Application, KeyRef, files};
use crate::eligibility::MedicalInstitutionCode;
use crate::exchange::{FileRef, Framing};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Placed,
    Choose,
    SelectKenkaku,
    VerifyB,
    ReadFace,
    Look,
    Compare,
    Matched,
    FallbackChoice,
    StaffCheck,
    Finished,
}

enum Stage {
    Face(State),
    Key(Box<KeyProof>, Method),
    Tail(Box<Completion>),
}

/// The card + face flow.
pub struct CardFaceFlow<V> {
    stage: Stage,
    facility: MedicalInstitutionCode,
    challenge: Challenge,
    verifier: V,
    scanned: ScannedCardFace,
    pinless: Option<Box<dyn PinlessKeyAccess>>,
    without_pinless: WithoutPinlessAccess,
    photo: Option<FaceImage>,
    addressing: SignAddressing,
}

impl<V: PresentationVerifier> CardFaceFlow<V> {
    /// A flow for one visit at `facility`: `challenge` fresh from a CSPRNG,
    /// `verifier` holding the trust store, revocation index and time of the visit,
    /// `scanned` what the reader read off the printed card face. The terminal has
    /// no 特定機関認証 and asks the PIN after a face match (see
    /// [`CardFaceFlow::with_pinless`], [`CardFaceFlow::without_pinless`]).
    pub fn new(
        facility: MedicalInstitutionCode,
        challenge: Challenge,
        verifier: V,
        scanned: ScannedCardFace,
    ) -> Self {
        Self {
            stage: Stage::Face(State::Start),
            facility,
            challenge,
            verifier,
            scanned,
            pinless: None,
            without_pinless: WithoutPinlessAccess::default(),
            photo: None,
            addressing: SignAddressing::BySfi,
        }
    }

    /// How the signature command names the auth key. Default
    /// [`SignAddressing::BySfi`] (one command fewer; single source ⚠), falling back
    /// by itself to SELECT + sign when the card answers `6A86` / `6A81` / `6986`.
    pub fn with_sign_addressing(mut self, addressing: SignAddressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// The terminal's 特定機関認証 capability: used after a face match or a staff check.
    pub fn with_pinless(mut self, terminal: Box<dyn PinlessKeyAccess>) -> Self {
        self.pinless = Some(terminal);
        self
    }

    /// What to do after a face match when the terminal has no 特定機関認証.
    pub fn without_pinless(mut self, policy: WithoutPinlessAccess) -> Self {
        self.without_pinless = policy;
        self
    }

    fn face(&mut self, state: State, event: Event) -> Result<Event, FlowError> {
        self.stage = Stage::Face(state);
        Ok(event)
    }

    fn guide(&mut self, state: State, id: GuidanceId) -> Result<Event, FlowError> {
        self.face(state, Event::Guide(Guidance::new(id)))
    }

    fn start_key(&mut self, access: KeyAccess, method: Method) -> Result<Event, FlowError> {
        let mut key = KeyProof::new(Expect::Card, access, self.challenge.clone())
            .with_addressing(self.addressing);
        let progress = key.resume(Input::Start)?;
        self.stage = Stage::Key(Box::new(key), method);
        self.advance(progress)
    }

    fn tail(&mut self, identity: Identity, method: Method, opening: GuidanceId) -> Event {
        let mut tail = Completion::new(
            identity,
            method,
            ConsentItem::ALL,
            opening,
            self.facility.clone(),
            None,
        );
        let first = tail.start();
        self.stage = Stage::Tail(Box::new(tail));
        first
    }

    fn advance(&mut self, progress: Progress) -> Result<Event, FlowError> {
        match progress {
            Progress::Event(e) => Ok(e),
            Progress::Presented(p) => {
                let Stage::Key(_, method) = self.stage else {
                    return Err(FlowError::Finished);
                };
                let identity = verify(&self.verifier, &self.challenge, &p)?;
                Ok(self.tail(Identity::Verified(identity), method, GuidanceId::VerifyOk))
            }
        }
    }

    /// The holder was checked (face or staff): use the key if the terminal can.
    fn holder_checked(&mut self, method: Method) -> Result<Event, FlowError> {
        if let Some(terminal) = self.pinless.take() {
            return self.start_key(KeyAccess::Pinless(terminal), method);
        }
        match (method, self.without_pinless) {
            (Method::Face, WithoutPinlessAccess::AskPin) => {
                self.start_key(KeyAccess::Pin, Method::FaceAndPin)
            }
            _ => Ok(self.tail(
                Identity::HolderCheckedWithoutKeyProof,
                method,
                GuidanceId::ReceptionDone,
            )),
        }
    }

    fn card_face_unreadable(&mut self) -> Result<Event, FlowError> {
        self.guide(State::FallbackChoice, GuidanceId::FaceScanFailed)
    }

    fn face_step(&mut self, state: State, input: Input) -> Result<Event, FlowError> {
        let input = match input {
            Input::CardFailed(e @ crate::ExchangeError::Transport(_)) => {
                return Err(FlowError::from_card(step_name(state), e));
            }
            other => other,
        };
        match (state, input) {
            (_, Input::Cancel) => Err(FlowError::Cancelled),
            (State::Start, Input::Start) => self.guide(State::Placed, GuidanceId::CardPlace),
            (State::Placed, Input::Continue) => self.guide(State::Choose, GuidanceId::MethodChoose),
            (State::Choose, Input::Choice(Choice::Pin)) => {
                self.start_key(KeyAccess::Pin, Method::Pin)
            }
            (State::Choose, Input::Choice(Choice::Face)) => self.face(
                State::SelectKenkaku,
                Event::Send(Application::Kenkaku.select()),
            ),
            (State::SelectKenkaku, Input::Response(r)) if r.status().is_ok() => {
                match verify_b_command(&self.scanned) {
                    Some(cmd) => self.face(State::VerifyB, Event::Send(cmd)),
                    None => self.card_face_unreadable(),
                }
            }
            (State::VerifyB, Input::Response(r)) if r.status() == StatusWord::Ok => self.face(
                State::ReadFace,
                Event::Read {
                    file: FileRef::Sfi(files::kenkaku::FACE.sfi()),
                    framing: Framing::Tlv,
                },
            ),
            (State::ReadFace, Input::File(bytes)) => match parse_card_face(&bytes) {
                Ok(file) => {
                    self.photo = Some(file.face.face().clone());
                    self.guide(State::Look, GuidanceId::FaceLook)
                }
                Err(_) => self.card_face_unreadable(),
            },
            (State::SelectKenkaku | State::VerifyB, Input::Response(_))
            | (State::SelectKenkaku | State::VerifyB | State::ReadFace, Input::CardFailed(_)) => {
                self.card_face_unreadable()
            }
            (State::Look, Input::Continue) => match self.photo.take() {
                Some(photo) => self.face(State::Compare, Event::CompareFace(photo)),
                None => Err(FlowError::Finished),
            },
            (State::Compare, Input::Face(FaceVerdict::Match)) => {
                self.guide(State::Matched, GuidanceId::FaceMatched)
            }
            (State::Compare, Input::Face(_)) => {
                self.guide(State::FallbackChoice, GuidanceId::FaceMismatch)
            }
            (State::Matched, Input::Continue) => self.holder_checked(Method::Face),
            (State::FallbackChoice, Input::Choice(Choice::Pin)) => {
                self.start_key(KeyAccess::Pin, Method::PinAfterFace)
            }
            (State::FallbackChoice, Input::Choice(Choice::StaffCheck)) => {
                self.guide(State::StaffCheck, GuidanceId::StaffVisualCheck)
            }
            (State::StaffCheck, Input::YesNo(true)) => {
                self.holder_checked(Method::StaffVisualCheck)
            }
            (State::StaffCheck, Input::YesNo(false)) => Err(FlowError::StaffRejected),
            (State::Finished, _) => Err(FlowError::Finished),
            (state, other) => Err(FlowError::UnexpectedInput {
                expected: expects(state),
                got: other.kind(),
            }),
        }
    }
}

impl<V: PresentationVerifier> Flow for CardFaceFlow<V> {
    fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        let result = match &mut self.stage {
            Stage::Face(state) => {
                let state = *state;
                self.face_step(state, input)
            }
            Stage::Key(key, _) => match key.resume(input) {
                Ok(progress) => self.advance(progress),
                Err(e) => Err(e),
            },
            Stage::Tail(tail) => tail.resume(input),
        };
        if result.is_err() {
            self.stage = Stage::Face(State::Finished);
            self.photo = None;
        }
        result
    }
}

const fn step_name(state: State) -> &'static str {
    match state {
        State::SelectKenkaku => "SELECT 券面事項確認AP",
        State::VerifyB => "VERIFY 照合番号B",
        State::ReadFace => "READ card face",
        _ => "face recognition",
    }
}

const fn expects(state: State) -> &'static str {
    match state {
        State::Start => "start",
        State::Placed | State::Look | State::Matched => "continue",
        State::Choose | State::FallbackChoice => "choice",
        State::SelectKenkaku | State::VerifyB => "card response",
        State::ReadFace => "file content",
        State::Compare => "face verdict",
        State::StaffCheck => "staff yes/no",
        State::Finished => "nothing",
    }
}

/// `00 20 00 92 0E <照合番号B>`, or `None` when the scanned values cannot form one.
fn verify_b_command(scanned: &ScannedCardFace) -> Option<Command> {
    let b = VerificationNumberB::from_parts(
        scanned.birth_date,
        scanned.expiry_year,
        &scanned.security_code,
    )
    .ok()?;
    KeyRef::KenkakuNumberB.verify_command(&b).ok()
}
