//! The reading of every clinic guidance: its kana and its SSML rendering (see
//! [`crate::speech`]). Kept apart from the texts in `guidance.rs` so that the
//! catalogue and its readings can be edited independently; a test checks that
//! every [`GuidanceId`] has a reading.
//!
//! ```
//! use mynacard::flows::{Guidance, GuidanceId};
//! let g = Guidance::with_tries_left(GuidanceId::CardPinWrong, 2);
//! assert_eq!(g.kana(), "あんしょうばんごうがちがいます。のこりにかいです。");
//! assert!(g.ssml().contains("<sub alias=\"あんしょうばんごう\">暗証番号</sub>"));
//! ```

use super::guidance::{Guidance, GuidanceId};
use alloc::string::String;

impl GuidanceId {
    /// The kana reading of the Japanese text; `{kai}` stands for "n回" (tries left).
    pub const fn kana_template(self) -> &'static str {
        match self {
            Self::CardPlace => "マイナンバーカードを、カードリーダーにおいてください。",
            Self::CardReading => "よみとりちゅうです。カードをうごかさないでください。",
            Self::MethodChoose => {
                "ほんにんかくにんのほうほうをえらんでください。かおにんしょう、またはあんしょうばんごうです。"
            }
            Self::CardPinEnter => {
                "りようしゃしょうめいようのあんしょうばんごう、すうじよんけたをにゅうりょくしてください。"
            }
            Self::CardPinWrong => "あんしょうばんごうがちがいます。のこり{kai}です。",
            Self::CardPinLastTry => {
                "あんしょうばんごうのにゅうりょくは、のこりいっかいです。まちがえるとロックされます。にゅうりょくをつづけますか。"
            }
            Self::CardPinBlocked => {
                "あんしょうばんごうがロックされています。おすまいのしくちょうそんのまどぐちでかいじょしてください。うけつけにおこえがけください。"
            }
            Self::CardRemoved => {
                "カードがとりはずされました。もういちど、はじめからやりなおしてください。"
            }
            Self::CardNotJpki => {
                "マイナンバーカードをよみとれませんでした。うけつけにおこえがけください。"
            }
            Self::FaceScanFailed => {
                "カードのけんめんをかくにんできませんでした。あんしょうばんごう、またはしょくいんによるかくにんをえらんでください。"
            }
            Self::FacePhotoUnverified => {
                "カードのかおじゃしんの、しんせいせいをかくにんできませんでした。しょくいんがカードをかくにんしますので、うけつけにおこえがけください。"
            }
            Self::FaceLook => "カメラのほうをむいてください。マスクやぼうしは、はずしてください。",
            Self::FaceMatched => "かおにんしょうがかんりょうしました。",
            Self::FaceMismatch => {
                "かおにんしょうができませんでした。あんしょうばんごう、またはしょくいんによるかくにんをえらんでください。"
            }
            Self::StaffVisualCheck => {
                "しょくいんが、カードのかおじゃしんとごほんにんをかくにんします。しばらくおまちください。"
            }
            Self::StaffVisualCheckRejected => {
                "ごほんにんのかくにんができませんでした。うけつけにおこえがけください。"
            }
            Self::PhoneHold => {
                "スマートフォンを、カードリーダーにかざしてください。アイフォーンは、フェイスアイディーまたはタッチアイディーでにんしょうしてから、かざしてください。"
            }
            Self::PhoneAndroidPinEnter => {
                "すまほようでんししょうめいしょの、りようしゃしょうめいようあんしょうばんごう、すうじよんけたをにゅうりょくしてください。"
            }
            Self::PhoneIphoneReady => {
                "アイフォーンをよみとっています。おわるまで、カードリーダーにかざしたままにしてください。"
            }
            Self::PhoneWrongToken => {
                "スマートフォンではなく、カードがおかれました。カードのうけつけをえらんでください。"
            }
            Self::ConsentMedication => {
                "かこのおくすりのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。"
            }
            Self::ConsentClinical => {
                "かこのしんりょうのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。"
            }
            Self::ConsentCheckup => {
                "とくていけんしんなどのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。"
            }
            Self::ConsentLimit => {
                "げんどがくのじょうほうを、このいりょうきかんにていきょうすることにどういしますか。"
            }
            Self::VerifyOk => "ほんにんかくにんがかんりょうしました。",
            Self::VerifyRevoked => {
                "このでんししょうめいしょは、しっこうしています。おすまいのしくちょうそんのまどぐちにおといあわせください。うけつけにおこえがけください。"
            }
            Self::VerifyExpired => {
                "でんししょうめいしょのゆうこうきげんがきれています。おすまいのしくちょうそんのまどぐちで、こうしんしてください。うけつけにおこえがけください。"
            }
            Self::VerifyFailed => {
                "ほんにんかくにんができませんでした。うけつけにおこえがけください。"
            }
            Self::IdentifiersCheck => {
                "しかくかくにんしょのきごうとばんごうで、ほけんのしかくをかくにんします。"
            }
            Self::ReceptionDone => {
                "うけつけがかんりょうしました。カードやスマートフォンなど、おもちものをおわすれなく。"
            }
            Self::ReceptionCancelled => {
                "うけつけをちゅうししました。うけつけにおこえがけください。"
            }
        }
    }
}

impl Guidance {
    /// The kana reading of [`Guidance::ja`], tries left filled in: what to feed a
    /// speech engine that reads kanji badly.
    pub fn kana(&self) -> String {
        crate::speech::fill_kana(self.id().kana_template(), self.tries_left())
    }

    /// The SSML rendering of [`Guidance::ja`] (`<speak>`, readings for the terms
    /// of [`crate::speech::LEXICON`]).
    pub fn ssml(&self) -> String {
        crate::speech::own_text_ssml(&self.ja())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::Awaits;
    use crate::speech::{LEXICON, is_kana_reading};

    #[test]
    fn every_guidance_id_has_a_kana_reading_and_ssml() {
        for id in GuidanceId::ALL {
            let g = Guidance::with_tries_left(*id, 2);
            let kana = g.kana();
            assert!(is_kana_reading(&kana), "{id}: {kana}");
            assert!(kana.ends_with('。'), "{id}");
            let ssml = g.ssml();
            assert!(ssml.starts_with("<speak") && ssml.ends_with("</speak>"));
            // Every lexicon term of the text is spoken by its reading.
            let plain = crate::speech::outside_sub(&ssml);
            for (term, _) in LEXICON {
                assert!(!plain.contains(term), "{id}: {term} is read as written");
            }
        }
    }

    #[test]
    fn keypad_prompts_say_how_many_digits() {
        for id in GuidanceId::ALL {
            if let Awaits::Keypad { digits } = id.awaits() {
                let g = Guidance::new(*id);
                assert!(g.ja().contains(&format!("数字{digits}桁")), "{id}");
                assert!(g.kana().contains("すうじよんけた") && digits == 4, "{id}");
                assert!(g.ssml().contains("すうじよんけた"), "{id}");
            }
        }
    }
}
