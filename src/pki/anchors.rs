//! Trust anchors: the six J-LIS roots compiled in as trust-anchor information
//! ([`super::JLIS_ROOTS`]: every generation, expired ones kept for checking old signatures at a
//! past time), and TEST roots only through explicitly named constructors behind their own
//! features: this crate's TEST CAs ([`TrustStore::test_only_mynacard_test_pki`], `test-pki`)
//! and the JPKI-TEST roots of real J-LIS test cards (`TrustStore::test_only_jlis_test_cards`,
//! `jlis-test`).
//!
//! A root certificate read from anywhere else (a card's EF 000B / EF 0002, a file from J-LIS) is
//! accepted only by [`TrustStore::recognise_root`], and only if its SHA-256 fingerprint is one of
//! the six pinned ones; the caller's own roots go through [`TrustStore::add_anchor`].
//!
//! Generations share one DN. Issuers are resolved by name, then by key identifier, then by
//! signature (see [`TrustStore::verify_certificate`]).

use alloc::string::String;
use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::name::Name;

use super::{
    Certificate, Hierarchy, JLIS_ROOTS, PkiError, PolicyTable, Purpose, TrustAnchorInfo, UnixTime,
};
use crate::crypto::backend::{SignatureBackend, VerificationKey, default_backend};

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

/// One trusted root, prepared for verification.
#[derive(Debug, Clone)]
pub struct TrustAnchor {
    label: Arc<str>,
    purpose: Purpose,
    hierarchy: Hierarchy,
    generation: Option<u16>,
    serial: Vec<u8>,
    subject: Name,
    subject_der: Vec<u8>,
    subject_key_id: Option<Vec<u8>>,
    spki_der: Vec<u8>,
    not_before: UnixTime,
    not_after: UnixTime,
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
    /// The generation (year of issue) of a J-LIS root; `None` for roots added by the caller.
    pub fn generation(&self) -> Option<u16> {
        self.generation
    }
    /// The root certificate's serial (magnitude bytes).
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }
    /// The serial as upper-case hex.
    pub fn serial_hex(&self) -> String {
        self.serial.iter().map(|b| format!("{b:02X}")).collect()
    }
    /// The subject name.
    pub fn subject(&self) -> &Name {
        &self.subject
    }
    /// The subject name's DER.
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }
    /// subjectKeyIdentifier, if the root has one.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.as_deref()
    }
    /// The root's SubjectPublicKeyInfo (DER), e.g. for OCSP CertID key hashes.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }
    /// notBefore of the root.
    pub fn not_before(&self) -> UnixTime {
        self.not_before
    }
    /// notAfter of the root.
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }
    /// SHA-256 of the root certificate's DER.
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

    /// The six J-LIS production roots compiled into this crate ([`JLIS_ROOTS`]: 利用者証明用
    /// and 署名用, generations 2015, 2019 and 2023) with [`PolicyTable::jlis`] and the default
    /// (`rsa`) backend.
    pub fn jlis() -> Result<Self, PkiError> {
        Self::jlis_with_backend(default_backend())
    }

    /// [`TrustStore::jlis`] with another signature backend.
    pub fn jlis_with_backend(backend: Arc<dyn SignatureBackend>) -> Result<Self, PkiError> {
        let mut store = Self::empty(PolicyTable::jlis(), backend);
        for info in &JLIS_ROOTS {
            store.add_anchor_info(info, Hierarchy::Production)?;
        }
        Ok(store)
    }

    /// Adds a root given as trust-anchor information (e.g. one of [`JLIS_ROOTS`]).
    pub fn add_anchor_info(
        &mut self,
        info: &TrustAnchorInfo,
        hierarchy: Hierarchy,
    ) -> Result<(), PkiError> {
        let bad = |d: String| PkiError::BadTrustAnchor {
            detail: format!("{}: {d}", info.label),
        };
        let subject = Name::from_der(info.subject).map_err(|e| bad(e.to_string()))?;
        let key = self.backend.prepare_key(info.spki)?;
        self.anchors.push(TrustAnchor {
            label: info.label.into(),
            purpose: info.purpose,
            hierarchy,
            generation: Some(info.generation),
            serial: info.serial.to_vec(),
            subject,
            subject_der: info.subject.to_vec(),
            subject_key_id: Some(info.subject_key_id.to_vec()),
            spki_der: info.spki.to_vec(),
            not_before: info.not_before,
            not_after: info.not_after,
            key,
            fingerprint: info.sha256,
        });
        Ok(())
    }

    /// Accepts a root certificate from any source (a card's EF 000B / EF 0002, a file from
    /// J-LIS) only if its SHA-256 fingerprint is one of the six pinned J-LIS roots. Returns the
    /// pinned information; the root is added to this store if it is not there yet.
    ///
    /// ```
    /// # use mynacard::pki::{PkiError, TrustStore};
    /// let mut store = TrustStore::jlis()?;
    /// let not_a_root = [0x30, 0x00];
    /// assert!(matches!(store.recognise_root(&not_a_root), Err(PkiError::UnrecognisedRoot { .. })));
    /// # Ok::<(), PkiError>(())
    /// ```
    pub fn recognise_root(&mut self, der: &[u8]) -> Result<&'static TrustAnchorInfo, PkiError> {
        let fingerprint: [u8; 32] = Sha256::digest(der).into();
        let info = TrustAnchorInfo::jlis_by_fingerprint(&fingerprint).ok_or_else(|| {
            PkiError::UnrecognisedRoot {
                fingerprint: fingerprint.iter().map(|b| format!("{b:02X}")).collect(),
            }
        })?;
        if !self.anchors.iter().any(|a| a.fingerprint == fingerprint) {
            self.add_anchor_info(info, Hierarchy::Production)?;
        }
        Ok(info)
    }

    /// **TEST ONLY** (feature `test-pki`, on with `virtual-card`). The two TEST CAs of this
    /// crate's generated test PKI (`crates/mynacard-virtual-card/data/pki`, private keys public
    /// in the repository; compiled in as [`super::MYNACARD_TEST_ROOTS`]) with
    /// [`PolicyTable::mynacard_test`]. Never in a production build.
    #[cfg(feature = "test-pki")]
    pub fn test_only_mynacard_test_pki() -> Result<Self, PkiError> {
        Self::test_only_mynacard_test_pki_with_backend(default_backend())
    }

    /// **TEST ONLY** (feature `test-pki`). [`TrustStore::test_only_mynacard_test_pki`] with
    /// another backend.
    #[cfg(feature = "test-pki")]
    pub fn test_only_mynacard_test_pki_with_backend(
        backend: Arc<dyn SignatureBackend>,
    ) -> Result<Self, PkiError> {
        let mut store = Self::empty(PolicyTable::mynacard_test(), backend);
        for info in &super::MYNACARD_TEST_ROOTS {
            store.add_anchor_info(info, Hierarchy::MynacardTest)?;
        }
        Ok(store)
    }

    /// **TEST ONLY** (feature `jlis-test`). The JPKI-TEST roots of real J-LIS test cards
    /// (テスト用カード, `O=JPKI-TEST`; [`super::JLIS_TEST_ROOTS`], pinned by fingerprint) with
    /// [`PolicyTable::jlis_test`]: what a vendor developing against test cards verifies with.
    /// Every result says [`Hierarchy::JlisTest`]. No production store holds any of it.
    ///
    /// ```
    /// # use mynacard::pki::{Hierarchy, TrustStore};
    /// let store = TrustStore::test_only_jlis_test_cards()?;
    /// assert!(store.anchors().iter().all(|a| a.hierarchy() == Hierarchy::JlisTest));
    /// # Ok::<(), mynacard::pki::PkiError>(())
    /// ```
    #[cfg(feature = "jlis-test")]
    pub fn test_only_jlis_test_cards() -> Result<Self, PkiError> {
        Self::test_only_jlis_test_cards_with_backend(default_backend())
    }

    /// **TEST ONLY** (feature `jlis-test`). [`TrustStore::test_only_jlis_test_cards`] with
    /// another backend.
    #[cfg(feature = "jlis-test")]
    pub fn test_only_jlis_test_cards_with_backend(
        backend: Arc<dyn SignatureBackend>,
    ) -> Result<Self, PkiError> {
        let mut store = Self::empty(PolicyTable::jlis_test(), backend);
        for info in &super::JLIS_TEST_ROOTS {
            store.add_anchor_info(info, Hierarchy::JlisTest)?;
        }
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
        let key = self.backend.prepare_key(cert.spki_der()?)?;
        key.verify(
            cert.signature_algorithm(),
            cert.tbs_der(),
            cert.signature_bytes(),
        )
        .map_err(|e| bad(&format!("self-signature: {e}")))?;
        let fingerprint = Sha256::digest(der).into();
        let subject_der = cert
            .subject()
            .to_der()
            .map_err(|e| PkiError::malformed("certificate", e))?;
        self.anchors.push(TrustAnchor {
            label: label.into(),
            purpose,
            hierarchy,
            generation: None,
            serial: cert.serial().to_vec(),
            subject: cert.subject().clone(),
            subject_der,
            subject_key_id: cert.subject_key_id().map(<[u8]>::to_vec),
            spki_der: cert.spki_der()?.to_vec(),
            not_before: cert.not_before(),
            not_after: cert.not_after(),
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

    /// Anchors whose subject DER is `issuer` byte for byte (and, when `key_id` is given, whose
    /// subjectKeyIdentifier matches it): the hot path, no name decoding.
    pub(crate) fn candidates_der<'s>(
        &'s self,
        issuer: &'s [u8],
        key_id: Option<&'s [u8]>,
    ) -> impl Iterator<Item = &'s TrustAnchor> + 's {
        self.anchors.iter().filter(move |a| {
            a.subject_der == issuer && key_id.is_none_or(|k| a.subject_key_id() == Some(k))
        })
    }

    /// Anchors whose subject is `issuer` (and, when `key_id` is given, whose subjectKeyIdentifier
    /// matches it).
    pub(crate) fn candidates<'s>(
        &'s self,
        issuer: &'s x509_cert::name::Name,
        key_id: Option<&'s [u8]>,
    ) -> impl Iterator<Item = &'s TrustAnchor> + 's {
        self.anchors.iter().filter(move |a| {
            &a.subject == issuer && key_id.is_none_or(|k| a.subject_key_id() == Some(k))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_in_anchors_are_the_six_jlis_roots_in_generation_order() {
        let labels: Vec<&str> = JLIS_ROOTS.iter().map(|r| r.label).collect();
        assert_eq!(
            labels,
            [
                "jlis_auth_ca_2015",
                "jlis_auth_ca_2019",
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
