//! COMPUTE DIGITAL SIGNATURE's schemes, P1 of `80 2A` with the JPKI keys, as measured
//! (soltia48/myna-card `src/ap/jpki.rs`, `SignatureScheme`; card-apdu.md §5.5, single
//! source): `00` PKCS#1 v1.5 over the data as given (1–245 bytes), `01` SHA-256 on the
//! card then PKCS#1 v1.5 over the bare hash, `02` a 32-byte hash wrapped in a DigestInfo,
//! `03` SHA-256 on the card and a DigestInfo, `04` RSASSA-PSS over a given SHA-256 hash,
//! `05` SHA-256 on the card then PSS; other P1 `6A86`, a 02/04 input that is not 32
//! bytes `6985`. The PSS salt comes from the card's deterministic generator.

use rsa::{Pkcs1v15Sign, PrivateKey, Pss};
use sha2::{Digest, Sha256};

use super::challenge::ChallengeGenerator;
use super::status::Sw;

/// Longest DigestInfo a 2048-bit key can pad with PKCS#1 v1.5 (k − 11).
pub(crate) const MAX_SIGN_INPUT: usize = 256 - 11;

/// Signs `data` with `key` under scheme `p1`.
pub(crate) fn sign(
    key: &PrivateKey,
    p1: u8,
    data: &[u8],
    rng: &mut ChallengeGenerator,
) -> Result<Vec<u8>, Sw> {
    let failed = |_| Sw::CONDITIONS_NOT_SATISFIED;
    match p1 {
        0x00 => {
            if data.len() > MAX_SIGN_INPUT {
                return Err(Sw::WRONG_LENGTH);
            }
            key.sign(Pkcs1v15Sign::new_unprefixed(), data)
                .map_err(failed)
        }
        0x01 => key
            .sign(Pkcs1v15Sign::new_unprefixed(), &Sha256::digest(data))
            .map_err(failed),
        0x02 => key
            .sign(Pkcs1v15Sign::new::<Sha256>(), hash32(data)?)
            .map_err(failed),
        0x03 => key
            .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(data))
            .map_err(failed),
        0x04 => key
            .sign_with_rng(rng, Pss::<Sha256>::new(), hash32(data)?)
            .map_err(failed),
        0x05 => key
            .sign_with_rng(rng, Pss::<Sha256>::new(), &Sha256::digest(data))
            .map_err(failed),
        _ => Err(Sw::INCORRECT_P1P2),
    }
}

fn hash32(data: &[u8]) -> Result<&[u8], Sw> {
    if data.len() == 32 {
        Ok(data)
    } else {
        Err(Sw::CONDITIONS_NOT_SATISFIED)
    }
}
