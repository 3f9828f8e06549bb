//! What the patient sees and hears at every step of a reception flow.
//!
//! Every state of every flow emits a [`Guidance`]: a stable [`GuidanceId`] (for
//! logs, translations and the reader vendor's own screens or recorded voice), a
//! Japanese and an English sentence written to be both shown and read aloud by
//! the next-generation reader's voice guidance, and what input the flow waits for
//! ([`Awaits`]). Lockout warnings (残り1回) and blocked cards have their own ids.

use alloc::string::String;
use alloc::string::ToString;
use core::fmt;

use super::consent::ConsentItem;

/// A stable identifier of one guidance message, e.g. `card.pin.enter`.
///
/// The string form ([`GuidanceId::as_str`]) never changes once published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GuidanceId {
    /// `card.place`: place the card on the reader.
    CardPlace,
    /// `card.reading`: reading; do not move the card.
    CardReading,
    /// `method.choose`: choose face recognition or PIN.
    MethodChoose,
    /// `card.pin.enter`: type the 4-digit 利用者証明用 PIN.
    CardPinEnter,
    /// `card.pin.wrong`: the PIN was wrong; tries left.
    CardPinWrong,
    /// `card.pin.last_try`: one try left (残り1回); enter anyway?
    CardPinLastTry,
    /// `card.pin.blocked`: the PIN is blocked; go to the municipal office.
    CardPinBlocked,
    /// `card.removed`: the card (or phone) left the reader.
    CardRemoved,
    /// `card.not_jpki`: what is on the reader is not a My Number Card or phone.
    CardNotJpki,
    /// `face.scan_failed`: the card face could not be used to open the face photo.
    FaceScanFailed,
    /// `face.photo_unverified`: the card's photo record does not verify to a J-LIS
    /// CV key; no face comparison — staff check the card.
    FacePhotoUnverified,
    /// `face.look`: look at the camera.
    FaceLook,
    /// `face.matched`: face recognition succeeded.
    FaceMatched,
    /// `face.mismatch`: face recognition failed; choose PIN or staff check.
    FaceMismatch,
    /// `staff.visual_check`: a staff member compares the card photo (目視確認).
    StaffVisualCheck,
    /// `staff.visual_check.rejected`: the staff member did not confirm the holder.
    StaffVisualCheckRejected,
    /// `phone.hold`: hold the smartphone to the reader.
    PhoneHold,
    /// `phone.android.pin.enter`: type the phone's 4-digit auth PIN on the keypad.
    PhoneAndroidPinEnter,
    /// `phone.iphone.ready`: an iPhone (verified on the phone by Face ID / Touch ID)
    /// is being read; keep holding it.
    PhoneIphoneReady,
    /// `phone.wrong_token`: a card was presented where a phone was expected.
    PhoneWrongToken,
    /// `consent.medication`: consent to share 薬剤情報.
    ConsentMedication,
    /// `consent.clinical`: consent to share 診療情報.
    ConsentClinical,
    /// `consent.checkup`: consent to share 特定健診等情報.
    ConsentCheckup,
    /// `consent.limit`: consent to share 限度額 information.
    ConsentLimit,
    /// `verify.ok`: identity confirmed.
    VerifyOk,
    /// `verify.revoked`: the certificate is revoked.
    VerifyRevoked,
    /// `verify.expired`: the certificate has expired.
    VerifyExpired,
    /// `verify.failed`: identity could not be confirmed (any other reason).
    VerifyFailed,
    /// `identifiers.check`: confirming by 資格確認書 (記号・番号).
    IdentifiersCheck,
    /// `reception.done`: reception complete.
    ReceptionDone,
    /// `reception.cancelled`: reception cancelled.
    ReceptionCancelled,
}

impl GuidanceId {
    /// Every id, in catalogue order.
    pub const ALL: &'static [GuidanceId] = &[
        Self::CardPlace,
        Self::CardReading,
        Self::MethodChoose,
        Self::CardPinEnter,
        Self::CardPinWrong,
        Self::CardPinLastTry,
        Self::CardPinBlocked,
        Self::CardRemoved,
        Self::CardNotJpki,
        Self::FaceScanFailed,
        Self::FacePhotoUnverified,
        Self::FaceLook,
        Self::FaceMatched,
        Self::FaceMismatch,
        Self::StaffVisualCheck,
        Self::StaffVisualCheckRejected,
        Self::PhoneHold,
        Self::PhoneAndroidPinEnter,
        Self::PhoneIphoneReady,
        Self::PhoneWrongToken,
        Self::ConsentMedication,
        Self::ConsentClinical,
        Self::ConsentCheckup,
        Self::ConsentLimit,
        Self::VerifyOk,
        Self::VerifyRevoked,
        Self::VerifyExpired,
        Self::VerifyFailed,
        Self::IdentifiersCheck,
        Self::ReceptionDone,
        Self::ReceptionCancelled,
    ];

    /// The stable string id.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CardPlace => "card.place",
            Self::CardReading => "card.reading",
            Self::MethodChoose => "method.choose",
            Self::CardPinEnter => "card.pin.enter",
            Self::CardPinWrong => "card.pin.wrong",
            Self::CardPinLastTry => "card.pin.last_try",
            Self::CardPinBlocked => "card.pin.blocked",
            Self::CardRemoved => "card.removed",
            Self::CardNotJpki => "card.not_jpki",
            Self::FaceScanFailed => "face.scan_failed",
            Self::FacePhotoUnverified => "face.photo_unverified",
            Self::FaceLook => "face.look",
            Self::FaceMatched => "face.matched",
            Self::FaceMismatch => "face.mismatch",
            Self::StaffVisualCheck => "staff.visual_check",
            Self::StaffVisualCheckRejected => "staff.visual_check.rejected",
            Self::PhoneHold => "phone.hold",
            Self::PhoneAndroidPinEnter => "phone.android.pin.enter",
            Self::PhoneIphoneReady => "phone.iphone.ready",
            Self::PhoneWrongToken => "phone.wrong_token",
            Self::ConsentMedication => "consent.medication",
            Self::ConsentClinical => "consent.clinical",
            Self::ConsentCheckup => "consent.checkup",
            Self::ConsentLimit => "consent.limit",
            Self::VerifyOk => "verify.ok",
            Self::VerifyRevoked => "verify.revoked",
            Self::VerifyExpired => "verify.expired",
            Self::VerifyFailed => "verify.failed",
            Self::IdentifiersCheck => "identifiers.check",
            Self::ReceptionDone => "reception.done",
            Self::ReceptionCancelled => "reception.cancelled",
        }
    }

    /// The consent guidance for an item.
    pub const fn for_consent(item: ConsentItem) -> Self {
        match item {
            ConsentItem::Medication => Self::ConsentMedication,
            ConsentItem::Clinical => Self::ConsentClinical,
            ConsentItem::Checkup => Self::ConsentCheckup,
            ConsentItem::LimitAmount => Self::ConsentLimit,
        }
    }

    /// What this guidance waits for.
    pub const fn awaits(self) -> Awaits {
        match self {
            Self::MethodChoose => Awaits::Choice(&[Choice::Face, Choice::Pin]),
            Self::CardPinEnter | Self::PhoneAndroidPinEnter => Awaits::Keypad { digits: 4 },
            Self::CardPinLastTry => Awaits::YesNo,
            Self::FaceLook => Awaits::FaceCapture,
            Self::FaceMismatch | Self::FaceScanFailed => {
                Awaits::Choice(&[Choice::Pin, Choice::StaffCheck])
            }
            Self::StaffVisualCheck => Awaits::StaffConfirmation,
            Self::ConsentMedication => Awaits::Consent(ConsentItem::Medication),
            Self::ConsentClinical => Awaits::Consent(ConsentItem::Clinical),
            Self::ConsentCheckup => Awaits::Consent(ConsentItem::Checkup),
            Self::ConsentLimit => Awaits::Consent(ConsentItem::LimitAmount),
            _ => Awaits::Nothing,
        }
    }

    /// Japanese text, fit to show and to speak. `{n}` is replaced by the tries left.
    const fn ja_template(self) -> &'static str {
        match self {
            Self::CardPlace => "マイナンバーカードをカードリーダーに置いてください。",
            Self::CardReading => "読み取り中です。カードを動かさないでください。",
            Self::MethodChoose => "本人確認の方法を選んでください。顔認証、または暗証番号です。",
            Self::CardPinEnter => "利用者証明用の暗証番号、数字4桁を入力してください。",
            Self::CardPinWrong => "暗証番号が違います。残り{n}回です。",
            Self::CardPinLastTry => {
                "暗証番号の入力は残り1回です。間違えるとロックされます。入力を続けますか。"
            }
            Self::CardPinBlocked => {
                "暗証番号がロックされています。お住まいの市区町村の窓口で解除してください。受付にお声がけください。"
            }
            Self::CardRemoved => "カードが取り外されました。もう一度はじめからやり直してください。",
            Self::CardNotJpki => {
                "マイナンバーカードを読み取れませんでした。受付にお声がけください。"
            }
            Self::FaceScanFailed => {
                "カードの券面を確認できませんでした。暗証番号、または職員による確認を選んでください。"
            }
            Self::FacePhotoUnverified => {
                "カードの顔写真の真正性を確認できませんでした。職員がカードを確認しますので、受付にお声がけください。"
            }
            Self::FaceLook => "カメラの方を向いてください。マスクや帽子は外してください。",
            Self::FaceMatched => "顔認証が完了しました。",
            Self::FaceMismatch => {
                "顔認証ができませんでした。暗証番号、または職員による確認を選んでください。"
            }
            Self::StaffVisualCheck => {
                "職員がカードの顔写真とご本人を確認します。しばらくお待ちください。"
            }
            Self::StaffVisualCheckRejected => {
                "ご本人の確認ができませんでした。受付にお声がけください。"
            }
            Self::PhoneHold => {
                "スマートフォンをカードリーダーにかざしてください。iPhoneはFace IDまたはTouch IDで認証してからかざしてください。"
            }
            Self::PhoneAndroidPinEnter => {
                "スマホ用電子証明書の利用者証明用暗証番号、数字4桁を入力してください。"
            }
            Self::PhoneIphoneReady => {
                "iPhoneを読み取っています。終わるまでカードリーダーにかざしたままにしてください。"
            }
            Self::PhoneWrongToken => {
                "スマートフォンではなくカードが置かれました。カードの受付を選んでください。"
            }
            Self::ConsentMedication => {
                "過去のお薬の情報を、この医療機関に提供することに同意しますか。"
            }
            Self::ConsentClinical => {
                "過去の診療の情報を、この医療機関に提供することに同意しますか。"
            }
            Self::ConsentCheckup => {
                "特定健診などの情報を、この医療機関に提供することに同意しますか。"
            }
            Self::ConsentLimit => "限度額の情報を、この医療機関に提供することに同意しますか。",
            Self::VerifyOk => "本人確認が完了しました。",
            Self::VerifyRevoked => {
                "この電子証明書は失効しています。お住まいの市区町村の窓口にお問い合わせください。受付にお声がけください。"
            }
            Self::VerifyExpired => {
                "電子証明書の有効期限が切れています。お住まいの市区町村の窓口で更新してください。受付にお声がけください。"
            }
            Self::VerifyFailed => "本人確認ができませんでした。受付にお声がけください。",
            Self::IdentifiersCheck => "資格確認書の記号と番号で、保険の資格を確認します。",
            Self::ReceptionDone => {
                "受付が完了しました。カードやスマートフォンなど、お持ち物をお忘れなく。"
            }
            Self::ReceptionCancelled => "受付を中止しました。受付にお声がけください。",
        }
    }

    /// English text, fit to show and to speak. `{n}` is replaced by the tries left.
    const fn en_template(self) -> &'static str {
        match self {
            Self::CardPlace => "Please place your My Number Card on the reader.",
            Self::CardReading => "Reading. Please do not move the card.",
            Self::MethodChoose => {
                "Please choose how to confirm your identity: face recognition or PIN."
            }
            Self::CardPinEnter => "Please enter your 4-digit user authentication PIN.",
            Self::CardPinWrong => "The PIN is incorrect. {n} tries left.",
            Self::CardPinLastTry => {
                "You have one PIN try left. A wrong PIN will lock the card. Do you want to continue?"
            }
            Self::CardPinBlocked => {
                "The PIN is locked. Please have it reset at your municipal office, and speak to the reception staff."
            }
            Self::CardRemoved => "The card was removed. Please start again.",
            Self::CardNotJpki => {
                "The card could not be read as a My Number Card. Please speak to the reception staff."
            }
            Self::FaceScanFailed => {
                "The card face could not be confirmed. Please choose PIN or a check by staff."
            }
            Self::FacePhotoUnverified => {
                "The photo on this card could not be verified. Staff will check your card; please speak to the reception staff."
            }
            Self::FaceLook => "Please look at the camera. Please remove any mask or hat.",
            Self::FaceMatched => "Face recognition is complete.",
            Self::FaceMismatch => {
                "Face recognition did not succeed. Please choose PIN or a check by staff."
            }
            Self::StaffVisualCheck => {
                "A staff member will compare you with the photo on the card. Please wait."
            }
            Self::StaffVisualCheckRejected => {
                "Your identity could not be confirmed. Please speak to the reception staff."
            }
            Self::PhoneHold => {
                "Please hold your smartphone to the reader. On an iPhone, authenticate with Face ID or Touch ID first."
            }
            Self::PhoneAndroidPinEnter => {
                "Please enter the 4-digit authentication PIN of your smartphone certificate."
            }
            Self::PhoneIphoneReady => {
                "Reading your iPhone. Please keep holding it to the reader until it is done."
            }
            Self::PhoneWrongToken => {
                "A card was placed instead of a smartphone. Please choose card reception."
            }
            Self::ConsentMedication => {
                "Do you agree to share your past medication information with this facility?"
            }
            Self::ConsentClinical => {
                "Do you agree to share your past clinical information with this facility?"
            }
            Self::ConsentCheckup => {
                "Do you agree to share your health check-up information with this facility?"
            }
            Self::ConsentLimit => {
                "Do you agree to share your high-cost medical expense limit information with this facility?"
            }
            Self::VerifyOk => "Your identity has been confirmed.",
            Self::VerifyRevoked => {
                "This certificate has been revoked. Please contact your municipal office, and speak to the reception staff."
            }
            Self::VerifyExpired => {
                "This certificate has expired. Please renew it at your municipal office, and speak to the reception staff."
            }
            Self::VerifyFailed => {
                "Your identity could not be confirmed. Please speak to the reception staff."
            }
            Self::IdentifiersCheck => {
                "Confirming your insurance with the symbol and number of your eligibility certificate."
            }
            Self::ReceptionDone => {
                "Reception is complete. Please remember your card, phone and documents."
            }
            Self::ReceptionCancelled => {
                "Reception was cancelled. Please speak to the reception staff."
            }
        }
    }
}

impl fmt::Display for GuidanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An option the patient (or staff) can choose (serde: `"face"`, `"pin"`,
/// `"staff_check"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Choice {
    /// Face recognition (顔認証).
    Face,
    /// PIN (暗証番号).
    Pin,
    /// Check by staff (職員による目視確認).
    StaffCheck,
}

impl Choice {
    /// Japanese label, for a button or for speech.
    pub const fn ja(self) -> &'static str {
        match self {
            Self::Face => "顔認証",
            Self::Pin => "暗証番号",
            Self::StaffCheck => "職員による確認",
        }
    }

    /// English label.
    pub const fn en(self) -> &'static str {
        match self {
            Self::Face => "Face recognition",
            Self::Pin => "PIN",
            Self::StaffCheck => "Check by staff",
        }
    }
}

/// What a guidance waits for before the flow can go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Awaits {
    /// Nothing: show or speak it and go on.
    Nothing,
    /// Digits on the reader's numeric keypad.
    Keypad {
        /// How many digits.
        digits: u8,
    },
    /// Yes or no from the patient.
    YesNo,
    /// Yes or no for one consent item.
    Consent(ConsentItem),
    /// One of these options.
    Choice(&'static [Choice]),
    /// The reader's camera: a face-match verdict from the vendor's matcher.
    FaceCapture,
    /// A staff member's yes or no (目視確認).
    StaffConfirmation,
}

#[cfg(feature = "serde")]
impl serde::Serialize for GuidanceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Awaits {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        match self {
            Self::Nothing => m.serialize_entry("kind", "nothing")?,
            Self::Keypad { digits } => {
                m.serialize_entry("kind", "keypad")?;
                m.serialize_entry("digits", digits)?;
            }
            Self::YesNo => m.serialize_entry("kind", "yes_no")?,
            Self::Consent(item) => {
                m.serialize_entry("kind", "consent")?;
                m.serialize_entry("item", item)?;
            }
            Self::Choice(options) => {
                m.serialize_entry("kind", "choice")?;
                m.serialize_entry("options", options)?;
            }
            Self::FaceCapture => m.serialize_entry("kind", "face_capture")?,
            Self::StaffConfirmation => m.serialize_entry("kind", "staff_confirmation")?,
        }
        m.end()
    }
}

/// One guidance message: id, texts, what it waits for. Serializable (feature
/// `serde`) as `{id, tries_left, ja, en, awaits}` for a reader's screen or a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guidance {
    id: GuidanceId,
    tries_left: Option<u8>,
}

impl Guidance {
    /// The guidance for `id`.
    pub const fn new(id: GuidanceId) -> Self {
        Self {
            id,
            tries_left: None,
        }
    }

    /// The guidance for `id` mentioning the tries left (for `card.pin.wrong`).
    pub const fn with_tries_left(id: GuidanceId, tries_left: u8) -> Self {
        Self {
            id,
            tries_left: Some(tries_left),
        }
    }

    /// The stable id.
    pub const fn id(&self) -> GuidanceId {
        self.id
    }

    /// PIN tries left, where the message mentions them.
    pub const fn tries_left(&self) -> Option<u8> {
        self.tries_left
    }

    /// What the flow waits for.
    pub const fn awaits(&self) -> Awaits {
        self.id.awaits()
    }

    /// Japanese text, to show and to speak.
    pub fn ja(&self) -> String {
        self.fill(self.id.ja_template())
    }

    /// English text, to show and to speak.
    pub fn en(&self) -> String {
        self.fill(self.id.en_template())
    }

    fn fill(&self, template: &str) -> String {
        match self.tries_left {
            Some(n) => template.replace("{n}", &n.to_string()),
            None => template.replace("{n}", "?"),
        }
    }
}

impl fmt::Display for Guidance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} / {}", self.id, self.ja(), self.en())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Guidance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Guidance", 5)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("tries_left", &self.tries_left)?;
        st.serialize_field("ja", &self.ja())?;
        st.serialize_field("en", &self.en())?;
        st.serialize_field("awaits", &self.awaits())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_dotted() {
        let mut seen = HashSet::new();
        for id in GuidanceId::ALL {
            let s = id.as_str();
            assert!(seen.insert(s), "duplicate id {s}");
            assert!(s.contains('.'), "{s}");
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_')
            );
        }
        assert_eq!(seen.len(), 31);
    }

    #[test]
    fn every_id_has_both_texts_ending_as_sentences() {
        for id in GuidanceId::ALL {
            let g = Guidance::new(*id);
            let ja = g.ja();
            let en = g.en();
            assert!(ja.ends_with('。'), "{id}: {ja}");
            assert!(en.ends_with('.') || en.ends_with('?'), "{id}: {en}");
            assert!(!ja.contains("{n}") && !en.contains("{n}"));
        }
    }

    #[test]
    fn wrong_pin_mentions_tries_left() {
        let g = Guidance::with_tries_left(GuidanceId::CardPinWrong, 2);
        assert_eq!(g.ja(), "暗証番号が違います。残り2回です。");
        assert_eq!(g.en(), "The PIN is incorrect. 2 tries left.");
        assert_eq!(g.awaits(), Awaits::Nothing);
    }

    #[test]
    fn lockout_and_blocked_have_their_own_ids() {
        assert_eq!(GuidanceId::CardPinLastTry.as_str(), "card.pin.last_try");
        assert!(GuidanceId::CardPinLastTry.ja_template().contains("残り1回"));
        assert_eq!(GuidanceId::CardPinBlocked.as_str(), "card.pin.blocked");
        assert_eq!(GuidanceId::CardPinLastTry.awaits(), Awaits::YesNo);
    }

    #[test]
    fn inputs_awaited() {
        assert_eq!(
            GuidanceId::CardPinEnter.awaits(),
            Awaits::Keypad { digits: 4 }
        );
        assert_eq!(
            GuidanceId::PhoneAndroidPinEnter.awaits(),
            Awaits::Keypad { digits: 4 }
        );
        assert_eq!(
            GuidanceId::ConsentLimit.awaits(),
            Awaits::Consent(ConsentItem::LimitAmount)
        );
        assert_eq!(
            GuidanceId::FaceMismatch.awaits(),
            Awaits::Choice(&[Choice::Pin, Choice::StaffCheck])
        );
        for item in ConsentItem::ALL {
            assert_eq!(
                GuidanceId::for_consent(*item).awaits(),
                Awaits::Consent(*item)
            );
        }
    }
}
