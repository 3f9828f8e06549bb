//! Proof of a card: what a token cannot forge about being a J-LIS-issued My Number Card.
//!
//! The token's own label (JPKI EF `0006`) is bytes it answers: a phone, or a relay that
//! rewrites that one answer, says "card". A card's grace for an expired certificate (and
//! `accept_smartphone = false`) therefore rests on this proof instead, fetched only when a
//! decision needs the form:
//!
//! 1. SELECT of the GlobalPlatform Issuer Security Domain (back to the MF level, where the
//!    card answers GET DATA), GET DATA `00 CA 00 F8`: a CV certificate root → intermediate,
//!    verified under a J-LIS CV CA key of the MF family (`5000020` production; `6000020` on
//!    J-LIS test cards, `6900020` on this crate's virtual card);
//! 2. GET DATA `00 CA 7F 21`: intermediate → card key, verified under `00F8`'s subject key
//!    (absent on older cards: then `00F8`'s subject key is the one that must answer);
//! 3. SELECT 共通AP and INTERNAL AUTHENTICATE `00 88 00 99` over the presentation's fresh
//!    challenge by key `0019`, whose sha256WithRSAEncryption signature must verify under the
//!    key the chain certifies.
//!
//! The GET DATA and INTERNAL AUTHENTICATE answers are measured on real cards (card-apdu.md
//! §3.5, §5.6; single source). ⚠ **That `7F21` certifies key `0019` is not established on a
//! real card**: the source notes that `0019`'s public half is on no file and the MF chain's
//! last key has no known use. A chain alone is static (copied from any card, it replays), so
//! it is never accepted without the signature; where the hypothesis fails on a real card the
//! proof fails closed — no grace — and the relying party may opt into the label
//! ([`crate::pki::RelyingPartyPolicy::trust_token_label`], risk written there). The virtual
//! card models the chain as described (its own TEST CV CA `6900020`).
//!
//! Cost: 5 commands (SELECT ISD, two GET DATA with an extended Le — `00F8` is 561 bytes, so a
//! short-APDU-only link cannot carry the proof and the card answers `6700` —, SELECT 共通AP,
//! INTERNAL AUTHENTICATE), only on the path that needs the form.
//!
//! ```
//! use mynacard::card::{CardProofError, CardProofEvidence, CvTrust};
//! // A "chain" that is not one fails with a typed error, never a panic.
//! let evidence = CardProofEvidence::new(vec![0x5F, 0x4E, 0x00], None, vec![0; 256]);
//! let err = evidence.verify(&CvTrust::jlis_production(), b"challenge").unwrap_err();
//! assert_eq!(err.code(), "card.proof_malformed");
//! ```

use alloc::vec::Vec;

use super::common_ap;
use super::contact_atr::get_data;
use super::cv_certificate::{Check, CvCertificate};
use super::cv_trust::CvTrust;
use crate::apdu::Command;
use crate::crypto::{HashAlgorithm, SignatureAlgorithm};
use crate::session::SELECT_ISSUER_SECURITY_DOMAIN;

/// GET DATA tag of the MF chain's upper certificate (root → intermediate).
pub const TAG_CHAIN_UPPER: u16 = 0x00F8;
/// GET DATA tag of the MF chain's lower certificate (intermediate → card key).
pub const TAG_CHAIN_LOWER: u16 = 0x7F21;

/// The commands of the proof, in order (the challenge must be 1–255 bytes; `None`
/// otherwise): SELECT ISD, GET DATA `00F8`, GET DATA `7F21`, SELECT 共通AP, INTERNAL
/// AUTHENTICATE. `extended`: whether the link carries extended APDUs (the GET DATA need it).
pub fn proof_commands(challenge: &[u8], extended: bool) -> Option<[Command; 5]> {
    let authenticate = common_ap::internal_authenticate(challenge)?;
    Some([
        select_issuer_security_domain(),
        get_data(TAG_CHAIN_UPPER, extended),
        get_data(TAG_CHAIN_LOWER, extended),
        common_ap::select(),
        authenticate,
    ])
}

/// SELECT of the GlobalPlatform Issuer Security Domain (`00 A4 04 0C 07 A0000001510000`).
pub(crate) fn select_issuer_security_domain() -> Command {
    let isd = SELECT_ISSUER_SECURITY_DOMAIN.get(5..).unwrap_or_default();
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(isd.to_vec())
}

/// A J-LIS-issued card proven present: made only by
/// [`CardProofEvidence::verify`], which checked the card's MF-level CV chain
/// (GET DATA `00F8` under a J-LIS CV CA key of the MF family, `7F21` under `00F8`'s subject
/// key) and the card's INTERNAL AUTHENTICATE signature over a challenge under the key that
/// chain certifies. It is bound to that challenge: [`crate::pki::verify_presentation`] accepts it only for
/// a presentation over the same challenge.
///
/// What it proves is that a card of the J-LIS hierarchy answered on the link; it does not
/// bind the JPKI auth key to that card (a relay that splices a real card's 共通AP and a
/// phone's JPKI AP into one session is not excluded — only a certificate that states its
/// form would close that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenCard {
    challenge: Vec<u8>,
    root: &'static str,
}

impl ProvenCard {
    pub(crate) fn new(challenge: &[u8], root: &'static str) -> Self {
        Self {
            challenge: challenge.to_vec(),
            root,
        }
    }

    /// The 7-digit name of the J-LIS CV CA key the chain verified under (`"5000020"` in
    /// production).
    pub fn root(&self) -> &'static str {
        self.root
    }

    /// The challenge the card signed.
    pub fn challenge(&self) -> &[u8] {
        &self.challenge
    }
}

/// Why a card proof does not hold. Names the link that failed, never a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardProofError {
    /// A certificate of the chain is not a CV certificate.
    #[error("the {which} CV certificate of the MF chain is malformed")]
    Malformed {
        /// `"00F8"` or `"7F21"`.
        which: &'static str,
    },
    /// `00F8`'s issuer is not a CV CA key of the MF family the trust holds.
    #[error("the MF chain's root key is not a trusted J-LIS CV CA key of the MF family")]
    UnknownRoot,
    /// A certificate's signature does not verify.
    #[error("the {which} CV certificate's signature does not verify")]
    Signature {
        /// `"00F8"` or `"7F21"`.
        which: &'static str,
    },
    /// `7F21`'s issuer is not `00F8`'s subject.
    #[error("the 7F21 certificate is not issued by 00F8's subject")]
    BrokenChain,
    /// The INTERNAL AUTHENTICATE answer does not verify under the certified key.
    #[error("the card's INTERNAL AUTHENTICATE signature does not verify under the certified key")]
    Authentication,
    /// The challenge is empty or over 255 bytes.
    #[error("the challenge must be 1 to 255 bytes")]
    Challenge,
}

impl CardProofError {
    /// A stable code: `card.proof_malformed`, `card.proof_unknown_root`,
    /// `card.proof_signature`, `card.proof_broken_chain`, `card.proof_authentication`,
    /// `card.proof_challenge`.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "card.proof_malformed",
            Self::UnknownRoot => "card.proof_unknown_root",
            Self::Signature { .. } => "card.proof_signature",
            Self::BrokenChain => "card.proof_broken_chain",
            Self::Authentication => "card.proof_authentication",
            Self::Challenge => "card.proof_challenge",
        }
    }
}

/// What a card answered to the proof's commands: the MF chain as GET DATA returns it (the
/// contents of the `7F21` template, or the template itself) and the INTERNAL AUTHENTICATE
/// signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardProofEvidence {
    upper: Vec<u8>,
    lower: Option<Vec<u8>>,
    signature: Vec<u8>,
}

impl CardProofEvidence {
    /// The answers: GET DATA `00F8`, GET DATA `7F21` (`None`: the card has none, `6A88`),
    /// INTERNAL AUTHENTICATE.
    pub fn new(upper: Vec<u8>, lower: Option<Vec<u8>>, signature: Vec<u8>) -> Self {
        Self {
            upper,
            lower,
            signature,
        }
    }

    /// Verifies the chain under `trust` and the signature over `challenge` under the key it
    /// certifies: a [`ProvenCard`] bound to `challenge`.
    pub fn verify(&self, trust: &CvTrust, challenge: &[u8]) -> Result<ProvenCard, CardProofError> {
        if !(1..=common_ap::MAX_CHALLENGE).contains(&challenge.len()) {
            return Err(CardProofError::Challenge);
        }
        let upper = parse("00F8", &self.upper)?;
        let root = trust
            .key(upper.issuer_key_id())
            .filter(|k| is_mf_family(k.name()))
            .ok_or(CardProofError::UnknownRoot)?;
        match upper.check(trust) {
            (Check::Verified, _) => {}
            _ => return Err(CardProofError::Signature { which: "00F8" }),
        }
        let mut certified = upper;
        if let Some(lower) = &self.lower {
            let lower = parse("7F21", lower)?;
            if lower.issuer_key_id() != certified.subject_key_id() {
                return Err(CardProofError::BrokenChain);
            }
            verify_under(trust, &certified, lower.body(), lower.signature())
                .map_err(|()| CardProofError::Signature { which: "7F21" })?;
            certified = lower;
        }
        verify_under(trust, &certified, challenge, &self.signature)
            .map_err(|()| CardProofError::Authentication)?;
        Ok(ProvenCard::new(challenge, root.name()))
    }
}

/// The MF chain's roots: `5000020`, `6000020`, `6900020` (the last three digits `020`).
fn is_mf_family(name: &str) -> bool {
    name.len() == 7 && name.ends_with("020")
}

/// Parses a CV certificate in either form GET DATA may give (with or without `7F21`).
fn parse(which: &'static str, bytes: &[u8]) -> Result<CvCertificate, CardProofError> {
    let malformed = |_| CardProofError::Malformed { which };
    if bytes.starts_with(&[0x7F, 0x21]) {
        return CvCertificate::parse("MF CV certificate", bytes).map_err(malformed);
    }
    let len = u16::try_from(bytes.len()).map_err(|_| CardProofError::Malformed { which })?;
    let mut wrapped = Vec::with_capacity(bytes.len() + 5);
    wrapped.extend_from_slice(&[0x7F, 0x21, 0x82]);
    wrapped.extend_from_slice(&len.to_be_bytes());
    wrapped.extend_from_slice(bytes);
    CvCertificate::parse("MF CV certificate", &wrapped).map_err(malformed)
}

/// sha256WithRSAEncryption of `message` under `cert`'s subject key.
fn verify_under(
    trust: &CvTrust,
    cert: &CvCertificate,
    message: &[u8],
    signature: &[u8],
) -> Result<(), ()> {
    let key = cert
        .subject_key("MF CV certificate", trust.backend())
        .map_err(|_| ())?;
    key.verify(
        SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
        message,
        signature,
    )
    .map_err(|_| ())
}

impl<T: crate::transport::Transport> super::Card<T> {
    /// Asks the card for the proof's answers over `challenge` (1–255 bytes; the
    /// presentation's own challenge, so that [`crate::pki::verify_presentation`] accepts the
    /// proof): SELECT ISD, GET DATA `00F8` and `7F21`, SELECT 共通AP, INTERNAL AUTHENTICATE.
    /// Verify them with [`CardProofEvidence::verify`]. Ends the current application's
    /// verified state (the driver forgets it too). A card without `7F21` (`6A88`) gives
    /// evidence without it; anything else the card refuses is the exchange's error — a phone
    /// answers the ISD SELECT `6A82`, a short-APDU-only link gets `6700` for `00F8`.
    pub fn card_proof(&mut self, challenge: &[u8]) -> Result<CardProofEvidence, super::CardError> {
        self.forget_state();
        let extended = self.exchange().capabilities().extended;
        let [isd, upper, lower, common, authenticate] = proof_commands(challenge, extended)
            .ok_or(super::CardError::Format(super::FormatError::Challenge))?;
        self.run(|ex| {
            ex.transmit_ok(&isd)?;
            let upper = ex.transmit_ok(&upper)?.into_data();
            let lower = ex.transmit(&lower)?;
            let lower = match lower.status() {
                crate::apdu::StatusWord::Other(0x6A88) => None,
                _ if lower.status().is_ok() => Some(lower.into_data()),
                sw => {
                    return Err(crate::ExchangeError::Status {
                        command: "GET DATA",
                        sw,
                    });
                }
            };
            ex.transmit_ok(&common)?;
            let signature = ex.transmit_ok(&authenticate)?.into_data();
            Ok(CardProofEvidence::new(upper, lower, signature))
        })
    }
}
