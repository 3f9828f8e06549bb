//! Typed ISO 7816-4 status words, with the meanings the My Number Card gives them.

use core::fmt;

/// A status word (SW1 SW2) returned by the card.
///
/// The variants cover every status the My Number Card is known to return to the
/// operations of this crate; anything else is kept as [`StatusWord::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusWord {
    /// `9000`: normal end.
    Ok,
    /// `61xx`: more response data is available; `xx` bytes (`00` = 256) can be
    /// fetched with GET RESPONSE.
    MoreData(u8),
    /// `6Cxx`: wrong Le; re-issue the command with Le = `xx` (`00` = 256).
    WrongLe(u8),
    /// `63Cx`: VERIFY failed or retry query answered; `x` tries remain.
    /// `63C0` means the reference data is now blocked.
    RemainingTries(u8),
    /// `6300`: verification failed, no retry limit.
    VerifyFailedNoCounter,
    /// `6700`: wrong length (Lc or Le).
    WrongLength,
    /// `6881`: logical channel not supported.
    LogicalChannelNotSupported,
    /// `6981`: command incompatible with the file structure.
    IncompatibleFileStructure,
    /// `6982`: security status not satisfied (PIN not verified).
    SecurityStatusNotSatisfied,
    /// `6983`: authentication method blocked (ISO generic wording).
    AuthenticationMethodBlocked,
    /// `6984`: referenced data blocked: the PIN is locked after too many wrong tries.
    ReferenceDataBlocked,
    /// `6985`: conditions of use not satisfied.
    ConditionsNotSatisfied,
    /// `6986`: command not allowed (no current EF).
    NoCurrentEf,
    /// `6A80`: incorrect data field.
    IncorrectData,
    /// `6A81`: function not supported.
    FunctionNotSupported,
    /// `6A82`: file or application not found.
    FileNotFound,
    /// `6A83`: record not found.
    RecordNotFound,
    /// `6A86`: incorrect P1-P2.
    IncorrectP1P2,
    /// `6A88`: referenced data not found.
    DataNotFound,
    /// `6B00`: offset outside the EF.
    OffsetOutsideFile,
    /// `6D00`: instruction not supported.
    InsNotSupported,
    /// `6E00`: class not supported.
    ClaNotSupported,
    /// `6F00`: no precise diagnosis (self-diagnosis failure; also the first command
    /// after a power cycle on some cards).
    NoPreciseDiagnosis,
    /// Any other status word, kept verbatim.
    Other(u16),
}

impl StatusWord {
    /// Decodes SW1 SW2.
    pub const fn new(sw1: u8, sw2: u8) -> Self {
        match (sw1, sw2) {
            (0x90, 0x00) => Self::Ok,
            (0x61, n) => Self::MoreData(n),
            (0x6C, n) => Self::WrongLe(n),
            (0x63, 0x00) => Self::VerifyFailedNoCounter,
            (0x63, x) if x & 0xF0 == 0xC0 => Self::RemainingTries(x & 0x0F),
            (0x67, 0x00) => Self::WrongLength,
            (0x68, 0x81) => Self::LogicalChannelNotSupported,
            (0x69, 0x81) => Self::IncompatibleFileStructure,
            (0x69, 0x82) => Self::SecurityStatusNotSatisfied,
            (0x69, 0x83) => Self::AuthenticationMethodBlocked,
            (0x69, 0x84) => Self::ReferenceDataBlocked,
            (0x69, 0x85) => Self::ConditionsNotSatisfied,
            (0x69, 0x86) => Self::NoCurrentEf,
            (0x6A, 0x80) => Self::IncorrectData,
            (0x6A, 0x81) => Self::FunctionNotSupported,
            (0x6A, 0x82) => Self::FileNotFound,
            (0x6A, 0x83) => Self::RecordNotFound,
            (0x6A, 0x86) => Self::IncorrectP1P2,
            (0x6A, 0x88) => Self::DataNotFound,
            (0x6B, 0x00) => Self::OffsetOutsideFile,
            (0x6D, 0x00) => Self::InsNotSupported,
            (0x6E, 0x00) => Self::ClaNotSupported,
            (0x6F, 0x00) => Self::NoPreciseDiagnosis,
            (a, b) => Self::Other(((a as u16) << 8) | b as u16),
        }
    }

    /// Decodes a 16-bit status word (`0x9000`).
    pub const fn from_u16(sw: u16) -> Self {
        Self::new((sw >> 8) as u8, sw as u8)
    }

    /// The status word as SW1 SW2 in one `u16`.
    pub const fn to_u16(self) -> u16 {
        match self {
            Self::Ok => 0x9000,
            Self::MoreData(n) => 0x6100 | n as u16,
            Self::WrongLe(n) => 0x6C00 | n as u16,
            Self::RemainingTries(x) => 0x63C0 | (x & 0x0F) as u16,
            Self::VerifyFailedNoCounter => 0x6300,
            Self::WrongLength => 0x6700,
            Self::LogicalChannelNotSupported => 0x6881,
            Self::IncompatibleFileStructure => 0x6981,
            Self::SecurityStatusNotSatisfied => 0x6982,
            Self::AuthenticationMethodBlocked => 0x6983,
            Self::ReferenceDataBlocked => 0x6984,
            Self::ConditionsNotSatisfied => 0x6985,
            Self::NoCurrentEf => 0x6986,
            Self::IncorrectData => 0x6A80,
            Self::FunctionNotSupported => 0x6A81,
            Self::FileNotFound => 0x6A82,
            Self::RecordNotFound => 0x6A83,
            Self::IncorrectP1P2 => 0x6A86,
            Self::DataNotFound => 0x6A88,
            Self::OffsetOutsideFile => 0x6B00,
            Self::InsNotSupported => 0x6D00,
            Self::ClaNotSupported => 0x6E00,
            Self::NoPreciseDiagnosis => 0x6F00,
            Self::Other(sw) => sw,
        }
    }

    /// SW1 and SW2 as bytes.
    pub const fn to_bytes(self) -> [u8; 2] {
        let sw = self.to_u16();
        [(sw >> 8) as u8, sw as u8]
    }

    /// Whether this is `9000`.
    pub const fn is_ok(self) -> bool {
        matches!(self, Self::Ok)
    }

    /// For `63Cx`, the number of remaining tries.
    pub const fn remaining_tries(self) -> Option<u8> {
        match self {
            Self::RemainingTries(x) => Some(x),
            _ => None,
        }
    }

    /// Whether the status says the referenced PIN or key is blocked
    /// (`6984`, `6983`, or a `63C0` answer).
    pub const fn is_blocked(self) -> bool {
        matches!(
            self,
            Self::ReferenceDataBlocked
                | Self::AuthenticationMethodBlocked
                | Self::RemainingTries(0)
        )
    }

    /// A sentence a person can read, in English.
    pub const fn meaning(self) -> &'static str {
        match self {
            Self::Ok => "normal end",
            Self::MoreData(_) => "more response data available (GET RESPONSE)",
            Self::WrongLe(_) => "wrong Le; re-issue with the length the card indicates",
            Self::RemainingTries(0) => "verification failed; no tries left, the PIN is now blocked",
            Self::RemainingTries(_) => "verification failed or queried; some tries remain",
            Self::VerifyFailedNoCounter => "verification failed (no retry limit)",
            Self::WrongLength => "wrong length (Lc or Le)",
            Self::LogicalChannelNotSupported => "logical channel not supported",
            Self::IncompatibleFileStructure => "command incompatible with the file structure",
            Self::SecurityStatusNotSatisfied => "security status not satisfied: PIN not verified",
            Self::AuthenticationMethodBlocked => "authentication method blocked",
            Self::ReferenceDataBlocked => {
                "PIN blocked after too many wrong tries (reset it at the municipal office)"
            }
            Self::ConditionsNotSatisfied => "conditions of use not satisfied",
            Self::NoCurrentEf => "command not allowed: no current EF",
            Self::IncorrectData => "incorrect data field",
            Self::FunctionNotSupported => "function not supported",
            Self::FileNotFound => "file or application not found",
            Self::RecordNotFound => "record not found",
            Self::IncorrectP1P2 => "incorrect parameters P1-P2",
            Self::DataNotFound => "referenced data not found",
            Self::OffsetOutsideFile => "offset outside the file",
            Self::InsNotSupported => "instruction not supported",
            Self::ClaNotSupported => "class not supported",
            Self::NoPreciseDiagnosis => "no precise diagnosis (card self-check failure)",
            Self::Other(_) => "unrecognised status word",
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X} ({})", self.to_u16(), self.meaning())
    }
}

impl From<u16> for StatusWord {
    fn from(sw: u16) -> Self {
        Self::from_u16(sw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn every_named_status_word_decodes_and_round_trips() {
        let table: &[(u16, StatusWord)] = &[
            (0x9000, StatusWord::Ok),
            (0x6110, StatusWord::MoreData(0x10)),
            (0x6100, StatusWord::MoreData(0)),
            (0x6C20, StatusWord::WrongLe(0x20)),
            (0x63C3, StatusWord::RemainingTries(3)),
            (0x63C0, StatusWord::RemainingTries(0)),
            (0x63CA, StatusWord::RemainingTries(10)),
            (0x6300, StatusWord::VerifyFailedNoCounter),
            (0x6700, StatusWord::WrongLength),
            (0x6881, StatusWord::LogicalChannelNotSupported),
            (0x6981, StatusWord::IncompatibleFileStructure),
            (0x6982, StatusWord::SecurityStatusNotSatisfied),
            (0x6983, StatusWord::AuthenticationMethodBlocked),
            (0x6984, StatusWord::ReferenceDataBlocked),
            (0x6985, StatusWord::ConditionsNotSatisfied),
            (0x6986, StatusWord::NoCurrentEf),
            (0x6A80, StatusWord::IncorrectData),
            (0x6A81, StatusWord::FunctionNotSupported),
            (0x6A82, StatusWord::FileNotFound),
            (0x6A83, StatusWord::RecordNotFound),
            (0x6A86, StatusWord::IncorrectP1P2),
            (0x6A88, StatusWord::DataNotFound),
            (0x6B00, StatusWord::OffsetOutsideFile),
            (0x6D00, StatusWord::InsNotSupported),
            (0x6E00, StatusWord::ClaNotSupported),
            (0x6F00, StatusWord::NoPreciseDiagnosis),
            (0x6283, StatusWord::Other(0x6283)),
            (0x63D1, StatusWord::Other(0x63D1)),
            (0x6B01, StatusWord::Other(0x6B01)),
        ];
        for &(raw, sw) in table {
            assert_eq!(StatusWord::from_u16(raw), sw, "{raw:04X}");
            assert_eq!(sw.to_u16(), raw);
            assert_eq!(sw.to_bytes(), [(raw >> 8) as u8, raw as u8]);
            assert!(!sw.meaning().is_empty());
        }
    }

    #[test]
    fn all_u16_round_trip() {
        for raw in 0..=u16::MAX {
            assert_eq!(StatusWord::from_u16(raw).to_u16(), raw);
        }
    }

    #[test]
    fn helpers() {
        assert!(StatusWord::Ok.is_ok());
        assert_eq!(StatusWord::from_u16(0x63C2).remaining_tries(), Some(2));
        assert_eq!(StatusWord::Ok.remaining_tries(), None);
        assert!(StatusWord::from_u16(0x6984).is_blocked());
        assert!(StatusWord::from_u16(0x6983).is_blocked());
        assert!(StatusWord::from_u16(0x63C0).is_blocked());
        assert!(!StatusWord::from_u16(0x63C1).is_blocked());
        assert_eq!(
            StatusWord::ReferenceDataBlocked.to_string(),
            "6984 (PIN blocked after too many wrong tries (reset it at the municipal office))"
        );
    }
}
