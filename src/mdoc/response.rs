//! Verification of a DeviceResponse (ISO/IEC 18013-5 §8.3.2.1.2.2, §9.3): issuerAuth chained to
//! the configured anchors, the MSO's docType and validity at the verification time, **every**
//! IssuerSignedItem digest recomputed over its exact `#6.24` bytes, and device authentication
//! over the session's DeviceAuthentication with the MSO's keyAuthorizations.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::MdocError;
use super::cbor::{self, Node, get, require};
use super::cose::CoseMessage;
use super::device_auth::verify_device_signed;
use super::document::{IssuerElement, MdocEvidence, VerifiedDocument};
use super::issuer::IssuerAnchors;
use super::mso::Mso;
use super::names::known_element;
use super::session::{MAX_SESSION_MESSAGE, ReaderSession};
use crate::pki::UnixTime;

/// Most issuer-signed elements accepted in one document.
pub const MAX_ELEMENTS: usize = 256;

/// Verifies the first document of `doc_type` in a decrypted DeviceResponse at `time`.
pub fn verify_device_response(
    response: &[u8],
    doc_type: &str,
    session: &ReaderSession,
    anchors: &IssuerAnchors,
    time: UnixTime,
) -> Result<VerifiedDocument, MdocError> {
    if response.len() > MAX_SESSION_MESSAGE {
        return Err(MdocError::TooLarge {
            what: "DeviceResponse",
            len: response.len(),
            max: MAX_SESSION_MESSAGE,
        });
    }
    let root = cbor::decode(response)?;
    let m = root.map("DeviceResponse")?;
    let status = require(m, "status")?.uint("status")?;
    if status != 0 {
        return Err(MdocError::ResponseStatus { status });
    }
    let docs = match get(m, "documents") {
        Some(d) => d.array("documents")?,
        None => &[],
    };
    let mut found = None;
    for d in docs {
        if require(d.map("Document")?, "docType")?.text("docType")? == doc_type {
            found = Some(d);
            break;
        }
    }
    let doc = match (found, docs.is_empty()) {
        (Some(d), _) => d.map("Document")?,
        (None, true) => return Err(MdocError::NoDocument),
        (None, false) => return Err(MdocError::DocTypeMismatch { which: "document" }),
    };
    let issuer_signed = require(doc, "issuerSigned")?.map("issuerSigned")?;

    // issuerAuth: chain, signature, MSO.
    let auth = CoseMessage::from_node(require(issuer_signed, "issuerAuth")?, "issuerAuth")?;
    let alg = auth.signature_algorithm("issuerAuth")?;
    let signer = anchors.verify_signer(&auth.x5chain, time)?;
    let payload = auth.payload.ok_or(MdocError::MissingField {
        field: "issuerAuth payload",
    })?;
    signer
        .key
        .verify_fixed(alg, &auth.to_be_signed(payload), auth.signature)
        .map_err(|_| MdocError::IssuerSignature)?;
    let mso_bytes = cbor::decode(payload)?.tag24("MobileSecurityObjectBytes")?;
    let mso = Mso::parse(mso_bytes)?;
    if mso.doc_type != doc_type {
        return Err(MdocError::DocTypeMismatch { which: "mso" });
    }
    if time < mso.valid_from {
        return Err(MdocError::MsoValidity {
            which: "not yet valid",
        });
    }
    if time > mso.valid_until {
        return Err(MdocError::MsoValidity { which: "expired" });
    }
    let cert = &signer.certificate;
    if mso.signed < cert.not_before() || mso.signed > cert.not_after() {
        return Err(MdocError::MsoValidity {
            which: "signed outside the certificate's validity",
        });
    }

    // Every issuer-signed item against the MSO's digests.
    let mut elements = Vec::new();
    if let Some(nss) = get(issuer_signed, "nameSpaces") {
        for (ns, items) in nss.map("IssuerNameSpaces")? {
            let ns = ns.text("IssuerNameSpaces")?;
            for item in items.array("IssuerNameSpaces")? {
                if elements.len() >= MAX_ELEMENTS {
                    return Err(MdocError::Field {
                        field: "IssuerNameSpaces",
                        reason: "too many elements",
                    });
                }
                elements.push(check_item(item, ns, &mso)?);
            }
        }
    }

    let device_auth = verify_device_signed(
        require(doc, "deviceSigned")?,
        doc_type,
        &mso,
        session,
        anchors.backend().as_ref(),
    )?;
    Ok(VerifiedDocument::new(
        String::from(doc_type),
        elements,
        MdocEvidence {
            issuer_certificate: signer.certificate,
            issuer_algorithm: alg,
            signed: mso.signed,
            valid_from: mso.valid_from,
            valid_until: mso.valid_until,
            device_auth,
        },
    ))
}

/// One `IssuerSignedItemBytes`: its digest over the exact tag-24 bytes, then its fields.
fn check_item(item: &Node<'_>, ns: &str, mso: &Mso) -> Result<IssuerElement, MdocError> {
    let inner = item.tag24("IssuerSignedItemBytes")?;
    let decoded = cbor::decode(inner)?;
    let f = decoded.map("IssuerSignedItem")?;
    let digest_id = require(f, "digestID")?.uint("digestID")?;
    let id = require(f, "elementIdentifier")?.text("elementIdentifier")?;
    require(f, "random")?.bytes("random")?;
    let value = require(f, "elementValue")?;
    let element = known_element(id);
    let expected = mso
        .digest(ns, digest_id)
        .ok_or(MdocError::DigestMissing { element, digest_id })?;
    let actual = mso.digest_algorithm.hash(item.raw);
    if !constant_time_eq(&actual, expected) {
        return Err(MdocError::DigestMismatch { element, digest_id });
    }
    Ok(IssuerElement {
        namespace: String::from(ns),
        identifier: String::from(id),
        value: Zeroizing::new(value.raw.to_vec()),
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
