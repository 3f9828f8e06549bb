//! The guidance catalogue: every message every flow shows and speaks, **one row
//! per id** — the reception flows' [`GuidanceId`] and the employer intake's
//! [`IntakeGuidanceId`] alike.
//!
//! A row holds all that is known of one message: the enum variant, its stable
//! string id, the Japanese and English sentences (written to be both shown and
//! read aloud), the kana reading of the Japanese, and what input the flow waits
//! for ([`Awaits`]). The SSML rendering is derived from the Japanese and
//! [`crate::speech::LEXICON`]. Everything else — the enums, `ALL`, `as_str`,
//! `awaits`, the templates — is generated from the rows by `catalogue!`, so an id
//! is spelt once. `{n}` in a text and `{kai}` in a reading stand for the tries
//! left (`残り{n}回`, `のこり{kai}`).
//!
//! ```
//! use mynacard::flows::{Awaits, Guidance, GuidanceId};
//! let g = Guidance::with_tries_left(GuidanceId::CardPinWrong, 2);
//! assert_eq!(g.id().as_str(), "card.pin.wrong");
//! assert_eq!(g.ja(), "暗証番号が違います。残り2回です。");
//! assert_eq!(g.kana(), "あんしょうばんごうがちがいます。のこりにかいです。");
//! assert!(g.ssml().contains("<sub alias=\"あんしょうばんごう\">暗証番号</sub>"));
//! assert_eq!(GuidanceId::CardPinEnter.awaits(), Awaits::Keypad { digits: 4 });
//! ```

use alloc::string::{String, ToString};
use core::fmt;

use super::awaits::{Awaits, Choice};
use super::consent::ConsentItem;

/// One message of the catalogue: everything a screen, a speech engine and a flow
/// need of it.
#[derive(Debug)]
pub(crate) struct Row {
    /// The stable string id, e.g. `card.pin.enter`.
    pub(crate) id: &'static str,
    /// Japanese, to show and to speak; `{n}` is the tries left.
    pub(crate) ja: &'static str,
    /// English, to show and to speak; `{n}` is the tries left.
    pub(crate) en: &'static str,
    /// The kana reading of `ja`; `{kai}` is the reading of "n回".
    pub(crate) kana: &'static str,
    /// What the flow waits for once the message is shown.
    pub(crate) awaits: Awaits,
}

impl Row {
    /// The Japanese text, tries left filled in.
    pub(crate) fn ja(&self, tries_left: Option<u8>) -> String {
        fill(self.ja, tries_left)
    }

    /// The English text, tries left filled in.
    pub(crate) fn en(&self, tries_left: Option<u8>) -> String {
        fill(self.en, tries_left)
    }

    /// The kana reading, tries left filled in.
    pub(crate) fn kana(&self, tries_left: Option<u8>) -> String {
        crate::speech::fill_kana(self.kana, tries_left)
    }

    /// The SSML rendering of the Japanese text.
    pub(crate) fn ssml(&self, tries_left: Option<u8>) -> String {
        crate::speech::own_text_ssml(&self.ja(tries_left))
    }
}

fn fill(template: &str, tries_left: Option<u8>) -> String {
    match tries_left {
        Some(n) => template.replace("{n}", &n.to_string()),
        None => template.replace("{n}", "?"),
    }
}

/// Builds the catalogue from its rows: [`ROWS`] (every row of every catalogue, in
/// order) and, per catalogue, the id enum whose variant `i` is its `i`-th row.
macro_rules! catalogue {
    ($(
        $(#[$enum_doc:meta])*
        enum $Enum:ident {$(
            $(#[$doc:meta])*
            $Variant:ident = $id:literal {
                ja: $ja:literal,
                en: $en:literal,
                kana: $kana:literal,
                awaits: $awaits:expr $(,)?
            }
        )*}
    )*) => {
        /// Every row of every catalogue, in order: the reception flows' rows, then
        /// the intake's. A `static`, so that each row has one address.
        pub(crate) static ROWS: &[Row] = &[$($(
            Row { id: $id, ja: $ja, en: $en, kana: $kana, awaits: $awaits },
        )*)*];

        catalogue!(@enums 0; $(
            [$(#[$enum_doc])*] $Enum [$([$(#[$doc])*] $Variant $id $ja $en)*]
        )*);
    };

    (@enums $first:expr;) => {};
    (@enums $first:expr;
        [$(#[$enum_doc:meta])*] $Enum:ident [$([$(#[$doc:meta])*] $Variant:ident $id:literal $ja:literal $en:literal)*]
        $($rest:tt)*
    ) => {
        $(#[$enum_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $Enum {$(
            #[doc = concat!("`", $id, "`: ")]
            $(#[$doc])*
            #[doc = concat!("\n\n", $ja, " / ", $en)]
            $Variant,
        )*}

        impl $Enum {
            /// Every id, in catalogue order.
            pub const ALL: &'static [$Enum] = &[$(Self::$Variant),*];

            /// Where this catalogue's rows start in [`ROWS`].
            const FIRST_ROW: usize = $first;

            /// This id's row of the catalogue.
            pub(crate) const fn row(self) -> &'static Row {
                &ROWS[Self::FIRST_ROW + self as usize]
            }

            /// The stable string id; it never changes once published.
            pub const fn as_str(self) -> &'static str {
                self.row().id
            }

            /// What this guidance waits for.
            pub const fn awaits(self) -> Awaits {
                self.row().awaits
            }

            /// Japanese text, fit to show and to speak; `{n}` is the tries left.
            pub const fn ja_template(self) -> &'static str {
                self.row().ja
            }

            /// English text, fit to show and to speak; `{n}` is the tries left.
            pub const fn en_template(self) -> &'static str {
                self.row().en
            }

            /// The kana reading of the Japanese text; `{kai}` stands for "n回"
            /// (tries left).
            pub const fn kana_template(self) -> &'static str {
                self.row().kana
            }
        }

        impl fmt::Display for $Enum {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// The string id.
        #[cfg(feature = "serde")]
        impl serde::Serialize for $Enum {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        catalogue!(@enums $first + $Enum::ALL.len(); $($rest)*);
    };
}

catalogue! {
    /// A stable identifier of one guidance message of the reception flows, e.g.
    /// `card.pin.enter`.
    ///
    /// The string form ([`GuidanceId::as_str`]) never changes once published.
    enum GuidanceId {
        /// place the card on the reader.
        CardPlace = "card.place" {
            ja: "マイナンバーカードをカードリーダーに置いてください。",
            en: "Please place your My Number Card on the reader.",
            kana: "マイナンバーカードを、カードリーダーにおいてください。",
            awaits: Awaits::Nothing,
        }
        /// reading; do not move the card.
        CardReading = "card.reading" {
            ja: "読み取り中です。カードを動かさないでください。",
            en: "Reading. Please do not move the card.",
            kana: "よみとりちゅうです。カードをうごかさないでください。",
            awaits: Awaits::Nothing,
        }
        /// choose face recognition or PIN.
        MethodChoose = "method.choose" {
            ja: "本人確認の方法を選んでください。顔認証、または暗証番号です。",
            en: "Please choose how to confirm your identity: face recognition or PIN.",
            kana: "ほんにんかくにんのほうほうをえらんでください。かおにんしょう、またはあんしょうばんごうです。",
            awaits: Awaits::Choice(&[Choice::Face, Choice::Pin]),
        }
        /// type the 4-digit 利用者証明用 PIN.
        CardPinEnter = "card.pin.enter" {
            ja: "利用者証明用の暗証番号、数字4桁を入力してください。",
            en: "Please enter your 4-digit user authentication PIN.",
            kana: "りようしゃしょうめいようのあんしょうばんごう、すうじよんけたをにゅうりょくしてください。",
            awaits: Awaits::Keypad { digits: 4 },
        }
        /// the PIN was wrong; tries left.
        CardPinWrong = "card.pin.wrong" {
            ja: "暗証番号が違います。残り{n}回です。",
            en: "The PIN is incorrect. {n} tries left.",
            kana: "あんしょうばんごうがちがいます。のこり{kai}です。",
            awaits: Awaits::Nothing,
        }
        /// one try left (残り1回); enter anyway?
        CardPinLastTry = "card.pin.last_try" {
            ja: "暗証番号の入力は残り1回です。間違えるとロックされます。入力を続けますか。",
            en: "You have one PIN try left. A wrong PIN will lock the card. Do you want to continue?",
            kana: "あんしょうばんごうのにゅうりょくは、のこりいっかいです。まちがえるとロックされます。にゅうりょくをつづけますか。",
            awaits: Awaits::YesNo,
        }
        /// the PIN is blocked; go to the municipal office.
        CardPinBlocked = "card.pin.blocked" {
            ja: "暗証番号がロックされています。お住まいの市区町村の窓口で解除してください。受付にお声がけください。",
            en: "The PIN is locked. Please have it reset at your municipal office, and speak to the reception staff.",
            kana: "あんしょうばんごうがロックされています。おすまいのしくちょうそんのまどぐちでかいじょしてください。うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// the card (or phone) left the reader.
        CardRemoved = "card.removed" {
            ja: "カードが取り外されました。もう一度はじめからやり直してください。",
            en: "The card was removed. Please start again.",
            kana: "カードがとりはずされました。もういちど、はじめからやりなおしてください。",
            awaits: Awaits::Nothing,
        }
        /// what is on the reader is not a My Number Card or phone.
        CardNotJpki = "card.not_jpki" {
            ja: "マイナンバーカードを読み取れませんでした。受付にお声がけください。",
            en: "The card could not be read as a My Number Card. Please speak to the reception staff.",
            kana: "マイナンバーカードをよみとれませんでした。うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// the card face could not be used to open the face photo.
        FaceScanFailed = "face.scan_failed" {
            ja: "カードの券面を確認できませんでした。暗証番号、または職員による確認を選んでください。",
            en: "The card face could not be confirmed. Please choose PIN or a check by staff.",
            kana: "カードのけんめんをかくにんできませんでした。あんしょうばんごう、またはしょくいんによるかくにんをえらんでください。",
            awaits: Awaits::Choice(&[Choice::Pin, Choice::StaffCheck]),
        }
        /// the card's photo record does not verify to a J-LIS
        /// CV key; no face comparison — staff check the card.
        FacePhotoUnverified = "face.photo_unverified" {
            ja: "カードの顔写真の真正性を確認できませんでした。職員がカードを確認しますので、受付にお声がけください。",
            en: "The photo on this card could not be verified. Staff will check your card; please speak to the reception staff.",
            kana: "カードのかおじゃしんの、しんせいせいをかくにんできませんでした。しょくいんがカードをかくにんしますので、うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// look at the camera.
        FaceLook = "face.look" {
            ja: "カメラの方を向いてください。マスクや帽子は外してください。",
            en: "Please look at the camera. Please remove any mask or hat.",
            kana: "カメラのほうをむいてください。マスクやぼうしは、はずしてください。",
            awaits: Awaits::FaceCapture,
        }
        /// face recognition succeeded.
        FaceMatched = "face.matched" {
            ja: "顔認証が完了しました。",
            en: "Face recognition is complete.",
            kana: "かおにんしょうがかんりょうしました。",
            awaits: Awaits::Nothing,
        }
        /// face recognition failed; choose PIN or staff check.
        FaceMismatch = "face.mismatch" {
            ja: "顔認証ができませんでした。暗証番号、または職員による確認を選んでください。",
            en: "Face recognition did not succeed. Please choose PIN or a check by staff.",
            kana: "かおにんしょうができませんでした。あんしょうばんごう、またはしょくいんによるかくにんをえらんでください。",
            awaits: Awaits::Choice(&[Choice::Pin, Choice::StaffCheck]),
        }
        /// a staff member compares the card photo (目視確認).
        StaffVisualCheck = "staff.visual_check" {
            ja: "職員がカードの顔写真とご本人を確認します。しばらくお待ちください。",
            en: "A staff member will compare you with the photo on the card. Please wait.",
            kana: "しょくいんが、カードのかおじゃしんとごほんにんをかくにんします。しばらくおまちください。",
            awaits: Awaits::StaffConfirmation,
        }
        /// the staff member did not confirm the holder.
        StaffVisualCheckRejected = "staff.visual_check.rejected" {
            ja: "ご本人の確認ができませんでした。受付にお声がけください。",
            en: "Your identity could not be confirmed. Please speak to the reception staff.",
            kana: "ごほんにんのかくにんができませんでした。うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// hold the smartphone to the reader.
        PhoneHold = "phone.hold" {
            ja: "スマートフォンをカードリーダーにかざしてください。iPhoneはFace IDまたはTouch IDで認証してからかざしてください。",
            en: "Please hold your smartphone to the reader. On an iPhone, authenticate with Face ID or Touch ID first.",
            kana: "スマートフォンを、カードリーダーにかざしてください。アイフォーンは、フェイスアイディーまたはタッチアイディーでにんしょうしてから、かざしてください。",
            awaits: Awaits::Nothing,
        }
        /// type the phone's 4-digit auth PIN on the keypad.
        PhoneAndroidPinEnter = "phone.android.pin.enter" {
            ja: "スマホ用電子証明書の利用者証明用暗証番号、数字4桁を入力してください。",
            en: "Please enter the 4-digit authentication PIN of your smartphone certificate.",
            kana: "すまほようでんししょうめいしょの、りようしゃしょうめいようあんしょうばんごう、すうじよんけたをにゅうりょくしてください。",
            awaits: Awaits::Keypad { digits: 4 },
        }
        /// an iPhone (verified on the phone by Face ID / Touch ID)
        /// is being read; keep holding it.
        PhoneIphoneReady = "phone.iphone.ready" {
            ja: "iPhoneを読み取っています。終わるまでカードリーダーにかざしたままにしてください。",
            en: "Reading your iPhone. Please keep holding it to the reader until it is done.",
            kana: "アイフォーンをよみとっています。おわるまで、カードリーダーにかざしたままにしてください。",
            awaits: Awaits::Nothing,
        }
        /// a card was presented where a phone was expected.
        PhoneWrongToken = "phone.wrong_token" {
            ja: "スマートフォンではなくカードが置かれました。カードの受付を選んでください。",
            en: "A card was placed instead of a smartphone. Please choose card reception.",
            kana: "スマートフォンではなく、カードがおかれました。カードのうけつけをえらんでください。",
            awaits: Awaits::Nothing,
        }
        /// consent to share 薬剤情報.
        ConsentMedication = "consent.medication" {
            ja: "過去のお薬の情報を、この医療機関に提供することに同意しますか。",
            en: "Do you agree to share your past medication information with this facility?",
            kana: "かこのおくすりのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。",
            awaits: Awaits::Consent(ConsentItem::Medication),
        }
        /// consent to share 診療情報.
        ConsentClinical = "consent.clinical" {
            ja: "過去の診療の情報を、この医療機関に提供することに同意しますか。",
            en: "Do you agree to share your past clinical information with this facility?",
            kana: "かこのしんりょうのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。",
            awaits: Awaits::Consent(ConsentItem::Clinical),
        }
        /// consent to share 特定健診等情報.
        ConsentCheckup = "consent.checkup" {
            ja: "特定健診などの情報を、この医療機関に提供することに同意しますか。",
            en: "Do you agree to share your health check-up information with this facility?",
            kana: "とくていけんしんなどのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。",
            awaits: Awaits::Consent(ConsentItem::Checkup),
        }
        /// consent to share 限度額 information.
        ConsentLimit = "consent.limit" {
            ja: "限度額の情報を、この医療機関に提供することに同意しますか。",
            en: "Do you agree to share your high-cost medical expense limit information with this facility?",
            kana: "げんどがくのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。",
            awaits: Awaits::Consent(ConsentItem::LimitAmount),
        }
        /// identity confirmed.
        VerifyOk = "verify.ok" {
            ja: "本人確認が完了しました。",
            en: "Your identity has been confirmed.",
            kana: "ほんにんかくにんがかんりょうしました。",
            awaits: Awaits::Nothing,
        }
        /// the certificate is revoked.
        VerifyRevoked = "verify.revoked" {
            ja: "この電子証明書は失効しています。お住まいの市区町村の窓口にお問い合わせください。受付にお声がけください。",
            en: "This certificate has been revoked. Please contact your municipal office, and speak to the reception staff.",
            kana: "このでんししょうめいしょは、しっこうしています。おすまいのしくちょうそんのまどぐちにおといあわせください。うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// the certificate has expired.
        VerifyExpired = "verify.expired" {
            ja: "電子証明書の有効期限が切れています。お住まいの市区町村の窓口で更新してください。受付にお声がけください。",
            en: "This certificate has expired. Please renew it at your municipal office, and speak to the reception staff.",
            kana: "でんししょうめいしょのゆうこうきげんがきれています。おすまいのしくちょうそんのまどぐちで、こうしんしてください。うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// identity could not be confirmed (any other reason).
        VerifyFailed = "verify.failed" {
            ja: "本人確認ができませんでした。受付にお声がけください。",
            en: "Your identity could not be confirmed. Please speak to the reception staff.",
            kana: "ほんにんかくにんができませんでした。うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// confirming by 資格確認書 (記号・番号).
        IdentifiersCheck = "identifiers.check" {
            ja: "資格確認書の記号と番号で、保険の資格を確認します。",
            en: "Confirming your insurance with the symbol and number of your eligibility certificate.",
            kana: "しかくかくにんしょのきごうとばんごうで、ほけんのしかくをかくにんします。",
            awaits: Awaits::Nothing,
        }
        /// reception complete.
        ReceptionDone = "reception.done" {
            ja: "受付が完了しました。カードやスマートフォンなど、お持ち物をお忘れなく。",
            en: "Reception is complete. Please remember your card, phone and documents.",
            kana: "うけつけがかんりょうしました。カードやスマートフォンなど、おもちものをおわすれなく。",
            awaits: Awaits::Nothing,
        }
        /// reception cancelled.
        ReceptionCancelled = "reception.cancelled" {
            ja: "受付を中止しました。受付にお声がけください。",
            en: "Reception was cancelled. Please speak to the reception staff.",
            kana: "うけつけをちゅうししました。うけつけにおこえがけください。",
            awaits: Awaits::Nothing,
        }
    }

    /// A stable identifier of one intake guidance message, e.g.
    /// `employer.kenhojo.pin.enter`. The ids all start with `employer.` so that
    /// logs never confuse the intake's rows with the reception flows'.
    ///
    /// The string form ([`IntakeGuidanceId::as_str`]) never changes once published.
    enum IntakeGuidanceId {
        /// place the card on the reader.
        CardPlace = "employer.card.place" {
            ja: "マイナンバーカードをカードリーダーに置いてください。",
            en: "Please place your My Number Card on the reader.",
            kana: "マイナンバーカードを、カードリーダーにおいてください。",
            awaits: Awaits::Nothing,
        }
        /// hold the card to the back of the phone (NFC).
        CardHoldToPhone = "employer.card.hold_to_phone" {
            ja: "マイナンバーカードをスマートフォンの背面に当て、終わるまで動かさないでください。",
            en: "Please hold your My Number Card to the back of the phone and keep it still until it is done.",
            kana: "マイナンバーカードをスマートフォンのはいめんにあて、おわるまでうごかさないでください。",
            awaits: Awaits::Nothing,
        }
        /// type the 4-digit 券面事項入力補助用暗証番号.
        KenhojoPinEnter = "employer.kenhojo.pin.enter" {
            ja: "券面事項入力補助用の暗証番号、数字4桁を入力してください。",
            en: "Please enter the 4-digit PIN for input support (券面事項入力補助用暗証番号).",
            kana: "けんめんじこうにゅうりょくほじょようのあんしょうばんごう、すうじよんけたをにゅうりょくしてください。",
            awaits: Awaits::Keypad { digits: 4 },
        }
        /// wrong PIN; tries left.
        KenhojoPinWrong = "employer.kenhojo.pin.wrong" {
            ja: "暗証番号が違います。残り{n}回です。",
            en: "The PIN is incorrect. {n} tries left.",
            kana: "あんしょうばんごうがちがいます。のこり{kai}です。",
            awaits: Awaits::Nothing,
        }
        /// one try left; go on?
        KenhojoPinLastTry = "employer.kenhojo.pin.last_try" {
            ja: "暗証番号の入力は残り1回です。間違えるとロックされます。入力を続けますか。",
            en: "You have one PIN try left. A wrong PIN will lock it. Do you want to continue?",
            kana: "あんしょうばんごうのにゅうりょくは、のこりいっかいです。まちがえるとロックされます。にゅうりょくをつづけますか。",
            awaits: Awaits::YesNo,
        }
        /// the PIN is blocked.
        KenhojoPinBlocked = "employer.kenhojo.pin.blocked" {
            ja: "暗証番号がロックされています。お住まいの市区町村の窓口で解除してください。",
            en: "The PIN is locked. Please have it reset at your municipal office.",
            kana: "あんしょうばんごうがロックされています。おすまいのしくちょうそんのまどぐちで、かいじょしてください。",
            awaits: Awaits::Nothing,
        }
        /// 番号確認 done (the records verify to J-LIS).
        NumberChecked = "employer.number.checked" {
            ja: "個人番号と基本4情報を確認しました。",
            en: "Your My Number and basic information have been confirmed.",
            kana: "こじんばんごうと、きほんよんじょうほうをかくにんしました。",
            awaits: Awaits::Nothing,
        }
        /// 番号確認 failed (the records do not verify).
        NumberFailed = "employer.number.failed" {
            ja: "カードの記録を確認できませんでした。個人番号が確認できる別の書類をご用意ください。",
            en: "The card's records could not be confirmed. Please provide another document showing your My Number.",
            kana: "カードのきろくをかくにんできませんでした。こじんばんごうがかくにんできる、べつのしょるいをごよういください。",
            awaits: Awaits::Nothing,
        }
        /// type the 6–16 character 署名用パスワード.
        SignPasswordEnter = "employer.sign.password.enter" {
            ja: "署名用電子証明書のパスワード、英大文字と数字の6文字から16文字を入力してください。",
            en: "Please enter your signature certificate password: 6 to 16 capital letters and digits.",
            kana: "しょめいようでんししょうめいしょのパスワード、えいおおもじとすうじの、ろくもじからじゅうろくもじをにゅうりょくしてください。",
            awaits: Awaits::Password { min: 6, max: 16 },
        }
        /// what was typed is not a valid password
        /// (no try was spent).
        SignPasswordFormat = "employer.sign.password.format" {
            ja: "パスワードは英大文字と数字を両方含む6文字から16文字です。もう一度入力してください。",
            en: "The password has 6 to 16 characters with both capital letters and digits. Please enter it again.",
            kana: "パスワードは、えいおおもじとすうじをりょうほうふくむ、ろくもじからじゅうろくもじです。もういちどにゅうりょくしてください。",
            awaits: Awaits::Password { min: 6, max: 16 },
        }
        /// wrong password; tries left.
        SignPasswordWrong = "employer.sign.password.wrong" {
            ja: "パスワードが違います。残り{n}回です。",
            en: "The password is incorrect. {n} tries left.",
            kana: "パスワードがちがいます。のこり{kai}です。",
            awaits: Awaits::Nothing,
        }
        /// one try left; go on?
        SignPasswordLastTry = "employer.sign.password.last_try" {
            ja: "パスワードの入力は残り1回です。間違えるとロックされます。入力を続けますか。",
            en: "You have one password try left. A wrong password will lock it. Do you want to continue?",
            kana: "パスワードのにゅうりょくは、のこりいっかいです。まちがえるとロックされます。にゅうりょくをつづけますか。",
            awaits: Awaits::YesNo,
        }
        /// the password is blocked.
        SignPasswordBlocked = "employer.sign.password.blocked" {
            ja: "パスワードがロックされています。お住まいの市区町村の窓口で解除してください。",
            en: "The password is locked. Please have it reset at your municipal office.",
            kana: "パスワードがロックされています。おすまいのしくちょうそんのまどぐちで、かいじょしてください。",
            awaits: Awaits::Nothing,
        }
        /// the signature certificate is revoked.
        IdentityRevoked = "employer.identity.revoked" {
            ja: "署名用電子証明書が失効しています。お住まいの市区町村の窓口にお問い合わせください。",
            en: "Your signature certificate has been revoked. Please contact your municipal office.",
            kana: "しょめいようでんししょうめいしょが、しっこうしています。おすまいのしくちょうそんのまどぐちに、おといあわせください。",
            awaits: Awaits::Nothing,
        }
        /// the certificate's attributes differ from the card's.
        IdentityMismatch = "employer.identity.mismatch" {
            ja: "電子証明書とカードの記録が一致しませんでした。担当者にお声がけください。",
            en: "The certificate and the card's records do not match. Please speak to the person in charge.",
            kana: "でんししょうめいしょと、カードのきろくがいっちしませんでした。たんとうしゃにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// 身元確認 failed (any other reason).
        IdentityFailed = "employer.identity.failed" {
            ja: "署名用電子証明書で本人を確認できませんでした。担当者にお声がけください。",
            en: "Your identity could not be confirmed with the signature certificate. Please speak to the person in charge.",
            kana: "しょめいようでんししょうめいしょで、ほんにんをかくにんできませんでした。たんとうしゃにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// a スマホ用電子証明書 cannot give the 個人番号.
        PhoneNeedsCard = "employer.phone.needs_card" {
            ja: "スマホ用電子証明書では個人番号を確認できません。マイナンバーカード、または個人番号が確認できる書類をご用意ください。",
            en: "A smartphone certificate cannot confirm your My Number. Please use your My Number Card or another document showing your My Number.",
            kana: "すまほようでんししょうめいしょでは、こじんばんごうをかくにんできません。マイナンバーカード、またはこじんばんごうがかくにんできるしょるいをごよういください。",
            awaits: Awaits::Nothing,
        }
        /// not a My Number Card.
        CardNotMyNumber = "employer.card.not_mynumber" {
            ja: "マイナンバーカードを読み取れませんでした。担当者にお声がけください。",
            en: "The card could not be read as a My Number Card. Please speak to the person in charge.",
            kana: "マイナンバーカードをよみとれませんでした。たんとうしゃにおこえがけください。",
            awaits: Awaits::Nothing,
        }
        /// the card left the reader.
        CardRemoved = "employer.card.removed" {
            ja: "カードが取り外されました。もう一度はじめからやり直してください。",
            en: "The card was removed. Please start again.",
            kana: "カードがとりはずされました。もういちど、はじめからやりなおしてください。",
            awaits: Awaits::Nothing,
        }
        /// 番号確認 and 身元確認 complete.
        Done = "employer.done" {
            ja: "番号確認と身元確認が完了しました。カードをお取りください。",
            en: "Your My Number and identity have been confirmed. Please take your card.",
            kana: "ばんごうかくにんと、みもとかくにんがかんりょうしました。カードをおとりください。",
            awaits: Awaits::Nothing,
        }
        /// the intake was cancelled.
        Cancelled = "employer.cancelled" {
            ja: "手続きを中止しました。担当者にお声がけください。",
            en: "The procedure was cancelled. Please speak to the person in charge.",
            kana: "てつづきをちゅうししました。たんとうしゃにおこえがけください。",
            awaits: Awaits::Nothing,
        }
    }
}

impl GuidanceId {
    /// The consent guidance for an item.
    pub const fn for_consent(item: ConsentItem) -> Self {
        match item {
            ConsentItem::Medication => Self::ConsentMedication,
            ConsentItem::Clinical => Self::ConsentClinical,
            ConsentItem::Checkup => Self::ConsentCheckup,
            ConsentItem::LimitAmount => Self::ConsentLimit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::is_kana_reading;
    use std::collections::HashSet;

    /// Every row of the table with the catalogue that claims it: `(row, catalogue, id)`.
    fn claimed() -> Vec<(&'static Row, &'static str, &'static str)> {
        let reception = GuidanceId::ALL
            .iter()
            .map(|id| (id.row(), "reception", id.as_str()));
        let intake = IntakeGuidanceId::ALL
            .iter()
            .map(|id| (id.row(), "employer", id.as_str()));
        reception.chain(intake).collect()
    }

    #[test]
    fn every_row_is_complete() {
        for row in ROWS {
            let id = row.id;
            for (column, text) in [("ja", row.ja), ("en", row.en), ("kana", row.kana)] {
                assert!(!text.trim().is_empty(), "{id}: empty {column}");
                assert_eq!(text, text.trim(), "{id}: {column} has outer spaces");
            }
            assert!(row.ja.ends_with('。'), "{id}: ja is not a sentence");
            assert!(row.kana.ends_with('。'), "{id}: kana is not a sentence");
            assert!(
                row.en.ends_with('.') || row.en.ends_with('?'),
                "{id}: en is not a sentence"
            );
            assert!(
                is_kana_reading(&row.kana(Some(2))),
                "{id}: kana is not kana"
            );
            assert!(crate::speech::ssml(row.ja).is_ok(), "{id}: no SSML");
            // A row that mentions the tries left says so in every column.
            let counts = row.ja.contains("{n}");
            assert_eq!(
                row.en.contains("{n}"),
                counts,
                "{id}: en and ja differ on {{n}}"
            );
            assert_eq!(
                row.kana.contains("{kai}"),
                counts,
                "{id}: kana and ja differ"
            );
            // A keypad or password row says how much to type, in text and reading.
            match row.awaits {
                Awaits::Keypad { digits: 4 } => {
                    assert!(row.ja.contains("数字4桁") && row.kana.contains("すうじよんけた"));
                }
                Awaits::Keypad { .. } => panic!("{id}: keypad length without a reading"),
                Awaits::Password { min: 6, max: 16 } => {
                    assert!(row.ja.contains("6文字から16文字"), "{id}");
                    assert!(row.kana.contains("ろくもじからじゅうろくもじ"), "{id}");
                }
                Awaits::Password { .. } => panic!("{id}: password length without a reading"),
                _ => {}
            }
        }
    }

    #[test]
    fn ids_are_unique_across_both_catalogues() {
        let mut seen = HashSet::new();
        for row in ROWS {
            assert!(seen.insert(row.id), "duplicate id {}", row.id);
            assert!(
                row.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "{}",
                row.id
            );
        }
        assert_eq!(seen.len(), ROWS.len());
    }

    #[test]
    fn every_id_round_trips_id_to_variant_to_id() {
        // The lookups stay usable in const context.
        const ID: &str = GuidanceId::CardPinEnter.as_str();
        const AWAITS: Awaits = IntakeGuidanceId::SignPasswordEnter.awaits();
        assert_eq!(ID, "card.pin.enter");
        assert_eq!(AWAITS, Awaits::Password { min: 6, max: 16 });
        for id in GuidanceId::ALL {
            let back = GuidanceId::ALL.iter().find(|v| v.as_str() == id.as_str());
            assert_eq!(back, Some(id));
            let row = ROWS.iter().find(|r| r.id == id.as_str()).unwrap();
            assert!(core::ptr::eq(row, id.row()), "{id}");
        }
        for id in IntakeGuidanceId::ALL {
            let back = IntakeGuidanceId::ALL
                .iter()
                .find(|v| v.as_str() == id.as_str());
            assert_eq!(back, Some(id));
            let row = ROWS.iter().find(|r| r.id == id.as_str()).unwrap();
            assert!(core::ptr::eq(row, id.row()), "{id}");
        }
    }

    #[test]
    fn reception_and_employer_draw_on_the_same_table() {
        // Every row of the one table is claimed by exactly one variant of one
        // catalogue, in table order: the reception's rows, then the intake's.
        let claimed = claimed();
        assert_eq!(claimed.len(), ROWS.len());
        for (i, (row, catalogue, id)) in claimed.iter().enumerate() {
            assert!(
                core::ptr::eq(*row, &ROWS[i]),
                "{catalogue} {id} is not row {i}"
            );
            assert_eq!(row.id, *id);
            assert_eq!(
                id.starts_with("employer."),
                *catalogue == "employer",
                "{id} is in the {catalogue} catalogue"
            );
        }
        assert!(GuidanceId::ALL.len() == 31 && IntakeGuidanceId::ALL.len() == 21);

        // The texts the reception's guidance shows and speaks are the table's (the
        // intake's: `employer::guidance`'s tests).
        for id in GuidanceId::ALL {
            let g = super::super::Guidance::with_tries_left(*id, 3);
            let row = id.row();
            assert_eq!(g.ja(), row.ja(Some(3)));
            assert_eq!(g.en(), row.en(Some(3)));
            assert_eq!(g.kana(), row.kana(Some(3)));
            assert_eq!(g.ssml(), row.ssml(Some(3)));
            assert_eq!(g.awaits(), row.awaits);
        }
    }

    #[test]
    fn each_catalogue_awaits_only_what_its_drivers_answer() {
        // The intake's driver answers nothing, a keypad, a password, yes/no; the
        // reception flows never ask for a password.
        for id in IntakeGuidanceId::ALL {
            assert!(
                matches!(
                    id.awaits(),
                    Awaits::Nothing
                        | Awaits::Keypad { .. }
                        | Awaits::Password { .. }
                        | Awaits::YesNo
                ),
                "{id}"
            );
        }
        for id in GuidanceId::ALL {
            assert!(!matches!(id.awaits(), Awaits::Password { .. }), "{id}");
        }
    }
}
