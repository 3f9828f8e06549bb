//! The few JPKI AP commands the flows send, and the token label.
//!
//! Adapter: these are the smallest builders the flows need; where the card module
//! offers the same operation, the flows use it instead.

use sha2::{Digest, Sha256};

use crate::apdu::Command;

/// JPKI AP (公的個人認証AP) DF name.
pub(crate) const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
/// SFI of the user-authentication certificate (EF 000A).
pub(crate) const AUTH_CERT_SFI: u8 = 0x0A;
/// SFI of the token info (EF 0006).
pub(crate) const TOKEN_INFO_SFI: u8 = 0x06;
/// Bytes of the token label at the start of EF 0006.
pub(crate) const TOKEN_LABEL_LEN: usize = 32;
/// SFI of the auth PIN (EF 0018).
const AUTH_PIN_SFI: u8 = 0x18;
/// SFI of the auth private key (EF 0017).
const AUTH_KEY_SFI: u8 = 0x17;
/// SHA-256 DigestInfo prefix (DER).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// `00 A4 04 0C 0A <JPKI AID>`.
pub(crate) fn select_jpki_ap() -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(JPKI_AID)
}

/// `00 20 00 98`: case-1 query of the auth PIN's remaining tries.
pub(crate) fn verify_query() -> Command {
    Command::new(0x00, 0x20, 0x00, 0x80 | AUTH_PIN_SFI)
}

/// `00 20 00 98 04 <PIN>` when `digits` is exactly 4 ASCII digits; `None`
/// otherwise (never sent: a malformed PIN would cost a try).
pub(crate) fn verify_auth_pin(digits: &str) -> Option<Command> {
    let b = digits.as_bytes();
    if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(Command::new(0x00, 0x20, 0x00, 0x80 | AUTH_PIN_SFI).with_sensitive_data(b.to_vec()))
}

/// `00 A4 02 0C 02 00 17`: the auth private key EF.
pub(crate) fn select_auth_key() -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data([0x00, 0x17])
}

/// `80 2A 00 80 33 <SHA-256 DigestInfo of challenge> 00`.
pub(crate) fn sign_challenge(challenge: &[u8]) -> Command {
    let mut data = SHA256_DIGEST_INFO.to_vec();
    data.extend_from_slice(&Sha256::digest(challenge));
    Command::new(0x80, 0x2A, 0x00, 0x80)
        .with_data(data)
        .with_le(256)
}

/// `80 2A 00 97 33 <SHA-256 DigestInfo of challenge> 00`: the auth key (EF 0017)
/// named by SFI, without a SELECT (single source ⚠).
pub(crate) fn sign_challenge_by_sfi(challenge: &[u8]) -> Command {
    let mut cmd = sign_challenge(challenge);
    cmd.p2 = 0x80 | AUTH_KEY_SFI;
    cmd
}

/// `80 FC 00 00`: end of transaction (iPhone token).
pub(crate) fn end_of_transaction() -> Command {
    Command::new(0x80, 0xFC, 0x00, 0x00)
}

/// The token label, trimmed of spaces and NULs, printable ASCII only.
pub(crate) fn label_text(bytes: &[u8]) -> String {
    let end = bytes.len().min(TOKEN_LABEL_LEN);
    bytes
        .get(..end)
        .unwrap_or_default()
        .iter()
        .map(|&b| {
            if (0x20..0x7F).contains(&b) {
                b as char
            } else {
                ' '
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}
