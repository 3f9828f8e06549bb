//! 資格確認書 / 記号・番号: no card. Staff enter the insurance identifiers printed
//! on the patient's 資格確認書 (as a [`SearchInfo`]); the reader asks only the
//! consent that request can carry (限度額); the outcome carries the request by
//! identifiers (照会区分 2) and no identity.

use super::Out;
use super::completion::Completion;
use super::consent::ConsentItem;
use super::engine::link::Linked;
use super::engine::step::{In, Machine};
use super::error::FlowError;
use super::event::{Event, Flow, Input};
use super::guidance::GuidanceId;
use super::outcome::{Identity, Method};
use crate::eligibility::{MedicalInstitutionCode, SearchInfo};

/// The 資格確認書 / 記号・番号 flow.
pub struct IdentifiersFlow(Linked<Identifiers>);

/// The flow's state machine.
struct Identifiers {
    started: bool,
    tail: Completion,
}

impl IdentifiersFlow {
    /// A flow for one visit at `facility` with the identifiers staff entered
    /// (its `limit_application_consent` is replaced by the patient's answer).
    pub fn new(facility: MedicalInstitutionCode, search: SearchInfo) -> Self {
        Self(Linked::new(Identifiers {
            started: false,
            tail: Completion::new(
                Identity::InsuranceIdentifiers,
                Method::InsuranceIdentifiers,
                ConsentItem::IDENTIFIERS,
                GuidanceId::IdentifiersCheck,
                facility,
                Some(search),
            ),
        }))
    }
}

impl Flow for IdentifiersFlow {
    fn resume(&mut self, input: Input) -> Result<Event, FlowError> {
        self.0.resume(input)
    }
}

impl Machine for Identifiers {
    type Event = Event;
    type Error = FlowError;

    fn step(&mut self, input: In) -> Result<Out, FlowError> {
        if !self.started {
            return match input {
                In::Start(_) => {
                    self.started = true;
                    Ok(self.tail.start())
                }
                other => Err(FlowError::UnexpectedInput {
                    expected: "start",
                    got: other.kind(),
                }),
            };
        }
        self.tail.resume(input)
    }
}
