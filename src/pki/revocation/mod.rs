//! Revocation: typed status with JPKI's reasons, a staleness policy, and sources behind a
//! trait — verified CRLs ([`CrlIndex`]), sets of partitioned CRLs and ARLs ([`CrlSet`]), and
//! verified OCSP responses ([`ocsp::OcspResponse`]).
//!
//! There is no silent "good": without a source (or with a CRL of another issuer, a CRL for
//! another distribution point, or a stale CRL under [`StalenessPolicy::ReportNotChecked`]) the
//! status is [`RevocationStatus::NotChecked`] with the reason.

mod crl;
#[cfg(feature = "std")]
mod crl_file;
mod index;
#[doc(hidden)]
pub mod internal;
pub mod ocsp;
mod scope;
mod set;
mod sources;

use alloc::sync::Arc;
use core::fmt;

pub use crl::{CrlIndex, CrlLimits, MIN_ENTRY_BYTES};
#[cfg(feature = "std")]
pub use crl_file::CrlFileError;
pub use index::SerialIndex;
pub(crate) use scope::CertificatePoints;
pub use scope::{CrlScope, DistributionPoint, certificate_distribution_points};
pub use set::CrlSet;
pub use sources::RevocationSources;

use super::{PkiError, UnixTime, VerifiedCertificate};

/// CRL reason codes (RFC 5280 §5.3.1) with their JPKI meanings (運用規程 §4.9.9 as exposed by
/// platform operators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RevocationReason {
    /// 0 — JPKI: destroyed before delivery (交付前に破棄).
    Unspecified,
    /// 1 — key compromise.
    KeyCompromise,
    /// 2 — CA compromise.
    CaCompromise,
    /// 3 — JPKI: a recorded item changed (move, marriage…): the sign certificate is revoked
    /// automatically when 基本4情報 change.
    AffiliationChanged,
    /// 4 — JPKI: renewed (更新).
    Superseded,
    /// 5 — JPKI: no longer used (使用しなくなった).
    CessationOfOperation,
    /// 6 — JPKI: 一時保留. **Permanent in JPKI: never released.**
    CertificateHold,
    /// 8 — remove from CRL (delta CRLs only; listed entries are still reported revoked).
    RemoveFromCrl,
    /// 9 — privilege withdrawn.
    PrivilegeWithdrawn,
    /// 10 — AA compromise.
    AaCompromise,
}

impl RevocationReason {
    /// The reason for an RFC 5280 code.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Unspecified,
            1 => Self::KeyCompromise,
            2 => Self::CaCompromise,
            3 => Self::AffiliationChanged,
            4 => Self::Superseded,
            5 => Self::CessationOfOperation,
            6 => Self::CertificateHold,
            8 => Self::RemoveFromCrl,
            9 => Self::PrivilegeWithdrawn,
            10 => Self::AaCompromise,
            _ => return None,
        })
    }

    /// The RFC 5280 code.
    pub fn code(self) -> u8 {
        match self {
            Self::Unspecified => 0,
            Self::KeyCompromise => 1,
            Self::CaCompromise => 2,
            Self::AffiliationChanged => 3,
            Self::Superseded => 4,
            Self::CessationOfOperation => 5,
            Self::CertificateHold => 6,
            Self::RemoveFromCrl => 8,
            Self::PrivilegeWithdrawn => 9,
            Self::AaCompromise => 10,
        }
    }

    /// RFC 5280 name, e.g. `"keyCompromise"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keyCompromise",
            Self::CaCompromise => "cACompromise",
            Self::AffiliationChanged => "affiliationChanged",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationOfOperation",
            Self::CertificateHold => "certificateHold",
            Self::RemoveFromCrl => "removeFromCRL",
            Self::PrivilegeWithdrawn => "privilegeWithdrawn",
            Self::AaCompromise => "aACompromise",
        }
    }

    /// Whether the revocation can ever be lifted. Always `true` in JPKI, including
    /// certificateHold.
    pub fn is_permanent(self) -> bool {
        true
    }
}

impl fmt::Display for RevocationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why no revocation answer was given.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotCheckedReason {
    /// No revocation source was configured.
    NoSource,
    /// The source has no CRL from this certificate's issuer.
    NoCrlForIssuer,
    /// The source has CRLs from the issuer, but none for the certificate's distribution point
    /// (JPKI: its municipality's partition is not loaded). Carries the distribution point.
    NoCrlForDistributionPoint(Arc<str>),
    /// The CRLs held are partitioned and the certificate names no distribution point they can
    /// answer for.
    NoDistributionPoint,
    /// The CRL (or OCSP response) is stale and the staleness policy says "report, don't fail".
    Stale,
    /// The OCSP responder answered `unknown` for the certificate.
    OcspUnknown,
    /// The OCSP response is about another certificate.
    OcspOtherCertificate,
}

impl NotCheckedReason {
    /// A short description (without the distribution point; `Display` names it).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::NoSource => "no revocation source",
            Self::NoCrlForIssuer => "no CRL for this issuer",
            Self::NoCrlForDistributionPoint(_) => "no CRL for the distribution point",
            Self::NoDistributionPoint => "no usable CRL distribution point",
            Self::Stale => "CRL stale",
            Self::OcspUnknown => "OCSP responder says unknown",
            Self::OcspOtherCertificate => "OCSP response for another certificate",
        }
    }
}

impl fmt::Display for NotCheckedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoCrlForDistributionPoint(dp) => write!(f, "no CRL for {dp}"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// Seconds a CRL's or OCSP response's thisUpdate may lie ahead of the
/// verification time by default (5 minutes): the CA's clock and the relying
/// party's differ. [`CrlIndex::with_clock_skew`] and
/// [`ocsp::OcspRequest::with_clock_skew`] change it.
pub const DEFAULT_CLOCK_SKEW_SECS: u64 = 300;

/// Which kind of revocation evidence gave an answer: a CRL or an OCSP response. Evidence
/// names it ([`RevocationStatus::source`], JSON `"source": "crl" | "ocsp"`), so a log or an
/// audit record says what the answer rests on, also behind [`RevocationSources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RevocationMethod {
    /// A CRL of the issuer ([`CrlIndex`], [`CrlSet`]).
    Crl,
    /// An OCSP response for the certificate ([`ocsp::OcspResponse`]).
    Ocsp,
}

impl RevocationMethod {
    /// `"crl"` or `"ocsp"`, also its `Display`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Crl => "crl",
            Self::Ocsp => "ocsp",
        }
    }
}

impl fmt::Display for RevocationMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The revocation status of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationStatus {
    /// Not on a fresh CRL of its issuer whose scope covers it (or `good` in a fresh, verified
    /// OCSP response).
    Good {
        /// thisUpdate of the CRL (or OCSP response) consulted.
        this_update: UnixTime,
        /// nextUpdate of the CRL (or OCSP response) consulted.
        next_update: Option<UnixTime>,
        /// Which evidence answered: the CRL or the OCSP response.
        source: RevocationMethod,
    },
    /// On the CRL, or revoked in the OCSP response (JPKI revocations, certificateHold
    /// included, are permanent).
    Revoked {
        /// Reason code, when the entry has one.
        reason: Option<RevocationReason>,
        /// Revocation date.
        date: UnixTime,
        /// Which evidence answered: the CRL or the OCSP response.
        source: RevocationMethod,
    },
    /// No check was made.
    NotChecked {
        /// Why.
        reason: NotCheckedReason,
    },
}

impl RevocationStatus {
    /// The evidence that answered (`None`: not checked).
    pub const fn source(&self) -> Option<RevocationMethod> {
        match self {
            Self::Good { source, .. } | Self::Revoked { source, .. } => Some(*source),
            Self::NotChecked { .. } => None,
        }
    }
}

/// What to do when the verification time is past a CRL's nextUpdate (or it has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StalenessPolicy {
    /// Fail with [`PkiError::CrlStale`].
    Reject,
    /// Accept up to `secs` seconds past nextUpdate, then fail with [`PkiError::CrlStale`].
    Tolerate {
        /// Seconds of tolerance.
        secs: u64,
    },
    /// Report [`RevocationStatus::NotChecked`] with [`NotCheckedReason::Stale`].
    ReportNotChecked,
}

/// A source of revocation answers.
pub trait RevocationSource: Send + Sync {
    /// The status of `cert` at `time`.
    fn status(
        &self,
        cert: &VerifiedCertificate,
        time: UnixTime,
        staleness: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError>;
}

/// The source that checks nothing: always [`RevocationStatus::NotChecked`] /
/// [`NotCheckedReason::NoSource`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRevocationSource;

impl RevocationSource for NoRevocationSource {
    fn status(
        &self,
        _: &VerifiedCertificate,
        _: UnixTime,
        _: StalenessPolicy,
    ) -> Result<RevocationStatus, PkiError> {
        Ok(RevocationStatus::NotChecked {
            reason: NotCheckedReason::NoSource,
        })
    }
}
