//! What the new hire sees and hears at every step of the intake.
//!
//! The same shape as the clinic guidance ([`crate::flows::Guidance`]), drawn
//! from the same table: the intake's ids ([`IntakeGuidanceId`], all starting with
//! `employer.`) are rows of the one guidance catalogue, each with its Japanese
//! and English sentences, kana reading ([`crate::speech`]) and what the flow
//! waits for ([`IntakeAwaits`], the clinic flows' [`Awaits`]).

use crate::flows::Awaits;
pub use crate::flows::catalogue::IntakeGuidanceId;

/// What an intake guidance waits for: the one [`Awaits`] of every guidance
/// catalogue. The intake's rows use [`Awaits::Nothing`] (resume with
/// `Input::Continue`), [`Awaits::Keypad`] (`Input::Digits`, or `Input::PinPad`
/// from a reader that collected them), [`Awaits::Password`] (`Input::Digits`
/// carries the characters) and [`Awaits::YesNo`] (`Input::YesNo`).
pub type IntakeAwaits = Awaits;

crate::flows::guidance::message! {
    /// One intake guidance message: id, texts, readings, what it waits for.
    IntakeGuidance(IntakeGuidanceId)
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn intake_guidance_is_drawn_from_the_shared_table() {
        use crate::flows::catalogue::ROWS;
        for id in IntakeGuidanceId::ALL {
            let g = IntakeGuidance::with_tries_left(*id, 3);
            let row = ROWS.iter().find(|r| r.id == id.as_str()).unwrap();
            assert!(core::ptr::eq(row, id.row()), "{id}");
            assert_eq!(g.ja(), row.ja(Some(3)));
            assert_eq!(g.en(), row.en(Some(3)));
            assert_eq!(g.kana(), row.kana(Some(3)));
            assert_eq!(g.ssml(), row.ssml(Some(3)));
            let awaits: Awaits = g.awaits();
            assert_eq!(awaits, row.awaits);
        }
    }
}
