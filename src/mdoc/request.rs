//! DeviceRequest (ISO/IEC 18013-5 §8.3.2.1.2.1) for the elements the caller names, with
//! optional reader authentication (COSE_Sign1 ES256 over ReaderAuthenticationBytes, detached),
//! and the holder-side check of a reader authentication.

use alloc::vec::Vec;

use p256::ecdsa::signature::Signer;

use super::MdocError;
use super::cbor::{self, Node, get, require};
use super::cose::{CoseMessage, structure};
use super::transcript::SessionTranscript;
use crate::pki::Certificate;
use crate::pki::backend::SignatureBackend;

/// Most documents and elements accepted in a request.
const MAX_REQUESTED: usize = 256;

/// One requested element: `(namespace, identifier, intent to retain)`.
pub type RequestedElement<'a> = (&'a str, &'a str, bool);

/// The reader's authentication key (P-256) and its certificate.
pub struct ReaderAuthKey {
    key: p256::ecdsa::SigningKey,
    certificate: Vec<u8>,
}

impl core::fmt::Debug for ReaderAuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReaderAuthKey").finish_non_exhaustive()
    }
}

impl ReaderAuthKey {
    /// From the private scalar and the reader certificate (DER).
    pub fn new(scalar: &[u8; 32], certificate_der: Vec<u8>) -> Result<Self, MdocError> {
        let key = p256::ecdsa::SigningKey::from_slice(scalar).map_err(|_| MdocError::CoseKey {
            reason: "reader authentication scalar out of range",
        })?;
        Ok(ReaderAuthKey {
            key,
            certificate: certificate_der,
        })
    }
}

/// `ItemsRequest` bytes (the content of ItemsRequestBytes).
pub fn items_request(doc_type: &str, elements: &[RequestedElement<'_>]) -> Vec<u8> {
    let mut namespaces: Vec<&str> = Vec::new();
    for (ns, _, _) in elements {
        if !namespaces.contains(ns) {
            namespaces.push(ns);
        }
    }
    let mut e = Vec::new();
    cbor::put_header(&mut e, 5, 2);
    cbor::put_text(&mut e, "docType");
    cbor::put_text(&mut e, doc_type);
    cbor::put_text(&mut e, "nameSpaces");
    cbor::put_header(&mut e, 5, namespaces.len() as u64);
    for ns in &namespaces {
        cbor::put_text(&mut e, ns);
        let in_ns: Vec<_> = elements.iter().filter(|(n, _, _)| n == ns).collect();
        cbor::put_header(&mut e, 5, in_ns.len() as u64);
        for (_, id, retain) in in_ns {
            cbor::put_text(&mut e, id);
            e.push(if *retain { 0xf5 } else { 0xf4 });
        }
    }
    e
}

/// ReaderAuthenticationBytes = `#6.24(["ReaderAuthentication", SessionTranscript,
/// ItemsRequestBytes])`.
pub fn reader_authentication_bytes(
    transcript: &SessionTranscript,
    items_request_bytes: &[u8],
) -> Vec<u8> {
    let mut e = Vec::new();
    cbor::put_header(&mut e, 4, 3);
    cbor::put_text(&mut e, "ReaderAuthentication");
    e.extend_from_slice(transcript.encoded());
    e.extend_from_slice(items_request_bytes);
    cbor::tag24(&e)
}

/// A DeviceRequest (version "1.0") with one DocRequest for `elements` of `doc_type`.
pub fn device_request(
    doc_type: &str,
    elements: &[RequestedElement<'_>],
    transcript: &SessionTranscript,
    reader_auth: Option<&ReaderAuthKey>,
) -> Vec<u8> {
    let items = cbor::tag24(&items_request(doc_type, elements));
    let mut e = Vec::new();
    cbor::put_header(&mut e, 5, 2);
    cbor::put_text(&mut e, "version");
    cbor::put_text(&mut e, "1.0");
    cbor::put_text(&mut e, "docRequests");
    cbor::put_header(&mut e, 4, 1);
    cbor::put_header(&mut e, 5, if reader_auth.is_some() { 2 } else { 1 });
    cbor::put_text(&mut e, "itemsRequest");
    e.extend_from_slice(&items);
    if let Some(ra) = reader_auth {
        const PROTECTED_ES256: [u8; 3] = [0xa1, 0x01, 0x26];
        let payload = reader_authentication_bytes(transcript, &items);
        let tbs = structure("Signature1", &PROTECTED_ES256, &payload);
        let sig: p256::ecdsa::Signature = ra.key.sign(&tbs);
        cbor::put_text(&mut e, "readerAuth");
        cbor::put_header(&mut e, 4, 4);
        cbor::put_bytes(&mut e, &PROTECTED_ES256);
        cbor::put_header(&mut e, 5, 1);
        cbor::put_header(&mut e, 0, 33);
        cbor::put_bytes(&mut e, &ra.certificate);
        e.push(0xf6);
        cbor::put_bytes(&mut e, &sig.to_bytes());
    }
    e
}

/// A DocRequest as the holder reads it.
#[derive(Debug, Clone)]
pub struct DocRequest<'a> {
    /// The docType asked for.
    pub doc_type: &'a str,
    /// The elements asked for.
    pub elements: Vec<RequestedElement<'a>>,
    items_request_bytes: &'a [u8],
    reader_auth: Option<Node<'a>>,
}

/// Parses a DeviceRequest's DocRequests (bounded).
pub fn parse_device_request(bytes: &[u8]) -> Result<Vec<DocRequest<'_>>, MdocError> {
    let root = cbor::decode(bytes)?;
    let m = root.map("DeviceRequest")?;
    let version = require(m, "version")?.text("version")?;
    if !matches!(version, "1.0" | "1.1") {
        return Err(MdocError::UnsupportedVersion);
    }
    // Re-borrow from the input: the nodes borrow `bytes`, not `root`.
    let docs = require(m, "docRequests")?.array("docRequests")?.to_vec();
    let mut out = Vec::new();
    let mut count = 0usize;
    for d in docs {
        let dm = d.map("DocRequest")?;
        let items_node = require(dm, "itemsRequest")?;
        let items_inner = items_node.tag24("ItemsRequestBytes")?;
        let items = cbor::decode(items_inner)?;
        let im = items.map("ItemsRequest")?;
        let doc_type = require(im, "docType")?.text("docType")?;
        let mut elements = Vec::new();
        for (ns, els) in require(im, "nameSpaces")?.map("nameSpaces")? {
            let ns = ns.text("nameSpaces")?;
            for (id, retain) in els.map("DataElements")? {
                count += 1;
                if count > MAX_REQUESTED {
                    return Err(MdocError::Field {
                        field: "nameSpaces",
                        reason: "too many requested elements",
                    });
                }
                let retain = matches!(retain.value, cbor::Value::Bool(true));
                elements.push((ns, id.text("DataElements")?, retain));
            }
        }
        out.push(DocRequest {
            doc_type,
            elements,
            items_request_bytes: items_node.raw,
            reader_auth: get(dm, "readerAuth").cloned(),
        });
    }
    Ok(out)
}

impl DocRequest<'_> {
    /// Verifies the reader authentication over the transcript with the x5chain's first
    /// certificate and returns it (whether to trust that reader is the holder's policy).
    pub fn verify_reader_auth(
        &self,
        transcript: &SessionTranscript,
        backend: &dyn SignatureBackend,
    ) -> Result<Certificate, MdocError> {
        let node = self.reader_auth.as_ref().ok_or(MdocError::ReaderAuth {
            reason: "no readerAuth",
        })?;
        let msg = CoseMessage::from_node(node, "readerAuth")?;
        let alg = msg.signature_algorithm("readerAuth")?;
        let leaf = msg.x5chain.first().ok_or(MdocError::ReaderAuth {
            reason: "no x5chain",
        })?;
        let cert = Certificate::from_der(leaf).map_err(|_| MdocError::ReaderAuth {
            reason: "reader certificate does not parse",
        })?;
        let key = cert
            .spki_der()
            .ok()
            .and_then(|s| backend.prepare_key(s).ok())
            .ok_or(MdocError::ReaderAuth {
                reason: "reader key not P-256 or P-384",
            })?;
        let payload = reader_authentication_bytes(transcript, self.items_request_bytes);
        if msg.payload.is_some_and(|p| p != payload.as_slice()) {
            return Err(MdocError::ReaderAuth {
                reason: "attached payload differs",
            });
        }
        key.verify_fixed(alg, &msg.to_be_signed(&payload), msg.signature)
            .map_err(|_| MdocError::ReaderAuth {
                reason: "signature does not verify",
            })?;
        Ok(cert)
    }
}
