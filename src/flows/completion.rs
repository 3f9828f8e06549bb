//! The tail every flow shares: per-item consent, then the outcome.

use super::Out;
use super::consent::{ConsentItem, ConsentQueue};
use super::engine::step::In;
use super::error::FlowError;
use super::event::Event;
use super::guidance::{Guidance, GuidanceId};
use super::outcome::{Identity, Method, Outcome};
use crate::eligibility::{EligibilityRequest, FaceMatch, MedicalInstitutionCode, SearchInfo};
use alloc::boxed::Box;

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
    pub(crate) fn start(&mut self) -> Out {
        self.state = State::Opening;
        Out::Emit(Event::Guide(Guidance::new(self.opening)))
    }

    fn next_question(&mut self) -> Out {
        match self.queue.current() {
            Some(item) => {
                self.state = State::Consent;
                Out::Emit(Event::Guide(Guidance::new(GuidanceId::for_consent(item))))
            }
            None => {
                self.state = State::Closing;
                Out::Emit(Event::Guide(Guidance::new(GuidanceId::ReceptionDone)))
            }
        }
    }

    pub(crate) fn resume(&mut self, input: In) -> Result<Out, FlowError> {
        match (self.state, input) {
            (_, In::Cancel) if self.state != State::Finished => {
                self.state = State::Finished;
                Err(FlowError::Cancelled)
            }
            (State::Opening, In::Continue) => Ok(self.next_question()),
            (State::Consent, In::YesNo(given)) => {
                self.queue.answer(given);
                Ok(self.next_question())
            }
            (State::Closing, In::Continue) => {
                self.state = State::Finished;
                let consents = self.queue.consents();
                // A card or phone verified at the reader: the terminal writes
                // the face result itself; the hospital system matches it.
                let face_match = matches!(self.identity, Identity::Verified(_)).then(|| {
                    FaceMatch::new(self.facility.clone(), self.method.verification_method())
                });
                let request = match (&self.identity, self.search.take()) {
                    (Identity::InsuranceIdentifiers, Some(mut search)) => {
                        search.limit_application_consent = consents.given(ConsentItem::LimitAmount);
                        Some(EligibilityRequest::by_identifiers(
                            self.facility.clone(),
                            search,
                        ))
                    }
                    _ => None,
                };
                Ok(Out::Emit(Event::Done(Box::new(Outcome {
                    identity: self.identity.clone(),
                    method: self.method,
                    consents,
                    request,
                    face_match,
                }))))
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
