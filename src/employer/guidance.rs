//! What the new hire sees and hears at every step of the intake.
//!
//! The same shape as the clinic guidance ([`crate::flows::guidance`]): a stable
//! id, Japanese and English sentences fit to show and to speak, the kana reading
//! and SSML rendering ([`crate::speech`]), and what the flow waits for. The ids
//! all start with `employer.` so that logs never confuse the two catalogues.

use alloc::string::String;
use alloc::string::ToString;
use core::fmt;

/// A stable identifier of one intake guidance message, e.g. `employer.kenhojo.pin.enter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IntakeGuidanceId {
    /// `employer.card.place`: place the card on the reader.
    CardPlace,
    /// `employer.card.hold_to_phone`: hold the card to the back of the phone (NFC).
    CardHoldToPhone,
    /// `employer.kenhojo.pin.enter`: type the 4-digit 券面事項入力補助用暗証番号.
    KenhojoPinEnter,
    /// `employer.kenhojo.pin.wrong`: wrong PIN; tries left.
    KenhojoPinWrong,
    /// `employer.kenhojo.pin.last_try`: one try left; go on?
    KenhojoPinLastTry,
    /// `employer.kenhojo.pin.blocked`: the PIN is blocked.
    KenhojoPinBlocked,
    /// `employer.number.checked`: 番号確認 done (the records verify to J-LIS).
    NumberChecked,
    /// `employer.number.failed`: 番号確認 failed (the records do not verify).
    NumberFailed,
    /// `employer.sign.password.enter`: type the 6–16 character 署名用パスワード.
    SignPasswordEnter,
    /// `employer.sign.password.format`: what was typed is not a valid password
    /// (no try was spent).
    SignPasswordFormat,
    /// `employer.sign.password.wrong`: wrong password; tries left.
    SignPasswordWrong,
    /// `employer.sign.password.last_try`: one try left; go on?
    SignPasswordLastTry,
    /// `employer.sign.password.blocked`: the password is blocked.
    SignPasswordBlocked,
    /// `employer.identity.revoked`: the signature certificate is revoked.
    IdentityRevoked,
    /// `employer.identity.mismatch`: the certificate's attributes differ from the card's.
    IdentityMismatch,
    /// `employer.identity.failed`: 身元確認 failed (any other reason).
    IdentityFailed,
    /// `employer.phone.needs_card`: a スマホ用電子証明書 cannot give the 個人番号.
    PhoneNeedsCard,
    /// `employer.card.not_mynumber`: not a My Number Card.
    CardNotMyNumber,
    /// `employer.card.removed`: the card left the reader.
    CardRemoved,
    /// `employer.done`: 番号確認 and 身元確認 complete.
    Done,
    /// `employer.cancelled`: the intake was cancelled.
    Cancelled,
}

/// What an intake guidance waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntakeAwaits {
    /// Nothing: show or speak it, then resume with `Input::Continue`.
    Nothing,
    /// Digits on a numeric keypad (`Input::Digits`, or `Input::PinPad` from a
    /// reader that collected them).
    Keypad {
        /// How many digits.
        digits: u8,
    },
    /// A password on a full keyboard (`Input::Digits` carries the characters).
    Password {
        /// Fewest characters.
        min: u8,
        /// Most characters.
        max: u8,
    },
    /// Yes or no (`Input::YesNo`).
    YesNo,
}

impl IntakeGuidanceId {
    /// Every id, in catalogue order.
    pub const ALL: &'static [IntakeGuidanceId] = &[
        Self::CardPlace,
        Self::CardHoldToPhone,
        Self::KenhojoPinEnter,
        Self::KenhojoPinWrong,
        Self::KenhojoPinLastTry,
        Self::KenhojoPinBlocked,
        Self::NumberChecked,
        Self::NumberFailed,
        Self::SignPasswordEnter,
        Self::SignPasswordFormat,
        Self::SignPasswordWrong,
        Self::SignPasswordLastTry,
        Self::SignPasswordBlocked,
        Self::IdentityRevoked,
        Self::IdentityMismatch,
        Self::IdentityFailed,
        Self::PhoneNeedsCard,
        Self::CardNotMyNumber,
        Self::CardRemoved,
        Self::Done,
        Self::Cancelled,
    ];

    /// The stable string id.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CardPlace => "employer.card.place",
            Self::CardHoldToPhone => "employer.card.hold_to_phone",
            Self::KenhojoPinEnter => "employer.kenhojo.pin.enter",
            Self::KenhojoPinWrong => "employer.kenhojo.pin.wrong",
            Self::KenhojoPinLastTry => "employer.kenhojo.pin.last_try",
            Self::KenhojoPinBlocked => "employer.kenhojo.pin.blocked",
            Self::NumberChecked => "employer.number.checked",
            Self::NumberFailed => "employer.number.failed",
            Self::SignPasswordEnter => "employer.sign.password.enter",
            Self::SignPasswordFormat => "employer.sign.password.format",
            Self::SignPasswordWrong => "employer.sign.password.wrong",
            Self::SignPasswordLastTry => "employer.sign.password.last_try",
            Self::SignPasswordBlocked => "employer.sign.password.blocked",
            Self::IdentityRevoked => "employer.identity.revoked",
            Self::IdentityMismatch => "employer.identity.mismatch",
            Self::IdentityFailed => "employer.identity.failed",
            Self::PhoneNeedsCard => "employer.phone.needs_card",
            Self::CardNotMyNumber => "employer.card.not_mynumber",
            Self::CardRemoved => "employer.card.removed",
            Self::Done => "employer.done",
            Self::Cancelled => "employer.cancelled",
        }
    }

    /// What this guidance waits for.
    pub const fn awaits(self) -> IntakeAwaits {
        match self {
            Self::KenhojoPinEnter => IntakeAwaits::Keypad { digits: 4 },
            Self::SignPasswordEnter | Self::SignPasswordFormat => {
                IntakeAwaits::Password { min: 6, max: 16 }
            }
            Self::KenhojoPinLastTry | Self::SignPasswordLastTry => IntakeAwaits::YesNo,
            _ => IntakeAwaits::Nothing,
        }
    }

    /// Japanese text; `{n}` is the tries left.
    pub const fn ja_template(self) -> &'static str {
        match self {
            Self::CardPlace => "マイナンバーカードをカードリーダーに置いてください。",
            Self::CardHoldToPhone => {
                "マイナンバーカードをスマートフォンの背面に当て、終わるまで動かさないでください。"
            }
            Self::KenhojoPinEnter => "券面事項入力補助用の暗証番号、数字4桁を入力してください。",
            Self::KenhojoPinWrong => "暗証番号が違います。残り{n}回です。",
            Self::KenhojoPinLastTry => {
                "暗証番号の入力は残り1回です。間違えるとロックされます。入力を続けますか。"
            }
            Self::KenhojoPinBlocked => {
                "暗証番号がロックされています。お住まいの市区町村の窓口で解除してください。"
            }
            Self::NumberChecked => "個人番号と基本4情報を確認しました。",
            Self::NumberFailed => {
                "カードの記録を確認できませんでした。個人番号が確認できる別の書類をご用意ください。"
            }
            Self::SignPasswordEnter => {
                "署名用電子証明書のパスワード、英大文字と数字の6文字から16文字を入力してください。"
            }
            Self::SignPasswordFormat => {
                "パスワードは英大文字と数字を両方含む6文字から16文字です。もう一度入力してください。"
            }
            Self::SignPasswordWrong => "パスワードが違います。残り{n}回です。",
            Self::SignPasswordLastTry => {
                "パスワードの入力は残り1回です。間違えるとロックされます。入力を続けますか。"
            }
            Self::SignPasswordBlocked => {
                "パスワードがロックされています。お住まいの市区町村の窓口で解除してください。"
            }
            Self::IdentityRevoked => {
                "署名用電子証明書が失効しています。お住まいの市区町村の窓口にお問い合わせください。"
            }
            Self::IdentityMismatch => {
                "電子証明書とカードの記録が一致しませんでした。担当者にお声がけください。"
            }
            Self::IdentityFailed => {
                "署名用電子証明書で本人を確認できませんでした。担当者にお声がけください。"
            }
            Self::PhoneNeedsCard => {
                "スマホ用電子証明書では個人番号を確認できません。マイナンバーカード、または個人番号が確認できる書類をご用意ください。"
            }
            Self::CardNotMyNumber => {
                "マイナンバーカードを読み取れませんでした。担当者にお声がけください。"
            }
            Self::CardRemoved => "カードが取り外されました。もう一度はじめからやり直してください。",
            Self::Done => "番号確認と身元確認が完了しました。カードをお取りください。",
            Self::Cancelled => "手続きを中止しました。担当者にお声がけください。",
        }
    }

    /// English text; `{n}` is the tries left.
    pub const fn en_template(self) -> &'static str {
        match self {
            Self::CardPlace => "Please place your My Number Card on the reader.",
            Self::CardHoldToPhone => {
                "Please hold your My Number Card to the back of the phone and keep it still until it is done."
            }
            Self::KenhojoPinEnter => {
                "Please enter the 4-digit PIN for input support (券面事項入力補助用暗証番号)."
            }
            Self::KenhojoPinWrong => "The PIN is incorrect. {n} tries left.",
            Self::KenhojoPinLastTry => {
                "You have one PIN try left. A wrong PIN will lock it. Do you want to continue?"
            }
            Self::KenhojoPinBlocked => {
                "The PIN is locked. Please have it reset at your municipal office."
            }
            Self::NumberChecked => "Your My Number and basic information have been confirmed.",
            Self::NumberFailed => {
                "The card's records could not be confirmed. Please provide another document showing your My Number."
            }
            Self::SignPasswordEnter => {
                "Please enter your signature certificate password: 6 to 16 capital letters and digits."
            }
            Self::SignPasswordFormat => {
                "The password has 6 to 16 characters with both capital letters and digits. Please enter it again."
            }
            Self::SignPasswordWrong => "The password is incorrect. {n} tries left.",
            Self::SignPasswordLastTry => {
                "You have one password try left. A wrong password will lock it. Do you want to continue?"
            }
            Self::SignPasswordBlocked => {
                "The password is locked. Please have it reset at your municipal office."
            }
            Self::IdentityRevoked => {
                "Your signature certificate has been revoked. Please contact your municipal office."
            }
            Self::IdentityMismatch => {
                "The certificate and the card's records do not match. Please speak to the person in charge."
            }
            Self::IdentityFailed => {
                "Your identity could not be confirmed with the signature certificate. Please speak to the person in charge."
            }
            Self::PhoneNeedsCard => {
                "A smartphone certificate cannot confirm your My Number. Please use your My Number Card or another document showing your My Number."
            }
            Self::CardNotMyNumber => {
                "The card could not be read as a My Number Card. Please speak to the person in charge."
            }
            Self::CardRemoved => "The card was removed. Please start again.",
            Self::Done => "Your My Number and identity have been confirmed. Please take your card.",
            Self::Cancelled => "The procedure was cancelled. Please speak to the person in charge.",
        }
    }
}

impl fmt::Display for IntakeGuidanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One intake guidance message: id, texts, readings, what it waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntakeGuidance {
    id: IntakeGuidanceId,
    tries_left: Option<u8>,
}

impl IntakeGuidance {
    /// The guidance for `id`.
    pub const fn new(id: IntakeGuidanceId) -> Self {
        Self {
            id,
            tries_left: None,
        }
    }

    /// The guidance for `id` mentioning the tries left.
    pub const fn with_tries_left(id: IntakeGuidanceId, tries_left: u8) -> Self {
        Self {
            id,
            tries_left: Some(tries_left),
        }
    }

    /// The stable id.
    pub const fn id(&self) -> IntakeGuidanceId {
        self.id
    }

    /// Tries left, where the message mentions them.
    pub const fn tries_left(&self) -> Option<u8> {
        self.tries_left
    }

    /// What the flow waits for.
    pub const fn awaits(&self) -> IntakeAwaits {
        self.id.awaits()
    }

    /// Japanese text, to show.
    pub fn ja(&self) -> String {
        self.fill(self.id.ja_template())
    }

    /// English text, to show and to speak.
    pub fn en(&self) -> String {
        self.fill(self.id.en_template())
    }

    /// The kana reading of [`IntakeGuidance::ja`], to speak.
    pub fn kana(&self) -> String {
        crate::speech::fill_kana(self.id.kana_template(), self.tries_left)
    }

    /// The SSML rendering of [`IntakeGuidance::ja`].
    pub fn ssml(&self) -> String {
        crate::speech::own_text_ssml(&self.ja())
    }

    fn fill(&self, template: &str) -> String {
        match self.tries_left {
            Some(n) => template.replace("{n}", &n.to_string()),
            None => template.replace("{n}", "?"),
        }
    }
}

impl fmt::Display for IntakeGuidance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} / {}", self.id, self.ja(), self.en())
    }
}
