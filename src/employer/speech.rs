//! The kana reading of every intake guidance (see [`crate::speech`]); a test
//! checks that every [`IntakeGuidanceId`] has one.

use super::guidance::IntakeGuidanceId;

impl IntakeGuidanceId {
    /// The kana reading of the Japanese text; `{kai}` stands for "n回" (tries left).
    pub const fn kana_template(self) -> &'static str {
        match self {
            Self::CardPlace => "マイナンバーカードを、カードリーダーにおいてください。",
            Self::CardHoldToPhone => {
                "マイナンバーカードをスマートフォンのはいめんにあて、おわるまでうごかさないでください。"
            }
            Self::KenhojoPinEnter => {
                "けんめんじこうにゅうりょくほじょようのあんしょうばんごう、すうじよんけたをにゅうりょくしてください。"
            }
            Self::KenhojoPinWrong => "あんしょうばんごうがちがいます。のこり{kai}です。",
            Self::KenhojoPinLastTry => {
                "あんしょうばんごうのにゅうりょくは、のこりいっかいです。まちがえるとロックされます。にゅうりょくをつづけますか。"
            }
            Self::KenhojoPinBlocked => {
                "あんしょうばんごうがロックされています。おすまいのしくちょうそんのまどぐちで、かいじょしてください。"
            }
            Self::NumberChecked => "こじんばんごうと、きほんよんじょうほうをかくにんしました。",
            Self::NumberFailed => {
                "カードのきろくをかくにんできませんでした。こじんばんごうがかくにんできる、べつのしょるいをごよういください。"
            }
            Self::SignPasswordEnter => {
                "しょめいようでんししょうめいしょのパスワード、えいおおもじとすうじの、ろくもじからじゅうろくもじをにゅうりょくしてください。"
            }
            Self::SignPasswordFormat => {
                "パスワードは、えいおおもじとすうじをりょうほうふくむ、ろくもじからじゅうろくもじです。もういちどにゅうりょくしてください。"
            }
            Self::SignPasswordWrong => "パスワードがちがいます。のこり{kai}です。",
            Self::SignPasswordLastTry => {
                "パスワードのにゅうりょくは、のこりいっかいです。まちがえるとロックされます。にゅうりょくをつづけますか。"
            }
            Self::SignPasswordBlocked => {
                "パスワードがロックされています。おすまいのしくちょうそんのまどぐちで、かいじょしてください。"
            }
            Self::IdentityRevoked => {
                "しょめいようでんししょうめいしょが、しっこうしています。おすまいのしくちょうそんのまどぐちに、おといあわせください。"
            }
            Self::IdentityMismatch => {
                "でんししょうめいしょと、カードのきろくがいっちしませんでした。たんとうしゃにおこえがけください。"
            }
            Self::IdentityFailed => {
                "しょめいようでんししょうめいしょで、ほんにんをかくにんできませんでした。たんとうしゃにおこえがけください。"
            }
            Self::PhoneNeedsCard => {
                "すまほようでんししょうめいしょでは、こじんばんごうをかくにんできません。マイナンバーカード、またはこじんばんごうがかくにんできるしょるいをごよういください。"
            }
            Self::CardNotMyNumber => {
                "マイナンバーカードをよみとれませんでした。たんとうしゃにおこえがけください。"
            }
            Self::CardRemoved => {
                "カードがとりはずされました。もういちど、はじめからやりなおしてください。"
            }
            Self::Done => {
                "ばんごうかくにんと、みもとかくにんがかんりょうしました。カードをおとりください。"
            }
            Self::Cancelled => "てつづきをちゅうししました。たんとうしゃにおこえがけください。",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::guidance::{IntakeAwaits, IntakeGuidance};
    use super::*;
    use crate::speech::{LEXICON, is_kana_reading};
    use std::collections::HashSet;

    #[test]
    fn every_intake_guidance_has_texts_kana_and_ssml() {
        let mut seen = HashSet::new();
        for id in IntakeGuidanceId::ALL {
            assert!(seen.insert(id.as_str()), "duplicate {id}");
            assert!(id.as_str().starts_with("employer."));
            let g = IntakeGuidance::with_tries_left(*id, 3);
            assert!(g.ja().ends_with('。'), "{id}");
            assert!(g.en().ends_with('.') || g.en().ends_with('?'), "{id}");
            let kana = g.kana();
            assert!(is_kana_reading(&kana), "{id}: {kana}");
            let ssml = g.ssml();
            let plain = crate::speech::outside_sub(&ssml);
            for (term, _) in LEXICON {
                assert!(!plain.contains(term), "{id}: {term} is read as written");
            }
        }
        assert_eq!(seen.len(), IntakeGuidanceId::ALL.len());
    }

    #[test]
    fn prompts_say_how_many_characters() {
        for id in IntakeGuidanceId::ALL {
            let g = IntakeGuidance::new(*id);
            match id.awaits() {
                IntakeAwaits::Keypad { digits } => {
                    assert_eq!(digits, 4);
                    assert!(g.ja().contains("数字4桁"), "{id}");
                    assert!(g.kana().contains("すうじよんけた"), "{id}");
                }
                IntakeAwaits::Password { min, max } => {
                    assert_eq!((min, max), (6, 16));
                    assert!(g.ja().contains("6文字から16文字"), "{id}");
                    assert!(g.kana().contains("ろくもじからじゅうろくもじ"), "{id}");
                }
                _ => {}
            }
        }
    }

    #[test]
    fn wrong_password_reads_the_count() {
        let g = IntakeGuidance::with_tries_left(IntakeGuidanceId::SignPasswordWrong, 4);
        assert_eq!(g.ja(), "パスワードが違います。残り4回です。");
        assert_eq!(g.kana(), "パスワードがちがいます。のこりよんかいです。");
    }
}
