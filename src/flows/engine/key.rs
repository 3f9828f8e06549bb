//! The engine's VERIFY→sign tail, one for every conversation that proves a JPKI key
//! (the reception flows' auth key, the intake's signature key): the key EF's SELECT, the
//! COMPUTE DIGITAL SIGNATURE over the SHA-256 DigestInfo of the conversation's fresh
//! challenge, and the signature checked out of its answer.

use alloc::vec::Vec;

use crate::apdu::{Command, Response};
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
    // A SHA-256 digest always has the right length for its DigestInfo.
    let digest_info = sha
        .digest_info(&sha.hash(challenge.bytes()))
        .unwrap_or_default();
    crate::card::jpki::sign_command(key, &digest_info, addressing)
}

/// The signature out of the answer to [`sign`] (status `9000`, 256 bytes).
pub(crate) fn signature(response: Response) -> Result<Vec<u8>, CardError> {
    answered(&response, SIGN)?;
    Ok(crate::card::jpki::parse_signature(response.into_data())?)
}
