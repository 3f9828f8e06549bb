//! One reading of a jp.mnc document, sans-IO: the session from the holder's engagement, the
//! DeviceRequest for the elements asked, then the holder's answer decrypted, verified and read.
//! The employer intake ([`crate::employer::MdocIntake`]) and the clinic's identity check
//! ([`crate::flows::MdocIdentityCheck`]) both read through it, each with its own elements.

use alloc::vec::Vec;

use super::MdocError;
use super::document::VerifiedDocument;
use super::engagement::DeviceEngagement;
use super::issuer::IssuerAnchors;
use super::jp_mnc::{JpMncElement, JpMncIdentity};
use super::names::{DOC_TYPE_JP_MNC, known_element};
use super::request::{ReaderAuthKey, device_request};
use super::response::verify_device_response;
use super::session::{ReaderSession, SessionEvent};
use super::transcript::Handover;
use crate::pki::UnixTime;

/// A reader waiting for the holder's DeviceResponse to the elements it asked for.
#[derive(Debug)]
pub struct JpMncReader {
    session: ReaderSession,
    asked: Vec<JpMncElement>,
}

impl JpMncReader {
    /// Starts the session (the reader's ephemeral scalar: 32 fresh random bytes from the
    /// caller) and returns the SessionEstablishment to send, carrying the DeviceRequest for
    /// `asked`.
    pub fn start(
        engagement: &DeviceEngagement,
        handover: &Handover,
        reader_scalar: &[u8; 32],
        asked: &[JpMncElement],
        reader_auth: Option<&ReaderAuthKey>,
    ) -> Result<(Self, Vec<u8>), MdocError> {
        let mut session = ReaderSession::new(engagement, handover, reader_scalar)?;
        let request = device_request(
            DOC_TYPE_JP_MNC,
            &JpMncElement::request(asked),
            session.transcript(),
            reader_auth,
        );
        let establishment = session.establish(&request)?;
        Ok((
            JpMncReader {
                session,
                asked: asked.to_vec(),
            },
            establishment,
        ))
    }

    /// The elements asked for.
    pub fn asked(&self) -> &[JpMncElement] {
        &self.asked
    }

    /// The session (its transcript, counters).
    pub fn session(&self) -> &ReaderSession {
        &self.session
    }

    /// Decrypts the holder's SessionData and verifies the DeviceResponse at `time`
    /// ([`verify_device_response`]); then refuses a document that discloses an element not
    /// asked for ([`MdocError::UnaskedElement`]: a reader collects only what it asked).
    pub fn finish_document(
        mut self,
        session_data: &[u8],
        anchors: &IssuerAnchors,
        time: UnixTime,
    ) -> Result<VerifiedDocument, MdocError> {
        let response = match self.session.receive(session_data)? {
            SessionEvent::Data(d) | SessionEvent::DataThenEnd(d) => d,
            _ => return Err(MdocError::SessionEnded),
        };
        let doc = verify_device_response(&response, DOC_TYPE_JP_MNC, &self.session, anchors, time)?;
        let asked = |ns: &str, id: &str| self.asked.iter().any(|e| e.names() == (ns, id));
        if let Some(e) = doc
            .elements()
            .iter()
            .find(|e| !asked(&e.namespace, &e.identifier))
        {
            return Err(MdocError::UnaskedElement {
                element: known_element(&e.identifier),
            });
        }
        Ok(doc)
    }

    /// [`JpMncReader::finish_document`], then the asked elements read as a [`JpMncIdentity`].
    pub fn finish(
        self,
        session_data: &[u8],
        anchors: &IssuerAnchors,
        time: UnixTime,
    ) -> Result<JpMncIdentity, MdocError> {
        let asked = self.asked.clone();
        let doc = self.finish_document(session_data, anchors, time)?;
        JpMncIdentity::from_document(doc, &asked)
    }
}
