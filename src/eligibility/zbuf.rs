//! A growable text buffer that never frees personal text unzeroized: when it
//! outgrows its allocation it copies into a larger one and wipes the old one
//! (a plain `String` would hand the old block back to the allocator as is).

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroize;

/// A zeroizing, growable UTF-8 buffer.
#[derive(Default, Clone, PartialEq, Eq)]
pub(crate) struct ZBuf(String);

impl ZBuf {
    /// An empty buffer.
    pub(crate) fn new() -> Self {
        Self(String::new())
    }

    /// An empty buffer with room for `n` bytes.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self(String::with_capacity(n))
    }

    /// Room for `more` bytes (a regrowth copies and wipes the old block).
    pub(crate) fn reserve(&mut self, more: usize) {
        let need = self.0.len().saturating_add(more);
        if need <= self.0.capacity() {
            return;
        }
        let mut bigger =
            String::with_capacity(need.max(self.0.capacity().saturating_mul(2)).max(16));
        bigger.push_str(&self.0);
        let mut old = core::mem::replace(&mut self.0, bigger);
        old.zeroize();
    }

    /// Appends text.
    pub(crate) fn push_str(&mut self, s: &str) {
        self.reserve(s.len());
        self.0.push_str(s);
    }

    /// Appends one character.
    pub(crate) fn push_char(&mut self, c: char) {
        self.reserve(c.len_utf8());
        self.0.push(c);
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The bytes, handed to the caller (who owns them from then on).
    pub(crate) fn into_bytes(mut self) -> Vec<u8> {
        core::mem::take(&mut self.0).into_bytes()
    }
}

impl Drop for ZBuf {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for ZBuf {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "<{} bytes redacted>", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_keeps_text() {
        let mut b = ZBuf::new();
        for _ in 0..100 {
            b.push_str("あい");
            b.push_char('x');
        }
        assert_eq!(b.as_str(), "あいx".repeat(100));
        assert_eq!(format!("{b:?}"), "<700 bytes redacted>");
    }
}
