//! Single-use challenges from the operating system's CSPRNG, with an expiry.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::date::UnixTime;

use super::RelyingPartyError;

/// Bytes in a challenge (256 bits from the CSPRNG).
pub const CHALLENGE_LEN: usize = 32;

/// A challenge to send to the client: its bytes and when it stops being accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Challenge {
    bytes: [u8; CHALLENGE_LEN],
    expires_at: UnixTime,
}

impl Challenge {
    /// The bytes the card must sign.
    pub fn bytes(&self) -> &[u8; CHALLENGE_LEN] {
        &self.bytes
    }
    /// The last second at which a presentation over it is accepted.
    pub fn expires_at(&self) -> UnixTime {
        self.expires_at
    }
}

/// Issues challenges and redeems each at most once, before its expiry. Outstanding challenges
/// are bounded ([`ChallengeIssuer::with_capacity`]); expired ones are dropped when space is
/// needed.
#[derive(Debug)]
pub struct ChallengeIssuer {
    ttl_secs: u64,
    capacity: usize,
    outstanding: Mutex<HashMap<[u8; CHALLENGE_LEN], UnixTime>>,
}

impl ChallengeIssuer {
    /// Challenges valid for `ttl_secs` seconds, at most 100,000 outstanding.
    pub fn new(ttl_secs: u64) -> Self {
        Self::with_capacity(ttl_secs, 100_000)
    }

    /// Challenges valid for `ttl_secs` seconds, at most `capacity` outstanding.
    pub fn with_capacity(ttl_secs: u64, capacity: usize) -> Self {
        Self {
            ttl_secs,
            capacity,
            outstanding: Mutex::new(HashMap::new()),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; CHALLENGE_LEN], UnixTime>> {
        // A panic while holding the lock cannot leave the table inconsistent (single inserts
        // and removes): keep serving.
        self.outstanding
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A fresh challenge at `now`.
    pub fn issue(&self, now: UnixTime) -> Result<Challenge, RelyingPartyError> {
        let mut bytes = [0u8; CHALLENGE_LEN];
        getrandom::fill(&mut bytes).map_err(|_| RelyingPartyError::RandomUnavailable)?;
        let expires_at = now.saturating_add_secs(self.ttl_secs);
        let mut table = self.table();
        if table.len() >= self.capacity {
            table.retain(|_, exp| *exp >= now);
            if table.len() >= self.capacity {
                return Err(RelyingPartyError::TooManyOutstanding {
                    capacity: self.capacity,
                });
            }
        }
        table.insert(bytes, expires_at);
        Ok(Challenge { bytes, expires_at })
    }

    /// Redeems `challenge` at `now`: succeeds once per issued, unexpired challenge.
    pub fn redeem(&self, challenge: &[u8], now: UnixTime) -> Result<(), RelyingPartyError> {
        let key: [u8; CHALLENGE_LEN] = challenge
            .try_into()
            .map_err(|_| RelyingPartyError::UnknownChallenge)?;
        match self.table().remove(&key) {
            None => Err(RelyingPartyError::UnknownChallenge),
            Some(expires_at) if now > expires_at => {
                Err(RelyingPartyError::ChallengeExpired { expires_at })
            }
            Some(_) => Ok(()),
        }
    }

    /// Number of challenges issued and not yet redeemed (expired ones included until purged).
    pub fn outstanding(&self) -> usize {
        self.table().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixTime = UnixTime::from_secs(1_780_272_000);

    #[test]
    fn challenge_is_random_and_redeemable_once() {
        let issuer = ChallengeIssuer::new(60);
        let a = issuer.issue(NOW).expect("issued");
        let b = issuer.issue(NOW).expect("issued");
        assert_ne!(a.bytes(), b.bytes());
        assert_eq!(a.expires_at(), NOW.saturating_add_secs(60));
        assert_eq!(issuer.redeem(a.bytes(), NOW), Ok(()));
        assert_eq!(
            issuer.redeem(a.bytes(), NOW),
            Err(RelyingPartyError::UnknownChallenge)
        );
        assert_eq!(issuer.outstanding(), 1);
    }

    #[test]
    fn expired_or_foreign_challenge_is_refused() {
        let issuer = ChallengeIssuer::new(60);
        let a = issuer.issue(NOW).expect("issued");
        assert_eq!(
            issuer.redeem(a.bytes(), NOW.saturating_add_secs(61)),
            Err(RelyingPartyError::ChallengeExpired {
                expires_at: a.expires_at()
            })
        );
        assert_eq!(
            issuer.redeem(&[0; CHALLENGE_LEN], NOW),
            Err(RelyingPartyError::UnknownChallenge)
        );
        assert_eq!(
            issuer.redeem(b"short", NOW),
            Err(RelyingPartyError::UnknownChallenge)
        );
    }

    #[test]
    fn outstanding_challenges_are_bounded_and_expired_ones_make_room() {
        let issuer = ChallengeIssuer::with_capacity(60, 2);
        issuer.issue(NOW).expect("1");
        issuer.issue(NOW).expect("2");
        assert_eq!(
            issuer.issue(NOW),
            Err(RelyingPartyError::TooManyOutstanding { capacity: 2 })
        );
        assert!(issuer.issue(NOW.saturating_add_secs(61)).is_ok());
        assert_eq!(issuer.outstanding(), 1);
    }
}
