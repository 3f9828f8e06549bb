//! The effective 負担割合 (patient's share of the cost) of a qualification
//! record, with the rule that chose it and the element it came from — the
//! first value an EHR writes.
//!
//! A record can carry two ratios: its own `InsuredPartialContributionRatio`
//! and, for patients aged 70–74, the 高齢受給者証's
//! `ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio`. When a
//! 高齢受給者証 is present and valid on the check date (its
//! `ElderlyRecipientValidStartDate` ≤ date ≤ `ElderlyRecipientValidEndDate`, an
//! absent bound being open), its ratio applies; otherwise the record's
//! (`../shared/docs/eligibility.md`, "The qualification record";
//! `eligibility-interface.md` §3, the 高齢受給者証 block ⚠ — the terminal's
//! record ratio is the 被保険者証's, the certificate states the share for the
//! patient's age and income).
//!
//! ```
//! use mynacard::eligibility::*;
//! let mut r = QualificationRecord::new(
//!     PersonalText::new("試験　花子"),
//!     BirthDate::parse_yyyymmdd("19550101").unwrap(),
//! );
//! r.contribution_ratio = BurdenRatio::from_percent(10);
//! r.elderly_recipient = Some(ElderlyRecipientCertificate {
//!     valid_from: Some(CalendarDate::new(2026, 8, 1).unwrap()),
//!     valid_until: Some(CalendarDate::new(2027, 7, 31).unwrap()),
//!     contribution_ratio: BurdenRatio::from_percent(20),
//!     ..Default::default()
//! });
//! let on = CalendarDate::new(2026, 12, 6).unwrap();
//! let e = r.effective_burden_ratio(Some(on)).unwrap();
//! assert_eq!(e.ratio.to_string(), "2割");
//! assert_eq!(e.rule, BurdenRule::ElderlyRecipientCertificate);
//! assert_eq!(e.source, "ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio");
//! // Outside the certificate's validity the record's ratio applies.
//! let later = CalendarDate::new(2027, 8, 1).unwrap();
//! let e = r.effective_burden_ratio(Some(later)).unwrap();
//! assert_eq!((e.ratio.to_string(), e.rule), ("1割".into(), BurdenRule::ElderlyCertificateNotValid));
//! ```

use super::qualification::{BurdenRatio, ElderlyRecipientCertificate, QualificationRecord};
use crate::date::CalendarDate;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Which rule chose an [`EffectiveBurden`]. JSON: its snake_case name
/// (`"elderly_recipient_certificate"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BurdenRule {
    /// A 高齢受給者証 valid on the check date carries a ratio: its ratio
    /// applies, not the record's.
    ElderlyRecipientCertificate,
    /// A 高齢受給者証 with a ratio is present but the check date is unknown
    /// (the file has neither `QualificationConfirmationDate` nor
    /// `ProcessExecutionTime`): its ratio applies, its validity unchecked.
    ElderlyRecipientCertificateUndated,
    /// A 高齢受給者証 with a ratio is present but not valid on the check date:
    /// the record's ratio applies.
    ElderlyCertificateNotValid,
    /// No 高齢受給者証 with a ratio: the record's ratio.
    RecordRatio,
}

impl BurdenRule {
    /// The rule's JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ElderlyRecipientCertificate => "elderly_recipient_certificate",
            Self::ElderlyRecipientCertificateUndated => "elderly_recipient_certificate_undated",
            Self::ElderlyCertificateNotValid => "elderly_certificate_not_valid",
            Self::RecordRatio => "record_ratio",
        }
    }
}

/// The 負担割合 that applies, with the rule that chose it and the element it
/// was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct EffectiveBurden {
    /// The ratio.
    pub ratio: BurdenRatio,
    /// The rule that chose it.
    pub rule: BurdenRule,
    /// The element it came from, relative to the record
    /// (`InsuredPartialContributionRatio` or
    /// `ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio`).
    pub source: &'static str,
}

pub(super) const RECORD_SOURCE: &str = "InsuredPartialContributionRatio";
pub(super) const ELDERLY_SOURCE: &str =
    "ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio";

impl ElderlyRecipientCertificate {
    /// Whether the certificate is valid on `date` (an absent bound is open).
    pub fn is_valid_on(&self, date: CalendarDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date)
            && self.valid_until.is_none_or(|until| date <= until)
    }
}

impl QualificationRecord {
    /// The 負担割合 that applies on the check date `on` (the header's
    /// `QualificationConfirmationDate`; see
    /// [`ResultFile::check_date`](super::ResultFile::check_date)): the
    /// 高齢受給者証's when one is present with a ratio and valid on `on`, else
    /// the record's; `None` when neither ratio applies.
    pub fn effective_burden_ratio(&self, on: Option<CalendarDate>) -> Option<EffectiveBurden> {
        let elderly = self
            .elderly_recipient
            .as_ref()
            .and_then(|e| e.contribution_ratio.map(|r| (e, r)));
        let record = |rule| {
            self.contribution_ratio.map(|ratio| EffectiveBurden {
                ratio,
                rule,
                source: RECORD_SOURCE,
            })
        };
        let elderly_rule = |ratio, rule| {
            Some(EffectiveBurden {
                ratio,
                rule,
                source: ELDERLY_SOURCE,
            })
        };
        match (elderly, on) {
            (None, _) => record(BurdenRule::RecordRatio),
            (Some((_, ratio)), None) => {
                elderly_rule(ratio, BurdenRule::ElderlyRecipientCertificateUndated)
            }
            (Some((e, ratio)), Some(date)) if e.is_valid_on(date) => {
                elderly_rule(ratio, BurdenRule::ElderlyRecipientCertificate)
            }
            (Some(_), Some(_)) => record(BurdenRule::ElderlyCertificateNotValid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::{BirthDate, PersonalText};

    fn d(y: u16, m: u8, day: u8) -> CalendarDate {
        CalendarDate::new(y, m, day).unwrap()
    }

    fn record(
        record: Option<u8>,
        elderly: Option<(u8, Option<CalendarDate>)>,
    ) -> QualificationRecord {
        let mut r = QualificationRecord::new(
            PersonalText::new("試験　花子"),
            BirthDate::parse_yyyymmdd("19550101").unwrap(),
        );
        r.contribution_ratio = record.and_then(BurdenRatio::from_percent);
        r.elderly_recipient = elderly.map(|(p, until)| ElderlyRecipientCertificate {
            valid_from: Some(d(2026, 8, 1)),
            valid_until: until,
            contribution_ratio: BurdenRatio::from_percent(p),
            ..Default::default()
        });
        r
    }

    /// The EHR bug of issue 26: a record saying 1割 with a valid 高齢受給者証
    /// saying 2割 is 2割.
    #[test]
    fn a_valid_elderly_certificate_wins_over_the_record() {
        let r = record(Some(10), Some((20, Some(d(2027, 7, 31)))));
        let e = r.effective_burden_ratio(Some(d(2026, 12, 6))).unwrap();
        assert_eq!(
            (e.ratio.percent(), e.rule, e.source),
            (20, BurdenRule::ElderlyRecipientCertificate, ELDERLY_SOURCE)
        );
        // Both bounds are inclusive.
        for on in [d(2026, 8, 1), d(2027, 7, 31)] {
            assert_eq!(
                r.effective_burden_ratio(Some(on)).unwrap().ratio.percent(),
                20
            );
        }
    }

    #[test]
    fn outside_its_validity_or_absent_the_record_applies() {
        let r = record(Some(10), Some((20, Some(d(2027, 7, 31)))));
        for on in [d(2026, 7, 31), d(2027, 8, 1)] {
            let e = r.effective_burden_ratio(Some(on)).unwrap();
            assert_eq!(
                (e.ratio.percent(), e.rule, e.source),
                (10, BurdenRule::ElderlyCertificateNotValid, RECORD_SOURCE)
            );
        }
        let e = record(Some(30), None)
            .effective_burden_ratio(Some(d(2026, 12, 6)))
            .unwrap();
        assert_eq!((e.ratio.percent(), e.rule), (30, BurdenRule::RecordRatio));
        // An open end date; no check date.
        let r = record(Some(10), Some((20, None)));
        assert_eq!(
            r.effective_burden_ratio(Some(d(2040, 1, 1))).unwrap().rule,
            BurdenRule::ElderlyRecipientCertificate
        );
        assert_eq!(
            r.effective_burden_ratio(None).unwrap().rule,
            BurdenRule::ElderlyRecipientCertificateUndated
        );
        assert_eq!(record(None, None).effective_burden_ratio(None), None);
        // Expired certificate and no record ratio: nothing applies.
        assert_eq!(
            record(None, Some((20, Some(d(2026, 9, 1)))))
                .effective_burden_ratio(Some(d(2026, 12, 6))),
            None
        );
    }
}
