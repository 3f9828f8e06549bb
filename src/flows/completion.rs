//! The tail every flow shares: the PKI check of what was presented, then per-item
//! consent, then the outcome.

use super::consent::{ConsentItem, ConsentQueue};
use super::error::FlowError;
use super::event::{Event, Input};
use super::guidance::{Guidance, GuidanceId};
use super::key_proof::Presented;
use super::outcome::{Identity, Method, Outcome, TokenKind, VerifiedIdentity};
use super::presentation::{Challenge, PresentationVerifier};
use crate::eligibility::{EligibilityRequest, MedicalInstitutionCode, SearchInfo};
use crate::pki::{Form, Presentation};

/// Runs the PKI presentation check on what the card or phone presented.
pub(crate) fn verify<V: PresentationVerifier + ?Sized>(
    verifier: &V,
    challenge: &Challenge,
    presented: &Presented,
) -> Result<VerifiedIdentity, FlowError> {
    let mut presentation = Presentation::new(
        &presented.certificate,
        challenge.bytes(),
        &presented.signature,
    );
    presentation.token_form = match presented.token {
        TokenKind::Card => Some(Form::Card),
        TokenKind::Android | TokenKind::Iphone => Some(Form::Smartphone),
        _ => None,
    };
    let id = verifier
        .verify(&presentation)
        .map_err(FlowError::Verification)?;
    // The certificate's policy tells card from phone: a phone label on a card
    // certificate (or the reverse) is refused; in the card flow (token info not
    // read) a phone certificate is reported as an unknown phone token.
    let token = match (presented.token, id.form()) {
        (token @ (TokenKind::Android | TokenKind::Iphone), Some(form @ Form::Card)) => {
            return Err(FlowError::FormMismatch { token, form });
        }
        (TokenKind::Card, Some(Form::Smartphone)) => TokenKind::Unknown,
        (token, _) => token,
    };
    Ok(VerifiedIdentity::new(id, token))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Opening,
    Consent,
    Closing,
    Finished,
}

/// Consent collection and the outcome.
#[derive(Debug, Clone)]
pub(crate) struct Completion {
    state: State,
    opening: GuidanceId,
    queue: ConsentQueue,
    identity: Identity,
    method: Method,
    facility: MedicalInstitutionCode,
    search: Option<SearchInfo>,
}

impl Completion {
    /// Starts the tail with `opening` guidance (e.g. `verify.ok`). `search` is the
    /// 記号・番号 of the identifiers path.
    pub(crate) fn new(
        identity: Identity,
        method: Method,
        items: &'static [ConsentItem],
        opening: GuidanceId,
        facility: MedicalInstitutionCode,
        search: Option<SearchInfo>,
    ) -> Self {
        Self {
            state: State::Opening,
            opening,
            queue: ConsentQueue::new(items),
            identity,
            method,
            facility,
            search,
        }
    }

    /// The first event of the tail.
    pub(crate) fn start(&mut self) -> Event {
        self.state = State::Opening;
        Event::Guide(Guidance::new(self.opening))
    }

    fn next_question(&mut self) -> Event {
        match self.queue.current() {
            Some(item) => {
                self.state = State::Consent;
                Event::Guide(Guidance::new(GuidanceId::for_consent(item)))
            }
            None => {
                self.state = State::Closing;
                Event::Guide(Guidance::new(GuidanceId::ReceptionDone))
            }
        }
    }

    pub(crate) fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        match (self.state, input) {
            (_, Input::Cancel) if self.state != State::Finished => {
                self.state = State::Finished;
                Err(FlowError::Cancelled)
            }
            (State::Opening, Input::Continue) => Ok(self.next_question()),
            (State::Consent, Input::YesNo(given)) => {
                self.queue.answer(given);
                Ok(self.next_question())
            }
            (State::Closing, Input::Continue) => {
                self.state = State::Finished;
                let consents = self.queue.consents();
                let request = match (&self.identity, self.search.take()) {
                    (Identity::Verified(_), _) => EligibilityRequest::verified(
                        self.facility.clone(),
                        self.method.verification_method(),
                        consents.to_request(),
                    ),
                    (Identity::InsuranceIdentifiers, Some(mut search)) => {
                        search.limit_application_consent = consents.given(ConsentItem::LimitAmount);
                        Some(EligibilityRequest::by_identifiers(
                            self.facility.clone(),
                            search,
                        ))
                    }
                    _ => None,
                };
                Ok(Event::Done(Box::new(Outcome {
                    identity: self.identity.clone(),
                    method: self.method,
                    consents,
                    request,
                })))
            }
            (State::Finished, _) => Err(FlowError::Finished),
            (state, other) => Err(FlowError::UnexpectedInput {
                expected: match state {
                    State::Consent => "yes/no",
                    _ => "continue",
                },
                got: other.kind(),
            }),
        }
    }
}
