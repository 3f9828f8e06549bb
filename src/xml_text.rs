//! What XML 1.0 allows in a document (production `Char`): every writer of
//! XML in this crate (eligibility files, SSML) refuses anything else.

/// Whether XML 1.0 allows `c` in a document.
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The byte offset of the first character XML 1.0 forbids in `s`
/// (U+0000–U+001F but tab, LF, CR; U+FFFE, U+FFFF).
pub(crate) fn forbidden_char(s: &str) -> Option<usize> {
    // Fast path: no control byte and no 0xEF (the lead byte of U+FFFE/U+FFFF).
    if s.bytes()
        .all(|b| (b >= 0x20 && b != 0xEF) || matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return None;
    }
    s.char_indices()
        .find(|(_, c)| !xml_char(*c))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_found_at_their_offset() {
        assert_eq!(forbidden_char("ab\tc\r\n"), None);
        assert_eq!(forbidden_char("試験\u{1}"), Some(6));
        assert_eq!(forbidden_char("a\u{FFFE}"), Some(1));
        assert_eq!(forbidden_char("\u{FFFD}\u{FFFF}"), Some(3));
        assert_eq!(forbidden_char("\u{EFFF}\u{10000}"), None);
    }
}
