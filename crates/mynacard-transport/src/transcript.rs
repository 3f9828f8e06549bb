//! Recorded `command → response` pairs replayed as a [`Transport`].

use super::{LinkCapabilities, Transport, TransportError};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Why a transcript could not be parsed, or where a replay left the script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TranscriptError {
    /// A line of the transcript text is not valid.
    #[error("transcript line {line}: {reason}")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        reason: &'static str,
    },
    /// The host sent a command that differs from the recorded one.
    #[error("exchange {index}: expected command {expected}, got {actual}")]
    UnexpectedCommand {
        /// 0-based index of the exchange.
        index: usize,
        /// The recorded command, in hex.
        expected: String,
        /// The command actually sent, in hex.
        actual: String,
    },
    /// The host sent a command after the transcript ended.
    #[error("exchange {index}: command {actual} sent after the transcript ended")]
    Exhausted {
        /// 0-based index of the exchange.
        index: usize,
        /// The command actually sent, in hex.
        actual: String,
    },
    /// [`Transcript::finish`] found recorded exchanges that were never sent.
    #[error("{remaining} recorded exchange(s) never sent; next expected {next}")]
    Unfinished {
        /// How many exchanges were left.
        remaining: usize,
        /// The next recorded command, in hex.
        next: String,
    },
}

/// One recorded step: the command expected from the host and what to answer,
/// or a transport failure to raise.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Exchange {
        command: Vec<u8>,
        response: Vec<u8>,
    },
    Fail {
        command: Vec<u8>,
        error: TransportError,
    },
}

/// A transport that replays a recorded transcript and fails loudly on the first
/// command that differs from the recording.
///
/// The text form is one exchange per pair of lines: `>` then the command in hex,
/// `<` then the response in hex (spaces allowed). `<! removed` instead of a
/// response makes the transport fail with [`TransportError::CardRemoved`]
/// (`<! reset` and `<! timeout` likewise). `#` starts a comment.
///
/// ```
/// use mynacard_transport::{Transcript, Transport};
/// let mut t = Transcript::parse(
///     "# query the auth PIN's remaining tries\n\
///      > 00 20 00 80\n\
///      < 63 C3\n",
/// )
/// .unwrap();
/// assert_eq!(t.transmit(&[0x00, 0x20, 0x00, 0x80]).unwrap(), vec![0x63, 0xC3]);
/// t.finish().unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Transcript {
    steps: Vec<Step>,
    next: usize,
    capabilities: LinkCapabilities,
}

impl Transcript {
    /// Parses the text form described on [`Transcript`].
    pub fn parse(text: &str) -> Result<Self, TranscriptError> {
        let mut steps = Vec::new();
        let mut pending: Option<(usize, Vec<u8>)> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix('>') {
                if pending.is_some() {
                    return Err(TranscriptError::Syntax {
                        line: line_no,
                        reason: "two commands without a response between them",
                    });
                }
                let command = decode_hex(rest).ok_or(TranscriptError::Syntax {
                    line: line_no,
                    reason: "command is not hex",
                })?;
                pending = Some((line_no, command));
            } else if let Some(rest) = line.strip_prefix("<!") {
                let (_, command) = pending.take().ok_or(TranscriptError::Syntax {
                    line: line_no,
                    reason: "failure without a command",
                })?;
                let error = match rest.trim() {
                    "removed" => TransportError::CardRemoved,
                    "reset" => TransportError::CardReset,
                    "timeout" => TransportError::Timeout,
                    _ => {
                        return Err(TranscriptError::Syntax {
                            line: line_no,
                            reason: "unknown failure (removed, reset, timeout)",
                        });
                    }
                };
                steps.push(Step::Fail { command, error });
            } else if let Some(rest) = line.strip_prefix('<') {
                let (_, command) = pending.take().ok_or(TranscriptError::Syntax {
                    line: line_no,
                    reason: "response without a command",
                })?;
                let response = decode_hex(rest).ok_or(TranscriptError::Syntax {
                    line: line_no,
                    reason: "response is not hex",
                })?;
                if response.len() < 2 {
                    return Err(TranscriptError::Syntax {
                        line: line_no,
                        reason: "response shorter than a status word",
                    });
                }
                steps.push(Step::Exchange { command, response });
            } else {
                return Err(TranscriptError::Syntax {
                    line: line_no,
                    reason: "line must start with '>', '<' or '<!'",
                });
            }
        }
        if let Some((line, _)) = pending {
            return Err(TranscriptError::Syntax {
                line,
                reason: "command without a response",
            });
        }
        Ok(Self {
            steps,
            next: 0,
            capabilities: LinkCapabilities::SHORT,
        })
    }

    /// Declares what the replayed link carries (default: short APDUs only).
    pub fn with_capabilities(mut self, capabilities: LinkCapabilities) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// Checks that every recorded exchange was sent.
    pub fn finish(&self) -> Result<(), TranscriptError> {
        match self.steps.get(self.next) {
            None => Ok(()),
            Some(Step::Exchange { command, .. } | Step::Fail { command, .. }) => {
                Err(TranscriptError::Unfinished {
                    remaining: self.steps.len() - self.next,
                    next: encode_hex(command),
                })
            }
        }
    }
}

impl Transport for Transcript {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let index = self.next;
        let Some(step) = self.steps.get(index) else {
            return Err(TranscriptError::Exhausted {
                index,
                actual: encode_hex(command),
            }
            .into());
        };
        let expected = match step {
            Step::Exchange { command, .. } | Step::Fail { command, .. } => command,
        };
        if expected.as_slice() != command {
            return Err(TranscriptError::UnexpectedCommand {
                index,
                expected: encode_hex(expected),
                actual: encode_hex(command),
            }
            .into());
        }
        self.next += 1;
        match step {
            Step::Exchange { response, .. } => Ok(response.clone()),
            Step::Fail { error, .. } => Err(error.clone()),
        }
    }

    fn capabilities(&self) -> LinkCapabilities {
        self.capabilities
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| (b as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    Some(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_and_detects_mismatch() {
        let mut t = Transcript::parse("> 00A4040C02 0018\n< 9000\n> 00 20 00 80\n< 63C2").unwrap();
        assert_eq!(
            t.transmit(&[0, 0xA4, 4, 0x0C, 2, 0, 0x18]).unwrap(),
            [0x90, 0]
        );
        let err = t.transmit(&[0, 0x20, 0, 0x81]).unwrap_err();
        assert_eq!(
            err,
            TransportError::Transcript(TranscriptError::UnexpectedCommand {
                index: 1,
                expected: "00200080".into(),
                actual: "00200081".into(),
            })
        );
        assert_eq!(
            t.finish(),
            Err(TranscriptError::Unfinished {
                remaining: 1,
                next: "00200080".into()
            })
        );
    }

    #[test]
    fn failure_steps_and_exhaustion() {
        let mut t = Transcript::parse("> 00B0000000\n<! removed\n").unwrap();
        assert_eq!(
            t.transmit(&[0, 0xB0, 0, 0, 0]),
            Err(TransportError::CardRemoved)
        );
        assert_eq!(
            t.transmit(&[0, 0xB0, 0, 0, 0]),
            Err(TransportError::Transcript(TranscriptError::Exhausted {
                index: 1,
                actual: "00B0000000".into()
            }))
        );
        t.finish().unwrap();
    }

    #[test]
    fn syntax_errors_name_the_line() {
        assert_eq!(
            Transcript::parse("> 00\n> 01\n").unwrap_err(),
            TranscriptError::Syntax {
                line: 2,
                reason: "two commands without a response between them"
            }
        );
        assert_eq!(
            Transcript::parse("> 0G\n").unwrap_err(),
            TranscriptError::Syntax {
                line: 1,
                reason: "command is not hex"
            }
        );
        assert_eq!(
            Transcript::parse("> 00\n< 90\n").unwrap_err(),
            TranscriptError::Syntax {
                line: 2,
                reason: "response shorter than a status word"
            }
        );
        assert_eq!(
            Transcript::parse("> 00\n").unwrap_err(),
            TranscriptError::Syntax {
                line: 1,
                reason: "command without a response"
            }
        );
    }
}
