//! The engine's PIN / lockout stage, one for every secret a conversation asks for (the
//! JPKI auth PIN of the reception flows; the 券面事項入力補助 PIN and the 署名用パスワード
//! of the intake): the try-count query, the lockout guard (blocked ends; one try left is
//! asked first, or refused, per [`LastTryPolicy`]), the typed secret checked before it is
//! sent (a malformed one would cost a try), the VERIFY and its answer (from the host or
//! the reader's PIN pad). Each conversation keeps only its words: which guidance to show
//! for each [`PinStep`], which failure for each [`PinFail`].

use crate::apdu::{Command, StatusWord};
use crate::card::{CardError, KeyRef, LastTryGuard, PinError, PinStatus, pin_status};
use crate::card::{Pin, SignPassword};

/// What the flows do when one PIN try is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LastTryPolicy {
    /// Warn the patient (`card.pin.last_try`, 残り1回) and spend the last try only
    /// after a yes (default).
    #[default]
    Ask,
    /// Never spend the last try: end with [`crate::flows::FlowError::LastTryDeclined`] (an
    /// unattended kiosk).
    Refuse,
}

/// What the PIN stage asks its conversation to do next.
#[derive(Debug)]
pub(crate) enum PinStep {
    /// Show the prompt; await the secret (or the reader's PIN pad).
    Prompt,
    /// One try is left: ask before spending it (yes / no).
    AskLastTry,
    /// The typed secret is malformed and was not sent: prompt again.
    Malformed,
    /// Send this VERIFY and feed its answer to [`PinStage::on_verify`].
    Verify(Command),
    /// The card took the secret.
    Verified,
    /// The card refused the secret: `remaining` tries are left. Show it; on continue,
    /// [`PinStage::guard`] again.
    Wrong { remaining: u8 },
}

/// How the PIN stage ends a conversation.
#[derive(Debug)]
pub(crate) enum PinFail {
    /// The card refused (blocked, an unexpected status…).
    Card(CardError),
    /// The holder declined to spend the last try (or the policy refuses it).
    LastTryDeclined,
    /// The reader's PIN pad timed out or was cancelled (`6400` / `6401`).
    Cancelled,
}

impl From<CardError> for PinFail {
    fn from(e: CardError) -> Self {
        Self::Card(e)
    }
}

/// What the PIN stage knows about one secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PinStage {
    key: KeyRef,
    status: PinStatus,
    /// The holder agreed to spend the last try.
    last_try: LastTryGuard,
}

impl PinStage {
    /// The stage of `key`, before its try-count query.
    pub(crate) const fn new(key: KeyRef) -> Self {
        Self {
            key,
            status: PinStatus::VERIFIED,
            last_try: LastTryGuard::Refuse,
        }
    }

    /// The try-count query (`00 20 00 <ref>`, no data).
    pub(crate) fn query(&self) -> Command {
        self.key.query_command()
    }

    /// The answer to [`PinStage::query`]; then the guard.
    pub(crate) fn on_query(
        &mut self,
        sw: StatusWord,
        policy: LastTryPolicy,
    ) -> Result<PinStep, PinFail> {
        self.status = PinStatus::from_query(self.key, sw)?;
        self.guard(policy)
    }

    /// The lockout guard: blocked ends; one try left asks the holder first
    /// ([`LastTryPolicy::Ask`]) or ends ([`LastTryPolicy::Refuse`]); otherwise the prompt.
    pub(crate) fn guard(&self, policy: LastTryPolicy) -> Result<PinStep, PinFail> {
        match pin_status::guard(self.key, self.status, self.last_try) {
            Ok(()) => Ok(PinStep::Prompt),
            Err(CardError::Pin(PinError::LastTryRefused { .. })) => match policy {
                LastTryPolicy::Refuse => Err(PinFail::LastTryDeclined),
                _ => Ok(PinStep::AskLastTry),
            },
            Err(error) => Err(PinFail::Card(error)),
        }
    }

    /// The holder's answer to [`PinStep::AskLastTry`].
    pub(crate) fn on_last_try(&mut self, yes: bool) -> Result<PinStep, PinFail> {
        if !yes {
            return Err(PinFail::LastTryDeclined);
        }
        self.last_try = LastTryGuard::Allow;
        Ok(PinStep::Prompt)
    }

    /// The secret typed at the prompt: its VERIFY (the guard checked again right
    /// before), or [`PinStep::Malformed`] — a secret of the wrong form is never sent.
    pub(crate) fn on_typed(&self, typed: &str) -> Result<PinStep, PinFail> {
        let command = match self.key {
            KeyRef::JpkiSignPassword => SignPassword::new(typed)
                .ok()
                .map(|p| self.key.verify_command(&p)),
            _ => Pin::new(typed).ok().map(|p| self.key.verify_command(&p)),
        };
        let Some(command) = command else {
            return Ok(PinStep::Malformed);
        };
        pin_status::guard(self.key, self.status, self.last_try)?;
        Ok(PinStep::Verify(command?))
    }

    /// The card's answer to the VERIFY sent by the host.
    pub(crate) fn on_verify(&mut self, sw: StatusWord) -> Result<PinStep, PinFail> {
        match pin_status::parse_verify(self.key, sw) {
            Ok(()) => Ok(PinStep::Verified),
            Err(CardError::Pin(PinError::WrongPin { remaining, .. })) => {
                self.status = PinStatus {
                    remaining: Some(remaining),
                    blocked: false,
                };
                self.last_try = LastTryGuard::Refuse;
                Ok(PinStep::Wrong { remaining })
            }
            Err(error) => Err(PinFail::Card(error)),
        }
    }

    /// The card's answer to the VERIFY the reader's PIN pad sent itself (`6400` /
    /// `6401`: the pad timed out or was cancelled).
    pub(crate) fn on_pin_pad(&mut self, sw: StatusWord) -> Result<PinStep, PinFail> {
        match sw {
            StatusWord::Other(0x6400 | 0x6401) => Err(PinFail::Cancelled),
            sw => self.on_verify(sw),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Attack: a conversation that spends the last try without asking, or a malformed
    /// secret sent (costing a try). The stage asks (or refuses, per policy) at one try
    /// left, and never builds a VERIFY for a malformed secret.
    #[test]
    fn the_stage_guards_the_last_try_and_never_sends_a_malformed_secret() {
        let mut pin = PinStage::new(KeyRef::JpkiAuthPin);
        assert!(matches!(
            pin.on_query(StatusWord::RemainingTries(1), LastTryPolicy::Ask),
            Ok(PinStep::AskLastTry)
        ));
        assert!(matches!(
            pin.guard(LastTryPolicy::Refuse),
            Err(PinFail::LastTryDeclined)
        ));
        assert!(matches!(pin.on_typed("12"), Ok(PinStep::Malformed)));
        assert!(matches!(
            pin.on_typed("1234"),
            Err(PinFail::Card(CardError::Pin(
                PinError::LastTryRefused { .. }
            )))
        ));
        assert!(matches!(pin.on_last_try(true), Ok(PinStep::Prompt)));
        assert!(matches!(pin.on_typed("1234"), Ok(PinStep::Verify(_))));
        assert!(matches!(
            pin.on_verify(StatusWord::RemainingTries(2)),
            Ok(PinStep::Wrong { remaining: 2 })
        ));
        assert!(matches!(pin.guard(LastTryPolicy::Ask), Ok(PinStep::Prompt)));
        assert!(matches!(
            pin.on_pin_pad(StatusWord::Other(0x6401)),
            Err(PinFail::Cancelled)
        ));
        assert!(matches!(
            pin.on_pin_pad(StatusWord::Ok),
            Ok(PinStep::Verified)
        ));
        let mut blocked = PinStage::new(KeyRef::KenhojoPin);
        assert!(matches!(
            blocked.on_query(StatusWord::RemainingTries(0), LastTryPolicy::Ask),
            Err(PinFail::Card(CardError::Pin(PinError::Blocked { .. })))
        ));
        let password = PinStage::new(KeyRef::JpkiSignPassword);
        assert!(matches!(password.on_typed("1234"), Ok(PinStep::Malformed)));
        assert!(matches!(
            password.on_typed("YAMADA2024"),
            Ok(PinStep::Verify(_))
        ));
    }
}
