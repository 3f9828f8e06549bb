//! The hot path: verify a presentation — a user-authentication certificate plus its key's
//! signature over the relying party's challenge — in one call.

use super::path::Validity;
use super::{
    Certificate, CertificateKind, Form, HashAlgorithm, PkiError, Purpose, RelyingPartyPolicy,
    RevocationRequirement, RevocationSource, RevocationStatus, TrustStore, UnixTime,
};
use crate::card::ProvenCard;
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

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
    /// The token's form as its own label says **in this session** (EF 0006:
    /// `JPKIAPICCTOKEN2` → card, `JPKIAPGPSETOKEN` / `JPKIAPIOSTOKEN` → smartphone). The label
    /// is bytes the token answers, so it is believed only where it costs the holder: a label
    /// saying *smartphone* is taken at its word (no grace, refused under `accept_smartphone =
    /// false`); a label saying *card* establishes nothing unless the policy opts in
    /// ([`RelyingPartyPolicy::trust_token_label`]) — a card is proven by
    /// [`Presentation::proven_card`]. `None` and no proof: any decision that needs the form
    /// fails with [`PkiError::FormNotEstablished`], and the caller may read EF 0006 (and prove
    /// the card) and try again.
    pub token_form: Option<Form>,
    /// A card proven present in this session over **this** presentation's challenge
    /// ([`crate::card::CardProofEvidence::verify`]: the MF-level CV chain under a J-LIS CV key
    /// and INTERNAL AUTHENTICATE by the key it certifies). Establishes [`Form::Card`] when the
    /// certificate's policy does not state the form.
    pub proven_card: Option<&'a ProvenCard>,
}

impl<'a> Presentation<'a> {
    /// A presentation signed the normal way (SHA-256 DigestInfo of the challenge), form unknown.
    pub fn new(certificate: &'a [u8], challenge: &'a [u8], signature: &'a [u8]) -> Self {
        Self {
            certificate,
            challenge,
            signature,
            payload: SignedPayload::Message(HashAlgorithm::Sha256),
            token_form: None,
            proven_card: None,
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

/// How the token's form (card or smartphone) was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormSource {
    /// The certificate's policy OID states the form (policy table).
    Certificate,
    /// The token's own EF 0006 label, read in the same session ([`Presentation::token_form`]):
    /// a label saying smartphone, or any label under
    /// [`RelyingPartyPolicy::trust_token_label`].
    TokenLabel,
    /// A card proven present in the same session ([`Presentation::proven_card`]).
    CardProof,
}

impl FormSource {
    /// A stable plain-string form (`"certificate"`, `"token_label"`, `"card_proof"`), also
    /// its `Display`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Certificate => "certificate",
            Self::TokenLabel => "token_label",
            Self::CardProof => "card_proof",
        }
    }
}

impl core::fmt::Display for FormSource {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.code())
    }
}

/// Who was proven present: the result of [`verify_presentation`], and only of it — the fields
/// are private and there is no public constructor, so holding one means the check ran.
///
/// ```compile_fail
/// // Outside the crate a VerifiedIdentity cannot be made up:
/// let forged = mynacard::pki::VerifiedIdentity {
///     serial: vec![1],
///     kind: mynacard::pki::CertificateKind::Unknown(der::asn1::ObjectIdentifier::new_unwrap("1.2.3")),
///     form: None,
///     form_source: None,
///     anchor: "jlis_auth_ca_2019".into(),
///     not_after: mynacard::pki::UnixTime::from_secs(0),
///     revocation: mynacard::pki::RevocationStatus::NotChecked {
///         reason: mynacard::pki::NotCheckedReason::NoSource,
///     },
///     grace: None,
/// };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    serial: Vec<u8>,
    kind: CertificateKind,
    form: Option<Form>,
    form_source: Option<FormSource>,
    anchor: String,
    not_after: UnixTime,
    revocation: RevocationStatus,
    grace: Option<GraceUse>,
}

impl VerifiedIdentity {
    /// Serial number of the authentication certificate (magnitude bytes). Together with
    /// [`VerifiedIdentity::anchor`], the stable identifier of the credential (not of the person).
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }
    /// The serial as upper-case hex, e.g. `"329BCA3A"`.
    pub fn serial_hex(&self) -> String {
        self.serial.iter().map(|b| format!("{b:02X}")).collect()
    }
    /// Kind from the policy table.
    pub fn kind(&self) -> &CertificateKind {
        &self.kind
    }
    /// Card or smartphone, when established (see [`VerifiedIdentity::form_source`]).
    pub fn form(&self) -> Option<Form> {
        self.form
    }
    /// How the form was established: by the certificate, or by the token's label read in the
    /// same session. `None`: no decision needed it and it was not established.
    pub fn form_source(&self) -> Option<FormSource> {
        self.form_source
    }
    /// Label of the issuing trust anchor.
    pub fn anchor(&self) -> &str {
        &self.anchor
    }
    /// notAfter of the certificate.
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }
    /// The revocation answer (may be NotChecked under [`RevocationRequirement::BestEffort`]).
    pub fn revocation(&self) -> RevocationStatus {
        self.revocation.clone()
    }
    /// Set when the certificate had expired and the policy's grace let it through.
    pub fn grace(&self) -> Option<GraceUse> {
        self.grace
    }
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
/// assert_eq!(id.serial(), [0x32, 0x9B, 0xCA, 0x3A]);
/// # Ok(()) }
/// ```
pub fn verify_presentation(
    presentation: &Presentation<'_>,
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    policy: &RelyingPartyPolicy,
    time: UnixTime,
) -> Result<VerifiedIdentity, PkiError> {
    crate::trace::decision(
        "pki.presentation",
        |_| "verified",
        PkiError::code,
        || verify_untraced(presentation, trust, revocation, policy, time),
    )
}

fn verify_untraced(
    presentation: &Presentation<'_>,
    trust: &TrustStore,
    revocation: &dyn RevocationSource,
    policy: &RelyingPartyPolicy,
    time: UnixTime,
) -> Result<VerifiedIdentity, PkiError> {
    let cert = Certificate::from_der(presentation.certificate)?;
    let established = established_form(&cert, trust, presentation, policy)?;
    let not_after = cert.not_after();
    // Decisions that need the form: refusing phones, and the grace for an expired certificate.
    let needs_form =
        !policy.accept_smartphone || (time > not_after && policy.card_auth_grace_months > 0);
    let nothing_read = presentation.token_form.is_none() && presentation.proven_card.is_none();
    let (form, form_source) = match established {
        Some((form, source)) => (Some(form), Some(source)),
        // Nothing read yet: the caller may read the label, prove the card, and try again.
        None if needs_form && nothing_read => return Err(PkiError::FormNotEstablished),
        // A label saying "card", unproven: never a reason to let a token through.
        None if !policy.accept_smartphone => return Err(PkiError::FormNotEstablished),
        // Unproven: decided without a form, i.e. without a grace.
        None => (None, None),
    };
    if form == Some(Form::Smartphone) && !policy.accept_smartphone {
        return Err(PkiError::KindNotAccepted {
            detail: "smartphone certificates".into(),
        });
    }
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
        RevocationStatus::Revoked { reason, date, .. } => {
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
        form_source,
        anchor: verified.anchor().to_owned(),
        not_after,
        revocation: status,
        grace,
    })
}

/// The form stated by the certificate's policy (when the table knows it), else a card proven
/// over this challenge, else the token's label where it may be believed (a phone's admission,
/// or any label under [`RelyingPartyPolicy::trust_token_label`]), else none.
fn established_form(
    cert: &Certificate,
    trust: &TrustStore,
    presentation: &Presentation<'_>,
    policy: &RelyingPartyPolicy,
) -> Result<Option<(Form, FormSource)>, PkiError> {
    if let Some(form) = cert
        .policies()
        .iter()
        .find_map(|p| trust.policies().classify(p).entry().and_then(|e| e.form))
    {
        return Ok(Some((form, FormSource::Certificate)));
    }
    if let Some(proof) = presentation.proven_card {
        if proof.challenge() != presentation.challenge {
            return Err(PkiError::CardProofMismatch);
        }
        return Ok(Some((Form::Card, FormSource::CardProof)));
    }
    Ok(match presentation.token_form {
        Some(Form::Smartphone) => Some((Form::Smartphone, FormSource::TokenLabel)),
        Some(form) if policy.trust_token_label => Some((form, FormSource::TokenLabel)),
        _ => None,
    })
}
