//! Card + face at the face-auth reader (顔認証付きカードリーダー).
//!
//! The patient chooses face recognition or PIN. For face: the reader scanned the
//! printed card face, from which the flow builds 照合番号B (birth date in the
//! Japanese era year YYMMDD + expiry year + security code), opens the 券面事項確認AP
//! with it, reads the AP's CV certificate (EF `0004`) and the card-face record
//! (EF `0002`, photo in tag `DF27`), and **verifies the record, photo included, to
//! a J-LIS CV CA key** (production, or TEST under a test store) before anything
//! else: a record that does not verify ends the flow with
//! [`FlowError::CardFaceNotVerified`] and the staff-check guidance
//! (`face.photo_unverified`), never a face comparison. A verified photo goes to
//! the vendor's [`FaceMatcher`](super::face::FaceMatcher) (through
//! [`Event::CompareFace`]).
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

use super::Out;
use super::completion::Completion;
use super::consent::ConsentItem;
use super::engine::link::Linked;
use super::engine::step::{In, Machine};
use super::error::FlowError;
use super::event::{Event, Flow, Input};
use super::face::{FaceImage, FaceVerdict, ScannedCardFace};
use super::guidance::{Choice, Guidance, GuidanceId};
use super::key_proof::{Expect, KeyAccess, KeyProof, KeyProofOptions, Progress};
use super::outcome::{Identity, Method};
use super::pinless::{PinlessKeyAccess, WithoutPinlessAccess};
use super::presentation::{KeyProofChallenge, PresentationVerifier};
use crate::apdu::{Command, StatusWord};
use crate::card::CvCertificate;
use crate::card::CvTrust;
use crate::card::SignAddressing;
use crate::card::VerificationNumberB;
use crate::card::kenkaku::{self, parse_card_face};
use crate::card::{Application, KeyRef, files};
use crate::eligibility::MedicalInstitutionCode;
use crate::exchange::{FileRef, Framing};
use alloc::boxed::Box;

/// The face part's states; the photo travels in the two that need it.
enum State {
    Start,
    Placed,
    Choose,
    SelectKenkaku,
    VerifyB,
    /// EF 0004 (the AP's CV certificate) asked for.
    ReadCv,
    /// EF 0002 asked for; the CV certificate in hand.
    ReadFace(Box<CvCertificate>),
    Look(FaceImage),
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
pub struct CardFaceFlow<V>(Linked<CardFace<V>>);

/// The flow's state machine.
struct CardFace<V> {
    stage: Stage,
    facility: MedicalInstitutionCode,
    challenge: KeyProofChallenge,
    verifier: V,
    scanned: ScannedCardFace,
    pinless: Option<Box<dyn PinlessKeyAccess>>,
    without_pinless: WithoutPinlessAccess,
    options: KeyProofOptions,
    /// Overrides the verifier's CV trust.
    cv_trust: Option<CvTrust>,
    /// The link carries extended APDUs.
    extended: bool,
}

impl<V: PresentationVerifier> CardFaceFlow<V> {
    /// A flow for one visit at `facility`: `challenge` fresh from a CSPRNG,
    /// `verifier` holding the trust store, revocation index and time of the visit,
    /// `scanned` what the reader read off the printed card face. The terminal has
    /// no 特定機関認証 and asks the PIN after a face match (see
    /// [`CardFaceFlow::with_pinless`], [`CardFaceFlow::without_pinless`]).
    pub fn new(
        facility: MedicalInstitutionCode,
        challenge: KeyProofChallenge,
        verifier: V,
        scanned: ScannedCardFace,
    ) -> Self {
        Self(Linked::new(CardFace {
            stage: Stage::Face(State::Start),
            facility,
            challenge,
            verifier,
            scanned,
            pinless: None,
            without_pinless: WithoutPinlessAccess::default(),
            options: KeyProofOptions::new(),
            cv_trust: None,
            extended: false,
        }))
    }

    /// The J-LIS CV CA keys the card-face record must verify to (default: from
    /// the verifier — production keys, plus TEST ones under a test store).
    pub fn with_cv_trust(mut self, trust: CvTrust) -> Self {
        self.0.machine_mut().cv_trust = Some(trust);
        self
    }

    /// How the signature command names the auth key (default SELECT `0017` +
    /// `80 2A 00 80`; [`SignAddressing::BySfi`] is the opt-in `80 2A 00 97`).
    pub fn with_sign_addressing(mut self, addressing: SignAddressing) -> Self {
        self.0.machine_mut().options.addressing = addressing;
        self
    }

    /// The key-proof options (sign addressing, last-try policy).
    pub fn with_options(mut self, options: KeyProofOptions) -> Self {
        self.0.machine_mut().options = options;
        self
    }

    /// The terminal's 特定機関認証 capability: used after a face match or a staff check.
    pub fn with_pinless(mut self, terminal: Box<dyn PinlessKeyAccess>) -> Self {
        self.0.machine_mut().pinless = Some(terminal);
        self
    }

    /// What to do after a face match when the terminal has no 特定機関認証.
    pub fn without_pinless(mut self, policy: WithoutPinlessAccess) -> Self {
        self.0.machine_mut().without_pinless = policy;
        self
    }
}

impl<V: PresentationVerifier> Flow for CardFaceFlow<V> {
    fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        self.0.resume(input)
    }
}

impl<V: PresentationVerifier> CardFace<V> {
    fn face(&mut self, state: State, event: Out) -> Result<Out, FlowError> {
        self.stage = Stage::Face(state);
        Ok(event)
    }

    fn guide(&mut self, state: State, id: GuidanceId) -> Result<Out, FlowError> {
        self.face(state, Out::Emit(Event::Guide(Guidance::new(id))))
    }

    fn start_key(&mut self, access: KeyAccess, method: Method) -> Result<Out, FlowError> {
        let (key, first) = KeyProof::start(
            Expect::Card,
            access,
            self.challenge.clone(),
            self.options,
            self.extended,
        );
        self.stage = Stage::Key(Box::new(key), method);
        Ok(first)
    }

    fn tail(&mut self, identity: Identity, method: Method, opening: GuidanceId) -> Out {
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

    /// The holder was checked (face or staff): use the key if the terminal can.
    fn holder_checked(&mut self, method: Method) -> Result<Out, FlowError> {
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

    fn cv_trust(&self) -> CvTrust {
        self.cv_trust
            .clone()
            .unwrap_or_else(|| self.verifier.cv_trust())
    }

    fn card_face_unreadable(&mut self) -> Result<Out, FlowError> {
        self.guide(State::FallbackChoice, GuidanceId::FaceScanFailed)
    }

    fn face_step(&mut self, state: State, input: In) -> Result<Out, FlowError> {
        let input = match input {
            In::CardFailed(e @ crate::ExchangeError::Transport(_)) => {
                return Err(FlowError::from_card(step_name(&state), e));
            }
            other => other,
        };
        match (state, input) {
            (_, In::Cancel) => Err(FlowError::Cancelled),
            (State::Start, In::Start(caps)) => {
                self.extended = caps.extended;
                self.guide(State::Placed, GuidanceId::CardPlace)
            }
            (State::Placed, In::Continue) => self.guide(State::Choose, GuidanceId::MethodChoose),
            (State::Choose, In::Choice(Choice::Pin)) => self.start_key(KeyAccess::Pin, Method::Pin),
            (State::Choose, In::Choice(Choice::Face)) => self.face(
                State::SelectKenkaku,
                Out::Send(Application::Kenkaku.select()),
            ),
            (State::SelectKenkaku, In::Response(r)) if r.status().is_ok() => {
                match verify_b_command(&self.scanned) {
                    Some(cmd) => self.face(State::VerifyB, Out::Send(cmd)),
                    None => self.card_face_unreadable(),
                }
            }
            (State::VerifyB, In::Response(r)) if r.status() == StatusWord::Ok => self.face(
                State::ReadCv,
                Out::Read {
                    file: FileRef::Sfi(files::kenkaku::CV_CERT.sfi()),
                    framing: Framing::Tlv,
                },
            ),
            (State::ReadCv, In::File(bytes)) => match CvCertificate::parse(kenkaku::EF4, &bytes) {
                Ok(cv) => self.face(
                    State::ReadFace(Box::new(cv)),
                    Out::Read {
                        file: FileRef::Sfi(files::kenkaku::FACE.sfi()),
                        framing: Framing::Tlv,
                    },
                ),
                Err(_) => self.card_face_unreadable(),
            },
            // Before any comparison the record (photo included) must verify to a
            // J-LIS CV key: a photo that does not is refused, never compared.
            (State::ReadFace(cv), In::File(bytes)) => match parse_card_face(&bytes) {
                Ok(file) => match file.verify(&cv, &self.cv_trust()) {
                    Ok(_) => {
                        self.guide(State::Look(file.face.face().clone()), GuidanceId::FaceLook)
                    }
                    Err(e) => Err(FlowError::CardFaceNotVerified(e)),
                },
                Err(_) => self.card_face_unreadable(),
            },
            (State::SelectKenkaku | State::VerifyB, In::Response(_))
            | (
                State::SelectKenkaku | State::VerifyB | State::ReadCv | State::ReadFace(_),
                In::CardFailed(_),
            ) => self.card_face_unreadable(),
            (State::Look(photo), In::Continue) => {
                self.face(State::Compare, Out::Emit(Event::CompareFace(photo)))
            }
            (State::Compare, In::Face(FaceVerdict::Match)) => {
                self.guide(State::Matched, GuidanceId::FaceMatched)
            }
            (State::Compare, In::Face(_)) => {
                self.guide(State::FallbackChoice, GuidanceId::FaceMismatch)
            }
            (State::Matched, In::Continue) => self.holder_checked(Method::Face),
            (State::FallbackChoice, In::Choice(Choice::Pin)) => {
                self.start_key(KeyAccess::Pin, Method::PinAfterFace)
            }
            (State::FallbackChoice, In::Choice(Choice::StaffCheck)) => {
                self.guide(State::StaffCheck, GuidanceId::StaffVisualCheck)
            }
            (State::StaffCheck, In::YesNo(true)) => self.holder_checked(Method::StaffVisualCheck),
            (State::StaffCheck, In::YesNo(false)) => Err(FlowError::StaffRejected),
            (State::Finished, _) => Err(FlowError::Finished),
            (state, other) => Err(FlowError::UnexpectedInput {
                expected: expects(&state),
                got: other.kind(),
            }),
        }
    }
}

impl<V: PresentationVerifier> Machine for CardFace<V> {
    type Event = Event;
    type Error = FlowError;

    fn step(&mut self, input: In) -> Result<Out, FlowError> {
        let result = match core::mem::replace(&mut self.stage, Stage::Face(State::Finished)) {
            Stage::Face(state) => self.face_step(state, input),
            Stage::Key(mut key, method) => match key.resume(&self.verifier, input) {
                Ok(Progress::Event(e)) => {
                    self.stage = Stage::Key(key, method);
                    Ok(e)
                }
                Ok(Progress::Verified(holder)) => {
                    let method = holder.method_for(method);
                    Ok(self.tail(Identity::Verified(holder), method, GuidanceId::VerifyOk))
                }
                Err(e) => Err(e),
            },
            Stage::Tail(mut tail) => {
                let r = tail.resume(input);
                self.stage = Stage::Tail(tail);
                r
            }
        };
        if result.is_err() {
            self.stage = Stage::Face(State::Finished);
        }
        result
    }
}

const fn step_name(state: &State) -> &'static str {
    match state {
        State::SelectKenkaku => "SELECT 券面事項確認AP",
        State::VerifyB => "VERIFY 照合番号B",
        State::ReadCv => "READ CV certificate",
        State::ReadFace(_) => "READ card face",
        _ => "face recognition",
    }
}

const fn expects(state: &State) -> &'static str {
    match state {
        State::Start => "start",
        State::Placed | State::Look(_) | State::Matched => "continue",
        State::Choose | State::FallbackChoice => "choice",
        State::SelectKenkaku | State::VerifyB => "card response",
        State::ReadCv | State::ReadFace(_) => "file content",
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
