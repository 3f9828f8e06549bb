//! What the patient sees and hears at every step of a reception flow.
//!
//! Every state of every flow emits a [`Guidance`]: a stable [`GuidanceId`] (for
//! logs, translations and the reader vendor's own screens or recorded voice), a
//! Japanese and an English sentence written to be both shown and read aloud by
//! the next-generation reader's voice guidance, their kana reading and SSML
//! rendering ([`crate::speech`]), and what input the flow waits for
//! ([`Awaits`]). Lockout warnings (残り1回) and blocked cards have their own ids.
//! The texts live in one table, one row per id (`flows/catalogue.rs`), which the
//! employer intake's [`crate::employer::IntakeGuidance`] shares.

use alloc::string::String;
use core::fmt;

pub(crate) use super::awaits::{Awaits, Choice};
pub(crate) use super::catalogue::GuidanceId;

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
        self.id.row().ja(self.tries_left)
    }

    /// English text, to show and to speak.
    pub fn en(&self) -> String {
        self.id.row().en(self.tries_left)
    }

    /// The kana reading of [`Guidance::ja`], tries left filled in: what to feed a
    /// speech engine that reads kanji badly.
    ///
    /// ```
    /// use mynacard::flows::{Guidance, GuidanceId};
    /// let g = Guidance::with_tries_left(GuidanceId::CardPinWrong, 2);
    /// assert_eq!(g.kana(), "あんしょうばんごうがちがいます。のこりにかいです。");
    /// ```
    pub fn kana(&self) -> String {
        self.id.row().kana(self.tries_left)
    }

    /// The SSML rendering of [`Guidance::ja`] (`<speak>`, readings for the terms
    /// of [`crate::speech::LEXICON`]).
    ///
    /// ```
    /// use mynacard::flows::{Guidance, GuidanceId};
    /// let g = Guidance::with_tries_left(GuidanceId::CardPinWrong, 2);
    /// assert!(g.ssml().contains("<sub alias=\"あんしょうばんごう\">暗証番号</sub>"));
    /// ```
    pub fn ssml(&self) -> String {
        self.id.row().ssml(self.tries_left)
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
    use crate::flows::ConsentItem;
    use crate::speech::{LEXICON, is_kana_reading};
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
