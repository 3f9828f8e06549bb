//! What the patient sees and hears at every step of a reception flow.
//!
//! Every state of every flow emits a [`Guidance`]: a stable [`GuidanceId`] (for
//! logs, translations and the reader vendor's own screens or recorded voice), a
//! Japanese and an English sentence written to be both shown and read aloud by
//! the next-generation reader's voice guidance, their kana reading and SSML
//! rendering ([`crate::speech`]), and what input the flow waits for
//! ([`crate::flows::Awaits`]). Lockout warnings (残り1回) and blocked cards have their own ids.
//! The texts live in one table, one row per id (`flows/catalogue.rs`), which the
//! employer intake's [`crate::employer::IntakeGuidance`] shares.

pub(crate) use super::awaits::Choice;
pub(crate) use super::catalogue::GuidanceId;

/// Defines a guidance message type over a catalogue's id enum: the id, the tries
/// left where the message mentions them, and the texts, readings and awaited
/// input of the id's row of the one table. The reception's [`Guidance`] and the
/// intake's [`crate::employer::IntakeGuidance`] are both made by it.
macro_rules! message {
    ($(#[$doc:meta])* $Message:ident($Id:ident)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $Message {
            id: $Id,
            tries_left: Option<u8>,
        }

        impl $Message {
            /// The guidance for `id`.
            pub const fn new(id: $Id) -> Self {
                Self {
                    id,
                    tries_left: None,
                }
            }

            /// The guidance for `id` mentioning the tries left (`残り{n}回`).
            pub const fn with_tries_left(id: $Id, tries_left: u8) -> Self {
                Self {
                    id,
                    tries_left: Some(tries_left),
                }
            }

            /// The stable id.
            pub const fn id(&self) -> $Id {
                self.id
            }

            /// Tries left, where the message mentions them.
            pub const fn tries_left(&self) -> Option<u8> {
                self.tries_left
            }

            /// What the flow waits for.
            pub const fn awaits(&self) -> $crate::flows::Awaits {
                self.id.awaits()
            }

            /// Japanese text, to show and to speak.
            pub fn ja(&self) -> alloc::string::String {
                self.id.row().ja(self.tries_left)
            }

            /// English text, to show and to speak.
            pub fn en(&self) -> alloc::string::String {
                self.id.row().en(self.tries_left)
            }

            /// The kana reading of the Japanese text, tries left filled in: what to
            /// feed a speech engine that reads kanji badly.
            pub fn kana(&self) -> alloc::string::String {
                self.id.row().kana(self.tries_left)
            }

            /// The SSML rendering of the Japanese text (`<speak>`, readings for the
            /// terms of [`crate::speech::LEXICON`]).
            pub fn ssml(&self) -> alloc::string::String {
                self.id.row().ssml(self.tries_left)
            }
        }

        impl core::fmt::Display for $Message {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "[{}] {} / {}", self.id, self.ja(), self.en())
            }
        }
    };
}
pub(crate) use message;

message! {
    /// One guidance message: id, texts, what it waits for. Serializable (feature
    /// `serde`) as `{id, tries_left, ja, en, awaits}` for a reader's screen or a log.
    ///
    /// ```
    /// use mynacard::flows::{Guidance, GuidanceId};
    /// let g = Guidance::with_tries_left(GuidanceId::CardPinWrong, 2);
    /// assert_eq!(g.kana(), "あんしょうばんごうがちがいます。のこりにかいです。");
    /// assert!(g.ssml().contains("<sub alias=\"あんしょうばんごう\">暗証番号</sub>"));
    /// ```
    Guidance(GuidanceId)
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
    use crate::flows::{Awaits, ConsentItem};
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
