//! Issuer trust (ISO/IEC 18013-5 Annex B): the document signer (DS) certificate of an
//! issuerAuth's x5chain must be issued by one of the IACA certificates the caller configures at
//! run time (Japan's IACA is not public yet), or be itself a configured anchor; it must be valid
//! at the verification time and carry the mdoc DS extended key usage when it has one.

use alloc::sync::Arc;
use alloc::vec::Vec;

use der::asn1::ObjectIdentifier;

use super::MdocError;
use crate::pki::backend::{SignatureBackend, VerificationKey, default_backend};
use crate::pki::{Certificate, PkiError, UnixTime};

/// id-mdl-kp-mdlDS (ISO/IEC 18013-5 Annex B.1.4): the document signer's extended key usage.
pub const EKU_MDOC_DS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.0.18013.5.1.2");

/// The IACA (or document signer) certificates trusted for issuerAuth, configured at run time.
#[derive(Clone)]
pub struct IssuerAnchors {
    backend: Arc<dyn SignatureBackend>,
    anchors: Vec<(Certificate, Arc<dyn VerificationKey>)>,
}

impl core::fmt::Debug for IssuerAnchors {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("IssuerAnchors")
            .field("backend", &self.backend.name())
            .field("anchors", &self.anchors.len())
            .finish()
    }
}

/// A document signer certificate that chained to an anchor at the verification time.
#[derive(Debug, Clone)]
pub struct TrustedSigner {
    /// The document signer certificate (DER).
    pub certificate: Certificate,
    /// Its prepared key.
    pub key: Arc<dyn VerificationKey>,
}

impl IssuerAnchors {
    /// Anchors from DER certificates, with the default signature backend.
    pub fn from_der(certs: &[&[u8]]) -> Result<Self, PkiError> {
        Self::with_backend(certs, default_backend())
    }

    /// Anchors from DER certificates, with a chosen backend (e.g. `AwsLc`).
    pub fn with_backend(
        certs: &[&[u8]],
        backend: Arc<dyn SignatureBackend>,
    ) -> Result<Self, PkiError> {
        let mut anchors = Vec::with_capacity(certs.len());
        for der in certs {
            let cert = Certificate::from_der(der)?;
            let key = backend.prepare_key(cert.spki_der()?)?;
            anchors.push((cert, key));
        }
        Ok(IssuerAnchors { backend, anchors })
    }

    /// The backend used for every signature of a verification.
    pub fn backend(&self) -> &Arc<dyn SignatureBackend> {
        &self.backend
    }

    /// Checks the x5chain's first certificate (the DS) at `time`.
    pub fn verify_signer(
        &self,
        x5chain: &[&[u8]],
        time: UnixTime,
    ) -> Result<TrustedSigner, MdocError> {
        let leaf_der = x5chain.first().ok_or(MdocError::IssuerChain {
            reason: "no x5chain",
        })?;
        let chain_err = |reason| move |_| MdocError::IssuerChain { reason };
        let leaf =
            Certificate::from_der(leaf_der).map_err(chain_err("DS certificate does not parse"))?;
        let direct = self.anchors.iter().find(|(a, _)| a.der() == *leaf_der);
        let issuer_ok = direct.is_some()
            || self.anchors.iter().any(|(a, key)| {
                a.subject_der() == leaf.issuer_der()
                    && within(a, time)
                    && key
                        .verify(
                            leaf.signature_algorithm(),
                            leaf.tbs_der(),
                            leaf.signature_bytes(),
                        )
                        .is_ok()
            });
        if !issuer_ok {
            return Err(MdocError::UnknownIssuer);
        }
        if !within(&leaf, time) {
            return Err(MdocError::IssuerCertificateExpired);
        }
        if let Some(ku) = leaf.key_usage()
            && !ku.digital_signature
        {
            return Err(MdocError::IssuerChain {
                reason: "DS certificate without digitalSignature",
            });
        }
        if let Some(eku) = leaf.extended_key_usage()
            && !eku.purposes.contains(&EKU_MDOC_DS)
        {
            return Err(MdocError::IssuerChain {
                reason: "DS certificate without the mdoc DS extended key usage",
            });
        }
        let key = match direct {
            Some((_, k)) => k.clone(),
            None => self
                .backend
                .prepare_key(leaf.spki_der().map_err(chain_err("DS key"))?)
                .map_err(|_| MdocError::IssuerChain {
                    reason: "DS key not P-256 or P-384",
                })?,
        };
        Ok(TrustedSigner {
            certificate: leaf,
            key,
        })
    }
}

fn within(cert: &Certificate, time: UnixTime) -> bool {
    cert.not_before() <= time && time <= cert.not_after()
}
