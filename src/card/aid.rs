//! The card's applications (DF names) and the SELECT that enters them.

use crate::apdu::Command;

/// An application on the My Number Card (or a phone's JPKI token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Application {
    /// 公的個人認証AP (JPKI): certificates, PINs, signing keys.
    Jpki,
    /// 券面事項入力補助AP (kenhojo): basic 4 attributes and the 個人番号 as text.
    Kenhojo,
    /// 券面事項確認AP (kenkaku): the card face as images.
    Kenkaku,
}

impl Application {
    /// The 10-byte DF name.
    pub const fn aid(self) -> [u8; 10] {
        match self {
            Self::Jpki => [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01],
            Self::Kenhojo => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08],
            Self::Kenkaku => [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02],
        }
    }

    /// Name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Jpki => "JPKI AP",
            Self::Kenhojo => "券面事項入力補助AP",
            Self::Kenkaku => "券面事項確認AP",
        }
    }

    /// `00 A4 04 0C 0A <AID>`: select by DF name, no FCI (case 3, no Le).
    pub fn select(self) -> Command {
        Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(self.aid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apdu::LengthForm;

    #[test]
    fn select_bytes() {
        assert_eq!(
            Application::Jpki
                .select()
                .encode(LengthForm::Short)
                .unwrap(),
            [
                0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00,
                0x01
            ]
        );
        assert_eq!(Application::Kenkaku.aid()[9], 0x02);
        assert_eq!(Application::Kenhojo.aid()[9], 0x08);
    }
}
