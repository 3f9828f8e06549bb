//! The card's own BER-TLV writer for its data objects (never shared with the
//! host-side parser).

use rsa::PublicKey;
use rsa::traits::PublicKeyParts;

/// How a length field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthForm {
    /// Shortest form (`xx`, `81 xx`, `82 xx xx`).
    Minimal,
    /// Always `82 xx xx`, as some 券面 objects are stored (`FF 40 82 00 9F`).
    Long2,
}

/// Appends the length field of `len` in `form`.
pub(crate) fn push_length(out: &mut Vec<u8>, len: usize, form: LengthForm) {
    let [hi, lo] = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
    match form {
        LengthForm::Minimal if len < 0x80 => out.push(lo),
        LengthForm::Minimal if len < 0x100 => out.extend_from_slice(&[0x81, lo]),
        _ => out.extend_from_slice(&[0x82, hi, lo]),
    }
}

/// `tag ‖ length ‖ value` with the minimal length form.
pub(crate) fn tlv(tag: &[u8], value: &[u8]) -> Vec<u8> {
    tlv_with(tag, value, LengthForm::Minimal)
}

/// `tag ‖ length ‖ value` with the given length form.
pub(crate) fn tlv_with(tag: &[u8], value: &[u8], form: LengthForm) -> Vec<u8> {
    let mut out = Vec::with_capacity(tag.len() + 3 + value.len());
    out.extend_from_slice(tag);
    push_length(&mut out, value.len(), form);
    out.extend_from_slice(value);
    out
}

/// The 券面 / CV-certificate RSA public key form `90 <e> 91 82 01 00 <n>`.
pub(crate) fn rsa_public_key(key: &PublicKey) -> Vec<u8> {
    let mut out = tlv(&[0x90], &key.e_bytes());
    out.extend_from_slice(&tlv(&[0x91], &modulus(key)));
    out
}

/// The modulus, left-padded to the key size.
pub(crate) fn modulus(key: &PublicKey) -> Vec<u8> {
    let n = key.n_bytes();
    let mut out = vec![0u8; key.size().saturating_sub(n.len())];
    out.extend_from_slice(&n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_forms() {
        assert_eq!(tlv(&[0xDF, 0x25], b"2"), [0xDF, 0x25, 0x01, b'2']);
        assert_eq!(tlv(&[0x04], &[0; 0x80])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(
            tlv(&[0x7F, 0x21], &[0; 0x233])[..5],
            [0x7F, 0x21, 0x82, 0x02, 0x33]
        );
        assert_eq!(
            tlv_with(&[0xFF, 0x40], &[0; 0x9F], LengthForm::Long2)[..5],
            [0xFF, 0x40, 0x82, 0x00, 0x9F]
        );
    }
}
