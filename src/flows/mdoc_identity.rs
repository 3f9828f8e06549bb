//! 本人確認 at the counter from an iPhone's カード代替電磁的記録 (an ISO/IEC 18013-5 mdoc),
//! where a clinic needs to confirm who the patient is (a visit without the card, a
//! 医療費助成 form, a proxy's identity). It asks for the 基本4情報 and the portrait only,
//! **never the 個人番号**: [`MdocIdentityCheck::ELEMENTS`] does not name it, a response that
//! discloses it anyway is refused ([`MdocError::UnaskedElement`]) before anything is read, and
//! [`VerifiedMdocHolder`] has no field that could hold it.
//!
//! This is not the eligibility check (オンライン資格確認 keys off the JPKI 利用者証明用電子証明書,
//! [`crate::flows::VerifiedHolder`]); it is the identity document check a counter makes with
//! the card's face. As for any reader of the カード代替電磁的記録, production use needs a
//! 確認用プログラム approved by the minister (番号法 第18条の4), and the issuer anchors are the
//! caller's ([`IssuerAnchors::from_der`]: Japan's IACA is not public).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mynacard::flows::MdocIdentityCheck;
//! use mynacard::mdoc::{DeviceEngagement, Handover, IssuerAnchors};
//! use mynacard::virtual_card::iphone::{IphoneOptions, VirtualIphone, test_iaca_der};
//!
//! let anchors = IssuerAnchors::from_der(&[&test_iaca_der()?])?; // production: the issuer's IACA
//! let mut phone = VirtualIphone::test_holder("yamada", [0x42; 32], IphoneOptions::default())?;
//! let engagement = DeviceEngagement::from_qr_uri(&phone.qr_uri())?;
//! let (check, establishment) = MdocIdentityCheck::start(&engagement, &Handover::Qr, &[0x07; 32], None)?;
//! let answer = phone.handle(&establishment)?;
//! let holder = check.finish(&answer, &anchors, mynacard::pki::UnixTime::from_secs(1_796_515_200))?;
//! assert_eq!(holder.person().name.as_str(), "山田　太郎");
//! assert!(!holder.person().portrait.is_empty()); // the staff compare it with the patient
//! # Ok(()) }
//! ```

use alloc::vec::Vec;

use crate::date::UnixTime;
use crate::mdoc::{
    DeviceEngagement, Handover, IssuerAnchors, JpMncBasicFour, JpMncElement, JpMncReader,
    MdocError, MdocEvidence, ReaderAuthKey,
};

/// A clinic's identity check from an mdoc, waiting for the holder's answer.
#[derive(Debug)]
pub struct MdocIdentityCheck {
    reader: JpMncReader,
}

impl MdocIdentityCheck {
    /// What the clinic asks for: 氏名, 住所, 生年月日, 性別 and the portrait. Not the 個人番号.
    pub const ELEMENTS: [JpMncElement; 5] = [
        JpMncElement::FullName,
        JpMncElement::ResidentAddress,
        JpMncElement::BirthDate,
        JpMncElement::Sex,
        JpMncElement::Portrait,
    ];

    /// Starts the session and returns the SessionEstablishment to send (`reader_scalar`: 32
    /// fresh random bytes).
    pub fn start(
        engagement: &DeviceEngagement,
        handover: &Handover,
        reader_scalar: &[u8; 32],
        reader_auth: Option<&ReaderAuthKey>,
    ) -> Result<(Self, Vec<u8>), MdocError> {
        let (reader, establishment) = JpMncReader::start(
            engagement,
            handover,
            reader_scalar,
            &Self::ELEMENTS,
            reader_auth,
        )?;
        Ok((MdocIdentityCheck { reader }, establishment))
    }

    /// Decrypts and verifies the holder's answer at `time` (issuer to `anchors`, MSO validity,
    /// every digest, device authentication) and reads the five elements.
    pub fn finish(
        self,
        session_data: &[u8],
        anchors: &IssuerAnchors,
        time: UnixTime,
    ) -> Result<VerifiedMdocHolder, MdocError> {
        let mut id = self.reader.finish(session_data, anchors, time)?;
        Ok(VerifiedMdocHolder {
            person: id.take_basic_four()?,
            evidence: id.evidence.clone(),
        })
    }
}

/// A person whose iPhone proved the card's 基本4情報 and portrait (issuer-signed, device
/// authenticated). No 個人番号. Texts and portrait zeroized on drop; `Debug` shows no personal
/// value.
#[derive(Debug)]
pub struct VerifiedMdocHolder {
    person: JpMncBasicFour,
    evidence: MdocEvidence,
}

impl VerifiedMdocHolder {
    /// 氏名, 住所, 生年月日, 性別 and the portrait (for the staff's comparison with the patient;
    /// not to be stored).
    pub fn person(&self) -> &JpMncBasicFour {
        &self.person
    }

    /// What was verified: the document signer certificate, the MSO's dates, the device
    /// authentication.
    pub fn evidence(&self) -> &MdocEvidence {
        &self.evidence
    }
}
