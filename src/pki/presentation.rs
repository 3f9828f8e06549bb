//! The hot path: verify a presentation — a user-authentication certificate plus its key's
//! signature over the relying party's challenge — in one call.

use super::path::Validity;
use super::{
    Certificate, CertificateKind, Form, HashAlgorithm, PkiError, Purpose, RelyingPartyPolicy,
    RevocationRequirement, RevocationSource, RevocationStatus, TrustStore, UnixTime,
};

/// What the card was asked to sign over the challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedPayload {
    /// The host hashed the challenge with this hash and had the card sign the DigestInfo
    /// (the normal JPKI flow; `Message(Sha256)` is the default).
    Message(HashAlgorithm),
    /// The challenge *is* the hash (the relying party sent a digest); the card signed its
    /// DigestInfo.
    Prehashed(HashAlgorithm),
    /// The card padded the challenge bytes verbatim (e.g. a DigestInfo built elsewhere, or a
    /// bare hash as some platforms sign).
    Raw,
}

/// The inputs of [`verify_presentation`].
#[derive(Debug, Clone, Copy)]
pub struct Presentation<'a> {
    /// DER of the user-authentication certificate read from the card or phone.
    pub certificate: &'a [u8],
    /// The relying party's challenge (nonce), exactly as issued.
    pub challenge: &'a [u8],
    /// The signature returned by the card (256 bytes for RSA-2048).
    pub signature: &'a [u8],
    /// How the challenge was signed.
    pub payload: SignedPayload,
    /// The token form the reader observed (from EF 0006: `JPKIAPICCTOKEN2` → card,
    /// `JPKIAPGPSETOKEN`/`JPKIAPIOSTOKEN` → smartphone). Unverified; used only when the
    /// certificate's policy does not tell the form. `None`: unknown.
    pub observed_form: Option<Form>,
}

impl<'a> Presentation<'a> {
    /// A presentation signed the normal way (SHA-256 DigestInfo of the challenge), form unknown.
    pub fn new(certificate: &'a [u8], challenge: &'a [u8], signature: &'a [u8]) -> Self {
        Self {
            certificate,
            challenge,
            signature,
            payload: SignedPayload::Message(HashAlgorithm::Sha256),
            observed_form: None,
        }
    }
}

/// Grace applied to an expired certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraceUse {
    /// notAfter of the certificate.
    pub expired_at: UnixTime,
    /// The grace (calendar months after notAfter) the policy allowed.
    pub months: u8,
}

/// Who was proven present: the result of [`verify_presentation`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedIdentity {
    /// Serial number of the authentication certificate (magnitude bytes). Together with
    /// `anchor`, the stable identifier of the credential (not of the person).
    pub serial: Vec<u8>,
    /// Kind from the policy table.
    pub kind: CertificateKind,
    /// Card or smartphone: from the certificate policy when it tells, else the observed form.
    pub form: Option<Form>,
    /// Label of the issuing trust anchor.
    pub anchor: String,
    /// notAfter of the certificate.
    pub not_after: UnixTime,
    /// The revocation answer (may be NotChecked under [`RevocationRequirement::BestEffort`]).
    pub revocation: RevocationStatus,
    /// Set when the certificate had expired and the policy's grace let it through.
    pub grace: Option<GraceUse>,
}

/// Verifies a presentation in one call:
///
/// 1. the certificate is a valid user-authentication certificate under `trust` at `time`
///    (or within the policy's grace for an expired **card** certificate);
/// 2. its key's signature over the challenge verifies;
/// 3. `revocation` does not list it (per the policy's staleness and requirement rules).
///
/// ```
/// use mynacard::pki::{self, CrlIndex, CrlLimits, Presentation, RelyingPartyPolicy, TrustStore};
/// # use rsa::{pkcs1v15::SigningKey, pkcs8::DecodePrivateKey, signature::{Signer, SignatureEncoding}};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let trust = TrustStore::test_only_mynacard_test_pki()?; // production: TrustStore::jlis()?
/// let crl = include_bytes!("../../crates/mynacard-virtual-card/data/pki/auth_ca.crl.der");
/// let revocation = CrlIndex::from_der(crl, &trust, CrlLimits::default())?;
///
/// let certificate = include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.der");
/// let challenge = b"nonce from the relying party";
/// # let key = SigningKey::<sha2::Sha256>::from_pkcs8_der(include_bytes!("../../crates/mynacard-virtual-card/data/pki/yamada_auth.key.der"))?;
/// let signature = /* the card's COMPUTE DIGITAL SIGNATURE over SHA-256 DigestInfo(challenge) */
/// #   key.sign(challenge).to_vec();
///
/// let id = pki::verify_presentation(
///     &Presentation::new(certificate, challenge, &signature),
///     &trust,
///     &revocation,
///     &RelyingPartyPolicy::strict(),
///     pki::test_pki::REFERENCE_TIME, // production: the current time
/// )?;
/// assert_eq!(id.serial, [0x32, 0x9B, 0xCA, 0x3A]);
/// # Ok(()) }
/// ```
pub fn verify_presentation(
    presentation: &Presentation<'_>,
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    policy: &RelyingPartyPolicy,
    time: UnixTime,
) -> Result<VerifiedIdentity, PkiError> {
    let cert = Certificate::from_der(presentation.certificate)?;
    let policy_form = cert
        .policies()
        .iter()
        .find_map(|p| trust.policies().classify(p).entry().map(|e| e.form))
        .flatten();
    let form = policy_form.or(presentation.observed_form);
    if form == Some(Form::Smartphone) && !policy.accept_smartphone {
        return Err(PkiError::KindNotAccepted {
            detail: "smartphone certificates".into(),
        });
    }
    let not_after = cert.not_after();
    let months = policy.grace_for(form);
    let validity = if months > 0 {
        Validity::GraceMonths(months)
    } else {
        Validity::Strict
    };
    let verified = trust.verify_parsed(cert, Purpose::Authentication, time, validity)?;
    let grace = (time > not_after).then_some(GraceUse {
        expired_at: not_after,
        months,
    });

    match presentation.payload {
        SignedPayload::Message(h) => {
            verified.verify_message(h, presentation.challenge, presentation.signature)
        }
        SignedPayload::Prehashed(h) => {
            verified.verify_prehash(h, presentation.challenge, presentation.signature)
        }
        SignedPayload::Raw => {
            verified.verify_raw_pkcs1(presentation.challenge, presentation.signature)
        }
    }?;

    let status = revocation.status(&verified, time, policy.staleness)?;
    match status {
        RevocationStatus::Revoked { reason, date } => {
            return Err(PkiError::Revoked { reason, date });
        }
        RevocationStatus::NotChecked { reason }
            if policy.revocation == RevocationRequirement::Required =>
        {
            return Err(PkiError::RevocationNotChecked {
                reason: reason.as_str(),
            });
        }
        _ => {}
    }
    Ok(VerifiedIdentity {
        serial: verified.serial().to_vec(),
        kind: verified.kind().clone(),
        form,
        anchor: verified.anchor().to_owned(),
        not_after,
        revocation: status,
        grace,
    })
}
