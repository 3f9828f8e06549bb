//! The intake from an iPhone: the new hire presents the My Number Card's
//! **カード代替電磁的記録** from Apple Wallet (an ISO/IEC 18013-5 mdoc, docType
//! `org.iso.23220.1.jp.mnc`) instead of the card. The outcome is the card path's
//! [`EmployeeIdentityRecord`], its [`super::Evidence`] saying what the mdoc proved
//! ([`super::Evidence::mdoc`]).
//!
//! # Legal basis
//!
//! The 番号法 (行政手続における特定の個人を識別するための番号の利用等に関する法律), as amended
//! for the card's functions on smartphones, defines the カード代替電磁的記録 (第2条): the
//! card's data (基本4情報, 個人番号, photo) with the information proving to the receiver that it
//! is genuine and the sender's own. 第16条 lets a 個人番号関係事務実施者 make the 本人確認 by
//! **receiving it** as an alternative to being shown the card; 第18条の2 issues it to a holder
//! of a card with a 署名用電子証明書, who sends it only through a 送信用プログラム approved
//! under 第18条の3 (Apple Wallet, since 2025-06-23); the receiver must check it with the
//! 確認用プログラム the Prime Minister provides or one approved under **第18条の4**.
//!
//! | check | from the mdoc | law |
//! |---|---|---|
//! | 番号確認 | `individual_number_unicode` and the 基本4情報 issuer-signed: issuerAuth to a configured IACA, MSO valid at the time, every element's digest ([`super::IntakeCheck::MDOC_NUMBER`]) | 番号法 第16条 |
//! | 身元確認 | device authentication with the key the MSO binds (Face ID / Touch ID unlocks it) and, by default, the employer's comparison of the `portrait` with the new hire ([`MdocIdentityBasis`], ⚠ configurable: the sources differ) | 番号法 第16条 |
//!
//! Sources: `../shared/docs/smartphone.md` §B2 and its closing section on the mdoc;
//! blog.mizu-machi.com/post-713 (the articles); recept.earth recept-news-2025-07-31 (the Digital
//! Agency's definition, Wallet's approval); digital.go.jp/en/policies/mynumber/mynumbercard-mdoc.
//!
//! **Production use needs an approved 確認用プログラム** (番号法 第18条の4): this module is a
//! verifier library, not an approved programme; and Japan's IACA certificate is not public, so
//! the issuer anchors are the caller's ([`IssuerAnchors::from_der`] at run time). The caller's
//! duties on the record (purpose, retention, deletion) are those of the card path.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mynacard::employer::{MdocIdentityBasis, MdocIntake, PortraitComparison};
//! use mynacard::mdoc::{DeviceEngagement, Handover, IssuerAnchors};
//! use mynacard::virtual_card::iphone::{IphoneOptions, VirtualIphone, test_iaca_der};
//!
//! // The TEST IACA; production: the issuer's IACA certificate, configured at run time.
//! let anchors = IssuerAnchors::from_der(&[&test_iaca_der()?])?;
//! let mut phone = VirtualIphone::test_holder("yamada", [0x42; 32], IphoneOptions::default())?;
//! let engagement = DeviceEngagement::from_qr_uri(&phone.qr_uri())?; // the QR code shown
//! let (intake, establishment) = MdocIntake::start(
//!     &engagement,
//!     &Handover::Qr,
//!     &[0x07; 32], // production: 32 fresh bytes from the CSPRNG
//!     None,
//!     MdocIdentityBasis::default(),
//! )?;
//! let answer = phone.handle(&establishment)?;
//! let time = mynacard::pki::UnixTime::from_secs(1_796_515_200); // production: now
//! let check = intake.receive(&answer, &anchors, time)?;
//! assert!(!check.portrait().is_empty()); // shown to the employer, who compares
//! let record = check.complete(PortraitComparison::Matches)?;
//! assert_eq!(record.my_number().expose_digits(), b"123456789018");
//! assert!(record.evidence().mdoc().is_some());
//! # Ok(()) }
//! ```

use alloc::vec::Vec;
use core::fmt;

use super::error::IntakeError;
use super::mdoc_evidence::{MdocIdentityBasis, MdocIntakeEvidence};
use super::record::{EmployeeIdentityRecord, Evidence};
use crate::MyNumber;
use crate::date::UnixTime;
use crate::mdoc::{
    DeviceEngagement, Handover, IssuerAnchors, JpMncBasicFour, JpMncElement, JpMncReader,
    MdocError, MdocEvidence, ReaderAuthKey,
};

/// What the employer found comparing the mdoc's portrait with the new hire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PortraitComparison {
    /// The portrait is the person presenting.
    Matches,
    /// It is not: the intake refuses.
    DoesNotMatch,
    /// No comparison was made (a non-face-to-face intake).
    NotMade,
}

/// An intake from an iPhone's mdoc, waiting for the holder's answer. Sans-IO: the caller
/// carries the bytes (QR / NFC engagement, then BLE or NFC data transfer).
#[derive(Debug)]
pub struct MdocIntake {
    reader: JpMncReader,
    basis: MdocIdentityBasis,
}

impl MdocIntake {
    /// The elements the intake asks for: the 基本4情報, the portrait and the 個人番号.
    pub const ELEMENTS: [JpMncElement; 6] = [
        JpMncElement::FullName,
        JpMncElement::ResidentAddress,
        JpMncElement::BirthDate,
        JpMncElement::Sex,
        JpMncElement::Portrait,
        JpMncElement::IndividualNumber,
    ];

    /// Starts the session with the holder's engagement and returns the SessionEstablishment to
    /// send (the DeviceRequest for [`MdocIntake::ELEMENTS`], with reader authentication when a
    /// key is given). `reader_scalar`: 32 fresh random bytes, used once.
    pub fn start(
        engagement: &DeviceEngagement,
        handover: &Handover,
        reader_scalar: &[u8; 32],
        reader_auth: Option<&ReaderAuthKey>,
        basis: MdocIdentityBasis,
    ) -> Result<(Self, Vec<u8>), IntakeError> {
        let (reader, establishment) = JpMncReader::start(
            engagement,
            handover,
            reader_scalar,
            &Self::ELEMENTS,
            reader_auth,
        )
        .map_err(IntakeError::Mdoc)?;
        Ok((MdocIntake { reader, basis }, establishment))
    }

    /// Decrypts and verifies the holder's answer at `time` against `anchors`: the 番号確認 and
    /// the device authentication. The record waits for the portrait comparison.
    pub fn receive(
        self,
        session_data: &[u8],
        anchors: &IssuerAnchors,
        time: UnixTime,
    ) -> Result<MdocPortraitCheck, IntakeError> {
        let mut id = self
            .reader
            .finish(session_data, anchors, time)
            .map_err(IntakeError::Mdoc)?;
        let my_number =
            id.my_number
                .take()
                .ok_or(IntakeError::Mdoc(MdocError::ElementMissing {
                    element: JpMncElement::IndividualNumber.names().1,
                }))?;
        Ok(MdocPortraitCheck {
            my_number,
            person: id.take_basic_four().map_err(IntakeError::Mdoc)?,
            evidence: id.evidence.clone(),
            basis: self.basis,
            time,
        })
    }
}

/// The verified mdoc, waiting for the employer's portrait comparison. Number, texts and
/// portrait zeroized on drop; `Debug` shows no personal value.
pub struct MdocPortraitCheck {
    my_number: MyNumber,
    person: JpMncBasicFour,
    evidence: MdocEvidence,
    basis: MdocIdentityBasis,
    time: UnixTime,
}

impl fmt::Debug for MdocPortraitCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MdocPortraitCheck")
            .field("person", &self.person)
            .field("basis", &self.basis)
            .field("evidence", &self.evidence)
            .finish_non_exhaustive()
    }
}

impl MdocPortraitCheck {
    /// The issuer-signed portrait (JPEG / JPEG 2000 bytes) to show the employer, who compares
    /// it with the new hire. Do not store it: the record does not keep it.
    pub fn portrait(&self) -> &[u8] {
        &self.person.portrait
    }

    /// What was verified so far.
    pub fn evidence(&self) -> &MdocEvidence {
        &self.evidence
    }

    /// Ends the intake with the employer's comparison: the record, or the refusal
    /// ([`IntakeError::PortraitMismatch`]; [`IntakeError::PortraitNotCompared`] when the basis
    /// is [`MdocIdentityBasis::PortraitComparedByEmployer`] and none was made).
    pub fn complete(
        self,
        comparison: PortraitComparison,
    ) -> Result<EmployeeIdentityRecord, IntakeError> {
        let compared = match (comparison, self.basis) {
            (PortraitComparison::Matches, _) => true,
            (PortraitComparison::DoesNotMatch, _) => return Err(IntakeError::PortraitMismatch),
            (PortraitComparison::NotMade, MdocIdentityBasis::DeviceAuthentication) => false,
            (PortraitComparison::NotMade, _) => return Err(IntakeError::PortraitNotCompared),
        };
        let evidence = Evidence::from_mdoc(
            MdocIntakeEvidence::new(&self.evidence, self.basis, compared),
            &self.evidence.issuer_certificate,
            self.time,
        );
        Ok(EmployeeIdentityRecord::from_mdoc(
            self.my_number,
            self.person,
            evidence,
        ))
    }
}
