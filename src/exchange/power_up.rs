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
}

/// The power-up rule for a machine that only emits commands and is fed answers (the flows'
/// link layer, the intake): the first command is kept until its answer and given back to
/// send once more when that answer is the power-up `6F00`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FirstCommand {
    power_up: PowerUp,
    first: Option<crate::apdu::Command>,
}

impl FirstCommand {
    /// Armed: nothing sent since the start.
    pub(crate) const fn armed() -> Self {
        Self {
            power_up: PowerUp::armed(),
            first: None,
        }
    }

    /// `cmd` is being sent: kept while its answer may be the power-up `6F00`.
    pub(crate) fn sent(&mut self, cmd: &crate::apdu::Command) {
        if self.power_up.armed {
            self.first = Some(cmd.clone());
        }
    }

    /// The next input arrived (`response` when it is the card's answer): the command to
    /// send once more when that answer is the power-up `6F00`. The kept command is dropped
    /// whatever the input.
    pub(crate) fn resend(
        &mut self,
        response: Option<&crate::apdu::Response>,
    ) -> Option<crate::apdu::Command> {
        let first = self.first.take()?;
        let response = response?;
        let power_up = core::mem::take(&mut self.power_up.armed)
            && response.data().is_empty()
            && response.status().to_u16() == 0x6F00;
        power_up.then_some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::{FirstCommand, PowerUp};
    use crate::apdu::{Command, Response};

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

    #[test]
    fn the_first_command_is_given_back_once_on_the_power_up_6f00() {
        let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(vec![0xA0, 0x00]);
        let six_f = Response::from_vec(vec![0x6F, 0x00]).unwrap();
        let mut f = FirstCommand::armed();
        f.sent(&select);
        assert_eq!(f.resend(Some(&six_f)), Some(select.clone()));
        f.sent(&select);
        assert_eq!(
            f.resend(Some(&six_f)),
            None,
            "a second 6F00 is the card's answer"
        );
        // An input that is not an answer drops the kept command, the rule stays armed.
        let mut f = FirstCommand::armed();
        f.sent(&select);
        assert_eq!(f.resend(None), None);
        assert_eq!(f.resend(Some(&six_f)), None, "nothing kept");
        f.sent(&select);
        assert_eq!(f.resend(Some(&six_f)), Some(select.clone()));
        // 6F00 with data is not the power-up answer.
        let mut f = FirstCommand::armed();
        f.sent(&select);
        let with_data = Response::from_vec(vec![0x01, 0x6F, 0x00]).unwrap();
        assert_eq!(f.resend(Some(&with_data)), None);
    }
}
