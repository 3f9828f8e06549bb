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
