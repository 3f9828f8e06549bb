//! The J-LIS CV CA keys that sign the 券面 APs' CV certificates (EF 0004), and
//! the trust a caller checks those certificates with.
//!
//! The chain of a 券面 record: the record's hashes → the record signature under
//! EF 0004's *subject* key → EF 0004's signature under the J-LIS CV CA key named
//! by its full 16-byte issuer key ID. The CA keys are not on the card; the
//! production ones (5000020, 5000023, 5000033) are compiled in
//! ([`CvTrust::jlis_production`]), the TEST ones (J-LIS 6000020/23/33 of JPKI test
//! cards and this crate's own virtual-card TEST CA 6900023/33) only with the
//! `test-pki` feature ([`CvTrust::test_only`]).
//!
//! ⚠ The production key values are single-source (recovered from real cards by
//! one public project, see `../shared/data/jlis-cv-ca-keys/README.md`): a record
//! under an issuer this trust does not hold is reported "not checked: unknown CV
//! CA", never "failed", and [`CvTrust::with_key`] adds a key a deployment
//! obtained elsewhere.
//!
//! ```
//! use mynacard::card::CvTrust;
//! let trust = CvTrust::jlis_production();
//! let id = *b"5000033\x08\x05001\0\0\0\0";
//! assert_eq!(trust.key(&id).map(|k| k.name()), Some("5000033"));
//! ```

use alloc::sync::Arc;
use alloc::vec::Vec;

mod keys;
use crate::crypto::backend::{SignatureBackend, default_backend};

/// Which hierarchy a CV CA key belongs to (the key ID's first digit: `5`
/// production, `6` TEST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CvHierarchy {
    /// J-LIS production.
    Production,
    /// TEST: JPKI test cards and this crate's virtual card. Never production.
    Test,
}

/// A CV CA public key: its 7-digit name, full 16-byte key ID and RSA key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CvCaKey {
    name: &'static str,
    key_id: [u8; 16],
    exponent: &'static [u8],
    modulus: &'static [u8],
    hierarchy: CvHierarchy,
}

impl CvCaKey {
    /// A key: `name` (7 digits, e.g. `"5000033"`), the full 16-byte key ID as
    /// CV certificates name it, and the big-endian RSA exponent and modulus.
    pub const fn new(
        name: &'static str,
        key_id: [u8; 16],
        exponent: &'static [u8],
        modulus: &'static [u8],
        hierarchy: CvHierarchy,
    ) -> Self {
        Self {
            name,
            key_id,
            exponent,
            modulus,
            hierarchy,
        }
    }

    /// The 7-digit name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// The full 16-byte key ID.
    pub const fn key_id(&self) -> &[u8; 16] {
        &self.key_id
    }
    /// The RSA public exponent (big-endian).
    pub const fn exponent(&self) -> &'static [u8] {
        self.exponent
    }
    /// The RSA modulus (big-endian).
    pub const fn modulus(&self) -> &'static [u8] {
        self.modulus
    }
    /// Production or TEST.
    pub const fn hierarchy(&self) -> CvHierarchy {
        self.hierarchy
    }
}

/// The CV CA keys a caller trusts, and the signature backend that checks with them.
#[derive(Debug, Clone)]
pub struct CvTrust {
    keys: Vec<CvCaKey>,
    backend: Arc<dyn SignatureBackend>,
}

impl CvTrust {
    /// No key: every CV certificate is "not checked: unknown CV CA".
    pub fn empty() -> Self {
        Self {
            keys: Vec::new(),
            backend: default_backend(),
        }
    }

    /// The three J-LIS production CV CA keys (5000020, 5000023, 5000033).
    pub fn jlis_production() -> Self {
        Self::empty().with_keys(keys::PRODUCTION)
    }

    /// TEST ONLY: this crate's virtual-card TEST CV CA (6900023, 6900033).
    /// Feature `test-pki`; never in a production build.
    #[cfg(feature = "test-pki")]
    pub fn test_only() -> Self {
        Self::empty().with_keys(keys::TEST)
    }

    /// TEST ONLY: the J-LIS TEST keys of real JPKI test cards (6000020, 6000023,
    /// 6000033). Feature `jlis-test`; never in a production build.
    #[cfg(feature = "jlis-test")]
    pub fn test_only_jlis_test_cards() -> Self {
        Self::empty().with_keys(keys::JLIS_TEST)
    }

    /// Adds a key (one a deployment obtained from J-LIS, say).
    pub fn with_key(mut self, key: CvCaKey) -> Self {
        self.keys.push(key);
        self
    }

    fn with_keys(mut self, keys: &[CvCaKey]) -> Self {
        self.keys.extend_from_slice(keys);
        self
    }

    /// Replaces the signature backend (default: [`default_backend`]).
    pub fn with_backend(mut self, backend: Arc<dyn SignatureBackend>) -> Self {
        self.backend = backend;
        self
    }

    /// The key with this full 16-byte key ID (never matched on the 7 digits alone).
    pub fn key(&self, key_id: &[u8; 16]) -> Option<&CvCaKey> {
        self.keys.iter().find(|k| &k.key_id == key_id)
    }

    /// The keys held.
    pub fn keys(&self) -> &[CvCaKey] {
        &self.keys
    }

    /// The signature backend.
    pub fn backend(&self) -> &dyn SignatureBackend {
        &*self.backend
    }
}

impl Default for CvTrust {
    /// [`CvTrust::jlis_production`].
    fn default() -> Self {
        Self::jlis_production()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_keys_are_matched_on_the_full_key_id() {
        let trust = CvTrust::jlis_production();
        assert_eq!(trust.keys().len(), 3);
        for k in trust.keys() {
            assert_eq!(k.hierarchy(), CvHierarchy::Production);
            assert_eq!(&k.key_id()[..7], k.name().as_bytes());
            assert_eq!(k.modulus().len(), 256);
        }
        let mut id = *trust.keys()[0].key_id();
        assert!(trust.key(&id).is_some());
        id[15] ^= 1;
        assert!(trust.key(&id).is_none(), "same 7 digits, other key ID");
    }

    #[cfg(feature = "test-pki")]
    #[test]
    fn test_keys_are_apart_from_production() {
        let test = CvTrust::test_only();
        assert!(
            test.keys()
                .iter()
                .all(|k| k.hierarchy() == CvHierarchy::Test && k.name().starts_with('6'))
        );
        let prod = CvTrust::jlis_production();
        assert!(test.keys().iter().all(|k| prod.key(k.key_id()).is_none()));
    }

    #[cfg(all(feature = "test-pki", feature = "jlis-test"))]
    #[test]
    fn jlis_test_keys_are_apart_from_production_and_from_this_crates_test_keys() {
        let jlis = CvTrust::test_only_jlis_test_cards();
        let names: Vec<&str> = jlis.keys().iter().map(|k| k.name()).collect();
        assert_eq!(names, ["6000020", "6000023", "6000033"]);
        let own = CvTrust::test_only();
        let prod = CvTrust::jlis_production();
        for k in jlis.keys() {
            assert_eq!(k.hierarchy(), CvHierarchy::Test);
            assert!(prod.key(k.key_id()).is_none());
            assert!(own.key(k.key_id()).is_none(), "{} in test-pki", k.name());
        }
    }
}
