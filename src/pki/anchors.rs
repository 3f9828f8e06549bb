//! Trust anchors: the real J-LIS roots compiled in (every generation we hold, expired ones
//! kept for checking old signatures at a past time), and this crate's TEST CAs only through the
//! explicitly named [`TrustStore::test_only_mynacard_test_pki`].
//!
//! A card's own CA certificate files (EF 0002 / 000B) are never anchors: anchors come only from
//! this crate or from the caller's [`TrustStore::add_anchor`].
//!
//! Generations share one DN. Issuers are resolved by name, then by key identifier, then by
//! signature (see [`TrustStore::verify_certificate`]).

use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::backend::{SignatureBackend, VerificationKey, default_backend};
use super::{Certificate, Hierarchy, PkiError, PolicyTable, Purpose};

include!(concat!(env!("OUT_DIR"), "/anchor_files.rs"));

/// What path validation does with a certificate policy missing from the [`PolicyTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownPolicy {
    /// Refuse it ([`PkiError::WrongPolicy`]). The default.
    #[default]
    Reject,
    /// Accept it and report [`super::CertificateKind::Unknown`] (e.g. to let in smartphone
    /// certificates whose policy OIDs are not yet in the table).
    Accept,
}

/// Tunables of path validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationOptions {
    /// Work budget: at most this many signature checks per certificate (issuer candidates that
    /// share a DN are tried in turn).
    pub max_signature_checks: u32,
    /// Policy OIDs absent from the table.
    pub unknown_policy: UnknownPolicy,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        Self {
            max_signature_checks: 4,
            unknown_policy: UnknownPolicy::Reject,
        }
    }
}

/// One trusted root.
#[derive(Debug, Clone)]
pub struct TrustAnchor {
    label: Arc<str>,
    purpose: Purpose,
    hierarchy: Hierarchy,
    cert: Certificate,
    pub(crate) key: Arc<dyn VerificationKey>,
    fingerprint: [u8; 32],
}

impl TrustAnchor {
    /// The anchor's label, e.g. `"jlis_auth_ca_2023"`.
    pub fn label(&self) -> &str {
        &self.label
    }
    pub(crate) fn label_arc(&self) -> Arc<str> {
        Arc::clone(&self.label)
    }
    /// What the CA issues.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }
    /// Which PKI the CA belongs to.
    pub fn hierarchy(&self) -> Hierarchy {
        self.hierarchy
    }
    /// The CA certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }
    /// SHA-256 of the CA certificate's DER.
    pub fn sha256_fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }
}

/// The set of trust anchors, the policy table, the validation options and the signature
/// backend: everything path validation needs besides the certificate and the time.
#[derive(Debug, Clone)]
pub struct TrustStore {
    pub(crate) anchors: Vec<TrustAnchor>,
    pub(crate) policies: PolicyTable,
    pub(crate) backend: Arc<dyn SignatureBackend>,
    pub(crate) options: ValidationOptions,
}

impl TrustStore {
    /// An empty store (add anchors with [`TrustStore::add_anchor`]).
    pub fn empty(policies: PolicyTable, backend: Arc<dyn SignatureBackend>) -> Self {
        Self {
            anchors: Vec::new(),
            policies,
            backend,
            options: ValidationOptions::default(),
        }
    }

    /// The real J-LIS production roots compiled into this crate (`src/pki/anchors/`: 署名用
    /// 2015/2019/2023, 利用者証明用 2015/2023 — the 2019 利用者証明用 root is not held yet) with
    /// [`PolicyTable::jlis`] and the default (`rsa`) backend.
    pub fn jlis() -> Result<Self, PkiError> {
        Self::jlis_with_backend(default_backend())
    }

    /// [`TrustStore::jlis`] with another signature backend.
    pub fn jlis_with_backend(backend: Arc<dyn SignatureBackend>) -> Result<Self, PkiError> {
        let mut store = Self::empty(PolicyTable::jlis(), backend);
        for (label, pem) in ANCHOR_FILES {
            let purpose = if label.starts_with("jlis_sign_ca") {
                Purpose::Signature
            } else if label.starts_with("jlis_auth_ca") {
                Purpose::Authentication
            } else {
                return Err(PkiError::BadTrustAnchor {
                    detail: format!("{label}: name must start with jlis_sign_ca or jlis_auth_ca"),
                });
            };
            let (_, der) =
                der::pem::decode_vec(pem.as_bytes()).map_err(|e| PkiError::BadTrustAnchor {
                    detail: format!("{label}: {e}"),
                })?;
            store.add_anchor(label, &der, purpose, Hierarchy::Production)?;
        }
        Ok(store)
    }

    /// **TEST ONLY.** The two TEST CAs of this crate's generated test PKI (`crates/mynacard-virtual-card/data/pki`,
    /// private keys public in the repository) with [`PolicyTable::mynacard_test`]. Never use in
    /// production.
    pub fn test_only_mynacard_test_pki() -> Result<Self, PkiError> {
        Self::test_only_mynacard_test_pki_with_backend(default_backend())
    }

    /// **TEST ONLY.** [`TrustStore::test_only_mynacard_test_pki`] with another backend.
    pub fn test_only_mynacard_test_pki_with_backend(
        backend: Arc<dyn SignatureBackend>,
    ) -> Result<Self, PkiError> {
        let mut store = Self::empty(PolicyTable::mynacard_test(), backend);
        let sign = mynacard_virtual_card::TEST_SIGN_CA_DER;
        let auth = mynacard_virtual_card::TEST_AUTH_CA_DER;
        store.add_anchor(
            "mynacard_TEST_sign_ca",
            sign,
            Purpose::Signature,
            Hierarchy::MynacardTest,
        )?;
        store.add_anchor(
            "mynacard_TEST_auth_ca",
            auth,
            Purpose::Authentication,
            Hierarchy::MynacardTest,
        )?;
        Ok(store)
    }

    /// Adds a root (DER). It must be a self-issued CA certificate (basicConstraints CA:TRUE,
    /// keyUsage keyCertSign when present) whose self-signature verifies; validity dates are not
    /// checked here (expired roots stay usable for verification at a past time).
    pub fn add_anchor(
        &mut self,
        label: &str,
        der: &[u8],
        purpose: Purpose,
        hierarchy: Hierarchy,
    ) -> Result<(), PkiError> {
        let bad = |d: &str| PkiError::BadTrustAnchor {
            detail: format!("{label}: {d}"),
        };
        let cert = Certificate::from_der(der)?;
        if !cert.is_self_issued() {
            return Err(bad("not self-issued"));
        }
        if cert.is_ca() != Some(true) {
            return Err(bad("basicConstraints CA:TRUE missing"));
        }
        if cert.key_usage().is_some_and(|ku| !ku.key_cert_sign) {
            return Err(bad("keyUsage lacks keyCertSign"));
        }
        let key = self.backend.prepare_key(&cert.spki_der()?)?;
        key.verify(
            cert.signature_algorithm(),
            cert.tbs_der(),
            cert.signature_bytes(),
        )
        .map_err(|e| bad(&format!("self-signature: {e}")))?;
        let fingerprint = Sha256::digest(der).into();
        self.anchors.push(TrustAnchor {
            label: label.into(),
            purpose,
            hierarchy,
            cert,
            key,
            fingerprint,
        });
        Ok(())
    }

    /// Replaces the policy table.
    pub fn with_policies(mut self, policies: PolicyTable) -> Self {
        self.policies = policies;
        self
    }

    /// Replaces the validation options.
    pub fn with_options(mut self, options: ValidationOptions) -> Self {
        self.options = options;
        self
    }

    /// The anchors, in load order.
    pub fn anchors(&self) -> &[TrustAnchor] {
        &self.anchors
    }

    /// The policy table.
    pub fn policies(&self) -> &PolicyTable {
        &self.policies
    }

    /// The signature backend.
    pub fn backend(&self) -> &Arc<dyn SignatureBackend> {
        &self.backend
    }

    /// Anchors whose subject is `issuer` (and, when `key_id` is given, whose subjectKeyIdentifier
    /// matches it).
    pub(crate) fn candidates<'s>(
        &'s self,
        issuer: &'s x509_cert::name::Name,
        key_id: Option<&'s [u8]>,
    ) -> impl Iterator<Item = &'s TrustAnchor> + 's {
        self.anchors.iter().filter(move |a| {
            a.cert.subject() == issuer && key_id.is_none_or(|k| a.cert.subject_key_id() == Some(k))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_in_files_are_the_five_jlis_roots() {
        let labels: Vec<&str> = ANCHOR_FILES.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            labels,
            [
                "jlis_auth_ca_2015",
                "jlis_auth_ca_2023",
                "jlis_sign_ca_2015",
                "jlis_sign_ca_2019",
                "jlis_sign_ca_2023"
            ]
        );
    }

    #[test]
    fn refuses_a_leaf_as_anchor() {
        let mut s = TrustStore::empty(PolicyTable::new(), default_backend());
        let leaf = include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.der");
        let e = s.add_anchor(
            "leaf",
            leaf,
            Purpose::Authentication,
            Hierarchy::MynacardTest,
        );
        assert_eq!(
            e,
            Err(PkiError::BadTrustAnchor {
                detail: "leaf: not self-issued".into()
            })
        );
    }
}
