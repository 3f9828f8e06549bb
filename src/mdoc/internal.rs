//! Entry points for the fuzz targets (re-exported by [`crate::internal`]): every mdoc parser of
//! untrusted bytes, reachable with arbitrary input. Each returns nothing and must not panic.

use super::cbor;
use super::cose::CoseMessage;
use super::engagement::DeviceEngagement;
use super::handover::{NegotiatedHandover, parse_ndef, read_handover_select};
use super::session::ReaderSession;
use super::transcript::Handover;

/// A fixed reader scalar for the fuzzed sessions (not a secret: fuzzing only).
const FUZZ_SCALAR: [u8; 32] = [0x11; 32];

/// DeviceEngagement from bytes and from an `mdoc:` URI.
pub fn mdoc_engagement(data: &[u8]) {
    let _ = DeviceEngagement::parse(data);
    if let Ok(s) = core::str::from_utf8(data) {
        let _ = DeviceEngagement::from_qr_uri(s);
    }
}

/// NDEF, Handover Select and the negotiated handover's state machine fed the input's records.
pub fn mdoc_handover(data: &[u8]) {
    let _ = parse_ndef(data);
    let _ = read_handover_select(data, None);
    let (first, rest) = data.split_at(data.len() / 2);
    if let Ok((mut h, _)) = NegotiatedHandover::start(first, alloc::vec::Vec::new(), 4) {
        for chunk in [rest, &[][..], rest] {
            if h.on_read(chunk).is_err() {
                break;
            }
        }
    }
}

/// The bounded CBOR decoder and COSE_Sign1 / COSE_Mac0 reading.
pub fn mdoc_cbor_cose(data: &[u8]) {
    if let Ok(node) = cbor::decode(data) {
        if let Ok(msg) = CoseMessage::from_node(&node, "fuzz") {
            let _ = msg.signature_algorithm("fuzz");
            let _ = msg.to_be_signed(msg.payload.unwrap_or_default());
        }
        let _ = super::mso::Mso::parse(data);
        let _ = super::request::parse_device_request(data);
    }
}

/// Session decryption of arbitrary SessionData (with a fixed engagement key, the input's
/// first half as the engagement when it parses).
pub fn mdoc_session(data: &[u8]) {
    let (first, rest) = data.split_at(data.len() / 2);
    if let Ok(e) = DeviceEngagement::parse(first)
        && let Ok(mut s) = ReaderSession::new(&e, &Handover::Qr, &FUZZ_SCALAR)
    {
        let _ = s.receive(rest);
        let _ = s.receive(rest);
    }
}
