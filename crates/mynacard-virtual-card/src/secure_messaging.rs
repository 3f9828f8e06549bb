//! Secure messaging and key delivery, as far as measured (soltia48/myna-card
//! `src/sm.rs`, `src/ap/*.rs`; card-apdu.md §5.6–5.7, single source).
//!
//! SET SESSION KEY `80 AE 00 00` answers `66F1` in the 共通AP and the 券面事項確認AP (no
//! key delivery configured), `6982` in the JPKI and 住基 APs whatever was verified, and
//! `6982` in the 券面事項入力補助AP until its PIN (`0011`) was verified in the clear
//! (照合番号A does not count). **Not simulated:** the session itself (RSA-OAEP key
//! delivery, AES-128 secure messaging) — a delivery after the PIN is answered `6A80`.
//! A secure-messaging class (`08`, `0C`) without a session answers `6882` for SELECT and
//! `69FC` for READ BINARY and VERIFY.

use super::VirtualCard;
use super::command::CardCommand;
use super::file_system::CardApplication;
use super::status::Sw;

const SELECT: u8 = 0xA4;
const READ_BINARY: u8 = 0xB0;
const VERIFY: u8 = 0x20;

impl VirtualCard {
    pub(super) fn set_session_key(&mut self, _cmd: &CardCommand<'_>) -> Result<Vec<u8>, Sw> {
        match self.current_application() {
            Some(CardApplication::Common | CardApplication::Kenkaku) => {
                Err(Sw::SECURITY_ENVIRONMENT_FAULTY)
            }
            Some(CardApplication::Kenhojo) if self.verified.contains(&0x0011) => {
                Err(Sw::INCORRECT_DATA)
            }
            _ => Err(Sw::SECURITY_NOT_SATISFIED),
        }
    }

    /// The answer to a command whose class asks for secure messaging.
    pub(super) fn secure_messaging_without_session(ins: u8) -> Sw {
        match ins {
            READ_BINARY | VERIFY => Sw::NO_SM_SESSION,
            SELECT => Sw::SECURE_MESSAGING_NOT_SUPPORTED,
            _ => Sw::SECURE_MESSAGING_NOT_SUPPORTED,
        }
    }
}
