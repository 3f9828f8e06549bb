//! Card-verifiable (CV) certificates of the 券面 APs (EF `0004`): the key that signs
//! the AP's records, certified by a CA key that is not on the card.

use rsa::{Pkcs1v15Sign, PrivateKey, PublicKey};
use sha2::{Digest, Sha256};

use super::BuildError;
use super::ber::{rsa_public_key, tlv};

/// Test key identifiers: 7 ASCII digits + `08 05` + 3 ASCII digits + 4 padding
/// bytes. JPKI test cards use issuers `6000033` (kenhojo) and `6000023` (kenkaku);
/// this virtual card signs with its own TEST CV CA, `6900033` / `6900023`.
pub(crate) fn key_id(issuer: &[u8; 7], serial: &[u8; 3]) -> [u8; 16] {
    let mut id = [0u8; 16];
    let (head, rest) = id.split_at_mut(7);
    head.copy_from_slice(issuer);
    let (sep, rest) = rest.split_at_mut(2);
    sep.copy_from_slice(&[0x08, 0x05]);
    let (ser, _) = rest.split_at_mut(3);
    ser.copy_from_slice(serial);
    id
}

/// A key identifier of the MF-level chain's family: like [`key_id`], with the last byte
/// `A8` as real cards' `5000020` / `6000020` have it (`../shared/data/jlis-cv-ca-keys`).
pub(crate) fn mf_key_id(issuer: &[u8; 7], serial: &[u8; 3]) -> [u8; 16] {
    let mut id = key_id(issuer, serial);
    id[15] = 0xA8;
    id
}

/// `7F 21 82 02 33 | 5F 4E 82 01 29 <body> | 5F 37 82 01 00 <signature>`; body =
/// issuer key id ‖ subject key id ‖ `90 03 01 00 01 91 82 01 00 <modulus>`.
pub(crate) fn cv_certificate(
    issuer_id: &[u8; 16],
    subject_id: &[u8; 16],
    subject: &PublicKey,
    ca: &PrivateKey,
) -> Result<Vec<u8>, BuildError> {
    let mut body = Vec::with_capacity(297);
    body.extend_from_slice(issuer_id);
    body.extend_from_slice(subject_id);
    body.extend_from_slice(&rsa_public_key(subject));
    let signature = sign_sha256(ca, &body)?;
    let mut inner = tlv(&[0x5F, 0x4E], &body);
    inner.extend_from_slice(&tlv(&[0x5F, 0x37], &signature));
    Ok(tlv(&[0x7F, 0x21], &inner))
}

/// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
pub(crate) fn sign_sha256(key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, BuildError> {
    let digest = Sha256::digest(message);
    key.sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
        .map_err(|_| BuildError::Signing)
}
