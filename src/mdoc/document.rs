//! A verified document: its issuer-signed elements (as CBOR, zeroized on drop, never shown by
//! `Debug`) and the evidence of the checks.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::MdocError;
use super::cbor::{self, Node};
use super::device_auth::DeviceAuthKind;
use crate::pki::{Certificate, SignatureAlgorithm, UnixTime};

/// An issuer-signed element whose digest matched the MSO.
pub struct IssuerElement {
    /// The namespace.
    pub namespace: String,
    /// The element identifier.
    pub identifier: String,
    /// The elementValue's CBOR bytes.
    pub value: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for IssuerElement {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("IssuerElement")
            .field("namespace", &self.namespace)
            .field("identifier", &self.identifier)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// What was checked, for the record.
#[derive(Debug, Clone)]
pub struct MdocEvidence {
    /// The document signer certificate that signed the MSO.
    pub issuer_certificate: Certificate,
    /// The issuerAuth algorithm (ES256 or ES384).
    pub issuer_algorithm: SignatureAlgorithm,
    /// validityInfo.signed.
    pub signed: UnixTime,
    /// validityInfo.validFrom.
    pub valid_from: UnixTime,
    /// validityInfo.validUntil.
    pub valid_until: UnixTime,
    /// How the device authenticated.
    pub device_auth: DeviceAuthKind,
}

/// A document that passed every check of [`super::verify_device_response`].
#[derive(Debug)]
pub struct VerifiedDocument {
    doc_type: String,
    elements: Vec<IssuerElement>,
    evidence: MdocEvidence,
}

impl VerifiedDocument {
    pub(crate) fn new(
        doc_type: String,
        elements: Vec<IssuerElement>,
        evidence: MdocEvidence,
    ) -> Self {
        VerifiedDocument {
            doc_type,
            elements,
            evidence,
        }
    }

    /// The docType.
    pub fn doc_type(&self) -> &str {
        &self.doc_type
    }

    /// The issuer-signed elements.
    pub fn elements(&self) -> &[IssuerElement] {
        &self.elements
    }

    /// The evidence.
    pub fn evidence(&self) -> &MdocEvidence {
        &self.evidence
    }

    /// The element `identifier` of `namespace`, decoded, if disclosed.
    pub fn element(&self, namespace: &str, identifier: &str) -> Option<&IssuerElement> {
        self.elements
            .iter()
            .find(|e| e.namespace == namespace && e.identifier == identifier)
    }

    /// The decoded value of an element (borrowing its bytes), `None` when not disclosed.
    pub fn value(&self, namespace: &str, identifier: &str) -> Option<Result<Node<'_>, MdocError>> {
        self.element(namespace, identifier)
            .map(|e| cbor::decode(e.value.as_slice()))
    }
}
