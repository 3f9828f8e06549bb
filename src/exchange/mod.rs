//! The exchange loop, written once: GET RESPONSE on `61xx`, re-issue on `6Cxx`,
//! whole-file reads sized by the data's own header.
//!
//! The rules live in two small sans-IO state machines that any stack can drive
//! (a blocking loop, an async task, a reader's firmware, a phone's NFC callback):
//! - [`Transmit`]: one command, its `61xx` GET RESPONSE rounds and `6Cxx` re-issue;
//! - [`ReadFile`]: a whole-file read sized by the content's header, within [`Limits`].
//!
//! [`Exchange`] is the thin blocking driver over them for any [`Transport`]; it is
//! what the blocking card driver uses.

mod power_up;
mod read_file;
mod transmit;

use alloc::vec::Vec;
use zeroize::Zeroizing;

/// What a link carries and how it fails: the vocabulary the sans-IO machines (and the
/// flows built on them) share with every transport, without the blocking trait.
#[doc(no_inline)]
pub use crate::transport::{LinkCapabilities, TransportError};
pub(crate) use power_up::{FirstCommand, PowerUp};
pub use read_file::{ReadFile, read_chunk};
pub use transmit::Transmit;

use crate::apdu::{Command, Response};
use crate::error::{ExchangeError, instruction_name};
use crate::transport::Transport;

/// Bounds applied to data the card declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file (or chained response) accepted, in bytes. A declared length
    /// over this is an error before any allocation. Default 64 KiB.
    pub max_file_len: usize,
}

impl Limits {
    /// The most GET RESPONSE rounds one command may take: enough for a response of
    /// [`Limits::max_file_len`] bytes in full 256-byte rounds (257 by default). A
    /// card that trickles its answer in smaller pieces beyond that is refused.
    pub const fn max_get_response_rounds(&self) -> usize {
        self.max_file_len.div_ceil(256) + 1
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_len: 64 * 1024,
        }
    }
}

/// Which EF a whole-file read starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRef {
    /// The currently selected EF.
    Current,
    /// The EF with this short file identifier (1–30) under the current DF; the first
    /// READ BINARY selects it (`P1 = 80 | SFI`), saving a SELECT.
    Sfi(u8),
}

/// How the length of a file's content is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// The content is one BER-TLV or DER object; its header gives the length and
    /// anything after it (`FF` filler) is not read.
    Tlv,
    /// The content has this fixed length (token info, filler-included EFs).
    Fixed(usize),
}

/// Bytes and commands counted on an [`Exchange`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Command APDUs sent (including GET RESPONSE and re-issues).
    pub commands: usize,
    /// Bytes of command APDUs sent.
    pub bytes_sent: usize,
    /// Bytes of response APDUs received (including status words).
    pub bytes_received: usize,
}

/// A transport with the exchange rules applied.
#[derive(Debug)]
pub struct Exchange<T> {
    transport: T,
    caps: LinkCapabilities,
    limits: Limits,
    counters: Counters,
    power_up: PowerUp,
}

impl<T: Transport> Exchange<T> {
    /// Wraps a transport with default [`Limits`].
    pub fn new(transport: T) -> Self {
        let caps = transport.capabilities();
        Self {
            transport,
            caps,
            limits: Limits::default(),
            counters: Counters::default(),
            power_up: PowerUp::armed(),
        }
    }

    /// Replaces the limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// What the link carries (read once from the transport at construction).
    pub fn capabilities(&self) -> LinkCapabilities {
        self.caps
    }

    /// Re-reads the link's capabilities (after a reconnect, for instance).
    pub fn refresh_capabilities(&mut self) {
        self.caps = self.transport.capabilities();
    }

    /// Commands and bytes exchanged so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// The wrapped transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The wrapped transport, mutably.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Unwraps the transport.
    pub fn into_inner(self) -> T {
        self.transport
    }

    fn send_once(&mut self, cmd: &Command) -> Result<Response, ExchangeError> {
        let bytes = encode_for_link(cmd, self.caps)?;
        let mut raw = self.transport.transmit(&bytes)?;
        if self.power_up.resend(&raw) {
            self.counters.commands += 1;
            raw = self.transport.transmit(&bytes)?;
        }
        self.counters.commands += 1;
        self.counters.bytes_sent += bytes.len();
        self.counters.bytes_received += raw.len();
        Ok(Response::from_vec(raw)?)
    }

    /// Sends a command and applies the ISO 7816-4 transmission rules (a
    /// [`Transmit`] driven over the transport): on `61xx` the remaining data is
    /// fetched with GET RESPONSE (and appended), on `6Cxx` the command is
    /// re-issued once with the indicated Le. Returns the final response whatever
    /// its status word; see [`Exchange::transmit_ok`] to require `9000`.
    pub fn transmit(&mut self, cmd: &Command) -> Result<Response, ExchangeError> {
        let mut t = Transmit::new(cmd.clone(), self.limits);
        while let Some(next) = t.next_command() {
            let response = self.send_once(&next)?;
            t.on_response(response)?;
        }
        t.finish()
    }

    /// Like [`Exchange::transmit`], but any status other than `9000` is an
    /// [`ExchangeError::Status`] naming the command.
    pub fn transmit_ok(&mut self, cmd: &Command) -> Result<Response, ExchangeError> {
        let resp = self.transmit(cmd)?;
        if resp.status().is_ok() {
            Ok(resp)
        } else {
            Err(ExchangeError::Status {
                command: instruction_name(cmd.cla, cmd.ins),
                sw: resp.status(),
            })
        }
    }

    /// The largest READ BINARY chunk this link carries: 256 bytes on a short link,
    /// up to 65536 on an extended one.
    pub fn read_chunk(&self) -> usize {
        read_chunk(self.caps)
    }

    /// Reads a whole file (a [`ReadFile`] driven over the transport) with as few
    /// READ BINARY commands as the link allows: the first read asks for a full
    /// chunk, the content's own header (or the fixed length) sizes the rest, and
    /// reading stops at the declared end. There is no separate size probe. Filler
    /// after the object is not returned.
    pub fn read_file(
        &mut self,
        file: FileRef,
        framing: Framing,
    ) -> Result<Zeroizing<Vec<u8>>, ExchangeError> {
        let mut read = ReadFile::new(file, framing, self.caps, self.limits)?;
        while let Some(next) = read.next_command() {
            let response = self.transmit(&next)?;
            read.on_response(response)?;
        }
        read.finish()
    }
}

/// `cmd`'s bytes for a link with `caps` (extended form only where the link carries it),
/// refused when longer than the link's largest command: every driver's one encoding (the
/// [`Exchange`], the runner and the intake driver).
pub(crate) fn encode_for_link(
    cmd: &Command,
    caps: LinkCapabilities,
) -> Result<Zeroizing<Vec<u8>>, ExchangeError> {
    let bytes = Zeroizing::new(cmd.encode_auto(caps.extended)?);
    if bytes.len() > caps.max_command_len {
        return Err(crate::apdu::ApduError::TooLongForLink {
            len: bytes.len(),
            max: caps.max_command_len,
        }
        .into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apdu::StatusWord;
    use crate::transport::{Transcript, TransportError};
    use alloc::string::String;

    fn ex(script: &str) -> Exchange<Transcript> {
        Exchange::new(Transcript::parse(script).unwrap())
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    #[test]
    fn get_response_on_61xx() {
        let mut e =
            ex("> 80 2A 00 80 02 01 02 00\n< 0A0B 61 03\n> 00 C0 00 00 03\n< 0C0D0E 90 00\n");
        let cmd = Command::new(0x80, 0x2A, 0x00, 0x80)
            .with_data([1, 2])
            .with_le(256);
        let r = e.transmit(&cmd).unwrap();
        assert_eq!(r.data(), &[0x0A, 0x0B, 0x0C, 0x0D, 0x0E]);
        assert_eq!(r.status(), StatusWord::Ok);
        assert_eq!(e.counters().commands, 2);
        e.transport().finish().unwrap();
    }

    #[test]
    fn get_response_61_00_means_256() {
        let body = "AB".repeat(256);
        let mut e = ex(&format!(
            "> 00 CA 00 F8 00\n< 61 00\n> 00 C0 00 00 00\n< {body} 90 00\n"
        ));
        let r = e
            .transmit(&Command::new(0, 0xCA, 0, 0xF8).with_le(256))
            .unwrap();
        assert_eq!(r.data().len(), 256);
    }

    #[test]
    fn reissue_on_6cxx() {
        let mut e = ex("> 00 84 00 00 10\n< 6C 08\n> 00 84 00 00 08\n< 0102030405060708 9000\n");
        let r = e
            .transmit(&Command::new(0, 0x84, 0, 0).with_le(16))
            .unwrap();
        assert_eq!(r.data(), &[1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn repeated_6cxx_is_an_error() {
        let mut e = ex("> 00 84 00 00 10\n< 6C 08\n> 00 84 00 00 08\n< 6C 04\n");
        assert_eq!(
            e.transmit(&Command::new(0, 0x84, 0, 0).with_le(16)),
            Err(ExchangeError::RepeatedWrongLe)
        );
    }

    #[test]
    fn transmit_ok_names_the_command() {
        let mut e = ex("> 00 A4 02 0C 02 00 01\n< 6A 82\n");
        let err = e
            .transmit_ok(&Command::new(0, 0xA4, 2, 0x0C).with_data([0, 1]))
            .unwrap_err();
        assert_eq!(
            err,
            ExchangeError::Status {
                command: "SELECT",
                sw: StatusWord::FileNotFound
            }
        );
        assert_eq!(err.status(), Some(StatusWord::FileNotFound));
    }

    fn der_file(total: usize) -> Vec<u8> {
        // 30 82 LL LL + content, then FF filler
        let content = total - 4;
        let mut v = vec![0x30, 0x82, (content >> 8) as u8, content as u8];
        v.extend((0..content).map(|i| (i % 251) as u8));
        v
    }

    #[test]
    fn chunked_short_read_sized_by_der_header() {
        let file = der_file(600);
        let script = format!(
            "> 00 B0 8A 00 00\n< {} 9000\n> 00 B0 01 00 00\n< {} 9000\n> 00 B0 02 00 58\n< {} 9000\n",
            hex(&file[..256]),
            hex(&file[256..512]),
            hex(&file[512..600]),
        );
        let mut e = ex(&script);
        let got = e.read_file(FileRef::Sfi(0x0A), Framing::Tlv).unwrap();
        assert_eq!(got.as_slice(), file.as_slice());
        assert_eq!(e.counters().commands, 3);
        e.transport().finish().unwrap();
    }

    #[test]
    fn object_shorter_than_first_chunk_ignores_filler() {
        let mut data = vec![0xFF, 0x20, 0x03, 0xDF, 0x25, 0x01];
        data.extend([0xFF; 20]);
        let script = format!("> 00 B0 00 00 00\n< {} 9000\n", hex(&data));
        let mut e = ex(&script);
        let got = e.read_file(FileRef::Current, Framing::Tlv).unwrap();
        assert_eq!(got.as_slice(), &data[..6]);
    }

    #[test]
    fn one_extended_read() {
        let file = der_file(1573);
        let script = format!("> 00 B0 8A 00 00 00 00\n< {} FFFF 9000\n", hex(&file));
        let mut e = Exchange::new(
            Transcript::parse(&script)
                .unwrap()
                .with_capabilities(LinkCapabilities::extended(65536)),
        );
        let got = e.read_file(FileRef::Sfi(0x0A), Framing::Tlv).unwrap();
        assert_eq!(got.len(), 1573);
        assert_eq!(e.counters().commands, 1);
    }

    #[test]
    fn fixed_length_read() {
        let mut e = ex("> 00 B0 81 00 11\n< FF100C313233343536373839303138FFFF 9000\n");
        let got = e.read_file(FileRef::Sfi(1), Framing::Fixed(17)).unwrap();
        assert_eq!(got.len(), 17);
        assert_eq!(&got[15..], &[0xFF, 0xFF]);
    }

    #[test]
    fn declared_length_over_limit_fails_before_reading_more() {
        let mut e = ex("> 00 B0 8A 00 00\n< 30 83 01 00 00 9000\n");
        assert_eq!(
            e.read_file(FileRef::Sfi(0x0A), Framing::Tlv),
            Err(ExchangeError::LengthLimit {
                declared: 65541,
                limit: 65536
            })
        );
        let mut e = ex("").with_limits(Limits { max_file_len: 10 });
        assert_eq!(
            e.read_file(FileRef::Current, Framing::Fixed(11)),
            Err(ExchangeError::LengthLimit {
                declared: 11,
                limit: 10
            })
        );
    }

    #[test]
    fn file_that_lies_about_its_length() {
        // Header says 600 bytes; the card returns 100 bytes with 9000.
        let file = der_file(600);
        let script = format!("> 00 B0 8A 00 00\n< {} 9000\n", hex(&file[..100]));
        assert_eq!(
            ex(&script).read_file(FileRef::Sfi(0x0A), Framing::Tlv),
            Err(ExchangeError::FileShorterThanDeclared {
                declared: 600,
                got: 100
            })
        );
        // Second chunk answered 6B00.
        let script = format!(
            "> 00 B0 8A 00 00\n< {} 9000\n> 00 B0 01 00 00\n< 6B00\n",
            hex(&file[..256])
        );
        assert_eq!(
            ex(&script).read_file(FileRef::Sfi(0x0A), Framing::Tlv),
            Err(ExchangeError::FileShorterThanDeclared {
                declared: 600,
                got: 256
            })
        );
        // Second chunk empty with 9000.
        let script = format!(
            "> 00 B0 8A 00 00\n< {} 9000\n> 00 B0 01 00 00\n< 9000\n",
            hex(&file[..256])
        );
        assert_eq!(
            ex(&script).read_file(FileRef::Sfi(0x0A), Framing::Tlv),
            Err(ExchangeError::FileShorterThanDeclared {
                declared: 600,
                got: 256
            })
        );
        // Header truncated in a tiny file.
        assert_eq!(
            ex("> 00 B0 8A 00 00\n< 30 82 9000\n").read_file(FileRef::Sfi(0x0A), Framing::Tlv),
            Err(ExchangeError::FileShorterThanDeclared {
                declared: 4,
                got: 2
            })
        );
    }

    #[test]
    fn card_returning_more_than_le() {
        let script = format!("> 00 B0 81 00 03\n< {} 9000\n", "00".repeat(4));
        assert_eq!(
            ex(&script).read_file(FileRef::Sfi(1), Framing::Fixed(3)),
            Err(ExchangeError::TooMuchData {
                requested: 3,
                got: 4
            })
        );
    }

    #[test]
    fn removal_mid_read_gives_no_partial_result() {
        let file = der_file(600);
        let script = format!(
            "> 00 B0 8A 00 00\n< {} 9000\n> 00 B0 01 00 00\n<! removed\n",
            hex(&file[..256])
        );
        assert_eq!(
            ex(&script).read_file(FileRef::Sfi(0x0A), Framing::Tlv),
            Err(ExchangeError::Transport(TransportError::CardRemoved))
        );
    }

    #[test]
    fn status_error_on_first_read() {
        assert_eq!(
            ex("> 00 B0 81 00 00\n< 6982\n").read_file(FileRef::Sfi(1), Framing::Tlv),
            Err(ExchangeError::Status {
                command: "READ BINARY",
                sw: StatusWord::SecurityStatusNotSatisfied
            })
        );
    }

    #[test]
    fn short_only_link_refuses_extended_commands() {
        let mut e = ex("");
        let cmd = Command::new(0x80, 0xA2, 0, 0).with_data(vec![0; 300]);
        assert_eq!(
            e.transmit(&cmd),
            Err(ExchangeError::Apdu(
                crate::apdu::ApduError::ExtendedNotSupported
            ))
        );
    }

    /// A card that answers every command with the same bytes, and gives up (with
    /// a transport error) after `give_up` commands so an unbounded loop ends.
    struct Repeating {
        answer: Vec<u8>,
        first: Option<Vec<u8>>,
        sent: usize,
        give_up: usize,
    }

    impl Repeating {
        fn new(answer: &[u8]) -> Self {
            Self {
                answer: answer.to_vec(),
                first: None,
                sent: 0,
                give_up: 100_000,
            }
        }
    }

    impl Transport for Repeating {
        fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.sent += 1;
            if self.sent > self.give_up {
                return Err(TransportError::Timeout);
            }
            if self.sent == 1
                && let Some(first) = self.first.take()
            {
                return Ok(first);
            }
            Ok(self.answer.clone())
        }
    }

    #[test]
    fn card_answering_61ff_without_data_is_bounded() {
        let mut e = Exchange::new(Repeating::new(&[0x61, 0xFF]));
        assert_eq!(
            e.transmit(&Command::new(0x80, 0x2A, 0x00, 0x80).with_le(256)),
            Err(ExchangeError::GetResponseWithoutData)
        );
        // The command and one GET RESPONSE that brought nothing.
        assert_eq!(e.counters().commands, 2);
    }

    #[test]
    fn get_response_rounds_are_capped_by_the_response_limit() {
        // Every GET RESPONSE brings one byte and announces one more, forever.
        let limits = Limits { max_file_len: 1024 };
        let mut e = Exchange::new(Repeating::new(&[0xAB, 0x61, 0x01])).with_limits(limits);
        assert_eq!(limits.max_get_response_rounds(), 5);
        assert_eq!(
            e.transmit(&Command::new(0x00, 0xCA, 0x00, 0x00).with_le(256)),
            Err(ExchangeError::TooManyGetResponseRounds { limit: 5 })
        );
        assert_eq!(e.counters().commands, 1 + 5);
        // The default limit allows a full 64 KiB in 256-byte rounds, no more.
        assert_eq!(Limits::default().max_get_response_rounds(), 257);
    }

    #[test]
    fn repeated_6cxx_is_refused() {
        // 6Cxx, re-issue, 61xx, GET RESPONSE answered 6Cxx again: one re-issue only.
        let mut e = ex(concat!(
            "> 00 84 00 00 10\n< 6C 08\n",
            "> 00 84 00 00 08\n< 61 08\n",
            "> 00 C0 00 00 08\n< 6C 04\n",
        ));
        assert_eq!(
            e.transmit(&Command::new(0, 0x84, 0, 0).with_le(16)),
            Err(ExchangeError::RepeatedWrongLe)
        );
        e.transport().finish().unwrap();
        // A single 6Cxx on GET RESPONSE is honoured once.
        let mut e = ex(concat!(
            "> 00 84 00 00 08\n< 61 08\n",
            "> 00 C0 00 00 08\n< 6C 04\n",
            "> 00 C0 00 00 04\n< 01020304 9000\n",
        ));
        let r = e.transmit(&Command::new(0, 0x84, 0, 0).with_le(8)).unwrap();
        assert_eq!(r.data(), &[1, 2, 3, 4]);
        e.transport().finish().unwrap();
    }

    #[test]
    fn chunked_read_that_trickles_is_bounded() {
        // The header declares 600 bytes; after the first full chunk the card
        // answers one byte per READ BINARY with 9000.
        let file = der_file(600);
        let mut first = file[..256].to_vec();
        first.extend([0x90, 0x00]);
        let mut card = Repeating::new(&[0x00, 0x90, 0x00]);
        card.first = Some(first);
        let mut e = Exchange::new(card);
        assert_eq!(
            e.read_file(FileRef::Sfi(0x0A), Framing::Tlv),
            Err(ExchangeError::FileShorterThanDeclared {
                declared: 600,
                got: 257
            })
        );
        assert_eq!(e.counters().commands, 2);
    }

    #[test]
    fn sans_io_machines_refuse_responses_out_of_turn() {
        let mut t = Transmit::new(Command::new(0, 0x84, 0, 0).with_le(8), Limits::default());
        assert_eq!(
            t.on_response(Response::new(vec![], StatusWord::Ok)),
            Err(ExchangeError::NoCommandOutstanding)
        );
        assert!(t.next_command().is_some());
        assert!(t.next_command().is_none(), "one command at a time");
        let mut r = ReadFile::new(
            FileRef::Current,
            Framing::Tlv,
            LinkCapabilities::SHORT,
            Limits::default(),
        )
        .unwrap();
        assert_eq!(
            r.on_response(Response::new(vec![], StatusWord::Ok)),
            Err(ExchangeError::NoCommandOutstanding)
        );
        assert_eq!(r.finish(), Err(ExchangeError::Unfinished));
        assert_eq!(t.finish().unwrap_err(), ExchangeError::Unfinished);
    }

    #[test]
    fn read_buffer_is_allocated_once_at_the_declared_length() {
        let file = der_file(600);
        let script = format!(
            "> 00 B0 8A 00 00\n< {} 9000\n> 00 B0 01 00 00\n< {} 9000\n> 00 B0 02 00 58\n< {} 9000\n",
            hex(&file[..256]),
            hex(&file[256..512]),
            hex(&file[512..600]),
        );
        let got = ex(&script)
            .read_file(FileRef::Sfi(0x0A), Framing::Tlv)
            .unwrap();
        assert_eq!(got.capacity(), 600);
    }
}
