//! Device authentication (ISO/IEC 18013-5 §9.1.3): the holder's device key signs (ES256) or
//! MACs (HMAC-SHA-256 with EMacKey) `DeviceAuthenticationBytes` =
//! `#6.24(["DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes])`.

use alloc::vec::Vec;

use hmac::{KeyInit, Mac};

use super::MdocError;
use super::cbor::{self, Node, get};
use super::cose::CoseMessage;
use super::mso::Mso;
use super::names::known_element;
use super::session::ReaderSession;
use crate::pki::backend::SignatureBackend;

/// How the holder's device authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceAuthKind {
    /// deviceSignature (COSE_Sign1 with the MSO's device key).
    Signature,
    /// deviceMac (COSE_Mac0, HMAC 256/256 with EMacKey).
    Mac,
}

impl DeviceAuthKind {
    /// `"signature"` or `"mac"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeviceAuthKind::Signature => "signature",
            DeviceAuthKind::Mac => "mac",
        }
    }
}

/// `DeviceAuthenticationBytes` for a transcript, a docType and the DeviceNameSpacesBytes as
/// received.
pub fn device_authentication_bytes(
    transcript_encoded: &[u8],
    doc_type: &str,
    device_name_spaces_bytes: &[u8],
) -> Vec<u8> {
    let mut e = Vec::with_capacity(transcript_encoded.len() + device_name_spaces_bytes.len() + 64);
    cbor::put_header(&mut e, 4, 4);
    cbor::put_text(&mut e, "DeviceAuthentication");
    e.extend_from_slice(transcript_encoded);
    cbor::put_text(&mut e, doc_type);
    e.extend_from_slice(device_name_spaces_bytes);
    cbor::tag24(&e)
}

/// Verifies `deviceSigned` of a document: device authentication over DeviceAuthentication and
/// the keyAuthorizations of every device-signed element.
pub fn verify_device_signed(
    device_signed: &Node<'_>,
    doc_type: &str,
    mso: &Mso,
    session: &ReaderSession,
    backend: &dyn SignatureBackend,
) -> Result<DeviceAuthKind, MdocError> {
    let ds = device_signed.map("deviceSigned")?;
    let ns_node = cbor::require(ds, "nameSpaces")?;
    let ns_inner = ns_node.tag24("DeviceNameSpacesBytes")?;
    let dns = cbor::decode(ns_inner)?;
    for (ns, elems) in dns.map("DeviceNameSpaces")? {
        let ns = ns.text("DeviceNameSpaces")?;
        for (id, _) in elems.map("DeviceSignedItems")? {
            let id = id.text("DeviceSignedItems")?;
            if !mso.authorizes(ns, id) {
                return Err(MdocError::KeyNotAuthorized {
                    element: known_element(id),
                });
            }
        }
    }
    let da = cbor::require(ds, "deviceAuth")?.map("deviceAuth")?;
    let payload =
        device_authentication_bytes(session.transcript().encoded(), doc_type, ns_node.raw);
    match (get(da, "deviceSignature"), get(da, "deviceMac")) {
        (Some(sig), None) => {
            let msg = CoseMessage::from_node(sig, "deviceSignature")?;
            let alg = msg.signature_algorithm("deviceSignature")?;
            check_detached(&msg, &payload)?;
            let key = backend
                .prepare_key(&mso.device_key.spki_der()?)
                .map_err(|_| MdocError::CoseKey {
                    reason: "device key not usable",
                })?;
            key.verify_fixed(alg, &msg.to_be_signed(&payload), msg.signature)
                .map_err(|_| MdocError::DeviceSignature)?;
            Ok(DeviceAuthKind::Signature)
        }
        (None, Some(mac)) => {
            let msg = CoseMessage::from_node(mac, "deviceMac")?;
            if msg.alg != 5 {
                return Err(MdocError::UnsupportedAlgorithm {
                    what: "deviceMac",
                    alg: msg.alg,
                });
            }
            check_detached(&msg, &payload)?;
            let key = session.e_mac_key(&mso.device_key)?;
            verify_mac(&key, &msg, &payload)?;
            Ok(DeviceAuthKind::Mac)
        }
        _ => Err(MdocError::DeviceAuth {
            reason: "not exactly one of deviceSignature and deviceMac",
        }),
    }
}

/// The payload must be detached (null) or equal to the expected one.
fn check_detached(msg: &CoseMessage<'_>, payload: &[u8]) -> Result<(), MdocError> {
    match msg.payload {
        None => Ok(()),
        Some(p) if p == payload => Ok(()),
        Some(_) => Err(MdocError::DeviceAuth {
            reason: "attached payload differs from DeviceAuthentication",
        }),
    }
}

fn verify_mac(key: &[u8; 32], msg: &CoseMessage<'_>, payload: &[u8]) -> Result<(), MdocError> {
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key)
        .map_err(|_| MdocError::DeviceMac)?;
    mac.update(&msg.to_be_maced(payload));
    mac.verify_slice(msg.signature)
        .map_err(|_| MdocError::DeviceMac)
}
