//! The link adaptor of every conversation (the reception flows and the employer intake):
//! turns the state machines' logical card operations into raw command APDUs, driving the
//! sans-IO [`Transmit`] (61xx GET RESPONSE, 6Cxx re-issue) and [`ReadFile`] (header-sized
//! chunked reads) of [`crate::exchange`], under the [`LinkCapabilities`] given at the
//! start, and resending the first command once on the power-up `6F00`
//! ([`FirstCommand`]). The caller only sends bytes and hands back the card's raw answers.

use super::step::{Coded, In, Machine, Out, Sends};
use crate::apdu::{Command, Response};
use crate::exchange::LinkCapabilities;
use crate::exchange::{FirstCommand, Limits, ReadFile, Transmit};
use crate::flows::event::Input;

/// A card operation in flight.
enum Op {
    /// One command under the transmission rules.
    Command(Transmit),
    /// A whole-file read; `current` is the READ BINARY in flight.
    Read { read: ReadFile, current: Transmit },
}

/// What feeding a raw answer to an [`Op`] gives.
enum Fed {
    /// Send this next.
    Send(Command),
    /// The operation ended: this is what the state machine gets.
    Done(In),
}

impl Op {
    /// Feeds the card's raw answer; the operation goes on (`Send`, with itself)
    /// or ends (`Done`).
    fn on_response(
        self,
        response: Response,
        limits: Limits,
    ) -> Result<(Fed, Option<Self>), crate::ExchangeError> {
        match self {
            Self::Command(mut t) => {
                t.on_response(response)?;
                match t.next_command() {
                    Some(cmd) => Ok((Fed::Send(cmd), Some(Self::Command(t)))),
                    None => Ok((Fed::Done(In::Response(t.finish()?)), None)),
                }
            }
            Self::Read {
                mut read,
                mut current,
            } => {
                current.on_response(response)?;
                if let Some(cmd) = current.next_command() {
                    return Ok((Fed::Send(cmd), Some(Self::Read { read, current })));
                }
                read.on_response(current.finish()?)?;
                match read.next_command() {
                    Some(next) => {
                        let mut current = Transmit::new(next, limits);
                        let cmd = current
                            .next_command()
                            .ok_or(crate::ExchangeError::Unfinished)?;
                        Ok((Fed::Send(cmd), Some(Self::Read { read, current })))
                    }
                    None => Ok((Fed::Done(In::File(read.finish()?)), None)),
                }
            }
        }
    }
}

/// A state machine behind the link adaptor: what every public flow and the intake are.
pub(crate) struct Linked<M> {
    machine: M,
    caps: LinkCapabilities,
    limits: Limits,
    op: Option<Op>,
    /// The first command after the start, until its answer: resent once on the power-up
    /// `6F00` ([`FirstCommand`]), so every driver of the flow's bytes copes with it.
    first: FirstCommand,
}

impl<M: Machine> Linked<M> {
    pub(crate) fn new(machine: M) -> Self {
        Self {
            machine,
            caps: LinkCapabilities::SHORT,
            limits: Limits::default(),
            op: None,
            first: FirstCommand::armed(),
        }
    }

    /// With these bounds on what the card declares (file lengths, GET RESPONSE rounds).
    pub(crate) fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub(crate) fn machine_mut(&mut self) -> &mut M {
        &mut self.machine
    }

    /// The state machine.
    #[cfg_attr(not(all(test, feature = "test-pki")), allow(dead_code))]
    pub(crate) fn machine(&self) -> &M {
        &self.machine
    }

    /// Feeds one caller input; the next public event (a `tracing` span per step).
    pub(crate) fn resume(&mut self, input: Input) -> Result<M::Event, M::Error> {
        let _step = crate::trace::step(input.kind());
        let result = self.resume_untraced(input);
        match &result {
            Ok(event) => {
                let (what, detail) = event.traced();
                crate::trace::step_end(what, detail);
            }
            Err(e) => crate::trace::step_end("error", e.code()),
        }
        result
    }

    fn resume_untraced(&mut self, input: Input) -> Result<M::Event, M::Error> {
        let response = match &input {
            Input::Response(r) => Some(r),
            _ => None,
        };
        if let Some(first) = self.first.resend(response) {
            return Ok(M::Event::send(first));
        }
        let fed = match (self.op.take(), input) {
            (_, Input::Start(caps)) => {
                self.caps = caps;
                self.first = FirstCommand::armed();
                In::Start(caps)
            }
            (Some(op), Input::Response(r)) => match op.on_response(r, self.limits) {
                Ok((Fed::Send(cmd), op)) => {
                    self.op = op;
                    return Ok(M::Event::send(cmd));
                }
                Ok((Fed::Done(fed), _)) => fed,
                Err(e) => In::CardFailed(e),
            },
            // Anything else (a link failure, a patient's answer) ends the
            // operation in flight.
            (_, other) => In::from_input(other),
        };
        self.drive(fed)
    }

    /// A command to send; kept while it may meet the power-up `6F00`.
    fn sent(&mut self, cmd: Command) -> M::Event {
        self.first.sent(&cmd);
        M::Event::send(cmd)
    }

    fn drive(&mut self, mut fed: In) -> Result<M::Event, M::Error> {
        loop {
            match self.machine.step(fed)? {
                Out::Send(cmd) => {
                    let mut t = Transmit::new(cmd, self.limits);
                    match t.next_command() {
                        Some(first) => {
                            self.op = Some(Op::Command(t));
                            return Ok(self.sent(first));
                        }
                        None => fed = In::CardFailed(crate::ExchangeError::Unfinished),
                    }
                }
                Out::Read { file, framing } => {
                    match ReadFile::new(file, framing, self.caps, self.limits).and_then(
                        |mut read| {
                            let first = read
                                .next_command()
                                .ok_or(crate::ExchangeError::Unfinished)?;
                            let mut current = Transmit::new(first, self.limits);
                            let cmd = current
                                .next_command()
                                .ok_or(crate::ExchangeError::Unfinished)?;
                            Ok((Op::Read { read, current }, cmd))
                        },
                    ) {
                        Ok((op, cmd)) => {
                            self.op = Some(op);
                            return Ok(self.sent(cmd));
                        }
                        Err(e) => fed = In::CardFailed(e),
                    }
                }
                Out::Emit(event) => return Ok(event),
            }
        }
    }
}
