//! Guidance a reader can speak: the readings of the terms a speech engine
//! misreads, and the SSML rendering built from them.
//!
//! Every guidance text of every flow (the clinic flows' [`crate::flows::Guidance`]
//! and the employer intake's [`crate::employer::IntakeGuidance`]) carries
//!
//! - a **kana reading** (hiragana / katakana only): what to feed an engine that
//!   reads kanji badly (espeak-ng), or to show on a screen with furigana;
//! - an **SSML rendering** (`<speak xml:lang="ja-JP">`) of the displayed text in
//!   which each term of [`LEXICON`] is wrapped in `<sub alias="reading">`: what
//!   to feed an engine that reads kanji well but gets these terms wrong
//!   (暗証番号 read あんしょうばんごう, not あんしょうばんこう; 券面事項入力補助 …).
//!
//! The readings are a column of the one guidance catalogue (`flows/catalogue.rs`,
//! one row per id, the intake's rows included); this module holds what every
//! row's rendering shares.
//!
//! ```
//! let ssml = mynacard::speech::ssml("暗証番号を入力してください。").unwrap();
//! assert_eq!(
//!     ssml,
//!     "<speak xml:lang=\"ja-JP\"><sub alias=\"あんしょうばんごう\">暗証番号</sub>を入力してください。</speak>"
//! );
//! ```

use alloc::string::String;
/// Terms a speech engine misreads, with their readings (hiragana). Longer terms
/// come first so that the longest match wins.
pub const LEXICON: &[(&str, &str)] = &[
    ("券面事項入力補助用", "けんめんじこうにゅうりょくほじょよう"),
    ("券面事項入力補助", "けんめんじこうにゅうりょくほじょ"),
    ("署名用電子証明書", "しょめいようでんししょうめいしょ"),
    ("スマホ用電子証明書", "すまほようでんししょうめいしょ"),
    ("利用者証明用", "りようしゃしょうめいよう"),
    ("電子証明書", "でんししょうめいしょ"),
    ("暗証番号", "あんしょうばんごう"),
    ("資格確認書", "しかくかくにんしょ"),
    ("個人番号", "こじんばんごう"),
    ("基本4情報", "きほんよんじょうほう"),
    ("番号確認", "ばんごうかくにん"),
    ("身元確認", "みもとかくにん"),
    ("市区町村", "しくちょうそん"),
    ("特定健診", "とくていけんしん"),
    ("限度額", "げんどがく"),
    ("数字4桁", "すうじよんけた"),
    ("6文字から16文字", "ろくもじからじゅうろくもじ"),
    ("英大文字", "えいおおもじ"),
    ("残り1回", "のこりいっかい"),
    ("Face ID", "フェイスアイディー"),
    ("Touch ID", "タッチアイディー"),
    ("iPhone", "アイフォーン"),
];

/// The reading of "n回" (n tries), for `{kai}` in kana templates.
pub fn kai(n: u8) -> String {
    match n {
        1 => "いっかい".into(),
        2 => "にかい".into(),
        3 => "さんかい".into(),
        4 => "よんかい".into(),
        5 => "ごかい".into(),
        6 => "ろっかい".into(),
        7 => "ななかい".into(),
        8 => "はちかい".into(),
        9 => "きゅうかい".into(),
        10 => "じゅっかい".into(),
        n => format!("{n}かい"),
    }
}

/// Fills a kana template: `{kai}` becomes the reading of "n回" (or いくつか when
/// the count is unknown).
pub fn fill_kana(template: &str, tries_left: Option<u8>) -> String {
    match tries_left {
        Some(n) => template.replace("{kai}", &kai(n)),
        None => template.replace("{kai}", "なんかいか"),
    }
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// Why a text has no SSML rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpeechError {
    /// The text holds a character XML 1.0 forbids (U+0000–U+001F but tab,
    /// LF, CR; U+FFFE, U+FFFF): no well-formed SSML can carry it.
    #[error("{field} holds a character XML 1.0 forbids at byte {offset}")]
    ForbiddenCharacter {
        /// The field (`text`).
        field: &'static str,
        /// 0-based byte offset of the character.
        offset: usize,
    },
}

impl SpeechError {
    /// A stable machine-readable code: `"speech.forbidden_character"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ForbiddenCharacter { .. } => "speech.forbidden_character",
        }
    }
}

// JSON: `{"code": "speech.forbidden_character", "message": "…"}`.
#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(SpeechError);

/// The SSML rendering of a displayed text: `<speak xml:lang="ja-JP">`, the text
/// XML-escaped, each [`LEXICON`] term wrapped in `<sub alias="reading">`. A
/// character XML 1.0 forbids is refused ([`SpeechError::ForbiddenCharacter`]).
pub fn ssml(text: &str) -> Result<String, SpeechError> {
    if let Some(offset) = crate::xml_text::forbidden_char(text) {
        return Err(SpeechError::ForbiddenCharacter {
            field: "text",
            offset,
        });
    }
    Ok(render(text))
}

/// The SSML of one of this crate's own guidance texts (which hold no
/// forbidden character: the guidance tests render every one through
/// [`ssml`]).
pub(crate) fn own_text_ssml(text: &str) -> String {
    ssml(text).unwrap_or_else(|_| {
        let allowed: String = text
            .chars()
            .filter(|c| crate::xml_text::xml_char(*c))
            .collect();
        render(&allowed)
    })
}

fn render(text: &str) -> String {
    let mut out = String::from("<speak xml:lang=\"ja-JP\">");
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for (term, reading) in LEXICON {
            if let Some(after) = rest.strip_prefix(term) {
                out.push_str("<sub alias=\"");
                escape(reading, &mut out);
                out.push_str("\">");
                escape(term, &mut out);
                out.push_str("</sub>");
                rest = after;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            escape(c.encode_utf8(&mut [0; 4]), &mut out);
        }
        rest = chars.as_str();
    }
    out.push_str("</speak>");
    out
}

/// The SSML with every `<sub>` element removed: what an engine reads as written.
/// No [`LEXICON`] term may remain in it.
pub fn outside_sub(ssml: &str) -> String {
    let mut out = String::new();
    let mut rest = ssml;
    while let Some(start) = rest.find("<sub ") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</sub>") {
            Some(end) => rest = &rest[start + end + "</sub>".len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Whether `s` is a speakable kana reading: hiragana, katakana, the long-vowel
/// mark, Japanese punctuation and spaces only (no kanji, no Latin letters, no
/// digits).
pub fn is_kana_reading(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '。' | '、' | '・' | '　' | ' ')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_readings_are_kana_and_longest_first() {
        for (i, (term, reading)) in LEXICON.iter().enumerate() {
            assert!(is_kana_reading(reading), "{term}: {reading}");
            for (later, _) in &LEXICON[i + 1..] {
                assert!(
                    !later.contains(term),
                    "{later} contains {term} but comes after it"
                );
            }
        }
    }

    #[test]
    fn ssml_wraps_terms_and_escapes() {
        assert_eq!(
            ssml("券面事項入力補助用の暗証番号 & <x>").unwrap(),
            "<speak xml:lang=\"ja-JP\"><sub alias=\"けんめんじこうにゅうりょくほじょよう\">券面事項入力補助用</sub>の<sub alias=\"あんしょうばんごう\">暗証番号</sub> &amp; &lt;x&gt;</speak>"
        );
    }

    #[test]
    fn a_character_xml_forbids_is_refused_naming_the_field() {
        let e = ssml("暗証番号\u{0}<speak>").unwrap_err();
        assert_eq!(
            e,
            SpeechError::ForbiddenCharacter {
                field: "text",
                offset: 12
            }
        );
        assert_eq!(e.code(), "speech.forbidden_character");
        assert!(ssml("a\u{FFFF}").is_err());
        assert_eq!(
            own_text_ssml("a\u{1}b"),
            "<speak xml:lang=\"ja-JP\">ab</speak>"
        );
    }

    #[test]
    fn counters() {
        assert_eq!(
            fill_kana("のこり{kai}です。", Some(1)),
            "のこりいっかいです。"
        );
        assert_eq!(
            fill_kana("のこり{kai}です。", Some(4)),
            "のこりよんかいです。"
        );
        assert!(is_kana_reading(&fill_kana("のこり{kai}。", None)));
        assert!(!is_kana_reading("暗証"));
        assert!(!is_kana_reading("4けた"));
    }
}
