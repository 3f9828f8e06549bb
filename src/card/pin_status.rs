//! PIN status and the lockout guard.
//!
//! Before a VERIFY the library knows the remaining tries (it asks the card with
//! the case-1 query `00 20 00 <80|SFI>` when it does not) and refuses to spend the
//! last one unless the caller passes [`LastTryGuard::Allow`].

use super::error::PinError;
use crate::apdu::{Command, StatusWord};

use super::error::CardError;
pub use super::model::KeyRef;
use super::pin::Secret;

impl KeyRef {
    /// `00 20 00 <80|SFI> Lc <secret>`: VERIFY by SFI (no SELECT of the key EF);
    /// the data is marked sensitive (zeroized, redacted). Refuses a secret of the
    /// wrong kind for this key (a PIN for 照合番号B, say) without building anything.
    pub fn verify_command<S: Secret>(self, secret: &S) -> Result<Command, CardError> {
        if !S::opens(self) {
            return Err(CardError::Pin(PinError::WrongSecretKind { key: self }));
        }
        Ok(Command::new(0x00, 0x20, 0x00, self.p2()).with_sensitive_data(secret.secret_bytes()))
    }
}

/// What the card says about a PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PinStatus {
    /// Tries left; `None` when the card answered `9000` to the query (already
    /// verified in this session; the counter is then at its maximum).
    pub remaining: Option<u8>,
    /// The PIN is blocked: only the municipal office can reset it.
    pub blocked: bool,
}

impl PinStatus {
    /// The state after a successful VERIFY.
    pub const VERIFIED: Self = Self {
        remaining: None,
        blocked: false,
    };

    /// Parses the answer to [`KeyRef::query_command`].
    pub fn from_query(key: KeyRef, sw: StatusWord) -> Result<Self, CardError> {
        match sw {
            StatusWord::Ok => Ok(Self::VERIFIED),
            StatusWord::RemainingTries(n) => Ok(Self {
                remaining: Some(n),
                blocked: n == 0,
            }),
            StatusWord::ReferenceDataBlocked | StatusWord::AuthenticationMethodBlocked => {
                Ok(Self {
                    remaining: Some(0),
                    blocked: true,
                })
            }
            sw => Err(CardError::Pin(PinError::UnexpectedVerifyStatus { key, sw })),
        }
    }
}

/// Whether the driver may spend a PIN's last try (its lockout guard). Whether to ask the
/// patient first is a flow's [`LastTryPolicy`](crate::flows::LastTryPolicy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LastTryGuard {
    /// Refuse a VERIFY when exactly one try is left (default).
    #[default]
    Refuse,
    /// Send it anyway (the holder was warned and confirmed). The driver then
    /// skips the try-count query when the count is unknown: a blocked PIN
    /// answers `6984` without spending anything.
    Allow,
}

/// The former name of [`LastTryGuard`], kept while parallel branches merge.
#[doc(hidden)]
pub type LastTry = LastTryGuard;

/// The lockout guard: may a VERIFY be sent given this status?
pub fn guard(key: KeyRef, status: PinStatus, policy: LastTryGuard) -> Result<(), CardError> {
    if status.blocked || status.remaining == Some(0) {
        return Err(CardError::Pin(PinError::Blocked { key }));
    }
    if status.remaining == Some(1) && policy == LastTryGuard::Refuse {
        return Err(CardError::Pin(PinError::LastTryRefused { key }));
    }
    Ok(())
}

/// Parses the answer to a VERIFY with data: `Ok(())` on `9000`, else the typed
/// failure (`63Cx` wrong with x left, `63C0` / `6984` blocked).
pub fn parse_verify(key: KeyRef, sw: StatusWord) -> Result<(), CardError> {
    match sw {
        StatusWord::Ok => Ok(()),
        StatusWord::RemainingTries(0)
        | StatusWord::ReferenceDataBlocked
        | StatusWord::AuthenticationMethodBlocked => Err(CardError::Pin(PinError::Blocked { key })),
        StatusWord::RemainingTries(remaining) => {
            Err(CardError::Pin(PinError::WrongPin { key, remaining }))
        }
        sw => Err(CardError::Pin(PinError::UnexpectedVerifyStatus { key, sw })),
    }
}

/// The status to remember after a VERIFY answered `sw`.
pub fn status_after_verify(sw: StatusWord) -> Option<PinStatus> {
    match sw {
        StatusWord::Ok => Some(PinStatus::VERIFIED),
        StatusWord::RemainingTries(n) => Some(PinStatus {
            remaining: Some(n),
            blocked: n == 0,
        }),
        StatusWord::ReferenceDataBlocked | StatusWord::AuthenticationMethodBlocked => {
            Some(PinStatus {
                remaining: Some(0),
                blocked: true,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apdu::LengthForm;

    #[test]
    fn command_bytes() {
        assert_eq!(
            KeyRef::JpkiAuthPin
                .query_command()
                .encode(LengthForm::Short)
                .unwrap(),
            [0x00, 0x20, 0x00, 0x98]
        );
        let pin = crate::card::pin::Pin::new("1234").unwrap();
        let v = KeyRef::JpkiAuthPin.verify_command(&pin).unwrap();
        assert_eq!(
            KeyRef::KenhojoNumberB.verify_command(&pin),
            Err(CardError::Pin(PinError::WrongSecretKind {
                key: KeyRef::KenhojoNumberB
            }))
        );
        assert_eq!(
            v.encode(LengthForm::Short).unwrap(),
            [0x00, 0x20, 0x00, 0x98, 0x04, 0x31, 0x32, 0x33, 0x34]
        );
        assert!(v.is_sensitive());
        assert!(!format!("{v:?}").contains("31323334"));
        assert_eq!(KeyRef::JpkiSignPassword.p2(), 0x9B);
        assert_eq!(KeyRef::KenhojoPin.p2(), 0x91);
        assert_eq!(KeyRef::KenhojoNumberA.p2(), 0x94);
        assert_eq!(KeyRef::KenhojoNumberB.p2(), 0x95);
        assert_eq!(KeyRef::KenkakuNumberA.p2(), 0x93);
        assert_eq!(KeyRef::KenkakuNumberB.p2(), 0x92);
        assert_eq!(KeyRef::KenkakuBirthDate.p2(), 0x91);
    }

    #[test]
    fn query_answers() {
        let k = KeyRef::JpkiAuthPin;
        assert_eq!(
            PinStatus::from_query(k, StatusWord::RemainingTries(3)).unwrap(),
            PinStatus {
                remaining: Some(3),
                blocked: false
            }
        );
        assert_eq!(
            PinStatus::from_query(k, StatusWord::RemainingTries(0)).unwrap(),
            PinStatus {
                remaining: Some(0),
                blocked: true
            }
        );
        assert_eq!(
            PinStatus::from_query(k, StatusWord::ReferenceDataBlocked).unwrap(),
            PinStatus {
                remaining: Some(0),
                blocked: true
            }
        );
        assert_eq!(
            PinStatus::from_query(k, StatusWord::Ok).unwrap(),
            PinStatus::VERIFIED
        );
        assert_eq!(
            PinStatus::from_query(k, StatusWord::WrongLength),
            Err(CardError::Pin(PinError::UnexpectedVerifyStatus {
                key: k,
                sw: StatusWord::WrongLength
            }))
        );
    }

    #[test]
    fn the_guard() {
        let k = KeyRef::KenhojoPin;
        let s = |n| PinStatus {
            remaining: Some(n),
            blocked: n == 0,
        };
        assert_eq!(guard(k, s(3), LastTryGuard::Refuse), Ok(()));
        assert_eq!(guard(k, s(2), LastTryGuard::Refuse), Ok(()));
        assert_eq!(
            guard(k, s(1), LastTryGuard::Refuse),
            Err(CardError::Pin(PinError::LastTryRefused { key: k }))
        );
        assert_eq!(guard(k, s(1), LastTryGuard::Allow), Ok(()));
        assert_eq!(
            guard(k, s(0), LastTryGuard::Allow),
            Err(CardError::Pin(PinError::Blocked { key: k }))
        );
        assert_eq!(guard(k, PinStatus::VERIFIED, LastTryGuard::Refuse), Ok(()));
    }

    #[test]
    fn verify_answers() {
        let k = KeyRef::JpkiSignPassword;
        assert_eq!(parse_verify(k, StatusWord::Ok), Ok(()));
        assert_eq!(
            parse_verify(k, StatusWord::RemainingTries(4)),
            Err(CardError::Pin(PinError::WrongPin {
                key: k,
                remaining: 4
            }))
        );
        assert_eq!(
            parse_verify(k, StatusWord::RemainingTries(0)),
            Err(CardError::Pin(PinError::Blocked { key: k }))
        );
        assert_eq!(
            parse_verify(k, StatusWord::ReferenceDataBlocked),
            Err(CardError::Pin(PinError::Blocked { key: k }))
        );
        assert_eq!(
            parse_verify(k, StatusWord::SecurityStatusNotSatisfied),
            Err(CardError::Pin(PinError::UnexpectedVerifyStatus {
                key: k,
                sw: StatusWord::SecurityStatusNotSatisfied
            }))
        );
    }
}
