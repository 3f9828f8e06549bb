//! [`Transmit`]: one command and the ISO 7816-4 transmission rules, sans-IO.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::Limits;
use crate::apdu::{Command, Response, StatusWord};
use crate::error::ExchangeError;

/// Where a [`Transmit`] stands.
#[derive(Debug)]
enum State {
    /// The command (or its re-issue) is to be sent or awaits its answer.
    Command,
    /// GET RESPONSE rounds are collecting the rest of the answer.
    GetResponse {
        /// The Le of the GET RESPONSE in flight.
        le: usize,
    },
    /// The final response is ready.
    Done(Response),
    /// An error ended the exchange; nothing more is sent.
    Failed,
}

/// One command with the ISO 7816-4 transmission rules applied, as a sans-IO state
/// machine: on `61xx` the rest of the answer is fetched with GET RESPONSE, on
/// `6Cxx` the command is re-issued once with the Le the card names.
///
/// Drive it with [`Transmit::next_command`] (what to send) and
/// [`Transmit::on_response`] (what came back) until `next_command` returns `None`,
/// then take the answer with [`Transmit::finish`]. The blocking
/// [`Exchange::transmit`](super::Exchange::transmit) does exactly this over a
/// [`Transport`](crate::transport::Transport).
///
/// Bounds, whatever the card answers:
/// - at most one re-issue on `6Cxx` in the whole exchange, of the command or of a
///   GET RESPONSE ([`ExchangeError::RepeatedWrongLe`] after that);
/// - a GET RESPONSE that answers `61xx` without data ends the exchange
///   ([`ExchangeError::GetResponseWithoutData`]);
/// - at most [`Limits::max_get_response_rounds`] GET RESPONSE rounds
///   ([`ExchangeError::TooManyGetResponseRounds`]) and at most [`Limits::max_file_len`]
///   bytes collected ([`ExchangeError::LengthLimit`]).
///
/// Collected data is held in zeroizing storage and every response given to
/// [`Transmit::on_response`] is wiped when consumed.
///
/// ```
/// use mynacard::apdu::{Command, Response, StatusWord};
/// use mynacard::exchange::{Limits, Transmit};
///
/// let mut t = Transmit::new(Command::new(0x00, 0x84, 0x00, 0x00).with_le(8), Limits::default());
/// let first = t.next_command().unwrap();
/// assert_eq!(first.le(), Some(8));
/// t.on_response(Response::new(vec![], StatusWord::MoreData(2)))?;
/// let get_response = t.next_command().unwrap();
/// assert_eq!((get_response.ins, get_response.le()), (0xC0, Some(2)));
/// t.on_response(Response::new(vec![1, 2], StatusWord::Ok))?;
/// assert!(t.next_command().is_none());
/// assert_eq!(t.finish()?.data(), &[1, 2]);
/// # Ok::<(), mynacard::ExchangeError>(())
/// ```
#[derive(Debug)]
pub struct Transmit {
    command: Command,
    limits: Limits,
    state: State,
    /// The command to hand out next, if any.
    pending: Option<Command>,
    /// Whether a command was handed out and its answer is awaited.
    outstanding: bool,
    reissued: bool,
    rounds: usize,
    data: Zeroizing<Vec<u8>>,
}

impl Transmit {
    /// Starts the exchange of one command under the given limits.
    pub fn new(command: Command, limits: Limits) -> Self {
        Self {
            pending: Some(command.clone()),
            command,
            limits,
            state: State::Command,
            outstanding: false,
            reissued: false,
            rounds: 0,
            data: Zeroizing::new(Vec::new()),
        }
    }

    /// The command to send now, or `None` once the exchange has ended (finished or
    /// failed). Each command handed out must be answered with
    /// [`Transmit::on_response`] before the next one is asked for.
    pub fn next_command(&mut self) -> Option<Command> {
        if self.outstanding {
            return None;
        }
        let cmd = self.pending.take()?;
        self.outstanding = true;
        crate::trace::command(
            cmd.cla,
            cmd.ins,
            crate::error::instruction_name(cmd.cla, cmd.ins),
        );
        Some(cmd)
    }

    /// Feeds the card's answer to the command last handed out. On error the
    /// exchange is over: [`Transmit::next_command`] returns `None` afterwards.
    pub fn on_response(&mut self, response: Response) -> Result<(), ExchangeError> {
        if !self.outstanding {
            return Err(ExchangeError::NoCommandOutstanding);
        }
        self.outstanding = false;
        crate::trace::status(response.status().to_u16());
        let result = self.step(response);
        if result.is_err() {
            self.state = State::Failed;
            self.pending = None;
        }
        result
    }

    fn step(&mut self, response: Response) -> Result<(), ExchangeError> {
        match self.state {
            State::Command => match response.status() {
                StatusWord::WrongLe(n) => {
                    if self.reissued {
                        return Err(ExchangeError::RepeatedWrongLe);
                    }
                    self.reissued = true;
                    self.pending = Some(self.command.clone().with_le(le_of(n)));
                    Ok(())
                }
                StatusWord::MoreData(n) => {
                    self.data = response.into_zeroizing();
                    self.get_response(n)
                }
                _ => {
                    self.state = State::Done(response);
                    Ok(())
                }
            },
            State::GetResponse { le } => {
                if let StatusWord::WrongLe(n) = response.status() {
                    // GET RESPONSE re-issued with the Le the card names, once per
                    // exchange like any re-issue.
                    if self.reissued {
                        return Err(ExchangeError::RepeatedWrongLe);
                    }
                    self.reissued = true;
                    return self.get_response(n);
                }
                let got = response.data().len();
                if got > le {
                    return Err(ExchangeError::TooMuchData { requested: le, got });
                }
                let sw = response.status();
                if got == 0 && matches!(sw, StatusWord::MoreData(_)) {
                    return Err(ExchangeError::GetResponseWithoutData);
                }
                append(&mut self.data, response.data(), self.limits.max_file_len);
                drop(response);
                match sw {
                    StatusWord::MoreData(n) => self.get_response(n),
                    _ => {
                        let data = core::mem::take(&mut self.data);
                        self.state = State::Done(Response::new(data, sw));
                        Ok(())
                    }
                }
            }
            State::Done(_) | State::Failed => Err(ExchangeError::NoCommandOutstanding),
        }
    }

    /// Schedules the next GET RESPONSE for `61 n`, within the limits.
    fn get_response(&mut self, n: u8) -> Result<(), ExchangeError> {
        let le = le_of(n);
        let limit = self.limits.max_get_response_rounds();
        if self.rounds >= limit {
            return Err(ExchangeError::TooManyGetResponseRounds { limit });
        }
        let declared = self.data.len().saturating_add(le);
        if declared > self.limits.max_file_len {
            return Err(ExchangeError::LengthLimit {
                declared,
                limit: self.limits.max_file_len,
            });
        }
        self.rounds += 1;
        self.state = State::GetResponse { le };
        self.pending = Some(Command::new(0x00, 0xC0, 0x00, 0x00).with_le(le));
        Ok(())
    }

    /// Whether the final response is ready.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Done(_))
    }

    /// GET RESPONSE rounds sent so far.
    pub fn get_response_rounds(&self) -> usize {
        self.rounds
    }

    /// The final response (with the data of every GET RESPONSE round appended),
    /// whatever its status word; [`ExchangeError::Unfinished`] if the exchange has not
    /// ended with one.
    pub fn finish(self) -> Result<Response, ExchangeError> {
        match self.state {
            State::Done(response) => Ok(response),
            _ => Err(ExchangeError::Unfinished),
        }
    }
}

/// `xx` of `61xx` / `6Cxx` as a length (`00` = 256).
fn le_of(n: u8) -> usize {
    if n == 0 { 256 } else { n as usize }
}

/// Appends without leaving a copy behind: when the buffer must grow, the new one is
/// allocated zeroizing and the old one is wiped as it is dropped.
fn append(buf: &mut Zeroizing<Vec<u8>>, more: &[u8], limit: usize) {
    let need = buf.len() + more.len();
    if need > buf.capacity() {
        let cap = need.max(buf.capacity().saturating_mul(2).min(limit));
        let mut grown = Zeroizing::new(Vec::with_capacity(cap));
        grown.extend_from_slice(buf);
        grown.extend_from_slice(more);
        *buf = grown;
    } else {
        buf.extend_from_slice(more);
    }
}
