//! Why an mdoc exchange or verification failed: one variant per check, each with a stable code.
//! No variant carries an element value, a name or any byte of personal data.

/// An mdoc reader or verification failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MdocError {
    /// The input is not well-formed CBOR (or exceeds a bound) at `offset`.
    #[error("CBOR at byte {offset}: {reason}")]
    Cbor {
        /// Byte offset in the decoded input.
        offset: usize,
        /// What was wrong.
        reason: &'static str,
    },
    /// The input is larger than the configured bound.
    #[error("{what} is {len} bytes, above the bound of {max}")]
    TooLarge {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The bound.
        max: usize,
    },
    /// A required field is absent.
    #[error("missing field {field}")]
    MissingField {
        /// The field's name.
        field: &'static str,
    },
    /// A field has the wrong type or form.
    #[error("field {field}: {reason}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
    /// The engagement URI or NFC handover could not be read.
    #[error("engagement: {reason}")]
    Engagement {
        /// What was wrong.
        reason: &'static str,
    },
    /// The DeviceEngagement's version is not one this reader speaks.
    #[error("unsupported DeviceEngagement version")]
    UnsupportedVersion,
    /// The NFC negotiated handover did not produce a Handover Select within the poll bound.
    #[error("handover select not ready after {polls} polls")]
    HandoverTimeout {
        /// Polls made.
        polls: u32,
    },
    /// A COSE_Key is not an EC2 P-256 (or P-384) key with a point on its curve.
    #[error("COSE key: {reason}")]
    CoseKey {
        /// What was wrong.
        reason: &'static str,
    },
    /// A session message failed to decrypt (tampered, wrong key, or wrong counter).
    #[error("session data does not decrypt")]
    SessionDecrypt,
    /// A session message was encrypted under an already-used counter (a replay).
    #[error("session data replayed (counter {counter} already used)")]
    SessionReplayed {
        /// The counter it was encrypted under.
        counter: u32,
    },
    /// A session message was encrypted under a later counter than expected (reordered).
    #[error("session data out of order (counter {found}, expected {expected})")]
    SessionReordered {
        /// The counter expected.
        expected: u32,
        /// The counter it was encrypted under.
        found: u32,
    },
    /// The session already ended (status 20, an error status, or a failure).
    #[error("session already ended")]
    SessionEnded,
    /// The holder ended the session with an error status.
    #[error("holder sent session status {status}")]
    SessionStatus {
        /// The status code (10 = decryption error, 11 = CBOR error).
        status: u64,
    },
    /// A message counter would wrap.
    #[error("session counter exhausted")]
    CounterExhausted,
    /// The DeviceResponse's status is not OK (0).
    #[error("device response status {status}")]
    ResponseStatus {
        /// The status code.
        status: u64,
    },
    /// No document of the requested docType is in the response.
    #[error("no document in the response")]
    NoDocument,
    /// The document's docType (or the MSO's) is not the one requested.
    #[error("docType differs from the one requested ({which})")]
    DocTypeMismatch {
        /// `"document"` or `"mso"`.
        which: &'static str,
    },
    /// A COSE algorithm is not supported or not allowed here.
    #[error("unsupported COSE algorithm {alg} in {what}")]
    UnsupportedAlgorithm {
        /// Which structure.
        what: &'static str,
        /// The COSE algorithm identifier.
        alg: i64,
    },
    /// The issuer's x5chain is absent or unusable.
    #[error("issuer certificate chain: {reason}")]
    IssuerChain {
        /// What was wrong.
        reason: &'static str,
    },
    /// The document signer certificate is not issued by any configured issuer anchor (IACA).
    #[error("issuer certificate chains to no configured anchor")]
    UnknownIssuer,
    /// The document signer certificate is outside its validity at the verification time.
    #[error("document signer certificate not valid at the verification time")]
    IssuerCertificateExpired,
    /// The issuerAuth signature does not verify.
    #[error("issuer signature does not verify")]
    IssuerSignature,
    /// The MSO is not valid at the verification time.
    #[error("MSO not valid at the verification time ({which})")]
    MsoValidity {
        /// `"not yet valid"`, `"expired"` or `"signed outside the certificate's validity"`.
        which: &'static str,
    },
    /// An IssuerSignedItem's digest differs from the MSO's valueDigests.
    #[error("digest mismatch for element {element} (digestID {digest_id})")]
    DigestMismatch {
        /// The element identifier when it is one of the known schema names, else `"other"`.
        element: &'static str,
        /// The item's digestID.
        digest_id: u64,
    },
    /// An IssuerSignedItem's digestID has no digest in the MSO.
    #[error("no MSO digest for element {element} (digestID {digest_id})")]
    DigestMissing {
        /// The element identifier when known, else `"other"`.
        element: &'static str,
        /// The item's digestID.
        digest_id: u64,
    },
    /// The MSO's digest algorithm is not SHA-256/384/512.
    #[error("unsupported digest algorithm")]
    DigestAlgorithm,
    /// The device's signature over DeviceAuthentication does not verify.
    #[error("device signature does not verify")]
    DeviceSignature,
    /// The device's MAC over DeviceAuthentication does not verify.
    #[error("device MAC does not verify")]
    DeviceMac,
    /// Neither deviceSignature nor deviceMac is present (or both are).
    #[error("device authentication: {reason}")]
    DeviceAuth {
        /// What was wrong.
        reason: &'static str,
    },
    /// A device-signed element is not authorised by the MSO's keyAuthorizations.
    #[error("device-signed element {element} not authorised by the MSO")]
    KeyNotAuthorized {
        /// The element identifier when known, else `"other"`.
        element: &'static str,
    },
    /// The reader authentication does not verify.
    #[error("reader authentication: {reason}")]
    ReaderAuth {
        /// What was wrong.
        reason: &'static str,
    },
    /// A requested element is absent from the verified response.
    #[error("element {element} not disclosed")]
    ElementMissing {
        /// The element identifier.
        element: &'static str,
    },
    /// The holder disclosed an element the reader did not ask for (a reader collects only what
    /// it asked: the clinic never the 個人番号).
    #[error("element {element} disclosed but not asked for")]
    UnaskedElement {
        /// The element identifier when known, else `"other"`.
        element: &'static str,
    },
    /// A disclosed element has the wrong form.
    #[error("element {element}: {reason}")]
    ElementForm {
        /// The element identifier.
        element: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
}

impl MdocError {
    /// A stable code, e.g. `"mdoc.digest_mismatch"`.
    pub fn code(&self) -> &'static str {
        match self {
            MdocError::Cbor { .. } => "mdoc.cbor",
            MdocError::TooLarge { .. } => "mdoc.too_large",
            MdocError::MissingField { .. } => "mdoc.missing_field",
            MdocError::Field { .. } => "mdoc.field",
            MdocError::Engagement { .. } => "mdoc.engagement",
            MdocError::UnsupportedVersion => "mdoc.unsupported_version",
            MdocError::HandoverTimeout { .. } => "mdoc.handover_timeout",
            MdocError::CoseKey { .. } => "mdoc.cose_key",
            MdocError::SessionDecrypt => "mdoc.session_decrypt",
            MdocError::SessionReplayed { .. } => "mdoc.session_replayed",
            MdocError::SessionReordered { .. } => "mdoc.session_reordered",
            MdocError::SessionEnded => "mdoc.session_ended",
            MdocError::SessionStatus { .. } => "mdoc.session_status",
            MdocError::CounterExhausted => "mdoc.counter_exhausted",
            MdocError::ResponseStatus { .. } => "mdoc.response_status",
            MdocError::NoDocument => "mdoc.no_document",
            MdocError::DocTypeMismatch { .. } => "mdoc.doc_type_mismatch",
            MdocError::UnsupportedAlgorithm { .. } => "mdoc.unsupported_algorithm",
            MdocError::IssuerChain { .. } => "mdoc.issuer_chain",
            MdocError::UnknownIssuer => "mdoc.unknown_issuer",
            MdocError::IssuerCertificateExpired => "mdoc.issuer_certificate_expired",
            MdocError::IssuerSignature => "mdoc.issuer_signature",
            MdocError::MsoValidity { .. } => "mdoc.mso_validity",
            MdocError::DigestMismatch { .. } => "mdoc.digest_mismatch",
            MdocError::DigestMissing { .. } => "mdoc.digest_missing",
            MdocError::DigestAlgorithm => "mdoc.digest_algorithm",
            MdocError::DeviceSignature => "mdoc.device_signature",
            MdocError::DeviceMac => "mdoc.device_mac",
            MdocError::DeviceAuth { .. } => "mdoc.device_auth",
            MdocError::KeyNotAuthorized { .. } => "mdoc.key_not_authorized",
            MdocError::ReaderAuth { .. } => "mdoc.reader_auth",
            MdocError::ElementMissing { .. } => "mdoc.element_missing",
            MdocError::ElementForm { .. } => "mdoc.element_form",
            MdocError::UnaskedElement { .. } => "mdoc.unasked_element",
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MdocError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("MdocError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &alloc::string::ToString::to_string(self))?;
        st.end()
    }
}
