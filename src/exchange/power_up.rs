//! The card's answer to the first command after power-up: `6F00`, measured on a real card
//! (card-apdu.md §1, soltia48/myna-card `src/transport/pcsc.rs`; single source). The card did
//! not run that command, so every host path sends it once more — once per power-up, never
//! in a loop: the byte-driven flows and intake themselves (so any driver of their bytes
//! copes — the runner and the intake driver add no retry of their own), the
//! [`crate::exchange::Exchange`] and PC/SC.

/// Whether the next answer may be the power-up `6F00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PowerUp {
    armed: bool,
}

impl PowerUp {
    /// Armed: the link was just opened (or the card powered up).
    pub(crate) const fn armed() -> Self {
        Self { armed: true }
    }

    /// Whether the next answer may still be the power-up `6F00`.
    pub(crate) fn is_armed(&self) -> bool {
        self.armed
    }

    /// Arms again (after a power cycle).
    #[cfg_attr(not(any(feature = "pcsc", test)), allow(dead_code))]
    pub(crate) fn arm(&mut self) {
        self.armed = true;
    }

    /// Whether `response` is the power-up `6F00` and the command must be sent once more.
    /// Disarms on the first answer, whatever it is.
    pub(crate) fn resend(&mut self, response: &[u8]) -> bool {
        core::mem::take(&mut self.armed) && response == [0x6F, 0x00]
    }

    /// [`PowerUp::resend`] for a parsed response.
    pub(crate) fn resend_response(&mut self, response: &crate::apdu::Response) -> bool {
        core::mem::take(&mut self.armed)
            && response.data().is_empty()
            && response.status().to_u16() == 0x6F00
    }
}

#[cfg(test)]
mod tests {
    use super::PowerUp;

    #[test]
    fn only_the_first_answer_is_ever_resent() {
        let mut p = PowerUp::armed();
        assert!(p.resend(&[0x6F, 0x00]));
        assert!(
            !p.resend(&[0x6F, 0x00]),
            "a second 6F00 is the card's answer"
        );
        p.arm();
        assert!(!p.resend(&[0x90, 0x00]));
        assert!(!p.resend(&[0x6F, 0x00]));
    }
}
