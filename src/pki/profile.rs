//! The JPKI certificate profile: purposes, token forms, hierarchies, and the data-driven
//! policy-OID → kind table.

use alloc::vec::Vec;
use core::fmt;

use der::asn1::ObjectIdentifier;

/// What a JPKI certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// 署名用電子証明書: signatures over documents; carries the holder's 基本4情報.
    Signature,
    /// 利用者証明用電子証明書: user authentication (login, eligibility); no personal data.
    Authentication,
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Purpose::Signature => "signature",
            Purpose::Authentication => "user-authentication",
        })
    }
}

/// The device that holds the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// The physical My Number Card.
    Card,
    /// A smartphone (スマホ用電子証明書: Android GP-SE or iPhone).
    Smartphone,
}

impl Form {
    /// A stable plain-string form (`"card"`, `"smartphone"`), also its `Display`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Card => "card",
            Self::Smartphone => "smartphone",
        }
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Which PKI a certificate belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hierarchy {
    /// J-LIS production.
    Production,
    /// J-LIS's own test hierarchy (JPKI-TEST cards, `O=JPKI-TEST`).
    JlisTest,
    /// This crate's generated TEST PKI (`crates/mynacard-virtual-card/data/pki`).
    MynacardTest,
}

/// One row of the policy table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyEntry {
    /// The certificatePolicies OID.
    pub oid: ObjectIdentifier,
    /// The purpose this policy denotes.
    pub purpose: Purpose,
    /// The token form, when the policy tells (`None`: unknown — real smartphone certificates'
    /// differences from card ones are not public).
    pub form: Option<Form>,
    /// The hierarchy of the policy.
    pub hierarchy: Hierarchy,
}

/// A certificate's kind, from its policy OID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateKind {
    /// A policy found in the table.
    Known(PolicyEntry),
    /// A policy not in the table (kept raw: e.g. a new smartphone policy).
    Unknown(ObjectIdentifier),
}

impl CertificateKind {
    /// The table entry, if the policy is known.
    pub fn entry(&self) -> Option<&PolicyEntry> {
        match self {
            CertificateKind::Known(e) => Some(e),
            CertificateKind::Unknown(_) => None,
        }
    }

    /// The policy OID.
    pub fn oid(&self) -> &ObjectIdentifier {
        match self {
            CertificateKind::Known(e) => &e.oid,
            CertificateKind::Unknown(o) => o,
        }
    }
}

/// JPKI production signature policy (critical, `…8.5.1.1.20`, jpki-cp-sign-class20).
pub const POLICY_JLIS_SIGN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.1.20");
/// JPKI production user-authentication policy (`…8.5.1.3.30`, jpki-cp-auth-class30; single source).
pub const POLICY_JLIS_AUTH: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.3.30");
/// JPKI-TEST card signature policy (`…8.5.1.0.20`, real J-LIS test cards). Only in
/// [`PolicyTable::jlis_test`] (feature `jlis-test`), never in [`PolicyTable::jlis`].
pub const POLICY_JLIS_TEST_SIGN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.0.20");
/// JPKI-TEST card user-authentication policy (`…8.5.1.0.30`, real J-LIS test cards). Only in
/// [`PolicyTable::jlis_test`] (feature `jlis-test`), never in [`PolicyTable::jlis`].
pub const POLICY_JLIS_TEST_AUTH: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.0.30");
/// mynacard TEST card signature policy (IANA documentation arc 32473).
pub const POLICY_TEST_CARD_SIGN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.8.5.1.1.20");
/// mynacard TEST card user-authentication policy.
pub const POLICY_TEST_CARD_AUTH: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.8.5.1.3.30");
/// mynacard TEST smartphone signature policy.
pub const POLICY_TEST_MOBILE_SIGN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.8.5.1.1.40");
/// mynacard TEST smartphone user-authentication policy.
pub const POLICY_TEST_MOBILE_AUTH: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.8.5.1.3.40");

/// The policy OID → kind table. Data-driven: add rows when J-LIS publishes smartphone OIDs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyTable {
    entries: Vec<PolicyEntry>,
}

impl PolicyTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// J-LIS's production policies, sign and auth (form unknown: whether smartphone
    /// certificates use other OIDs is not public; an unverified claim of `…8.5.1.1.40` for phones
    /// is deliberately not included). No JPKI-TEST policy: see [`PolicyTable::jlis_test`].
    pub fn jlis() -> Self {
        Self::new()
            .with(
                POLICY_JLIS_SIGN,
                Purpose::Signature,
                None,
                Hierarchy::Production,
            )
            .with(
                POLICY_JLIS_AUTH,
                Purpose::Authentication,
                None,
                Hierarchy::Production,
            )
    }

    /// **TEST ONLY** (feature `jlis-test`): the two policies of real J-LIS test cards,
    /// `…8.5.1.0.20` (sign) and `…8.5.1.0.30` (auth), as [`Hierarchy::JlisTest`]; the form is
    /// left unknown, as for the production policies (whether test smartphones use other OIDs
    /// is not public).
    #[cfg(feature = "jlis-test")]
    pub fn jlis_test() -> Self {
        Self::new()
            .with(
                POLICY_JLIS_TEST_SIGN,
                Purpose::Signature,
                None,
                Hierarchy::JlisTest,
            )
            .with(
                POLICY_JLIS_TEST_AUTH,
                Purpose::Authentication,
                None,
                Hierarchy::JlisTest,
            )
    }

    /// The policies of this crate's TEST PKI (`crates/mynacard-virtual-card/data/pki`).
    #[cfg(feature = "test-pki")]
    pub fn mynacard_test() -> Self {
        Self::new()
            .with(
                POLICY_TEST_CARD_SIGN,
                Purpose::Signature,
                Some(Form::Card),
                Hierarchy::MynacardTest,
            )
            .with(
                POLICY_TEST_CARD_AUTH,
                Purpose::Authentication,
                Some(Form::Card),
                Hierarchy::MynacardTest,
            )
            .with(
                POLICY_TEST_MOBILE_SIGN,
                Purpose::Signature,
                Some(Form::Smartphone),
                Hierarchy::MynacardTest,
            )
            .with(
                POLICY_TEST_MOBILE_AUTH,
                Purpose::Authentication,
                Some(Form::Smartphone),
                Hierarchy::MynacardTest,
            )
    }

    /// Adds (or replaces) the row for `oid`.
    pub fn with(
        mut self,
        oid: ObjectIdentifier,
        purpose: Purpose,
        form: Option<Form>,
        hierarchy: Hierarchy,
    ) -> Self {
        self.entries.retain(|e| e.oid != oid);
        self.entries.push(PolicyEntry {
            oid,
            purpose,
            form,
            hierarchy,
        });
        self
    }

    /// The kind a policy OID denotes.
    pub fn classify(&self, oid: &ObjectIdentifier) -> CertificateKind {
        self.entries
            .iter()
            .find(|e| &e.oid == oid)
            .map_or(CertificateKind::Unknown(*oid), |e| {
                CertificateKind::Known(e.clone())
            })
    }

    /// All rows.
    pub fn entries(&self) -> &[PolicyEntry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_known_and_keeps_unknown_oids_raw() {
        let t = PolicyTable::jlis();
        let CertificateKind::Known(e) = t.classify(&POLICY_JLIS_SIGN) else {
            panic!("known")
        };
        assert_eq!(
            (e.purpose, e.form, e.hierarchy),
            (Purpose::Signature, None, Hierarchy::Production)
        );
        let phone = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.1.40");
        assert_eq!(t.classify(&phone), CertificateKind::Unknown(phone));
        let t = t.with(
            phone,
            Purpose::Signature,
            Some(Form::Smartphone),
            Hierarchy::Production,
        );
        assert_eq!(
            t.classify(&phone).entry().and_then(|e| e.form),
            Some(Form::Smartphone)
        );
        assert_eq!(t.entries().len(), 3);
    }
}
