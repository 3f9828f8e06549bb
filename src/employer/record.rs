//! The outcome of a successful intake: the new hire's 個人番号 and 基本4情報 with
//! the evidence of the 本人確認 that produced them.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

use zeroize::{Zeroize, Zeroizing};

use super::compare::AttributeMatch;
use super::mdoc_evidence::MdocIntakeEvidence;
use crate::MyNumber;
use crate::card::IntegrityCheck;
use crate::card::IntegrityReport;
use crate::date::CalendarDate;
use crate::date::UnixTime;
use crate::person::Sex;
use crate::pki::RevocationStatus;

/// One check of the 本人確認, as listed in [`Evidence::checks_passed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IntakeCheck {
    /// 番号確認: SHA-256 of EF 0001 (個人番号) equals the integrity record's `DF31`.
    MyNumberDigest,
    /// 番号確認: SHA-256 of EF 0002 (基本4情報) equals the integrity record's `DF32`.
    BasicFourDigest,
    /// 番号確認: the integrity record's signature `DF33` verifies under EF 0004's key.
    RecordSignature,
    /// 番号確認: EF 0004 (CV certificate) verifies under the J-LIS CV CA key.
    CvCertificate,
    /// 身元確認: the 署名用電子証明書 chains to a J-LIS signature root at the time.
    SignatureCertificatePath,
    /// 身元確認: the card's signature over the fresh challenge verifies.
    ChallengeSignature,
    /// 身元確認: the 署名用電子証明書 is not on a fresh CRL of its issuer.
    NotRevoked,
    /// 身元確認: the certificate's four attributes equal the card's 基本4情報.
    AttributesMatch,
    /// 番号確認 (mdoc): the issuerAuth verifies under a document signer certificate that
    /// chains to a configured issuer anchor (IACA) at the time.
    MdocIssuerSignature,
    /// 番号確認 (mdoc): the MSO is valid at the time and was signed within its document signer
    /// certificate's validity; its docType is the My Number Card's.
    MdocValidity,
    /// 番号確認 (mdoc): every disclosed element's digest equals the MSO's.
    MdocDigests,
    /// 身元確認 (mdoc): the device key the MSO binds authenticated this session.
    MdocDeviceAuthentication,
    /// 身元確認 (mdoc): the employer compared the portrait with the new hire: they match.
    PortraitCompared,
}

impl IntakeCheck {
    /// A stable machine name, e.g. `number.my_number_digest`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MyNumberDigest => "number.my_number_digest",
            Self::BasicFourDigest => "number.basic_four_digest",
            Self::RecordSignature => "number.record_signature",
            Self::CvCertificate => "number.cv_certificate",
            Self::SignatureCertificatePath => "identity.certificate_path",
            Self::ChallengeSignature => "identity.challenge_signature",
            Self::NotRevoked => "identity.not_revoked",
            Self::AttributesMatch => "identity.attributes_match",
            Self::MdocIssuerSignature => "number.mdoc_issuer_signature",
            Self::MdocValidity => "number.mdoc_validity",
            Self::MdocDigests => "number.mdoc_digests",
            Self::MdocDeviceAuthentication => "identity.mdoc_device_authentication",
            Self::PortraitCompared => "identity.portrait_compared",
        }
    }

    /// The four checks of the 番号確認, in order.
    pub const NUMBER: [IntakeCheck; 4] = [
        Self::MyNumberDigest,
        Self::BasicFourDigest,
        Self::RecordSignature,
        Self::CvCertificate,
    ];

    /// The four checks of the 身元確認, in order.
    pub const IDENTITY: [IntakeCheck; 4] = [
        Self::SignatureCertificatePath,
        Self::ChallengeSignature,
        Self::NotRevoked,
        Self::AttributesMatch,
    ];

    /// The three checks of the 番号確認 from an mdoc, in order.
    pub const MDOC_NUMBER: [IntakeCheck; 3] = [
        Self::MdocIssuerSignature,
        Self::MdocValidity,
        Self::MdocDigests,
    ];
}

impl fmt::Display for IntakeCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which of the 番号確認 checks failed or could not be made, from an integrity report.
pub(crate) fn number_check_failures(
    report: &IntegrityReport,
) -> Vec<(IntakeCheck, IntegrityCheck)> {
    [
        (IntakeCheck::MyNumberDigest, report.my_number_digest),
        (IntakeCheck::BasicFourDigest, report.basic_four_digest),
        (IntakeCheck::RecordSignature, report.signature),
        (IntakeCheck::CvCertificate, report.cv_certificate),
    ]
    .into_iter()
    .filter(|(_, c)| !c.is_verified())
    .collect()
}

/// How the 本人確認 was made: every check passed, the signature certificate that
/// proved the holder, its revocation status, the time. No personal value.
///
/// From an iPhone's mdoc ([`super::MdocIntake`]) the same record carries
/// [`Evidence::mdoc`]; the certificate accessors then name the **document signer**
/// certificate that signed the MSO (serial, issuer = the configured IACA), the revocation is
/// `NotChecked { NoSource }` (ISO/IEC 18013-5 defines no revocation source: the MSO's short
/// validity window bounds it), and no CV CA key nor substitute characters apply.
#[derive(Clone, PartialEq, Eq)]
pub struct Evidence {
    checks: Vec<IntakeCheck>,
    certificate_serial: Vec<u8>,
    certificate_issuer: String,
    anchor: String,
    revocation: RevocationStatus,
    attributes: AttributeMatch,
    cv_ca: Option<&'static str>,
    time: UnixTime,
    mdoc: Option<MdocIntakeEvidence>,
}

impl Evidence {
    pub(crate) fn new(
        certificate_serial: Vec<u8>,
        certificate_issuer: String,
        anchor: String,
        revocation: RevocationStatus,
        attributes: AttributeMatch,
        cv_ca: Option<&'static str>,
        time: UnixTime,
    ) -> Self {
        let mut checks = IntakeCheck::NUMBER.to_vec();
        checks.extend(IntakeCheck::IDENTITY);
        Self {
            checks,
            certificate_serial,
            certificate_issuer,
            anchor,
            revocation,
            attributes,
            cv_ca,
            time,
            mdoc: None,
        }
    }

    /// The evidence of an mdoc intake: the three mdoc 番号確認 checks, device
    /// authentication, and the portrait comparison when it was made.
    pub(crate) fn from_mdoc(
        mdoc: MdocIntakeEvidence,
        signer: &crate::pki::Certificate,
        time: UnixTime,
    ) -> Self {
        let mut checks = IntakeCheck::MDOC_NUMBER.to_vec();
        checks.push(IntakeCheck::MdocDeviceAuthentication);
        if mdoc.portrait_compared() {
            checks.push(IntakeCheck::PortraitCompared);
        }
        Self {
            checks,
            certificate_serial: signer.serial().to_vec(),
            certificate_issuer: signer.issuer().to_string(),
            anchor: signer.issuer().to_string(),
            revocation: RevocationStatus::NotChecked {
                reason: crate::pki::NotCheckedReason::NoSource,
            },
            attributes: AttributeMatch {
                name_substituted: 0,
                address_substituted: 0,
            },
            cv_ca: None,
            time,
            mdoc: Some(mdoc),
        }
    }

    /// What the mdoc intake checked (document signer, MSO dates, device authentication,
    /// portrait comparison); `None` for a card intake.
    pub fn mdoc(&self) -> Option<&MdocIntakeEvidence> {
        self.mdoc.as_ref()
    }

    /// The J-LIS CV CA key that EF 0004 verified under (`"5000033"` for the
    /// production input-support key; a TEST name on test cards).
    pub fn cv_ca_key(&self) -> Option<&'static str> {
        self.cv_ca
    }

    /// Every check that passed, 番号確認 first (all eight: a record exists only
    /// when each of them passed).
    pub fn checks_passed(&self) -> &[IntakeCheck] {
        &self.checks
    }

    /// Serial number of the 署名用電子証明書 (magnitude bytes).
    pub fn certificate_serial(&self) -> &[u8] {
        &self.certificate_serial
    }

    /// The serial in upper-case hex.
    pub fn certificate_serial_hex(&self) -> String {
        crate::apdu::Hex(&self.certificate_serial).to_string()
    }

    /// The issuer's distinguished name (RFC 4514 string).
    pub fn certificate_issuer(&self) -> &str {
        &self.certificate_issuer
    }

    /// Label of the J-LIS signature root the certificate chained to.
    pub fn anchor(&self) -> &str {
        &self.anchor
    }

    /// The revocation answer ([`RevocationStatus::Good`] with the CRL's
    /// thisUpdate / nextUpdate: the intake requires one).
    pub fn revocation(&self) -> &RevocationStatus {
        &self.revocation
    }

    /// thisUpdate of the CRL consulted (`None` when the answer came from OCSP: its
    /// thisUpdate is in [`Evidence::revocation`]).
    pub fn crl_this_update(&self) -> Option<UnixTime> {
        match self.revocation {
            RevocationStatus::Good {
                this_update,
                source: crate::pki::RevocationMethod::Crl,
                ..
            } => Some(this_update),
            _ => None,
        }
    }

    /// Characters of name and address not compared because the certificate flags
    /// them as substitute characters (代替文字).
    pub fn substituted_characters(&self) -> AttributeMatch {
        self.attributes
    }

    /// The time of the 本人確認 (the verification time given to the flow).
    pub fn time(&self) -> UnixTime {
        self.time
    }
}

impl fmt::Debug for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let checks: Vec<&str> = self.checks.iter().map(|c| c.as_str()).collect();
        let revocation = match &self.revocation {
            RevocationStatus::Good {
                this_update,
                source,
                ..
            } => format!("good ({source} of {this_update})"),
            RevocationStatus::Revoked { date, source, .. } => {
                format!("revoked at {date} ({source})")
            }
            RevocationStatus::NotChecked { reason } => format!("not checked ({reason})"),
        };
        f.debug_struct("Evidence")
            .field("checks_passed", &checks)
            .field("certificate_serial", &self.certificate_serial_hex())
            .field("certificate_issuer", &self.certificate_issuer)
            .field("anchor", &self.anchor)
            .field("cv_ca_key", &self.cv_ca)
            .field("revocation", &revocation)
            .field("name_substituted", &self.attributes.name_substituted)
            .field("address_substituted", &self.attributes.address_substituted)
            .field("time", &self.time.to_string())
            .field("mdoc", &self.mdoc)
            .finish()
    }
}

/// A new hire's 個人番号 and 基本4情報, proven by J-LIS signatures: the outcome of
/// [`super::EmployerIntakeFlow`] and of nothing else (it has no public
/// constructor).
///
/// **Legal basis.** An employer handles the 個人番号 as a 個人番号関係事務実施者
/// (番号法 第2条), for the 社会保険 and 税 procedures the law lists (番号法 第9条:
/// e.g. the 健康保険・厚生年金保険 被保険者資格取得届, the 源泉徴収票), and must make a
/// 本人確認 when it collects it (番号法 第16条): 番号確認 (the number is the
/// person's) and 身元確認 (the person presenting is its holder). With the card
/// both are made here: the 券面事項入力補助AP's records verify to J-LIS
/// (番号確認), and the holder signs a fresh challenge with the 署名用電子証明書,
/// which verifies to a J-LIS root, is not revoked, and carries the same four
/// attributes as the card (身元確認).
///
/// **What the caller must do.** Tell the new hire the purpose before the intake
/// and use the number for nothing else (番号法 第19条, 第20条 limit providing and
/// collecting it); keep the record only as long as those procedures and their
/// documents' retention periods require, then delete or anonymise it without
/// delay (個人情報保護委員会's guidelines for businesses); protect it while kept
/// (安全管理措置, 番号法 第12条): restrict who can see it, never log it. This
/// type helps: it is zeroized on drop, its `Debug` redacts everything personal,
/// and it serialises only through
/// [`EmployeeIdentityRecord::serialize_disclosing_my_number`].
pub struct EmployeeIdentityRecord {
    my_number: MyNumber,
    name: Zeroizing<String>,
    kana: Option<Zeroizing<String>>,
    address: Zeroizing<String>,
    birth_date: CalendarDate,
    sex: Sex,
    evidence: Evidence,
}

impl EmployeeIdentityRecord {
    pub(crate) fn new(
        my_number: MyNumber,
        basic_four: &crate::card::BasicFourInfo,
        kana: Option<Zeroizing<String>>,
        evidence: Evidence,
    ) -> Self {
        Self {
            my_number,
            name: Zeroizing::new(basic_four.name().to_owned()),
            kana,
            address: Zeroizing::new(basic_four.address().to_owned()),
            birth_date: basic_four.birth_date(),
            sex: basic_four.sex(),
            evidence,
        }
    }

    /// A record from an mdoc intake's verified elements.
    pub(crate) fn from_mdoc(
        my_number: MyNumber,
        person: crate::mdoc::JpMncBasicFour,
        evidence: Evidence,
    ) -> Self {
        let crate::mdoc::JpMncBasicFour {
            name,
            address,
            birth_date,
            sex,
            ..
        } = person;
        Self {
            my_number,
            name,
            kana: None,
            address,
            birth_date,
            sex,
            evidence,
        }
    }

    /// The 個人番号 (12 digits). Use it only for the procedures it was collected for.
    pub fn my_number(&self) -> &MyNumber {
        &self.my_number
    }

    /// 氏名 as on the card (family and given names separated by U+3000).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name's kana reading, when the signature certificate carries one in the
    /// otherName configured with [`super::IntakeOptions::kana_oid`].
    pub fn kana(&self) -> Option<&str> {
        self.kana.as_deref().map(String::as_str)
    }

    /// 住所 as on the card.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// 生年月日.
    pub fn birth_date(&self) -> CalendarDate {
        self.birth_date
    }

    /// 性別 (the card's code).
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// How the 本人確認 was made.
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    /// Serialises the whole record, **個人番号 included**, for the employer's
    /// payroll / 社会保険 system (feature `serde`). The name says what it does: the
    /// output carries the 個人番号 in clear; send it only to where the law lets it
    /// go, and never to a log.
    #[cfg(feature = "serde")]
    pub fn serialize_disclosing_my_number<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::Serialize;
        let digits = Zeroizing::new(
            core::str::from_utf8(self.my_number.expose_digits())
                .unwrap_or_default()
                .to_owned(),
        );
        Disclosed {
            my_number: &digits,
            name: &self.name,
            kana: self.kana(),
            address: &self.address,
            birth_date: self.birth_date,
            sex: self.sex,
            evidence: DisclosedEvidence {
                checks_passed: self.evidence.checks.iter().map(|c| c.as_str()).collect(),
                certificate_serial: self.evidence.certificate_serial_hex(),
                certificate_issuer: &self.evidence.certificate_issuer,
                anchor: &self.evidence.anchor,
                cv_ca_key: self.evidence.cv_ca,
                revocation: match self.evidence.revocation {
                    RevocationStatus::Good { .. } => "good",
                    RevocationStatus::Revoked { .. } => "revoked",
                    _ => "not_checked",
                },
                revocation_source: self.evidence.revocation.source().map(|m| m.code()),
                crl_this_update: self.evidence.crl_this_update().map(UnixTime::as_secs),
                name_substituted: self.evidence.attributes.name_substituted,
                address_substituted: self.evidence.attributes.address_substituted,
                time: self.evidence.time.as_secs(),
                mdoc: self.evidence.mdoc.as_ref().map(|m| DisclosedMdoc {
                    document_signer_subject: m.document_signer_subject(),
                    issuer_algorithm: m.issuer_algorithm_name(),
                    signed: m.signed().as_secs(),
                    valid_from: m.valid_from().as_secs(),
                    valid_until: m.valid_until().as_secs(),
                    device_auth: m.device_auth().as_str(),
                    basis: m.basis().as_str(),
                    portrait_compared: m.portrait_compared(),
                }),
            },
        }
        .serialize(serializer)
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize)]
struct Disclosed<'a> {
    my_number: &'a str,
    name: &'a str,
    kana: Option<&'a str>,
    address: &'a str,
    birth_date: CalendarDate,
    sex: Sex,
    evidence: DisclosedEvidence<'a>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize)]
struct DisclosedEvidence<'a> {
    checks_passed: Vec<&'static str>,
    certificate_serial: String,
    certificate_issuer: &'a str,
    anchor: &'a str,
    cv_ca_key: Option<&'static str>,
    revocation: &'static str,
    revocation_source: Option<&'static str>,
    crl_this_update: Option<u64>,
    name_substituted: usize,
    address_substituted: usize,
    time: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    mdoc: Option<DisclosedMdoc<'a>>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize)]
struct DisclosedMdoc<'a> {
    document_signer_subject: &'a str,
    issuer_algorithm: &'static str,
    signed: u64,
    valid_from: u64,
    valid_until: u64,
    device_auth: &'static str,
    basis: &'static str,
    portrait_compared: bool,
}

impl Zeroize for EmployeeIdentityRecord {
    fn zeroize(&mut self) {
        self.my_number.zeroize();
        self.name.zeroize();
        self.kana.zeroize();
        self.address.zeroize();
        self.birth_date.zeroize();
    }
}

impl Drop for EmployeeIdentityRecord {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for EmployeeIdentityRecord {}

// Every personal field is itself zeroizing (checked at compile time).
const _: fn() = || {
    fn zeroizing<T: Zeroize>() {}
    zeroizing::<MyNumber>();
    zeroizing::<Zeroizing<String>>();
    zeroizing::<CalendarDate>();
};

impl fmt::Debug for EmployeeIdentityRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmployeeIdentityRecord")
            .field("my_number", &"<redacted>")
            .field("name", &"<redacted>")
            .field("kana", &self.kana.as_ref().map(|_| "<redacted>"))
            .field("address", &"<redacted>")
            .field("birth_date", &"<redacted>")
            .field("sex", &"<redacted>")
            .field("evidence", &self.evidence)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::RevocationMethod;

    fn evidence(source: RevocationMethod) -> Evidence {
        let good = RevocationStatus::Good {
            this_update: UnixTime::from_secs(1_767_225_600),
            next_update: None,
            source,
        };
        let attributes = AttributeMatch {
            name_substituted: 0,
            address_substituted: 0,
        };
        Evidence::new(
            alloc::vec![1],
            "CN=issuer".into(),
            "CN=anchor".into(),
            good,
            attributes,
            None,
            UnixTime::from_secs(1_767_225_601),
        )
    }

    #[test]
    fn crl_this_update_is_a_crl_s_only() {
        assert_eq!(
            evidence(RevocationMethod::Crl).crl_this_update(),
            Some(UnixTime::from_secs(1_767_225_600))
        );
        assert_eq!(evidence(RevocationMethod::Ocsp).crl_this_update(), None);
    }
}
