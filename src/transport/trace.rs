//! [`Traced`]: a transport wrapper that records every command (secrets masked)
//! and status word, and counts commands and bytes — for tests, cost reports, and
//! assertions such as "nothing reads EF 0001 of the 券面事項入力補助AP".

use super::{LinkCapabilities, PinPad, PinPadRequest, Transport, TransportError};
use crate::apdu::StatusWord;
use alloc::vec::Vec;

/// One recorded exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEntry {
    /// The command APDU as sent, except that the data of VERIFY / CHANGE
    /// REFERENCE DATA is replaced by `*` bytes (length kept). A PIN-pad VERIFY is
    /// recorded as its 4-byte header.
    pub command: Vec<u8>,
    /// The status word, or `None` when the link failed.
    pub status: Option<StatusWord>,
    /// Bytes of the response (data + status word).
    pub response_len: usize,
    /// Whether the PIN was collected by the reader's keypad.
    pub pin_pad: bool,
}

impl TraceEntry {
    /// The instruction byte.
    pub fn ins(&self) -> Option<u8> {
        self.command.get(1).copied()
    }
}

/// A READ BINARY found in a trace, with the file it addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    /// The application (DF name) selected at the time, if any.
    pub aid: Option<Vec<u8>>,
    /// The EF read: the SFI's value for an SFI read (all EFs of this card are
    /// `0001`–`001E`, so SFI = FID), else the last EF selected by FID.
    pub fid: Option<u16>,
    /// The read's status word (`None` if the link failed).
    pub status: Option<StatusWord>,
}

/// Records what passes through a transport.
#[derive(Debug)]
pub struct Traced<T> {
    inner: T,
    entries: Vec<TraceEntry>,
    bytes_sent: usize,
    bytes_received: usize,
}

impl<T> Traced<T> {
    /// Wraps a transport.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            entries: Vec::new(),
            bytes_sent: 0,
            bytes_received: 0,
        }
    }

    /// Everything recorded so far.
    pub fn entries(&self) -> &[TraceEntry] {
        &self.entries
    }

    /// Number of command APDUs sent (including PIN-pad VERIFYs).
    pub fn commands(&self) -> usize {
        self.entries.len()
    }

    /// Bytes of command APDUs sent.
    pub fn bytes_sent(&self) -> usize {
        self.bytes_sent
    }

    /// Bytes of responses received.
    pub fn bytes_received(&self) -> usize {
        self.bytes_received
    }

    /// Forgets the recording and the counts.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes_sent = 0;
        self.bytes_received = 0;
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The wrapped transport, mutably.
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// Every READ BINARY in the trace with the application and EF it addressed,
    /// reconstructed from the SELECTs sent before it (a failed SELECT leaves the
    /// selection unknown).
    pub fn file_reads(&self) -> Vec<FileRead> {
        let mut aid: Option<Vec<u8>> = None;
        let mut fid: Option<u16> = None;
        let mut out = Vec::new();
        for e in &self.entries {
            let c = &e.command;
            let ok = e.status == Some(StatusWord::Ok);
            match (c.get(1), c.get(2)) {
                (Some(0xA4), Some(0x04)) => {
                    aid = if ok {
                        c.get(5..)
                            .map(|d| d.get(..usize::from(c[4])).unwrap_or(d).to_vec())
                    } else {
                        None
                    };
                    fid = None;
                }
                (Some(0xA4), Some(0x02)) => {
                    fid = match (ok, c.get(5), c.get(6)) {
                        (true, Some(&h), Some(&l)) => Some(u16::from_be_bytes([h, l])),
                        _ => None,
                    };
                }
                (Some(0xB0), Some(&p1)) => {
                    if p1 & 0x80 != 0 {
                        fid = Some(u16::from(p1 & 0x1F));
                    }
                    out.push(FileRead {
                        aid: aid.clone(),
                        fid,
                        status: e.status,
                    });
                }
                _ => {}
            }
        }
        out
    }
}

fn masked(command: &[u8]) -> Vec<u8> {
    let mut c = command.to_vec();
    if matches!(c.get(1), Some(0x20 | 0x24)) {
        for b in c.iter_mut().skip(5) {
            *b = b'*';
        }
    }
    c
}

fn status_of(resp: &[u8]) -> Option<StatusWord> {
    match resp {
        [.., a, b] => Some(StatusWord::new(*a, *b)),
        _ => None,
    }
}

impl<T: Transport> Transport for Traced<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.bytes_sent += command.len();
        let result = self.inner.transmit(command);
        let (status, response_len) = match &result {
            Ok(r) => (status_of(r), r.len()),
            Err(_) => (None, 0),
        };
        self.bytes_received += response_len;
        self.entries.push(TraceEntry {
            command: masked(command),
            status,
            response_len,
            pin_pad: false,
        });
        result
    }

    fn capabilities(&self) -> LinkCapabilities {
        self.inner.capabilities()
    }

    fn power_cycle(&mut self) -> Result<bool, TransportError> {
        self.inner.power_cycle()
    }
}

impl<T: PinPad> PinPad for Traced<T> {
    fn has_pin_pad(&self) -> bool {
        self.inner.has_pin_pad()
    }

    fn verify_on_pin_pad(&mut self, request: &PinPadRequest) -> Result<Vec<u8>, TransportError> {
        let result = self.inner.verify_on_pin_pad(request);
        let (status, response_len) = match &result {
            Ok(r) => (status_of(r), r.len()),
            Err(_) => (None, 0),
        };
        self.bytes_received += response_len;
        self.entries.push(TraceEntry {
            command: request.header.to_vec(),
            status,
            response_len,
            pin_pad: true,
        });
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Transcript;

    #[test]
    fn records_masks_and_reconstructs_reads() {
        let t = Transcript::parse(
            "> 00A4040C0A D3921000310001010408\n< 9000\n\
             > 0020009104 31323334\n< 9000\n\
             > 00B0820000\n< FF2003DF2501 9000\n\
             > 00A4020C02 0001\n< 9000\n\
             > 00B0000011\n<! removed\n",
        )
        .unwrap();
        let mut tr = Traced::new(t);
        tr.transmit(&[
            0, 0xA4, 4, 0x0C, 10, 0xD3, 0x92, 0x10, 0, 0x31, 0, 1, 1, 4, 8,
        ])
        .unwrap();
        tr.transmit(&[0, 0x20, 0, 0x91, 4, 0x31, 0x32, 0x33, 0x34])
            .unwrap();
        tr.transmit(&[0, 0xB0, 0x82, 0, 0]).unwrap();
        tr.transmit(&[0, 0xA4, 2, 0x0C, 2, 0, 1]).unwrap();
        assert_eq!(
            tr.transmit(&[0, 0xB0, 0, 0, 0x11]),
            Err(TransportError::CardRemoved)
        );
        assert_eq!(tr.commands(), 5);
        assert_eq!(
            tr.entries()[1].command,
            [0, 0x20, 0, 0x91, 4, b'*', b'*', b'*', b'*']
        );
        assert_eq!(tr.bytes_sent(), 15 + 9 + 5 + 7 + 5);
        assert_eq!(tr.bytes_received(), 2 + 2 + 8 + 2);
        let aid = vec![0xD3, 0x92, 0x10, 0, 0x31, 0, 1, 1, 4, 8];
        assert_eq!(
            tr.file_reads(),
            vec![
                FileRead {
                    aid: Some(aid.clone()),
                    fid: Some(2),
                    status: Some(StatusWord::Ok)
                },
                FileRead {
                    aid: Some(aid),
                    fid: Some(1),
                    status: None
                },
            ]
        );
    }
}
