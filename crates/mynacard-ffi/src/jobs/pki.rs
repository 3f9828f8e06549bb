//! JPKI verification: a trust store with its CRLs, presentation and certificate-path
//! checks at a given time.

use std::sync::RwLock;

use mynacard::pki::{
    self, CrlIndex, CrlLimits, CrlSet, Presentation, Purpose, RelyingPartyPolicy,
    RevocationRequirement, TrustStore, UnixTime,
};
use serde::Deserialize;
use serde_json::json;

use super::error::Error;
use super::json;

/// Which roots a [`Trust`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustKind {
    /// The J-LIS production roots.
    Jlis,
    /// **TEST ONLY**: this crate's generated TEST PKI (what the virtual card carries).
    Test,
}

impl TrustKind {
    /// `"jlis"` or `"test"`.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        match name {
            "jlis" => Ok(Self::Jlis),
            "test" => Ok(Self::Test),
            _ => Err(Error::argument(
                "trust",
                format!("unknown trust store {name:?} (jlis, test)"),
            )),
        }
    }
}

/// The relying-party policy, as JSON: `{"preset": "medical_eligibility" | "strict",
/// "revocation": "required" | "best_effort", "accept_smartphone": bool}`; every
/// field optional (default: `medical_eligibility`, its own settings).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyOptions {
    /// `medical_eligibility` (3 months' grace for expired card certificates) or
    /// `strict`.
    #[serde(default)]
    pub preset: Option<String>,
    /// `required` (no CRL for the issuer → refused) or `best_effort`.
    #[serde(default)]
    pub revocation: Option<String>,
    /// Whether smartphone certificates are accepted.
    #[serde(default)]
    pub accept_smartphone: Option<bool>,
}

impl PolicyOptions {
    /// Parses the JSON form (`None` or empty: the defaults).
    pub fn from_json(json: Option<&str>) -> Result<Self, Error> {
        match json.map(str::trim) {
            None | Some("") => Ok(Self::default()),
            Some(s) => super::input::from_json("policy", s),
        }
    }

    /// The core policy.
    pub fn policy(&self) -> Result<RelyingPartyPolicy, Error> {
        let mut p = match self.preset.as_deref() {
            None | Some("medical_eligibility") => RelyingPartyPolicy::medical_eligibility(),
            Some("strict") => RelyingPartyPolicy::strict(),
            Some(other) => {
                return Err(Error::argument(
                    "policy",
                    format!("unknown policy preset {other:?} (medical_eligibility, strict)"),
                ));
            }
        };
        match self.revocation.as_deref() {
            None => {}
            Some("required") => p.revocation = RevocationRequirement::Required,
            Some("best_effort") => p.revocation = RevocationRequirement::BestEffort,
            Some(other) => {
                return Err(Error::argument(
                    "policy",
                    format!("unknown revocation requirement {other:?} (required, best_effort)"),
                ));
            }
        }
        if let Some(a) = self.accept_smartphone {
            p.accept_smartphone = a;
        }
        Ok(p)
    }
}

/// `purpose` by name: `"authentication"` or `"signature"`.
pub fn purpose_from_name(name: &str) -> Result<Purpose, Error> {
    match name {
        "authentication" | "auth" => Ok(Purpose::Authentication),
        "signature" | "sign" => Ok(Purpose::Signature),
        _ => Err(Error::argument(
            "purpose",
            format!("unknown purpose {name:?} (authentication, signature)"),
        )),
    }
}

/// The verification time: `Some(unix seconds)`, or `None` for the system clock.
pub fn time_or_now(unix: Option<u64>) -> UnixTime {
    unix.map_or_else(UnixTime::now, UnixTime::from_secs)
}

/// A trust store and the CRLs loaded into it. Shareable between threads: loading
/// a CRL takes a write lock, verifications a read lock.
#[derive(Debug)]
pub struct Trust {
    kind: TrustKind,
    store: TrustStore,
    crls: RwLock<CrlSet>,
}

impl Trust {
    /// A store of `kind`, with no CRL.
    pub fn new(kind: TrustKind) -> Result<Self, Error> {
        let store = match kind {
            TrustKind::Jlis => TrustStore::jlis()?,
            TrustKind::Test => TrustStore::test_only_mynacard_test_pki()?,
        };
        Ok(Self {
            kind,
            store,
            crls: RwLock::new(CrlSet::new()),
        })
    }

    /// Which roots.
    pub fn kind(&self) -> TrustKind {
        self.kind
    }

    /// The core trust store.
    pub fn store(&self) -> &TrustStore {
        &self.store
    }

    /// A snapshot of the CRLs loaded.
    pub fn crls(&self) -> CrlSet {
        self.crls
            .read()
            .map_or_else(|p| p.into_inner().clone(), |g| g.clone())
    }

    /// Verifies a CRL (DER) against the store and adds it; returns
    /// `{"anchor", "this_update", "next_update", "entries"}`.
    pub fn add_crl(&self, der: &[u8]) -> Result<String, Error> {
        let crl = CrlIndex::from_der(der, &self.store, CrlLimits::default())?;
        let summary = json!({
            "anchor": crl.anchor(),
            "this_update": { "iso": crl.this_update().to_string(), "unix": crl.this_update().as_secs() },
            "next_update": crl.next_update().map(|t| json!({ "iso": t.to_string(), "unix": t.as_secs() })),
            "entries": crl.entries().len(),
        });
        let mut crls = self.crls.write().unwrap_or_else(|p| p.into_inner());
        crls.insert(crl);
        Ok(summary.to_string())
    }

    /// Verifies a presentation (auth certificate + signature over the challenge,
    /// SHA-256 DigestInfo) at `time`; the verified identity's JSON form.
    pub fn verify_presentation(
        &self,
        certificate: &[u8],
        challenge: &[u8],
        signature: &[u8],
        policy: &PolicyOptions,
        time: UnixTime,
    ) -> Result<String, Error> {
        let policy = policy.policy()?;
        let crls = self.crls.read().unwrap_or_else(|p| p.into_inner());
        let id = pki::verify_presentation(
            &Presentation::new(certificate, challenge, signature),
            &self.store,
            &*crls,
            &policy,
            time,
        )?;
        json::verified_identity(&id)
            .map(|v| v.to_string())
            .map_err(|e| {
                super::error::Error::new(
                    super::error::ErrorKind::Internal,
                    "internal.json",
                    e.to_string(),
                )
            })
    }

    /// Validates a certificate's path to the store for `purpose` at `time` (no
    /// revocation check); `{"serial", "purpose", "kind", "anchor", "verified_at"}`.
    pub fn verify_certificate(
        &self,
        der: &[u8],
        purpose: Purpose,
        time: UnixTime,
    ) -> Result<String, Error> {
        let v = self.store.verify_certificate(der, purpose, time)?;
        let serial: String = v.serial().iter().map(|b| format!("{b:02X}")).collect();
        Ok(json!({
            "serial": serial,
            "purpose": json::name(&v.purpose()),
            "policy": v.kind().oid().to_string(),
            "anchor": v.anchor(),
            "verified_at": { "iso": v.verified_at().to_string(), "unix": v.verified_at().as_secs() },
        })
        .to_string())
    }
}
