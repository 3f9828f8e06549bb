//! Session encryption (ISO/IEC 18013-5 §9.1.1): ECDH P-256 between the reader's ephemeral key
//! and the holder's EDeviceKey, HKDF-SHA-256 with salt = SHA-256(SessionTranscriptBytes) and info
//! `"SKReader"` / `"SKDevice"`, AES-256-GCM with IV = 8-byte identifier ‖ 4-byte counter
//! (reader 0, holder 1; counters from 1, never reused).
//!
//! [`ReaderSession`] is sans-IO: it turns a DeviceRequest into SessionEstablishment bytes and
//! SessionData bytes back into plaintext, refusing a replayed or reordered message with its own
//! error, and ends on status 20 (or on any failure).

use alloc::vec::Vec;

use aes_gcm::aead::{Aead, KeyInit};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::MdocError;
use super::cbor::{self, get};
use super::cose_key::{self, CoseKey};
use super::engagement::DeviceEngagement;
use super::transcript::{Handover, SessionTranscript};

/// Largest SessionEstablishment / SessionData accepted or produced.
pub const MAX_SESSION_MESSAGE: usize = 1 << 20;
/// How many earlier counters are tried to tell a replay from a tampered message.
const REPLAY_WINDOW: u32 = 8;
/// How many later counters are tried to tell a reordered message.
const REORDER_WINDOW: u32 = 4;

const READER_ID: [u8; 8] = [0; 8];
const DEVICE_ID: [u8; 8] = [0, 0, 0, 0, 0, 0, 0, 1];

/// Session status: session termination.
pub const STATUS_TERMINATION: u64 = 20;

/// HKDF-SHA-256 of an ECDH shared secret with salt SHA-256(SessionTranscriptBytes).
pub fn derive_key(
    shared_secret: &[u8],
    transcript: &SessionTranscript,
    info: &[u8],
) -> Zeroizing<[u8; 32]> {
    let salt = Sha256::digest(transcript.bytes());
    let hk = hkdf::Hkdf::<Sha256>::new(Some(&salt), shared_secret);
    let mut okm = Zeroizing::new([0u8; 32]);
    // 32 bytes is always a valid HKDF-SHA-256 output length.
    let _ = hk.expand(info, okm.as_mut_slice());
    okm
}

/// ECDH on P-256: the shared secret's x-coordinate.
pub fn ecdh(secret: &p256::SecretKey, public: &p256::PublicKey) -> Zeroizing<[u8; 32]> {
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(shared.raw_secret_bytes());
    out
}

fn nonce(id: &[u8; 8], counter: u32) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..8].copy_from_slice(id);
    n[8..].copy_from_slice(&counter.to_be_bytes());
    n
}

/// AES-256-GCM with the session IV for `counter`.
pub fn seal(key: &[u8; 32], id_device: bool, counter: u32, plaintext: &[u8]) -> Vec<u8> {
    let cipher = aes_gcm::Aes256Gcm::new(key.into());
    let n = nonce(if id_device { &DEVICE_ID } else { &READER_ID }, counter);
    // Encryption with a valid key and a 12-byte nonce cannot fail for inputs under 64 GiB.
    cipher.encrypt((&n).into(), plaintext).unwrap_or_default()
}

fn open(
    key: &[u8; 32],
    id_device: bool,
    counter: u32,
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = aes_gcm::Aes256Gcm::new(key.into());
    let n = nonce(if id_device { &DEVICE_ID } else { &READER_ID }, counter);
    cipher
        .decrypt((&n).into(), ciphertext)
        .ok()
        .map(Zeroizing::new)
}

/// What a SessionData message brought.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionEvent {
    /// Decrypted data (the session goes on).
    Data(Zeroizing<Vec<u8>>),
    /// Decrypted data with status 20: the last message.
    DataThenEnd(Zeroizing<Vec<u8>>),
    /// Status 20 without data: the holder ended the session.
    Ended,
}

/// The reader's side of an mdoc session.
pub struct ReaderSession {
    transcript: SessionTranscript,
    e_reader_key_bytes: Vec<u8>,
    reader_secret: p256::SecretKey,
    sk_reader: Zeroizing<[u8; 32]>,
    sk_device: Zeroizing<[u8; 32]>,
    next_send: u32,
    next_receive: u32,
    ended: bool,
}

impl core::fmt::Debug for ReaderSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReaderSession")
            .field("next_send", &self.next_send)
            .field("next_receive", &self.next_receive)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl ReaderSession {
    /// Starts a session from the holder's engagement and the reader's ephemeral private scalar
    /// (randomness is the caller's: 32 bytes from a CSPRNG, used once).
    pub fn new(
        engagement: &DeviceEngagement,
        handover: &Handover,
        reader_scalar: &[u8; 32],
    ) -> Result<Self, MdocError> {
        let reader_secret =
            p256::SecretKey::from_slice(reader_scalar).map_err(|_| MdocError::CoseKey {
                reason: "reader scalar is zero or not below the group order",
            })?;
        let e_reader_key_bytes = cbor::tag24(&cose_key::encode_p256(&reader_secret.public_key()));
        let transcript = SessionTranscript::new(engagement.raw(), &e_reader_key_bytes, handover);
        let z = ecdh(&reader_secret, engagement.e_device_key().p256()?);
        Ok(ReaderSession {
            sk_reader: derive_key(z.as_slice(), &transcript, b"SKReader"),
            sk_device: derive_key(z.as_slice(), &transcript, b"SKDevice"),
            transcript,
            e_reader_key_bytes,
            reader_secret,
            next_send: 1,
            next_receive: 1,
            ended: false,
        })
    }

    /// The SessionTranscript both sides authenticate.
    pub fn transcript(&self) -> &SessionTranscript {
        &self.transcript
    }

    /// `EReaderKeyBytes` as sent.
    pub fn e_reader_key_bytes(&self) -> &[u8] {
        &self.e_reader_key_bytes
    }

    /// EMacKey for a deviceMac: ECDH(reader ephemeral, the MSO's deviceKey), HKDF info
    /// `"EMacKey"`.
    pub fn e_mac_key(&self, device_key: &CoseKey) -> Result<Zeroizing<[u8; 32]>, MdocError> {
        let z = ecdh(&self.reader_secret, device_key.p256()?);
        Ok(derive_key(z.as_slice(), &self.transcript, b"EMacKey"))
    }

    fn next_counter(&mut self) -> Result<u32, MdocError> {
        if self.ended {
            return Err(MdocError::SessionEnded);
        }
        let c = self.next_send;
        self.next_send = c.checked_add(1).ok_or(MdocError::CounterExhausted)?;
        Ok(c)
    }

    /// SessionEstablishment `{"eReaderKey": EReaderKeyBytes, "data": encrypted request}`.
    pub fn establish(&mut self, device_request: &[u8]) -> Result<Vec<u8>, MdocError> {
        let c = self.next_counter()?;
        let data = seal(&self.sk_reader, false, c, device_request);
        let mut out = Vec::with_capacity(data.len() + self.e_reader_key_bytes.len() + 32);
        cbor::put_header(&mut out, 5, 2);
        cbor::put_text(&mut out, "eReaderKey");
        out.extend_from_slice(&self.e_reader_key_bytes);
        cbor::put_text(&mut out, "data");
        cbor::put_bytes(&mut out, &data);
        Ok(out)
    }

    /// SessionData `{"data": encrypted}` for a further request.
    pub fn encrypt(&mut self, plaintext: &[u8]) -> Result<Vec<u8>, MdocError> {
        let c = self.next_counter()?;
        let data = seal(&self.sk_reader, false, c, plaintext);
        let mut out = Vec::with_capacity(data.len() + 16);
        cbor::put_header(&mut out, 5, 1);
        cbor::put_text(&mut out, "data");
        cbor::put_bytes(&mut out, &data);
        Ok(out)
    }

    /// SessionData `{"status": 20}`: the reader ends the session.
    pub fn terminate(&mut self) -> Vec<u8> {
        self.ended = true;
        let mut out = Vec::with_capacity(10);
        cbor::put_header(&mut out, 5, 1);
        cbor::put_text(&mut out, "status");
        cbor::put_header(&mut out, 0, STATUS_TERMINATION);
        out
    }

    /// Reads a SessionData from the holder. Any failure ends the session.
    pub fn receive(&mut self, session_data: &[u8]) -> Result<SessionEvent, MdocError> {
        if self.ended {
            return Err(MdocError::SessionEnded);
        }
        let r = self.receive_inner(session_data);
        if !matches!(r, Ok(SessionEvent::Data(_))) {
            self.ended = true;
        }
        r
    }

    fn receive_inner(&mut self, session_data: &[u8]) -> Result<SessionEvent, MdocError> {
        if session_data.len() > MAX_SESSION_MESSAGE {
            return Err(MdocError::TooLarge {
                what: "SessionData",
                len: session_data.len(),
                max: MAX_SESSION_MESSAGE,
            });
        }
        let root = cbor::decode(session_data)?;
        let m = root.map("SessionData")?;
        let status = get(m, "status").map(|s| s.uint("status")).transpose()?;
        let data = get(m, "data").map(|d| d.bytes("data")).transpose()?;
        if let Some(s) = status
            && s != STATUS_TERMINATION
        {
            return Err(MdocError::SessionStatus { status: s });
        }
        let Some(data) = data else {
            return match status {
                Some(_) => Ok(SessionEvent::Ended),
                None => Err(MdocError::MissingField { field: "data" }),
            };
        };
        let expected = self.next_receive;
        let Some(plain) = open(&self.sk_device, true, expected, data) else {
            return Err(self.classify_failure(expected, data));
        };
        self.next_receive = expected.checked_add(1).ok_or(MdocError::CounterExhausted)?;
        Ok(if status.is_some() {
            SessionEvent::DataThenEnd(plain)
        } else {
            SessionEvent::Data(plain)
        })
    }

    /// A message that does not open under the expected counter: a replay (an earlier counter
    /// opens it), a reordering (a later one does) or a tampered/foreign message.
    fn classify_failure(&self, expected: u32, data: &[u8]) -> MdocError {
        let earliest = expected.saturating_sub(REPLAY_WINDOW).max(1);
        for c in earliest..expected {
            if open(&self.sk_device, true, c, data).is_some() {
                return MdocError::SessionReplayed { counter: c };
            }
        }
        for c in expected.saturating_add(1)..=expected.saturating_add(REORDER_WINDOW) {
            if open(&self.sk_device, true, c, data).is_some() {
                return MdocError::SessionReordered { expected, found: c };
            }
        }
        MdocError::SessionDecrypt
    }
}
