//! The deterministic generator behind GET CHALLENGE: SHA-256 in counter mode over
//! a configurable seed, so tests are reproducible. Not a cryptographic RNG for
//! anything but a test card.

use sha2::{Digest, Sha256};

/// SHA-256(seed ‖ counter) blocks, consumed byte by byte.
#[derive(Clone)]
pub(crate) struct ChallengeGenerator {
    seed: [u8; 32],
    counter: u64,
}

impl ChallengeGenerator {
    pub(crate) fn new(seed: [u8; 32]) -> Self {
        Self { seed, counter: 0 }
    }

    /// The next `n` bytes.
    pub(crate) fn next_bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let block = Sha256::new()
                .chain_update(self.seed)
                .chain_update(self.counter.to_be_bytes())
                .finalize();
            self.counter = self.counter.wrapping_add(1);
            let take = (n - out.len()).min(block.len());
            out.extend_from_slice(block.get(..take).unwrap_or_default());
        }
        out
    }
}

/// The card's randomness for PSS salts: the same deterministic stream (a test card's
/// signatures are reproducible; never use it for anything but tests).
impl rsa::rand_core::TryRng for ChallengeGenerator {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_be_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_be_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        let bytes = self.next_bytes(dst.len());
        dst.copy_from_slice(&bytes);
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for ChallengeGenerator {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_advancing() {
        let mut a = ChallengeGenerator::new([1; 32]);
        let mut b = ChallengeGenerator::new([1; 32]);
        let first = a.next_bytes(40);
        assert_eq!(first.len(), 40);
        assert_eq!(b.next_bytes(40), first);
        assert_ne!(a.next_bytes(40), first);
    }
}
