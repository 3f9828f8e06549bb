//! NFC handover at the NDEF level (ISO/IEC 18013-5 §8.2.2): static (the holder's Handover
//! Select is there to read) and negotiated (TNEP: the reader selects the handover service,
//! writes its Handover Request, and reads the Handover Select).
//!
//! Apple Wallet acknowledges the service selection first and then answers an **empty NDEF
//! message** until its Handover Select is ready: [`NegotiatedHandover`] polls, waiting the
//! TNEP minimum waiting time between reads, and gives up after a bound with
//! [`MdocError::HandoverTimeout`]. The Type 4 Tag APDUs that move these messages are the
//! driver's.

use alloc::vec::Vec;

use super::MdocError;
use super::engagement::DeviceEngagement;
use super::transcript::Handover;

/// Most records read from one NDEF message.
const MAX_RECORDS: usize = 32;
/// The TNEP service of the mdoc negotiated handover.
pub const HANDOVER_SERVICE: &[u8] = b"urn:nfc:sn:handover";
/// The NDEF external type of the DeviceEngagement record.
pub const DEVICE_ENGAGEMENT_TYPE: &[u8] = b"iso.org:18013:deviceengagement";

const TNF_WELL_KNOWN: u8 = 1;
const TNF_EXTERNAL: u8 = 4;

/// One NDEF record, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NdefRecord<'a> {
    /// Type name format.
    pub tnf: u8,
    /// Record type.
    pub record_type: &'a [u8],
    /// Record id.
    pub id: &'a [u8],
    /// Payload.
    pub payload: &'a [u8],
}

fn bad(reason: &'static str) -> MdocError {
    MdocError::Engagement { reason }
}

/// Parses an NDEF message (bounded; chunked records refused).
pub fn parse_ndef(msg: &[u8]) -> Result<Vec<NdefRecord<'_>>, MdocError> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let take = |pos: &mut usize, n: usize| -> Result<&[u8], MdocError> {
        let end = pos
            .checked_add(n)
            .filter(|e| *e <= msg.len())
            .ok_or(bad("NDEF record truncated"))?;
        let s = &msg[*pos..end];
        *pos = end;
        Ok(s)
    };
    while pos < msg.len() {
        if out.len() >= MAX_RECORDS {
            return Err(bad("too many NDEF records"));
        }
        let h = take(&mut pos, 1)?[0];
        if h & 0x20 != 0 {
            return Err(bad("chunked NDEF record"));
        }
        let type_len = usize::from(take(&mut pos, 1)?[0]);
        let payload_len = if h & 0x10 != 0 {
            usize::from(take(&mut pos, 1)?[0])
        } else {
            let b = take(&mut pos, 4)?;
            u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
        };
        let id_len = if h & 0x08 != 0 {
            usize::from(take(&mut pos, 1)?[0])
        } else {
            0
        };
        let record_type = take(&mut pos, type_len)?;
        let id = take(&mut pos, id_len)?;
        let payload = take(&mut pos, payload_len)?;
        out.push(NdefRecord {
            tnf: h & 0x07,
            record_type,
            id,
            payload,
        });
        if h & 0x40 != 0 {
            break;
        }
    }
    if pos != msg.len() {
        return Err(bad("bytes after the NDEF message end"));
    }
    Ok(out)
}

/// Encodes NDEF records as one message.
pub fn encode_ndef(records: &[NdefRecord<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let mut h = r.tnf & 0x07;
        if i == 0 {
            h |= 0x80;
        }
        if i + 1 == records.len() {
            h |= 0x40;
        }
        let short = r.payload.len() < 256;
        if short {
            h |= 0x10;
        }
        if !r.id.is_empty() {
            h |= 0x08;
        }
        out.push(h);
        out.push(r.record_type.len() as u8);
        if short {
            out.push(r.payload.len() as u8);
        } else {
            out.extend_from_slice(&(r.payload.len() as u32).to_be_bytes());
        }
        if !r.id.is_empty() {
            out.push(r.id.len() as u8);
        }
        out.extend_from_slice(r.record_type);
        out.extend_from_slice(r.id);
        out.extend_from_slice(r.payload);
    }
    out
}

/// Reads a Handover Select message: its DeviceEngagement record and the transcript's
/// [`Handover`] (`request` = the Handover Request written, `None` for a static handover).
pub fn read_handover_select(
    select: &[u8],
    request: Option<Vec<u8>>,
) -> Result<(DeviceEngagement, Handover), MdocError> {
    let records = parse_ndef(select)?;
    if !records
        .first()
        .is_some_and(|r| r.tnf == TNF_WELL_KNOWN && r.record_type == b"Hs")
    {
        return Err(bad("not a Handover Select message"));
    }
    let de = records
        .iter()
        .find(|r| r.tnf == TNF_EXTERNAL && r.record_type == DEVICE_ENGAGEMENT_TYPE)
        .ok_or(bad("no DeviceEngagement record"))?;
    let engagement = DeviceEngagement::parse(de.payload)?;
    Ok((
        engagement,
        Handover::Nfc {
            select: select.to_vec(),
            request,
        },
    ))
}

/// What the driver does next in a negotiated handover.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HandoverStep {
    /// Write this NDEF message, then read the NDEF file and call [`NegotiatedHandover::on_read`].
    Write(Vec<u8>),
    /// Wait this many milliseconds, read the NDEF file again and call `on_read`.
    WaitThenRead {
        /// Milliseconds (the TNEP minimum waiting time).
        millis: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    AwaitStatus,
    AwaitSelect,
    Done,
}

/// The reader's negotiated handover (TNEP), sans-IO.
#[derive(Debug, Clone)]
pub struct NegotiatedHandover {
    state: State,
    request: Vec<u8>,
    wait_millis: u32,
    polls: u32,
    max_polls: u32,
}

impl NegotiatedHandover {
    /// Starts from the initial NDEF message (the holder's TNEP Service Parameter records) and
    /// the Handover Request message the reader will write; `max_polls` bounds the empty reads.
    pub fn start(
        initial: &[u8],
        handover_request: Vec<u8>,
        max_polls: u32,
    ) -> Result<(Self, HandoverStep), MdocError> {
        let records = parse_ndef(initial)?;
        let param = records
            .iter()
            .filter(|r| r.tnf == TNF_WELL_KNOWN && r.record_type == b"Tp")
            .find(|r| {
                let p = r.payload;
                p.len() >= 2 && p.get(2..2 + usize::from(p[1])) == Some(HANDOVER_SERVICE)
            })
            .ok_or(bad("no TNEP handover service parameter"))?;
        let p = param.payload;
        let after = 2 + usize::from(p[1]);
        // [version, name len, name, communication mode, WT, N_wait, max NDEF size (2)]
        let wt = *p
            .get(after + 1)
            .ok_or(bad("TNEP service parameter truncated"))?;
        let mut select_payload = Vec::with_capacity(1 + HANDOVER_SERVICE.len());
        select_payload.push(HANDOVER_SERVICE.len() as u8);
        select_payload.extend_from_slice(HANDOVER_SERVICE);
        let select = encode_ndef(&[NdefRecord {
            tnf: TNF_WELL_KNOWN,
            record_type: b"Ts",
            id: &[],
            payload: &select_payload,
        }]);
        Ok((
            NegotiatedHandover {
                state: State::AwaitStatus,
                request: handover_request,
                wait_millis: tnep_wait_millis(wt),
                polls: 0,
                max_polls,
            },
            HandoverStep::Write(select),
        ))
    }

    /// The TNEP minimum waiting time honoured between polls.
    pub fn wait_millis(&self) -> u32 {
        self.wait_millis
    }

    /// Feeds an NDEF message read from the holder: the next step, or the engagement and the
    /// transcript's handover once the Handover Select has arrived.
    pub fn on_read(
        &mut self,
        ndef: &[u8],
    ) -> Result<Result<HandoverStep, (DeviceEngagement, Handover)>, MdocError> {
        if ndef.is_empty() {
            if self.state == State::Done {
                return Err(bad("handover already done"));
            }
            self.polls += 1;
            if self.polls > self.max_polls {
                self.state = State::Done;
                return Err(MdocError::HandoverTimeout {
                    polls: self.polls - 1,
                });
            }
            return Ok(Ok(HandoverStep::WaitThenRead {
                millis: self.wait_millis,
            }));
        }
        match self.state {
            State::AwaitStatus => {
                let records = parse_ndef(ndef)?;
                let status = records
                    .iter()
                    .find(|r| r.tnf == TNF_WELL_KNOWN && r.record_type == b"Te")
                    .and_then(|r| r.payload.first().copied())
                    .ok_or(bad("no TNEP status after the service selection"))?;
                if status != 0 {
                    self.state = State::Done;
                    return Err(bad("TNEP status is not success"));
                }
                self.state = State::AwaitSelect;
                self.polls = 0;
                Ok(Ok(HandoverStep::Write(self.request.clone())))
            }
            State::AwaitSelect => {
                self.state = State::Done;
                read_handover_select(ndef, Some(self.request.clone())).map(Err)
            }
            State::Done => Err(bad("handover already done")),
        }
    }
}

/// TNEP minimum waiting time: 2^(WT/4 − 1) ms (WT 0..=63), at least 1 ms.
fn tnep_wait_millis(wt: u8) -> u32 {
    // 2^(WT/4 − 1) = 2^(WT div 4) × 2^((WT mod 4)/4) / 2, the fraction in thousandths.
    const FRACTION: [u64; 4] = [1000, 1190, 1415, 1682];
    let wt = wt.min(63);
    let scaled = (1u64 << (wt / 4)) * FRACTION[usize::from(wt % 4)];
    (scaled.div_ceil(2000) as u32).max(1)
}
