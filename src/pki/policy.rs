//! Relying-party policy, kept apart from certificate validity: what *this* verifier accepts
//! beyond what the certificate proves (grace periods, whether a revocation answer is required,
//! how stale a CRL may be, which forms are welcome).

use super::{Form, StalenessPolicy};

/// Whether a revocation answer is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationRequirement {
    /// [`super::RevocationStatus::NotChecked`] fails with [`super::PkiError::RevocationNotChecked`].
    Required,
    /// NotChecked is accepted and reported in the result.
    BestEffort,
}

/// A relying party's acceptance rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelyingPartyPolicy {
    /// Calendar months after notAfter during which a **physical card's** expired
    /// user-authentication certificate is still accepted (0: none). Never applies to
    /// smartphones, nor when the form is unknown.
    pub card_auth_grace_months: u8,
    /// Whether a revocation answer is required.
    pub revocation: RevocationRequirement,
    /// What to do with a stale CRL.
    pub staleness: StalenessPolicy,
    /// Accept smartphone certificates.
    pub accept_smartphone: bool,
    /// **Risk: a phone gets a card's treatment.** Take the token's own EF 0006 label as its
    /// form when the certificate does not state it and no card was proven. The label is
    /// bytes the token answers: a phone, or a relay that rewrites that one answer, says
    /// "card" and gets the card's grace (and passes `accept_smartphone = false`) with a
    /// phone's certificate. Default `false`: a card's grace needs a proven card
    /// ([`super::Presentation::proven_card`]). Turn it on only where no card can be proven
    /// (a short-APDU-only reader cannot fetch the card's CV chain) and that risk is accepted.
    pub trust_token_label: bool,
}

impl RelyingPartyPolicy {
    /// No grace, revocation required, stale CRLs rejected, cards and phones accepted.
    pub const fn strict() -> Self {
        Self {
            card_auth_grace_months: 0,
            revocation: RevocationRequirement::Required,
            staleness: StalenessPolicy::Reject,
            accept_smartphone: true,
            trust_token_label: false,
        }
    }

    /// Medical-facility eligibility checks (オンライン資格確認): a physical card's expired auth
    /// certificate is accepted for 3 months after expiry, a phone's is not; otherwise strict.
    /// The card must be proven ([`super::Presentation::proven_card`]), not just labelled.
    pub const fn medical_eligibility() -> Self {
        Self {
            card_auth_grace_months: 3,
            ..Self::strict()
        }
    }

    /// The grace (in months) that applies to a certificate of `form`.
    pub(crate) fn grace_for(&self, form: Option<Form>) -> u8 {
        match form {
            Some(Form::Card) => self.card_auth_grace_months,
            _ => 0,
        }
    }
}

impl Default for RelyingPartyPolicy {
    fn default() -> Self {
        Self::strict()
    }
}
