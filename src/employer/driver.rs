//! A blocking driver for the intake over any [`Transport`], beside the sans-IO
//! flow (which it only feeds): it sends the flow's command bytes as they are and
//! returns the card's raw answers; the new hire's answers come from a [`NewHire`].

use super::bytes::EmployerIntakeFlow;
use super::error::IntakeError;
use super::event::IntakeEvent;
use super::guidance::{IntakeAwaits, IntakeGuidance};
use super::outcome::IntakeOutcome;
use crate::exchange::Counters;
use crate::flows::Input;
use crate::runner::{Ask, NoCamera, Person, Reply, Scripted, Wait};
use crate::transport::Transport;

/// The person at the reader: sees / hears each guidance and answers prompts.
pub trait NewHire {
    /// Shows or speaks a guidance.
    fn show(&mut self, guidance: &IntakeGuidance);
    /// Answers a guidance that awaits input (PIN, password, yes / no).
    fn reply(&mut self, guidance: &IntakeGuidance) -> Reply;
}

/// Answers from a script (kiosks, tests); cancels when the script runs out: the runner's
/// [`Scripted`] person, shown the intake's guidance.
pub type ScriptedNewHire = Scripted<IntakeGuidance>;

impl NewHire for Scripted<IntakeGuidance> {
    fn show(&mut self, guidance: &IntakeGuidance) {
        self.record(guidance);
    }
    fn reply(&mut self, _guidance: &IntakeGuidance) -> Reply {
        self.next_reply()
    }
}

/// Runs an intake to its end over `transport`; on failure, the failure's
/// guidance is shown before the error is returned. The flow is started with the
/// transport's link capabilities.
///
/// Once a PIN or the sign password was presented, the card is logged out at the
/// end, whatever the result ([`crate::session::logout`]: power cycle, else a
/// SELECT that leaves no application current), so that the unlocked signature
/// key is not left usable on a shared reader. The logout's own answer is not part
/// of the intake's result: the record stands either way.
pub fn run_intake<T: Transport + ?Sized>(
    transport: &mut T,
    flow: &mut EmployerIntakeFlow<'_>,
    new_hire: &mut dyn NewHire,
) -> Result<IntakeOutcome, IntakeError> {
    let mut presented = false;
    let result = drive(transport, flow, new_hire, &mut presented);
    // Best effort by design (see above): a failed logout changes nothing in what was
    // verified, and the card is never reused by this intake.
    let _ = crate::runner::end_session(transport, presented);
    if let Err(e) = &result {
        new_hire.show(&e.guidance());
    }
    result
}

fn drive<T: Transport + ?Sized>(
    transport: &mut T,
    flow: &mut EmployerIntakeFlow<'_>,
    new_hire: &mut dyn NewHire,
    presented: &mut bool,
) -> Result<IntakeOutcome, IntakeError> {
    crate::runner::converse(
        transport,
        &mut Counters::default(),
        presented,
        &mut |input| flow.resume(input).map(Ask::from),
        new_hire,
        &mut NoCamera,
        &mut |_| None,
    )
}

impl From<IntakeEvent> for Ask<IntakeGuidance, IntakeOutcome> {
    fn from(event: IntakeEvent) -> Self {
        match event {
            IntakeEvent::Send(cmd) => Self::Send(cmd),
            IntakeEvent::Guide(g) => Self::Guide(g),
            IntakeEvent::Done(outcome) => Self::Done(outcome),
        }
    }
}

impl Person<IntakeGuidance> for dyn NewHire + '_ {
    fn wait(guidance: &IntakeGuidance) -> Wait {
        match guidance.awaits() {
            IntakeAwaits::Nothing => Wait::Nothing,
            _ => Wait::Answer,
        }
    }
    fn show(&mut self, guidance: &IntakeGuidance) {
        NewHire::show(self, guidance);
    }
    fn answer(&mut self, guidance: &IntakeGuidance) -> Input {
        match self.reply(guidance) {
            // The intake offers no choice: one is a cancel.
            Reply::Choice(_) => Input::Cancel,
            reply => reply.into_input(),
        }
    }
}
