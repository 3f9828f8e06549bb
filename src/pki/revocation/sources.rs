//! Several revocation sources asked in an order the relying party chooses —
//! the CRL set, then an OCSP response (or the reverse).

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::{RevocationSource, RevocationStatus, StalenessPolicy};
use crate::pki::{PkiError, UnixTime, VerifiedCertificate};

/// Revocation sources asked in order: the first that answers good or revoked
/// decides; a source that cannot answer ([`RevocationStatus::NotChecked`], or an
/// error such as a stale CRL) passes the question to the next. When none
/// decides: the first error, else the last "not checked" (with no source at
/// all: [`super::NotCheckedReason::NoSource`]).
///
/// ```
/// use mynacard::pki::{CrlSet, NoRevocationSource, RevocationSources};
/// // CRL first, then OCSP (an `ocsp::OcspResponse` fetched for this certificate).
/// let sources = RevocationSources::new().then(CrlSet::new()).then(NoRevocationSource);
/// assert_eq!(sources.len(), 2);
/// ```
#[derive(Default)]
pub struct RevocationSources {
    sources: Vec<Box<dyn RevocationSource>>,
}

impl core::fmt::Debug for RevocationSources {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RevocationSources")
            .field("len", &self.sources.len())
            .finish()
    }
}

impl RevocationSources {
    /// No source yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `source` after the others.
    pub fn then(mut self, source: impl RevocationSource + 'static) -> Self {
        self.sources.push(Box::new(source));
        self
    }

    /// How many sources.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

impl RevocationSource for RevocationSources {
    fn status(
        &self,
        cert: &VerifiedCertificate,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        let mut undecided = RevocationStatus::NotChecked {
            reason: super::NotCheckedReason::NoSource,
        };
        let mut first_error = None;
        for source in &self.sources {
            match source.status(cert, time, staleness) {
                Ok(
                    decided @ (RevocationStatus::Good { .. } | RevocationStatus::Revoked { .. }),
                ) => {
                    return Ok(decided);
                }
                Ok(other) => undecided = other,
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(undecided),
        }
    }
}
