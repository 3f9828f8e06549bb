//! The engine's VERIFY→sign tail, one for every conversation that proves a JPKI key
//! (the reception flows' auth key, the intake's signature key): the key EF's SELECT, the
//! COMPUTE DIGITAL SIGNATURE over the SHA-256 DigestInfo of the conversation's fresh
//! challenge, and the signature checked out of its answer.

use alloc::vec::Vec;

use crate::apdu::{Command, Response, StatusWord};
use crate::card::{CardError, HashAlgorithm, JpkiKey, SignAddressing};
use crate::flows::presentation::KeyProofChallenge;

/// The name of the signature command in errors.
pub(crate) const SIGN: &str = "COMPUTE DIGITAL SIGNATURE";

/// `Ok` when the card answered `9000` to `command`, else the status as a card error.
pub(crate) fn answered(response: &Response, command: &'static str) -> Result<(), CardError> {
    if response.status().is_ok() {
        Ok(())
    } else {
        Err(CardError::Exchange(crate::ExchangeError::Status {
            command,
            sw: response.status(),
        }))
    }
}

/// SELECT of `key`'s EF (before a sign with [`SignAddressing::SelectThenCurrent`]).
pub(crate) fn select(key: JpkiKey) -> Command {
    key.file().select()
}

/// COMPUTE DIGITAL SIGNATURE with `key` over the SHA-256 DigestInfo of `challenge`.
pub(crate) fn sign(
    key: JpkiKey,
    challenge: &KeyProofChallenge,
    addressing: SignAddressing,
) -> Command {
    let sha = HashAlgorithm::Sha256;
    // A SHA-256 digest always has the right length for its DigestInfo: never a signature
    // command over empty data.
    let digest_info = sha
        .digest_info(&sha.hash(challenge.bytes()))
        .expect("a SHA-256 digest has its DigestInfo length");
    crate::card::jpki::sign_command(key, &digest_info, addressing)
}

/// The signature out of the answer to [`sign`] (status `9000`, 256 bytes).
pub(crate) fn signature(response: Response) -> Result<Vec<u8>, CardError> {
    answered(&response, SIGN)?;
    Ok(crate::card::jpki::parse_signature(response.into_data())?)
}

/// The command of the signing in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SignWait {
    /// SELECT of the key EF sent.
    Select,
    /// COMPUTE DIGITAL SIGNATURE sent (`by_sfi`: the opt-in `80 2A 00 97`).
    Sign { by_sfi: bool },
}

/// The signing of a key whose secret was presented: SELECT of the key EF, then the
/// signature — or the opt-in `80 2A 00 97` first, falling back by itself to SELECT + sign
/// when the card answers `6A86` / `6A81` / `6986`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signing {
    key: JpkiKey,
    wait: SignWait,
}

/// What the card's answer to the signing's command gives.
#[derive(Debug)]
pub(crate) enum Signed {
    /// Send this next, the signing going on.
    Send(Signing, Command),
    /// The signature (256 bytes).
    Signature(Vec<u8>),
}

impl Signing {
    /// The signing with `key` over `challenge`: its first command.
    pub(crate) fn start(
        key: JpkiKey,
        challenge: &KeyProofChallenge,
        addressing: SignAddressing,
    ) -> (Self, Command) {
        match addressing {
            SignAddressing::BySfi => (
                Self {
                    key,
                    wait: SignWait::Sign { by_sfi: true },
                },
                sign(key, challenge, SignAddressing::BySfi),
            ),
            _ => (
                Self {
                    key,
                    wait: SignWait::Select,
                },
                select(key),
            ),
        }
    }

    /// Whether the key EF's SELECT is in flight (else the signature command).
    pub(crate) const fn selecting(&self) -> bool {
        matches!(self.wait, SignWait::Select)
    }

    /// The card's answer to the command in flight.
    pub(crate) fn on_response(
        self,
        response: Response,
        challenge: &KeyProofChallenge,
    ) -> Result<Signed, CardError> {
        match self.wait {
            SignWait::Select => {
                answered(&response, "SELECT")?;
                let command = sign(self.key, challenge, SignAddressing::SelectThenCurrent);
                let next = Self {
                    wait: SignWait::Sign { by_sfi: false },
                    ..self
                };
                Ok(Signed::Send(next, command))
            }
            SignWait::Sign { by_sfi: true }
                if matches!(
                    response.status(),
                    StatusWord::IncorrectP1P2
                        | StatusWord::FunctionNotSupported
                        | StatusWord::NoCurrentEf
                ) =>
            {
                let next = Self {
                    wait: SignWait::Select,
                    ..self
                };
                Ok(Signed::Send(next, select(self.key)))
            }
            SignWait::Sign { .. } => Ok(Signed::Signature(signature(response)?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bytes: &[u8]) -> Response {
        Response::from_vec(bytes.to_vec()).unwrap()
    }

    /// Behaviour: the one signing of both conversations — SELECT + sign by default; the
    /// opt-in `80 2A 00 97` falls back to SELECT + sign once on `6A86`; a refused SELECT
    /// and a signature of the wrong length end it with a typed card error.
    #[test]
    fn signing_selects_then_signs_and_the_sfi_form_falls_back_once() {
        let challenge = KeyProofChallenge::new([7; 32]);
        let (s, first) = Signing::start(JpkiKey::Auth, &challenge, SignAddressing::BySfi);
        assert_eq!(
            (first.ins, first.p2),
            (0x2A, 0x80 | JpkiKey::Auth.file().sfi())
        );
        assert!(!s.selecting());
        let Ok(Signed::Send(s, select)) = s.on_response(answer(&[0x6A, 0x86]), &challenge) else {
            panic!("no fallback to SELECT");
        };
        assert_eq!(select, JpkiKey::Auth.file().select());
        assert!(s.selecting());
        let Ok(Signed::Send(s, sign)) = s.on_response(answer(&[0x90, 0x00]), &challenge) else {
            panic!("no signature after the SELECT");
        };
        assert_eq!((sign.ins, sign.p2), (0x2A, 0x80));
        // No second fallback: a 6A86 to the SELECT-then-sign form is the card's answer.
        assert!(s.on_response(answer(&[0x6A, 0x86]), &challenge).is_err());
        let mut good = vec![0x5A; 256];
        good.extend_from_slice(&[0x90, 0x00]);
        assert!(matches!(
            s.on_response(answer(&good), &challenge),
            Ok(Signed::Signature(sig)) if sig.len() == 256
        ));
        assert!(
            s.on_response(answer(&[0x5A, 0x90, 0x00]), &challenge)
                .is_err()
        );
        let (s, first) =
            Signing::start(JpkiKey::Sign, &challenge, SignAddressing::SelectThenCurrent);
        assert_eq!(first, JpkiKey::Sign.file().select());
        assert!(s.on_response(answer(&[0x6A, 0x82]), &challenge).is_err());
    }
}
