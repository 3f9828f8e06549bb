//! Elementary files of each application (card-apdu.md §3).

use crate::apdu::Command;

/// A 2-byte file identifier. All the card's EFs are `0001`–`001E`, so each also
/// has a short file identifier (its low 5 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId(pub u16);

impl FileId {
    /// The short file identifier (1–30).
    pub const fn sfi(self) -> u8 {
        (self.0 & 0x1F) as u8
    }

    /// `00 A4 02 0C 02 <FID>`: select the EF under the current DF (case 3).
    pub fn select(self) -> Command {
        Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(self.0.to_be_bytes())
    }
}

/// JPKI AP files.
pub mod jpki {
    use super::FileId;
    /// 署名用証明書 (needs the sign password).
    pub const SIGN_CERT: FileId = FileId(0x0001);
    /// 署名用CA証明書.
    pub const SIGN_CA_CERT: FileId = FileId(0x0002);
    /// Token info (`CK_TOKEN_INFO`, 160 bytes).
    pub const TOKEN_INFO: FileId = FileId(0x0006);
    /// Certificate availability (3 bytes).
    pub const CERT_AVAILABILITY: FileId = FileId(0x0008);
    /// 利用者証明用証明書 (free on a physical card).
    pub const AUTH_CERT: FileId = FileId(0x000A);
    /// 利用者証明用CA証明書.
    pub const AUTH_CA_CERT: FileId = FileId(0x000B);
    /// 利用者証明用秘密鍵.
    pub const AUTH_KEY: FileId = FileId(0x0017);
    /// 利用者証明用 PIN (4 digits).
    pub const AUTH_PIN: FileId = FileId(0x0018);
    /// 署名用秘密鍵.
    pub const SIGN_KEY: FileId = FileId(0x001A);
    /// 署名用パスワード.
    pub const SIGN_PASSWORD: FileId = FileId(0x001B);
}

/// 券面事項入力補助AP files.
pub mod kenhojo {
    use super::FileId;
    /// 個人番号 (`FF 10`), 17 bytes including 2 filler bytes.
    pub const MY_NUMBER: FileId = FileId(0x0001);
    /// 基本4情報 (`FF 20`).
    pub const BASIC_FOUR: FileId = FileId(0x0002);
    /// Integrity record (`FF 30`).
    pub const INTEGRITY: FileId = FileId(0x0003);
    /// This AP's card-verifiable certificate (`7F 21`).
    pub const CV_CERT: FileId = FileId(0x0004);
    /// 券面事項入力補助用暗証番号 (4 digits).
    pub const PIN: FileId = FileId(0x0011);
    /// 照合番号A.
    pub const NUMBER_A: FileId = FileId(0x0014);
    /// 照合番号B.
    pub const NUMBER_B: FileId = FileId(0x0015);
}

/// 券面事項確認AP files.
pub mod kenkaku {
    use super::FileId;
    /// Card face (`FF 20`).
    pub const FACE: FileId = FileId(0x0002);
    /// This AP's card-verifiable certificate (`7F 21`).
    pub const CV_CERT: FileId = FileId(0x0004);
    /// Birth-date key (和暦 YYMMDD).
    pub const BIRTH_DATE_KEY: FileId = FileId(0x0011);
    /// 照合番号B.
    pub const NUMBER_B: FileId = FileId(0x0012);
    /// 照合番号A.
    pub const NUMBER_A: FileId = FileId(0x0013);
}
