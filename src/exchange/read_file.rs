//! [`ReadFile`]: a whole-file read sized by the data's own header, sans-IO.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::{FileRef, Framing, Limits};
use crate::apdu::{Command, Response, StatusWord};
use crate::error::{ExchangeError, instruction_name};
use crate::tlv::{Header, TlvError};
use crate::transport::LinkCapabilities;

/// The largest READ BINARY chunk a link carries: 256 bytes on a short link, up to
/// 65536 on an extended one.
pub fn read_chunk(caps: LinkCapabilities) -> usize {
    let link = caps.max_response_len.saturating_sub(2);
    let form = if caps.extended { 65536 } else { 256 };
    link.clamp(1, form)
}

/// One whole-file read as a sans-IO state machine: the first READ BINARY asks for a
/// full chunk, the content's own header (or the fixed length) sizes the rest, and
/// reading stops at the declared end. There is no separate size probe; filler
/// after the object is not returned.
///
/// Drive it with [`ReadFile::next_command`] and [`ReadFile::on_response`] until
/// `next_command` returns `None`, then take the content with
/// [`ReadFile::finish`]. Each READ BINARY is an ordinary command: run it through a
/// [`Transmit`](super::Transmit) (as the blocking
/// [`Exchange::read_file`](super::Exchange::read_file) does) so that `61xx` /
/// `6Cxx` answers are handled, and give the final response here.
///
/// Bounds, whatever the card answers:
/// - a declared length over [`Limits::max_file_len`] fails before any allocation
///   ([`ExchangeError::LengthLimit`]);
/// - every chunk must bring data, at most its Le, and a chunk shorter than asked
///   ends the file ([`ExchangeError::FileShorterThanDeclared`]), so the number of READ
///   BINARY commands is exactly what the declared length needs;
/// - offsets stay within READ BINARY's 15 bits ([`ExchangeError::OffsetOutOfRange`]).
///
/// The content is written into one zeroizing buffer allocated once, at the
/// declared length (no reallocation leaves a copy behind), and every chunk
/// response is wiped as it is consumed.
///
/// ```
/// use mynacard::apdu::{Response, StatusWord};
/// use mynacard::exchange::{FileRef, Framing, Limits, ReadFile};
/// use mynacard::transport::LinkCapabilities;
///
/// let mut r = ReadFile::new(FileRef::Sfi(1), Framing::Fixed(3), LinkCapabilities::SHORT, Limits::default())?;
/// let cmd = r.next_command().unwrap();
/// assert_eq!((cmd.ins, cmd.p1, cmd.le()), (0xB0, 0x81, Some(3)));
/// r.on_response(Response::new(vec![7, 8, 9], StatusWord::Ok))?;
/// assert!(r.next_command().is_none());
/// assert_eq!(r.finish()?.as_slice(), &[7, 8, 9]);
/// # Ok::<(), mynacard::ExchangeError>(())
/// ```
#[derive(Debug)]
pub struct ReadFile {
    framing: Framing,
    chunk: usize,
    limits: Limits,
    /// The content read so far, allocated at the declared length.
    buf: Option<Zeroizing<Vec<u8>>>,
    /// The declared total length, once known.
    total: Option<usize>,
    pending: Option<Command>,
    /// Le of the READ BINARY handed out and not yet answered.
    outstanding: Option<usize>,
    done: bool,
}

impl ReadFile {
    /// Starts a read of `file`. A fixed length over the limits fails here, before
    /// anything is sent or allocated.
    pub fn new(
        file: FileRef,
        framing: Framing,
        caps: LinkCapabilities,
        limits: Limits,
    ) -> Result<Self, ExchangeError> {
        let chunk = read_chunk(caps);
        let (first_le, buf) = match framing {
            Framing::Tlv => (chunk, None),
            Framing::Fixed(n) => {
                if n > limits.max_file_len {
                    return Err(ExchangeError::LengthLimit {
                        declared: n,
                        limit: limits.max_file_len,
                    });
                }
                (
                    n.clamp(1, chunk),
                    Some(Zeroizing::new(Vec::with_capacity(n))),
                )
            }
        };
        let first = match file {
            FileRef::Current => Command::new(0x00, 0xB0, 0x00, 0x00),
            FileRef::Sfi(sfi) => Command::new(0x00, 0xB0, 0x80 | (sfi & 0x1F), 0x00),
        }
        .with_le(first_le);
        Ok(Self {
            framing,
            chunk,
            limits,
            buf,
            total: match framing {
                Framing::Fixed(n) => Some(n),
                Framing::Tlv => None,
            },
            pending: Some(first),
            outstanding: None,
            done: false,
        })
    }

    /// The READ BINARY to send now, or `None` once the read has ended (finished or
    /// failed). Each command handed out must be answered with
    /// [`ReadFile::on_response`] before the next one is asked for.
    pub fn next_command(&mut self) -> Option<Command> {
        if self.outstanding.is_some() {
            return None;
        }
        let cmd = self.pending.take()?;
        self.outstanding = cmd.le();
        Some(cmd)
    }

    /// Feeds the final answer (after any GET RESPONSE) to the READ BINARY last
    /// handed out. The response is wiped as it is consumed. On error the read is
    /// over: [`ReadFile::next_command`] returns `None` afterwards.
    pub fn on_response(&mut self, response: Response) -> Result<(), ExchangeError> {
        let Some(le) = self.outstanding.take() else {
            return Err(ExchangeError::NoCommandOutstanding);
        };
        let result = self.step(le, &response);
        drop(response);
        if result.is_err() {
            self.pending = None;
            self.buf = None;
        }
        result
    }

    fn step(&mut self, le: usize, response: &Response) -> Result<(), ExchangeError> {
        let offset = self.buf.as_ref().map_or(0, |b| b.len());
        let first = offset == 0;
        let declared = self.total;
        match response.status() {
            StatusWord::Ok => {}
            StatusWord::OffsetOutsideFile if !first => {
                return Err(ExchangeError::FileShorterThanDeclared {
                    declared: declared.unwrap_or(offset),
                    got: offset,
                });
            }
            sw => {
                return Err(ExchangeError::Status {
                    command: instruction_name(0x00, 0xB0),
                    sw,
                });
            }
        }
        let data = response.data();
        let got = data.len();
        if got > le {
            return Err(ExchangeError::TooMuchData { requested: le, got });
        }
        let total = match self.total {
            Some(n) => n,
            None => {
                let total = match Header::parse(data) {
                    Ok(h) => h.total_len(),
                    Err(TlvError::Truncated { needed, .. }) => {
                        return Err(ExchangeError::FileShorterThanDeclared {
                            declared: needed,
                            got,
                        });
                    }
                    Err(e) => return Err(e.into()),
                };
                if total > self.limits.max_file_len {
                    return Err(ExchangeError::LengthLimit {
                        declared: total,
                        limit: self.limits.max_file_len,
                    });
                }
                self.total = Some(total);
                total
            }
        };
        if !first && got == 0 {
            return Err(ExchangeError::FileShorterThanDeclared {
                declared: total,
                got: offset,
            });
        }
        let buf = self
            .buf
            .get_or_insert_with(|| Zeroizing::new(Vec::with_capacity(total)));
        let take = got.min(total - offset);
        buf.extend_from_slice(&data[..take]);
        let have = buf.len();
        if have >= total {
            self.done = true;
            return Ok(());
        }
        if got < le {
            // A short answer with 9000 means the file ended there.
            return Err(ExchangeError::FileShorterThanDeclared {
                declared: total,
                got: have,
            });
        }
        if have > 0x7FFF {
            return Err(ExchangeError::OffsetOutOfRange(have));
        }
        let le = self.chunk.min(total - have);
        self.pending = Some(Command::new(0x00, 0xB0, (have >> 8) as u8, have as u8).with_le(le));
        Ok(())
    }

    /// The framing this read was started with.
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Whether the whole content has been read.
    pub fn is_finished(&self) -> bool {
        self.done
    }

    /// The file's content (exactly the declared length); [`ExchangeError::Unfinished`] if
    /// the read has not ended with it.
    pub fn finish(self) -> Result<Zeroizing<Vec<u8>>, ExchangeError> {
        match (self.done, self.buf) {
            (true, Some(buf)) => Ok(buf),
            (true, None) => Ok(Zeroizing::new(Vec::new())),
            _ => Err(ExchangeError::Unfinished),
        }
    }
}
