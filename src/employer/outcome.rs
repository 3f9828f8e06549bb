//! How an intake ends when it does not fail.
//!
//! Kept apart from the clinic flows' [`crate::flows::Outcome`]: the two
//! types share nothing, so a reception flow cannot produce, hold or return an
//! [`EmployeeIdentityRecord`] (the compiler refuses), and the intake never
//! produces a reception outcome.
//!
//! ```compile_fail
//! // A reception outcome has no way to become (or carry) the intake's record.
//! fn leak(o: mynacard::flows::Outcome) -> mynacard::employer::EmployeeIdentityRecord {
//!     o.into()
//! }
//! ```
//!
//! ```compile_fail
//! // The record has no public constructor: only the intake makes one.
//! let forged = mynacard::employer::EmployeeIdentityRecord::new();
//! ```
//!
//! ```compile_fail
//! // No `Serialize`: the 個人番号 leaves only through `serialize_disclosing_my_number`.
//! fn json(r: &mynacard::employer::EmployeeIdentityRecord) -> String {
//!     serde_json::to_string(r).unwrap()
//! }
//! ```

use super::record::EmployeeIdentityRecord;
use crate::card::TokenKind;
use alloc::boxed::Box;

/// The end of an intake.
#[derive(Debug)]
#[non_exhaustive]
pub enum IntakeOutcome {
    /// 番号確認 and 身元確認 passed: the record.
    Recorded(Box<EmployeeIdentityRecord>),
    /// A スマホ用電子証明書 was presented: it carries JPKI only (no
    /// 券面事項入力補助AP), so the 番号確認 needs the card or another document
    /// (通知カード with photo ID, 住民票の写し with 個人番号, …). Nothing was read but
    /// the token info.
    NumberCheckNeedsCard {
        /// Which phone (Android or iPhone).
        token: TokenKind,
    },
}

impl IntakeOutcome {
    /// The record, if the intake produced one.
    pub fn record(&self) -> Option<&EmployeeIdentityRecord> {
        match self {
            Self::Recorded(r) => Some(r.as_ref()),
            _ => None,
        }
    }

    /// Takes the record out.
    pub fn into_record(self) -> Option<EmployeeIdentityRecord> {
        match self {
            Self::Recorded(r) => Some(*r),
            _ => None,
        }
    }
}
