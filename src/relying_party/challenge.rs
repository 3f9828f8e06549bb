//! Stateless, MAC'd single-use challenges (see [`ChallengeIssuer`]).

use std::collections::BTreeSet;
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::date::UnixTime;

use super::RelyingPartyError;

/// Bytes in a challenge: 8 (expiry) + 16 (random) + 32 (HMAC-SHA256).
pub const CHALLENGE_LEN: usize = 56;

const NONCE_LEN: usize = 16;
const MAC_AT: usize = 8 + NONCE_LEN;
/// Domain separation of the MAC.
const LABEL: &[u8] = b"mynacard relying-party challenge v1";

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

/// A challenge whose MAC and expiry were checked, not yet marked redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Checked {
    nonce: [u8; NONCE_LEN],
    expires_at: u64,
}

/// Challenges redeemed and not yet expired, as (expiry, nonce): the MAC binds
/// a nonce to its expiry, so the pair names one challenge, and the set's order
/// is the order entries are forgotten in.
#[derive(Debug, Default)]
struct Redeemed(BTreeSet<(u64, [u8; NONCE_LEN])>);

impl Redeemed {
    /// Forgets what expired before `now`: each entry once, oldest first.
    fn forget_expired(&mut self, now: u64) {
        while self.0.first().is_some_and(|&(expiry, _)| expiry < now) {
            self.0.pop_first();
        }
    }

    fn contains(&self, checked: &Checked) -> bool {
        self.0.contains(&(checked.expires_at, checked.nonce))
    }
}

/// Issues stateless MAC'd challenges and redeems each at most once, before its
/// expiry.
///
/// A challenge is `expiry (8 bytes, big-endian Unix seconds) ‖ 16 random bytes
/// ‖ HMAC-SHA256(server key, label ‖ expiry ‖ random)`: issuing one stores
/// nothing, so a flood of anonymous [`ChallengeIssuer::issue`] calls costs the
/// server no memory and never locks a user out. A challenge is accepted once:
/// its MAC and expiry are checked without the lock (then one O(log n) lookup
/// in the redeemed set), and only a challenge whose
/// presentation was **accepted** enters the redeemed set, which forgets it
/// when it expires.
///
/// Bound: the redeemed set holds at most one entry per accepted presentation
/// of the last TTL, and at most `capacity` entries (default 1,000,000, about
/// 40 bytes each); filling it takes that many presentations signed by valid,
/// unrevoked cards within one TTL. Expired entries are dropped in expiry
/// order, each once (amortised O(log n) per entry): no refusal scans the table.
pub struct ChallengeIssuer {
    key: Zeroizing<[u8; 32]>,
    ttl_secs: u64,
    capacity: usize,
    redeemed: Mutex<Redeemed>,
}

impl core::fmt::Debug for ChallengeIssuer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChallengeIssuer")
            .field("key", &"<redacted>")
            .field("ttl_secs", &self.ttl_secs)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl ChallengeIssuer {
    /// Challenges valid for `ttl_secs` seconds under a fresh random key, at
    /// most 1,000,000 redeemed ones remembered.
    pub fn new(ttl_secs: u64) -> Result<Self, RelyingPartyError> {
        Self::with_capacity(ttl_secs, 1_000_000)
    }

    /// Challenges valid for `ttl_secs` seconds under a fresh random key, at
    /// most `capacity` redeemed ones remembered.
    pub fn with_capacity(ttl_secs: u64, capacity: usize) -> Result<Self, RelyingPartyError> {
        let mut key = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut *key).map_err(|_| RelyingPartyError::RandomUnavailable)?;
        Ok(Self::with_key(key, ttl_secs, capacity))
    }

    /// Challenges under a given secret `key` (several server instances that
    /// share one key accept each other's challenges; each keeps its own
    /// redeemed set, so share the set too — or route a login to one instance).
    pub fn with_key(key: Zeroizing<[u8; 32]>, ttl_secs: u64, capacity: usize) -> Self {
        Self {
            key,
            ttl_secs,
            capacity,
            redeemed: Mutex::new(Redeemed::default()),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Redeemed> {
        // A panic while holding the lock cannot leave the set inconsistent
        // (one insert or removal at a time): keep serving.
        self.redeemed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn mac(&self, head: &[u8]) -> Hmac<Sha256> {
        // HMAC takes a key of any length.
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&*self.key)
            .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
        m.update(LABEL);
        m.update(head);
        m
    }

    /// A fresh challenge at `now`. Stores nothing.
    pub fn issue(&self, now: UnixTime) -> Result<Challenge, RelyingPartyError> {
        let expires_at = now.saturating_add_secs(self.ttl_secs);
        let mut bytes = [0u8; CHALLENGE_LEN];
        bytes[..8].copy_from_slice(&expires_at.as_secs().to_be_bytes());
        getrandom::fill(&mut bytes[8..MAC_AT]).map_err(|_| RelyingPartyError::RandomUnavailable)?;
        let tag = self.mac(&bytes[..MAC_AT]).finalize().into_bytes();
        bytes[MAC_AT..].copy_from_slice(&tag);
        Ok(Challenge { bytes, expires_at })
    }

    /// Checks `challenge`'s MAC, expiry and that it was not redeemed, without
    /// marking it (a presentation is verified in between).
    pub(crate) fn check(
        &self,
        challenge: &[u8],
        now: UnixTime,
    ) -> Result<Checked, RelyingPartyError> {
        let bytes: &[u8; CHALLENGE_LEN] = challenge
            .try_into()
            .map_err(|_| RelyingPartyError::UnknownChallenge)?;
        self.mac(&bytes[..MAC_AT])
            .verify_slice(&bytes[MAC_AT..])
            .map_err(|_| RelyingPartyError::UnknownChallenge)?;
        let mut expiry = [0u8; 8];
        expiry.copy_from_slice(&bytes[..8]);
        let expires_at = u64::from_be_bytes(expiry);
        if now.as_secs() > expires_at {
            return Err(RelyingPartyError::ChallengeExpired {
                expires_at: UnixTime::from_secs(expires_at),
            });
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&bytes[8..MAC_AT]);
        let checked = Checked { nonce, expires_at };
        if self.table().contains(&checked) {
            return Err(RelyingPartyError::UnknownChallenge);
        }
        Ok(checked)
    }

    /// Marks a checked challenge redeemed: exactly one caller succeeds per
    /// challenge (check-and-insert under one lock).
    pub(crate) fn mark(&self, checked: Checked, now: UnixTime) -> Result<(), RelyingPartyError> {
        let mut table = self.table();
        table.forget_expired(now.as_secs());
        if table.contains(&checked) {
            return Err(RelyingPartyError::UnknownChallenge);
        }
        if table.0.len() >= self.capacity {
            return Err(RelyingPartyError::TooManyOutstanding {
                capacity: self.capacity,
            });
        }
        table.0.insert((checked.expires_at, checked.nonce));
        Ok(())
    }

    /// Redeems `challenge` at `now`: succeeds once per issued, unexpired
    /// challenge. ([`RelyingParty::verify`](super::RelyingParty::verify)
    /// redeems only once the presentation is accepted.)
    pub fn redeem(&self, challenge: &[u8], now: UnixTime) -> Result<(), RelyingPartyError> {
        let checked = self.check(challenge, now)?;
        self.mark(checked, now)
    }

    /// Number of redeemed challenges remembered (expired ones included until
    /// the next redemption forgets them).
    pub fn redeemed(&self) -> usize {
        self.table().0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixTime = UnixTime::from_secs(1_780_272_000);

    #[test]
    fn challenge_is_random_and_redeemable_once() {
        let issuer = ChallengeIssuer::new(60).expect("key");
        let a = issuer.issue(NOW).expect("issued");
        let b = issuer.issue(NOW).expect("issued");
        assert_ne!(a.bytes(), b.bytes());
        assert_eq!(a.expires_at(), NOW.saturating_add_secs(60));
        assert_eq!(issuer.redeem(a.bytes(), NOW), Ok(()));
        assert_eq!(
            issuer.redeem(a.bytes(), NOW),
            Err(RelyingPartyError::UnknownChallenge)
        );
        assert_eq!(issuer.redeemed(), 1);
    }

    #[test]
    fn expired_forged_or_foreign_challenge_is_refused() {
        let issuer = ChallengeIssuer::new(60).expect("key");
        let a = issuer.issue(NOW).expect("issued");
        assert_eq!(
            issuer.redeem(a.bytes(), NOW.saturating_add_secs(61)),
            Err(RelyingPartyError::ChallengeExpired {
                expires_at: a.expires_at()
            })
        );
        // A later expiry written over the MAC'd one: the MAC no longer fits.
        let mut moved = *a.bytes();
        moved[7] ^= 0x80;
        assert_eq!(
            issuer.redeem(&moved, NOW),
            Err(RelyingPartyError::UnknownChallenge)
        );
        // Issued by another server (another key).
        let other = ChallengeIssuer::new(60)
            .expect("key")
            .issue(NOW)
            .expect("issued");
        assert_eq!(
            issuer.redeem(other.bytes(), NOW),
            Err(RelyingPartyError::UnknownChallenge)
        );
        assert_eq!(
            issuer.redeem(b"short", NOW),
            Err(RelyingPartyError::UnknownChallenge)
        );
        assert_eq!(issuer.redeemed(), 0);
    }

    /// Attack: a flood of anonymous `issue()` calls to lock users out. Issuing
    /// stores nothing: after 100,000 of them a user's challenge is issued and
    /// redeemed, and the redeemed set holds only that one.
    #[test]
    fn a_flood_of_issued_challenges_locks_no_one_out() {
        let issuer = ChallengeIssuer::with_capacity(300, 10).expect("key");
        for _ in 0..100_000 {
            issuer.issue(NOW).expect("flood");
        }
        let user = issuer.issue(NOW).expect("user");
        assert_eq!(issuer.redeem(user.bytes(), NOW), Ok(()));
        assert_eq!(issuer.redeemed(), 1);
    }

    /// The redeemed set is bounded and forgets challenges once they expire.
    #[test]
    fn redeemed_set_is_bounded_and_expires_with_the_ttl() {
        let issuer = ChallengeIssuer::with_capacity(60, 2).expect("key");
        for _ in 0..2 {
            let c = issuer.issue(NOW).expect("issued");
            issuer.redeem(c.bytes(), NOW).expect("redeemed");
        }
        let third = issuer.issue(NOW).expect("issued");
        assert_eq!(
            issuer.redeem(third.bytes(), NOW),
            Err(RelyingPartyError::TooManyOutstanding { capacity: 2 })
        );
        let later = NOW.saturating_add_secs(61);
        let fresh = issuer.issue(later).expect("issued");
        assert_eq!(issuer.redeem(fresh.bytes(), later), Ok(()));
        assert_eq!(issuer.redeemed(), 1);
    }
}
