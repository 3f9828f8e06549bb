//! A presentation on the wire (feature `serde`): what a client sends a verification server,
//! one JSON shape for every server instead of one invented per server
//! (`schema/presentation.json`):
//!
//! ```json
//! {"certificate": "<base64url>", "challenge": "<base64url>", "signature": "<base64url>",
//!  "payload": "message", "hash": "sha256", "token_form": "card"}
//! ```
//!
//! Bytes are base64url without padding (RFC 4648 §5). `payload` is `"message"` (the client
//! had the card sign the DigestInfo of `hash` over the challenge: the default), `"prehashed"`
//! (the challenge is the `hash` digest) or `"raw"` (no `hash`); `token_form` is the token's
//! EF 0006 label as the client read it (`"card"`, `"smartphone"` or absent). A card proof
//! ([`super::Presentation::proven_card`]) never travels: a proof is made in the server's own
//! session with the card, so a deserialised presentation has none.
//!
//! Deserialising bounds every field before decoding it ([`MAX_CERTIFICATE_BYTES`],
//! [`MAX_CHALLENGE_BYTES`], [`MAX_SIGNATURE_BYTES`]) and names the field, never the value.
//!
//! ```
//! use mynacard::pki::{OwnedPresentation, Presentation};
//! let p = Presentation::new(b"cert", b"challenge", b"sig");
//! let json = serde_json::to_string(&p)?;
//! assert_eq!(
//!     json,
//!     r#"{"certificate":"Y2VydA","challenge":"Y2hhbGxlbmdl","signature":"c2ln","payload":"message","hash":"sha256","token_form":null}"#
//! );
//! let back: OwnedPresentation = serde_json::from_str(&json)?;
//! assert_eq!(back.presentation().challenge, b"challenge");
//! # Ok::<(), serde_json::Error>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use zeroize::Zeroizing;

use super::{Form, HashAlgorithm, Presentation, SignedPayload};

/// The largest certificate a wire presentation may carry (DER bytes).
pub const MAX_CERTIFICATE_BYTES: usize = 16 * 1024;
/// The largest challenge a wire presentation may carry.
pub const MAX_CHALLENGE_BYTES: usize = 1024;
/// The largest signature a wire presentation may carry (RSA-4096 is 512 bytes).
pub const MAX_SIGNATURE_BYTES: usize = 1024;

/// A presentation received from a client ([`Deserialize`]), owning its bytes:
/// [`OwnedPresentation::presentation`] hands it to [`super::verify_presentation`] or
/// [`crate::relying_party::RelyingParty::verify`]. Its `Debug` shows lengths only.
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedPresentation {
    certificate: Zeroizing<Vec<u8>>,
    challenge: Vec<u8>,
    signature: Vec<u8>,
    payload: SignedPayload,
    token_form: Option<Form>,
}

impl OwnedPresentation {
    /// A copy of `p`'s bytes (its card proof, if any, is not kept).
    pub fn from_presentation(p: &Presentation<'_>) -> Self {
        Self {
            certificate: Zeroizing::new(p.certificate.to_vec()),
            challenge: p.challenge.to_vec(),
            signature: p.signature.to_vec(),
            payload: p.payload,
            token_form: p.token_form,
        }
    }

    /// The presentation to verify (no card proof).
    pub fn presentation(&self) -> Presentation<'_> {
        Presentation {
            certificate: &self.certificate,
            challenge: &self.challenge,
            signature: &self.signature,
            payload: self.payload,
            token_form: self.token_form,
            proven_card: None,
        }
    }
}

impl fmt::Debug for OwnedPresentation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPresentation")
            .field("certificate_len", &self.certificate.len())
            .field("challenge_len", &self.challenge.len())
            .field("signature_len", &self.signature.len())
            .field("payload", &self.payload)
            .field("token_form", &self.token_form)
            .finish()
    }
}

const fn hash_code(h: HashAlgorithm) -> &'static str {
    match h {
        HashAlgorithm::Sha1 => "sha1",
        HashAlgorithm::Sha256 => "sha256",
        HashAlgorithm::Sha384 => "sha384",
        HashAlgorithm::Sha512 => "sha512",
    }
}

fn hash_from(code: &str) -> Option<HashAlgorithm> {
    Some(match code {
        "sha1" => HashAlgorithm::Sha1,
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        _ => return None,
    })
}

impl Serialize for Presentation<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (payload, hash) = match self.payload {
            SignedPayload::Message(h) => ("message", Some(hash_code(h))),
            SignedPayload::Prehashed(h) => ("prehashed", Some(hash_code(h))),
            SignedPayload::Raw => ("raw", None),
        };
        let mut st = s.serialize_struct("Presentation", 6)?;
        st.serialize_field(
            "certificate",
            &Base64UrlUnpadded::encode_string(self.certificate),
        )?;
        st.serialize_field(
            "challenge",
            &Base64UrlUnpadded::encode_string(self.challenge),
        )?;
        st.serialize_field(
            "signature",
            &Base64UrlUnpadded::encode_string(self.signature),
        )?;
        st.serialize_field("payload", payload)?;
        st.serialize_field("hash", &hash)?;
        st.serialize_field("token_form", &self.token_form.map(Form::code))?;
        st.end()
    }
}

impl Serialize for OwnedPresentation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.presentation().serialize(s)
    }
}

/// The JSON object as received: strings only, checked and decoded afterwards.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    certificate: String,
    challenge: String,
    signature: String,
    #[serde(default)]
    payload: Option<String>,
    #[serde(default)]
    hash: Option<String>,
    #[serde(default)]
    token_form: Option<String>,
}

/// Decodes `field` (base64url, unpadded) of at most `max` bytes.
fn bytes<E: de::Error>(field: &'static str, text: &str, max: usize) -> Result<Vec<u8>, E> {
    // Four characters carry three bytes: refuse before decoding anything longer.
    if text.len() > max.div_ceil(3) * 4 {
        return Err(E::custom(format_args!("{field}: longer than {max} bytes")));
    }
    Base64UrlUnpadded::decode_vec(text)
        .map_err(|_| E::custom(format_args!("{field}: not unpadded base64url")))
        .and_then(|b| {
            if b.is_empty() {
                Err(E::custom(format_args!("{field}: empty")))
            } else if b.len() > max {
                // The character bound lets up to two bytes more through.
                Err(E::custom(format_args!("{field}: longer than {max} bytes")))
            } else {
                Ok(b)
            }
        })
}

impl<'de> Deserialize<'de> for OwnedPresentation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = Wire::deserialize(d)?;
        let hash = match w.hash.as_deref() {
            None => None,
            Some(code) => Some(hash_from(code).ok_or_else(|| {
                de::Error::custom("hash: not one of sha1, sha256, sha384, sha512")
            })?),
        };
        let payload = match (w.payload.as_deref().unwrap_or("message"), hash) {
            ("message", h) => SignedPayload::Message(h.unwrap_or(HashAlgorithm::Sha256)),
            ("prehashed", Some(h)) => SignedPayload::Prehashed(h),
            ("prehashed", None) => return Err(de::Error::custom("hash: required by prehashed")),
            ("raw", None) => SignedPayload::Raw,
            ("raw", Some(_)) => return Err(de::Error::custom("hash: not taken by raw")),
            _ => {
                return Err(de::Error::custom(
                    "payload: not one of message, prehashed, raw",
                ));
            }
        };
        let token_form = match w.token_form.as_deref() {
            None => None,
            Some("card") => Some(Form::Card),
            Some("smartphone") => Some(Form::Smartphone),
            Some(_) => return Err(de::Error::custom("token_form: not card or smartphone")),
        };
        Ok(Self {
            certificate: Zeroizing::new(bytes(
                "certificate",
                &w.certificate,
                MAX_CERTIFICATE_BYTES,
            )?),
            challenge: bytes("challenge", &w.challenge, MAX_CHALLENGE_BYTES)?,
            signature: bytes("signature", &w.signature, MAX_SIGNATURE_BYTES)?,
            payload,
            token_form,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<OwnedPresentation, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_payload_round_trips() {
        for payload in [
            SignedPayload::Message(HashAlgorithm::Sha256),
            SignedPayload::Message(HashAlgorithm::Sha1),
            SignedPayload::Prehashed(HashAlgorithm::Sha384),
            SignedPayload::Raw,
        ] {
            for token_form in [None, Some(Form::Card), Some(Form::Smartphone)] {
                let mut p = Presentation::new(&[0x30, 0x82, 0xFF], b"\x00\x01nonce", &[0xAB; 256]);
                p.payload = payload;
                p.token_form = token_form;
                let json = serde_json::to_string(&p).expect("json");
                let back = parse(&json).expect("parses");
                assert_eq!(back, OwnedPresentation::from_presentation(&p));
                assert_eq!(serde_json::to_string(&back).expect("json"), json);
            }
        }
    }

    #[test]
    fn defaults_are_the_normal_jpki_flow() {
        let p = parse(r#"{"certificate":"MII","challenge":"AA","signature":"AQ"}"#).expect("ok");
        let p = p.presentation();
        assert_eq!(p.payload, SignedPayload::Message(HashAlgorithm::Sha256));
        assert_eq!(p.token_form, None);
        assert!(p.proven_card.is_none());
    }

    #[test]
    fn bad_fields_are_named_without_their_value() {
        let cases = [
            (
                r#"{"certificate":"!!secret!!","challenge":"AA","signature":"AQ"}"#,
                "certificate: not unpadded base64url",
            ),
            (
                r#"{"certificate":"MII","challenge":"","signature":"AQ"}"#,
                "challenge: empty",
            ),
            (
                r#"{"certificate":"MII","challenge":"AA","signature":"AQ","payload":"secretx"}"#,
                "payload: not one of",
            ),
            (
                r#"{"certificate":"MII","challenge":"AA","signature":"AQ","payload":"raw","hash":"sha256"}"#,
                "hash: not taken by raw",
            ),
            (
                r#"{"certificate":"MII","challenge":"AA","signature":"AQ","payload":"prehashed"}"#,
                "hash: required by prehashed",
            ),
            (
                r#"{"certificate":"MII","challenge":"AA","signature":"AQ","hash":"md5secret"}"#,
                "hash: not one of",
            ),
            (
                r#"{"certificate":"MII","challenge":"AA","signature":"AQ","token_form":"watchsecret"}"#,
                "token_form: not card",
            ),
            (
                r#"{"certificate":"MII","challenge":"AA","signature":"AQ","proven_card":{}}"#,
                "unknown field `proven_card`",
            ),
        ];
        for (json, want) in cases {
            let e = parse(json).expect_err(json);
            assert!(e.contains(want), "{json}: {e}");
            assert!(!e.contains("secret"), "{json}: {e}");
        }
    }

    #[test]
    fn oversized_fields_are_refused_before_decoding() {
        let long = "A".repeat(MAX_SIGNATURE_BYTES.div_ceil(3) * 4 + 4);
        let json = format!(r#"{{"certificate":"MII","challenge":"AA","signature":"{long}"}}"#);
        let e = parse(&json).expect_err("too long");
        assert!(e.contains("signature: longer than 1024 bytes"), "{e}");
        // The largest allowed decodes.
        let max = Base64UrlUnpadded::encode_string(&[7; MAX_SIGNATURE_BYTES]);
        let json = format!(r#"{{"certificate":"MII","challenge":"AA","signature":"{max}"}}"#);
        assert_eq!(
            parse(&json).expect("max").signature.len(),
            MAX_SIGNATURE_BYTES
        );
        // One and two bytes over the limit fit in the character bound: refused after decoding.
        for over in [1, 2] {
            let text = Base64UrlUnpadded::encode_string(
                &[7; MAX_SIGNATURE_BYTES + 2][..MAX_SIGNATURE_BYTES + over],
            );
            let json = format!(r#"{{"certificate":"MII","challenge":"AA","signature":"{text}"}}"#);
            let e = parse(&json).expect_err("over the limit");
            assert!(e.contains("signature: longer than 1024 bytes"), "{e}");
        }
    }

    #[test]
    fn debug_shows_lengths_only() {
        let p = parse(r#"{"certificate":"MII","challenge":"AA","signature":"AQ"}"#).expect("ok");
        let d = format!("{p:?}");
        assert!(d.contains("certificate_len: 2"), "{d}");
        assert!(!d.contains("[48"), "{d}");
    }
}
