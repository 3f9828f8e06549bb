//! A reader (verifier) for ISO/IEC 18013-5 mdocs: the iPhone's My Number Card
//! (カード代替電磁的記録, docType `org.iso.23220.1.jp.mnc`) and any other mdoc.
//!
//! Sans-IO, like the card flows: the caller moves the bytes (QR code, NFC, BLE) and supplies
//! time, randomness and trust anchors.
//!
//! 1. [`DeviceEngagement::from_qr_uri`] (or [`DeviceEngagement::parse`] on the engagement an NFC
//!    handover carried) keeps the holder's raw bytes.
//! 2. [`ReaderSession::new`] takes the engagement, the [`Handover`] and the reader's ephemeral
//!    private scalar (32 random bytes from the caller), and builds the [`SessionTranscript`] over
//!    the **raw** engagement bytes (never a re-encoding).
//! 3. [`device_request`] asks for the elements named ([`JpMncElement::request`]), optionally
//!    with reader authentication ([`ReaderAuthKey`]); [`ReaderSession::establish`] encrypts it.
//! 4. [`ReaderSession::receive`] decrypts the holder's SessionData (refusing a replayed or
//!    reordered message with its own error; status 20 ends the session).
//! 5. [`verify_device_response`] checks it and [`JpMncIdentity::from_document`] reads it.
//!
//! # What is verified
//! - issuerAuth: a COSE_Sign1 with ES256 or ES384 whose x5chain's document signer certificate
//!   is issued by one of the [`IssuerAnchors`] (or is one), valid at the verification time, with
//!   the mdoc DS extended key usage when it has one (ISO/IEC 18013-5 Annex B, one level: IACA →
//!   DS);
//! - the MSO: docType equal to the one requested, validFrom ≤ time ≤ validUntil, signed within
//!   the DS certificate's validity;
//! - **every** IssuerSignedItem: its digest recomputed over the exact `#6.24` bytes received
//!   and compared with the MSO's valueDigests;
//! - device authentication: deviceSignature (the MSO's device key) or deviceMac (HMAC-SHA-256
//!   with EMacKey = HKDF(ECDH(reader ephemeral key, MSO device key))) over
//!   DeviceAuthentication with this session's transcript; every device-signed element must be
//!   authorised by the MSO's keyAuthorizations.
//!
//! Every failure is its own [`MdocError`] with a stable code (`mdoc.digest_mismatch`,
//! `mdoc.issuer_signature`, `mdoc.session_replayed`, …); no error carries an element value.
//! Sizes, nesting depth and element counts are bounded ([`cbor::MAX_DEPTH`],
//! [`cbor::MAX_ITEMS`], [`MAX_SESSION_MESSAGE`], [`MAX_ELEMENTS`]).
//!
//! # What the caller must supply
//! - **Issuer anchors** at run time ([`IssuerAnchors::from_der`]): Japan's IACA certificate for
//!   the jp.mnc document is not public yet (`docs/smartphone.md`: "unknown"), so none is compiled
//!   in.
//! - The verification time and the reader's ephemeral randomness.
//! - **Legal requirement for production use**: a third party reading the カード代替電磁的記録
//!   must use a 確認用プログラム approved by the minister (デジタル庁, "mynumbercard-mdoc";
//!   Apple Wallet is the approved 送信用プログラム since 2025-06-23). This module is a verifier
//!   library, not an approved program.
//!
//! # Not done yet
//! - Issuer chains longer than IACA → DS, and IACA certificate profile checks beyond validity
//!   and signature (Annex B's CRL distribution and key usage on the IACA).
//! - The NFC Type 4 Tag APDUs and BLE transport are the driver's (see [`handover`] for the
//!   NDEF-level negotiated handover).
//! - ISO/IEC 18013-7 (online presentation) and the Digital Credentials API.
//!
//! ```
//! use mynacard::mdoc::{DeviceEngagement, MdocError};
//! // A QR code's URI that is not an mdoc engagement fails with a typed error.
//! let err = DeviceEngagement::from_qr_uri("https://example.invalid").unwrap_err();
//! assert_eq!(err.code(), "mdoc.engagement");
//! // One byte of CBOR (an integer) is not a DeviceEngagement.
//! let err: MdocError = DeviceEngagement::from_qr_uri("mdoc:AA").unwrap_err();
//! assert!(err.code().starts_with("mdoc."));
//! ```

pub mod cbor;
mod cose;
mod cose_key;
mod device_auth;
mod document;
mod engagement;
mod error;
pub mod handover;
pub(crate) mod internal;
mod issuer;
mod jp_mnc;
mod mso;
mod names;
mod reader;
mod request;
mod response;
mod session;
mod transcript;

pub use cose::CoseMessage;
pub use cose_key::{CoseKey, encode_p256};
pub use device_auth::{DeviceAuthKind, device_authentication_bytes};
pub use document::{IssuerElement, MdocEvidence, VerifiedDocument};
pub use engagement::{DeviceEngagement, EngagementVersion, MAX_ENGAGEMENT};
pub use error::MdocError;
pub use issuer::{EKU_MDOC_DS, IssuerAnchors, TrustedSigner};
pub use jp_mnc::{JpMncBasicFour, JpMncDisclosure, JpMncElement, JpMncIdentity};
pub use mso::Mso;
pub use names::{DOC_TYPE_JP_MNC, DOC_TYPE_MDL, NS_23220, NS_JP};
pub use reader::JpMncReader;
pub use request::{
    DocRequest, ReaderAuthKey, RequestedElement, device_request, items_request,
    parse_device_request, reader_authentication_bytes,
};
pub use response::{MAX_ELEMENTS, verify_device_response};
pub use session::{
    MAX_SESSION_MESSAGE, ReaderSession, STATUS_TERMINATION, SessionEvent, derive_key, ecdh, seal,
};
pub use transcript::{Handover, SessionTranscript};
