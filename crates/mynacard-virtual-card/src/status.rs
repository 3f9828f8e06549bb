//! The status words the virtual card answers, as plain numbers (the card does not
//! use the host-side `StatusWord` type).

/// A status word SW1 SW2 produced by the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sw(pub u16);

impl Sw {
    /// `9000` normal end.
    pub const OK: Sw = Sw(0x9000);
    /// `6700` wrong length.
    pub const WRONG_LENGTH: Sw = Sw(0x6700);
    /// `6881` logical channel not supported.
    pub const LOGICAL_CHANNEL_NOT_SUPPORTED: Sw = Sw(0x6881);
    /// `6882` secure messaging not supported.
    pub const SECURE_MESSAGING_NOT_SUPPORTED: Sw = Sw(0x6882);
    /// `6981` command incompatible with file structure.
    pub const INCOMPATIBLE_FILE: Sw = Sw(0x6981);
    /// `6982` security status not satisfied.
    pub const SECURITY_NOT_SATISFIED: Sw = Sw(0x6982);
    /// `6983` authentication method blocked (ISO wording; optional blocked answer).
    pub const AUTH_METHOD_BLOCKED: Sw = Sw(0x6983);
    /// `6984` referenced data blocked (the card's blocked-PIN answer).
    pub const REFERENCE_DATA_BLOCKED: Sw = Sw(0x6984);
    /// `6985` conditions of use not satisfied.
    pub const CONDITIONS_NOT_SATISFIED: Sw = Sw(0x6985);
    /// `6986` command not allowed (no current EF).
    pub const NO_CURRENT_EF: Sw = Sw(0x6986);
    /// `6A82` file not found.
    pub const FILE_NOT_FOUND: Sw = Sw(0x6A82);
    /// `6A80` incorrect data field.
    pub const INCORRECT_DATA: Sw = Sw(0x6A80);
    /// `6A81` function not supported (multi-record READ RECORD).
    pub const FUNCTION_NOT_SUPPORTED: Sw = Sw(0x6A81);
    /// `6A83` record not found.
    pub const RECORD_NOT_FOUND: Sw = Sw(0x6A83);
    /// `6A88` referenced data not found (GET DATA of an absent object).
    pub const REFERENCED_DATA_NOT_FOUND: Sw = Sw(0x6A88);
    /// `66F1` security environment faulty (SET SESSION KEY where no key delivery is
    /// configured).
    pub const SECURITY_ENVIRONMENT_FAULTY: Sw = Sw(0x66F1);
    /// `69FC` no secure-messaging session.
    pub const NO_SM_SESSION: Sw = Sw(0x69FC);
    /// `6A86` incorrect P1-P2.
    pub const INCORRECT_P1P2: Sw = Sw(0x6A86);
    /// `6B00` offset outside the EF.
    pub const OFFSET_OUTSIDE_FILE: Sw = Sw(0x6B00);
    /// `6F00` no precise diagnosis (the first command after power-up, by option).
    pub const NO_PRECISE_DIAGNOSIS: Sw = Sw(0x6F00);
    /// `6D00` instruction not supported.
    pub const INS_NOT_SUPPORTED: Sw = Sw(0x6D00);
    /// `6E00` class not supported.
    pub const CLA_NOT_SUPPORTED: Sw = Sw(0x6E00);

    /// `63Cx`: `x` tries remain (shown up to 15).
    pub const fn remaining(tries: u8) -> Sw {
        let x = if tries > 0x0F { 0x0F } else { tries };
        Sw(0x63C0 | x as u16)
    }

    /// SW1 SW2 as two bytes.
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }
}

impl core::fmt::Display for Sw {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:04X}", self.0)
    }
}

impl From<super::options::BlockedStatus> for Sw {
    /// The status word a blocked key reference is answered with.
    fn from(status: super::options::BlockedStatus) -> Self {
        match status {
            super::options::BlockedStatus::Sw6984 => Sw::REFERENCE_DATA_BLOCKED,
            super::options::BlockedStatus::Sw6983 => Sw::AUTH_METHOD_BLOCKED,
        }
    }
}
