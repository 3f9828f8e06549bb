//! Key references (PINs, passwords, 照合番号) with their retry counters.

use zeroize::Zeroizing;

/// What a VERIFY with a value did to a key reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VerifyOutcome {
    /// The value matched; the counter is back at its maximum.
    Verified,
    /// The value did not match; this many tries remain (0 = now blocked).
    Wrong(u8),
    /// The counter was already exhausted; nothing was compared.
    Blocked,
}

/// A PIN-like secret stored in a key EF, with its retry counter.
#[derive(Clone)]
pub(crate) struct PinCounter {
    value: Zeroizing<Vec<u8>>,
    max_tries: u8,
    remaining: u8,
    /// Value lengths the key accepts (e.g. 4..=4 for a PIN, 6..=16 for the sign password).
    accepted_len: core::ops::RangeInclusive<usize>,
}

impl core::fmt::Debug for PinCounter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PinCounter")
            .field("value", &"<redacted>")
            .field("max_tries", &self.max_tries)
            .field("remaining", &self.remaining)
            .finish()
    }
}

impl PinCounter {
    /// A key reference holding `value` with `max_tries` attempts.
    pub(crate) fn new(
        value: &[u8],
        max_tries: u8,
        accepted_len: core::ops::RangeInclusive<usize>,
    ) -> Self {
        Self {
            value: Zeroizing::new(value.to_vec()),
            max_tries,
            remaining: max_tries,
            accepted_len,
        }
    }

    /// Whether a value of `len` bytes has an acceptable length for this key.
    pub(crate) fn accepts_len(&self, len: usize) -> bool {
        self.accepted_len.contains(&len)
    }

    /// A key reference that is blocked from the start (kenhojo `0012` on every
    /// card examined).
    pub(crate) fn blocked() -> Self {
        Self {
            value: Zeroizing::new(Vec::new()),
            max_tries: 0,
            remaining: 0,
            accepted_len: 1..=16,
        }
    }

    /// Remaining tries.
    pub(crate) fn remaining(&self) -> u8 {
        self.remaining
    }

    /// Whether no tries remain.
    pub(crate) fn is_blocked(&self) -> bool {
        self.remaining == 0
    }

    /// Compares `candidate` (bytes as sent, no normalisation) and updates the counter.
    pub(crate) fn verify(&mut self, candidate: &[u8]) -> VerifyOutcome {
        if self.is_blocked() {
            return VerifyOutcome::Blocked;
        }
        if constant_time_eq(&self.value, candidate) {
            self.remaining = self.max_tries;
            VerifyOutcome::Verified
        } else {
            self.remaining = self.remaining.saturating_sub(1);
            VerifyOutcome::Wrong(self.remaining)
        }
    }

    /// Replaces the value (a PIN change after a VERIFY); the counter is back at its maximum.
    pub(crate) fn change(&mut self, value: &[u8]) {
        self.value = Zeroizing::new(value.to_vec());
        self.remaining = self.max_tries;
    }

    /// Spends one try without comparing (a wrong-length value, when configured to cost a try).
    pub(crate) fn spend(&mut self) -> VerifyOutcome {
        if self.is_blocked() {
            return VerifyOutcome::Blocked;
        }
        self.remaining = self.remaining.saturating_sub(1);
        VerifyOutcome::Wrong(self.remaining)
    }
}

/// Compares without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_blocks_and_resets() {
        let mut p = PinCounter::new(b"1234", 3, 4..=4);
        assert_eq!(p.verify(b"0000"), VerifyOutcome::Wrong(2));
        assert_eq!(p.verify(b"1234"), VerifyOutcome::Verified);
        assert_eq!(p.remaining(), 3);
        assert_eq!(p.verify(b"0000"), VerifyOutcome::Wrong(2));
        assert_eq!(p.verify(b"0000"), VerifyOutcome::Wrong(1));
        assert!(p.accepts_len(4) && !p.accepts_len(5));
        assert_eq!(p.spend(), VerifyOutcome::Wrong(0));
        assert!(p.is_blocked());
        assert_eq!(p.verify(b"1234"), VerifyOutcome::Blocked);
        assert_eq!(PinCounter::blocked().verify(b""), VerifyOutcome::Blocked);
    }

    #[test]
    fn debug_redacts() {
        let p = PinCounter::new(b"9876", 3, 4..=4);
        assert!(!format!("{p:?}").contains("9876"));
    }
}
