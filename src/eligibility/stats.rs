//! Usage statistics (seed p.1): a facility type's monthly counts of online
//! eligibility checks by method and of consent-gated views, and the ratios the
//! seed defines.
//!
//! - 利用率 = マイナ保険証利用人数 ÷ レセプト件数 ([`usage_rate`]; the レセプト
//!   count comes from the receipt system, not from eligibility results);
//! - 受診時のマイナ保険証利用件数割合 = マイナ保険証利用件数 ÷ オンライン資格確認
//!   利用件数 ([`UsageRow::card_share`]).
//!
//! The seed's January table counts マイナンバーカード (card and smartphone — both
//! are マイナ保険証) against 資格確認書 (記号・番号); smartphone use is also
//! counted on its own here.

use super::request_file::VerificationMethod;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Facility types of the seed's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub enum FacilityKind {
    /// 病院.
    Hospital,
    /// 医科診療所.
    MedicalClinic,
    /// 歯科診療所.
    DentalClinic,
    /// 薬局.
    Pharmacy,
}

impl FacilityKind {
    /// The four kinds in the seed's row order.
    pub const ALL: [FacilityKind; 4] = [
        Self::Hospital,
        Self::MedicalClinic,
        Self::DentalClinic,
        Self::Pharmacy,
    ];

    /// The seed's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Hospital => "病院",
            Self::MedicalClinic => "医科診療所",
            Self::DentalClinic => "歯科診療所",
            Self::Pharmacy => "薬局",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Hospital => 0,
            Self::MedicalClinic => 1,
            Self::DentalClinic => 2,
            Self::Pharmacy => 3,
        }
    }
}

/// Which views an eligibility check went on to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ViewsUsed {
    /// 特定健診等情報.
    pub health_checkups: bool,
    /// 薬剤情報.
    pub medication: bool,
    /// 診療情報.
    pub clinical: bool,
}

/// One online eligibility check (one person at one visit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Confirmation {
    /// Where.
    pub facility: FacilityKind,
    /// How.
    pub method: VerificationMethod,
    /// Views opened after it.
    pub views: ViewsUsed,
}

/// One row of the seed's January table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct UsageRow {
    /// 合計 (人).
    pub total: u64,
    /// マイナンバーカード (人): card + smartphone.
    pub myna_card: u64,
    /// Of which by smartphone.
    pub smartphone: u64,
    /// 資格確認書 (人): by 記号・番号.
    pub certificate: u64,
    /// 特定健診等情報 (件).
    pub health_checkup_views: u64,
    /// 薬剤情報 (件).
    pub medication_views: u64,
    /// 診療情報 (件).
    pub clinical_views: u64,
}

impl UsageRow {
    fn add(&mut self, c: &Confirmation) {
        self.total = self.total.saturating_add(1);
        match c.method {
            VerificationMethod::Card => self.myna_card = self.myna_card.saturating_add(1),
            VerificationMethod::Smartphone => {
                self.myna_card = self.myna_card.saturating_add(1);
                self.smartphone = self.smartphone.saturating_add(1);
            }
            VerificationMethod::InsuranceIdentifiers => {
                self.certificate = self.certificate.saturating_add(1)
            }
        }
        self.health_checkup_views = self
            .health_checkup_views
            .saturating_add(u64::from(c.views.health_checkups));
        self.medication_views = self
            .medication_views
            .saturating_add(u64::from(c.views.medication));
        self.clinical_views = self
            .clinical_views
            .saturating_add(u64::from(c.views.clinical));
    }

    fn merge(&mut self, o: &UsageRow) {
        self.total = self.total.saturating_add(o.total);
        self.myna_card = self.myna_card.saturating_add(o.myna_card);
        self.smartphone = self.smartphone.saturating_add(o.smartphone);
        self.certificate = self.certificate.saturating_add(o.certificate);
        self.health_checkup_views = self
            .health_checkup_views
            .saturating_add(o.health_checkup_views);
        self.medication_views = self.medication_views.saturating_add(o.medication_views);
        self.clinical_views = self.clinical_views.saturating_add(o.clinical_views);
    }

    /// 受診時のマイナ保険証利用件数割合: マイナ保険証 ÷ all checks.
    pub fn card_share(&self) -> Option<Ratio> {
        Ratio::new(self.myna_card, self.total)
    }
}

/// A month's usage by facility type (the seed's January table shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct MonthlyUsage {
    /// Rows in [`FacilityKind::ALL`] order.
    pub rows: [UsageRow; 4],
}

impl MonthlyUsage {
    /// Counts a month's confirmations.
    pub fn tally<'a>(confirmations: impl IntoIterator<Item = &'a Confirmation>) -> Self {
        let mut m = Self::default();
        for c in confirmations {
            if let Some(row) = m.rows.get_mut(c.facility.index()) {
                row.add(c);
            }
        }
        m
    }

    /// The row of one facility type.
    pub fn row(&self, kind: FacilityKind) -> UsageRow {
        self.rows.get(kind.index()).copied().unwrap_or_default()
    }

    /// 総計: the sum of the rows.
    pub fn total(&self) -> UsageRow {
        let mut t = UsageRow::default();
        for r in &self.rows {
            t.merge(r);
        }
        t
    }
}

/// A ratio of two counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Ratio {
    /// Numerator.
    pub numerator: u64,
    /// Denominator (never 0).
    pub denominator: u64,
}

impl Ratio {
    /// `None` when the denominator is 0.
    pub fn new(numerator: u64, denominator: u64) -> Option<Self> {
        (denominator != 0).then_some(Self {
            numerator,
            denominator,
        })
    }

    /// As a percentage.
    pub fn percent(&self) -> f64 {
        self.numerator as f64 * 100.0 / self.denominator as f64
    }

    /// In tenths of a percent, rounded half up (exact integer arithmetic).
    pub fn per_mille(&self) -> u64 {
        let n = u128::from(self.numerator) * 2000 + u128::from(self.denominator);
        let v = n / (u128::from(self.denominator) * 2);
        u64::try_from(v).unwrap_or(u64::MAX)
    }
}

/// 利用率 = マイナ保険証利用人数 ÷ レセプト件数 (`None` for 0 receipts).
pub fn usage_rate(myna_hokensho_users: u64, receipts: u64) -> Option<Ratio> {
    Ratio::new(myna_hokensho_users, receipts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed's January rows.
    fn seed() -> MonthlyUsage {
        let row = |total, card, cert, hc, med, cl| UsageRow {
            total,
            myna_card: card,
            smartphone: 0,
            certificate: cert,
            health_checkup_views: hc,
            medication_views: med,
            clinical_views: cl,
        };
        MonthlyUsage {
            rows: [
                row(
                    20_716_565, 13_582_428, 7_134_137, 4_956_528, 1_983_352, 8_476_145,
                ),
                row(
                    67_795_165, 46_018_793, 21_776_372, 15_058_540, 15_455_631, 40_331_014,
                ),
                row(
                    20_681_611, 14_070_180, 6_611_431, 4_782_621, 3_521_889, 5_107_809,
                ),
                row(
                    58_327_467, 34_577_132, 23_750_335, 14_770_316, 8_810_071, 26_943_160,
                ),
            ],
        }
    }

    #[test]
    fn the_seed_totals_add_up() {
        let t = seed().total();
        assert_eq!(t.total, 167_520_808);
        assert_eq!(t.myna_card, 108_248_533);
        assert_eq!(t.certificate, 59_272_275);
        assert_eq!(t.health_checkup_views, 39_568_005);
        assert_eq!(t.medication_views, 29_770_943);
        assert_eq!(t.clinical_views, 80_858_128);
        for r in seed().rows {
            assert_eq!(r.myna_card + r.certificate, r.total);
        }
        // 受診時のマイナ保険証利用件数割合 in January: 64.6 %.
        assert_eq!(t.card_share().map(|r| r.per_mille()), Some(646));
    }

    #[test]
    fn tally_counts_by_method_and_view() {
        let c = |facility, method, views| Confirmation {
            facility,
            method,
            views,
        };
        let all = ViewsUsed {
            health_checkups: true,
            medication: true,
            clinical: true,
        };
        let list = [
            c(FacilityKind::Hospital, VerificationMethod::Card, all),
            c(
                FacilityKind::Hospital,
                VerificationMethod::Smartphone,
                ViewsUsed {
                    medication: true,
                    ..ViewsUsed::default()
                },
            ),
            c(
                FacilityKind::Hospital,
                VerificationMethod::InsuranceIdentifiers,
                ViewsUsed::default(),
            ),
            c(FacilityKind::Pharmacy, VerificationMethod::Card, all),
        ];
        let m = MonthlyUsage::tally(&list);
        assert_eq!(
            m.row(FacilityKind::Hospital),
            UsageRow {
                total: 3,
                myna_card: 2,
                smartphone: 1,
                certificate: 1,
                health_checkup_views: 1,
                medication_views: 2,
                clinical_views: 1
            }
        );
        assert_eq!(m.row(FacilityKind::DentalClinic), UsageRow::default());
        assert_eq!(m.total().total, 4);
        assert_eq!(m.total().myna_card, 3);
    }

    #[test]
    fn ratios() {
        assert_eq!(usage_rate(1, 0), None);
        let r = usage_rate(2, 3).unwrap();
        assert_eq!(r.per_mille(), 667);
        assert!((r.percent() - 66.666_666).abs() < 1e-3);
        assert_eq!(usage_rate(u64::MAX, 1).unwrap().per_mille(), u64::MAX);
    }
}
