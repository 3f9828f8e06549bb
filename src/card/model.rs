//! The card model, a leaf every other module of `card/` imports: the
//! applications, their key references, the JPKI certificates and keys, and the
//! token kinds. Nothing here imports another `card/` module except the
//! file-id table ([`super::files`], itself a leaf).

use core::fmt;

use super::files::{self, FileId};
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

/// A PIN, password or 照合番号 reference on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum KeyRef {
    /// JPKI 利用者証明用 PIN (EF 0018, 3 tries).
    JpkiAuthPin,
    /// JPKI 署名用パスワード (EF 001B, 5 tries).
    JpkiSignPassword,
    /// 券面事項入力補助用暗証番号 (kenhojo EF 0011, 3 tries).
    KenhojoPin,
    /// 照合番号A in the 券面事項入力補助AP (EF 0014).
    KenhojoNumberA,
    /// 照合番号B in the 券面事項入力補助AP (EF 0015).
    KenhojoNumberB,
    /// 照合番号A in the 券面事項確認AP (EF 0013).
    KenkakuNumberA,
    /// 照合番号B in the 券面事項確認AP (EF 0012).
    KenkakuNumberB,
    /// The 券面事項確認AP birth-date key (EF 0011).
    KenkakuBirthDate,
}

impl KeyRef {
    /// The application holding the reference.
    pub const fn application(self) -> Application {
        match self {
            Self::JpkiAuthPin | Self::JpkiSignPassword => Application::Jpki,
            Self::KenhojoPin | Self::KenhojoNumberA | Self::KenhojoNumberB => Application::Kenhojo,
            Self::KenkakuNumberA | Self::KenkakuNumberB | Self::KenkakuBirthDate => {
                Application::Kenkaku
            }
        }
    }

    /// The key EF.
    pub const fn file(self) -> FileId {
        match self {
            Self::JpkiAuthPin => files::jpki::AUTH_PIN,
            Self::JpkiSignPassword => files::jpki::SIGN_PASSWORD,
            Self::KenhojoPin => files::kenhojo::PIN,
            Self::KenhojoNumberA => files::kenhojo::NUMBER_A,
            Self::KenhojoNumberB => files::kenhojo::NUMBER_B,
            Self::KenkakuNumberA => files::kenkaku::NUMBER_A,
            Self::KenkakuNumberB => files::kenkaku::NUMBER_B,
            Self::KenkakuBirthDate => files::kenkaku::BIRTH_DATE_KEY,
        }
    }

    /// `P2` addressing the key by SFI: `80 | SFI`.
    pub const fn p2(self) -> u8 {
        0x80 | self.file().sfi()
    }

    /// The retry limit documented for this reference, when one is documented
    /// (the 照合番号 and birth-date key limits are unknown ⚠).
    pub const fn documented_max_tries(self) -> Option<u8> {
        match self {
            Self::JpkiAuthPin | Self::KenhojoPin => Some(3),
            Self::JpkiSignPassword => Some(5),
            _ => None,
        }
    }

    /// `00 20 00 <80|SFI>`, case 1 (exactly 4 bytes: a trailing Le makes a real
    /// card answer `6700`): asks for the remaining tries without spending one.
    pub fn query_command(self) -> Command {
        Command::new(0x00, 0x20, 0x00, self.p2())
    }
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::JpkiAuthPin => "利用者証明用暗証番号 (JPKI auth PIN)",
            Self::JpkiSignPassword => "署名用パスワード (JPKI sign password)",
            Self::KenhojoPin => "券面事項入力補助用暗証番号",
            Self::KenhojoNumberA | Self::KenkakuNumberA => "照合番号A",
            Self::KenhojoNumberB | Self::KenkakuNumberB => "照合番号B",
            Self::KenkakuBirthDate => "生年月日 (birth-date key)",
        })
    }
}

/// What kind of device answers as the JPKI AP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    /// A physical My Number Card (`JPKIAPICCTOKEN2`).
    Card,
    /// An old 住民基本台帳カード carrying JPKI (`JPKIAPICCTOKEN`).
    JukiCard,
    /// An Android phone's secure element (`JPKIAPGPSETOKEN`): the auth certificate
    /// needs the auth PIN.
    Android,
    /// An iPhone (`JPKIAPIOSTOKEN`): the holder is verified on the phone (no
    /// VERIFY); the transaction ends with `80 FC 00 00`.
    Iphone,
    /// A label this library does not know.
    Unknown,
}

impl TokenKind {
    /// The kind named by a token label.
    pub fn from_label(label: &str) -> Self {
        match label {
            "JPKIAPICCTOKEN2" => Self::Card,
            "JPKIAPICCTOKEN" => Self::JukiCard,
            "JPKIAPGPSETOKEN" => Self::Android,
            "JPKIAPIOSTOKEN" => Self::Iphone,
            _ => Self::Unknown,
        }
    }

    /// Whether reading the auth certificate needs the auth PIN first.
    pub fn auth_cert_needs_pin(self) -> bool {
        matches!(self, Self::Android)
    }

    /// Whether the holder is verified on the device instead of by VERIFY.
    pub fn verifies_on_device(self) -> bool {
        matches!(self, Self::Iphone)
    }

    /// A stable plain-string form (`"card"`, `"juki_card"`, `"android"`, `"iphone"`,
    /// `"unknown"`), also its `Display`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Card => "card",
            Self::JukiCard => "juki_card",
            Self::Android => "android",
            Self::Iphone => "iphone",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The four certificates of the JPKI AP (`pki::CertificateKind` is another thing:
/// what a validated certificate's policy says it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JpkiCertificateKind {
    /// 利用者証明用証明書 (EF 000A): free on a physical card, needs the auth PIN
    /// on an Android token.
    Auth,
    /// 利用者証明用CA証明書 (EF 000B).
    AuthCa,
    /// 署名用証明書 (EF 0001): needs the sign password. Carries name, address,
    /// birth date and sex.
    Sign,
    /// 署名用CA証明書 (EF 0002).
    SignCa,
}

impl JpkiCertificateKind {
    /// The EF.
    pub const fn file(self) -> FileId {
        match self {
            Self::Auth => files::jpki::AUTH_CERT,
            Self::AuthCa => files::jpki::AUTH_CA_CERT,
            Self::Sign => files::jpki::SIGN_CERT,
            Self::SignCa => files::jpki::SIGN_CA_CERT,
        }
    }

    /// Name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Auth => "JPKI EF 000A (auth certificate)",
            Self::AuthCa => "JPKI EF 000B (auth CA certificate)",
            Self::Sign => "JPKI EF 0001 (sign certificate)",
            Self::SignCa => "JPKI EF 0002 (sign CA certificate)",
        }
    }
}

/// A JPKI private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JpkiKey {
    /// 利用者証明用秘密鍵 (EF 0017), opened by the auth PIN.
    Auth,
    /// 署名用秘密鍵 (EF 001A), opened by the sign password.
    Sign,
}

impl JpkiKey {
    /// The key EF.
    pub const fn file(self) -> FileId {
        match self {
            Self::Auth => files::jpki::AUTH_KEY,
            Self::Sign => files::jpki::SIGN_KEY,
        }
    }

    /// The PIN that opens it.
    pub const fn pin(self) -> KeyRef {
        match self {
            Self::Auth => KeyRef::JpkiAuthPin,
            Self::Sign => KeyRef::JpkiSignPassword,
        }
    }

    /// The certificate of its public half.
    pub const fn certificate(self) -> JpkiCertificateKind {
        match self {
            Self::Auth => JpkiCertificateKind::Auth,
            Self::Sign => JpkiCertificateKind::Sign,
        }
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
