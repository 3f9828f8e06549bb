//! SessionTranscript (ISO/IEC 18013-5 §9.1.5.1):
//! `[DeviceEngagementBytes, EReaderKeyBytes, Handover]`, built over the holder's raw engagement
//! bytes.

use alloc::vec::Vec;

use super::cbor;

/// How the engagement reached the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handover {
    /// QR code: `null`.
    Qr,
    /// NFC: `[HandoverSelect, HandoverRequest or null]`, the NDEF messages' raw bytes.
    Nfc {
        /// The Handover Select message as read.
        select: Vec<u8>,
        /// The Handover Request message as written (negotiated handover), `None` for static.
        request: Option<Vec<u8>>,
    },
}

/// The encoded SessionTranscript and its `#6.24` wrapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTranscript {
    encoded: Vec<u8>,
    tagged: Vec<u8>,
}

impl SessionTranscript {
    /// Builds the transcript from the engagement bytes exactly as received, the reader key's
    /// `EReaderKeyBytes` and the handover.
    pub fn new(
        device_engagement_raw: &[u8],
        e_reader_key_bytes: &[u8],
        handover: &Handover,
    ) -> Self {
        let mut e = Vec::with_capacity(device_engagement_raw.len() + e_reader_key_bytes.len() + 16);
        cbor::put_header(&mut e, 4, 3);
        e.extend_from_slice(&cbor::tag24(device_engagement_raw));
        e.extend_from_slice(e_reader_key_bytes);
        match handover {
            Handover::Qr => e.push(0xf6),
            Handover::Nfc { select, request } => {
                cbor::put_header(&mut e, 4, 2);
                cbor::put_bytes(&mut e, select);
                match request {
                    Some(r) => cbor::put_bytes(&mut e, r),
                    None => e.push(0xf6),
                }
            }
        }
        let tagged = cbor::tag24(&e);
        SessionTranscript { encoded: e, tagged }
    }

    /// The SessionTranscript encoding (inside DeviceAuthentication and ReaderAuthentication).
    pub fn encoded(&self) -> &[u8] {
        &self.encoded
    }

    /// SessionTranscriptBytes = `#6.24(bstr .cbor SessionTranscript)` (the HKDF salt's input).
    pub fn bytes(&self) -> &[u8] {
        &self.tagged
    }
}
